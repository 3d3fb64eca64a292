#pragma once

#include <QString>

namespace QuantDesk {

// What QuantDesk knows about the model a command will serve. Filled from the id or path by name heuristics, and
// from the checkpoint's config files when a local folder is given.
struct ModelInfo
{
    QString idOrPath;
    // Checkpoint quantization method, lower case: "" (none known), "awq", "gptq", "gguf", "nvfp4", "mxfp4", "fp8",
    // "w4afp8", "int8", "compressed-tensors", … For FP8 checkpoints also set when found by config.
    QString quantMethod;
    QString detectedFrom; // "name", "config.json", "hf_quant_config.json"
    bool kvScalesKnown = false; // whether we know if the checkpoint carries k/v scales
    bool hasKvScales = false;

    [[nodiscard]] bool isPreQuantized() const { return !quantMethod.isEmpty(); }
    // FP8-family weights: fp8, fp8 block, ModelOpt FP8, NVFP4 (TensorRT-LLM's FP8 FMHA condition).
    [[nodiscard]] bool hasFp8FamilyWeights() const;
    bool operator==(const ModelInfo&) const = default;
};

// Detects a pre-quantized checkpoint from its id or path, as the autotuner does (ordered substring test on the lower
// case name: awq, gptq, gguf, nvfp4/fp4, fp8) plus w4afp8, mxfp4 and int8 markers. Returns "" when nothing matches.
[[nodiscard]] QString detectQuantizationFromName(const QString& idOrPath);

// Builds the model info for an id or a local folder: reads config.json (quantization_config.quant_method) and
// hf_quant_config.json (quantization.quant_algo) when idOrPath is a readable folder, else falls back to the name.
[[nodiscard]] ModelInfo inspectModel(const QString& idOrPath);

} // namespace QuantDesk

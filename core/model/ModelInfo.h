#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

#include "core/model/ModelConfig.h"

namespace QuantDesk
{

// What QuantDesk knows about the model a command will serve. Filled from the checkpoint's files when they can be read
// (a local folder, the local Hugging Face cache, or another ModelFileReader such as an SSH host), else from the id or
// path by name heuristics.
struct ModelInfo
{
    QString idOrPath;
    // Checkpoint quantization method, lower case: "" (none known), "awq", "gptq", "gguf", "nvfp4", "mxfp4", "fp8",
    // "w4afp8", "int8", "int4", "bitsandbytes", "mxfp8", … (compressed-tensors and ModelOpt checkpoints are named by
    // what their weights are: "int8", "fp8", "nvfp4", …; the format itself is in quantFormat).
    QString quantMethod;
    QString detectedFrom;       // "name", "config.json", "hf_quant_config.json"
    bool kvScalesKnown = false; // whether we know if the checkpoint carries k/v scales
    bool hasKvScales = false;

    QString source;     // "local folder", "Hugging Face cache", "name", or the reader's kind; "" without a model
    QString location;   // where the files were read ("" when only the name is known)
    int quantBits = -1; // weight bits of the checkpoint's quantization (8 for FP8/INT8, 4 for AWQ-4/NVFP4…), -1 unknown
    int quantGroupSize =
        0; // weights per scale group (AWQ/GPTQ group_size, NVFP4 16, MXFP4 32); 0 unknown or per channel
    QString
        quantFormat; // the checkpoint's own name for it: "compressed-tensors", "modelopt", "fp8", "FP8_BLOCK_SCALES"
    QString kvScalesFrom; // the file that told whether there are k/v scales (config.json also for "not quantized")
    std::optional<ModelConfig> config; // architecture from config.json, when readable
    QString configError;               // why config.json could not be used ("" when it was, or when no files were read)
    QStringList notes;                 // other findings worth showing

    [[nodiscard]] bool isPreQuantized() const { return !quantMethod.isEmpty(); }
    // FP8-family weights: fp8, fp8 block, ModelOpt FP8, NVFP4 (TensorRT-LLM's FP8 FMHA condition).
    [[nodiscard]] bool hasFp8FamilyWeights() const;
    // true / false when known, nullopt when not.
    [[nodiscard]] std::optional<bool> kvScales() const
    {
        return kvScalesKnown ? std::optional<bool>(hasKvScales) : std::nullopt;
    }
    bool operator==(const ModelInfo&) const = default;
};

// Read access to the files of one model folder, wherever it is. The local implementation is below; an SSH host
// provides another. Paths are relative to the model folder, '/'-separated, and never contain "..".
class ModelFileReader
{
public:
    virtual ~ModelFileReader() = default;
    // The first maxBytes bytes of the file (all of it when shorter). nullopt when the file does not exist (error left
    // empty) or cannot be read (*error says why: permission, I/O, connection).
    [[nodiscard]] virtual std::optional<QByteArray>
    readFile(const QString& relativePath, qint64 maxBytes, QString* error) const = 0;
    [[nodiscard]] virtual bool exists(const QString& relativePath) const = 0;
    // Where the folder is, for messages: "/models/llama", "gpu-host:/models/llama".
    [[nodiscard]] virtual QString location() const = 0;
    // ModelInfo::source for models read through this reader: "local folder", "Hugging Face cache", "ssh".
    [[nodiscard]] virtual QString sourceKind() const = 0;
};

// A folder on this machine.
class LocalModelFileReader final : public ModelFileReader
{
public:
    explicit LocalModelFileReader(QString folder, QString sourceKind = QStringLiteral("local folder"));
    [[nodiscard]] std::optional<QByteArray>
    readFile(const QString& relativePath, qint64 maxBytes, QString* error) const override;
    [[nodiscard]] bool exists(const QString& relativePath) const override;
    [[nodiscard]] QString location() const override { return m_folder; }
    [[nodiscard]] QString sourceKind() const override { return m_sourceKind; }

private:
    [[nodiscard]] std::optional<QString> resolve(const QString& relativePath) const;
    QString m_folder;
    QString m_sourceKind;
};

// Detects a pre-quantized checkpoint from its id or path, as the autotuner does (ordered substring test on the lower
// case name: awq, gptq, gguf, nvfp4/fp4, fp8) plus w4afp8, mxfp4 and int8 markers. Returns "" when nothing matches.
[[nodiscard]] QString detectQuantizationFromName(const QString& idOrPath);

// Builds the model info for an id or a path, without network access: a local folder is read directly; a hub id
// ("org/name") is looked up in the local Hugging Face cache (HfCache::fromEnvironment()); anything else is judged
// by its name.
[[nodiscard]] ModelInfo inspectModel(const QString& idOrPath);

// Builds the model info from the files reader gives access to: config.json (architecture, quantization_config),
// hf_quant_config.json (ModelOpt), and the safetensors index or header (k/v scale tensors). Falls back to the name
// when no config file can be read. Never throws; unreadable or malformed files end up in configError / notes.
[[nodiscard]] ModelInfo inspectModel(const QString& idOrPath, const ModelFileReader& reader);

// Whether a tensor name is a KV-cache scale (".k_scale", ".v_scale", ".kv_scale", ".k_proj.output_scale", …).
[[nodiscard]] bool isKvScaleTensorName(const QString& name);

} // namespace QuantDesk

#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <optional>

#include "core/engines/EngineCommand.h"
#include "core/hardware/GpuInfo.h"
#include "core/model/ModelInfo.h"
#include "core/quant/QuantConfig.h"

namespace QuantDesk
{

// How the weights and the KV cache are stored: the result of a quant config (or of an engine command) on one model.
//
// Bits per weight, scales included: bf16/fp16 16, fp32 32, fp8 8, int8 8, w4afp8 4.125 (int4 + one BF16 scale per 128),
// mxfp4 4.25 (4 bits + one E8M0 scale per 32), nvfp4 4.5 (4 bits + one FP8 scale per 16), mxfp8 8.25,
// AWQ/GPTQ/INT4 checkpoints bits + (16 + bits) / group_size (FP16 scale and packed zero point per group).
// Embeddings, lm_head, norms and MoE routers stay in the model dtype.
struct StoragePlan
{
    double modelDtypeBytes = 2;   // embeddings, lm_head, norms, routers, and every unquantized weight
    double denseBits = 16;        // attention, dense MLPs and shared experts (what gemm_dtype quantizes)
    double expertBits = 16;       // routed experts (what moe_dtype quantizes)
    double kvBytesPerElement = 2; // one K or V element (MLA: one latent element)
    QString denseLabel;           // "bf16", "fp8", "awq 4-bit checkpoint"
    QString expertLabel;
    QString kvLabel; // "bf16", "fp8_e5m2", "int4_per_token_head"
    QStringList notes;
    bool operator==(const StoragePlan&) const = default;
};

// Inputs besides the model and the quant config.
struct MemoryOptions
{
    QString engine; // "vllm", "sglang", "trtllm"; "" follows vLLM's rules
    // User parameters (engine flags without "--"): the memory fraction (gpu-memory-utilization, mem-fraction-static,
    // kv_cache_free_gpu_memory_fraction / free_gpu_memory_fraction), vLLM's kv-cache-memory-bytes, and the tensor
    // parallel size (tensor-parallel-size / tp / tp-size / tp_size).
    QList<QPair<QString, QString>> parameters;
    std::optional<GpuInfo> gpu;
    int tensorParallel = 0; // 0: from the parameters, else 1
};

// Predicted memory of one model under one quant config on one engine.
//
// KV capacity per GPU (G = GPU memory, W = weights / TP, f = the engine's memory fraction):
//   vLLM     KV = G × gpu_memory_utilization (0.9) − W − 2 GiB
//   SGLang   KV = G × mem_fraction_static (0.88) − W − 1 GiB
//   TRT-LLM  KV = free_gpu_memory_fraction (0.9) × (G − W − 2 GiB)
// The reserve: 1 GiB of CUDA context, cuBLAS/NCCL workspaces and other memory outside PyTorch's allocator on every
// engine, plus 1 GiB for the peak activations of the start-up profiling run and CUDA graphs where the engine takes
// them out of the same budget (vLLM, TensorRT-LLM; SGLang keeps activations in the 1 − f it leaves free). vLLM's
// kv-cache-memory-bytes, when given, replaces the formula.
// Capacity in tokens = KV per GPU / KV bytes per token per GPU. TP rule: GQA splits the KV heads across the TP ranks,
// and a rank never holds less than one head (kv heads < TP: heads are replicated), so per GPU = layers × 2 ×
// max(1, kv_heads / TP) × head_dim × bytes. MLA has no heads to split: every rank stores the whole latent, so per GPU
// = per token. A token's KV is spread over the TP group, so the group's capacity equals one GPU's.
struct MemoryPrediction
{
    QString engine;
    int tensorParallel = 1;
    bool moe = false; // the model has routed experts (storage.expertBits applies)
    StoragePlan storage;
    qint64 totalParameters = 0;
    qint64 activeParameters = 0;
    qint64 weightBytes = 0; // all GPUs together
    qint64 weightBytesPerGpu = 0;
    qint64 unquantizedWeightBytes = 0; // every weight in the model dtype (what online quantization loads first)
    qint64 kvBytesPerToken = 0;        // whole model: all layers, all KV heads
    qint64 kvBytesPerTokenPerGpu = 0;
    QString gpuName;
    std::optional<qint64> gpuMemoryBytes;
    double memoryFraction = 0.9;
    QString memoryFractionKey; // "gpu-memory-utilization", "mem-fraction-static", "kv_cache_free_gpu_memory_fraction"
    bool memoryFractionFromParameter = false;
    std::optional<qint64> kvCacheMemoryBytes; // vLLM kv-cache-memory-bytes, when set
    qint64 reserveBytes = 0;                  // per GPU
    std::optional<qint64> kvCacheBytesPerGpu; // negative: the weights leave no room
    std::optional<qint64> kvCapacityTokens;   // >= 0; nullopt without GPU memory
    QStringList notes;

    [[nodiscard]] double weightsGiB() const;
    bool operator==(const MemoryPrediction&) const = default;
};

// Bits per weight for a gemm_dtype / moe_dtype value ("fp8" → 8, "w4afp8" → 4.125, "mxfp4" → 4.25); "auto",
// "float16" and "bfloat16" → modelDtypeBits. -1 for an unknown value.
[[nodiscard]] double weightBitsForDtype(const QString& value, double modelDtypeBits);

// Bytes per KV element for a kvcache_dtype value or an engine's spelling of one ("auto" → modelDtypeBytes, "fp16",
// "bfloat16", "bf16", "float16" → 2, "fp8*" → 1, "int8*" → 1, "int4*" → 0.5, "nvfp4" → 0.5625, "mxfp8" →
// 1.03125). -1 for an unknown value.
[[nodiscard]] double kvBytesPerElement(const QString& value, double modelDtypeBytes);

// Bits per weight of a pre-quantized checkpoint's quantized layers: {dense, experts}. nullopt when not known.
[[nodiscard]] std::optional<QPair<double, double>> checkpointWeightBits(const ModelInfo& model);

// Storage from the four fields (the editor's view: no command built yet). A pre-quantized checkpoint keeps its own
// weights; gemm_dtype fp8/int8 quantize the experts too unless moe_dtype says otherwise (as the engines' online
// --quantization does); attention fp8 on an auto KV cache makes the KV cache FP8 (the engines' only way to it).
[[nodiscard]] StoragePlan storageForConfig(const QuantConfig& config, const ModelInfo& model);

// Storage from a built engine command: what the engine will really do. The KV dtype is the final --kv-cache-dtype /
// --kv_cache_dtype flag or kv_cache_config.dtype YAML key (user parameters and translations included, fields the engine
// cannot do left out); weights follow --quantization (and vLLM's --quantization-config) and --dtype.
[[nodiscard]] StoragePlan storageForCommand(const EngineCommand& command, const ModelInfo& model);

// KV bytes one token needs on one GPU of a TP group (the TP rule above).
[[nodiscard]] qint64 kvBytesPerTokenPerGpu(const ModelConfig& config, double bytesPerElement, int tensorParallel);

// The engine's memory fraction when no parameter sets it: vLLM 0.9, SGLang 0.88, TensorRT-LLM 0.9.
[[nodiscard]] double defaultMemoryFraction(const QString& engine);
// The parameter (dashes) that sets it: "gpu-memory-utilization", "mem-fraction-static",
// "kv_cache_free_gpu_memory_fraction".
[[nodiscard]] QString memoryFractionKey(const QString& engine);
// The parameter name for the tensor parallel size on an engine: "tensor-parallel-size", "tp-size", "tp_size".
[[nodiscard]] QString tensorParallelKey(const QString& engine);
// The tensor parallel size the parameters set (tensor-parallel-size, tp, tp-size, tp_size), or 1.
[[nodiscard]] int tensorParallelFrom(const QList<QPair<QString, QString>>& parameters);
// The flags of a command as (name without dashes, value) pairs, for the functions above.
[[nodiscard]] QList<QPair<QString, QString>> commandParameters(const EngineCommand& command);

// Prediction from the four fields. nullopt when the model's architecture (config.json) is not known.
[[nodiscard]] std::optional<MemoryPrediction>
predictMemory(const ModelInfo& model, const QuantConfig& config, const MemoryOptions& options);

// Prediction for a built command (storageForCommand; memory fraction and TP from its flags unless tensorParallel > 0).
[[nodiscard]] std::optional<MemoryPrediction> predictMemory(const ModelInfo& model,
                                                            const EngineCommand& command,
                                                            const std::optional<GpuInfo>& gpu,
                                                            int tensorParallel = 0);

} // namespace QuantDesk

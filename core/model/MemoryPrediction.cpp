#include "MemoryPrediction.h"

#include <cmath>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;
using json = nlohmann::json;

namespace QuantDesk
{

namespace
{

constexpr qint64 kGiB = qint64(1) << 30;
// Per GPU, outside weights and KV cache (see MemoryPrediction in the header).
constexpr qint64 kContextReserve = kGiB;    // CUDA context, cuBLAS/NCCL workspaces, other non-PyTorch memory
constexpr qint64 kActivationReserve = kGiB; // start-up profiling run's activation peak and CUDA graphs

// "--kv_cache_dtype", "kv-cache-dtype" → "kv-cache-dtype".
QString normKey(QString key)
{
    while (key.startsWith(u'-'))
        key.remove(0, 1);
    return key.toLower().replace(u'_', u'-');
}

QString engineKind(const QString& engine)
{
    const QString e = engine.toLower();
    if (e == u"sglang" || e == u"trtllm")
        return e;
    return u"vllm"_s;
}

QString bitsText(double bits)
{
    return QString::number(bits, 'g', 4);
}

// "bf16" or "fp16": the checkpoint's dtype as the engines load it (float32 checkpoints are loaded in 16 bits).
QString modelDtypeLabel(const ModelInfo& model, const QString& dtypeValue)
{
    const QString d = dtypeValue.toLower();
    if (d == u"float32" || d == u"float")
        return u"fp32"_s;
    if (d == u"float16" || d == u"half")
        return u"fp16"_s;
    if (d == u"bfloat16")
        return u"bf16"_s;
    if (model.config && model.config->torchDtype == u"float16")
        return u"fp16"_s;
    return u"bf16"_s;
}

// Online quantization schemes (vLLM --quantization shorthands and --quantization-config values, SGLang methods).
double onlineSchemeBits(const QString& scheme)
{
    const QString s = scheme.toLower();
    if (s == u"mxfp8")
        return 8.25;
    if (s == u"mxfp4")
        return 4.25;
    if (s.startsWith(u"fp8") || s == u"w8a8_fp8")
        return 8;
    if (s.startsWith(u"int8") || s == u"experts_int8")
        return 8;
    if (s.startsWith(u"nvfp4"))
        return 4.5;
    return -1;
}

void applyCheckpoint(StoragePlan& s, const ModelInfo& model, const QString& modelLabel)
{
    const double mb = s.modelDtypeBytes * 8;
    const auto bits = checkpointWeightBits(model);
    if (!bits) {
        s.denseBits = s.expertBits = mb;
        s.denseLabel = s.expertLabel = modelLabel;
        s.notes << u"the weight size of a %1 checkpoint is not known: predicted at %2 (an upper bound)"_s.arg(
            model.quantMethod, modelLabel);
        return;
    }
    const QString label = u"%1 checkpoint"_s.arg(model.quantMethod);
    s.denseBits = bits->first > 0 ? bits->first : mb;
    s.expertBits = bits->second > 0 ? bits->second : mb;
    // "fp8 checkpoint"; "awq checkpoint, 4.156 bits" when scales make the size fractional.
    auto named = [&](double b) {
        return b <= 0 ? modelLabel : b == std::floor(b) ? label : u"%1, %2 bits"_s.arg(label, bitsText(b));
    };
    s.denseLabel = named(bits->first);
    s.expertLabel = named(bits->second);
}

void setKv(StoragePlan& s, const QString& value, const QString& modelLabel)
{
    const double b = kvBytesPerElement(value, s.modelDtypeBytes);
    if (b < 0) {
        s.kvBytesPerElement = s.modelDtypeBytes;
        s.kvLabel = modelLabel;
        s.notes << u"KV cache dtype '%1' is not modelled: predicted at %2"_s.arg(value, modelLabel);
        return;
    }
    s.kvBytesPerElement = b;
    s.kvLabel = value == u"auto" ? modelLabel : value;
}

double fractionDefault(const QString& kind)
{
    return kind == u"sglang" ? 0.88 : 0.9;
}

// vLLM's human_readable_int: plain bytes, or k/m/g/t (×1000) and K/M/G/T (×1024), optionally with a trailing "B"/"iB".
std::optional<qint64> parseBytes(QString v)
{
    v = v.trimmed();
    if (v.endsWith(u"iB"))
        v.chop(2);
    else if (v.endsWith(u'B') && v.size() > 1 && v.at(v.size() - 2).isLetter())
        v.chop(1);
    double mult = 1;
    if (!v.isEmpty() && v.back().isLetter()) {
        const QChar u = v.back();
        const int power = QStringLiteral("KMGT").indexOf(u.toUpper()) + 1;
        if (power == 0)
            return std::nullopt;
        mult = std::pow(u.isUpper() ? 1024.0 : 1000.0, power);
        v.chop(1);
    }
    bool ok = false;
    const double d = v.toDouble(&ok) * mult;
    if (!ok || !(d > 0) || d > 9e18)
        return std::nullopt;
    return qint64(d);
}

} // namespace

double MemoryPrediction::weightsGiB() const
{
    return double(weightBytes) / double(kGiB);
}

double weightBitsForDtype(const QString& value, double modelDtypeBits)
{
    const QString v = value.toLower();
    if (v == u"auto")
        return modelDtypeBits;
    if (v == u"float16" || v == u"bfloat16" || v == u"fp16" || v == u"bf16" || v == u"half")
        return 16;
    if (v == u"float32" || v == u"fp32" || v == u"float")
        return 32;
    if (v == u"fp8" || v == u"int8")
        return 8;
    if (v == u"w4afp8")
        return 4 + 16.0 / 128; // int4 weights, one BF16 scale per group of 128
    if (v == u"int4")
        return 4 + 16.0 / 128;
    if (v == u"mxfp4")
        return 4 + 8.0 / 32; // one E8M0 scale per 32 weights
    if (v == u"nvfp4")
        return 4 + 8.0 / 16; // one FP8 E4M3 scale per 16 weights
    if (v == u"mxfp8")
        return 8 + 8.0 / 32;
    return -1;
}

double kvBytesPerElement(const QString& value, double modelDtypeBytes)
{
    const QString v = value.toLower();
    if (v == u"auto" || v.isEmpty())
        return modelDtypeBytes;
    if (v == u"fp16" || v == u"float16" || v == u"half" || v == u"bfloat16" || v == u"bf16")
        return 2;
    if (v == u"float32" || v == u"fp32" || v == u"float")
        return 4;
    if (v == u"mxfp8")
        return 1 + 1.0 / 32;
    if (v.startsWith(u"fp8")) // fp8, fp8_e4m3, fp8_e5m2, fp8_inc, fp8_ds_mla, fp8_per_token_head
        return 1;
    if (v.startsWith(u"int8")) // int8, int8_per_token_head (per-token-head scales not counted)
        return 1;
    if (v.startsWith(u"int4"))
        return 0.5;
    if (v.startsWith(u"nvfp4") || v == u"fp4_mx_block16")
        return 0.5 + 1.0 / 16; // 4 bits + one 8-bit scale per 16
    if (v == u"fp4_e2m1")
        return 0.5;
    return -1;
}

std::optional<QPair<double, double>> checkpointWeightBits(const ModelInfo& model)
{
    const QString m = model.quantMethod;
    const int bits = model.quantBits;
    const int group = model.quantGroupSize;
    if (m == u"fp8" || m == u"fp8_block" || m == u"modelopt_fp8" || m == u"int8")
        return qMakePair(8.0, 8.0);
    if (m == u"nvfp4")
        return qMakePair(4.5, 4.5);
    if (m == u"mxfp4")
        return qMakePair(0.0, 4.25); // gpt-oss style: experts in MXFP4, attention left in the model dtype
    if (m == u"mxfp8")
        return qMakePair(8.25, 8.25);
    if (m == u"w4afp8") // DeepSeek-R1-W4AFP8 style: int4 experts (BF16 scale per group), FP8 dense layers
        return qMakePair(8.0, 4 + 16.0 / (group > 0 ? group : 128));
    if (m == u"awq" || m == u"gptq") {
        const double b = bits > 0 ? bits : 4;
        const double w = group > 0 ? b + (16 + b) / group : b; // FP16 scale + packed zero point per group
        return qMakePair(w, w);
    }
    if (m == u"bitsandbytes" && bits == 4)
        return qMakePair(4.5, 4.5); // NF4 with one FP32 absmax per 64
    if (m == u"bitsandbytes" && bits == 8)
        return qMakePair(8.0, 8.0);
    if (m == u"gguf" || bits <= 0)
        return std::nullopt;
    const double w = group > 0 ? bits + 16.0 / group : bits;
    return qMakePair(w, w);
}

StoragePlan storageForConfig(const QuantConfig& config, const ModelInfo& model)
{
    StoragePlan s;
    const QString gemm = config.gemm.toLower();
    s.modelDtypeBytes = gemm == u"float32" ? 4 : 2;
    const QString modelLabel = modelDtypeLabel(model, gemm == u"auto" ? QString() : gemm);
    const double mb = s.modelDtypeBytes * 8;
    const bool gemmQuant = gemm == u"fp8" || gemm == u"int8";
    const bool moeQuant = config.moe != u"auto" && config.moe != u"float16" && config.moe != u"bfloat16";
    if (model.isPreQuantized()) {
        applyCheckpoint(s, model, modelLabel);
        if (gemmQuant || moeQuant) {
            s.notes << u"the checkpoint is already quantized (%1): gemm_dtype/moe_dtype do not change its weights"_s
                           .arg(model.quantMethod);
        }
    } else {
        s.denseBits = weightBitsForDtype(gemm, mb);
        s.denseLabel = gemm == u"auto" || gemm == u"float16" || gemm == u"bfloat16" || gemm == u"float32"
                           ? modelDtypeLabel(model, gemm)
                           : gemm;
        if (config.moe == u"auto") {
            // Online --quantization fp8 / int8 covers the experts too.
            s.expertBits = gemmQuant ? s.denseBits : mb;
            s.expertLabel = gemmQuant ? s.denseLabel : modelLabel;
        } else {
            s.expertBits = weightBitsForDtype(config.moe, mb);
            s.expertLabel = moeQuant ? config.moe : modelDtypeLabel(model, config.moe);
        }
        if (s.denseBits < 0 || s.expertBits < 0) {
            s.notes << u"a weight dtype is not modelled: predicted at %1"_s.arg(modelLabel);
            s.denseBits = s.denseBits < 0 ? mb : s.denseBits;
            s.expertBits = s.expertBits < 0 ? mb : s.expertBits;
        }
    }
    QString kv = config.kvcache;
    if (kv == u"auto" && (config.attention == u"fp8" || config.attention == u"fp8_e4m3")) {
        kv = u"fp8"_s;
        s.notes << u"attention_dtype=%1 makes the KV cache FP8 (no engine has a separate attention dtype)"_s.arg(
            config.attention);
    }
    setKv(s, kv, modelLabel);
    return s;
}

StoragePlan storageForCommand(const EngineCommand& command, const ModelInfo& model)
{
    QMap<QString, QString> flags;
    QMap<QString, QString> flagSource;
    for (const CommandFlag& f : command.flags) {
        flags.insert(normKey(f.flag), f.value.value_or(u"true"_s));
        flagSource.insert(normKey(f.flag), f.source);
    }
    QMap<QString, QString> yaml;
    for (const YamlEntry& e : command.yaml)
        yaml.insert(e.key, e.value);

    StoragePlan s;
    const QString dtype = flags.value(u"dtype"_s, yaml.value(u"dtype"_s)).toLower();
    s.modelDtypeBytes = dtype == u"float32" || dtype == u"float" ? 4 : 2;
    const QString modelLabel = modelDtypeLabel(model, dtype);
    const double mb = s.modelDtypeBytes * 8;
    s.denseBits = s.expertBits = mb;
    s.denseLabel = s.expertLabel = modelLabel;

    const QString quant = flags.value(u"quantization"_s, flags.value(u"q"_s)).toLower();
    if (model.isPreQuantized()) {
        applyCheckpoint(s, model, modelLabel);
        if (!quant.isEmpty()) {
            s.notes << u"--quantization %1 on a %2 checkpoint: predicted with the checkpoint's weights"_s.arg(
                quant, model.quantMethod);
        }
    } else if (!quant.isEmpty()) {
        const QString engine = engineKind(command.engine);
        // vLLM's --quantization-config: {"linear": scheme, "moe": scheme}; a scheme object whose weight is null
        // leaves those layers alone.
        json qcfg = json::parse(flags.value(u"quantization-config"_s).toStdString(), nullptr, false);
        if (!qcfg.is_object())
            qcfg = json::object();
        auto scheme = [&](const char* key, double fallback, QString* label) -> double {
            const auto it = qcfg.find(key);
            if (it == qcfg.end())
                return fallback;
            if (it->is_string()) {
                const QString name = QString::fromStdString(it->get<std::string>());
                const double b = onlineSchemeBits(name);
                if (b > 0) {
                    *label = name;
                    return b;
                }
                s.notes << u"--quantization-config %1 scheme '%2' is not modelled"_s.arg(QString::fromUtf8(key), name);
                return fallback;
            }
            if (it->is_null() || (it->is_object() && it->contains("weight") && it->at("weight").is_null())) {
                *label = modelLabel; // {"weight": null}: these layers stay unquantized
                return mb;
            }
            return fallback;
        };
        const double b = onlineSchemeBits(quant);
        if (quant == u"online") {
            s.denseBits = scheme("linear", mb, &s.denseLabel);
            s.expertBits = scheme("moe", mb, &s.expertLabel);
        } else if (quant == u"experts_int8") {
            s.expertBits = 8;
            s.expertLabel = u"int8"_s;
        } else if (quant == u"mxfp4" && engine == u"sglang") {
            s.expertBits = b; // SGLang's mxfp4 covers the MoE layers only
            s.expertLabel = quant;
        } else if (quant == u"w4afp8") {
            s.denseBits = 8;
            s.denseLabel = u"fp8"_s;
            s.expertBits = weightBitsForDtype(quant, mb);
            s.expertLabel = quant;
            s.notes << u"--quantization w4afp8 needs a W4AFP8 checkpoint; predicted as one"_s;
        } else if (quant == u"w8a8_int8") {
            s.denseBits = s.expertBits = 8;
            s.denseLabel = s.expertLabel = u"int8"_s;
            s.notes << u"--quantization w8a8_int8 needs a W8A8 INT8 checkpoint; predicted as one"_s;
        } else if (b > 0) {
            s.denseBits = s.expertBits = b;
            s.denseLabel = s.expertLabel = quant;
            s.denseBits = scheme("linear", s.denseBits, &s.denseLabel);
            s.expertBits = scheme("moe", s.expertBits, &s.expertLabel);
        } else {
            s.notes << u"--quantization %1 is not modelled: weights predicted at %2"_s.arg(quant, modelLabel);
        }
    }

    QString kv = flags.value(u"kv-cache-dtype"_s, yaml.value(u"kv_cache_config.dtype"_s, u"auto"_s));
    setKv(s, kv, modelLabel);
    return s;
}

qint64 kvBytesPerTokenPerGpu(const ModelConfig& config, double bytesPerElement, int tensorParallel)
{
    const qint64 tp = std::max(1, tensorParallel);
    double elements = 0;
    if (config.attentionKind() == AttentionKind::Mla) {
        elements = double(config.kvElementsPerToken()); // the latent is replicated on every rank
    } else {
        const qint64 headsPerGpu = std::max<qint64>(1, config.numKeyValueHeads / tp);
        elements = double(config.numLayers) * 2.0 * double(headsPerGpu) * double(config.headDim);
    }
    return qint64(std::llround(elements * bytesPerElement));
}

double defaultMemoryFraction(const QString& engine)
{
    return fractionDefault(engineKind(engine));
}

QString memoryFractionKey(const QString& engine)
{
    const QString kind = engineKind(engine);
    if (kind == u"sglang")
        return u"mem-fraction-static"_s;
    if (kind == u"trtllm")
        return u"kv_cache_free_gpu_memory_fraction"_s;
    return u"gpu-memory-utilization"_s;
}

QString tensorParallelKey(const QString& engine)
{
    const QString kind = engineKind(engine);
    if (kind == u"sglang")
        return u"tp-size"_s;
    if (kind == u"trtllm")
        return u"tp_size"_s;
    return u"tensor-parallel-size"_s;
}

int tensorParallelFrom(const QList<QPair<QString, QString>>& parameters)
{
    int tp = 1;
    for (const auto& [key, value] : parameters) {
        const QString k = normKey(key);
        if (k == u"tensor-parallel-size" || k == u"tp" || k == u"tp-size") {
            bool ok = false;
            const int v = value.trimmed().toInt(&ok);
            if (ok && v >= 1 && v <= 4096)
                tp = v;
        }
    }
    return tp;
}

QList<QPair<QString, QString>> commandParameters(const EngineCommand& command)
{
    QList<QPair<QString, QString>> out;
    for (const CommandFlag& f : command.flags) {
        QString name = f.flag;
        while (name.startsWith(u'-'))
            name.remove(0, 1);
        out << qMakePair(name, f.value.value_or(u"true"_s));
    }
    return out;
}

namespace
{

std::optional<MemoryPrediction> predict(const ModelInfo& model,
                                        const StoragePlan& storage,
                                        const QString& engine,
                                        const QList<QPair<QString, QString>>& params,
                                        const std::optional<GpuInfo>& gpu,
                                        int tensorParallel)
{
    if (!model.config)
        return std::nullopt;
    const ModelConfig& c = *model.config;
    const QString kind = engineKind(engine);
    MemoryPrediction p;
    p.engine = engine.isEmpty() ? kind : engine;
    p.tensorParallel = tensorParallel > 0 ? tensorParallel : tensorParallelFrom(params);
    p.storage = storage;
    p.moe = c.isMoe();
    const int tp = p.tensorParallel;

    const ParameterCounts n = c.parameterCounts();
    p.totalParameters = n.total();
    p.activeParameters = n.active();
    const double modelDtypeParams = double(n.embedding + n.lmHead + n.norms + n.router);
    const double bytes = modelDtypeParams * storage.modelDtypeBytes + double(n.denseLinear()) * storage.denseBits / 8 +
                         double(n.routedExperts) * storage.expertBits / 8;
    p.weightBytes = qint64(std::llround(bytes));
    p.weightBytesPerGpu = qint64(std::ceil(bytes / tp));
    p.unquantizedWeightBytes = qint64(std::llround(double(p.totalParameters) * storage.modelDtypeBytes));
    p.kvBytesPerToken = qint64(std::llround(double(c.kvElementsPerToken()) * storage.kvBytesPerElement));
    p.kvBytesPerTokenPerGpu = kvBytesPerTokenPerGpu(c, storage.kvBytesPerElement, tp);

    // The engine's memory fraction.
    p.memoryFractionKey = memoryFractionKey(kind);
    p.memoryFraction = fractionDefault(kind);
    for (const auto& [key, value] : params) {
        const QString k = normKey(key);
        const bool fractionKey =
            (kind == u"vllm" && k == u"gpu-memory-utilization") || (kind == u"sglang" && k == u"mem-fraction-static") ||
            (kind == u"trtllm" && (k == u"kv-cache-free-gpu-memory-fraction" || k == u"free-gpu-memory-fraction"));
        if (fractionKey) {
            bool ok = false;
            const double v = value.trimmed().toDouble(&ok);
            if (ok && v > 0 && v <= 1) {
                p.memoryFraction = v;
                p.memoryFractionFromParameter = true;
            } else {
                p.notes << u"%1=%2 is not a fraction in (0, 1]; the default %3 is used"_s.arg(key, value)
                               .arg(fractionDefault(kind));
            }
        }
        if (kind == u"vllm" && k == u"kv-cache-memory-bytes") {
            p.kvCacheMemoryBytes = parseBytes(value);
            if (!p.kvCacheMemoryBytes)
                p.notes << u"kv-cache-memory-bytes=%1 is not a byte count; ignored"_s.arg(value);
        }
    }

    // Notes on what the estimate does not model.
    if (!c.nestedIn.isEmpty())
        p.notes << u"architecture from config.json's %1: a vision/audio encoder is not counted"_s.arg(c.nestedIn);
    if (c.hasSlidingWindow)
        p.notes
            << u"some layers use sliding-window attention: the KV estimate counts full attention (an upper bound)"_s;
    if (c.attentionKind() == AttentionKind::Gqa && tp > 1) {
        if (c.numKeyValueHeads < tp) {
            p.notes << u"TP %1 > %2 KV heads: every GPU keeps one (replicated) KV head"_s.arg(tp).arg(
                c.numKeyValueHeads);
        } else if (c.numKeyValueHeads % tp != 0) {
            p.notes << u"%1 KV heads do not split evenly over TP %2 (engines reject this)"_s.arg(c.numKeyValueHeads)
                           .arg(tp);
        }
    }
    if (c.attentionKind() == AttentionKind::Mla && tp > 1)
        p.notes << u"MLA: every TP rank stores the whole latent KV cache"_s;
    p.notes << storage.notes;

    // KV capacity on the target GPU.
    if (gpu) {
        p.gpuName = gpu->name;
        if (gpu->memoryTotalMiB > 0)
            p.gpuMemoryBytes = gpu->memoryTotalMiB * 1024 * 1024;
    }
    if (!p.gpuMemoryBytes) {
        p.notes << (gpu ? u"the GPU's memory size is not known: no KV capacity"_s : u"no GPU given: no KV capacity"_s);
        return p;
    }
    const double g = double(*p.gpuMemoryBytes);
    const double w = double(p.weightBytesPerGpu);
    double kv = 0;
    if (kind == u"sglang") {
        p.reserveBytes = kContextReserve;
        kv = g * p.memoryFraction - w - double(p.reserveBytes);
    } else if (kind == u"trtllm") {
        p.reserveBytes = kContextReserve + kActivationReserve;
        kv = p.memoryFraction * (g - w - double(p.reserveBytes));
    } else {
        p.reserveBytes = kContextReserve + kActivationReserve;
        kv = p.kvCacheMemoryBytes ? double(*p.kvCacheMemoryBytes) : g * p.memoryFraction - w - double(p.reserveBytes);
    }
    p.kvCacheBytesPerGpu = qint64(std::floor(kv));
    p.kvCapacityTokens =
        kv > 0 && p.kvBytesPerTokenPerGpu > 0 ? qint64(std::floor(kv / double(p.kvBytesPerTokenPerGpu))) : 0;
    return p;
}

} // namespace

std::optional<MemoryPrediction>
predictMemory(const ModelInfo& model, const QuantConfig& config, const MemoryOptions& options)
{
    return predict(model,
                   storageForConfig(config, model),
                   options.engine,
                   options.parameters,
                   options.gpu,
                   options.tensorParallel);
}

std::optional<MemoryPrediction> predictMemory(const ModelInfo& model,
                                              const EngineCommand& command,
                                              const std::optional<GpuInfo>& gpu,
                                              int tensorParallel)
{
    return predict(
        model, storageForCommand(command, model), command.engine, commandParameters(command), gpu, tensorParallel);
}

} // namespace QuantDesk

#include "ModelJson.h"

#include <cmath>

using namespace Qt::StringLiterals;
using json = nlohmann::ordered_json;

namespace QuantDesk
{

namespace
{

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

json str(const QString& s)
{
    return s.toStdString();
}

json strOrNull(const QString& s)
{
    return s.isEmpty() ? json(nullptr) : json(s.toStdString());
}

json positiveOrNull(qint64 v)
{
    return v > 0 ? json(v) : json(nullptr);
}

double round2(double v)
{
    return std::round(v * 100.0) / 100.0;
}

json notes(const QStringList& list)
{
    json a = json::array();
    for (const QString& n : list)
        a.push_back(str(n));
    return a;
}

QString billions(qint64 n)
{
    return QString::number(double(n) / 1e9, 'f', 2) + u" B"_s;
}

// 448308 → "448,308", independent of the locale.
QString grouped(qint64 n)
{
    QString digits = QString::number(n < 0 ? -n : n);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, u',');
    return n < 0 ? u'-' + digits : digits;
}

QString engineName(const QString& engine)
{
    if (engine == u"vllm")
        return u"vLLM"_s;
    if (engine == u"sglang")
        return u"SGLang"_s;
    if (engine == u"trtllm")
        return u"TensorRT-LLM"_s;
    return engine;
}

} // namespace

QString formatBytes(double bytes)
{
    const double a = std::abs(bytes);
    auto num = [](double v) { return QString::number(v, 'f', v == std::floor(v) ? 0 : 2); };
    if (a < 1024)
        return num(bytes) + u" bytes"_s;
    if (a < 1024.0 * 1024.0)
        return num(bytes / 1024.0) + u" KiB"_s;
    if (a < kGiB)
        return num(bytes / (1024.0 * 1024.0)) + u" MiB"_s;
    return QString::number(bytes / kGiB, 'f', 2) + u" GiB"_s;
}

json modelToJson(const ModelInfo& model)
{
    json o;
    o["id_or_path"] = str(model.idOrPath);
    o["source"] = strOrNull(model.source);
    o["location"] = strOrNull(model.location);
    o["quant_method"] = strOrNull(model.quantMethod);
    o["quant_bits"] = model.quantBits > 0 ? json(model.quantBits) : json(nullptr);
    o["quant_format"] = strOrNull(model.quantFormat);
    o["quant_detected_from"] = strOrNull(model.detectedFrom);
    const auto kv = model.kvScales();
    o["kv_scales"] = kv ? json(*kv) : json(nullptr);
    o["kv_scales_from"] = strOrNull(model.kvScalesFrom);
    if (model.config) {
        const ModelConfig& c = *model.config;
        const bool mla = c.attentionKind() == AttentionKind::Mla;
        json a;
        a["model_type"] = strOrNull(c.modelType);
        a["attention"] = str(attentionKindKey(c.attentionKind()));
        a["layers"] = c.numLayers;
        a["hidden_size"] = c.hiddenSize;
        a["attention_heads"] = c.numAttentionHeads;
        a["kv_heads"] = mla ? json(nullptr) : json(c.numKeyValueHeads);
        a["head_dim"] = mla ? json(nullptr) : json(c.headDim);
        a["kv_lora_rank"] = mla ? json(c.kvLoraRank) : json(nullptr);
        a["qk_rope_head_dim"] = mla ? json(c.qkRopeHeadDim) : json(nullptr);
        a["vocab_size"] = c.vocabSize;
        a["dtype"] = strOrNull(c.torchDtype);
        a["experts"] = positiveOrNull(c.numExperts);
        a["experts_per_token"] = c.isMoe() ? json(c.numExpertsPerToken) : json(nullptr);
        a["shared_experts"] = c.isMoe() ? json(c.numSharedExperts) : json(nullptr);
        a["moe_layers"] = c.isMoe() ? json(c.moeLayerCount()) : json(nullptr);
        o["architecture"] = a;
        const ParameterCounts n = c.parameterCounts();
        o["parameters"] = json{{"total", n.total()}, {"active", n.active()}};
    } else {
        o["architecture"] = nullptr;
        o["parameters"] = nullptr;
    }
    o["config_error"] = strOrNull(model.configError);
    o["notes"] = notes(model.notes);
    return o;
}

json memoryToJson(const std::optional<MemoryPrediction>& memory)
{
    if (!memory)
        return nullptr;
    const MemoryPrediction& m = *memory;
    json o;
    o["engine"] = str(m.engine);
    o["tensor_parallel"] = m.tensorParallel;
    o["weights_dtype"] = str(m.storage.denseLabel);
    o["experts_dtype"] = m.moe ? json(m.storage.expertLabel.toStdString()) : json(nullptr);
    o["kv_cache_dtype"] = str(m.storage.kvLabel);
    o["kv_bytes_per_element"] = m.storage.kvBytesPerElement;
    o["weights_bytes"] = m.weightBytes;
    o["weights_gib"] = round2(double(m.weightBytes) / kGiB);
    o["weights_gib_per_gpu"] = round2(double(m.weightBytesPerGpu) / kGiB);
    o["kv_bytes_per_token"] = m.kvBytesPerToken;
    o["kv_bytes_per_token_per_gpu"] = m.kvBytesPerTokenPerGpu;
    o["gpu"] = strOrNull(m.gpuName);
    o["gpu_memory_gib"] = m.gpuMemoryBytes ? json(round2(double(*m.gpuMemoryBytes) / kGiB)) : json(nullptr);
    o["memory_fraction"] = m.memoryFraction;
    o["memory_fraction_key"] = str(m.memoryFractionKey);
    o["memory_fraction_source"] = m.memoryFractionFromParameter ? "parameter" : "default";
    o["kv_cache_memory_bytes"] = m.kvCacheMemoryBytes ? json(*m.kvCacheMemoryBytes) : json(nullptr);
    o["reserve_gib"] = m.gpuMemoryBytes ? json(round2(double(m.reserveBytes) / kGiB)) : json(nullptr);
    o["kv_cache_gib_per_gpu"] =
        m.kvCacheBytesPerGpu ? json(round2(double(*m.kvCacheBytesPerGpu) / kGiB)) : json(nullptr);
    o["kv_capacity_tokens"] = m.kvCapacityTokens ? json(*m.kvCapacityTokens) : json(nullptr);
    o["notes"] = notes(m.notes);
    return o;
}

QStringList modelToText(const ModelInfo& model)
{
    QStringList lines;
    lines << u"Model: %1 (%2%3)"_s.arg(
        model.idOrPath,
        model.source.isEmpty() ? u"unknown"_s : model.source,
        model.location.isEmpty() || model.location == model.idOrPath ? QString() : u", "_s + model.location);
    QString ckpt = model.isPreQuantized()
                       ? u"%1%2 (from %3)"_s.arg(model.quantMethod,
                                                 model.quantBits > 0 ? u" %1-bit"_s.arg(model.quantBits) : QString(),
                                                 model.detectedFrom)
                       : u"not quantized"_s;
    const auto kv = model.kvScales();
    ckpt += u" · KV scales: %1"_s.arg(!kv ? u"unknown"_s : *kv ? u"yes"_s : u"no"_s);
    if (kv)
        ckpt += u" (from %1)"_s.arg(model.kvScalesFrom);
    lines << u"  checkpoint: "_s + ckpt;
    if (model.config) {
        const ModelConfig& c = *model.config;
        const ParameterCounts n = c.parameterCounts();
        QStringList parts;
        if (!c.modelType.isEmpty())
            parts << c.modelType;
        if (c.attentionKind() == AttentionKind::Mla) {
            parts << u"MLA (latent %1 + rope %2)"_s.arg(c.kvLoraRank).arg(c.qkRopeHeadDim);
        } else {
            parts << u"GQA (%1 KV heads × %2)"_s.arg(c.numKeyValueHeads).arg(c.headDim);
        }
        parts << u"%1 layers"_s.arg(c.numLayers);
        if (c.isMoe()) {
            parts << u"MoE %1 experts, top-%2%3"_s.arg(c.numExperts)
                         .arg(c.numExpertsPerToken)
                         .arg(c.numSharedExperts > 0 ? u" + %1 shared"_s.arg(c.numSharedExperts) : QString());
        }
        parts << (c.isMoe() ? u"%1 parameters (%2 active)"_s.arg(billions(n.total()), billions(n.active()))
                            : u"%1 parameters"_s.arg(billions(n.total())));
        lines << u"  architecture: "_s + parts.join(u" · "_s);
    }
    if (!model.configError.isEmpty())
        lines << u"  architecture unknown: "_s + model.configError;
    for (const QString& n : model.notes)
        lines << u"  note: "_s + n;
    return lines;
}

QStringList memoryToText(const std::optional<MemoryPrediction>& memory)
{
    if (!memory)
        return {u"Memory: not predicted (the model's config.json is not known)"_s};
    const MemoryPrediction& m = *memory;
    QStringList lines;
    lines << u"Memory (predicted, %1, TP %2):"_s.arg(engineName(m.engine)).arg(m.tensorParallel);
    QString weights = u"  weights   %1 (%2"_s.arg(formatBytes(double(m.weightBytes)), m.storage.denseLabel);
    if (m.moe && m.storage.expertLabel != m.storage.denseLabel)
        weights += u"; experts %1"_s.arg(m.storage.expertLabel);
    weights += u')';
    if (m.tensorParallel > 1)
        weights += u", %1 per GPU"_s.arg(formatBytes(double(m.weightBytesPerGpu)));
    lines << weights;
    QString kv = u"  KV cache  %1 per token (%2)"_s.arg(formatBytes(double(m.kvBytesPerToken)), m.storage.kvLabel);
    if (m.kvBytesPerTokenPerGpu != m.kvBytesPerToken)
        kv += u", %1 per GPU"_s.arg(formatBytes(double(m.kvBytesPerTokenPerGpu)));
    lines << kv;
    if (m.kvCacheBytesPerGpu && *m.kvCacheBytesPerGpu <= 0) {
        lines << u"  capacity  none: the weights leave no memory for the KV cache on %1 (%2)"_s.arg(
            m.gpuName.isEmpty() ? u"the GPU"_s : m.gpuName, formatBytes(double(m.gpuMemoryBytes.value_or(0))));
    } else if (m.kvCapacityTokens && m.kvCacheBytesPerGpu) {
        const QString budget = m.kvCacheMemoryBytes
                                   ? u"kv-cache-memory-bytes"_s
                                   : u"%1 %2%3"_s.arg(m.memoryFractionKey)
                                         .arg(m.memoryFraction, 0, 'f', 2)
                                         .arg(m.memoryFractionFromParameter ? QString() : u" (default)"_s);
        lines << u"  capacity  %1 tokens: %2 of KV cache per GPU on %3 (%4), %5, %6 reserve"_s.arg(
            grouped(*m.kvCapacityTokens),
            formatBytes(double(*m.kvCacheBytesPerGpu)),
            m.gpuName.isEmpty() ? u"the GPU"_s : m.gpuName,
            formatBytes(double(m.gpuMemoryBytes.value_or(0))),
            budget,
            formatBytes(double(m.reserveBytes)));
    }
    for (const QString& n : m.notes)
        lines << u"  note: "_s + n;
    return lines;
}

} // namespace QuantDesk

#include "QuantConfig.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

QString fieldKey(QuantField field)
{
    return fieldShortName(field) + u"_dtype"_s;
}

QString fieldShortName(QuantField field)
{
    switch (field) {
    case QuantField::Gemm:
        return u"gemm"_s;
    case QuantField::KvCache:
        return u"kvcache"_s;
    case QuantField::Attention:
        return u"attention"_s;
    case QuantField::Moe:
        return u"moe"_s;
    }
    return {};
}

QString fieldLabel(QuantField field)
{
    switch (field) {
    case QuantField::Gemm:
        return u"GEMM"_s;
    case QuantField::KvCache:
        return u"KV cache"_s;
    case QuantField::Attention:
        return u"Attention"_s;
    case QuantField::Moe:
        return u"MoE"_s;
    }
    return {};
}

std::optional<QuantField> fieldFromName(const QString& name)
{
    const QString n = name.trimmed().toLower();
    for (const QuantField f : kQuantFields) {
        if (n == fieldShortName(f) || n == fieldKey(f))
            return f;
    }
    if (n == u"kv" || n == u"kv_cache" || n == u"kv-cache" || n == u"kv_cache_dtype")
        return QuantField::KvCache;
    if (n == u"attn" || n == u"fmha")
        return QuantField::Attention;
    return std::nullopt;
}

const QStringList& fieldValues(QuantField field)
{
    static const QStringList gemm{u"auto"_s, u"float16"_s, u"bfloat16"_s, u"float32"_s, u"fp8"_s, u"int8"_s};
    static const QStringList kv{
        u"auto"_s, u"fp16"_s, u"bfloat16"_s, u"fp8"_s, u"fp8_e5m2"_s, u"fp8_e4m3"_s, u"int8"_s, u"int4"_s};
    static const QStringList attention{
        u"auto"_s, u"float16"_s, u"bfloat16"_s, u"fp8"_s, u"fp8_e5m2"_s, u"fp8_e4m3"_s, u"fp8_block"_s};
    static const QStringList moe{u"auto"_s, u"float16"_s, u"bfloat16"_s, u"fp8"_s, u"w4afp8"_s, u"mxfp4"_s, u"int8"_s};
    switch (field) {
    case QuantField::Gemm:
        return gemm;
    case QuantField::KvCache:
        return kv;
    case QuantField::Attention:
        return attention;
    case QuantField::Moe:
        return moe;
    }
    return gemm;
}

bool isValidFieldValue(QuantField field, const QString& value)
{
    return fieldValues(field).contains(value);
}

QString valueDescription(QuantField field, const QString& value)
{
    if (value == u"auto") {
        switch (field) {
        case QuantField::Gemm:
            return u"Model's own dtype; a pre-quantized checkpoint is detected from its config."_s;
        case QuantField::KvCache:
            return u"KV cache in the model dtype (BF16/FP16): no KV quantization."_s;
        case QuantField::Attention:
            return u"Attention computes in the model dtype."_s;
        case QuantField::Moe:
            return u"Experts in the model dtype: no MoE quantization."_s;
        }
    }
    static const QHash<QString, QString> common{
        {u"float16"_s, u"IEEE half precision (FP16): 5 exponent bits, 10 mantissa bits."_s},
        {u"fp16"_s, u"IEEE half precision (FP16): 5 exponent bits, 10 mantissa bits."_s},
        {u"bfloat16"_s, u"bfloat16: FP32's 8-bit exponent range with 7 mantissa bits."_s},
        {u"float32"_s, u"Full FP32: twice the memory of BF16 and slow on tensor cores."_s},
        {u"fp8"_s, u"8-bit float; engines read plain fp8 as E4M3 (more precision, needs scales)."_s},
        {u"fp8_e4m3"_s,
         u"FP8 E4M3: 4 exponent and 3 mantissa bits. More precise than E5M2 but a smaller range, so it needs "
         "calibrated scales (scale 1.0 otherwise)."_s},
        {u"fp8_e5m2"_s,
         u"FP8 E5M2: 5 exponent and 2 mantissa bits. Wider range, less precise; safe without scales but a "
         "storage-only format (no FP8 math on it)."_s},
        {u"fp8_block"_s, u"Block-scaled FP8 (a weight format in the engines, not an attention mode)."_s},
        {u"int8"_s, u"8-bit integers; needs scales and usually a pre-quantized checkpoint."_s},
        {u"int4"_s, u"4-bit integers; a quarter of BF16's memory."_s},
        {u"w4afp8"_s, u"INT4 weights with FP8 activations (W4A8) for the experts; needs a W4AFP8 checkpoint."_s},
        {u"mxfp4"_s, u"OCP microscaling FP4 (E2M1 with a shared 8-bit scale per 32 values) for the experts."_s},
    };
    if (field == QuantField::Gemm && value == u"fp8")
        return u"FP8 W8A8 GEMMs, quantized online from a BF16/FP16 checkpoint (native on compute capability 8.9+)."_s;
    if (field == QuantField::Gemm && value == u"int8")
        return u"INT8 W8A8 GEMMs; no engine quantizes this online, it needs an INT8 checkpoint."_s;
    if (field == QuantField::Attention && value == u"fp8")
        return u"FP8 attention (Q·K/V in FP8); engines derive it from an FP8 (E4M3) KV cache."_s;
    if (field == QuantField::Moe && value == u"fp8")
        return u"FP8 experts (W8A8)."_s;
    if (field == QuantField::Moe && value == u"int8")
        return u"INT8 experts (weight-only online in vLLM, W8A8 checkpoint in SGLang)."_s;
    return common.value(value);
}

QString QuantConfig::value(QuantField field) const
{
    switch (field) {
    case QuantField::Gemm:
        return gemm;
    case QuantField::KvCache:
        return kvcache;
    case QuantField::Attention:
        return attention;
    case QuantField::Moe:
        return moe;
    }
    return {};
}

void QuantConfig::setValue(QuantField field, const QString& value)
{
    switch (field) {
    case QuantField::Gemm:
        gemm = value;
        break;
    case QuantField::KvCache:
        kvcache = value;
        break;
    case QuantField::Attention:
        attention = value;
        break;
    case QuantField::Moe:
        moe = value;
        break;
    }
}

bool QuantConfig::isValid(QString* error) const
{
    for (const QuantField f : kQuantFields) {
        if (!isValidFieldValue(f, value(f))) {
            if (error) {
                *error = u"%1: '%2' is not a valid value (valid: %3)"_s.arg(
                    fieldKey(f), value(f), fieldValues(f).join(u", "_s));
            }
            return false;
        }
    }
    return true;
}

bool QuantConfig::isBaseline() const
{
    return *this == QuantConfig{};
}

QString QuantConfig::slug() const
{
    if (isBaseline())
        return u"baseline"_s;
    QStringList parts;
    static const std::array<QString, 4> shortKeys{u"gemm"_s, u"kv"_s, u"attn"_s, u"moe"_s};
    for (std::size_t i = 0; i < kQuantFields.size(); ++i) {
        const QString v = value(kQuantFields[i]);
        if (v != u"auto")
            parts << shortKeys[i] + u'-' + QString(v).replace(u'_', u'-');
    }
    return parts.join(u'_');
}

QString QuantConfig::summary() const
{
    QStringList parts;
    for (const QuantField f : kQuantFields)
        parts << fieldShortName(f) + u'=' + value(f);
    return parts.join(u' ');
}

} // namespace QuantDesk

#include "ModelInfo.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;
using json = nlohmann::json;

namespace QuantDesk {

bool ModelInfo::hasFp8FamilyWeights() const
{
    return quantMethod == u"fp8" || quantMethod == u"fp8_block" || quantMethod == u"nvfp4" ||
           quantMethod == u"modelopt_fp8" || quantMethod == u"w4a8_nvfp4_fp8";
}

QString detectQuantizationFromName(const QString& idOrPath)
{
    const QString n = idOrPath.toLower();
    if (n.isEmpty())
        return {};
    if (n.contains(u"awq"))
        return u"awq"_s;
    if (n.contains(u"gptq"))
        return u"gptq"_s;
    if (n.contains(u"gguf"))
        return u"gguf"_s;
    if (n.contains(u"w4afp8") || n.contains(u"w4a8"))
        return u"w4afp8"_s;
    if (n.contains(u"mxfp4"))
        return u"mxfp4"_s;
    if (n.contains(u"nvfp4") || n.contains(u"fp4"))
        return u"nvfp4"_s;
    if (n.contains(u"fp8"))
        return u"fp8"_s;
    if (n.contains(u"w8a8") || n.contains(u"int8"))
        return u"int8"_s;
    return {};
}

namespace {

json readJson(const QString& path)
{
    QFile f(path);
    if (f.size() > 16 * 1024 * 1024 || !f.open(QIODevice::ReadOnly))
        return json();
    const QByteArray data = f.readAll();
    return json::parse(data.constBegin(), data.constEnd(), nullptr, false);
}

QString normaliseMethod(QString m)
{
    m = m.toLower();
    if (m == u"fp8_block_scales" || m == u"fp8_per_channel_per_token")
        return u"fp8"_s;
    if (m == u"modelopt" || m == u"modelopt_fp8")
        return u"fp8"_s;
    if (m == u"modelopt_fp4" || m == u"w4a8_nvfp4_fp8")
        return u"nvfp4"_s;
    if (m == u"w4a8_awq")
        return u"w4afp8"_s;
    if (m == u"w8a8_sq_per_channel" || m == u"int8" || m == u"w8a8_int8")
        return u"int8"_s;
    return m;
}

} // namespace

ModelInfo inspectModel(const QString& idOrPath)
{
    ModelInfo info;
    info.idOrPath = idOrPath;
    const QFileInfo fi(idOrPath);
    if (!idOrPath.isEmpty() && fi.isDir()) {
        const QDir dir(idOrPath);
        const json hq = readJson(dir.filePath(u"hf_quant_config.json"_s));
        if (hq.is_object() && hq.contains("quantization") && hq["quantization"].is_object()) {
            const json& q = hq["quantization"];
            if (q.contains("quant_algo") && q["quant_algo"].is_string()) {
                info.quantMethod = normaliseMethod(QString::fromStdString(q["quant_algo"].get<std::string>()));
                info.detectedFrom = u"hf_quant_config.json"_s;
            }
            if (q.contains("kv_cache_quant_algo")) {
                info.kvScalesKnown = true;
                info.hasKvScales = q["kv_cache_quant_algo"].is_string();
            }
        }
        const json cfg = readJson(dir.filePath(u"config.json"_s));
        if (info.quantMethod.isEmpty() && cfg.is_object() && cfg.contains("quantization_config") &&
            cfg["quantization_config"].is_object()) {
            const json& qc = cfg["quantization_config"];
            if (qc.contains("quant_method") && qc["quant_method"].is_string()) {
                info.quantMethod = normaliseMethod(QString::fromStdString(qc["quant_method"].get<std::string>()));
                info.detectedFrom = u"config.json"_s;
            }
            if (qc.contains("kv_cache_scheme")) {
                info.kvScalesKnown = true;
                info.hasKvScales = !qc["kv_cache_scheme"].is_null();
            }
        }
        if (!info.quantMethod.isEmpty() || cfg.is_object())
            return info; // a readable checkpoint: trust its files over its name
    }
    info.quantMethod = detectQuantizationFromName(idOrPath);
    if (!info.quantMethod.isEmpty())
        info.detectedFrom = u"name"_s;
    return info;
}

} // namespace QuantDesk

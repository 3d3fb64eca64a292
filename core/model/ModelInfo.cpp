#include "ModelInfo.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/model/HfCache.h"

using namespace Qt::StringLiterals;
using json = nlohmann::json;

namespace QuantDesk
{

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

bool isKvScaleTensorName(const QString& name)
{
    return name.endsWith(u".k_scale") || name.endsWith(u".v_scale") || name.endsWith(u".kv_scale") ||
           name.endsWith(u".k_proj.output_scale") || name.endsWith(u".v_proj.output_scale") || name == u"k_scale" ||
           name == u"v_scale" || name == u"kv_scale";
}

// ---- LocalModelFileReader
// --------------------------------------------------------------------------------------------

LocalModelFileReader::LocalModelFileReader(QString folder, QString sourceKind)
    : m_folder(std::move(folder)), m_sourceKind(std::move(sourceKind))
{}

std::optional<QString> LocalModelFileReader::resolve(const QString& relativePath) const
{
    if (relativePath.startsWith(u'/') || relativePath.split(u'/').contains(u".."_s))
        return std::nullopt;
    return relativePath.isEmpty() ? m_folder : QDir(m_folder).filePath(relativePath);
}

std::optional<QByteArray>
LocalModelFileReader::readFile(const QString& relativePath, qint64 maxBytes, QString* error) const
{
    const auto path = resolve(relativePath);
    if (!path) {
        if (error)
            *error = u"'%1' is not a path inside the model folder"_s.arg(relativePath);
        return std::nullopt;
    }
    const QFileInfo fi(*path);
    if (!fi.exists())
        return std::nullopt;
    QFile f(*path);
    if (fi.isDir() || !f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"cannot read %1: %2"_s.arg(*path, fi.isDir() ? u"is a folder"_s : f.errorString());
        return std::nullopt;
    }
    QByteArray data = f.read(std::max<qint64>(0, maxBytes));
    if (f.error() != QFileDevice::NoError) {
        if (error)
            *error = u"cannot read %1: %2"_s.arg(*path, f.errorString());
        return std::nullopt;
    }
    return data;
}

bool LocalModelFileReader::exists(const QString& relativePath) const
{
    const auto path = resolve(relativePath);
    return path && QFileInfo::exists(*path);
}

// ---- detection from files ------------------------------------------------------------------------------------------

namespace
{

constexpr qint64 kMaxConfigBytes = 16 * 1024 * 1024;
constexpr qint64 kMaxIndexBytes = 64 * 1024 * 1024; // DeepSeek-V3's index is ~9 MB
constexpr qint64 kMaxSafetensorsHeader = 64 * 1024 * 1024;

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

// A JSON object from text, or a discarded value.
json parseObject(const QByteArray& data)
{
    json j = json::parse(data.constBegin(), data.constEnd(), nullptr, false);
    return j.is_object() ? j : json(json::value_t::discarded);
}

QString stringAt(const json& o, const char* key)
{
    const auto it = o.find(key);
    return it != o.end() && it->is_string() ? qs(it->get<std::string>()) : QString();
}

int intAt(const json& o, const char* key, int fallback)
{
    const auto it = o.find(key);
    if (it == o.end() || !it->is_number_integer())
        return fallback;
    const auto v = it->get<std::int64_t>();
    return v >= -1 && v <= 1 << 20 ? int(v) : fallback;
}

struct Quant
{
    QString method;
    int bits = -1;
    int group = 0;
};

// ModelOpt / TensorRT-LLM quant_algo names (hf_quant_config.json, or quantization_config of newer exports).
Quant fromQuantAlgo(const QString& algoIn, int groupSize)
{
    const QString a = algoIn.toUpper();
    if (a.startsWith(u"FP8"))
        return {u"fp8"_s, 8, 0};
    if (a == u"NVFP4" || a == u"NVFP4_AWQ" || a == u"W4A8_NVFP4_FP8" || a == u"W4A16_NVFP4")
        return {u"nvfp4"_s, 4, 16};
    if (a == u"W4A8_AWQ")
        return {u"w4afp8"_s, 4, groupSize > 0 ? groupSize : 128};
    if (a == u"W4A16_AWQ")
        return {u"awq"_s, 4, groupSize > 0 ? groupSize : 128};
    if (a == u"W4A16_GPTQ")
        return {u"gptq"_s, 4, groupSize > 0 ? groupSize : 128};
    if (a.contains(u"MXFP4"))
        return {u"mxfp4"_s, 4, 32};
    if (a == u"MXFP8")
        return {u"mxfp8"_s, 8, 32};
    if (a.startsWith(u"W8A8_SQ") || a == u"INT8" || a == u"W8A16" || a == u"W8A8")
        return {u"int8"_s, 8, 0};
    if (a == u"W4A16" || a == u"INT4_AWQ")
        return {u"int4"_s, 4, groupSize};
    if (a == u"MIXED_PRECISION")
        return {u"mixed"_s, -1, 0};
    return {algoIn.toLower(), -1, 0};
}

// compressed-tensors: what the weights (and input activations) of the Linear layers are.
Quant fromCompressedTensors(const json& qc)
{
    const auto groups = qc.find("config_groups");
    if (groups == qc.end() || !groups->is_object() || groups->empty())
        return {u"compressed-tensors"_s, -1, 0};
    const json* chosen = nullptr;
    for (const auto& [name, g] : groups->items()) {
        if (!g.is_object())
            continue;
        if (!chosen)
            chosen = &g;
        const auto targets = g.find("targets");
        if (targets != g.end() && targets->is_array() && targets->contains("Linear")) {
            chosen = &g;
            break;
        }
    }
    if (!chosen)
        return {u"compressed-tensors"_s, -1, 0};
    const auto w = chosen->find("weights");
    if (w == chosen->end() || !w->is_object())
        return {u"compressed-tensors"_s, -1, 0};
    const int bits = intAt(*w, "num_bits", -1);
    const QString type = stringAt(*w, "type");
    const int group = intAt(*w, "group_size", 0);
    QString actType;
    int actBits = -1;
    if (const auto a = chosen->find("input_activations"); a != chosen->end() && a->is_object()) {
        actType = stringAt(*a, "type");
        actBits = intAt(*a, "num_bits", -1);
    }
    if (type == u"float" && bits == 8)
        return {u"fp8"_s, 8, 0};
    if (type == u"float" && bits == 4)
        return {u"nvfp4"_s, 4, group > 0 ? group : 16};
    if (type == u"int" && bits == 8)
        return {u"int8"_s, 8, std::max(group, 0)};
    if (type == u"int" && bits == 4)
        return {actType == u"float" && actBits == 8 ? u"w4afp8"_s : u"int4"_s, 4, std::max(group, 0)};
    return {u"compressed-tensors"_s, bits, std::max(group, 0)};
}

// quantization_config of config.json.
Quant fromQuantizationConfig(const json& qc)
{
    const QString method = stringAt(qc, "quant_method").toLower();
    const int group = intAt(qc, "group_size", 0);
    if (method.isEmpty())
        return {};
    if (method == u"fp8" || method == u"fbgemm_fp8" || method == u"w8a8_fp8" || method == u"modelopt_fp8")
        return {u"fp8"_s, 8, 0};
    if (method == u"awq" || method == u"awq_marlin" || method == u"auto_awq")
        return {u"awq"_s, intAt(qc, "bits", 4), group};
    if (method == u"gptq" || method == u"gptq_marlin" || method == u"auto_gptq")
        return {u"gptq"_s, intAt(qc, "bits", 4), group};
    if (method == u"compressed-tensors")
        return fromCompressedTensors(qc);
    if (method == u"modelopt") {
        const QString algo = stringAt(qc, "quant_algo");
        return algo.isEmpty() ? Quant{u"fp8"_s, 8, 0} : fromQuantAlgo(algo, group);
    }
    if (method == u"modelopt_fp4")
        return {u"nvfp4"_s, 4, 16};
    if (method == u"mxfp4" || method == u"gpt_oss_mxfp4")
        return {u"mxfp4"_s, 4, 32};
    if (method == u"w8a8_int8" || method == u"int8" || method == u"w8a8_sq_per_channel")
        return {u"int8"_s, 8, 0};
    if (method == u"w4afp8" || method == u"w4a8_awq")
        return {u"w4afp8"_s, 4, group > 0 ? group : 128};
    if (method == u"bitsandbytes") {
        const auto b4 = qc.find("load_in_4bit");
        const auto b8 = qc.find("load_in_8bit");
        const int bits = b4 != qc.end() && b4->is_boolean() && b4->get<bool>()   ? 4
                         : b8 != qc.end() && b8->is_boolean() && b8->get<bool>() ? 8
                                                                                 : -1;
        return {u"bitsandbytes"_s, bits, bits == 4 ? 64 : 0};
    }
    return {method, intAt(qc, "bits", -1), group};
}

struct KvScales
{
    bool known = false;
    bool present = false;
    QString from;
    void set(bool p, const QString& file)
    {
        if (present)
            return; // a positive finding wins
        known = true;
        present = p;
        from = file;
    }
};

// Tensor names from a safetensors file header: 8-byte little-endian length, then a JSON object keyed by name.
std::optional<QStringList> safetensorsNames(const ModelFileReader& reader, const QString& file, QString* error)
{
    const auto head = reader.readFile(file, 8, error);
    if (!head || head->size() < 8)
        return std::nullopt;
    quint64 n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | quint8(head->at(i));
    if (n < 2 || n > quint64(kMaxSafetensorsHeader)) {
        if (error)
            *error = u"%1: implausible safetensors header length %2"_s.arg(file).arg(n);
        return std::nullopt;
    }
    const auto all = reader.readFile(file, qint64(8 + n), error);
    if (!all || quint64(all->size()) < 8 + n)
        return std::nullopt;
    const json h = parseObject(all->mid(8));
    if (h.is_discarded()) {
        if (error)
            *error = u"%1: the safetensors header is not a JSON object"_s.arg(file);
        return std::nullopt;
    }
    QStringList names;
    for (const auto& [name, v] : h.items()) {
        if (name != "__metadata__")
            names << qs(name);
    }
    return names;
}

int bitsFromName(const QString& method, const QString& name)
{
    const QString n = name.toLower();
    if (method == u"fp8" || method == u"int8")
        return 8;
    if (method == u"awq" || method == u"gptq")
        return n.contains(u"8bit") || n.contains(u"int8") || n.contains(u"8-bit") ? 8 : 4;
    if (method == u"nvfp4" || method == u"mxfp4" || method == u"w4afp8")
        return 4;
    return -1;
}

} // namespace

ModelInfo inspectModel(const QString& idOrPath, const ModelFileReader& reader)
{
    ModelInfo info;
    info.idOrPath = idOrPath;
    info.source = reader.sourceKind();
    info.location = reader.location();

    // Reads a file of at most limit bytes. A longer file or a read error goes to *problem, or to the notes.
    auto read = [&](const QString& file, qint64 limit, QString* problem = nullptr) -> std::optional<QByteArray> {
        QString error;
        auto data = reader.readFile(file, limit + 1, &error);
        if (data && data->size() > limit) {
            error = u"%1 is larger than %2 MiB; not read"_s.arg(file).arg(limit / (1024 * 1024));
            data.reset();
        }
        if (!data && !error.isEmpty())
            (problem ? *problem : info.notes.emplace_back()) = error;
        return data;
    };

    // ModelOpt's hf_quant_config.json.
    Quant quant;
    KvScales kv;
    if (const auto data = read(u"hf_quant_config.json"_s, kMaxConfigBytes)) {
        const json hq = parseObject(*data);
        const auto q = hq.is_object() ? hq.find("quantization") : hq.end();
        if (hq.is_discarded()) {
            info.notes << u"hf_quant_config.json is not a JSON object; ignored"_s;
        } else if (q != hq.end() && q->is_object()) {
            const QString algo = stringAt(*q, "quant_algo");
            if (!algo.isEmpty()) {
                quant = fromQuantAlgo(algo, intAt(*q, "group_size", 0));
                info.quantFormat = algo;
                info.detectedFrom = u"hf_quant_config.json"_s;
            }
            if (q->contains("kv_cache_quant_algo"))
                kv.set((*q)["kv_cache_quant_algo"].is_string(), u"hf_quant_config.json"_s);
        }
    }

    // config.json: architecture and quantization_config.
    bool configReadable = false;
    const auto configData = read(u"config.json"_s, kMaxConfigBytes, &info.configError);
    if (!configData) {
        if (info.configError.isEmpty())
            info.configError = u"no config.json in %1"_s.arg(reader.location());
    } else {
        QString error;
        info.config = parseModelConfig(*configData, &error);
        if (!info.config)
            info.configError = u"config.json: "_s + error;
        const json cfg = parseObject(*configData);
        configReadable = !cfg.is_discarded();
        const auto qcIt = configReadable ? cfg.find("quantization_config") : cfg.end();
        if (configReadable && qcIt != cfg.end() && qcIt->is_object()) {
            const json& qc = *qcIt;
            if (quant.method.isEmpty()) {
                quant = fromQuantizationConfig(qc);
                if (!quant.method.isEmpty()) {
                    info.quantFormat = stringAt(qc, "quant_method");
                    info.detectedFrom = u"config.json"_s;
                }
            }
            if (qc.contains("kv_cache_scheme"))
                kv.set(qc["kv_cache_scheme"].is_object(), u"config.json"_s); // compressed-tensors
            if (qc.contains("kv_cache_quant_algo"))
                kv.set(qc["kv_cache_quant_algo"].is_string(), u"config.json"_s); // ModelOpt in config.json
        }
    }

    // Scale tensors: the safetensors index of a sharded checkpoint, else the header of a single file.
    const bool quantizedCheckpoint = !quant.method.isEmpty();
    if (const auto data = read(u"model.safetensors.index.json"_s, kMaxIndexBytes)) {
        const json index = parseObject(*data);
        const auto map = index.is_object() ? index.find("weight_map") : index.end();
        if (map != index.end() && map->is_object()) {
            bool found = false;
            for (const auto& [name, file] : map->items()) {
                if (isKvScaleTensorName(qs(name))) {
                    found = true;
                    break;
                }
            }
            kv.set(found, u"model.safetensors.index.json"_s);
        } else {
            info.notes << u"model.safetensors.index.json has no weight_map; ignored"_s;
        }
    } else if (!kv.present && reader.exists(u"model.safetensors"_s)) {
        QString error;
        if (const auto names = safetensorsNames(reader, u"model.safetensors"_s, &error)) {
            const bool found = std::any_of(names->cbegin(), names->cend(), isKvScaleTensorName);
            kv.set(found, u"model.safetensors"_s);
        } else if (!error.isEmpty()) {
            info.notes << error;
        }
    }
    if (!kv.known && configReadable && !quantizedCheckpoint) {
        // An unquantized checkpoint carries no calibrated KV scales.
        kv.set(false, u"config.json"_s);
    }
    info.kvScalesKnown = kv.known;
    info.hasKvScales = kv.present;
    info.kvScalesFrom = kv.known ? kv.from : QString();

    if (quantizedCheckpoint) {
        info.quantMethod = quant.method;
        info.quantBits = quant.bits;
        info.quantGroupSize = quant.group;
        return info;
    }
    if (configReadable)
        return info; // a readable, unquantized checkpoint: trust its files over its name

    const QString byName = detectQuantizationFromName(idOrPath);
    if (!byName.isEmpty()) {
        info.quantMethod = byName;
        info.detectedFrom = u"name"_s;
        info.quantBits = bitsFromName(byName, idOrPath);
    }
    return info;
}

ModelInfo inspectModel(const QString& idOrPath)
{
    if (!idOrPath.isEmpty() && QFileInfo(idOrPath).isDir())
        return inspectModel(idOrPath, LocalModelFileReader(idOrPath));
    if (HfCache::isModelId(idOrPath)) {
        if (const auto snapshot = HfCache::fromEnvironment().snapshotDir(idOrPath))
            return inspectModel(idOrPath, LocalModelFileReader(*snapshot, u"Hugging Face cache"_s));
    }
    ModelInfo info;
    info.idOrPath = idOrPath;
    if (idOrPath.isEmpty())
        return info;
    info.source = u"name"_s;
    info.quantMethod = detectQuantizationFromName(idOrPath);
    if (!info.quantMethod.isEmpty()) {
        info.detectedFrom = u"name"_s;
        info.quantBits = bitsFromName(info.quantMethod, idOrPath);
    }
    return info;
}

} // namespace QuantDesk

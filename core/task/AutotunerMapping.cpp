#include "AutotunerMapping.h"

#include <QRegularExpression>
#include <charconv>
#include <cmath>
#include <string>

using namespace Qt::StringLiterals;

namespace QuantDesk::AutotunerMapping
{

namespace
{

QString str(const json& v)
{
    return v.is_string() ? QString::fromStdString(v.get<std::string>()) : QString();
}

// Python's repr(float): the shortest round-trip digits; fixed notation for exponents -4..15, else d.ddde±XX.
QString pythonFloat(double d)
{
    if (std::isnan(d))
        return u"nan"_s;
    if (std::isinf(d))
        return d < 0 ? u"-inf"_s : u"inf"_s;
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string s(buf, res.ptr);
    const bool negative = !s.empty() && s.front() == '-';
    if (negative)
        s.erase(0, 1);
    const size_t e = s.find('e');
    const std::string mantissa = s.substr(0, e);
    const int exponent = std::stoi(s.substr(e + 1));
    std::string digits;
    for (const char c : mantissa) {
        if (c != '.')
            digits += c;
    }
    while (digits.size() > 1 && digits.back() == '0')
        digits.pop_back();
    std::string out;
    if (exponent >= -4 && exponent < 16) {
        const int point = exponent + 1; // digits before the decimal point
        if (point <= 0) {
            out = "0." + std::string(static_cast<size_t>(-point), '0') + digits;
        } else if (static_cast<size_t>(point) >= digits.size()) {
            out = digits + std::string(static_cast<size_t>(point) - digits.size(), '0') + ".0";
        } else {
            out = digits.substr(0, static_cast<size_t>(point)) + '.' + digits.substr(static_cast<size_t>(point));
        }
    } else {
        out = digits.substr(0, 1);
        if (digits.size() > 1)
            out += '.' + digits.substr(1);
        const int a = std::abs(exponent);
        out += std::string("e") + (exponent < 0 ? '-' : '+') + (a < 10 ? "0" : "") + std::to_string(a);
    }
    return QString::fromStdString((negative ? "-" : "") + out);
}

bool isTruthy(const json& v)
{
    if (v.is_null())
        return false;
    if (v.is_object() || v.is_array() || v.is_string())
        return !v.empty();
    if (v.is_boolean())
        return v.get<bool>();
    if (v.is_number())
        return v.get<double>() != 0.0;
    return true;
}

void setKey(json& object, const std::string& key, const json& value)
{
    object[key] = value; // an existing key keeps its position, as in a Python dict
}

std::string lstripDashes(const std::string& key)
{
    size_t i = 0;
    while (i < key.size() && key[i] == '-')
        ++i;
    return key.substr(i);
}

} // namespace

QString pythonStr(const json& value)
{
    switch (value.type()) {
    case json::value_t::string:
        return str(value);
    case json::value_t::boolean:
        return value.get<bool>() ? u"True"_s : u"False"_s;
    case json::value_t::null:
        return u"None"_s;
    case json::value_t::number_integer:
        return QString::number(value.get<qint64>());
    case json::value_t::number_unsigned:
        return QString::number(value.get<quint64>());
    case json::value_t::number_float:
        return pythonFloat(value.get<double>());
    default:
        return QString::fromStdString(value.dump()); // containers: not modelled exactly
    }
}

QString detectModelQuantization(const QString& idOrPath, const json& model)
{
    const QString lower = idOrPath.toLower();
    if (lower.contains(u"awq"))
        return u"awq"_s;
    if (lower.contains(u"gptq"))
        return u"gptq"_s;
    if (lower.contains(u"gguf") || idOrPath.endsWith(u".gguf"))
        return u"gguf"_s;
    if (lower.contains(u"nvfp4") || lower.contains(u"fp4"))
        return u"nvfp4"_s;
    if (lower.contains(u"fp8"))
        return u"fp8"_s;
    if (model.is_object()) {
        const auto q = model.find("quantization");
        if (q != model.end())
            return q->is_string() ? str(*q) : pythonStr(*q);
        const auto qc = model.find("quantization_config");
        if (qc != model.end() && qc->is_object()) {
            const auto m = qc->find("quant_method");
            if (m != qc->end())
                return m->is_string() ? str(*m) : pythonStr(*m);
        }
    }
    return {};
}

bool shouldApplyDynamicFp8(const QString& gemm, const QString& modelQuantization)
{
    if (gemm != u"fp8")
        return false;
    static const QStringList offline{u"awq"_s,
                                     u"gptq"_s,
                                     u"gguf"_s,
                                     u"squeezellm"_s,
                                     u"marlin"_s,
                                     u"nvfp4"_s,
                                     u"fp8"_s,
                                     u"bitsandbytes"_s,
                                     u"hqq"_s};
    return !(!modelQuantization.isEmpty() && offline.contains(modelQuantization));
}

QString quantMapperEngine(const QString& baseRuntime)
{
    const QString r = baseRuntime.toLower();
    if (r == u"vllm" || r == u"sglang")
        return r;
    if (r == u"tensorrt_llm" || r == u"trtllm" || r == u"tensorrt-llm")
        return u"trtllm"_s;
    return {};
}

Args quantArgs(const QString& baseRuntime, const QuantConfig& c, const QString& mq)
{
    Args args;
    auto set = [&args](const QString& flag, const QString& value) {
        for (auto& [f, v] : args) {
            if (f == flag) {
                v = value;
                return;
            }
        }
        args << qMakePair(flag, value);
    };
    auto has = [&args](const QString& flag) {
        for (const auto& [f, v] : std::as_const(args)) {
            if (f == flag)
                return true;
        }
        return false;
    };
    const QString engine = quantMapperEngine(baseRuntime);
    if (engine == u"vllm") {
        if (shouldApplyDynamicFp8(c.gemm, mq)) {
            set(u"--quantization"_s, u"fp8"_s);
            set(u"--dtype"_s, u"auto"_s);
        } else if (c.gemm == u"int8") {
            set(u"--quantization"_s, u"int8"_s);
            set(u"--dtype"_s, u"auto"_s);
        } else if (c.gemm != u"auto") {
            set(u"--dtype"_s, c.gemm); // includes the invalid --dtype fp8 for offline-quantized models (§2.10.3)
        } else {
            set(u"--dtype"_s, u"auto"_s);
        }
        if (c.kvcache != u"auto")
            set(u"--kv-cache-dtype"_s, c.kvcache);
        // attention: only a warning; moe: unused.
    } else if (engine == u"sglang") {
        if (c.moe == u"w4afp8" || c.moe == u"mxfp4") {
            set(u"--quantization"_s, c.moe);
            set(u"--dtype"_s, u"auto"_s);
            set(u"--moe-runner-backend"_s, u"flashinfer_mxfp4"_s);
        } else if (shouldApplyDynamicFp8(c.gemm, mq)) {
            set(u"--quantization"_s, u"fp8"_s);
            set(u"--dtype"_s, u"auto"_s);
        } else if (c.gemm == u"int8") {
            set(u"--dtype"_s, u"auto"_s);
        } else if (c.gemm != u"auto") {
            set(u"--dtype"_s, c.gemm);
        } else {
            set(u"--dtype"_s, u"auto"_s);
        }
        if (c.kvcache == u"fp8")
            set(u"--kv-cache-dtype"_s, u"fp8_e5m2"_s);
        else if (c.kvcache == u"fp8_e5m2" || c.kvcache == u"fp8_e4m3")
            set(u"--kv-cache-dtype"_s, c.kvcache);
        if (c.attention == u"fp8" || c.attention == u"fp8_e5m2" || c.attention == u"fp8_e4m3")
            set(u"--attention-backend"_s, u"flashinfer"_s);
        if (c.moe == u"fp8" && !has(u"--quantization"_s))
            set(u"--moe-runner-backend"_s, u"flashinfer_cutlass"_s);
    } else if (engine == u"trtllm") {
        if (shouldApplyDynamicFp8(c.gemm, mq))
            set(u"--quant-algo"_s, u"FP8"_s);
        else if (c.gemm == u"int8")
            set(u"--quant-algo"_s, u"INT8"_s);
        if (c.kvcache.contains(u"fp8"))
            set(u"--kv-cache-quant-algo"_s, u"FP8"_s);
        else if (c.kvcache == u"int8")
            set(u"--kv-cache-quant-algo"_s, u"INT8"_s);
        else if (c.kvcache == u"int4")
            set(u"--kv-cache-quant-algo"_s, u"INT4"_s);
        if (c.attention == u"fp8" || c.attention == u"fp8_e5m2" || c.attention == u"fp8_e4m3")
            set(u"--fmha-quant-algo"_s, u"FP8"_s);
        else if (c.attention == u"fp8_block")
            set(u"--fmha-quant-algo"_s, u"FP8_BLOCK"_s);
    }
    return args;
}

bool validQuantConfig(const json& quantConfig)
{
    if (!quantConfig.is_object())
        return quantConfig.is_null();
    for (const QuantField f : kQuantFields) {
        const auto it = quantConfig.find(fieldKey(f).toStdString());
        if (it == quantConfig.end())
            continue; // auto
        if (!it->is_string() || !isValidFieldValue(f, str(*it)))
            return false;
    }
    return true;
}

json expandQuantConfig(const json& quantConfig)
{
    json spec = json::object();
    if (!isTruthy(quantConfig) || !quantConfig.is_object())
        return spec;
    const auto presets = quantConfig.find("presets");
    if (presets != quantConfig.end()) {
        spec["__quant__preset"] = presets->is_array() ? *presets : json::array({*presets});
        return spec;
    }
    for (const QuantField f : kQuantFields) {
        const std::string key = fieldKey(f).toStdString();
        const auto it = quantConfig.find(key);
        if (it == quantConfig.end())
            continue;
        json values = it->is_array() ? *it : json::array({*it});
        if (values.empty())
            continue;
        spec["__quant__" + key] = values;
    }
    return spec;
}

std::optional<QList<json>> parameterGrid(const json& spec, QString* error)
{
    auto fail = [error](const QString& why) -> std::optional<QList<json>> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!spec.is_object())
        return fail(u"parameters is not an object"_s);
    QList<std::string> names;
    QList<json> values;
    for (auto it = spec.begin(); it != spec.end(); ++it) {
        if (it->is_array()) {
            if (it->empty())
                continue; // empty lists are skipped
            names << it.key();
            values << *it;
        } else if (it->is_object() && it->contains("type")) {
            const json& type = (*it)["type"];
            if (!(type.is_string() && type.get<std::string>() == "choice"))
                return fail(u"Unsupported parameter type: %1"_s.arg(pythonStr(type)));
            const auto v = it->find("values");
            if (v == it->end() || !v->is_array())
                return fail(u"KeyError: 'values' in parameter %1"_s.arg(QString::fromStdString(it.key())));
            if (v->empty())
                continue;
            names << it.key();
            values << *v;
        } else {
            return fail(u"Invalid parameter specification for '%1'. Expected list of values or dict with 'type' and "
                        "'values' keys."_s.arg(QString::fromStdString(it.key())));
        }
    }
    QList<json> grid{json::object()};
    for (qsizetype k = 0; k < names.size(); ++k) {
        if (grid.size() * static_cast<qsizetype>(values.at(k).size()) > 100000)
            return fail(u"the grid has more than 100000 points (not modelled)"_s);
        QList<json> next;
        for (const json& partial : std::as_const(grid)) {
            for (const json& v : values.at(k)) {
                json point = partial;
                point[names.at(k)] = v;
                next << point;
            }
        }
        grid = next;
    }
    return grid;
}

json mergeParameters(const Args& quantArgs, const json& userParameters)
{
    json merged = json::object();
    for (const auto& [flag, value] : quantArgs)
        merged[flag.toStdString()] = value.toStdString();
    if (!userParameters.is_object())
        return merged;
    for (auto it = userParameters.begin(); it != userParameters.end(); ++it) {
        const std::string& key = it.key();
        const std::string cliKey = key.rfind("--", 0) == 0 ? key : "--" + key;
        json value = it.value();
        if (value.is_array()) {
            if (value.empty())
                continue;
            value = value.front();
        }
        if (value.is_boolean())
            setKey(merged, cliKey, value);
        else
            setKey(merged, cliKey, pythonStr(value).toStdString());
    }
    return merged;
}

json prepareRuntimeParameters(const QString& baseRuntime, const json& experiment, const json& model)
{
    json regular = json::object();
    json quant = json::object();
    for (auto it = experiment.begin(); it != experiment.end(); ++it) {
        const std::string& key = it.key();
        if (key.rfind("__quant__", 0) == 0) {
            std::string field = key;
            for (size_t pos; (pos = field.find("__quant__")) != std::string::npos;)
                field.erase(pos, 9);
            quant[field] = it.value();
        } else {
            regular[key] = it.value();
        }
    }
    if (quant.empty())
        return regular;
    const QString idOrPath = model.is_object() && model.contains("id_or_path") ? str(model["id_or_path"]) : QString();
    const QString mq = detectModelQuantization(idOrPath, model);
    json runtimeArgs;
    if (!validQuantConfig(quant)) {
        runtimeArgs = regular; // "Failed to process quantization config": user parameters only
    } else {
        QuantConfig resolved; // missing fields are auto; a preset key is ignored
        for (const QuantField f : kQuantFields) {
            const auto it = quant.find(fieldKey(f).toStdString());
            if (it != quant.end())
                resolved.setValue(f, str(*it));
        }
        const Args args = quantArgs(baseRuntime, resolved, mq);
        if (regular.empty()) {
            runtimeArgs = json::object();
            for (const auto& [flag, value] : args)
                runtimeArgs[flag.toStdString()] = value.toStdString();
        } else {
            runtimeArgs = mergeParameters(args, regular);
        }
    }
    json cleaned = json::object();
    for (auto it = runtimeArgs.begin(); it != runtimeArgs.end(); ++it)
        setKey(cleaned, lstripDashes(it.key()), it.value());
    return cleaned;
}

QStringList commandWords(const json& runtimeParameters)
{
    QString command;
    for (auto it = runtimeParameters.begin(); it != runtimeParameters.end(); ++it) {
        const QString key = QString::fromStdString(it.key());
        const QString cli = key.startsWith(u"--") ? key : u"--"_s + key;
        if (it->is_boolean()) {
            if (it->get<bool>())
                command += u' ' + cli;
        } else {
            command += u' ' + cli + u' ' + pythonStr(*it);
        }
    }
    static const QRegularExpression space(u"\\s+"_s);
    return command.split(space, Qt::SkipEmptyParts);
}

QList<QPair<QString, std::optional<QString>>> flagPairs(const QStringList& words)
{
    QList<QPair<QString, std::optional<QString>>> out;
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString& w = words.at(i);
        if (!w.startsWith(u"--")) {
            out << qMakePair(QString(), std::optional<QString>(w)); // a stray word: kept so that comparisons fail
            continue;
        }
        if (i + 1 < words.size() && !words.at(i + 1).startsWith(u"--")) {
            out << qMakePair(w, std::optional<QString>(words.at(i + 1)));
            ++i;
        } else {
            out << qMakePair(w, std::optional<QString>());
        }
    }
    return out;
}

Run run(const json& task, RunPath path)
{
    Run result;
    if (!task.is_object()) {
        result.error = u"the task is not an object"_s;
        return result;
    }
    const auto params = task.find("parameters");
    if (params == task.end() || !params->is_object()) {
        result.error = u"parameters is missing or not an object"_s;
        return result;
    }
    const auto parallel = task.find("parallel_config");
    if (parallel != task.end() && isTruthy(*parallel)) {
        result.error = u"parallel_config is not modelled"_s;
        return result;
    }
    json spec = *params;
    if (path == RunPath::WebWorker) {
        const auto qc = task.find("quant_config");
        if (qc != task.end()) {
            const json quantSpec = expandQuantConfig(*qc);
            for (auto it = quantSpec.begin(); it != quantSpec.end(); ++it)
                setKey(spec, it.key(), it.value()); // quant keys override same-named keys
        }
    }
    for (auto it = spec.begin(); it != spec.end(); ++it) {
        if (it.key().rfind("__parallel__", 0) == 0) {
            result.error = u"__parallel__ parameters are not modelled"_s;
            return result;
        }
    }
    QString error;
    auto grid = parameterGrid(spec, &error);
    if (!grid) {
        result.error = error;
        return result;
    }
    const auto opt = task.find("optimization");
    qint64 cap = path == RunPath::WebWorker ? 100 : grid->size();
    if (opt != task.end() && opt->is_object()) {
        const auto mi = opt->find("max_iterations");
        if (mi != opt->end() && mi->is_number_integer())
            cap = mi->get<qint64>();
    }
    if (cap >= 0 && grid->size() > cap)
        grid->resize(cap);
    const QString runtime = task.contains("base_runtime") ? str(task["base_runtime"]) : QString();
    const json model = task.contains("model") ? task["model"] : json::object();
    for (const json& point : std::as_const(*grid)) {
        Experiment e;
        e.parameters = point;
        e.runtimeParameters = prepareRuntimeParameters(runtime, point, model);
        e.words = commandWords(e.runtimeParameters);
        result.experiments << e;
    }
    return result;
}

} // namespace QuantDesk::AutotunerMapping

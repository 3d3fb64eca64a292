#include "ui/TaskState.h"

#include "core/engines/Mapper.h"
#include "core/task/TaskPlan.h"

using namespace Qt::StringLiterals;
using Json = nlohmann::ordered_json;

namespace QuantDesk
{

QString parameterValuesToText(const Json& values)
{
    QStringList words;
    if (!values.is_array())
        return jsonText(values);
    for (const Json& v : values)
        words << jsonText(v);
    return words.join(u", "_s);
}

Json parameterValuesFromText(const QString& text)
{
    Json values = Json::array();
    for (const QString& raw : text.split(u',', Qt::SkipEmptyParts)) {
        const QString w = raw.trimmed();
        if (w.isEmpty())
            continue;
        // Numbers and booleans as JSON reads them (1 stays an integer, 1.0 a float); anything else is a string.
        const Json parsed = Json::parse(toStd(w), nullptr, false);
        if (!parsed.is_discarded() && (parsed.is_number() || parsed.is_boolean()))
            values.push_back(parsed);
        else
            values.push_back(toStd(w));
    }
    return values;
}

QString QuantChoice::label() const
{
    return preset.isEmpty() ? config.slug() : preset;
}

TaskState TaskState::defaults()
{
    TaskState s;
    s.optimization = Json{{"strategy", "grid_search"},
                          {"objective", "maximize_throughput"},
                          {"max_iterations", 10},
                          {"timeout_per_iteration", 900}};
    s.benchmark = Json{{"task", "text-to-text"},
                       {"traffic_scenarios", Json::array({"D(100,100)"})},
                       {"num_concurrency", Json::array({1, 4, 8})},
                       {"max_time_per_iteration", 10},
                       {"max_requests_per_iteration", 50},
                       {"additional_params", Json{{"temperature", 0.0}}}};
    s.quant.preset = u"default"_s;
    return s;
}

QList<QPair<QString, QString>> TaskState::previewParameters() const
{
    // The same rule as the core's task plan, so the preview and the exported task agree.
    QList<QPair<QString, QString>> out;
    for (const ParameterEntry& p : parameters) {
        const QString key = p.key.trimmed();
        if (key.isEmpty() || key.startsWith(u"__") || !p.values.is_array() || p.values.empty())
            continue;
        const Json& first = p.values.front();
        if (!(first.is_string() || first.is_number() || first.is_boolean()))
            continue;
        out.append({key, parameterValueText(first)});
    }
    return out;
}

QList<QuantChoice> TaskState::exportedChoices() const
{
    return comparison.isEmpty() ? QList<QuantChoice>{quant} : comparison;
}

QString jsonString(const Json& object, const char* key, const QString& fallback)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : fallback;
}

int jsonInt(const Json& object, const char* key, int fallback)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? static_cast<int>(it->get<double>()) : fallback;
}

QString effectiveEngineVersion(const TaskState& state)
{
    if (!state.engineVersion.isEmpty())
        return state.engineVersion;
    TaskDocument d;
    d.setValue(u"base_runtime"_s, toStd(state.engine));
    return resolveTaskTarget(d).engineVersion;
}

EngineCommand
buildTaskCommand(const TaskState& state, const QString& engine, const QuantConfig& config, const ModelInfo& model)
{
    const bool own = engine == state.engine;
    MapRequest request;
    request.config = config;
    request.engineVersion = own ? effectiveEngineVersion(state) : QString();
    request.profile = ProfileRegistry::builtIn().select(engine, request.engineVersion, &request.profileNote);
    request.model = model;
    request.gpu = state.gpu;
    if (own)
        request.parameters = state.previewParameters();
    if (!request.profile) {
        EngineCommand unknown;
        unknown.engine = engine;
        unknown.diagnostics.append(Diagnostic{u"ENGINE-UNKNOWN"_s,
                                              Severity::Error,
                                              u"engine"_s,
                                              u"no engine profile for '%1'"_s.arg(engine),
                                              u"pick vLLM, SGLang or TensorRT-LLM"_s,
                                              {}});
        return unknown;
    }
    return buildEngineCommand(request);
}

} // namespace QuantDesk

#include "TaskPlan.h"

#include <QHash>
#include <QRegularExpression>

#include "core/engines/Mapper.h"
#include "core/model/ModelInfo.h"
#include "core/task/AutotunerMapping.h"

using namespace Qt::StringLiterals;
using json = nlohmann::ordered_json;

namespace QuantDesk
{

namespace
{

std::optional<Preset> findPreset(const PresetStore* store, const QString& name)
{
    return store ? store->find(name) : findBuiltInPreset(name);
}

// The Cartesian product of the explicit fields' valid values over a base config, in the autotuner's order (fields in
// gemm, kvcache, attention, moe order; the last one varies fastest). Empty lists leave the field as it is.
QList<QuantConfig> expandFields(const QuantConfig& base, const QMap<QuantField, QStringList>& fields)
{
    QList<QuantConfig> out{base};
    for (const QuantField f : kQuantFields) {
        QStringList values;
        for (const QString& v : fields.value(f)) {
            if (isValidFieldValue(f, v))
                values << v;
        }
        if (values.isEmpty())
            continue;
        QList<QuantConfig> next;
        for (const QuantConfig& c : std::as_const(out)) {
            for (const QString& v : std::as_const(values)) {
                QuantConfig n = c;
                n.setValue(f, v);
                next << n;
            }
        }
        out = next;
    }
    return out;
}

// How many configs expandFields gives (saturating).
qint64 expandedCount(const QMap<QuantField, QStringList>& fields)
{
    qint64 n = 1;
    for (const QuantField f : kQuantFields) {
        qint64 valid = 0;
        for (const QString& v : fields.value(f)) {
            if (isValidFieldValue(f, v))
                ++valid;
        }
        if (valid > 0)
            n = std::min<qint64>(n * valid, TaskPlan::kMaxConfigs + 1);
    }
    return n;
}

// Flag order does not matter to the engines' parsers: two commands are the same when they have the same flags.
QString commandKey(const EngineCommand& c)
{
    QStringList flags;
    for (const CommandFlag& f : c.flags)
        flags << f.flag + QChar(0x1F) + f.value.value_or(QString()) + (f.value ? u"="_s : u"!"_s);
    flags.sort();
    return flags.join(QChar(0x1E)) + QChar(0x1D) + c.configYaml();
}

} // namespace

QString parameterValueText(const json& value)
{
    if (value.is_boolean())
        return value.get<bool>() ? u"true"_s : u"false"_s;
    if (value.is_number())
        return AutotunerMapping::pythonStr(value); // what the autotuner passes on: 0.85, 1.0, 1e-05
    return jsonText(value);
}

TaskTarget resolveTaskTarget(const TaskDocument& doc)
{
    TaskTarget t;
    const QString runtime = doc.baseRuntime().trimmed().toLower();
    if (runtime == u"vllm" || runtime == u"sglang") {
        t.engine = runtime;
        t.exactAlias = true;
    } else if (runtime == u"trtllm" || runtime == u"tensorrt_llm" || runtime == u"tensorrt-llm") {
        t.engine = u"trtllm"_s;
        t.exactAlias = true;
    } else if (runtime.startsWith(u"sglang")) {
        t.engine = u"sglang"_s;
        t.matchedByPrefix = true;
    } else if (runtime.startsWith(u"vllm")) {
        t.engine = u"vllm"_s;
        t.matchedByPrefix = true;
    }
    if (t.engine.isEmpty())
        return t;
    const QString tag = doc.runtimeImageTag();
    static const QRegularExpression versionRe(u"(\\d+\\.\\d+(?:\\.\\d+)*(?:(?:rc|post|a|b|dev)\\.?\\d+)?)"_s);
    if (!tag.isEmpty()) {
        const auto m = versionRe.match(tag);
        if (m.hasMatch())
            t.engineVersion = m.captured(1);
    } else if (t.engine == u"sglang" && doc.deploymentMode() == u"docker") {
        t.engineVersion = u"0.5.2"_s; // the autotuner's default Docker image: lmsysorg/sglang:v0.5.2-cu126
    }
    t.profile = ProfileRegistry::builtIn().select(t.engine, t.engineVersion, &t.profileNote);
    return t;
}

namespace
{

// What the task itself says about the checkpoint's quantization: model.quantization, else
// model.quantization_config.quant_method (the autotuner's detect_model_quantization, after the name).
std::optional<QPair<QString, QString>> declaredQuantization(const TaskDocument& doc)
{
    const json& root = doc.json();
    const auto model = root.find("model");
    if (model == root.end() || !model->is_object())
        return std::nullopt;
    const auto q = model->find("quantization");
    if (q != model->end() && q->is_string() && !q->get<std::string>().empty())
        return qMakePair(QString::fromStdString(q->get<std::string>()).toLower(), u"the task's model.quantization"_s);
    const auto qc = model->find("quantization_config");
    if (qc != model->end() && qc->is_object()) {
        const auto m = qc->find("quant_method");
        if (m != qc->end() && m->is_string() && !m->get<std::string>().empty())
            return qMakePair(QString::fromStdString(m->get<std::string>()).toLower(),
                             u"the task's model.quantization_config"_s);
    }
    return std::nullopt;
}

} // namespace

ModelInfo taskModelInfo(const TaskDocument& doc)
{
    return taskModelInfo(doc, inspectModel(doc.modelIdOrPath()));
}

ModelInfo taskModelInfo(const TaskDocument& doc, ModelInfo inspected)
{
    inspected.idOrPath = doc.modelIdOrPath();
    // The checkpoint's own files are the truth; then, as the autotuner detects it, the name before the task's keys.
    if (inspected.isPreQuantized())
        return inspected;
    if (const auto declared = declaredQuantization(doc)) {
        inspected.quantMethod = declared->first;
        inspected.detectedFrom = declared->second;
    }
    return inspected;
}

EngineCommand
previewCommand(const TaskPlan& plan, const QuantConfig& config, const QList<QPair<QString, QString>>& parameters)
{
    Q_ASSERT(plan.target.profile);
    MapRequest req;
    req.config = config;
    req.profile = plan.target.profile;
    req.engineVersion = plan.target.engineVersion;
    req.profileNote = plan.target.profileNote;
    req.model = plan.model;
    req.parameters = parameters;
    return buildEngineCommand(req);
}

TaskPlan planTask(const TaskDocument& doc, const PresetStore* store)
{
    return planTask(doc, store, taskModelInfo(doc));
}

TaskPlan planTask(const TaskDocument& doc, const PresetStore* store, const ModelInfo& model)
{
    TaskPlan plan;
    plan.target = resolveTaskTarget(doc);
    plan.model = model;
    for (const TaskParameter& p : doc.parameters()) {
        if (p.isReserved())
            continue;
        const QList<json> values = p.values();
        if (values.isEmpty())
            continue; // the autotuner skips empty lists
        const json& first = values.constFirst();
        if (!(first.is_string() || first.is_number() || first.is_boolean()))
            continue; // not a flag value; the validator reports it
        plan.previewParameters << qMakePair(p.key, parameterValueText(first));
    }

    const TaskQuantSpec spec = doc.quantSpec();
    switch (spec.shape) {
    case QuantSpecShape::None:
        plan.configCount = 1;
        break;
    case QuantSpecShape::Explicit:
    case QuantSpecShape::Preset:
        plan.configCount = expandedCount(spec.fields);
        break;
    case QuantSpecShape::Presets:
        plan.configCount = spec.presets.size();
        break;
    }
    if (plan.tooManyConfigs())
        return plan;
    if (plan.previewParameters.size() > TaskPlan::kMaxParameters) {
        plan.tooManyParameters = true;
        return plan;
    }
    struct Candidate
    {
        QString label;
        std::optional<QString> preset;
        QuantConfig config;
        QString pointer;
    };
    QList<Candidate> candidates;
    switch (spec.shape) {
    case QuantSpecShape::None:
        candidates << Candidate{QuantConfig().slug(), std::nullopt, QuantConfig(), u"/quant_config"_s};
        break;
    case QuantSpecShape::Explicit:
        for (const QuantConfig& c : expandFields(QuantConfig(), spec.fields))
            candidates << Candidate{c.slug(), std::nullopt, c, u"/quant_config"_s};
        break;
    case QuantSpecShape::Preset: {
        const auto preset = findPreset(store, spec.preset);
        if (!preset)
            break;
        const QList<QuantConfig> configs = expandFields(preset->config, spec.fields);
        for (const QuantConfig& c : configs) {
            const bool asIs = c == preset->config;
            candidates << Candidate{asIs ? preset->name : c.slug(),
                                    asIs ? std::optional<QString>(preset->name) : std::nullopt,
                                    c,
                                    u"/quant_config/preset"_s};
        }
        break;
    }
    case QuantSpecShape::Presets:
        for (qsizetype i = 0; i < spec.presets.size(); ++i) {
            const auto preset = findPreset(store, spec.presets.at(i));
            if (!preset)
                continue;
            candidates << Candidate{preset->name,
                                    preset->name,
                                    preset->config,
                                    spec.presetsIsList ? u"/quant_config/presets/%1"_s.arg(i)
                                                       : u"/quant_config/presets"_s};
        }
        break;
    }

    QHash<QString, int> seen;
    for (const Candidate& c : std::as_const(candidates)) {
        PlannedConfig pc;
        pc.label = c.label;
        pc.preset = c.preset;
        pc.config = c.config;
        pc.pointer = c.pointer;
        if (plan.target.profile) {
            pc.command = previewCommand(plan, c.config, plan.previewParameters);
            const QString key = commandKey(pc.command);
            const auto it = seen.constFind(key);
            if (it != seen.cend())
                pc.duplicateOf = it.value();
            else
                seen.insert(key, static_cast<int>(plan.configs.size()));
        }
        plan.configs << pc;
    }
    return plan;
}

} // namespace QuantDesk

#include "ui/TaskIo.h"

#include <QFileInfo>

#include "core/quant/Presets.h"
#include "core/task/TaskExporter.h"
#include "core/task/TaskLoader.h"
#include "core/task/TaskPlan.h"
#include "core/task/TaskValidator.h"

using namespace Qt::StringLiterals;
using Json = nlohmann::ordered_json;

namespace QuantDesk
{

namespace
{

// Custom configs in a comparison have no place in the autotuner's quant_config shapes; QuantDesk keeps them in this
// extra top-level key (the autotuner ignores unknown keys; export turns each entry into its own task).
const QString kComparisonKey = u"quantdesk_comparison"_s;

QString versionFromTag(const QString& engine, const QString& tag)
{
    if (tag.isEmpty())
        return {};
    TaskDocument d;
    d.setValue(u"base_runtime"_s, toStd(engine));
    d.setValue(u"runtime_image_tag"_s, toStd(tag));
    return resolveTaskTarget(d).engineVersion;
}

Json explicitFields(const QuantConfig& c)
{
    Json o = Json::object();
    for (const QuantField f : kQuantFields)
        o[toStd(fieldKey(f))] = toStd(c.value(f));
    return o;
}

QuantChoice choiceFor(const QuantConfig& config, const std::optional<QString>& preset, const PresetStore& presets)
{
    return QuantChoice{preset.value_or(presets.matching(config).value_or(QString())), config};
}

bool fail(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return false;
}

std::optional<TaskState> stateFromDocument(const TaskDocument& doc, const PresetStore& presets, QString* error)
{
    TaskState s;
    s.document = doc;
    s.taskName = doc.taskName();
    s.description = doc.description();
    s.model = doc.modelIdOrPath();
    const TaskTarget target = resolveTaskTarget(doc);
    if (target.engine.isEmpty()) {
        fail(error,
             u"/base_runtime: '%1' names no engine QuantDesk knows (vllm, sglang, trtllm)"_s.arg(doc.baseRuntime()));
        return std::nullopt;
    }
    s.engine = target.engine;
    s.engineVersion = versionFromTag(s.engine, doc.runtimeImageTag());
    for (const TaskParameter& p : doc.parameters()) {
        Json values = Json::array();
        for (const Json& v : p.values())
            values.push_back(v);
        s.parameters.append({p.key, values});
    }

    const TaskPlan plan = planTask(doc, &presets);
    if (plan.tooManyConfigs()) {
        fail(error,
             u"/quant_config: %1 configs; QuantDesk edits at most %2"_s.arg(plan.configCount)
                 .arg(TaskPlan::kMaxConfigs));
        return std::nullopt;
    }
    const TaskQuantSpec spec = doc.quantSpec();
    // A preset name QuantDesk cannot resolve cannot be edited without losing it on save: refuse, with where.
    if (spec.shape == QuantSpecShape::Preset && !presets.find(spec.preset)) {
        fail(error, u"/quant_config/preset: unknown preset '%1'"_s.arg(spec.preset));
        return std::nullopt;
    }
    if (spec.shape == QuantSpecShape::Presets) {
        for (qsizetype i = 0; i < spec.presets.size(); ++i) {
            if (!presets.find(spec.presets.at(i))) {
                fail(error, u"/quant_config/presets/%1: unknown preset '%2'"_s.arg(i).arg(spec.presets.at(i)));
                return std::nullopt;
            }
        }
    }
    QList<QuantChoice> choices;
    for (const PlannedConfig& c : plan.configs)
        choices << choiceFor(c.config, c.preset, presets);
    if (choices.isEmpty()) // no quant_config, or nothing valid in it (the validator says what)
        choices << choiceFor(QuantConfig{}, std::nullopt, presets);
    s.quant = choices.constFirst();
    if (choices.size() > 1 || spec.shape == QuantSpecShape::Presets)
        s.comparison = choices;

    const Json& root = doc.json();
    if (const auto it = root.find(toStd(kComparisonKey)); it != root.end() && it->is_array()) {
        s.comparison.clear();
        int i = 0;
        for (const Json& entry : *it) {
            QuantConfig c;
            for (const QuantField f : kQuantFields) {
                const QString v =
                    entry.is_object() ? jsonString(entry, toStd(fieldKey(f)).c_str(), u"auto"_s) : QString();
                if (!isValidFieldValue(f, v)) {
                    fail(error,
                         u"/%1/%2/%3: '%4' is not a valid value"_s.arg(kComparisonKey).arg(i).arg(fieldKey(f), v));
                    return std::nullopt;
                }
                c.setValue(f, v);
            }
            const QString preset = jsonString(entry, "preset");
            s.comparison << QuantChoice{presets.find(preset) ? preset : QString(), c};
            ++i;
        }
        if (!s.comparison.isEmpty())
            s.quant = s.comparison.constFirst();
    }
    if (const auto it = root.find("optimization"); it != root.end() && it->is_object())
        s.optimization = *it;
    else
        s.optimization = Json::object();
    if (const auto it = root.find("benchmark"); it != root.end() && it->is_object())
        s.benchmark = *it;
    else
        s.benchmark = Json::object();
    return s;
}

class CoreTaskIo final : public TaskIo
{
public:
    explicit CoreTaskIo(const PresetStore* presets) : m_presets(presets) {}

    std::optional<TaskState>
    load(const QString& path, const PresetStore& presets, QString* error, QStringList* problems) const override
    {
        const QString name = QFileInfo(path).fileName();
        const TaskLoadResult loaded = TaskLoader::loadFile(path);
        if (!loaded.ok()) {
            QStringList lines;
            for (const TaskProblem& p : loaded.problems) {
                if (p.severity == Severity::Error)
                    lines << p.toCompilerStyle(name);
            }
            fail(error, lines.isEmpty() ? u"%1: not a task document"_s.arg(name) : lines.join(u'\n'));
            return std::nullopt;
        }
        QString why;
        auto state = stateFromDocument(*loaded.document, presets, &why);
        if (!state) {
            fail(error, u"%1: error: %2"_s.arg(name, why));
            return std::nullopt;
        }
        if (problems) {
            QList<TaskProblem> found = TaskValidator::validate(*loaded.document, &presets);
            TaskLoader::locate(found, loaded.source);
            problems->clear();
            for (const TaskProblem& p : std::as_const(found)) {
                if (p.severity != Severity::Info)
                    problems->append(p.toCompilerStyle(name));
            }
        }
        return state;
    }

    bool save(const TaskState& state, const QString& path, QString* error) const override
    {
        return taskDocumentFor(state, m_presets).save(path, error);
    }

    std::optional<ExportOutcome> exportForAutotuner(const TaskState& state,
                                                    const PresetStore& presets,
                                                    const QString& dir,
                                                    QString* error) const override
    {
        const ExportResult all = exportTasks(state, presets);
        ExportOutcome outcome;
        for (const ExportRefusal& refusal : all.refused) {
            outcome.refused << (refusal.pointer.isEmpty()
                                    ? u"%1: %2"_s.arg(refusal.label, refusal.reason)
                                    : u"%1: %2: %3"_s.arg(refusal.label, refusal.pointer, refusal.reason));
        }
        outcome.notes << all.notes;
        if (all.tasks.isEmpty()) {
            fail(error, outcome.refused.isEmpty() ? u"nothing to export"_s : outcome.refused.join(u'\n'));
            return std::nullopt;
        }
        if (!TaskExporter::write(all, dir, &outcome.written, error))
            return std::nullopt;
        return outcome;
    }

private:
    const PresetStore* m_presets;
};

} // namespace

ExportResult exportTasks(const TaskState& state, const PresetStore& presets)
{
    ExportResult all;
    for (const QuantChoice& choice : state.exportedChoices()) {
        TaskState one = state;
        one.comparison.clear();
        one.quant = choice;
        const ExportResult r = TaskExporter::exportTask(taskDocumentFor(one, &presets), &presets);
        all.tasks << r.tasks;
        for (ExportRefusal refusal : r.refused) {
            if (refusal.label.isEmpty())
                refusal.label = choice.label();
            all.refused << refusal;
        }
        all.notes << r.notes;
    }
    return all;
}

TaskDocument taskDocumentFor(const TaskState& s, const PresetStore* presets)
{
    TaskDocument doc = s.document;
    // What the loaded document says; parts the user did not change keep their exact JSON.
    const PresetStore builtInsOnly{QString()};
    const std::optional<TaskState> base =
        doc.json().empty() ? std::nullopt : stateFromDocument(s.document, presets ? *presets : builtInsOnly, nullptr);
    auto changed = [&](auto member) { return !base || (*base).*member != s.*member; };

    if (changed(&TaskState::taskName))
        doc.setTaskName(s.taskName);
    if (changed(&TaskState::description) && (!s.description.isEmpty() || doc.contains(u"description"_s)))
        doc.setValue(u"description"_s, toStd(s.description));
    if (changed(&TaskState::model) || !doc.contains(u"model"_s)) {
        Json model =
            doc.json().contains("model") && doc.json()["model"].is_object() ? doc.json()["model"] : Json::object();
        model["id_or_path"] = toStd(s.model);
        if (!model.contains("namespace"))
            model["namespace"] = "autotuner";
        doc.setValue(u"model"_s, model);
    }
    if (changed(&TaskState::engine))
        doc.setValue(u"base_runtime"_s, toStd(s.engine));
    if (changed(&TaskState::engine) || changed(&TaskState::engineVersion)) {
        const QString tag = doc.runtimeImageTag();
        if (s.engineVersion.isEmpty()) {
            doc.remove(u"runtime_image_tag"_s);
        } else if (versionFromTag(s.engine, tag) != s.engineVersion) {
            const qsizetype dash = tag.indexOf(u'-');
            doc.setValue(u"runtime_image_tag"_s,
                         toStd(u"v"_s + s.engineVersion + (dash >= 0 ? tag.mid(dash) : QString())));
        }
    }
    if (changed(&TaskState::parameters) || !doc.contains(u"parameters"_s)) {
        Json params = Json::object();
        for (const ParameterEntry& p : s.parameters) {
            if (!p.key.trimmed().isEmpty())
                params[toStd(p.key.trimmed())] = p.values;
        }
        doc.setValue(u"parameters"_s, params);
    }
    if (changed(&TaskState::quant) || changed(&TaskState::comparison) || !doc.contains(u"quant_config"_s)) {
        doc.remove(kComparisonKey);
        auto isPreset = [&](const QuantChoice& c) { return !c.preset.isEmpty(); };
        if (s.comparison.isEmpty()) {
            doc.setValue(u"quant_config"_s,
                         isPreset(s.quant) ? Json{{"preset", toStd(s.quant.preset)}} : explicitFields(s.quant.config));
        } else if (std::all_of(s.comparison.cbegin(), s.comparison.cend(), isPreset)) {
            Json names = Json::array();
            for (const QuantChoice& c : s.comparison)
                names.push_back(toStd(c.preset));
            doc.setValue(u"quant_config"_s, Json{{"presets", names}});
        } else {
            doc.setValue(u"quant_config"_s, explicitFields(s.quant.config));
            Json list = Json::array();
            for (const QuantChoice& c : s.comparison) {
                Json o = explicitFields(c.config);
                if (!c.preset.isEmpty())
                    o["preset"] = toStd(c.preset);
                list.push_back(o);
            }
            doc.setValue(kComparisonKey, list);
        }
    }
    if (changed(&TaskState::optimization) || !doc.contains(u"optimization"_s))
        doc.setValue(u"optimization"_s, s.optimization);
    if (changed(&TaskState::benchmark) || !doc.contains(u"benchmark"_s))
        doc.setValue(u"benchmark"_s, s.benchmark);
    return doc;
}

std::unique_ptr<TaskIo> createTaskIo(const PresetStore* presets)
{
    return std::make_unique<CoreTaskIo>(presets);
}

} // namespace QuantDesk

#include "TaskExporter.h"

#include <QDir>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>

#include "core/task/AutotunerMapping.h"
#include "core/task/TaskPlan.h"
#include "core/task/TaskValidator.h"

using namespace Qt::StringLiterals;
using json = nlohmann::ordered_json;

namespace QuantDesk
{

namespace
{

constexpr int kMaxVerifiedExperiments = 64;
constexpr int kMaxGridChecks = 256;

QString flagText(const QString& flag, const std::optional<QString>& value)
{
    return value ? flag + u' ' + *value : flag;
}

// Canonical "--flag value" strings, sorted: aliases and spellings resolved through the profile.
QStringList canonical(const QList<QPair<QString, std::optional<QString>>>& pairs, const EngineProfile& profile)
{
    QStringList out;
    for (const auto& [flag, value] : pairs) {
        // Spellings of one option compare equal; a negated switch (--no-x) stays distinct from the switch itself.
        const QString name = flag.startsWith(u"--no-") ? flag : profile.canonicalName(flag);
        out << flagText(name, value);
    }
    std::sort(out.begin(), out.end());
    return out;
}

QStringList previewFlags(const EngineCommand& command, const EngineProfile& profile)
{
    QList<QPair<QString, std::optional<QString>>> pairs;
    for (const CommandFlag& f : command.flags)
        pairs << qMakePair(f.flag, f.value);
    return canonical(pairs, profile);
}

// The flags that do not come from a parameter, as "--flag value" (sorted).
QStringList quantFlags(const EngineCommand& command)
{
    QStringList out;
    for (const CommandFlag& f : command.flags) {
        if (f.source != u"parameter")
            out << flagText(f.flag, f.value);
    }
    std::sort(out.begin(), out.end());
    return out;
}

QString errorsOf(const EngineCommand& command)
{
    QStringList out;
    for (const Diagnostic& d : command.diagnostics) {
        if (d.severity == Severity::Error)
            out << d.message;
    }
    return out.join(u"; "_s);
}

QString cliKey(const QString& key)
{
    return key.startsWith(u"--") ? key : u"--"_s + key;
}

bool safeFileName(const QString& name)
{
    static const QRegularExpression bad(u"[/\\\\\\x00-\\x1f]"_s);
    return !name.isEmpty() && !name.startsWith(u'.') && name.size() <= 240 && !bad.match(name).hasMatch();
}

class Exporter
{
public:
    Exporter(const TaskDocument& doc, const PresetStore* store) : m_doc(doc), m_store(store) {}

    ExportResult run()
    {
        const QList<TaskProblem> problems = TaskValidator::validate(m_doc, m_store);
        QStringList docErrors;
        for (const TaskProblem& p : problems) {
            if (p.severity == Severity::Error && p.id.startsWith(u"TASK-"))
                docErrors << p.toString();
        }
        if (!docErrors.isEmpty()) {
            refuseAll(u"the task has errors; fix them first (quantdesk-cli validate): %1%2"_s.arg(
                docErrors.mid(0, 3).join(u"; "_s),
                docErrors.size() > 3 ? u"; and %1 more"_s.arg(docErrors.size() - 3) : QString()));
            return m_result;
        }
        for (const TaskParameter& p : m_doc.parameters()) {
            if (p.key.startsWith(u"__quant__")) {
                refuseAll(u"parameters carry %1: QuantDesk exports explicit quant configs; move the values into "
                          "quant_config"_s.arg(p.key),
                          u"/parameters/"_s + p.key);
                return m_result;
            }
        }
        m_plan = planTask(m_doc, m_store);
        const TaskTarget& t = m_plan.target;
        if (!t.profile) {
            refuseAll(u"QuantDesk cannot tell which engine base_runtime '%1' is, so it has no preview to pin"_s.arg(
                          m_doc.baseRuntime()),
                      u"/base_runtime"_s);
            return m_result;
        }
        if (t.engine == u"trtllm") {
            const QString mode = m_doc.deploymentMode();
            refuseAll(mode == u"docker"
                          ? u"TensorRT-LLM cannot run in the autotuner's Docker mode (it has images for sglang and "
                            "vllm only)"_s
                          : u"the autotuner cannot deploy TensorRT-LLM in %1 mode (its runtimes are SGLang and "
                            "vLLM)"_s.arg(mode),
                      u"/base_runtime"_s);
            return m_result;
        }
        m_params = m_doc.parameters();
        m_legacy = m_doc.hasLegacyParameters();
        const json& root = m_doc.json();
        const json model = root.contains("model") ? root["model"] : json::object();
        m_modelQuant = AutotunerMapping::detectModelQuantization(m_doc.modelIdOrPath(), model);
        QSet<QString> names;
        for (const PlannedConfig& pc : std::as_const(m_plan.configs)) {
            if (pc.command.hasErrors()) {
                refuse(pc,
                       u"the %1 command has blocking diagnostics: %2"_s.arg(
                           ProfileRegistry::engineDisplayName(m_plan.target.engine), errorsOf(pc.command)));
                continue;
            }
            if (pc.duplicateOf >= 0) {
                m_result.notes << u"%1 gives the same command as %2: exported once, as %2"_s.arg(
                    pc.label, m_plan.configs.at(pc.duplicateOf).label);
                continue;
            }
            exportConfig(pc, names);
        }
        return m_result;
    }

private:
    void refuseAll(const QString& reason, const QString& pointer = {})
    {
        m_result.refused << ExportRefusal{QString(), pointer, reason};
    }

    void refuse(const PlannedConfig& pc, const QString& reason)
    {
        m_result.refused << ExportRefusal{pc.label, pc.pointer, reason};
    }

    json pinValue(const json& value) const
    {
        if (!m_legacy)
            return json::array({value});
        json legacy = json::object();
        legacy["type"] = "choice";
        legacy["values"] = json::array({value});
        return legacy;
    }

    // Every value a parameter's grid takes, with the index of the parameter in the preview list.
    bool checkGrid(const PlannedConfig& pc)
    {
        const QStringList expected = quantFlags(pc.command);
        int checks = 0;
        for (qsizetype i = 0; i < m_plan.previewParameters.size(); ++i) {
            const QString key = m_plan.previewParameters.at(i).first;
            const auto param =
                std::find_if(m_params.cbegin(), m_params.cend(), [&](const TaskParameter& p) { return p.key == key; });
            if (param == m_params.cend())
                continue;
            const QList<json> values = param->values();
            for (qsizetype v = 1; v < values.size() && checks < kMaxGridChecks; ++v, ++checks) {
                if (!(values.at(v).is_string() || values.at(v).is_number() || values.at(v).is_boolean()))
                    continue;
                QList<QPair<QString, QString>> params = m_plan.previewParameters;
                params[i].second = parameterValueText(values.at(v));
                const EngineCommand other = previewCommand(m_plan, pc.config, params);
                if (other.hasErrors()) {
                    refuse(pc,
                           u"with %1=%2 the command has blocking diagnostics: %3"_s.arg(
                               key, params[i].second, errorsOf(other)));
                    return false;
                }
                if (quantFlags(other) != expected) {
                    refuse(pc,
                           u"with %1=%2 the flags from the quant config change (%3 instead of %4): split the "
                           "parameter grid so that one task has one set of quant flags"_s.arg(
                               key, params[i].second, quantFlags(other).join(u", "_s), expected.join(u", "_s)));
                    return false;
                }
            }
        }
        return true;
    }

    void exportConfig(const PlannedConfig& pc, QSet<QString>& names)
    {
        const EngineCommand& cmd = pc.command;
        if (cmd.hasErrors()) {
            refuse(pc,
                   u"the %1 command has blocking diagnostics: %2"_s.arg(
                       ProfileRegistry::engineDisplayName(m_plan.target.engine), errorsOf(cmd)));
            return;
        }
        if (!cmd.configYaml().isEmpty()) {
            refuse(pc,
                   u"the command needs a %1 file, which the autotuner cannot ship with the task"_s.arg(cmd.configFile));
            return;
        }
        static const QRegularExpression space(u"\\s"_s);
        for (const CommandFlag& f : cmd.flags) {
            if (f.value && (f.value->isEmpty() || f.value->contains(space))) {
                refuse(pc,
                       u"%1 '%2': the autotuner joins the command into one string and splits it on whitespace, "
                       "so the engine would not get this value as one word"_s.arg(f.flag, *f.value));
                return;
            }
        }
        if (!checkGrid(pc))
            return;

        ExportedTask task;
        task.label = pc.label;
        task.preset = pc.preset;
        task.config = pc.config;
        task.command = cmd;

        // Pins: every previewed flag that does not come from a user parameter.
        QSet<QString> userCliKeys;
        for (const TaskParameter& p : std::as_const(m_params))
            userCliKeys.insert(cliKey(p.key));
        json params = json::object();
        for (const CommandFlag& f : cmd.flags) {
            if (f.source == u"parameter")
                continue;
            const QString key = f.flag.mid(2);
            if (userCliKeys.contains(cliKey(key))) {
                refuse(pc,
                       u"the parameter %1 is in the task, yet the preview keeps %2 from %3 (a false switch does "
                       "not remove a flag in QuantDesk's preview, but does in the autotuner)"_s.arg(
                           key, flagText(f.flag, f.value), f.source));
                return;
            }
            params[toStd(key)] = pinValue(f.value ? json(toStd(*f.value)) : json(true));
            task.pinned << key;
        }
        // Suppressions: what the autotuner's own quant mapper would add and nothing above or in the user's parameters
        // overrides.
        for (const auto& [flag, value] : AutotunerMapping::quantArgs(m_doc.baseRuntime(), pc.config, m_modelQuant)) {
            const QString key = flag.mid(2);
            if (task.pinned.contains(key) || userCliKeys.contains(flag))
                continue;
            params[toStd(key)] = pinValue(json(false));
            task.suppressed << key;
            task.notes << u"%1 pinned to false: the autotuner's mapper would add %2"_s.arg(key, flagText(flag, value));
        }
        // The user's own parameters, as written.
        const json& root = m_doc.json();
        const auto userParams = root.find("parameters");
        if (userParams != root.end() && userParams->is_object()) {
            for (auto it = userParams->begin(); it != userParams->end(); ++it)
                params[it.key()] = it.value();
        }

        TaskDocument out = m_doc;
        QString name = m_doc.taskName() + u'-' + pc.label;
        for (int n = 2; names.contains(name); ++n)
            name = m_doc.taskName() + u'-' + pc.label + u'-' + QString::number(n);
        if (!safeFileName(name + u".json"_s)) {
            refuse(pc, u"'%1' cannot be a file name"_s.arg(name));
            return;
        }
        out.setTaskName(name);
        TaskQuantSpec spec;
        spec.shape = QuantSpecShape::Explicit;
        for (const QuantField f : kQuantFields)
            spec.fields.insert(f, {pc.config.value(f)});
        out.setQuantSpec(spec);
        out.setValue(u"parameters"_s, params);

        QString mismatch;
        if (!verify(out, pc, &mismatch, &task.notes)) {
            refuse(pc, u"internal check failed: %1"_s.arg(mismatch));
            return;
        }
        names.insert(name);
        task.taskName = name;
        task.fileName = name + u".json"_s;
        task.document = out;
        m_result.tasks << task;
    }

    // Runs the exported task through the model of the autotuner on both paths and compares every experiment's flags
    // with QuantDesk's preview for the same parameter values.
    bool verify(const TaskDocument& out, const PlannedConfig& pc, QString* mismatch, QStringList* notes) const
    {
        const EngineProfile& profile = *m_plan.target.profile;
        QSet<QString> added;
        for (auto it = out.json()["parameters"].begin(); it != out.json()["parameters"].end(); ++it)
            added.insert(QString::fromStdString(it.key()));
        for (const TaskParameter& p : m_params)
            added.remove(p.key);
        for (const auto path : {AutotunerMapping::RunPath::WebWorker, AutotunerMapping::RunPath::Cli}) {
            const AutotunerMapping::Run run = AutotunerMapping::run(out.json(), path);
            if (!run.error.isEmpty()) {
                notes->append(u"not verified against the autotuner model: %1"_s.arg(run.error));
                return true;
            }
            const QString pathName = path == AutotunerMapping::RunPath::WebWorker ? u"web worker"_s : u"CLI"_s;
            for (qsizetype i = 0; i < run.experiments.size() && i < kMaxVerifiedExperiments; ++i) {
                const AutotunerMapping::Experiment& e = run.experiments.at(i);
                QList<QPair<QString, QString>> params;
                for (auto it = e.parameters.begin(); it != e.parameters.end(); ++it) {
                    const QString key = QString::fromStdString(it.key());
                    if (added.contains(key) || key.startsWith(u"__"))
                        continue;
                    params << qMakePair(key, parameterValueText(it.value()));
                }
                const QStringList expected = previewFlags(previewCommand(m_plan, pc.config, params), profile);
                const QStringList actual = canonical(AutotunerMapping::flagPairs(e.words), profile);
                if (expected != actual) {
                    *mismatch = u"the autotuner's %1 would run experiment %2 with %3, the preview has %4"_s.arg(
                        pathName, QString::number(i + 1), actual.join(u' '), expected.join(u' '));
                    return false;
                }
            }
        }
        return true;
    }

    const TaskDocument& m_doc;
    const PresetStore* m_store;
    TaskPlan m_plan;
    QList<TaskParameter> m_params;
    bool m_legacy = false;
    QString m_modelQuant;
    ExportResult m_result;
};

} // namespace

ExportResult TaskExporter::exportTask(const TaskDocument& doc, const PresetStore* store)
{
    return Exporter(doc, store).run();
}

bool TaskExporter::write(const ExportResult& result, const QString& dir, QStringList* written, QString* error)
{
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = u"%1: cannot create the folder"_s.arg(dir);
        return false;
    }
    for (const ExportedTask& t : result.tasks) {
        const QString path = QDir(dir).filePath(t.fileName);
        if (!t.document.save(path, error))
            return false;
        if (written)
            written->append(path);
    }
    return true;
}

} // namespace QuantDesk

#include "TaskValidator.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include "core/engines/EngineProfile.h"
#include "core/task/JsonLocator.h"
#include "core/task/TaskLoader.h"
#include "core/task/TaskPlan.h"

using namespace Qt::StringLiterals;
using json = nlohmann::ordered_json;

namespace QuantDesk
{

namespace
{

QString kindOf(const json& v)
{
    switch (v.type()) {
    case json::value_t::null:
        return u"null"_s;
    case json::value_t::object:
        return u"an object"_s;
    case json::value_t::array:
        return u"a list"_s;
    case json::value_t::string:
        return u"a string"_s;
    case json::value_t::boolean:
        return u"a boolean"_s;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        return u"an integer"_s;
    case json::value_t::number_float:
        return u"a number"_s;
    default:
        return u"an unsupported value"_s;
    }
}

QString ptr(const QString& parent, const QString& token)
{
    return parent + u'/' + JsonLocator::escapeToken(token);
}

QString ptr(const QString& parent, qsizetype index)
{
    return parent + u'/' + QString::number(index);
}

QString qs(const json& v)
{
    return jsonText(v);
}

// A user-supplied text as it appears inside a message: long ones are cut.
QString shown(const QString& text)
{
    return text.size() > 80 ? text.left(77) + u"..."_s : text;
}

bool isInteger(const json& v)
{
    return v.is_number_integer() || v.is_number_unsigned();
}

double numberOf(const json& v)
{
    return v.is_number() ? v.get<double>() : 0.0;
}

class Validator
{
public:
    Validator(const TaskDocument& doc, const PresetStore* store) : m_doc(doc), m_root(doc.json()), m_store(store) {}

    QList<TaskProblem> run()
    {
        if (!m_root.is_object()) {
            add(Severity::Error, u"TASK-TYPE"_s, {}, u"a task is a JSON object, not %1"_s.arg(kindOf(m_root)));
            return m_out;
        }
        m_target = resolveTaskTarget(m_doc);
        m_spec = m_doc.quantSpec();
        m_mode = m_doc.deploymentMode();
        checkTopLevel();
        checkModel();
        checkRuntime();
        checkOptimization();
        checkParameters();
        checkQuantConfig();
        checkParallel();
        checkBenchmark();
        checkSlo();
        checkOmeAndStorage();
        checkEngine();
        if (m_dropped > 0) {
            TaskProblem p;
            p.severity = m_droppedErrors ? Severity::Error : Severity::Warning;
            p.id = u"TASK-TOO-MANY-PROBLEMS"_s;
            p.message = u"%1 more problems are not shown"_s.arg(m_dropped);
            m_out << p;
        }
        return m_out;
    }

private:
    static constexpr qsizetype kMaxProblems = 500;

    void add(Severity sev, const QString& id, const QString& pointer, const QString& message)
    {
        const QString key = pointer + QChar(0x1F) + message;
        if (m_seen.contains(key))
            return;
        m_seen.insert(key);
        if (m_out.size() >= kMaxProblems) {
            ++m_dropped;
            m_droppedErrors = m_droppedErrors || sev == Severity::Error;
            return;
        }
        TaskProblem p;
        p.severity = sev;
        p.id = id;
        p.pointer = pointer;
        p.message = message;
        m_out << p;
    }

    void error(const QString& id, const QString& pointer, const QString& message)
    {
        add(Severity::Error, id, pointer, message);
    }
    void warning(const QString& id, const QString& pointer, const QString& message)
    {
        add(Severity::Warning, id, pointer, message);
    }
    void info(const QString& id, const QString& pointer, const QString& message)
    {
        add(Severity::Info, id, pointer, message);
    }

    const json* get(const json& object, const char* key) const
    {
        if (!object.is_object())
            return nullptr;
        const auto it = object.find(key);
        return it == object.end() ? nullptr : &*it;
    }

    // A required member of the given type; reports and returns nullptr when missing or mistyped.
    const json*
    required(const json& object, const QString& parent, const char* key, json::value_t type, const QString& why = {})
    {
        const QString p = ptr(parent, QString::fromLatin1(key));
        const json* v = get(object, key);
        if (!v) {
            error(u"TASK-REQUIRED"_s, p, u"missing: required%1"_s.arg(why.isEmpty() ? QString() : u" (%1)"_s.arg(why)));
            return nullptr;
        }
        if (!hasType(*v, type)) {
            error(u"TASK-TYPE"_s, p, u"must be %1, not %2"_s.arg(typeName(type), kindOf(*v)));
            return nullptr;
        }
        return v;
    }

    // An optional member: nullptr when absent (or null, when nullable), reported when mistyped.
    const json*
    optional(const json& object, const QString& parent, const char* key, json::value_t type, bool nullable = true)
    {
        const json* v = get(object, key);
        if (!v || (nullable && v->is_null()))
            return nullptr;
        if (!hasType(*v, type)) {
            error(u"TASK-TYPE"_s,
                  ptr(parent, QString::fromLatin1(key)),
                  u"must be %1, not %2"_s.arg(typeName(type), kindOf(*v)));
            return nullptr;
        }
        return v;
    }

    static bool hasType(const json& v, json::value_t type)
    {
        if (type == json::value_t::number_float)
            return v.is_number();
        if (type == json::value_t::number_integer)
            return isInteger(v);
        return v.type() == type;
    }

    static QString typeName(json::value_t type)
    {
        switch (type) {
        case json::value_t::object:
            return u"an object"_s;
        case json::value_t::array:
            return u"a list"_s;
        case json::value_t::string:
            return u"a string"_s;
        case json::value_t::boolean:
            return u"true or false"_s;
        case json::value_t::number_integer:
            return u"an integer"_s;
        case json::value_t::number_float:
            return u"a number"_s;
        default:
            return u"a value"_s;
        }
    }

    void positiveNumber(const json& object, const QString& parent, const char* key, bool integer)
    {
        const json* v =
            optional(object, parent, key, integer ? json::value_t::number_integer : json::value_t::number_float);
        if (v && !(numberOf(*v) > 0)) {
            error(u"TASK-NUMBER"_s,
                  ptr(parent, QString::fromLatin1(key)),
                  u"must be greater than 0, not %1"_s.arg(qs(*v)));
        }
    }

    void
    unknownKeys(const json& object, const QString& parent, const QStringList& known, Severity sev, const QString& what)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString key = QString::fromStdString(it.key());
            if (!known.contains(key)) {
                add(sev,
                    u"TASK-UNKNOWN-KEY"_s,
                    ptr(parent, key),
                    u"not a key the autotuner reads in %1 (known: %2); it is ignored and kept on save"_s.arg(
                        what, known.join(u", "_s)));
            }
        }
    }

    // ---- top level ----------------------------------------------------------------------------------------------
    void checkTopLevel()
    {
        if (const json* name = required(m_root, {}, "task_name", json::value_t::string)) {
            const QString n = qs(*name);
            static const QRegularExpression safe(u"^[A-Za-z0-9._-]+$"_s);
            if (n.trimmed().isEmpty()) {
                error(u"TASK-NAME"_s, u"/task_name"_s, u"must not be empty"_s);
            } else if (n.contains(u'/') || n.contains(u'\\') || n.contains(QChar(0)) || n == u"." || n == u"..") {
                error(u"TASK-NAME"_s,
                      u"/task_name"_s,
                      u"'%1' contains a path separator: the autotuner writes results/<task_name>_results.json, and "
                      "export names files after it"_s.arg(shown(n)));
            } else if (!safe.match(n).hasMatch()) {
                warning(
                    u"TASK-NAME"_s,
                    u"/task_name"_s,
                    u"'%1' has characters other than letters, digits, '.', '_' and '-': the autotuner rewrites them "
                    "in container names"_s.arg(shown(n)));
            } else if (n.size() > 200) {
                warning(u"TASK-NAME"_s,
                        u"/task_name"_s,
                        u"is %1 characters long; file systems allow 255 per name"_s.arg(n.size()));
            }
        }
        if (const json* d = get(m_root, "description"); d && !d->is_null() && !d->is_string())
            error(u"TASK-TYPE"_s, u"/description"_s, u"must be a string or null, not %1"_s.arg(kindOf(*d)));
        if (const json* t = get(m_root, "runtime_image_tag"); t && !t->is_null() && !t->is_string())
            error(u"TASK-TYPE"_s, u"/runtime_image_tag"_s, u"must be a string or null, not %1"_s.arg(kindOf(*t)));
        if (const json* mode = optional(m_root, {}, "deployment_mode", json::value_t::string)) {
            const QString m = qs(*mode);
            if (m == u"local") {
                info(u"TASK-DEPLOYMENT"_s,
                     u"/deployment_mode"_s,
                     u"'local' exists only on the autotuner's feature/local-controller branch; main and develop fail "
                     "the task with it"_s);
            } else if (m != u"docker" && m != u"ome") {
                error(u"TASK-DEPLOYMENT"_s,
                      u"/deployment_mode"_s,
                      u"'%1' is not a deployment mode of the autotuner (docker, ome; local on "
                      "feature/local-controller): its worker fails the task"_s.arg(shown(m)));
            }
        }
        for (const QString& key : m_doc.unknownKeys()) {
            if (key == u"runtime") {
                warning(u"TASK-UNKNOWN-KEY"_s,
                        u"/runtime"_s,
                        u"the autotuner reads base_runtime; 'runtime' exists only on its parameter presets and is "
                        "ignored here"_s);
            } else {
                info(u"TASK-UNKNOWN-KEY"_s,
                     ptr(QString(), key),
                     u"not a field of the autotuner's task: its REST API drops it and its CLI ignores it (QuantDesk "
                     "keeps it on save)"_s);
            }
        }
    }

    void checkModel()
    {
        const json* model = required(m_root, {}, "model", json::value_t::object);
        if (!model)
            return;
        const json* id = get(*model, "id_or_path");
        if (!id) {
            const bool hasName = get(*model, "name") != nullptr;
            error(u"TASK-REQUIRED"_s,
                  u"/model/id_or_path"_s,
                  hasName ? u"missing: required (old examples use model.name; the autotuner reads only id_or_path)"_s
                          : u"missing: required (the Hugging Face id or the model's path)"_s);
        } else if (!id->is_string()) {
            error(u"TASK-TYPE"_s, u"/model/id_or_path"_s, u"must be a string, not %1"_s.arg(kindOf(*id)));
        } else if (qs(*id).trimmed().isEmpty()) {
            error(u"TASK-REQUIRED"_s, u"/model/id_or_path"_s, u"must not be empty"_s);
        }
        if (const json* ns = required(*model,
                                      u"/model"_s,
                                      "namespace",
                                      json::value_t::string,
                                      u"the autotuner reads it with model[\"namespace\"] and fails without it on main "
                                      "and develop"_s)) {
            if (qs(*ns).trimmed().isEmpty())
                error(u"TASK-REQUIRED"_s, u"/model/namespace"_s, u"must not be empty"_s);
        }
        optional(*model, u"/model"_s, "quantization", json::value_t::string);
        optional(*model, u"/model"_s, "quantization_config", json::value_t::object);
    }

    void checkRuntime()
    {
        const json* rt = required(m_root, {}, "base_runtime", json::value_t::string);
        if (!rt)
            return;
        const QString runtime = qs(*rt);
        const bool ome = m_mode == u"ome";
        const bool hasQuant = m_spec.shape != QuantSpecShape::None;
        if (m_target.engine.isEmpty()) {
            if (ome) {
                info(u"TASK-RUNTIME"_s,
                     u"/base_runtime"_s,
                     u"'%1' is taken as an OME ClusterServingRuntime name; QuantDesk cannot tell its engine, so it "
                     "has no preview or export for it"_s.arg(shown(runtime)));
            } else {
                error(u"TASK-RUNTIME"_s,
                      u"/base_runtime"_s,
                      u"'%1' is not an engine the autotuner can deploy (vllm, sglang; trtllm for preview only)"_s.arg(
                          shown(runtime)));
            }
            return;
        }
        if (m_target.matchedByPrefix && hasQuant) {
            add(ome ? Severity::Info : Severity::Warning,
                u"TASK-RUNTIME"_s,
                u"/base_runtime"_s,
                u"the autotuner deploys %1 for '%2' (prefix match), but its quant mapper needs exactly '%3': it adds "
                "no quant flags for this task (QuantDesk's export pins them as parameters)"_s.arg(
                    ProfileRegistry::engineDisplayName(m_target.engine), shown(runtime), m_target.engine));
        }
        if (m_target.engine == u"trtllm") {
            if (m_mode == u"docker") {
                error(u"TASK-TRT-DOCKER"_s,
                      u"/base_runtime"_s,
                      u"TensorRT-LLM cannot run in the autotuner's Docker mode (it has images for sglang and vllm "
                      "only); QuantDesk previews it but cannot export this task"_s);
            } else if (m_mode == u"local") {
                error(u"TASK-TRT-DOCKER"_s,
                      u"/base_runtime"_s,
                      u"the autotuner's local mode starts sglang or vllm only, not TensorRT-LLM"_s);
            } else if (ome) {
                warning(u"TASK-TRT-DOCKER"_s,
                        u"/base_runtime"_s,
                        u"the autotuner's OME runtimes are SGLang and vLLM; a TensorRT-LLM task cannot be exported"_s);
            }
        }
    }

    // ---- optimization ---------------------------------------------------------------------------------------------
    void checkOptimization()
    {
        const json* opt = required(m_root, {}, "optimization", json::value_t::object);
        if (!opt)
            return;
        const QString base = u"/optimization"_s;
        if (const json* s = optional(*opt, base, "strategy", json::value_t::string)) {
            const QString v = qs(*s);
            if (v == u"random_search") {
                error(u"TASK-STRATEGY"_s,
                      u"/optimization/strategy"_s,
                      u"'random_search' is not accepted by the autotuner (use random)"_s);
            } else if (v != u"grid_search" && v != u"bayesian" && v != u"random") {
                error(u"TASK-STRATEGY"_s,
                      u"/optimization/strategy"_s,
                      u"'%1' is not a strategy the autotuner accepts (grid_search, bayesian, random)"_s.arg(shown(v)));
            }
        }
        if (const json* o = optional(*opt, base, "objective", json::value_t::string)) {
            const QString v = qs(*o);
            static const QStringList objectives{
                u"minimize_latency"_s, u"maximize_throughput"_s, u"minimize_ttft"_s, u"minimize_tpot"_s};
            if (v == u"balanced") {
                error(u"TASK-OBJECTIVE"_s,
                      u"/optimization/objective"_s,
                      u"'balanced' is offered by the autotuner's UI but rejected by its backend: every experiment "
                      "scores inf and counts as failed (use %1)"_s.arg(objectives.join(u", "_s)));
            } else if (!objectives.contains(v)) {
                error(u"TASK-OBJECTIVE"_s,
                      u"/optimization/objective"_s,
                      u"'%1' is not an objective the autotuner accepts (%2)"_s.arg(shown(v), objectives.join(u", "_s)));
            }
        }
        if (const json* mi = optional(*opt, base, "max_iterations", json::value_t::number_integer, false)) {
            if (numberOf(*mi) < 1)
                error(
                    u"TASK-NUMBER"_s, u"/optimization/max_iterations"_s, u"must be at least 1, not %1"_s.arg(qs(*mi)));
        }
        const json* timeout = get(*opt, "timeout_per_iteration");
        if (!timeout) {
            error(u"TASK-TIMEOUT"_s,
                  u"/optimization/timeout_per_iteration"_s,
                  u"missing: the autotuner's CLI crashes without it on main (KeyError); its web worker defaults to "
                  "1800 s. Set it, e.g. 900"_s);
        } else if (!timeout->is_number()) {
            error(u"TASK-TYPE"_s,
                  u"/optimization/timeout_per_iteration"_s,
                  u"must be a number of seconds, not %1"_s.arg(kindOf(*timeout)));
        } else if (!(numberOf(*timeout) > 0)) {
            error(u"TASK-NUMBER"_s,
                  u"/optimization/timeout_per_iteration"_s,
                  u"must be greater than 0, not %1"_s.arg(qs(*timeout)));
        }
        if (const json* n = optional(*opt, base, "n_initial_random", json::value_t::number_integer, false)) {
            if (numberOf(*n) < 0)
                error(u"TASK-NUMBER"_s, u"/optimization/n_initial_random"_s, u"must not be negative"_s);
        }
        optional(*opt, base, "seed", json::value_t::number_integer);
        optional(*opt, base, "study_name", json::value_t::string);
        optional(*opt, base, "storage", json::value_t::string);
        unknownKeys(*opt,
                    base,
                    {u"strategy"_s,
                     u"objective"_s,
                     u"max_iterations"_s,
                     u"timeout_per_iteration"_s,
                     u"n_initial_random"_s,
                     u"study_name"_s,
                     u"storage"_s,
                     u"seed"_s},
                    Severity::Info,
                    u"optimization"_s);
    }

    // ---- parameters -----------------------------------------------------------------------------------------------
    const FlagSpec* findFlag(const QString& rawKey, bool* negated) const
    {
        *negated = false;
        const EngineProfile* p = m_target.profile;
        if (!p)
            return nullptr;
        QString key = rawKey.trimmed();
        while (key.startsWith(u'-'))
            key.remove(0, 1);
        const FlagSpec* spec = p->findFlag(key);
        if (!spec && p->boolNegation() && key.startsWith(u"no-")) {
            spec = p->findFlag(key.mid(3));
            if (spec && spec->takesValue)
                spec = nullptr;
            *negated = spec != nullptr;
        }
        return spec;
    }

    QString engineName() const
    {
        const EngineProfile* p = m_target.profile;
        return p ? p->displayName() + u' ' + (m_target.engineVersion.isEmpty() ? p->version() : m_target.engineVersion)
                 : QString();
    }

    void checkParameterValue(const TaskParameter& p, const FlagSpec* spec, const json& v, const QString& where)
    {
        if (!(v.is_string() || v.is_number() || v.is_boolean())) {
            error(u"TASK-PARAM-VALUE"_s,
                  where,
                  u"%1 cannot be a flag value (use a string, a number, true or false)"_s.arg(kindOf(v)));
            return;
        }
        if (v.is_string()) {
            static const QRegularExpression space(u"\\s"_s);
            const QString s = qs(v);
            if (s.contains(space)) {
                warning(u"TASK-PARAM-VALUE"_s,
                        where,
                        u"'%1' contains whitespace: the autotuner joins the command into one string and splits it on "
                        "whitespace, so the engine gets several words"_s.arg(shown(s)));
            } else if (s.isEmpty()) {
                warning(u"TASK-PARAM-VALUE"_s, where, u"an empty value: the autotuner passes the flag without one"_s);
            }
        }
        if (!spec)
            return;
        const EngineProfile* prof = m_target.profile;
        if (!spec->takesValue) {
            const bool ok = v.is_boolean() || (v.is_string() && (qs(v) == u"true" || qs(v) == u"false"));
            if (!ok) {
                error(u"TASK-PARAM-FLAG"_s,
                      where,
                      u"%1 is a switch of %2 and takes no value: use true (pass it) or false (leave it out)"_s.arg(
                          spec->name, engineName()));
            } else if (v.is_string()) {
                warning(u"TASK-PARAM-VALUE"_s,
                        where,
                        u"the string '%1' is passed as a value (\"--%2 %1\"); write the JSON boolean %1 for a "
                        "switch"_s.arg(shown(qs(v)), shown(p.key)));
            }
            return;
        }
        if (v.is_boolean()) {
            if (v.get<bool>()) {
                error(u"TASK-PARAM-FLAG"_s,
                      where,
                      u"true makes a bare %1, but %1 takes a value in %2"_s.arg(spec->name, engineName()));
            }
            return;
        }
        QString why;
        if (!prof->validate(spec->name, parameterValueText(v), true, &why))
            error(u"TASK-PARAM-FLAG"_s, where, why);
    }

    void checkParameters()
    {
        const json* params = required(m_root, {}, "parameters", json::value_t::object);
        if (!params)
            return;
        const QString strategy = m_doc.strategy();
        QHash<QString, QString> flagToKey;
        for (const TaskParameter& p : m_doc.parameters()) {
            const QString where = ptr(u"/parameters"_s, p.key);
            if (p.key.trimmed().isEmpty()) {
                error(u"TASK-PARAM-FLAG"_s, where, u"an empty parameter name"_s);
                continue;
            }
            if (p.key.startsWith(u"__quant__")) {
                info(u"TASK-PARAM-RESERVED"_s,
                     where,
                     u"__quant__ keys are quant fields for both the autotuner's CLI and its web worker; QuantDesk's "
                     "preview ignores them and its export refuses them (move them into quant_config)"_s);
            } else if (p.key.startsWith(u"__parallel__")) {
                info(u"TASK-PARAM-RESERVED"_s,
                     where,
                     u"__parallel__ keys are parallel_config fields for both the autotuner's CLI and its web worker; "
                     "QuantDesk's preview leaves them out"_s);
            } else if (p.key.startsWith(u'-')) {
                info(u"TASK-PARAM-FLAG"_s,
                     where,
                     u"the leading '-' is not needed: the autotuner adds '--' itself (and keeps a given '--')"_s);
            }
            bool negated = false;
            const FlagSpec* spec = p.isReserved() ? nullptr : findFlag(p.key, &negated);
            if (!p.isReserved() && m_target.profile) {
                if (!spec) {
                    error(u"TASK-PARAM-FLAG"_s,
                          where,
                          u"'%1' is not an option of %2: the engine would refuse to start"_s.arg(shown(p.key),
                                                                                                 engineName()));
                } else if (!m_target.profile->flagAvailable(*spec, m_target.engineVersion)) {
                    error(u"TASK-PARAM-FLAG"_s,
                          where,
                          spec->since == u"unverified" ? u"%1 is not verified for %2"_s.arg(spec->name, engineName())
                                                       : u"%1 exists only from version %2 on; the target is %3"_s.arg(
                                                             spec->name, spec->since, engineName()));
                    spec = nullptr;
                } else {
                    const QString canonical = m_target.profile->canonicalName(p.key);
                    if (flagToKey.contains(canonical)) {
                        warning(u"TASK-PARAM-DUP"_s,
                                where,
                                u"'%1' and '%2' are the same flag (%3): the engine gets it twice and the last one "
                                "wins"_s.arg(shown(flagToKey.value(canonical)), shown(p.key), spec->name));
                    } else {
                        flagToKey.insert(canonical, p.key);
                    }
                }
            }
            switch (p.form) {
            case TaskParameter::Form::Scalar:
                error(
                    u"TASK-PARAM-FORM"_s,
                    where,
                    u"must be a list of values, e.g. [%1] (or a legacy {\"type\": \"choice\", \"values\": [...]} "
                    "object): the autotuner's grid rejects a bare value"_s.arg(QString::fromStdString(p.spec.dump())));
                break;
            case TaskParameter::Form::Invalid:
                error(u"TASK-PARAM-FORM"_s,
                      where,
                      u"an object must be a legacy spec with a string \"type\" (choice, categorical, continuous, "
                      "integer)"_s);
                break;
            case TaskParameter::Form::List:
                if (p.spec.empty()) {
                    warning(u"TASK-PARAM-FORM"_s,
                            where,
                            u"an empty list: the autotuner skips the parameter (remove it, or give a value)"_s);
                }
                for (qsizetype i = 0; i < static_cast<qsizetype>(p.spec.size()); ++i)
                    checkParameterValue(p, spec, p.spec.at(static_cast<size_t>(i)), ptr(where, i));
                break;
            case TaskParameter::Form::Legacy:
                checkLegacy(p, spec, where, strategy);
                break;
            }
        }
    }

    void checkLegacy(const TaskParameter& p, const FlagSpec* spec, const QString& where, const QString& strategy)
    {
        const QString type = p.legacyType;
        const bool grid = strategy == u"grid_search";
        if (type == u"choice" || type == u"categorical") {
            if (grid && type != u"choice") {
                error(u"TASK-PARAM-FORM"_s,
                      ptr(where, u"type"_s),
                      u"grid_search takes only {\"type\": \"choice\", \"values\": [...]} (or a plain list)"_s);
                return;
            }
            const char* listKey = get(p.spec, "values") ? "values" : "choices";
            if (grid && QString::fromLatin1(listKey) != u"values") {
                error(u"TASK-PARAM-FORM"_s, where, u"grid_search reads \"values\", not \"choices\""_s);
                return;
            }
            const json* list = get(p.spec, listKey);
            if (!list || !list->is_array()) {
                error(u"TASK-PARAM-FORM"_s, ptr(where, u"values"_s), u"a legacy choice needs a list \"values\""_s);
                return;
            }
            if (list->empty())
                warning(u"TASK-PARAM-FORM"_s, ptr(where, QString::fromLatin1(listKey)), u"an empty list of values"_s);
            for (qsizetype i = 0; i < static_cast<qsizetype>(list->size()); ++i)
                checkParameterValue(
                    p, spec, list->at(static_cast<size_t>(i)), ptr(ptr(where, QString::fromLatin1(listKey)), i));
        } else if (type == u"continuous" || type == u"integer") {
            if (grid) {
                error(u"TASK-PARAM-FORM"_s,
                      ptr(where, u"type"_s),
                      u"a %1 range needs the bayesian or random strategy; grid_search rejects it"_s.arg(type));
                return;
            }
            const auto kind = type == u"integer" ? json::value_t::number_integer : json::value_t::number_float;
            const json* low = required(p.spec, where, "low", kind);
            const json* high = required(p.spec, where, "high", kind);
            if (low && high && numberOf(*low) > numberOf(*high))
                error(u"TASK-PARAM-FORM"_s, where, u"low (%1) is above high (%2)"_s.arg(qs(*low), qs(*high)));
            optional(p.spec, where, "log", json::value_t::boolean);
            if (low)
                checkParameterValue(p, spec, *low, ptr(where, u"low"_s));
        } else {
            error(u"TASK-PARAM-FORM"_s,
                  ptr(where, u"type"_s),
                  u"'%1' is not a parameter type the autotuner knows (choice, categorical, continuous, integer)"_s.arg(
                      shown(type)));
        }
    }

    // ---- quant_config ---------------------------------------------------------------------------------------------
    QString presetNames() const
    {
        QStringList names;
        const QList<Preset> all = m_store ? m_store->all() : builtInPresets();
        for (const Preset& p : all)
            names << p.name;
        return names.join(u", "_s);
    }

    bool presetKnown(const QString& name) const
    {
        return m_store ? m_store->find(name).has_value() : findBuiltInPreset(name).has_value();
    }

    static QString valueHint(QuantField f, const QString& v)
    {
        const QString l = v.toLower();
        if (f == QuantField::KvCache && (l == u"float16" || l == u"half"))
            return u" (kvcache_dtype spells it fp16)"_s;
        if (f != QuantField::KvCache && (l == u"fp16" || l == u"half"))
            return u" (%1 spells it float16)"_s.arg(fieldKey(f));
        if (l == u"bf16")
            return u" (write bfloat16)"_s;
        if (l != v && isValidFieldValue(f, l))
            return u" (values are lower case: %1)"_s.arg(l);
        return {};
    }

    void checkField(QuantField f, const json& v, const QString& where)
    {
        if (!v.is_string()) {
            error(u"TASK-QUANT-TYPE"_s, where, u"must be a string, not %1"_s.arg(kindOf(v)));
            return;
        }
        const QString value = qs(v);
        if (!isValidFieldValue(f, value)) {
            error(u"TASK-QUANT-VALUE"_s,
                  where,
                  u"'%1' is not a valid %2%3 (valid: %4); the autotuner would log 'Failed to process quantization "
                  "config' and run without any quant flags"_s.arg(
                      shown(value), fieldKey(f), valueHint(f, value), fieldValues(f).join(u", "_s)));
        }
    }

    void checkQuantConfig()
    {
        const json* qc = get(m_root, "quant_config");
        if (!qc || qc->is_null())
            return;
        const QString base = u"/quant_config"_s;
        if (!qc->is_object()) {
            error(u"TASK-QUANT-TYPE"_s,
                  base,
                  u"must be an object ({\"presets\": [...]}, {\"preset\": name} or the four *_dtype fields), not "
                  "%1"_s.arg(kindOf(*qc)));
            return;
        }
        QStringList known{u"preset"_s, u"presets"_s};
        bool anyField = false;
        for (const QuantField f : kQuantFields) {
            known << fieldKey(f);
            const json* v = get(*qc, fieldKey(f).toUtf8().constData());
            if (!v)
                continue;
            anyField = true;
            const QString where = ptr(base, fieldKey(f));
            if (v->is_array()) {
                if (v->empty()) {
                    warning(u"TASK-QUANT-EMPTY"_s,
                            where,
                            u"an empty list: the autotuner skips it and the field stays auto"_s);
                }
                for (qsizetype i = 0; i < static_cast<qsizetype>(v->size()); ++i)
                    checkField(f, v->at(static_cast<size_t>(i)), ptr(where, i));
            } else {
                checkField(f, *v, where);
            }
        }
        for (auto it = qc->begin(); it != qc->end(); ++it) {
            const QString key = QString::fromStdString(it.key());
            if (!known.contains(key)) {
                const auto asField = fieldFromName(key);
                warning(u"TASK-QUANT-UNKNOWN-KEY"_s,
                        ptr(base, key),
                        u"not a quant_config field (%1); the autotuner ignores it"_s.arg(
                            asField ? u"did you mean %1?"_s.arg(fieldKey(*asField))
                                    : u"known: preset, presets, gemm_dtype, kvcache_dtype, attention_dtype, "
                                      "moe_dtype"_s));
            }
        }
        const json* preset = get(*qc, "preset");
        const json* presets = get(*qc, "presets");
        if (preset && presets) {
            error(u"TASK-PRESET-BOTH"_s,
                  base,
                  u"has both 'preset' and 'presets': use one (the autotuner reads only 'presets')"_s);
        }
        if (presets) {
            const QString where = ptr(base, u"presets"_s);
            QList<QPair<QString, QString>> names; // (pointer, name)
            if (presets->is_array()) {
                if (presets->empty())
                    warning(u"TASK-QUANT-EMPTY"_s, where, u"an empty list: no quant flags at all"_s);
                for (qsizetype i = 0; i < static_cast<qsizetype>(presets->size()); ++i) {
                    const json& e = presets->at(static_cast<size_t>(i));
                    if (!e.is_string())
                        error(u"TASK-QUANT-TYPE"_s, ptr(where, i), u"must be a preset name, not %1"_s.arg(kindOf(e)));
                    else
                        names << qMakePair(ptr(where, i), qs(e));
                }
            } else if (presets->is_string()) {
                info(u"TASK-QUANT-TYPE"_s,
                     where,
                     u"a single name: the autotuner wraps it into a list (write [\"%1\"])"_s.arg(qs(*presets)));
                names << qMakePair(where, qs(*presets));
            } else {
                error(u"TASK-QUANT-TYPE"_s, where, u"must be a list of preset names, not %1"_s.arg(kindOf(*presets)));
            }
            for (const auto& [where2, name] : std::as_const(names)) {
                if (!presetKnown(name)) {
                    error(u"TASK-PRESET-UNKNOWN"_s,
                          where2,
                          u"no preset named '%1' (known: %2)"_s.arg(shown(name), presetNames()));
                }
            }
            if (!names.isEmpty()) {
                warning(u"TASK-PRESETS-BASELINE"_s,
                        where,
                        u"the autotuner does not resolve preset names: every preset runs with the baseline flags "
                        "(only --dtype auto). Export the task with QuantDesk to get one task per preset with its "
                        "flags pinned"_s);
            }
            if (anyField) {
                warning(u"TASK-PRESETS-FIELDS"_s,
                        base,
                        u"explicit *_dtype fields next to 'presets' are ignored by the autotuner, and by QuantDesk's "
                        "preview and export too; put them into a user preset"_s);
            }
        } else if (preset) {
            const QString where = ptr(base, u"preset"_s);
            if (!preset->is_string()) {
                error(u"TASK-QUANT-TYPE"_s, where, u"must be a preset name, not %1"_s.arg(kindOf(*preset)));
            } else if (!presetKnown(qs(*preset))) {
                error(u"TASK-PRESET-UNKNOWN"_s,
                      where,
                      u"no preset named '%1' (known: %2)"_s.arg(shown(qs(*preset)), presetNames()));
            } else {
                warning(u"TASK-PRESET-SINGULAR"_s,
                        where,
                        anyField
                            ? u"the autotuner ignores the singular 'preset' and runs only the explicit fields "
                              "(the others auto); QuantDesk applies the fields on top of preset '%1'"_s.arg(qs(*preset))
                            : u"the autotuner ignores the singular 'preset' (no quant flags at all); QuantDesk's "
                              "export resolves it, or write {\"presets\": [\"%1\"]}"_s.arg(qs(*preset)));
            }
        }
    }

    // ---- parallel_config, benchmark, slo, OME ---------------------------------------------------------------------
    void checkParallel()
    {
        const json* pc = get(m_root, "parallel_config");
        if (!pc || pc->is_null())
            return;
        const QString base = u"/parallel_config"_s;
        if (!pc->is_object()) {
            error(u"TASK-TYPE"_s, base, u"must be an object, not %1"_s.arg(kindOf(*pc)));
            return;
        }
        static const QStringList known{u"tp"_s,
                                       u"pp"_s,
                                       u"dp"_s,
                                       u"cp"_s,
                                       u"dcp"_s,
                                       u"enable_expert_parallel"_s,
                                       u"moe_tp"_s,
                                       u"moe_ep"_s,
                                       u"moe_cluster"_s,
                                       u"moe_dense_tp"_s,
                                       u"presets"_s};
        unknownKeys(*pc, base, known, Severity::Warning, u"parallel_config"_s);
        if (!pc->empty()) {
            warning(u"TASK-PARALLEL"_s,
                    base,
                    u"the autotuner's CLI merges these keys into the grid without the __parallel__ prefix (so the "
                    "engine gets --tp 2 and the like); only its web worker maps them. QuantDesk's preview and export "
                    "leave parallel flags out"_s);
        }
    }

    void checkBenchmark()
    {
        const json* b = required(m_root, {}, "benchmark", json::value_t::object);
        if (!b)
            return;
        const QString base = u"/benchmark"_s;
        optional(*b, base, "task", json::value_t::string, false);
        optional(*b, base, "model_name", json::value_t::string, false);
        optional(*b, base, "model_tokenizer", json::value_t::string, false);
        if (const json* ts = optional(*b, base, "traffic_scenarios", json::value_t::array, false)) {
            static const QRegularExpression dRe(u"^D\\(\\s*\\d+\\s*,\\s*\\d+\\s*\\)$"_s);
            if (ts->empty())
                warning(
                    u"TASK-BENCHMARK"_s, ptr(base, u"traffic_scenarios"_s), u"an empty list: nothing is measured"_s);
            for (qsizetype i = 0; i < static_cast<qsizetype>(ts->size()); ++i) {
                const json& s = ts->at(static_cast<size_t>(i));
                const QString where = ptr(ptr(base, u"traffic_scenarios"_s), i);
                if (!s.is_string())
                    error(u"TASK-TYPE"_s, where, u"must be a string like \"D(100,100)\", not %1"_s.arg(kindOf(s)));
                else if (!dRe.match(qs(s)).hasMatch())
                    warning(u"TASK-BENCHMARK"_s,
                            where,
                            u"'%1': the autotuner parses only D(input,output) scenarios (its result parser reads "
                            "D*.json), so this one yields no metrics"_s.arg(shown(qs(s))));
            }
        }
        if (const json* nc = optional(*b, base, "num_concurrency", json::value_t::array, false)) {
            if (nc->empty())
                warning(u"TASK-BENCHMARK"_s, ptr(base, u"num_concurrency"_s), u"an empty list: nothing is measured"_s);
            for (qsizetype i = 0; i < static_cast<qsizetype>(nc->size()); ++i) {
                const json& c = nc->at(static_cast<size_t>(i));
                if (!isInteger(c) || numberOf(c) < 1)
                    error(u"TASK-NUMBER"_s,
                          ptr(ptr(base, u"num_concurrency"_s), i),
                          u"must be a positive integer, not %1"_s.arg(qs(c)));
            }
        }
        positiveNumber(*b, base, "max_time_per_iteration", false);
        positiveNumber(*b, base, "max_requests_per_iteration", true);
        optional(*b, base, "additional_params", json::value_t::object);
        if (optional(*b, base, "dataset_url", json::value_t::string)) {
            info(u"TASK-BENCHMARK"_s,
                 ptr(base, u"dataset_url"_s),
                 u"read only by the autotuner's develop branch; main ignores it"_s);
        }
        optional(*b, base, "dataset_deduplicate", json::value_t::boolean);
        unknownKeys(*b,
                    base,
                    {u"task"_s,
                     u"model_name"_s,
                     u"model_tokenizer"_s,
                     u"traffic_scenarios"_s,
                     u"num_concurrency"_s,
                     u"max_time_per_iteration"_s,
                     u"max_requests_per_iteration"_s,
                     u"additional_params"_s,
                     u"dataset_url"_s,
                     u"dataset_deduplicate"_s},
                    Severity::Info,
                    u"benchmark"_s);
    }

    void checkMetricSpec(const json& spec, const QString& where)
    {
        if (!spec.is_object()) {
            error(
                u"TASK-SLO"_s,
                where,
                u"must be an object {\"threshold\": seconds, \"weight\", \"hard_fail\", \"fail_ratio\"}, not %1"_s.arg(
                    kindOf(spec)));
            return;
        }
        if (const json* t = required(spec, where, "threshold", json::value_t::number_float)) {
            if (!(numberOf(*t) > 0))
                error(u"TASK-SLO"_s, ptr(where, u"threshold"_s), u"must be greater than 0 (seconds)"_s);
        }
        if (const json* w = optional(spec, where, "weight", json::value_t::number_float, false)) {
            if (numberOf(*w) < 0)
                error(u"TASK-SLO"_s, ptr(where, u"weight"_s), u"must not be negative"_s);
        }
        optional(spec, where, "hard_fail", json::value_t::boolean, false);
        if (const json* f = optional(spec, where, "fail_ratio", json::value_t::number_float, false)) {
            if (numberOf(*f) < 0)
                error(u"TASK-SLO"_s, ptr(where, u"fail_ratio"_s), u"must not be negative"_s);
        }
        unknownKeys(spec,
                    where,
                    {u"threshold"_s, u"weight"_s, u"hard_fail"_s, u"fail_ratio"_s},
                    Severity::Warning,
                    u"an SLO metric"_s);
    }

    void checkSlo()
    {
        const json* slo = get(m_root, "slo");
        if (!slo || slo->is_null())
            return;
        const QString base = u"/slo"_s;
        if (!slo->is_object()) {
            error(u"TASK-TYPE"_s, base, u"must be an object, not %1"_s.arg(kindOf(*slo)));
            return;
        }
        if (const json* lat = get(*slo, "latency")) {
            const QString where = ptr(base, u"latency"_s);
            if (!lat->is_object()) {
                error(u"TASK-SLO"_s, where, u"must be an object with p50, p90 and/or p99, not %1"_s.arg(kindOf(*lat)));
            } else {
                for (auto it = lat->begin(); it != lat->end(); ++it) {
                    const QString key = QString::fromStdString(it.key());
                    if (key != u"p50" && key != u"p90" && key != u"p99") {
                        warning(
                            u"TASK-SLO"_s,
                            ptr(where, key),
                            u"the autotuner checks p50, p90 and p99 latency only; '%1' is ignored"_s.arg(shown(key)));
                        continue;
                    }
                    checkMetricSpec(it.value(), ptr(where, key));
                }
            }
        }
        for (const char* key : {"ttft", "tpot"}) {
            if (const json* m = get(*slo, key))
                checkMetricSpec(*m, ptr(base, QString::fromLatin1(key)));
        }
        if (const json* s = optional(*slo, base, "steepness", json::value_t::number_float, false)) {
            if (!(numberOf(*s) > 0))
                error(u"TASK-SLO"_s, ptr(base, u"steepness"_s), u"must be greater than 0 (it divides the violation)"_s);
        }
        unknownKeys(*slo, base, {u"latency"_s, u"ttft"_s, u"tpot"_s, u"steepness"_s}, Severity::Warning, u"slo"_s);
    }

    void checkOmeAndStorage()
    {
        static const QStringList baseModelPresets{u"llama-3-2-1b-instruct"_s,
                                                  u"llama-3-2-3b-instruct"_s,
                                                  u"llama-3-1-70b-instruct"_s,
                                                  u"llama-3-3-70b-instruct"_s,
                                                  u"mistral-7b-instruct"_s,
                                                  u"mixtral-8x7b-instruct"_s,
                                                  u"deepseek-v3"_s};
        static const QStringList runtimePresets{u"sglang-llama-small"_s,
                                                u"sglang-llama-large"_s,
                                                u"vllm-llama-small"_s,
                                                u"vllm-llama-large"_s,
                                                u"sglang-mixtral-moe"_s};
        const bool ome = m_mode == u"ome";
        const std::pair<const char*, const QStringList*> configs[] = {
            {"clusterbasemodel_config", &baseModelPresets}, {"clusterservingruntime_config", &runtimePresets}};
        for (const auto& [key, presets] : configs) {
            const QString where = ptr(QString(), QString::fromLatin1(key));
            const json* c = optional(m_root, {}, key, json::value_t::object);
            if (!c)
                continue;
            if (!ome)
                info(u"TASK-OME-ONLY"_s, where, u"read only in OME mode; deployment_mode is %1"_s.arg(m_mode));
            if (const json* p = optional(*c, where, "preset", json::value_t::string, false)) {
                if (!presets->contains(qs(*p))) {
                    warning(u"TASK-OME-ONLY"_s,
                            ptr(where, u"preset"_s),
                            u"'%1' is not one of the autotuner's presets (%2)"_s.arg(shown(qs(*p)),
                                                                                     presets->join(u", "_s)));
                }
            }
        }
        if (const json* s = optional(m_root, {}, "storage", json::value_t::object)) {
            info(u"TASK-STORAGE"_s,
                 u"/storage"_s,
                 u"the autotuner's REST API drops storage; only its CLI reads it (OME with a PVC)"_s);
            if (const json* t = optional(*s, u"/storage"_s, "type", json::value_t::string, false);
                t && qs(*t) != u"pvc")
                warning(u"TASK-STORAGE"_s, u"/storage/type"_s, u"the autotuner knows only \"pvc\""_s);
        }
    }

    // ---- the engine: overrides, duplicates and the mapper's own diagnostics --------------------------------------
    QString fieldPointer(const PlannedConfig& pc, const QString& field) const
    {
        const auto f = fieldFromName(field);
        if (f && m_spec.fields.contains(*f) && m_spec.shape != QuantSpecShape::Presets)
            return ptr(u"/quant_config"_s, fieldKey(*f));
        if (m_spec.shape == QuantSpecShape::None)
            return get(m_root, "quant_config") ? u"/quant_config"_s : QString();
        return pc.pointer;
    }

    void checkEngine()
    {
        if (!m_target.profile || !get(m_root, "base_runtime"))
            return;
        const TaskPlan plan = planTask(m_doc, m_store);
        if (plan.tooManyParameters) {
            error(u"TASK-PARAM-TOO-MANY"_s,
                  u"/parameters"_s,
                  u"more than %1 engine parameters; QuantDesk previews at most %1"_s.arg(TaskPlan::kMaxParameters));
            return;
        }
        if (plan.tooManyConfigs()) {
            error(u"TASK-QUANT-TOO-MANY"_s,
                  u"/quant_config"_s,
                  u"the quant_config lists give more than %1 combinations; QuantDesk previews at most %1"_s.arg(
                      TaskPlan::kMaxConfigs));
            return;
        }
        const bool several = plan.configs.size() > 1;
        const QString engine = ProfileRegistry::engineDisplayName(m_target.engine);
        static const QSet<QString> paramIds{u"PARAM-UNKNOWN"_s,
                                            u"PARAM-VERSION"_s,
                                            u"PARAM-VALUE"_s,
                                            u"PARAM-FALSE"_s,
                                            u"PARAM-OVERRIDE"_s,
                                            u"PARAM-DUP"_s};
        QMap<QString, QStringList> overrides; // parameter key → what it overrides
        const QList<TaskParameter> params = m_doc.parameters();
        for (const PlannedConfig& pc : plan.configs) {
            for (const Diagnostic& d : pc.command.diagnostics) {
                if (d.severity == Severity::Info || paramIds.contains(d.id))
                    continue;
                QString where;
                QString prefix = several ? pc.label + u": "_s : QString();
                if (d.field == u"engine") {
                    where = get(m_root, "runtime_image_tag") ? u"/runtime_image_tag"_s : u"/base_runtime"_s;
                    prefix.clear();
                } else if (d.field == u"model" || d.field == u"gpu") {
                    where = u"/model/id_or_path"_s;
                    prefix.clear();
                } else if (d.field == u"parameters") {
                    where = u"/parameters"_s;
                } else {
                    where = fieldPointer(pc, d.field);
                }
                const QString text = prefix + d.message + (d.fix.isEmpty() ? QString() : u" (fix: %1)"_s.arg(d.fix));
                add(d.severity, d.id, where, text);
            }
            for (const CommandFlag& f : pc.command.flags) {
                if (f.source != u"parameter" || !f.overrides)
                    continue;
                const QString canonical = m_target.profile->canonicalName(f.flag);
                for (const TaskParameter& p : params) {
                    bool negated = false;
                    const FlagSpec* spec = p.isReserved() ? nullptr : findFlag(p.key, &negated);
                    if (spec && m_target.profile->canonicalName(p.key) == canonical) {
                        const QString what =
                            u"%1 %2%3"_s.arg(f.flag, *f.overrides, several ? u" in " + pc.label : QString());
                        overrides[p.key] << what;
                    }
                }
            }
        }
        for (auto it = overrides.cbegin(); it != overrides.cend(); ++it) {
            warning(u"TASK-PARAM-OVERRIDE"_s,
                    ptr(u"/parameters"_s, it.key()),
                    u"overrides the quant config's %1: the parameter wins, as it does in the autotuner"_s.arg(
                        it.value().join(u"; "_s)));
        }
        int duplicates = 0;
        QStringList sameAs;
        for (const PlannedConfig& pc : plan.configs) {
            if (pc.duplicateOf < 0)
                continue;
            ++duplicates;
            sameAs << u"%1 = %2"_s.arg(pc.label, plan.configs.at(pc.duplicateOf).label);
        }
        if (duplicates > 0) {
            const qsizetype distinct = plan.configs.size() - duplicates;
            warning(u"TASK-QUANT-DUPLICATES"_s,
                    u"/quant_config"_s,
                    u"%1 quant configs give only %2 distinct %3 commands (%4): the autotuner runs the duplicates as "
                    "separate experiments; QuantDesk's export writes one task per distinct command"_s.arg(
                        QString::number(plan.configs.size()),
                        QString::number(distinct),
                        engine,
                        sameAs.mid(0, 8).join(u", "_s) + (sameAs.size() > 8 ? u", …"_s : QString())));
        }
    }

    const TaskDocument& m_doc;
    const json& m_root;
    const PresetStore* m_store;
    TaskTarget m_target;
    TaskQuantSpec m_spec;
    QString m_mode;
    QList<TaskProblem> m_out;
    QSet<QString> m_seen;
    qsizetype m_dropped = 0;
    bool m_droppedErrors = false;
};

} // namespace

QList<TaskProblem> TaskValidator::validate(const TaskDocument& doc, const PresetStore* store)
{
    return Validator(doc, store).run();
}

TaskCheckResult checkTaskData(const QByteArray& data, const PresetStore* store)
{
    TaskLoadResult load = TaskLoader::loadData(data);
    TaskCheckResult out;
    out.source = load.source;
    out.problems = load.problems;
    out.document = load.document;
    if (load.document) {
        QList<TaskProblem> more = TaskValidator::validate(*load.document, store);
        TaskLoader::locate(more, load.source);
        out.problems += more;
    }
    return out;
}

TaskCheckResult checkTaskFile(const QString& path, const PresetStore* store)
{
    TaskLoadResult load = TaskLoader::loadFile(path);
    TaskCheckResult out;
    out.source = load.source;
    out.problems = load.problems;
    out.document = load.document;
    if (load.document) {
        QList<TaskProblem> more = TaskValidator::validate(*load.document, store);
        TaskLoader::locate(more, load.source);
        out.problems += more;
    }
    return out;
}

} // namespace QuantDesk

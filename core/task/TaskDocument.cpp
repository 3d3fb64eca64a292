#include "TaskDocument.h"

#include <QSaveFile>

using namespace Qt::StringLiterals;
using Json = nlohmann::ordered_json;

namespace QuantDesk
{

namespace
{

const Json* member(const Json& object, const char* key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

QString stringMember(const Json& object, const char* key, const QString& fallback = {})
{
    const Json* v = member(object, key);
    return v && v->is_string() ? QString::fromStdString(v->get<std::string>()) : fallback;
}

} // namespace

QString jsonText(const Json& value)
{
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    return QString::fromStdString(value.dump(-1, ' ', false, Json::error_handler_t::replace));
}

std::string toStd(const QString& s)
{
    return s.toStdString();
}

QList<Json> TaskParameter::values() const
{
    QList<Json> out;
    switch (form) {
    case Form::List:
        for (const Json& v : spec)
            out << v;
        break;
    case Form::Scalar:
        out << spec;
        break;
    case Form::Legacy: {
        if (legacyType == u"continuous" || legacyType == u"integer") {
            if (const Json* low = member(spec, "low"))
                out << *low;
            break;
        }
        const Json* list = member(spec, "values");
        if (!list)
            list = member(spec, "choices");
        if (list && list->is_array()) {
            for (const Json& v : *list)
                out << v;
        }
        break;
    }
    case Form::Invalid:
        break;
    }
    return out;
}

bool TaskParameter::isReserved() const
{
    return key.startsWith(u"__quant__") || key.startsWith(u"__parallel__");
}

TaskDocument::TaskDocument() : m_root(Json::object()) {}

TaskDocument::TaskDocument(Json root) : m_root(std::move(root)) {}

const QStringList& TaskDocument::knownKeys()
{
    static const QStringList keys{u"task_name"_s,
                                  u"description"_s,
                                  u"deployment_mode"_s,
                                  u"model"_s,
                                  u"base_runtime"_s,
                                  u"runtime_image_tag"_s,
                                  u"parameters"_s,
                                  u"quant_config"_s,
                                  u"parallel_config"_s,
                                  u"optimization"_s,
                                  u"benchmark"_s,
                                  u"slo"_s,
                                  u"clusterbasemodel_config"_s,
                                  u"clusterservingruntime_config"_s,
                                  u"storage"_s};
    return keys;
}

QString TaskDocument::taskName() const
{
    return stringMember(m_root, "task_name");
}

void TaskDocument::setTaskName(const QString& name)
{
    setValue(u"task_name"_s, toStd(name));
}

QString TaskDocument::description() const
{
    return stringMember(m_root, "description");
}

QString TaskDocument::modelIdOrPath() const
{
    const Json* model = member(m_root, "model");
    return model ? stringMember(*model, "id_or_path") : QString();
}

QString TaskDocument::modelNamespace() const
{
    const Json* model = member(m_root, "model");
    return model ? stringMember(*model, "namespace") : QString();
}

QString TaskDocument::baseRuntime() const
{
    return stringMember(m_root, "base_runtime");
}

QString TaskDocument::runtimeImageTag() const
{
    return stringMember(m_root, "runtime_image_tag");
}

QString TaskDocument::deploymentMode() const
{
    return stringMember(m_root, "deployment_mode", u"docker"_s);
}

QString TaskDocument::strategy() const
{
    const Json* o = member(m_root, "optimization");
    return o ? stringMember(*o, "strategy", u"grid_search"_s) : u"grid_search"_s;
}

QString TaskDocument::objective() const
{
    const Json* o = member(m_root, "optimization");
    return o ? stringMember(*o, "objective", u"minimize_latency"_s) : u"minimize_latency"_s;
}

QList<TaskParameter> TaskDocument::parameters() const
{
    QList<TaskParameter> out;
    const Json* params = member(m_root, "parameters");
    if (!params || !params->is_object())
        return out;
    for (auto it = params->begin(); it != params->end(); ++it) {
        TaskParameter p;
        p.key = QString::fromStdString(it.key());
        p.spec = it.value();
        if (it->is_array()) {
            p.form = TaskParameter::Form::List;
        } else if (it->is_object()) {
            const Json* type = member(*it, "type");
            p.form = type && type->is_string() ? TaskParameter::Form::Legacy : TaskParameter::Form::Invalid;
            if (type && type->is_string())
                p.legacyType = QString::fromStdString(type->get<std::string>());
        } else {
            p.form = TaskParameter::Form::Scalar;
        }
        out << p;
    }
    return out;
}

bool TaskDocument::hasLegacyParameters() const
{
    const QList<TaskParameter> params = parameters();
    if (params.isEmpty())
        return false;
    for (const TaskParameter& p : params) {
        if (p.form != TaskParameter::Form::Legacy)
            return false;
    }
    return true;
}

TaskQuantSpec TaskDocument::quantSpec() const
{
    TaskQuantSpec spec;
    const Json* qc = member(m_root, "quant_config");
    if (!qc || !qc->is_object())
        return spec;
    for (const QuantField f : kQuantFields) {
        const Json* v = member(*qc, fieldKey(f).toUtf8().constData());
        if (!v)
            continue;
        QStringList values;
        if (v->is_array()) {
            spec.listFields << f;
            for (const Json& e : *v)
                values << jsonText(e);
        } else {
            values << jsonText(*v);
        }
        spec.fields.insert(f, values);
    }
    if (const Json* presets = member(*qc, "presets")) {
        spec.shape = QuantSpecShape::Presets;
        spec.presetsIsList = presets->is_array();
        if (presets->is_array()) {
            for (const Json& e : *presets)
                spec.presets << jsonText(e);
        } else {
            spec.presets << jsonText(*presets);
        }
        if (const Json* preset = member(*qc, "preset"))
            spec.preset = jsonText(*preset);
    } else if (const Json* preset = member(*qc, "preset")) {
        spec.shape = QuantSpecShape::Preset;
        spec.preset = jsonText(*preset);
    } else if (!spec.fields.isEmpty()) {
        spec.shape = QuantSpecShape::Explicit;
    }
    return spec;
}

void TaskDocument::setQuantSpec(const TaskQuantSpec& spec)
{
    if (spec.shape == QuantSpecShape::None) {
        remove(u"quant_config"_s);
        return;
    }
    Json qc = Json::object();
    if (spec.shape == QuantSpecShape::Presets) {
        if (spec.presetsIsList || spec.presets.size() != 1) {
            Json list = Json::array();
            for (const QString& p : spec.presets)
                list.push_back(toStd(p));
            qc["presets"] = list;
        } else {
            qc["presets"] = toStd(spec.presets.constFirst());
        }
    } else if (spec.shape == QuantSpecShape::Preset) {
        qc["preset"] = toStd(spec.preset);
    }
    for (const QuantField f : kQuantFields) {
        if (!spec.fields.contains(f))
            continue;
        const QStringList values = spec.fields.value(f);
        if (values.size() == 1 && !spec.listFields.contains(f)) {
            qc[toStd(fieldKey(f))] = toStd(values.constFirst());
        } else {
            Json list = Json::array();
            for (const QString& v : values)
                list.push_back(toStd(v));
            qc[toStd(fieldKey(f))] = list;
        }
    }
    setValue(u"quant_config"_s, qc);
}

QStringList TaskDocument::unknownKeys() const
{
    QStringList out;
    if (!m_root.is_object())
        return out;
    for (auto it = m_root.begin(); it != m_root.end(); ++it) {
        const QString key = QString::fromStdString(it.key());
        if (!knownKeys().contains(key))
            out << key;
    }
    return out;
}

void TaskDocument::setValue(const QString& key, const Json& value)
{
    if (!m_root.is_object())
        m_root = Json::object();
    m_root[toStd(key)] = value; // ordered_json keeps an existing key's position
}

void TaskDocument::remove(const QString& key)
{
    if (m_root.is_object())
        m_root.erase(toStd(key));
}

bool TaskDocument::contains(const QString& key) const
{
    return member(m_root, toStd(key).c_str()) != nullptr;
}

QByteArray TaskDocument::toJson() const
{
    return QByteArray::fromStdString(m_root.dump(2, ' ', false, Json::error_handler_t::replace)) + '\n';
}

bool TaskDocument::save(const QString& path, QString* error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = u"%1: %2"_s.arg(path, file.errorString());
        return false;
    }
    const QByteArray data = toJson();
    if (file.write(data) != data.size()) {
        if (error)
            *error = u"%1: %2"_s.arg(path, file.errorString());
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        if (error)
            *error = u"%1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace QuantDesk

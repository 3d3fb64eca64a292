#include "PreviewJson.h"

using json = nlohmann::ordered_json;

namespace QuantDesk
{

namespace
{

json str(const QString& s)
{
    return s.toStdString();
}

json strOrNull(const QString& s)
{
    return s.isEmpty() ? json(nullptr) : json(s.toStdString());
}

} // namespace

json diagnosticToJson(const Diagnostic& d)
{
    json o;
    o["id"] = str(d.id);
    o["severity"] = str(severityKey(d.severity));
    o["field"] = str(d.field);
    o["message"] = str(d.message);
    o["fix"] = strOrNull(d.fix);
    return o;
}

json previewToJson(const EngineCommand& command, const std::optional<QString>& preset, const QuantConfig& config)
{
    json o;
    o["engine"] = str(command.engine);
    o["engine_version"] = str(command.engineVersion);
    o["preset"] = preset ? json(preset->toStdString()) : json(nullptr);
    json qc = json::object();
    for (const QuantField f : kQuantFields)
        qc[fieldKey(f).toStdString()] = str(config.value(f));
    o["quant_config"] = qc;
    json argv = json::array();
    for (const QString& a : command.argv())
        argv.push_back(str(a));
    o["argv"] = argv;
    o["command"] = str(command.shellCommand());
    o["config_yaml"] = strOrNull(command.configYaml());
    json flags = json::array();
    for (const CommandFlag& f : command.flags) {
        json jf;
        jf["flag"] = str(f.flag);
        jf["value"] = f.value ? json(f.value->toStdString()) : json(nullptr);
        jf["source"] = str(f.source);
        jf["note"] = strOrNull(f.note);
        jf["overrides"] = f.overrides ? json(f.overrides->toStdString()) : json(nullptr);
        flags.push_back(jf);
    }
    o["flags"] = flags;
    json diags = json::array();
    for (const Diagnostic& d : command.diagnostics)
        diags.push_back(diagnosticToJson(d));
    o["diagnostics"] = diags;
    json support = json::object();
    for (const QuantField f : kQuantFields)
        support[fieldKey(f).toStdString()] = str(supportLevelKey(command.support.value(f).level));
    o["support"] = support;
    return o;
}

} // namespace QuantDesk

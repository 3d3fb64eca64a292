#include "Cli.h"

#include "Commands.h"
#include "Options.h"
#include "PlotCommand.h"

#include <QCoreApplication>
#include <QMap>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/engines/EngineProfile.h"
#include "core/engines/Mapper.h"
#include "core/engines/PreviewJson.h"
#include "core/hardware/GpuInfo.h"
#include "core/model/MemoryPrediction.h"
#include "core/model/ModelInfo.h"
#include "core/model/ModelJson.h"
#include "core/quant/Presets.h"
#include "core/remote/HostSpec.h"
#include "core/remote/SshModelFileReader.h"
#include "core/remote/SshTransport.h"

using namespace Qt::StringLiterals;
using json = nlohmann::ordered_json;

namespace QuantDesk::Cli
{

namespace
{

const char* const kUsage = R"(Usage: quantdesk-cli COMMAND [OPTIONS]

Commands:
  presets  [--format text|json]
  support  [--engine vllm|sglang|trtllm] [--engine-version VER] [--format text|json]
  preview  (--preset NAME | [--gemm V] [--kvcache V] [--attention V] [--moe V])
           --engine vllm|sglang|trtllm [--engine-version VER] [--model ID_OR_PATH]
           [--gpu-info FILE] [--param KEY=VALUE]... [--format text|json]
           [--model-ssh [USER@]HOST[:PORT] [--identity FILE] [--known-hosts FILE]]  (--model is a folder there)
  probe    (--local | --ssh [USER@]HOST[:PORT] [--identity FILE] [--autotuner-dir DIR]
            [--trust-host-key SHA256:FP] | --rest URL [--token-env VAR]) [--timeout SEC] [--format text|json]
  submit   TASK.json (--local DIR | --ssh [USER@]HOST[:PORT] --autotuner-dir DIR [--identity FILE]
            | --rest URL [--token-env VAR]) [--wait]      (progress on stderr)
  plot     RESULTS... --chart throughput|memory|pareto --out FILE.png|.pdf|.svg [--csv FILE]
            [--metric M] [--latency ttft|tpot|e2e] [--percentile p50|p90|p99] [--baseline PRESET] [--show-failed]
            [--model PATH [--gpu-info FILE]]   (memory chart: predicted memory beside the measured)
  validate TASK.json [--verbose]
  export   TASK.json --out DIR [--verbose]      (prints the written files)

Options:
  -h, --help     this text
  --version      the QuantDesk version

Exit codes: 0 ok, 1 invalid input or a blocking diagnostic, 2 usage error, 3 host or network failure.
)";

bool jsonFormat(const Options& o)
{
    const QString f = o.value(u"format"_s, u"text"_s);
    if (f != u"text" && f != u"json")
        throw UsageError{u"--format: '%1' is not one of text, json"_s.arg(f)};
    return f == u"json";
}

void printJson(QTextStream& out, const json& j)
{
    out << QString::fromStdString(j.dump(2)) << '\n';
}

QString checkEngine(const QString& engine)
{
    const QStringList engines = ProfileRegistry::builtIn().engines();
    if (!engines.contains(engine))
        throw UsageError{u"--engine: '%1' is not one of %2"_s.arg(engine, engines.join(u", "_s))};
    return engine;
}

QString padded(const QString& s, int width)
{
    return s.leftJustified(width, u' ');
}

// ---------------------------------------------------------------------------------------------------------------

int cmdPresets(const QStringList& args, QTextStream& out, QTextStream& err)
{
    const Options o(args, {u"format"_s}, {});
    const bool asJson = jsonFormat(o);
    PresetStore store;
    store.reload();
    for (const QString& p : store.problems())
        err << "warning: user preset " << p << '\n';
    if (asJson) {
        json list = json::array();
        for (const Preset& p : store.all()) {
            json jp;
            jp["name"] = p.name.toStdString();
            jp["description"] = p.description.toStdString();
            jp["built_in"] = p.builtIn;
            json qc;
            for (const QuantField f : kQuantFields)
                qc[fieldKey(f).toStdString()] = p.config.value(f).toStdString();
            jp["quant_config"] = qc;
            list.push_back(jp);
        }
        json doc;
        doc["presets"] = list;
        json problems = json::array();
        for (const QString& p : store.problems())
            problems.push_back(p.toStdString());
        doc["problems"] = problems;
        printJson(out, doc);
        return ExitOk;
    }
    out << padded(u"PRESET"_s, 16) << padded(u"GEMM"_s, 10) << padded(u"KVCACHE"_s, 10) << padded(u"ATTENTION"_s, 11)
        << padded(u"MOE"_s, 8) << "DESCRIPTION\n";
    for (const Preset& p : store.all()) {
        out << padded(p.name, 16) << padded(p.config.gemm, 10) << padded(p.config.kvcache, 10)
            << padded(p.config.attention, 11) << padded(p.config.moe, 8) << p.description
            << (p.builtIn ? QString() : u" (user)"_s) << '\n';
    }
    return ExitOk;
}

int cmdSupport(const QStringList& args, QTextStream& out, QTextStream&)
{
    const Options o(args, {u"format"_s, u"engine"_s, u"engine-version"_s}, {});
    const bool asJson = jsonFormat(o);
    const ProfileRegistry& reg = ProfileRegistry::builtIn();
    QStringList engines = reg.engines();
    if (o.has(u"engine"_s))
        engines = {checkEngine(o.value(u"engine"_s))};
    json doc;
    json jengines = json::array();
    for (const QString& engine : engines) {
        QString note;
        const EngineProfile* profile = reg.select(engine, o.value(u"engine-version"_s), &note);
        json je;
        je["engine"] = engine.toStdString();
        je["version"] = profile->version().toStdString();
        je["version_label"] = profile->versionLabel().toStdString();
        je["note"] = note.isEmpty() ? json(nullptr) : json(note.toStdString());
        if (!asJson) {
            out << profile->displayName() << ' ' << profile->version() << " — " << profile->versionLabel() << '\n';
            if (!note.isEmpty())
                out << "  note: " << note << '\n';
        }
        json fields = json::object();
        for (const QuantField f : kQuantFields) {
            const SeedClaim seed = profile->seedClaim(f);
            json jf;
            jf["seed"] = {{"claim", seed.claim.toStdString()}, {"note", seed.note.toStdString()}};
            json values = json::object();
            if (!asJson)
                out << "  " << fieldKey(f) << "  (seed matrix: " << (seed.claim.isEmpty() ? u"-"_s : seed.claim)
                    << ")\n";
            for (const QString& v : fieldValues(f)) {
                const FieldSupport s = fieldSupport(*profile, f, v);
                values[v.toStdString()] = {{"level", supportLevelKey(s.level).toStdString()},
                                           {"note", s.note.isEmpty() ? json(nullptr) : json(s.note.toStdString())}};
                if (!asJson)
                    out << "    " << padded(v, 11) << padded(supportLevelKey(s.level), 12) << s.note << '\n';
            }
            jf["values"] = values;
            fields[fieldKey(f).toStdString()] = jf;
        }
        je["fields"] = fields;
        jengines.push_back(je);
        if (!asJson)
            out << '\n';
    }
    doc["engines"] = jengines;
    if (asJson)
        printJson(out, doc);
    return ExitOk;
}

int cmdPreview(const QStringList& args, QTextStream& out, QTextStream& err)
{
    const Options o(args,
                    {u"preset"_s,
                     u"gemm"_s,
                     u"kvcache"_s,
                     u"attention"_s,
                     u"moe"_s,
                     u"engine"_s,
                     u"engine-version"_s,
                     u"model"_s,
                     u"model-ssh"_s,
                     u"identity"_s,
                     u"ssh-config"_s,
                     u"known-hosts"_s,
                     u"gpu-info"_s,
                     u"format"_s},
                    {u"param"_s});
    const bool asJson = jsonFormat(o);
    if (!o.has(u"engine"_s))
        throw UsageError{u"preview needs --engine (vllm, sglang or trtllm)"_s};
    const QString engine = checkEngine(o.value(u"engine"_s));

    QuantConfig config;
    std::optional<QString> presetName;
    const bool anyField = o.has(u"gemm"_s) || o.has(u"kvcache"_s) || o.has(u"attention"_s) || o.has(u"moe"_s);
    if (o.has(u"preset"_s)) {
        if (anyField)
            throw UsageError{u"--preset and the field options (--gemm, --kvcache, --attention, --moe) exclude each "
                             "other"_s};
        PresetStore store;
        store.reload();
        const auto preset = store.find(o.value(u"preset"_s));
        if (!preset) {
            QStringList names;
            for (const Preset& p : store.all())
                names << p.name;
            throw UsageError{
                u"--preset: no preset named '%1' (known: %2)"_s.arg(o.value(u"preset"_s), names.join(u", "_s))};
        }
        config = preset->config;
        presetName = preset->name;
    } else {
        const QMap<QString, QuantField> options{{u"gemm"_s, QuantField::Gemm},
                                                {u"kvcache"_s, QuantField::KvCache},
                                                {u"attention"_s, QuantField::Attention},
                                                {u"moe"_s, QuantField::Moe}};
        for (auto it = options.cbegin(); it != options.cend(); ++it) {
            if (!o.has(it.key()))
                continue;
            const QString v = o.value(it.key());
            if (!isValidFieldValue(it.value(), v)) {
                throw UsageError{u"--%1: '%2' is not a valid %3 (valid: %4)"_s.arg(
                    it.key(), v, fieldKey(it.value()), fieldValues(it.value()).join(u", "_s))};
            }
            config.setValue(it.value(), v);
        }
        PresetStore store;
        store.reload();
        presetName = store.matching(config);
    }

    std::optional<GpuInfo> gpu;
    if (o.has(u"gpu-info"_s)) {
        const QList<GpuInfo> gpus = readGpuInfo(o.value(u"gpu-info"_s), err);
        if (gpus.isEmpty())
            return ExitInvalid;
        // Hardware rules use the weakest GPU listed.
        gpu = gpus.constFirst();
        for (const GpuInfo& g : gpus) {
            if (g.hasComputeCapability() && (!gpu->hasComputeCapability() || g.ccValue() < gpu->ccValue()))
                gpu = g;
        }
        if (!gpu->hasComputeCapability())
            err << "quantdesk-cli: warning: the compute capability of " << gpu->name
                << " is unknown; hardware rules are skipped\n";
    }

    QList<QPair<QString, QString>> params;
    for (const QString& p : o.values(u"param"_s)) {
        const qsizetype eq = p.indexOf(u'=');
        if (eq <= 0)
            throw UsageError{u"--param: '%1' is not KEY=VALUE"_s.arg(p)};
        params << qMakePair(p.left(eq), p.mid(eq + 1));
    }

    QString error;
    ModelInfo model;
    if (o.has(u"model-ssh"_s)) {
        // The checkpoint is a folder on an SSH host (where the engine will run): read its files there.
        if (!o.has(u"model"_s))
            throw UsageError{u"--model-ssh needs --model FOLDER (the checkpoint's path on that host)"_s};
        HostSpec host;
        if (!parseSshTarget(o.value(u"model-ssh"_s), &host, &error))
            throw UsageError{u"--model-ssh: "_s + error};
        host.identityFile = o.value(u"identity"_s);
        host.sshConfigFile = o.value(u"ssh-config"_s);
        SshOptions opts = SshOptions::defaults();
        if (o.has(u"known-hosts"_s))
            opts.knownHostsFile = o.value(u"known-hosts"_s);
        const SshModelFileReader reader(host, opts, o.value(u"model"_s));
        model = inspectModel(o.value(u"model"_s), reader);
        // No config.json read: a missing file is no error (the facts say what is missing), a host that cannot be
        // reached is (exit 3). Only then is the host asked again, to tell which.
        if (!model.config && !reader.readFile(u"config.json"_s, 0, &error) && !error.isEmpty()) {
            err << "quantdesk-cli: --model-ssh " << o.value(u"model-ssh"_s) << ": " << error << '\n';
            if (error.contains(u"host key"_s))
                err << "Check and accept the host's key first: quantdesk-cli probe --ssh " << o.value(u"model-ssh"_s)
                    << " --trust-host-key SHA256:...\n";
            return ExitHost;
        }
    } else {
        if (o.has(u"identity"_s) || o.has(u"ssh-config"_s) || o.has(u"known-hosts"_s))
            throw UsageError{u"--identity, --ssh-config and --known-hosts go with --model-ssh"_s};
        model = inspectModel(o.value(u"model"_s));
    }
    const auto command = buildEngineCommand(engine, o.value(u"engine-version"_s), config, model, gpu, params, &error);
    if (!command)
        throw UsageError{error};
    const auto memory = predictMemory(model, *command, gpu);

    if (asJson) {
        json doc = previewToJson(*command, presetName, config);
        doc["model"] = o.has(u"model"_s) ? modelToJson(model) : json(nullptr);
        doc["memory"] = memoryToJson(memory);
        printJson(out, doc);
    } else {
        out << ProfileRegistry::engineDisplayName(command->engine) << ' ' << command->engineVersion;
        if (presetName)
            out << " · preset " << *presetName;
        out << " · " << config.summary() << "\n\n" << command->shellCommand() << '\n';
        const QString yaml = command->configYaml();
        if (!yaml.isEmpty())
            out << "\n# " << command->configFile << '\n' << yaml;
        out << "\nFlags:\n";
        if (command->flags.isEmpty())
            out << "  (none: the engine's defaults)\n";
        for (const CommandFlag& f : command->flags) {
            out << "  " << padded(f.flag + (f.value ? u" "_s + shellQuote(*f.value) : QString()), 34) << " <- "
                << f.source;
            if (f.overrides)
                out << ", overrides " << *f.overrides;
            if (!f.note.isEmpty())
                out << "  (" << f.note << ')';
            out << '\n';
        }
        out << "\nSupport:";
        for (const QuantField f : kQuantFields)
            out << ' ' << fieldKey(f) << '=' << supportLevelKey(command->support.value(f).level);
        out << '\n';
        if (o.has(u"model"_s)) {
            out << '\n';
            for (const QString& line : modelToText(model))
                out << line << '\n';
            for (const QString& line : memoryToText(memory))
                out << line << '\n';
        }
        if (!command->diagnostics.isEmpty())
            out << "\nDiagnostics:\n";
        for (const Diagnostic& d : command->diagnostics) {
            out << "  " << severityKey(d.severity) << ' ' << d.id << " [" << d.field << "] " << d.message << '\n';
            if (!d.fix.isEmpty())
                out << "      fix: " << d.fix << '\n';
        }
    }
    if (command->hasErrors()) {
        err << "quantdesk-cli: the command has blocking diagnostics (severity error)\n";
        return ExitInvalid;
    }
    return ExitOk;
}

} // namespace

int run(const QStringList& args, QTextStream& out, QTextStream& err)
{
    if (args.isEmpty()) {
        err << kUsage;
        return ExitUsage;
    }
    const QString command = args.constFirst();
    if (command == u"-h" || command == u"--help" || command == u"help") {
        out << kUsage;
        return ExitOk;
    }
    if (command == u"--version") {
        out << "quantdesk-cli " << QCoreApplication::applicationVersion() << '\n';
        return ExitOk;
    }
    const QStringList rest = args.mid(1);
    if (rest.contains(u"--help"_s) || rest.contains(u"-h"_s)) {
        out << kUsage;
        return ExitOk;
    }
    for (const QString& p : ProfileRegistry::builtIn().loadErrors())
        err << "quantdesk-cli: engine profile " << p << '\n';
    try {
        if (command == u"presets")
            return cmdPresets(rest, out, err);
        if (command == u"support")
            return cmdSupport(rest, out, err);
        if (command == u"preview")
            return cmdPreview(rest, out, err);
        if (command == u"plot")
            return cmdPlot(rest, out, err);
        if (command == u"submit")
            return cmdSubmit(rest, out, err);
        if (command == u"probe")
            return cmdProbe(rest, out, err);
        if (command == u"validate")
            return cmdValidate(rest, out, err);
        if (command == u"export")
            return cmdExport(rest, out, err);
        throw UsageError{u"unknown command '%1'"_s.arg(command)};
    } catch (const UsageError& e) {
        err << "quantdesk-cli: " << e.message << "\nRun 'quantdesk-cli --help' for usage.\n";
        return ExitUsage;
    }
}

} // namespace QuantDesk::Cli

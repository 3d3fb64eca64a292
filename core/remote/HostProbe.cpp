#include "HostProbe.h"

#include "core/remote/RestClient.h"
#include "core/remote/Transport.h"

using namespace Qt::StringLiterals;
using json = nlohmann::ordered_json;

namespace QuantDesk
{

const GpuInfo* ProbeResult::targetGpu() const
{
    const GpuInfo* best = nullptr;
    for (const GpuInfo& g : gpus) {
        if (!best || (g.hasComputeCapability() && (!best->hasComputeCapability() || g.ccValue() < best->ccValue())))
            best = &g;
    }
    return best;
}

QString probeScript()
{
    // Each section: a marker line, the command's output, then "rc N". Nothing here comes from user data; the
    // autotuner folder is the positional parameter $1.
    return uR"SH(qd() { printf '\n@@QD %s\n' "$1"; }
qd nvidia-smi-csv
nvidia-smi --query-gpu=index,name,uuid,memory.total,memory.used,compute_cap,driver_version --format=csv 2>&1
qd "rc $?"
qd nvidia-smi-xml
nvidia-smi -q -x 2>&1
qd "rc $?"
py=python3
if [ -n "$1" ] && [ -x "$1/env/bin/python" ]; then py="$1/env/bin/python"; fi
qd engines
"$py" -c 'import importlib.metadata as m
for d, n in (("vllm", "vllm"), ("sglang", "sglang"), ("tensorrt_llm", "trtllm")):
    try:
        print(n + "=" + m.version(d))
    except Exception:
        pass' 2>&1
qd "rc $?"
qd vllm-cli
if command -v vllm >/dev/null 2>&1; then vllm --version 2>&1; else echo "not found"; fi
qd "rc $?"
qd docker
docker version --format '{{.Server.Version}}' 2>&1
qd "rc $?"
qd autotuner
if [ -n "$1" ]; then
  if [ -f "$1/src/run_autotuner.py" ]; then echo script=yes; else echo script=no; fi
  if [ -x "$1/env/bin/python" ]; then echo venv=yes; else echo venv=no; fi
fi
qd "rc $?"
qd end
)SH"_s;
}

namespace
{

struct Section
{
    QByteArray output;
    int rc = -1;
};

QMap<QString, Section> sections(const QByteArray& output)
{
    QMap<QString, Section> out;
    QString current;
    QByteArray buffer;
    for (const QByteArray& line : output.split('\n')) {
        if (line.startsWith("@@QD ")) {
            const QString marker = QString::fromUtf8(line.mid(5)).trimmed();
            if (marker.startsWith(u"rc "_s)) {
                if (!current.isEmpty()) {
                    Section s;
                    // The marker function prints a newline first: drop it.
                    if (buffer.endsWith('\n'))
                        buffer.chop(1);
                    s.output = buffer;
                    s.rc = marker.mid(3).toInt();
                    out.insert(current, s);
                }
                current.clear();
            } else {
                current = marker;
            }
            buffer.clear();
            continue;
        }
        buffer += line + '\n';
    }
    return out;
}

QString firstLine(const QByteArray& data)
{
    return QString::fromUtf8(data).trimmed().section(u'\n', 0, 0).trimmed();
}

} // namespace

void parseProbeOutput(const QByteArray& output, ProbeResult* r)
{
    const QMap<QString, Section> s = sections(output);
    if (!s.contains(u"nvidia-smi-csv"_s) && !s.contains(u"engines"_s)) {
        r->reachable = false;
        r->error = u"the probe printed nothing recognisable: %1"_s.arg(firstLine(output.left(300)));
        return;
    }
    // GPUs: the CSV query gives the compute capability; the XML adds the CUDA version.
    const Section csv = s.value(u"nvidia-smi-csv"_s);
    const Section xml = s.value(u"nvidia-smi-xml"_s);
    if (csv.rc == 127 || csv.output.contains("command not found") || csv.output.contains("not found")) {
        r->gpuError = u"nvidia-smi is not installed or not on PATH"_s;
    } else {
        QString csvError;
        QList<GpuInfo> gpus = csv.rc == 0 ? parseNvidiaSmi(csv.output, &csvError) : QList<GpuInfo>();
        if (csv.rc != 0)
            csvError = u"nvidia-smi --query-gpu failed (exit %1): %2"_s.arg(csv.rc).arg(firstLine(csv.output));
        QString xmlError;
        const QList<GpuInfo> xmlGpus = xml.rc == 0 ? parseNvidiaSmi(xml.output, &xmlError) : QList<GpuInfo>();
        if (gpus.isEmpty() && !xmlGpus.isEmpty()) {
            gpus = xmlGpus;
            r->notes << u"GPU list from nvidia-smi -q -x (the CSV query failed: %1)"_s.arg(csvError);
        } else if (gpus.isEmpty()) {
            r->gpuError = u"nvidia-smi output not understood: %1"_s.arg(csvError);
        }
        for (GpuInfo& g : gpus) {
            for (const GpuInfo& x : xmlGpus) {
                if ((!g.uuid.isEmpty() && g.uuid == x.uuid) || (g.uuid.isEmpty() && g.index == x.index)) {
                    if (g.cudaVersion.isEmpty())
                        g.cudaVersion = x.cudaVersion;
                    if (g.architecture.isEmpty())
                        g.architecture = x.architecture;
                }
            }
            if (g.cudaVersion.isEmpty() && !xmlGpus.isEmpty())
                g.cudaVersion = xmlGpus.constFirst().cudaVersion;
        }
        r->gpus = gpus;
        if (!gpus.isEmpty()) {
            r->driverVersion = gpus.constFirst().driverVersion;
            r->cudaVersion = gpus.constFirst().cudaVersion;
        }
    }
    // Engines from the Python package metadata; `vllm --version` as a fallback.
    const Section engines = s.value(u"engines"_s);
    for (const QByteArray& line : engines.output.split('\n')) {
        const QString l = QString::fromUtf8(line).trimmed();
        const qsizetype eq = l.indexOf(u'=');
        if (eq > 0 && (l.startsWith(u"vllm="_s) || l.startsWith(u"sglang="_s) || l.startsWith(u"trtllm="_s)))
            r->engines.insert(l.left(eq), l.mid(eq + 1));
    }
    const Section vllmCli = s.value(u"vllm-cli"_s);
    if (!r->engines.contains(u"vllm"_s) && vllmCli.rc == 0) {
        const QString v = firstLine(vllmCli.output);
        if (!v.isEmpty() && v != u"not found" && v.at(0).isDigit())
            r->engines.insert(u"vllm"_s, v);
    }
    const Section docker = s.value(u"docker"_s);
    r->dockerAvailable = docker.rc == 0 && !docker.output.trimmed().isEmpty();
    r->dockerVersion = r->dockerAvailable ? firstLine(docker.output) : QString();
    if (!r->dockerAvailable) {
        const QString d = firstLine(docker.output);
        r->notes << (d.contains(u"not found"_s) ? u"Docker is not installed"_s : u"Docker is not usable: %1"_s.arg(d));
    }
    const Section at = s.value(u"autotuner"_s);
    if (!r->autotunerDir.isEmpty()) {
        r->autotunerFound = at.output.contains("script=yes");
        r->autotunerVenv = at.output.contains("venv=yes");
        if (!r->autotunerFound)
            r->notes << u"no src/run_autotuner.py in %1"_s.arg(r->autotunerDir);
        else if (!r->autotunerVenv)
            r->notes << u"the autotuner checkout has no env/bin/python venv"_s;
    }
    r->reachable = true;
}

json probeToJson(const ProbeResult& r)
{
    auto str = [](const QString& s) { return s.isEmpty() ? json(nullptr) : json(s.toStdString()); };
    json o;
    o["host"] = r.host.target().toStdString();
    o["kind"] = r.host.kind == HostSpec::Kind::Local ? "local" : r.host.kind == HostSpec::Kind::Ssh ? "ssh" : "rest";
    o["reachable"] = r.reachable;
    o["error"] = str(r.error);
    json gpus = json::array();
    for (const GpuInfo& g : r.gpus) {
        json jg;
        jg["index"] = g.index;
        jg["name"] = g.name.toStdString();
        jg["uuid"] = str(g.uuid);
        jg["memory_total_mib"] = g.memoryTotalMiB >= 0 ? json(g.memoryTotalMiB) : json(nullptr);
        jg["memory_used_mib"] = g.memoryUsedMiB >= 0 ? json(g.memoryUsedMiB) : json(nullptr);
        jg["compute_capability"] = str(g.ccString());
        jg["compute_capability_derived"] = g.ccDerived;
        jg["architecture"] = str(g.architecture);
        gpus.push_back(jg);
    }
    o["gpus"] = gpus;
    o["gpu_error"] = str(r.gpuError);
    o["driver_version"] = str(r.driverVersion);
    o["cuda_version"] = str(r.cudaVersion);
    json engines = json::object();
    for (const QString& e : {u"vllm"_s, u"sglang"_s, u"trtllm"_s})
        engines[e.toStdString()] = str(r.engines.value(e));
    o["engines"] = engines;
    o["docker"] = {{"available", r.dockerAvailable}, {"version", str(r.dockerVersion)}};
    json at;
    at["dir"] = str(r.autotunerDir);
    at["found"] = r.autotunerFound;
    at["venv"] = r.autotunerVenv;
    at["api_version"] = str(r.autotunerVersion);
    json runtimes = json::array();
    for (const QString& rt : r.runtimes)
        runtimes.push_back(rt.toStdString());
    at["runtimes"] = runtimes;
    o["autotuner"] = at;
    json notes = json::array();
    for (const QString& n : r.notes)
        notes.push_back(n.toStdString());
    o["notes"] = notes;
    return o;
}

HostProbe::HostProbe(Transport* transport, QObject* parent) : QObject(parent), m_transport(transport)
{
    qRegisterMetaType<QuantDesk::ProbeResult>();
    m_result.host = transport->host();
    m_result.autotunerDir = m_result.host.autotunerDir;
}

HostProbe::HostProbe(RestClient* client, HostSpec host, QObject* parent) : QObject(parent), m_rest(client)
{
    qRegisterMetaType<QuantDesk::ProbeResult>();
    m_result.host = std::move(host);
}

HostProbe::~HostProbe() = default;

void HostProbe::start()
{
    if (m_transport)
        startShell();
    else if (m_rest)
        startRest();
}

void HostProbe::cancel()
{
    for (const QPointer<QObject>& p : std::as_const(m_pending)) {
        if (auto* job = qobject_cast<ProcessJob*>(p.data()))
            job->cancel();
        else if (auto* call = qobject_cast<RestCall*>(p.data()))
            call->abort();
    }
}

void HostProbe::startShell()
{
    ProcessJob* job = m_transport->command(
        {u"sh"_s, u"-c"_s, probeScript(), u"quantdesk-probe"_s, m_result.host.autotunerDir}, m_timeoutMs, this);
    m_pending << job;
    connect(job, &ProcessJob::finished, this, [this, job](const CommandResult& r) {
        job->deleteLater();
        const QString failure = m_transport ? m_transport->failureMessage(r) : QString();
        if (r.status != CommandResult::Status::Finished || !failure.isEmpty()) {
            m_result.reachable = false;
            m_result.error = failure.isEmpty() ? u"the probe failed"_s : failure;
            done();
            return;
        }
        parseProbeOutput(r.standardOutput, &m_result);
        if (!m_result.reachable && r.exitCode != 0) {
            m_result.error = u"the probe failed (exit %1): %2"_s.arg(r.exitCode)
                                 .arg(QString::fromLocal8Bit(r.standardError).trimmed().left(300));
        }
        done();
    });
    job->start();
}

void HostProbe::startRest()
{
    restStep(0);
}

void HostProbe::restStep(int step)
{
    static const char* const paths[] = {"/health", "/api/system/info", "/api/dashboard/gpu-status"};
    if (step >= 3) {
        m_result.reachable = true;
        done();
        return;
    }
    RestCall* call = m_rest->get(QString::fromLatin1(paths[step]));
    m_pending << call;
    connect(call, &RestCall::finished, this, [this, step](const RestResult& r) {
        const auto doc = json::parse(r.body.constBegin(), r.body.constEnd(), nullptr, false);
        if (step == 0) {
            if (!r.ok()) {
                m_result.reachable = false;
                m_result.error = u"%1: %2"_s.arg(m_rest->url(u"/health"_s).toString(), r.message());
                done();
                return;
            }
            if (!doc.is_object() || doc.value("status", "") != "healthy")
                m_result.notes << u"/health did not report healthy: %1"_s.arg(QString::fromUtf8(r.body.left(200)));
        } else if (step == 1) {
            if (r.ok() && doc.is_object()) {
                m_result.autotunerVersion = QString::fromStdString(doc.value("version", ""));
                if (doc.contains("available_runtimes") && doc["available_runtimes"].is_array()) {
                    for (const auto& rt : doc["available_runtimes"]) {
                        if (rt.is_string())
                            m_result.runtimes << QString::fromStdString(rt.get<std::string>());
                    }
                }
                m_result.autotunerFound = true;
                m_result.dockerAvailable = doc.value("deployment_mode", "") == "docker";
            } else {
                m_result.notes << u"/api/system/info: %1"_s.arg(r.message());
            }
        } else {
            if (!r.ok() || !doc.is_object()) {
                m_result.gpuError = u"/api/dashboard/gpu-status: %1"_s.arg(r.ok() ? u"not JSON"_s : r.message());
            } else if (!doc.value("available", false)) {
                m_result.gpuError = u"the autotuner host reports no GPUs: %1"_s.arg(
                    QString::fromStdString(doc.value("error", std::string("unknown reason"))));
            } else if (doc.contains("gpus") && doc["gpus"].is_array()) {
                for (const auto& g : doc["gpus"]) {
                    if (!g.is_object())
                        continue;
                    GpuInfo info;
                    info.index = g.value("index", -1);
                    info.name = QString::fromStdString(g.value("name", std::string()));
                    info.memoryTotalMiB = g.value("memory_total_mb", static_cast<qint64>(-1));
                    info.memoryUsedMiB = g.value("memory_used_mb", static_cast<qint64>(-1));
                    int major = -1;
                    int minor = -1;
                    if (lookupComputeCapability(info.name, {}, &major, &minor)) {
                        info.ccMajor = major;
                        info.ccMinor = minor;
                        info.ccDerived = true;
                    }
                    m_result.gpus << info;
                }
            }
        }
        restStep(step + 1);
    });
}

void HostProbe::done()
{
    if (m_done)
        return;
    m_done = true;
    emit finished(m_result);
}

} // namespace QuantDesk

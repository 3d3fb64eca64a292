// quantdesk-cli probe: what GPU, engines, Docker and autotuner checkout a host has.

#include <QEventLoop>
#include <QProcessEnvironment>
#include <memory>

#include "app/cli/Cli.h"
#include "app/cli/Commands.h"
#include "app/cli/Options.h"
#include "core/remote/HostProbe.h"
#include "core/remote/RestClient.h"
#include "core/remote/SshTransport.h"

namespace QuantDesk::Cli
{

namespace
{

ProbeResult runProbe(HostProbe& probe)
{
    ProbeResult result;
    QEventLoop loop;
    QObject::connect(&probe, &HostProbe::finished, &loop, [&](const ProbeResult& r) {
        result = r;
        loop.quit();
    });
    probe.start();
    loop.exec();
    return result;
}

CommandResult runJob(ProcessJob* job)
{
    CommandResult result;
    QEventLoop loop;
    QObject::connect(job, &ProcessJob::finished, &loop, [&](const CommandResult& r) {
        result = r;
        loop.quit();
    });
    job->start();
    loop.exec();
    return result;
}

void printText(QTextStream& out, const ProbeResult& r)
{
    out << r.host.displayName() << '\n';
    if (!r.reachable) {
        out << "  unreachable: " << r.error << '\n';
        return;
    }
    if (r.gpus.isEmpty())
        out << "  GPUs: none (" << (r.gpuError.isEmpty() ? u"no GPU reported"_s : r.gpuError) << ")\n";
    for (const GpuInfo& g : r.gpus) {
        out << "  GPU " << g.index << ": " << g.name << ", " << g.memoryTotalMiB << " MiB, compute capability "
            << (g.hasComputeCapability() ? g.ccString() : u"unknown"_s) << (g.ccDerived ? " (looked up)" : "") << '\n';
    }
    if (!r.driverVersion.isEmpty() || !r.cudaVersion.isEmpty())
        out << "  driver " << r.driverVersion << ", CUDA " << r.cudaVersion << '\n';
    for (const QString& e : {u"vllm"_s, u"sglang"_s, u"trtllm"_s})
        out << "  " << e << ": " << r.engines.value(e, u"not installed"_s) << '\n';
    out << "  docker: " << (r.dockerAvailable ? r.dockerVersion : u"not available"_s) << '\n';
    if (!r.autotunerDir.isEmpty() || !r.autotunerVersion.isEmpty()) {
        out << "  autotuner: "
            << (r.autotunerVersion.isEmpty()
                    ? u"%1 (%2%3)"_s.arg(r.autotunerDir,
                                         r.autotunerFound ? u"found"_s : u"missing"_s,
                                         r.autotunerVenv ? u", venv"_s : QString())
                    : u"API %1, runtimes %2"_s.arg(r.autotunerVersion, r.runtimes.join(u", "_s)))
            << '\n';
    }
    for (const QString& n : r.notes)
        out << "  note: " << n << '\n';
}

} // namespace

int cmdProbe(const QStringList& args, QTextStream& out, QTextStream& err)
{
    const Options o(args,
                    {u"ssh"_s,
                     u"identity"_s,
                     u"autotuner-dir"_s,
                     u"trust-host-key"_s,
                     u"rest"_s,
                     u"token-env"_s,
                     u"timeout"_s,
                     u"format"_s,
                     u"ssh-config"_s,
                     u"known-hosts"_s},
                    {},
                    {u"local"_s});
    const QString format = o.value(u"format"_s, u"text"_s);
    if (format != u"text" && format != u"json")
        throw UsageError{u"--format: '%1' is not one of text, json"_s.arg(format)};
    const int kinds = int(o.has(u"local"_s)) + int(o.has(u"ssh"_s)) + int(o.has(u"rest"_s));
    if (kinds != 1)
        throw UsageError{u"probe needs exactly one of --local, --ssh [USER@]HOST[:PORT], --rest URL"_s};
    bool okTimeout = true;
    const int timeoutSec = o.value(u"timeout"_s, u"60"_s).toInt(&okTimeout);
    if (!okTimeout || timeoutSec < 1)
        throw UsageError{u"--timeout: '%1' is not a positive number of seconds"_s.arg(o.value(u"timeout"_s))};

    HostSpec host;
    std::unique_ptr<Transport> transport;
    std::unique_ptr<RestClient> rest;
    SshTransport* ssh = nullptr;
    if (o.has(u"local"_s)) {
        transport = std::make_unique<LocalTransport>();
        host = transport->host();
        host.autotunerDir = o.value(u"autotuner-dir"_s);
    } else if (o.has(u"ssh"_s)) {
        QString error;
        if (!parseSshTarget(o.value(u"ssh"_s), &host, &error))
            throw UsageError{error};
        host.identityFile = o.value(u"identity"_s);
        host.autotunerDir = o.value(u"autotuner-dir"_s);
        host.sshConfigFile = o.value(u"ssh-config"_s);
        SshOptions opts = SshOptions::defaults();
        if (o.has(u"known-hosts"_s))
            opts.knownHostsFile = o.value(u"known-hosts"_s);
        opts.connectTimeoutSec = std::min(timeoutSec, 30);
        auto t = std::make_unique<SshTransport>(host, opts);
        ssh = t.get();
        transport = std::move(t);
    } else {
        QUrl url;
        QString error;
        if (!parseRestUrl(o.value(u"rest"_s), &url, &error))
            throw UsageError{error};
        host.kind = HostSpec::Kind::Rest;
        host.baseUrl = url;
        rest = std::make_unique<RestClient>(url);
        rest->setTimeoutMs(timeoutSec * 1000);
        if (o.has(u"token-env"_s)) {
            const QString token = QProcessEnvironment::systemEnvironment().value(o.value(u"token-env"_s));
            if (token.isEmpty())
                throw UsageError{u"--token-env: the variable %1 is empty or not set"_s.arg(o.value(u"token-env"_s))};
            rest->setBearerToken(token);
        }
    }
    if (!rest && o.has(u"token-env"_s))
        throw UsageError{u"--token-env goes with --rest"_s};
    if (!ssh && (o.has(u"trust-host-key"_s) || o.has(u"identity"_s)))
        throw UsageError{u"--identity and --trust-host-key go with --ssh"_s};

    auto probeOnce = [&]() {
        std::unique_ptr<HostProbe> probe =
            rest ? std::make_unique<HostProbe>(rest.get(), host) : std::make_unique<HostProbe>(transport.get());
        probe->setTimeoutMs(timeoutSec * 1000);
        return runProbe(*probe);
    };
    ProbeResult result = probeOnce();

    // An unknown SSH host key: show its fingerprints; accept only the one the user names.
    if (ssh && !result.reachable) {
        CommandResult check;
        check.status = CommandResult::Status::Finished;
        check.exitCode = 255;
        check.standardError = result.error.toUtf8();
        if (result.error.contains(u"host key is not known"_s)) {
            std::unique_ptr<ProcessJob> scan(ssh->scanHostKeys(timeoutSec * 1000, nullptr));
            const CommandResult keys = runJob(scan.get());
            const QStringList fingerprints = hostKeyFingerprints(keys.standardOutput);
            if (fingerprints.isEmpty()) {
                err << "quantdesk-cli: " << result.error << "\nssh-keyscan could not fetch the host key: "
                    << QString::fromLocal8Bit(keys.standardError).trimmed() << '\n';
                return ExitHost;
            }
            const QString wanted = o.value(u"trust-host-key"_s);
            if (wanted.isEmpty()) {
                err << "quantdesk-cli: " << result.error << "\nThe host offers these keys:\n";
                for (const QString& f : fingerprints)
                    err << "  " << f << '\n';
                err << "Compare with the host's own `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub`, then run again with "
                       "--trust-host-key SHA256:...\n";
                return ExitHost;
            }
            QByteArray accepted;
            const QList<QByteArray> lines = keys.standardOutput.split('\n');
            for (const QByteArray& line : lines) {
                const QStringList fp = hostKeyFingerprints(line);
                if (!fp.isEmpty() && fp.constFirst().section(u' ', 1) == wanted)
                    accepted += line + '\n';
            }
            if (accepted.isEmpty()) {
                err << "quantdesk-cli: --trust-host-key " << wanted << " matches none of the host's keys:\n";
                for (const QString& f : fingerprints)
                    err << "  " << f << '\n';
                return ExitHost;
            }
            QString error;
            if (!ssh->acceptHostKeys(accepted, &error)) {
                err << "quantdesk-cli: cannot store the host key: " << error << '\n';
                return ExitHost;
            }
            err << "quantdesk-cli: accepted host key " << wanted << " for " << host.target() << '\n';
            result = probeOnce();
        }
    }

    if (format == u"json")
        out << QString::fromStdString(probeToJson(result).dump(2)) << '\n';
    else
        printText(out, result);
    if (!result.reachable) {
        err << "quantdesk-cli: " << result.error << '\n';
        return ExitHost;
    }
    return ExitOk;
}

} // namespace QuantDesk::Cli

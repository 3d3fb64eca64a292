#include "ui/hosts/HostProber.h"

#include "core/remote/RestClient.h"
#include "ui/hosts/HostStore.h"
#include "ui/hosts/SecretStore.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

HostProber::HostProber(SecretStore* secrets, QObject* parent)
    : QObject(parent), m_secrets(secrets), m_ssh(SshOptions::defaults())
{
    qRegisterMetaType<QuantDesk::ProbeResult>();
}

HostProber::~HostProber()
{
    for (const Run& r : std::as_const(m_runs))
        delete r.owner;
}

bool HostProber::isRunning(const QString& name) const
{
    return m_runs.contains(name);
}

std::optional<ProbeResult> HostProber::result(const QString& name) const
{
    const auto it = m_results.constFind(name);
    if (it == m_results.constEnd())
        return std::nullopt;
    return *it;
}

QStringList HostProber::pendingFingerprints(const QString& name) const
{
    return m_pendingKeys.value(name).fingerprints;
}

void HostProber::probe(const HostSpec& host)
{
    const QString name = host.displayName();
    if (m_runs.contains(name)) {
        Run old = m_runs.take(name);
        old.owner->deleteLater(); // its jobs are killed with it; no result for the replaced run
    }
    m_pendingKeys.remove(name);
    m_failures.remove(name);
    Run run;
    run.host = host;
    run.owner = new QObject(this);
    m_runs.insert(name, run);
    switch (host.kind) {
    case HostSpec::Kind::Local: {
        emit progress(name, tr("Probing this machine…"));
        runProbe(name, new LocalTransport(run.owner));
        break;
    }
    case HostSpec::Kind::Ssh:
        m_runs[name].ssh = new SshTransport(host, m_ssh, run.owner);
        connectSsh(name);
        break;
    case HostSpec::Kind::Rest: {
        emit progress(name, tr("Asking %1…").arg(host.baseUrl.toString()));
        auto* client = new RestClient(host.baseUrl, run.owner);
        client->setTimeoutMs(std::min(m_timeoutMs, 15000));
        if (m_secrets) {
            if (const auto token = m_secrets->cached(HostStore::secretKey(host)))
                client->setBearerToken(*token);
        }
        auto* probe = new HostProbe(client, host, run.owner);
        m_runs[name].probe = probe;
        connect(probe, &HostProbe::finished, this, [this, name, probe](const ProbeResult& r) {
            if (m_runs.value(name).probe == probe)
                finish(name, r);
        });
        probe->start();
        break;
    }
    }
}

void HostProber::connectSsh(const QString& name)
{
    Run& run = m_runs[name];
    emit progress(name, tr("Connecting to %1…").arg(run.host.target()));
    // A first command that does nothing: it tells a host key problem or a refused login apart from a probe failure.
    ProcessJob* job = run.ssh->command({u"true"_s}, m_ssh.connectTimeoutSec * 1000 + 15000, run.owner);
    run.job = job;
    connect(job, &ProcessJob::finished, this, [this, name, job](const CommandResult& r) {
        if (!m_runs.contains(name) || m_runs.value(name).job != job)
            return;
        Run& run = m_runs[name];
        ProbeResult result;
        result.host = run.host;
        result.autotunerDir = run.host.autotunerDir;
        const SshFailure failure = SshTransport::classify(r);
        m_failures.insert(name, failure);
        switch (failure) {
        case SshFailure::None:
            if (r.succeeded()) {
                runProbe(name, run.ssh);
                return;
            }
            result.error = tr("%1: the remote shell failed (exit %2): %3")
                               .arg(run.host.target())
                               .arg(r.exitCode)
                               .arg(QString::fromLocal8Bit(r.standardError).trimmed().left(300));
            break;
        case SshFailure::HostKeyUnknown:
            scanKeys(name);
            return;
        case SshFailure::HostKeyChanged:
            run.ssh->closeMaster();
            result.error = run.ssh->failureMessage(r);
            break;
        default:
            result.error = r.status == CommandResult::Status::Cancelled ? tr("Cancelled.") : run.ssh->failureMessage(r);
            break;
        }
        finish(name, result);
    });
    job->start();
}

void HostProber::scanKeys(const QString& name)
{
    Run& run = m_runs[name];
    emit progress(name, tr("The host key of %1 is not known: fetching it…").arg(run.host.target()));
    ProcessJob* job = run.ssh->scanHostKeys(m_ssh.connectTimeoutSec * 1000 + 10000, run.owner);
    run.job = job;
    connect(job, &ProcessJob::finished, this, [this, name, job](const CommandResult& r) {
        if (!m_runs.contains(name) || m_runs.value(name).job != job)
            return;
        const Run run = m_runs.value(name);
        ProbeResult result;
        result.host = run.host;
        result.autotunerDir = run.host.autotunerDir;
        const QStringList fingerprints = r.succeeded() ? hostKeyFingerprints(r.standardOutput) : QStringList();
        if (fingerprints.isEmpty()) {
            result.error = tr("%1: the host key is not known, and fetching it failed: %2")
                               .arg(run.host.target(), QString::fromLocal8Bit(r.standardError).trimmed().left(300));
            finish(name, result);
            return;
        }
        m_pendingKeys.insert(name, PendingKey{run.host, r.standardOutput, fingerprints});
        result.error = tr("%1: the host key is not known yet. Compare its fingerprint with the one the host's "
                          "administrator gives you, then accept it or not.")
                           .arg(run.host.target());
        finish(name, result);
        emit hostKeyUnknown(name, fingerprints);
    });
    job->start();
}

void HostProber::runProbe(const QString& name, Transport* transport)
{
    Run& run = m_runs[name];
    emit progress(name, tr("Probing %1: GPUs, engines, Docker, autotuner…").arg(run.host.displayName()));
    auto* probe = new HostProbe(transport, run.owner);
    probe->setTimeoutMs(m_timeoutMs);
    run.probe = probe;
    connect(probe, &HostProbe::finished, this, [this, name, probe](const ProbeResult& r) {
        if (m_runs.value(name).probe == probe)
            finish(name, r);
    });
    probe->start();
}

void HostProber::cancel(const QString& name)
{
    if (!m_runs.contains(name))
        return;
    const Run run = m_runs.value(name);
    ProbeResult result;
    result.host = run.host;
    result.error = tr("Probe of %1 cancelled.").arg(name);
    finish(name, result);
}

void HostProber::finish(const QString& name, ProbeResult result)
{
    if (m_runs.contains(name)) {
        Run run = m_runs.take(name);
        run.owner->deleteLater(); // kills whatever still runs
    }
    m_results.insert(name, result);
    emit finished(name, result);
}

bool HostProber::acceptHostKey(const QString& name, QString* error)
{
    if (!m_pendingKeys.contains(name)) {
        if (error)
            *error = tr("No host key of %1 is waiting for a decision.").arg(name);
        return false;
    }
    const PendingKey pending = m_pendingKeys.take(name);
    SshTransport transport(pending.host, m_ssh);
    if (!transport.acceptHostKeys(pending.keyLines, error))
        return false;
    probe(pending.host);
    return true;
}

void HostProber::rejectHostKey(const QString& name)
{
    m_pendingKeys.remove(name);
}

} // namespace QuantDesk

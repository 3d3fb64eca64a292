#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <optional>

#include "core/remote/HostProbe.h"
#include "core/remote/SshTransport.h"

namespace QuantDesk
{

class SecretStore;

// Runs host probes for the UI, asynchronously and cancellable, one at a time per host (hosts are named by
// HostSpec::displayName()). For SSH hosts it connects first, so an unknown host key is fetched and offered for an
// explicit accept (hostKeyUnknown) and a changed key is refused; REST hosts use their token from the SecretStore.
// Keeps the last result per host.
class HostProber final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostProber)

public:
    explicit HostProber(SecretStore* secrets, QObject* parent = nullptr);
    ~HostProber() override;

    void setSshOptions(const SshOptions& options) { m_ssh = options; }
    [[nodiscard]] const SshOptions& sshOptions() const { return m_ssh; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    // Starts a probe (a running one of the same host is cancelled first).
    void probe(const HostSpec& host);
    void cancel(const QString& name);
    [[nodiscard]] bool isRunning(const QString& name) const;
    [[nodiscard]] std::optional<ProbeResult> result(const QString& name) const;
    // Why the last SSH connection to the host failed (None: it connected, or it is not an SSH host).
    [[nodiscard]] SshFailure lastFailure(const QString& name) const { return m_failures.value(name, SshFailure::None); }

    // The host key an SSH host offered but nobody accepted yet: "ssh-ed25519 SHA256:…" per key.
    [[nodiscard]] QStringList pendingFingerprints(const QString& name) const;
    // Writes the offered keys to QuantDesk's own known_hosts and probes again; false with a message on failure.
    bool acceptHostKey(const QString& name, QString* error);
    void rejectHostKey(const QString& name);

signals:
    void progress(const QString& name, const QString& text);
    void hostKeyUnknown(const QString& name, const QStringList& fingerprints);
    void finished(const QString& name, const QuantDesk::ProbeResult& result);

private:
    struct Run
    {
        HostSpec host;
        QObject* owner = nullptr; // owns the transport, jobs and the probe of this run
        SshTransport* ssh = nullptr;
        QPointer<ProcessJob> job;
        QPointer<HostProbe> probe;
    };
    struct PendingKey
    {
        HostSpec host;
        QByteArray keyLines;
        QStringList fingerprints;
    };

    void connectSsh(const QString& name);
    void scanKeys(const QString& name);
    void runProbe(const QString& name, Transport* transport);
    void finish(const QString& name, ProbeResult result);

    SecretStore* m_secrets = nullptr;
    SshOptions m_ssh;
    int m_timeoutMs = 60000;
    QHash<QString, Run> m_runs;
    QHash<QString, ProbeResult> m_results;
    QHash<QString, PendingKey> m_pendingKeys;
    QHash<QString, SshFailure> m_failures;
};

} // namespace QuantDesk

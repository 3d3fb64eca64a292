#pragma once

#include "core/remote/Transport.h"

namespace QuantDesk
{

struct SshOptions
{
    QString knownHostsFile;     // QuantDesk's own known_hosts (host keys the user accepted here)
    QString userKnownHostsFile; // the user's; default ~/.ssh/known_hosts
    QString controlDir;         // where multiplexing sockets live; empty: no multiplexing
    int connectTimeoutSec = 10;
    QString sshProgram = QStringLiteral("ssh");
    QString scpProgram = QStringLiteral("scp");

    // Defaults under the app data folder and the runtime folder.
    [[nodiscard]] static SshOptions defaults();
};

// Why an ssh invocation failed, from ssh's exit code 255 and its messages.
enum class SshFailure {
    None,           // ssh connected; the remote command's exit code is the result
    HostKeyUnknown, // no known host key: fetch it and ask the user
    HostKeyChanged, // the host key differs from the known one: refuse
    AuthFailed,     // permission denied
    ConnectionRefused,
    Timeout,
    NameResolution,
    ProgramMissing, // ssh not installed
    Other,
};

// Commands over the system OpenSSH client: BatchMode (never a password prompt), host keys checked against the
// user's and QuantDesk's known_hosts (never StrictHostKeyChecking=no), connection multiplexing, and remote commands
// built from argument lists with POSIX shell quoting.
class SshTransport final : public Transport
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SshTransport)

public:
    SshTransport(HostSpec host, SshOptions options, QObject* parent = nullptr);
    ~SshTransport() override;

    [[nodiscard]] HostSpec host() const override { return m_host; }
    [[nodiscard]] const SshOptions& options() const { return m_options; }
    [[nodiscard]] ProcessJob* command(const QStringList& argv, int timeoutMs, QObject* parent) override;
    [[nodiscard]] ProcessJob*
    upload(const QString& localPath, const QString& remotePath, int timeoutMs, QObject* parent) override;
    [[nodiscard]] ProcessJob*
    download(const QString& remotePath, const QString& localPath, int timeoutMs, QObject* parent) override;
    [[nodiscard]] QString failureMessage(const CommandResult& result) const override;

    // The ssh arguments before the destination (options only); public for tests and for display.
    [[nodiscard]] QStringList sshOptions() const;
    [[nodiscard]] QString destination() const; // user@host
    // The single string ssh hands to the remote shell: every word quoted.
    [[nodiscard]] static QString remoteCommandLine(const QStringList& argv);

    [[nodiscard]] static SshFailure classify(const CommandResult& result);

    // Host keys: fetches the host's public keys (ssh-keyscan) for the user to inspect.
    [[nodiscard]] ProcessJob* scanHostKeys(int timeoutMs, QObject* parent) const;
    // Appends accepted key lines (as ssh-keyscan printed them) to QuantDesk's known_hosts, atomically.
    bool acceptHostKeys(const QByteArray& keyLines, QString* error) const;
    // Ends the multiplexing master, if any (e.g. before re-connecting after a host key change).
    void closeMaster();

private:
    HostSpec m_host;
    SshOptions m_options;
};

// "SHA256:…" fingerprints of host key lines as ssh-keyscan prints them ("[host]:port ssh-ed25519 AAAA…").
// Computed here (SHA-256 of the key blob, base64 without padding), exactly as ssh-keygen -l shows them.
[[nodiscard]] QStringList hostKeyFingerprints(const QByteArray& keyLines);

} // namespace QuantDesk

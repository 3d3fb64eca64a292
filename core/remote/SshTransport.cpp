#include "SshTransport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include <unistd.h>

#include "core/engines/EngineCommand.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

// ssh_config values are split on whitespace unless double-quoted.
QString sshConfigPath(const QString& path)
{
    if (path.contains(u' ') || path.contains(u'\t'))
        return u'"' + path + u'"';
    return path;
}

} // namespace

SshOptions SshOptions::defaults()
{
    SshOptions o;
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    o.knownHostsFile = data + u"/known_hosts"_s;
    o.userKnownHostsFile = QDir::homePath() + u"/.ssh/known_hosts"_s;
    // Without XDG_RUNTIME_DIR (cron, CI, su) Qt would warn on stderr and invent a folder: use the temp folder.
    QString runtime = qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")
                          ? QDir::tempPath()
                          : QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (runtime.isEmpty())
        runtime = QDir::tempPath();
    // Per user: the folder is private (0700), so another user on the same machine needs their own.
    o.controlDir = runtime + u"/quantdesk-ssh-%1"_s.arg(::getuid());
    return o;
}

SshTransport::SshTransport(HostSpec host, SshOptions options, QObject* parent)
    : Transport(parent), m_host(std::move(host)), m_options(std::move(options))
{
    if (!m_options.controlDir.isEmpty()) {
        QDir().mkpath(m_options.controlDir);
        QFile::setPermissions(m_options.controlDir,
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    if (!m_options.knownHostsFile.isEmpty())
        QDir().mkpath(QFileInfo(m_options.knownHostsFile).absolutePath());
}

SshTransport::~SshTransport() = default;

QString SshTransport::destination() const
{
    return m_host.user.isEmpty() ? m_host.hostname : m_host.user + u'@' + m_host.hostname;
}

QStringList SshTransport::sshOptions() const
{
    QStringList o;
    if (!m_host.sshConfigFile.isEmpty())
        o << u"-F"_s << m_host.sshConfigFile;
    o << u"-o"_s << u"BatchMode=yes"_s;
    o << u"-o"_s << u"StrictHostKeyChecking=yes"_s;
    o << u"-o"_s << u"ConnectTimeout=%1"_s.arg(m_options.connectTimeoutSec);
    o << u"-o"_s << u"ServerAliveInterval=15"_s << u"-o"_s << u"ServerAliveCountMax=3"_s;
    QStringList knownHosts;
    if (!m_options.userKnownHostsFile.isEmpty())
        knownHosts << sshConfigPath(m_options.userKnownHostsFile);
    if (!m_options.knownHostsFile.isEmpty())
        knownHosts << sshConfigPath(m_options.knownHostsFile);
    if (!knownHosts.isEmpty())
        o << u"-o"_s << u"UserKnownHostsFile="_s + knownHosts.join(u' ');
    if (!m_options.controlDir.isEmpty()) {
        o << u"-o"_s << u"ControlMaster=auto"_s;
        o << u"-o"_s << u"ControlPath="_s + sshConfigPath(m_options.controlDir + u"/%C"_s);
        o << u"-o"_s << u"ControlPersist=60"_s;
    }
    if (!m_host.identityFile.isEmpty())
        o << u"-i"_s << m_host.identityFile << u"-o"_s << u"IdentitiesOnly=yes"_s;
    return o;
}

QString SshTransport::remoteCommandLine(const QStringList& argv)
{
    return shellJoin(argv);
}

ProcessJob* SshTransport::command(const QStringList& argv, int timeoutMs, QObject* parent)
{
    QStringList args = sshOptions();
    if (m_host.port > 0)
        args << u"-p"_s << QString::number(m_host.port);
    // "--" ends ssh's options: a host named like an option cannot inject one (parseSshTarget refuses those too).
    args << u"--"_s << destination() << remoteCommandLine(argv);
    return new ProcessJob(m_options.sshProgram, args, timeoutMs, parent);
}

ProcessJob* SshTransport::upload(const QString& localPath, const QString& remotePath, int timeoutMs, QObject* parent)
{
    QStringList args = sshOptions();
    if (m_host.port > 0)
        args << u"-P"_s << QString::number(m_host.port);
    // OpenSSH 9 scp uses the SFTP protocol: the remote path is taken literally, never by a shell.
    args << u"-q"_s << u"--"_s << localPath << destination() + u':' + remotePath;
    return new ProcessJob(m_options.scpProgram, args, timeoutMs, parent);
}

ProcessJob* SshTransport::download(const QString& remotePath, const QString& localPath, int timeoutMs, QObject* parent)
{
    QStringList args = sshOptions();
    if (m_host.port > 0)
        args << u"-P"_s << QString::number(m_host.port);
    args << u"-q"_s << u"--"_s << destination() + u':' + remotePath << localPath;
    return new ProcessJob(m_options.scpProgram, args, timeoutMs, parent);
}

SshFailure SshTransport::classify(const CommandResult& result)
{
    if (result.status == CommandResult::Status::FailedToStart)
        return SshFailure::ProgramMissing;
    if (result.status == CommandResult::Status::TimedOut)
        return SshFailure::Timeout;
    if (result.status != CommandResult::Status::Finished || result.exitCode != 255)
        return SshFailure::None;
    const QByteArray err = result.standardError;
    if (err.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") || err.contains("Host key for") ||
        err.contains("host key has changed"))
        return SshFailure::HostKeyChanged;
    if (err.contains("Host key verification failed") || (err.contains("No ") && err.contains("host key is known")))
        return SshFailure::HostKeyUnknown;
    if (err.contains("Permission denied") || err.contains("Too many authentication failures"))
        return SshFailure::AuthFailed;
    if (err.contains("Connection refused"))
        return SshFailure::ConnectionRefused;
    if (err.contains("timed out") || err.contains("Connection timed out"))
        return SshFailure::Timeout;
    if (err.contains("Could not resolve hostname") || err.contains("Name or service not known"))
        return SshFailure::NameResolution;
    return SshFailure::Other;
}

QString SshTransport::failureMessage(const CommandResult& result) const
{
    const QString target = m_host.target();
    const QString detail = QString::fromLocal8Bit(result.standardError).trimmed().section(u'\n', -1);
    switch (classify(result)) {
    case SshFailure::None:
        return Transport::failureMessage(result);
    case SshFailure::HostKeyUnknown:
        return u"%1: the host key is not known yet. Check its fingerprint and accept it before connecting "
               "(QuantDesk never connects to an unverified host)."_s.arg(target);
    case SshFailure::HostKeyChanged:
        return u"%1: WARNING: the host key has CHANGED since it was accepted. This can mean someone is "
               "intercepting the connection. QuantDesk refuses to connect; if the host was reinstalled, remove its "
               "old key from known_hosts (ssh-keygen -R) and accept the new one."_s.arg(target);
    case SshFailure::AuthFailed:
        return u"%1: authentication refused (%2). QuantDesk uses keys and agents only (BatchMode): check the user, "
               "the identity file and that the key is in the host's authorized_keys."_s.arg(target, detail);
    case SshFailure::ConnectionRefused:
        return u"%1: connection refused: no SSH server is listening on that port."_s.arg(target);
    case SshFailure::Timeout:
        return u"%1: no answer within the timeout (%2 s): the host is down, unreachable or hanging."_s.arg(target).arg(
            result.status == CommandResult::Status::TimedOut ? result.elapsedMs / 1000 : m_options.connectTimeoutSec);
    case SshFailure::NameResolution:
        return u"%1: the host name cannot be resolved."_s.arg(target);
    case SshFailure::ProgramMissing:
        return u"the OpenSSH client (%1) is not installed: %2"_s.arg(m_options.sshProgram, result.errorString);
    case SshFailure::Other:
        return u"%1: ssh failed: %2"_s.arg(target, detail);
    }
    return {};
}

ProcessJob* SshTransport::scanHostKeys(int timeoutMs, QObject* parent) const
{
    QStringList args{u"-T"_s, QString::number(std::max(1, m_options.connectTimeoutSec))};
    if (m_host.port > 0)
        args << u"-p"_s << QString::number(m_host.port);
    args << u"--"_s << m_host.hostname;
    return new ProcessJob(u"ssh-keyscan"_s, args, timeoutMs, parent);
}

bool SshTransport::acceptHostKeys(const QByteArray& keyLines, QString* error) const
{
    QByteArray lines;
    for (const QByteArray& line : keyLines.split('\n')) {
        const QByteArray t = line.trimmed();
        if (t.isEmpty() || t.startsWith('#'))
            continue;
        if (t.split(' ').size() < 3) {
            if (error)
                *error = u"not a host key line: %1"_s.arg(QString::fromUtf8(t.left(80)));
            return false;
        }
        lines += t + '\n';
    }
    if (lines.isEmpty()) {
        if (error)
            *error = u"no host keys to accept"_s;
        return false;
    }
    QByteArray existing;
    QFile in(m_options.knownHostsFile);
    if (in.exists()) {
        if (!in.open(QIODevice::ReadOnly)) {
            if (error)
                *error = u"%1: %2"_s.arg(m_options.knownHostsFile, in.errorString());
            return false;
        }
        existing = in.readAll();
        in.close();
        if (!existing.isEmpty() && !existing.endsWith('\n'))
            existing += '\n';
    }
    QSaveFile out(m_options.knownHostsFile);
    if (!out.open(QIODevice::WriteOnly) || out.write(existing + lines) < 0 || !out.commit()) {
        if (error)
            *error = u"%1: %2"_s.arg(m_options.knownHostsFile, out.errorString());
        return false;
    }
    return true;
}

void SshTransport::closeMaster()
{
    if (m_options.controlDir.isEmpty())
        return;
    QStringList args = sshOptions();
    if (m_host.port > 0)
        args << u"-p"_s << QString::number(m_host.port);
    args << u"-O"_s << u"exit"_s << u"--"_s << destination();
    auto* job = new ProcessJob(m_options.sshProgram, args, 5000, this);
    connect(job, &ProcessJob::finished, job, &QObject::deleteLater);
    job->start();
}

QStringList hostKeyFingerprints(const QByteArray& keyLines)
{
    QStringList out;
    for (const QByteArray& line : keyLines.split('\n')) {
        const QByteArray t = line.trimmed();
        if (t.isEmpty() || t.startsWith('#'))
            continue;
        const QList<QByteArray> parts = t.split(' ');
        if (parts.size() < 3)
            continue;
        const QByteArray blob = QByteArray::fromBase64(parts.at(2));
        QByteArray fp = QCryptographicHash::hash(blob, QCryptographicHash::Sha256).toBase64();
        while (fp.endsWith('='))
            fp.chop(1);
        out << u"%1 SHA256:%2"_s.arg(QString::fromLatin1(parts.at(1)), QString::fromLatin1(fp));
    }
    return out;
}

} // namespace QuantDesk

#include "SshModelFileReader.h"

#include <QProcess>

#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

// $1 folder, $2 relative path, $3 byte limit. Exit 3: no such file.
const QString kReadScript = uR"SH(f="$1/$2"; [ -f "$f" ] || exit 3; head -c "$3" -- "$f")SH"_s;

} // namespace

SshModelFileReader::SshModelFileReader(HostSpec host, SshOptions options, QString folder, int timeoutMs)
    : m_host(std::move(host)), m_options(std::move(options)), m_folder(std::move(folder)), m_timeoutMs(timeoutMs)
{
    while (m_folder.size() > 1 && m_folder.endsWith(u'/'))
        m_folder.chop(1);
}

QString SshModelFileReader::location() const
{
    return m_host.target() + u':' + m_folder;
}

std::optional<QByteArray>
SshModelFileReader::readFile(const QString& relativePath, qint64 maxBytes, QString* error) const
{
    if (relativePath.startsWith(u'/') || relativePath.split(u'/').contains(u".."_s)) {
        if (error)
            *error = u"refusing to read %1 outside the model folder"_s.arg(relativePath);
        return std::nullopt;
    }
    const SshTransport transport(m_host, m_options);
    QStringList args = transport.sshOptions();
    if (m_host.port > 0)
        args << u"-p"_s << QString::number(m_host.port);
    args
        << u"--"_s << transport.destination()
        << SshTransport::remoteCommandLine(
               {u"sh"_s, u"-c"_s, kReadScript, u"quantdesk-read"_s, m_folder, relativePath, QString::number(maxBytes)});
    QProcess p;
    p.start(m_options.sshProgram, args);
    if (!p.waitForStarted(m_timeoutMs)) {
        if (error)
            *error = u"cannot run %1: %2"_s.arg(m_options.sshProgram, p.errorString());
        return std::nullopt;
    }
    QByteArray out;
    while (p.state() != QProcess::NotRunning) {
        if (!p.waitForReadyRead(m_timeoutMs) && p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished(1000);
            if (error)
                *error = u"%1: no answer within %2 s"_s.arg(location()).arg(m_timeoutMs / 1000);
            return std::nullopt;
        }
        out += p.readAllStandardOutput();
        if (out.size() > maxBytes + 4096) { // never hold more than asked for
            p.kill();
            p.waitForFinished(1000);
            break;
        }
    }
    p.waitForFinished(m_timeoutMs);
    out += p.readAllStandardOutput();
    if (p.exitCode() == 3)
        return std::nullopt; // no such file
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        CommandResult r;
        r.exitCode = p.exitCode();
        r.standardError = p.readAllStandardError();
        if (error) {
            const QString why = transport.failureMessage(r);
            *error =
                why.isEmpty()
                    ? u"%1/%2: %3"_s.arg(location(), relativePath, QString::fromLocal8Bit(r.standardError).trimmed())
                    : why;
        }
        return std::nullopt;
    }
    return out.left(maxBytes);
}

bool SshModelFileReader::exists(const QString& relativePath) const
{
    QString error;
    return readFile(relativePath, 0, &error).has_value();
}

QFuture<ModelInfo> inspectRemoteModel(const HostSpec& host, const SshOptions& options, const QString& folder)
{
    return QtConcurrent::run([host, options, folder] {
        const SshModelFileReader reader(host, options, folder);
        return inspectModel(folder, reader);
    });
}

} // namespace QuantDesk

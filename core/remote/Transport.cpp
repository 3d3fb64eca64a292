#include "Transport.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

Transport::~Transport() = default;

QString Transport::failureMessage(const CommandResult& result) const
{
    switch (result.status) {
    case CommandResult::Status::FailedToStart:
    case CommandResult::Status::Crashed:
        return result.errorString;
    case CommandResult::Status::TimedOut:
        return u"%1 did not answer within %2 s"_s.arg(host().displayName()).arg(result.elapsedMs / 1000.0, 0, 'f', 1);
    case CommandResult::Status::Cancelled:
        return u"cancelled"_s;
    case CommandResult::Status::Finished:
        break;
    }
    return {};
}

LocalTransport::LocalTransport(QObject* parent) : Transport(parent) {}

LocalTransport::~LocalTransport() = default;

HostSpec LocalTransport::host() const
{
    HostSpec h;
    h.kind = HostSpec::Kind::Local;
    h.name = u"this computer"_s;
    return h;
}

ProcessJob* LocalTransport::command(const QStringList& argv, int timeoutMs, QObject* parent)
{
    Q_ASSERT(!argv.isEmpty());
    return new ProcessJob(argv.constFirst(), argv.mid(1), timeoutMs, parent);
}

ProcessJob* LocalTransport::upload(const QString& localPath, const QString& remotePath, int timeoutMs, QObject* parent)
{
    return new ProcessJob(u"cp"_s, {u"--"_s, localPath, remotePath}, timeoutMs, parent);
}

ProcessJob*
LocalTransport::download(const QString& remotePath, const QString& localPath, int timeoutMs, QObject* parent)
{
    return new ProcessJob(u"cp"_s, {u"--"_s, remotePath, localPath}, timeoutMs, parent);
}

} // namespace QuantDesk

#pragma once

#include <QObject>
#include <QStringList>

#include "core/remote/HostSpec.h"
#include "core/remote/ProcessJob.h"

namespace QuantDesk
{

// Runs commands on a host. The command is an argument list; transports that go through a remote shell quote every
// word, so user data always arrives as data.
class Transport : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Transport)

public:
    using QObject::QObject;
    ~Transport() override;

    [[nodiscard]] virtual HostSpec host() const = 0;
    // A job (not started yet) that runs argv on the host. The caller owns it through parent.
    [[nodiscard]] virtual ProcessJob* command(const QStringList& argv, int timeoutMs, QObject* parent) = 0;
    // A job that copies a local file to the host.
    [[nodiscard]] virtual ProcessJob*
    upload(const QString& localPath, const QString& remotePath, int timeoutMs, QObject* parent) = 0;
    // A job that copies a file from the host.
    [[nodiscard]] virtual ProcessJob*
    download(const QString& remotePath, const QString& localPath, int timeoutMs, QObject* parent) = 0;
    // Explains a failed job in words a user can act on ("" when the command itself ran and just exited non-zero).
    [[nodiscard]] virtual QString failureMessage(const CommandResult& result) const;
};

class LocalTransport final : public Transport
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalTransport)

public:
    explicit LocalTransport(QObject* parent = nullptr);
    ~LocalTransport() override;

    [[nodiscard]] HostSpec host() const override;
    [[nodiscard]] ProcessJob* command(const QStringList& argv, int timeoutMs, QObject* parent) override;
    [[nodiscard]] ProcessJob*
    upload(const QString& localPath, const QString& remotePath, int timeoutMs, QObject* parent) override;
    [[nodiscard]] ProcessJob*
    download(const QString& remotePath, const QString& localPath, int timeoutMs, QObject* parent) override;
};

} // namespace QuantDesk

#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

class QTimer;

namespace QuantDesk {

struct CommandResult
{
    enum class Status
    {
        Finished,      // the program ran and exited; see exitCode
        FailedToStart, // e.g. ssh is not installed
        TimedOut,      // killed after the timeout
        Cancelled,     // killed on request
        Crashed,
    };
    Status status = Status::Finished;
    int exitCode = -1;
    QByteArray standardOutput;
    QByteArray standardError;
    QString errorString; // for FailedToStart / Crashed
    qint64 elapsedMs = 0;

    [[nodiscard]] bool succeeded() const { return status == Status::Finished && exitCode == 0; }
};

// One asynchronous process with a timeout: never blocks the calling thread. Output is collected (and streamed
// through the signals); finished() is emitted exactly once. Arguments are a list, never a shell string.
class ProcessJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProcessJob)

public:
    ProcessJob(QString program, QStringList arguments, int timeoutMs, QObject* parent = nullptr);
    ~ProcessJob() override;

    void setStandardInput(const QByteArray& data) { m_stdin = data; }
    void setWorkingDirectory(const QString& dir);
    void start();
    void cancel();

    [[nodiscard]] const QString& program() const { return m_program; }
    [[nodiscard]] const QStringList& arguments() const { return m_arguments; }
    [[nodiscard]] bool isFinished() const { return m_done; }
    [[nodiscard]] const CommandResult& result() const { return m_result; }

signals:
    void standardOutputRead(const QByteArray& chunk);
    void standardErrorRead(const QByteArray& chunk);
    void finished(const QuantDesk::CommandResult& result);

private:
    void finish(CommandResult::Status status);

    QString m_program;
    QStringList m_arguments;
    int m_timeoutMs = 0;
    QByteArray m_stdin;
    QProcess* m_process = nullptr;
    QTimer* m_timer = nullptr;
    QElapsedTimer m_clock;
    CommandResult m_result;
    bool m_done = false;
    bool m_cancelled = false;
    bool m_timedOut = false;
};

} // namespace QuantDesk

Q_DECLARE_METATYPE(QuantDesk::CommandResult)

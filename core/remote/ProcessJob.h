#pragma once

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

namespace QuantDesk
{

struct CommandResult
{
    enum class Status {
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

class ProcessWorker;

// One asynchronous process with a timeout. The process itself is started and watched on a shared background
// thread (starting a process blocks until the child has exec'd, which can take tens of milliseconds on a loaded
// machine), so the thread that owns a ProcessJob never waits. Output is collected and streamed through the signals;
// finished() is emitted exactly once, on the owner's thread. Arguments are a list, never a shell string.
class ProcessJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProcessJob)

public:
    ProcessJob(QString program, QStringList arguments, int timeoutMs, QObject* parent = nullptr);
    ~ProcessJob() override; // kills the process if it still runs

    void setStandardInput(const QByteArray& data) { m_stdin = data; }
    void setWorkingDirectory(const QString& dir) { m_workingDirectory = dir; }
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
    QString m_program;
    QStringList m_arguments;
    int m_timeoutMs = 0;
    QByteArray m_stdin;
    QString m_workingDirectory;
    QPointer<ProcessWorker> m_worker;
    CommandResult m_result;
    bool m_started = false;
    bool m_done = false;
};

} // namespace QuantDesk

Q_DECLARE_METATYPE(QuantDesk::CommandResult)

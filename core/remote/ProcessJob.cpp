#include "ProcessJob.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMutex>
#include <QProcess>
#include <QThread>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{
[[maybe_unused]] constexpr int kChildNice = 10;
} // namespace

// Lives on the process thread: owns the QProcess and its timeout.
class ProcessWorker final : public QObject
{
    Q_OBJECT

public:
    ProcessWorker(QString program, QStringList arguments, int timeoutMs, QByteArray stdinData, QString workingDir)
        : m_program(std::move(program)), m_arguments(std::move(arguments)), m_timeoutMs(timeoutMs),
          m_stdin(std::move(stdinData)), m_workingDir(std::move(workingDir))
    {}

    ~ProcessWorker() override
    {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_process->disconnect(this);
            m_process->kill();
            m_process->waitForFinished(1000); // on the process thread, never the owner's
        }
    }

    void run()
    {
        m_process = new QProcess(this);
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, [this] {
            m_timedOut = true;
            m_process->kill();
        });
        connect(m_process, &QProcess::readyReadStandardOutput, this, [this] {
            const QByteArray chunk = m_process->readAllStandardOutput();
            m_result.standardOutput += chunk;
            emit standardOutputRead(chunk);
        });
        connect(m_process, &QProcess::readyReadStandardError, this, [this] {
            const QByteArray chunk = m_process->readAllStandardError();
            m_result.standardError += chunk;
            emit standardErrorRead(chunk);
        });
        connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
            if (error == QProcess::FailedToStart) {
                m_result.errorString = u"cannot run %1: %2"_s.arg(m_program, m_process->errorString());
                finish(CommandResult::Status::FailedToStart);
            }
        });
        connect(m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
            m_result.standardOutput += m_process->readAllStandardOutput();
            m_result.standardError += m_process->readAllStandardError();
            m_result.exitCode = exitCode;
            if (m_cancelled)
                finish(CommandResult::Status::Cancelled);
            else if (m_timedOut)
                finish(CommandResult::Status::TimedOut);
            else if (status == QProcess::CrashExit) {
                m_result.errorString = u"%1 crashed"_s.arg(m_program);
                finish(CommandResult::Status::Crashed);
            } else {
                finish(CommandResult::Status::Finished);
            }
        });
        m_clock.start();
        if (m_timeoutMs > 0)
            m_timer->start(m_timeoutMs);
        if (!m_workingDir.isEmpty())
            m_process->setWorkingDirectory(m_workingDir);
#ifdef Q_OS_LINUX
        // The processes QuantDesk starts (ssh, sh, cp, tail) yield the CPU to the UI thread: set in the child,
        // after fork. Not on the forking thread itself: while it forks it holds the address space lock the UI thread
        // needs to fault in a page, and at a low priority it would be descheduled holding it (a 100 ms stall while
        // 25 job starts compete for two cores).
        m_process->setChildProcessModifier([] { setpriority(PRIO_PROCESS, 0, kChildNice); });
#endif
        if (m_cancelled) {
            finish(CommandResult::Status::Cancelled);
            return;
        }
        m_process->start(m_program, m_arguments);
        if (!m_stdin.isEmpty())
            m_process->write(m_stdin);
        m_process->closeWriteChannel();
    }

    void cancel()
    {
        m_cancelled = true;
        if (m_process && m_process->state() != QProcess::NotRunning)
            m_process->kill();
    }

signals:
    void standardOutputRead(const QByteArray& chunk);
    void standardErrorRead(const QByteArray& chunk);
    void finished(const QuantDesk::CommandResult& result);

private:
    void finish(CommandResult::Status status)
    {
        if (m_done)
            return;
        m_done = true;
        if (m_timer)
            m_timer->stop();
        m_result.status = status;
        m_result.elapsedMs = m_clock.isValid() ? m_clock.elapsed() : 0;
        emit finished(m_result);
    }

    QString m_program;
    QStringList m_arguments;
    int m_timeoutMs = 0;
    QByteArray m_stdin;
    QString m_workingDir;
    QProcess* m_process = nullptr;
    QTimer* m_timer = nullptr;
    QElapsedTimer m_clock;
    CommandResult m_result;
    bool m_done = false;
    bool m_cancelled = false;
    bool m_timedOut = false;
};

namespace
{

QMutex g_threadMutex;
QThread* g_thread = nullptr;

void stopProcessThread()
{
    QMutexLocker lock(&g_threadMutex);
    if (g_thread) {
        g_thread->quit();
        g_thread->wait();
        delete g_thread;
        g_thread = nullptr;
    }
}

QThread* processThread()
{
    QMutexLocker lock(&g_threadMutex);
    if (!g_thread) {
        g_thread = new QThread;
        g_thread->setObjectName(u"QuantDesk processes"_s);
        g_thread->start();
        // Stop the thread (deleting the workers it still has) before the application object goes away.
        qAddPostRoutine(stopProcessThread);
    }
    return g_thread;
}

} // namespace

ProcessJob::ProcessJob(QString program, QStringList arguments, int timeoutMs, QObject* parent)
    : QObject(parent), m_program(std::move(program)), m_arguments(std::move(arguments)), m_timeoutMs(timeoutMs)
{
    qRegisterMetaType<QuantDesk::CommandResult>();
}

ProcessJob::~ProcessJob()
{
    if (m_worker)
        m_worker->deleteLater(); // on its own thread; kills a process that still runs
}

void ProcessJob::start()
{
    if (m_started)
        return;
    m_started = true;
    auto* worker = new ProcessWorker(m_program, m_arguments, m_timeoutMs, m_stdin, m_workingDirectory);
    worker->moveToThread(processThread());
    m_worker = worker;
    connect(worker, &ProcessWorker::standardOutputRead, this, [this](const QByteArray& chunk) {
        m_result.standardOutput += chunk;
        emit standardOutputRead(chunk);
    });
    connect(worker, &ProcessWorker::standardErrorRead, this, [this](const QByteArray& chunk) {
        m_result.standardError += chunk;
        emit standardErrorRead(chunk);
    });
    connect(worker, &ProcessWorker::finished, this, [this](const CommandResult& r) {
        if (m_done)
            return;
        m_done = true;
        m_result = r;
        if (m_worker)
            m_worker->deleteLater();
        m_worker = nullptr;
        emit finished(m_result);
    });
    QMetaObject::invokeMethod(worker, &ProcessWorker::run, Qt::QueuedConnection);
}

void ProcessJob::cancel()
{
    if (m_done)
        return;
    if (!m_started) {
        m_done = true;
        m_result.status = CommandResult::Status::Cancelled;
        emit finished(m_result);
        return;
    }
    if (m_worker)
        QMetaObject::invokeMethod(m_worker.data(), &ProcessWorker::cancel, Qt::QueuedConnection);
}

} // namespace QuantDesk

#include "ProcessJob.moc"

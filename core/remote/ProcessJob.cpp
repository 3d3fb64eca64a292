#include "ProcessJob.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace QuantDesk {

ProcessJob::ProcessJob(QString program, QStringList arguments, int timeoutMs, QObject* parent)
    : QObject(parent)
    , m_program(std::move(program))
    , m_arguments(std::move(arguments))
    , m_timeoutMs(timeoutMs)
    , m_process(new QProcess(this))
    , m_timer(new QTimer(this))
{
    qRegisterMetaType<QuantDesk::CommandResult>();
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
}

ProcessJob::~ProcessJob()
{
    if (m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

void ProcessJob::setWorkingDirectory(const QString& dir)
{
    m_process->setWorkingDirectory(dir);
}

void ProcessJob::start()
{
    m_clock.start();
    if (m_timeoutMs > 0)
        m_timer->start(m_timeoutMs);
    m_process->start(m_program, m_arguments);
    if (!m_stdin.isEmpty())
        m_process->write(m_stdin);
    m_process->closeWriteChannel();
}

void ProcessJob::cancel()
{
    if (m_done)
        return;
    m_cancelled = true;
    if (m_process->state() == QProcess::NotRunning)
        finish(CommandResult::Status::Cancelled);
    else
        m_process->kill();
}

void ProcessJob::finish(CommandResult::Status status)
{
    if (m_done)
        return;
    m_done = true;
    m_timer->stop();
    m_result.status = status;
    m_result.elapsedMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    emit finished(m_result);
}

} // namespace QuantDesk

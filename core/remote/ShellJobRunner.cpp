#include "ShellJobRunner.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include "core/remote/ProcessJob.h"
#include "core/remote/Transport.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

constexpr int kCommandTimeoutMs = 60000;

QString jobsRoot(const HostSpec& host)
{
    QString at = host.autotunerDir;
    while (at.endsWith(u'/') && at.size() > 1)
        at.chop(1);
    return at + u"/.quantdesk/jobs"_s;
}

} // namespace

ShellJobRunner::ShellJobRunner(JobStore* store, const JobRecord& job, Transport* transport, QObject* parent)
    : JobRunner(store, job, parent), m_transport(transport)
{}

ShellJobRunner::~ShellJobRunner()
{
    if (!m_localTaskFile.isEmpty())
        QFile::remove(m_localTaskFile);
}

QString ShellJobRunner::startScript()
{
    // $1 job folder, $2 autotuner checkout, $3 a nice value for the run's scheduling group or empty. The runner is
    // its own session and process group (setsid), detached from the connection (no stdin/stdout), and records its
    // pid and exit code in the job folder. A new session is also a new autogroup on Linux, where a process's nice
    // value counts only against its own group: on the machine the app runs on ($3 set) the group itself is niced so
    // a burst of job starts cannot take the CPU from the window.
    return uR"SH(d=$1; at=$2; ag=$3
cd -- "$at" || { echo "no autotuner checkout at $at" >&2; exit 90; }
[ -f src/run_autotuner.py ] || { echo "$at has no src/run_autotuner.py" >&2; exit 91; }
py="$at/env/bin/python"; [ -x "$py" ] || py=python3
command -v setsid >/dev/null 2>&1 || { echo "setsid is not installed on the host" >&2; exit 92; }
rm -f -- "$d/exit" "$d/pid"
setsid sh -c '[ -n "$2" ] && [ -w /proc/$$/autogroup ] && echo "$2" > /proc/$$/autogroup 2>/dev/null
echo $$ > "$1/pid"; "$0" src/run_autotuner.py "$1/task.json" --mode docker > "$1/log" 2>&1; echo $? > "$1/exit"' "$py" "$d" "$ag" < /dev/null > /dev/null 2>&1 &
i=0; while [ ! -s "$d/pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
echo "started $(cat "$d/pid" 2>/dev/null)"
)SH"_s;
}

ProcessJob* ShellJobRunner::command(const QStringList& argv, int timeoutMs)
{
    return m_transport->command(argv, timeoutMs, this);
}

bool ShellJobRunner::handleTransportFailure(const CommandResult& r)
{
    const QString failure = m_transport ? m_transport->failureMessage(r) : u"the host is gone"_s;
    if (failure.isEmpty())
        return false;
    if (countFailure(failure))
        return true;
    setDetail(u"%1; retrying in %2 s"_s.arg(failure).arg(backoffMs() / 1000), true);
    return true;
}

void ShellJobRunner::start()
{
    m_job.remoteDir = jobsRoot(m_job.host) + u'/' + m_job.uuid;
    m_job.experimentsTotal = autotunerExperimentCount(m_job.taskJson);
    setState(JobState::Uploading, u"uploading the task to %1"_s.arg(m_job.remoteDir));
    ProcessJob* mk = command({u"mkdir"_s, u"-p"_s, u"--"_s, m_job.remoteDir}, kCommandTimeoutMs);
    connect(mk, &ProcessJob::finished, this, [this, mk](const CommandResult& r) {
        mk->deleteLater();
        if (!r.succeeded()) {
            const QString why = m_transport->failureMessage(r);
            fail(u"cannot create the job folder %1: %2"_s.arg(
                m_job.remoteDir, why.isEmpty() ? QString::fromLocal8Bit(r.standardError).trimmed() : why));
            return;
        }
        upload();
    });
    mk->start();
}

void ShellJobRunner::upload()
{
    m_localTaskFile = QDir::tempPath() + u"/quantdesk-task-%1.json"_s.arg(m_job.uuid);
    // A scratch copy for scp, removed after the upload: no need for QSaveFile's fsync here.
    QFile f(m_localTaskFile);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(m_job.taskJson) != m_job.taskJson.size()) {
        fail(u"cannot write %1: %2"_s.arg(m_localTaskFile, f.errorString()));
        return;
    }
    f.close(); // flushed and closed before the copy starts on the process thread
    ProcessJob* up = m_transport->upload(m_localTaskFile, m_job.remoteDir + u"/task.json"_s, kCommandTimeoutMs, this);
    connect(up, &ProcessJob::finished, this, [this, up](const CommandResult& r) {
        up->deleteLater();
        QFile::remove(m_localTaskFile);
        if (!r.succeeded()) {
            const QString why = m_transport->failureMessage(r);
            fail(u"upload failed: %1"_s.arg(why.isEmpty() ? QString::fromLocal8Bit(r.standardError).trimmed() : why));
            return;
        }
        launch();
    });
    up->start();
}

void ShellJobRunner::launch()
{
    ProcessJob* run = command({u"sh"_s,
                               u"-c"_s,
                               startScript(),
                               u"quantdesk-job"_s,
                               m_job.remoteDir,
                               m_job.host.autotunerDir,
                               m_job.host.kind == HostSpec::Kind::Local ? u"10"_s : QString()},
                              kCommandTimeoutMs);
    connect(run, &ProcessJob::finished, this, [this, run](const CommandResult& r) {
        run->deleteLater();
        const QByteArray out = r.standardOutput.trimmed();
        if (!r.succeeded() || !out.startsWith("started ")) {
            const QString why = m_transport->failureMessage(r);
            fail(u"could not start run_autotuner.py: %1"_s.arg(
                why.isEmpty() ? QString::fromLocal8Bit(r.standardError + r.standardOutput).trimmed() : why));
            return;
        }
        m_job.remotePid = out.mid(8).trimmed().toLongLong();
        setState(JobState::Running, u"run_autotuner.py started (process group %1)"_s.arg(m_job.remotePid));
        schedulePoll(0);
    });
    run->start();
}

void ShellJobRunner::resume()
{
    if (m_job.state == JobState::Queued) {
        start();
        return;
    }
    if (m_job.state == JobState::Uploading) {
        // The upload may or may not have happened: start over in the same folder.
        start();
        return;
    }
    m_store->addEvent(m_job.id, m_job.state, u"re-attached after a restart"_s);
    // Feed the stored log so experiment numbering continues.
    m_tracker.feed(m_store->log(m_job.id));
    schedulePoll(0);
}

void ShellJobRunner::poll()
{
    if (m_polling || isFinalState(m_job.state))
        return;
    m_polling = true;
    if (!m_batcher) {
        // Alone on its host (tests, or a runner made outside the job manager): a batcher of its own, rounds of one.
        auto* own = new PollBatcher(m_transport, this);
        own->setMinimumGapMs(0);
        m_batcher = own;
    }
    m_batcher->request(this, m_job.remoteDir, m_job.logOffset, [this](const CommandResult& r) { onPolled(r); });
}

void ShellJobRunner::onPolled(const CommandResult& r)
{
    m_polling = false;
    if (handleTransportFailure(r) || !r.succeeded()) {
        if (isFinalState(m_job.state))
            return;
        if (!r.succeeded() && m_transport && m_transport->failureMessage(r).isEmpty()) {
            if (countFailure(QString::fromLocal8Bit(r.standardError).trimmed()))
                return;
            setDetail(u"the poll command failed (exit %1): %2"_s.arg(r.exitCode)
                          .arg(QString::fromLocal8Bit(r.standardError).trimmed()),
                      false);
        }
        schedulePoll(backoffMs());
        return;
    }
    if (m_failures > 0 || m_job.connectionLost)
        setDetail({}, false);
    m_failures = 0;
    const QByteArray out = r.standardOutput;
    const qsizetype status = out.lastIndexOf("\n@@QD-STATUS\n");
    if (status < 0) {
        schedulePoll(backoffMs());
        return;
    }
    const QByteArray chunk = out.left(status);
    const qsizetype gpuAt = out.indexOf("@@QD-GPU\n", status);
    const QByteArray statusBlock = out.mid(status + 13, gpuAt < 0 ? -1 : gpuAt - status - 13);
    const QByteArray gpuBlock = gpuAt < 0 ? QByteArray() : out.mid(gpuAt + 9);
    if (!chunk.isEmpty()) {
        m_tracker.feed(chunk);
        m_store->appendLog(m_job.id, chunk, m_job.logOffset + chunk.size());
        m_job.logOffset += chunk.size();
        emit logAppended(chunk);
    }
    // GPU memory, attributed to the experiment running now.
    QList<MemorySample> samples;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QByteArray& line : gpuBlock.split('\n')) {
        const QList<QByteArray> f = line.split(',');
        if (f.size() < 3)
            continue;
        bool a = false;
        bool b = false;
        bool c = false;
        MemorySample s;
        s.at = now;
        s.gpuIndex = f.at(0).trimmed().toInt(&a);
        s.memoryUsedMiB = f.at(1).trimmed().toLongLong(&b);
        s.memoryTotalMiB = f.at(2).trimmed().toLongLong(&c);
        s.experiment = m_tracker.current();
        if (a && b && c)
            samples << s;
    }
    m_store->addMemorySamples(m_job.id, samples);
    const int done = m_tracker.completed();
    if (done != m_job.experimentsDone) {
        m_job.experimentsDone = done;
        save();
    }
    int exitCode = -1;
    bool alive = true;
    for (const QByteArray& line : statusBlock.split('\n')) {
        if (line.startsWith("exit="))
            exitCode = line.mid(5).trimmed().toInt();
        else if (line.startsWith("alive="))
            alive = line.mid(6).trimmed() == "1";
    }
    if (exitCode >= 0 || !alive) {
        if (m_cancelRequested) {
            setState(JobState::Cancelled, u"the autotuner's process group was ended"_s);
            return;
        }
        fetchResults(exitCode);
        return;
    }
    schedulePoll(m_pollMs);
}

void ShellJobRunner::fetchResults(int exitCode)
{
    setState(JobState::Fetching,
             exitCode >= 0 ? u"run_autotuner.py exited with %1; fetching results"_s.arg(exitCode)
                           : u"run_autotuner.py is gone; fetching results"_s);
    QString taskName = m_job.taskName;
    const QString remote = m_job.host.autotunerDir + u"/results/"_s + taskName + u"_results.json"_s;
    auto* dir = new QTemporaryDir();
    const QString local = dir->filePath(u"results.json"_s);
    ProcessJob* down = m_transport->download(remote, local, kCommandTimeoutMs, this);
    connect(down, &ProcessJob::finished, this, [this, down, dir, local, exitCode, remote](const CommandResult& r) {
        down->deleteLater();
        std::unique_ptr<QTemporaryDir> cleanup(dir);
        const QString why = m_transport ? m_transport->failureMessage(r) : QString();
        if (!why.isEmpty() && r.status == CommandResult::Status::Finished && r.exitCode == 255) {
            // Connection trouble while fetching: keep the job, try again.
            if (countFailure(why))
                return;
            setDetail(u"%1; retrying in %2 s"_s.arg(why).arg(backoffMs() / 1000), true);
            m_job.state = JobState::Running;
            save();
            schedulePoll(backoffMs());
            return;
        }
        QFile f(local);
        if (!r.succeeded() || !f.open(QIODevice::ReadOnly)) {
            fail(u"run_autotuner.py ended (exit %1) without %2"_s.arg(exitCode).arg(remote));
            return;
        }
        const QByteArray results = f.readAll();
        m_store->setResults(m_job.id, results);
        const int total = autotunerExperimentCount(m_job.taskJson);
        m_job.experimentsDone = std::max(m_job.experimentsDone, m_tracker.completed());
        if (total > 0)
            m_job.experimentsTotal = total;
        if (exitCode != 0) {
            fail(u"run_autotuner.py exited with %1 (results fetched)"_s.arg(exitCode));
            return;
        }
        setState(JobState::Done, u"results fetched (%1 bytes)"_s.arg(results.size()));
    });
    down->start();
}

void ShellJobRunner::cancel()
{
    if (isFinalState(m_job.state))
        return;
    m_cancelRequested = true;
    if (m_job.remotePid <= 0) {
        setState(JobState::Cancelled, u"cancelled before the autotuner started"_s);
        return;
    }
    // End the whole process group: the autotuner and everything it started.
    ProcessJob* k = command({u"kill"_s, u"-TERM"_s, u"--"_s, u"-%1"_s.arg(m_job.remotePid)}, kCommandTimeoutMs);
    connect(k, &ProcessJob::finished, this, [this, k](const CommandResult& r) {
        k->deleteLater();
        m_store->addEvent(m_job.id,
                          m_job.state,
                          r.succeeded() ? u"sent SIGTERM to process group %1"_s.arg(m_job.remotePid)
                                        : u"kill failed: %1"_s.arg(QString::fromLocal8Bit(r.standardError).trimmed()));
        schedulePoll(200);
    });
    k->start();
}

} // namespace QuantDesk

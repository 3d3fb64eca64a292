#include "JobManager.h"

#include <QTimer>

#include "core/remote/PollBatcher.h"
#include "core/remote/RestClient.h"
#include "core/remote/RestJobRunner.h"
#include "core/remote/ShellJobRunner.h"
#include "core/remote/Transport.h"
#include "core/results/ResultsImporter.h"
#include "core/results/ResultsLibrary.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

JobManager::JobManager(JobStore* store, SshOptions sshOptions, QObject* parent)
    : QObject(parent), m_store(store), m_sshOptions(std::move(sshOptions))
{}

JobManager::~JobManager() = default;

void JobManager::setRestToken(const QUrl& baseUrl, const QString& token)
{
    m_tokens.insert(baseUrl.toString(), token);
    if (RestClient* c = m_clients.value(baseUrl.toString()))
        c->setBearerToken(token);
}

void JobManager::setPollIntervalMs(int ms)
{
    m_pollMs = ms;
    for (PollBatcher* b : std::as_const(m_batchers))
        b->setMinimumGapMs(ms);
}

Transport* JobManager::transportFor(const HostSpec& host)
{
    const QString key = host.target() + u'|' + host.identityFile + u'|' + host.sshConfigFile;
    if (Transport* t = m_transports.value(key))
        return t;
    Transport* t = nullptr;
    if (host.kind == HostSpec::Kind::Ssh)
        t = new SshTransport(host, m_sshOptions, this);
    else
        t = new LocalTransport(this);
    m_transports.insert(key, t);
    auto* batcher = new PollBatcher(t, this);
    batcher->setMinimumGapMs(m_pollMs);
    m_batchers.insert(t, batcher);
    return t;
}

RestClient* JobManager::restClientFor(const HostSpec& host)
{
    const QString key = host.baseUrl.toString();
    if (RestClient* c = m_clients.value(key))
        return c;
    auto* c = new RestClient(host.baseUrl, this);
    if (m_tokens.contains(key))
        c->setBearerToken(m_tokens.value(key));
    m_clients.insert(key, c);
    return c;
}

JobRunner* JobManager::createRunner(const JobRecord& job)
{
    JobRunner* r = nullptr;
    if (job.host.kind == HostSpec::Kind::Rest) {
        r = new RestJobRunner(m_store, job, restClientFor(job.host), this);
    } else {
        Transport* t = transportFor(job.host);
        auto* shell = new ShellJobRunner(m_store, job, t, this);
        shell->setPollBatcher(m_batchers.value(t));
        r = shell;
    }
    if (job.host.kind != HostSpec::Kind::Rest)
        r->setPollIntervalMs(m_pollMs);
    else
        r->setPollIntervalMs(std::max(m_pollMs, 1000));
    r->setMaxConsecutiveFailures(m_maxFailures);
    connect(r, &JobRunner::changed, this, &JobManager::jobChanged);
    connect(r, &JobRunner::logAppended, this, [this, id = job.id](const QByteArray& chunk) { emit jobLog(id, chunk); });
    connect(r, &JobRunner::finished, this, &JobManager::onRunnerFinished);
    m_runners.insert(job.id, r);
    return r;
}

QList<qint64> JobManager::submit(const HostSpec& host, const QList<QPair<QString, QByteArray>>& tasks)
{
    QList<JobRecord> jobs;
    jobs.reserve(tasks.size());
    for (const auto& [name, json] : tasks) {
        JobRecord job;
        job.host = host;
        job.taskName = name;
        job.taskJson = json;
        jobs << job;
    }
    // One transaction for the whole comparison: 50 jobs are 100 rows, not 100 commits on the UI thread.
    if (jobs.isEmpty() || !m_store->addJobs(&jobs))
        return {};
    QList<qint64> ids;
    for (const JobRecord& job : std::as_const(jobs)) {
        // Start the runners a little apart, so that a large comparison does not start 50 processes (or requests)
        // in the same instant and starve the event loop.
        JobRunner* r = createRunner(job);
        QTimer::singleShot(static_cast<int>(ids.size()) * kStartSpacingMs, r, [r] { r->start(); });
        ids << job.id;
    }
    return ids;
}

int JobManager::reattach()
{
    int n = 0;
    for (const JobRecord& job : m_store->unfinishedJobs()) {
        if (m_runners.contains(job.id))
            continue;
        JobRunner* r = createRunner(job);
        QTimer::singleShot(n * kStartSpacingMs, r, [r] { r->resume(); });
        ++n;
    }
    return n;
}

void JobManager::cancel(qint64 jobId)
{
    if (JobRunner* r = m_runners.value(jobId))
        r->cancel();
}

void JobManager::restart(qint64 jobId)
{
    if (auto* r = qobject_cast<RestJobRunner*>(m_runners.value(jobId)))
        r->restart();
}

void JobManager::retryWithName(qint64 jobId, const QString& taskName)
{
    if (auto* r = qobject_cast<RestJobRunner*>(m_runners.value(jobId)))
        r->retryWithName(taskName);
}

std::optional<qint64> JobManager::importResults(qint64 jobId, QString* error)
{
    auto failWith = [&](const QString& why) -> std::optional<qint64> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!m_library)
        return failWith(u"no results library"_s);
    const ImportResult imported = ResultsImporter::importJob(*m_store, jobId);
    if (!imported.ok)
        return failWith(imported.error);
    const std::optional<qint64> id = m_library->add(imported.set);
    if (!id)
        return failWith(u"the results library: %1"_s.arg(m_library->errorString()));
    return id;
}

void JobManager::onRunnerFinished(const JobRecord& job)
{
    // Whatever was fetched goes into the library first, so that whoever reacts to the end finds the results there.
    if (m_library && !m_store->results(job.id).isEmpty()) {
        QString error;
        if (const std::optional<qint64> setId = importResults(job.id, &error)) {
            m_store->addEvent(job.id, job.state, u"results added to the library (set %1)"_s.arg(*setId));
            emit resultsImported(job.id, *setId);
        } else {
            m_store->addEvent(job.id, job.state, u"results not added to the library: %1"_s.arg(error));
            emit resultsImportFailed(job.id, error);
        }
    }
    emit jobFinished(job);
}

int JobManager::activeCount() const
{
    int n = 0;
    for (const JobRunner* r : m_runners) {
        if (!isFinalState(r->job().state))
            ++n;
    }
    return n;
}

} // namespace QuantDesk

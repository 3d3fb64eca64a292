#include "JobManager.h"

#include <QTimer>

#include "core/remote/RestClient.h"
#include "core/remote/RestJobRunner.h"
#include "core/remote/ShellJobRunner.h"
#include "core/remote/Transport.h"

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
    if (job.host.kind == HostSpec::Kind::Rest)
        r = new RestJobRunner(m_store, job, restClientFor(job.host), this);
    else
        r = new ShellJobRunner(m_store, job, transportFor(job.host), this);
    if (job.host.kind != HostSpec::Kind::Rest)
        r->setPollIntervalMs(m_pollMs);
    else
        r->setPollIntervalMs(std::max(m_pollMs, 1000));
    r->setMaxConsecutiveFailures(m_maxFailures);
    connect(r, &JobRunner::changed, this, &JobManager::jobChanged);
    connect(r, &JobRunner::logAppended, this, [this, id = job.id](const QByteArray& chunk) { emit jobLog(id, chunk); });
    connect(r, &JobRunner::finished, this, &JobManager::jobFinished);
    m_runners.insert(job.id, r);
    return r;
}

QList<qint64> JobManager::submit(const HostSpec& host, const QList<QPair<QString, QByteArray>>& tasks)
{
    QList<qint64> ids;
    for (const auto& [name, json] : tasks) {
        JobRecord job;
        job.host = host;
        job.taskName = name;
        job.taskJson = json;
        if (!m_store->addJob(&job))
            continue;
        ids << job.id;
        // Start one runner per event-loop turn, a few ms apart, so a large comparison does not stall the UI with
        // a burst of process starts.
        JobRunner* r = createRunner(job);
        QTimer::singleShot(static_cast<int>(ids.size() - 1) * 15, r, [r] { r->start(); });
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
        QTimer::singleShot(n * 15, r, [r] { r->resume(); });
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

#pragma once

#include <QHash>
#include <QObject>
#include <memory>

#include "core/remote/HostSpec.h"
#include "core/remote/SshTransport.h"
#include "core/store/JobStore.h"

namespace QuantDesk
{

class JobRunner;
class RestClient;
class Transport;

// Owns the job store, one transport per host and one runner per unfinished job. The UI and the CLI submit through
// it; on start-up it re-attaches every job that was still running.
class JobManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobManager)

public:
    JobManager(JobStore* store, SshOptions sshOptions, QObject* parent = nullptr);
    ~JobManager() override;

    // Queues and starts one job per exported task (name, JSON) on the host. Returns the new job ids.
    QList<qint64> submit(const HostSpec& host, const QList<QPair<QString, QByteArray>>& tasks);
    // Re-attaches to every unfinished job in the store; returns how many.
    int reattach();
    void cancel(qint64 jobId);
    // REST only: run a finished task again / resubmit after a name conflict.
    void restart(qint64 jobId);
    void retryWithName(qint64 jobId, const QString& taskName);

    void setPollIntervalMs(int ms) { m_pollMs = ms; }
    void setMaxConsecutiveFailures(int n) { m_maxFailures = n; }
    void setRestToken(const QUrl& baseUrl, const QString& token);

    [[nodiscard]] JobStore* store() const { return m_store; }
    [[nodiscard]] JobRunner* runner(qint64 jobId) const { return m_runners.value(jobId); }
    [[nodiscard]] int activeCount() const;

signals:
    void jobChanged(const QuantDesk::JobRecord& job);
    void jobLog(qint64 jobId, const QByteArray& chunk);
    void jobFinished(const QuantDesk::JobRecord& job);

private:
    JobRunner* createRunner(const JobRecord& job);
    Transport* transportFor(const HostSpec& host);
    RestClient* restClientFor(const HostSpec& host);

    JobStore* m_store;
    SshOptions m_sshOptions;
    int m_pollMs = 1000;
    int m_maxFailures = 0;
    QHash<QString, Transport*> m_transports;
    QHash<QString, RestClient*> m_clients;
    QHash<QString, QString> m_tokens;
    QHash<qint64, JobRunner*> m_runners;
};

} // namespace QuantDesk

#pragma once

#include <QHash>
#include <QObject>
#include <memory>
#include <optional>

#include "core/remote/HostSpec.h"
#include "core/remote/SshTransport.h"
#include "core/store/JobStore.h"

namespace QuantDesk
{

class JobRunner;
class RestClient;
class ResultsLibrary;
class PollBatcher;
class Transport;

// Uses the job store, owns one transport per host and one runner per unfinished job. The UI and the CLI submit
// through it; on start-up it re-attaches every job that was still running. With a results library set, a job's
// fetched results are imported into it (with the job's id) when the job ends, before jobFinished is emitted.
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

    void setPollIntervalMs(int ms);
    void setMaxConsecutiveFailures(int n) { m_maxFailures = n; }
    void setRestToken(const QUrl& baseUrl, const QString& token);
    // Not owned; null: fetched results stay in the job store only.
    void setResultsLibrary(ResultsLibrary* library) { m_library = library; }
    [[nodiscard]] ResultsLibrary* resultsLibrary() const { return m_library; }
    // Imports the job's fetched results into the library now (re-importing replaces the set stored before).
    // Returns the set's id, or nullopt with *error (no library, nothing fetched, unreadable results).
    std::optional<qint64> importResults(qint64 jobId, QString* error = nullptr);
    // Delay between two job starts of one submission (spreads the process starts of a big comparison).
    static constexpr int kStartSpacingMs = 40;

    [[nodiscard]] JobStore* store() const { return m_store; }
    [[nodiscard]] JobRunner* runner(qint64 jobId) const { return m_runners.value(jobId); }
    [[nodiscard]] int activeCount() const;

signals:
    void jobChanged(const QuantDesk::JobRecord& job);
    void jobLog(qint64 jobId, const QByteArray& chunk);
    void jobFinished(const QuantDesk::JobRecord& job);
    // After a job's results went into the library (setId), or why they could not.
    void resultsImported(qint64 jobId, qint64 setId);
    void resultsImportFailed(qint64 jobId, const QString& error);

private:
    JobRunner* createRunner(const JobRecord& job);
    void onRunnerFinished(const JobRecord& job);
    Transport* transportFor(const HostSpec& host);
    RestClient* restClientFor(const HostSpec& host);

    JobStore* m_store;
    ResultsLibrary* m_library = nullptr;
    SshOptions m_sshOptions;
    int m_pollMs = 1000;
    int m_maxFailures = 0;
    QHash<QString, Transport*> m_transports;
    QHash<Transport*, PollBatcher*> m_batchers; // one per shell host: one poll command per round for all its jobs
    QHash<QString, RestClient*> m_clients;
    QHash<QString, QString> m_tokens;
    QHash<qint64, JobRunner*> m_runners;
};

} // namespace QuantDesk

#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <optional>

#include "core/remote/HostSpec.h"

namespace QuantDesk
{

enum class JobState {
    Queued,
    Uploading,
    Running,
    Fetching,
    Done,
    Failed,
    Cancelled,
};

[[nodiscard]] QString jobStateKey(JobState state); // "queued", …
[[nodiscard]] std::optional<JobState> jobStateFromKey(const QString& key);
[[nodiscard]] bool isFinalState(JobState state);

// One submitted task on one host, as stored.
struct JobRecord
{
    qint64 id = 0; // store row id
    QString uuid;
    HostSpec host;
    QString taskName;
    QByteArray taskJson; // the exported task as submitted
    JobState state = JobState::Queued;
    QString detail; // e.g. "connection lost: …", "HTTP 500 …; retrying"
    bool connectionLost = false;
    int experimentsDone = 0;
    int experimentsTotal = 0;
    QString remoteTaskId; // REST: the autotuner's task id
    QString remoteDir;    // SSH/local: the job folder on the host
    qint64 remotePid = 0; // SSH/local: the process group of run_autotuner.py
    qint64 logOffset = 0; // bytes of the remote log already stored
    QString error;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime startedAt;
    QDateTime finishedAt;

    bool operator==(const JobRecord&) const = default;
};

struct JobEvent
{
    QDateTime at;
    JobState state = JobState::Queued;
    QString message;
};

struct MemorySample
{
    QDateTime at;
    int gpuIndex = 0;
    qint64 memoryUsedMiB = 0;
    qint64 memoryTotalMiB = 0;
    int experiment = 0; // 0: between experiments / unknown
    bool operator==(const MemorySample&) const = default;
};

// The local job history: a real SQLite database (Qt Sql) with a schema version and migrations. Everything is written
// as it arrives, so closing the app, a crash or a dropped connection loses nothing. Not thread-safe: use it from one
// thread (the UI thread, or the CLI's).
class JobStore
{
public:
    // Opens (creating or migrating) the database file. Check isOpen()/errorString().
    explicit JobStore(const QString& path);
    ~JobStore();
    JobStore(const JobStore&) = delete;
    JobStore& operator=(const JobStore&) = delete;

    [[nodiscard]] static QString defaultPath(); // app data folder / jobs.sqlite
    static constexpr int kSchemaVersion = 1;

    [[nodiscard]] bool isOpen() const { return m_open; }
    [[nodiscard]] const QString& errorString() const { return m_error; }
    [[nodiscard]] int schemaVersion() const;

    // Inserts a job (id and uuid are assigned when empty). Returns false on a database error.
    bool addJob(JobRecord* job);
    // Inserts several jobs in one transaction (a comparison submitted at once): all or none.
    bool addJobs(QList<JobRecord>* jobs);
    bool updateJob(const JobRecord& job);
    // A state change: the event and the job row in one transaction.
    bool updateJobWithEvent(const JobRecord& job, JobState state, const QString& message);
    [[nodiscard]] std::optional<JobRecord> job(qint64 id) const;
    [[nodiscard]] std::optional<JobRecord> jobByUuid(const QString& uuid) const;
    [[nodiscard]] QList<JobRecord> jobs() const;
    // Jobs that were running when the app last stopped: queued, uploading, running or fetching.
    [[nodiscard]] QList<JobRecord> unfinishedJobs() const;

    bool addEvent(qint64 jobId, JobState state, const QString& message);
    [[nodiscard]] QList<JobEvent> events(qint64 jobId) const;

    // Appends a log chunk and moves the job's log offset in one transaction.
    bool appendLog(qint64 jobId, const QByteArray& chunk, qint64 newOffset);
    [[nodiscard]] QByteArray log(qint64 jobId) const;

    bool addMemorySamples(qint64 jobId, const QList<MemorySample>& samples);
    [[nodiscard]] QList<MemorySample> memorySamples(qint64 jobId) const;

    bool setResults(qint64 jobId, const QByteArray& resultsJson);
    [[nodiscard]] QByteArray results(qint64 jobId) const;

private:
    bool migrate();
    bool exec(const QString& sql);

    QString m_connection;
    QString m_error;
    bool m_open = false;
};

} // namespace QuantDesk

Q_DECLARE_METATYPE(QuantDesk::JobRecord)

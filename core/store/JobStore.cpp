#include "JobStore.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>
#include <QVariant>

#include "core/store/Sqlite.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

QByteArray hostToJson(const HostSpec& h)
{
    QJsonObject o;
    o[u"kind"_s] = h.kind == HostSpec::Kind::Local ? u"local"_s : h.kind == HostSpec::Kind::Ssh ? u"ssh"_s : u"rest"_s;
    o[u"name"_s] = h.name;
    o[u"user"_s] = h.user;
    o[u"hostname"_s] = h.hostname;
    o[u"port"_s] = h.port;
    o[u"identity_file"_s] = h.identityFile;
    o[u"ssh_config"_s] = h.sshConfigFile;
    o[u"autotuner_dir"_s] = h.autotunerDir;
    o[u"base_url"_s] = h.baseUrl.toString();
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

HostSpec hostFromJson(const QByteArray& data)
{
    const QJsonObject o = QJsonDocument::fromJson(data).object();
    HostSpec h;
    const QString kind = o.value(u"kind"_s).toString();
    h.kind = kind == u"ssh" ? HostSpec::Kind::Ssh : kind == u"rest" ? HostSpec::Kind::Rest : HostSpec::Kind::Local;
    h.name = o.value(u"name"_s).toString();
    h.user = o.value(u"user"_s).toString();
    h.hostname = o.value(u"hostname"_s).toString();
    h.port = o.value(u"port"_s).toInt();
    h.identityFile = o.value(u"identity_file"_s).toString();
    h.sshConfigFile = o.value(u"ssh_config"_s).toString();
    h.autotunerDir = o.value(u"autotuner_dir"_s).toString();
    h.baseUrl = QUrl(o.value(u"base_url"_s).toString());
    return h;
}

QVariant time(const QDateTime& t)
{
    return t.isValid() ? QVariant(t.toUTC().toString(Qt::ISODateWithMs)) : QVariant();
}

QDateTime parseTime(const QVariant& v)
{
    return v.isNull() ? QDateTime() : QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
}

const char* const kJobColumns = "id, uuid, host_json, task_name, task_json, state, detail, connection_lost, "
                                "experiments_done, experiments_total, remote_task_id, remote_dir, remote_pid, "
                                "log_offset, error, created_at, updated_at, started_at, finished_at";

JobRecord readJob(const QSqlQuery& q)
{
    JobRecord j;
    j.id = q.value(0).toLongLong();
    j.uuid = q.value(1).toString();
    j.host = hostFromJson(q.value(2).toByteArray());
    j.taskName = q.value(3).toString();
    j.taskJson = q.value(4).toByteArray();
    j.state = jobStateFromKey(q.value(5).toString()).value_or(JobState::Failed);
    j.detail = q.value(6).toString();
    j.connectionLost = q.value(7).toBool();
    j.experimentsDone = q.value(8).toInt();
    j.experimentsTotal = q.value(9).toInt();
    j.remoteTaskId = q.value(10).toString();
    j.remoteDir = q.value(11).toString();
    j.remotePid = q.value(12).toLongLong();
    j.logOffset = q.value(13).toLongLong();
    j.error = q.value(14).toString();
    j.createdAt = parseTime(q.value(15));
    j.updatedAt = parseTime(q.value(16));
    j.startedAt = parseTime(q.value(17));
    j.finishedAt = parseTime(q.value(18));
    return j;
}

} // namespace

QString jobStateKey(JobState state)
{
    switch (state) {
    case JobState::Queued:
        return u"queued"_s;
    case JobState::Uploading:
        return u"uploading"_s;
    case JobState::Running:
        return u"running"_s;
    case JobState::Fetching:
        return u"fetching"_s;
    case JobState::Done:
        return u"done"_s;
    case JobState::Failed:
        return u"failed"_s;
    case JobState::Cancelled:
        return u"cancelled"_s;
    }
    return {};
}

std::optional<JobState> jobStateFromKey(const QString& key)
{
    for (const JobState s : {JobState::Queued,
                             JobState::Uploading,
                             JobState::Running,
                             JobState::Fetching,
                             JobState::Done,
                             JobState::Failed,
                             JobState::Cancelled}) {
        if (jobStateKey(s) == key)
            return s;
    }
    return std::nullopt;
}

bool isFinalState(JobState state)
{
    return state == JobState::Done || state == JobState::Failed || state == JobState::Cancelled;
}

QString JobStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/jobs.sqlite"_s;
}

JobStore::JobStore(const QString& path) : m_connection(Sqlite::newConnectionName(u"quantdesk-jobs"_s))
{
    m_error = Sqlite::open(path, m_connection);
    if (m_error.isEmpty())
        m_open = migrate();
}

JobStore::~JobStore()
{
    Sqlite::close(m_connection);
}

bool JobStore::exec(const QString& sql)
{
    return Sqlite::exec(m_connection, sql, &m_error);
}

int JobStore::schemaVersion() const
{
    return Sqlite::userVersion(m_connection);
}

bool JobStore::migrate()
{
    // steps[i]: schema version i → i + 1.
    const QList<QStringList> steps{{
        u"CREATE TABLE jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL UNIQUE, "
        "host_json TEXT NOT NULL, task_name TEXT NOT NULL, task_json BLOB NOT NULL, state TEXT NOT NULL, "
        "detail TEXT, connection_lost INTEGER NOT NULL DEFAULT 0, experiments_done INTEGER NOT NULL DEFAULT 0, "
        "experiments_total INTEGER NOT NULL DEFAULT 0, remote_task_id TEXT, remote_dir TEXT, "
        "remote_pid INTEGER NOT NULL DEFAULT 0, log_offset INTEGER NOT NULL DEFAULT 0, error TEXT, "
        "created_at TEXT, updated_at TEXT, started_at TEXT, finished_at TEXT)"_s,
        u"CREATE TABLE job_events (id INTEGER PRIMARY KEY AUTOINCREMENT, job_id INTEGER NOT NULL "
        "REFERENCES jobs(id) ON DELETE CASCADE, at TEXT NOT NULL, state TEXT NOT NULL, message TEXT)"_s,
        u"CREATE TABLE job_logs (id INTEGER PRIMARY KEY AUTOINCREMENT, job_id INTEGER NOT NULL "
        "REFERENCES jobs(id) ON DELETE CASCADE, chunk BLOB NOT NULL)"_s,
        u"CREATE TABLE job_results (job_id INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE, "
        "fetched_at TEXT NOT NULL, results_json BLOB NOT NULL)"_s,
        u"CREATE TABLE memory_samples (id INTEGER PRIMARY KEY AUTOINCREMENT, job_id INTEGER NOT NULL "
        "REFERENCES jobs(id) ON DELETE CASCADE, at TEXT NOT NULL, gpu_index INTEGER NOT NULL, "
        "memory_used_mib INTEGER NOT NULL, memory_total_mib INTEGER NOT NULL, experiment INTEGER NOT NULL)"_s,
        u"CREATE INDEX job_events_job ON job_events(job_id)"_s,
        u"CREATE INDEX job_logs_job ON job_logs(job_id)"_s,
        u"CREATE INDEX memory_samples_job ON memory_samples(job_id)"_s,
    }};
    static_assert(kSchemaVersion == 1, "add a migration step");
    return Sqlite::migrate(m_connection, u"the job history"_s, steps, &m_error);
}

bool JobStore::addJob(JobRecord* job)
{
    if (job->uuid.isEmpty())
        job->uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!job->createdAt.isValid())
        job->createdAt = now;
    job->updatedAt = now;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"INSERT INTO jobs (uuid, host_json, task_name, task_json, state, detail, connection_lost, "
              "experiments_done, experiments_total, remote_task_id, remote_dir, remote_pid, log_offset, error, "
              "created_at, updated_at, started_at, finished_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"_s);
    q.addBindValue(job->uuid);
    q.addBindValue(QString::fromUtf8(hostToJson(job->host)));
    q.addBindValue(job->taskName);
    q.addBindValue(job->taskJson);
    q.addBindValue(jobStateKey(job->state));
    q.addBindValue(job->detail);
    q.addBindValue(job->connectionLost ? 1 : 0);
    q.addBindValue(job->experimentsDone);
    q.addBindValue(job->experimentsTotal);
    q.addBindValue(job->remoteTaskId);
    q.addBindValue(job->remoteDir);
    q.addBindValue(job->remotePid);
    q.addBindValue(job->logOffset);
    q.addBindValue(job->error);
    q.addBindValue(time(job->createdAt));
    q.addBindValue(time(job->updatedAt));
    q.addBindValue(time(job->startedAt));
    q.addBindValue(time(job->finishedAt));
    if (!q.exec()) {
        m_error = q.lastError().text();
        return false;
    }
    job->id = q.lastInsertId().toLongLong();
    addEvent(job->id, job->state, u"job created"_s);
    return true;
}

bool JobStore::addJobs(QList<JobRecord>* jobs)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    const bool batch = db.transaction();
    for (JobRecord& job : *jobs) {
        if (!addJob(&job)) {
            if (batch)
                db.rollback();
            for (JobRecord& j : *jobs)
                j.id = 0;
            return false;
        }
    }
    if (batch && !db.commit()) {
        m_error = db.lastError().text();
        db.rollback();
        for (JobRecord& j : *jobs)
            j.id = 0;
        return false;
    }
    return true;
}

bool JobStore::updateJobWithEvent(const JobRecord& job, JobState state, const QString& message)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    const bool batch = db.transaction();
    const bool ok = addEvent(job.id, state, message) && updateJob(job);
    if (!batch)
        return ok;
    if (!ok) {
        db.rollback();
        return false;
    }
    return db.commit();
}

bool JobStore::updateJob(const JobRecord& job)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"UPDATE jobs SET state=?, detail=?, connection_lost=?, experiments_done=?, experiments_total=?, "
              "remote_task_id=?, remote_dir=?, remote_pid=?, log_offset=?, error=?, updated_at=?, started_at=?, "
              "finished_at=?, task_name=?, task_json=? WHERE id=?"_s);
    q.addBindValue(jobStateKey(job.state));
    q.addBindValue(job.detail);
    q.addBindValue(job.connectionLost ? 1 : 0);
    q.addBindValue(job.experimentsDone);
    q.addBindValue(job.experimentsTotal);
    q.addBindValue(job.remoteTaskId);
    q.addBindValue(job.remoteDir);
    q.addBindValue(job.remotePid);
    q.addBindValue(job.logOffset);
    q.addBindValue(job.error);
    q.addBindValue(time(QDateTime::currentDateTimeUtc()));
    q.addBindValue(time(job.startedAt));
    q.addBindValue(time(job.finishedAt));
    q.addBindValue(job.taskName);
    q.addBindValue(job.taskJson);
    q.addBindValue(job.id);
    if (!q.exec()) {
        m_error = q.lastError().text();
        return false;
    }
    return true;
}

std::optional<JobRecord> JobStore::job(qint64 id) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"SELECT %1 FROM jobs WHERE id=?"_s.arg(QString::fromLatin1(kJobColumns)));
    q.addBindValue(id);
    if (q.exec() && q.next())
        return readJob(q);
    return std::nullopt;
}

std::optional<JobRecord> JobStore::jobByUuid(const QString& uuid) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"SELECT %1 FROM jobs WHERE uuid=?"_s.arg(QString::fromLatin1(kJobColumns)));
    q.addBindValue(uuid);
    if (q.exec() && q.next())
        return readJob(q);
    return std::nullopt;
}

QList<JobRecord> JobStore::jobs() const
{
    QList<JobRecord> out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (q.exec(u"SELECT %1 FROM jobs ORDER BY id"_s.arg(QString::fromLatin1(kJobColumns)))) {
        while (q.next())
            out << readJob(q);
    }
    return out;
}

QList<JobRecord> JobStore::unfinishedJobs() const
{
    QList<JobRecord> out;
    for (const JobRecord& j : jobs()) {
        if (!isFinalState(j.state))
            out << j;
    }
    return out;
}

bool JobStore::addEvent(qint64 jobId, JobState state, const QString& message)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"INSERT INTO job_events (job_id, at, state, message) VALUES (?,?,?,?)"_s);
    q.addBindValue(jobId);
    q.addBindValue(time(QDateTime::currentDateTimeUtc()));
    q.addBindValue(jobStateKey(state));
    q.addBindValue(message);
    if (!q.exec()) {
        m_error = q.lastError().text();
        return false;
    }
    return true;
}

QList<JobEvent> JobStore::events(qint64 jobId) const
{
    QList<JobEvent> out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"SELECT at, state, message FROM job_events WHERE job_id=? ORDER BY id"_s);
    q.addBindValue(jobId);
    if (q.exec()) {
        while (q.next()) {
            JobEvent e;
            e.at = parseTime(q.value(0));
            e.state = jobStateFromKey(q.value(1).toString()).value_or(JobState::Failed);
            e.message = q.value(2).toString();
            out << e;
        }
    }
    return out;
}

bool JobStore::appendLog(qint64 jobId, const QByteArray& chunk, qint64 newOffset)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    db.transaction();
    QSqlQuery q(db);
    q.prepare(u"INSERT INTO job_logs (job_id, chunk) VALUES (?,?)"_s);
    q.addBindValue(jobId);
    q.addBindValue(chunk);
    QSqlQuery u(db);
    u.prepare(u"UPDATE jobs SET log_offset=?, updated_at=? WHERE id=?"_s);
    u.addBindValue(newOffset);
    u.addBindValue(time(QDateTime::currentDateTimeUtc()));
    u.addBindValue(jobId);
    if (!q.exec() || !u.exec()) {
        m_error = q.lastError().text() + u.lastError().text();
        db.rollback();
        return false;
    }
    return db.commit();
}

QByteArray JobStore::log(qint64 jobId) const
{
    QByteArray out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"SELECT chunk FROM job_logs WHERE job_id=? ORDER BY id"_s);
    q.addBindValue(jobId);
    if (q.exec()) {
        while (q.next())
            out += q.value(0).toByteArray();
    }
    return out;
}

bool JobStore::addMemorySamples(qint64 jobId, const QList<MemorySample>& samples)
{
    if (samples.isEmpty())
        return true;
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    db.transaction();
    QSqlQuery q(db);
    q.prepare(u"INSERT INTO memory_samples (job_id, at, gpu_index, memory_used_mib, memory_total_mib, experiment) "
              "VALUES (?,?,?,?,?,?)"_s);
    for (const MemorySample& s : samples) {
        q.addBindValue(jobId);
        q.addBindValue(time(s.at));
        q.addBindValue(s.gpuIndex);
        q.addBindValue(s.memoryUsedMiB);
        q.addBindValue(s.memoryTotalMiB);
        q.addBindValue(s.experiment);
        if (!q.exec()) {
            m_error = q.lastError().text();
            db.rollback();
            return false;
        }
    }
    return db.commit();
}

QList<MemorySample> JobStore::memorySamples(qint64 jobId) const
{
    QList<MemorySample> out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"SELECT at, gpu_index, memory_used_mib, memory_total_mib, experiment FROM memory_samples "
              "WHERE job_id=? ORDER BY id"_s);
    q.addBindValue(jobId);
    if (q.exec()) {
        while (q.next()) {
            MemorySample s;
            s.at = parseTime(q.value(0));
            s.gpuIndex = q.value(1).toInt();
            s.memoryUsedMiB = q.value(2).toLongLong();
            s.memoryTotalMiB = q.value(3).toLongLong();
            s.experiment = q.value(4).toInt();
            out << s;
        }
    }
    return out;
}

bool JobStore::setResults(qint64 jobId, const QByteArray& resultsJson)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"INSERT OR REPLACE INTO job_results (job_id, fetched_at, results_json) VALUES (?,?,?)"_s);
    q.addBindValue(jobId);
    q.addBindValue(time(QDateTime::currentDateTimeUtc()));
    q.addBindValue(resultsJson);
    if (!q.exec()) {
        m_error = q.lastError().text();
        return false;
    }
    return true;
}

QByteArray JobStore::results(qint64 jobId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"SELECT results_json FROM job_results WHERE job_id=?"_s);
    q.addBindValue(jobId);
    if (q.exec() && q.next())
        return q.value(0).toByteArray();
    return {};
}

} // namespace QuantDesk

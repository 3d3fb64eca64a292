#include "RestJobRunner.h"

#include <QRegularExpression>

#include <nlohmann/json.hpp>

#include "core/remote/RestClient.h"

using namespace Qt::StringLiterals;
using json = nlohmann::json;

namespace QuantDesk
{

RestJobRunner::RestJobRunner(JobStore* store, const JobRecord& job, RestClient* client, QObject* parent)
    : JobRunner(store, job, parent), m_client(client)
{
    m_pollMs = 2000;
}

RestJobRunner::~RestJobRunner() = default;

QString RestJobRunner::suggestedName() const
{
    QString base = m_job.taskName;
    int n = 2;
    static const QRegularExpression suffix(u"^(.*)-(\\d+)$"_s);
    if (const auto m = suffix.match(base); m.hasMatch()) {
        base = m.captured(1);
        n = m.captured(2).toInt() + 1;
    }
    return u"%1-%2"_s.arg(base).arg(n);
}

bool RestJobRunner::transient(const RestResult& r, const QString& what)
{
    // Answers we retry: no answer, a reset, a timeout, 5xx, or a body that is not JSON.
    if (countFailure(u"%1: %2"_s.arg(what, r.message())))
        return true;
    const bool network = r.httpStatus == 0;
    setDetail(u"%1: %2; retrying in %3 s"_s.arg(what, r.message().isEmpty() ? u"no valid answer"_s : r.message())
                  .arg(backoffMs() / 1000),
              network);
    schedulePoll(backoffMs());
    return true;
}

void RestJobRunner::start()
{
    m_job.experimentsTotal = autotunerExperimentCount(m_job.taskJson);
    setState(JobState::Uploading, u"creating the task on %1"_s.arg(m_client->baseUrl().toString()));
    create();
}

void RestJobRunner::create()
{
    RestCall* call = m_client->post(u"/api/tasks/"_s, m_job.taskJson);
    connect(call, &RestCall::finished, this, [this](const RestResult& r) {
        const auto doc = json::parse(r.body.constBegin(), r.body.constEnd(), nullptr, false);
        if (r.httpStatus == 201 && doc.is_object() && doc.contains("id")) {
            m_job.remoteTaskId = QString::fromStdString(doc["id"].dump());
            if (doc.contains("total_experiments") && doc["total_experiments"].is_number_integer())
                m_job.experimentsTotal = doc["total_experiments"].get<int>();
            m_store->addEvent(m_job.id, m_job.state, u"created task %1"_s.arg(m_job.remoteTaskId));
            save();
            startTask();
            return;
        }
        if (r.httpStatus == 400 && r.message().contains(u"already exists"_s)) {
            m_nameConflict = true;
            fail(u"the server already has a task named '%1' (%2). Submit again under a new name, e.g. '%3'."_s.arg(
                m_job.taskName, r.message(), suggestedName()));
            return;
        }
        if (r.httpStatus == 422 || r.httpStatus == 400 || r.httpStatus == 404) {
            fail(u"the server refused the task: %1"_s.arg(r.message()));
            return;
        }
        // No answer, 5xx or garbage: the task may or may not exist now. Look it up by name before retrying.
        if (countFailure(u"creating the task: %1"_s.arg(r.message())))
            return;
        setDetail(u"creating the task: %1; checking and retrying in %2 s"_s.arg(r.message()).arg(backoffMs() / 1000),
                  r.httpStatus == 0);
        QTimer::singleShot(backoffMs(), this, [this] {
            RestCall* byName =
                m_client->get(u"/api/tasks/name/"_s + QString::fromUtf8(QUrl::toPercentEncoding(m_job.taskName)));
            connect(byName, &RestCall::finished, this, [this](const RestResult& r) {
                const auto doc = json::parse(r.body.constBegin(), r.body.constEnd(), nullptr, false);
                if (r.ok() && doc.is_object() && doc.contains("id")) {
                    m_job.remoteTaskId = QString::fromStdString(doc["id"].dump());
                    save();
                    startTask();
                } else {
                    create();
                }
            });
        });
    });
}

void RestJobRunner::startTask()
{
    RestCall* call = m_client->post(u"/api/tasks/%1/start"_s.arg(m_job.remoteTaskId));
    connect(call, &RestCall::finished, this, [this](const RestResult& r) {
        if (r.ok()) {
            m_failures = 0;
            setDetail({}, false);
            setState(JobState::Running, u"task %1 started"_s.arg(m_job.remoteTaskId));
            schedulePoll(m_pollMs);
            return;
        }
        if (r.httpStatus == 400) {
            // "Task must be in PENDING status to start": it is already running (e.g. a retried start).
            m_store->addEvent(m_job.id, m_job.state, u"start refused: %1; following the task"_s.arg(r.message()));
            setState(JobState::Running, u"following task %1"_s.arg(m_job.remoteTaskId));
            schedulePoll(0);
            return;
        }
        if (r.httpStatus == 404) {
            fail(u"task %1 disappeared from the server before it started"_s.arg(m_job.remoteTaskId));
            return;
        }
        if (countFailure(u"starting: %1"_s.arg(r.message())))
            return;
        setDetail(u"starting: %1; retrying in %2 s"_s.arg(r.message()).arg(backoffMs() / 1000), r.httpStatus == 0);
        QTimer::singleShot(backoffMs(), this, [this] { startTask(); });
    });
}

void RestJobRunner::resume()
{
    if (m_job.state == JobState::Queued || (m_job.state == JobState::Uploading && m_job.remoteTaskId.isEmpty())) {
        start();
        return;
    }
    if (m_job.state == JobState::Uploading) {
        startTask();
        return;
    }
    m_store->addEvent(m_job.id, m_job.state, u"re-attached after a restart"_s);
    schedulePoll(0);
}

void RestJobRunner::poll()
{
    if (m_polling || isFinalState(m_job.state) || m_job.remoteTaskId.isEmpty())
        return;
    m_polling = true;
    RestCall* call = m_client->get(u"/api/tasks/%1"_s.arg(m_job.remoteTaskId));
    connect(call, &RestCall::finished, this, [this](const RestResult& r) {
        m_polling = false;
        onTask(r);
    });
}

void RestJobRunner::onTask(const RestResult& r)
{
    if (r.httpStatus == 404) {
        fail(u"task %1 no longer exists on the server"_s.arg(m_job.remoteTaskId));
        return;
    }
    const auto doc = json::parse(r.body.constBegin(), r.body.constEnd(), nullptr, false);
    if (!r.ok() || !doc.is_object() || !doc.contains("status")) {
        transient(r, u"following the task"_s);
        return;
    }
    if (m_failures > 0 || m_job.connectionLost)
        setDetail({}, false);
    m_failures = 0;
    if (doc.contains("total_experiments") && doc["total_experiments"].is_number_integer())
        m_job.experimentsTotal = doc["total_experiments"].get<int>();
    const std::string status = doc["status"].is_string() ? doc["status"].get<std::string>() : std::string();
    const bool final = status == "completed" || status == "failed" || status == "cancelled";
    if (final) {
        // The last log lines first, so that a finished job's log is complete before it is marked done.
        pollLogs([this] { pollExperiments(true); });
    } else {
        pollLogs();
        pollExperiments(false);
    }
    if (final) {
        m_store->addEvent(
            m_job.id, m_job.state, u"the server reports the task %1"_s.arg(QString::fromStdString(status)));
    }
}

void RestJobRunner::pollExperiments(bool final)
{
    RestCall* call = m_client->get(u"/api/experiments/task/%1"_s.arg(m_job.remoteTaskId));
    connect(call, &RestCall::finished, this, [this, final](const RestResult& r) {
        const auto doc = json::parse(r.body.constBegin(), r.body.constEnd(), nullptr, false);
        if (!r.ok() || !doc.is_array()) {
            transient(r, u"reading the experiments"_s);
            return;
        }
        int done = 0;
        for (const auto& e : doc) {
            const std::string s = e.is_object() ? e.value("status", std::string()) : std::string();
            if (s == "success" || s == "failed")
                ++done;
        }
        m_job.experimentsDone = done;
        // Everything fetched is stored at once: the experiments as the server returned them.
        m_store->setResults(m_job.id, r.body);
        save();
        if (!final) {
            schedulePoll(m_pollMs);
            return;
        }
        // The final state comes from the task again (it may have changed while we read).
        RestCall* t = m_client->get(u"/api/tasks/%1"_s.arg(m_job.remoteTaskId));
        connect(t, &RestCall::finished, this, [this](const RestResult& r) {
            const auto task = json::parse(r.body.constBegin(), r.body.constEnd(), nullptr, false);
            if (!r.ok() || !task.is_object()) {
                transient(r, u"reading the final state"_s);
                return;
            }
            const std::string status = task.value("status", std::string());
            if (status == "completed")
                setState(JobState::Done,
                         u"completed: %1 of %2 experiments"_s.arg(m_job.experimentsDone).arg(m_job.experimentsTotal));
            else if (status == "cancelled")
                setState(JobState::Cancelled, u"cancelled on the server"_s);
            else
                fail(u"the server reports the task failed (%1 of %2 experiments finished)"_s.arg(m_job.experimentsDone)
                         .arg(m_job.experimentsTotal));
        });
    });
}

void RestJobRunner::pollLogs(const std::function<void()>& then)
{
    RestCall* call = m_client->get(u"/api/tasks/%1/logs"_s.arg(m_job.remoteTaskId));
    connect(call, &RestCall::finished, this, [this, then](const RestResult& r) {
        struct Finally
        {
            const std::function<void()>& f;
            ~Finally()
            {
                if (f)
                    f();
            }
        } finally{then};
        const auto doc = json::parse(r.body.constBegin(), r.body.constEnd(), nullptr, false);
        if (!r.ok() || !doc.is_object() || !doc.contains("logs") || !doc["logs"].is_string())
            return; // logs are best effort; the next poll tries again
        QByteArray text = QByteArray::fromStdString(doc["logs"].get<std::string>());
        if (text == "No logs available yet.")
            return;
        if (!text.endsWith('\n'))
            text += '\n';
        if (text.size() < m_job.logOffset) {
            // The server's log was truncated or cleared: keep what we have and start over from its beginning.
            m_store->addEvent(m_job.id, m_job.state, u"the server's log was truncated"_s);
            m_job.logOffset = 0;
        }
        const QByteArray chunk = text.mid(m_job.logOffset);
        if (chunk.isEmpty())
            return;
        m_store->appendLog(m_job.id, chunk, m_job.logOffset + chunk.size());
        m_job.logOffset += chunk.size();
        emit logAppended(chunk);
    });
}

void RestJobRunner::cancel()
{
    if (isFinalState(m_job.state))
        return;
    if (m_job.remoteTaskId.isEmpty()) {
        setState(JobState::Cancelled, u"cancelled before the task was created"_s);
        return;
    }
    RestCall* call = m_client->post(u"/api/tasks/%1/cancel"_s.arg(m_job.remoteTaskId));
    connect(call, &RestCall::finished, this, [this](const RestResult& r) {
        if (r.ok()) {
            m_job.detail = u"the autotuner's cancel only flips the task's status: an experiment that is already "
                           "running continues until its worker finishes it"_s;
            setState(JobState::Cancelled, u"cancelled on the server (status only)"_s);
            return;
        }
        m_store->addEvent(m_job.id, m_job.state, u"cancel refused: %1"_s.arg(r.message()));
        setDetail(u"cancel refused: %1"_s.arg(r.message()), r.httpStatus == 0);
    });
}

void RestJobRunner::restart()
{
    if (!isFinalState(m_job.state) || m_job.remoteTaskId.isEmpty())
        return;
    RestCall* call = m_client->post(u"/api/tasks/%1/restart"_s.arg(m_job.remoteTaskId));
    connect(call, &RestCall::finished, this, [this](const RestResult& r) {
        if (!r.ok()) {
            m_store->addEvent(m_job.id, m_job.state, u"restart refused: %1"_s.arg(r.message()));
            setDetail(u"restart refused: %1"_s.arg(r.message()), false);
            return;
        }
        m_job.error.clear();
        m_job.experimentsDone = 0;
        m_job.finishedAt = QDateTime();
        m_job.logOffset = 0;
        setState(JobState::Running, u"restarted on the server"_s);
        schedulePoll(m_pollMs);
    });
}

void RestJobRunner::retryWithName(const QString& taskName)
{
    auto doc = json::parse(m_job.taskJson.constBegin(), m_job.taskJson.constEnd(), nullptr, false);
    if (!doc.is_object())
        return;
    doc["task_name"] = taskName.toStdString();
    m_job.taskJson = QByteArray::fromStdString(doc.dump(2));
    m_job.taskName = taskName;
    m_job.error.clear();
    m_job.finishedAt = QDateTime();
    m_nameConflict = false;
    m_store->addEvent(m_job.id, m_job.state, u"submitting again as '%1'"_s.arg(taskName));
    m_job.state = JobState::Queued;
    save();
    start();
}

} // namespace QuantDesk

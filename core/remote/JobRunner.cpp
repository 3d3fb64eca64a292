#include "JobRunner.h"

#include <QRegularExpression>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

JobRunner::JobRunner(JobStore* store, const JobRecord& job, QObject* parent)
    : QObject(parent), m_store(store), m_job(job)
{
    qRegisterMetaType<QuantDesk::JobRecord>();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { poll(); });
}

JobRunner::~JobRunner() = default;

void JobRunner::save()
{
    m_job.updatedAt = QDateTime::currentDateTimeUtc();
    m_store->updateJob(m_job);
    emit changed(m_job);
}

void JobRunner::setState(JobState state, const QString& message)
{
    const bool wasFinal = isFinalState(m_job.state);
    m_job.state = state;
    if (state == JobState::Running && !m_job.startedAt.isValid())
        m_job.startedAt = QDateTime::currentDateTimeUtc();
    if (isFinalState(state))
        m_job.finishedAt = QDateTime::currentDateTimeUtc();
    m_job.updatedAt = QDateTime::currentDateTimeUtc();
    m_store->updateJobWithEvent(m_job, state, message);
    emit changed(m_job);
    if (isFinalState(state) && !wasFinal) {
        m_timer.stop();
        emit finished(m_job);
    }
}

void JobRunner::setDetail(const QString& detail, bool connectionLost)
{
    if (detail == m_job.detail && connectionLost == m_job.connectionLost)
        return;
    if (connectionLost != m_job.connectionLost) {
        m_store->addEvent(
            m_job.id, m_job.state, connectionLost ? u"connection lost: %1"_s.arg(detail) : u"connection restored"_s);
    }
    m_job.detail = detail;
    m_job.connectionLost = connectionLost;
    save();
}

void JobRunner::fail(const QString& error)
{
    m_job.error = error;
    setState(JobState::Failed, error);
}

void JobRunner::schedulePoll(int delayMs)
{
    if (!isFinalState(m_job.state))
        m_timer.start(delayMs);
}

int JobRunner::backoffMs() const
{
    // 1x, 2x, 4x … the poll interval, at most 30 s, while a host keeps failing.
    const int factor = 1 << std::min(m_failures, 5);
    return std::min(30000, m_pollMs * factor);
}

bool JobRunner::countFailure(const QString& why)
{
    ++m_failures;
    if (m_maxFailures > 0 && m_failures >= m_maxFailures) {
        fail(u"giving up after %1 failed attempts to reach the host: %2"_s.arg(m_failures).arg(why));
        return true;
    }
    return false;
}

int autotunerExperimentCount(const QByteArray& taskJson)
{
    const auto doc = nlohmann::json::parse(taskJson.constBegin(), taskJson.constEnd(), nullptr, false);
    if (!doc.is_object())
        return 0;
    long long n = 1;
    if (doc.contains("parameters") && doc["parameters"].is_object()) {
        for (const auto& [key, v] : doc["parameters"].items()) {
            if (v.is_array() && !v.empty())
                n *= static_cast<long long>(v.size());
            else if (v.is_object()) {
                const auto& values = v.contains("values") ? v["values"] : v.value("choices", nlohmann::json());
                if (values.is_array() && !values.empty())
                    n *= static_cast<long long>(values.size());
            }
            n = std::min(n, 1000000LL);
        }
    }
    if (doc.contains("optimization") && doc["optimization"].is_object()) {
        const auto& mi = doc["optimization"].value("max_iterations", nlohmann::json(100));
        if (mi.is_number_integer())
            n = std::min(n, std::max(1LL, mi.get<long long>()));
    } else {
        n = std::min(n, 100LL);
    }
    return static_cast<int>(n);
}

void ExperimentTracker::feed(const QByteArray& chunk)
{
    static const QRegularExpression completed(u"Experiment (\\d+) completed"_s);
    static const QRegularExpression status(u"\\[Experiment (\\d+)\\] Status: (SUCCESS|FAILED)"_s);
    static const QRegularExpression banner(u"^\\s*(?:\\[ARQ Worker\\] Running )?[Ee]xperiment (\\d+)(?:/\\d+)?\\b"_s);
    m_partial += chunk;
    const qsizetype lastNl = m_partial.lastIndexOf('\n');
    if (lastNl < 0)
        return;
    const QByteArray complete = m_partial.left(lastNl);
    m_partial = m_partial.mid(lastNl + 1);
    for (const QByteArray& raw : complete.split('\n')) {
        const QString line = QString::fromUtf8(raw);
        if (auto m = completed.match(line); m.hasMatch()) {
            m_completed = std::max(m_completed, m.captured(1).toInt());
            continue;
        }
        if (auto m = status.match(line); m.hasMatch()) {
            m_completed = std::max(m_completed, m.captured(1).toInt());
            continue;
        }
        if (auto m = banner.match(line); m.hasMatch())
            m_current = m.captured(1).toInt();
    }
}

} // namespace QuantDesk

#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

#include "core/store/JobStore.h"

namespace QuantDesk
{

class JobStore;
class RestClient;
class Transport;

// Follows one job on one host and writes everything it learns to the job store as it arrives.
class JobRunner : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobRunner)

public:
    JobRunner(JobStore* store, const JobRecord& job, QObject* parent = nullptr);
    ~JobRunner() override;

    // Submits a queued job.
    virtual void start() = 0;
    // Re-attaches to a job that was already submitted (after a restart of QuantDesk).
    virtual void resume() = 0;
    virtual void cancel() = 0;

    [[nodiscard]] const JobRecord& job() const { return m_job; }
    void setPollIntervalMs(int ms) { m_pollMs = ms; }
    // Fail the job after this many failed attempts in a row to reach the host (0: keep trying, the app's default;
    // the CLI sets a limit so that it can exit).
    void setMaxConsecutiveFailures(int n) { m_maxFailures = n; }

signals:
    void changed(const QuantDesk::JobRecord& job);
    void logAppended(const QByteArray& chunk);
    void finished(const QuantDesk::JobRecord& job);

protected:
    void setState(JobState state, const QString& message);
    void setDetail(const QString& detail, bool connectionLost);
    void fail(const QString& error);
    void save();
    void schedulePoll(int delayMs);
    virtual void poll() = 0;
    [[nodiscard]] int backoffMs() const;
    // Counts a failed attempt; fails the job (and returns true) when the limit is reached.
    bool countFailure(const QString& why);

    JobStore* m_store;
    JobRecord m_job;
    int m_pollMs = 1000;
    int m_failures = 0; // consecutive failed polls
    int m_maxFailures = 0;
    QTimer m_timer;
};

// Grid size the autotuner will run for a task: product of the parameter list lengths, capped by max_iterations.
[[nodiscard]] int autotunerExperimentCount(const QByteArray& taskJson);

// Parses the autotuner CLI's stdout ("Experiment N" banners, "Experiment N completed") and the web log's
// "[Experiment N] Status: SUCCESS|FAILED" lines. Feed it chunks; it tracks the experiment that is running.
class ExperimentTracker
{
public:
    void feed(const QByteArray& chunk);
    [[nodiscard]] int current() const { return m_current; } // 0 before the first experiment
    [[nodiscard]] int completed() const { return m_completed; }

private:
    QByteArray m_partial;
    int m_current = 0;
    int m_completed = 0;
};

} // namespace QuantDesk

#pragma once

#include "core/remote/JobRunner.h"

#include <functional>

namespace QuantDesk
{

class RestClient;
struct RestResult;

// Runs a task through the inference-autotuner REST API: POST /api/tasks/, POST /api/tasks/{id}/start, then polls
// GET /api/tasks/{id}, /api/experiments/task/{id} and /api/tasks/{id}/logs. Server errors, timeouts, resets and
// malformed answers while following are retried with back-off and never lose what was already stored.
class RestJobRunner final : public JobRunner
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RestJobRunner)

public:
    RestJobRunner(JobStore* store, const JobRecord& job, RestClient* client, QObject* parent = nullptr);
    ~RestJobRunner() override;

    void start() override;
    void resume() override;
    // The autotuner's cancel only flips the task's status: experiments already running go on until the worker
    // finishes them. The job records that.
    void cancel() override;
    // Runs a finished (completed, failed or cancelled) task again on the server.
    void restart();
    // After a "name already exists" refusal: submit again under another name.
    void retryWithName(const QString& taskName);
    [[nodiscard]] bool nameConflict() const { return m_nameConflict; }
    // A free name to offer after a conflict: "<name>-2", "-3", …
    [[nodiscard]] QString suggestedName() const;

protected:
    void poll() override;

private:
    void create();
    void startTask();
    void onTask(const RestResult& r);
    void pollExperiments(bool final);
    // Fetches the log; then() runs after the answer is handled (whatever it was).
    void pollLogs(const std::function<void()>& then = {});
    bool transient(const RestResult& r, const QString& what);

    QPointer<RestClient> m_client;
    bool m_nameConflict = false;
    bool m_polling = false;
};

} // namespace QuantDesk

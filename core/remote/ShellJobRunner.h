#pragma once

#include "core/remote/JobRunner.h"
#include "core/remote/PollBatcher.h"
#include "core/remote/ProcessJob.h"

namespace QuantDesk
{

class ProcessJob;
class Transport;

// Runs the autotuner CLI on a local or SSH host: uploads the exported task into a job folder on the host, starts
// `run_autotuner.py TASK --mode docker` in the host's checkout (its env/ venv) detached from the connection and in
// its own process group, follows the log from the last stored offset (so a reconnect resumes where it stopped),
// samples GPU memory with nvidia-smi on every poll and attributes samples to the running experiment, detects the
// end, fetches results/<task>_results.json, and cancels by ending the process group.
class ShellJobRunner final : public JobRunner
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShellJobRunner)

public:
    ShellJobRunner(JobStore* store, const JobRecord& job, Transport* transport, QObject* parent = nullptr);
    ~ShellJobRunner() override;

    void start() override;
    void resume() override;
    void cancel() override;
    // Polls through the host's batcher (one command per round for all its jobs); without one the runner makes its
    // own. Set before start().
    void setPollBatcher(PollBatcher* batcher) { m_batcher = batcher; }

    // The start script (fixed text; job folder and paths arrive as positional parameters). The poll script is
    // PollBatcher::script().
    [[nodiscard]] static QString startScript();

protected:
    void poll() override;

private:
    void upload();
    void launch();
    void onPolled(const CommandResult& r);
    void fetchResults(int exitCode);
    [[nodiscard]] bool handleTransportFailure(const CommandResult& r);
    [[nodiscard]] ProcessJob* command(const QStringList& argv, int timeoutMs);

    QPointer<Transport> m_transport;
    QPointer<PollBatcher> m_batcher;
    ExperimentTracker m_tracker;
    bool m_cancelRequested = false;
    bool m_polling = false;
    QString m_localTaskFile;
};

} // namespace QuantDesk

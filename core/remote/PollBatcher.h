#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <functional>

#include "core/remote/ProcessJob.h"

namespace QuantDesk
{

class Transport;

// Follows every job on one host with one command per round instead of one per job: runners ask to be polled, the
// requests that arrive within a short window (or while a round is running) go out together as one `sh -c` with each
// job's folder and log offset as positional parameters, and nvidia-smi runs once per round. The output is split
// back per job (sections marked with a random per-round token a log cannot forge by accident) and each runner gets
// a CommandResult shaped exactly like the single-job poll's: its log bytes, its status block, the round's GPU sample.
// A round that fails as a whole (connection lost, timeout) hands the same failure to every runner in it.
class PollBatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PollBatcher)

public:
    using Callback = std::function<void(const CommandResult&)>;

    static constexpr int kWindowMs = 100;       // how long a first request waits for company
    static constexpr int kSettleMs = 50;        // after the last round's jobs are due again
    static constexpr int kMaxJobsPerRound = 64; // keeps the command line short
    static constexpr int kTimeoutMs = 60000;

    PollBatcher(Transport* transport, QObject* parent = nullptr);

    // The poll interval: a round starts this long (plus kSettleMs) after the previous one ended, when that round's
    // jobs are due again, so jobs started at different times fall into step and share it.
    void setMinimumGapMs(int ms) { m_minGapMs = ms; }

    // Queues one poll of the job folder `dir` from byte `logOffset`. `callback` runs once, on this thread, unless
    // `owner` is gone by then.
    void request(QObject* owner, const QString& dir, qint64 logOffset, Callback callback);

    // The fixed script: $1 the round's token, then pairs of (job folder, log offset).
    [[nodiscard]] static QString script();
    // Splits a round's output into one single-job poll output per job (empty when the job's section is missing).
    [[nodiscard]] static QList<QByteArray> split(const QByteArray& output, const QByteArray& token, int jobs);

    // Rounds run and job polls carried by them (jobsPolled() / roundsRun() is the saving).
    [[nodiscard]] int roundsRun() const { return m_rounds; }
    [[nodiscard]] int jobsPolled() const { return m_jobsPolled; }
    [[nodiscard]] int largestRound() const { return m_largestRound; }

private:
    struct Pending
    {
        QPointer<QObject> owner;
        QString dir;
        qint64 offset = 0;
        Callback callback;
    };

    void flush();
    void scheduleRound();

    QPointer<Transport> m_transport;
    QList<Pending> m_pending;
    QTimer m_window;
    bool m_inFlight = false;
    int m_minGapMs = 1000;
    QElapsedTimer m_sinceRoundEnd;
    int m_rounds = 0;
    int m_jobsPolled = 0;
    int m_largestRound = 0;
};

} // namespace QuantDesk

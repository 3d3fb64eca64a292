#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <functional>
#include <optional>

#include "core/store/JobStore.h"

class QTimer;

namespace QuantDesk
{

class JobManager;

// The job history as a table: every job in the store, kept current from JobManager::jobChanged. Elapsed and remaining
// time tick once a second while a job is running.
class JobsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobsModel)

public:
    enum Column {
        TaskColumn,
        HostColumn,
        StateColumn,
        ProgressColumn,
        ElapsedColumn,
        RemainingColumn,
        StartedColumn,
        ColumnCount,
    };
    enum Role {
        JobIdRole = Qt::UserRole + 1,
        // ProgressColumn: done / total in [0, 1], or -1 when the total is unknown.
        ProgressFractionRole,
        StateRole, // JobState as int
    };

    JobsModel(JobManager* manager, JobStore* store, QObject* parent = nullptr);
    ~JobsModel() override;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    [[nodiscard]] std::optional<JobRecord> jobAt(int row) const;
    [[nodiscard]] int rowOf(qint64 jobId) const; // -1 when unknown
    // Shows just-submitted jobs at once (before their runners report).
    void addJobs(const QList<qint64>& ids);
    // Re-reads every job from the store.
    void reload();
    // Tests: the clock elapsed and remaining times are measured against.
    void setClock(std::function<QDateTime()> now);

    // "1:02:03", "4:05" (minutes:seconds), "0:07".
    [[nodiscard]] static QString formatDuration(qint64 seconds);
    // Seconds left from the mean time per finished experiment; nullopt when unknown (nothing finished yet, no total,
    // or the job is over).
    [[nodiscard]] static std::optional<qint64> remainingSeconds(const JobRecord& job, const QDateTime& now);
    [[nodiscard]] static QString stateText(const JobRecord& job);

private:
    void onJobChanged(const JobRecord& job);
    void tick();

    JobStore* m_store;
    QList<JobRecord> m_jobs;
    QTimer* m_ticker = nullptr;
    std::function<QDateTime()> m_now;
};

} // namespace QuantDesk

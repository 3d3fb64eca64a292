#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QTimer>

#include "core/store/JobStore.h"

namespace QuantDesk
{

class JobManager;

// The job history as a table, newest first: every job in the store, kept up to date from JobManager::jobChanged.
// Elapsed time and the remaining estimate of unfinished jobs tick once a second.
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
        // ProgressColumn: experiments done and total (total 0: not known yet).
        DoneRole,
        TotalRole,
        FinalRole, // bool: the job has ended
    };

    // manager may be null (a read-only history).
    JobsModel(JobStore* store, JobManager* manager, QObject* parent = nullptr);
    ~JobsModel() override;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    [[nodiscard]] const JobRecord& job(int row) const { return m_jobs.at(row); }
    [[nodiscard]] int rowOf(qint64 jobId) const;
    // Reads every job from the store again.
    void reload();
    // The clock the elapsed and remaining columns use (tests pin it).
    void setNow(const QDateTime& now) { m_now = now; }

    // "1 h 02 min", "3 min 05 s", "12 s".
    [[nodiscard]] static QString formatDuration(qint64 seconds);
    // Mean time per finished experiment times the experiments left; nullopt when it cannot be told (nothing
    // finished yet, total unknown, not started, ended).
    [[nodiscard]] static std::optional<qint64> remainingSeconds(const JobRecord& job, const QDateTime& now);
    // "Running", "Running — connection lost: …", "Failed: …".
    [[nodiscard]] static QString stateText(const JobRecord& job);

public slots:
    void onJobChanged(const QuantDesk::JobRecord& job);

private:
    void tick();
    [[nodiscard]] QDateTime now() const;
    [[nodiscard]] QVariant display(const JobRecord& job, int column) const;

    JobStore* m_store;
    QList<JobRecord> m_jobs; // newest first
    QTimer m_ticker;
    QDateTime m_now;
};

} // namespace QuantDesk

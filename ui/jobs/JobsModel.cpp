#include "ui/jobs/JobsModel.h"

#include <QLocale>

#include "core/remote/JobManager.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

QString stateName(JobState state)
{
    switch (state) {
    case JobState::Queued:
        return JobsModel::tr("Queued");
    case JobState::Uploading:
        return JobsModel::tr("Uploading");
    case JobState::Running:
        return JobsModel::tr("Running");
    case JobState::Fetching:
        return JobsModel::tr("Fetching results");
    case JobState::Done:
        return JobsModel::tr("Done");
    case JobState::Failed:
        return JobsModel::tr("Failed");
    case JobState::Cancelled:
        return JobsModel::tr("Cancelled");
    }
    return {};
}

} // namespace

JobsModel::JobsModel(JobStore* store, JobManager* manager, QObject* parent) : QAbstractTableModel(parent), m_store(store)
{
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &JobsModel::tick);
    if (manager)
        connect(manager, &JobManager::jobChanged, this, &JobsModel::onJobChanged);
    reload();
}

JobsModel::~JobsModel() = default;

void JobsModel::reload()
{
    beginResetModel();
    m_jobs.clear();
    if (m_store && m_store->isOpen()) {
        m_jobs = m_store->jobs();
        std::sort(m_jobs.begin(), m_jobs.end(), [](const JobRecord& a, const JobRecord& b) { return a.id > b.id; });
    }
    endResetModel();
    tick();
}

int JobsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_jobs.size());
}

int JobsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int JobsModel::rowOf(qint64 jobId) const
{
    for (qsizetype i = 0; i < m_jobs.size(); ++i) {
        if (m_jobs.at(i).id == jobId)
            return static_cast<int>(i);
    }
    return -1;
}

void JobsModel::onJobChanged(const JobRecord& job)
{
    const int row = rowOf(job.id);
    if (row >= 0) {
        m_jobs[row] = job;
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    } else {
        // New jobs are the newest: they go on top (ids grow).
        int at = 0;
        while (at < m_jobs.size() && m_jobs.at(at).id > job.id)
            ++at;
        beginInsertRows({}, at, at);
        m_jobs.insert(at, job);
        endInsertRows();
    }
    if (!isFinalState(job.state) && !m_ticker.isActive())
        m_ticker.start();
}

void JobsModel::tick()
{
    bool active = false;
    for (qsizetype i = 0; i < m_jobs.size(); ++i) {
        if (isFinalState(m_jobs.at(i).state))
            continue;
        active = true;
        const int row = static_cast<int>(i);
        emit dataChanged(index(row, ElapsedColumn), index(row, RemainingColumn), {Qt::DisplayRole});
    }
    if (active && !m_ticker.isActive())
        m_ticker.start();
    else if (!active)
        m_ticker.stop();
}

QDateTime JobsModel::now() const
{
    return m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
}

QString JobsModel::formatDuration(qint64 seconds)
{
    seconds = std::max<qint64>(0, seconds);
    if (seconds >= 3600)
        return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    if (seconds >= 60)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 s").arg(seconds);
}

std::optional<qint64> JobsModel::remainingSeconds(const JobRecord& job, const QDateTime& now)
{
    if (isFinalState(job.state) || !job.startedAt.isValid() || job.experimentsDone <= 0 ||
        job.experimentsTotal <= 0)
        return std::nullopt;
    const qint64 elapsed = job.startedAt.secsTo(now);
    if (elapsed < 0)
        return std::nullopt;
    const int left = std::max(0, job.experimentsTotal - job.experimentsDone);
    // Mean time per finished experiment, rounded to the nearest second.
    return (elapsed * left + job.experimentsDone / 2) / job.experimentsDone;
}

QString JobsModel::stateText(const JobRecord& job)
{
    QString text = stateName(job.state);
    if (job.state == JobState::Failed && !job.error.isEmpty())
        return text + u": "_s + job.error;
    if (!job.detail.isEmpty())
        text += u" — "_s + job.detail;
    else if (job.connectionLost)
        text += u" — "_s + tr("connection lost");
    return text;
}

QVariant JobsModel::display(const JobRecord& job, int column) const
{
    switch (column) {
    case TaskColumn:
        return job.taskName;
    case HostColumn:
        return job.host.displayName();
    case StateColumn:
        return stateText(job);
    case ProgressColumn:
        return job.experimentsTotal > 0 ? u"%1/%2"_s.arg(job.experimentsDone).arg(job.experimentsTotal)
                                        : (job.experimentsDone > 0 ? QString::number(job.experimentsDone) : u"—"_s);
    case ElapsedColumn: {
        if (!job.startedAt.isValid())
            return u"—"_s;
        const QDateTime end = isFinalState(job.state) && job.finishedAt.isValid() ? job.finishedAt : now();
        return formatDuration(job.startedAt.secsTo(end));
    }
    case RemainingColumn: {
        if (job.state == JobState::Done)
            return formatDuration(0);
        const std::optional<qint64> left = remainingSeconds(job, now());
        return left ? formatDuration(*left) : u"—"_s;
    }
    case StartedColumn:
        return job.startedAt.isValid()
                   ? QLocale().toString(job.startedAt.toLocalTime(), QLocale::ShortFormat)
                   : (job.createdAt.isValid() ? tr("queued %1").arg(QLocale().toString(job.createdAt.toLocalTime(),
                                                                                        QLocale::ShortFormat))
                                              : u"—"_s);
    default:
        return {};
    }
}

QVariant JobsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JobRecord& job = m_jobs.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(job, index.column());
    case Qt::ToolTipRole:
        if (index.column() == StateColumn)
            return stateText(job);
        if (index.column() == HostColumn)
            return job.host.displayName();
        if (index.column() == TaskColumn)
            return job.uuid.isEmpty() ? job.taskName : u"%1 (%2)"_s.arg(job.taskName, job.uuid);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ProgressColumn || index.column() == ElapsedColumn || index.column() == RemainingColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case JobIdRole:
        return job.id;
    case DoneRole:
        return job.experimentsDone;
    case TotalRole:
        return job.experimentsTotal;
    case FinalRole:
        return isFinalState(job.state);
    default:
        return {};
    }
}

QVariant JobsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TaskColumn:
        return tr("Task");
    case HostColumn:
        return tr("Host");
    case StateColumn:
        return tr("State");
    case ProgressColumn:
        return tr("Progress");
    case ElapsedColumn:
        return tr("Elapsed");
    case RemainingColumn:
        return tr("Remaining");
    case StartedColumn:
        return tr("Started");
    default:
        return {};
    }
}

} // namespace QuantDesk

#include "ui/jobs/JobsModel.h"

#include <QTimer>

#include "core/remote/JobManager.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

JobsModel::JobsModel(JobManager* manager, JobStore* store, QObject* parent)
    : QAbstractTableModel(parent), m_store(store), m_now([] { return QDateTime::currentDateTimeUtc(); })
{
    m_jobs = m_store->jobs();
    if (manager)
        connect(manager, &JobManager::jobChanged, this, &JobsModel::onJobChanged);
    m_ticker = new QTimer(this);
    m_ticker->setInterval(1000);
    connect(m_ticker, &QTimer::timeout, this, &JobsModel::tick);
    m_ticker->start();
}

JobsModel::~JobsModel() = default;

void JobsModel::setClock(std::function<QDateTime()> now)
{
    m_now = std::move(now);
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

QString JobsModel::formatDuration(qint64 seconds)
{
    seconds = std::max<qint64>(0, seconds);
    const qint64 h = seconds / 3600;
    const qint64 m = (seconds % 3600) / 60;
    const qint64 s = seconds % 60;
    if (h > 0)
        return u"%1:%2:%3"_s.arg(h).arg(m, 2, 10, QChar(u'0')).arg(s, 2, 10, QChar(u'0'));
    return u"%1:%2"_s.arg(m).arg(s, 2, 10, QChar(u'0'));
}

std::optional<qint64> JobsModel::remainingSeconds(const JobRecord& job, const QDateTime& now)
{
    if (isFinalState(job.state) || !job.startedAt.isValid() || job.experimentsDone <= 0 || job.experimentsTotal <= 0)
        return std::nullopt;
    const qint64 left = job.experimentsTotal - job.experimentsDone;
    if (left <= 0)
        return 0;
    const double perExperiment = static_cast<double>(job.startedAt.secsTo(now)) / job.experimentsDone;
    return static_cast<qint64>(perExperiment * static_cast<double>(left) + 0.5);
}

QString JobsModel::stateText(const JobRecord& job)
{
    QString text;
    switch (job.state) {
    case JobState::Queued:
        text = tr("Queued");
        break;
    case JobState::Uploading:
        text = tr("Uploading");
        break;
    case JobState::Running:
        text = tr("Running");
        break;
    case JobState::Fetching:
        text = tr("Fetching results");
        break;
    case JobState::Done:
        text = tr("Done");
        break;
    case JobState::Failed:
        text = tr("Failed");
        break;
    case JobState::Cancelled:
        text = tr("Cancelled");
        break;
    }
    if (job.connectionLost)
        return tr("%1 — connection lost").arg(text);
    if (!isFinalState(job.state) && !job.detail.isEmpty())
        return tr("%1 — %2").arg(text, job.detail);
    if (job.state == JobState::Failed && !job.error.isEmpty())
        return tr("%1 — %2").arg(text, job.error);
    return text;
}

QVariant JobsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_jobs.size())
        return {};
    const JobRecord& job = m_jobs.at(index.row());
    if (role == JobIdRole)
        return job.id;
    if (role == StateRole)
        return static_cast<int>(job.state);
    if (role == ProgressFractionRole) {
        if (index.column() != ProgressColumn || job.experimentsTotal <= 0)
            return -1.0;
        return std::min(1.0, static_cast<double>(job.experimentsDone) / job.experimentsTotal);
    }
    const QDateTime now = m_now();
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case TaskColumn:
            return job.taskName;
        case HostColumn:
            return job.host.displayName();
        case StateColumn:
            return stateText(job);
        case ProgressColumn:
            return job.experimentsTotal > 0 ? u"%1/%2"_s.arg(job.experimentsDone).arg(job.experimentsTotal)
                                            : u"%1/?"_s.arg(job.experimentsDone);
        case ElapsedColumn: {
            if (!job.startedAt.isValid())
                return u"—"_s;
            const QDateTime end = isFinalState(job.state) && job.finishedAt.isValid() ? job.finishedAt : now;
            return formatDuration(job.startedAt.secsTo(end));
        }
        case RemainingColumn: {
            const auto left = remainingSeconds(job, now);
            return left ? formatDuration(*left) : u"—"_s;
        }
        case StartedColumn:
            return job.startedAt.isValid() ? job.startedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s) : u"—"_s;
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == StateColumn) {
            QStringList lines{stateText(job)};
            if (!job.detail.isEmpty() && !lines.constFirst().contains(job.detail))
                lines << job.detail;
            if (!job.error.isEmpty() && !lines.constFirst().contains(job.error))
                lines << job.error;
            return lines.join(u'\n');
        }
        if (index.column() == HostColumn)
            return job.host.target();
        if (index.column() == RemainingColumn)
            return tr("Estimated from the mean time per finished experiment");
    }
    if (role == Qt::TextAlignmentRole && index.column() >= ProgressColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant JobsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
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

std::optional<JobRecord> JobsModel::jobAt(int row) const
{
    if (row < 0 || row >= m_jobs.size())
        return std::nullopt;
    return m_jobs.at(row);
}

int JobsModel::rowOf(qint64 jobId) const
{
    for (qsizetype i = 0; i < m_jobs.size(); ++i) {
        if (m_jobs.at(i).id == jobId)
            return static_cast<int>(i);
    }
    return -1;
}

void JobsModel::addJobs(const QList<qint64>& ids)
{
    for (const qint64 id : ids) {
        if (rowOf(id) >= 0)
            continue;
        if (const std::optional<JobRecord> job = m_store->job(id))
            onJobChanged(*job);
    }
}

void JobsModel::reload()
{
    beginResetModel();
    m_jobs = m_store->jobs();
    endResetModel();
}

void JobsModel::onJobChanged(const JobRecord& job)
{
    const int row = rowOf(job.id);
    if (row < 0) {
        const int at = static_cast<int>(m_jobs.size());
        beginInsertRows({}, at, at);
        m_jobs << job;
        endInsertRows();
        return;
    }
    m_jobs[row] = job;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void JobsModel::tick()
{
    for (qsizetype i = 0; i < m_jobs.size(); ++i) {
        if (!isFinalState(m_jobs.at(i).state) && m_jobs.at(i).startedAt.isValid()) {
            const int row = static_cast<int>(i);
            emit dataChanged(index(row, ElapsedColumn), index(row, RemainingColumn), {Qt::DisplayRole});
        }
    }
}

} // namespace QuantDesk

#include "ui/results/ResultsLibraryModel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

ResultsLibraryModel::ResultsLibraryModel(ResultsLibrary* library, QObject* parent)
    : QAbstractTableModel(parent), m_library(library)
{
    if (m_library && m_library->isOpen())
        m_entries = m_library->entries();
}

ResultsLibraryModel::~ResultsLibraryModel() = default;

int ResultsLibraryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int ResultsLibraryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const LibraryEntry* ResultsLibraryModel::entryAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? &m_entries.at(row) : nullptr;
}

int ResultsLibraryModel::rowOf(qint64 setId) const
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).id == setId)
            return static_cast<int>(i);
    }
    return -1;
}

QVariant ResultsLibraryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LibraryEntry& e = m_entries.at(index.row());
    const QString job = e.jobId > 0 ? tr("#%1").arg(e.jobId) : QString();
    switch (role) {
    case SetIdRole:
        return e.id;
    case FilterRole:
        return QStringList{e.name, resultFormatLabel(e.format), e.tool, e.sourcePath, e.configs.join(u' '), job}.join(
            u'\n');
    case Qt::CheckStateRole:
        if (index.column() == NameColumn)
            return m_checked.contains(e.id) ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case JobColumn:
        case ExperimentsColumn:
        case PointsColumn:
        case WarningsColumn:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        switch (index.column()) {
        case NameColumn:
        case SourceColumn: {
            QStringList lines{e.name, tr("Format: %1").arg(resultFormatLabel(e.format))};
            if (!e.tool.isEmpty())
                lines << tr("Tool: %1").arg(e.tool);
            lines << (e.sourcePath.isEmpty() ? tr("Fetched by job %1").arg(e.jobId) : e.sourcePath);
            return lines.join(u'\n');
        }
        case JobColumn:
            return e.jobId > 0 ? tr("Fetched by job %1").arg(e.jobId) : tr("Imported from a file");
        case ImportedColumn:
            return QLocale().toString(e.importedAt.toLocalTime(), QLocale::LongFormat);
        case ConfigsColumn:
            return e.configs.join(u'\n');
        case WarningsColumn:
            return e.warningCount > 0
                       ? tr("%n value(s) were missing or refused while importing", nullptr, e.warningCount)
                       : QVariant();
        default:
            return {};
        }
    case SortRole:
        switch (index.column()) {
        case NameColumn:
            return e.name.toCaseFolded();
        case SourceColumn:
            return resultFormatLabel(e.format).toCaseFolded();
        case JobColumn:
            return e.jobId;
        case ImportedColumn:
            return e.importedAt;
        case ExperimentsColumn:
            return e.experiments;
        case PointsColumn:
            return e.points;
        case ConfigsColumn:
            return e.configs.join(u", "_s).toCaseFolded();
        case WarningsColumn:
            return e.warningCount;
        default:
            return {};
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return e.name;
        case SourceColumn:
            return resultFormatLabel(e.format);
        case JobColumn:
            return job;
        case ImportedColumn:
            return QLocale().toString(e.importedAt.toLocalTime(), QLocale::ShortFormat);
        case ExperimentsColumn:
            return e.experiments;
        case PointsColumn:
            return e.points;
        case ConfigsColumn:
            return e.configs.join(u", "_s);
        case WarningsColumn:
            return e.warningCount;
        default:
            return {};
        }
    default:
        return {};
    }
}

bool ResultsLibraryModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::CheckStateRole || index.column() != NameColumn ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    setChecked(m_entries.at(index.row()).id, value.toInt() == Qt::Checked);
    return true;
}

Qt::ItemFlags ResultsLibraryModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == NameColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant ResultsLibraryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case NameColumn:
            return tr("The task or file name; check sets to compare them in the charts");
        case SourceColumn:
            return tr("The tool and file format the results came from");
        case JobColumn:
            return tr("The job that fetched the results (empty: imported from a file)");
        case PointsColumn:
            return tr("Load levels measured, over all experiments");
        case ConfigsColumn:
            return tr("The quant configs (presets) the experiments ran");
        case WarningsColumn:
            return tr("Values that were missing or refused while importing");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case SourceColumn:
        return tr("Source");
    case JobColumn:
        return tr("Job");
    case ImportedColumn:
        return tr("Imported");
    case ExperimentsColumn:
        return tr("Experiments");
    case PointsColumn:
        return tr("Load points");
    case ConfigsColumn:
        return tr("Configs");
    case WarningsColumn:
        return tr("Warnings");
    default:
        return {};
    }
}

void ResultsLibraryModel::refresh()
{
    const QList<LibraryEntry> next = m_library && m_library->isOpen() ? m_library->entries() : QList<LibraryEntry>{};
    QSet<qint64> nextIds;
    for (const LibraryEntry& e : next)
        nextIds.insert(e.id);

    // Rows whose set is gone.
    for (qsizetype i = m_entries.size() - 1; i >= 0; --i) {
        if (nextIds.contains(m_entries.at(i).id))
            continue;
        qsizetype first = i;
        while (first > 0 && !nextIds.contains(m_entries.at(first - 1).id))
            --first;
        beginRemoveRows({}, static_cast<int>(first), static_cast<int>(i));
        m_entries.remove(first, i - first + 1);
        endRemoveRows();
        i = first;
    }
    const qsizetype checkedBefore = m_checked.size();
    m_checked.intersect(nextIds);
    const bool checkedLost = m_checked.size() != checkedBefore;

    // The rows left keep their order (newest first, by import time), so the new list is the old one with rows
    // inserted; anything else (a clock that went backwards) falls back to a reset.
    QSet<qint64> currentIds;
    for (const LibraryEntry& e : std::as_const(m_entries))
        currentIds.insert(e.id);
    qsizetype k = 0;
    for (const LibraryEntry& e : next) {
        if (k < m_entries.size() && m_entries.at(k).id == e.id)
            ++k;
    }
    if (k != m_entries.size()) {
        beginResetModel();
        m_entries = next;
        endResetModel();
    } else {
        for (qsizetype j = 0; j < next.size(); ++j) {
            const LibraryEntry& e = next.at(j);
            if (j < m_entries.size() && m_entries.at(j).id == e.id) {
                if (!(m_entries.at(j) == e)) {
                    m_entries[j] = e;
                    emit dataChanged(index(static_cast<int>(j), 0), index(static_cast<int>(j), ColumnCount - 1));
                }
                continue;
            }
            qsizetype last = j;
            while (last + 1 < next.size() && !currentIds.contains(next.at(last + 1).id))
                ++last;
            beginInsertRows({}, static_cast<int>(j), static_cast<int>(last));
            for (qsizetype n = j; n <= last; ++n)
                m_entries.insert(n, next.at(n));
            endInsertRows();
            j = last;
        }
    }
    if (checkedLost)
        emit checkedChanged();
}

QList<qint64> ResultsLibraryModel::checkedIds() const
{
    QList<qint64> out;
    for (const LibraryEntry& e : m_entries) {
        if (m_checked.contains(e.id))
            out << e.id;
    }
    return out;
}

void ResultsLibraryModel::setChecked(qint64 setId, bool checked)
{
    const int row = rowOf(setId);
    if (row < 0 || m_checked.contains(setId) == checked)
        return;
    if (checked)
        m_checked.insert(setId);
    else
        m_checked.remove(setId);
    const QModelIndex i = index(row, NameColumn);
    emit dataChanged(i, i, {Qt::CheckStateRole});
    emit checkedChanged();
}

void ResultsLibraryModel::setCheckedIds(const QList<qint64>& ids)
{
    QSet<qint64> next;
    for (const qint64 id : ids) {
        if (rowOf(id) >= 0)
            next.insert(id);
    }
    if (next == m_checked)
        return;
    const QSet<qint64> before = m_checked;
    m_checked = next;
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        const qint64 id = m_entries.at(i).id;
        if (before.contains(id) != next.contains(id)) {
            const QModelIndex c = index(static_cast<int>(i), NameColumn);
            emit dataChanged(c, c, {Qt::CheckStateRole});
        }
    }
    emit checkedChanged();
}

} // namespace QuantDesk

#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QSet>

#include "core/results/ResultsLibrary.h"

namespace QuantDesk
{

// The results library as a table: one row per stored result set (newest first), with a check box in the name column
// that marks the set for comparing. refresh() re-reads the library and updates rows in place (inserts, removes,
// changes), so views keep their selection and the checked sets stay checked.
class ResultsLibraryModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsLibraryModel)

public:
    // What tells sets apart comes first: the table is often narrow, beside the charts.
    enum Column {
        NameColumn,
        ConfigsColumn,
        ExperimentsColumn,
        PointsColumn,
        JobColumn,
        SourceColumn,
        ImportedColumn,
        WarningsColumn,
        ColumnCount,
    };
    enum Role {
        SetIdRole = Qt::UserRole + 1,
        SortRole,   // numbers as numbers, dates as dates, text folded to lower case
        FilterRole, // every searchable text of the row (name, source, path, tool, configs, job)
    };

    // library may be null or not open: the model is then empty.
    explicit ResultsLibraryModel(ResultsLibrary* library, QObject* parent = nullptr);
    ~ResultsLibraryModel() override;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // Re-reads the library; rows are updated in place, checked sets that still exist stay checked.
    void refresh();
    [[nodiscard]] const QList<LibraryEntry>& entries() const { return m_entries; }
    [[nodiscard]] const LibraryEntry* entryAt(int row) const;
    [[nodiscard]] int rowOf(qint64 setId) const; // -1 when not listed

    // Sets marked for comparing, in table order.
    [[nodiscard]] QList<qint64> checkedIds() const;
    void setChecked(qint64 setId, bool checked);
    void setCheckedIds(const QList<qint64>& ids); // exactly these (unknown ids are ignored)

signals:
    void checkedChanged();

private:
    ResultsLibrary* m_library;
    QList<LibraryEntry> m_entries;
    QSet<qint64> m_checked;
};

} // namespace QuantDesk

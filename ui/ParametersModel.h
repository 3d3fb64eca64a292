#pragma once

#include <QAbstractTableModel>

#include "ui/TaskState.h"

namespace QuantDesk
{

// The task's engine parameters as an editable table: flag name (without "--") and its values ("0.85, 0.9").
// Edits are reported through parametersEdited; the document decides and sets the result back.
class ParametersModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParametersModel)

public:
    enum Column {
        KeyColumn,
        ValuesColumn,
        ColumnCount,
    };

    explicit ParametersModel(QObject* parent = nullptr);
    ~ParametersModel() override;

    void setParameters(const QList<ParameterEntry>& parameters);
    [[nodiscard]] const QList<ParameterEntry>& parameters() const { return m_items; }
    // Rows whose key an override or diagnostic concerns are marked (bold).
    void setOverriddenKeys(const QStringList& keys);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant
    headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    bool insertRows(int row, int count, const QModelIndex& parent = {}) override;
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override;

signals:
    void parametersEdited(const QList<QuantDesk::ParameterEntry>& parameters);

private:
    QList<ParameterEntry> m_items;
    QStringList m_overridden;
};

} // namespace QuantDesk

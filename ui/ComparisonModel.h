#pragma once

#include <QAbstractListModel>

#include "ui/TaskState.h"

namespace QuantDesk
{

// The quant configs to compare: presets and custom configs; export turns each into one autotuner task.
class ComparisonModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComparisonModel)

public:
    enum Role {
        PresetRole = Qt::UserRole + 1, // "" for a custom config
        SummaryRole,
        TaskSuffixRole, // what export appends to the task name
    };

    explicit ComparisonModel(QObject* parent = nullptr);
    ~ComparisonModel() override;

    void setChoices(const QList<QuantChoice>& choices);
    [[nodiscard]] const QList<QuantChoice>& choices() const { return m_items; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    QList<QuantChoice> m_items;
};

} // namespace QuantDesk

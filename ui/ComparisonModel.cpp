#include "ui/ComparisonModel.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

ComparisonModel::ComparisonModel(QObject* parent) : QAbstractListModel(parent) {}

ComparisonModel::~ComparisonModel() = default;

void ComparisonModel::setChoices(const QList<QuantChoice>& choices)
{
    if (choices == m_items)
        return;
    beginResetModel();
    m_items = choices;
    endResetModel();
}

int ComparisonModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

QVariant ComparisonModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QuantChoice& c = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return c.preset.isEmpty() ? tr("Custom: %1").arg(c.config.summary()) : c.preset;
    case Qt::ToolTipRole:
    case SummaryRole:
        return c.config.summary();
    case Qt::AccessibleTextRole:
        return tr("%1, %2").arg(c.label(), c.config.summary());
    case PresetRole:
        return c.preset;
    case TaskSuffixRole:
        return c.label();
    default:
        return {};
    }
}

} // namespace QuantDesk

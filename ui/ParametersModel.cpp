#include "ui/ParametersModel.h"

#include <QFont>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

ParametersModel::ParametersModel(QObject* parent) : QAbstractTableModel(parent) {}

ParametersModel::~ParametersModel() = default;

void ParametersModel::setParameters(const QList<ParameterEntry>& parameters)
{
    if (parameters == m_items)
        return;
    if (parameters.size() == m_items.size()) {
        m_items = parameters;
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_items = parameters;
    endResetModel();
}

void ParametersModel::setOverriddenKeys(const QStringList& keys)
{
    if (keys == m_overridden)
        return;
    m_overridden = keys;
    if (!m_items.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::FontRole, Qt::ToolTipRole});
}

int ParametersModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

int ParametersModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ParametersModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ParameterEntry& p = m_items.at(index.row());
    const bool overrides = m_overridden.contains(p.key.trimmed());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return index.column() == KeyColumn ? p.key : parameterValuesToText(p.values);
    case Qt::ToolTipRole:
        if (index.column() == KeyColumn)
            return overrides ? tr("--%1 overrides a flag the quant config sets").arg(p.key)
                             : tr("Engine flag without the leading --");
        return tr("Values to try, comma-separated; the preview uses the first");
    case Qt::FontRole:
        if (overrides) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    default:
        return {};
    }
}

QVariant ParametersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    return section == KeyColumn ? tr("Parameter") : section == ValuesColumn ? tr("Values") : QVariant();
}

Qt::ItemFlags ParametersModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return QAbstractTableModel::flags(index) | Qt::ItemIsEditable;
}

bool ParametersModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    QList<ParameterEntry> next = m_items;
    ParameterEntry& p = next[index.row()];
    if (index.column() == KeyColumn) {
        QString key = value.toString().trimmed();
        while (key.startsWith(u'-'))
            key.remove(0, 1);
        p.key = key;
    } else {
        p.values = parameterValuesFromText(value.toString());
    }
    if (next == m_items)
        return true;
    m_items = next;
    emit dataChanged(index, index);
    emit parametersEdited(m_items);
    return true;
}

bool ParametersModel::insertRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || row > rowCount() || count <= 0)
        return false;
    beginInsertRows(parent, row, row + count - 1);
    for (int i = 0; i < count; ++i)
        m_items.insert(row, ParameterEntry{});
    endInsertRows();
    emit parametersEdited(m_items);
    return true;
}

bool ParametersModel::removeRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > rowCount())
        return false;
    beginRemoveRows(parent, row, row + count - 1);
    m_items.remove(row, count);
    endRemoveRows();
    emit parametersEdited(m_items);
    return true;
}

} // namespace QuantDesk

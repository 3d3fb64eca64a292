#include "ui/SupportMatrixModel.h"

#include <QApplication>
#include <QFont>
#include <QPalette>

#include "core/engines/Mapper.h"
#include "ui/SupportBadge.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

SupportMatrixModel::SupportMatrixModel(QObject* parent) : QAbstractTableModel(parent) {}

SupportMatrixModel::~SupportMatrixModel() = default;

void SupportMatrixModel::setProfiles(const QList<const EngineProfile*>& profiles)
{
    beginResetModel();
    m_profiles = profiles;
    m_rows.clear();
    for (const QuantField f : kQuantFields) {
        for (const QString& v : fieldValues(f)) {
            Row row{f, v, {}};
            for (const EngineProfile* p : profiles) {
                Cell c{p->seedClaim(f), fieldSupport(*p, f, v), false};
                c.differs = v != u"auto" && !seedAgrees(c.seed, c.truth.level);
                row.cells << c;
            }
            m_rows << row;
        }
    }
    endResetModel();
}

int SupportMatrixModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SupportMatrixModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : kFixedColumns + 2 * static_cast<int>(m_profiles.size());
}

QVariant SupportMatrixModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    if (index.column() < kFixedColumns) {
        if (role == Qt::DisplayRole)
            return index.column() == 0 ? fieldLabel(row.field) : row.value;
        if (role == Qt::ToolTipRole)
            return valueDescription(row.field, row.value);
        return {};
    }
    const int engine = (index.column() - kFixedColumns) / 2;
    const bool truthColumn = (index.column() - kFixedColumns) % 2 == 1;
    const Cell& c = row.cells.at(engine);
    switch (role) {
    case Qt::DisplayRole:
        if (truthColumn)
            return c.differs ? supportLevelText(c.truth.level) + u" ≠"_s : supportLevelText(c.truth.level);
        return c.seed.claim;
    case Qt::ToolTipRole:
        if (truthColumn) {
            return supportToolTip(*m_profiles.at(engine), row.field, row.value, c.truth);
        }
        return c.seed.note.isEmpty() ? c.seed.claim : c.seed.note;
    case Qt::DecorationRole:
        if (truthColumn)
            return supportLevelIcon(c.truth.level, QApplication::palette());
        return {};
    case Qt::ForegroundRole:
        if (truthColumn)
            return supportLevelColor(c.truth.level, QApplication::palette());
        return {};
    case Qt::FontRole:
        if (c.differs) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::AccessibleTextRole:
        return truthColumn ? tr("%1 now: %2%3")
                                 .arg(m_profiles.at(engine)->displayName(), supportLevelText(c.truth.level))
                                 .arg(c.differs ? tr(", differs from the seed") : QString())
                           : tr("%1 seed: %2").arg(m_profiles.at(engine)->displayName(), c.seed.claim);
    case LevelRole:
        return truthColumn ? QVariant(static_cast<int>(c.truth.level)) : QVariant();
    case SeedDiffersRole:
        return c.differs;
    default:
        return {};
    }
}

QVariant SupportMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == 0)
        return tr("Field");
    if (section == 1)
        return tr("Value");
    const EngineProfile* p = m_profiles.at((section - kFixedColumns) / 2);
    return (section - kFixedColumns) % 2 == 0 ? tr("%1\nseed").arg(p->displayName())
                                              : tr("%1 %2\ntruth").arg(p->displayName(), p->version());
}

} // namespace QuantDesk

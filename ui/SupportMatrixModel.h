#pragma once

#include <QAbstractTableModel>

#include "core/engines/EngineCommand.h"
#include "core/engines/EngineProfile.h"

namespace QuantDesk
{

// Every field value (rows) against every engine: the seed's claim beside the truth for the chosen versions.
class SupportMatrixModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SupportMatrixModel)

public:
    enum Role {
        LevelRole = Qt::UserRole + 1, // int(SupportLevel) in truth columns
        SeedDiffersRole,              // bool in seed and truth columns
    };

    explicit SupportMatrixModel(QObject* parent = nullptr);
    ~SupportMatrixModel() override;

    // One profile per engine column pair, in order.
    void setProfiles(const QList<const EngineProfile*>& profiles);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant
    headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static constexpr int kFixedColumns = 2; // field, value

private:
    struct Cell
    {
        SeedClaim seed;
        FieldSupport truth;
        bool differs = false;
    };
    struct Row
    {
        QuantField field;
        QString value;
        QList<Cell> cells;
    };
    QList<const EngineProfile*> m_profiles;
    QList<Row> m_rows;
};

} // namespace QuantDesk

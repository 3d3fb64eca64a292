#pragma once

#include <QDialog>

#include "core/engines/EngineProfile.h"

class QTableView;

namespace QuantDesk
{

class SupportMatrixModel;

// The seed's support matrix beside the truth for the chosen engine versions, one row per field value.
class SupportMatrixDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SupportMatrixDialog)

public:
    explicit SupportMatrixDialog(const QList<const EngineProfile*>& profiles, QWidget* parent = nullptr);
    ~SupportMatrixDialog() override;

    [[nodiscard]] SupportMatrixModel* model() const { return m_model; }

private:
    SupportMatrixModel* m_model = nullptr;
    QTableView* m_view = nullptr;
};

} // namespace QuantDesk

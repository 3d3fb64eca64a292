#pragma once

#include <QAbstractListModel>

#include "core/engines/EngineCommand.h"

namespace QuantDesk
{

// The diagnostics of one engine command: severity (icon and word), the field they concern, message and fix.
class DiagnosticsModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiagnosticsModel)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        SeverityRole, // int(Severity)
        FieldRole,    // "kvcache_dtype", "parameters", "model", …
        FixRole,
        HasActionRole, // a FixAction the editor can apply
    };

    explicit DiagnosticsModel(QObject* parent = nullptr);
    ~DiagnosticsModel() override;

    void setDiagnostics(const QString& engineName, const QList<Diagnostic>& diagnostics);
    [[nodiscard]] const Diagnostic& diagnosticAt(int row) const { return m_items.at(row); }
    [[nodiscard]] QString engineName() const { return m_engineName; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    QString m_engineName;
    QList<Diagnostic> m_items;
};

[[nodiscard]] QString severityText(Severity severity); // "Error", "Warning", "Info"
// Where a diagnostic points: a field label, "Parameters", "Model", "Target GPU", "Engine".
[[nodiscard]] QString diagnosticFieldLabel(const QString& field);

} // namespace QuantDesk

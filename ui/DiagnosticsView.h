#pragma once

#include <QWidget>

#include "core/engines/EngineCommand.h"

class QLabel;
class QListView;
class QPushButton;

namespace QuantDesk
{

class DiagnosticsModel;

// The diagnostics of the engine shown in the preview: severity icon and word, the field they concern (click → the
// editor focuses it), and "Apply fix" where the core has a structured fix.
class DiagnosticsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiagnosticsView)

public:
    explicit DiagnosticsView(QWidget* parent = nullptr);
    ~DiagnosticsView() override;

    void setDiagnostics(const QString& engineName, const QList<Diagnostic>& diagnostics);
    [[nodiscard]] DiagnosticsModel* model() const { return m_model; }
    [[nodiscard]] QListView* listView() const { return m_list; }
    // The selected diagnostic's fix, if it has one.
    [[nodiscard]] std::optional<Diagnostic> selectedFixable() const;

public slots:
    void applySelectedFix();

signals:
    void fieldActivated(const QString& field);
    void fixRequested(const QuantDesk::Diagnostic& diagnostic);
    void fixAvailableChanged(bool available);

private:
    void updateButton();

    DiagnosticsModel* m_model = nullptr;
    QLabel* m_header = nullptr;
    QListView* m_list = nullptr;
    QPushButton* m_apply = nullptr;
};

} // namespace QuantDesk

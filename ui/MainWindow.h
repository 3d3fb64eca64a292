#pragma once

#include "core/quant/Presets.h"

#include <QMainWindow>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QTabWidget;

namespace QuantDesk {

// The first main window: pick a preset or the four fields and see every engine's command update live.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads the quant_config of a task JSON (explicit fields, "preset" or the first of "presets").
    bool openTask(const QString& path, QString* error);
    [[nodiscard]] QuantConfig config() const;

private slots:
    void onPresetActivated(int index);
    void onFieldChanged();

private:
    void refreshPreview();
    void setConfig(const QuantConfig& config);

    PresetStore m_presets;
    QComboBox* m_presetCombo = nullptr;
    QList<QComboBox*> m_fieldCombos;
    QLineEdit* m_modelEdit = nullptr;
    QTabWidget* m_tabs = nullptr;
    QList<QPlainTextEdit*> m_previews;
    QListWidget* m_diagnostics = nullptr;
    QLabel* m_status = nullptr;
    bool m_updating = false;
};

} // namespace QuantDesk

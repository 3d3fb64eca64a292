#pragma once

#include <QWidget>

#include "ui/TaskState.h"

class QListView;
class QToolButton;
class QPushButton;

namespace QuantDesk
{

class ComparisonModel;
class PresetListModel;

// The configs to compare: presets and custom configs; export writes one autotuner task per entry.
class ComparisonPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComparisonPane)

public:
    explicit ComparisonPane(PresetListModel* presets, QWidget* parent = nullptr);
    ~ComparisonPane() override;

    void setChoices(const QList<QuantChoice>& choices);
    [[nodiscard]] ComparisonModel* model() const { return m_model; }
    [[nodiscard]] QList<int> selectedRows() const;

signals:
    void addCurrentRequested();
    void addPresetRequested(const QString& name);
    void removeRequested(const QList<int>& rows);
    void choiceActivated(int row);

private:
    void rebuildPresetMenu();

    PresetListModel* m_presets;
    ComparisonModel* m_model = nullptr;
    QListView* m_list = nullptr;
    QPushButton* m_addCurrent = nullptr;
    QToolButton* m_addPreset = nullptr;
    QPushButton* m_remove = nullptr;
};

} // namespace QuantDesk

#pragma once

#include <QWidget>
#include <array>
#include <optional>

#include "core/engines/EngineCommand.h"
#include "core/model/MemoryPrediction.h"
#include "core/quant/QuantConfig.h"
#include "ui/TaskState.h"

class QComboBox;
class QLabel;
class QPushButton;

namespace QuantDesk
{

class PresetListModel;
class SupportBadge;

// The four-field editor: a preset dropdown (built-ins, user presets, "Custom") and one dropdown per field, each
// field row with a support badge per engine. It shows a QuantChoice and reports what the user picks; the document
// decides what the state becomes.
class QuantEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuantEditor)

public:
    explicit QuantEditor(PresetListModel* presets, const QStringList& engines, QWidget* parent = nullptr);
    ~QuantEditor() override;

    void setChoice(const QuantChoice& choice);
    // Badges from the commands the preview shows (one per engine, in the editor's engine order).
    void setSupport(const QList<EngineCommand>& commands);
    // The predicted memory of the current config on the preview's engine (next to the fields: weights by the GEMM row,
    // KV bytes per token and capacity by the KV cache row, experts by the MoE row, the assumptions below), or why there
    // is none.
    void setMemoryPrediction(const std::optional<MemoryPrediction>& prediction, const QString& unavailableReason);
    [[nodiscard]] QLabel* memoryLabel(QuantField field) const { return row(field).memory; }
    [[nodiscard]] QLabel* memorySummaryLabel() const { return m_memorySummary; }
    void setHighlightedField(std::optional<QuantField> field);
    [[nodiscard]] std::optional<QuantField> highlightedField() const { return m_highlight; }
    void focusField(QuantField field);

    [[nodiscard]] QComboBox* presetComboBox() const { return m_presetCombo; }
    [[nodiscard]] QComboBox* fieldComboBox(QuantField field) const;
    [[nodiscard]] SupportBadge* badge(QuantField field, const QString& engine) const;

signals:
    void presetChosen(const QString& name);
    void fieldChosen(QuantDesk::QuantField field, const QString& value);
    void supportMatrixRequested();

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct FieldRow
    {
        QLabel* label = nullptr;
        QComboBox* combo = nullptr;
        QList<SupportBadge*> badges; // one per engine
        QLabel* memory = nullptr;    // the predicted memory this field decides
    };

    void onPresetIndexChanged(int index);
    void onFieldIndexChanged(QuantField field, int index);
    void updatePresetToolTip();
    [[nodiscard]] FieldRow& row(QuantField field);
    [[nodiscard]] const FieldRow& row(QuantField field) const;

    PresetListModel* m_presets;
    QStringList m_engines;
    QComboBox* m_presetCombo = nullptr;
    QPushButton* m_matrixButton = nullptr;
    QLabel* m_memorySummary = nullptr;
    std::array<FieldRow, 4> m_rows;
    QuantChoice m_choice;
    std::optional<QuantField> m_highlight;
    bool m_updating = false;
};

} // namespace QuantDesk

#pragma once

#include <QList>
#include <QPointF>
#include <QString>
#include <QWidget>
#include <optional>

#include "core/results/ResultSeries.h"
#include "core/results/ResultsImporter.h"
#include "ui/charts/ChartRenderer.h"

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLabel;
class QProgressBar;
class QToolButton;

namespace QuantDesk
{

class AsyncResultsImporter;

// The results charts: throughput by preset, memory by preset, throughput vs latency with the Pareto front. Pick the
// chart, the throughput metric, the latency metric and percentile, hide failed runs and choose the baseline preset
// the deltas are computed against. Hover shows the exact values and the config; drag pans, the wheel zooms; export
// writes PNG, PDF, SVG, or the table as CSV.
class ChartPane : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartPane)

public:
    explicit ChartPane(QWidget* parent = nullptr);
    ~ChartPane() override;

    void setResults(const QList<ResultSet>& sets);
    // Imports files or folders off the UI thread (progress bar and Cancel in the pane) and adds them to the results.
    // Refused (false) while an import runs.
    bool importFiles(const QStringList& paths, const ImportOptions& options = {});
    [[nodiscard]] bool isImporting() const;
    // Imports also store what they read in the results library at path, off the UI thread ("" = charts only).
    void setImportLibraryPath(const QString& path);
    // Per path of the last finished import: what was read, and its library id (see ImportResult).
    [[nodiscard]] const QList<ImportResult>& lastImportResults() const;
    void cancelImport();
    [[nodiscard]] const QList<ResultSet>& results() const { return m_sets; }
    [[nodiscard]] const QList<ConfigGroup>& groups() const { return m_groups; }

    void setChartKind(ChartKind kind);
    [[nodiscard]] ChartKind chartKind() const { return m_kind; }
    void setOptions(const ChartOptions& options);
    [[nodiscard]] const ChartOptions& options() const { return m_options; }
    // The model, GPU and engine the memory chart's predicted series is for (the editor's task); nullopt: none.
    void setMemoryPrediction(const std::optional<MemoryPredictionInput>& input);
    [[nodiscard]] const std::optional<MemoryPredictionInput>& memoryPrediction() const { return m_prediction; }
    // A group key ("preset:default"); unknown keys fall back to the default preset, else the first group.
    void setBaseline(const QString& groupKey);
    [[nodiscard]] QString baseline() const;

    // What is drawn now (tests read the series, not pixels) and the deltas against the baseline.
    [[nodiscard]] const RenderedChart& rendered() const { return m_rendered; }
    [[nodiscard]] const QList<PresetDelta>& deltas() const { return m_deltas; }
    [[nodiscard]] QCustomPlot* plot() const { return m_plot; }

    // By suffix: .png, .pdf, .svg (the chart) or .csv (the table). Width/height 0: the plot's size.
    bool exportTo(const QString& path, QString* error, int width = 0, int height = 0);
    // The hover text at a point of the plot widget ("" when nothing is there).
    [[nodiscard]] QString hoverTextAt(const QPointF& pos) const;
    void resetZoom();

signals:
    void chartChanged();
    // An import ended: how many sets were added, and the files that could not be read (with the reason).
    void importFinished(int added, const QStringList& errors, bool cancelled);
    void exported(const QString& path);
    void errorOccurred(const QString& message);

private:
    void refresh();
    void rebuildBaselineChoices();
    void onExportRequested(const QString& suffix);
    void readControls();

    QComboBox* m_kindCombo = nullptr;
    QComboBox* m_metricCombo = nullptr;
    QComboBox* m_latencyCombo = nullptr;
    QComboBox* m_percentileCombo = nullptr;
    QCheckBox* m_hideFailedCheck = nullptr;
    QComboBox* m_baselineCombo = nullptr;
    QToolButton* m_exportButton = nullptr;
    QToolButton* m_resetZoomButton = nullptr;
    QCustomPlot* m_plot = nullptr;
    QLabel* m_deltasLabel = nullptr;
    QLabel* m_statusLabel = nullptr;
    QProgressBar* m_importProgress = nullptr;
    QToolButton* m_cancelImportButton = nullptr;
    AsyncResultsImporter* m_importer = nullptr;

    QList<ResultSet> m_sets;
    QList<ConfigGroup> m_groups;
    ChartKind m_kind = ChartKind::Throughput;
    ChartOptions m_options;
    QString m_baseline;
    std::optional<MemoryPredictionInput> m_prediction;
    RenderedChart m_rendered;
    QList<PresetDelta> m_deltas;
    bool m_updating = false;
};

} // namespace QuantDesk

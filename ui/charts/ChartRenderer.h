#pragma once

#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <optional>

#include "core/results/ResultSeries.h"

class QCustomPlot;

namespace QuantDesk
{

enum class ChartKind {
    Throughput, // throughput by preset, grouped bars by load level
    Memory,     // peak GPU memory by preset, KV capacity on the right axis
    Pareto,     // throughput vs latency per load point, coloured by preset, with the Pareto front
};

[[nodiscard]] QString chartKindKey(ChartKind kind); // "throughput", "memory", "pareto"
[[nodiscard]] QString chartKindLabel(ChartKind kind);
[[nodiscard]] std::optional<ChartKind> chartKindFromKey(const QString& key);

// What one render drew: the series behind the plottables (hover and tests read these, never pixels).
struct RenderedChart
{
    ChartKind kind = ChartKind::Throughput;
    ThroughputSeries throughput;
    MemorySeries memory;
    ParetoSeries pareto;
    bool empty = true;
    QString emptyText; // shown in the plot when there is nothing to draw
};

// Builds QCustomPlot charts from the series of core/results/ResultSeries.h, and exports them. Stateless: the pane
// and the CLI share it, so the PNG the CLI writes is the chart the pane shows.
class ChartRenderer final
{
public:
    ChartRenderer() = delete;

    // Clears the plot and draws one chart: title, axes with units, legend, and the interactions (drag to pan, wheel to
    // zoom). Colours follow the config group, so a preset has the same colour in every chart. With a baseline group
    // key, legend entries (throughput, Pareto) and x labels (memory) carry the change against it. With a prediction
    // input, the memory chart draws the predicted memory of each config beside the measured one.
    static RenderedChart render(QCustomPlot* plot,
                                ChartKind kind,
                                const QList<ResultSet>& sets,
                                const QList<ConfigGroup>& groups,
                                const ChartOptions& options,
                                const QString& title = {},
                                const QString& baselineKey = {},
                                const MemoryPredictionInput* prediction = nullptr);

    // The exact values and the config under a point of the plot (rich text), "" when nothing is there.
    [[nodiscard]] static QString
    hoverText(QCustomPlot* plot, const QPointF& pos, const QList<ResultSet>& sets, const RenderedChart& chart);

    // PNG, PDF or SVG by the file's suffix; width/height in pixels (0: the widget's size).
    static bool exportImage(QCustomPlot* plot, const QString& path, int width, int height, QString* error);

    // A colour-blind-safe colour per group: the built-in presets have fixed ones, other configs take the next free.
    [[nodiscard]] static QColor groupColor(const QString& groupKey, int index);
};

} // namespace QuantDesk

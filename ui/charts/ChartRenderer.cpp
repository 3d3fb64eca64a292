#include "ui/charts/ChartRenderer.h"

#include <QFileInfo>
#include <QHash>
#include <QLocale>
#include <QSvgGenerator>
#include <algorithm>
#include <cmath>

#include <qcustomplot.h>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

const char* const kRowProperty = "qdRow";   // index into the series rows / bars / groups
const char* const kRoleProperty = "qdRole"; // what a plottable shows

// Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), darkened where they are too
// light on white.
const QList<QColor>& palette()
{
    static const QList<QColor> colors{QColor(0x00, 0x72, 0xB2),
                                      QColor(0xE6, 0x9F, 0x00),
                                      QColor(0x00, 0x9E, 0x73),
                                      QColor(0xCC, 0x79, 0xA7),
                                      QColor(0xD5, 0x5E, 0x00),
                                      QColor(0x56, 0xB4, 0xE9),
                                      QColor(0xB8, 0xA2, 0x00),
                                      QColor(0x33, 0x33, 0x33)};
    return colors;
}

QString fmt(double v, int decimals = -1)
{
    if (!hasValue(v))
        return u"–"_s;
    if (decimals < 0)
        decimals = std::abs(v) >= 100 ? 0 : std::abs(v) >= 10 ? 1 : 2;
    return QLocale(QLocale::English).toString(v, 'f', decimals);
}

QString fmtCount(qint64 v)
{
    return QLocale(QLocale::English).toString(v);
}

QFont font(int pointSize, bool bold = false)
{
    QFont f;
    f.setPointSize(pointSize);
    f.setBold(bold);
    return f;
}

// Title on top, the axis rect, the legend below (wrapping into rows): set up once per plot.
void prepareLayout(QCustomPlot* plot, const QString& title)
{
    if (!plot->property("qdLayout").toBool()) {
        plot->setProperty("qdLayout", true);
        plot->plotLayout()->insertRow(0);
        plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, QString(), font(12, true)));
        plot->axisRect()->insetLayout()->take(plot->legend);
        auto* legendRow = new QCPLayoutGrid;
        plot->plotLayout()->addElement(2, 0, legendRow);
        legendRow->addElement(0, 0, plot->legend);
        legendRow->setMargins(QMargins(0, 0, 0, 0));
        plot->plotLayout()->setRowStretchFactor(2, 0.001);
        plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
        plot->legend->setWrap(5);
        plot->legend->setBorderPen(Qt::NoPen);
        plot->legend->setFont(font(9));
        plot->legend->setIconSize(14, 10);
        plot->legend->setMargins(QMargins(8, 4, 8, 10));
        plot->legend->setRowSpacing(2);
        plot->legend->setColumnSpacing(16);
        plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
        plot->setSelectionTolerance(10);
    }
    auto* t = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0));
    if (t)
        t->setText(title);
}

void reset(QCustomPlot* plot)
{
    plot->clearItems();
    plot->clearPlottables();
    for (QCPBarsGroup* g : plot->findChildren<QCPBarsGroup*>())
        delete g;
    for (QCPAxis* a : {plot->xAxis, plot->yAxis, plot->yAxis2}) {
        a->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        a->setLabel(QString());
        a->setLabelFont(font(10));
        a->setTickLabelFont(font(9));
        a->setNumberFormat(u"gbd"_s);
        a->setNumberPrecision(6);
        a->setScaleType(QCPAxis::stLinear);
        a->grid()->setVisible(a != plot->yAxis2);
        a->grid()->setPen(QPen(QColor(0xDD, 0xDD, 0xDD), 0, Qt::DotLine));
    }
    plot->xAxis->grid()->setVisible(false);
    plot->yAxis2->setVisible(false);
    plot->axisRect()->setRangeZoomAxes(plot->xAxis, plot->yAxis);
    plot->axisRect()->setRangeDragAxes(plot->xAxis, plot->yAxis);
    plot->legend->setVisible(true);
}

void emptyNote(QCustomPlot* plot, const QString& text)
{
    auto* t = new QCPItemText(plot);
    t->position->setType(QCPItemPosition::ptAxisRectRatio);
    t->position->setCoords(0.5, 0.5);
    t->setPositionAlignment(Qt::AlignCenter);
    t->setText(text);
    t->setFont(font(11));
    t->setColor(QColor(0x66, 0x66, 0x66));
    plot->legend->setVisible(false);
}

int groupIndex(const QList<ConfigGroup>& groups, const QString& key)
{
    for (int i = 0; i < groups.size(); ++i) {
        if (groups.at(i).key == key)
            return i;
    }
    return 0;
}

QHash<QString, PresetDelta> deltasByGroup(const QList<ResultSet>& sets,
                                          const QList<ConfigGroup>& groups,
                                          const ChartOptions& options,
                                          const QString& baselineKey)
{
    QHash<QString, PresetDelta> out;
    if (baselineKey.isEmpty())
        return out;
    for (const PresetDelta& d : presetDeltas(sets, groups, baselineKey, options))
        out.insert(d.groupKey, d);
    return out;
}

QString configLine(const Experiment& e)
{
    if (!e.quantKnown)
        return e.preset.isEmpty() ? u"quant config unknown"_s : u"preset %1 (fields unknown)"_s.arg(e.preset);
    return e.quant.summary().toHtmlEscaped();
}

QString sourceLine(const QList<ResultSet>& sets, const PointRef& ref)
{
    const Experiment* e = experimentAt(sets, ref);
    if (!e)
        return {};
    const ResultSet& s = sets.at(ref.set);
    QString line = u"experiment %1 of %2"_s.arg(e->id.toHtmlEscaped(), s.name.toHtmlEscaped());
    if (!e->quantSource.isEmpty())
        line += u"<br><i>config from %1</i>"_s.arg(e->quantSource.toHtmlEscaped());
    return line;
}

QString latencyLine(const LoadPoint& p)
{
    QStringList parts;
    const auto add = [&](const QString& name, const LatencyMs& l) {
        if (hasValue(l.p50))
            parts << u"%1 p50 %2 / p99 %3 ms"_s.arg(name, fmt(l.p50), fmt(l.p99));
    };
    add(u"TTFT"_s, p.ttft);
    add(u"TPOT"_s, p.tpot);
    add(u"ITL"_s, p.itl);
    add(u"E2E"_s, p.e2e);
    return parts.join(u"<br>"_s);
}

// --- the three charts ------------------------------------------------------------------------------------------

void drawThroughput(QCustomPlot* plot,
                    RenderedChart& out,
                    const QList<ResultSet>& sets,
                    const QList<ConfigGroup>& groups,
                    const ChartOptions& options,
                    const QHash<QString, PresetDelta>& deltas)
{
    out.throughput = throughputSeries(sets, groups, options);
    const ThroughputSeries& s = out.throughput;
    if (s.isEmpty()) {
        out.emptyText = u"No throughput in these results"_s;
        return;
    }
    out.empty = false;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    bool numeric = true;
    for (int i = 0; i < s.levels.size(); ++i) {
        ticker->addTick(i + 1, s.levels.at(i));
        bool ok = false;
        s.levels.at(i).toInt(&ok);
        numeric = numeric && ok;
    }
    plot->xAxis->setTicker(ticker);
    plot->xAxis->setLabel(numeric ? u"Concurrency"_s : u"Load level"_s);
    plot->yAxis->setLabel(s.yLabel);
    // Bars are placed side by side in plot coordinates (not with a QCPBarsGroup) so that a row's failed runs can be
    // drawn, hatched, in a second plottable at exactly the same places.
    const double slot = 0.84 / static_cast<double>(std::max<qsizetype>(s.rows.size(), 1));
    double top = 0;
    bool anyFailed = false;
    for (int r = 0; r < s.rows.size(); ++r) {
        const ThroughputRow& row = s.rows.at(r);
        const QColor color = ChartRenderer::groupColor(row.groupKey, groupIndex(groups, row.groupKey));
        const double offset = (r - (static_cast<double>(s.rows.size()) - 1) / 2) * slot;
        QString name = row.label;
        if (const auto d = deltas.constFind(row.groupKey);
            d != deltas.cend() && !d->baseline && hasValue(d->throughputPct))
            name += u" (%1)"_s.arg(percentText(d->throughputPct));
        else if (d != deltas.cend() && d->baseline)
            name += u" (baseline)"_s;
        const auto makeBars = [&](bool failed) {
            auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
            bars->setName(name);
            bars->setPen(QPen(color.darker(140), 1));
            bars->setBrush(failed ? QBrush(color.darker(110), Qt::BDiagPattern) : QBrush(color));
            bars->setWidth(slot * 0.9);
            bars->setProperty(kRowProperty, r);
            bars->setProperty(kRoleProperty, u"throughput"_s);
            if (failed)
                bars->removeFromLegend();
            return bars;
        };
        QCPBars* ok = makeBars(false);
        QCPBars* failed = nullptr;
        for (int i = 0; i < row.bars.size(); ++i) {
            const ThroughputBar& b = row.bars.at(i);
            if (!hasValue(b.value))
                continue;
            top = std::max(top, b.value);
            if (b.failed) {
                if (!failed)
                    failed = makeBars(true);
                failed->addData(i + 1 + offset, b.value);
                anyFailed = true;
            } else {
                ok->addData(i + 1 + offset, b.value);
            }
        }
    }
    if (anyFailed) {
        // One legend entry explains the hatching.
        auto* legend = new QCPBars(plot->xAxis, plot->yAxis);
        legend->setName(u"failed runs (hatched)"_s);
        legend->setPen(QPen(QColor(0x66, 0x66, 0x66), 1));
        legend->setBrush(QBrush(QColor(0x66, 0x66, 0x66), Qt::BDiagPattern));
        legend->setProperty(kRoleProperty, u"legend"_s);
    }
    plot->xAxis->setRange(0.4, s.levels.size() + 0.6);
    plot->yAxis->setRange(0, top > 0 ? top * 1.08 : 1);
}

void drawMemory(QCustomPlot* plot,
                RenderedChart& out,
                const QList<ResultSet>& sets,
                const QList<ConfigGroup>& groups,
                const ChartOptions& options,
                const QHash<QString, PresetDelta>& deltas,
                const MemoryPredictionInput* prediction)
{
    out.memory = memorySeries(sets, groups, options);
    if (prediction)
        addMemoryPrediction(out.memory, sets, groups, options, *prediction);
    const MemorySeries& s = out.memory;
    if (s.isEmpty()) {
        out.emptyText = u"No memory measurements or engine KV-cache reports in these results"_s;
        if (prediction && !s.predictionProblem.isEmpty())
            out.emptyText += u"\nNo prediction: "_s + s.predictionProblem;
        return;
    }
    out.empty = false;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int i = 0; i < s.bars.size(); ++i) {
        QString label = s.bars.at(i).label;
        if (const auto d = deltas.constFind(s.bars.at(i).groupKey); d != deltas.cend()) {
            if (d->baseline)
                label += u"\n(baseline)"_s;
            else if (hasValue(d->kvMemoryPct))
                label += u"\n%1 KV memory"_s.arg(percentText(d->kvMemoryPct));
        }
        ticker->addTick(i + 1, label);
    }
    plot->xAxis->setTicker(ticker);
    plot->xAxis->setLabel(u"Quant config"_s);
    plot->yAxis->setLabel(u"GPU memory (GiB per GPU)"_s);
    const QColor memColor(0x00, 0x72, 0xB2);
    const QColor kvColor(0xE6, 0x9F, 0x00);
    const QColor predColor(0x56, 0xB4, 0xE9);
    // Side by side in each category: measured peak, predicted (stacked weights / KV pool / other), measured KV.
    const int columns = int(s.hasMemory) + int(s.hasPrediction) + int(s.hasKv);
    const double gap = 0.03;
    const double width = columns >= 3 ? 0.25 : columns == 2 ? 0.36 : 0.6;
    const auto offsetOf = [&](int column) { return (column - (columns - 1) / 2.0) * (width + gap); };
    int column = 0;
    const int memColumn = s.hasMemory ? column++ : -1;
    const int predColumn = s.hasPrediction ? column++ : -1;
    const int kvColumn = s.hasKv ? column++ : -1;
    auto* barsGroup = new QCPBarsGroup(plot);
    barsGroup->setSpacingType(QCPBarsGroup::stPlotCoords);
    barsGroup->setSpacing(gap);
    const auto newBars = [&](QCPAxis* valueAxis, const QString& name, const QColor& color, const QString& role) {
        auto* bars = new QCPBars(plot->xAxis, valueAxis);
        bars->setName(name);
        bars->setPen(QPen(color.darker(140), 1));
        bars->setBrush(color);
        bars->setWidth(width);
        bars->setProperty(kRoleProperty, role);
        return bars;
    };
    double memTop = 0;
    double kvTop = 0;
    double total = 0;
    if (s.hasMemory) {
        auto* bars = newBars(plot->yAxis, u"Peak GPU memory, measured"_s, memColor, u"peak"_s);
        bars->setBarsGroup(barsGroup);
        for (int i = 0; i < s.bars.size(); ++i) {
            const MemoryBar& b = s.bars.at(i);
            if (!hasValue(b.peakGiB))
                continue;
            bars->addData(i + 1, b.peakGiB);
            memTop = std::max(memTop, b.peakGiB);
            if (hasValue(b.totalGiB))
                total = std::max(total, b.totalGiB);
        }
    }
    if (s.hasPrediction) {
        // A stack: the weights at the bottom, the KV pool and the rest above them.
        auto* weights = newBars(plot->yAxis, u"Predicted: weights"_s, predColor, u"predicted"_s);
        weights->setBarsGroup(barsGroup);
        auto* pool = newBars(plot->yAxis, u"Predicted: KV cache pool"_s, predColor.lighter(125), u"predicted"_s);
        pool->setBrush(QBrush(predColor, Qt::BDiagPattern));
        auto* other =
            newBars(plot->yAxis, u"Predicted: context, activations"_s, QColor(0xCC, 0xCC, 0xCC), u"predicted"_s);
        pool->moveAbove(weights);
        other->moveAbove(pool);
        // All three in the group: it places each stack by its bottom bar.
        pool->setBarsGroup(barsGroup);
        other->setBarsGroup(barsGroup);
        bool anyPool = false;
        for (int i = 0; i < s.bars.size(); ++i) {
            const MemoryBar& b = s.bars.at(i);
            if (!b.hasPrediction())
                continue;
            weights->addData(i + 1, b.predictedWeightsGiB);
            double top = b.predictedWeightsGiB;
            // Every stack gets a value in each layer (0 when unknown), so the layers line up by key.
            pool->addData(i + 1, hasValue(b.predictedKvPoolGiB) ? b.predictedKvPoolGiB : 0.0);
            other->addData(i + 1, hasValue(b.predictedReserveGiB) ? b.predictedReserveGiB : 0.0);
            if (hasValue(b.predictedKvPoolGiB)) {
                anyPool = true;
                top += b.predictedKvPoolGiB + (hasValue(b.predictedReserveGiB) ? b.predictedReserveGiB : 0.0);
            }
            memTop = std::max(memTop, top);
        }
        if (!anyPool) {
            plot->removePlottable(other);
            plot->removePlottable(pool);
        }
    }
    if (s.hasKv || s.hasPredictedKv) {
        plot->yAxis2->setVisible(true);
        plot->yAxis2->setLabel(u"KV cache capacity (thousand tokens)"_s);
        plot->yAxis2->setLabelColor(kvColor.darker(130));
        plot->yAxis2->setTickLabelColor(kvColor.darker(130));
    }
    if (s.hasKv) {
        auto* bars = newBars(plot->yAxis2, u"KV capacity, engine log (right axis)"_s, kvColor, u"kv"_s);
        bars->setBarsGroup(barsGroup);
        for (int i = 0; i < s.bars.size(); ++i) {
            const MemoryBar& b = s.bars.at(i);
            if (b.kvTokens < 0)
                continue;
            bars->addData(i + 1, static_cast<double>(b.kvTokens) / 1000.0);
            kvTop = std::max(kvTop, static_cast<double>(b.kvTokens) / 1000.0);
        }
    }
    if (s.hasPredictedKv) {
        // Markers where the measured KV bar is (or on the predicted stack when no log reported one).
        auto* markers = new QCPGraph(plot->xAxis, plot->yAxis2);
        markers->setName(u"KV capacity, predicted (right axis)"_s);
        markers->setLineStyle(QCPGraph::lsNone);
        markers->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, kvColor.darker(150), Qt::white, 11));
        markers->setPen(QPen(kvColor.darker(150), 2));
        markers->setProperty(kRoleProperty, u"predicted-kv"_s);
        const double x = offsetOf(kvColumn >= 0 ? kvColumn : predColumn);
        for (int i = 0; i < s.bars.size(); ++i) {
            const MemoryBar& b = s.bars.at(i);
            if (b.predictedKvTokens < 0)
                continue;
            markers->addData(i + 1 + x, static_cast<double>(b.predictedKvTokens) / 1000.0);
            kvTop = std::max(kvTop, static_cast<double>(b.predictedKvTokens) / 1000.0);
        }
    }
    // Values on the bars: the exact numbers are what this chart is for.
    const auto label = [&](QCPAxis* axis, double x, double y, const QString& text, const QColor& color) {
        auto* t = new QCPItemText(plot);
        t->position->setAxes(plot->xAxis, axis);
        t->position->setType(QCPItemPosition::ptPlotCoords);
        t->position->setCoords(x, y);
        t->setPositionAlignment(Qt::AlignBottom | Qt::AlignHCenter);
        t->setPadding(QMargins(0, 0, 0, 2));
        t->setText(text);
        t->setFont(font(8));
        t->setColor(color);
        t->setClipToAxisRect(true);
    };
    for (int i = 0; i < s.bars.size(); ++i) {
        const MemoryBar& b = s.bars.at(i);
        if (!hasValue(b.peakGiB) && b.kvTokens < 0 && !b.hasPrediction()) {
            // Say so rather than leave a silent gap (bench tools record no memory).
            auto* t = new QCPItemText(plot);
            t->position->setType(QCPItemPosition::ptPlotCoords);
            t->position->setCoords(i + 1, memTop > 0 ? memTop * 0.02 : 0);
            t->setPositionAlignment(Qt::AlignBottom | Qt::AlignHCenter);
            t->setText(u"no memory data"_s);
            t->setFont(font(8));
            t->setColor(QColor(0x88, 0x88, 0x88));
            continue;
        }
        if (memColumn >= 0 && hasValue(b.peakGiB))
            label(plot->yAxis, i + 1 + offsetOf(memColumn), b.peakGiB, fmt(b.peakGiB, 1), memColor.darker(150));
        if (predColumn >= 0 && b.hasPrediction()) {
            double top = b.predictedWeightsGiB;
            QString text = fmt(b.predictedWeightsGiB, 1);
            if (hasValue(b.predictedKvPoolGiB)) {
                top += b.predictedKvPoolGiB + (hasValue(b.predictedReserveGiB) ? b.predictedReserveGiB : 0.0);
                text = fmt(top, 1);
            }
            // Weights larger than the engine's share of the GPU: say so on the bar, not only in the hover.
            if (hasValue(b.predictedKvPoolGiB) && b.predictedKvPoolGiB <= 0)
                text += u"\nno room for KV"_s;
            label(plot->yAxis, i + 1 + offsetOf(predColumn), top, u"\u2248"_s + text, predColor.darker(170));
        }
        if (kvColumn >= 0 && b.kvTokens >= 0)
            label(plot->yAxis2,
                  i + 1 + offsetOf(kvColumn),
                  static_cast<double>(b.kvTokens) / 1000.0,
                  fmt(static_cast<double>(b.kvTokens) / 1000.0, 0) + u"k"_s,
                  kvColor.darker(160));
    }
    if (total > 0) {
        auto* line = new QCPItemStraightLine(plot);
        line->point1->setCoords(0, total);
        line->point2->setCoords(1, total);
        line->setPen(QPen(QColor(0x88, 0x88, 0x88), 1, Qt::DashLine));
        auto* t = new QCPItemText(plot);
        t->position->setType(QCPItemPosition::ptPlotCoords);
        t->position->setCoords(0.45, total);
        t->setPositionAlignment(Qt::AlignBottom | Qt::AlignLeft);
        t->setText(u"GPU memory %1 GiB"_s.arg(fmt(total, 1)));
        t->setFont(font(8));
        t->setColor(QColor(0x66, 0x66, 0x66));
        memTop = std::max(memTop, total);
    }
    plot->xAxis->setRange(0.4, s.bars.size() + 0.6);
    plot->yAxis->setRange(0, memTop > 0 ? memTop * 1.15 : 1);
    // The KV axis leaves more headroom than the memory axis, so that the tallest KV bar stays clear of the GPU
    // memory line and of the memory bars' labels.
    plot->yAxis2->setRange(0, kvTop > 0 ? kvTop * 1.3 : 1);
}

void drawPareto(QCustomPlot* plot,
                RenderedChart& out,
                const QList<ResultSet>& sets,
                const QList<ConfigGroup>& groups,
                const ChartOptions& options,
                const QHash<QString, PresetDelta>& deltas)
{
    out.pareto = paretoSeries(sets, groups, options);
    const ParetoSeries& s = out.pareto;
    if (s.isEmpty()) {
        out.emptyText = u"No load points with both %1 and %2 in these results"_s.arg(
            s.xLabel, throughputMetricLabel(options.throughput));
        return;
    }
    out.empty = false;
    plot->xAxis->setLabel(s.xLabel);
    plot->yAxis->setLabel(s.yLabel);
    double xMin = std::numeric_limits<double>::max();
    double xMax = 0;
    double yMax = 0;
    int total = 0;
    for (const ParetoGroup& g : s.groups)
        total += static_cast<int>(g.points.size());
    QVector<double> failedX;
    QVector<double> failedY;
    struct Label
    {
        double x;
        double y;
        QString text;
        QColor color;
        bool front;
    };
    QList<Label> labels;
    for (int gi = 0; gi < s.groups.size(); ++gi) {
        const ParetoGroup& g = s.groups.at(gi);
        const QColor color = ChartRenderer::groupColor(g.groupKey, groupIndex(groups, g.groupKey));
        // One line per experiment through its load levels, in load order. Experiments of one point each (a
        // `vllm bench serve` file per concurrency) are joined per result set instead.
        QHash<QPair<int, int>, int> pointsPerExperiment;
        for (const ParetoPoint& p : g.points) {
            if (!p.failed)
                ++pointsPerExperiment[qMakePair(p.source.set, p.source.experiment)];
        }
        QHash<QPair<int, int>, QCPCurve*> curves;
        for (const ParetoPoint& p : g.points) {
            if (p.failed)
                continue;
            const auto own = qMakePair(p.source.set, p.source.experiment);
            const auto key = pointsPerExperiment.value(own) > 1 ? own : qMakePair(p.source.set, -1);
            QCPCurve* c = curves.value(key);
            if (!c) {
                c = new QCPCurve(plot->xAxis, plot->yAxis);
                c->setPen(QPen(color, 1.5));
                c->removeFromLegend();
                c->setProperty(kRoleProperty, u"curve"_s);
                c->setProperty(kRowProperty, gi);
                curves.insert(key, c);
            }
            c->addData(p.latencyMs, p.throughput);
        }
        QCPGraph* graph = plot->addGraph();
        QString name = g.label;
        if (const auto d = deltas.constFind(g.groupKey); d != deltas.cend() && d->baseline)
            name += u" (baseline)"_s;
        else if (d != deltas.cend() && hasValue(d->throughputPct))
            name += u" (%1)"_s.arg(percentText(d->throughputPct));
        graph->setName(name);
        graph->setLineStyle(QCPGraph::lsNone);
        graph->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(color.darker(150), 1), QBrush(color), 9));
        graph->setPen(QPen(color));
        graph->setProperty(kRoleProperty, u"points"_s);
        graph->setProperty(kRowProperty, gi);
        for (const ParetoPoint& p : g.points) {
            xMin = std::min(xMin, p.latencyMs);
            xMax = std::max(xMax, p.latencyMs);
            yMax = std::max(yMax, p.throughput);
            if (p.failed) {
                failedX << p.latencyMs;
                failedY << p.throughput;
                continue;
            }
            graph->addData(p.latencyMs, p.throughput);
            labels << Label{p.latencyMs, p.throughput, p.level, color.darker(170), p.onFront};
        }
    }
    const double span = std::max(xMax - xMin, std::max(xMax * 0.05, 1e-6));
    const double x0 = std::max(0.0, xMin - span * 0.08);
    const double x1 = xMax + span * 0.12;
    const double y1 = yMax > 0 ? yMax * 1.1 : 1;
    // Load-level labels beside the points, front points first; a label too close to one already placed is left out
    // (hover still tells).
    if (total <= 200) {
        std::stable_sort(
            labels.begin(), labels.end(), [](const Label& a, const Label& b) { return a.front && !b.front; });
        QList<QPointF> placed;
        for (const Label& l : std::as_const(labels)) {
            const bool crowded = std::any_of(placed.cbegin(), placed.cend(), [&](const QPointF& q) {
                return std::abs(q.x() - l.x) < (x1 - x0) * 0.03 && std::abs(q.y() - l.y) < y1 * 0.035;
            });
            if (crowded)
                continue;
            placed << QPointF(l.x, l.y);
            auto* t = new QCPItemText(plot);
            t->position->setType(QCPItemPosition::ptPlotCoords);
            t->position->setCoords(l.x, l.y);
            // Above-left of the point: the experiment's line leaves it towards the lower left and the upper right.
            t->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
            t->setPadding(QMargins(0, 0, 5, 3));
            t->setText(l.text);
            t->setFont(font(7));
            t->setColor(l.color);
            t->setClipToAxisRect(true);
        }
    }
    if (!failedX.isEmpty()) {
        QCPGraph* failed = plot->addGraph();
        failed->setName(u"failed runs"_s);
        failed->setLineStyle(QCPGraph::lsNone);
        failed->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssCross, QPen(QColor(0x99, 0x00, 0x00), 2), Qt::NoBrush, 10));
        failed->setProperty(kRoleProperty, u"failed"_s);
        failed->setData(failedX, failedY);
    }
    if (s.front.size() >= 1) {
        QCPGraph* front = plot->addGraph();
        front->setName(u"Pareto front"_s);
        front->setLineStyle(QCPGraph::lsStepLeft);
        front->setPen(QPen(QColor(0x22, 0x22, 0x22), 1.5, Qt::DashLine));
        front->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(0x22, 0x22, 0x22), 1.5), Qt::NoBrush, 14));
        front->setProperty(kRoleProperty, u"front"_s);
        QVector<double> x;
        QVector<double> y;
        for (const ParetoPoint& p : s.front) {
            x << p.latencyMs;
            y << p.throughput;
        }
        front->setData(x, y);
        front->setSelectable(QCP::stNone);
    }
    plot->xAxis->setRange(x0, x1);
    plot->yAxis->setRange(0, y1);
}

} // namespace

QString chartKindKey(ChartKind kind)
{
    switch (kind) {
    case ChartKind::Throughput:
        return u"throughput"_s;
    case ChartKind::Memory:
        return u"memory"_s;
    case ChartKind::Pareto:
        return u"pareto"_s;
    }
    return {};
}

QString chartKindLabel(ChartKind kind)
{
    switch (kind) {
    case ChartKind::Throughput:
        return u"Throughput by preset"_s;
    case ChartKind::Memory:
        return u"Memory by preset"_s;
    case ChartKind::Pareto:
        return u"Throughput vs latency"_s;
    }
    return {};
}

std::optional<ChartKind> chartKindFromKey(const QString& key)
{
    for (const ChartKind k : {ChartKind::Throughput, ChartKind::Memory, ChartKind::Pareto}) {
        if (chartKindKey(k) == key)
            return k;
    }
    return std::nullopt;
}

QColor ChartRenderer::groupColor(const QString& groupKey, int index)
{
    static const QStringList fixed{u"preset:default"_s,
                                   u"preset:kv-cache-fp8"_s,
                                   u"preset:dynamic-fp8"_s,
                                   u"preset:bf16-stable"_s,
                                   u"preset:aggressive-moe"_s};
    if (groupKey == u"unknown")
        return QColor(0x99, 0x99, 0x99);
    const qsizetype f = fixed.indexOf(groupKey);
    if (f >= 0)
        return palette().at(f);
    // Other configs: the colours after the built-ins', by position.
    const qsizetype rest = palette().size() - fixed.size();
    return palette().at(fixed.size() + std::max(0, index - static_cast<int>(fixed.size())) % rest);
}

RenderedChart ChartRenderer::render(QCustomPlot* plot,
                                    ChartKind kind,
                                    const QList<ResultSet>& sets,
                                    const QList<ConfigGroup>& groups,
                                    const ChartOptions& options,
                                    const QString& title,
                                    const QString& baselineKey,
                                    const MemoryPredictionInput* prediction)
{
    RenderedChart out;
    out.kind = kind;
    prepareLayout(plot, title.isEmpty() ? chartKindLabel(kind) : title);
    plot->setProperty("qdTitle", title.isEmpty() ? chartKindLabel(kind) : title);
    reset(plot);
    const QHash<QString, PresetDelta> deltas = deltasByGroup(sets, groups, options, baselineKey);
    switch (kind) {
    case ChartKind::Throughput:
        drawThroughput(plot, out, sets, groups, options, deltas);
        break;
    case ChartKind::Memory:
        drawMemory(plot, out, sets, groups, options, deltas, prediction);
        break;
    case ChartKind::Pareto:
        drawPareto(plot, out, sets, groups, options, deltas);
        break;
    }
    if (out.empty)
        emptyNote(plot, out.emptyText);
    plot->replot(QCustomPlot::rpQueuedReplot);
    return out;
}

QString ChartRenderer::hoverText(QCustomPlot* plot,
                                 const QPointF& pos,
                                 const QList<ResultSet>& sets,
                                 const RenderedChart& chart)
{
    int index = -1;
    QCPAbstractPlottable* p = plot->plottableAt(pos, false, &index);
    if (!p || index < 0)
        return {};
    const QString role = p->property(kRoleProperty).toString();
    const int row = p->property(kRowProperty).toInt();
    if (role == u"throughput") {
        auto* bars = qobject_cast<QCPBars*>(p);
        if (!bars || row >= chart.throughput.rows.size() || index >= bars->data()->size())
            return {};
        const int level = static_cast<int>(std::lround(bars->data()->at(index)->key)) - 1;
        const ThroughputRow& r = chart.throughput.rows.at(row);
        if (level < 0 || level >= r.bars.size())
            return {};
        const ThroughputBar& b = r.bars.at(level);
        const Experiment* e = experimentAt(sets, b.source);
        const LoadPoint* lp = pointAt(sets, b.source);
        if (!e || !lp)
            return {};
        QString text = u"<b>%1</b> at %2 %3<br>%4: <b>%5 %6</b>"_s.arg(
            r.label.toHtmlEscaped(),
            lp->concurrency > 0 ? u"concurrency"_s : u"load"_s,
            chart.throughput.levels.at(level).toHtmlEscaped(),
            throughputMetricLabel(chart.throughput.metric).section(u" ("_s, 0, 0),
            fmt(b.value),
            throughputMetricUnit(chart.throughput.metric));
        if (b.runs > 1)
            text += u" (best of %1 runs)"_s.arg(b.runs);
        if (b.failed)
            text += u"<br><span style='color:#990000'>failed run (error rate %1 %)</span>"_s.arg(
                fmt(lp->errorRate * 100, 0));
        const QString lat = latencyLine(*lp);
        if (!lat.isEmpty())
            text += u"<br>"_s + lat;
        return text + u"<br>"_s + configLine(*e) + u"<br>"_s + sourceLine(sets, b.source);
    }
    if (role == u"predicted" || role == u"predicted-kv") {
        double key = 0;
        if (auto* bars = qobject_cast<QCPBars*>(p); bars && index < bars->data()->size())
            key = bars->data()->at(index)->key;
        else if (auto* g = qobject_cast<QCPGraph*>(p); g && index < g->data()->size())
            key = g->data()->at(index)->key;
        const int i = static_cast<int>(std::lround(key)) - 1;
        if (i < 0 || i >= chart.memory.bars.size())
            return {};
        const MemoryBar& b = chart.memory.bars.at(i);
        if (!b.hasPrediction())
            return {};
        QString text = u"<b>%1</b>, predicted"_s.arg(b.label.toHtmlEscaped());
        if (!chart.memory.predictionModel.isEmpty())
            text += u" for %1"_s.arg(chart.memory.predictionModel.toHtmlEscaped());
        text += u"<br>Weights: <b>%1 GiB</b> per GPU"_s.arg(fmt(b.predictedWeightsGiB, 2));
        if (hasValue(b.predictedKvPoolGiB)) {
            text += u"<br>KV cache pool: <b>%1 GiB</b> per GPU"_s.arg(fmt(b.predictedKvPoolGiB, 2));
            if (hasValue(b.predictedReserveGiB))
                text += u"<br>CUDA context, activations: %1 GiB"_s.arg(fmt(b.predictedReserveGiB, 2));
        }
        if (b.predictedKvTokens >= 0)
            text += u"<br>KV cache capacity: <b>%1 tokens</b>"_s.arg(fmtCount(b.predictedKvTokens));
        if (b.kvTokens >= 0)
            text += u" (engine log: %1)"_s.arg(fmtCount(b.kvTokens));
        if (hasValue(b.peakGiB))
            text += u"<br>Measured peak: %1 GiB"_s.arg(fmt(b.peakGiB, 2));
        return text + u"<br><i>%1</i>"_s.arg(b.predictedNote.toHtmlEscaped());
    }
    if (role == u"peak" || role == u"kv") {
        auto* bars = qobject_cast<QCPBars*>(p);
        if (!bars || index >= bars->data()->size())
            return {};
        const int i = static_cast<int>(std::lround(bars->data()->at(index)->key)) - 1;
        if (i < 0 || i >= chart.memory.bars.size())
            return {};
        const MemoryBar& b = chart.memory.bars.at(i);
        QString text = u"<b>%1</b>"_s.arg(b.label.toHtmlEscaped());
        if (hasValue(b.peakGiB)) {
            text += u"<br>Peak GPU memory: <b>%1 GiB</b> (%2)"_s.arg(fmt(b.peakGiB, 2), b.memorySource.toHtmlEscaped());
            if (hasValue(b.totalGiB))
                text += u" of %1 GiB"_s.arg(fmt(b.totalGiB, 1));
        }
        if (b.kvTokens >= 0) {
            text += u"<br>KV cache: <b>%1 tokens</b>"_s.arg(fmtCount(b.kvTokens));
            if (hasValue(b.kvPoolGiB))
                text += u" in %1 GiB"_s.arg(fmt(b.kvPoolGiB, 2));
        }
        const PointRef ref = role == u"kv" ? b.kvSource : b.peakSource;
        if (const Experiment* e = experimentAt(sets, ref))
            text += u"<br>"_s + configLine(*e) + u"<br>"_s + sourceLine(sets, ref);
        return text;
    }
    if (role == u"points" || role == u"curve" || role == u"failed") {
        if (row >= chart.pareto.groups.size())
            return {};
        double x = 0;
        double y = 0;
        if (auto* g = qobject_cast<QCPGraph*>(p); g && index < g->data()->size()) {
            x = g->data()->at(index)->key;
            y = g->data()->at(index)->value;
        } else if (auto* c = qobject_cast<QCPCurve*>(p); c && index < c->data()->size()) {
            x = c->data()->at(index)->key;
            y = c->data()->at(index)->value;
        } else {
            return {};
        }
        // Failed runs share one plottable: look in every group.
        const int first = role == u"failed" ? 0 : row;
        const int last = role == u"failed" ? static_cast<int>(chart.pareto.groups.size()) - 1 : row;
        for (int gi = first; gi <= last; ++gi) {
            const ParetoGroup& g = chart.pareto.groups.at(gi);
            for (const ParetoPoint& pt : g.points) {
                if (pt.latencyMs != x || pt.throughput != y)
                    continue;
                const Experiment* e = experimentAt(sets, pt.source);
                const LoadPoint* lp = pointAt(sets, pt.source);
                if (!e || !lp)
                    return {};
                QString text = u"<b>%1</b> at %2 %3<br>%4: <b>%5 ms</b><br>%6: <b>%7 %8</b>"_s.arg(
                    g.label.toHtmlEscaped(),
                    lp->concurrency > 0 ? u"concurrency"_s : u"load"_s,
                    pt.level.toHtmlEscaped(),
                    chart.pareto.xLabel.section(u" ("_s, 0, 0),
                    fmt(pt.latencyMs),
                    throughputMetricLabel(chart.pareto.metric).section(u" ("_s, 0, 0),
                    fmt(pt.throughput),
                    throughputMetricUnit(chart.pareto.metric));
                if (pt.onFront)
                    text += u"<br>on the Pareto front"_s;
                if (pt.failed)
                    text += u"<br><span style='color:#990000'>failed run</span>"_s;
                return text + u"<br>"_s + latencyLine(*lp) + u"<br>"_s + configLine(*e) + u"<br>"_s +
                       sourceLine(sets, pt.source);
            }
        }
    }
    return {};
}

bool ChartRenderer::exportImage(QCustomPlot* plot, const QString& path, int width, int height, QString* error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const int w = width > 0 ? width : plot->width();
    const int h = height > 0 ? height : plot->height();
    bool ok = false;
    if (suffix == u"png") {
        ok = plot->savePng(path, w, h, 1.0);
    } else if (suffix == u"pdf") {
        ok = plot->savePdf(path, w, h, QCP::epNoCosmetic, u"QuantDesk"_s, plot->property("qdTitle").toString());
    } else if (suffix == u"svg") {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(QSize(w, h));
        svg.setViewBox(QRect(0, 0, w, h));
        svg.setResolution(96); // so that viewers show it at the pixel size asked for
        svg.setTitle(u"QuantDesk chart"_s);
        QCPPainter painter;
        ok = painter.begin(&svg);
        if (ok) {
            plot->toPainter(&painter, w, h);
            ok = painter.end();
        }
    } else {
        if (error)
            *error = u"%1: unknown image type '%2' (use .png, .pdf or .svg)"_s.arg(path, suffix);
        return false;
    }
    if (!ok && error)
        *error = u"%1: could not write the chart"_s.arg(path);
    return ok;
}

} // namespace QuantDesk

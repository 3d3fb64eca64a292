// The results charts: the renderer draws the core series (checked as data, not pixels), the pane's controls change
// the series, hover names the values and the config, every export writes a readable file, imports run off the UI
// thread, and `quantdesk-cli plot` (app/cli/PlotCommand.cpp, compiled into this suite) writes the same charts headless.

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <qcustomplot.h>

#include "app/cli/Cli.h"
#include "app/cli/PlotCommand.h"
#include "core/hardware/GpuInfo.h"
#include "core/model/ModelInfo.h"
#include "core/results/ResultSeries.h"
#include "core/results/ResultsImporter.h"
#include "tests/TestConfig.h"
#include "ui/Dialogs.h"
#include "ui/charts/ChartPane.h"
#include "ui/charts/ChartRenderer.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;

namespace
{

QString fixture(const QString& rel)
{
    const QString fromEnv = qEnvironmentVariable("QUANTDESK_TEST_DATA");
    return QDir(fromEnv.isEmpty() ? QString::fromUtf8(QUANTDESK_TEST_DATA_DIR) : fromEnv).filePath(u"results/"_s + rel);
}

QList<ResultSet> sweep()
{
    const ImportResult r = ResultsImporter::importPath(fixture(u"autotuner/llama-quant-sweep_results.json"_s));
    return {r.set};
}

template <typename T>
QList<T*> plottables(QCustomPlot* plot)
{
    QList<T*> out;
    for (int i = 0; i < plot->plottableCount(); ++i) {
        if (auto* p = qobject_cast<T*>(plot->plottable(i)))
            out << p;
    }
    return out;
}

MemoryPredictionInput llamaOnH100()
{
    MemoryPredictionInput in;
    in.model = inspectModel(QDir(fixture(u"../models/llama3-8b"_s)).absolutePath());
    in.engine = u"vllm"_s;
    QString error;
    const QList<GpuInfo> gpus = parseNvidiaSmiFile(fixture(u"../nvidia-smi-h100/query-gpu.csv"_s), &error);
    if (!gpus.isEmpty())
        in.gpu = gpus.first();
    return in;
}

} // namespace

class TestCharts : public QObject
{
    Q_OBJECT

private slots:
    void init() { Dialogs::resetSeams(); }

    void throughputBarsAreTheSeries()
    {
        const QList<ResultSet> sets = sweep();
        const QList<ConfigGroup> groups = groupByQuantConfig(sets);
        QCustomPlot plot;
        ChartOptions o;
        o.throughput = ThroughputMetric::Total;
        const RenderedChart c =
            ChartRenderer::render(&plot, ChartKind::Throughput, sets, groups, o, {}, u"preset:default"_s);
        QVERIFY(!c.empty);
        QCOMPARE(c.throughput, throughputSeries(sets, groups, o));
        const QList<QCPBars*> bars = plottables<QCPBars>(&plot);
        QCOMPARE(bars.size(), c.throughput.rows.size());
        for (qsizetype r = 0; r < bars.size(); ++r) {
            QCOMPARE(bars.at(r)->data()->size(), 4);
            for (int k = 0; k < 4; ++k) {
                // Level k + 1, shifted sideways by the row's slot.
                QCOMPARE(std::lround(bars.at(r)->data()->at(k)->key), long(k + 1));
                QVERIFY(std::abs(bars.at(r)->data()->at(k)->key - (k + 1)) < 0.45);
                QCOMPARE(bars.at(r)->data()->at(k)->value, c.throughput.rows.at(r).bars.at(k).value);
            }
            QVERIFY(bars.at(r)->name().startsWith(c.throughput.rows.at(r).label));
        }
        QCOMPARE(bars.at(0)->name(), u"default (baseline)"_s);
        QCOMPARE(bars.at(2)->name(), u"dynamic-fp8 (+38 %)"_s);
        QCOMPARE(plot.yAxis->label(), throughputMetricLabel(ThroughputMetric::Total));
        QCOMPARE(plot.xAxis->label(), u"Concurrency"_s);
        QCOMPARE(plot.legend->itemCount(), 5);
        // The same preset has the same colour in every chart.
        QCOMPARE(bars.at(1)->brush().color(), ChartRenderer::groupColor(u"preset:kv-cache-fp8"_s, 1));
    }

    void failedRunsAreHatchedOneByOne()
    {
        // A run where most requests failed: with failed runs shown it is drawn hatched, in its own slot.
        const QByteArray doc = R"({"task_name": "t", "all_results": [
          {"experiment_id": 1, "parameters": {"__quant__preset": "default"}, "status": "success",
           "metrics": {"raw_results": [{"num_concurrency": 1, "mean_output_throughput_tokens_per_s": 100},
                                       {"num_concurrency": 8, "mean_output_throughput_tokens_per_s": 50, "error_rate": 0.8}]}}]})";
        const ImportResult r = ResultsImporter::importBytes(doc, u"t"_s);
        QVERIFY(r.ok);
        const QList<ConfigGroup> groups = groupByQuantConfig({r.set});
        QCustomPlot plot;
        ChartOptions o;
        o.hideFailed = false;
        ChartRenderer::render(&plot, ChartKind::Throughput, {r.set}, groups, o);
        const QList<QCPBars*> bars = plottables<QCPBars>(&plot);
        QCOMPARE(bars.size(), 3); // the runs, the failed runs, the legend entry for hatching
        QCOMPARE(bars.at(0)->data()->size(), 1);
        QCOMPARE(bars.at(0)->brush().style(), Qt::SolidPattern);
        QCOMPARE(bars.at(1)->data()->size(), 1);
        QCOMPARE(bars.at(1)->data()->at(0)->value, 50.0);
        QCOMPARE(bars.at(1)->brush().style(), Qt::BDiagPattern);
        QCOMPARE(bars.at(2)->name(), u"failed runs (hatched)"_s);
        QCOMPARE(plot.legend->itemCount(), 2);
        o.hideFailed = true;
        ChartRenderer::render(&plot, ChartKind::Throughput, {r.set}, groups, o);
        QCOMPARE(plottables<QCPBars>(&plot).size(), 1);
    }

    void memoryChartHasTwoAxes()
    {
        const QList<ResultSet> sets = sweep();
        const QList<ConfigGroup> groups = groupByQuantConfig(sets);
        QCustomPlot plot;
        const RenderedChart c = ChartRenderer::render(&plot, ChartKind::Memory, sets, groups, {});
        QCOMPARE(c.memory.bars.size(), 5);
        const QList<QCPBars*> bars = plottables<QCPBars>(&plot);
        QCOMPARE(bars.size(), 2);
        QCOMPARE(bars.at(0)->valueAxis(), plot.yAxis);
        QCOMPARE(bars.at(1)->valueAxis(), plot.yAxis2);
        QVERIFY(plot.yAxis2->visible());
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(bars.at(0)->data()->at(i)->value, c.memory.bars.at(i).peakGiB);
            QCOMPARE(bars.at(1)->data()->at(i)->value, double(c.memory.bars.at(i).kvTokens) / 1000);
        }
    }

    // Issue 9: the predicted series beside the measured one, drawn from the series the core computes.
    void memoryChartDrawsThePrediction()
    {
        const QList<ResultSet> sets = sweep();
        const QList<ConfigGroup> groups = groupByQuantConfig(sets);
        const MemoryPredictionInput in = llamaOnH100();
        QCustomPlot plot;
        plot.resize(1100, 700);
        const RenderedChart c = ChartRenderer::render(&plot, ChartKind::Memory, sets, groups, {}, {}, {}, &in);
        QVERIFY(c.memory.hasPrediction);
        QCOMPARE(c.memory.bars.size(), 5);
        QCPBars* weights = nullptr;
        QCPBars* pool = nullptr;
        QCPBars* other = nullptr;
        for (QCPBars* b : plottables<QCPBars>(&plot)) {
            if (b->name() == u"Predicted: weights")
                weights = b;
            else if (b->name() == u"Predicted: KV cache pool")
                pool = b;
            else if (b->name().startsWith(u"Predicted: context"))
                other = b;
        }
        QVERIFY(weights && pool && other);
        QCOMPARE(pool->barBelow(), weights);
        QCOMPARE(other->barBelow(), pool);
        for (int i = 0; i < 5; ++i) {
            const MemoryBar& b = c.memory.bars.at(i);
            QCOMPARE(weights->data()->at(i)->value, b.predictedWeightsGiB);
            QCOMPARE(pool->data()->at(i)->value, b.predictedKvPoolGiB);
            // vLLM fills 0.9 of the GPU: weights + pool + reserve = 0.9 x 81559 MiB.
            QVERIFY(std::abs(b.predictedWeightsGiB + b.predictedKvPoolGiB + b.predictedReserveGiB -
                             0.9 * 81559 / 1024) < 1e-6);
        }
        QCPGraph* markers = nullptr;
        for (QCPGraph* g : plottables<QCPGraph>(&plot)) {
            if (g->name().startsWith(u"KV capacity, predicted"_s))
                markers = g;
        }
        QVERIFY(markers);
        QCOMPARE(markers->valueAxis(), plot.yAxis2);
        QCOMPARE(markers->data()->size(), 5);
        QCOMPARE(markers->data()->at(1)->value, double(c.memory.bars.at(1).predictedKvTokens) / 1000);
        // The marker sits on the measured KV bar of its config: same category, right of the centre.
        QVERIFY(markers->data()->at(1)->key > 2.0 && markers->data()->at(1)->key < 2.5);

        // Hover on the predicted stack names the prediction, the model and what it assumed.
        plot.replot(QCustomPlot::rpImmediateRefresh);
        const QString text = ChartRenderer::hoverText(&plot, weights->dataPixelPosition(1) + QPointF(0, 10), sets, c);
        QVERIFY2(text.contains(u"kv-cache-fp8</b>, predicted"_s), qPrintable(text));
        QVERIFY2(text.contains(u"llama3-8b"_s), qPrintable(text));
        QVERIFY2(text.contains(u"14.96 GiB"_s), qPrintable(text));
        QVERIFY2(text.contains(u"engine log: 901,120"_s), qPrintable(text));
        QVERIFY2(text.contains(u"gpu-memory-utilization 0.9"_s), qPrintable(text));

        // Without an architecture the chart is the measured one, unchanged.
        MemoryPredictionInput byName;
        byName.model.idOrPath = u"meta-llama/Meta-Llama-3-8B"_s;
        QCustomPlot plain;
        const RenderedChart m = ChartRenderer::render(&plain, ChartKind::Memory, sets, groups, {}, {}, {}, &byName);
        QVERIFY(!m.memory.hasPrediction);
        QCOMPARE(plottables<QCPBars>(&plain).size(), 2);

        // The pane redraws when the task's model or GPU changes.
        ChartPane pane;
        pane.setResults(sets);
        pane.setChartKind(ChartKind::Memory);
        QVERIFY(!pane.rendered().memory.hasPrediction);
        pane.setMemoryPrediction(in);
        QVERIFY(pane.rendered().memory.hasPrediction);
        pane.setMemoryPrediction(std::nullopt);
        QVERIFY(!pane.rendered().memory.hasPrediction);
    }

    void paretoChartDrawsTheFront()
    {
        const QList<ResultSet> sets = sweep();
        const QList<ConfigGroup> groups = groupByQuantConfig(sets);
        QCustomPlot plot;
        ChartOptions o;
        o.latency = LatencyMetric::Ttft;
        o.percentile = Percentile::P99;
        const RenderedChart c = ChartRenderer::render(&plot, ChartKind::Pareto, sets, groups, o);
        QCOMPARE(c.pareto, paretoSeries(sets, groups, o));
        QCPGraph* front = nullptr;
        int scatter = 0;
        for (QCPGraph* g : plottables<QCPGraph>(&plot)) {
            if (g->name() == u"Pareto front")
                front = g;
            else
                ++scatter;
        }
        QCOMPARE(scatter, 5);
        QVERIFY(front);
        QCOMPARE(front->data()->size(), c.pareto.front.size());
        QCOMPARE(plot.xAxis->label(), u"TTFT p99 (ms)"_s);
    }

    void emptyResultsSayWhy()
    {
        QCustomPlot plot;
        const RenderedChart c = ChartRenderer::render(&plot, ChartKind::Memory, {}, {}, {});
        QVERIFY(c.empty);
        QVERIFY(c.emptyText.contains(u"No memory"_s));
        QCOMPARE(plot.plottableCount(), 0);
        QCOMPARE(plot.itemCount(), 1);
    }

    void paneControlsChangeTheSeries()
    {
        ChartPane pane;
        pane.setResults(sweep());
        auto* kind = pane.findChild<QComboBox*>(u"chartKindComboBox"_s);
        auto* metric = pane.findChild<QComboBox*>(u"throughputMetricComboBox"_s);
        auto* latency = pane.findChild<QComboBox*>(u"latencyMetricComboBox"_s);
        auto* percentile = pane.findChild<QComboBox*>(u"percentileComboBox"_s);
        auto* hideFailed = pane.findChild<QCheckBox*>(u"hideFailedCheckBox"_s);
        auto* baseline = pane.findChild<QComboBox*>(u"baselineComboBox"_s);
        QVERIFY(kind && metric && latency && percentile && hideFailed && baseline);
        QSignalSpy changed(&pane, &ChartPane::chartChanged);

        QCOMPARE(pane.rendered().kind, ChartKind::Throughput);
        QCOMPARE(pane.baseline(), u"preset:default"_s);
        QCOMPARE(baseline->count(), 6);
        QVERIFY(!latency->isEnabled()); // only the Pareto chart has a latency axis

        metric->setCurrentIndex(metric->findData(u"requests"_s));
        QCOMPARE(pane.options().throughput, ThroughputMetric::Requests);
        QCOMPARE(pane.rendered().throughput.rows.at(2).bars.at(3).value, 5520.0 / 100);

        kind->setCurrentIndex(kind->findData(u"pareto"_s));
        QCOMPARE(pane.rendered().kind, ChartKind::Pareto);
        QVERIFY(latency->isEnabled());
        latency->setCurrentIndex(latency->findData(u"tpot"_s));
        percentile->setCurrentIndex(percentile->findData(u"p90"_s));
        QCOMPARE(pane.rendered().pareto.latency, LatencyMetric::Tpot);
        QCOMPARE(pane.rendered().pareto.percentile, Percentile::P90);

        kind->setCurrentIndex(kind->findData(u"memory"_s));
        QCOMPARE(pane.rendered().memory.bars.size(), 5);
        hideFailed->setChecked(false);
        QCOMPARE(pane.rendered().memory.bars.size(), 6); // the failed explicit config shows up
        QVERIFY(changed.size() >= 5);

        baseline->setCurrentIndex(baseline->findData(u"preset:dynamic-fp8"_s));
        QCOMPARE(pane.baseline(), u"preset:dynamic-fp8"_s);
        const auto dyn =
            std::find_if(pane.deltas().cbegin(), pane.deltas().cend(), [](const PresetDelta& d) { return d.baseline; });
        QCOMPARE(dyn->label, u"dynamic-fp8"_s);
        QVERIFY(pane.findChild<QLabel*>(u"deltasLabel"_s)->text().contains(u"Against <b>dynamic-fp8</b>"_s));
    }

    void hoverShowsValuesAndConfig()
    {
        ChartPane pane;
        pane.resize(1100, 700);
        pane.setResults(sweep());
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        pane.plot()->replot(QCustomPlot::rpImmediateRefresh);
        // The dynamic-fp8 bar at concurrency 64.
        QCPBars* bars = plottables<QCPBars>(pane.plot()).at(2);
        const QPointF top = bars->dataPixelPosition(3);
        const QString text = pane.hoverTextAt(top + QPointF(0, 10));
        QVERIFY2(text.contains(u"dynamic-fp8"_s), qPrintable(text));
        QVERIFY2(text.contains(u"5,520"_s), qPrintable(text));
        QVERIFY2(text.contains(u"gemm=fp8 kvcache=fp8_e5m2 attention=fp8 moe=fp8"_s), qPrintable(text));
        QVERIFY2(text.contains(u"TTFT p50 100 / p99 200 ms"_s), qPrintable(text));
        QVERIFY(pane.hoverTextAt(QPointF(5, 5)).isEmpty());

        pane.setChartKind(ChartKind::Pareto);
        pane.plot()->replot(QCustomPlot::rpImmediateRefresh);
        QCPGraph* points = nullptr;
        for (QCPGraph* g : plottables<QCPGraph>(pane.plot())) {
            if (g->name().startsWith(u"kv-cache-fp8"_s))
                points = g;
        }
        QVERIFY(points);
        const QString pt = pane.hoverTextAt(points->dataPixelPosition(points->data()->size() - 1));
        QVERIFY2(pt.contains(u"kv-cache-fp8"_s) && pt.contains(u"5,200"_s), qPrintable(pt));

        pane.setChartKind(ChartKind::Memory);
        pane.plot()->replot(QCustomPlot::rpImmediateRefresh);
        QCPBars* kv = plottables<QCPBars>(pane.plot()).at(1);
        const QString mem = pane.hoverTextAt(kv->dataPixelPosition(0) + QPointF(0, 10));
        QVERIFY2(mem.contains(u"450,560 tokens"_s) && mem.contains(u"55.00 GiB"_s), qPrintable(mem));
    }

    void exportsEveryFormat()
    {
        QTemporaryDir dir;
        ChartPane pane;
        pane.setResults(sweep());
        QSignalSpy exported(&pane, &ChartPane::exported);
        QString error;
        QVERIFY2(pane.exportTo(dir.filePath(u"c.png"_s), &error, 900, 500), qPrintable(error));
        const QImage png(dir.filePath(u"c.png"_s));
        QCOMPARE(png.size(), QSize(900, 500));
        QVERIFY2(pane.exportTo(dir.filePath(u"c.pdf"_s), &error, 900, 500), qPrintable(error));
        QFile pdf(dir.filePath(u"c.pdf"_s));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        QVERIFY2(pane.exportTo(dir.filePath(u"c.svg"_s), &error, 900, 500), qPrintable(error));
        QFile svg(dir.filePath(u"c.svg"_s));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray svgText = svg.readAll();
        QVERIFY(svgText.contains("<svg"));
        QVERIFY(svgText.contains("dynamic-fp8"));
        QVERIFY2(pane.exportTo(dir.filePath(u"t.csv"_s), &error), qPrintable(error));
        QCOMPARE(exported.size(), 4);
        QVERIFY(!pane.exportTo(dir.filePath(u"c.bmp"_s), &error));
        QVERIFY(error.contains(u".png, .pdf or .svg"_s));

        // Through the export menu, with the file dialog's test seam.
        auto* button = pane.findChild<QToolButton*>(u"exportToolButton"_s);
        QVERIFY(button && button->menu());
        Dialogs::setNextFileName(dir.filePath(u"menu"_s));
        button->menu()->actions().at(2)->trigger(); // SVG
        QVERIFY(QFile::exists(dir.filePath(u"menu.svg"_s)));
        Dialogs::setNextFileName(QString()); // cancelled
        button->menu()->actions().at(0)->trigger();
        QCOMPARE(exported.size(), 5);
    }

    void importsOffTheUiThread()
    {
        ChartPane pane;
        QSignalSpy done(&pane, &ChartPane::importFinished);
        auto* progress = pane.findChild<QProgressBar*>(u"importProgressBar"_s);
        QVERIFY(progress);
        QVERIFY(pane.importFiles({fixture(u"autotuner/llama-quant-sweep_results.json"_s),
                                  fixture(u"bad/empty.json"_s),
                                  fixture(u"vllm-bench"_s)}));
        QVERIFY(pane.isImporting() || done.size() == 1);
        QVERIFY(done.wait(30000) || done.size() == 1);
        QCOMPARE(done.at(0).at(0).toInt(), 2);
        QCOMPARE(done.at(0).at(1).toStringList().size(), 1); // the empty file
        QCOMPARE(done.at(0).at(2).toBool(), false);
        QVERIFY(progress->isHidden());
        QCOMPARE(pane.results().size(), 2);
        QCOMPARE(pane.groups().size(), 6);
        QVERIFY(!pane.rendered().empty);

        // Cancel: a big generated file stops early and adds nothing.
        QTemporaryDir dir;
        QFile src(fixture(u"autotuner/llama-quant-sweep_results.json"_s));
        QVERIFY(src.open(QIODevice::ReadOnly));
        const QByteArray one = src.readAll();
        const qsizetype a = one.indexOf("\"all_results\": [") + 16;
        const qsizetype b = one.lastIndexOf(']');
        const QByteArray items = one.mid(a, b - a);
        QFile big(dir.filePath(u"big_results.json"_s));
        QVERIFY(big.open(QIODevice::WriteOnly));
        big.write("{\"task_name\": \"big\", \"all_results\": [");
        for (int i = 0; i < 300; ++i) {
            big.write(i ? "," : "");
            big.write(items);
        }
        big.write("]}");
        big.close();
        done.clear();
        QVERIFY(pane.importFiles({big.fileName()}));
        pane.cancelImport();
        QVERIFY(done.wait(30000) || done.size() == 1);
        QCOMPARE(done.at(0).at(2).toBool(), true);
        QCOMPARE(done.at(0).at(0).toInt(), 0);
        QCOMPARE(pane.results().size(), 2);
    }

    void plotCommand()
    {
        QTemporaryDir dir;
        QString outText;
        QString errText;
        QTextStream out(&outText);
        QTextStream err(&errText);
        const QString png = dir.filePath(u"m.svg"_s);
        const QString csv = dir.filePath(u"t.csv"_s);
        // Results before, between and after the options.
        int code = Cli::cmdPlot({fixture(u"autotuner/llama-quant-sweep_results.json"_s),
                                 u"--chart"_s,
                                 u"memory"_s,
                                 fixture(u"vllm-bench"_s),
                                 u"--out"_s,
                                 png,
                                 u"--csv=%1"_s.arg(csv),
                                 u"--baseline"_s,
                                 u"kv-cache-fp8"_s,
                                 u"--size"_s,
                                 u"800x500"_s},
                                out,
                                err);
        out.flush();
        err.flush();
        QCOMPARE(code, int(Cli::ExitOk));
        QVERIFY2(outText.contains(u"wrote "_s + png), qPrintable(outText));
        QVERIFY(outText.contains(u"wrote "_s + csv));
        QVERIFY(outText.contains(u"kv-cache-fp8: baseline"_s));
        QFile svg(png);
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<svg"));
        QVERIFY(QFile::exists(csv));

        // The predicted series from the CLI: the model's architecture and the GPU file.
        outText.clear();
        code = Cli::cmdPlot({fixture(u"autotuner/llama-quant-sweep_results.json"_s),
                             u"--chart"_s,
                             u"memory"_s,
                             u"--out"_s,
                             dir.filePath(u"p.png"_s),
                             u"--model"_s,
                             fixture(u"../models/llama3-8b"_s),
                             u"--gpu-info"_s,
                             fixture(u"../nvidia-smi-h100/query-gpu.csv"_s),
                             u"--engine"_s,
                             u"vllm"_s},
                            out,
                            err);
        out.flush();
        QCOMPARE(code, int(Cli::ExitOk));
        // 896,617 tokens: worked out by hand in TestResultsImport::predictedMemorySeries.
        QVERIFY2(outText.contains(u"predicted kv-cache-fp8: weights 14.96 GiB/GPU, KV pool 54.73 GiB/GPU, KV "
                                  "capacity 8966"_s),
                 qPrintable(outText));
        QVERIFY(QImage(dir.filePath(u"p.png"_s)).width() > 0);
        // A model without config.json cannot be predicted for: an error, nothing written.
        errText.clear();
        code = Cli::cmdPlot({fixture(u"autotuner/llama-quant-sweep_results.json"_s),
                             u"--chart"_s,
                             u"memory"_s,
                             u"--out"_s,
                             dir.filePath(u"q.png"_s),
                             u"--model"_s,
                             u"meta-llama/Meta-Llama-3-8B"_s},
                            out,
                            err);
        err.flush();
        QCOMPARE(code, int(Cli::ExitInvalid));
        QVERIFY2(errText.contains(u"no architecture to predict from"_s), qPrintable(errText));
        QVERIFY(!QFile::exists(dir.filePath(u"q.png"_s)));

        // An unreadable results file: exit 1, nothing written.
        outText.clear();
        errText.clear();
        const QString never = dir.filePath(u"never.png"_s);
        code = Cli::cmdPlot(
            {fixture(u"bad/truncated_results.json"_s), u"--chart"_s, u"throughput"_s, u"--out"_s, never}, out, err);
        err.flush();
        QCOMPARE(code, int(Cli::ExitInvalid));
        QVERIFY2(errText.contains(u"unterminated string"_s), qPrintable(errText));
        QVERIFY(!QFile::exists(never));

        // Usage errors.
        const QString results = fixture(u"autotuner/llama-quant-sweep_results.json"_s);
        for (const QStringList& args :
             {QStringList{results, u"--out"_s, png},
              QStringList{results, u"--chart"_s, u"pie"_s, u"--out"_s, png},
              QStringList{results, u"--chart"_s, u"pareto"_s, u"--out"_s, dir.filePath(u"x.gif"_s)},
              QStringList{u"--chart"_s, u"pareto"_s, u"--out"_s, png},
              QStringList{results, u"--chart"_s, u"pareto"_s, u"--out"_s, png, u"--metric"_s, u"speed"_s},
              QStringList{results, u"--chart"_s, u"pareto"_s, u"--out"_s, png, u"--baseline"_s, u"nope"_s},
              QStringList{results, u"--chart"_s, u"pareto"_s, u"--out"_s, png, u"--size"_s, u"big"_s},
              QStringList{results, u"--chart"_s, u"pareto"_s, u"--out"_s, png, u"--model"_s, results},
              QStringList{results, u"--chart"_s, u"memory"_s, u"--out"_s, png, u"--gpu-info"_s, results}}) {
            bool threw = false;
            try {
                Cli::cmdPlot(args, out, err);
            } catch (const Cli::UsageError&) {
                threw = true;
            }
            QVERIFY2(threw, qPrintable(args.join(u' ')));
        }
    }
};

QTEST_MAIN(TestCharts)
#include "TestCharts.moc"

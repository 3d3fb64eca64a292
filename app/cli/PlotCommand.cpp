// quantdesk-cli plot: the results charts, headless (DESIGN §7).

#include "app/cli/PlotCommand.h"

#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <memory>

#include <qcustomplot.h>

#include "app/cli/Cli.h"
#include "app/cli/Options.h"
#include "core/hardware/GpuInfo.h"
#include "core/model/ModelInfo.h"
#include "core/results/ResultSeries.h"
#include "core/results/ResultsCsv.h"
#include "core/results/ResultsImporter.h"
#include "ui/charts/ChartRenderer.h"

using namespace Qt::StringLiterals;

namespace QuantDesk::Cli
{

namespace
{

const QStringList kValued{u"chart"_s,
                          u"out"_s,
                          u"csv"_s,
                          u"metric"_s,
                          u"latency"_s,
                          u"percentile"_s,
                          u"baseline"_s,
                          u"size"_s,
                          u"title"_s,
                          u"engine"_s,
                          u"task"_s,
                          u"model"_s,
                          u"gpu-info"_s};
const QStringList kSwitches{u"show-failed"_s};

// Options may come before, between or after the results; Options refuses positional words, so split them off.
void splitArguments(const QStringList& args, QStringList* options, QStringList* positional)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString& a = args.at(i);
        if (!a.startsWith(u"--")) {
            *positional << a;
            continue;
        }
        *options << a;
        if (!a.contains(u'=') && kValued.contains(a.mid(2)) && i + 1 < args.size())
            *options << args.at(++i);
    }
}

template <typename T>
T choice(const Options& o,
         const QString& name,
         const QString& fallback,
         std::optional<T> (*parse)(const QString&),
         const QString& allowed)
{
    const QString v = o.value(name, fallback);
    const std::optional<T> r = parse(v);
    if (!r)
        throw UsageError{u"--%1: '%2' is not one of %3"_s.arg(name, v, allowed)};
    return *r;
}

} // namespace

QString plotUsage()
{
    return u"  plot     RESULTS… --chart throughput|memory|pareto --out FILE.png|.pdf|.svg [--csv FILE]\n"
           "           [--metric output|total|per-gpu|requests] [--latency e2e|ttft|tpot|itl]\n"
           "           [--percentile p50|p90|p99|mean] [--baseline PRESET|none] [--show-failed]\n"
           "           [--engine vllm|sglang|trtllm] [--task TASK.json] [--size WxH] [--title TEXT]\n"
           "           [--model PATH --gpu-info FILE]   (memory chart: the predicted series beside the measured)\n"_s;
}

int cmdPlot(const QStringList& args, QTextStream& out, QTextStream& err)
{
    QStringList optionArgs;
    QStringList results;
    splitArguments(args, &optionArgs, &results);
    const Options o(optionArgs, kValued, {}, kSwitches);
    if (results.isEmpty())
        throw UsageError{u"plot needs at least one results file or folder"_s};
    if (!o.has(u"chart"_s))
        throw UsageError{u"plot needs --chart throughput|memory|pareto"_s};
    if (!o.has(u"out"_s))
        throw UsageError{u"plot needs --out FILE.png|.pdf|.svg"_s};
    const ChartKind kind =
        choice<ChartKind>(o, u"chart"_s, QString(), &chartKindFromKey, u"throughput, memory, pareto"_s);
    const QString outPath = o.value(u"out"_s);
    const QString suffix = QFileInfo(outPath).suffix().toLower();
    if (suffix != u"png" && suffix != u"pdf" && suffix != u"svg")
        throw UsageError{u"--out: '%1' must end in .png, .pdf or .svg"_s.arg(outPath)};
    ChartOptions options;
    options.throughput = choice<ThroughputMetric>(
        o, u"metric"_s, u"output"_s, &throughputMetricFromKey, u"output, total, per-gpu, requests"_s);
    options.latency =
        choice<LatencyMetric>(o, u"latency"_s, u"e2e"_s, &latencyMetricFromKey, u"e2e, ttft, tpot, itl"_s);
    options.percentile = choice<Percentile>(o, u"percentile"_s, u"p50"_s, &percentileFromKey, u"p50, p90, p99, mean"_s);
    options.hideFailed = !o.has(u"show-failed"_s);
    int width = 1200;
    int height = 700;
    if (o.has(u"size"_s)) {
        static const QRegularExpression re(u"^(\\d{2,5})x(\\d{2,5})$"_s);
        const QRegularExpressionMatch m = re.match(o.value(u"size"_s));
        if (!m.hasMatch())
            throw UsageError{u"--size: '%1' is not WIDTHxHEIGHT in pixels (e.g. 1200x700)"_s.arg(o.value(u"size"_s))};
        width = m.captured(1).toInt();
        height = m.captured(2).toInt();
    }
    ImportOptions importOptions;
    if (o.has(u"engine"_s)) {
        importOptions.engine = o.value(u"engine"_s);
        if (importOptions.engine != u"vllm" && importOptions.engine != u"sglang" && importOptions.engine != u"trtllm")
            throw UsageError{u"--engine: '%1' is not one of vllm, sglang, trtllm"_s.arg(importOptions.engine)};
    }
    if (o.has(u"task"_s)) {
        QFile task(o.value(u"task"_s));
        if (!task.open(QIODevice::ReadOnly)) {
            err << "quantdesk-cli: " << task.fileName() << ": " << task.errorString() << '\n';
            return ExitInvalid;
        }
        importOptions.taskJson = task.readAll();
    }

    // The predicted memory series needs the model's architecture; the GPU adds the KV pool and capacity.
    std::optional<MemoryPredictionInput> prediction;
    if (o.has(u"model"_s) || o.has(u"gpu-info"_s)) {
        if (kind != ChartKind::Memory)
            throw UsageError{u"--model and --gpu-info apply to --chart memory only"_s};
        if (!o.has(u"model"_s))
            throw UsageError{u"--gpu-info needs --model: the prediction is for a model's architecture"_s};
        MemoryPredictionInput in;
        in.model = inspectModel(o.value(u"model"_s));
        if (!in.model.config) {
            err << "quantdesk-cli: --model " << o.value(u"model"_s) << ": no architecture to predict from ("
                << (in.model.configError.isEmpty() ? u"no config.json found"_s : in.model.configError) << ")\n";
            return ExitInvalid;
        }
        in.engine = importOptions.engine;
        if (o.has(u"gpu-info"_s)) {
            const QList<GpuInfo> gpus = readGpuInfo(o.value(u"gpu-info"_s), err);
            if (gpus.isEmpty())
                return ExitInvalid;
            // Capacity is bounded by the smallest GPU listed.
            in.gpu = gpus.constFirst();
            for (const GpuInfo& g : gpus) {
                if (g.memoryTotalMiB > 0 && (in.gpu->memoryTotalMiB <= 0 || g.memoryTotalMiB < in.gpu->memoryTotalMiB))
                    in.gpu = g;
            }
        }
        prediction = in;
    }

    // Import everything first: a results file that cannot be read fails the command before anything is written.
    QList<ResultSet> sets;
    bool failed = false;
    for (const QString& path : std::as_const(results)) {
        const ImportResult r = ResultsImporter::importPath(path, importOptions);
        if (!r.ok) {
            err << "quantdesk-cli: " << r.error << '\n';
            failed = true;
            continue;
        }
        if (r.set.warningCount > 0) {
            err << "quantdesk-cli: " << path << ": " << r.set.warningCount << " warning(s)\n";
            for (qsizetype i = 0; i < std::min<qsizetype>(r.set.warnings.size(), 5); ++i)
                err << "  " << r.set.warnings.at(i) << '\n';
            if (r.set.warningCount > 5)
                err << "  …\n";
        }
        sets << r.set;
    }
    if (failed)
        return ExitInvalid;

    // QCustomPlot is a QWidget: it needs a QApplication, on the offscreen platform when there is no display.
    std::unique_ptr<QApplication> ownApp;
    if (!QCoreApplication::instance()) {
        if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        static int argc = 1;
        static char name[] = "quantdesk-cli";
        static char* argv[] = {name, nullptr};
        ownApp = std::make_unique<QApplication>(argc, argv);
    } else if (!qobject_cast<QApplication*>(QCoreApplication::instance())) {
        err << "quantdesk-cli: plot needs a QApplication, but this process created a QCoreApplication\n";
        return ExitInvalid;
    }

    const QList<ConfigGroup> groups = groupByQuantConfig(sets);
    QString baseline;
    const QString wanted = o.value(u"baseline"_s, u"default"_s);
    if (wanted != u"none") {
        for (const ConfigGroup& g : groups) {
            if (g.label == wanted || g.key == wanted)
                baseline = g.key;
        }
        if (baseline.isEmpty() && o.has(u"baseline"_s)) {
            QStringList labels;
            for (const ConfigGroup& g : groups)
                labels << g.label;
            throw UsageError{
                u"--baseline: no results for '%1' (the results have: %2)"_s.arg(wanted, labels.join(u", "_s))};
        }
    }
    QCustomPlot plot;
    plot.resize(width, height);
    const RenderedChart chart = ChartRenderer::render(
        &plot, kind, sets, groups, options, o.value(u"title"_s), baseline, prediction ? &*prediction : nullptr);
    QString error;
    if (!ChartRenderer::exportImage(&plot, outPath, width, height, &error)) {
        err << "quantdesk-cli: " << error << '\n';
        return ExitInvalid;
    }

    int experiments = 0;
    for (const ResultSet& s : std::as_const(sets))
        experiments += static_cast<int>(s.experiments.size());
    out << chartKindLabel(kind) << ": " << sets.size() << " result set(s), " << experiments << " experiment(s), "
        << groups.size() << " config(s)" << (chart.empty ? u" — nothing to draw: "_s + chart.emptyText : QString())
        << '\n';
    if (!baseline.isEmpty()) {
        for (const PresetDelta& d : presetDeltas(sets, groups, baseline, options)) {
            if (!d.summary.isEmpty())
                out << "  " << d.label << ": " << d.summary << '\n';
        }
    }
    if (prediction) {
        if (!chart.memory.hasPrediction)
            out << "no prediction: "
                << (chart.memory.predictionProblem.isEmpty() ? u"no result has a known quant config"_s
                                                             : chart.memory.predictionProblem)
                << '\n';
        for (const MemoryBar& b : chart.memory.bars) {
            if (!b.hasPrediction())
                continue;
            out << "  predicted " << b.label << ": weights " << QString::number(b.predictedWeightsGiB, 'f', 2)
                << " GiB/GPU";
            if (hasValue(b.predictedKvPoolGiB))
                out << ", KV pool " << QString::number(b.predictedKvPoolGiB, 'f', 2) << " GiB/GPU";
            if (b.predictedKvTokens >= 0)
                out << ", KV capacity " << b.predictedKvTokens << " tokens";
            out << " (" << b.predictedNote << ")\n";
        }
    }
    out << "wrote " << outPath << '\n';
    if (o.has(u"csv"_s)) {
        if (!ResultsCsv::write(sets, o.value(u"csv"_s), &error)) {
            err << "quantdesk-cli: " << error << '\n';
            return ExitInvalid;
        }
        out << "wrote " << o.value(u"csv"_s) << '\n';
    }
    return ExitOk;
}

} // namespace QuantDesk::Cli

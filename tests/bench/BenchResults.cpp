// Results import benchmark (issue #8): generated autotuner results files of 1,000, 10,000 and 50,000 experiments × 4
// concurrency levels (about 6 MB per 1,000), then import + group + render the throughput chart to PNG. Each size runs
// in a fresh child process, so its peak memory (VmHWM) is its own. Budget at 10,000: ≤ 1.5 s and ≤ 400 MB; time and
// memory must grow no faster than linearly.
//
//   bench_results [--sizes 1000,10000,50000] [--dir DIR]      the benchmark (prints a table; exit 1 over budget)
//   bench_results --run FILE                                  one measurement (used by the above; prints JSON)
//   bench_results --screenshots DIR [RESULTS…]                PNGs of every chart and of the pane, for the README
//
// Runs on the offscreen platform when there is no display.

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <cmath>
#include <cstdio>

#include <qcustomplot.h>

#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include "core/results/ResultSeries.h"
#include "core/results/ResultsImporter.h"
#include "core/results/ResultsLibrary.h"
#include "ui/charts/ChartPane.h"
#include "ui/charts/ChartRenderer.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;

namespace
{

qint64 statusKiB(const char* field)
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return -1;
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// One experiment in the autotuner's results format (reference/autotuner.md §5.1/5.2), with genai-bench
// aggregated metrics at four concurrency levels (five per-request statistics, numbers to four decimals: about 6 KB
// per experiment, as the issue sizes them), GPU monitoring and a short container log.
nlohmann::ordered_json experiment(int n)
{
    static const char* presets[] = {"default", "kv-cache-fp8", "dynamic-fp8", "bf16-stable", "aggressive-moe"};
    const int preset = n % 5;
    const double scale = 1.0 + preset * 0.07 + (n % 97) * 0.001;
    using json = nlohmann::ordered_json;
    // Four decimals, as a results file mostly shows them.
    const auto r4 = [](double v) { return std::round(v * 1e4) / 1e4; };
    const auto stat = [&](double p50) {
        return json{{"min", r4(p50 * 0.5)},
                    {"max", r4(p50 * 3)},
                    {"mean", r4(p50 * 1.1)},
                    {"stddev", r4(p50 * 0.2)},
                    {"sum", r4(p50 * 50)},
                    {"p25", r4(p50 * 0.8)},
                    {"p50", r4(p50)},
                    {"p75", r4(p50 * 1.2)},
                    {"p90", r4(p50 * 1.5)},
                    {"p95", r4(p50 * 1.7)},
                    {"p99", r4(p50 * 2)}};
    };
    json raw = json::array();
    double meanOut = 0;
    for (const int c : {1, 4, 16, 64}) {
        const double out = r4(100.0 * c * scale * (c >= 16 ? 0.85 : 1.0));
        meanOut += out / 4;
        json stats;
        stats["ttft"] = stat(0.02 * (1 + c / 16.0) / scale);
        stats["tpot"] = stat(0.01 / scale);
        stats["e2e_latency"] = stat(1.0 / scale + 0.002 * c);
        stats["input_throughput"] = stat(5000 * scale);
        stats["output_throughput"] = stat(100 * scale);
        raw.push_back(json{{"scenario", "D(100,100)"},
                           {"num_concurrency", c},
                           {"batch_size", nullptr},
                           {"iteration_type", "num_concurrency"},
                           {"run_duration", 60.0},
                           {"mean_output_throughput_tokens_per_s", out},
                           {"mean_input_throughput_tokens_per_s", out},
                           {"mean_total_tokens_throughput_tokens_per_s", out * 2},
                           {"mean_total_chars_per_hour", out * 14400},
                           {"requests_per_second", out / 100},
                           {"error_codes_frequency", json::object()},
                           {"error_rate", 0.0},
                           {"num_error_requests", 0},
                           {"num_completed_requests", static_cast<int>(out * 0.6)},
                           {"num_requests", static_cast<int>(out * 0.6)},
                           {"stats", stats},
                           {"mean_output_throughput_per_gpu", out},
                           {"mean_input_throughput_per_gpu", out},
                           {"mean_total_throughput_per_gpu", out * 2}});
    }
    const int peak = 73000 + preset * 100 + n % 50;
    json gpu = {{"monitoring_duration_seconds", 240.0},
                {"sample_count", 240},
                {"gpu_stats",
                 {{"0",
                   {{"name", "NVIDIA H100 80GB HBM3"},
                    {"utilization", {{"min", 60}, {"max", 100}, {"mean", 92.5}, {"samples", 240}}},
                    {"memory_used_mb", {{"min", peak - 500}, {"max", peak}, {"mean", peak - 100}}},
                    {"memory_usage_percent", {{"min", 88.9}, {"max", 89.5}, {"mean", 89.4}}},
                    {"temperature_c", {{"min", 40}, {"max", 68}, {"mean", 61.0}}},
                    {"power_draw_w", {{"min", 120.0}, {"max", 690.0}, {"mean", 610.0}}}}}}}};
    json metrics = {{"num_result_files", 4},
                    {"concurrency_levels", {1, 4, 16, 64}},
                    {"mean_e2e_latency", 1.1},
                    {"p50_e2e_latency", 1.0},
                    {"p90_e2e_latency", 1.5},
                    {"p99_e2e_latency", 2.0},
                    {"mean_ttft", 0.03},
                    {"mean_tpot", 0.011},
                    {"mean_output_throughput", meanOut},
                    {"max_output_throughput", meanOut * 2},
                    {"mean_total_throughput", meanOut * 2},
                    {"max_total_throughput", meanOut * 4},
                    {"total_requests", 1000},
                    {"total_completed_requests", 1000},
                    {"total_error_requests", 0},
                    {"success_rate", 1.0},
                    {"elapsed_time", 262.5},
                    {"benchmark_name", "bench-exp" + std::to_string(n)},
                    {"raw_results", raw},
                    {"mean_output_throughput_per_gpu", meanOut},
                    {"gpu_monitoring", gpu}};
    const std::string kv = std::to_string(450560 * (preset == 0 ? 1 : 2));
    return json{
        {"experiment_id", n},
        {"parameters",
         {{"tensor-parallel-size", 1}, {"max-num-seqs", 64 + n % 4 * 64}, {"__quant__preset", presets[preset]}}},
        {"status", "success"},
        {"metrics", metrics},
        {"objective_score", -meanOut},
        {"gpu_info", {{"model", "NVIDIA H100 80GB HBM3"}, {"count", 1}, {"device_ids", {"0"}}, {"world_size", 1}}},
        {"container_logs",
         "(EngineCore_DP0 pid=312) INFO [gpu_worker.py:298] Available KV cache memory: 55.00 GiB\n"
         "(EngineCore_DP0 pid=312) INFO [kv_cache_utils.py:1286] GPU KV cache size: " +
             kv + " tokens\n"},
        {"error_message", nullptr},
        {"created_resources", {{"clusterbasemodel", nullptr}, {"clusterservingruntime", nullptr}}}};
}

bool generate(const QString& path, int experiments)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write("{\"task_name\": \"bench\", \"strategy\": \"grid_search\", \"total_experiments\": " +
            QByteArray::number(experiments) + ", \"successful_experiments\": " + QByteArray::number(experiments) +
            ", \"elapsed_time\": 1.0, \"best_result\": null, \"all_results\": [\n");
    for (int i = 1; i <= experiments; ++i) {
        const std::string s = experiment(i).dump();
        f.write(s.data(), static_cast<qint64>(s.size()));
        f.write(i < experiments ? ",\n" : "\n");
    }
    f.write("]}\n");
    return f.error() == QFile::NoError;
}

// One measurement in this (fresh) process: import + group + render the throughput chart to PNG.
qint64 cpuMs()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

int runOne(const QString& path)
{
    const qint64 baseKiB = statusKiB("VmRSS");
    const qint64 cpu0 = cpuMs();
    QElapsedTimer t;
    t.start();
    const ImportResult r = ResultsImporter::importPath(path);
    const qint64 importMs = t.elapsed();
    if (!r.ok) {
        std::fprintf(stderr, "%s\n", qPrintable(r.error));
        return 1;
    }
    const QList<ResultSet> sets{r.set};
    const QList<ConfigGroup> groups = groupByQuantConfig(sets);
    const qint64 groupMs = t.elapsed() - importMs;
    QCustomPlot plot;
    const RenderedChart chart = ChartRenderer::render(&plot, ChartKind::Throughput, sets, groups, ChartOptions{});
    QString error;
    const QString png = path + u".png"_s;
    if (!ChartRenderer::exportImage(&plot, png, 1200, 700, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    const qint64 totalMs = t.elapsed();
    const qint64 cpu = cpuMs() - cpu0;
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const qint64 peakKiB = statusKiB("VmHWM");
    // Storing the set in the results library (what the Results dock does after an import), outside the budget above.
    QElapsedTimer lt;
    lt.start();
    qint64 libraryMs = -1;
    {
        const QString db = path + u".sqlite"_s;
        QFile::remove(db);
        ResultsLibrary library(db);
        if (library.isOpen() && library.add(r.set))
            libraryMs = lt.elapsed();
    }
    QJsonObject o{{u"experiments"_s, static_cast<qint64>(r.set.experiments.size())},
                  {u"points"_s, r.set.pointCount()},
                  {u"rows"_s, static_cast<qint64>(chart.throughput.rows.size())},
                  {u"import_ms"_s, importMs},
                  {u"group_ms"_s, groupMs},
                  {u"render_ms"_s, totalMs - importMs - groupMs},
                  {u"total_ms"_s, totalMs},
                  {u"cpu_ms"_s, cpu},
                  {u"base_rss_kib"_s, baseKiB},
                  {u"peak_rss_kib"_s, peakKiB},
                  {u"library_ms"_s, libraryMs},
                  {u"maxrss_kib"_s, static_cast<qint64>(ru.ru_maxrss)}};
    std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    return 0;
}

int benchmark(const QList<int>& sizes, const QString& keepDir)
{
    QTemporaryDir tmp;
    const QString dir = keepDir.isEmpty() ? tmp.path() : keepDir;
    QDir().mkpath(dir);
    struct Row
    {
        int experiments;
        double mb;
        QJsonObject m;
    };
    QList<Row> rows;
    for (const int n : sizes) {
        const QString path = QDir(dir).filePath(u"bench-%1_results.json"_s.arg(n));
        if (!QFile::exists(path) && !generate(path, n)) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
            return 2;
        }
        const double mb = static_cast<double>(QFileInfo(path).size()) / 1e6;
        // Best of three fresh processes (the first also warms the page cache).
        QJsonObject best;
        for (int run = 0; run < 3; ++run) {
            QProcess child;
            child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            child.start(QCoreApplication::applicationFilePath(), {u"--run"_s, path});
            if (!child.waitForFinished(600000) || child.exitCode() != 0) {
                std::fprintf(stderr, "measurement of %d experiments failed\n", n);
                return 2;
            }
            const QJsonObject m = QJsonDocument::fromJson(child.readAllStandardOutput().trimmed()).object();
            if (best.isEmpty() || m.value(u"total_ms"_s).toInteger() < best.value(u"total_ms"_s).toInteger())
                best = m;
        }
        rows << Row{n, mb, best};
    }
    std::printf("%12s %9s %10s %9s %10s %10s %8s %14s %14s %11s\n",
                "experiments",
                "file MB",
                "import ms",
                "group ms",
                "render ms",
                "total ms",
                "CPU ms",
                "peak RSS MB",
                "base RSS MB",
                "library ms");
    for (const Row& r : std::as_const(rows)) {
        std::printf("%12d %9.1f %10lld %9lld %10lld %10lld %8lld %14.1f %14.1f %11lld\n",
                    r.experiments,
                    r.mb,
                    r.m.value(u"import_ms"_s).toInteger(),
                    r.m.value(u"group_ms"_s).toInteger(),
                    r.m.value(u"render_ms"_s).toInteger(),
                    r.m.value(u"total_ms"_s).toInteger(),
                    r.m.value(u"cpu_ms"_s).toInteger(),
                    static_cast<double>(r.m.value(u"peak_rss_kib"_s).toInteger()) / 1024.0,
                    static_cast<double>(r.m.value(u"base_rss_kib"_s).toInteger()) / 1024.0,
                    r.m.value(u"library_ms"_s).toInteger());
    }
    int status = 0;
    for (const Row& r : std::as_const(rows)) {
        if (r.experiments != 10000)
            continue;
        const qint64 ms = r.m.value(u"total_ms"_s).toInteger();
        const double mb = static_cast<double>(r.m.value(u"peak_rss_kib"_s).toInteger()) / 1024.0;
        const bool ok = ms <= 1500 && mb <= 400;
        std::printf(
            "budget at 10,000 experiments (1.5 s, 400 MB): %lld ms, %.0f MB — %s\n", ms, mb, ok ? "within" : "OVER");
        status = ok ? status : 1;
    }
    // Growth: time and memory above the process's baseline, per experiment, should not rise with size.
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const Row& a = rows.at(i - 1);
        const Row& b = rows.at(i);
        const double k = static_cast<double>(b.experiments) / a.experiments;
        // CPU time: wall-clock time on a shared machine mostly measures the neighbours.
        const double tk = static_cast<double>(b.m.value(u"cpu_ms"_s).toInteger()) /
                          std::max<qint64>(a.m.value(u"cpu_ms"_s).toInteger(), 1);
        const auto above = [](const Row& r) {
            return static_cast<double>(r.m.value(u"peak_rss_kib"_s).toInteger() -
                                       r.m.value(u"base_rss_kib"_s).toInteger());
        };
        const double mk = above(b) / std::max(above(a), 1.0);
        std::printf("%d → %d experiments (×%.0f): CPU time ×%.2f, memory above baseline ×%.2f — %s\n",
                    a.experiments,
                    b.experiments,
                    k,
                    tk,
                    mk,
                    tk <= k * 1.15 && mk <= k * 1.15 ? "linear or better" : "SUPERLINEAR");
    }
    return status;
}

int screenshots(const QString& dir, const QStringList& inputs)
{
    QList<ResultSet> sets;
    for (const QString& path : inputs) {
        const ImportResult r = ResultsImporter::importPath(path);
        if (!r.ok) {
            std::fprintf(stderr, "%s\n", qPrintable(r.error));
            return 1;
        }
        sets << r.set;
    }
    QDir().mkpath(dir);
    const QList<ConfigGroup> groups = groupByQuantConfig(sets);
    QCustomPlot plot;
    QString error;
    for (const ChartKind k : {ChartKind::Throughput, ChartKind::Memory, ChartKind::Pareto}) {
        ChartRenderer::render(&plot, k, sets, groups, ChartOptions{}, QString(), u"preset:default"_s);
        const QString path = QDir(dir).filePath(u"chart-%1.png"_s.arg(chartKindKey(k)));
        if (!ChartRenderer::exportImage(&plot, path, 1200, 700, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        std::printf("%s\n", qPrintable(path));
    }
    ChartPane pane;
    pane.resize(1280, 820);
    pane.setResults(sets);
    pane.show();
    for (const ChartKind k : {ChartKind::Throughput, ChartKind::Memory, ChartKind::Pareto}) {
        pane.setChartKind(k);
        QCoreApplication::processEvents();
        pane.plot()->replot(QCustomPlot::rpImmediateRefresh);
        const QString path = QDir(dir).filePath(u"pane-%1.png"_s.arg(chartKindKey(k)));
        pane.grab().save(path);
        std::printf("%s\n", qPrintable(path));
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.size() == 2 && args.at(0) == u"--run")
        return runOne(args.at(1));
    if (!args.isEmpty() && args.at(0) == u"--screenshots") {
        if (args.size() < 3) {
            std::fprintf(stderr, "usage: bench_results --screenshots DIR RESULTS…\n");
            return 2;
        }
        return screenshots(args.at(1), args.mid(2));
    }
    QList<int> sizes{1000, 10000, 50000};
    QString dir;
    for (qsizetype i = 0; i + 1 < args.size(); i += 2) {
        if (args.at(i) == u"--sizes") {
            sizes.clear();
            for (const QString& s : args.at(i + 1).split(u','))
                sizes << s.toInt();
        } else if (args.at(i) == u"--dir") {
            dir = args.at(i + 1);
        }
    }
    return benchmark(sizes, dir);
}

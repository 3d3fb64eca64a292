// Results import (issue #8): every format into one model, unit normalisation, quant configs, bad values, the series
// behind the charts, CSV, the results library and the asynchronous importer. Expected numbers are the fixture's
// (tests/data/results/make_fixtures.py) and arithmetic on them.

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "core/engines/Mapper.h"
#include "core/hardware/GpuInfo.h"
#include "core/model/ModelInfo.h"
#include "core/quant/Presets.h"
#include "core/results/AsyncResultsImporter.h"
#include "core/results/JsonStream.h"
#include "core/results/KvCapacityParser.h"
#include "core/results/QuantResolver.h"
#include "core/results/ResultSeries.h"
#include "core/results/ResultsCsv.h"
#include "core/results/ResultsImporter.h"
#include "core/results/ResultsLibrary.h"
#include "core/store/JobStore.h"
#include "tests/TestConfig.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;

namespace
{

QString dataDir()
{
    const QString fromEnv = qEnvironmentVariable("QUANTDESK_TEST_DATA");
    return QDir(fromEnv.isEmpty() ? QString::fromUtf8(QUANTDESK_TEST_DATA_DIR) : fromEnv).filePath(u"results"_s);
}

QString fixture(const QString& rel)
{
    return QDir(dataDir()).filePath(rel);
}

ResultSet importOk(const QString& rel, const ImportOptions& options = {})
{
    const ImportResult r = ResultsImporter::importPath(fixture(rel), options);
    if (!r.ok)
        qWarning("%s", qPrintable(r.error));
    return r.set;
}

const Experiment* byId(const ResultSet& s, const QString& id)
{
    for (const Experiment& e : s.experiments) {
        if (e.id == id)
            return &e;
    }
    return nullptr;
}

const LoadPoint* atConcurrency(const Experiment& e, int c)
{
    for (const LoadPoint& p : e.points) {
        if (p.concurrency == c)
            return &p;
    }
    return nullptr;
}

bool near(double a, double b, double eps = 1e-9)
{
    return std::abs(a - b) <= eps * std::max({1.0, std::abs(a), std::abs(b)});
}

bool anyWarning(const ResultSet& s, const QString& part)
{
    for (const QString& w : s.warnings) {
        if (w.contains(part))
            return true;
    }
    return false;
}

// The fixture's numbers (make_fixtures.py): output tok/s per preset at concurrency 1, 4, 16, 64.
const QStringList kPresets{u"default"_s, u"kv-cache-fp8"_s, u"dynamic-fp8"_s, u"bf16-stable"_s, u"aggressive-moe"_s};
const QList<QList<double>> kOut{{100, 380, 1400, 4000},
                                {102, 390, 1500, 5200},
                                {130, 500, 1900, 5520},
                                {101, 385, 1450, 5000},
                                {90, 340, 1300, 4200}};
const QList<QList<double>> kTtftP50S{{0.020, 0.030, 0.060, 0.160},
                                     {0.020, 0.029, 0.055, 0.120},
                                     {0.016, 0.024, 0.045, 0.100},
                                     {0.021, 0.030, 0.057, 0.130},
                                     {0.024, 0.034, 0.066, 0.170}};
const QList<double> kTpotS{0.0100, 0.0098, 0.0076, 0.0099, 0.0110};
const QList<double> kPeakMiB{73500, 73600, 73400, 73550, 73300};
const QList<qint64> kKvTokens{450560, 901120, 901120, 901120, 921600};
const QList<double> kKvPoolGiB{55.00, 55.00, 58.30, 55.00, 56.25};
const QList<int> kConc{1, 4, 16, 64};

// The flags a preset maps to on an engine, as QuantDesk's export pins them: parameter name (no dashes) → value.
QList<QPair<QString, QString>> pinnedFlags(const QString& engine, const QuantConfig& config)
{
    QString error;
    const auto cmd = buildEngineCommand(engine, QString(), config, ModelInfo{}, std::nullopt, {}, &error);
    QList<QPair<QString, QString>> out;
    for (const CommandFlag& f : cmd->flags)
        out << qMakePair(f.flag.mid(2), f.value.value_or(u"true"_s));
    out << qMakePair(u"tensor-parallel-size"_s, u"1"_s);
    return out;
}

// Splits one CSV record (RFC 4180 quoting).
QStringList splitCsv(const QString& line)
{
    QStringList out;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < line.size() && line.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            out << field;
            field.clear();
        } else {
            field += c;
        }
    }
    out << field;
    return out;
}

QByteArray generatedResults(int experiments)
{
    // A results file like the fixture's, big enough to report progress several times.
    QFile f(fixture(u"autotuner/llama-quant-sweep_results.json"_s));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray all = f.readAll();
    const qsizetype start = all.indexOf("\"all_results\": [") + 16;
    const qsizetype end = all.indexOf("\"container_logs\"", start);
    // The first experiment's text up to its container logs, closed: valid JSON for one experiment.
    QByteArray one = all.mid(start, end - start).trimmed();
    if (one.endsWith(','))
        one.chop(1);
    one += "}";
    QByteArray out = "{\"task_name\": \"generated\", \"all_results\": [";
    for (int i = 0; i < experiments; ++i) {
        if (i)
            out += ',';
        out += one;
    }
    out += "]}";
    return out;
}

} // namespace

class TestResultsImport : public QObject
{
    Q_OBJECT

private slots:
    // --- autotuner results file -----------------------------------------------------------------------------------

    void autotunerCurrentShape()
    {
        const ResultSet s = importOk(u"autotuner/llama-quant-sweep_results.json"_s);
        QCOMPARE(s.format, ResultFormat::AutotunerResults);
        QCOMPARE(s.name, u"llama-quant-sweep"_s);
        QCOMPARE(s.tool, u"inference-autotuner"_s);
        QCOMPARE(s.experiments.size(), 6);
        QCOMPARE(s.warningCount, 0);
        for (int i = 0; i < kPresets.size(); ++i) {
            const Experiment* e = byId(s, QString::number(i + 1));
            QVERIFY(e);
            QCOMPARE(e->status, RunStatus::Success);
            QCOMPARE(e->preset, kPresets.at(i));
            QVERIFY(e->quantKnown);
            QCOMPARE(e->quant, findBuiltInPreset(kPresets.at(i))->config);
            QCOMPARE(e->quantSource, u"__quant__preset parameter"_s);
            QCOMPARE(e->engine, u"vllm"_s); // from the container logs
            QCOMPARE(e->gpuCount, 1);
            QCOMPARE(e->points.size(), 4);
            for (int k = 0; k < 4; ++k) {
                const LoadPoint& p = e->points.at(k);
                QCOMPARE(p.concurrency, kConc.at(k));
                QCOMPARE(p.outputTokS, kOut.at(i).at(k));
                QCOMPARE(p.totalTokS, 2 * kOut.at(i).at(k));          // input = output in D(100,100)
                QCOMPARE(p.perGpuOutputTokS, kOut.at(i).at(k) / 1);   // one GPU
                QVERIFY(near(p.requestsS, kOut.at(i).at(k) / 100.0)); // 100 output tokens per request
                // Seconds → milliseconds.
                QVERIFY(near(p.ttft.p50, kTtftP50S.at(i).at(k) * 1000));
                QVERIFY(near(p.ttft.p90, kTtftP50S.at(i).at(k) * 1.5 * 1000, 1e-6));
                QVERIFY(near(p.ttft.p99, kTtftP50S.at(i).at(k) * 2 * 1000, 1e-6));
                QVERIFY(near(p.ttft.mean, kTtftP50S.at(i).at(k) * 1.1 * 1000, 1e-6));
                QVERIFY(near(p.tpot.p50, kTpotS.at(i) * 1000));
                QVERIFY(near(p.e2e.p50, (kTtftP50S.at(i).at(k) + 99 * kTpotS.at(i)) * 1000, 1e-6));
                QVERIFY(!hasValue(p.itl.p50)); // genai-bench has no ITL
                QCOMPARE(p.errorRate, 0.0);
            }
            // gpu_monitoring: MiB → GiB; the GPU size from the usage percent (rounded to 0.1 % by the monitor).
            QCOMPARE(e->memorySource, u"gpu_monitoring"_s);
            QVERIFY(near(e->peakMemoryGiB, kPeakMiB.at(i) / 1024.0));
            QVERIFY(near(e->meanMemoryGiB, (kPeakMiB.at(i) - 100) / 1024.0));
            const double pct = std::round(kPeakMiB.at(i) / 81559.0 * 1000) / 10;
            QVERIFY(near(e->gpuMemoryTotalGiB, kPeakMiB.at(i) / (pct / 100) / 1024.0));
            // The KV capacity from the vLLM start-up lines in container_logs.
            QCOMPARE(e->kvCapacityTokens, kKvTokens.at(i));
            QCOMPARE(e->kvPoolGiB, kKvPoolGiB.at(i));
            QCOMPARE(e->kvSource, u"vLLM log"_s);
        }
        // Experiment 6: explicit __quant__ fields that no preset has; failed at start-up.
        const Experiment* failed = byId(s, u"6"_s);
        QVERIFY(failed);
        QCOMPARE(failed->status, RunStatus::Failed);
        QVERIFY(failed->error.contains(u"CUDA out of memory"_s));
        QVERIFY(failed->points.isEmpty());
        QVERIFY(failed->quantKnown);
        QCOMPARE(failed->quant, (QuantConfig{u"fp8"_s, u"fp8_e4m3"_s, u"auto"_s, u"auto"_s}));
        QCOMPARE(failed->preset, QString());
        QCOMPARE(failed->configLabel(), u"gemm-fp8_kv-fp8-e4m3"_s);
        QCOMPARE(failed->quantSource, u"__quant__ parameters"_s);
    }

    void autotunerOlderShape()
    {
        const ResultSet s = importOk(u"autotuner/docker-simple-tune_results.json"_s);
        QCOMPARE(s.format, ResultFormat::AutotunerResultsLegacy);
        QCOMPARE(s.name, u"docker-simple-tune"_s);
        QCOMPARE(s.experiments.size(), 2);
        const Experiment& e1 = s.experiments.at(0);
        QCOMPARE(e1.points.size(), 2);
        QCOMPARE(e1.points.at(1).concurrency, 4);
        QCOMPARE(e1.points.at(1).outputTokS, kOut.at(0).at(1));
        QVERIFY(!hasValue(e1.peakMemoryGiB)); // no gpu_monitoring in the old shape
        QCOMPARE(e1.kvCapacityTokens, -1);    // nor container_logs
        // No __quant__ keys and no quant flag among SGLang parameters: the engine ran with its defaults.
        QCOMPARE(e1.preset, u"default"_s);
        QVERIFY(e1.quantSource.startsWith(u"no quant flags in the parameters"_s));
        QVERIFY(e1.quantSource.contains(u"SGLang"_s)); // mem-fraction-static is SGLang's
        // Experiment 2 only has the experiment-wide means (seconds): one aggregate point.
        const Experiment& e2 = s.experiments.at(1);
        QCOMPARE(e2.points.size(), 1);
        const LoadPoint& a = e2.points.at(0);
        QVERIFY(a.aggregate);
        QCOMPARE(a.loadLabel(), u"all"_s);
        QCOMPARE(a.outputTokS, 250.0);
        QCOMPARE(a.totalTokS, 500.0);
        QVERIFY(near(a.e2e.mean, 1.2 * 1000));
        QVERIFY(near(a.e2e.p50, 1.1 * 1000));
        QVERIFY(near(a.e2e.p99, 1.9 * 1000));
        QVERIFY(near(a.ttft.mean, 0.05 * 1000));
        QVERIFY(near(a.tpot.mean, 0.011 * 1000));
        QVERIFY(near(a.errorRate, 1 - 0.99));
        QCOMPARE(a.requests, 300);
        QCOMPARE(a.completed, 297);
        QCOMPARE(a.errors, 3);
        QCOMPARE(e2.objectiveScore, 0.1632);
    }

    void pinnedFlagsReadBack()
    {
        // QuantDesk exports pin the preview's flags; the autotuner CLI runs them; the profile reads them back.
        const ResultSet s = importOk(u"autotuner/llama-pinned_results.json"_s);
        QCOMPARE(s.experiments.size(), 4);
        QCOMPARE(s.experiments.at(0).preset, u"kv-cache-fp8"_s);
        QCOMPARE(s.experiments.at(1).preset, u"dynamic-fp8"_s);
        QCOMPARE(s.experiments.at(2).preset, QString());
        QCOMPARE(s.experiments.at(2).quant, (QuantConfig{u"bfloat16"_s, u"fp8_e4m3"_s, u"auto"_s, u"auto"_s}));
        QCOMPARE(s.experiments.at(3).preset, u"default"_s); // "dtype": false pins the flag off
        for (int i = 0; i < 3; ++i)
            QVERIFY2(s.experiments.at(i).quantSource.startsWith(u"pinned flags (vLLM"_s),
                     qPrintable(s.experiments.at(i).quantSource));
    }

    void pinnedFlagsRoundTrip_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("expected"); // the first preset with the same flags on that engine
        for (const QString& engine : {u"vllm"_s, u"sglang"_s}) {
            for (const Preset& p : builtInPresets()) {
                // On vLLM, aggressive-moe's W4A8 MoE and FP8 attention emit nothing: its flags are bf16-stable's.
                const QString expected = engine == u"vllm" && p.name == u"aggressive-moe" ? u"bf16-stable"_s : p.name;
                QTest::addRow("%s %s", qPrintable(engine), qPrintable(p.name)) << engine << p.name << expected;
            }
        }
    }

    void pinnedFlagsRoundTrip()
    {
        QFETCH(QString, engine);
        QFETCH(QString, preset);
        QFETCH(QString, expected);
        const QuantConfig config = findBuiltInPreset(preset)->config;
        QuantResolver resolver;
        QuantContext ctx;
        ctx.engine = engine;
        ctx.flagParameters = true;
        const QuantResolution r = resolver.resolve(pinnedFlags(engine, config), ctx);
        QVERIFY(r.known);
        QCOMPARE(r.preset, expected);
        // With the task's own quant_config known, the more precise config wins when it gives the same flags.
        ctx.config = config;
        const QuantResolution withTask = resolver.resolve(pinnedFlags(engine, config), ctx);
        QCOMPARE(withTask.preset, preset);
        QCOMPARE(withTask.config, config);
        QVERIFY(withTask.note.isEmpty());
    }

    void taskConfigDisagreesWithFlags()
    {
        // The autotuner CLI ignores quant_config: a task asking for kv-cache-fp8 without pinned flags runs baseline.
        QFile f(fixture(u"autotuner/docker-simple-tune_results.json"_s));
        QVERIFY(f.open(QIODevice::ReadOnly));
        ImportOptions o;
        o.taskJson = R"({"task_name": "t", "base_runtime": "sglang", "quant_config": {"preset": "kv-cache-fp8"}})";
        const ImportResult r = ResultsImporter::importBytes(f.readAll(), u"mem"_s, o);
        QVERIFY(r.ok);
        QCOMPARE(r.set.experiments.at(0).preset, u"default"_s);
        QVERIFY(anyWarning(r.set, u"asks for gemm=auto kvcache=fp8_e5m2"_s));
    }

    void taskNameSuffixNamesThePreset()
    {
        QuantResolver resolver;
        QuantContext ctx;
        ctx.taskName = u"llama-bench-kv-cache-fp8"_s;
        const QuantResolution r = resolver.resolve({}, ctx);
        QCOMPARE(r.preset, u"kv-cache-fp8"_s);
        QCOMPARE(resolver.presetInName(u"x-default-y"_s), u"default"_s);
        QCOMPARE(resolver.presetInName(u"defaults"_s), QString());
        QCOMPARE(resolver.presetInName(u"openai_vllm_bf16-stable"_s), u"bf16-stable"_s);
    }

    void userPresetsNameConfigs()
    {
        ImportOptions o;
        Preset mine;
        mine.name = u"gemm-fp8-e4m3-kv"_s;
        mine.config = QuantConfig{u"fp8"_s, u"fp8_e4m3"_s, u"auto"_s, u"auto"_s};
        o.presets = builtInPresets();
        o.presets << mine;
        const ResultSet s = importOk(u"autotuner/llama-quant-sweep_results.json"_s, o);
        QCOMPARE(byId(s, u"6"_s)->preset, mine.name);
    }

    // --- REST and UI export ---------------------------------------------------------------------------------------

    void restExperiments()
    {
        ImportOptions o;
        o.taskJson =
            R"({"id": 7, "task_name": "quant-sweep-rest", "base_runtime": "vllm", "quant_config": {"presets": ["default", "kv-cache-fp8", "dynamic-fp8"]}})";
        const ResultSet s = importOk(u"rest/experiments_task_7.json"_s, o);
        QCOMPARE(s.format, ResultFormat::AutotunerRest);
        QCOMPARE(s.experiments.size(), 3);
        // Newest first on the wire; by experiment number here.
        QCOMPARE(s.experiments.at(0).number, 1);
        QCOMPARE(s.experiments.at(2).number, 3);
        QCOMPARE(s.experiments.at(0).preset, u"default"_s);
        QCOMPARE(s.experiments.at(1).preset, u"kv-cache-fp8"_s);
        QCOMPARE(s.experiments.at(2).status, RunStatus::Incomplete);
        QCOMPARE(s.experiments.at(2).preset, u"dynamic-fp8"_s);
        QVERIFY(s.experiments.at(2).points.isEmpty());
        QCOMPARE(s.experiments.at(0).engine, u"vllm"_s); // from the task's base_runtime
        QCOMPARE(s.experiments.at(1).points.at(3).outputTokS, kOut.at(1).at(3));
        QCOMPARE(s.experiments.at(1).elapsedS, 259.0);
    }

    void uiExport()
    {
        const ResultSet s = importOk(u"ui-export/quant-ui_results.json"_s);
        QCOMPARE(s.format, ResultFormat::AutotunerUiExport);
        QCOMPARE(s.name, u"quant-ui"_s);
        QCOMPARE(s.experiments.size(), 3);
        QCOMPARE(s.experiments.at(0).preset, u"default"_s);
        QCOMPARE(s.experiments.at(1).preset, u"kv-cache-fp8"_s);
        // gemm fp8 + kv fp8_e5m2 is not dynamic-fp8 (which also sets attention and moe).
        QCOMPARE(s.experiments.at(2).preset, QString());
        QCOMPARE(s.experiments.at(2).configLabel(), u"gemm-fp8_kv-fp8-e5m2"_s);
        QCOMPARE(s.experiments.at(2).points.at(2).outputTokS, kOut.at(2).at(2));
    }

    // --- genai-bench and vllm bench serve -------------------------------------------------------------------------

    void genaiBenchFolder()
    {
        const ResultSet s = importOk(u"genai-bench/openai_vllm_kv-cache-fp8_llama-3.1-8b"_s);
        QCOMPARE(s.format, ResultFormat::GenaiBenchFolder);
        QCOMPARE(s.tool, u"genai-bench"_s);
        QCOMPARE(s.experiments.size(), 1);
        const Experiment& e = s.experiments.at(0);
        QCOMPARE(e.engine, u"vllm"_s);
        QCOMPARE(e.engineVersion, u"0.11.0"_s);
        QCOMPARE(e.gpuName, u"H100"_s);
        QCOMPARE(e.gpuCount, 1);
        QCOMPARE(e.model, u"meta-llama/Llama-3.1-8B-Instruct"_s);
        QCOMPARE(e.preset, u"kv-cache-fp8"_s); // from the folder name
        QCOMPARE(e.points.size(), 3);
        // Concurrency 4 was written with _time_unit "ms", the others in seconds: all end up in ms.
        for (int k = 0; k < 3; ++k) {
            const LoadPoint* p = atConcurrency(e, kConc.at(k));
            QVERIFY(p);
            QCOMPARE(p->scenario, u"D(100,100)"_s);
            QCOMPARE(p->outputTokS, kOut.at(1).at(k));
            QVERIFY(near(p->ttft.p50, kTtftP50S.at(1).at(k) * 1000, 1e-6));
            QVERIFY(near(p->tpot.p50, kTpotS.at(1) * 1000, 1e-6));
            QVERIFY(near(p->e2e.p50, (kTtftP50S.at(1).at(k) + 99 * kTpotS.at(1)) * 1000, 1e-6));
        }
    }

    void genaiBenchRunFile()
    {
        const ResultSet s = importOk(
            u"genai-bench/openai_vllm_kv-cache-fp8_llama-3.1-8b/D100_100_text-to-text_num_concurrency_4_time_9s.json"_s);
        QCOMPARE(s.format, ResultFormat::GenaiBenchRun);
        QCOMPARE(s.experiments.size(), 1);
        const LoadPoint& p = s.experiments.at(0).points.at(0);
        QCOMPARE(p.concurrency, 4);
        QVERIFY(near(p.ttft.p50, kTtftP50S.at(1).at(1) * 1000, 1e-6)); // already ms in this file
        QCOMPARE(s.experiments.at(0).preset, u"kv-cache-fp8"_s);       // the folder's metadata and name
    }

    void vllmBenchServe()
    {
        const ResultSet s = importOk(u"vllm-bench/vllm-c16-dynamic.json"_s);
        QCOMPARE(s.format, ResultFormat::VllmBenchServe);
        QCOMPARE(s.tool, u"vllm bench serve"_s);
        const Experiment& e = s.experiments.at(0);
        QCOMPARE(e.preset, u"dynamic-fp8"_s); // --metadata gemm_dtype=fp8 kvcache_dtype=fp8_e5m2 …
        QCOMPARE(e.quantSource, u"result metadata"_s);
        QCOMPARE(e.model, u"meta-llama/Llama-3.1-8B-Instruct"_s);
        const LoadPoint& p = e.points.at(0);
        QCOMPARE(p.concurrency, 16);
        QVERIFY(std::isinf(p.requestRate)); // "inf"
        QCOMPARE(p.outputTokS, kOut.at(2).at(2));
        QCOMPARE(p.totalTokS, 2 * kOut.at(2).at(2));
        QVERIFY(near(p.requestsS, kOut.at(2).at(2) / 100));
        // Already milliseconds: median → p50.
        const double ttft = kTtftP50S.at(2).at(2) * 1000;
        const double tpot = kTpotS.at(2) * 1000;
        QVERIFY(near(p.ttft.p50, ttft, 1e-6));
        QVERIFY(near(p.ttft.p99, ttft * 2, 1e-6));
        QVERIFY(near(p.itl.p50, tpot, 1e-6));
        QVERIFY(near(p.e2e.p50, ttft + 99 * tpot, 1e-6));
        QVERIFY(near(p.e2e.p90, (ttft + 99 * tpot) * 1.5, 1e-6));
        QCOMPARE(p.completed, 200);
        QCOMPARE(p.errorRate, 0.0);
    }

    void vllmBenchJsonLines()
    {
        const ResultSet s = importOk(u"vllm-bench/vllm-default-append.jsonl"_s);
        QCOMPARE(s.format, ResultFormat::VllmBenchServe);
        QCOMPARE(s.experiments.size(), 2);
        QCOMPARE(s.experiments.at(0).points.at(0).concurrency, 1);
        QCOMPARE(s.experiments.at(1).points.at(0).concurrency, 4);
        QCOMPARE(s.experiments.at(1).points.at(0).requestRate, 8.0);
        QCOMPARE(s.experiments.at(1).preset, u"default"_s);
    }

    // --metadata tensor_parallel_size=2 (a number or, as vllm bench writes --metadata values, a string) becomes the
    // experiment's tensor-parallel-size parameter, which the memory prediction reads.
    void benchMetadataTensorParallel()
    {
        const QByteArray base =
            R"({"backend": "vllm", "max_concurrency": 8, "completed": 10, "output_throughput": 100.0,
            "request_throughput": 1.0, "median_ttft_ms": 50.0, "quant_preset": "default")";
        for (const QByteArray& tp :
             {QByteArray(R"(, "tensor_parallel_size": 2})"), QByteArray(R"(, "tensor_parallel_size": "2"})")}) {
            const ImportResult r = ResultsImporter::importBytes(base + tp, u"run.json"_s);
            QVERIFY2(r.ok, qPrintable(r.error));
            QCOMPARE(r.set.experiments.size(), 1);
            QCOMPARE(r.set.experiments.at(0).parameter(u"tensor-parallel-size"_s), u"2"_s);
        }
        const ImportResult none = ResultsImporter::importBytes(base + "}", u"run.json"_s);
        QVERIFY2(none.ok, qPrintable(none.error));
        QVERIFY(none.set.experiments.at(0).parameter(u"tensor-parallel-size"_s).isEmpty());
    }

    void unitsNormalised()
    {
        // One latency, four spellings: genai-bench s, genai-bench ms, the autotuner's s, vllm bench ms.
        const QByteArray genaiS =
            R"({"aggregated_metrics": {"num_concurrency": 2, "stats": {"ttft": {"p50": 0.25}}}, "_time_unit": "s"})";
        const QByteArray genaiMs =
            R"({"aggregated_metrics": {"num_concurrency": 2, "stats": {"ttft": {"p50": 250}}}, "_time_unit": "ms"})";
        const QByteArray autotuner =
            R"({"task_name": "t", "all_results": [{"experiment_id": 1, "status": "success", "metrics": {"raw_results": [{"num_concurrency": 2, "stats": {"ttft": {"p50": 0.25}}}]}}]})";
        const QByteArray vllm =
            R"({"max_concurrency": 2, "output_throughput": 1.0, "completed": 1, "median_ttft_ms": 250})";
        for (const QByteArray& doc : {genaiS, genaiMs, autotuner, vllm}) {
            const ImportResult r = ResultsImporter::importBytes(doc, u"doc"_s);
            QVERIFY2(r.ok, qPrintable(r.error));
            QCOMPARE(r.set.experiments.at(0).points.at(0).ttft.p50, 250.0);
        }
    }

    // --- KV capacity from engine logs -----------------------------------------------------------------------------

    void kvCapacityFromLogs()
    {
        const auto read = [](const QString& rel) {
            QFile f(fixture(rel));
            return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
        };
        const KvCapacity vllm = KvCapacityParser::parse(read(u"logs/vllm-startup.log"_s));
        QCOMPARE(vllm.tokens, 901120); // "901,120 tokens"
        QCOMPARE(vllm.poolGiB, 55.0);
        QCOMPARE(vllm.engine, u"vllm"_s);
        // Two data-parallel engine cores: their capacities add up; the pool is per GPU.
        const KvCapacity dp2 = KvCapacityParser::parse(read(u"logs/vllm-dp2.log"_s));
        QCOMPARE(dp2.tokens, 2 * 249856);
        QCOMPARE(dp2.poolGiB, 30.5);
        QCOMPARE(dp2.lines, 2);
        const KvCapacity sglang = KvCapacityParser::parse(read(u"logs/sglang-startup.log"_s));
        QCOMPARE(sglang.tokens, 871254);
        QCOMPARE(sglang.engine, u"sglang"_s);
        QVERIFY(near(sglang.poolGiB, 26.59 + 26.59));
        QCOMPARE(sglang.lines, 1); // the later leak warning ("available_size=…, max_total_num_tokens=…") is not one
        // MLA pools print one size.
        QVERIFY(
            near(KvCapacityParser::parse(u"[TP0] KV Cache is allocated. #tokens: 383872, KV size: 19.36 GB"_s).poolGiB,
                 19.36));
        QVERIFY(!KvCapacityParser::parse(u"nothing here\nGPU KV cache size: many tokens\n"_s).isValid());
        // A task log: container logs copied in between experiment banners.
        const QHash<int, KvCapacity> per = KvCapacityParser::perExperiment(read(u"logs/task-log.txt"_s));
        QCOMPARE(per.value(1).tokens, kKvTokens.at(0));
        QCOMPARE(per.value(2).tokens, kKvTokens.at(1));
        QVERIFY(!per.contains(3));
    }

    // --- bad input ------------------------------------------------------------------------------------------------

    void nanNegativeAndHugeValues()
    {
        const ImportResult r = ResultsImporter::importPath(fixture(u"bad/nan-values_results.json"_s));
        QVERIFY2(r.ok, qPrintable(r.error)); // Python's NaN / Infinity literals parse
        const Experiment& e = r.set.experiments.at(0);
        QVERIFY(!hasValue(e.points.at(0).outputTokS));                   // NaN
        QVERIFY(!hasValue(e.points.at(0).ttft.p99));                     // Infinity
        QCOMPARE(e.points.at(0).ttft.p50, kTtftP50S.at(0).at(0) * 1000); // its neighbours survive
        QVERIFY(!hasValue(e.points.at(1).outputTokS));                   // -5
        QVERIFY(!hasValue(e.points.at(1).e2e.p50));                      // 1e308 s
        QVERIFY(!hasValue(e.points.at(2).requestsS));                    // 1e308 req/s
        // error_rate -0.5 is refused; the rate then comes from the counts (0 of the run's requests failed).
        QCOMPARE(e.points.at(3).errorRate, 0.0);
        QVERIFY(!hasValue(e.peakMemoryGiB)); // -Infinity MiB
        QCOMPARE(e.points.at(3).outputTokS, kOut.at(0).at(3));
        QCOMPARE(r.set.warningCount, 8);
        QVERIFY(anyWarning(r.set, u"all_results[0].metrics.raw_results[0].mean_output_throughput_tokens_per_s: NaN"_s));
        QVERIFY(anyWarning(r.set, u"raw_results[0].stats.ttft.p99: infinite"_s));
        QVERIFY(anyWarning(r.set, u"raw_results[1].mean_output_throughput_tokens_per_s: negative (-5)"_s));
        QVERIFY(anyWarning(r.set, u"raw_results[1].stats.e2e_latency.p50: implausibly large (1e+308)"_s));
        QVERIFY(anyWarning(r.set, u"3 NaN/Infinity literal(s)"_s));
    }

    void missingKeys()
    {
        const ImportResult r = ResultsImporter::importPath(fixture(u"bad/missing-keys_results.json"_s));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.set.experiments.size(), 2);
        const Experiment& e = r.set.experiments.at(0);
        QCOMPARE(e.points.size(), 4);
        QVERIFY(e.points.at(0).ttft.isEmpty()); // no stats
        QVERIFY(!hasValue(e.points.at(0).requestsS));
        QVERIFY(!hasValue(e.points.at(2).outputTokS));
        QCOMPARE(e.points.at(2).totalTokS, 2 * kOut.at(1).at(2));
        QVERIFY(!hasValue(e.objectiveScore));
        QCOMPARE(e.gpuCount, 0);
        // {"parameters": {}}: no id, status or metrics. Numbered by position, failed, no config claimed.
        const Experiment& bare = r.set.experiments.at(1);
        QCOMPARE(bare.status, RunStatus::Failed);
        QVERIFY(!bare.quantKnown);
        QVERIFY(bare.id != e.id);
    }

    void wrongTypes()
    {
        const ImportResult r = ResultsImporter::importPath(fixture(u"bad/wrong-types_results.json"_s));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.set.experiments.size(), 3);
        QVERIFY(anyWarning(r.set, u"all_results[0].experiment_id: expected a number, found string"_s));
        QVERIFY(anyWarning(r.set, u"all_results[0].parameters: expected an object, found array"_s));
        QVERIFY(anyWarning(r.set, u"mean_output_throughput_tokens_per_s: expected a number, found string"_s));
        QVERIFY(anyWarning(r.set, u"raw_results[0].stats.ttft: expected an object, found array"_s));
        QVERIFY(anyWarning(r.set, u"raw_results[1].stats: expected an object, found string"_s));
        QVERIFY(anyWarning(r.set, u"all_results[1]: expected an experiment object, found number"_s));
        QCOMPARE(r.set.experiments.at(1).status, RunStatus::Failed);
        // The numbers with the right types are kept.
        const LoadPoint* p64 = atConcurrency(r.set.experiments.at(0), 64);
        QVERIFY(p64);
        QCOMPARE(p64->outputTokS, kOut.at(2).at(3));
    }

    void unreadableFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::addRow("truncated") << u"bad/truncated_results.json"_s << u"unterminated string"_s;
        QTest::addRow("unknown shape") << u"bad/not-results.json"_s << u"not a results format"_s;
        QTest::addRow("empty") << u"bad/empty.json"_s << u"empty"_s;
        QTest::addRow("not json") << u"bad/not-json.txt"_s << u"not a JSON results file"_s;
        QTest::addRow("missing") << u"bad/no-such-file.json"_s << u"no such file"_s;
    }

    void unreadableFiles()
    {
        QFETCH(QString, file);
        QFETCH(QString, message);
        const ImportResult r = ResultsImporter::importPath(fixture(file));
        QVERIFY(!r.ok);
        QVERIFY(!r.cancelled);
        QVERIFY2(r.error.contains(message), qPrintable(r.error));
    }

    void foldersOfResultFiles()
    {
        // A folder that is not a genai-bench experiment: every results file in it, as one set.
        const ResultSet vllm = importOk(u"vllm-bench"_s);
        QCOMPARE(vllm.format, ResultFormat::VllmBenchServe);
        QCOMPARE(vllm.experiments.size(), 3); // one JSON file, two JSON lines
        QCOMPARE(vllm.experiments.at(0).preset, u"dynamic-fp8"_s);
        QCOMPARE(vllm.experiments.at(0).id, u"vllm-c16-dynamic"_s);
        QCOMPARE(vllm.experiments.at(2).id, u"vllm-default-append:2"_s);
        // Broken files are skipped with a warning; the readable ones are imported.
        const ImportResult bad = ResultsImporter::importPath(fixture(u"bad"_s));
        QVERIFY2(bad.ok, qPrintable(bad.error));
        QCOMPARE(bad.set.tool, u"inference-autotuner"_s);
        QVERIFY(anyWarning(bad.set, u"truncated_results.json: line"_s));
        QVERIFY(anyWarning(bad.set, u"not-results: not a results format"_s));
        QVERIFY(anyWarning(bad.set, u"nan-values_results.json: all_results[0]"_s));
        QTemporaryDir empty;
        const ImportResult none = ResultsImporter::importPath(empty.path());
        QVERIFY(!none.ok);
        QVERIFY2(none.error.contains(u"no results files"_s), qPrintable(none.error));
    }

    void presetKeyVersusPinnedFlags()
    {
        // The autotuner does not turn __quant__preset into flags; when the run pins flags of its own, they win.
        QuantResolver resolver;
        QuantContext ctx;
        ctx.engine = u"vllm"_s;
        ctx.flagParameters = true;
        const QuantResolution agree =
            resolver.resolve({{u"__quant__preset"_s, u"kv-cache-fp8"_s}, {u"kv-cache-dtype"_s, u"fp8_e5m2"_s}}, ctx);
        QCOMPARE(agree.preset, u"kv-cache-fp8"_s);
        QVERIFY(agree.note.isEmpty());
        const QuantResolution differ =
            resolver.resolve({{u"__quant__preset"_s, u"dynamic-fp8"_s}, {u"kv-cache-dtype"_s, u"fp8_e5m2"_s}}, ctx);
        QCOMPARE(differ.preset, u"kv-cache-fp8"_s);
        QVERIFY(differ.note.contains(u"__quant__preset says dynamic-fp8"_s));
        // Without quant flags, the key is all there is.
        const QuantResolution keyOnly =
            resolver.resolve({{u"__quant__preset"_s, u"dynamic-fp8"_s}, {u"tensor-parallel-size"_s, u"1"_s}}, ctx);
        QCOMPARE(keyOnly.preset, u"dynamic-fp8"_s);
    }

    void nonFiniteLiteralsOnlyOutsideStrings()
    {
        int replaced = 0;
        const QByteArray out = JsonStream::quoteNonFiniteLiterals(
            R"({"a": NaN, "b": "NaN and Infinity", "c": [-Infinity, Infinity, -1]})", &replaced);
        QCOMPARE(replaced, 3);
        QCOMPARE(out, QByteArray(R"({"a": "NaN", "b": "NaN and Infinity", "c": ["-Infinity", "Infinity", -1]})"));
    }

    // --- grouping and chart series --------------------------------------------------------------------------------

    void groupsAndThroughputSeries()
    {
        const QList<ResultSet> sets{importOk(u"autotuner/llama-quant-sweep_results.json"_s)};
        const QList<ConfigGroup> groups = groupByQuantConfig(sets);
        QCOMPARE(groups.size(), 6);
        for (int i = 0; i < kPresets.size(); ++i) {
            QCOMPARE(groups.at(i).label, kPresets.at(i)); // built-ins in their fixed order
            QCOMPARE(groups.at(i).key, u"preset:"_s + kPresets.at(i));
        }
        QCOMPARE(groups.at(5).label, u"gemm-fp8_kv-fp8-e4m3"_s);

        ChartOptions o;
        for (const ThroughputMetric m : {ThroughputMetric::Output,
                                         ThroughputMetric::Total,
                                         ThroughputMetric::PerGpu,
                                         ThroughputMetric::Requests}) {
            o.throughput = m;
            const ThroughputSeries s = throughputSeries(sets, groups, o);
            QCOMPARE(s.levels, (QStringList{u"1"_s, u"4"_s, u"16"_s, u"64"_s}));
            QCOMPARE(s.rows.size(), 5); // the failed experiment has no load points
            for (int i = 0; i < 5; ++i) {
                QCOMPARE(s.rows.at(i).label, kPresets.at(i));
                for (int k = 0; k < 4; ++k) {
                    const double out = kOut.at(i).at(k);
                    const double expected = m == ThroughputMetric::Total      ? 2 * out
                                            : m == ThroughputMetric::Requests ? out / 100
                                                                              : out;
                    QVERIFY(near(s.rows.at(i).bars.at(k).value, expected));
                    QCOMPARE(s.rows.at(i).bars.at(k).source, (PointRef{0, i, k}));
                }
            }
        }
    }

    void bestRunPerLevelAndFailedRuns()
    {
        // Two runs of one preset at the same level: the bar shows the better one. A run with most requests failed is
        // hidden unless failed runs are shown.
        const QByteArray doc = R"({"task_name": "t", "all_results": [
          {"experiment_id": 1, "parameters": {"__quant__preset": "default", "tp-size": 1}, "status": "success",
           "metrics": {"raw_results": [{"num_concurrency": 8, "mean_output_throughput_tokens_per_s": 800}]}},
          {"experiment_id": 2, "parameters": {"__quant__preset": "default", "tp-size": 2}, "status": "success",
           "metrics": {"raw_results": [{"num_concurrency": 8, "mean_output_throughput_tokens_per_s": 900}]}},
          {"experiment_id": 3, "parameters": {"__quant__preset": "kv-cache-fp8"}, "status": "success",
           "metrics": {"raw_results": [{"num_concurrency": 8, "mean_output_throughput_tokens_per_s": 50, "error_rate": 0.9}]}}]})";
        const ImportResult r = ResultsImporter::importBytes(doc, u"t"_s);
        QVERIFY(r.ok);
        const QList<ResultSet> sets{r.set};
        const QList<ConfigGroup> groups = groupByQuantConfig(sets);
        ChartOptions o;
        ThroughputSeries s = throughputSeries(sets, groups, o);
        QCOMPARE(s.rows.size(), 1);
        QCOMPARE(s.rows.at(0).bars.at(0).value, 900.0);
        QCOMPARE(s.rows.at(0).bars.at(0).runs, 2);
        QCOMPARE(s.rows.at(0).bars.at(0).source, (PointRef{0, 1, 0}));
        // Per GPU: 800 / 1 and 900 / 2 (tp-size): the best per-GPU run is the first.
        o.throughput = ThroughputMetric::PerGpu;
        s = throughputSeries(sets, groups, o);
        QCOMPARE(s.rows.at(0).bars.at(0).value, 800.0);
        o.throughput = ThroughputMetric::Output;
        o.hideFailed = false;
        s = throughputSeries(sets, groups, o);
        QCOMPARE(s.rows.size(), 2);
        QVERIFY(s.rows.at(1).bars.at(0).failed);
        QCOMPARE(s.rows.at(1).bars.at(0).value, 50.0);
        const ParetoSeries p = paretoSeries(sets, groups, o);
        QVERIFY(p.front.isEmpty()); // no latencies in this document
    }

    void memorySeriesData()
    {
        const QList<ResultSet> sets{importOk(u"autotuner/llama-quant-sweep_results.json"_s)};
        const QList<ConfigGroup> groups = groupByQuantConfig(sets);
        ChartOptions o;
        MemorySeries m = memorySeries(sets, groups, o);
        QVERIFY(m.hasMemory);
        QVERIFY(m.hasKv);
        QCOMPARE(m.bars.size(), 5); // the failed experiment is hidden
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(m.bars.at(i).label, kPresets.at(i));
            QVERIFY(near(m.bars.at(i).peakGiB, kPeakMiB.at(i) / 1024.0));
            QCOMPARE(m.bars.at(i).kvTokens, kKvTokens.at(i));
            QCOMPARE(m.bars.at(i).kvPoolGiB, kKvPoolGiB.at(i));
            QCOMPARE(m.bars.at(i).memorySource, u"gpu_monitoring"_s);
        }
        o.hideFailed = false;
        m = memorySeries(sets, groups, o);
        QCOMPARE(m.bars.size(), 6);
        QVERIFY(!hasValue(m.bars.at(5).peakGiB));
        QCOMPARE(m.bars.at(5).kvTokens, -1);
    }

    // Issue 9: the predicted series beside the measured one. Expected values worked out by hand from Llama-3-8B's
    // published shape (32 layers, hidden 4096, 8 KV heads of 128, MLP 14336, vocab 128256, untied embeddings):
    // 8,030,261,248 parameters; BF16 weights 14.9575 GiB; with FP8 linear layers (embeddings, lm_head and norms stay
    // BF16) 8.4575 GiB. vLLM on an H100 of 81559 MiB: pool = 0.9 x G - W - 2 GiB = 54.7252 GiB (BF16 weights) or
    // 61.2252 GiB (FP8); KV per token 128 KiB in BF16, 64 KiB in FP8: 448,308 / 896,617 / 1,003,113 tokens.
    void predictedMemorySeries()
    {
        const QList<ResultSet> sets{importOk(u"autotuner/llama-quant-sweep_results.json"_s)};
        const QList<ConfigGroup> groups = groupByQuantConfig(sets);
        ChartOptions o;
        MemoryPredictionInput in;
        in.model = inspectModel(QDir(dataDir()).filePath(u"../models/llama3-8b"_s));
        QVERIFY(in.model.config);
        in.engine = u"vllm"_s;
        QString error;
        const QList<GpuInfo> gpus =
            parseNvidiaSmiFile(QDir(dataDir()).filePath(u"../nvidia-smi-h100/query-gpu.csv"_s), &error);
        QVERIFY2(!gpus.isEmpty(), qPrintable(error));
        in.gpu = gpus.first();

        MemorySeries m = memorySeries(sets, groups, o);
        addMemoryPrediction(m, sets, groups, o, in);
        QVERIFY(m.hasPrediction);
        QVERIFY(m.hasPredictedKv);
        QCOMPARE(m.bars.size(), 5);
        const auto bar = [&](const QString& label) -> const MemoryBar& {
            for (const MemoryBar& b : std::as_const(m.bars)) {
                if (b.label == label)
                    return b;
            }
            qFatal("no bar %s", qPrintable(label));
        };
        const auto within = [](double got, double want, double rel) { return std::abs(got - want) <= want * rel; };
        const MemoryBar& def = bar(u"default"_s);
        const MemoryBar& kv8 = bar(u"kv-cache-fp8"_s);
        const MemoryBar& fp8 = bar(u"dynamic-fp8"_s);
        QVERIFY2(within(def.predictedWeightsGiB, 14.9575, 0.001), qPrintable(numberText(def.predictedWeightsGiB)));
        QVERIFY2(within(fp8.predictedWeightsGiB, 8.4575, 0.001), qPrintable(numberText(fp8.predictedWeightsGiB)));
        QCOMPARE(kv8.predictedWeightsGiB, def.predictedWeightsGiB); // the KV dtype does not change the weights
        QVERIFY2(within(def.predictedKvPoolGiB, 54.7252, 0.001), qPrintable(numberText(def.predictedKvPoolGiB)));
        QCOMPARE(def.predictedReserveGiB, 2.0); // vLLM: CUDA context plus the profiling run's activations
        QVERIFY2(within(static_cast<double>(def.predictedKvTokens), 448308, 0.001),
                 qPrintable(QString::number(def.predictedKvTokens)));
        QVERIFY2(within(static_cast<double>(kv8.predictedKvTokens), 896617, 0.001),
                 qPrintable(QString::number(kv8.predictedKvTokens)));
        QVERIFY2(within(static_cast<double>(fp8.predictedKvTokens), 1003113, 0.001),
                 qPrintable(QString::number(fp8.predictedKvTokens)));
        QCOMPARE(def.predictedEngine, u"vllm"_s);
        QCOMPARE(def.predictedTensorParallel, 1); // tensor-parallel-size 1 in the experiments' parameters
        QVERIFY2(def.predictedNote.contains(u"H100"_s), qPrintable(def.predictedNote));
        QVERIFY2(def.predictedNote.contains(u"gpu-memory-utilization 0.9"_s), qPrintable(def.predictedNote));
        // The measured values are untouched.
        QVERIFY(near(def.peakGiB, kPeakMiB.at(0) / 1024.0));
        QCOMPARE(def.kvTokens, kKvTokens.at(0));

        // A memory fraction in the parameters is used; the experiments' own parameters win over the input's.
        MemoryPredictionInput half = in;
        half.parameters = {{u"gpu-memory-utilization"_s, u"0.5"_s}, {u"tensor-parallel-size"_s, u"4"_s}};
        MemorySeries h = memorySeries(sets, groups, o);
        addMemoryPrediction(h, sets, groups, o, half);
        QCOMPARE(h.bars.at(0).predictedTensorParallel, 1);
        QVERIFY(h.bars.at(0).predictedKvTokens < def.predictedKvTokens / 2);

        // Without a target GPU, the GPU size the results recorded (gpu_monitoring: max MiB / max %) is used.
        MemoryPredictionInput noGpu = in;
        noGpu.gpu.reset();
        MemorySeries r = memorySeries(sets, groups, o);
        addMemoryPrediction(r, sets, groups, o, noGpu);
        QVERIFY(r.hasPredictedKv);
        QVERIFY(within(static_cast<double>(r.bars.at(0).predictedKvTokens), 448308, 0.01));
        QVERIFY2(r.bars.at(0).predictedNote.contains(u"H100"_s), qPrintable(r.bars.at(0).predictedNote));

        // With neither, only the weights are predicted.
        QList<ResultSet> noSize = sets;
        for (Experiment& e : noSize.first().experiments)
            e.gpuMemoryTotalGiB = kNoValue;
        MemorySeries w = memorySeries(noSize, groups, o);
        addMemoryPrediction(w, noSize, groups, o, noGpu);
        QVERIFY(w.hasPrediction);
        QVERIFY(!w.hasPredictedKv);
        QCOMPARE(w.bars.at(0).predictedKvTokens, -1);
        QVERIFY(!hasValue(w.bars.at(0).predictedKvPoolGiB));
        QVERIFY2(w.bars.at(0).predictedNote.contains(u"no GPU memory known"_s), qPrintable(w.bars.at(0).predictedNote));

        // Without an architecture nothing is predicted, and the series says why.
        MemoryPredictionInput byName;
        byName.model = inspectModel(u"meta-llama/Meta-Llama-3-8B"_s);
        MemorySeries n = memorySeries(sets, groups, o);
        addMemoryPrediction(n, sets, groups, o, byName);
        QVERIFY(!n.hasPrediction);
        QVERIFY2(n.predictionProblem.contains(u"Meta-Llama-3-8B"_s), qPrintable(n.predictionProblem));
        QVERIFY(!n.bars.at(0).hasPrediction());

        // A group that measured nothing (the failed run, shown) still gets its predicted bar.
        o.hideFailed = false;
        MemorySeries f = memorySeries(sets, groups, o);
        addMemoryPrediction(f, sets, groups, o, in);
        QCOMPARE(f.bars.size(), 6);
        QVERIFY(!hasValue(f.bars.at(5).peakGiB));
        QVERIFY(f.bars.at(5).hasPrediction());
    }

    void paretoFrontOfPoints()
    {
        // (latency, throughput): (1,10) (2,20) (2,15) (3,18) (4,30) (5,30) (NaN,99) (6,30)
        const QList<QPair<double, double>> pts{
            {1, 10}, {2, 20}, {2, 15}, {3, 18}, {4, 30}, {5, 30}, {kNoValue, 99}, {6, 30}};
        QCOMPARE(paretoFront(pts), (QList<int>{0, 1, 4}));
        QCOMPARE(paretoFront({}), QList<int>());
    }

    void paretoSeriesMatchesDominance_data()
    {
        QTest::addColumn<int>("latency");
        QTest::addColumn<int>("percentile");
        for (const LatencyMetric l : {LatencyMetric::Ttft, LatencyMetric::Tpot, LatencyMetric::E2e}) {
            for (const Percentile p : {Percentile::Mean, Percentile::P50, Percentile::P90, Percentile::P99})
                QTest::addRow("%s %s", qPrintable(latencyMetricKey(l)), qPrintable(percentileKey(p)))
                    << static_cast<int>(l) << static_cast<int>(p);
        }
    }

    void paretoSeriesMatchesDominance()
    {
        QFETCH(int, latency);
        QFETCH(int, percentile);
        const QList<ResultSet> sets{importOk(u"autotuner/llama-quant-sweep_results.json"_s)};
        const QList<ConfigGroup> groups = groupByQuantConfig(sets);
        ChartOptions o;
        o.latency = static_cast<LatencyMetric>(latency);
        o.percentile = static_cast<Percentile>(percentile);
        const ParetoSeries s = paretoSeries(sets, groups, o);
        QCOMPARE(s.groups.size(), 5);
        QList<ParetoPoint> all;
        for (const ParetoGroup& g : s.groups) {
            QCOMPARE(g.points.size(), 4);
            for (const ParetoPoint& p : g.points) {
                const LoadPoint* lp = pointAt(sets, p.source);
                QCOMPARE(p.latencyMs, lp->latency(o.latency).at(o.percentile));
                QCOMPARE(p.throughput, lp->outputTokS);
                all << p;
            }
        }
        // A point is on the front exactly when no other point is at least as fast and at least as productive, and
        // strictly better in one.
        int onFront = 0;
        for (const ParetoPoint& p : std::as_const(all)) {
            bool dominated = false;
            for (const ParetoPoint& q : std::as_const(all)) {
                if (q.latencyMs <= p.latencyMs && q.throughput >= p.throughput &&
                    (q.latencyMs < p.latencyMs || q.throughput > p.throughput))
                    dominated = true;
            }
            QCOMPARE(p.onFront, !dominated);
            onFront += p.onFront ? 1 : 0;
        }
        QCOMPARE(s.front.size(), onFront);
        for (qsizetype i = 1; i < s.front.size(); ++i) {
            QVERIFY(s.front.at(i).latencyMs > s.front.at(i - 1).latencyMs);
            QVERIFY(s.front.at(i).throughput > s.front.at(i - 1).throughput);
        }
    }

    void deltasAgainstBaseline()
    {
        const QList<ResultSet> sets{importOk(u"autotuner/llama-quant-sweep_results.json"_s)};
        const QList<ConfigGroup> groups = groupByQuantConfig(sets);
        ChartOptions o;
        const QList<PresetDelta> d = presetDeltas(sets, groups, u"preset:default"_s, o);
        QCOMPARE(d.size(), 5);
        QVERIFY(d.at(0).baseline);
        QCOMPARE(d.at(0).summary, u"baseline"_s);
        const PresetDelta& dyn = d.at(2);
        QCOMPARE(dyn.label, u"dynamic-fp8"_s);
        // Peak output throughput 5520 vs 4000.
        QVERIFY(near(dyn.throughputPct, (5520.0 / 4000.0 - 1) * 100));
        // KV memory per token: 58.30 GiB / 901,120 tokens vs 55.00 GiB / 450,560 tokens.
        QVERIFY(near(dyn.kvMemoryPct, ((58.30 / 901120) / (55.00 / 450560) - 1) * 100));
        QVERIFY(near(dyn.kvCapacityPct, (901120.0 / 450560 - 1) * 100));
        QVERIFY(near(dyn.peakMemoryPct, (73400.0 / 73500 - 1) * 100));
        QCOMPARE(dyn.throughputPctByLevel.size(), 4);
        QVERIFY(near(dyn.throughputPctByLevel.at(0).second, (130.0 / 100 - 1) * 100));
        // E2E p50 latency, mean of the per-level changes.
        double lat = 0;
        for (int k = 0; k < 4; ++k)
            lat +=
                ((kTtftP50S.at(2).at(k) + 99 * kTpotS.at(2)) / (kTtftP50S.at(0).at(k) + 99 * kTpotS.at(0)) - 1) * 100;
        QVERIFY(near(dyn.latencyPct, lat / 4, 1e-6));
        QVERIFY2(dyn.summary.startsWith(u"+38 % throughput"_s), qPrintable(dyn.summary));
        QVERIFY2(dyn.summary.contains(u"\u221247 % KV memory"_s), qPrintable(dyn.summary));
        // KV cache FP8 alone halves the KV memory per token (same pool, twice the tokens).
        QVERIFY(near(d.at(1).kvMemoryPct, -50.0));
        // Another baseline.
        const QList<PresetDelta> d2 = presetDeltas(sets, groups, u"preset:dynamic-fp8"_s, o);
        QVERIFY(d2.at(2).baseline);
        QVERIFY(near(d2.at(0).throughputPct, (4000.0 / 5520.0 - 1) * 100));
        QCOMPARE(percentText(12.4), u"+12 %"_s);
        QCOMPARE(percentText(-46.6), u"\u221247 %"_s);
        QCOMPARE(percentText(0.2), u"\u00b10 %"_s);
        QCOMPARE(percentText(kNoValue), QString());
    }

    void chartsAcrossFormats()
    {
        // Runs from different tools land in the same groups.
        const QList<ResultSet> sets{importOk(u"genai-bench/openai_vllm_kv-cache-fp8_llama-3.1-8b"_s),
                                    importOk(u"vllm-bench/vllm-c16-dynamic.json"_s),
                                    importOk(u"vllm-bench/vllm-default-append.jsonl"_s)};
        const QList<ConfigGroup> groups = groupByQuantConfig(sets);
        QCOMPARE(groups.size(), 3);
        QCOMPARE(groups.at(0).label, u"default"_s);
        QCOMPARE(groups.at(0).experiments.size(), 2);
        QCOMPARE(groups.at(1).label, u"kv-cache-fp8"_s);
        QCOMPARE(groups.at(2).label, u"dynamic-fp8"_s);
        const ThroughputSeries s = throughputSeries(sets, groups, ChartOptions{});
        QCOMPARE(s.levels, (QStringList{u"1"_s, u"4"_s, u"16"_s}));
        QCOMPARE(s.rows.at(0).bars.at(1).value, kOut.at(0).at(1));
        QVERIFY(!hasValue(s.rows.at(0).bars.at(2).value));
        QCOMPARE(s.rows.at(2).bars.at(2).value, kOut.at(2).at(2));
    }

    // --- CSV -----------------------------------------------------------------------------------------------------

    void csvTable()
    {
        const ResultSet s = importOk(u"autotuner/llama-quant-sweep_results.json"_s);
        const QList<QByteArray> lines = ResultsCsv::toCsv({s}).split('\n');
        // Header + 5 × 4 load points + the failed experiment's row + the empty string after the last CRLF.
        QCOMPARE(lines.size(), 1 + 5 * 4 + 1 + 1);
        QVERIFY(lines.at(0).startsWith("source_tool,source_file,set,experiment,status,preset,"));
        const QStringList header = ResultsCsv::header();
        const QStringList row = splitCsv(QString::fromUtf8(lines.at(4).trimmed()));
        QCOMPARE(row.size(), header.size());
        QCOMPARE(row.at(header.indexOf(u"preset"_s)), u"default"_s);
        QCOMPARE(row.at(header.indexOf(u"concurrency"_s)), u"64"_s);
        QCOMPARE(row.at(header.indexOf(u"out_tok_s"_s)), u"4000"_s);
        QCOMPARE(row.at(header.indexOf(u"ttft_ms_p50"_s)), u"160"_s);
        QCOMPARE(row.at(header.indexOf(u"kv_capacity_tokens"_s)), u"450560"_s);
        QCOMPARE(row.at(header.indexOf(u"scenario"_s)), u"D(100,100)"_s); // quoted: it holds a comma
        QVERIFY(lines.at(21).contains("failed"));
        QVERIFY(lines.at(21).contains("\"Service failed to become ready: CUDA out of memory\"") ||
                lines.at(21).contains("Service failed to become ready: CUDA out of memory"));
        QCOMPARE(ResultsCsv::field(u"a,b"_s), u"\"a,b\""_s);
        QCOMPARE(ResultsCsv::field(u"say \"hi\""_s), u"\"say \"\"hi\"\"\""_s);
        QCOMPARE(ResultsCsv::field(u"plain"_s), u"plain"_s);
        QTemporaryDir dir;
        QString error;
        QVERIFY(ResultsCsv::write({s}, dir.filePath(u"t.csv"_s), &error));
        QFile f(dir.filePath(u"t.csv"_s));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), ResultsCsv::toCsv({s}));
    }

    // --- jobs, library, async -------------------------------------------------------------------------------------

    void importFromJob()
    {
        QTemporaryDir dir;
        JobStore store(dir.filePath(u"jobs.sqlite"_s));
        QVERIFY(store.isOpen());
        JobRecord job;
        job.taskName = u"llama-pinned"_s;
        job.taskJson =
            R"({"task_name": "llama-pinned", "base_runtime": "vllm", "quant_config": {"gemm_dtype": "bfloat16", "kvcache_dtype": "fp8_e5m2", "attention_dtype": "fp8", "moe_dtype": "w4afp8"}})";
        QVERIFY(store.addJob(&job));
        // A results file whose experiment 1 ran the pinned flags --dtype bfloat16 --kv-cache-dtype fp8_e5m2.
        const QByteArray results = R"({"task_name": "llama-pinned", "strategy": "grid_search", "all_results": [
            {"experiment_id": 1, "parameters": {"dtype": "bfloat16", "kv-cache-dtype": "fp8_e5m2"}, "status": "success",
             "metrics": {"raw_results": [{"num_concurrency": 4, "mean_output_throughput_tokens_per_s": 400}]}},
            {"experiment_id": 2, "parameters": {"dtype": "bfloat16", "kv-cache-dtype": "fp8_e5m2"}, "status": "success",
             "metrics": {"raw_results": [{"num_concurrency": 4, "mean_output_throughput_tokens_per_s": 410}]}}]})";
        QVERIFY(store.setResults(job.id, results));
        const QDateTime t = QDateTime::currentDateTimeUtc();
        QVERIFY(store.addMemorySamples(job.id,
                                       {MemorySample{t, 0, 70000, 81559, 1},
                                        MemorySample{t, 1, 72000, 81559, 1},
                                        MemorySample{t, 0, 60000, 81559, 1},
                                        MemorySample{t, 0, 1000, 81559, 0}}));
        QFile log(fixture(u"logs/task-log.txt"_s));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray logText = log.readAll();
        QVERIFY(store.appendLog(job.id, logText, logText.size()));

        const ImportResult r = ResultsImporter::importJob(store, job.id);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.set.jobId, job.id);
        const Experiment& e1 = r.set.experiments.at(0);
        // The flags are bf16-stable's and aggressive-moe's alike on vLLM; the job's task says aggressive-moe.
        QCOMPARE(e1.preset, u"aggressive-moe"_s);
        QVERIFY2(e1.quantSource.startsWith(u"job record, matching the pinned flags"_s), qPrintable(e1.quantSource));
        // QuantDesk's samples: the busiest GPU's peak.
        QCOMPARE(e1.memorySource, u"QuantDesk samples"_s);
        QVERIFY(near(e1.peakMemoryGiB, 72000 / 1024.0));
        QVERIFY(near(e1.meanMemoryGiB, (70000.0 + 72000 + 60000) / 3 / 1024));
        QVERIFY(!hasValue(r.set.experiments.at(1).peakMemoryGiB));
        // KV capacity from the job log, experiment by experiment.
        QCOMPARE(e1.kvCapacityTokens, kKvTokens.at(0));
        QCOMPARE(e1.kvSource, u"job log"_s);
        QCOMPARE(r.set.experiments.at(1).kvCapacityTokens, kKvTokens.at(1));

        JobRecord empty;
        empty.taskName = u"nothing"_s;
        empty.taskJson = "{}";
        QVERIFY(store.addJob(&empty));
        QVERIFY(ResultsImporter::importJob(store, empty.id).error.contains(u"no results fetched yet"_s));
        QVERIFY(!ResultsImporter::importJob(store, 999).ok);
    }

    void libraryRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"lib/results.sqlite"_s);
        const ResultSet a = importOk(u"autotuner/llama-quant-sweep_results.json"_s);
        ResultSet b = importOk(u"vllm-bench/vllm-c16-dynamic.json"_s);
        const ResultSet bad = importOk(u"bad/nan-values_results.json"_s);
        qint64 idA = 0;
        qint64 idB = 0;
        {
            ResultsLibrary lib(path);
            QVERIFY2(lib.isOpen(), qPrintable(lib.errorString()));
            QCOMPARE(lib.schemaVersion(), ResultsLibrary::kSchemaVersion);
            idA = lib.add(a).value_or(0);
            idB = lib.add(b).value_or(0);
            QVERIFY(idA > 0 && idB > 0);
            QVERIFY(lib.add(bad).has_value());
        }
        ResultsLibrary lib(path);
        QVERIFY(lib.isOpen());
        const std::optional<ResultSet> back = lib.load(idA);
        QVERIFY(back);
        QCOMPARE(back->experiments.size(), a.experiments.size());
        for (qsizetype i = 0; i < a.experiments.size(); ++i)
            QVERIFY2(back->experiments.at(i) == a.experiments.at(i), qPrintable(a.experiments.at(i).id));
        QCOMPARE(*back, a);
        QCOMPARE(lib.load(idB).value(), b); // +inf request rate survives
        QCOMPARE(lib.load(idB)->experiments.at(0).points.at(0).requestRate, std::numeric_limits<double>::infinity());

        const QList<LibraryEntry> entries = lib.entries();
        QCOMPARE(entries.size(), 3);
        const auto entryA =
            std::find_if(entries.cbegin(), entries.cend(), [&](const LibraryEntry& e) { return e.id == idA; });
        QVERIFY(entryA != entries.cend());
        QCOMPARE(entryA->experiments, 6);
        QCOMPARE(entryA->points, 20);
        QCOMPARE(entryA->format, ResultFormat::AutotunerResults);
        QCOMPARE(entryA->configs.mid(0, 5), kPresets);
        // Comparing across jobs: every set that ran dynamic-fp8.
        QCOMPARE(lib.setsWithConfig(u"dynamic-fp8"_s).size(), 2);
        QCOMPARE(lib.configs().mid(0, 5), kPresets);
        // Re-importing the same file replaces it.
        b.warnings << u"again"_s;
        const qint64 idB2 = lib.add(b).value_or(0);
        QVERIFY(idB2 > 0);
        QCOMPARE(lib.entries().size(), 3);
        QVERIFY(!lib.load(idB));
        QVERIFY(lib.remove(idB2));
        QVERIFY(!lib.remove(idB2));
        QCOMPARE(lib.entries().size(), 2);
        QCOMPARE(lib.load(QList<qint64>{idA, 12345}).size(), 1);
    }

    void libraryRefusesNewerSchema()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"results.sqlite"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"newer"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery(db).exec(u"PRAGMA user_version = 99"_s);
            db.close();
        }
        QSqlDatabase::removeDatabase(u"newer"_s);
        ResultsLibrary lib(path);
        QVERIFY(!lib.isOpen());
        QVERIFY(lib.errorString().contains(u"newer QuantDesk"_s));
    }

    void asyncImportReportsProgress()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"big_results.json"_s);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(generatedResults(400)); // about 6 MB: several progress reports
        }
        AsyncResultsImporter importer;
        QSignalSpy progress(&importer, &AsyncResultsImporter::progressChanged);
        QSignalSpy finished(&importer, &AsyncResultsImporter::finished);
        QVERIFY(importer.start({path, fixture(u"autotuner/docker-simple-tune_results.json"_s)}));
        QVERIFY(!importer.start({path})); // one at a time
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QCOMPARE(importer.results().size(), 2);
        QVERIFY2(importer.results().at(0).ok, qPrintable(importer.results().at(0).error));
        QCOMPARE(importer.results().at(0).set.experiments.size(), 400);
        QCOMPARE(importer.results().at(1).set.experiments.size(), 2);
        QVERIFY(progress.size() >= 2);
        QCOMPARE(progress.constLast().at(0).toInt(), 1000);
        int last = -1;
        for (const QList<QVariant>& p : std::as_const(progress)) {
            QVERIFY(p.at(0).toInt() >= last);
            last = p.at(0).toInt();
        }
    }

    // Storing in the library happens on the importer's thread; what it stored is what the library holds, and a
    // library that cannot be opened is reported per set while the sets are still read.
    void asyncImportStoresInTheLibrary()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(u"results.sqlite"_s);
        AsyncResultsImporter importer;
        importer.setLibraryPath(db);
        QSignalSpy finished(&importer, &AsyncResultsImporter::finished);
        QVERIFY(importer.start({fixture(u"autotuner/llama-quant-sweep_results.json"_s),
                                fixture(u"bad/truncated_results.json"_s),
                                fixture(u"autotuner/docker-simple-tune_results.json"_s)}));
        QVERIFY(finished.wait(30000));
        const QList<ImportResult>& r = importer.results();
        QCOMPARE(r.size(), 3);
        QVERIFY(r.at(0).libraryId > 0);
        QCOMPARE(r.at(1).libraryId, 0); // not readable: nothing stored
        QVERIFY(r.at(2).libraryId > 0);
        ResultsLibrary library(db);
        QVERIFY(library.isOpen());
        QCOMPARE(library.entries().size(), 2);
        const std::optional<ResultSet> stored = library.load(r.at(0).libraryId);
        QVERIFY(stored);
        QCOMPARE(stored->experiments.size(), r.at(0).set.experiments.size());

        QFile notADatabase(dir.filePath(u"garbage.sqlite"_s));
        QVERIFY(notADatabase.open(QIODevice::WriteOnly));
        notADatabase.write(QByteArray(4096, 'x'));
        notADatabase.close();
        importer.setLibraryPath(notADatabase.fileName());
        finished.clear();
        QVERIFY(importer.start({fixture(u"autotuner/docker-simple-tune_results.json"_s)}));
        QVERIFY(finished.wait(30000));
        QVERIFY(importer.results().at(0).ok);
        QCOMPARE(importer.results().at(0).libraryId, 0);
        QVERIFY2(!importer.results().at(0).libraryError.isEmpty(), "a library that cannot be opened says why");
    }

    void asyncImportCancels()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"big_results.json"_s);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(generatedResults(2000));
        }
        AsyncResultsImporter importer;
        QSignalSpy finished(&importer, &AsyncResultsImporter::finished);
        QVERIFY(importer.start({path, path}));
        importer.cancel();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QCOMPARE(importer.results().size(), 2);
        for (const ImportResult& r : importer.results()) {
            QVERIFY2(r.cancelled, qPrintable(r.error));
            QVERIFY(!r.ok);
        }
        // Cancelling through the control directly.
        ImportControl control;
        control.cancelled = [] { return true; };
        const ImportResult r = ResultsImporter::importPath(path, {}, control);
        QVERIFY2(r.cancelled, qPrintable(r.error));
    }
};

QTEST_GUILESS_MAIN(TestResultsImport)
#include "TestResultsImport.moc"

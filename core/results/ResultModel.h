#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <cmath>
#include <limits>
#include <optional>

#include "core/quant/QuantConfig.h"

namespace QuantDesk
{

// The normalised results model every importer produces (DESIGN §6; reference/peers-and-pitfalls.md §2.9): one
// ResultSet per imported file, folder or job; one Experiment per server configuration that was benchmarked; one
// LoadPoint per load level (concurrency or request rate). Units are fixed whatever the source tool wrote:
// throughput in tok/s and req/s, latency in milliseconds, memory in GiB. A value the source does not have, or had
// in a form we refused (NaN, negative, implausibly large, wrong type), is NaN (-1 for counts) and the refusal is a
// warning on the ResultSet.

inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

[[nodiscard]] inline bool hasValue(double v)
{
    return !std::isnan(v);
}

// Equal as values: NaN equals NaN (a missing value equals a missing value).
[[nodiscard]] inline bool sameValue(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

enum class ResultFormat {
    Unknown,
    AutotunerResults,       // results/<task>_results.json (CLI), current shape
    AutotunerResultsLegacy, // the older shape: no strategy / container_logs / error_message / created_resources
    AutotunerRest,          // GET /api/experiments/task/{id} (an array) or /api/experiments/{id} (one object)
    AutotunerUiExport,      // the web UI's "Export JSON": {task: {...}, experiments: [...]}
    GenaiBenchRun,          // one genai-bench run file: {aggregated_metrics, individual_request_metrics, _time_unit}
    GenaiBenchFolder,       // a genai-bench experiment folder: experiment_metadata.json + run files
    VllmBenchServe,         // vllm bench serve --save-result (one object, or JSON lines with --append-result)
    SglangBenchServing,     // python -m sglang.bench_serving --output-file (JSON lines)
    Library,                // read back from the ResultsLibrary
};

[[nodiscard]] QString resultFormatKey(ResultFormat format);   // "autotuner-results", …
[[nodiscard]] QString resultFormatLabel(ResultFormat format); // "autotuner results file", …
[[nodiscard]] std::optional<ResultFormat> resultFormatFromKey(const QString& key);

enum class RunStatus {
    Success,
    Failed,
    Incomplete, // pending / deploying / benchmarking (a REST snapshot of a running task)
};

[[nodiscard]] QString runStatusKey(RunStatus status); // "success", "failed", "incomplete"
[[nodiscard]] RunStatus runStatusFromText(const QString& text);

enum class ThroughputMetric {
    Output,   // output tok/s
    Total,    // input + output tok/s
    PerGpu,   // output tok/s per GPU
    Requests, // requests/s
};

enum class LatencyMetric {
    Ttft, // time to first token
    Tpot, // time per output token (excluding the first)
    Itl,  // inter-token latency
    E2e,  // end-to-end request latency
};

enum class Percentile {
    Mean,
    P50,
    P90,
    P99,
};

[[nodiscard]] QString throughputMetricKey(ThroughputMetric m);   // "output", "total", "per-gpu", "requests"
[[nodiscard]] QString throughputMetricLabel(ThroughputMetric m); // "Output throughput (tok/s)", …
[[nodiscard]] QString throughputMetricUnit(ThroughputMetric m);  // "tok/s", "tok/s/GPU", "req/s"
[[nodiscard]] std::optional<ThroughputMetric> throughputMetricFromKey(const QString& key);
[[nodiscard]] QString latencyMetricKey(LatencyMetric m);   // "ttft", "tpot", "itl", "e2e"
[[nodiscard]] QString latencyMetricLabel(LatencyMetric m); // "TTFT", "TPOT", "ITL", "E2E latency"
[[nodiscard]] std::optional<LatencyMetric> latencyMetricFromKey(const QString& key);
[[nodiscard]] QString percentileKey(Percentile p); // "mean", "p50", "p90", "p99"
[[nodiscard]] std::optional<Percentile> percentileFromKey(const QString& key);

// One latency metric in milliseconds.
struct LatencyMs
{
    double mean = kNoValue;
    double p50 = kNoValue;
    double p90 = kNoValue;
    double p99 = kNoValue;

    [[nodiscard]] double at(Percentile p) const;
    [[nodiscard]] bool isEmpty() const;
    bool operator==(const LatencyMs& o) const;
};

// One load level of one experiment: a genai-bench run at one concurrency, one `vllm bench serve` run, or (when a
// source has only experiment-wide means) the aggregate over all levels.
struct LoadPoint
{
    int concurrency = 0;           // 0: not a fixed-concurrency run (see requestRate / aggregate)
    double requestRate = kNoValue; // offered request rate (req/s); +inf for "inf"
    bool aggregate = false;        // built from experiment-wide means over several levels, not one run
    QString scenario;              // genai-bench traffic scenario, e.g. "D(100,100)"

    double outputTokS = kNoValue; // output tok/s
    double inputTokS = kNoValue;  // input tok/s
    double totalTokS = kNoValue;  // input + output tok/s
    double perGpuOutputTokS = kNoValue;
    double perGpuTotalTokS = kNoValue;
    double requestsS = kNoValue; // completed requests/s

    LatencyMs ttft;
    LatencyMs tpot;
    LatencyMs itl;
    LatencyMs e2e;

    double errorRate = kNoValue; // 0..1
    qint64 requests = -1;
    qint64 completed = -1;
    qint64 errors = -1;
    double durationS = kNoValue;

    [[nodiscard]] double throughput(ThroughputMetric metric) const;
    [[nodiscard]] const LatencyMs& latency(LatencyMetric metric) const;
    // Most requests failed (error rate ≥ 50 %, or nothing completed): plotted as a failed run.
    [[nodiscard]] bool failed() const;
    // "1", "64", "2 req/s", "inf req/s", "all": the x label of the load level.
    [[nodiscard]] QString loadLabel() const;
    // Orders load levels: concurrency ascending, then request rates, then aggregates.
    [[nodiscard]] double loadOrder() const;
    bool operator==(const LoadPoint& o) const;
};

// One benchmarked server configuration.
struct Experiment
{
    QString id;     // unique within its set: "3" (autotuner experiment id), a file or folder name
    int number = 0; // the autotuner's experiment_id (0 when the source has none)
    RunStatus status = RunStatus::Success;
    QString statusText;                        // as the source wrote it
    QString error;                             // error_message
    QList<QPair<QString, QString>> parameters; // the grid point, values as text (booleans "true"/"false")
    double objectiveScore = kNoValue;
    double elapsedS = kNoValue;

    // The quant config the experiment ran with, and how QuantDesk knows.
    QuantConfig quant;
    bool quantKnown = false;
    QString preset;      // the preset whose four fields equal quant (or the __quant__preset name), "" when none
    QString quantSource; // "__quant__ parameters", "pinned flags (vLLM 0.27.1 profile)", "task quant_config", …

    QString engine; // "vllm", "sglang", "trtllm" when known
    QString engineVersion;
    QString model;
    QString gpuName;
    int gpuCount = 0; // 0: unknown

    // Memory.
    double peakMemoryGiB = kNoValue; // peak GPU memory used on the busiest GPU
    double meanMemoryGiB = kNoValue; // mean GPU memory used (mean over GPUs)
    double gpuMemoryTotalGiB = kNoValue;
    QString memorySource;         // "gpu_monitoring" or "QuantDesk samples"
    qint64 kvCapacityTokens = -1; // KV cache capacity in tokens from the engine's start-up log
    double kvPoolGiB = kNoValue;  // KV cache pool size from the engine's start-up log
    QString kvSource;             // "vLLM log", "SGLang log"

    QList<LoadPoint> points; // sorted by LoadPoint::loadOrder()

    // Preset name, else the config slug, else "unknown".
    [[nodiscard]] QString configLabel() const;
    [[nodiscard]] bool failed() const { return status != RunStatus::Success; }
    [[nodiscard]] QString parameter(const QString& key) const;
    bool operator==(const Experiment& o) const;
};

struct ResultSet
{
    QString name;       // task name, genai-bench folder name, or file name
    QString sourcePath; // the file or folder it came from ("" for a job's fetched results)
    ResultFormat format = ResultFormat::Unknown;
    QString tool;     // "inference-autotuner", "genai-bench", "vllm bench serve", "sglang.bench_serving"
    qint64 jobId = 0; // the JobStore job it belongs to, when it came from one
    QList<Experiment> experiments;
    QStringList warnings; // "all_results[3].metrics.raw_results[0].stats.ttft.p99: NaN, ignored"
    int warningCount = 0; // all warnings, including those beyond the stored ones

    [[nodiscard]] int pointCount() const;
    bool operator==(const ResultSet&) const = default;
};

// Where a load point lives in a list of sets.
struct PointRef
{
    int set = -1;
    int experiment = -1;
    int point = -1; // -1: the experiment as a whole

    [[nodiscard]] bool isValid() const { return set >= 0 && experiment >= 0; }
    bool operator==(const PointRef&) const = default;
};

[[nodiscard]] const Experiment* experimentAt(const QList<ResultSet>& sets, const PointRef& ref);
[[nodiscard]] const LoadPoint* pointAt(const QList<ResultSet>& sets, const PointRef& ref);

// Shortest round-trip text of a number ("" for NaN).
[[nodiscard]] QString numberText(double v);

} // namespace QuantDesk

#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include "core/hardware/GpuInfo.h"
#include "core/model/ModelInfo.h"
#include "core/results/ResultModel.h"

namespace QuantDesk
{

// Pure data behind the three charts (DESIGN §6): the UI draws exactly these series and the tests check them.

// Experiments that ran the same quant config, across all imported sets.
struct ConfigGroup
{
    QString key;   // "preset:kv-cache-fp8", "config:gemm=fp8 kvcache=auto attention=auto moe=auto", "unknown"
    QString label; // the preset name, else the config slug, else "unknown"
    QuantConfig config;
    bool known = false;
    QString preset;
    QList<PointRef> experiments; // point = -1

    bool operator==(const ConfigGroup&) const = default;
};

// Groups by preset name, else by the four fields. Built-in presets first (in their fixed order), then other presets
// and configs by label, "unknown" last.
[[nodiscard]] QList<ConfigGroup> groupByQuantConfig(const QList<ResultSet>& sets);
[[nodiscard]] QString groupKeyOf(const Experiment& e);

struct ChartOptions
{
    ThroughputMetric throughput = ThroughputMetric::Output;
    LatencyMetric latency = LatencyMetric::E2e;
    Percentile percentile = Percentile::P50;
    bool hideFailed = true; // leave out failed experiments and failed load points (error rate ≥ 50 %)

    bool operator==(const ChartOptions&) const = default;
};

// The load levels (x categories) present in the sets: labels in order ("1", "4", "16", "64", "2 req/s", "all").
[[nodiscard]] QStringList loadLevels(const QList<ResultSet>& sets, const QList<ConfigGroup>& groups, bool hideFailed);

// --- Throughput by preset, grouped by load level ------------------------------------------------------------------

struct ThroughputBar
{
    double value = kNoValue; // the best value of the group at this level (NaN: no run)
    PointRef source;         // the load point it comes from
    bool failed = false;     // only failed runs at this level (shown when failed runs are not hidden)
    int runs = 0;            // load points of the group at this level

    bool operator==(const ThroughputBar& o) const
    {
        return sameValue(value, o.value) && source == o.source && failed == o.failed && runs == o.runs;
    }
};

struct ThroughputRow
{
    QString groupKey;
    QString label;
    QList<ThroughputBar> bars; // one per level of ThroughputSeries::levels

    bool operator==(const ThroughputRow&) const = default;
};

struct ThroughputSeries
{
    ThroughputMetric metric = ThroughputMetric::Output;
    QStringList levels;
    QList<ThroughputRow> rows; // one per group that has a value at some level
    QString yLabel;

    [[nodiscard]] bool isEmpty() const { return rows.isEmpty(); }
    bool operator==(const ThroughputSeries&) const = default;
};

[[nodiscard]] ThroughputSeries
throughputSeries(const QList<ResultSet>& sets, const QList<ConfigGroup>& groups, const ChartOptions& options);

// --- Memory by preset ---------------------------------------------------------------------------------------------

struct MemoryBar
{
    QString groupKey;
    QString label;
    double peakGiB = kNoValue; // highest measured peak among the group's experiments
    double meanGiB = kNoValue;
    double totalGiB = kNoValue; // GPU memory size, when known
    PointRef peakSource;
    QString memorySource; // "gpu_monitoring", "QuantDesk samples"
    qint64 kvTokens = -1; // highest KV capacity among the group's experiments
    double kvPoolGiB = kNoValue;
    PointRef kvSource;
    int experiments = 0;

    // Predicted from the model's architecture (addMemoryPrediction), per GPU: the weights, the KV-cache pool the
    // engine's memory fraction leaves, and the KV capacity in tokens. NaN / -1 when not predicted (no config.json;
    // no GPU memory known for the pool and the capacity).
    double predictedWeightsGiB = kNoValue;
    double predictedKvPoolGiB = kNoValue;  // 0 when the weights leave no room
    double predictedReserveGiB = kNoValue; // CUDA context, workspaces, activations (with the pool: GPU known)
    qint64 predictedKvTokens = -1;
    QString predictedEngine;
    int predictedTensorParallel = 0;
    QString predictedNote; // "vLLM, NVIDIA H100 80GB HBM3, TP 2, gpu-memory-utilization 0.9"

    [[nodiscard]] bool hasPrediction() const { return hasValue(predictedWeightsGiB); }
    bool operator==(const MemoryBar& o) const
    {
        return groupKey == o.groupKey && label == o.label && sameValue(peakGiB, o.peakGiB) &&
               sameValue(meanGiB, o.meanGiB) && sameValue(totalGiB, o.totalGiB) && peakSource == o.peakSource &&
               memorySource == o.memorySource && kvTokens == o.kvTokens && sameValue(kvPoolGiB, o.kvPoolGiB) &&
               kvSource == o.kvSource && experiments == o.experiments &&
               sameValue(predictedWeightsGiB, o.predictedWeightsGiB) &&
               sameValue(predictedKvPoolGiB, o.predictedKvPoolGiB) &&
               sameValue(predictedReserveGiB, o.predictedReserveGiB) && predictedKvTokens == o.predictedKvTokens &&
               predictedEngine == o.predictedEngine && predictedTensorParallel == o.predictedTensorParallel &&
               predictedNote == o.predictedNote;
    }
};

struct MemorySeries
{
    QList<MemoryBar> bars; // one per group
    bool hasMemory = false;
    bool hasKv = false;
    bool hasPrediction = false;  // some bar has predicted weights
    bool hasPredictedKv = false; // some bar has a predicted KV capacity
    QString predictionModel;     // the model the prediction is for ("" without one)
    QString predictionProblem;   // why nothing was predicted although a model was given

    [[nodiscard]] bool isEmpty() const { return !hasMemory && !hasKv && !hasPrediction; }
    bool operator==(const MemorySeries&) const = default;
};

[[nodiscard]] MemorySeries
memorySeries(const QList<ResultSet>& sets, const QList<ConfigGroup>& groups, const ChartOptions& options);

// What the predicted series is computed for: the model (its config.json architecture), the target GPU and the
// engine rules and parameters used where the results do not say.
struct MemoryPredictionInput
{
    ModelInfo model;
    std::optional<GpuInfo> gpu; // without it (and without GPU memory in the results) only the weights are predicted
    QString engine;             // for groups whose experiments name no engine; "" follows vLLM's rules
    QList<QPair<QString, QString>> parameters; // memory fraction, tensor parallel size (engine flags without "--")

    bool operator==(const MemoryPredictionInput&) const = default;
};

// Adds the predicted memory of each bar's config (core/model/MemoryPrediction.h). Per group, the engine and the
// parameters (memory fraction, tensor parallel size) of its first experiment win over the input's, so the prediction
// is for what the results ran; the GPU is the input's, else the GPU memory the results recorded. Groups with an
// unknown config get none. Groups that ran but measured
// nothing still get their predicted bar.
void addMemoryPrediction(MemorySeries& series,
                         const QList<ResultSet>& sets,
                         const QList<ConfigGroup>& groups,
                         const ChartOptions& options,
                         const MemoryPredictionInput& input);

// --- Throughput vs latency, with the Pareto front -----------------------------------------------------------------

struct ParetoPoint
{
    double latencyMs = kNoValue;
    double throughput = kNoValue;
    PointRef source;
    QString groupKey;
    QString level; // load label
    bool failed = false;
    bool onFront = false;

    bool operator==(const ParetoPoint& o) const
    {
        return sameValue(latencyMs, o.latencyMs) && sameValue(throughput, o.throughput) && source == o.source &&
               groupKey == o.groupKey && level == o.level && failed == o.failed && onFront == o.onFront;
    }
};

struct ParetoGroup
{
    QString groupKey;
    QString label;
    QList<ParetoPoint> points; // in load order

    bool operator==(const ParetoGroup&) const = default;
};

struct ParetoSeries
{
    ThroughputMetric metric = ThroughputMetric::Output;
    LatencyMetric latency = LatencyMetric::E2e;
    Percentile percentile = Percentile::P50;
    QList<ParetoGroup> groups;
    QList<ParetoPoint> front; // the non-dominated points (lower latency, higher throughput), by latency
    QString xLabel;
    QString yLabel;

    [[nodiscard]] bool isEmpty() const { return groups.isEmpty(); }
    bool operator==(const ParetoSeries&) const = default;
};

[[nodiscard]] ParetoSeries
paretoSeries(const QList<ResultSet>& sets, const QList<ConfigGroup>& groups, const ChartOptions& options);

// Indices of the non-dominated points when latency (first) is minimised and throughput (second) maximised, ordered
// by latency. Points with a NaN coordinate never qualify; duplicates of a front point count once.
[[nodiscard]] QList<int> paretoFront(const QList<QPair<double, double>>& latencyThroughput);

// --- Deltas against a baseline preset -----------------------------------------------------------------------------

struct PresetDelta
{
    QString groupKey;
    QString label;
    bool baseline = false;
    double throughputPct = kNoValue; // peak of the chosen throughput metric over the load levels both have
    double latencyPct = kNoValue;    // mean over those levels of the chosen latency (at the best-throughput runs)
    double peakMemoryPct = kNoValue;
    double kvCapacityPct = kNoValue; // KV cache capacity in tokens
    double kvMemoryPct = kNoValue;   // KV cache memory per token (pool / capacity; equal pools assumed when a log
                                     // has no pool size)
    QList<QPair<QString, double>> throughputPctByLevel;
    QString summary; // "+38 % throughput, −47 % KV memory"

    bool operator==(const PresetDelta& o) const;
};

// One entry per group (the baseline included, with baseline = true). Unknown baseline key → the "default" preset,
// else the first group.
[[nodiscard]] QList<PresetDelta> presetDeltas(const QList<ResultSet>& sets,
                                              const QList<ConfigGroup>& groups,
                                              const QString& baselineKey,
                                              const ChartOptions& options);

// "+38 %", "−47 %" (U+2212), "±0 %"; "" for NaN.
[[nodiscard]] QString percentText(double pct);

} // namespace QuantDesk

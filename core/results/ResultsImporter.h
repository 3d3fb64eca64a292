#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <functional>

#include "core/quant/Presets.h"
#include "core/results/KvCapacityParser.h"
#include "core/results/ResultModel.h"
#include "core/store/JobStore.h"

namespace QuantDesk
{

struct ImportOptions
{
    // The presets to name configs by (PresetStore::all(), user presets included); empty: the built-ins. A copy, so
    // that imports on worker threads never share the UI's store.
    QList<Preset> presets;
    QString engine; // engine hint when the files cannot tell: "vllm", "sglang", "trtllm"
    QString engineVersion;
    // The task the results belong to (a REST TaskResponse, or a job's exported task JSON): its task_name,
    // base_runtime and quant_config tie experiments to configs when their parameters cannot.
    QByteArray taskJson;
    QString contextSource; // how to name that task in quantSource: "task quant_config" (default), "job record"
    int maxWarnings = 200; // warnings kept on the set (all are counted)
};

struct ImportControl
{
    // Progress in [0, 1]; called from the importing thread, at most about every MiB.
    std::function<void(double fraction)> progress;
    // Polled while importing; return true to stop (the import then ends with cancelled = true).
    std::function<bool()> cancelled;
};

struct ImportResult
{
    bool ok = false;
    bool cancelled = false;
    QString error; // what is wrong, with the file: "x.json: offset 120: syntax error …"
    ResultSet set;
    // With AsyncResultsImporter::setLibraryPath: the set's id in the results library (0 when not stored), or why it
    // could not be stored.
    qint64 libraryId = 0;
    QString libraryError;
};

// Reads every supported results format into the normalised model (see ResultModel.h). The format is told from the
// content, not the file name:
//  - the autotuner's results file (current and older shapes), its REST experiments (array or one object) and its
//    web UI export;
//  - a genai-bench run file, experiment folder (experiment_metadata.json + run files), or a folder of them;
//  - vllm bench serve results (one object, or JSON lines) and sglang.bench_serving JSON lines.
// Python's NaN / Infinity literals, missing keys, wrong types, negative and implausibly large values never fail an
// import: the value is left out and the set carries a warning saying where. Invalid JSON and unknown shapes are
// errors. Big files are streamed (memory stays bounded by one experiment plus the model).
class ResultsImporter
{
public:
    [[nodiscard]] static ImportResult
    importPath(const QString& path, const ImportOptions& options = {}, const ImportControl& control = {});
    // The same for a document in memory; name labels it in messages.
    [[nodiscard]] static ImportResult importBytes(const QByteArray& data,
                                                  const QString& name,
                                                  const ImportOptions& options = {},
                                                  const ImportControl& control = {});
    // A job's fetched results from the job history, with its task as context, QuantDesk's own memory samples and the
    // KV capacity from its log.
    [[nodiscard]] static ImportResult importJob(const JobStore& store, qint64 jobId, ImportOptions options = {});

    // QuantDesk's nvidia-smi samples (attributed to experiments) give each experiment's peak memory; they cover model
    // load and warm-up, so they replace the autotuner's gpu_monitoring (which only covers the benchmark).
    static void applyMemorySamples(ResultSet* set, const QList<MemorySample>& samples);
    // KV capacity per experiment number (e.g. KvCapacityParser::perExperiment of a task log), for experiments that
    // have none yet.
    static void applyKvCapacity(ResultSet* set, const QHash<int, KvCapacity>& capacities, const QString& source);
};

} // namespace QuantDesk

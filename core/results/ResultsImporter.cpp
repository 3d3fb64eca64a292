#include "ResultsImporter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>
#include <cmath>

#include "core/quant/Presets.h"
#include "core/results/JsonStream.h"
#include "core/results/QuantResolver.h"

using namespace Qt::StringLiterals;
using json = nlohmann::json;

namespace QuantDesk
{

namespace
{

// What a number stands for: its unit conversion and the range a real run can produce. Values outside are refused
// with a warning (1e308 tok/s is a broken writer, not a fast GPU).
enum class Kind {
    Throughput, // tok/s
    Requests,   // req/s
    Seconds,    // durations
    LatencyS,   // latency in seconds → ms
    LatencyMs,  // latency in ms
    Ratio,      // 0..1
    Count,      // requests, tokens
    MemoryMiB,  // nvidia-smi memory
    Percent,    // 0..100
    Score,      // objective score: any finite value
    Level,      // concurrency
};

double limitOf(Kind kind)
{
    switch (kind) {
    case Kind::Throughput:
        return 1e9;
    case Kind::Requests:
        return 1e7;
    case Kind::Seconds:
        return 1e8;
    case Kind::LatencyS:
    case Kind::LatencyMs:
        return 1e9; // ms: about 11.6 days
    case Kind::Ratio:
        return 1.0;
    case Kind::Count:
        return 1e13;
    case Kind::MemoryMiB:
        return 1e8;
    case Kind::Percent:
        return 100.0;
    case Kind::Score:
        return std::numeric_limits<double>::max();
    case Kind::Level:
        return 1e7;
    }
    return 0;
}

const json* member(const json& obj, const char* key)
{
    if (!obj.is_object())
        return nullptr;
    const auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

QString qstr(const std::string& s)
{
    return QString::fromStdString(s);
}

QString valueText(const json& v)
{
    switch (v.type()) {
    case json::value_t::string:
        return qstr(v.get_ref<const std::string&>());
    case json::value_t::boolean:
        return v.get<bool>() ? u"true"_s : u"false"_s;
    case json::value_t::number_integer:
        return QString::number(v.get<qint64>());
    case json::value_t::number_unsigned:
        return QString::number(v.get<quint64>());
    case json::value_t::number_float:
        return numberText(v.get<double>());
    case json::value_t::null:
        return u"null"_s;
    default:
        return qstr(v.dump());
    }
}

QString typeName(const json& v)
{
    return QString::fromLatin1(v.type_name());
}

// A small document (metadata, a task, one JSON line); a discarded value when it is not JSON.
json parseSmall(const QByteArray& data, int* nonFinite = nullptr)
{
    JsonStream::Result r = JsonStream::parseBytes(data, {});
    if (nonFinite)
        *nonFinite = r.nonFiniteLiterals;
    return r.ok ? std::move(r.root) : json(json::value_t::discarded);
}

struct TaskInfo
{
    QString name;
    QString engine;
    QString model;
    QuantContext context;
};

class Builder
{
public:
    Builder(const ImportOptions& options, const ImportControl& control)
        : m_options(options), m_control(control), m_resolver(options.presets)
    {
        if (!options.taskJson.isEmpty())
            readTask(parseSmall(options.taskJson));
    }

    ResultSet set;

    [[nodiscard]] bool cancelled() const { return m_control.cancelled && m_control.cancelled(); }
    void progress(double f) const
    {
        if (m_control.progress)
            m_control.progress(std::clamp(f, 0.0, 1.0));
    }

    void warn(const QString& where, const QString& what)
    {
        ++set.warningCount;
        if (set.warnings.size() < m_options.maxWarnings)
            set.warnings << (where.isEmpty() ? what : where + u": "_s + what);
    }

    double num(const json& obj, const char* key, Kind kind, const QString& path)
    {
        const json* v = member(obj, key);
        if (!v || v->is_null())
            return kNoValue;
        return numValue(*v, kind, path, key);
    }

    double numValue(const json& v, Kind kind, const QString& path, const char* key)
    {
        const auto where = [&] { return key ? path + u'.' + QString::fromLatin1(key) : path; };
        const std::optional<double> d = JsonStream::number(v);
        if (!d) {
            warn(where(), u"expected a number, found %1; ignored"_s.arg(typeName(v)));
            return kNoValue;
        }
        double x = *d;
        if (std::isnan(x)) {
            warn(where(), u"NaN; ignored"_s);
            return kNoValue;
        }
        if (std::isinf(x)) {
            warn(where(), u"infinite; ignored"_s);
            return kNoValue;
        }
        if (kind == Kind::LatencyS)
            x *= 1000.0;
        if (x < 0 && kind != Kind::Score) {
            warn(where(), u"negative (%1); ignored"_s.arg(numberText(*d)));
            return kNoValue;
        }
        if (x > limitOf(kind)) {
            warn(where(), u"implausibly large (%1); ignored"_s.arg(numberText(*d)));
            return kNoValue;
        }
        return x;
    }

    qint64 count(const json& obj, const char* key, const QString& path)
    {
        const double v = num(obj, key, Kind::Count, path);
        return hasValue(v) ? std::llround(v) : -1;
    }

    QString str(const json& obj, const char* key, const QString& path = {})
    {
        const json* v = member(obj, key);
        if (!v || v->is_null())
            return {};
        if (v->is_string())
            return qstr(v->get_ref<const std::string&>());
        if (!path.isEmpty())
            warn(path + u'.' + QString::fromLatin1(key), u"expected a string, found %1"_s.arg(typeName(*v)));
        return valueText(*v);
    }

    LatencyMs latency(const json& stats, const char* key, double scaleToMs, const QString& path)
    {
        LatencyMs l;
        const json* s = member(stats, key);
        if (!s || s->is_null())
            return l;
        const QString p = path + u'.' + QString::fromLatin1(key);
        if (!s->is_object()) {
            warn(p, u"expected an object, found %1; ignored"_s.arg(typeName(*s)));
            return l;
        }
        const Kind kind = scaleToMs == 1.0 ? Kind::LatencyMs : Kind::LatencyS;
        l.mean = num(*s, "mean", kind, p);
        l.p50 = num(*s, "p50", kind, p);
        l.p90 = num(*s, "p90", kind, p);
        l.p99 = num(*s, "p99", kind, p);
        return l;
    }

    // genai-bench aggregated_metrics (also the autotuner's raw_results entries).
    LoadPoint genaiPoint(const json& a, const QString& path, bool milliseconds)
    {
        LoadPoint p;
        if (!a.is_object()) {
            warn(path, u"expected an object, found %1; ignored"_s.arg(typeName(a)));
            return p;
        }
        p.scenario = str(a, "scenario");
        const QString iteration = str(a, "iteration_type");
        const double conc = num(a, "num_concurrency", Kind::Level, path);
        const double batch = num(a, "batch_size", Kind::Level, path);
        if (iteration == u"batch_size" && hasValue(batch))
            p.concurrency = static_cast<int>(batch);
        else if (hasValue(conc))
            p.concurrency = static_cast<int>(conc);
        p.outputTokS = num(a, "mean_output_throughput_tokens_per_s", Kind::Throughput, path);
        p.inputTokS = num(a, "mean_input_throughput_tokens_per_s", Kind::Throughput, path);
        p.totalTokS = num(a, "mean_total_tokens_throughput_tokens_per_s", Kind::Throughput, path);
        if (!hasValue(p.totalTokS) && hasValue(p.inputTokS) && hasValue(p.outputTokS))
            p.totalTokS = p.inputTokS + p.outputTokS;
        p.requestsS = num(a, "requests_per_second", Kind::Requests, path);
        p.errorRate = num(a, "error_rate", Kind::Ratio, path);
        p.requests = count(a, "num_requests", path);
        p.completed = count(a, "num_completed_requests", path);
        p.errors = count(a, "num_error_requests", path);
        p.durationS = num(a, "run_duration", Kind::Seconds, path);
        p.perGpuOutputTokS = num(a, "mean_output_throughput_per_gpu", Kind::Throughput, path);
        p.perGpuTotalTokS = num(a, "mean_total_throughput_per_gpu", Kind::Throughput, path);
        if (const json* stats = member(a, "stats"); stats && !stats->is_null()) {
            const QString sp = path + u".stats"_s;
            if (!stats->is_object()) {
                warn(sp, u"expected an object, found %1; ignored"_s.arg(typeName(*stats)));
            } else {
                const double scale = milliseconds ? 1.0 : 1000.0;
                p.ttft = latency(*stats, "ttft", scale, sp);
                p.tpot = latency(*stats, "tpot", scale, sp);
                p.e2e = latency(*stats, "e2e_latency", scale, sp);
            }
        }
        if (!hasValue(p.errorRate) && p.requests > 0 && p.errors >= 0)
            p.errorRate = static_cast<double>(p.errors) / static_cast<double>(p.requests);
        return p;
    }

    // vllm bench serve / sglang.bench_serving: one flat object, latencies in ms.
    LoadPoint servePoint(const json& o, const QString& path)
    {
        LoadPoint p;
        if (const json* mc = member(o, "max_concurrency"); mc && !mc->is_null()) {
            const double c = numValue(*mc, Kind::Level, path, "max_concurrency");
            if (hasValue(c) && c >= 1)
                p.concurrency = static_cast<int>(c);
        }
        if (const json* rate = member(o, "request_rate"); rate && !rate->is_null()) {
            if (rate->is_string() &&
                (rate->get_ref<const std::string&>() == "inf" || rate->get_ref<const std::string&>() == "Infinity")) {
                p.requestRate = std::numeric_limits<double>::infinity();
            } else {
                p.requestRate = numValue(*rate, Kind::Requests, path, "request_rate");
            }
        }
        p.outputTokS = num(o, "output_throughput", Kind::Throughput, path);
        p.inputTokS = num(o, "input_throughput", Kind::Throughput, path);
        p.totalTokS = num(o, "total_token_throughput", Kind::Throughput, path);
        if (!hasValue(p.totalTokS))
            p.totalTokS = num(o, "total_throughput", Kind::Throughput, path);
        p.requestsS = num(o, "request_throughput", Kind::Requests, path);
        p.durationS = num(o, "duration", Kind::Seconds, path);
        if (!hasValue(p.inputTokS) && hasValue(p.durationS) && p.durationS > 0) {
            const double in = num(o, "total_input_tokens", Kind::Count, path);
            if (hasValue(in))
                p.inputTokS = in / p.durationS;
        }
        if (!hasValue(p.totalTokS) && hasValue(p.inputTokS) && hasValue(p.outputTokS))
            p.totalTokS = p.inputTokS + p.outputTokS;
        p.completed = count(o, "completed", path);
        const qint64 failed = count(o, "failed", path);
        if (p.completed >= 0) {
            p.errors = std::max<qint64>(failed, 0);
            p.requests = p.completed + p.errors;
            if (p.requests > 0)
                p.errorRate = static_cast<double>(p.errors) / static_cast<double>(p.requests);
        }
        const auto lat = [&](const char* vllmName, const char* sglangName) {
            LatencyMs l;
            for (const char* m : {vllmName, sglangName}) {
                if (!m)
                    continue;
                const std::string base(m);
                const auto get = [&](const char* prefix) {
                    const std::string key = std::string(prefix) + "_" + base + "_ms";
                    return num(o, key.c_str(), Kind::LatencyMs, path);
                };
                if (!hasValue(l.mean))
                    l.mean = get("mean");
                if (!hasValue(l.p50))
                    l.p50 = get("median");
                if (!hasValue(l.p50))
                    l.p50 = get("p50");
                if (!hasValue(l.p90))
                    l.p90 = get("p90");
                if (!hasValue(l.p99))
                    l.p99 = get("p99");
            }
            return l;
        };
        p.ttft = lat("ttft", nullptr);
        p.tpot = lat("tpot", nullptr);
        p.itl = lat("itl", nullptr);
        p.e2e = lat("e2el", "e2e_latency");
        return p;
    }

    void memory(const json& gm, Experiment& x, const QString& path)
    {
        const json* stats = member(gm, "gpu_stats");
        if (!stats || stats->is_null())
            return;
        const QString sp = path + u".gpu_stats"_s;
        if (!stats->is_object()) {
            warn(sp, u"expected an object, found %1; ignored"_s.arg(typeName(*stats)));
            return;
        }
        double peak = kNoValue;
        double meanSum = 0;
        int meanN = 0;
        double total = kNoValue;
        for (auto it = stats->begin(); it != stats->end(); ++it) {
            const QString gp = sp + u'.' + qstr(it.key());
            const json* mem = member(it.value(), "memory_used_mb");
            if (!mem || !mem->is_object())
                continue;
            // nvidia-smi reports MiB; the autotuner calls them "mb".
            const QString mp = gp + u".memory_used_mb"_s;
            const double mx = num(*mem, "max", Kind::MemoryMiB, mp);
            const double mean = num(*mem, "mean", Kind::MemoryMiB, mp);
            if (hasValue(mx) && (!hasValue(peak) || mx > peak))
                peak = mx;
            if (hasValue(mean)) {
                meanSum += mean;
                ++meanN;
            }
            if (const json* pct = member(it.value(), "memory_usage_percent"); pct && pct->is_object()) {
                const double pm = num(*pct, "max", Kind::Percent, gp + u".memory_usage_percent"_s);
                if (hasValue(pm) && pm > 0 && hasValue(mx))
                    total = std::max(hasValue(total) ? total : 0.0, mx / (pm / 100.0));
            }
        }
        if (hasValue(peak)) {
            x.peakMemoryGiB = peak / 1024.0;
            x.memorySource = u"gpu_monitoring"_s;
        }
        if (meanN > 0)
            x.meanMemoryGiB = meanSum / meanN / 1024.0;
        if (hasValue(total))
            x.gpuMemoryTotalGiB = total / 1024.0;
    }

    void metrics(const json& m, Experiment& x, const QString& path)
    {
        if (const json* raw = member(m, "raw_results"); raw && !raw->is_null()) {
            if (!raw->is_array()) {
                warn(path + u".raw_results"_s, u"expected an array, found %1; ignored"_s.arg(typeName(*raw)));
            } else {
                int i = 0;
                for (const json& r : *raw) {
                    LoadPoint p = genaiPoint(r, path + u".raw_results[%1]"_s.arg(i++), false);
                    if (hasAnyValue(p))
                        x.points << p;
                }
            }
        }
        if (x.points.isEmpty()) {
            // Older or trimmed results: only the experiment-wide means (seconds).
            LoadPoint p;
            p.aggregate = true;
            if (const json* levels = member(m, "concurrency_levels");
                levels && levels->is_array() && levels->size() == 1)
                p.concurrency = static_cast<int>(std::max(0.0, numValue(levels->front(), Kind::Level, path, nullptr)));
            if (p.concurrency > 0)
                p.aggregate = false;
            p.outputTokS = num(m, "mean_output_throughput", Kind::Throughput, path);
            p.totalTokS = num(m, "mean_total_throughput", Kind::Throughput, path);
            p.perGpuOutputTokS = num(m, "mean_output_throughput_per_gpu", Kind::Throughput, path);
            p.perGpuTotalTokS = num(m, "mean_total_throughput_per_gpu", Kind::Throughput, path);
            p.ttft.mean = num(m, "mean_ttft", Kind::LatencyS, path);
            p.tpot.mean = num(m, "mean_tpot", Kind::LatencyS, path);
            p.e2e.mean = num(m, "mean_e2e_latency", Kind::LatencyS, path);
            p.e2e.p50 = num(m, "p50_e2e_latency", Kind::LatencyS, path);
            p.e2e.p90 = num(m, "p90_e2e_latency", Kind::LatencyS, path);
            p.e2e.p99 = num(m, "p99_e2e_latency", Kind::LatencyS, path);
            p.requests = count(m, "total_requests", path);
            p.completed = count(m, "total_completed_requests", path);
            p.errors = count(m, "total_error_requests", path);
            const double success = num(m, "success_rate", Kind::Ratio, path);
            if (hasValue(success))
                p.errorRate = 1.0 - success;
            p.durationS = num(m, "elapsed_time", Kind::Seconds, path);
            if (hasAnyValue(p))
                x.points << p;
        }
        if (const json* gm = member(m, "gpu_monitoring"); gm && gm->is_object())
            memory(*gm, x, path + u".gpu_monitoring"_s);
    }

    static bool hasAnyValue(const LoadPoint& p)
    {
        return hasValue(p.outputTokS) || hasValue(p.totalTokS) || hasValue(p.requestsS) || !p.ttft.isEmpty() ||
               !p.tpot.isEmpty() || !p.itl.isEmpty() || !p.e2e.isEmpty() || p.completed >= 0;
    }

    // One experiment of the autotuner: results file all_results[i], REST ExperimentResponse, UI export experiment.
    Experiment autotunerExperiment(const json& e, int index, const QString& path)
    {
        Experiment x;
        x.number = index + 1;
        if (!e.is_object()) {
            warn(path, u"expected an experiment object, found %1; ignored"_s.arg(typeName(e)));
            x.id = QString::number(x.number);
            x.status = RunStatus::Failed;
            x.statusText = u"invalid"_s;
            return x;
        }
        if (const json* id = member(e, "experiment_id"); id && !id->is_null()) {
            const double n = numValue(*id, Kind::Count, path, "experiment_id");
            if (hasValue(n))
                x.number = static_cast<int>(n);
        }
        x.id = QString::number(x.number);
        if (member(e, "container_logs") || member(e, "error_message") || member(e, "created_resources"))
            m_sawNewKeys = true;
        const json* metricsValue = member(e, "metrics");
        const bool hasMetrics = metricsValue && metricsValue->is_object();
        x.statusText = str(e, "status", path);
        x.status = x.statusText.isEmpty() ? (hasMetrics ? RunStatus::Success : RunStatus::Failed)
                                          : runStatusFromText(x.statusText);
        x.error = str(e, "error_message");
        if (const json* params = member(e, "parameters"); params && !params->is_null()) {
            if (params->is_object()) {
                for (auto it = params->begin(); it != params->end(); ++it)
                    x.parameters << qMakePair(qstr(it.key()), valueText(it.value()));
            } else {
                warn(path + u".parameters"_s, u"expected an object, found %1; ignored"_s.arg(typeName(*params)));
            }
        }
        x.objectiveScore = num(e, "objective_score", Kind::Score, path);
        x.elapsedS = num(e, "elapsed_time", Kind::Seconds, path);
        if (const json* gpu = member(e, "gpu_info"); gpu && gpu->is_object()) {
            x.gpuName = str(*gpu, "model");
            const double n = num(*gpu, "count", Kind::Level, path + u".gpu_info"_s);
            if (hasValue(n))
                x.gpuCount = static_cast<int>(n);
        }
        if (const json* logs = member(e, "container_logs"); logs && logs->is_string()) {
            const KvCapacity kv = KvCapacityParser::parse(qstr(logs->get_ref<const std::string&>()));
            applyKv(x, kv);
        }
        if (hasMetrics) {
            metrics(*metricsValue, x, path + u".metrics"_s);
        } else if (metricsValue && !metricsValue->is_null()) {
            warn(path + u".metrics"_s, u"expected an object, found %1; ignored"_s.arg(typeName(*metricsValue)));
        }
        if (x.status == RunStatus::Success && x.points.isEmpty())
            warn(path, u"a successful experiment without metrics"_s);
        return x;
    }

    static void applyKv(Experiment& x, const KvCapacity& kv)
    {
        if (kv.isValid()) {
            x.kvCapacityTokens = kv.tokens;
            x.kvSource = kv.engine == u"vllm" ? u"vLLM log"_s : u"SGLang log"_s;
        }
        if (kv.poolGiB >= 0)
            x.kvPoolGiB = kv.poolGiB;
        if (x.engine.isEmpty() && !kv.engine.isEmpty())
            x.engine = kv.engine;
    }

    void addExperiment(Experiment&& x, const std::optional<QuantContext>& ownContext = std::nullopt)
    {
        if (ownContext)
            m_contexts.insert(static_cast<int>(set.experiments.size()), *ownContext);
        set.experiments << std::move(x);
    }

    void readTask(const json& t)
    {
        if (!t.is_object())
            return;
        m_task.name = str(t, "task_name");
        if (m_task.name.isEmpty())
            m_task.name = str(t, "name");
        m_task.engine = QuantResolver::normaliseEngine(str(t, "base_runtime"));
        if (const json* model = member(t, "model"); model && model->is_object())
            m_task.model = str(*model, "id_or_path");
        if (const json* qc = member(t, "quant_config"))
            QuantResolver::readTaskQuantConfig(*qc, &m_task.context);
        m_task.context.source = m_options.contextSource.isEmpty() ? u"task quant_config"_s : m_options.contextSource;
    }

    // The set-wide context for autotuner experiments.
    [[nodiscard]] QuantContext autotunerContext(const QString& taskName) const
    {
        QuantContext c = m_task.context;
        c.engine = !m_options.engine.isEmpty() ? m_options.engine : m_task.engine;
        c.engineVersion = m_options.engineVersion;
        c.taskName = !m_task.name.isEmpty() ? m_task.name : taskName;
        c.flagParameters = true;
        return c;
    }

    // Resolves every experiment's quant config, fills per-GPU throughput and sorts load points.
    void finish(const QuantContext& defaultContext)
    {
        QMap<QString, int> notes;
        int assumedOneGpu = 0;
        QSet<QString> ids;
        for (int i = 0; i < set.experiments.size(); ++i) {
            Experiment& x = set.experiments[i];
            // Ids are unique within a set (a broken file can repeat experiment_id).
            if (ids.contains(x.id)) {
                warn(x.id, u"experiment id used twice; the second is listed as %1#%2"_s.arg(x.id).arg(i + 1));
                x.id = u"%1#%2"_s.arg(x.id).arg(i + 1);
            }
            ids.insert(x.id);
            QuantContext c = m_contexts.value(i, defaultContext);
            if (!x.engine.isEmpty())
                c.engine = x.engine;
            const QuantResolution r = m_resolver.resolve(x.parameters, c);
            x.quantKnown = r.known;
            x.quant = r.known ? r.config : QuantConfig{};
            x.preset = r.preset;
            x.quantSource = r.source;
            if (x.engine.isEmpty())
                x.engine = !r.engine.isEmpty() ? r.engine : QuantResolver::normaliseEngine(c.engine);
            if (x.model.isEmpty())
                x.model = m_task.model;
            if (!r.note.isEmpty())
                ++notes[r.note];
            if (!x.quantKnown && x.preset.isEmpty() && r.note.isEmpty())
                ++notes[u"no quant config could be tied to the experiment (no __quant__ keys, quant flags, task "
                        "quant_config or preset name)"_s];
            const int gpus = x.gpuCount > 0 ? x.gpuCount : parallelism(x);
            bool assumed = false;
            for (LoadPoint& p : x.points) {
                if (!hasValue(p.perGpuOutputTokS) && hasValue(p.outputTokS)) {
                    p.perGpuOutputTokS = p.outputTokS / std::max(gpus, 1);
                    assumed = assumed || gpus <= 0;
                }
                if (!hasValue(p.perGpuTotalTokS) && hasValue(p.totalTokS))
                    p.perGpuTotalTokS = p.totalTokS / std::max(gpus, 1);
            }
            if (assumed)
                ++assumedOneGpu;
            std::stable_sort(x.points.begin(), x.points.end(), [](const LoadPoint& a, const LoadPoint& b) {
                return a.loadOrder() < b.loadOrder();
            });
        }
        for (auto it = notes.cbegin(); it != notes.cend(); ++it)
            warn(QString(), it.value() > 1 ? u"%1 (%2 experiments)"_s.arg(it.key()).arg(it.value()) : it.key());
        if (assumedOneGpu > 0)
            warn(QString(),
                 u"GPU count unknown for %1 experiment(s): per-GPU throughput assumes one GPU"_s.arg(assumedOneGpu));
    }

    // tp × dp (× pp) from the parameters, 0 when none says.
    static int parallelism(const Experiment& x)
    {
        int tp = 0;
        int dp = 1;
        int pp = 1;
        for (const auto& [k, v] : x.parameters) {
            const QString key = QString(k).remove(u"__parallel__"_s).replace(u'_', u'-');
            bool ok = false;
            const int n = v.toInt(&ok);
            if (!ok || n <= 0)
                continue;
            if (key == u"tp" || key == u"tp-size" || key == u"tensor-parallel-size")
                tp = n;
            else if (key == u"dp" || key == u"dp-size" || key == u"data-parallel-size")
                dp = n;
            else if (key == u"pp" || key == u"pp-size" || key == u"pipeline-parallel-size")
                pp = n;
        }
        return tp > 0 ? tp * dp * pp : 0;
    }

    const ImportOptions& m_options;
    const ImportControl& m_control;
    QuantResolver m_resolver;
    TaskInfo m_task;
    bool m_sawNewKeys = false;
    QHash<int, QuantContext> m_contexts;
};

// ---------------------------------------------------------------------------------------------------------------
// Bench tool metadata: quant config and context from keys a run can carry.

void readRunMetadata(const json& o, QuantContext* c, Experiment* x)
{
    const auto s = [&](const char* key) {
        const json* v = member(o, key);
        return v && v->is_string() ? qstr(v->get_ref<const std::string&>()) : QString();
    };
    for (const char* key : {"quant_preset", "preset"}) {
        if (const QString p = s(key); !p.isEmpty())
            c->preset = p;
    }
    if (const json* qc = member(o, "quant_config")) {
        if (qc->is_object()) {
            QuantResolver::readTaskQuantConfig(*qc, c);
        } else if (qc->is_string()) {
            const json parsed = json::parse(qc->get_ref<const std::string&>(), nullptr, false);
            QuantResolver::readTaskQuantConfig(parsed, c);
        }
    }
    QuantConfig cfg = c->config.value_or(QuantConfig{});
    bool any = c->config.has_value();
    for (const QuantField f : kQuantFields) {
        const QString v = s(fieldKey(f).toUtf8().constData());
        if (!v.isEmpty() && isValidFieldValue(f, v)) {
            cfg.setValue(f, v);
            any = true;
        }
    }
    if (any)
        c->config = cfg;
    if (x) {
        if (x->gpuName.isEmpty())
            x->gpuName = s("gpu_name");
        if (const json* n = member(o, "gpu_count"); n && !n->is_null()) {
            bool ok = n->is_number_integer();
            const int count =
                ok ? n->get<int>()
                   : QString::fromStdString(n->is_string() ? n->get<std::string>() : std::string()).toInt(&ok);
            if (ok && count > 0)
                x->gpuCount = count;
        }
        // The tensor parallel size, when the run's metadata records it (vllm bench serve --metadata
        // tensor_parallel_size=2): the memory prediction needs it, and the GPU count alone may be data parallel.
        for (const char* key : {"tensor_parallel_size", "tensor-parallel-size", "tp_size", "tp"}) {
            const json* n = member(o, key);
            if (!n || n->is_null())
                continue;
            bool ok = n->is_number_integer();
            const int tp = ok ? n->get<int>()
                              : QString::fromStdString(n->is_string() ? n->get<std::string>() : std::string())
                                    .trimmed()
                                    .toInt(&ok);
            if (ok && tp > 0 && x->parameter(u"tensor-parallel-size"_s).isEmpty())
                x->parameters.append({u"tensor-parallel-size"_s, QString::number(tp)});
            break;
        }
    }
}

bool looksLikeServe(const json& o)
{
    if (!o.is_object())
        return false;
    if (!(o.contains("output_throughput") || o.contains("request_throughput")))
        return false;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const std::string& k = it.key();
        if (k.size() > 3 && k.compare(k.size() - 3, 3, "_ms") == 0)
            return true;
    }
    return o.contains("completed");
}

bool isSglangServe(const json& o)
{
    if (const json* b = member(o, "backend"); b && b->is_string() && qstr(b->get<std::string>()).contains(u"sglang"))
        return true;
    return o.contains("total_output_tokens_retokenized") || o.contains("median_e2e_latency_ms");
}

Experiment serveExperiment(Builder& b, const json& o, const QString& id, const QString& path, QuantContext* ctx)
{
    Experiment x;
    x.id = id;
    x.statusText = u"success"_s;
    LoadPoint p = b.servePoint(o, path);
    x.status = p.completed == 0 ? RunStatus::Failed : RunStatus::Success;
    x.points << p;
    x.engine = QuantResolver::normaliseEngine(b.str(o, "backend"));
    x.model = b.str(o, "model_id");
    ctx->taskName = id;
    readRunMetadata(o, ctx, &x);
    if (!b.str(o, "label").isEmpty() && ctx->preset.isEmpty() && !ctx->config)
        ctx->taskName = b.str(o, "label") + u' ' + id;
    ctx->source = u"result metadata"_s;
    return x;
}

ImportResult failure(const QString& error, bool cancelled = false)
{
    ImportResult r;
    r.error = error;
    r.cancelled = cancelled;
    return r;
}

// ---------------------------------------------------------------------------------------------------------------

class Importer
{
public:
    Importer(const ImportOptions& options, const ImportControl& control) : m_options(options), m_control(control) {}

    ImportResult file(const QString& path)
    {
        const QFileInfo fi(path);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return failure(u"%1: %2"_s.arg(path, f.errorString()));
        const QByteArray head = f.read(4096);
        f.close();
        const char first = firstChar(head);
        if (first != '{' && first != '[') {
            return failure(head.trimmed().isEmpty() ? u"%1: the file is empty"_s.arg(path)
                                                    : u"%1: not a JSON results file"_s.arg(path));
        }
        if (fi.suffix().compare(u"jsonl"_s, Qt::CaseInsensitive) == 0)
            return jsonLines(readAll(path), path, fi.fileName());
        Builder b(m_options, m_control);
        b.set.sourcePath = path;
        b.set.name = fi.completeBaseName();
        const qint64 size = std::max<qint64>(fi.size(), 1);
        JsonStream::Control jc;
        jc.progress = [&](qint64 done, qint64) {
            b.progress(static_cast<double>(done) / static_cast<double>(size));
            return !b.cancelled();
        };
        JsonStream::Result parsed = JsonStream::parseFile(path, elementHandler(b), jc);
        if (parsed.cancelled || b.cancelled())
            return failure(u"%1: import cancelled"_s.arg(path), true);
        if (!parsed.ok) {
            if (first == '{' && looksLikeJsonLines(path))
                return jsonLines(readAll(path), path, fi.fileName());
            return failure(u"%1: %2"_s.arg(path, parsed.error));
        }
        return fromRoot(b, std::move(parsed), fi.completeBaseName(), fi.absolutePath());
    }

    ImportResult bytes(const QByteArray& data, const QString& name)
    {
        const char first = firstChar(data);
        if (first != '{' && first != '[')
            return failure(data.trimmed().isEmpty() ? u"%1: empty"_s.arg(name) : u"%1: not JSON"_s.arg(name));
        Builder b(m_options, m_control);
        b.set.name = name;
        JsonStream::Control jc;
        jc.progress = [&](qint64 done, qint64 total) {
            b.progress(static_cast<double>(done) / static_cast<double>(std::max<qint64>(total, 1)));
            return !b.cancelled();
        };
        JsonStream::Result parsed = JsonStream::parseBytes(data, elementHandler(b), jc);
        if (parsed.cancelled || b.cancelled())
            return failure(u"%1: import cancelled"_s.arg(name), true);
        if (!parsed.ok) {
            if (first == '{' && data.count('\n') > 1)
                return jsonLines(data, QString(), name);
            return failure(u"%1: %2"_s.arg(name, parsed.error));
        }
        return fromRoot(b, std::move(parsed), name, QString());
    }

    ImportResult folder(const QString& path)
    {
        QDir dir(path);
        QStringList folders;
        if (dir.exists(u"experiment_metadata.json"_s) || !runFiles(dir).isEmpty()) {
            folders << dir.absolutePath();
        } else {
            const QStringList subs = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
            for (const QString& s : subs) {
                const QDir sub(dir.filePath(s));
                if (sub.exists(u"experiment_metadata.json"_s) || !runFiles(sub).isEmpty())
                    folders << sub.absolutePath();
            }
        }
        if (folders.isEmpty())
            return filesInFolder(path);
        Builder b(m_options, m_control);
        b.set.sourcePath = path;
        b.set.name = QFileInfo(path).fileName();
        b.set.format = ResultFormat::GenaiBenchFolder;
        b.set.tool = u"genai-bench"_s;
        int filesDone = 0;
        int filesTotal = 0;
        QList<QStringList> runsPer;
        for (const QString& f : std::as_const(folders)) {
            runsPer << runFiles(QDir(f));
            filesTotal += static_cast<int>(runsPer.constLast().size()) + 1;
        }
        for (qsizetype i = 0; i < folders.size(); ++i) {
            if (b.cancelled())
                return failure(u"%1: import cancelled"_s.arg(path), true);
            genaiExperiment(b, QDir(folders.at(i)), runsPer.at(i), &filesDone, filesTotal);
        }
        if (b.cancelled())
            return failure(u"%1: import cancelled"_s.arg(path), true);
        if (b.set.experiments.isEmpty())
            return failure(u"%1: the genai-bench folder has no readable run files"_s.arg(path));
        b.finish(QuantContext{});
        b.progress(1.0);
        ImportResult r;
        r.ok = true;
        r.set = std::move(b.set);
        return r;
    }

private:
    // A folder that is not a genai-bench experiment: every results file in it (*.json, *.jsonl), as one set.
    ImportResult filesInFolder(const QString& path)
    {
        const QDir dir(path);
        const QStringList files = dir.entryList({u"*.json"_s, u"*.jsonl"_s}, QDir::Files, QDir::Name);
        if (files.isEmpty())
            return failure(
                u"%1: no results files (*.json, *.jsonl) and no genai-bench experiment in the folder"_s.arg(path));
        ImportResult merged;
        merged.set.sourcePath = path;
        merged.set.name = QFileInfo(path).fileName();
        QStringList errors;
        for (qsizetype i = 0; i < files.size(); ++i) {
            ImportControl control = m_control;
            if (m_control.progress) {
                control.progress = [this, i, n = files.size()](double f) {
                    m_control.progress((static_cast<double>(i) + f) / static_cast<double>(n));
                };
            }
            Importer one(m_options, control);
            ImportResult r = one.file(dir.filePath(files.at(i)));
            if (r.cancelled)
                return r;
            if (!r.ok) {
                errors << r.error;
                continue;
            }
            if (merged.set.format == ResultFormat::Unknown) {
                merged.set.format = r.set.format;
                merged.set.tool = r.set.tool;
            } else if (merged.set.tool != r.set.tool) {
                merged.set.tool = u"several tools"_s;
            }
            for (Experiment& e : r.set.experiments) {
                if (!e.id.startsWith(r.set.name))
                    e.id = r.set.name + u':' + e.id;
                merged.set.experiments << std::move(e);
            }
            for (const QString& w : std::as_const(r.set.warnings))
                merged.set.warnings << files.at(i) + u": "_s + w;
            merged.set.warningCount += r.set.warningCount;
        }
        if (merged.set.experiments.isEmpty())
            return failure(errors.isEmpty() ? u"%1: no experiments in the folder"_s.arg(path) : errors.join(u"; "_s));
        for (const QString& e : std::as_const(errors)) {
            merged.set.warnings << e + u" (skipped)"_s;
            ++merged.set.warningCount;
        }
        merged.ok = true;
        return merged;
    }

    static char firstChar(const QByteArray& data)
    {
        qsizetype i = data.startsWith("\xEF\xBB\xBF") ? 3 : 0;
        while (i < data.size() && (data.at(i) == ' ' || data.at(i) == '\n' || data.at(i) == '\r' || data.at(i) == '\t'))
            ++i;
        return i < data.size() ? data.at(i) : '\0';
    }

    static QByteArray readAll(const QString& path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    static bool looksLikeJsonLines(const QString& path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return false;
        const QByteArray line = f.readLine(64 << 20).trimmed();
        return line.startsWith('{') && line.endsWith('}') && !f.atEnd();
    }

    JsonStream::ElementHandler elementHandler(Builder& b)
    {
        return [&b, this](const std::string& key, json&& element) {
            const int index = m_elementIndex++;
            if (key == "all_results") {
                b.addExperiment(b.autotunerExperiment(element, index, u"all_results[%1]"_s.arg(index)));
            } else if (key == "experiments") {
                b.addExperiment(b.autotunerExperiment(element, index, u"experiments[%1]"_s.arg(index)));
            } else {
                m_rootArray.push_back(std::move(element));
                if (m_rootArray.size() >= 64)
                    flushRootArray(b);
            }
            return !b.cancelled();
        };
    }

    // Root arrays are REST experiment lists: convert in batches (the elements are small).
    void flushRootArray(Builder& b)
    {
        for (json& e : m_rootArray) {
            const int index = m_rootIndex++;
            b.addExperiment(b.autotunerExperiment(e, index, u"[%1]"_s.arg(index)));
        }
        m_rootArray.clear();
    }

    ImportResult done(Builder& b, ResultFormat format, const QString& tool, const QuantContext& context)
    {
        b.set.format = format;
        b.set.tool = tool;
        b.finish(context);
        b.progress(1.0);
        ImportResult r;
        r.ok = true;
        r.set = std::move(b.set);
        return r;
    }

    ImportResult fromRoot(Builder& b, JsonStream::Result&& parsed, const QString& name, const QString& folder)
    {
        const json& root = parsed.root;
        if (parsed.nonFiniteLiterals > 0) {
            b.warn(QString(),
                   u"%1 NaN/Infinity literal(s) in the file: such values are ignored"_s.arg(parsed.nonFiniteLiterals));
        }
        const QString autotuner = u"inference-autotuner"_s;
        if (root.is_array()) {
            flushRootArray(b);
            sortByNumber(b);
            return done(b, ResultFormat::AutotunerRest, autotuner, b.autotunerContext(QString()));
        }
        if (!root.is_object())
            return failure(u"%1: expected a JSON object or array"_s.arg(name));

        if (root.contains("all_results") || (root.contains("best_result") && root.contains("task_name"))) {
            const QString task = b.str(root, "task_name", u"task_name"_s);
            if (!task.isEmpty())
                b.set.name = task;
            if (!root.contains("all_results")) {
                // The oldest shape: only the best experiment.
                if (const json* best = member(root, "best_result"); best && best->is_object())
                    b.addExperiment(b.autotunerExperiment(*best, 0, u"best_result"_s));
            } else if (const json* all = member(root, "all_results"); all && !all->is_array()) {
                b.warn(u"all_results"_s, u"expected an array, found %1; ignored"_s.arg(typeName(*all)));
            }
            const bool legacy = !root.contains("strategy") && !b.m_sawNewKeys;
            return done(b,
                        legacy ? ResultFormat::AutotunerResultsLegacy : ResultFormat::AutotunerResults,
                        autotuner,
                        b.autotunerContext(task));
        }
        if (root.contains("experiments") && root.contains("task")) {
            QString task;
            if (const json* t = member(root, "task"); t && t->is_object())
                task = b.str(*t, "name");
            if (!task.isEmpty())
                b.set.name = task;
            sortByNumber(b);
            return done(b, ResultFormat::AutotunerUiExport, autotuner, b.autotunerContext(task));
        }
        if (root.contains("aggregated_metrics")) {
            const json* tu = member(root, "_time_unit");
            const bool ms = tu && tu->is_string() && tu->get<std::string>() == "ms";
            Experiment x;
            x.id = name;
            x.statusText = u"success"_s;
            x.points << b.genaiPoint(root["aggregated_metrics"], u"aggregated_metrics"_s, ms);
            QuantContext ctx;
            ctx.taskName = name;
            if (!folder.isEmpty()) {
                // A run file inside an experiment folder: use its metadata.
                QFile meta(QDir(folder).filePath(u"experiment_metadata.json"_s));
                if (meta.open(QIODevice::ReadOnly))
                    applyGenaiMetadata(b, parseSmall(meta.readAll()), &x, &ctx, QFileInfo(folder).fileName());
            }
            b.addExperiment(std::move(x), ctx);
            return done(b, ResultFormat::GenaiBenchRun, u"genai-bench"_s, QuantContext{});
        }
        if (root.contains("experiment_id") && (root.contains("task_id") || root.contains("metrics"))) {
            b.addExperiment(b.autotunerExperiment(root, 0, QString()));
            return done(b, ResultFormat::AutotunerRest, autotuner, b.autotunerContext(QString()));
        }
        if (looksLikeServe(root)) {
            QuantContext ctx;
            const bool sglang = isSglangServe(root);
            Experiment x = serveExperiment(b, root, name, QString(), &ctx);
            b.addExperiment(std::move(x), ctx);
            return done(b,
                        sglang ? ResultFormat::SglangBenchServing : ResultFormat::VllmBenchServe,
                        sglang ? u"sglang.bench_serving"_s : u"vllm bench serve"_s,
                        QuantContext{});
        }
        if ((root.contains("benchmark_version") || root.contains("cmd")) && root.contains("num_concurrency") &&
            !folder.isEmpty()) {
            return this->folder(folder);
        }
        QStringList keys;
        for (auto it = root.begin(); it != root.end() && keys.size() < 8; ++it)
            keys << qstr(it.key());
        return failure(u"%1: not a results format QuantDesk reads (autotuner results/REST/UI export, genai-bench, "
                       "vllm bench serve); top-level keys: %2"_s.arg(name, keys.join(u", "_s)));
    }

    static void sortByNumber(Builder& b)
    {
        std::stable_sort(b.set.experiments.begin(),
                         b.set.experiments.end(),
                         [](const Experiment& a, const Experiment& c) { return a.number < c.number; });
    }

    ImportResult jsonLines(const QByteArray& data, const QString& path, const QString& fileName)
    {
        Builder b(m_options, m_control);
        b.set.sourcePath = path;
        b.set.name = QFileInfo(fileName).completeBaseName();
        int lineNo = 0;
        int read = 0;
        bool sglang = false;
        qsizetype start = 0;
        while (start < data.size()) {
            if (b.cancelled())
                return failure(u"%1: import cancelled"_s.arg(fileName), true);
            qsizetype end = data.indexOf('\n', start);
            if (end < 0)
                end = data.size();
            const QByteArray line = data.mid(start, end - start).trimmed();
            start = end + 1;
            ++lineNo;
            if (line.isEmpty())
                continue;
            int nonFinite = 0;
            const json o = parseSmall(line, &nonFinite);
            const QString where = u"line %1"_s.arg(lineNo);
            if (o.is_discarded()) {
                b.warn(where, u"not valid JSON; skipped"_s);
                continue;
            }
            if (!looksLikeServe(o)) {
                b.warn(where, u"not a benchmark result object; skipped"_s);
                continue;
            }
            if (nonFinite > 0)
                b.warn(where, u"%1 NaN/Infinity literal(s); such values are ignored"_s.arg(nonFinite));
            sglang = sglang || isSglangServe(o);
            QuantContext ctx;
            Experiment x = serveExperiment(b, o, u"%1:%2"_s.arg(b.set.name).arg(lineNo), where, &ctx);
            b.addExperiment(std::move(x), ctx);
            ++read;
            b.progress(static_cast<double>(start) / static_cast<double>(std::max<qsizetype>(data.size(), 1)));
        }
        if (read == 0)
            return failure(u"%1: no benchmark results (expected JSON, or JSON lines from vllm bench serve / "
                           "sglang.bench_serving)"_s.arg(fileName));
        return done(b,
                    sglang ? ResultFormat::SglangBenchServing : ResultFormat::VllmBenchServe,
                    sglang ? u"sglang.bench_serving"_s : u"vllm bench serve"_s,
                    QuantContext{});
    }

    // genai-bench names run files "<scenario>_<api>_<iteration>_<n>_time_<s>s.json"
    // (genai_bench/analysis/experiment_loader.py).
    static QStringList runFiles(const QDir& dir)
    {
        static const QRegularExpression re(u"^.+_.+_(?:concurrency|batch_size)_\\d+_time_\\d+s\\.json$"_s);
        QStringList out;
        const QStringList files = dir.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
        for (const QString& f : files) {
            if (re.match(f).hasMatch())
                out << dir.filePath(f);
        }
        return out;
    }

    void applyGenaiMetadata(Builder& b, const json& meta, Experiment* x, QuantContext* ctx, const QString& folderName)
    {
        if (!meta.is_object()) {
            b.warn(folderName + u"/experiment_metadata.json"_s, u"not a JSON object; ignored"_s);
            return;
        }
        x->engine = QuantResolver::normaliseEngine(b.str(meta, "server_engine"));
        x->engineVersion = b.str(meta, "server_version");
        x->gpuName = b.str(meta, "server_gpu_type");
        if (const json* n = member(meta, "server_gpu_count"); n && !n->is_null()) {
            // An int in the metadata model; older writers store the CLI string.
            bool ok = n->is_number();
            const int count =
                ok ? n->get<int>()
                   : QString::fromStdString(n->is_string() ? n->get<std::string>() : std::string()).toInt(&ok);
            if (ok && count > 0)
                x->gpuCount = count;
        }
        x->model = b.str(meta, "model");
        if (x->model.isEmpty())
            x->model = b.str(meta, "api_model_name");
        readRunMetadata(meta, ctx, nullptr);
        ctx->source = u"experiment_metadata.json"_s;
        ctx->taskName = folderName;
    }

    void genaiExperiment(Builder& b, const QDir& dir, const QStringList& runs, int* filesDone, int filesTotal)
    {
        const QString folderName = dir.dirName();
        Experiment base;
        QuantContext ctx;
        ctx.taskName = folderName;
        bool metricsMs = false;
        if (QFile meta(dir.filePath(u"experiment_metadata.json"_s)); meta.open(QIODevice::ReadOnly)) {
            const json m = parseSmall(meta.readAll());
            applyGenaiMetadata(b, m, &base, &ctx, folderName);
            metricsMs = m.is_object() && b.str(m, "metrics_time_unit") == u"ms";
        }
        ++*filesDone;
        QMap<QString, Experiment> byScenario;
        for (const QString& path : runs) {
            if (b.cancelled())
                return;
            const QString rel = folderName + u'/' + QFileInfo(path).fileName();
            JsonStream::Result parsed = JsonStream::parseFile(path, {}, {});
            ++*filesDone;
            b.progress(static_cast<double>(*filesDone) / std::max(filesTotal, 1));
            if (!parsed.ok) {
                b.warn(rel, parsed.error + u"; skipped"_s);
                continue;
            }
            const json* agg = member(parsed.root, "aggregated_metrics");
            if (!agg) {
                b.warn(rel, u"no aggregated_metrics; skipped"_s);
                continue;
            }
            if (parsed.nonFiniteLiterals > 0)
                b.warn(rel, u"%1 NaN/Infinity literal(s); such values are ignored"_s.arg(parsed.nonFiniteLiterals));
            const json* tu = member(parsed.root, "_time_unit");
            const bool ms = tu && tu->is_string() ? tu->get<std::string>() == "ms" : metricsMs;
            const LoadPoint p = b.genaiPoint(*agg, rel + u":aggregated_metrics"_s, ms);
            Experiment& x = byScenario[p.scenario];
            x.points << p;
        }
        const bool several = byScenario.size() > 1;
        for (auto it = byScenario.begin(); it != byScenario.end(); ++it) {
            Experiment x = base;
            x.id = several ? folderName + u' ' + it.key() : folderName;
            x.statusText = u"success"_s;
            x.points = it.value().points;
            bool allFailed = !x.points.isEmpty();
            for (const LoadPoint& p : std::as_const(x.points))
                allFailed = allFailed && p.failed();
            x.status = allFailed ? RunStatus::Failed : RunStatus::Success;
            b.addExperiment(std::move(x), ctx);
        }
    }

    const ImportOptions& m_options;
    const ImportControl& m_control;
    std::vector<json> m_rootArray;
    int m_elementIndex = 0;
    int m_rootIndex = 0;
};

} // namespace

ImportResult
ResultsImporter::importPath(const QString& path, const ImportOptions& options, const ImportControl& control)
{
    const QFileInfo fi(path);
    if (!fi.exists())
        return failure(u"%1: no such file or folder"_s.arg(path));
    Importer imp(options, control);
    ImportResult r = fi.isDir() ? imp.folder(path) : imp.file(path);
    if (r.ok && r.set.experiments.isEmpty())
        r.set.warnings << u"no experiments"_s;
    return r;
}

ImportResult ResultsImporter::importBytes(const QByteArray& data,
                                          const QString& name,
                                          const ImportOptions& options,
                                          const ImportControl& control)
{
    Importer imp(options, control);
    return imp.bytes(data, name);
}

ImportResult ResultsImporter::importJob(const JobStore& store, qint64 jobId, ImportOptions options)
{
    const std::optional<JobRecord> job = store.job(jobId);
    if (!job)
        return failure(u"job %1: not in the job history"_s.arg(jobId));
    const QByteArray results = store.results(jobId);
    if (results.isEmpty())
        return failure(u"job %1 (%2): no results fetched yet"_s.arg(jobId).arg(job->taskName));
    if (options.taskJson.isEmpty())
        options.taskJson = job->taskJson;
    if (options.contextSource.isEmpty())
        options.contextSource = u"job record"_s;
    ImportResult r = importBytes(results, job->taskName, options);
    if (!r.ok)
        return r;
    r.set.jobId = jobId;
    if (r.set.name.isEmpty())
        r.set.name = job->taskName;
    applyMemorySamples(&r.set, store.memorySamples(jobId));
    const QByteArray log = store.log(jobId);
    if (!log.isEmpty())
        applyKvCapacity(&r.set, KvCapacityParser::perExperiment(QString::fromUtf8(log)), u"job log"_s);
    return r;
}

void ResultsImporter::applyMemorySamples(ResultSet* set, const QList<MemorySample>& samples)
{
    struct Acc
    {
        qint64 peak = -1;
        qint64 total = -1;
        double sum = 0;
        int n = 0;
    };
    QHash<int, Acc> byExperiment;
    for (const MemorySample& s : samples) {
        if (s.experiment <= 0 || s.memoryUsedMiB < 0)
            continue;
        Acc& a = byExperiment[s.experiment];
        a.peak = std::max(a.peak, s.memoryUsedMiB);
        a.total = std::max(a.total, s.memoryTotalMiB);
        a.sum += static_cast<double>(s.memoryUsedMiB);
        ++a.n;
    }
    for (Experiment& x : set->experiments) {
        const auto it = byExperiment.constFind(x.number);
        if (it == byExperiment.cend() || it->peak < 0)
            continue;
        x.peakMemoryGiB = static_cast<double>(it->peak) / 1024.0;
        x.meanMemoryGiB = it->sum / it->n / 1024.0;
        if (it->total > 0)
            x.gpuMemoryTotalGiB = static_cast<double>(it->total) / 1024.0;
        x.memorySource = u"QuantDesk samples"_s;
    }
}

void ResultsImporter::applyKvCapacity(ResultSet* set, const QHash<int, KvCapacity>& capacities, const QString& source)
{
    for (Experiment& x : set->experiments) {
        const auto it = capacities.constFind(x.number);
        if (it == capacities.cend())
            continue;
        if (x.kvCapacityTokens < 0 && it->isValid()) {
            x.kvCapacityTokens = it->tokens;
            x.kvSource = source;
        }
        if (!hasValue(x.kvPoolGiB) && it->poolGiB >= 0)
            x.kvPoolGiB = it->poolGiB;
        if (x.engine.isEmpty())
            x.engine = it->engine;
    }
}

} // namespace QuantDesk

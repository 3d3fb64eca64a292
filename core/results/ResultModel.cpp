#include "ResultModel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

struct FormatName
{
    ResultFormat format;
    const char16_t* key;
    const char16_t* label;
};

constexpr FormatName kFormats[] = {
    {ResultFormat::Unknown, u"unknown", u"unknown"},
    {ResultFormat::AutotunerResults, u"autotuner-results", u"autotuner results file"},
    {ResultFormat::AutotunerResultsLegacy, u"autotuner-results-legacy", u"autotuner results file (older shape)"},
    {ResultFormat::AutotunerRest, u"autotuner-rest", u"autotuner REST experiments"},
    {ResultFormat::AutotunerUiExport, u"autotuner-ui-export", u"autotuner web UI export"},
    {ResultFormat::GenaiBenchRun, u"genai-bench-run", u"genai-bench run file"},
    {ResultFormat::GenaiBenchFolder, u"genai-bench-folder", u"genai-bench experiment folder"},
    {ResultFormat::VllmBenchServe, u"vllm-bench-serve", u"vllm bench serve result"},
    {ResultFormat::SglangBenchServing, u"sglang-bench-serving", u"sglang.bench_serving result"},
    {ResultFormat::Library, u"library", u"results library"},
};

bool sameLatency(const LatencyMs& a, const LatencyMs& b)
{
    return sameValue(a.mean, b.mean) && sameValue(a.p50, b.p50) && sameValue(a.p90, b.p90) && sameValue(a.p99, b.p99);
}

} // namespace

QString resultFormatKey(ResultFormat format)
{
    for (const FormatName& f : kFormats) {
        if (f.format == format)
            return QString::fromUtf16(f.key);
    }
    return u"unknown"_s;
}

QString resultFormatLabel(ResultFormat format)
{
    for (const FormatName& f : kFormats) {
        if (f.format == format)
            return QString::fromUtf16(f.label);
    }
    return u"unknown"_s;
}

std::optional<ResultFormat> resultFormatFromKey(const QString& key)
{
    for (const FormatName& f : kFormats) {
        if (key == QStringView(f.key))
            return f.format;
    }
    return std::nullopt;
}

QString runStatusKey(RunStatus status)
{
    switch (status) {
    case RunStatus::Success:
        return u"success"_s;
    case RunStatus::Failed:
        return u"failed"_s;
    case RunStatus::Incomplete:
        return u"incomplete"_s;
    }
    return {};
}

RunStatus runStatusFromText(const QString& text)
{
    const QString s = text.trimmed().toLower();
    if (s == u"success" || s == u"completed" || s == u"done" || s == u"ok")
        return RunStatus::Success;
    if (s == u"pending" || s == u"deploying" || s == u"benchmarking" || s == u"running" || s == u"incomplete")
        return RunStatus::Incomplete;
    return RunStatus::Failed;
}

QString throughputMetricKey(ThroughputMetric m)
{
    switch (m) {
    case ThroughputMetric::Output:
        return u"output"_s;
    case ThroughputMetric::Total:
        return u"total"_s;
    case ThroughputMetric::PerGpu:
        return u"per-gpu"_s;
    case ThroughputMetric::Requests:
        return u"requests"_s;
    }
    return {};
}

QString throughputMetricLabel(ThroughputMetric m)
{
    switch (m) {
    case ThroughputMetric::Output:
        return u"Output throughput (tok/s)"_s;
    case ThroughputMetric::Total:
        return u"Total throughput (tok/s)"_s;
    case ThroughputMetric::PerGpu:
        return u"Output throughput per GPU (tok/s/GPU)"_s;
    case ThroughputMetric::Requests:
        return u"Request throughput (req/s)"_s;
    }
    return {};
}

QString throughputMetricUnit(ThroughputMetric m)
{
    switch (m) {
    case ThroughputMetric::Output:
    case ThroughputMetric::Total:
        return u"tok/s"_s;
    case ThroughputMetric::PerGpu:
        return u"tok/s/GPU"_s;
    case ThroughputMetric::Requests:
        return u"req/s"_s;
    }
    return {};
}

std::optional<ThroughputMetric> throughputMetricFromKey(const QString& key)
{
    for (const ThroughputMetric m :
         {ThroughputMetric::Output, ThroughputMetric::Total, ThroughputMetric::PerGpu, ThroughputMetric::Requests}) {
        if (throughputMetricKey(m) == key)
            return m;
    }
    return std::nullopt;
}

QString latencyMetricKey(LatencyMetric m)
{
    switch (m) {
    case LatencyMetric::Ttft:
        return u"ttft"_s;
    case LatencyMetric::Tpot:
        return u"tpot"_s;
    case LatencyMetric::Itl:
        return u"itl"_s;
    case LatencyMetric::E2e:
        return u"e2e"_s;
    }
    return {};
}

QString latencyMetricLabel(LatencyMetric m)
{
    switch (m) {
    case LatencyMetric::Ttft:
        return u"TTFT"_s;
    case LatencyMetric::Tpot:
        return u"TPOT"_s;
    case LatencyMetric::Itl:
        return u"ITL"_s;
    case LatencyMetric::E2e:
        return u"E2E latency"_s;
    }
    return {};
}

std::optional<LatencyMetric> latencyMetricFromKey(const QString& key)
{
    for (const LatencyMetric m : {LatencyMetric::Ttft, LatencyMetric::Tpot, LatencyMetric::Itl, LatencyMetric::E2e}) {
        if (latencyMetricKey(m) == key)
            return m;
    }
    return std::nullopt;
}

QString percentileKey(Percentile p)
{
    switch (p) {
    case Percentile::Mean:
        return u"mean"_s;
    case Percentile::P50:
        return u"p50"_s;
    case Percentile::P90:
        return u"p90"_s;
    case Percentile::P99:
        return u"p99"_s;
    }
    return {};
}

std::optional<Percentile> percentileFromKey(const QString& key)
{
    for (const Percentile p : {Percentile::Mean, Percentile::P50, Percentile::P90, Percentile::P99}) {
        if (percentileKey(p) == key)
            return p;
    }
    return std::nullopt;
}

double LatencyMs::at(Percentile p) const
{
    switch (p) {
    case Percentile::Mean:
        return mean;
    case Percentile::P50:
        return p50;
    case Percentile::P90:
        return p90;
    case Percentile::P99:
        return p99;
    }
    return kNoValue;
}

bool LatencyMs::isEmpty() const
{
    return !hasValue(mean) && !hasValue(p50) && !hasValue(p90) && !hasValue(p99);
}

bool LatencyMs::operator==(const LatencyMs& o) const
{
    return sameLatency(*this, o);
}

double LoadPoint::throughput(ThroughputMetric metric) const
{
    switch (metric) {
    case ThroughputMetric::Output:
        return outputTokS;
    case ThroughputMetric::Total:
        return totalTokS;
    case ThroughputMetric::PerGpu:
        return perGpuOutputTokS;
    case ThroughputMetric::Requests:
        return requestsS;
    }
    return kNoValue;
}

const LatencyMs& LoadPoint::latency(LatencyMetric metric) const
{
    switch (metric) {
    case LatencyMetric::Ttft:
        return ttft;
    case LatencyMetric::Tpot:
        return tpot;
    case LatencyMetric::Itl:
        return itl;
    case LatencyMetric::E2e:
        break;
    }
    return e2e;
}

bool LoadPoint::failed() const
{
    if (hasValue(errorRate) && errorRate >= 0.5)
        return true;
    return completed == 0 && requests > 0;
}

QString LoadPoint::loadLabel() const
{
    if (concurrency > 0)
        return QString::number(concurrency);
    if (std::isinf(requestRate))
        return u"inf req/s"_s;
    if (hasValue(requestRate))
        return numberText(requestRate) + u" req/s"_s;
    return u"all"_s;
}

double LoadPoint::loadOrder() const
{
    if (concurrency > 0)
        return concurrency;
    if (hasValue(requestRate))
        return std::isinf(requestRate) ? 2e12 : 1e12 + requestRate;
    return 3e12;
}

bool LoadPoint::operator==(const LoadPoint& o) const
{
    return concurrency == o.concurrency && sameValue(requestRate, o.requestRate) && aggregate == o.aggregate &&
           scenario == o.scenario && sameValue(outputTokS, o.outputTokS) && sameValue(inputTokS, o.inputTokS) &&
           sameValue(totalTokS, o.totalTokS) && sameValue(perGpuOutputTokS, o.perGpuOutputTokS) &&
           sameValue(perGpuTotalTokS, o.perGpuTotalTokS) && sameValue(requestsS, o.requestsS) && ttft == o.ttft &&
           tpot == o.tpot && itl == o.itl && e2e == o.e2e && sameValue(errorRate, o.errorRate) &&
           requests == o.requests && completed == o.completed && errors == o.errors &&
           sameValue(durationS, o.durationS);
}

QString Experiment::configLabel() const
{
    if (!preset.isEmpty())
        return preset;
    if (quantKnown)
        return quant.slug();
    return u"unknown"_s;
}

QString Experiment::parameter(const QString& key) const
{
    for (const auto& [k, v] : parameters) {
        if (k == key)
            return v;
    }
    return {};
}

bool Experiment::operator==(const Experiment& o) const
{
    return id == o.id && number == o.number && status == o.status && statusText == o.statusText && error == o.error &&
           parameters == o.parameters && sameValue(objectiveScore, o.objectiveScore) &&
           sameValue(elapsedS, o.elapsedS) && quant == o.quant && quantKnown == o.quantKnown && preset == o.preset &&
           quantSource == o.quantSource && engine == o.engine && engineVersion == o.engineVersion && model == o.model &&
           gpuName == o.gpuName && gpuCount == o.gpuCount && sameValue(peakMemoryGiB, o.peakMemoryGiB) &&
           sameValue(meanMemoryGiB, o.meanMemoryGiB) && sameValue(gpuMemoryTotalGiB, o.gpuMemoryTotalGiB) &&
           memorySource == o.memorySource && kvCapacityTokens == o.kvCapacityTokens &&
           sameValue(kvPoolGiB, o.kvPoolGiB) && kvSource == o.kvSource && points == o.points;
}

int ResultSet::pointCount() const
{
    int n = 0;
    for (const Experiment& e : experiments)
        n += static_cast<int>(e.points.size());
    return n;
}

const Experiment* experimentAt(const QList<ResultSet>& sets, const PointRef& ref)
{
    if (ref.set < 0 || ref.set >= sets.size())
        return nullptr;
    const QList<Experiment>& exps = sets.at(ref.set).experiments;
    if (ref.experiment < 0 || ref.experiment >= exps.size())
        return nullptr;
    return &exps.at(ref.experiment);
}

const LoadPoint* pointAt(const QList<ResultSet>& sets, const PointRef& ref)
{
    const Experiment* e = experimentAt(sets, ref);
    if (!e || ref.point < 0 || ref.point >= e->points.size())
        return nullptr;
    return &e->points.at(ref.point);
}

QString numberText(double v)
{
    if (std::isnan(v))
        return {};
    if (std::isinf(v))
        return v > 0 ? u"inf"_s : u"-inf"_s;
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

} // namespace QuantDesk

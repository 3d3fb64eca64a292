#include "ResultSeries.h"

#include <QHash>
#include <QMap>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/engines/EngineProfile.h"
#include "core/model/MemoryPrediction.h"
#include "core/quant/Presets.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

bool include(const Experiment& e, bool hideFailed)
{
    return !hideFailed || !e.failed();
}

bool includePoint(const Experiment& e, const LoadPoint& p, bool hideFailed)
{
    return !hideFailed || (!e.failed() && !p.failed());
}

bool pointFailed(const Experiment& e, const LoadPoint& p)
{
    return e.failed() || p.failed();
}

double pct(double value, double base)
{
    if (!hasValue(value) || !hasValue(base) || base == 0)
        return kNoValue;
    return (value / base - 1.0) * 100.0;
}

} // namespace

QString groupKeyOf(const Experiment& e)
{
    if (!e.preset.isEmpty())
        return u"preset:"_s + e.preset;
    if (e.quantKnown)
        return u"config:"_s + e.quant.summary();
    return u"unknown"_s;
}

QList<ConfigGroup> groupByQuantConfig(const QList<ResultSet>& sets)
{
    QList<ConfigGroup> groups;
    QHash<QString, qsizetype> index;
    for (int s = 0; s < sets.size(); ++s) {
        const QList<Experiment>& exps = sets.at(s).experiments;
        for (int i = 0; i < exps.size(); ++i) {
            const Experiment& e = exps.at(i);
            const QString key = groupKeyOf(e);
            auto it = index.constFind(key);
            if (it == index.cend()) {
                ConfigGroup g;
                g.key = key;
                g.label = e.configLabel();
                g.known = e.quantKnown;
                g.config = e.quant;
                g.preset = e.preset;
                it = index.insert(key, groups.size());
                groups << g;
            }
            groups[*it].experiments << PointRef{s, i, -1};
        }
    }
    const QList<Preset>& builtIns = builtInPresets();
    const auto rank = [&](const ConfigGroup& g) {
        for (qsizetype i = 0; i < builtIns.size(); ++i) {
            if (g.preset == builtIns.at(i).name)
                return static_cast<int>(i);
        }
        if (g.key == u"unknown")
            return 1000;
        return g.preset.isEmpty() ? 200 : 100;
    };
    std::stable_sort(groups.begin(), groups.end(), [&](const ConfigGroup& a, const ConfigGroup& b) {
        const int ra = rank(a);
        const int rb = rank(b);
        return ra != rb ? ra < rb : a.label < b.label;
    });
    return groups;
}

QStringList loadLevels(const QList<ResultSet>& sets, const QList<ConfigGroup>& groups, bool hideFailed)
{
    QMap<double, QString> byOrder;
    for (const ConfigGroup& g : groups) {
        for (const PointRef& ref : g.experiments) {
            const Experiment* e = experimentAt(sets, ref);
            if (!e || !include(*e, hideFailed))
                continue;
            for (const LoadPoint& p : e->points) {
                if (includePoint(*e, p, hideFailed))
                    byOrder.insert(p.loadOrder(), p.loadLabel());
            }
        }
    }
    QStringList out;
    for (const QString& l : std::as_const(byOrder)) {
        if (!out.contains(l))
            out << l;
    }
    return out;
}

ThroughputSeries
throughputSeries(const QList<ResultSet>& sets, const QList<ConfigGroup>& groups, const ChartOptions& options)
{
    ThroughputSeries s;
    s.metric = options.throughput;
    s.yLabel = throughputMetricLabel(options.throughput);
    s.levels = loadLevels(sets, groups, options.hideFailed);
    for (const ConfigGroup& g : groups) {
        ThroughputRow row;
        row.groupKey = g.key;
        row.label = g.label;
        row.bars.resize(s.levels.size());
        bool any = false;
        for (const PointRef& ref : g.experiments) {
            const Experiment* e = experimentAt(sets, ref);
            if (!e || !include(*e, options.hideFailed))
                continue;
            for (int pi = 0; pi < e->points.size(); ++pi) {
                const LoadPoint& p = e->points.at(pi);
                if (!includePoint(*e, p, options.hideFailed))
                    continue;
                const qsizetype level = s.levels.indexOf(p.loadLabel());
                const double v = p.throughput(options.throughput);
                if (level < 0 || !hasValue(v))
                    continue;
                ThroughputBar& bar = row.bars[level];
                ++bar.runs;
                const bool failed = pointFailed(*e, p);
                // A successful run always beats a failed one; among equals, the higher value.
                const bool better =
                    !hasValue(bar.value) || (bar.failed && !failed) || (bar.failed == failed && v > bar.value);
                if (better) {
                    bar.value = v;
                    bar.source = PointRef{ref.set, ref.experiment, pi};
                    bar.failed = failed;
                }
                any = true;
            }
        }
        if (any)
            s.rows << row;
    }
    return s;
}

MemorySeries memorySeries(const QList<ResultSet>& sets, const QList<ConfigGroup>& groups, const ChartOptions& options)
{
    MemorySeries s;
    for (const ConfigGroup& g : groups) {
        MemoryBar bar;
        bar.groupKey = g.key;
        bar.label = g.label;
        double meanSum = 0;
        int meanN = 0;
        for (const PointRef& ref : g.experiments) {
            const Experiment* e = experimentAt(sets, ref);
            if (!e || !include(*e, options.hideFailed))
                continue;
            ++bar.experiments;
            if (hasValue(e->peakMemoryGiB) && (!hasValue(bar.peakGiB) || e->peakMemoryGiB > bar.peakGiB)) {
                bar.peakGiB = e->peakMemoryGiB;
                bar.peakSource = ref;
                bar.memorySource = e->memorySource;
            }
            if (hasValue(e->meanMemoryGiB)) {
                meanSum += e->meanMemoryGiB;
                ++meanN;
            }
            if (hasValue(e->gpuMemoryTotalGiB))
                bar.totalGiB =
                    hasValue(bar.totalGiB) ? std::max(bar.totalGiB, e->gpuMemoryTotalGiB) : e->gpuMemoryTotalGiB;
            if (e->kvCapacityTokens >= 0 && e->kvCapacityTokens > bar.kvTokens) {
                bar.kvTokens = e->kvCapacityTokens;
                bar.kvPoolGiB = e->kvPoolGiB;
                bar.kvSource = ref;
            }
        }
        if (meanN > 0)
            bar.meanGiB = meanSum / meanN;
        if (bar.experiments == 0)
            continue;
        s.hasMemory = s.hasMemory || hasValue(bar.peakGiB);
        s.hasKv = s.hasKv || bar.kvTokens >= 0;
        s.bars << bar;
    }
    return s;
}

namespace
{

double toGiB(qint64 bytes)
{
    return static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0);
}

} // namespace

void addMemoryPrediction(MemorySeries& series,
                         const QList<ResultSet>& sets,
                         const QList<ConfigGroup>& groups,
                         const ChartOptions& options,
                         const MemoryPredictionInput& input)
{
    series.predictionModel = input.model.idOrPath;
    if (!input.model.config) {
        series.predictionProblem =
            input.model.idOrPath.isEmpty()
                ? u"no model to predict for"_s
                : u"no architecture for %1 (%2)"_s.arg(input.model.idOrPath,
                                                       input.model.configError.isEmpty() ? u"no config.json read"_s
                                                                                         : input.model.configError);
        return;
    }
    QHash<QString, const ConfigGroup*> byKey;
    for (const ConfigGroup& g : groups)
        byKey.insert(g.key, &g);
    for (MemoryBar& bar : series.bars) {
        const ConfigGroup* g = byKey.value(bar.groupKey);
        if (!g || !g->known)
            continue;
        // The first experiment the chart shows stands for the group: its engine, GPU and parameters.
        const Experiment* first = nullptr;
        for (const PointRef& ref : g->experiments) {
            const Experiment* e = experimentAt(sets, ref);
            if (e && include(*e, options.hideFailed)) {
                first = e;
                break;
            }
        }
        MemoryOptions o;
        o.engine = first && !first->engine.isEmpty() ? first->engine : input.engine;
        o.parameters = input.parameters;
        if (first) {
            for (const auto& [key, value] : first->parameters) {
                if (key.startsWith(u"__"_s))
                    continue;
                const auto same = [&](const QPair<QString, QString>& p) { return p.first == key; };
                o.parameters.erase(std::remove_if(o.parameters.begin(), o.parameters.end(), same), o.parameters.end());
                o.parameters.append({key, value});
            }
        }
        // The target GPU as nvidia-smi reported it is exact; the results' GPU size is derived from a rounded
        // percentage, so it is only the fallback.
        o.gpu = input.gpu;
        if (!o.gpu && first && hasValue(first->gpuMemoryTotalGiB) && first->gpuMemoryTotalGiB > 0) {
            GpuInfo gpu;
            gpu.name = first->gpuName;
            gpu.memoryTotalMiB = std::llround(first->gpuMemoryTotalGiB * 1024.0);
            o.gpu = gpu;
        }
        const std::optional<MemoryPrediction> p = predictMemory(input.model, g->config, o);
        if (!p)
            continue;
        bar.predictedWeightsGiB = toGiB(p->weightBytesPerGpu);
        if (p->kvCacheBytesPerGpu) {
            bar.predictedKvPoolGiB = toGiB(std::max<qint64>(0, *p->kvCacheBytesPerGpu));
            bar.predictedReserveGiB = toGiB(p->reserveBytes);
        }
        if (p->kvCapacityTokens)
            bar.predictedKvTokens = *p->kvCapacityTokens;
        bar.predictedEngine = p->engine;
        bar.predictedTensorParallel = p->tensorParallel;
        QStringList note{p->engine.isEmpty() ? u"vLLM rules"_s : ProfileRegistry::engineDisplayName(p->engine)};
        if (!p->gpuName.isEmpty())
            note << p->gpuName;
        else if (p->gpuMemoryBytes)
            note << u"%1 GiB GPU"_s.arg(numberText(std::round(toGiB(*p->gpuMemoryBytes) * 10) / 10));
        else
            note << u"no GPU memory known"_s;
        note << u"TP %1"_s.arg(p->tensorParallel);
        if (p->gpuMemoryBytes)
            note << u"%1 %2"_s.arg(p->memoryFractionKey, numberText(p->memoryFraction));
        bar.predictedNote = note.join(u", "_s);
        series.hasPrediction = true;
        series.hasPredictedKv = series.hasPredictedKv || bar.predictedKvTokens >= 0;
    }
}

QList<int> paretoFront(const QList<QPair<double, double>>& pts)
{
    QList<int> idx;
    for (int i = 0; i < pts.size(); ++i) {
        if (hasValue(pts.at(i).first) && hasValue(pts.at(i).second))
            idx << i;
    }
    std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) {
        if (pts.at(a).first != pts.at(b).first)
            return pts.at(a).first < pts.at(b).first;
        return pts.at(a).second > pts.at(b).second;
    });
    QList<int> front;
    double best = -std::numeric_limits<double>::infinity();
    for (const int i : std::as_const(idx)) {
        if (pts.at(i).second > best) {
            front << i;
            best = pts.at(i).second;
        }
    }
    return front;
}

ParetoSeries paretoSeries(const QList<ResultSet>& sets, const QList<ConfigGroup>& groups, const ChartOptions& options)
{
    ParetoSeries s;
    s.metric = options.throughput;
    s.latency = options.latency;
    s.percentile = options.percentile;
    s.xLabel = u"%1 %2 (ms)"_s.arg(latencyMetricLabel(options.latency), percentileKey(options.percentile));
    s.yLabel = throughputMetricLabel(options.throughput);
    QList<QPair<double, double>> all;
    QList<QPair<int, int>> where; // (group, point)
    for (const ConfigGroup& g : groups) {
        ParetoGroup pg;
        pg.groupKey = g.key;
        pg.label = g.label;
        for (const PointRef& ref : g.experiments) {
            const Experiment* e = experimentAt(sets, ref);
            if (!e || !include(*e, options.hideFailed))
                continue;
            for (int pi = 0; pi < e->points.size(); ++pi) {
                const LoadPoint& p = e->points.at(pi);
                if (!includePoint(*e, p, options.hideFailed))
                    continue;
                ParetoPoint pp;
                pp.latencyMs = p.latency(options.latency).at(options.percentile);
                pp.throughput = p.throughput(options.throughput);
                if (!hasValue(pp.latencyMs) || !hasValue(pp.throughput))
                    continue;
                pp.source = PointRef{ref.set, ref.experiment, pi};
                pp.groupKey = g.key;
                pp.level = p.loadLabel();
                pp.failed = pointFailed(*e, p);
                pg.points << pp;
            }
        }
        if (pg.points.isEmpty())
            continue;
        std::stable_sort(pg.points.begin(), pg.points.end(), [&](const ParetoPoint& a, const ParetoPoint& b) {
            const LoadPoint* pa = pointAt(sets, a.source);
            const LoadPoint* pb = pointAt(sets, b.source);
            return pa->loadOrder() < pb->loadOrder();
        });
        for (int i = 0; i < pg.points.size(); ++i) {
            if (!pg.points.at(i).failed) {
                all << qMakePair(pg.points.at(i).latencyMs, pg.points.at(i).throughput);
                where << qMakePair(static_cast<int>(s.groups.size()), i);
            }
        }
        s.groups << pg;
    }
    for (const int i : paretoFront(all)) {
        ParetoPoint& p = s.groups[where.at(i).first].points[where.at(i).second];
        p.onFront = true;
        s.front << p;
    }
    return s;
}

bool PresetDelta::operator==(const PresetDelta& o) const
{
    if (throughputPctByLevel.size() != o.throughputPctByLevel.size())
        return false;
    for (qsizetype i = 0; i < throughputPctByLevel.size(); ++i) {
        if (throughputPctByLevel.at(i).first != o.throughputPctByLevel.at(i).first ||
            !sameValue(throughputPctByLevel.at(i).second, o.throughputPctByLevel.at(i).second))
            return false;
    }
    return groupKey == o.groupKey && label == o.label && baseline == o.baseline &&
           sameValue(throughputPct, o.throughputPct) && sameValue(latencyPct, o.latencyPct) &&
           sameValue(peakMemoryPct, o.peakMemoryPct) && sameValue(kvCapacityPct, o.kvCapacityPct) &&
           sameValue(kvMemoryPct, o.kvMemoryPct) && summary == o.summary;
}

QString percentText(double pct)
{
    if (!hasValue(pct))
        return {};
    const long long r = std::llround(pct);
    if (r == 0)
        return u"\u00b10 %"_s;
    return (r > 0 ? u"+"_s : u"\u2212"_s) + QString::number(std::llabs(r)) + u" %"_s;
}

QList<PresetDelta> presetDeltas(const QList<ResultSet>& sets,
                                const QList<ConfigGroup>& groups,
                                const QString& baselineKey,
                                const ChartOptions& options)
{
    QList<PresetDelta> out;
    const ThroughputSeries tput = throughputSeries(sets, groups, options);
    const MemorySeries mem = memorySeries(sets, groups, options);
    QString base = baselineKey;
    const auto hasRow = [&](const QString& key) {
        return std::any_of(
                   tput.rows.cbegin(), tput.rows.cend(), [&](const ThroughputRow& r) { return r.groupKey == key; }) ||
               std::any_of(mem.bars.cbegin(), mem.bars.cend(), [&](const MemoryBar& b) { return b.groupKey == key; });
    };
    if (!hasRow(base))
        base = hasRow(u"preset:default"_s) ? u"preset:default"_s : groups.isEmpty() ? QString() : groups.first().key;
    const auto rowOf = [&](const QString& key) -> const ThroughputRow* {
        for (const ThroughputRow& r : tput.rows) {
            if (r.groupKey == key)
                return &r;
        }
        return nullptr;
    };
    const auto memOf = [&](const QString& key) -> const MemoryBar* {
        for (const MemoryBar& b : mem.bars) {
            if (b.groupKey == key)
                return &b;
        }
        return nullptr;
    };
    const ThroughputRow* baseRow = rowOf(base);
    const MemoryBar* baseMem = memOf(base);
    for (const ConfigGroup& g : groups) {
        const ThroughputRow* row = rowOf(g.key);
        const MemoryBar* m = memOf(g.key);
        if (!row && !m)
            continue;
        PresetDelta d;
        d.groupKey = g.key;
        d.label = g.label;
        d.baseline = g.key == base;
        if (row && baseRow) {
            double peak = kNoValue;
            double basePeak = kNoValue;
            double latSum = 0;
            int latN = 0;
            for (qsizetype i = 0; i < tput.levels.size(); ++i) {
                const ThroughputBar& a = row->bars.at(i);
                const ThroughputBar& b = baseRow->bars.at(i);
                // Failed runs (shown on request) never count as a result.
                if (!hasValue(a.value) || !hasValue(b.value) || a.failed || b.failed)
                    continue;
                d.throughputPctByLevel << qMakePair(tput.levels.at(i), pct(a.value, b.value));
                peak = hasValue(peak) ? std::max(peak, a.value) : a.value;
                basePeak = hasValue(basePeak) ? std::max(basePeak, b.value) : b.value;
                const LoadPoint* pa = pointAt(sets, a.source);
                const LoadPoint* pb = pointAt(sets, b.source);
                const double la = pa ? pa->latency(options.latency).at(options.percentile) : kNoValue;
                const double lb = pb ? pb->latency(options.latency).at(options.percentile) : kNoValue;
                const double lp = pct(la, lb);
                if (hasValue(lp)) {
                    latSum += lp;
                    ++latN;
                }
            }
            d.throughputPct = pct(peak, basePeak);
            if (latN > 0)
                d.latencyPct = latSum / latN;
        }
        if (m && baseMem) {
            d.peakMemoryPct = pct(m->peakGiB, baseMem->peakGiB);
            if (m->kvTokens > 0 && baseMem->kvTokens > 0) {
                d.kvCapacityPct = pct(static_cast<double>(m->kvTokens), static_cast<double>(baseMem->kvTokens));
                const bool pools = hasValue(m->kvPoolGiB) && hasValue(baseMem->kvPoolGiB) && m->kvPoolGiB > 0 &&
                                   baseMem->kvPoolGiB > 0;
                const double perToken =
                    pools ? m->kvPoolGiB / static_cast<double>(m->kvTokens) : 1.0 / static_cast<double>(m->kvTokens);
                const double basePerToken = pools ? baseMem->kvPoolGiB / static_cast<double>(baseMem->kvTokens)
                                                  : 1.0 / static_cast<double>(baseMem->kvTokens);
                d.kvMemoryPct = pct(perToken, basePerToken);
            }
        }
        if (d.baseline) {
            d.summary = u"baseline"_s;
        } else {
            QStringList parts;
            if (hasValue(d.throughputPct))
                parts << percentText(d.throughputPct) + u" throughput"_s;
            if (hasValue(d.latencyPct))
                parts << percentText(d.latencyPct) + u' ' + latencyMetricLabel(options.latency) + u' ' +
                             percentileKey(options.percentile);
            if (hasValue(d.kvMemoryPct))
                parts << percentText(d.kvMemoryPct) + u" KV memory"_s;
            if (hasValue(d.peakMemoryPct))
                parts << percentText(d.peakMemoryPct) + u" peak memory"_s;
            d.summary = parts.join(u", "_s);
        }
        out << d;
    }
    return out;
}

} // namespace QuantDesk

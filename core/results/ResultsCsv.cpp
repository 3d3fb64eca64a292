#include "ResultsCsv.h"

#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

QString count(qint64 v)
{
    return v < 0 ? QString() : QString::number(v);
}

void latency(QStringList& row, const LatencyMs& l)
{
    row << numberText(l.mean) << numberText(l.p50) << numberText(l.p90) << numberText(l.p99);
}

} // namespace

QStringList ResultsCsv::header()
{
    QStringList h{u"source_tool"_s,  u"source_file"_s, u"set"_s,           u"experiment"_s,      u"status"_s,
                  u"preset"_s,       u"gemm_dtype"_s,  u"kvcache_dtype"_s, u"attention_dtype"_s, u"moe_dtype"_s,
                  u"quant_source"_s, u"engine"_s,      u"gpu"_s,           u"gpu_count"_s,       u"concurrency"_s,
                  u"request_rate"_s, u"scenario"_s,    u"out_tok_s"_s,     u"total_tok_s"_s,     u"per_gpu_out_tok_s"_s,
                  u"req_s"_s};
    for (const QString& m : {u"ttft"_s, u"tpot"_s, u"itl"_s, u"e2e"_s}) {
        for (const QString& p : {u"mean"_s, u"p50"_s, u"p90"_s, u"p99"_s})
            h << m + u"_ms_"_s + p;
    }
    h << u"error_rate"_s << u"requests"_s << u"peak_mem_gib"_s << u"kv_capacity_tokens"_s << u"parameters"_s
      << u"error"_s;
    return h;
}

QString ResultsCsv::field(const QString& v)
{
    const bool quote = v.contains(u',') || v.contains(u'"') || v.contains(u'\n') || v.contains(u'\r') ||
                       v.startsWith(u' ') || v.endsWith(u' ');
    if (!quote)
        return v;
    return u'"' + QString(v).replace(u"\""_s, u"\"\""_s) + u'"';
}

QByteArray ResultsCsv::toCsv(const QList<ResultSet>& sets)
{
    QString out;
    const auto line = [&](const QStringList& row) {
        QStringList fields;
        fields.reserve(row.size());
        for (const QString& f : row)
            fields << field(f);
        out += fields.join(u',') + u"\r\n"_s;
    };
    const QStringList columns = header();
    line(columns);
    for (const ResultSet& s : sets) {
        for (const Experiment& e : s.experiments) {
            QStringList params;
            for (const auto& [k, v] : e.parameters)
                params << k + u'=' + v;
            QStringList head{s.tool,
                             s.sourcePath,
                             s.name,
                             e.id,
                             runStatusKey(e.status),
                             e.preset,
                             e.quantKnown ? e.quant.gemm : QString(),
                             e.quantKnown ? e.quant.kvcache : QString(),
                             e.quantKnown ? e.quant.attention : QString(),
                             e.quantKnown ? e.quant.moe : QString(),
                             e.quantSource,
                             e.engine,
                             e.gpuName,
                             e.gpuCount > 0 ? QString::number(e.gpuCount) : QString()};
            const QStringList tail{numberText(e.peakMemoryGiB), count(e.kvCapacityTokens), params.join(u' '), e.error};
            if (e.points.isEmpty()) {
                QStringList row = head;
                while (row.size() < columns.size() - tail.size())
                    row << QString();
                row << tail;
                line(row);
                continue;
            }
            for (const LoadPoint& p : e.points) {
                QStringList row = head;
                row << (p.concurrency > 0 ? QString::number(p.concurrency) : QString()) << numberText(p.requestRate)
                    << p.scenario << numberText(p.outputTokS) << numberText(p.totalTokS)
                    << numberText(p.perGpuOutputTokS) << numberText(p.requestsS);
                latency(row, p.ttft);
                latency(row, p.tpot);
                latency(row, p.itl);
                latency(row, p.e2e);
                row << numberText(p.errorRate) << count(p.requests) << tail;
                line(row);
            }
        }
    }
    return out.toUtf8();
}

bool ResultsCsv::write(const QList<ResultSet>& sets, const QString& path, QString* error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        if (error)
            *error = u"%1: %2"_s.arg(path, f.errorString());
        return false;
    }
    f.write(toCsv(sets));
    if (!f.commit()) {
        if (error)
            *error = u"%1: %2"_s.arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace QuantDesk

#include "ResultsLibrary.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>
#include <QVariant>

#include "core/quant/Presets.h"
#include "core/store/Sqlite.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

QVariant real(double v)
{
    return std::isnan(v) ? QVariant(QMetaType(QMetaType::Double)) : QVariant(v);
}

double realOf(const QVariant& v)
{
    return v.isNull() ? kNoValue : v.toDouble();
}

QVariant text(const QString& s)
{
    return s.isNull() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(s);
}

QString textOf(const QVariant& v)
{
    return v.isNull() ? QString() : v.toString();
}

QByteArray paramsJson(const QList<QPair<QString, QString>>& params)
{
    QJsonArray a;
    for (const auto& [k, v] : params)
        a.append(QJsonArray{k, v});
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

QList<QPair<QString, QString>> paramsFromJson(const QByteArray& data)
{
    QList<QPair<QString, QString>> out;
    const QJsonArray a = QJsonDocument::fromJson(data).array();
    for (const QJsonValue& v : a) {
        const QJsonArray kv = v.toArray();
        out << qMakePair(kv.at(0).toString(), kv.at(1).toString());
    }
    return out;
}

const QString kPointColumns =
    u"experiment_id, position, concurrency, request_rate, aggregate, scenario, out_tok_s, in_tok_s, total_tok_s, "
    "per_gpu_out_tok_s, per_gpu_total_tok_s, req_s, ttft_mean, ttft_p50, ttft_p90, ttft_p99, tpot_mean, tpot_p50, "
    "tpot_p90, tpot_p99, itl_mean, itl_p50, itl_p90, itl_p99, e2e_mean, e2e_p50, e2e_p90, e2e_p99, error_rate, "
    "requests, completed, errors, duration_s"_s;

const QString kExperimentColumns =
    u"set_id, position, ext_id, number, status, status_text, error, parameters, objective, elapsed_s, quant_known, "
    "gemm, kvcache, attention, moe, preset, label, quant_source, engine, engine_version, model, gpu_name, gpu_count, "
    "peak_mem_gib, mean_mem_gib, gpu_mem_total_gib, memory_source, kv_tokens, kv_pool_gib, kv_source"_s;

QString placeholders(const QString& columns)
{
    QStringList q;
    for (qsizetype i = 0, n = columns.count(u',') + 1; i < n; ++i)
        q << u"?"_s;
    return q.join(u", "_s);
}

} // namespace

QString ResultsLibrary::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/results.sqlite"_s;
}

ResultsLibrary::ResultsLibrary(const QString& path)
    : m_path(path), m_connection(Sqlite::newConnectionName(u"quantdesk-results"_s))
{
    m_error = Sqlite::open(path, m_connection);
    if (m_error.isEmpty())
        m_open = migrate();
}

ResultsLibrary::~ResultsLibrary()
{
    Sqlite::close(m_connection);
}

bool ResultsLibrary::exec(const QString& sql)
{
    return Sqlite::exec(m_connection, sql, &m_error);
}

int ResultsLibrary::schemaVersion() const
{
    return Sqlite::userVersion(m_connection);
}

bool ResultsLibrary::migrate()
{
    QStringList latency;
    for (const QString& m : {u"ttft"_s, u"tpot"_s, u"itl"_s, u"e2e"_s}) {
        for (const QString& p : {u"mean"_s, u"p50"_s, u"p90"_s, u"p99"_s})
            latency << m + u'_' + p + u" REAL"_s;
    }
    // steps[i]: schema version i → i + 1.
    const QList<QStringList> steps{{
        u"CREATE TABLE result_sets (id INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL UNIQUE, "
        "name TEXT NOT NULL, source_path TEXT, format TEXT NOT NULL, tool TEXT, job_id INTEGER, "
        "imported_at TEXT NOT NULL, experiment_count INTEGER NOT NULL, point_count INTEGER NOT NULL, "
        "warning_count INTEGER NOT NULL DEFAULT 0, warnings TEXT)"_s,
        u"CREATE TABLE experiments (id INTEGER PRIMARY KEY AUTOINCREMENT, set_id INTEGER NOT NULL "
        "REFERENCES result_sets(id) ON DELETE CASCADE, position INTEGER NOT NULL, ext_id TEXT NOT NULL, "
        "number INTEGER NOT NULL, status TEXT NOT NULL, status_text TEXT, error TEXT, parameters TEXT, "
        "objective REAL, elapsed_s REAL, quant_known INTEGER NOT NULL, gemm TEXT, kvcache TEXT, "
        "attention TEXT, moe TEXT, preset TEXT, label TEXT NOT NULL, quant_source TEXT, engine TEXT, "
        "engine_version TEXT, model TEXT, gpu_name TEXT, gpu_count INTEGER, peak_mem_gib REAL, "
        "mean_mem_gib REAL, gpu_mem_total_gib REAL, memory_source TEXT, kv_tokens INTEGER, "
        "kv_pool_gib REAL, kv_source TEXT)"_s,
        u"CREATE TABLE load_points (id INTEGER PRIMARY KEY AUTOINCREMENT, experiment_id INTEGER NOT NULL "
        "REFERENCES experiments(id) ON DELETE CASCADE, position INTEGER NOT NULL, concurrency INTEGER, "
        "request_rate REAL, aggregate INTEGER, scenario TEXT, out_tok_s REAL, in_tok_s REAL, "
        "total_tok_s REAL, per_gpu_out_tok_s REAL, per_gpu_total_tok_s REAL, req_s REAL, "_s +
            latency.join(u", "_s) +
            u", error_rate REAL, requests INTEGER, completed INTEGER, errors INTEGER, duration_s REAL)"_s,
        u"CREATE INDEX experiments_set ON experiments(set_id)"_s,
        u"CREATE INDEX experiments_label ON experiments(label)"_s,
        u"CREATE INDEX load_points_experiment ON load_points(experiment_id)"_s,
        u"CREATE INDEX result_sets_job ON result_sets(job_id)"_s,
        u"CREATE INDEX result_sets_source ON result_sets(source_path)"_s,
    }};
    static_assert(kSchemaVersion == 1, "add a migration step");
    return Sqlite::migrate(m_connection, u"the results library"_s, steps, &m_error);
}

std::optional<qint64> ResultsLibrary::add(const ResultSet& set)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    if (!m_open)
        return std::nullopt;
    db.transaction();
    const auto fail = [&](const QSqlQuery& q) {
        m_error = q.lastError().text();
        db.rollback();
        return std::nullopt;
    };
    QSqlQuery q(db);
    // Replace what the same file or job stored before.
    if (!set.sourcePath.isEmpty() || set.jobId > 0) {
        q.prepare(
            u"DELETE FROM result_sets WHERE (source_path <> '' AND source_path = ?) OR (job_id > 0 AND job_id = ?)"_s);
        q.addBindValue(set.sourcePath);
        q.addBindValue(set.jobId);
        if (!q.exec())
            return fail(q);
    }
    q.prepare(u"INSERT INTO result_sets (uuid, name, source_path, format, tool, job_id, imported_at, "
              "experiment_count, point_count, warning_count, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
    q.addBindValue(set.name);
    q.addBindValue(set.sourcePath);
    q.addBindValue(resultFormatKey(set.format));
    q.addBindValue(set.tool);
    q.addBindValue(set.jobId);
    q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    q.addBindValue(static_cast<int>(set.experiments.size()));
    q.addBindValue(set.pointCount());
    q.addBindValue(set.warningCount);
    q.addBindValue(
        QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(set.warnings)).toJson(QJsonDocument::Compact)));
    if (!q.exec())
        return fail(q);
    const qint64 setId = q.lastInsertId().toLongLong();

    QSqlQuery eq(db);
    eq.prepare(u"INSERT INTO experiments (%1) VALUES (%2)"_s.arg(kExperimentColumns, placeholders(kExperimentColumns)));
    QSqlQuery pq(db);
    pq.prepare(u"INSERT INTO load_points (%1) VALUES (%2)"_s.arg(kPointColumns, placeholders(kPointColumns)));
    for (int i = 0; i < set.experiments.size(); ++i) {
        const Experiment& e = set.experiments.at(i);
        for (const QVariant& v : {QVariant(setId),
                                  QVariant(i),
                                  QVariant(e.id),
                                  QVariant(e.number),
                                  QVariant(runStatusKey(e.status)),
                                  text(e.statusText),
                                  text(e.error),
                                  QVariant(QString::fromUtf8(paramsJson(e.parameters))),
                                  real(e.objectiveScore),
                                  real(e.elapsedS),
                                  QVariant(e.quantKnown ? 1 : 0),
                                  QVariant(e.quant.gemm),
                                  QVariant(e.quant.kvcache),
                                  QVariant(e.quant.attention),
                                  QVariant(e.quant.moe),
                                  text(e.preset),
                                  QVariant(e.configLabel()),
                                  text(e.quantSource),
                                  text(e.engine),
                                  text(e.engineVersion),
                                  text(e.model),
                                  text(e.gpuName),
                                  QVariant(e.gpuCount),
                                  real(e.peakMemoryGiB),
                                  real(e.meanMemoryGiB),
                                  real(e.gpuMemoryTotalGiB),
                                  text(e.memorySource),
                                  QVariant(e.kvCapacityTokens),
                                  real(e.kvPoolGiB),
                                  text(e.kvSource)})
            eq.addBindValue(v);
        if (!eq.exec())
            return fail(eq);
        const qint64 expId = eq.lastInsertId().toLongLong();
        for (int pi = 0; pi < e.points.size(); ++pi) {
            const LoadPoint& p = e.points.at(pi);
            QVariantList values{QVariant(expId),
                                QVariant(pi),
                                QVariant(p.concurrency),
                                real(p.requestRate),
                                QVariant(p.aggregate ? 1 : 0),
                                text(p.scenario),
                                real(p.outputTokS),
                                real(p.inputTokS),
                                real(p.totalTokS),
                                real(p.perGpuOutputTokS),
                                real(p.perGpuTotalTokS),
                                real(p.requestsS)};
            for (const LatencyMs* l : {&p.ttft, &p.tpot, &p.itl, &p.e2e})
                values << real(l->mean) << real(l->p50) << real(l->p90) << real(l->p99);
            values << real(p.errorRate) << QVariant(p.requests) << QVariant(p.completed) << QVariant(p.errors)
                   << real(p.durationS);
            for (const QVariant& v : std::as_const(values))
                pq.addBindValue(v);
            if (!pq.exec())
                return fail(pq);
        }
    }
    if (!db.commit()) {
        m_error = db.lastError().text();
        return std::nullopt;
    }
    return setId;
}

QList<LibraryEntry> ResultsLibrary::entries() const
{
    QList<LibraryEntry> out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (!q.exec(u"SELECT id, uuid, name, source_path, format, tool, job_id, imported_at, experiment_count, "
                "point_count, warning_count FROM result_sets ORDER BY imported_at DESC, id DESC"_s))
        return out;
    QHash<qint64, qsizetype> index;
    while (q.next()) {
        LibraryEntry e;
        e.id = q.value(0).toLongLong();
        e.uuid = q.value(1).toString();
        e.name = q.value(2).toString();
        e.sourcePath = textOf(q.value(3));
        e.format = resultFormatFromKey(q.value(4).toString()).value_or(ResultFormat::Unknown);
        e.tool = textOf(q.value(5));
        e.jobId = q.value(6).toLongLong();
        e.importedAt = QDateTime::fromString(q.value(7).toString(), Qt::ISODateWithMs);
        e.experiments = q.value(8).toInt();
        e.points = q.value(9).toInt();
        e.warningCount = q.value(10).toInt();
        index.insert(e.id, out.size());
        out << e;
    }
    QSqlQuery c(QSqlDatabase::database(m_connection));
    if (c.exec(u"SELECT set_id, label FROM experiments ORDER BY set_id, position"_s)) {
        while (c.next()) {
            const auto it = index.constFind(c.value(0).toLongLong());
            if (it == index.cend())
                continue;
            QStringList& configs = out[*it].configs;
            const QString label = c.value(1).toString();
            if (!configs.contains(label))
                configs << label;
        }
    }
    return out;
}

std::optional<ResultSet> ResultsLibrary::load(qint64 id) const
{
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    QSqlQuery q(db);
    q.prepare(
        u"SELECT name, source_path, format, tool, job_id, warning_count, warnings FROM result_sets WHERE id = ?"_s);
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    ResultSet s;
    s.name = q.value(0).toString();
    s.sourcePath = textOf(q.value(1));
    s.format = resultFormatFromKey(q.value(2).toString()).value_or(ResultFormat::Unknown);
    s.tool = textOf(q.value(3));
    s.jobId = q.value(4).toLongLong();
    s.warningCount = q.value(5).toInt();
    for (const QJsonValue& w : QJsonDocument::fromJson(q.value(6).toString().toUtf8()).array())
        s.warnings << w.toString();

    QSqlQuery eq(db);
    eq.prepare(u"SELECT id, %1 FROM experiments WHERE set_id = ? ORDER BY position"_s.arg(kExperimentColumns));
    eq.addBindValue(id);
    if (!eq.exec())
        return std::nullopt;
    QHash<qint64, qsizetype> index;
    while (eq.next()) {
        Experiment e;
        int c = 3; // id, set_id, position
        e.id = eq.value(c++).toString();
        e.number = eq.value(c++).toInt();
        e.status = runStatusFromText(eq.value(c++).toString());
        e.statusText = textOf(eq.value(c++));
        e.error = textOf(eq.value(c++));
        e.parameters = paramsFromJson(eq.value(c++).toString().toUtf8());
        e.objectiveScore = realOf(eq.value(c++));
        e.elapsedS = realOf(eq.value(c++));
        e.quantKnown = eq.value(c++).toInt() != 0;
        e.quant.gemm = eq.value(c++).toString();
        e.quant.kvcache = eq.value(c++).toString();
        e.quant.attention = eq.value(c++).toString();
        e.quant.moe = eq.value(c++).toString();
        e.preset = textOf(eq.value(c++));
        ++c; // label
        e.quantSource = textOf(eq.value(c++));
        e.engine = textOf(eq.value(c++));
        e.engineVersion = textOf(eq.value(c++));
        e.model = textOf(eq.value(c++));
        e.gpuName = textOf(eq.value(c++));
        e.gpuCount = eq.value(c++).toInt();
        e.peakMemoryGiB = realOf(eq.value(c++));
        e.meanMemoryGiB = realOf(eq.value(c++));
        e.gpuMemoryTotalGiB = realOf(eq.value(c++));
        e.memorySource = textOf(eq.value(c++));
        e.kvCapacityTokens = eq.value(c++).toLongLong();
        e.kvPoolGiB = realOf(eq.value(c++));
        e.kvSource = textOf(eq.value(c++));
        index.insert(eq.value(0).toLongLong(), s.experiments.size());
        s.experiments << e;
    }
    QSqlQuery pq(db);
    pq.prepare(u"SELECT %1 FROM load_points WHERE experiment_id IN (SELECT id FROM experiments WHERE set_id = ?) "
               "ORDER BY experiment_id, position"_s.arg(kPointColumns));
    pq.addBindValue(id);
    if (!pq.exec())
        return std::nullopt;
    while (pq.next()) {
        const auto it = index.constFind(pq.value(0).toLongLong());
        if (it == index.cend())
            continue;
        LoadPoint p;
        int c = 2;
        p.concurrency = pq.value(c++).toInt();
        p.requestRate = realOf(pq.value(c++));
        p.aggregate = pq.value(c++).toInt() != 0;
        p.scenario = textOf(pq.value(c++));
        p.outputTokS = realOf(pq.value(c++));
        p.inputTokS = realOf(pq.value(c++));
        p.totalTokS = realOf(pq.value(c++));
        p.perGpuOutputTokS = realOf(pq.value(c++));
        p.perGpuTotalTokS = realOf(pq.value(c++));
        p.requestsS = realOf(pq.value(c++));
        for (LatencyMs* l : {&p.ttft, &p.tpot, &p.itl, &p.e2e}) {
            l->mean = realOf(pq.value(c++));
            l->p50 = realOf(pq.value(c++));
            l->p90 = realOf(pq.value(c++));
            l->p99 = realOf(pq.value(c++));
        }
        p.errorRate = realOf(pq.value(c++));
        p.requests = pq.value(c++).toLongLong();
        p.completed = pq.value(c++).toLongLong();
        p.errors = pq.value(c++).toLongLong();
        p.durationS = realOf(pq.value(c++));
        s.experiments[*it].points << p;
    }
    return s;
}

QList<ResultSet> ResultsLibrary::load(const QList<qint64>& ids) const
{
    QList<ResultSet> out;
    for (const qint64 id : ids) {
        if (auto s = load(id))
            out << std::move(*s);
    }
    return out;
}

bool ResultsLibrary::remove(qint64 id)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"DELETE FROM result_sets WHERE id = ?"_s);
    q.addBindValue(id);
    if (!q.exec()) {
        m_error = q.lastError().text();
        return false;
    }
    return q.numRowsAffected() > 0;
}

QStringList ResultsLibrary::configs() const
{
    QStringList presets;
    QStringList others;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (!q.exec(u"SELECT DISTINCT label, preset IS NOT NULL AND preset <> '' FROM experiments ORDER BY label"_s))
        return {};
    while (q.next())
        (q.value(1).toBool() ? presets : others) << q.value(0).toString();
    // Built-in presets in their fixed order first.
    QStringList out;
    for (const Preset& p : builtInPresets()) {
        if (presets.removeAll(p.name) > 0)
            out << p.name;
    }
    return out + presets + others;
}

QList<qint64> ResultsLibrary::setsWithConfig(const QString& label) const
{
    QList<qint64> out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"SELECT DISTINCT set_id FROM experiments WHERE label = ? ORDER BY set_id"_s);
    q.addBindValue(label);
    if (q.exec()) {
        while (q.next())
            out << q.value(0).toLongLong();
    }
    return out;
}

} // namespace QuantDesk

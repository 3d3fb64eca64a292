#include "Sqlite.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <atomic>

using namespace Qt::StringLiterals;

namespace QuantDesk::Sqlite
{

namespace
{
std::atomic<int> g_connections{0};
} // namespace

QString newConnectionName(const QString& prefix)
{
    return u"%1-%2"_s.arg(prefix).arg(++g_connections);
}

QString open(const QString& path, const QString& connection)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
    db.setDatabaseName(path);
    if (!db.open())
        return u"%1: %2"_s.arg(path, db.lastError().text());
    // WAL: readers never block the writer, and a crash mid-write leaves the last committed state.
    QString error;
    exec(connection, u"PRAGMA journal_mode=WAL"_s, &error);
    exec(connection, u"PRAGMA synchronous=NORMAL"_s, &error);
    exec(connection, u"PRAGMA foreign_keys=ON"_s, &error);
    return {};
}

void close(const QString& connection)
{
    {
        QSqlDatabase db = QSqlDatabase::database(connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(connection);
}

bool exec(const QString& connection, const QString& sql, QString* error)
{
    QSqlQuery q(QSqlDatabase::database(connection));
    if (!q.exec(sql)) {
        if (error)
            *error = u"%1: %2"_s.arg(sql.left(60), q.lastError().text());
        return false;
    }
    return true;
}

int userVersion(const QString& connection)
{
    QSqlQuery q(QSqlDatabase::database(connection));
    if (q.exec(u"PRAGMA user_version"_s) && q.next())
        return q.value(0).toInt();
    return -1;
}

bool migrate(const QString& connection, const QString& what, const QList<QStringList>& steps, QString* error)
{
    const int version = userVersion(connection);
    if (version < 0) {
        if (error)
            *error = u"%1: not a readable SQLite database: %2"_s.arg(
                what, QSqlDatabase::database(connection).lastError().text());
        return false;
    }
    if (version > steps.size()) {
        if (error) {
            *error = u"%1 was written by a newer QuantDesk (schema %2, this one knows %3)"_s.arg(what).arg(version).arg(
                steps.size());
        }
        return false;
    }
    QSqlDatabase db = QSqlDatabase::database(connection);
    for (qsizetype v = version; v < steps.size(); ++v) {
        db.transaction();
        bool ok = true;
        for (const QString& sql : steps.at(v))
            ok = ok && exec(connection, sql, error);
        ok = ok && exec(connection, u"PRAGMA user_version = %1"_s.arg(v + 1), error);
        if (!ok) {
            db.rollback();
            return false;
        }
        db.commit();
    }
    return true;
}

} // namespace QuantDesk::Sqlite

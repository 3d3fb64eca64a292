#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// The SQLite plumbing the job history and the results library share: one named Qt Sql connection per file, WAL
// journal, foreign keys, and schema migrations by PRAGMA user_version.
namespace QuantDesk::Sqlite
{

// A connection name no other store uses ("<prefix>-<n>").
[[nodiscard]] QString newConnectionName(const QString& prefix);
// Opens (creating folders and file) path under the connection name. Returns "" or the error, naming the file.
[[nodiscard]] QString open(const QString& path, const QString& connection);
void close(const QString& connection);
bool exec(const QString& connection, const QString& sql, QString* error);
[[nodiscard]] int userVersion(const QString& connection); // -1 on error
// steps[i] holds the statements that move the schema from version i to i + 1; each step runs in its own
// transaction and sets user_version. A file newer than steps.size() is refused: `what` names it in the message.
bool migrate(const QString& connection, const QString& what, const QList<QStringList>& steps, QString* error);

} // namespace QuantDesk::Sqlite

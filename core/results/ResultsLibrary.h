#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

#include "core/results/ResultModel.h"

namespace QuantDesk
{

// One stored result set, as listed.
struct LibraryEntry
{
    qint64 id = 0;
    QString uuid;
    QString name;
    QString sourcePath;
    ResultFormat format = ResultFormat::Unknown;
    QString tool;
    qint64 jobId = 0;
    QDateTime importedAt;
    int experiments = 0;
    int points = 0;
    int warningCount = 0;
    QStringList configs; // distinct preset names / config labels, in first-seen order

    bool operator==(const LibraryEntry&) const = default;
};

// Every imported or fetched result, in its own SQLite file (results.sqlite in the app data folder, next to the job
// history, whose schema it does not touch): result sets, their experiments and load points in the normalised model,
// with a schema version (PRAGMA user_version) and step-by-step migrations like JobStore. Browse with entries(),
// compare across jobs by loading several sets (or every set that ran a given preset) and charting them together.
// Not thread-safe: use it from one thread.
class ResultsLibrary
{
public:
    explicit ResultsLibrary(const QString& path);
    ~ResultsLibrary();
    ResultsLibrary(const ResultsLibrary&) = delete;
    ResultsLibrary& operator=(const ResultsLibrary&) = delete;

    [[nodiscard]] static QString defaultPath(); // app data folder / results.sqlite
    static constexpr int kSchemaVersion = 1;

    [[nodiscard]] bool isOpen() const { return m_open; }
    [[nodiscard]] const QString& path() const { return m_path; }
    [[nodiscard]] const QString& errorString() const { return m_error; }
    [[nodiscard]] int schemaVersion() const;

    // Stores a set and returns its id. A set from the same file (source path) or the same job replaces the one stored
    // before (re-importing or re-fetching updates, never duplicates). nullopt on a database error (errorString()).
    std::optional<qint64> add(const ResultSet& set);
    [[nodiscard]] QList<LibraryEntry> entries() const; // newest first
    [[nodiscard]] std::optional<ResultSet> load(qint64 id) const;
    [[nodiscard]] QList<ResultSet> load(const QList<qint64>& ids) const;
    bool remove(qint64 id);

    // Comparing across jobs: the configs stored anywhere (preset names first), and the sets that ran one of them.
    [[nodiscard]] QStringList configs() const;
    [[nodiscard]] QList<qint64> setsWithConfig(const QString& label) const;

private:
    bool migrate();
    bool exec(const QString& sql);

    QString m_path;
    QString m_connection;
    QString m_error;
    bool m_open = false;
};

} // namespace QuantDesk

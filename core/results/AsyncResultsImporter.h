#pragma once

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QStringList>
#include <atomic>
#include <memory>

#include "core/results/ResultsImporter.h"

namespace QuantDesk
{

// Imports result files off the calling (UI) thread: QtConcurrent::run with a QPromise reports progress, a
// QFutureWatcher parented to this object delivers the results on the thread that owns it. cancel() sets an atomic
// flag the importer polls (about every MiB), so even a 300 MB file stops within milliseconds.
class AsyncResultsImporter : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AsyncResultsImporter)

public:
    explicit AsyncResultsImporter(QObject* parent = nullptr);
    // Cancels a running import and waits for it.
    ~AsyncResultsImporter() override;

    // Starts importing paths (files or folders) in order; refused (false) while an import runs.
    bool start(const QStringList& paths, const ImportOptions& options = {});
    // Also store each set read in the results library at path, on the worker thread (its own connection): storing
    // tens of thousands of experiments takes as long as reading them, too long for the UI thread. "" = do not.
    void setLibraryPath(const QString& path) { m_libraryPath = path; }
    void cancel();
    [[nodiscard]] bool isRunning() const;
    // The results of the last finished import, one per path (cancelled ones flagged).
    [[nodiscard]] const QList<ImportResult>& results() const { return m_results; }

signals:
    // permille over all paths; path is the file being read.
    void progressChanged(int permille, const QString& path);
    void finished(bool cancelled);

private:
    QFutureWatcher<QList<ImportResult>> m_watcher;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QList<ImportResult> m_results;
    QString m_libraryPath;
};

} // namespace QuantDesk

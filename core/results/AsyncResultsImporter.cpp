#include "AsyncResultsImporter.h"

#include <QPromise>
#include <cmath>
#include <memory>

#include <QtConcurrent/QtConcurrentRun>

#include "core/results/ResultsLibrary.h"

namespace QuantDesk
{

AsyncResultsImporter::AsyncResultsImporter(QObject* parent) : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcher<QList<ImportResult>>::progressValueChanged, this, [this](int value) {
        emit progressChanged(value, m_watcher.progressText());
    });
    connect(&m_watcher, &QFutureWatcher<QList<ImportResult>>::finished, this, [this] {
        const QFuture<QList<ImportResult>> f = m_watcher.future();
        m_results = f.resultCount() > 0 ? f.result() : QList<ImportResult>();
        const bool cancelled = m_cancel && m_cancel->load();
        emit finished(cancelled);
    });
}

AsyncResultsImporter::~AsyncResultsImporter()
{
    cancel();
    m_watcher.waitForFinished();
}

bool AsyncResultsImporter::start(const QStringList& paths, const ImportOptions& options)
{
    if (isRunning())
        return false;
    m_results.clear();
    m_cancel = std::make_shared<std::atomic_bool>(false);
    auto cancel = m_cancel;
    const QString libraryPath = m_libraryPath;
    m_watcher.setFuture(
        QtConcurrent::run([paths, options, cancel, libraryPath](QPromise<QList<ImportResult>>& promise) {
            promise.setProgressRange(0, 1000);
            QList<ImportResult> out;
            std::unique_ptr<ResultsLibrary> library; // opened on the first set to store
            const qsizetype n = std::max<qsizetype>(paths.size(), 1);
            for (qsizetype i = 0; i < paths.size(); ++i) {
                const QString& path = paths.at(i);
                if (cancel->load()) {
                    ImportResult r;
                    r.cancelled = true;
                    r.error = path + QStringLiteral(": import cancelled");
                    out << r;
                    continue;
                }
                int last = -1;
                ImportControl control;
                control.progress = [&](double f) {
                    const int v =
                        static_cast<int>(std::lround((static_cast<double>(i) + f) * 1000.0 / static_cast<double>(n)));
                    if (v != last) {
                        last = v;
                        promise.setProgressValueAndText(v, path);
                    }
                };
                control.cancelled = [&] { return cancel->load() || promise.isCanceled(); };
                ImportResult r = ResultsImporter::importPath(path, options, control);
                if (r.ok && !libraryPath.isEmpty()) {
                    promise.setProgressValueAndText(last, path + QStringLiteral(" (storing in the results library)"));
                    if (!library)
                        library = std::make_unique<ResultsLibrary>(libraryPath);
                    if (!library->isOpen())
                        r.libraryError = library->errorString();
                    else if (const std::optional<qint64> id = library->add(r.set))
                        r.libraryId = *id;
                    else
                        r.libraryError = library->errorString();
                }
                out << r;
            }
            library.reset(); // its connection belongs to this thread
            promise.setProgressValueAndText(1000, QString());
            promise.addResult(out);
        }));
    return true;
}

void AsyncResultsImporter::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

bool AsyncResultsImporter::isRunning() const
{
    return m_watcher.isRunning();
}

} // namespace QuantDesk

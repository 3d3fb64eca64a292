#pragma once

#include <QPointer>
#include <QSet>
#include <QStringDecoder>
#include <QWidget>

#include "core/store/JobStore.h"

class QAction;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QStatusBar;
class QTableView;
class QToolButton;

namespace QuantDesk
{

class JobManager;
class JobNotifier;
class JobsModel;

// The jobs panel: every job with its state, progress, elapsed and remaining time; the log of the selected job
// (what the store holds, then live) with follow and search; cancel, restart, retry under a new name, open results.
// Tells the user through JobNotifier when a job ends.
class JobsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobsPane)

public:
    // store and manager may be null (the job history could not be opened: see setUnavailable).
    JobsPane(JobStore* store, JobManager* manager, QStatusBar* statusBar, QWidget* parent = nullptr);
    ~JobsPane() override;

    // Shows why jobs cannot be used (for example the job history database did not open) and disables everything.
    void setUnavailable(const QString& reason);

    [[nodiscard]] JobsModel* model() const { return m_model; }
    [[nodiscard]] JobNotifier* notifier() const { return m_notifier; }
    [[nodiscard]] QTableView* tableView() const { return m_table; }
    [[nodiscard]] QPlainTextEdit* logView() const { return m_log; }
    [[nodiscard]] qint64 selectedJobId() const;
    void selectJob(qint64 jobId);
    [[nodiscard]] bool isFollowing() const;
    void setFollowing(bool follow);

    // Actions for the Jobs menu (their enabled state follows the selection).
    [[nodiscard]] QAction* cancelAction() const { return m_cancelAction; }
    [[nodiscard]] QAction* restartAction() const { return m_restartAction; }
    [[nodiscard]] QAction* retryAction() const { return m_retryAction; }
    [[nodiscard]] QAction* openResultsAction() const { return m_openResultsAction; }
    [[nodiscard]] QAction* findAction() const { return m_findAction; }

    // Jobs just submitted: shown (and the first selected) before their runners report.
    void showSubmitted(const QList<qint64>& jobIds);

public slots:
    void cancelSelected();
    void restartSelected();
    void retrySelectedWithNewName();
    void openSelectedResults();
    void focusSearch();
    void findNext();
    void findPrevious();

signals:
    void openResultsRequested(qint64 jobId);
    void submitRequested();

private:
    void onCurrentChanged();
    void onJobChanged(const QuantDesk::JobRecord& job);
    void onJobLog(qint64 jobId, const QByteArray& chunk);
    void onJobFinished(const QuantDesk::JobRecord& job);
    void loadLog(qint64 jobId);
    void updateActions();
    void find(bool backwards);
    [[nodiscard]] std::optional<JobRecord> selectedJob() const;

    JobStore* m_store;
    QPointer<JobManager> m_manager;
    JobsModel* m_model = nullptr;
    JobNotifier* m_notifier = nullptr;
    QLabel* m_message = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_logTitle = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QToolButton* m_follow = nullptr;
    QLineEdit* m_search = nullptr;
    QLabel* m_searchStatus = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_restartAction = nullptr;
    QAction* m_retryAction = nullptr;
    QAction* m_openResultsAction = nullptr;
    QAction* m_findAction = nullptr;
    QAction* m_findNextAction = nullptr;
    QAction* m_findPreviousAction = nullptr;
    qint64 m_logJobId = 0;
    QStringDecoder m_decoder;
    QSet<qint64> m_notified;
};

} // namespace QuantDesk

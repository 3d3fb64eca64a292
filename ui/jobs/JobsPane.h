#pragma once

#include <QWidget>

#include "core/store/JobStore.h"

class QAction;
class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace QuantDesk
{

class JobManager;
class JobsModel;

// The jobs dock: every job with its state, progress, elapsed and remaining time; the selected job's log (from the
// store, then live), with Follow and search (Ctrl+F, F3 / Shift+F3); Cancel, Restart, Retry with a new name and
// Open Results.
class JobsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobsPane)

public:
    JobsPane(JobManager* manager, JobStore* store, QWidget* parent = nullptr);
    ~JobsPane() override;

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] JobManager* manager() const { return m_manager; }
    [[nodiscard]] JobsModel* model() const { return m_model; }
    [[nodiscard]] QTableView* table() const { return m_table; }
    [[nodiscard]] QPlainTextEdit* logView() const { return m_log; }
    [[nodiscard]] qint64 currentJobId() const { return m_current; }
    [[nodiscard]] bool isFollowing() const;

    // The pane's actions, for the Jobs menu (each has a unique shortcut).
    [[nodiscard]] QAction* cancelAction() const { return m_cancelAction; }
    [[nodiscard]] QAction* restartAction() const { return m_restartAction; }
    [[nodiscard]] QAction* retryAction() const { return m_retryAction; }
    [[nodiscard]] QAction* openResultsAction() const { return m_openResultsAction; }

    void selectJob(qint64 jobId);
    // Shows jobs just submitted and selects the first.
    void showSubmitted(const QList<qint64>& ids);
    void setFollowing(bool follow);
    // Search in the log: highlights every match and moves to the next / previous one. Returns the match count.
    int findInLog(const QString& text);
    void findNext();
    void findPrevious();

public slots:
    void cancelSelected();
    void restartSelected();
    void retrySelected();
    void openSelectedResults();

signals:
    void openResultsRequested(qint64 jobId);

private:
    void onCurrentChanged();
    void onJobLog(qint64 jobId, const QByteArray& chunk);
    void onJobChanged(const JobRecord& job);
    void loadLog();
    void scrollLogToEnd();
    void updateActions();
    void highlightMatches();
    void find(bool backward);
    [[nodiscard]] std::optional<JobRecord> selectedJob() const;

    JobManager* m_manager;
    JobStore* m_store;
    JobsModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QCheckBox* m_follow = nullptr;
    QLineEdit* m_search = nullptr;
    QLabel* m_matches = nullptr;
    QLabel* m_logTitle = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_restartAction = nullptr;
    QAction* m_retryAction = nullptr;
    QAction* m_openResultsAction = nullptr;
    qint64 m_current = 0;
    bool m_autoScrolling = false;
};

} // namespace QuantDesk

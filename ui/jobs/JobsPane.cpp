#include "ui/jobs/JobsPane.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/remote/JobManager.h"
#include "core/remote/RestJobRunner.h"
#include "ui/Dialogs.h"
#include "ui/jobs/JobsModel.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

constexpr int kMaxHighlights = 5000;

// Draws the progress column as a progress bar with "done/total" on it.
class ProgressBarDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        const double fraction = index.data(JobsModel::ProgressFractionRole).toDouble();
        if (fraction < 0) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        QStyleOptionViewItem background = option;
        initStyleOption(&background, index);
        background.text.clear();
        QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 2, -2, -2);
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = static_cast<int>(fraction * 1000);
        bar.text = index.data(Qt::DisplayRole).toString();
        bar.textVisible = true;
        bar.textAlignment = Qt::AlignCenter;
        bar.state = option.state | QStyle::State_Horizontal;
        bar.palette = option.palette;
        bar.fontMetrics = option.fontMetrics;
        QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);
    }
};

} // namespace

JobsPane::JobsPane(JobManager* manager, JobStore* store, QWidget* parent)
    : QWidget(parent), m_manager(manager), m_store(store)
{
    setObjectName(u"jobsPane"_s);
    m_model = new JobsModel(manager, store, this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(4);

    auto makeAction = [this](const QString& name, const QString& text, const QString& shortcut, const QString& tip) {
        auto* a = new QAction(text, this);
        a->setObjectName(name);
        if (!shortcut.isEmpty())
            a->setShortcut(QKeySequence(shortcut));
        a->setToolTip(tip);
        a->setStatusTip(tip);
        return a;
    };
    m_cancelAction =
        makeAction(u"cancelJobAction"_s, tr("&Cancel Job…"), u"Ctrl+Shift+K"_s, tr("Cancel the selected job"));
    m_restartAction = makeAction(u"restartJobAction"_s,
                                 tr("&Restart Job"),
                                 u"Ctrl+Alt+R"_s,
                                 tr("Run the selected finished job again (REST: on the server; SSH/local: as a new "
                                    "job)"));
    m_retryAction = makeAction(u"retryJobAction"_s,
                               tr("Retry with New &Name…"),
                               u"Ctrl+Alt+N"_s,
                               tr("Submit the failed REST job again under another task name"));
    m_openResultsAction = makeAction(
        u"openJobResultsAction"_s, tr("Open &Results"), u"Ctrl+Alt+J"_s, tr("Show the selected job's fetched results"));
    connect(m_cancelAction, &QAction::triggered, this, &JobsPane::cancelSelected);
    connect(m_restartAction, &QAction::triggered, this, &JobsPane::restartSelected);
    connect(m_retryAction, &QAction::triggered, this, &JobsPane::retrySelected);
    connect(m_openResultsAction, &QAction::triggered, this, &JobsPane::openSelectedResults);

    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(4);
    auto addButton = [&](QAction* action, const QString& name) {
        auto* b = new QToolButton(this);
        b->setObjectName(name);
        b->setDefaultAction(action);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        buttons->addWidget(b);
    };
    addButton(m_cancelAction, u"cancelJobToolButton"_s);
    addButton(m_restartAction, u"restartJobToolButton"_s);
    addButton(m_retryAction, u"retryJobToolButton"_s);
    addButton(m_openResultsAction, u"openJobResultsToolButton"_s);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(u"jobsSplitter"_s);
    split->setChildrenCollapsible(false);
    layout->addWidget(split, 1);

    m_table = new QTableView(split);
    m_table->setObjectName(u"jobsTableView"_s);
    m_table->setAccessibleName(tr("Jobs"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setItemDelegateForColumn(JobsModel::ProgressColumn, new ProgressBarDelegate(m_table));
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(JobsModel::TaskColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(JobsModel::StateColumn, QHeaderView::Stretch);
    m_table->setColumnWidth(JobsModel::HostColumn, 140);
    m_table->setColumnWidth(JobsModel::ProgressColumn, 110);
    m_table->setColumnWidth(JobsModel::ElapsedColumn, 70);
    m_table->setColumnWidth(JobsModel::RemainingColumn, 80);
    m_table->setColumnWidth(JobsModel::StartedColumn, 120);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->addAction(m_cancelAction);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->addAction(m_restartAction);
    m_table->addAction(m_retryAction);
    m_table->addAction(m_openResultsAction);
    split->addWidget(m_table);

    auto* logBox = new QWidget(split);
    auto* logLayout = new QVBoxLayout(logBox);
    logLayout->setContentsMargins(0, 0, 0, 0);
    logLayout->setSpacing(2);
    auto* bar = new QHBoxLayout;
    m_logTitle = new QLabel(tr("Log"), logBox);
    m_logTitle->setObjectName(u"jobLogTitleLabel"_s);
    bar->addWidget(m_logTitle, 1);
    m_search = new QLineEdit(logBox);
    m_search->setObjectName(u"logSearchLineEdit"_s);
    m_search->setPlaceholderText(tr("Search the log (Ctrl+F)"));
    m_search->setAccessibleName(tr("Search the log"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(200);
    bar->addWidget(m_search);
    m_matches = new QLabel(logBox);
    m_matches->setObjectName(u"logMatchesLabel"_s);
    m_matches->setMinimumWidth(80);
    bar->addWidget(m_matches);
    m_follow = new QCheckBox(tr("&Follow"), logBox);
    m_follow->setObjectName(u"followCheckBox"_s);
    m_follow->setToolTip(tr("Keep the view at the end of the log as it grows"));
    m_follow->setChecked(true);
    bar->addWidget(m_follow);
    logLayout->addLayout(bar);
    m_log = new QPlainTextEdit(logBox);
    m_log->setObjectName(u"jobLogPlainTextEdit"_s);
    m_log->setAccessibleName(tr("Job log"));
    m_log->setReadOnly(true);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setPlaceholderText(tr("Select a job to see its log."));
    logLayout->addWidget(m_log, 1);
    split->addWidget(logBox);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);

    auto* findAction = new QAction(tr("Find in Log"), this);
    findAction->setObjectName(u"findInLogAction"_s);
    findAction->setShortcut(QKeySequence(u"Ctrl+F"_s));
    findAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(findAction, &QAction::triggered, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    addAction(findAction);
    auto* nextAction = new QAction(tr("Find Next"), this);
    nextAction->setObjectName(u"findNextInLogAction"_s);
    nextAction->setShortcut(QKeySequence(u"F3"_s));
    nextAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(nextAction, &QAction::triggered, this, &JobsPane::findNext);
    addAction(nextAction);
    auto* previousAction = new QAction(tr("Find Previous"), this);
    previousAction->setObjectName(u"findPreviousInLogAction"_s);
    previousAction->setShortcut(QKeySequence(u"Shift+F3"_s));
    previousAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(previousAction, &QAction::triggered, this, &JobsPane::findPrevious);
    addAction(previousAction);

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString& text) { findInLog(text); });
    connect(m_search, &QLineEdit::returnPressed, this, &JobsPane::findNext);
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            scrollLogToEnd();
    });
    // Scrolling away from the end stops following; scrolling back to the end follows again.
    connect(m_log->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (m_autoScrolling)
            return;
        const bool atEnd = value >= m_log->verticalScrollBar()->maximum();
        if (m_follow->isChecked() != atEnd)
            m_follow->setChecked(atEnd);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &JobsPane::onCurrentChanged);
    if (m_manager) {
        connect(m_manager, &JobManager::jobLog, this, &JobsPane::onJobLog);
        connect(m_manager, &JobManager::jobChanged, this, &JobsPane::onJobChanged);
    }
    updateActions();
}

JobsPane::~JobsPane() = default;

QSize JobsPane::sizeHint() const
{
    // Room for a few jobs and a readable stretch of log.
    const int line = fontMetrics().height();
    return {QWidget::sizeHint().width(), line * 22};
}

bool JobsPane::isFollowing() const
{
    return m_follow->isChecked();
}

void JobsPane::setFollowing(bool follow)
{
    m_follow->setChecked(follow);
}

std::optional<JobRecord> JobsPane::selectedJob() const
{
    return m_model->jobAt(m_model->rowOf(m_current));
}

void JobsPane::selectJob(qint64 jobId)
{
    const int row = m_model->rowOf(jobId);
    if (row < 0)
        return;
    m_table->setCurrentIndex(m_model->index(row, JobsModel::TaskColumn));
    m_table->scrollTo(m_model->index(row, 0));
}

void JobsPane::showSubmitted(const QList<qint64>& ids)
{
    m_model->addJobs(ids);
    if (!ids.isEmpty())
        selectJob(ids.constFirst());
}

void JobsPane::onCurrentChanged()
{
    const QModelIndex current = m_table->currentIndex();
    m_current = current.isValid() ? current.data(JobsModel::JobIdRole).toLongLong() : 0;
    loadLog();
    updateActions();
}

void JobsPane::loadLog()
{
    const std::optional<JobRecord> job = selectedJob();
    m_logTitle->setText(job ? tr("Log of %1").arg(job->taskName) : tr("Log"));
    m_autoScrolling = true;
    m_log->setPlainText(job ? QString::fromUtf8(m_store->log(job->id)) : QString());
    m_autoScrolling = false;
    if (m_follow->isChecked())
        scrollLogToEnd();
    highlightMatches();
}

void JobsPane::scrollLogToEnd()
{
    m_autoScrolling = true;
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
    m_autoScrolling = false;
}

void JobsPane::onJobLog(qint64 jobId, const QByteArray& chunk)
{
    if (jobId != m_current || chunk.isEmpty())
        return;
    QScrollBar* bar = m_log->verticalScrollBar();
    const int keep = bar->value();
    m_autoScrolling = true;
    QTextCursor end(m_log->document());
    end.movePosition(QTextCursor::End);
    end.insertText(QString::fromUtf8(chunk));
    if (m_follow->isChecked())
        bar->setValue(bar->maximum());
    else
        bar->setValue(keep);
    m_autoScrolling = false;
    if (!m_search->text().isEmpty())
        highlightMatches();
}

void JobsPane::onJobChanged(const JobRecord& job)
{
    if (job.id == m_current)
        updateActions();
}

void JobsPane::updateActions()
{
    const std::optional<JobRecord> job = selectedJob();
    const bool rest = job && job->host.kind == HostSpec::Kind::Rest;
    const bool final = job && isFinalState(job->state);
    const bool live = job && m_manager && m_manager->runner(job->id);
    m_cancelAction->setEnabled(job && !final && live);
    m_restartAction->setEnabled(final && (!rest || (live && !job->remoteTaskId.isEmpty())));
    m_retryAction->setEnabled(rest && live && job->state == JobState::Failed);
    m_openResultsAction->setEnabled(job && !m_store->results(job->id).isEmpty());
}

void JobsPane::cancelSelected()
{
    const std::optional<JobRecord> job = selectedJob();
    if (!job || isFinalState(job->state) || !m_manager)
        return;
    QString text = tr("Cancel %1 on %2?").arg(job->taskName, job->host.displayName());
    if (job->host.kind == HostSpec::Kind::Rest) {
        text += u"\n\n"_s + tr("The autotuner's cancel only flips the task's status: an experiment that is already "
                               "running continues until its worker finishes it.");
    } else {
        text += u"\n\n"_s + tr("run_autotuner.py and everything it started (its process group) will be ended.");
    }
    if (Dialogs::question(this, tr("Cancel Job"), text, QMessageBox::Yes | QMessageBox::No, QMessageBox::No) !=
        QMessageBox::Yes)
        return;
    m_manager->cancel(job->id);
}

void JobsPane::restartSelected()
{
    const std::optional<JobRecord> job = selectedJob();
    if (!job || !isFinalState(job->state) || !m_manager)
        return;
    if (job->host.kind == HostSpec::Kind::Rest) {
        m_manager->restart(job->id);
        return;
    }
    // SSH/local: the same exported task runs again as a new job (the old one keeps its log and results).
    showSubmitted(m_manager->submit(job->host, {qMakePair(job->taskName, job->taskJson)}));
}

void JobsPane::retrySelected()
{
    const std::optional<JobRecord> job = selectedJob();
    if (!job || !m_manager || job->state != JobState::Failed)
        return;
    auto* runner = qobject_cast<RestJobRunner*>(m_manager->runner(job->id));
    if (!runner)
        return;
    const QString label = runner->nameConflict()
                              ? tr("The server already has a task named '%1'. Submit again as:").arg(job->taskName)
                              : tr("Submit the task again as:");
    const std::optional<QString> name = Dialogs::getText(
        this, tr("Retry with New Name"), label, runner->nameConflict() ? runner->suggestedName() : job->taskName);
    if (!name || name->trimmed().isEmpty())
        return;
    m_manager->retryWithName(job->id, name->trimmed());
}

void JobsPane::openSelectedResults()
{
    if (const std::optional<JobRecord> job = selectedJob(); job && !m_store->results(job->id).isEmpty())
        emit openResultsRequested(job->id);
}

int JobsPane::findInLog(const QString& text)
{
    Q_UNUSED(text)
    highlightMatches();
    if (!m_search->text().isEmpty()) {
        // Start from the top so the first match is shown.
        QTextCursor c(m_log->document());
        m_log->setTextCursor(c);
        find(false);
    }
    return m_log->extraSelections().size();
}

void JobsPane::findNext()
{
    find(false);
}

void JobsPane::findPrevious()
{
    find(true);
}

void JobsPane::find(bool backward)
{
    const QString text = m_search->text();
    if (text.isEmpty())
        return;
    const QTextDocument::FindFlags flags = backward ? QTextDocument::FindBackward : QTextDocument::FindFlags();
    QTextCursor found = m_log->document()->find(text, m_log->textCursor(), flags);
    if (found.isNull()) {
        // Wrap around.
        QTextCursor from(m_log->document());
        if (backward)
            from.movePosition(QTextCursor::End);
        found = m_log->document()->find(text, from, flags);
    }
    if (found.isNull())
        return;
    // Looking at a match stops following, so new lines do not pull the view away.
    m_follow->setChecked(false);
    m_log->setTextCursor(found);
    m_log->ensureCursorVisible();
}

void JobsPane::highlightMatches()
{
    const QString text = m_search->text();
    QList<QTextEdit::ExtraSelection> selections;
    if (!text.isEmpty()) {
        QTextCharFormat format;
        format.setBackground(QColor(255, 221, 87));
        format.setForeground(Qt::black);
        QTextCursor c(m_log->document());
        while (selections.size() < kMaxHighlights) {
            c = m_log->document()->find(text, c);
            if (c.isNull())
                break;
            selections.append({c, format});
        }
    }
    m_log->setExtraSelections(selections);
    if (text.isEmpty())
        m_matches->clear();
    else if (selections.isEmpty())
        m_matches->setText(tr("no match"));
    else
        m_matches->setText(selections.size() >= kMaxHighlights
                               ? tr("%1+ matches").arg(kMaxHighlights)
                               : (selections.size() == 1 ? tr("1 match") : tr("%1 matches").arg(selections.size())));
}

} // namespace QuantDesk

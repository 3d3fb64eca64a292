// The jobs UI with real parts: a local host running the stand-in autotuner checkout, the loopback fake autotuner
// REST server, real SQLite files. Offscreen; dialogs through the Dialogs seams.

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTreeWidget>
#include <csignal>

#include <sys/types.h>

#include "core/quant/Presets.h"
#include "core/remote/JobManager.h"
#include "core/remote/RestJobRunner.h"
#include "core/results/ResultsLibrary.h"
#include "core/store/JobStore.h"
#include "tests/support/FakeAutotuner.h"
#include "tests/support/StandinAutotuner.h"
#include "ui/Dialogs.h"
#include "ui/MainWindow.h"
#include "ui/Settings.h"
#include "ui/jobs/JobNotifier.h"
#include "ui/jobs/JobsModel.h"
#include "ui/jobs/JobsPane.h"
#include "ui/jobs/SubmitDialog.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;
using namespace QuantDesk::TestSupport;

namespace
{

const QString kPresetTask = QStringLiteral(QUANTDESK_INTEGRATION_DIR "/../../examples/quant_preset_task.json");

QString cell(const JobsModel* model, int row, int column)
{
    return model->index(row, column).data().toString();
}

} // namespace

class TestJobsUi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void modelPassesTheTesterAndEstimates();
    void submitFromTheDialogRunsAndFollows();
    void fetchedResultsGoIntoTheLibrary();
    void cancelEndsTheProcessGroup();
    void aNewWindowReattachesARunningJob();
    void restDuplicateNameRetriesWithANewName();
    void restHttpFaultShowsRetryingThenClears();
    void logSearchHighlightsAndSteps();

private:
    void newWindow();
    [[nodiscard]] JobsPane* pane() const { return m_window->findChild<JobsPane*>(u"jobsPane"_s); }
    [[nodiscard]] JobManager* manager() const { return pane()->manager(); }

    FakeAutotuner m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<PresetStore> m_presets;
    std::unique_ptr<MainWindow> m_window;
};

void TestJobsUi::initTestCase()
{
    QString error;
    QVERIFY2(m_server.start(&error, 0.5), qPrintable(error));
    Dialogs::setRefuseUnexpected(true);
}

void TestJobsUi::init()
{
    Dialogs::resetSeams();
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
    m_presets = std::make_unique<PresetStore>(m_dir->filePath(u"presets"_s));
}

void TestJobsUi::cleanup()
{
    if (m_window) {
        for (const JobRecord& j : manager()->store()->jobs())
            manager()->cancel(j.id);
        QTest::qWait(300);
        m_window->close();
    }
    m_window.reset();
}

void TestJobsUi::newWindow()
{
    m_window = std::make_unique<MainWindow>(*m_settings, *m_presets);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestJobsUi::modelPassesTheTesterAndEstimates()
{
    JobStore store(m_dir->filePath(u"model.sqlite"_s));
    const QDateTime t0 = QDateTime::fromString(u"2026-01-01T10:00:00Z"_s, Qt::ISODate);
    JobRecord a;
    a.taskName = u"half-way"_s;
    a.taskJson = "{}";
    a.state = JobState::Running;
    a.startedAt = t0;
    a.experimentsDone = 2;
    a.experimentsTotal = 6;
    QVERIFY(store.addJob(&a));
    JobRecord b;
    b.taskName = u"just-started"_s;
    b.taskJson = "{}";
    b.state = JobState::Running;
    b.startedAt = t0;
    b.experimentsTotal = 4;
    b.connectionLost = true;
    b.detail = u"ssh: connection refused; retrying in 2 s"_s;
    QVERIFY(store.addJob(&b));
    JobManager jobs(&store, SshOptions{});
    JobsModel model(&jobs, &store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClock([t0] { return t0.addSecs(150); });
    QCOMPARE(model.rowCount(), 2);
    // 150 s for 2 experiments: 75 s each, 4 left → 300 s.
    QCOMPARE(cell(&model, 0, JobsModel::RemainingColumn), u"5:00"_s);
    QCOMPARE(cell(&model, 0, JobsModel::ElapsedColumn), u"2:30"_s);
    QCOMPARE(cell(&model, 0, JobsModel::ProgressColumn), u"2/6"_s);
    QCOMPARE(model.index(0, JobsModel::ProgressColumn).data(JobsModel::ProgressFractionRole).toDouble(), 2.0 / 6);
    QCOMPARE(cell(&model, 1, JobsModel::RemainingColumn), u"—"_s); // nothing finished yet: unknown
    QVERIFY(cell(&model, 1, JobsModel::StateColumn).contains(u"connection lost"_s));
    QCOMPARE(JobsModel::formatDuration(3 * 3600 + 7), u"3:00:07"_s);
    // A change from the manager's signal updates the row in place; a new job is appended.
    a.experimentsDone = 3;
    emit jobs.jobChanged(a);
    QCOMPARE(cell(&model, 0, JobsModel::ProgressColumn), u"3/6"_s);
    JobRecord c;
    c.taskName = u"new"_s;
    c.taskJson = "{}";
    QVERIFY(store.addJob(&c));
    emit jobs.jobChanged(c);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(cell(&model, 2, JobsModel::StateColumn), u"Queued"_s);
}

void TestJobsUi::submitFromTheDialogRunsAndFollows()
{
    auto checkout = makeStandinCheckout(2.0);
    QVERIFY(checkout);
    newWindow();
    QVERIFY(m_window->openFile(kPresetTask));
    auto* notifier = m_window->findChild<JobNotifier*>(u"jobNotifier"_s);
    QVERIFY(notifier);
    QSignalSpy notified(notifier, &JobNotifier::notified);
    auto* submit = m_window->findChild<QAction*>(u"submitToHostAction"_s);
    QVERIFY(submit);
    QCOMPARE(submit->shortcut(), QKeySequence(u"Ctrl+Return"_s));
    submit->trigger();
    SubmitDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<SubmitDialog*>()) != nullptr);
    auto* ok = dialog->findChild<QPushButton*>(u"submitPushButton"_s);
    QVERIFY(!ok->isEnabled()); // no checkout folder yet
    // The example task has one preset: one task, named <task_name>-<preset>.
    QCOMPARE(dialog->tasksTreeWidget()->topLevelItemCount(), 1);
    const QString taskName = dialog->tasksTreeWidget()->topLevelItem(0)->text(0);
    QVERIFY2(taskName.endsWith(u"-kv-cache-fp8"_s), qPrintable(taskName));
    dialog->autotunerDirLineEdit()->setText(checkout->path());
    QVERIFY(ok->isEnabled());
    ok->click();

    auto* dock = m_window->findChild<QDockWidget*>(u"jobsDockWidget"_s);
    QVERIFY(dock->isVisible());
    JobsModel* model = pane()->model();
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(cell(model, 0, JobsModel::TaskColumn), taskName);
    QCOMPARE(pane()->currentJobId(), model->jobAt(0)->id);
    QTRY_VERIFY_WITH_TIMEOUT(cell(model, 0, JobsModel::StateColumn) == u"Running"_s, 20000);
    QVERIFY(model->jobAt(0)->experimentsTotal > 0);
    QCOMPARE(cell(model, 0, JobsModel::ProgressColumn), u"0/%1"_s.arg(model->jobAt(0)->experimentsTotal));
    // The log view fills live and, following, stays at the end.
    QTRY_VERIFY_WITH_TIMEOUT(pane()->logView()->toPlainText().contains(u"Experiment 1"_s), 20000);
    QVERIFY(pane()->isFollowing());
    QScrollBar* bar = pane()->logView()->verticalScrollBar();
    QCOMPARE(bar->value(), bar->maximum());

    QTRY_VERIFY_WITH_TIMEOUT(cell(model, 0, JobsModel::StateColumn) == u"Done"_s, 60000);
    const JobRecord end = *model->jobAt(0);
    QCOMPARE(end.experimentsDone, end.experimentsTotal);
    QCOMPARE(cell(model, 0, JobsModel::RemainingColumn), u"—"_s);
    QVERIFY(pane()->logView()->toPlainText().contains(u"AUTOTUNING COMPLETE"_s));
    // What the view shows is what the store holds.
    QCOMPARE(pane()->logView()->toPlainText(), QString::fromUtf8(manager()->store()->log(end.id)));
    QTRY_COMPARE(notified.size(), 1);
    QCOMPARE(notified.constFirst().at(0).toString(), u"Job done"_s);
    QVERIFY(notified.constFirst().at(1).toString().contains(taskName));
    QTest::qWait(500);
    QCOMPARE(notified.size(), 1); // once per job end
    QVERIFY(pane()->openResultsAction()->isEnabled());
    QSignalSpy open(pane(), &JobsPane::openResultsRequested);
    pane()->openResultsAction()->trigger();
    QCOMPARE(open.size(), 1);
    QCOMPARE(open.constFirst().at(0).toLongLong(), end.id);
}

void TestJobsUi::fetchedResultsGoIntoTheLibrary()
{
    auto checkout = makeStandinCheckout(0.3);
    JobStore store(m_dir->filePath(u"lib-jobs.sqlite"_s));
    ResultsLibrary library(m_dir->filePath(u"results.sqlite"_s));
    QVERIFY2(library.isOpen(), qPrintable(library.errorString()));
    JobManager jobs(&store, SshOptions{});
    jobs.setPollIntervalMs(200);
    jobs.setResultsLibrary(&library);
    HostSpec local;
    local.autotunerDir = checkout->path();
    QSignalSpy imported(&jobs, &JobManager::resultsImported);
    QSignalSpy finished(&jobs, &JobManager::jobFinished);
    const QList<qint64> ids = jobs.submit(local, {qMakePair(u"lib-run"_s, standinTask(u"lib-run"_s, 3))});
    QCOMPARE(ids.size(), 1);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.constFirst().constFirst().value<JobRecord>().state, JobState::Done);
    // Imported before jobFinished, so whoever reacts to the end finds the results.
    QCOMPARE(imported.size(), 1);
    QList<LibraryEntry> entries = library.entries();
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries.constFirst().jobId, ids.constFirst());
    QCOMPARE(entries.constFirst().experiments, 3); // the stand-in ran the 3-point grid
    // Re-fetching replaces the set, never duplicates it.
    QVERIFY(jobs.importResults(ids.constFirst()).has_value());
    entries = library.entries();
    QCOMPARE(entries.size(), 1);
    QCOMPARE(library.load(entries.constFirst().id)->jobId, ids.constFirst());
}

void TestJobsUi::cancelEndsTheProcessGroup()
{
    auto checkout = makeStandinCheckout(30.0);
    newWindow();
    HostSpec local;
    local.autotunerDir = checkout->path();
    manager()->setPollIntervalMs(200);
    const QList<qint64> ids = manager()->submit(local, {qMakePair(u"cancel-me"_s, standinTask(u"cancel-me"_s, 3))});
    pane()->showSubmitted(ids);
    JobsModel* model = pane()->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->jobAt(0)->state == JobState::Running && model->jobAt(0)->remotePid > 0, 20000);
    const qint64 pid = model->jobAt(0)->remotePid;
    QVERIFY(::kill(static_cast<pid_t>(pid), 0) == 0);
    QVERIFY(pane()->cancelAction()->isEnabled());
    // "No" keeps the job running.
    Dialogs::setNextAnswer(QMessageBox::No);
    pane()->cancelAction()->trigger();
    QTest::qWait(500);
    QCOMPARE(model->jobAt(0)->state, JobState::Running);
    Dialogs::setNextAnswer(QMessageBox::Yes);
    pane()->cancelAction()->trigger();
    QVERIFY(Dialogs::lastMessage().contains(u"process group"_s));
    QTRY_COMPARE_WITH_TIMEOUT(cell(model, 0, JobsModel::StateColumn), u"Cancelled"_s, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(::kill(static_cast<pid_t>(pid), 0) != 0, 5000);
    QVERIFY(!pane()->cancelAction()->isEnabled());
}

void TestJobsUi::aNewWindowReattachesARunningJob()
{
    auto checkout = makeStandinCheckout(1.5);
    newWindow();
    HostSpec local;
    local.autotunerDir = checkout->path();
    manager()->setPollIntervalMs(200);
    const QList<qint64> ids = manager()->submit(local, {qMakePair(u"reattach"_s, standinTask(u"reattach"_s, 3))});
    QTRY_VERIFY_WITH_TIMEOUT(manager()->store()->job(ids.constFirst())->logOffset > 0, 20000);
    // Quit mid-job: the autotuner runs on, detached.
    m_window->close();
    m_window.reset();
    newWindow();
    JobsModel* model = pane()->model();
    QCOMPARE(model->rowCount(), 1);
    QVERIFY(manager()->runner(ids.constFirst()) != nullptr); // re-attached on start
    QTRY_VERIFY_WITH_TIMEOUT(cell(model, 0, JobsModel::StateColumn) == u"Done"_s, 60000);
    const QByteArray log = manager()->store()->log(ids.constFirst());
    QCOMPARE(log.count("Experiment 1 completed"), 1); // resumed from the offset: nothing doubled
    QVERIFY(log.contains("AUTOTUNING COMPLETE"));
}

void TestJobsUi::restDuplicateNameRetriesWithANewName()
{
    newWindow();
    HostSpec rest;
    rest.kind = HostSpec::Kind::Rest;
    rest.baseUrl = m_server.url();
    QSignalSpy finished(manager(), &JobManager::jobFinished);
    const QList<qint64> first = manager()->submit(rest, {qMakePair(u"ui-dup"_s, standinTask(u"ui-dup"_s, 1))});
    QVERIFY(finished.wait(30000));
    const QList<qint64> second = manager()->submit(rest, {qMakePair(u"ui-dup"_s, standinTask(u"ui-dup"_s, 1))});
    pane()->showSubmitted(second);
    QVERIFY(finished.wait(30000));
    JobsModel* model = pane()->model();
    const int row = model->rowOf(second.constFirst());
    QCOMPARE(model->jobAt(row)->state, JobState::Failed);
    QVERIFY(cell(model, row, JobsModel::StateColumn).contains(u"already"_s));
    QVERIFY(pane()->retryAction()->isEnabled());
    Dialogs::setNextText(u"ui-dup-2"_s);
    pane()->retryAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(model->jobAt(row)->state == JobState::Done, 30000);
    QCOMPARE(cell(model, row, JobsModel::TaskColumn), u"ui-dup-2"_s);
    // Cancel on REST says what the autotuner's cancel really does.
    const QList<qint64> third =
        manager()->submit(rest, {qMakePair(u"ui-rest-long"_s, standinTask(u"ui-rest-long"_s, 50))});
    pane()->showSubmitted(third);
    QTRY_VERIFY_WITH_TIMEOUT(model->jobAt(model->rowOf(third.constFirst()))->state == JobState::Running, 20000);
    Dialogs::setNextAnswer(QMessageBox::Yes);
    pane()->cancelAction()->trigger();
    QVERIFY2(Dialogs::lastMessage().contains(u"only flips"_s), qPrintable(Dialogs::lastMessage()));
    QTRY_VERIFY_WITH_TIMEOUT(model->jobAt(model->rowOf(third.constFirst()))->state == JobState::Cancelled, 20000);
}

void TestJobsUi::restHttpFaultShowsRetryingThenClears()
{
    newWindow();
    HostSpec rest;
    rest.kind = HostSpec::Kind::Rest;
    rest.baseUrl = m_server.url();
    const QList<qint64> ids = manager()->submit(rest, {qMakePair(u"ui-fault"_s, standinTask(u"ui-fault"_s, 8))});
    pane()->showSubmitted(ids);
    JobsModel* model = pane()->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->jobAt(0)->state == JobState::Running, 20000);
    QVERIFY(m_server.injectFault(u"^/api/tasks/\\d+$"_s, u"500"_s, 2));
    // The fault shows in the state column as a retry, then clears, and the job completes.
    QTRY_VERIFY_WITH_TIMEOUT(cell(model, 0, JobsModel::StateColumn).contains(u"retrying"_s), 20000);
    QVERIFY(cell(model, 0, JobsModel::StateColumn).startsWith(u"Running"_s));
    QTRY_VERIFY_WITH_TIMEOUT(cell(model, 0, JobsModel::StateColumn) == u"Done"_s, 60000);
    QCOMPARE(QJsonDocument::fromJson(manager()->store()->results(ids.constFirst())).array().size(), 8);
}

void TestJobsUi::logSearchHighlightsAndSteps()
{
    newWindow();
    JobStore* store = manager()->store();
    JobRecord j;
    j.taskName = u"log-search"_s;
    j.taskJson = "{}";
    j.state = JobState::Done;
    QVERIFY(store->addJob(&j));
    QByteArray log;
    for (int i = 1; i <= 200; ++i)
        log += "line " + QByteArray::number(i) + (i % 50 == 0 ? " Experiment completed\n" : " step\n");
    QVERIFY(store->appendLog(j.id, log, log.size()));
    pane()->model()->reload();
    pane()->selectJob(j.id);
    QCOMPARE(pane()->logView()->toPlainText(), QString::fromUtf8(log));
    auto* search = pane()->findChild<QLineEdit*>(u"logSearchLineEdit"_s);
    m_window->findChild<QDockWidget*>(u"jobsDockWidget"_s)->show();
    pane()->logView()->setFocus();
    QTest::keyClick(pane()->logView(), Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(search->hasFocus());
    QTest::keyClicks(search, u"completed"_s);
    QCOMPARE(pane()->logView()->extraSelections().size(), 4); // lines 50, 100, 150, 200
    auto currentLine = [this] { return pane()->logView()->textCursor().block().text(); };
    QCOMPARE(currentLine(), u"line 50 Experiment completed"_s);
    QVERIFY(!pane()->isFollowing()); // looking at a match stops following
    QTest::keyClick(search, Qt::Key_F3);
    QCOMPARE(currentLine(), u"line 100 Experiment completed"_s);
    QTest::keyClick(search, Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(currentLine(), u"line 50 Experiment completed"_s);
    QTest::keyClick(search, Qt::Key_F3, Qt::ShiftModifier); // wraps to the last
    QCOMPARE(currentLine(), u"line 200 Experiment completed"_s);
    auto* matches = pane()->findChild<QLabel*>(u"logMatchesLabel"_s);
    QCOMPARE(matches->text(), u"4 matches"_s);
}

QTEST_MAIN(TestJobsUi)
#include "TestJobsUi.moc"

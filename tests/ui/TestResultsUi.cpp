// The Results dock as a user drives it: results files imported through the pane land in the library table and in the
// charts (checked as series, not pixels), re-importing replaces, checked sets are charted together, a config is
// compared across every set that ran it, removal asks first, a job's fetched results come up, and broken inputs (a
// library file that is not a database, an unreadable results file) are reported with the reason while the rest works.
// Offscreen, in a temporary data folder; dialogs through the Dialogs seams. With QUANTDESK_SCREENSHOT_DIR set, it
// also saves the main window with the dock on the example results, one PNG per chart.

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMimeData>
#include <QPainter>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <functional>

#include <qcustomplot.h>

#include "core/hardware/GpuInfo.h"
#include "core/quant/Presets.h"
#include "core/remote/JobManager.h"
#include "core/results/ResultSeries.h"
#include "core/results/ResultsImporter.h"
#include "core/results/ResultsLibrary.h"
#include "tests/TestConfig.h"
#include "ui/Dialogs.h"
#include "ui/DocumentSession.h"
#include "ui/MainWindow.h"
#include "ui/MessageBanner.h"
#include "ui/QuantEditor.h"
#include "ui/Settings.h"
#include "ui/charts/ChartPane.h"
#include "ui/jobs/JobsPane.h"
#include "ui/results/ResultsLibraryModel.h"
#include "ui/results/ResultsPane.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;

namespace
{

QString dataDir()
{
    const QString fromEnv = qEnvironmentVariable("QUANTDESK_TEST_DATA");
    return fromEnv.isEmpty() ? QString::fromUtf8(QUANTDESK_TEST_DATA_DIR) : fromEnv;
}

QString fixture(const QString& rel)
{
    return QDir::cleanPath(QDir(dataDir()).filePath(u"results/"_s + rel));
}

QString example(const QString& rel)
{
    return QDir::cleanPath(QDir(dataDir()).filePath(u"../../examples/results/"_s + rel));
}

const QString kSweep = u"autotuner/llama-quant-sweep_results.json"_s;   // 6 experiments: 5 presets + 1 config
const QString kPinned = u"autotuner/llama-pinned_results.json"_s;       // 4 experiments, pinned flags
const QString kSglang = u"autotuner/docker-simple-tune_results.json"_s; // 2 experiments, no quant parameters

ResultSet read(const QString& path)
{
    const ImportResult r = ResultsImporter::importPath(path);
    if (!r.ok)
        qWarning("%s", qPrintable(r.error));
    return r.set;
}

QStringList labelsOf(const ResultSet& set)
{
    QStringList out;
    for (const Experiment& e : set.experiments) {
        if (!out.contains(e.configLabel()))
            out << e.configLabel();
    }
    return out;
}

QStringList groupKeys(const ChartPane* charts)
{
    QStringList out;
    for (const ConfigGroup& g : charts->groups())
        out << g.key;
    return out;
}

QStringList sourcesOf(const QList<ResultSet>& sets)
{
    QStringList out;
    for (const ResultSet& s : sets)
        out << s.sourcePath;
    return out;
}

} // namespace

class TestResultsUi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void libraryModelPassesTheTester();
    void importedFileIsInTheTableAndTheCharts();
    void reimportingTheSameFileReplaces();
    void checkedSetsAreChartedTogether();
    void comparingAConfigPicksTheSetsThatRanIt();
    void removeAsksThenRemoves();
    void aJobsResultsComeUp();
    void droppedFilesAreImported();
    void unreadableFilesAreReportedWithTheReason();
    void aCorruptLibraryIsReportedAndChartsStillWork();
    void theResultsMenu();
    void usableAt1280x800();
    void memoryChartPredictsForTheTasksModel();
    void importFolderIsRememberedAcrossSessions();
    void screenshots();

private:
    void newWindow();
    bool importAndWait(const QStringList& paths, int expectedAdded);
    [[nodiscard]] ResultsPane* pane() const { return m_window->findChild<ResultsPane*>(u"resultsPane"_s); }
    [[nodiscard]] QDockWidget* dock() const { return m_window->findChild<QDockWidget*>(u"resultsDockWidget"_s); }
    [[nodiscard]] int rows() const { return pane()->table()->model()->rowCount(); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<PresetStore> m_presets;
    std::unique_ptr<MainWindow> m_window;
};

void TestResultsUi::initTestCase()
{
    Dialogs::setRefuseUnexpected(true);
    QVERIFY2(QFile::exists(fixture(kSweep)), qPrintable(fixture(kSweep)));
}

void TestResultsUi::init()
{
    Dialogs::resetSeams();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // Settings in the temporary folder: the job history and the results library live next to it.
    m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
    m_presets = std::make_unique<PresetStore>(m_dir->filePath(u"presets"_s));
}

void TestResultsUi::cleanup()
{
    if (m_window)
        m_window->close();
    m_window.reset();
}

void TestResultsUi::newWindow()
{
    m_window = std::make_unique<MainWindow>(*m_settings, *m_presets);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(pane());
    QVERIFY(dock());
}

bool TestResultsUi::importAndWait(const QStringList& paths, int expectedAdded)
{
    QSignalSpy done(pane(), &ResultsPane::importFinished);
    if (!pane()->importFiles(paths))
        return false;
    if (!done.wait(30000) && done.isEmpty())
        return false;
    if (done.constFirst().at(0).toInt() != expectedAdded) {
        qWarning("added %d, expected %d; errors: %s",
                 done.constFirst().at(0).toInt(),
                 expectedAdded,
                 qPrintable(done.constFirst().at(1).toStringList().join(u"; "_s)));
        return false;
    }
    return true;
}

void TestResultsUi::libraryModelPassesTheTester()
{
    ResultsLibrary library(m_dir->filePath(u"model.sqlite"_s));
    QVERIFY2(library.isOpen(), qPrintable(library.errorString()));
    const ResultSet sweep = read(fixture(kSweep));
    const std::optional<qint64> a = library.add(sweep);
    QVERIFY(a);

    ResultsLibraryModel model(&library);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.columnCount(), int(ResultsLibraryModel::ColumnCount));
    const auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
        return model.index(row, column).data(role);
    };
    QCOMPARE(cell(0, ResultsLibraryModel::NameColumn).toString(), sweep.name);
    QCOMPARE(cell(0, ResultsLibraryModel::SourceColumn).toString(), u"autotuner results file"_s);
    QCOMPARE(cell(0, ResultsLibraryModel::ExperimentsColumn).toInt(), 6);
    QCOMPARE(cell(0, ResultsLibraryModel::PointsColumn).toInt(), sweep.pointCount());
    QCOMPARE(cell(0, ResultsLibraryModel::ConfigsColumn).toString(), labelsOf(sweep).join(u", "_s));
    QCOMPARE(cell(0, ResultsLibraryModel::JobColumn).toString(), QString());
    QVERIFY(cell(0, ResultsLibraryModel::SourceColumn, Qt::ToolTipRole).toString().contains(fixture(kSweep)));
    QCOMPARE(cell(0, ResultsLibraryModel::NameColumn, ResultsLibraryModel::SetIdRole).toLongLong(), *a);
    // Numbers sort as numbers, times as times.
    QCOMPARE(cell(0, ResultsLibraryModel::ExperimentsColumn, ResultsLibraryModel::SortRole).typeId(), QMetaType::Int);
    QCOMPARE(cell(0, ResultsLibraryModel::ImportedColumn, ResultsLibraryModel::SortRole).typeId(),
             QMetaType::QDateTime);

    // Checkable in the name column only.
    QVERIFY(model.flags(model.index(0, ResultsLibraryModel::NameColumn)) & Qt::ItemIsUserCheckable);
    QVERIFY(!(model.flags(model.index(0, ResultsLibraryModel::ConfigsColumn)) & Qt::ItemIsUserCheckable));
    QSignalSpy checkedChanged(&model, &ResultsLibraryModel::checkedChanged);
    QVERIFY(model.setData(model.index(0, ResultsLibraryModel::NameColumn), Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(model.checkedIds(), QList<qint64>{*a});
    QCOMPARE(checkedChanged.size(), 1);

    // A view's selection and the checks survive a refresh that adds rows (at the top: newest first).
    QTableView view;
    view.setModel(&model);
    view.selectionModel()->select(model.index(0, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QTest::qWait(5); // a later import time
    ResultSet pinned = read(fixture(kPinned));
    const std::optional<qint64> b = library.add(pinned);
    QVERIFY(b);
    model.refresh();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(*b), 0);
    QCOMPARE(model.rowOf(*a), 1);
    QCOMPARE(model.checkedIds(), QList<qint64>{*a});
    QCOMPARE(view.selectionModel()->selectedRows().size(), 1);
    QCOMPARE(view.selectionModel()->selectedRows().constFirst().row(), 1);

    // A job's set says which job; re-adding the sweep replaces it (new id), so its check goes.
    ResultSet fetched = read(fixture(kSglang));
    fetched.sourcePath.clear();
    fetched.jobId = 42;
    QVERIFY(library.add(fetched));
    QVERIFY(library.add(sweep));
    model.refresh();
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowOf(*a), -1);
    QVERIFY(model.checkedIds().isEmpty());
    QCOMPARE(cell(model.rowOf(*b) - 1, ResultsLibraryModel::JobColumn).toString(), u"#42"_s);

    // Sorting and filtering through a proxy, as the pane does.
    proxy.setSortRole(ResultsLibraryModel::SortRole);
    proxy.sort(ResultsLibraryModel::ExperimentsColumn, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, ResultsLibraryModel::ExperimentsColumn).data().toInt(), 2);
    QCOMPARE(proxy.index(2, ResultsLibraryModel::ExperimentsColumn).data().toInt(), 6);
    proxy.setFilterRole(ResultsLibraryModel::FilterRole);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.setFilterFixedString(u"LLAMA-PINNED_RESULTS"_s); // the file name, any case
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data(ResultsLibraryModel::SetIdRole).toLongLong(), *b);
    proxy.setFilterFixedString(u"#42"_s); // the job
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, ResultsLibraryModel::JobColumn).data().toString(), u"#42"_s);
    proxy.setFilterFixedString(QString());

    // Removing empties rows.
    for (const LibraryEntry& e : library.entries())
        QVERIFY(library.remove(e.id));
    model.refresh();
    QCOMPARE(model.rowCount(), 0);
}

void TestResultsUi::importedFileIsInTheTableAndTheCharts()
{
    newWindow();
    QVERIFY(dock()->isHidden());
    QVERIFY(pane()->isLibraryAvailable());
    QCOMPARE(rows(), 0);
    QVERIFY(importAndWait({fixture(kSweep)}, 1));
    QVERIFY(dock()->isVisible()); // an import brings the dock up

    // The table: one set with its experiment count and configs.
    QCOMPARE(rows(), 1);
    const LibraryEntry* e = pane()->model()->entryAt(0);
    QVERIFY(e);
    QCOMPARE(e->experiments, 6);
    QCOMPARE(e->sourcePath, fixture(kSweep));
    QCOMPARE(e->configs,
             (QStringList{u"default"_s,
                          u"kv-cache-fp8"_s,
                          u"dynamic-fp8"_s,
                          u"bf16-stable"_s,
                          u"aggressive-moe"_s,
                          labelsOf(read(fixture(kSweep))).constLast()}));
    QCOMPARE(pane()->table()->model()->index(0, ResultsLibraryModel::ExperimentsColumn).data().toInt(), 6);
    // The imported row is selected, the library knows it, and it is what the charts show.
    QCOMPARE(pane()->table()->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(pane()->chartedIds(), QList<qint64>{e->id});
    QCOMPARE(pane()->library()->entries().size(), 1);

    ChartPane* charts = pane()->chartPane();
    QCOMPARE(charts->results().size(), 1);
    QCOMPARE(groupKeys(charts).size(), 6);
    QVERIFY(groupKeys(charts).contains(u"preset:kv-cache-fp8"_s));
    QVERIFY(!charts->rendered().empty);
    // The bars drawn are the core series of what was imported (a config whose runs all failed has no bar).
    const ThroughputSeries series = throughputSeries(charts->results(), charts->groups(), charts->options());
    QVERIFY(series.rows.size() >= 5);
    QCOMPARE(charts->rendered().throughput, series);
    QCOMPARE(charts->rendered().throughput.rows.constFirst().groupKey, u"preset:default"_s);

    // The compare list offers every config stored.
    QComboBox* configs = pane()->configComboBox();
    QVERIFY(configs->isEnabled());
    QVERIFY(configs->findData(u"kv-cache-fp8"_s) > 0);
}

void TestResultsUi::reimportingTheSameFileReplaces()
{
    newWindow();
    QVERIFY(importAndWait({fixture(kSweep)}, 1));
    const qint64 first = pane()->model()->entryAt(0)->id;
    pane()->model()->setChecked(first, true);
    // The same file again, spelt differently (a relative path through another folder).
    QVERIFY(importAndWait({QDir(fixture(u"bad"_s)).filePath(u"../"_s + kSweep)}, 1));
    QCOMPARE(rows(), 1);
    QCOMPARE(pane()->library()->entries().size(), 1);
    const qint64 second = pane()->model()->entryAt(0)->id;
    QVERIFY(second != first);
    // Charted once, not twice, and still checked.
    QCOMPARE(pane()->chartPane()->results().size(), 1);
    QCOMPARE(pane()->chartedIds(), QList<qint64>{second});
    QCOMPARE(pane()->model()->checkedIds(), QList<qint64>{second});
    QCOMPARE(groupKeys(pane()->chartPane()).size(), 6);
}

void TestResultsUi::checkedSetsAreChartedTogether()
{
    newWindow();
    QVERIFY(importAndWait({fixture(kSweep)}, 1));
    QVERIFY(importAndWait({fixture(kPinned)}, 1));
    QCOMPARE(rows(), 2);
    // Imports add to what is charted.
    QCOMPARE(pane()->chartPane()->results().size(), 2);

    // Chart only the newest, then check both (in the table, as a click does) and Show in Charts.
    QAbstractItemModel* table = pane()->table()->model();
    emit pane()->table()->activated(table->index(0, 0));
    QCOMPARE(pane()->chartPane()->results().size(), 1);
    QAction* show = pane()->showInChartsAction();
    for (int row = 0; row < 2; ++row)
        QVERIFY(table->setData(table->index(row, ResultsLibraryModel::NameColumn), Qt::Checked, Qt::CheckStateRole));
    QVERIFY(show->isEnabled());
    show->trigger();
    const QList<ResultSet>& charted = pane()->chartPane()->results();
    QCOMPARE(charted.size(), 2);
    QVERIFY(sourcesOf(charted).contains(fixture(kSweep)));
    QVERIFY(sourcesOf(charted).contains(fixture(kPinned)));
    // Both sets' configs are in the charts.
    const QList<ConfigGroup> expected = groupByQuantConfig({read(fixture(kSweep)), read(fixture(kPinned))});
    QCOMPARE(pane()->chartPane()->groups().size(), expected.size());

    // Nothing checked: the selected row is charted.
    pane()->model()->setCheckedIds({});
    pane()->table()->selectRow(1);
    show->trigger();
    QCOMPARE(pane()->chartPane()->results().size(), 1);
    QCOMPARE(pane()->chartedIds().constFirst(), table->index(1, 0).data(ResultsLibraryModel::SetIdRole).toLongLong());
}

void TestResultsUi::comparingAConfigPicksTheSetsThatRanIt()
{
    newWindow();
    QVERIFY(importAndWait({fixture(kSweep), fixture(kPinned), fixture(kSglang)}, 3));
    QCOMPARE(rows(), 3);
    const QString label = u"kv-cache-fp8"_s;
    QStringList expected;
    for (const QString& f : {kSweep, kPinned, kSglang}) {
        if (labelsOf(read(fixture(f))).contains(label))
            expected << fixture(f);
    }
    QVERIFY(!expected.isEmpty());
    QVERIFY(expected.size() < 3); // the SGLang run has no quant config at all

    QComboBox* configs = pane()->configComboBox();
    const int index = configs->findData(label);
    QVERIFY(index > 0);
    configs->setCurrentIndex(index);
    emit configs->activated(index);
    QStringList charted = sourcesOf(pane()->chartPane()->results());
    charted.sort();
    expected.sort();
    QCOMPARE(charted, expected);
    // The sets compared are the checked ones in the table.
    QCOMPARE(pane()->model()->checkedIds().size(), expected.size());
    QVERIFY(groupKeys(pane()->chartPane()).contains(u"preset:"_s + label));

    // The filter narrows the table.
    QTest::keyClicks(pane()->filterLineEdit(), u"docker"_s);
    QCOMPARE(rows(), 1);
    pane()->filterLineEdit()->clear();
    QCOMPARE(rows(), 3);
}

void TestResultsUi::removeAsksThenRemoves()
{
    newWindow();
    QVERIFY(importAndWait({fixture(kSweep), fixture(kPinned)}, 2));
    QCOMPARE(pane()->chartPane()->results().size(), 2);
    QAction* remove = pane()->removeAction();
    QVERIFY(remove->isEnabled()); // the imported rows are selected
    pane()->table()->clearSelection();
    QVERIFY(!remove->isEnabled());
    pane()->table()->selectRow(0);
    QVERIFY(remove->isEnabled());
    const QString name = pane()->table()->model()->index(0, 0).data().toString();
    const qint64 id = pane()->table()->model()->index(0, 0).data(ResultsLibraryModel::SetIdRole).toLongLong();

    // Cancel keeps it.
    Dialogs::setNextAnswer(QMessageBox::Cancel);
    const int shown = Dialogs::shownCount();
    remove->trigger();
    QCOMPARE(Dialogs::shownCount(), shown + 1);
    QVERIFY(Dialogs::lastMessage().contains(name));
    QVERIFY(Dialogs::lastMessage().contains(u"not touched"_s));
    QCOMPARE(rows(), 2);

    // Yes removes it from the library, the table and the charts; the file stays.
    Dialogs::setNextAnswer(QMessageBox::Yes);
    remove->trigger();
    QCOMPARE(rows(), 1);
    QCOMPARE(pane()->library()->entries().size(), 1);
    QVERIFY(!pane()->library()->load(id).has_value());
    QCOMPARE(pane()->chartPane()->results().size(), 1);
    QVERIFY(!pane()->chartedIds().contains(id));
    QVERIFY(QFile::exists(fixture(kSweep)) && QFile::exists(fixture(kPinned)));
}

void TestResultsUi::aJobsResultsComeUp()
{
    newWindow();
    // A job's fetched results, as JobManager stores them: no file, the job's id.
    ResultSet fetched = read(fixture(kSweep));
    fetched.sourcePath.clear();
    fetched.jobId = 42;
    const std::optional<qint64> setId = pane()->library()->add(fetched);
    QVERIFY(setId);
    auto* jobs = m_window->findChild<JobsPane*>(u"jobsPane"_s);
    QVERIFY(jobs);

    // Jobs ▸ Open Results for job 42.
    QVERIFY(dock()->isHidden());
    emit jobs->openResultsRequested(42);
    QVERIFY(dock()->isVisible());
    QCOMPARE(pane()->chartedIds(), QList<qint64>{*setId});
    QCOMPARE(pane()->chartPane()->results().constFirst().jobId, 42);
    QCOMPARE(groupKeys(pane()->chartPane()).size(), 6);
    QCOMPARE(rows(), 1); // the table shows what was added behind its back
    QCOMPARE(pane()->table()->selectionModel()->selectedRows().size(), 1);

    // A job without results in the library or the job history: said so, charts unchanged.
    emit jobs->openResultsRequested(999);
    QVERIFY2(m_window->banner()->text().contains(u"999"_s), qPrintable(m_window->banner()->text()));
    QCOMPARE(pane()->chartedIds(), QList<qint64>{*setId});

    // A job that just finished: its set joins the charts (same job again: replaced, not doubled).
    dock()->hide();
    ResultSet other = read(fixture(kPinned));
    other.sourcePath.clear();
    other.jobId = 43;
    const std::optional<qint64> otherId = pane()->library()->add(other);
    QVERIFY(otherId);
    JobManager* manager = jobs->manager();
    QVERIFY(manager);
    emit manager->resultsImported(43, *otherId);
    QCOMPARE(rows(), 2);
    QCOMPARE(pane()->chartedIds(), (QList<qint64>{*setId, *otherId}));
    QVERIFY(dock()->isVisible()); // no job is running any more
    const std::optional<qint64> again = pane()->library()->add(other);
    QVERIFY(again);
    emit manager->resultsImported(43, *again);
    QCOMPARE(rows(), 2);
    QCOMPARE(pane()->chartedIds(), (QList<qint64>{*setId, *again}));
}

void TestResultsUi::droppedFilesAreImported()
{
    newWindow();
    QSignalSpy done(pane(), &ResultsPane::importFinished);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(fixture(kPinned))});
    const QPoint at = pane()->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(pane(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(pane(), &drop);
    QVERIFY(drop.isAccepted());
    QVERIFY(done.wait(30000) || done.size() == 1);
    QCOMPARE(rows(), 1);
    QCOMPARE(pane()->model()->entryAt(0)->sourcePath, fixture(kPinned));
    // The task document was not replaced by the drop.
    QVERIFY(!m_window->isWindowModified());
}

void TestResultsUi::unreadableFilesAreReportedWithTheReason()
{
    newWindow();
    const QString notJson = fixture(u"bad/not-json.txt"_s);
    const QString missing = m_dir->filePath(u"gone_results.json"_s);
    QSignalSpy done(pane(), &ResultsPane::importFinished);
    QVERIFY(pane()->importFiles({notJson, fixture(kSweep), missing}));
    QVERIFY(done.wait(30000) || done.size() == 1);
    QCOMPARE(done.constFirst().at(0).toInt(), 1);
    const QStringList errors = done.constFirst().at(1).toStringList();
    QCOMPARE(errors.size(), 2);
    // Each error names its file and says why.
    QVERIFY2(errors.at(0).contains(u"not-json.txt"_s), qPrintable(errors.at(0)));
    QVERIFY2(errors.at(1).contains(u"gone_results.json"_s), qPrintable(errors.at(1)));
    for (const QString& e : errors)
        QVERIFY2(e.section(u": "_s, 1).trimmed().size() > 3, qPrintable(e));
    const QString banner = pane()->banner()->text();
    QVERIFY(pane()->banner()->isVisible());
    QCOMPARE(pane()->banner()->type(), MessageBanner::Type::Warning);
    QVERIFY2(banner.contains(u"1 of 3"_s), qPrintable(banner));
    for (const QString& e : errors)
        QVERIFY2(banner.contains(e), qPrintable(banner));
    // Nothing else is lost: the readable file is in the library and the charts.
    QCOMPARE(rows(), 1);
    QCOMPARE(pane()->chartPane()->results().size(), 1);
    QCOMPARE(groupKeys(pane()->chartPane()).size(), 6);

    // Only unreadable files: an error, and the charts keep what they showed.
    QVERIFY(importAndWait({fixture(u"bad/empty.json"_s)}, 0));
    QCOMPARE(pane()->banner()->type(), MessageBanner::Type::Error);
    QVERIFY(pane()->banner()->text().contains(u"empty.json"_s));
    QCOMPARE(pane()->chartPane()->results().size(), 1);
}

void TestResultsUi::aCorruptLibraryIsReportedAndChartsStillWork()
{
    {
        QFile bad(m_dir->filePath(u"results.sqlite"_s));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(QByteArray("this is not an SQLite database, just some text that happens to be here\n").repeated(40));
    }
    newWindow();
    QVERIFY(!pane()->isLibraryAvailable());
    // Said in the window (the dock is hidden at start) and in the pane.
    QVERIFY2(m_window->banner()->text().contains(u"results library cannot be opened"_s),
             qPrintable(m_window->banner()->text()));
    QCOMPARE(m_window->banner()->type(), MessageBanner::Type::Error);
    QVERIFY(pane()->banner()->text().contains(u"results library cannot be opened"_s));
    QVERIFY(pane()->banner()->text().contains(u"not kept"_s));
    QVERIFY(!pane()->configComboBox()->isEnabled());

    // Files still chart.
    QVERIFY(importAndWait({fixture(kSweep)}, 1));
    QCOMPARE(rows(), 0);
    QCOMPARE(pane()->chartPane()->results().size(), 1);
    QCOMPARE(pane()->chartedIds(), QList<qint64>{0});
    QCOMPARE(groupKeys(pane()->chartPane()).size(), 6);
    QVERIFY(!pane()->chartPane()->rendered().empty);
    // The library problem stays visible.
    QVERIFY(pane()->banner()->text().contains(u"results library cannot be opened"_s));
    // And the file itself is left as it was.
    QFile bad(m_dir->filePath(u"results.sqlite"_s));
    QVERIFY(bad.open(QIODevice::ReadOnly));
    QVERIFY(bad.readAll().startsWith("this is not an SQLite database"));
}

void TestResultsUi::theResultsMenu()
{
    newWindow();
    auto* menu = m_window->findChild<QMenu*>(u"resultsMenu"_s);
    QVERIFY(menu);
    QStringList names;
    for (QAction* a : menu->actions()) {
        if (!a->isSeparator())
            names << a->objectName();
    }
    QCOMPARE(names,
             (QStringList{u"importResultsAction"_s,
                          u"importResultsFolderAction"_s,
                          u"showResultsAction"_s,
                          u"exportChartAction"_s,
                          u"removeFromLibraryAction"_s}));
    // Before Hosts, Jobs and Help.
    const QList<QAction*> top = m_window->menuBar()->actions();
    QCOMPARE(top.constLast()->menu()->title(), tr("&Help"));
    QVERIFY(top.indexOf(menu->menuAction()) < top.size() - 3);

    QAction* show = m_window->findChild<QAction*>(u"showResultsAction"_s);
    QCOMPARE(show->shortcut(), QKeySequence(u"Ctrl+Shift+I"_s));
    QCOMPARE(pane()->importAction()->shortcut(), QKeySequence(u"Ctrl+I"_s));
    QCOMPARE(pane()->exportChartAction()->shortcut(), QKeySequence(u"Ctrl+Shift+E"_s));
    show->trigger();
    QVERIFY(dock()->isVisible());
    QVERIFY(dock()->height() >= pane()->sizeHint().height() / 2);

    // The shortcuts reach the actions from the window; Del only where the library has the focus.
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QSignalSpy importTriggered(pane()->importAction(), &QAction::triggered);
    Dialogs::setNextFileName(QString()); // cancelled
    QTest::keyClick(m_window.get(), Qt::Key_I, Qt::ControlModifier);
    QCOMPARE(importTriggered.size(), 1);
    QVERIFY(!pane()->isImporting());

    // Import Results… through the file dialog seam; cancelling does nothing.
    Dialogs::setNextFileName(QString());
    pane()->importAction()->trigger();
    QVERIFY(!pane()->isImporting());
    QSignalSpy done(pane(), &ResultsPane::importFinished);
    Dialogs::setNextFileName(fixture(kSweep));
    pane()->importAction()->trigger();
    QVERIFY(done.wait(30000) || done.size() == 1);
    QCOMPARE(rows(), 1);
    // A genai-bench folder through Import Results Folder….
    done.clear();
    Dialogs::setNextFileName(fixture(u"genai-bench/openai_vllm_kv-cache-fp8_llama-3.1-8b"_s));
    pane()->importFolderAction()->trigger();
    QVERIFY(done.wait(30000) || done.size() == 1);
    QCOMPARE(done.constFirst().at(0).toInt(), 1);
    QCOMPARE(rows(), 2);

    QSignalSpy removeTriggered(pane()->removeAction(), &QAction::triggered);
    QWidget* elsewhere = m_window->quantEditor()->presetComboBox();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    elsewhere->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), elsewhere);
    QTest::keyClick(elsewhere, Qt::Key_Delete);
    QCOMPARE(removeTriggered.size(), 0);
    QWidget* resultsWindow = pane()->window(); // the dock's own window when it floats
    resultsWindow->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(resultsWindow));
    pane()->table()->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), pane()->table());
    pane()->table()->selectRow(0);
    Dialogs::setNextAnswer(QMessageBox::Cancel);
    QTest::keyClick(pane()->table(), Qt::Key_Delete);
    QCOMPARE(removeTriggered.size(), 1);
    QCOMPARE(rows(), 2);

    // Export Chart… writes the file the dialog names (no suffix: PNG).
    Dialogs::setNextFileName(m_dir->filePath(u"chart"_s));
    pane()->exportChartAction()->trigger();
    QVERIFY(QFile::exists(m_dir->filePath(u"chart.png"_s)));
    Dialogs::setNextFileName(m_dir->filePath(u"table.csv"_s));
    pane()->exportChartAction()->trigger();
    QVERIFY(QFile::exists(m_dir->filePath(u"table.csv"_s)));
}

// Issue 9: the memory chart's predicted series is for the task in the editor: its model's architecture, its target
// GPU and engine. Changing the task's model changes the prediction; a model without config.json removes it.
void TestResultsUi::memoryChartPredictsForTheTasksModel()
{
    newWindow();
    QVERIFY(importAndWait({fixture(kSweep)}, 1));
    ChartPane* charts = pane()->chartPane();
    charts->setChartKind(ChartKind::Memory);
    const auto edit = [&](const std::function<void(TaskState&)>& change) {
        TaskState s = m_window->session()->state();
        change(s);
        m_window->session()->edit(s, u"test"_s, DocumentSession::Pace::Immediate);
    };
    edit([](TaskState& s) {
        s.model = u"org/no-such-local-model"_s;
        s.engine = u"vllm"_s;
        s.gpu.reset();
    });
    QVERIFY(!charts->rendered().memory.hasPrediction);

    QString error;
    const QList<GpuInfo> gpus =
        parseNvidiaSmiFile(QDir(dataDir()).filePath(u"nvidia-smi-h100/query-gpu.csv"_s), &error);
    QVERIFY2(!gpus.isEmpty(), qPrintable(error));
    edit([&](TaskState& s) {
        s.model = QDir(dataDir()).filePath(u"models/llama3-8b"_s);
        s.gpu = gpus.first();
    });
    QVERIFY(charts->memoryPrediction());
    const MemorySeries& m = charts->rendered().memory;
    QVERIFY(m.hasPrediction);
    QVERIFY(m.hasPredictedKv);
    // The same numbers the editor shows for the same config (kv-cache-fp8: 64 KiB per token, 896,617 tokens by hand).
    const auto kv8 = std::find_if(
        m.bars.cbegin(), m.bars.cend(), [](const MemoryBar& b) { return b.groupKey == u"preset:kv-cache-fp8"_s; });
    QVERIFY(kv8 != m.bars.cend());
    QVERIFY2(std::abs(double(kv8->predictedKvTokens) - 896617) < 900,
             qPrintable(QString::number(kv8->predictedKvTokens)));

    edit([](TaskState& s) { s.model = u"org/no-such-local-model"_s; });
    QVERIFY(!charts->memoryPrediction());
    QVERIFY(!charts->rendered().memory.hasPrediction);
}

// The import and export dialogs open where the last import came from, also after a restart.
void TestResultsUi::importFolderIsRememberedAcrossSessions()
{
    newWindow();
    QVERIFY(importAndWait({fixture(kSweep)}, 1));
    const QString folder = QFileInfo(fixture(kSweep)).absolutePath();
    QCOMPARE(pane()->lastDirectory(), folder);
    QVERIFY(m_window->close());
    m_window.reset();
    newWindow();
    QCOMPARE(pane()->lastDirectory(), folder);
}

void TestResultsUi::usableAt1280x800()
{
    newWindow();
    m_window->resize(1280, 800);
    QVERIFY(importAndWait({example(u"llama-3.1-70b-h100-tp2_results.json"_s)}, 1));
    m_window->findChild<QAction*>(u"showResultsAction"_s)->trigger();
    QTest::qWait(100);
    qInfo("window %dx%d (minimum %dx%d), results %s %dx%d (minimum %dx%d)",
          m_window->width(),
          m_window->height(),
          m_window->minimumSizeHint().width(),
          m_window->minimumSizeHint().height(),
          dock()->isFloating() ? "floating" : "docked",
          dock()->width(),
          dock()->height(),
          pane()->minimumSizeHint().width(),
          pane()->minimumSizeHint().height());
    // The window keeps its size: the dock does not push it beyond 1280x800.
    QCOMPARE(m_window->size(), QSize(1280, 800));
    QVERIFY(dock()->isVisible());
    // The results fit the screen too, with the table, the chart and its controls whole.
    QVERIFY(dock()->width() <= 1280 && dock()->height() <= 800);
    QVERIFY(pane()->width() >= pane()->minimumSizeHint().width());
    QVERIFY(pane()->height() >= pane()->minimumSizeHint().height());
    QVERIFY(pane()->table()->isVisible() && pane()->table()->height() >= 80);
    QCustomPlot* plot = pane()->chartPane()->plot();
    QVERIFY(plot->isVisible());
    QVERIFY(plot->height() >= 300);
    QVERIFY(!pane()->chartPane()->rendered().empty);
}

void TestResultsUi::screenshots()
{
    const QString out = qEnvironmentVariable("QUANTDESK_SCREENSHOT_DIR");
    if (out.isEmpty())
        QSKIP("set QUANTDESK_SCREENSHOT_DIR to save screenshots");
    QVERIFY(QDir().mkpath(out));
    newWindow();
    m_window->resize(1280, 800);
    QVERIFY(importAndWait({example(u"llama-3.1-70b-h100-tp2_results.json"_s)}, 1));
    m_window->findChild<QAction*>(u"showResultsAction"_s)->trigger();
    QTest::qWait(200);
    for (const ChartKind kind : {ChartKind::Throughput, ChartKind::Memory, ChartKind::Pareto}) {
        pane()->chartPane()->setChartKind(kind);
        QTest::qWait(100);
        // What the user sees: the window, and the results over it when they float.
        QImage shot = m_window->grab().toImage();
        if (dock()->isFloating()) {
            QPainter p(&shot);
            p.drawPixmap(dock()->geometry().topLeft() - m_window->geometry().topLeft(), dock()->grab());
            p.setPen(QPen(Qt::darkGray, 1));
            p.drawRect(QRect(dock()->geometry().topLeft() - m_window->geometry().topLeft(), dock()->size())
                           .adjusted(0, 0, -1, -1));
        }
        const QString path = QDir(out).filePath(u"results-dock-%1.png"_s.arg(chartKindKey(kind)));
        QVERIFY(shot.save(path));
        qInfo("saved %s", qPrintable(path));
    }

    // On a taller screen the dock stays docked below the editor, the library beside the charts.
    m_window->close();
    m_window.reset();
    m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings-wide.ini"_s));
    newWindow();
    m_window->resize(1920, 1200);
    QVERIFY(importAndWait({example(u"llama-3.1-70b-h100-tp2_results.json"_s)}, 1));
    QTest::qWait(200);
    QVERIFY(!dock()->isFloating());
    QCOMPARE(pane()->splitter()->orientation(), Qt::Horizontal);
    const QString path = QDir(out).filePath(u"results-dock-wide.png"_s);
    QVERIFY(m_window->grab().save(path));
    qInfo("saved %s", qPrintable(path));
}

QTEST_MAIN(TestResultsUi)
#include "TestResultsUi.moc"

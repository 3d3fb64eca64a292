// The main window as a user drives it: shortcuts for every menu action, accessible names, undo/redo of every edit,
// diagnostics that focus their field and apply their fix, persisted layout, and a fit at 1280x800.
#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QSplitter>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

#include "core/quant/Presets.h"
#include "ui/CollapsibleSection.h"
#include "ui/DiagnosticsModel.h"
#include "ui/DiagnosticsView.h"
#include "ui/Dialogs.h"
#include "ui/MainWindow.h"
#include "ui/PreviewPane.h"
#include "ui/QuantEditor.h"
#include "ui/Settings.h"
#include "ui/SupportBadge.h"
#include "ui/SupportMatrixDialog.h"
#include "ui/TaskPane.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void everyMenuActionHasAUniqueShortcut();
    void interactiveWidgetsHaveAccessibleNames();
    void undoRedoRestoreEveryEdit();
    void clickingADiagnosticFocusesItsField();
    void applyFixAppliesAndUndoes();
    void countsReadAsEnglish();
    void windowStatePersists();
    void fitsAt1280x800();
    void followsThePalette();
    void supportMatrixOpensNonBlocking();

private:
    void pickPreset(const QString& name) const
    {
        QComboBox* c = m_window->quantEditor()->presetComboBox();
        c->setCurrentIndex(c->findText(name));
    }
    void pickValue(QuantField f, const QString& v) const
    {
        QComboBox* c = m_window->quantEditor()->fieldComboBox(f);
        c->setCurrentIndex(c->findData(v));
    }
    void newWindow()
    {
        m_window = std::make_unique<MainWindow>(*m_settings, *m_presets);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<PresetStore> m_presets;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::init()
{
    Dialogs::setRefuseUnexpected(true);
    Dialogs::resetSeams();
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
    m_presets = std::make_unique<PresetStore>(m_dir->filePath(u"presets"_s));
    newWindow();
}

void TestMainWindow::cleanup()
{
    Dialogs::setNextAnswer(QMessageBox::Discard);
    m_window.reset();
    Dialogs::resetSeams();
    m_presets.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestMainWindow::everyMenuActionHasAUniqueShortcut()
{
    QHash<QKeySequence, QString> seen;
    int count = 0;
    std::function<void(QMenu*)> walk = [&](QMenu* menu) {
        emit menu->aboutToShow(); // dynamic menus (Open Recent) fill themselves here
        for (QAction* a : menu->actions()) {
            if (a->isSeparator())
                continue;
            if (a->menu()) {
                walk(a->menu());
                continue;
            }
            ++count;
            QVERIFY2(!a->shortcut().isEmpty(), qPrintable(a->text()));
            for (const QKeySequence& k : a->shortcuts()) {
                QVERIFY2(!seen.contains(k), qPrintable(a->text() + u" and "_s + seen.value(k)));
                seen.insert(k, a->text());
            }
        }
    };
    for (QAction* top : m_window->menuBar()->actions())
        walk(top->menu());
    QVERIFY(count >= 20);
    // The standard ones are where people expect them.
    QCOMPARE(m_window->findChild<QAction*>(u"undoAction"_s)->shortcut(), QKeySequence(QKeySequence::Undo));
    QCOMPARE(m_window->findChild<QAction*>(u"saveAction"_s)->shortcut(), QKeySequence(QKeySequence::Save));
    QCOMPARE(m_window->findChild<QAction*>(u"openAction"_s)->shortcut(), QKeySequence(QKeySequence::Open));
}

void TestMainWindow::interactiveWidgetsHaveAccessibleNames()
{
    QSet<const QWidget*> labelled;
    for (const QLabel* label : m_window->findChildren<QLabel*>()) {
        if (label->buddy())
            labelled.insert(label->buddy());
    }
    int checked = 0;
    for (QWidget* w : m_window->findChildren<QWidget*>()) {
        if (w->focusPolicy() == Qt::NoFocus || !w->isVisibleTo(m_window.get()) || !w->isEnabled())
            continue;
        if (qobject_cast<QLabel*>(w) || w->inherits("QScrollBar") || w->inherits("QTabBar") ||
            w->inherits("QHeaderView") || w->inherits("QSplitterHandle") ||
            (qobject_cast<QLineEdit*>(w) && qobject_cast<QComboBox*>(w->parent())))
            continue;
        if (w->parent() && w->parent()->inherits("QAbstractScrollArea") && !w->inherits("QAbstractScrollArea"))
            continue; // viewports
        const auto* button = qobject_cast<QAbstractButton*>(w);
        const bool named = !w->accessibleName().isEmpty() || labelled.contains(w) ||
                           (button && !button->text().remove(u'&').trimmed().isEmpty() && button->text() != u"…"_s &&
                            button->text() != u"+"_s);
        QVERIFY2(named, qPrintable(u"%1 (%2)"_s.arg(w->objectName(), QString::fromUtf8(w->metaObject()->className()))));
        ++checked;
    }
    QVERIFY(checked > 20);
    // Widgets tests and assistive tech find by name end with their class.
    for (const QString& name : {u"presetComboBox"_s,
                                u"kvcacheComboBox"_s,
                                u"modelLineEdit"_s,
                                u"engineComboBox"_s,
                                u"parametersTableView"_s,
                                u"diagnosticsListView"_s,
                                u"applyFixPushButton"_s,
                                u"vllmCommandPlainTextEdit"_s,
                                u"vllmCopyToolButton"_s,
                                u"previewTabWidget"_s})
        QVERIFY2(m_window->findChild<QWidget*>(name), qPrintable(name));
}

void TestMainWindow::undoRedoRestoreEveryEdit()
{
    QList<TaskState> states{m_window->session()->state()};
    auto record = [&] { states << m_window->session()->state(); };
    pickPreset(u"dynamic-fp8"_s);
    record();
    pickValue(QuantField::Moe, u"auto"_s);
    record();
    auto* engine = m_window->taskPane()->findChild<QComboBox*>(u"engineComboBox"_s);
    engine->setCurrentIndex(engine->findData(u"sglang"_s));
    record();
    auto* model = m_window->taskPane()->findChild<QLineEdit*>(u"modelLineEdit"_s);
    model->setFocus();
    QTest::keyClicks(model, u"org/m"_s);
    record();
    m_window->addCurrentToComparison();
    record();
    TaskState withParam = m_window->session()->state();
    withParam.parameters << ParameterEntry{u"mem-fraction-static"_s, nlohmann::ordered_json::array({0.8})};
    m_window->session()->edit(withParam, u"param"_s, DocumentSession::Pace::Typing, 7);
    record();
    QUndoStack* undo = m_window->session()->undoStack();
    QCOMPARE(undo->count(), states.size() - 1);
    for (qsizetype i = states.size() - 1; i > 0; --i) {
        QCOMPARE(m_window->session()->state(), states.at(i));
        m_window->findChild<QAction*>(u"undoAction"_s)->trigger();
        QCOMPARE(m_window->session()->state(), states.at(i - 1));
        // Every widget follows the state: the preset box, the fields and the preview.
        QCOMPARE(m_window->quantEditor()->fieldComboBox(QuantField::Moe)->currentData().toString(),
                 states.at(i - 1).quant.config.moe);
        QCOMPARE(engine->currentData().toString(), states.at(i - 1).engine);
        QCOMPARE(model->text(), states.at(i - 1).model);
        QCOMPARE(m_window->previewPane()->command(states.at(i - 1).engine)->shellCommand(),
                 m_window->previewPane()->commandText(states.at(i - 1).engine));
    }
    QVERIFY(!m_window->session()->isModified());
    for (qsizetype i = 1; i < states.size(); ++i) {
        m_window->findChild<QAction*>(u"redoAction"_s)->trigger();
        QCOMPARE(m_window->session()->state(), states.at(i));
    }
    QTRY_VERIFY(!m_window->isPreviewPending());
    QVERIFY(m_window->previewPane()->commandText(u"sglang"_s).contains(u"--mem-fraction-static 0.8"_s));
}

void TestMainWindow::clickingADiagnosticFocusesItsField()
{
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    auto* engine = m_window->taskPane()->findChild<QComboBox*>(u"engineComboBox"_s);
    engine->setCurrentIndex(engine->findData(u"trtllm"_s));
    pickPreset(u"kv-cache-fp8"_s); // TensorRT-LLM has no FP8 E5M2 KV cache
    QCOMPARE(m_window->previewPane()->currentEngine(), u"trtllm"_s);
    DiagnosticsModel* model = m_window->diagnosticsView()->model();
    int row = -1;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r).data(DiagnosticsModel::FieldRole).toString() == u"kvcache_dtype")
            row = r;
    }
    QVERIFY(row >= 0);
    QCOMPARE(model->index(row).data(DiagnosticsModel::SeverityRole).toInt(), static_cast<int>(Severity::Error));
    QListView* list = m_window->diagnosticsView()->listView();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(model->index(row)).center());
    QTRY_COMPARE(QApplication::focusWidget(), m_window->quantEditor()->fieldComboBox(QuantField::KvCache));
    QCOMPARE(m_window->quantEditor()->highlightedField(), std::optional(QuantField::KvCache));
}

void TestMainWindow::applyFixAppliesAndUndoes()
{
    TaskState s = m_window->session()->state();
    s.parameters = {{u"no-such-flag"_s, nlohmann::ordered_json::array({1})}};
    m_window->session()->edit(s, u"bad param"_s, DocumentSession::Pace::Immediate);
    DiagnosticsModel* model = m_window->diagnosticsView()->model();
    int row = -1;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r).data(DiagnosticsModel::IdRole).toString() == u"PARAM-UNKNOWN")
            row = r;
    }
    QVERIFY(row >= 0);
    QVERIFY(model->index(row).data(DiagnosticsModel::HasActionRole).toBool());
    auto* apply = m_window->findChild<QAbstractButton*>(u"applyFixPushButton"_s);
    auto* action = m_window->findChild<QAction*>(u"applyFixAction"_s);
    QVERIFY(!apply->isEnabled() && !action->isEnabled());
    m_window->diagnosticsView()->listView()->setCurrentIndex(model->index(row));
    QVERIFY(apply->isEnabled() && action->isEnabled());
    QTest::mouseClick(apply, Qt::LeftButton);
    QVERIFY(m_window->session()->state().parameters.isEmpty());
    for (int r = 0; r < model->rowCount(); ++r)
        QVERIFY(model->index(r).data(DiagnosticsModel::IdRole).toString() != u"PARAM-UNKNOWN");
    m_window->session()->undoStack()->undo();
    QCOMPARE(m_window->session()->state().parameters.size(), 1);
}

void TestMainWindow::countsReadAsEnglish()
{
    // The header counts what the list holds, in English number: "1 error", "2 warnings", never "error(s)".
    auto* engine = m_window->taskPane()->findChild<QComboBox*>(u"engineComboBox"_s);
    engine->setCurrentIndex(engine->findData(u"trtllm"_s));
    pickPreset(u"kv-cache-fp8"_s);
    DiagnosticsModel* model = m_window->diagnosticsView()->model();
    QVERIFY(model->rowCount() > 0);
    int counts[3] = {0, 0, 0};
    for (int r = 0; r < model->rowCount(); ++r) {
        const auto severity = static_cast<Severity>(model->index(r).data(DiagnosticsModel::SeverityRole).toInt());
        ++counts[severity == Severity::Error ? 0 : severity == Severity::Warning ? 1 : 2];
    }
    const auto phrase = [](int n, const QString& word) -> QString {
        return QString::number(n) + u' ' + word + (n == 1 ? QString() : u"s"_s);
    };
    const QString expected = phrase(counts[0], u"error"_s) + u", "_s + phrase(counts[1], u"warning"_s) + u", "_s +
                             phrase(counts[2], u"note"_s);
    auto* header = m_window->diagnosticsView()->findChild<QLabel*>(u"diagnosticsHeaderLabel"_s);
    QVERIFY(header);
    QVERIFY2(header->text().endsWith(expected), qPrintable(header->text()));
    QVERIFY(!header->text().contains(u"(s)"_s));
}

void TestMainWindow::windowStatePersists()
{
    auto* main = m_window->findChild<QSplitter*>(u"mainSplitter"_s);
    auto* right = m_window->findChild<QSplitter*>(u"rightSplitter"_s);
    m_window->resize(1200, 760);
    main->setSizes({420, 760});
    right->setSizes({230, 330, 190});
    m_window->taskPane()->benchmarkSection()->setExpanded(true);
    const QSize size = m_window->size();
    const QList<int> mainSizes = main->sizes();
    const QList<int> rightSizes = right->sizes();
    QVERIFY(m_window->close());
    m_window.reset();
    newWindow();
    QCOMPARE(m_window->size(), size);
    QCOMPARE(m_window->findChild<QSplitter*>(u"mainSplitter"_s)->sizes(), mainSizes);
    QCOMPARE(m_window->findChild<QSplitter*>(u"rightSplitter"_s)->sizes(), rightSizes);
    QVERIFY(m_window->taskPane()->benchmarkSection()->isExpanded());
    QVERIFY(!m_window->taskPane()->optimizationSection()->isExpanded());
}

void TestMainWindow::fitsAt1280x800()
{
    const QSize min = m_window->minimumSizeHint();
    qInfo("minimum size %dx%d", min.width(), min.height());
    QVERIFY2(min.width() <= 1280 && min.height() <= 800, qPrintable(u"%1x%2"_s.arg(min.width()).arg(min.height())));
    m_window->resize(1280, 800);
    QCoreApplication::processEvents();
    // Every badge shows its whole word.
    for (const QuantField f : kQuantFields) {
        for (const QString& engine : {u"vllm"_s, u"sglang"_s, u"trtllm"_s}) {
            SupportBadge* b = m_window->quantEditor()->badge(f, engine);
            QVERIFY(b->width() >= b->sizeHint().width());
            QVERIFY(b->isVisible());
        }
    }
    QVERIFY(m_window->previewPane()->height() >= 250);
}

void TestMainWindow::followsThePalette()
{
    SupportBadge* badge = m_window->quantEditor()->badge(QuantField::Gemm, u"vllm"_s);
    const QColor lightColor = supportLevelColor(badge->level(), badge->palette());
    QPalette dark = QApplication::palette();
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    const QPalette before = QApplication::palette();
    QApplication::setPalette(dark);
    QTRY_COMPARE(badge->palette().color(QPalette::Window), dark.color(QPalette::Window));
    QVERIFY(supportLevelColor(badge->level(), badge->palette()) != lightColor);
    QApplication::setPalette(before);
}

void TestMainWindow::supportMatrixOpensNonBlocking()
{
    m_window->findChild<QAction*>(u"supportMatrixAction"_s)->trigger();
    auto* dialog = m_window->findChild<SupportMatrixDialog*>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->testAttribute(Qt::WA_DeleteOnClose));
    dialog->close();
    QTRY_VERIFY(!m_window->findChild<SupportMatrixDialog*>());
}

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"

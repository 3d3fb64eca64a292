// Documents: open (and refuse malformed files without losing the open one), save, export for the autotuner,
// recent files, drag and drop, the unsaved-changes prompt, and user preset management.
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QMimeData>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QUrl>

#include "core/quant/Presets.h"
#include "core/task/TaskDocument.h"
#include "tests/TestConfig.h"
#include "ui/Dialogs.h"
#include "ui/MainWindow.h"
#include "ui/MessageBanner.h"
#include "ui/PresetListModel.h"
#include "ui/PreviewPane.h"
#include "ui/QuantEditor.h"
#include "ui/Settings.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;
using Json = nlohmann::ordered_json;

namespace
{

QString dataDir()
{
    const QString fromEnv = qEnvironmentVariable("QUANTDESK_TEST_DATA");
    return fromEnv.isEmpty() ? QString::fromUtf8(QUANTDESK_TEST_DATA_DIR) : fromEnv;
}

const char* kTask = R"json({
  "task_name": "llama-kv",
  "description": "a task",
  "x_team_notes": {"owner": "ml-infra", "ticket": 42},
  "deployment_mode": "docker",
  "model": {"id_or_path": "meta-llama/Llama-3.1-8B-Instruct", "namespace": "autotuner"},
  "base_runtime": "vllm",
  "runtime_image_tag": "v0.27.1",
  "parameters": {"max-num-seqs": [128, 256], "gpu-memory-utilization": [0.9]},
  "quant_config": {"presets": ["default", "kv-cache-fp8", "bf16-stable"]},
  "optimization": {"strategy": "grid_search", "objective": "maximize_throughput", "max_iterations": 10,
                   "timeout_per_iteration": 900},
  "benchmark": {"task": "text-to-text", "model_name": "Llama-3.1-8B-Instruct",
                "model_tokenizer": "meta-llama/Llama-3.1-8B-Instruct", "traffic_scenarios": ["D(100,100)"],
                "num_concurrency": [1, 4], "max_time_per_iteration": 10, "max_requests_per_iteration": 50,
                "additional_params": {"temperature": 0.0}}
}
)json";

Json readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Json();
    return Json::parse(f.readAll().toStdString(), nullptr, false);
}

} // namespace

class TestDocuments : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void opensATask();
    void malformedFileShowsBannerAndKeepsDocument_data();
    void malformedFileShowsBannerAndKeepsDocument();
    void openWithProblemsWarns();
    void saveKeepsWhatTheEditorDoesNotModel();
    void saveAsUpdatesTitleAndRecentFiles();
    void exportWritesOnePinnedTaskPerConfig();
    void exportCustomComparison();
    void exportRefusalIsShown();
    void unsavedChangesPrompt();
    void dropOpensTaskFile();
    void recentFilesMenu();
    void userPresetManagement();

private:
    QString writeTask(const QString& name, const QByteArray& text) const
    {
        const QString path = m_dir->filePath(name);
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(text);
        return path;
    }
    void edit(const std::function<void(TaskState&)>& change) const
    {
        TaskState next = m_window->session()->state();
        change(next);
        m_window->session()->edit(next, u"test"_s, DocumentSession::Pace::Immediate);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<PresetStore> m_presets;
    std::unique_ptr<MainWindow> m_window;
};

void TestDocuments::init()
{
    Dialogs::setRefuseUnexpected(true);
    Dialogs::resetSeams();
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
    m_presets = std::make_unique<PresetStore>(m_dir->filePath(u"presets"_s));
    m_window = std::make_unique<MainWindow>(*m_settings, *m_presets);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestDocuments::cleanup()
{
    Dialogs::setNextAnswer(QMessageBox::Discard); // close without saving
    m_window.reset();
    Dialogs::resetSeams();
    m_presets.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestDocuments::opensATask()
{
    QVERIFY(m_window->openFile(writeTask(u"task.json"_s, kTask)));
    const TaskState& s = m_window->session()->state();
    QCOMPARE(s.taskName, u"llama-kv"_s);
    QCOMPARE(s.engine, u"vllm"_s);
    QCOMPARE(s.engineVersion, u"0.27.1"_s);
    QCOMPARE(s.model, u"meta-llama/Llama-3.1-8B-Instruct"_s);
    QCOMPARE(s.parameters.size(), 2);
    QCOMPARE(s.comparison.size(), 3);
    QCOMPARE(s.comparison.at(1).preset, u"kv-cache-fp8"_s);
    QCOMPARE(s.quant.preset, u"default"_s);
    QVERIFY(!m_window->session()->isModified());
    QVERIFY(m_window->windowTitle().contains(u"task.json"_s));
    QVERIFY(m_window->previewPane()->commandText(u"vllm"_s).contains(u"--max-num-seqs 128"_s));
    QCOMPARE(m_window->previewPane()->currentEngine(), u"vllm"_s);

    // The bundled examples open too.
    const QDir examples(dataDir() + u"/../../examples"_s);
    for (const QString& name : examples.entryList({u"*.json"_s}, QDir::Files)) {
        QVERIFY2(m_window->openFile(examples.filePath(name)), qPrintable(m_window->banner()->text()));
    }
}

void TestDocuments::malformedFileShowsBannerAndKeepsDocument_data()
{
    QTest::addColumn<QString>("file");
    for (const char* name : {"truncated-object.json",
                             "top-level-array.json",
                             "duplicate-keys.json",
                             "invalid-utf8.json",
                             "empty.json",
                             "binary-garbage.bin.json",
                             "deep-nesting-10000.json",
                             "unknown-preset.json",
                             "trailing-comma-object.json"})
        QTest::addRow("%s", name) << dataDir() + u"/bad/"_s + QString::fromUtf8(name);
    QTest::addRow("missing file") << u"/nonexistent/task.json"_s;
}

void TestDocuments::malformedFileShowsBannerAndKeepsDocument()
{
    QFETCH(QString, file);
    QVERIFY(m_window->openFile(writeTask(u"good.json"_s, kTask)));
    edit([](TaskState& s) { s.model = u"org/edited-model"_s; }); // unsaved work
    const TaskState before = m_window->session()->state();
    const QString path = m_window->session()->filePath();
    const int undo = m_window->session()->undoStack()->count();
    const QByteArray original = QFile::exists(file) ? [&] {
        QFile f(file);
        f.open(QIODevice::ReadOnly);
        return f.readAll();
    }()
                                                    : QByteArray();
    const int prompts = Dialogs::shownCount();

    QVERIFY(!m_window->openFile(file));
    MessageBanner* banner = m_window->banner();
    QVERIFY(banner->isVisible());
    QCOMPARE(banner->type(), MessageBanner::Type::Error);
    QVERIFY2(banner->text().contains(QFileInfo(file).fileName()), qPrintable(banner->text()));
    QVERIFY(banner->text().contains(u"unchanged"_s));
    QCOMPARE(Dialogs::shownCount(), prompts); // no save prompt for a file that cannot be opened
    QCOMPARE(m_window->session()->state(), before);
    QCOMPARE(m_window->session()->filePath(), path);
    QCOMPARE(m_window->session()->undoStack()->count(), undo);
    QVERIFY(m_window->session()->isModified());
    if (!original.isEmpty()) { // and the bad file itself is untouched
        QFile f(file);
        f.open(QIODevice::ReadOnly);
        QCOMPARE(f.readAll(), original);
    }
}

void TestDocuments::openWithProblemsWarns()
{
    // Opens (it can be edited) but the autotuner would reject the objective: say so where the user looks.
    QVERIFY(m_window->openFile(dataDir() + u"/bad/balanced-objective.json"_s));
    QVERIFY(m_window->banner()->isVisible());
    QCOMPARE(m_window->banner()->type(), MessageBanner::Type::Warning);
    QVERIFY2(m_window->banner()->text().contains(u"/optimization/objective"_s), qPrintable(m_window->banner()->text()));
}

void TestDocuments::saveKeepsWhatTheEditorDoesNotModel()
{
    const QString path = writeTask(u"task.json"_s, kTask);
    QVERIFY(m_window->openFile(path));
    const QString copy = m_dir->filePath(u"copy.json"_s);
    QString error;
    QVERIFY2(m_window->session()->save(copy, &error), qPrintable(error));
    // Unchanged: the same document (unknown keys, key order, number types and all).
    const Json original = Json::parse(kTask);
    QVERIFY(readJson(copy) == original);
    QCOMPARE(QString::fromStdString(readJson(copy).begin().key()), u"task_name"_s);

    // Changed: only what was edited differs.
    QComboBox* kv = m_window->quantEditor()->fieldComboBox(QuantField::KvCache);
    kv->setCurrentIndex(kv->findData(u"fp8_e4m3"_s));
    edit([](TaskState& s) { s.model = u"Qwen/Qwen2.5-7B-Instruct"_s; });
    QVERIFY(m_window->session()->isModified());
    QCOMPARE(m_window->session()->filePath(), QFileInfo(copy).absoluteFilePath()); // saving elsewhere moves there
    QVERIFY(m_window->save());
    QVERIFY(!m_window->session()->isModified());
    Json saved = readJson(copy);
    QVERIFY(saved["x_team_notes"] == original["x_team_notes"]);
    QVERIFY(saved["parameters"] == original["parameters"]);
    QVERIFY(saved["benchmark"] == original["benchmark"]);
    QCOMPARE(QString::fromStdString(saved["model"]["id_or_path"].get<std::string>()), u"Qwen/Qwen2.5-7B-Instruct"_s);
    QCOMPARE(saved["model"]["namespace"].get<std::string>(), std::string("autotuner"));
    // The compared presets stay a "presets" list; the editor's scratch config is not one of them.
    QVERIFY(saved["quant_config"] == original["quant_config"]);
    // A comparison with a custom config has no autotuner shape: the list is kept in QuantDesk's own key.
    m_window->addCurrentToComparison();
    QVERIFY(m_window->save());
    saved = readJson(copy);
    QVERIFY(saved.contains("quantdesk_comparison"));
    QCOMPARE(saved["quantdesk_comparison"].size(), std::size_t(4));
    // And it reads back as the same state.
    const TaskState before = m_window->session()->state();
    QVERIFY(m_window->openFile(copy));
    QCOMPARE(m_window->session()->state().comparison, before.comparison);
    QCOMPARE(m_window->session()->state().comparison.constLast().config.kvcache, u"fp8_e4m3"_s);
}

void TestDocuments::saveAsUpdatesTitleAndRecentFiles()
{
    edit([](TaskState& s) { s.taskName = u"fresh"_s; });
    QVERIFY(m_window->windowTitle().contains(u"Untitled"_s));
    QVERIFY(m_window->isWindowModified());
    const QString path = m_dir->filePath(u"fresh"_s);
    Dialogs::setNextFileName(path);
    QVERIFY(m_window->saveAs());
    QVERIFY(QFile::exists(path + u".json"_s));
    QVERIFY(m_window->windowTitle().contains(u"fresh.json"_s));
    QVERIFY(!m_window->isWindowModified());
    QCOMPARE(m_settings->recentFiles().constFirst(), QFileInfo(path + u".json"_s).absoluteFilePath());
    const Json saved = readJson(path + u".json"_s);
    QCOMPARE(saved["task_name"].get<std::string>(), std::string("fresh"));
    QCOMPARE(saved["base_runtime"].get<std::string>(), std::string("vllm"));
    QVERIFY(saved["quant_config"] == Json::parse(R"({"preset": "default"})"));
}

void TestDocuments::exportWritesOnePinnedTaskPerConfig()
{
    QVERIFY(m_window->openFile(writeTask(u"task.json"_s, kTask)));
    const QString out = m_dir->filePath(u"export"_s);
    QDir().mkpath(out);
    Dialogs::setNextFileName(out);
    m_window->findChild<QAction*>(u"exportAction"_s)->trigger();
    QCOMPARE(m_window->banner()->type(), MessageBanner::Type::Positive);
    QStringList files = QDir(out).entryList({u"*.json"_s}, QDir::Files, QDir::Name);
    QCOMPARE(
        files,
        (QStringList{u"llama-kv-bf16-stable.json"_s, u"llama-kv-default.json"_s, u"llama-kv-kv-cache-fp8.json"_s}));
    for (const QuantChoice& choice : m_window->session()->state().comparison) {
        const Json task = readJson(QDir(out).filePath(u"llama-kv-%1.json"_s.arg(choice.preset)));
        QCOMPARE(QString::fromStdString(task["task_name"].get<std::string>()), u"llama-kv-"_s + choice.preset);
        // The four explicit fields, never a preset name the autotuner would drop.
        for (const QuantField f : kQuantFields) {
            QCOMPARE(QString::fromStdString(task["quant_config"][toStd(fieldKey(f))].get<std::string>()),
                     choice.config.value(f));
        }
        // Every flag the preview shows is pinned, with the user's own parameters kept.
        const EngineCommand cmd = buildTaskCommand(
            m_window->session()->state(), u"vllm"_s, choice.config, inspectModel(m_window->session()->state().model));
        for (const CommandFlag& flag : cmd.flags) {
            const std::string key = toStd(flag.flag.mid(2));
            QVERIFY2(task["parameters"].contains(key), key.c_str());
            if (flag.source != u"parameter")
                QCOMPARE(jsonText(task["parameters"][key][0]), flag.value.value_or(u"true"_s));
        }
        QVERIFY(task["parameters"]["max-num-seqs"] == Json::array({128, 256}));
        QVERIFY(task["x_team_notes"] == Json::parse(kTask)["x_team_notes"]);
    }
}

void TestDocuments::exportCustomComparison()
{
    edit([](TaskState& s) { s.model = u"Qwen/Qwen2.5-7B-Instruct"_s; });
    QComboBox* gemm = m_window->quantEditor()->fieldComboBox(QuantField::Gemm);
    gemm->setCurrentIndex(gemm->findData(u"fp8"_s));
    m_window->addCurrentToComparison();
    m_window->addCurrentToComparison(); // no duplicates
    QComboBox* preset = m_window->quantEditor()->presetComboBox();
    preset->setCurrentIndex(preset->findText(u"kv-cache-fp8"_s));
    m_window->addCurrentToComparison();
    QCOMPARE(m_window->session()->state().comparison.size(), 2);
    const QString out = m_dir->filePath(u"export"_s);
    Dialogs::setNextFileName(out);
    m_window->exportForAutotuner();
    QVERIFY2(m_window->banner()->type() == MessageBanner::Type::Positive, qPrintable(m_window->banner()->text()));
    const QString slug = QuantConfig{u"fp8"_s, u"auto"_s, u"auto"_s, u"auto"_s}.slug();
    QCOMPARE(QDir(out).entryList({u"*.json"_s}, QDir::Files, QDir::Name),
             (QStringList{u"quant-task-%1.json"_s.arg(slug), u"quant-task-kv-cache-fp8.json"_s}));
}

void TestDocuments::exportRefusalIsShown()
{
    edit([](TaskState& s) { s.engine = u"trtllm"_s; }); // the autotuner cannot deploy TensorRT-LLM
    const QString out = m_dir->filePath(u"export"_s);
    Dialogs::setNextFileName(out);
    m_window->exportForAutotuner();
    QCOMPARE(m_window->banner()->type(), MessageBanner::Type::Error);
    QVERIFY(m_window->banner()->text().contains(u"nothing was written"_s));
    QVERIFY(QDir(out).entryList({u"*.json"_s}, QDir::Files).isEmpty());
}

void TestDocuments::unsavedChangesPrompt()
{
    edit([](TaskState& s) { s.model = u"org/model"_s; });
    Dialogs::setNextAnswer(QMessageBox::Cancel);
    m_window->newDocument();
    QCOMPARE(m_window->session()->state().model, u"org/model"_s); // kept

    Dialogs::setNextAnswer(QMessageBox::Save);
    const QString path = m_dir->filePath(u"saved.json"_s);
    Dialogs::setNextFileName(path);
    m_window->newDocument();
    QVERIFY(QFile::exists(path));
    QCOMPARE(m_window->session()->state(), TaskState::defaults());

    edit([](TaskState& s) { s.model = u"org/other"_s; });
    Dialogs::setNextAnswer(QMessageBox::Discard);
    m_window->newDocument();
    QCOMPARE(m_window->session()->state(), TaskState::defaults());
    QVERIFY(!m_window->session()->isModified());

    // Closing asks too; Cancel keeps the window open.
    edit([](TaskState& s) { s.model = u"org/third"_s; });
    Dialogs::setNextAnswer(QMessageBox::Cancel);
    QVERIFY(!m_window->close());
    QVERIFY(m_window->isVisible());
}

void TestDocuments::dropOpensTaskFile()
{
    const QString path = writeTask(u"dropped.json"_s, kTask);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_window.get(), &drop);
    QTRY_COMPARE(m_window->session()->filePath(), QFileInfo(path).absoluteFilePath());
    QCOMPARE(m_window->session()->state().taskName, u"llama-kv"_s);
}

void TestDocuments::recentFilesMenu()
{
    const QString a = writeTask(u"a.json"_s, kTask);
    const QString b = writeTask(u"b.json"_s, kTask);
    QVERIFY(m_window->openFile(a));
    QVERIFY(m_window->openFile(b));
    QCOMPARE(m_settings->recentFiles(),
             (QStringList{QFileInfo(b).absoluteFilePath(), QFileInfo(a).absoluteFilePath()}));
    auto* menu = m_window->findChild<QMenu*>(u"recentMenu"_s);
    emit menu->aboutToShow();
    auto* second = m_window->findChild<QAction*>(u"recentFileAction2"_s);
    QVERIFY(second);
    QVERIFY(!second->shortcut().isEmpty());
    second->trigger();
    QCOMPARE(m_window->session()->filePath(), QFileInfo(a).absoluteFilePath());
}

void TestDocuments::userPresetManagement()
{
    QComboBox* kv = m_window->quantEditor()->fieldComboBox(QuantField::KvCache);
    kv->setCurrentIndex(kv->findData(u"fp8_e4m3"_s));
    QComboBox* preset = m_window->quantEditor()->presetComboBox();
    QCOMPARE(preset->currentText(), u"Custom"_s);
    auto* rename = m_window->findChild<QAction*>(u"renamePresetAction"_s);
    auto* remove = m_window->findChild<QAction*>(u"deletePresetAction"_s);
    QVERIFY(!rename->isEnabled() && !remove->isEnabled()); // nothing to rename for Custom

    Dialogs::setNextText(u"kv-e4m3"_s);
    m_window->findChild<QAction*>(u"savePresetAction"_s)->trigger();
    QCOMPARE(preset->currentText(), u"kv-e4m3"_s);
    QVERIFY(m_presets->find(u"kv-e4m3"_s));
    QVERIFY(QFile::exists(m_presets->find(u"kv-e4m3"_s)->filePath));
    QVERIFY(rename->isEnabled() && remove->isEnabled());

    Dialogs::setNextText(u"kv-e4m3-scaled"_s);
    rename->trigger();
    QCOMPARE(preset->currentText(), u"kv-e4m3-scaled"_s);
    QVERIFY(!m_presets->find(u"kv-e4m3"_s));

    Dialogs::setNextText(u"default"_s); // built-ins are read-only: a clear error, nothing changes
    m_window->savePresetAs();
    QCOMPARE(m_window->banner()->type(), MessageBanner::Type::Error);
    QCOMPARE(preset->currentText(), u"kv-e4m3-scaled"_s);

    Dialogs::setNextAnswer(QMessageBox::Yes);
    remove->trigger();
    QVERIFY(!m_presets->find(u"kv-e4m3-scaled"_s));
    QCOMPARE(preset->currentText(), u"Custom"_s);
    QCOMPARE(m_window->session()->state().quant.config.kvcache, u"fp8_e4m3"_s); // the fields stay
}

QTEST_MAIN(TestDocuments)
#include "TestDocuments.moc"

// The live preview: exactly the core's EngineCommand per engine, provenance per flag, translated and overridden
// flags marked, YAML and JSON forms, copy, and the debounce for typing.
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

#include "core/engines/Mapper.h"
#include "core/engines/PreviewJson.h"
#include "core/quant/Presets.h"
#include "ui/FlagTableModel.h"
#include "ui/MainWindow.h"
#include "ui/ParametersModel.h"
#include "ui/PreviewPane.h"
#include "ui/QuantEditor.h"
#include "ui/Settings.h"
#include "ui/TaskPane.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;

class TestPreviewPane : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void showsExactlyTheCoreCommand_data();
    void showsExactlyTheCoreCommand();
    void everyFlagNamesItsSource();
    void parameterOverrideIsShownAsOverride();
    void translatedValuesAreMarked();
    void trtllmYamlTab();
    void jsonTabIsThePreviewJson();
    void copyButtonCopiesTheShellQuotedCommand();
    void parametersOnlyReachTheTaskEngine();
    void typingIsDebouncedPicksAreNot();
    void engineChangeShowsItsTab();

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

void TestPreviewPane::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
    m_presets = std::make_unique<PresetStore>(m_dir->filePath(u"presets"_s));
    m_window = std::make_unique<MainWindow>(*m_settings, *m_presets);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestPreviewPane::cleanup()
{
    m_window.reset();
    m_presets.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestPreviewPane::showsExactlyTheCoreCommand_data()
{
    QTest::addColumn<QString>("engine");
    QTest::addColumn<QString>("preset");
    for (const QString& engine : ProfileRegistry::builtIn().engines()) {
        for (const Preset& p : builtInPresets())
            QTest::addRow("%s/%s", qPrintable(engine), qPrintable(p.name)) << engine << p.name;
    }
}

void TestPreviewPane::showsExactlyTheCoreCommand()
{
    QFETCH(QString, engine);
    QFETCH(QString, preset);
    edit([&](TaskState& s) {
        s.engine = engine;
        s.model = u"meta-llama/Llama-3.1-8B-Instruct"_s;
        s.parameters = {};
    });
    pickPreset(preset);
    const TaskState& s = m_window->session()->state();
    MapRequest req;
    req.config = findBuiltInPreset(preset)->config;
    req.engineVersion = effectiveEngineVersion(s);
    req.profile = ProfileRegistry::builtIn().select(engine, req.engineVersion, &req.profileNote);
    req.model = inspectModel(s.model);
    const EngineCommand expected = buildEngineCommand(req);
    PreviewPane* pane = m_window->previewPane();
    QCOMPARE(pane->commandText(engine), expected.shellCommand());
    QCOMPARE(pane->argvText(engine), expected.fullArgv().join(u'\n'));
    QCOMPARE(pane->command(engine)->flags, expected.flags);
    QCOMPARE(pane->command(engine)->diagnostics, expected.diagnostics);
    QCOMPARE(pane->flagModel(engine)->rowCount(), expected.flags.size() + expected.yaml.size());
}

void TestPreviewPane::everyFlagNamesItsSource()
{
    edit([](TaskState& s) {
        s.engine = u"vllm"_s;
        s.parameters = {{u"max-num-seqs"_s, nlohmann::ordered_json::array({128})}};
    });
    pickPreset(u"dynamic-fp8"_s);
    FlagTableModel* model = m_window->previewPane()->flagModel(u"vllm"_s);
    const EngineCommand* cmd = m_window->previewPane()->command(u"vllm"_s);
    QVERIFY(cmd->flags.size() >= 2);
    for (int row = 0; row < cmd->flags.size(); ++row) {
        const CommandFlag& f = cmd->flags.at(row);
        QCOMPARE(model->index(row, FlagTableModel::FlagColumn).data().toString(), f.flag);
        QCOMPARE(model->index(row, FlagTableModel::SourceColumn).data(FlagTableModel::SourceRole).toString(), f.source);
        QCOMPARE(model->index(row, FlagTableModel::SourceColumn).data().toString(), sourceLabel(f.source));
        QVERIFY(!model->index(row, FlagTableModel::FlagColumn).data(Qt::ToolTipRole).toString().isEmpty());
    }
    const int param = model->rowOf(u"--max-num-seqs"_s);
    QVERIFY(param >= 0);
    QCOMPARE(model->index(param, FlagTableModel::SourceColumn).data().toString(), u"parameter"_s);
}

void TestPreviewPane::parameterOverrideIsShownAsOverride()
{
    edit([](TaskState& s) {
        s.engine = u"sglang"_s;
        s.parameters = {{u"kv-cache-dtype"_s, nlohmann::ordered_json::array({"fp8_e4m3"})}};
    });
    pickPreset(u"kv-cache-fp8"_s);
    const EngineCommand* cmd = m_window->previewPane()->command(u"sglang"_s);
    const CommandFlag* flag = cmd->findFlag(u"--kv-cache-dtype"_s);
    QVERIFY(flag && flag->overrides);
    QCOMPARE(flag->value, std::optional(u"fp8_e4m3"_s));

    FlagTableModel* model = m_window->previewPane()->flagModel(u"sglang"_s);
    const int row = model->rowOf(u"--kv-cache-dtype"_s);
    QCOMPARE(model->index(row, FlagTableModel::ValueColumn).data().toString(), u"fp8_e4m3"_s);
    QCOMPARE(model->index(row, 0).data(FlagTableModel::OverridesRole).toString(), *flag->overrides);
    const QString note = model->index(row, FlagTableModel::NoteColumn).data().toString();
    QVERIFY2(note.contains(u"overrides"_s) && note.contains(u"fp8_e5m2"_s), qPrintable(note));
    QVERIFY(model->index(row, FlagTableModel::FlagColumn).data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(
        model->index(row, FlagTableModel::FlagColumn).data(Qt::AccessibleTextRole).toString().contains(u"overrides"_s));
    // The parameter that wins is marked in the task pane too.
    ParametersModel* params = m_window->taskPane()->parametersModel();
    QVERIFY(params->index(0, ParametersModel::KeyColumn).data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(m_window->previewPane()->commandText(u"sglang"_s).contains(u"--kv-cache-dtype fp8_e4m3"_s));
}

void TestPreviewPane::translatedValuesAreMarked()
{
    edit([](TaskState& s) { s.engine = u"sglang"_s; });
    pickPreset(u"default"_s);
    pickValue(QuantField::KvCache, u"fp8"_s); // SGLang spells plain fp8 as fp8_e4m3
    const EngineCommand* cmd = m_window->previewPane()->command(u"sglang"_s);
    const CommandFlag* flag = cmd->findFlag(u"--kv-cache-dtype"_s);
    QVERIFY(flag);
    QVERIFY(flag->translated);
    FlagTableModel* model = m_window->previewPane()->flagModel(u"sglang"_s);
    const int row = model->rowOf(u"--kv-cache-dtype"_s);
    QVERIFY(model->index(row, 0).data(FlagTableModel::TranslatedRole).toBool());
    QVERIFY(model->index(row, FlagTableModel::NoteColumn).data().toString().contains(u"translated"_s));
    QVERIFY(!model->index(row, FlagTableModel::ValueColumn).data(Qt::DecorationRole).value<QIcon>().isNull());
}

void TestPreviewPane::trtllmYamlTab()
{
    pickPreset(u"bf16-stable"_s);
    const EngineCommand* cmd = m_window->previewPane()->command(u"trtllm"_s);
    QVERIFY(!cmd->configYaml().isEmpty());
    const QString yaml = m_window->previewPane()->yamlText(u"trtllm"_s);
    QVERIFY(yaml.contains(cmd->configYaml()));
    QVERIFY(yaml.contains(cmd->configFile));
    FlagTableModel* model = m_window->previewPane()->flagModel(u"trtllm"_s);
    QVERIFY(model->rowOf(cmd->yaml.constFirst().key) >= 0);
    QVERIFY(m_window->previewPane()->yamlText(u"vllm"_s).startsWith(u"#"_s)); // no YAML for vLLM
}

void TestPreviewPane::jsonTabIsThePreviewJson()
{
    pickPreset(u"dynamic-fp8"_s);
    for (const QString& engine : ProfileRegistry::builtIn().engines()) {
        const EngineCommand* cmd = m_window->previewPane()->command(engine);
        const auto expected = previewToJson(*cmd, u"dynamic-fp8"_s, findBuiltInPreset(u"dynamic-fp8"_s)->config);
        QCOMPARE(m_window->previewPane()->jsonText(engine), QString::fromStdString(expected.dump(2)));
    }
}

void TestPreviewPane::copyButtonCopiesTheShellQuotedCommand()
{
    edit([](TaskState& s) { s.model = u"/models/my model"_s; }); // a space: must be quoted
    m_window->previewPane()->setCurrentEngine(u"vllm"_s);
    auto* copy = m_window->previewPane()->findChild<QToolButton*>(u"vllmCopyToolButton"_s);
    QVERIFY(copy);
    QApplication::clipboard()->clear();
    QTest::mouseClick(copy, Qt::LeftButton);
    const QString copied = QApplication::clipboard()->text();
    QCOMPARE(copied, m_window->previewPane()->command(u"vllm"_s)->shellCommand());
    QVERIFY2(copied.contains(u"'/models/my model'"_s), qPrintable(copied));
}

void TestPreviewPane::parametersOnlyReachTheTaskEngine()
{
    edit([](TaskState& s) {
        s.engine = u"vllm"_s;
        s.parameters = {{u"max-num-seqs"_s, nlohmann::ordered_json::array({64, 128})}};
    });
    QVERIFY(m_window->previewPane()->commandText(u"vllm"_s).contains(u"--max-num-seqs 64"_s)); // first value
    QVERIFY(!m_window->previewPane()->commandText(u"sglang"_s).contains(u"max-num-seqs"_s));
    QVERIFY(m_window->previewPane()->tabWidget()->tabText(0).contains(u"task"_s));
}

void TestPreviewPane::typingIsDebouncedPicksAreNot()
{
    auto* model = m_window->taskPane()->findChild<QLineEdit*>(u"modelLineEdit"_s);
    QVERIFY(model);
    const int before = m_window->previewRefreshCount();
    model->setFocus();
    QTest::keyClicks(model, u"org/some-model-AWQ"_s);
    QCOMPARE(m_window->session()->state().model, u"org/some-model-AWQ"_s);
    // Not yet: one refresh after the typing pause, not one per key.
    QCOMPARE(m_window->previewRefreshCount(), before);
    QVERIFY(m_window->isPreviewPending());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->previewRefreshCount(), before + 1, 2000);
    QVERIFY(m_window->previewPane()->commandText(u"vllm"_s).contains(u"org/some-model-AWQ"_s));
    // One undo step for the whole typing.
    QCOMPARE(m_window->session()->undoStack()->count(), 1);

    const int afterTyping = m_window->previewRefreshCount();
    pickValue(QuantField::Gemm, u"bfloat16"_s);
    QCOMPARE(m_window->previewRefreshCount(), afterTyping + 1);
    QVERIFY(!m_window->isPreviewPending());
}

void TestPreviewPane::engineChangeShowsItsTab()
{
    auto* engine = m_window->taskPane()->findChild<QComboBox*>(u"engineComboBox"_s);
    engine->setCurrentIndex(engine->findData(u"trtllm"_s));
    QCOMPARE(m_window->session()->state().engine, u"trtllm"_s);
    QCOMPARE(m_window->previewPane()->currentEngine(), u"trtllm"_s);
}

QTEST_MAIN(TestPreviewPane)
#include "TestPreviewPane.moc"

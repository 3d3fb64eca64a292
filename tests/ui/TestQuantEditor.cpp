// The four-field editor: presets fill the fields, edits turn the preset into "Custom", and every badge and tooltip
// says what the core says.
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <functional>

#include "core/engines/Mapper.h"
#include "core/hardware/GpuInfo.h"
#include "core/quant/Presets.h"
#include "tests/TestConfig.h"
#include "ui/DocumentSession.h"
#include "ui/FlagTableModel.h"
#include "ui/MainWindow.h"
#include "ui/PresetListModel.h"
#include "ui/PreviewPane.h"
#include "ui/QuantEditor.h"
#include "ui/Settings.h"
#include "ui/SupportBadge.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;

class TestQuantEditor : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void presetFillsFieldsAndEveryPreview_data();
    void presetFillsFieldsAndEveryPreview();
    void fieldChangeTurnsPresetIntoCustom();
    void fieldChangeBackToPresetValuesShowsThePreset();
    void choosingCustomChangesNothing();
    void valueToolTipsExplainEveryValue();
    void badgesMatchCoreForEveryFieldValue_data();
    void badgesMatchCoreForEveryFieldValue();
    void badgeToolTipNamesSeedDifference();
    void badgeColoursKeepContrastInBothPalettes();
    void hoveringAFlagHighlightsItsField();
    void memoryPredictionBesideTheFields();

private:
    QComboBox* combo(QuantField f) const { return m_window->quantEditor()->fieldComboBox(f); }
    QComboBox* presetCombo() const { return m_window->quantEditor()->presetComboBox(); }
    void pickPreset(const QString& name) const { presetCombo()->setCurrentIndex(presetCombo()->findText(name)); }
    void pickValue(QuantField f, const QString& v) const { combo(f)->setCurrentIndex(combo(f)->findData(v)); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<PresetStore> m_presets;
    std::unique_ptr<MainWindow> m_window;
};

void TestQuantEditor::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
    m_presets = std::make_unique<PresetStore>(m_dir->filePath(u"presets"_s));
    m_presets->reload();
    m_window = std::make_unique<MainWindow>(*m_settings, *m_presets);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestQuantEditor::cleanup()
{
    m_window.reset();
    m_presets.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestQuantEditor::presetFillsFieldsAndEveryPreview_data()
{
    QTest::addColumn<QString>("preset");
    for (const Preset& p : builtInPresets())
        QTest::addRow("%s", qPrintable(p.name)) << p.name;
}

void TestQuantEditor::presetFillsFieldsAndEveryPreview()
{
    QFETCH(QString, preset);
    // Start elsewhere so every preset is a real change.
    pickValue(QuantField::Moe, u"int8"_s);
    const int before = m_window->previewRefreshCount();
    pickPreset(preset);
    const Preset p = *findBuiltInPreset(preset);
    for (const QuantField f : kQuantFields)
        QCOMPARE(combo(f)->currentData().toString(), p.config.value(f));
    QCOMPARE(m_window->session()->state().quant, (QuantChoice{preset, p.config}));
    QCOMPARE(m_window->previewRefreshCount(), before + 1); // at once, not debounced

    // Every engine's preview is exactly the core's command for this preset.
    for (const QString& engine : ProfileRegistry::builtIn().engines()) {
        QString error;
        const auto expected = buildEngineCommand(engine,
                                                 m_window->session()->state().engine == engine
                                                     ? effectiveEngineVersion(m_window->session()->state())
                                                     : QString(),
                                                 p.config,
                                                 inspectModel({}),
                                                 std::nullopt,
                                                 {},
                                                 &error);
        QVERIFY2(expected, qPrintable(error));
        QCOMPARE(m_window->previewPane()->commandText(engine), expected->shellCommand());
        const EngineCommand* shown = m_window->previewPane()->command(engine);
        QCOMPARE(shown->fullArgv(), expected->fullArgv());
        QCOMPARE(shown->flags, expected->flags);
        QCOMPARE(shown->yaml, expected->yaml);
        QCOMPARE(shown->diagnostics, expected->diagnostics);
        QVERIFY(m_window->previewPane()->jsonText(engine).contains(u"\"preset\": \"%1\""_s.arg(preset)));
    }
}

void TestQuantEditor::fieldChangeTurnsPresetIntoCustom()
{
    pickPreset(u"kv-cache-fp8"_s);
    QCOMPARE(presetCombo()->currentText(), u"kv-cache-fp8"_s);
    pickValue(QuantField::Attention, u"fp8"_s);
    QCOMPARE(presetCombo()->currentText(), u"Custom"_s);
    QCOMPARE(presetCombo()->currentIndex(), m_window->presetModel()->customRow());
    QCOMPARE(m_window->session()->state().quant.preset, QString());
    QCOMPARE(m_window->session()->state().quant.config.attention, u"fp8"_s);
    QCOMPARE(m_window->session()->state().quant.config.kvcache, u"fp8_e5m2"_s); // the others stay
    QVERIFY(m_window->previewPane()->jsonText(u"vllm"_s).contains(u"\"preset\": null"_s));
}

void TestQuantEditor::fieldChangeBackToPresetValuesShowsThePreset()
{
    pickPreset(u"default"_s);
    pickValue(QuantField::KvCache, u"fp8_e5m2"_s); // auto/fp8_e5m2/auto/auto is kv-cache-fp8
    QCOMPARE(presetCombo()->currentText(), u"kv-cache-fp8"_s);
    pickValue(QuantField::KvCache, u"auto"_s);
    QCOMPARE(presetCombo()->currentText(), u"default"_s);
}

void TestQuantEditor::choosingCustomChangesNothing()
{
    pickPreset(u"bf16-stable"_s);
    const TaskState before = m_window->session()->state();
    presetCombo()->setCurrentIndex(m_window->presetModel()->customRow());
    QCOMPARE(m_window->session()->state(), before);
    QCOMPARE(presetCombo()->currentText(), u"bf16-stable"_s);
}

void TestQuantEditor::valueToolTipsExplainEveryValue()
{
    for (const QuantField f : kQuantFields) {
        QComboBox* c = combo(f);
        QCOMPARE(c->count(), fieldValues(f).size());
        for (int i = 0; i < c->count(); ++i) {
            const QString value = c->itemData(i).toString();
            const QString tip = c->itemData(i, Qt::ToolTipRole).toString();
            QVERIFY2(!tip.isEmpty(), qPrintable(value));
            QCOMPARE(tip, valueDescription(f, value));
        }
    }
    const QString e5m2 = combo(QuantField::KvCache)
                             ->itemData(combo(QuantField::KvCache)->findData(u"fp8_e5m2"_s), Qt::ToolTipRole)
                             .toString();
    const QString e4m3 = combo(QuantField::KvCache)
                             ->itemData(combo(QuantField::KvCache)->findData(u"fp8_e4m3"_s), Qt::ToolTipRole)
                             .toString();
    QVERIFY(e5m2.contains(u"5 exponent"_s));
    QVERIFY(e4m3.contains(u"4 exponent"_s));
}

void TestQuantEditor::badgesMatchCoreForEveryFieldValue_data()
{
    QTest::addColumn<int>("field");
    QTest::addColumn<QString>("value");
    for (const QuantField f : kQuantFields) {
        for (const QString& v : fieldValues(f))
            QTest::addRow("%s=%s", qPrintable(fieldKey(f)), qPrintable(v)) << static_cast<int>(f) << v;
    }
}

void TestQuantEditor::badgesMatchCoreForEveryFieldValue()
{
    QFETCH(int, field);
    QFETCH(QString, value);
    const auto f = static_cast<QuantField>(field);
    pickPreset(u"default"_s);
    pickValue(f, value);
    for (const QString& engine : ProfileRegistry::builtIn().engines()) {
        SupportBadge* badge = m_window->quantEditor()->badge(f, engine);
        QVERIFY(badge);
        const EngineCommand* cmd = m_window->previewPane()->command(engine);
        QVERIFY(cmd);
        const FieldSupport contextual = cmd->support.value(f);
        const EngineProfile* profile = ProfileRegistry::builtIn().select(engine, cmd->profileVersion, nullptr);
        const FieldSupport general = fieldSupport(*profile, f, value);
        // The badge shows what the engine will do here, with the level's word (never colour alone).
        QCOMPARE(badge->level(), contextual.level);
        QCOMPARE(badge->text(), supportLevelText(contextual.level));
        QVERIFY(badge->accessibleName().contains(supportLevelText(contextual.level)));
        QVERIFY(badge->accessibleName().contains(ProfileRegistry::engineDisplayName(engine)));
        // The tooltip says exactly what the engine does and, when it differs, what the value does in general.
        const QString tip = badge->toolTip();
        QCOMPARE(tip, supportToolTip(*profile, f, value, contextual));
        const QString what = contextual.note.isEmpty() ? general.note : contextual.note;
        QVERIFY2(tip.contains(what.toHtmlEscaped()), qPrintable(tip));
        if (general.level != contextual.level)
            QVERIFY2(tip.contains(supportLevelText(general.level)), qPrintable(tip));
        // With every other field on auto and no model or GPU, the contextual level is the `support` level.
        if (value == u"auto" || f != QuantField::Attention)
            QCOMPARE(contextual.level, general.level);
    }
}

void TestQuantEditor::badgeToolTipNamesSeedDifference()
{
    // The seed says vLLM has no attention dtype; FP8 attention follows an FP8 E4M3 KV cache there.
    pickPreset(u"default"_s);
    pickValue(QuantField::KvCache, u"fp8_e4m3"_s);
    pickValue(QuantField::Attention, u"fp8"_s);
    SupportBadge* badge = m_window->quantEditor()->badge(QuantField::Attention, u"vllm"_s);
    const EngineProfile* vllm = ProfileRegistry::builtIn().select(u"vllm"_s, {}, nullptr);
    QCOMPARE(vllm->seedClaim(QuantField::Attention).claim, u"unsupported"_s);
    QVERIFY(badge->level() != SupportLevel::Unsupported);
    QVERIFY2(badge->toolTip().contains(u"Changed from the seed"_s), qPrintable(badge->toolTip()));
    QVERIFY(badge->toolTip().contains(vllm->seedClaim(QuantField::Attention).note.toHtmlEscaped()));

    // TensorRT-LLM's seed claimed an INT4 KV cache; the truth is different and the tooltip says so.
    pickValue(QuantField::KvCache, u"int4"_s);
    SupportBadge* trt = m_window->quantEditor()->badge(QuantField::KvCache, u"trtllm"_s);
    QCOMPARE(trt->level(), SupportLevel::Unsupported);
    QVERIFY2(trt->toolTip().contains(u"Changed from the seed"_s), qPrintable(trt->toolTip()));
}

void TestQuantEditor::badgeColoursKeepContrastInBothPalettes()
{
    auto luminance = [](const QColor& c) {
        auto ch = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF());
    };
    auto contrast = [&](const QColor& a, const QColor& b) {
        const double la = luminance(a) + 0.05;
        const double lb = luminance(b) + 0.05;
        return std::max(la, lb) / std::min(la, lb);
    };
    QPalette light;
    light.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
    light.setColor(QPalette::Base, Qt::white);
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    for (const QPalette& p : {light, dark}) {
        QSet<QRgb> seen;
        for (const SupportLevel level : {SupportLevel::Native,
                                         SupportLevel::Translated,
                                         SupportLevel::Checkpoint,
                                         SupportLevel::Implicit,
                                         SupportLevel::Unsupported}) {
            const QColor c = supportLevelColor(level, p);
            QVERIFY2(contrast(c, p.color(QPalette::Window)) >= 3.0, qPrintable(supportLevelText(level)));
            QVERIFY2(contrast(c, p.color(QPalette::Base)) >= 3.0, qPrintable(supportLevelText(level)));
            seen.insert(c.rgb());
            QVERIFY(!supportLevelText(level).isEmpty()); // a word for every level
        }
        QCOMPARE(seen.size(), 5);
    }
}

void TestQuantEditor::hoveringAFlagHighlightsItsField()
{
    pickPreset(u"kv-cache-fp8"_s);
    PreviewPane* preview = m_window->previewPane();
    preview->setCurrentEngine(u"vllm"_s);
    auto* table = preview->findChild<QTableView*>(u"vllmFlagsTableView"_s);
    QVERIFY(table);
    FlagTableModel* model = preview->flagModel(u"vllm"_s);
    const int row = model->rowOf(u"--kv-cache-dtype"_s);
    QVERIFY(row >= 0);
    QCOMPARE(model->index(row, 0).data(FlagTableModel::SourceRole).toString(), u"kvcache_dtype"_s);
    QTRY_VERIFY(table->isVisible());
    const QRect cell = table->visualRect(model->index(row, FlagTableModel::ValueColumn));
    QTest::mouseMove(table->viewport(), cell.center());
    QTRY_COMPARE(m_window->quantEditor()->highlightedField(), std::optional(QuantField::KvCache));
    // Keyboard users get the same: the current row lights its field up.
    table->setCurrentIndex(model->index(row, 0));
    QCOMPARE(m_window->quantEditor()->highlightedField(), std::optional(QuantField::KvCache));
    emit preview->flagHovered(QString());
    QCOMPARE(m_window->quantEditor()->highlightedField(), std::nullopt);
}

// Issue 9: the editor shows what the config costs on the task's model and GPU. Expected numbers worked out by hand
// from Llama-3-8B's shape (see TestResultsImport::predictedMemorySeries): BF16 weights 14.96 GiB, FP8 8.46 GiB; KV
// 128 KiB per token in BF16, 64 KiB in FP8; on an H100 (81559 MiB) with vLLM's 0.9: 448,308 / 896,617 tokens.
void TestQuantEditor::memoryPredictionBesideTheFields()
{
    const QString fromEnv = qEnvironmentVariable("QUANTDESK_TEST_DATA");
    const QDir data(fromEnv.isEmpty() ? QString::fromUtf8(QUANTDESK_TEST_DATA_DIR) : fromEnv);
    QString error;
    const QList<GpuInfo> gpus = parseNvidiaSmiFile(data.filePath(u"nvidia-smi-h100/query-gpu.csv"_s), &error);
    QVERIFY2(!gpus.isEmpty(), qPrintable(error));
    QuantEditor* editor = m_window->quantEditor();
    const auto text = [&](QuantField f) { return editor->memoryLabel(f)->text(); };
    const auto edit = [&](const std::function<void(TaskState&)>& change) {
        TaskState s = m_window->session()->state();
        change(s);
        m_window->session()->edit(s, u"test"_s, DocumentSession::Pace::Immediate);
    };

    edit([&](TaskState& s) {
        s.model = u"org/not-a-local-model"_s;
        s.engine = u"vllm"_s;
    });
    QVERIFY2(editor->memorySummaryLabel()->text().contains(u"No memory prediction"_s),
             qPrintable(editor->memorySummaryLabel()->text()));
    QVERIFY(text(QuantField::Gemm).isEmpty());

    // The model's files, no GPU yet: weights and bytes per token, and a hint for the capacity.
    edit([&](TaskState& s) { s.model = data.filePath(u"models/llama3-8b"_s); });
    pickPreset(u"default"_s);
    QVERIFY2(text(QuantField::Gemm).contains(u"weights 14.96 GiB"_s), qPrintable(text(QuantField::Gemm)));
    QVERIFY2(text(QuantField::KvCache).contains(u"128 KiB/token"_s), qPrintable(text(QuantField::KvCache)));
    QVERIFY(!text(QuantField::KvCache).contains(u"tokens"_s));
    QVERIFY2(editor->memorySummaryLabel()->text().contains(u"target GPU"_s),
             qPrintable(editor->memorySummaryLabel()->text()));
    QVERIFY(editor->memoryLabel(QuantField::KvCache)->isVisible());
    QVERIFY(!editor->memoryLabel(QuantField::Moe)->isVisible()); // a dense model: nothing for MoE to decide

    // With the target GPU: the capacity, and the assumptions it rests on.
    edit([&](TaskState& s) { s.gpu = gpus.first(); });
    QVERIFY2(text(QuantField::KvCache).contains(u"448,30"_s), qPrintable(text(QuantField::KvCache)));
    const QString summary = editor->memorySummaryLabel()->text();
    QVERIFY2(summary.contains(u"H100"_s) && summary.contains(u"vLLM"_s) &&
                 summary.contains(u"gpu-memory-utilization 0.9"_s) && summary.contains(u"54.73 GiB"_s),
             qPrintable(summary));

    // Each preset changes what it should.
    pickPreset(u"kv-cache-fp8"_s);
    QVERIFY2(text(QuantField::Gemm).contains(u"weights 14.96 GiB"_s), qPrintable(text(QuantField::Gemm)));
    QVERIFY2(text(QuantField::KvCache).contains(u"64 KiB/token"_s), qPrintable(text(QuantField::KvCache)));
    QVERIFY2(text(QuantField::KvCache).contains(u"896,6"_s), qPrintable(text(QuantField::KvCache)));
    pickPreset(u"dynamic-fp8"_s);
    QVERIFY2(text(QuantField::Gemm).contains(u"weights 8.46 GiB"_s), qPrintable(text(QuantField::Gemm)));

    // A memory fraction parameter is the engine's flag, so the prediction follows it.
    edit([&](TaskState& s) {
        s.parameters.append(ParameterEntry{u"gpu-memory-utilization"_s, nlohmann::ordered_json::array({0.5})});
    });
    QVERIFY2(editor->memorySummaryLabel()->text().contains(u"gpu-memory-utilization 0.5"_s),
             qPrintable(editor->memorySummaryLabel()->text()));
}

QTEST_MAIN(TestQuantEditor)
#include "TestQuantEditor.moc"

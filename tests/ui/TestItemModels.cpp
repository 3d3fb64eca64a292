// Every item model of the UI under QAbstractItemModelTester, through the changes the app makes to it.
#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QTest>

#include "core/engines/Mapper.h"
#include "core/quant/Presets.h"
#include "ui/ComparisonModel.h"
#include "ui/DiagnosticsModel.h"
#include "ui/FlagTableModel.h"
#include "ui/ParametersModel.h"
#include "ui/PresetListModel.h"
#include "ui/SupportMatrixModel.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;

namespace
{

EngineCommand command(const QString& engine, const QString& preset, const QList<QPair<QString, QString>>& params = {})
{
    QString error;
    auto cmd = buildEngineCommand(
        engine, {}, findBuiltInPreset(preset)->config, inspectModel({}), std::nullopt, params, &error);
    return cmd.value_or(EngineCommand{});
}

void touchEveryRole(const QAbstractItemModel& model)
{
    for (int r = 0; r < model.rowCount(); ++r) {
        for (int c = 0; c < model.columnCount(); ++c) {
            const QModelIndex i = model.index(r, c);
            for (int role = 0; role <= Qt::UserRole + 8; ++role)
                (void)model.data(i, role);
        }
    }
}

} // namespace

class TestItemModels : public QObject
{
    Q_OBJECT

private slots:
    void presetListModel();
    void flagTableModel();
    void diagnosticsModel();
    void parametersModel();
    void comparisonModel();
    void supportMatrixModel();
};

void TestItemModels::presetListModel()
{
    QTemporaryDir dir;
    PresetStore store(dir.filePath(u"presets"_s));
    PresetListModel model(store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), builtInPresets().size());
    model.setShowCustomRow(true);
    QCOMPARE(model.customRow(), builtInPresets().size());
    QCOMPARE(model.index(model.customRow()).data().toString(), u"Custom"_s);
    QCOMPARE(model.index(model.customRow()).data(PresetListModel::NameRole).toString(), QString());

    QString error;
    Preset mine{u"my-kv"_s, u"mine"_s, QuantConfig{u"auto"_s, u"fp8_e4m3"_s, u"auto"_s, u"auto"_s}, false, {}};
    QVERIFY2(model.savePreset(mine, &error), qPrintable(error));
    QCOMPARE(model.rowCount(), builtInPresets().size() + 2);
    const int row = model.rowOf(u"my-kv"_s);
    QVERIFY(row >= static_cast<int>(builtInPresets().size()));
    QCOMPARE(model.index(row).data(PresetListModel::BuiltInRole).toBool(), false);
    QVERIFY(model.index(row).data(Qt::ToolTipRole).toString().contains(u"kvcache=fp8_e4m3"_s));
    QVERIFY(!model.savePreset(Preset{u"default"_s, {}, {}, false, {}}, &error)); // built-ins are read-only
    QVERIFY2(model.renamePreset(u"my-kv"_s, u"my-kv-e4m3"_s, &error), qPrintable(error));
    QVERIFY(model.rowOf(u"my-kv"_s) < 0);
    QVERIFY(model.rowOf(u"my-kv-e4m3"_s) >= 0);
    QVERIFY2(model.removePreset(u"my-kv-e4m3"_s, &error), qPrintable(error));
    QCOMPARE(model.rowCount(), builtInPresets().size() + 1);
    model.reload();
    touchEveryRole(model);
    model.setShowCustomRow(false);
    QCOMPARE(model.customRow(), -1);
}

void TestItemModels::flagTableModel()
{
    FlagTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (const QString& engine : ProfileRegistry::builtIn().engines()) {
        for (const Preset& p : builtInPresets()) {
            const EngineCommand cmd = command(engine, p.name);
            model.setCommand(cmd);
            QCOMPARE(model.rowCount(), cmd.flags.size() + cmd.yaml.size());
            QCOMPARE(model.columnCount(), static_cast<int>(FlagTableModel::ColumnCount));
            touchEveryRole(model);
        }
    }
    model.setCommand(command(u"sglang"_s, u"kv-cache-fp8"_s, {{u"kv-cache-dtype"_s, u"fp8_e4m3"_s}}));
    const int row = model.rowOf(u"--kv-cache-dtype"_s);
    QVERIFY(model.index(row, 0).data(FlagTableModel::OverridesRole).isValid());
    model.setCommand(EngineCommand{});
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.headerData(0, Qt::Horizontal).toString().isEmpty());
}

void TestItemModels::diagnosticsModel()
{
    DiagnosticsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const EngineCommand cmd = command(u"trtllm"_s, u"aggressive-moe"_s);
    QVERIFY(!cmd.diagnostics.isEmpty());
    model.setDiagnostics(u"TensorRT-LLM"_s, cmd.diagnostics);
    QCOMPARE(model.rowCount(), cmd.diagnostics.size());
    for (int r = 0; r < model.rowCount(); ++r) {
        const Diagnostic& d = cmd.diagnostics.at(r);
        const QModelIndex i = model.index(r);
        QCOMPARE(i.data(DiagnosticsModel::IdRole).toString(), d.id);
        QCOMPARE(i.data(DiagnosticsModel::FieldRole).toString(), d.field);
        QCOMPARE(i.data(DiagnosticsModel::SeverityRole).toInt(), static_cast<int>(d.severity));
        QVERIFY(i.data().toString().contains(severityText(d.severity))); // severity in words, not just the icon
        QVERIFY(i.data().toString().contains(d.message));
        QVERIFY(!i.data(Qt::DecorationRole).value<QIcon>().isNull());
        QCOMPARE(i.data(DiagnosticsModel::HasActionRole).toBool(), d.action.kind != FixAction::Kind::None);
    }
    touchEveryRole(model);
    model.setDiagnostics(u"vLLM"_s, {});
    QCOMPARE(model.rowCount(), 0);
}

void TestItemModels::parametersModel()
{
    ParametersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<QList<ParameterEntry>> edits;
    connect(&model, &ParametersModel::parametersEdited, this, [&](const QList<ParameterEntry>& p) { edits << p; });
    model.setParameters({{u"tp-size"_s, nlohmann::ordered_json::array({1, 2})},
                         {u"mem-fraction-static"_s, nlohmann::ordered_json::array({0.85})}});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, ParametersModel::ValuesColumn).data().toString(), u"1, 2"_s);
    QVERIFY(model.insertRows(2, 1));
    QVERIFY(model.setData(model.index(2, ParametersModel::KeyColumn), u"--enable-mixed-chunk"_s));
    QVERIFY(model.setData(model.index(2, ParametersModel::ValuesColumn), u"true"_s));
    QCOMPARE(model.parameters().at(2).key, u"enable-mixed-chunk"_s); // dashes are not part of the key
    QVERIFY(model.parameters().at(2).values == nlohmann::ordered_json::array({true}));
    QVERIFY(model.setData(model.index(0, ParametersModel::ValuesColumn), u"1, 2.0, auto"_s));
    QVERIFY(model.parameters().at(0).values == nlohmann::ordered_json::parse(R"([1, 2.0, "auto"])"));
    QVERIFY(model.parameters().at(0).values[0].is_number_integer()); // 1 stays an integer, 2.0 a float
    QVERIFY(model.parameters().at(0).values[1].is_number_float());
    QCOMPARE(edits.size(), 4);
    model.setOverriddenKeys({u"tp-size"_s});
    QVERIFY(model.index(0, 0).data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(model.removeRows(0, 2));
    QCOMPARE(model.rowCount(), 1);
    QVERIFY(!model.removeRows(3, 1));
    model.setParameters({});
    QCOMPARE(model.rowCount(), 0);
    touchEveryRole(model);
}

void TestItemModels::comparisonModel()
{
    ComparisonModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QuantConfig custom{u"fp8"_s, u"auto"_s, u"auto"_s, u"auto"_s};
    model.setChoices({{u"default"_s, QuantConfig{}}, {QString(), custom}});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0).data().toString(), u"default"_s);
    QVERIFY(model.index(1).data().toString().startsWith(u"Custom"_s));
    QCOMPARE(model.index(1).data(ComparisonModel::TaskSuffixRole).toString(), custom.slug());
    touchEveryRole(model);
    model.setChoices({});
    QCOMPARE(model.rowCount(), 0);
}

void TestItemModels::supportMatrixModel()
{
    SupportMatrixModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<const EngineProfile*> profiles;
    for (const QString& engine : ProfileRegistry::builtIn().engines())
        profiles << ProfileRegistry::builtIn().select(engine, {}, nullptr);
    model.setProfiles(profiles);
    qsizetype values = 0;
    for (const QuantField f : kQuantFields)
        values += fieldValues(f).size();
    QCOMPARE(model.rowCount(), values);
    QCOMPARE(model.columnCount(), SupportMatrixModel::kFixedColumns + 2 * profiles.size());
    // Truth columns carry the core's context-free level; seed columns the seed's claim for the field.
    int row = 0;
    int differs = 0;
    for (const QuantField f : kQuantFields) {
        for (const QString& v : fieldValues(f)) {
            for (int e = 0; e < profiles.size(); ++e) {
                const QModelIndex seed = model.index(row, SupportMatrixModel::kFixedColumns + 2 * e);
                const QModelIndex truth = model.index(row, SupportMatrixModel::kFixedColumns + 2 * e + 1);
                QCOMPARE(seed.data().toString(), profiles.at(e)->seedClaim(f).claim);
                QCOMPARE(truth.data(SupportMatrixModel::LevelRole).toInt(),
                         static_cast<int>(fieldSupport(*profiles.at(e), f, v).level));
                differs += truth.data(SupportMatrixModel::SeedDiffersRole).toBool() ? 1 : 0;
            }
            ++row;
        }
    }
    QVERIFY(differs > 0); // the seed was wrong somewhere: that is why the view exists
    touchEveryRole(model);
    for (int c = 0; c < model.columnCount(); ++c)
        QVERIFY(!model.headerData(c, Qt::Horizontal).toString().isEmpty());
    model.setProfiles({});
    QCOMPARE(model.columnCount(), SupportMatrixModel::kFixedColumns);
}

QTEST_MAIN(TestItemModels)
#include "TestItemModels.moc"

// Export for the autotuner (DESIGN §5): one task per quant config, flags pinned, and — the point of it all — the
// autotuner's own mapping and override rules (reference/autotuner.md §2.5–§2.6, modelled in AutotunerMapping) applied
// to the exported task give exactly the previewed flags, on its web worker and on its CLI.
#include <QDir>
#include <QFile>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>

#include "core/engines/EngineProfile.h"
#include "core/engines/Mapper.h"
#include "core/model/ModelInfo.h"
#include "core/quant/Presets.h"
#include "core/task/AutotunerMapping.h"
#include "core/task/TaskExporter.h"
#include "core/task/TaskLoader.h"
#include "core/task/TaskPlan.h"
#include "tests/TestConfig.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;
namespace AM = QuantDesk::AutotunerMapping;
using json = nlohmann::ordered_json;

namespace
{

QString dataDir()
{
    const QString fromEnv = qEnvironmentVariable("QUANTDESK_TEST_DATA");
    return fromEnv.isEmpty() ? QString::fromUtf8(QUANTDESK_TEST_DATA_DIR) : fromEnv;
}

TaskDocument loadFile(const QString& relativeToRepo)
{
    const TaskLoadResult r = TaskLoader::loadFile(QDir(dataDir()).filePath(u"../../"_s + relativeToRepo));
    if (!r.document)
        qFatal("cannot load %s", qPrintable(relativeToRepo));
    return *r.document;
}

// The engine versions the tasks below target (their runtime_image_tag).
QString versionFor(const QString& engine)
{
    return engine == u"sglang" ? u"0.5.18"_s : QString();
}

json baseTask(const QString& engine, const json& parameters, const json& quantConfig)
{
    json t = json::parse(R"json({
  "task_name": "t",
  "deployment_mode": "docker",
  "model": {"id_or_path": "meta-llama/Llama-3.1-8B-Instruct", "namespace": "autotuner"},
  "optimization": {"strategy": "grid_search", "objective": "maximize_throughput", "max_iterations": 50,
                   "timeout_per_iteration": 900},
  "benchmark": {"task": "text-to-text", "model_name": "Llama-3.1-8B-Instruct",
                "model_tokenizer": "meta-llama/Llama-3.1-8B-Instruct", "traffic_scenarios": ["D(100,100)"],
                "num_concurrency": [1, 8]}
})json");
    t["base_runtime"] = engine.toStdString();
    t["runtime_image_tag"] = engine == u"sglang" ? "v0.5.18-cu129" : "latest";
    t["parameters"] = parameters;
    t["quant_config"] = quantConfig;
    return t;
}

// The user's grid of the source task, in the autotuner's order (itertools.product, last key fastest).
QList<QList<QPair<QString, QString>>> userGrid(const json& parameters)
{
    QList<QList<QPair<QString, QString>>> grid{{}};
    for (auto it = parameters.begin(); it != parameters.end(); ++it) {
        const json& values = it->is_array() ? *it : (*it)["values"];
        QList<QList<QPair<QString, QString>>> next;
        for (const auto& partial : std::as_const(grid)) {
            for (const json& v : values) {
                auto point = partial;
                const QString text = v.is_boolean()  ? (v.get<bool>() ? u"true"_s : u"false"_s)
                                     : v.is_string() ? QString::fromStdString(v.get<std::string>())
                                                     : AM::pythonStr(v);
                point << qMakePair(QString::fromStdString(it.key()), text);
                next << point;
            }
        }
        grid = next;
    }
    return grid;
}

// flag → values, every spelling of one option under one name (so a flag given twice shows as two values).
QMap<QString, QStringList> flagMap(const QList<QPair<QString, std::optional<QString>>>& pairs,
                                   const EngineProfile& profile)
{
    QMap<QString, QStringList> out;
    for (const auto& [flag, value] : pairs) {
        const QString name = flag.startsWith(u"--no-") ? flag : profile.canonicalName(flag);
        out[name] << value.value_or(u"(switch)"_s);
    }
    return out;
}

QString describe(const QMap<QString, QStringList>& m)
{
    QStringList parts;
    for (auto it = m.cbegin(); it != m.cend(); ++it)
        parts << it.key() + u'=' + it.value().join(u'|');
    return parts.join(u' ');
}

QString refusals(const ExportResult& r)
{
    QStringList out;
    for (const ExportRefusal& x : r.refused)
        out << x.label + u": "_s + x.reason;
    return out.join(u'\n');
}

// The heart of the export's promise: for every experiment the autotuner would run from the exported task, on both of
// its paths, the engine flags equal QuantDesk's preview for the same parameter values.
// model: the model the preview used; by default the name decides, as for a hub id that is not in any local cache.
void verifyExact(const ExportedTask& task,
                 const QString& engine,
                 const QuantConfig& config,
                 const json& sourceParams,
                 const std::optional<ModelInfo>& previewModel = std::nullopt)
{
    QString note;
    const EngineProfile* profile = ProfileRegistry::builtIn().select(engine, versionFor(engine), &note);
    QVERIFY(profile);
    const auto grid = userGrid(sourceParams);
    for (const auto path : {AM::RunPath::WebWorker, AM::RunPath::Cli}) {
        const AM::Run run = AM::run(task.document.json(), path);
        QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
        QCOMPARE(run.experiments.size(), grid.size());
        for (qsizetype i = 0; i < grid.size(); ++i) {
            QString error;
            ModelInfo model;
            model.idOrPath = QString::fromStdString(task.document.json()["model"]["id_or_path"].get<std::string>());
            model.quantMethod = detectQuantizationFromName(model.idOrPath);
            if (previewModel)
                model = *previewModel;
            const auto preview =
                buildEngineCommand(engine, versionFor(engine), config, model, std::nullopt, grid.at(i), &error);
            QVERIFY2(preview, qPrintable(error));
            QList<QPair<QString, std::optional<QString>>> expected;
            for (const CommandFlag& f : preview->flags)
                expected << qMakePair(f.flag, f.value);
            const auto want = flagMap(expected, *profile);
            const auto got = flagMap(AM::flagPairs(run.experiments.at(i).words), *profile);
            QVERIFY2(got == want,
                     qPrintable(u"%1 experiment %2:\n autotuner: %3\n preview:   %4"_s.arg(
                         path == AM::RunPath::WebWorker ? u"web worker"_s : u"CLI"_s,
                         QString::number(i + 1),
                         describe(got),
                         describe(want))));
        }
    }
}

QuantConfig explicitConfig(const json& qc)
{
    QuantConfig c;
    for (const QuantField f : kQuantFields)
        c.setValue(f, QString::fromStdString(qc.at(fieldKey(f).toStdString()).get<std::string>()));
    return c;
}

} // namespace

class TestTaskExport : public QObject
{
    Q_OBJECT

private slots:
    void presetsReproduceThePreview_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QByteArray>("parameters");
        // The Python presets of reference/autotuner.md §2.3 are the built-in ones.
        for (const QString& engine : {u"vllm"_s, u"sglang"_s}) {
            const bool vllm = engine == u"vllm";
            for (const Preset& p : builtInPresets()) {
                const QByteArray e = engine.toUtf8();
                const QByteArray n = p.name.toUtf8();
                QTest::addRow("%s/%s/no parameters", e.constData(), n.constData())
                    << engine << p.name << QByteArray("{}");
                QTest::addRow("%s/%s/grid", e.constData(), n.constData())
                    << engine << p.name
                    << QByteArray(
                           vllm ? R"({"gpu-memory-utilization": [0.85, 0.9], "max-num-seqs": [64, 128]})"
                                : R"({"mem-fraction-static": [0.8, 0.88], "chunked-prefill-size": [4096, 8192]})");
                QTest::addRow("%s/%s/switch", e.constData(), n.constData())
                    << engine << p.name
                    << QByteArray(vllm ? R"({"enable-prefix-caching": [true, false]})"
                                       : R"({"enable-mixed-chunk": [true, false]})");
                QTest::addRow("%s/%s/override", e.constData(), n.constData())
                    << engine << p.name << QByteArray(R"({"kv-cache-dtype": ["fp8_e4m3"], "dtype": ["float16"]})");
            }
        }
    }

    void presetsReproduceThePreview()
    {
        QFETCH(QString, engine);
        QFETCH(QString, preset);
        QFETCH(QByteArray, parameters);
        const json params = json::parse(parameters.toStdString());
        json qc = json::object();
        qc["presets"] = json::array({preset.toStdString()});
        const TaskDocument doc(baseTask(engine, params, qc));

        const ExportResult r = TaskExporter::exportTask(doc);
        QVERIFY2(r.complete(), qPrintable(refusals(r)));
        QCOMPARE(r.tasks.size(), 1);
        const ExportedTask& t = r.tasks.constFirst();
        QCOMPARE(t.taskName, u"t-"_s + preset);
        QCOMPARE(t.fileName, u"t-"_s + preset + u".json"_s);
        // quant_config holds the four explicit fields of the preset, as scalars.
        const json& exportedQc = t.document.json()["quant_config"];
        QCOMPARE(exportedQc.size(), size_t(4));
        const QuantConfig config = explicitConfig(exportedQc);
        QCOMPARE(config, findBuiltInPreset(preset)->config);
        // Every previewed flag that is not the user's own is pinned as a single-value list; the user's parameters
        // follow exactly as written.
        const json& exported = t.document.json()["parameters"];
        for (auto it = params.begin(); it != params.end(); ++it)
            QVERIFY(exported.at(it.key()) == it.value());
        for (auto it = exported.begin(); it != exported.end(); ++it) {
            if (!params.contains(it.key()))
                QVERIFY2(it->is_array() && it->size() == 1, it.key().c_str());
        }
        verifyExact(t, engine, config, params);
    }

    void singularPresetIsResolved()
    {
        const TaskDocument doc = loadFile(u"examples/quant_preset_task.json"_s);
        const ExportResult r = TaskExporter::exportTask(doc);
        QVERIFY2(r.complete(), qPrintable(refusals(r)));
        QCOMPARE(r.tasks.size(), 1);
        const ExportedTask& t = r.tasks.constFirst();
        QCOMPARE(t.taskName, u"llama3-8b-kv-fp8-kv-cache-fp8"_s);
        // kv-cache-fp8 = auto / fp8_e5m2 / auto / auto (reference/autotuner.md §2.3).
        QCOMPARE(QString::fromStdString(t.document.json()["quant_config"].dump()),
                 uR"({"gemm_dtype":"auto","kvcache_dtype":"fp8_e5m2","attention_dtype":"auto","moe_dtype":"auto"})"_s);
        // The preview pins --kv-cache-dtype fp8_e5m2; the autotuner's SGLang mapper would add --dtype auto, which
        // the preview does not have: pinned to false (= left out).
        QCOMPARE(QString::fromStdString(t.document.json()["parameters"].dump()),
                 uR"({"kv-cache-dtype":["fp8_e5m2"],"dtype":[false],"mem-fraction-static":[0.85]})"_s);
        QCOMPARE(t.suppressed, QStringList({u"dtype"_s}));
        verifyExact(t, u"sglang"_s, t.config, doc.json()["parameters"]);
    }

    void sglangFlagsWithoutANeutralValueAreLeftOut()
    {
        // aggressive-moe on SGLang: the Python mapper adds --moe-runner-backend flashinfer_mxfp4 and
        // --attention-backend flashinfer (§2.5); SGLang's --attention-backend has no neutral choice, so both are
        // pinned to false, and --dtype / --quantization are pinned to the preview's values.
        const TaskDocument doc(
            baseTask(u"sglang"_s, json::object(), json::parse(R"({"presets": ["aggressive-moe"]})")));
        const ExportResult r = TaskExporter::exportTask(doc);
        QVERIFY2(r.complete(), qPrintable(refusals(r)));
        const ExportedTask& t = r.tasks.constFirst();
        QCOMPARE(QString::fromStdString(t.document.json()["parameters"].dump()),
                 uR"({"dtype":["bfloat16"],"kv-cache-dtype":["fp8_e5m2"],"quantization":["w4afp8"],)"
                 uR"("moe-runner-backend":[false],"attention-backend":[false]})"_s);
    }

    void explicitListsGiveOneTaskPerConfig()
    {
        const TaskDocument doc = loadFile(u"examples/quant_custom_task.json"_s);
        const ExportResult r = TaskExporter::exportTask(doc);
        QVERIFY2(r.complete(), qPrintable(refusals(r)));
        QStringList names;
        for (const ExportedTask& t : r.tasks)
            names << t.taskName;
        // gemm [auto, fp8] x kvcache [auto, fp8_e5m2], the last field varying fastest; named by QuantConfig::slug().
        QCOMPARE(names,
                 QStringList({u"qwen2.5-7b-fp8-grid-baseline"_s,
                              u"qwen2.5-7b-fp8-grid-kv-fp8-e5m2"_s,
                              u"qwen2.5-7b-fp8-grid-gemm-fp8"_s,
                              u"qwen2.5-7b-fp8-grid-gemm-fp8_kv-fp8-e5m2"_s}));
        for (const ExportedTask& t : r.tasks)
            verifyExact(t, u"vllm"_s, t.config, doc.json()["parameters"]);
    }

    void identicalCommandsAreExportedOnce()
    {
        // vLLM has no attention dtype: attention bfloat16 gives the baseline command (reference §2.5).
        const TaskDocument doc(
            baseTask(u"vllm"_s, json::object(), json::parse(R"({"attention_dtype": ["auto", "bfloat16"]})")));
        const ExportResult r = TaskExporter::exportTask(doc);
        QVERIFY(r.complete());
        QCOMPARE(r.tasks.size(), 1);
        QCOMPARE(r.tasks.constFirst().taskName, u"t-baseline"_s);
        QCOMPARE(r.notes.size(), 1);
        QVERIFY2(r.notes.constFirst().contains(u"attn-bfloat16 gives the same command as baseline"_s),
                 qPrintable(r.notes.constFirst()));
    }

    void userOverrideKeptAsWritten()
    {
        // bf16-stable + the user's kv-cache-dtype fp8_e4m3 and a grid (reference §2.6: the parameter wins).
        const TaskDocument doc = loadFile(u"tests/data/tasks/preset-with-override.json"_s);
        const ExportResult r = TaskExporter::exportTask(doc);
        QVERIFY2(r.complete(), qPrintable(refusals(r)));
        const ExportedTask& t = r.tasks.constFirst();
        QCOMPARE(t.taskName, u"preset-override-bf16-stable"_s);
        QCOMPARE(QString::fromStdString(t.document.json()["parameters"].dump()),
                 uR"({"dtype":["bfloat16"],"kv-cache-dtype":["fp8_e4m3"],"max-num-seqs":[128,256]})"_s);
        verifyExact(t, u"vllm"_s, t.config, doc.json()["parameters"]);
    }

    void userAliasOverridesToo()
    {
        // vLLM reads kv_cache_dtype as --kv-cache-dtype; the autotuner's merge does not ('--' only), so the exported
        // task must also switch off the --kv-cache-dtype its mapper adds.
        const TaskDocument doc(baseTask(u"vllm"_s,
                                        json::parse(R"({"kv_cache_dtype": ["fp8_e4m3"]})"),
                                        json::parse(R"({"presets": ["kv-cache-fp8"]})")));
        const ExportResult r = TaskExporter::exportTask(doc);
        QVERIFY2(r.complete(), qPrintable(refusals(r)));
        const ExportedTask& t = r.tasks.constFirst();
        QVERIFY(t.document.json()["parameters"]["kv-cache-dtype"] == json::array({false}));
        QVERIFY(t.document.json()["parameters"]["kv_cache_dtype"] == json::array({"fp8_e4m3"}));
        verifyExact(t, u"vllm"_s, t.config, doc.json()["parameters"]);
    }

    void legacyParametersGetLegacyPins()
    {
        const TaskDocument doc = loadFile(u"tests/data/tasks/legacy-params.json"_s);
        const ExportResult r = TaskExporter::exportTask(doc);
        QVERIFY2(r.complete(), qPrintable(refusals(r)));
        QCOMPARE(r.tasks.size(), 2);
        const ExportedTask& kv = r.tasks.at(1);
        QCOMPARE(kv.taskName, u"legacy-params-kv-cache-fp8"_s);
        QVERIFY(kv.document.json()["parameters"]["kv-cache-dtype"] ==
                json::parse(R"({"type": "choice", "values": ["fp8_e5m2"]})"));
        QVERIFY(kv.document.json()["parameters"]["tp-size"] == doc.json()["parameters"]["tp-size"]);
        for (const ExportedTask& t : r.tasks)
            verifyExact(t, u"sglang"_s, t.config, doc.json()["parameters"]);
    }

    void everythingElseIsKept()
    {
        const TaskDocument doc = loadFile(u"tests/data/tasks/unknown-keys.json"_s);
        const ExportResult r = TaskExporter::exportTask(doc);
        QVERIFY2(r.complete(), qPrintable(refusals(r)));
        QCOMPARE(r.tasks.size(), 2);
        for (const ExportedTask& t : r.tasks) {
            QStringList keys, sourceKeys;
            for (auto it = t.document.json().begin(); it != t.document.json().end(); ++it)
                keys << QString::fromStdString(it.key());
            for (auto it = doc.json().begin(); it != doc.json().end(); ++it)
                sourceKeys << QString::fromStdString(it.key());
            QCOMPARE(keys, sourceKeys);
            for (const char* key : {"x-owner", "notes", "description", "model", "optimization", "benchmark"})
                QVERIFY2(t.document.json()[key] == doc.json()[key], key);
            verifyExact(t, u"sglang"_s, t.config, doc.json()["parameters"]);
        }
    }

    void refusesTensorRtLlm()
    {
        json task = baseTask(u"vllm"_s, json::object(), json::parse(R"({"presets": ["default"]})"));
        task["base_runtime"] = "trtllm";
        ExportResult r = TaskExporter::exportTask(TaskDocument(task));
        QVERIFY(r.tasks.isEmpty());
        QCOMPARE(r.refused.size(), 1);
        QVERIFY2(r.refused.constFirst().reason.contains(u"Docker mode"_s), qPrintable(refusals(r)));
        task["deployment_mode"] = "ome";
        r = TaskExporter::exportTask(TaskDocument(task));
        QVERIFY(r.tasks.isEmpty());
        QVERIFY2(r.refused.constFirst().reason.contains(u"cannot deploy TensorRT-LLM in ome mode"_s),
                 qPrintable(refusals(r)));
    }

    void refusesTasksWithErrors()
    {
        json task = baseTask(u"sglang"_s, json::object(), json::parse(R"({"presets": ["default"]})"));
        task["optimization"].erase("timeout_per_iteration");
        const ExportResult r = TaskExporter::exportTask(TaskDocument(task));
        QVERIFY(r.tasks.isEmpty());
        QVERIFY2(r.refused.constFirst().reason.contains(u"/optimization/timeout_per_iteration"_s),
                 qPrintable(refusals(r)));
    }

    void refusesQuantKeysInParameters()
    {
        const TaskDocument doc(
            baseTask(u"sglang"_s, json::parse(R"({"__quant__kvcache_dtype": ["fp8_e5m2"]})"), json::object()));
        const ExportResult r = TaskExporter::exportTask(doc);
        QVERIFY(r.tasks.isEmpty());
        QCOMPARE(r.refused.constFirst().pointer, u"/parameters/__quant__kvcache_dtype"_s);
    }

    void refusesWhatCannotBeExact()
    {
        // The autotuner splits its command line on whitespace, so a value with a space cannot reach vLLM as one word.
        // The config whose command has no such value is still exported.
        const TaskDocument doc(baseTask(u"vllm"_s,
                                        json::parse(R"({"served-model-name": ["my model"]})"),
                                        json::parse(R"({"moe_dtype": ["auto", "fp8"]})")));
        const ExportResult r = TaskExporter::exportTask(doc);
        QVERIFY(!r.complete());
        QVERIFY(r.tasks.isEmpty());
        QVERIFY2(refusals(r).contains(u"whitespace"_s), qPrintable(refusals(r)));
    }

    void vllmMoeOnlineQuantizationExports()
    {
        // vLLM's MoE-only online FP8 needs --quantization-config JSON; QuantDesk writes it without spaces, so it
        // survives the autotuner's whitespace split and exports exactly.
        const TaskDocument doc(baseTask(u"vllm"_s, json::object(), json::parse(R"({"moe_dtype": ["auto", "fp8"]})")));
        const ExportResult r = TaskExporter::exportTask(doc);
        QVERIFY2(r.complete(), qPrintable(refusals(r)));
        QCOMPARE(r.tasks.size(), 2);
        const auto params = r.tasks.at(1).document.json()["parameters"];
        QCOMPARE(QString::fromStdString(params["quantization-config"][0].get<std::string>()),
                 u"{\"moe\":\"fp8_per_tensor\"}"_s);
    }

    void refusesBlockingDiagnostics()
    {
        // vLLM takes one --quantization: gemm fp8 and moe mxfp4 cannot both be applied (a blocking diagnostic).
        const TaskDocument doc(baseTask(
            u"vllm"_s, json::object(), json::parse(R"({"gemm_dtype": "fp8", "moe_dtype": ["auto", "mxfp4"]})")));
        const ExportResult r = TaskExporter::exportTask(doc);
        QCOMPARE(r.tasks.size(), 1);
        QCOMPARE(r.refused.size(), 1);
        QCOMPARE(r.refused.constFirst().label, u"gemm-fp8_moe-mxfp4"_s);
        QVERIFY2(r.refused.constFirst().reason.contains(u"blocking diagnostics"_s), qPrintable(refusals(r)));
    }

    void refusesQuantFlagsThatChangeAcrossTheGrid()
    {
        // vLLM's int8 KV cache needs TRITON_ATTN: the second value of the user's grid makes the command invalid.
        const TaskDocument doc(baseTask(u"vllm"_s,
                                        json::parse(R"({"attention-backend": ["TRITON_ATTN", "FLASHINFER"]})"),
                                        json::parse(R"({"kvcache_dtype": "int8"})")));
        const ExportResult r = TaskExporter::exportTask(doc);
        QVERIFY(r.tasks.isEmpty());
        QVERIFY2(r.refused.constFirst().reason.contains(u"attention-backend=FLASHINFER"_s), qPrintable(refusals(r)));
    }

    void writesEveryTaskAtomically()
    {
        const TaskDocument doc = loadFile(u"examples/quant_multi_preset_task.json"_s);
        const ExportResult r = TaskExporter::exportTask(doc);
        QVERIFY2(r.complete(), qPrintable(refusals(r)));
        QTemporaryDir dir;
        const QString out = dir.filePath(u"out/sub"_s);
        QStringList written;
        QString error;
        QVERIFY2(TaskExporter::write(r, out, &written, &error), qPrintable(error));
        QCOMPARE(written.size(), 4);
        QStringList expectedNames;
        for (const char* p : {"default", "kv-cache-fp8", "dynamic-fp8", "bf16-stable"})
            expectedNames << u"llama3-8b-presets-"_s + QString::fromLatin1(p) + u".json"_s;
        for (qsizetype i = 0; i < written.size(); ++i) {
            QCOMPARE(written.at(i), QDir(out).filePath(expectedNames.at(i)));
            const TaskLoadResult back = TaskLoader::loadFile(written.at(i));
            QVERIFY(back.ok());
            QVERIFY(*back.document == r.tasks.at(i).document);
            QCOMPARE(back.document->taskName() + u".json"_s, expectedNames.at(i));
        }
        QStringList files = QDir(out).entryList(QDir::Files | QDir::Hidden);
        files.sort();
        expectedNames.sort();
        QCOMPARE(files, expectedNames); // nothing else: no temporary files left behind
    }

    // A checkpoint whose name says nothing but whose config.json says FP8: the export must send what the preview shows
    // for that model (no online --quantization fp8 on top of the FP8 weights), not what the name alone suggests.
    void checkpointFilesDecideExportLikeThePreview()
    {
        const QString folder = QDir(dataDir()).absoluteFilePath(u"models/qwen3-8b-blockquant"_s);
        QVERIFY(detectQuantizationFromName(folder).isEmpty());
        json t = baseTask(
            u"vllm"_s,
            json::object(),
            json{{"gemm_dtype", "fp8"}, {"kvcache_dtype", "auto"}, {"attention_dtype", "auto"}, {"moe_dtype", "auto"}});
        t["model"]["id_or_path"] = folder.toStdString();
        const ExportResult r = TaskExporter::exportTask(TaskDocument(t));
        QVERIFY2(r.complete(), qPrintable(refusals(r)));
        QCOMPARE(r.tasks.size(), 1);
        const ExportedTask& e = r.tasks.constFirst();
        QVERIFY(!e.command.findFlag(u"--quantization"_s));
        const json& params = e.document.json()["parameters"];
        QVERIFY2(!params.contains("quantization") || params["quantization"] == json::array({false}),
                 params.dump().c_str());

        const ModelInfo inspected = inspectModel(folder);
        QCOMPARE(inspected.quantMethod, u"fp8"_s);
        QString error;
        const auto preview = buildEngineCommand(u"vllm"_s,
                                                QString(),
                                                explicitConfig(e.document.json()["quant_config"]),
                                                inspected,
                                                std::nullopt,
                                                {},
                                                &error);
        QVERIFY2(preview, qPrintable(error));
        QCOMPARE(e.command.argv(), preview->argv());
        verifyExact(e, u"vllm"_s, explicitConfig(e.document.json()["quant_config"]), json::object(), inspected);
    }

    // The task's own model object declares the quantization when no file can be read (the autotuner reads it too).
    void declaredQuantizationReachesThePlan()
    {
        json t = baseTask(u"vllm"_s, json::object(), json{{"preset", "dynamic-fp8"}});
        t["model"] = json{{"id_or_path", "org/unreadable-model"}, {"quantization", "AWQ"}};
        const TaskDocument doc(t);
        const ModelInfo m = taskModelInfo(doc);
        QCOMPARE(m.quantMethod, u"awq"_s);
        QCOMPARE(m.detectedFrom, u"the task's model.quantization"_s);
        // Files (a readable FP8 folder) win over what the task declares.
        t["model"]["id_or_path"] = QDir(dataDir()).absoluteFilePath(u"models/qwen3-8b-blockquant"_s).toStdString();
        QCOMPARE(taskModelInfo(TaskDocument(t)).quantMethod, u"fp8"_s);
    }
};

QTEST_GUILESS_MAIN(TestTaskExport)
#include "TestTaskExport.moc"

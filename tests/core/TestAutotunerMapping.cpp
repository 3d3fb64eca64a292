// The C++ model of the autotuner against what reference/autotuner.md documents (and verified by running it): the
// Python mapper tables of §2.5, offline-quant detection (§2.8), merge/override rules (§2.6), the grid and both run
// paths (§1.3, §2.1, §2.4, §2.7), and the Docker controller's command building (§1.3, §7.2).
#include <QTest>

#include "core/quant/QuantConfig.h"
#include "core/task/AutotunerMapping.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;
namespace AM = QuantDesk::AutotunerMapping;
using json = nlohmann::ordered_json;

namespace
{

QString argsText(const AM::Args& args)
{
    QStringList words;
    for (const auto& [flag, value] : args)
        words << flag << value;
    return words.join(u' ');
}

QuantConfig config(const char* gemm, const char* kv, const char* attention, const char* moe)
{
    QuantConfig c;
    c.gemm = QString::fromLatin1(gemm);
    c.kvcache = QString::fromLatin1(kv);
    c.attention = QString::fromLatin1(attention);
    c.moe = QString::fromLatin1(moe);
    return c;
}

json task(const char* runtime, const char* parameters, const char* quantConfig = nullptr, int maxIterations = 100)
{
    json t = json::parse(R"({"task_name": "t", "model": {"id_or_path": "meta-llama/Llama-3.2-1B-Instruct",
                             "namespace": "autotuner"}})");
    t["base_runtime"] = runtime;
    t["parameters"] = json::parse(parameters);
    if (quantConfig)
        t["quant_config"] = json::parse(quantConfig);
    t["optimization"] = json::object({{"max_iterations", maxIterations}, {"timeout_per_iteration", 900}});
    return t;
}

QStringList wordsOf(const AM::Run& run)
{
    QStringList out;
    for (const AM::Experiment& e : run.experiments)
        out << e.words.join(u' ');
    return out;
}

} // namespace

class TestAutotunerMapping : public QObject
{
    Q_OBJECT

private slots:
    // reference/autotuner.md §2.5 "Single-field table", the Python columns (the other three fields auto).
    void singleField_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("vllm");
        QTest::addColumn<QString>("sglang");
        QTest::addColumn<QString>("trtllm");
        auto row = [](const char* f, const char* v, const char* vl, const char* sg, const char* trt) {
            QTest::addRow("%s=%s", f, v) << QString::fromLatin1(f) << QString::fromLatin1(v) << QString::fromLatin1(vl)
                                         << QString::fromLatin1(sg) << QString::fromLatin1(trt);
        };
        row("gemm_dtype", "auto", "--dtype auto", "--dtype auto", "");
        row("gemm_dtype", "float16", "--dtype float16", "--dtype float16", "");
        row("gemm_dtype", "bfloat16", "--dtype bfloat16", "--dtype bfloat16", "");
        row("gemm_dtype", "float32", "--dtype float32", "--dtype float32", "");
        row("gemm_dtype",
            "fp8",
            "--quantization fp8 --dtype auto",
            "--quantization fp8 --dtype auto",
            "--quant-algo FP8");
        row("gemm_dtype", "int8", "--quantization int8 --dtype auto", "--dtype auto", "--quant-algo INT8");
        row("kvcache_dtype", "auto", "--dtype auto", "--dtype auto", "");
        row("kvcache_dtype", "fp16", "--dtype auto --kv-cache-dtype fp16", "--dtype auto", "");
        row("kvcache_dtype", "bfloat16", "--dtype auto --kv-cache-dtype bfloat16", "--dtype auto", "");
        row("kvcache_dtype",
            "fp8",
            "--dtype auto --kv-cache-dtype fp8",
            "--dtype auto --kv-cache-dtype fp8_e5m2",
            "--kv-cache-quant-algo FP8");
        row("kvcache_dtype",
            "fp8_e5m2",
            "--dtype auto --kv-cache-dtype fp8_e5m2",
            "--dtype auto --kv-cache-dtype fp8_e5m2",
            "--kv-cache-quant-algo FP8");
        row("kvcache_dtype",
            "fp8_e4m3",
            "--dtype auto --kv-cache-dtype fp8_e4m3",
            "--dtype auto --kv-cache-dtype fp8_e4m3",
            "--kv-cache-quant-algo FP8");
        row("kvcache_dtype",
            "int8",
            "--dtype auto --kv-cache-dtype int8",
            "--dtype auto",
            "--kv-cache-quant-algo INT8");
        row("kvcache_dtype",
            "int4",
            "--dtype auto --kv-cache-dtype int4",
            "--dtype auto",
            "--kv-cache-quant-algo INT4");
        row("attention_dtype", "auto", "--dtype auto", "--dtype auto", "");
        row("attention_dtype", "float16", "--dtype auto", "--dtype auto", "");
        row("attention_dtype", "bfloat16", "--dtype auto", "--dtype auto", "");
        row("attention_dtype",
            "fp8",
            "--dtype auto",
            "--dtype auto --attention-backend flashinfer",
            "--fmha-quant-algo FP8");
        row("attention_dtype",
            "fp8_e5m2",
            "--dtype auto",
            "--dtype auto --attention-backend flashinfer",
            "--fmha-quant-algo FP8");
        row("attention_dtype",
            "fp8_e4m3",
            "--dtype auto",
            "--dtype auto --attention-backend flashinfer",
            "--fmha-quant-algo FP8");
        row("attention_dtype", "fp8_block", "--dtype auto", "--dtype auto", "--fmha-quant-algo FP8_BLOCK");
        row("moe_dtype", "auto", "--dtype auto", "--dtype auto", "");
        row("moe_dtype", "float16", "--dtype auto", "--dtype auto", "");
        row("moe_dtype", "bfloat16", "--dtype auto", "--dtype auto", "");
        row("moe_dtype", "fp8", "--dtype auto", "--dtype auto --moe-runner-backend flashinfer_cutlass", "");
        row("moe_dtype",
            "w4afp8",
            "--dtype auto",
            "--quantization w4afp8 --dtype auto --moe-runner-backend flashinfer_mxfp4",
            "");
        row("moe_dtype",
            "mxfp4",
            "--dtype auto",
            "--quantization mxfp4 --dtype auto --moe-runner-backend flashinfer_mxfp4",
            "");
        row("moe_dtype", "int8", "--dtype auto", "--dtype auto", "");
    }

    void singleField()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, vllm);
        QFETCH(QString, sglang);
        QFETCH(QString, trtllm);
        QuantConfig c;
        c.setValue(*fieldFromName(field), value);
        QCOMPARE(argsText(AM::quantArgs(u"vllm"_s, c, {})), vllm);
        QCOMPARE(argsText(AM::quantArgs(u"sglang"_s, c, {})), sglang);
        QCOMPARE(argsText(AM::quantArgs(u"trtllm"_s, c, {})), trtllm);
    }

    // §2.5 "Per-preset output (verified)", Python columns, with the Python presets of §2.3.
    void presets_data()
    {
        QTest::addColumn<QuantConfig>("preset");
        QTest::addColumn<QString>("vllm");
        QTest::addColumn<QString>("sglang");
        QTest::addColumn<QString>("trtllm");
        QTest::addRow("default") << config("auto", "auto", "auto", "auto") << u"--dtype auto"_s << u"--dtype auto"_s
                                 << QString();
        QTest::addRow("kv-cache-fp8") << config("auto", "fp8_e5m2", "auto", "auto")
                                      << u"--dtype auto --kv-cache-dtype fp8_e5m2"_s
                                      << u"--dtype auto --kv-cache-dtype fp8_e5m2"_s << u"--kv-cache-quant-algo FP8"_s;
        QTest::addRow("dynamic-fp8")
            << config("fp8", "fp8_e5m2", "fp8", "fp8") << u"--quantization fp8 --dtype auto --kv-cache-dtype fp8_e5m2"_s
            << u"--quantization fp8 --dtype auto --kv-cache-dtype fp8_e5m2 --attention-backend "
               "flashinfer"_s
            << u"--quant-algo FP8 --kv-cache-quant-algo FP8 --fmha-quant-algo FP8"_s;
        QTest::addRow("bf16-stable") << config("bfloat16", "fp8_e5m2", "auto", "auto")
                                     << u"--dtype bfloat16 --kv-cache-dtype fp8_e5m2"_s
                                     << u"--dtype bfloat16 --kv-cache-dtype fp8_e5m2"_s
                                     << u"--kv-cache-quant-algo FP8"_s;
        QTest::addRow("aggressive-moe") << config("bfloat16", "fp8_e5m2", "fp8", "w4afp8")
                                        << u"--dtype bfloat16 --kv-cache-dtype fp8_e5m2"_s
                                        << u"--quantization w4afp8 --dtype auto --moe-runner-backend flashinfer_mxfp4 "
                                           "--kv-cache-dtype fp8_e5m2 --attention-backend flashinfer"_s
                                        << u"--kv-cache-quant-algo FP8 --fmha-quant-algo FP8"_s;
    }

    void presets()
    {
        QFETCH(QuantConfig, preset);
        QFETCH(QString, vllm);
        QFETCH(QString, sglang);
        QFETCH(QString, trtllm);
        QCOMPARE(argsText(AM::quantArgs(u"vllm"_s, preset, {})), vllm);
        QCOMPARE(argsText(AM::quantArgs(u"sglang"_s, preset, {})), sglang);
        QCOMPARE(argsText(AM::quantArgs(u"tensorrt_llm"_s, preset, {})), trtllm);
    }

    void runtimeAliases()
    {
        // get_runtime_args lower-cases and matches exactly; anything else is "Unknown runtime" (§1.1, §2.9).
        QCOMPARE(AM::quantMapperEngine(u"SGLang"_s), u"sglang"_s);
        for (const char* trt : {"tensorrt_llm", "trtllm", "tensorrt-llm", "TensorRT-LLM"})
            QCOMPARE(AM::quantMapperEngine(QString::fromLatin1(trt)), u"trtllm"_s);
        QCOMPARE(AM::quantMapperEngine(u"sglang-llama-small"_s), QString());
        QVERIFY(AM::quantArgs(u"sglang-llama-small"_s, config("fp8", "fp8", "fp8", "fp8"), {}).isEmpty());
    }

    // §2.8, the verified examples.
    void offlineDetection_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QByteArray>("model");
        QTest::addColumn<QString>("expected");
        QTest::addRow("awq") << u"TheBloke/Llama-2-7B-AWQ"_s << QByteArray("{}") << u"awq"_s;
        QTest::addRow("gptq") << u"TheBloke/Llama-2-7B-GPTQ"_s << QByteArray("{}") << u"gptq"_s;
        QTest::addRow("gguf") << u"x/model.gguf"_s << QByteArray("{}") << u"gguf"_s;
        QTest::addRow("fp4") << u"nvidia/Llama-3.1-8B-Instruct-FP4"_s << QByteArray("{}") << u"nvfp4"_s;
        QTest::addRow("mxfp4 name") << u"openai/gpt-oss-mxfp4"_s << QByteArray("{}") << u"nvfp4"_s;
        QTest::addRow("fp8") << u"neuralmagic/Meta-Llama-3-8B-Instruct-FP8"_s << QByteArray("{}") << u"fp8"_s;
        QTest::addRow("plain") << u"meta-llama/Llama-3.2-1B-Instruct"_s << QByteArray("{}") << QString();
        QTest::addRow("model.quantization") << u"my/model"_s << QByteArray(R"({"quantization": "awq"})") << u"awq"_s;
        QTest::addRow("quant_method") << u"my/model"_s
                                      << QByteArray(R"({"quantization_config": {"quant_method": "gptq"}})")
                                      << u"gptq"_s;
        QTest::addRow("name wins") << u"x/y-AWQ"_s << QByteArray(R"({"quantization": "gptq"})") << u"awq"_s;
    }

    void offlineDetection()
    {
        QFETCH(QString, id);
        QFETCH(QByteArray, model);
        QFETCH(QString, expected);
        QCOMPARE(AM::detectModelQuantization(id, json::parse(model.toStdString())), expected);
    }

    void offlineQuantizedFp8()
    {
        // §2.10.3 (verified): an offline-quantized model with gemm fp8 yields the invalid --dtype fp8.
        const QuantConfig c = config("fp8", "fp8_e5m2", "auto", "auto");
        QCOMPARE(argsText(AM::quantArgs(u"vllm"_s, c, u"fp8"_s)), u"--dtype fp8 --kv-cache-dtype fp8_e5m2"_s);
        QCOMPARE(argsText(AM::quantArgs(u"sglang"_s, c, u"awq"_s)), u"--dtype fp8 --kv-cache-dtype fp8_e5m2"_s);
        QVERIFY(!AM::shouldApplyDynamicFp8(u"fp8"_s, u"gptq"_s));
        QVERIFY(AM::shouldApplyDynamicFp8(u"fp8"_s, u"int8"_s)); // only the listed methods count as offline
    }

    void mergeParameters()
    {
        // §2.6 (verified): quant kvcache fp8 plus user kv-cache-dtype fp8_e4m3 → fp8_e4m3.
        const AM::Args quant = AM::quantArgs(u"vllm"_s, config("auto", "fp8", "auto", "auto"), {});
        const json merged = AM::mergeParameters(
            quant, json::parse(R"({"kv-cache-dtype": "fp8_e4m3", "tp-size": 2, "--dtype": ["half", "float"],
                                   "enable-x": true, "empty": []})"));
        QCOMPARE(QString::fromStdString(merged.dump()),
                 uR"({"--dtype":"half","--kv-cache-dtype":"fp8_e4m3","--tp-size":"2","--enable-x":true})"_s);
    }

    void gridOrder()
    {
        // §1.3: itertools.product in key order, the last key fastest; empty lists skipped; legacy choice read.
        QString error;
        const auto grid = AM::parameterGrid(
            json::parse(R"({"a": [1, 2], "skip": [], "b": {"type": "choice", "values": ["x", "y"]}})"), &error);
        QVERIFY(grid);
        QStringList points;
        for (const json& p : *grid)
            points << QString::fromStdString(p.dump());
        QCOMPARE(
            points,
            QStringList(
                {uR"({"a":1,"b":"x"})"_s, uR"({"a":1,"b":"y"})"_s, uR"({"a":2,"b":"x"})"_s, uR"({"a":2,"b":"y"})"_s}));
        QVERIFY(!AM::parameterGrid(json::parse(R"({"a": 1})"), &error));
        QVERIFY(error.contains(u"Invalid parameter specification"_s));
        QVERIFY(!AM::parameterGrid(json::parse(R"({"a": {"type": "continuous", "low": 0, "high": 1}})"), &error));
    }

    void commandWords()
    {
        // §1.3 / §7.2: true → bare flag, false → left out, "--" added unless present, then split on whitespace.
        const QStringList words = AM::commandWords(
            json::parse(R"({"tp-size": "2", "enable-mixed-chunk": true, "disable-x": false, "--dtype": "auto",
                            "mem": 0.85, "odd": "a b"})"));
        QCOMPARE(words,
                 QStringList({u"--tp-size"_s,
                              u"2"_s,
                              u"--enable-mixed-chunk"_s,
                              u"--dtype"_s,
                              u"auto"_s,
                              u"--mem"_s,
                              u"0.85"_s,
                              u"--odd"_s,
                              u"a"_s,
                              u"b"_s}));
    }

    void pythonStr()
    {
        QCOMPARE(AM::pythonStr(json(0.85)), u"0.85"_s);
        QCOMPARE(AM::pythonStr(json(1.0)), u"1.0"_s);
        QCOMPARE(AM::pythonStr(json(1e-05)), u"1e-05"_s);
        QCOMPARE(AM::pythonStr(json(0.0001)), u"0.0001"_s);
        QCOMPARE(AM::pythonStr(json(1e15)), u"1000000000000000.0"_s);
        QCOMPARE(AM::pythonStr(json(1e16)), u"1e+16"_s);
        QCOMPARE(AM::pythonStr(json(-2.5)), u"-2.5"_s);
        QCOMPARE(AM::pythonStr(json(2)), u"2"_s);
        QCOMPARE(AM::pythonStr(json(true)), u"True"_s);
        QCOMPARE(AM::pythonStr(json(nullptr)), u"None"_s);
    }

    void cliIgnoresQuantConfig()
    {
        // §2.4 (verified with a stubbed controller): the autotuner's examples/quant_custom_task.json deploys
        // {"tp-size": 1, "mem-fraction-static": 0.85} with no quant flags on the CLI.
        const json t = task("sglang",
                            R"({"tp-size": [1, 2], "mem-fraction-static": [0.85]})",
                            R"({"gemm_dtype": "fp8", "kvcache_dtype": "fp8_e5m2", "attention_dtype": "fp8",
                                "moe_dtype": "auto"})",
                            5);
        const AM::Run cli = AM::run(t, AM::RunPath::Cli);
        QVERIFY2(cli.error.isEmpty(), qPrintable(cli.error));
        QCOMPARE(cli.experiments.size(), 2);
        QCOMPARE(QString::fromStdString(cli.experiments.at(0).runtimeParameters.dump()),
                 uR"({"tp-size":1,"mem-fraction-static":0.85})"_s);
        // The web worker maps the same task (§2.4 steps 1–3), user parameters stringified.
        const AM::Run worker = AM::run(t, AM::RunPath::WebWorker);
        QCOMPARE(worker.experiments.size(), 2);
        QCOMPARE(worker.experiments.at(0).words.join(u' '),
                 u"--quantization fp8 --dtype auto --kv-cache-dtype fp8_e5m2 --attention-backend flashinfer "
                 "--tp-size 1 --mem-fraction-static 0.85"_s);
    }

    void quantKeysInParametersWorkOnTheCli()
    {
        // §2.4 (verified): "__quant__kvcache_dtype": ["auto","fp8_e5m2"] in parameters → 4 experiments with
        // {"dtype": "auto", "kv-cache-dtype": "fp8_e5m2", "tp-size": "1", ...}.
        const json t = task("sglang",
                            R"({"tp-size": [1, 2], "mem-fraction-static": [0.85],
                                "__quant__kvcache_dtype": ["auto", "fp8_e5m2"]})",
                            nullptr,
                            5);
        const AM::Run cli = AM::run(t, AM::RunPath::Cli);
        QCOMPARE(cli.experiments.size(), 4);
        QCOMPARE(QString::fromStdString(cli.experiments.at(1).runtimeParameters.dump()),
                 uR"({"dtype":"auto","kv-cache-dtype":"fp8_e5m2","tp-size":"1","mem-fraction-static":"0.85"})"_s);
    }

    void presetsRunAsBaseline()
    {
        // §2.1 / §2.7 / §2.10.1: presets expand to __quant__preset (varying fastest) but are never resolved.
        const json t = task("sglang", R"({"tp-size": [1, 2]})", R"({"presets": ["default", "dynamic-fp8"]})");
        const AM::Run worker = AM::run(t, AM::RunPath::WebWorker);
        QCOMPARE(worker.experiments.size(), 4);
        QCOMPARE(QString::fromStdString(worker.experiments.at(1).parameters.dump()),
                 uR"({"tp-size":1,"__quant__preset":"dynamic-fp8"})"_s);
        QCOMPARE(wordsOf(worker),
                 QStringList({u"--dtype auto --tp-size 1"_s,
                              u"--dtype auto --tp-size 1"_s,
                              u"--dtype auto --tp-size 2"_s,
                              u"--dtype auto --tp-size 2"_s}));
        // TensorRT-LLM: no flags at all; a scalar "presets" is wrapped into a list.
        const json trt = task("trtllm", R"({})", R"({"presets": "kv-cache-fp8"})");
        QCOMPARE(wordsOf(AM::run(trt, AM::RunPath::WebWorker)), QStringList({QString()}));
    }

    void singularPresetIgnored()
    {
        // §2.1: {"preset": name} produces no __quant__ keys at all.
        const json t = task("vllm", R"({"max-num-seqs": [64]})", R"({"preset": "kv-cache-fp8"})");
        QCOMPARE(wordsOf(AM::run(t, AM::RunPath::WebWorker)), QStringList({u"--max-num-seqs 64"_s}));
    }

    void listsAreNotDeduplicated()
    {
        // §2.5: vLLM with attention_dtype [auto, fp8, bfloat16] runs 3 identical experiments.
        const json t = task("vllm", R"({})", R"({"attention_dtype": ["auto", "fp8", "bfloat16"]})");
        QCOMPARE(wordsOf(AM::run(t, AM::RunPath::WebWorker)),
                 QStringList({u"--dtype auto"_s, u"--dtype auto"_s, u"--dtype auto"_s}));
    }

    void invalidQuantFallsBackToUserParameters()
    {
        // §2.2 / §2.9: a value validate_quant_config rejects → "Failed to process quantization config", user params
        // only (not stringified).
        const json t = task("sglang", R"({"tp-size": [1]})", R"({"kvcache_dtype": "fp4"})");
        const AM::Run worker = AM::run(t, AM::RunPath::WebWorker);
        QCOMPARE(QString::fromStdString(worker.experiments.at(0).runtimeParameters.dump()), uR"({"tp-size":1})"_s);
    }

    void userParametersOverrideOnlyWithQuantKeys()
    {
        // §2.6: the override happens only when the experiment has __quant__ keys; user false leaves the flag out.
        const json t =
            task("sglang", R"({"dtype": [false], "kv-cache-dtype": ["fp8_e4m3"]})", R"({"kvcache_dtype": "fp8_e5m2"})");
        QCOMPARE(wordsOf(AM::run(t, AM::RunPath::WebWorker)), QStringList({u"--kv-cache-dtype fp8_e4m3"_s}));
        QCOMPARE(wordsOf(AM::run(t, AM::RunPath::Cli)), QStringList({u"--kv-cache-dtype fp8_e4m3"_s}));
    }

    void maxIterationsCapsTheGrid()
    {
        const json t = task("vllm", R"({"max-num-seqs": [1, 2, 3, 4]})", nullptr, 3);
        QCOMPARE(AM::run(t, AM::RunPath::Cli).experiments.size(), 3);
        QCOMPARE(AM::run(t, AM::RunPath::WebWorker).experiments.size(), 3);
    }

    void flagPairs()
    {
        const auto pairs = AM::flagPairs({u"--a"_s, u"1"_s, u"--b"_s, u"--c"_s, u"x"_s});
        QCOMPARE(pairs.size(), 3);
        QCOMPARE(pairs.at(0).second.value_or(QString()), u"1"_s);
        QVERIFY(!pairs.at(1).second.has_value());
        QCOMPARE(pairs.at(2).first, u"--c"_s);
    }

    void unmodelledInputsSaySo()
    {
        json t = task("sglang", R"({"tp-size": [1]})");
        t["parallel_config"] = json::object({{"tp", 2}});
        QVERIFY(AM::run(t, AM::RunPath::Cli).error.contains(u"parallel_config"_s));
    }
};

QTEST_GUILESS_MAIN(TestAutotunerMapping)
#include "TestAutotunerMapping.moc"

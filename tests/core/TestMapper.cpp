// The mapper against the reference: engine-flags.md section 6 (flags per field value), section 8 (hardware) and
// peers-and-pitfalls.md section 4/5 (warning rules). Every generated command is also checked against the flag tables
// extracted from the engines' own sources (tests/data/engine-flags.json), independently of our profiles.

#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

#include "core/engines/Mapper.h"
#include "core/quant/Presets.h"
#include "tests/TestConfig.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;

namespace
{

QString testData()
{
    const QByteArray env = qgetenv("QUANTDESK_TEST_DATA");
    return env.isEmpty() ? QStringLiteral(QUANTDESK_TEST_DATA_DIR) : QString::fromLocal8Bit(env);
}

GpuInfo gpu(const QString& name, int major, int minor)
{
    GpuInfo g;
    g.index = 0;
    g.name = name;
    g.ccMajor = major;
    g.ccMinor = minor;
    return g;
}

QuantConfig single(QuantField f, const QString& v)
{
    QuantConfig c;
    c.setValue(f, v);
    return c;
}

EngineCommand build(const QString& engine,
                    const QuantConfig& config,
                    const QString& model = {},
                    const std::optional<GpuInfo>& g = std::nullopt,
                    const QList<QPair<QString, QString>>& params = {},
                    const QString& version = {})
{
    QString error;
    const auto cmd = buildEngineCommand(engine, version, config, inspectModel(model), g, params, &error);
    if (!cmd)
        qFatal("unknown engine %s", qPrintable(engine));
    return *cmd;
}

QStringList ids(const EngineCommand& cmd, std::optional<Severity> severity = std::nullopt)
{
    QStringList out;
    for (const Diagnostic& d : cmd.diagnostics) {
        if (!severity || d.severity == *severity)
            out << d.id;
    }
    return out;
}

const Diagnostic* findDiag(const EngineCommand& cmd, const QString& id)
{
    for (const Diagnostic& d : cmd.diagnostics) {
        if (d.id == id)
            return &d;
    }
    return nullptr;
}

} // namespace

class TestMapper : public QObject
{
    Q_OBJECT

private:
    nlohmann::json m_reference;

    // Validates argv against the extracted flag tables (not our profiles): every flag known, every value allowed.
    void checkAgainstReference(const QString& engine, const QStringList& argv)
    {
        const auto& flags = m_reference[engine.toStdString()]["flags"];
        for (qsizetype i = 0; i < argv.size(); ++i) {
            QString name = argv.at(i);
            QVERIFY2(name.startsWith(u"-"), qPrintable(u"not a flag: "_s + name));
            if (engine == u"vllm")
                name = u"--"_s + name.mid(2).replace(u'_', u'-');
            const std::string key = name.toStdString();
            QVERIFY2(flags.contains(key), qPrintable(u"%1 has no flag %2"_s.arg(engine, name)));
            const auto& spec = flags[key];
            if (!spec.value("takes_value", false))
                continue;
            QVERIFY2(i + 1 < argv.size(), qPrintable(name + u" needs a value"_s));
            const std::string value = argv.at(++i).toStdString();
            nlohmann::json allowed =
                spec.contains("choices") && spec["choices"].is_array() ? spec["choices"] : nlohmann::json();
            if (allowed.is_null() && spec.contains("validated_values"))
                allowed = spec["validated_values"];
            if (allowed.is_array()) {
                const bool ok = std::find(allowed.begin(), allowed.end(), value) != allowed.end();
                QVERIFY2(ok,
                         qPrintable(u"%1 %2 not accepted by %3"_s.arg(name, QString::fromStdString(value), engine)));
            }
        }
        for (const QString& forbidden : {u"--quant-algo"_s, u"--kv-cache-quant-algo"_s, u"--fmha-quant-algo"_s})
            QVERIFY(!argv.contains(forbidden));
    }

private slots:
    void initTestCase()
    {
        QFile f(testData() + u"/engine-flags.json"_s);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray data = f.readAll();
        m_reference = nlohmann::json::parse(data.constBegin(), data.constEnd());
        QVERIFY(ProfileRegistry::builtIn().loadErrors().isEmpty());
    }

    // ---- every field value x engine (27 x 3), from engine-flags.md section 6 -----------------------------------
    void fieldValues_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("argv");            // expected flags, space-separated ("" = none)
        QTest::addColumn<QString>("level");           // expected support level
        QTest::addColumn<QString>("yaml");            // expected substring of the TRT-LLM YAML ("" = no YAML)
        QTest::addColumn<QStringList>("diagnostics"); // ids that must be present

        const auto row = [](const char* e,
                            const char* f,
                            const char* v,
                            const char* argv,
                            const char* level,
                            const char* yaml = "",
                            QStringList diags = {}) {
            QTest::addRow("%s %s=%s", e, f, v)
                << QString::fromLatin1(e) << QString::fromLatin1(f) << QString::fromLatin1(v)
                << QString::fromLatin1(argv) << QString::fromLatin1(level) << QString::fromLatin1(yaml) << diags;
        };
        // vLLM
        row("vllm", "gemm", "auto", "", "native");
        row("vllm", "gemm", "float16", "--dtype float16", "native");
        row("vllm", "gemm", "bfloat16", "--dtype bfloat16", "native");
        row("vllm", "gemm", "float32", "--dtype float32", "native");
        row("vllm", "gemm", "fp8", "--quantization fp8", "native");
        row("vllm", "gemm", "int8", "", "checkpoint", "", {u"CKPT-REQUIRED"_s});
        row("vllm", "kvcache", "auto", "", "native");
        row("vllm", "kvcache", "fp16", "--kv-cache-dtype float16", "translated");
        row("vllm", "kvcache", "bfloat16", "--kv-cache-dtype bfloat16", "native");
        row("vllm", "kvcache", "fp8", "--kv-cache-dtype fp8", "native", "", {u"KV-SCALES"_s});
        row("vllm", "kvcache", "fp8_e5m2", "--kv-cache-dtype fp8_e5m2", "native");
        row("vllm", "kvcache", "fp8_e4m3", "--kv-cache-dtype fp8_e4m3", "native", "", {u"KV-SCALES"_s});
        row("vllm", "kvcache", "int8", "--kv-cache-dtype int8_per_token_head", "translated", "", {u"KV-TRITON-ONLY"_s});
        row("vllm", "kvcache", "int4", "--kv-cache-dtype int4_per_token_head", "translated", "", {u"KV-TRITON-ONLY"_s});
        row("vllm", "attention", "auto", "", "native");
        row("vllm", "attention", "float16", "", "implicit", "", {u"ATTN-FOLLOWS-DTYPE"_s});
        row("vllm", "attention", "bfloat16", "", "implicit", "", {u"ATTN-FOLLOWS-DTYPE"_s});
        row("vllm", "attention", "fp8", "--kv-cache-dtype fp8", "implicit");
        row("vllm", "attention", "fp8_e5m2", "", "unsupported", "", {u"UNSUPPORTED"_s});
        row("vllm", "attention", "fp8_e4m3", "--kv-cache-dtype fp8_e4m3", "implicit");
        row("vllm", "attention", "fp8_block", "", "unsupported", "", {u"UNSUPPORTED"_s});
        row("vllm", "moe", "auto", "", "native");
        row("vllm", "moe", "float16", "", "implicit");
        row("vllm", "moe", "bfloat16", "", "implicit");
        row("vllm", "moe", "fp8", "--quantization online --quantization-config {\"moe\":\"fp8_per_tensor\"}", "native");
        row("vllm", "moe", "w4afp8", "", "checkpoint", "", {u"CKPT-REQUIRED"_s});
        row("vllm",
            "moe",
            "mxfp4",
            "--quantization mxfp4 --quantization-config {\"linear\":{\"activation\":null,\"weight\":null}}",
            "native");
        row("vllm", "moe", "int8", "--quantization experts_int8", "native");
        // SGLang
        row("sglang", "gemm", "auto", "", "native");
        row("sglang", "gemm", "float16", "--dtype float16", "native");
        row("sglang", "gemm", "bfloat16", "--dtype bfloat16", "native");
        row("sglang", "gemm", "float32", "--dtype float32", "native");
        row("sglang", "gemm", "fp8", "--quantization fp8", "native");
        row("sglang", "gemm", "int8", "--quantization w8a8_int8", "checkpoint", "", {u"CKPT-REQUIRED"_s});
        row("sglang", "kvcache", "auto", "", "native");
        row("sglang", "kvcache", "fp16", "", "implicit", "", {u"KV-IMPLICIT"_s});
        row("sglang", "kvcache", "bfloat16", "--kv-cache-dtype bfloat16", "native");
        row("sglang", "kvcache", "fp8", "--kv-cache-dtype fp8_e4m3", "translated", "", {u"KV-SCALES"_s});
        row("sglang", "kvcache", "fp8_e5m2", "--kv-cache-dtype fp8_e5m2", "native");
        row("sglang", "kvcache", "fp8_e4m3", "--kv-cache-dtype fp8_e4m3", "native", "", {u"KV-SCALES"_s});
        row("sglang", "kvcache", "int8", "", "unsupported", "", {u"UNSUPPORTED"_s});
        row("sglang", "kvcache", "int4", "", "unsupported", "", {u"UNSUPPORTED"_s});
        row("sglang", "attention", "auto", "", "native");
        row("sglang", "attention", "float16", "", "implicit", "", {u"ATTN-FOLLOWS-DTYPE"_s});
        row("sglang", "attention", "bfloat16", "", "implicit", "", {u"ATTN-FOLLOWS-DTYPE"_s});
        row("sglang", "attention", "fp8", "--kv-cache-dtype fp8_e4m3", "implicit");
        row("sglang", "attention", "fp8_e5m2", "", "unsupported", "", {u"UNSUPPORTED"_s});
        row("sglang", "attention", "fp8_e4m3", "--kv-cache-dtype fp8_e4m3", "implicit");
        row("sglang", "attention", "fp8_block", "", "unsupported", "", {u"UNSUPPORTED"_s});
        row("sglang", "moe", "auto", "", "native");
        row("sglang", "moe", "float16", "", "implicit");
        row("sglang", "moe", "bfloat16", "", "implicit");
        row("sglang", "moe", "fp8", "--quantization fp8", "native", "", {u"MOE-FP8-DENSE"_s});
        row("sglang", "moe", "w4afp8", "--quantization w4afp8", "checkpoint", "", {u"CKPT-REQUIRED"_s});
        row("sglang", "moe", "mxfp4", "--quantization mxfp4", "native");
        row("sglang", "moe", "int8", "--quantization w8a8_int8", "checkpoint", "", {u"CKPT-REQUIRED"_s});
        // TensorRT-LLM 1.3 (trtllm-serve, PyTorch backend)
        row("trtllm", "gemm", "auto", "", "native");
        row("trtllm", "gemm", "float16", "--config extra_llm_api_options.yaml", "native", "dtype: float16");
        row("trtllm", "gemm", "bfloat16", "--config extra_llm_api_options.yaml", "native", "dtype: bfloat16");
        row("trtllm", "gemm", "float32", "--config extra_llm_api_options.yaml", "native", "dtype: float32");
        row("trtllm", "gemm", "fp8", "", "checkpoint", "", {u"CKPT-REQUIRED"_s});
        row("trtllm", "gemm", "int8", "", "unsupported", "", {u"UNSUPPORTED"_s});
        row("trtllm", "kvcache", "auto", "", "native");
        row("trtllm", "kvcache", "fp16", "", "implicit", "", {u"KV-IMPLICIT"_s});
        row("trtllm", "kvcache", "bfloat16", "", "implicit", "", {u"KV-IMPLICIT"_s});
        row("trtllm", "kvcache", "fp8", "--kv_cache_dtype fp8", "native");
        row("trtllm", "kvcache", "fp8_e5m2", "", "unsupported", "", {u"UNSUPPORTED"_s});
        row("trtllm", "kvcache", "fp8_e4m3", "--kv_cache_dtype fp8", "translated");
        row("trtllm", "kvcache", "int8", "", "unsupported", "", {u"UNSUPPORTED"_s});
        row("trtllm", "kvcache", "int4", "", "unsupported", "", {u"UNSUPPORTED"_s});
        row("trtllm", "attention", "auto", "", "native");
        row("trtllm", "attention", "float16", "", "implicit", "", {u"ATTN-FOLLOWS-DTYPE"_s});
        row("trtllm", "attention", "bfloat16", "", "implicit", "", {u"ATTN-FOLLOWS-DTYPE"_s});
        row("trtllm", "attention", "fp8", "--kv_cache_dtype fp8", "implicit", "", {u"TRT-FMHA-CKPT"_s});
        row("trtllm", "attention", "fp8_e5m2", "", "unsupported", "", {u"UNSUPPORTED"_s});
        row("trtllm", "attention", "fp8_e4m3", "--kv_cache_dtype fp8", "implicit", "", {u"TRT-FMHA-CKPT"_s});
        row("trtllm", "attention", "fp8_block", "", "unsupported", "", {u"UNSUPPORTED"_s});
        row("trtllm", "moe", "auto", "", "native");
        row("trtllm", "moe", "float16", "", "implicit");
        row("trtllm", "moe", "bfloat16", "", "implicit");
        row("trtllm", "moe", "fp8", "", "checkpoint", "", {u"CKPT-REQUIRED"_s});
        row("trtllm", "moe", "w4afp8", "", "checkpoint", "", {u"CKPT-REQUIRED"_s});
        row("trtllm", "moe", "mxfp4", "", "checkpoint", "", {u"CKPT-REQUIRED"_s});
        row("trtllm", "moe", "int8", "", "unsupported", "", {u"UNSUPPORTED"_s});
    }

    void fieldValues()
    {
        QFETCH(QString, engine);
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, argv);
        QFETCH(QString, level);
        QFETCH(QString, yaml);
        QFETCH(QStringList, diagnostics);

        const QuantField f = *fieldFromName(field);
        const EngineCommand cmd = build(engine, single(f, value));
        // Multi-word values (JSON) contain spaces: compare the flags by joining argv.
        QCOMPARE(cmd.argv().join(u' '), argv);
        QCOMPARE(supportLevelKey(cmd.support.value(f).level), level);
        if (yaml.isEmpty())
            QVERIFY2(cmd.configYaml().isEmpty(), qPrintable(cmd.configYaml()));
        else
            QVERIFY2(cmd.configYaml().contains(yaml), qPrintable(cmd.configYaml()));
        for (const QString& id : diagnostics)
            QVERIFY2(ids(cmd).contains(id), qPrintable(u"missing %1 in %2"_s.arg(id, ids(cmd).join(u", "_s))));
        // Unsupported values are blocking errors; nothing is silently dropped.
        if (level == u"unsupported")
            QVERIFY(cmd.hasErrors());
        if (value != u"auto" && argv.isEmpty() && yaml.isEmpty())
            QVERIFY2(!cmd.diagnostics.isEmpty(), "a value that emits nothing must say why");
        // Provenance: every emitted flag names the field.
        for (const CommandFlag& fl : cmd.flags) {
            if (fl.flag != u"--config")
                QCOMPARE(fl.source, fieldKey(f));
        }
        // The context-free support level (badges, `support`) agrees with the preview for a lone field.
        QCOMPARE(supportLevelKey(fieldSupport(*ProfileRegistry::builtIn().select(engine, {}, nullptr), f, value).level),
                 level);
        checkAgainstReference(engine, cmd.argv());
        QVERIFY(!cmd.fullArgv().join(u' ').contains(u"--dtype fp8"_s));
    }

    // ---- every preset x engine ---------------------------------------------------------------------------------
    void presets_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("argv");
        QTest::addColumn<bool>("blocking");

        const auto row = [](const char* e, const char* p, const char* argv, bool blocking) {
            QTest::addRow("%s %s", e, p) << QString::fromLatin1(e) << QString::fromLatin1(p)
                                         << QString::fromLatin1(argv) << blocking;
        };
        row("vllm", "default", "", false);
        row("vllm", "kv-cache-fp8", "--kv-cache-dtype fp8_e5m2", false);
        // gemm fp8 quantizes the experts too (engine-flags.md 6, moe fp8: "With the GEMMs too: --quantization fp8").
        row("vllm", "dynamic-fp8", "--quantization fp8 --kv-cache-dtype fp8_e5m2", false);
        row("vllm", "bf16-stable", "--dtype bfloat16 --kv-cache-dtype fp8_e5m2", false);
        row("vllm", "aggressive-moe", "--dtype bfloat16 --kv-cache-dtype fp8_e5m2", false);
        row("sglang", "default", "", false);
        row("sglang", "kv-cache-fp8", "--kv-cache-dtype fp8_e5m2", false);
        row("sglang", "dynamic-fp8", "--quantization fp8 --kv-cache-dtype fp8_e5m2", false);
        row("sglang", "bf16-stable", "--dtype bfloat16 --kv-cache-dtype fp8_e5m2", false);
        row("sglang", "aggressive-moe", "--dtype bfloat16 --kv-cache-dtype fp8_e5m2 --quantization w4afp8", false);
        row("trtllm", "default", "", false);
        // TensorRT-LLM's FP8 KV cache is E4M3 only: the presets' fp8_e5m2 cannot be honoured.
        row("trtllm", "kv-cache-fp8", "", true);
        row("trtllm", "dynamic-fp8", "", true);
        row("trtllm", "bf16-stable", "--config extra_llm_api_options.yaml", true);
        row("trtllm", "aggressive-moe", "--config extra_llm_api_options.yaml", true);
    }

    void presets()
    {
        QFETCH(QString, engine);
        QFETCH(QString, preset);
        QFETCH(QString, argv);
        QFETCH(bool, blocking);
        const auto p = findBuiltInPreset(preset);
        QVERIFY(p);
        const EngineCommand cmd = build(engine, p->config);
        QCOMPARE(cmd.argv().join(u' '), argv);
        QCOMPARE(cmd.hasErrors(), blocking);
        checkAgainstReference(engine, cmd.argv());
        // The seed's known-bad outputs never appear.
        QVERIFY(!cmd.argv().contains(u"--attention-backend"_s));
        QVERIFY(!cmd.argv().contains(u"flashinfer_mxfp4"_s));
    }

    void presetDiagnostics()
    {
        // dynamic-fp8 asks for FP8 attention with an E5M2 cache: vLLM and SGLang say why attention stays BF16.
        for (const QString& engine : {u"vllm"_s, u"sglang"_s}) {
            const EngineCommand cmd = build(engine, findBuiltInPreset(u"dynamic-fp8"_s)->config);
            QVERIFY(ids(cmd, Severity::Warning).contains(u"ATTN-FP8-E5M2"_s));
            QCOMPARE(cmd.support.value(QuantField::Attention).level, SupportLevel::Unsupported);
        }
        // aggressive-moe on SGLang: w4afp8 needs a W4AFP8 checkpoint.
        const EngineCommand sgl = build(u"sglang"_s, findBuiltInPreset(u"aggressive-moe"_s)->config);
        QVERIFY(ids(sgl, Severity::Warning).contains(u"CKPT-REQUIRED"_s));
        // ... and on a W4AFP8 checkpoint the warning becomes information.
        const EngineCommand sglCkpt =
            build(u"sglang"_s, findBuiltInPreset(u"aggressive-moe"_s)->config, u"deepseek-ai/DeepSeek-R1-W4AFP8"_s);
        QVERIFY(!sglCkpt.argv().contains(u"--quantization"_s));
        QVERIFY(ids(sglCkpt, Severity::Info).contains(u"OFFLINE-MOE"_s));
    }

    // ---- one --quantization per command ------------------------------------------------------------------------
    void quantizationConflicts_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("gemm");
        QTest::addColumn<QString>("moe");
        QTest::addColumn<bool>("conflict");
        QTest::addRow("vllm fp8+mxfp4") << u"vllm"_s << u"fp8"_s << u"mxfp4"_s << true;
        QTest::addRow("vllm fp8+int8") << u"vllm"_s << u"fp8"_s << u"int8"_s << true;
        QTest::addRow("vllm fp8+fp8") << u"vllm"_s << u"fp8"_s << u"fp8"_s << false;
        QTest::addRow("sglang fp8+w4afp8") << u"sglang"_s << u"fp8"_s << u"w4afp8"_s << true;
        QTest::addRow("sglang fp8+mxfp4") << u"sglang"_s << u"fp8"_s << u"mxfp4"_s << true;
        QTest::addRow("sglang int8+int8") << u"sglang"_s << u"int8"_s << u"int8"_s << false;
        QTest::addRow("sglang fp8+fp8") << u"sglang"_s << u"fp8"_s << u"fp8"_s << false;
    }

    void quantizationConflicts()
    {
        QFETCH(QString, engine);
        QFETCH(QString, gemm);
        QFETCH(QString, moe);
        QFETCH(bool, conflict);
        QuantConfig c;
        c.gemm = gemm;
        c.moe = moe;
        const EngineCommand cmd = build(engine, c);
        QCOMPARE(cmd.argv().count(u"--quantization"_s), 1);
        QCOMPARE(ids(cmd, Severity::Error).contains(u"QUANT-CONFLICT"_s), conflict);
        if (conflict) {
            QCOMPARE(cmd.support.value(QuantField::Moe).level, SupportLevel::Unsupported);
            QCOMPARE(findDiag(cmd, u"QUANT-CONFLICT"_s)->field, u"moe_dtype"_s);
        }
        checkAgainstReference(engine, cmd.argv());
    }

    // ---- user parameters override quant-derived flags, visibly -------------------------------------------------
    void overrides()
    {
        const QuantConfig kv = findBuiltInPreset(u"kv-cache-fp8"_s)->config;
        const EngineCommand cmd = build(u"vllm"_s, kv, {}, std::nullopt, {{u"kv-cache-dtype"_s, u"fp8_e4m3"_s}});
        QCOMPARE(cmd.argv(), (QStringList{u"--kv-cache-dtype"_s, u"fp8_e4m3"_s}));
        const CommandFlag* f = cmd.findFlag(u"--kv-cache-dtype"_s);
        QVERIFY(f);
        QCOMPARE(f->source, u"parameter"_s);
        QVERIFY(f->overrides);
        QVERIFY(f->overrides->contains(u"fp8_e5m2"_s));
        QVERIFY(f->overrides->contains(u"kvcache_dtype"_s));
        QVERIFY(ids(cmd).contains(u"PARAM-OVERRIDE"_s));

        // vLLM accepts '_' for '-': the same flag, so it overrides rather than duplicates.
        const EngineCommand under = build(u"vllm"_s, kv, {}, std::nullopt, {{u"kv_cache_dtype"_s, u"auto"_s}});
        QCOMPARE(under.argv(), (QStringList{u"--kv-cache-dtype"_s, u"auto"_s}));
        // SGLang does not: the parameter is refused, never emitted.
        const EngineCommand sgl = build(u"sglang"_s, kv, {}, std::nullopt, {{u"kv_cache_dtype"_s, u"auto"_s}});
        QCOMPARE(sgl.argv(), (QStringList{u"--kv-cache-dtype"_s, u"fp8_e5m2"_s}));
        QVERIFY(ids(sgl, Severity::Error).contains(u"PARAM-UNKNOWN"_s));
        // Aliases are the same option too (SGLang --tensor-parallel-size is --tp-size).
        const EngineCommand tp =
            build(u"sglang"_s, {}, {}, std::nullopt, {{u"tp-size"_s, u"2"_s}, {u"tensor-parallel-size"_s, u"4"_s}});
        QCOMPARE(tp.argv().size(), 2);
        QCOMPARE(tp.argv().at(1), u"4"_s);
        QVERIFY(ids(tp, Severity::Warning).contains(u"PARAM-DUP"_s));

        // Replacing vLLM's --quantization online drops its companion --quantization-config.
        const EngineCommand q =
            build(u"vllm"_s, single(QuantField::Moe, u"fp8"_s), {}, std::nullopt, {{u"quantization"_s, u"fp8"_s}});
        QCOMPARE(q.argv(), (QStringList{u"--quantization"_s, u"fp8"_s}));

        // Invalid values and unknown flags are diagnosed, never emitted.
        const EngineCommand bad =
            build(u"sglang"_s, {}, {}, std::nullopt, {{u"kv-cache-dtype"_s, u"fp8"_s}, {u"no-such-flag"_s, u"1"_s}});
        QVERIFY(bad.argv().isEmpty());
        QCOMPARE(ids(bad, Severity::Error), (QStringList{u"PARAM-VALUE"_s, u"PARAM-UNKNOWN"_s}));

        // Switches: true is a bare flag, false is left out.
        const EngineCommand sw = build(u"vllm"_s,
                                       {},
                                       {},
                                       std::nullopt,
                                       {{u"enable-prefix-caching"_s, u"true"_s}, {u"enforce-eager"_s, u"false"_s}});
        QCOMPARE(sw.argv(), (QStringList{u"--enable-prefix-caching"_s}));

        // TensorRT-LLM options are spelled exactly (underscores).
        const EngineCommand trt = build(u"trtllm"_s, {}, {}, std::nullopt, {{u"max_batch_size"_s, u"64"_s}});
        QCOMPARE(trt.argv(), (QStringList{u"--max_batch_size"_s, u"64"_s}));
        const EngineCommand trtDash = build(u"trtllm"_s, {}, {}, std::nullopt, {{u"max-batch-size"_s, u"64"_s}});
        QVERIFY(trtDash.argv().isEmpty());
        QVERIFY(ids(trtDash, Severity::Error).contains(u"PARAM-UNKNOWN"_s));
    }

    void tritonBackend()
    {
        // An integer KV cache needs TRITON_ATTN; another backend is a blocking error.
        const EngineCommand ok = build(u"vllm"_s,
                                       single(QuantField::KvCache, u"int8"_s),
                                       {},
                                       std::nullopt,
                                       {{u"attention-backend"_s, u"TRITON_ATTN"_s}});
        QVERIFY(!ok.hasErrors());
        const EngineCommand bad = build(u"vllm"_s,
                                        single(QuantField::KvCache, u"int8"_s),
                                        {},
                                        std::nullopt,
                                        {{u"attention-backend"_s, u"FLASH_ATTN"_s}});
        QVERIFY(ids(bad, Severity::Error).contains(u"KV-TRITON-ONLY"_s));
    }

    // ---- TensorRT-LLM: flag where the version has it, else the YAML -------------------------------------------
    void trtllmVersions()
    {
        const QuantConfig kv = single(QuantField::KvCache, u"fp8"_s);
        const EngineCommand rc7 = build(u"trtllm"_s, kv, {}, std::nullopt, {}, u"1.3.0rc7"_s);
        QCOMPARE(rc7.argv(), (QStringList{u"--kv_cache_dtype"_s, u"fp8"_s}));
        const EngineCommand rc3 = build(u"trtllm"_s, kv, {}, std::nullopt, {}, u"1.3.0rc3"_s);
        QCOMPARE(rc3.argv(), (QStringList{u"--config"_s, u"extra_llm_api_options.yaml"_s}));
        QCOMPARE(rc3.configYaml(), u"kv_cache_config:\n  dtype: fp8\n"_s);
        QVERIFY(ids(rc3).contains(u"TRT-KV-YAML"_s));
        // A parameter that only newer releases have is refused for an older target.
        const EngineCommand p =
            build(u"trtllm"_s, {}, {}, std::nullopt, {{u"kv_cache_dtype"_s, u"fp8"_s}}, u"1.3.0rc3"_s);
        QVERIFY(p.argv().isEmpty());
        QVERIFY(ids(p, Severity::Error).contains(u"PARAM-VERSION"_s));
        // gemm dtype and KV share one YAML file.
        QuantConfig both = kv;
        both.gemm = u"bfloat16"_s;
        const EngineCommand y = build(u"trtllm"_s, both, {}, std::nullopt, {}, u"1.3.0rc3"_s);
        QCOMPARE(y.argv(), (QStringList{u"--config"_s, u"extra_llm_api_options.yaml"_s}));
        QCOMPARE(y.configYaml(), u"dtype: bfloat16\nkv_cache_config:\n  dtype: fp8\n"_s);
    }

    // ---- offline-quantized models ------------------------------------------------------------------------------
    void offlineModels_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("method");
        QTest::addRow("awq") << u"TheBloke/Llama-2-7B-AWQ"_s << u"awq"_s;
        QTest::addRow("gptq") << u"TheBloke/Llama-2-7B-GPTQ"_s << u"gptq"_s;
        QTest::addRow("gguf") << u"x/model.gguf"_s << u"gguf"_s;
        QTest::addRow("nvfp4") << u"nvidia/Llama-3.1-8B-Instruct-FP4"_s << u"nvfp4"_s;
        QTest::addRow("fp8") << u"neuralmagic/Meta-Llama-3-8B-Instruct-FP8"_s << u"fp8"_s;
    }

    void offlineModels()
    {
        QFETCH(QString, model);
        QFETCH(QString, method);
        QCOMPARE(inspectModel(model).quantMethod, method);
        QuantConfig c;
        c.gemm = u"fp8"_s;
        c.kvcache = u"fp8_e4m3"_s;
        for (const QString& engine : {u"vllm"_s, u"sglang"_s}) {
            const EngineCommand cmd = build(engine, c, model);
            QVERIFY2(!cmd.argv().contains(u"--quantization"_s), qPrintable(cmd.shellCommand()));
            QVERIFY(!cmd.argv().contains(u"--dtype"_s));
            // KV cache quantization still applies.
            QVERIFY(cmd.argv().contains(u"--kv-cache-dtype"_s));
            const Diagnostic* d = findDiag(cmd, u"OFFLINE-GEMM"_s);
            QVERIFY(d);
            QCOMPARE(d->field, u"gemm_dtype"_s);
            // A different method is a warning; an FP8 request on an FP8 checkpoint is just information.
            QCOMPARE(d->severity, method == u"fp8" ? Severity::Info : Severity::Warning);
        }
        QCOMPARE(inspectModel(u"meta-llama/Llama-3.2-1B-Instruct"_s).quantMethod, QString());
    }

    void fp8CheckpointE5m2()
    {
        // vLLM rejects an E5M2 KV cache with FP8 checkpoints (pitfall P6).
        const QuantConfig kv = findBuiltInPreset(u"kv-cache-fp8"_s)->config;
        const EngineCommand v = build(u"vllm"_s, kv, u"neuralmagic/Meta-Llama-3-8B-Instruct-FP8"_s);
        const Diagnostic* d = findDiag(v, u"KV-E5M2-FP8CKPT"_s);
        QVERIFY(d);
        QCOMPARE(d->severity, Severity::Error);
        QCOMPARE(d->action.kind, FixAction::Kind::SetField);
        QCOMPARE(d->action.value, u"fp8_e4m3"_s);
        QVERIFY(!findDiag(build(u"sglang"_s, kv, u"neuralmagic/Meta-Llama-3-8B-Instruct-FP8"_s), u"KV-E5M2-FP8CKPT"_s));
        QVERIFY(!findDiag(build(u"vllm"_s, kv, u"meta-llama/Llama-3.1-8B-Instruct"_s), u"KV-E5M2-FP8CKPT"_s));
    }

    // ---- hardware rules (engine-flags.md 8, peers-and-pitfalls.md 5) --------------------------------------------
    void hardware_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("major");
        QTest::addColumn<int>("minor");
        QTest::addColumn<QString>("id"); // expected diagnostic id ("" = no hardware diagnostic)
        QTest::addColumn<QString>("severity");
        const auto row =
            [](const char* e, const char* f, const char* v, int ma, int mi, const char* id, const char* sev) {
                QTest::addRow("%s %s=%s cc%d.%d", e, f, v, ma, mi)
                    << QString::fromLatin1(e) << QString::fromLatin1(f) << QString::fromLatin1(v) << ma << mi
                    << QString::fromLatin1(id) << QString::fromLatin1(sev);
            };
        // FP8 GEMM below 8.9: Marlin fallback on vLLM/SGLang, unsupported on TensorRT-LLM.
        row("vllm", "gemm", "fp8", 8, 0, "HW-FP8-GEMM", "warning");
        row("sglang", "gemm", "fp8", 8, 6, "HW-FP8-GEMM", "warning");
        row("sglang", "gemm", "fp8", 7, 5, "HW-FP8-GEMM", "error");
        row("trtllm", "gemm", "fp8", 8, 0, "HW-FP8-GEMM", "error");
        row("vllm", "gemm", "fp8", 8, 9, "", "");
        row("vllm", "gemm", "fp8", 9, 0, "", "");
        // FP8 E4M3 KV needs 8.9.
        row("vllm", "kvcache", "fp8", 8, 0, "HW-FP8-KV", "error");
        row("sglang", "kvcache", "fp8_e4m3", 8, 6, "HW-FP8-KV", "error");
        row("trtllm", "kvcache", "fp8", 8, 0, "HW-FP8-KV", "error");
        row("vllm", "kvcache", "fp8_e5m2", 8, 0, "", "");
        row("vllm", "kvcache", "fp8", 8, 9, "", "");
        // FP8 attention math needs Hopper (FA3) or Blackwell.
        row("vllm", "attention", "fp8", 8, 9, "HW-FP8-ATTN", "info");
        row("sglang", "attention", "fp8", 9, 0, "", "");
        // MXFP4 experts: FP4 tensor cores only on Blackwell.
        row("vllm", "moe", "mxfp4", 9, 0, "FP4-HW", "warning");
        row("sglang", "moe", "mxfp4", 7, 5, "FP4-HW", "error");
        row("vllm", "moe", "mxfp4", 10, 0, "", "");
        // SGLang W4AFP8: sm90 kernels.
        row("sglang", "moe", "w4afp8", 8, 0, "HW-W4AFP8", "error");
        row("sglang", "moe", "w4afp8", 10, 0, "HW-W4AFP8", "warning");
        row("sglang", "moe", "w4afp8", 9, 0, "", "");
    }

    void hardware()
    {
        QFETCH(QString, engine);
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(int, major);
        QFETCH(int, minor);
        QFETCH(QString, id);
        QFETCH(QString, severity);
        const EngineCommand cmd =
            build(engine, single(*fieldFromName(field), value), {}, gpu(u"Test GPU"_s, major, minor));
        QStringList hw;
        for (const Diagnostic& d : cmd.diagnostics) {
            if (d.id.startsWith(u"HW-") || d.id == u"FP4-HW")
                hw << d.id + u':' + severityKey(d.severity);
        }
        if (id.isEmpty())
            QVERIFY2(hw.isEmpty(), qPrintable(hw.join(u", "_s)));
        else
            QVERIFY2(hw.contains(id + u':' + severity), qPrintable(hw.join(u", "_s)));
        // Without a GPU no hardware rule fires.
        const EngineCommand noGpu = build(engine, single(*fieldFromName(field), value));
        for (const Diagnostic& d : noGpu.diagnostics)
            QVERIFY(!d.id.startsWith(u"HW-") && d.id != u"FP4-HW");
    }

    void fixActionsApply()
    {
        // Applying the structured fix of a blocking diagnostic removes that error.
        const EngineCommand cmd = build(u"vllm"_s, single(QuantField::KvCache, u"fp8"_s), {}, gpu(u"A100"_s, 8, 0));
        const Diagnostic* d = findDiag(cmd, u"HW-FP8-KV"_s);
        QVERIFY(d);
        QCOMPARE(d->action.kind, FixAction::Kind::SetField);
        QuantConfig fixed = single(QuantField::KvCache, u"fp8"_s);
        fixed.setValue(*fieldFromName(d->action.key), d->action.value);
        const EngineCommand after = build(u"vllm"_s, fixed, {}, gpu(u"A100"_s, 8, 0));
        QVERIFY(!after.hasErrors());
    }

    void shellQuoting()
    {
        const EngineCommand cmd = build(u"sglang"_s, {}, u"my model; rm -rf ~ $(touch x) 'q'"_s);
        QCOMPARE(cmd.shellCommand(),
                 u"python3 -m sglang.launch_server --model-path 'my model; rm -rf ~ $(touch x) '\\''q'\\'''"_s);
        QCOMPARE(shellQuote(u""_s), u"''"_s);
        QCOMPARE(shellQuote(u"fp8_e5m2"_s), u"fp8_e5m2"_s);
        QCOMPARE(shellQuote(u"{\"moe\": \"x\"}"_s), u"'{\"moe\": \"x\"}'"_s);
    }

    void profileSelection()
    {
        QString note;
        const EngineProfile* exact = ProfileRegistry::builtIn().select(u"sglang"_s, u"0.5.18"_s, &note);
        QVERIFY(exact);
        QVERIFY(note.isEmpty());
        const EngineProfile* near = ProfileRegistry::builtIn().select(u"sglang"_s, u"0.5.20"_s, &note);
        QCOMPARE(near, exact);
        QVERIFY(note.contains(u"nearest"_s));
        const EngineCommand cmd = build(u"sglang"_s, {}, {}, std::nullopt, {}, u"0.5.20"_s);
        QVERIFY(ids(cmd, Severity::Warning).contains(u"PROFILE-NEAREST"_s));
        QCOMPARE(cmd.engineVersion, u"0.5.20"_s);
        QString error;
        QVERIFY(!buildEngineCommand(u"tgi"_s, {}, {}, {}, std::nullopt, {}, &error));
        QVERIFY(error.contains(u"vllm"_s));
    }
};

QTEST_GUILESS_MAIN(TestMapper)
#include "TestMapper.moc"

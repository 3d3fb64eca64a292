// Engine profiles are data: every flag and choice of the extracted flag tables (tests/data/engine-flags.json), parser
// rules per engine, version comparison and the per-value mapping rules.

#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

#include "core/engines/EngineProfile.h"
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

const EngineProfile& profile(const QString& engine)
{
    return *ProfileRegistry::builtIn().select(engine, {}, nullptr);
}

} // namespace

class TestEngineProfiles : public QObject
{
    Q_OBJECT

private:
    nlohmann::json m_reference;

private slots:
    void initTestCase()
    {
        QFile f(testData() + u"/engine-flags.json"_s);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray data = f.readAll();
        m_reference = nlohmann::json::parse(data.constBegin(), data.constEnd());
        QVERIFY2(ProfileRegistry::builtIn().loadErrors().isEmpty(),
                 qPrintable(ProfileRegistry::builtIn().loadErrors().join(u'\n')));
    }

    void registry()
    {
        QCOMPARE(ProfileRegistry::builtIn().engines(), (QStringList{u"vllm"_s, u"sglang"_s, u"trtllm"_s}));
        QCOMPARE(profile(u"vllm"_s).version(), u"0.27.1"_s);
        QCOMPARE(profile(u"sglang"_s).version(), u"0.5.18"_s);
        QVERIFY(profile(u"trtllm"_s).version().startsWith(u"1.3"_s));
    }

    void everyReferenceFlag_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::newRow("vllm") << u"vllm"_s;
        QTest::newRow("sglang") << u"sglang"_s;
        QTest::newRow("trtllm") << u"trtllm"_s;
    }

    void everyReferenceFlag()
    {
        QFETCH(QString, engine);
        const EngineProfile& p = profile(engine);
        const auto& flags = m_reference[engine.toStdString()]["flags"];
        // SGLang 0.5.18 lacks exactly four flags of the main snapshot (engine-flags.md 1).
        const QStringList sglangMainOnly{u"--dsv4-prefill-backend"_s,
                                         u"--enable-w4a4-mxfp4-megamoe"_s,
                                         u"--hicache-host-memory-mode"_s,
                                         u"--prefill-decode-interval"_s};
        int checked = 0;
        for (auto it = flags.begin(); it != flags.end(); ++it) {
            const QString name = QString::fromStdString(it.key());
            if (engine == u"sglang" && sglangMainOnly.contains(name)) {
                QVERIFY2(!p.findFlag(name), qPrintable(name));
                continue;
            }
            const FlagSpec* spec = p.findFlag(name);
            QVERIFY2(spec, qPrintable(u"%1 lacks %2"_s.arg(engine, name)));
            QCOMPARE(spec->takesValue, it->value("takes_value", false));
            if (it->contains("choices") && (*it)["choices"].is_array()) {
                QStringList choices;
                for (const auto& c : (*it)["choices"])
                    choices << (c.is_string() ? QString::fromStdString(c.get<std::string>())
                                              : QString::fromStdString(c.dump()));
                QCOMPARE(spec->choices, choices);
            }
            ++checked;
        }
        QCOMPARE(p.flagCount(), checked);
    }

    void parserRules()
    {
        const EngineProfile& v = profile(u"vllm"_s);
        const EngineProfile& s = profile(u"sglang"_s);
        const EngineProfile& t = profile(u"trtllm"_s);
        // vLLM: '_' == '-', aliases such as -q.
        QVERIFY(v.findFlag(u"--kv_cache_dtype"_s));
        QCOMPARE(v.findFlag(u"kv_cache_dtype"_s)->name, u"--kv-cache-dtype"_s);
        QCOMPARE(v.canonicalName(u"-q"_s), v.canonicalName(u"--quantization"_s));
        // SGLang: dashes only.
        QVERIFY(s.findFlag(u"--kv-cache-dtype"_s));
        QVERIFY(!s.findFlag(u"--kv_cache_dtype"_s));
        QCOMPARE(s.canonicalName(u"--tensor-parallel-size"_s), s.canonicalName(u"--tp-size"_s));
        // TensorRT-LLM (click): exact underscores.
        QVERIFY(t.findFlag(u"--kv_cache_dtype"_s));
        QVERIFY(!t.findFlag(u"--kv-cache-dtype"_s));
        // The options the autotuner emits for TensorRT-LLM do not exist.
        for (const QString& bad : {u"--quant-algo"_s, u"--kv-cache-quant-algo"_s, u"--fmha-quant-algo"_s})
            QVERIFY(!t.findFlag(bad));
        // vLLM has no --calculate-kv-scales any more (removed 2026-08-03).
        QVERIFY(!v.findFlag(u"--calculate-kv-scales"_s));
    }

    void valueValidation()
    {
        QString why;
        QVERIFY(profile(u"vllm"_s).validate(u"--kv-cache-dtype"_s, u"fp8"_s, true, &why));
        QVERIFY(!profile(u"sglang"_s).validate(u"--kv-cache-dtype"_s, u"fp8"_s, true, &why));
        QVERIFY(why.contains(u"fp8_e4m3"_s)); // lists what is valid
        QVERIFY(!profile(u"vllm"_s).validate(u"--quantization"_s, u"int8"_s, true, &why));
        QVERIFY(profile(u"vllm"_s).validate(u"--quantization"_s, u"experts_int8"_s, true, &why));
        QVERIFY(profile(u"vllm"_s).validate(u"--attention-backend"_s, u"flashinfer"_s, true, &why)); // case-insensitive
        QVERIFY(!profile(u"vllm"_s).validate(u"--kv-cache-dtype"_s, u"fp16"_s, true, &why));
        QVERIFY(!profile(u"trtllm"_s).validate(u"--kv_cache_dtype"_s, u"int4"_s, true, &why));
        QVERIFY(!profile(u"vllm"_s).validate(u"--enable-prefix-caching"_s, u"yes"_s, true, &why));
    }

    void versions()
    {
        QVERIFY(compareVersions(u"1.3.0rc3"_s, u"1.3.0rc7"_s) < 0);
        QVERIFY(compareVersions(u"1.3.0rc7"_s, u"1.3.0"_s) < 0);
        QVERIFY(compareVersions(u"1.3.0rc23"_s, u"1.3.0rc7"_s) > 0);
        QVERIFY(compareVersions(u"0.27.1"_s, u"v0.27.1"_s) == 0);
        QVERIFY(compareVersions(u"0.5.18"_s, u"0.5.9"_s) > 0);
        QVERIFY(compareVersions(u"0.5.18.post1"_s, u"0.5.18"_s) > 0);
        QVERIFY(compareVersions(u"0.30.0"_s, u"0.27.1+main"_s) > 0);
        QVERIFY(compareVersions(u"1.3"_s, u"1.3.0"_s) == 0);
        // --kv_cache_dtype arrived after 1.3.0rc3.
        const EngineProfile& t = profile(u"trtllm"_s);
        const FlagSpec* kv = t.findFlag(u"--kv_cache_dtype"_s);
        QVERIFY(!t.flagAvailable(*kv, u"1.3.0rc3"_s));
        QVERIFY(t.flagAvailable(*kv, u"1.3.0rc7"_s));
        QVERIFY(t.flagAvailable(*t.findFlag(u"--max_batch_size"_s), u"1.3.0rc3"_s));
    }

    void brokenProfilesAreRejected_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{") << u"not valid JSON"_s;
        QTest::newRow("no flags") << QByteArray(R"({"engine":"x","version":"1","launch":["x"],"mapping":{}})")
                                  << u"/flags"_s;
        QTest::newRow("mapping refers to unknown flag")
            << QByteArray(R"({"engine":"x","version":"1","launch":["x"],"flags":{"--a":{"takes_value":true}},
                 "mapping":{"gemm":{"auto":{"level":"native","args":["--b","1"]}}}})")
            << u"/mapping/gemm"_s;
    }

    void brokenProfilesAreRejected()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!EngineProfile::fromJson(json, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestEngineProfiles)
#include "TestEngineProfiles.moc"

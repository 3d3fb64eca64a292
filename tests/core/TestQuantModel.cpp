// The quant model: fields and values (DESIGN 1), the five built-in presets with the autotuner backend's values, and
// user presets on disk (load, save atomically, rename, delete; broken files reported and skipped).

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "core/quant/Presets.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;

namespace
{

void writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

} // namespace

class TestQuantModel : public QObject
{
    Q_OBJECT

private slots:
    void valuesPerField()
    {
        // DESIGN 1, in the autotuner's vocabulary (note kvcache spells fp16, the others float16).
        QCOMPARE(QuantDesk::fieldValues(QuantField::Gemm),
                 (QStringList{u"auto"_s, u"float16"_s, u"bfloat16"_s, u"float32"_s, u"fp8"_s, u"int8"_s}));
        QCOMPARE(
            QuantDesk::fieldValues(QuantField::KvCache),
            (QStringList{
                u"auto"_s, u"fp16"_s, u"bfloat16"_s, u"fp8"_s, u"fp8_e5m2"_s, u"fp8_e4m3"_s, u"int8"_s, u"int4"_s}));
        QCOMPARE(QuantDesk::fieldValues(QuantField::Attention),
                 (QStringList{
                     u"auto"_s, u"float16"_s, u"bfloat16"_s, u"fp8"_s, u"fp8_e5m2"_s, u"fp8_e4m3"_s, u"fp8_block"_s}));
        QCOMPARE(QuantDesk::fieldValues(QuantField::Moe),
                 (QStringList{u"auto"_s, u"float16"_s, u"bfloat16"_s, u"fp8"_s, u"w4afp8"_s, u"mxfp4"_s, u"int8"_s}));
        int total = 0;
        for (const QuantField f : kQuantFields) {
            total += static_cast<int>(QuantDesk::fieldValues(f).size());
            for (const QString& v : QuantDesk::fieldValues(f))
                QVERIFY2(!valueDescription(f, v).isEmpty(), qPrintable(fieldKey(f) + u'=' + v));
        }
        QCOMPARE(total, 6 + 8 + 7 + 7);
        QVERIFY(!isValidFieldValue(QuantField::KvCache, u"float16"_s));
        QVERIFY(!isValidFieldValue(QuantField::Gemm, u"fp16"_s));
    }

    void fieldNames()
    {
        QCOMPARE(fieldKey(QuantField::KvCache), u"kvcache_dtype"_s);
        QCOMPARE(fieldFromName(u"kvcache_dtype"_s), QuantField::KvCache);
        QCOMPARE(fieldFromName(u"kv"_s), QuantField::KvCache);
        QCOMPARE(fieldFromName(u"MOE"_s), QuantField::Moe);
        QVERIFY(!fieldFromName(u"comm"_s));
    }

    void builtInPresets_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("gemm");
        QTest::addColumn<QString>("kv");
        QTest::addColumn<QString>("attention");
        QTest::addColumn<QString>("moe");
        // The autotuner backend's values (DESIGN 1; autotuner.md 2.3 Python column).
        QTest::newRow("default") << u"default"_s << u"auto"_s << u"auto"_s << u"auto"_s << u"auto"_s;
        QTest::newRow("kv-cache-fp8") << u"kv-cache-fp8"_s << u"auto"_s << u"fp8_e5m2"_s << u"auto"_s << u"auto"_s;
        QTest::newRow("dynamic-fp8") << u"dynamic-fp8"_s << u"fp8"_s << u"fp8_e5m2"_s << u"fp8"_s << u"fp8"_s;
        QTest::newRow("bf16-stable") << u"bf16-stable"_s << u"bfloat16"_s << u"fp8_e5m2"_s << u"auto"_s << u"auto"_s;
        QTest::newRow("aggressive-moe") << u"aggressive-moe"_s << u"bfloat16"_s << u"fp8_e5m2"_s << u"fp8"_s
                                        << u"w4afp8"_s;
    }

    void builtInPresets()
    {
        QFETCH(QString, name);
        QFETCH(QString, gemm);
        QFETCH(QString, kv);
        QFETCH(QString, attention);
        QFETCH(QString, moe);
        const auto p = findBuiltInPreset(name);
        QVERIFY(p);
        QVERIFY(p->builtIn);
        QCOMPARE(p->config, (QuantConfig{gemm, kv, attention, moe}));
        QVERIFY(p->config.isValid());
    }

    void presetOrderAndCount()
    {
        QStringList names;
        for (const Preset& p : QuantDesk::builtInPresets())
            names << p.name;
        QCOMPARE(
            names,
            (QStringList{u"default"_s, u"kv-cache-fp8"_s, u"dynamic-fp8"_s, u"bf16-stable"_s, u"aggressive-moe"_s}));
    }

    void slugs()
    {
        QCOMPARE(QuantConfig{}.slug(), u"baseline"_s);
        QCOMPARE((QuantConfig{u"fp8"_s, u"fp8_e5m2"_s, u"auto"_s, u"auto"_s}).slug(), u"gemm-fp8_kv-fp8-e5m2"_s);
        QString error;
        QVERIFY(!(QuantConfig{u"fp8"_s, u"fp16x"_s, u"auto"_s, u"auto"_s}).isValid(&error));
        QVERIFY(error.contains(u"kvcache_dtype"_s));
        QVERIFY(error.contains(u"fp8_e5m2"_s)); // lists the valid values
    }

    void userPresetsRoundTrip()
    {
        QTemporaryDir dir;
        PresetStore store(dir.path() + u"/presets"_s);
        QVERIFY(store.reload()); // a missing folder is fine
        Preset p;
        p.name = u"my-fp8-kv"_s;
        p.description = u"E4M3 with scales"_s;
        p.config.kvcache = u"fp8_e4m3"_s;
        QString error;
        QVERIFY2(store.save(p, &error), qPrintable(error));
        QVERIFY(QFile::exists(dir.path() + u"/presets/my-fp8-kv.json"_s));

        PresetStore again(dir.path() + u"/presets"_s);
        QVERIFY(again.reload());
        const auto loaded = again.find(u"my-fp8-kv"_s);
        QVERIFY(loaded);
        QCOMPARE(loaded->config, p.config);
        QCOMPARE(loaded->description, p.description);
        QVERIFY(!loaded->builtIn);
        QCOMPARE(again.all().size(), 6);
        QCOMPARE(again.matching(p.config), u"my-fp8-kv"_s);
        QCOMPARE(again.matching(findBuiltInPreset(u"bf16-stable"_s)->config), u"bf16-stable"_s);

        QVERIFY2(again.rename(u"my-fp8-kv"_s, u"e4m3-kv"_s, &error), qPrintable(error));
        QVERIFY(!QFile::exists(dir.path() + u"/presets/my-fp8-kv.json"_s));
        QVERIFY(again.find(u"e4m3-kv"_s));
        QVERIFY(!again.find(u"my-fp8-kv"_s));
        QVERIFY(again.remove(u"e4m3-kv"_s, &error));
        QCOMPARE(QDir(dir.path() + u"/presets"_s).entryList(QDir::Files).size(), 0);
    }

    void builtInsAreReadOnly()
    {
        QTemporaryDir dir;
        PresetStore store(dir.path());
        QString error;
        Preset p = *findBuiltInPreset(u"default"_s);
        QVERIFY(!store.save(p, &error));
        QVERIFY(error.contains(u"built-in"_s));
        QVERIFY(!store.remove(u"kv-cache-fp8"_s, &error));
        QVERIFY(!store.rename(u"dynamic-fp8"_s, u"x"_s, &error));
        p.name = u"bad name!"_s;
        QVERIFY(!store.save(p, &error));
        QVERIFY(error.contains(u"preset name"_s));
        p.name = u"ok"_s;
        p.config.gemm = u"fp4"_s;
        QVERIFY(!store.save(p, &error));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 0);
    }

    void brokenUserPresetsAreSkipped_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected"); // part of the problem message
        QTest::newRow("not json") << QByteArray("{\"name\": ") << u"not valid JSON"_s;
        QTest::newRow("array") << QByteArray("[]") << u"/: expected an object"_s;
        QTest::newRow("no name") << QByteArray("{\"quant_config\": {}}") << u"/name"_s;
        QTest::newRow("bad value") << QByteArray(R"({"name": "x", "quant_config": {"kvcache_dtype": "fp16x"}})")
                                   << u"/quant_config/kvcache_dtype"_s;
        QTest::newRow("unknown field") << QByteArray(R"({"name": "x", "quant_config": {"comm_dtype": "fp8"}})")
                                       << u"/quant_config/comm_dtype"_s;
        QTest::newRow("built-in name") << QByteArray(R"({"name": "default", "quant_config": {}})")
                                       << u"built-in preset name"_s;
        QTest::newRow("empty") << QByteArray() << u"not valid JSON"_s;
        QTest::newRow("binary") << QByteArray("\xff\xfe\x00\x01", 4) << u"not valid JSON"_s;
    }

    void brokenUserPresetsAreSkipped()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        writeFile(dir.filePath(u"a-good.json"_s), R"({"name": "good", "quant_config": {"gemm_dtype": "fp8"}})");
        writeFile(dir.filePath(u"broken.json"_s), content);
        PresetStore store(dir.path());
        QVERIFY(!store.reload());
        QCOMPARE(store.problems().size(), 1);
        QVERIFY2(store.problems().constFirst().contains(expected), qPrintable(store.problems().constFirst()));
        QVERIFY(store.problems().constFirst().contains(u"broken.json"_s));
        // The good one still loads, and the broken file is left untouched.
        QVERIFY(store.find(u"good"_s));
        QFile f(dir.filePath(u"broken.json"_s));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), content);
    }
};

QTEST_GUILESS_MAIN(TestQuantModel)
#include "TestQuantModel.moc"

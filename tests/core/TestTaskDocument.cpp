// Task documents: loading (with positions), the typed model, saving and load → save → load round trips.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include "core/task/JsonLocator.h"
#include "core/task/TaskDocument.h"
#include "core/task/TaskLoader.h"
#include "tests/TestConfig.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;
using json = nlohmann::ordered_json;

namespace
{

QString dataDir()
{
    const QString fromEnv = qEnvironmentVariable("QUANTDESK_TEST_DATA");
    return fromEnv.isEmpty() ? QString::fromUtf8(QUANTDESK_TEST_DATA_DIR) : fromEnv;
}

QString repoFile(const QString& relative)
{
    return QDir(dataDir()).filePath(u"../../"_s + relative);
}

QStringList keysOf(const json& object)
{
    QStringList keys;
    for (auto it = object.begin(); it != object.end(); ++it)
        keys << QString::fromStdString(it.key());
    return keys;
}

TaskDocument load(const QByteArray& text)
{
    const TaskLoadResult r = TaskLoader::loadData(text);
    if (!r.document)
        qFatal("fixture does not load: %s", qPrintable(r.problems.value(0).toString()));
    return *r.document;
}

} // namespace

class TestTaskDocument : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("path");
        const QDir tasks(QDir(dataDir()).filePath(u"tasks"_s));
        for (const QString& f : tasks.entryList({u"*.json"_s}, QDir::Files, QDir::Name))
            QTest::addRow("tasks/%s", qPrintable(f)) << tasks.filePath(f);
        const QDir examples(repoFile(u"examples"_s));
        for (const QString& f : examples.entryList({u"*.json"_s}, QDir::Files, QDir::Name))
            QTest::addRow("examples/%s", qPrintable(f)) << examples.filePath(f);
    }

    // load → save → load gives the same document: every key (unknown ones too), in the same order, same values.
    void roundTrip()
    {
        QFETCH(QString, path);
        const TaskLoadResult first = TaskLoader::loadFile(path);
        QVERIFY2(first.ok(), qPrintable(first.problems.value(0).toString()));

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString saved = dir.filePath(u"saved.json"_s);
        QString error;
        QVERIFY2(first.document->save(saved, &error), qPrintable(error));
        const TaskLoadResult second = TaskLoader::loadFile(saved);
        QVERIFY2(second.ok(), qPrintable(second.problems.value(0).toString()));
        QVERIFY(*second.document == *first.document);
        QCOMPARE(keysOf(second.document->json()), keysOf(first.document->json()));

        // Saving again gives byte-identical output: the format is stable.
        const QString again = dir.filePath(u"again.json"_s);
        QVERIFY(second.document->save(again, &error));
        QFile a(saved), b(again);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(b.readAll(), a.readAll());
        // Only the two files: QSaveFile leaves no temporary behind.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 2);
    }

    void unknownKeysAndOrderSurvive()
    {
        const TaskLoadResult r = TaskLoader::loadFile(QDir(dataDir()).filePath(u"tasks/unknown-keys.json"_s));
        QVERIFY(r.ok());
        const TaskDocument& doc = *r.document;
        // The file starts with an unknown key and ends with one; both stay where they were.
        QCOMPARE(keysOf(doc.json()),
                 QStringList({u"x-owner"_s,
                              u"task_name"_s,
                              u"description"_s,
                              u"model"_s,
                              u"base_runtime"_s,
                              u"runtime_image_tag"_s,
                              u"deployment_mode"_s,
                              u"quant_config"_s,
                              u"parameters"_s,
                              u"optimization"_s,
                              u"benchmark"_s,
                              u"notes"_s}));
        QCOMPARE(doc.unknownKeys(), QStringList({u"x-owner"_s, u"notes"_s}));
        const TaskDocument reloaded = load(doc.toJson());
        QCOMPARE(keysOf(reloaded.json()["quant_config"]),
                 QStringList({u"moe_dtype"_s, u"kvcache_dtype"_s, u"x-note"_s}));
        QCOMPARE(reloaded.json()["model"]["revision"].get<std::string>(), std::string("main"));
        QCOMPARE(reloaded.json()["optimization"]["x-retry"]["attempts"].get<int>(), 3);
        QCOMPARE(reloaded.description(), u"Ünïcode — 日本語 — emoji 🚀 and escapes \" \\ / \t"_s);
        // Numbers keep their kind and value: integers stay integers (also uint64 max), floats stay exact.
        const json& extra = reloaded.json()["benchmark"]["additional_params"];
        QVERIFY(extra["seed"].is_number_integer());
        QCOMPARE(extra["seed"].get<qint64>(), qint64(-12));
        QCOMPARE(extra["big"].get<quint64>(), std::numeric_limits<quint64>::max());
        QCOMPARE(extra["top_p"].get<double>(), 1e-05);
        QVERIFY(reloaded.json()["optimization"]["timeout_per_iteration"].is_number_float());
        QVERIFY(reloaded.json()["notes"] == doc.json()["notes"]);
    }

    void typedReaders()
    {
        const TaskDocument doc = load(R"({"task_name": "t", "model": {"id_or_path": "m/x", "namespace": "ns"},
            "base_runtime": "sglang", "runtime_image_tag": "v1", "parameters": {},
            "optimization": {"strategy": "bayesian"}, "benchmark": {}})");
        QCOMPARE(doc.taskName(), u"t"_s);
        QCOMPARE(doc.modelIdOrPath(), u"m/x"_s);
        QCOMPARE(doc.modelNamespace(), u"ns"_s);
        QCOMPARE(doc.baseRuntime(), u"sglang"_s);
        QCOMPARE(doc.runtimeImageTag(), u"v1"_s);
        QCOMPARE(doc.strategy(), u"bayesian"_s);
        // The autotuner's defaults (reference/autotuner.md §1.1, §1.4).
        QCOMPARE(doc.deploymentMode(), u"docker"_s);
        QCOMPARE(doc.objective(), u"minimize_latency"_s);
        // Mistyped values read as empty instead of throwing.
        const TaskDocument odd = load(R"({"task_name": 5, "model": [1], "optimization": "x"})");
        QCOMPARE(odd.taskName(), QString());
        QCOMPARE(odd.modelIdOrPath(), QString());
        QCOMPARE(odd.strategy(), u"grid_search"_s);
        QVERIFY(odd.parameters().isEmpty());
        QCOMPARE(odd.quantSpec().shape, QuantSpecShape::None);
    }

    void quantShapes_data()
    {
        QTest::addColumn<QByteArray>("quantConfig");
        QTest::addColumn<int>("shape");
        QTest::addColumn<QString>("summary");
        // reference/autotuner.md §2.1: every shape the autotuner accepts.
        QTest::addRow("absent") << QByteArray() << int(QuantSpecShape::None) << u""_s;
        QTest::addRow("null") << QByteArray("null") << int(QuantSpecShape::None) << u""_s;
        QTest::addRow("empty object") << QByteArray("{}") << int(QuantSpecShape::None) << u""_s;
        QTest::addRow("explicit scalars")
            << QByteArray(
                   R"({"gemm_dtype":"fp8","kvcache_dtype":"fp8_e5m2","attention_dtype":"fp8","moe_dtype":"auto"})")
            << int(QuantSpecShape::Explicit)
            << u"gemm_dtype=fp8 kvcache_dtype=fp8_e5m2 attention_dtype=fp8 moe_dtype=auto"_s;
        QTest::addRow("explicit lists") << QByteArray(
                                               R"({"gemm_dtype":["auto","fp8"],"kvcache_dtype":["auto","fp8_e5m2"]})")
                                        << int(QuantSpecShape::Explicit)
                                        << u"gemm_dtype=[auto,fp8] kvcache_dtype=[auto,fp8_e5m2]"_s;
        QTest::addRow("empty list") << QByteArray(R"({"kvcache_dtype":[]})") << int(QuantSpecShape::Explicit)
                                    << u"kvcache_dtype=[]"_s;
        QTest::addRow("presets") << QByteArray(R"({"presets":["default","kv-cache-fp8"]})")
                                 << int(QuantSpecShape::Presets) << u"presets=default,kv-cache-fp8"_s;
        QTest::addRow("scalar presets") << QByteArray(R"({"presets":"kv-cache-fp8"})") << int(QuantSpecShape::Presets)
                                        << u"presets=kv-cache-fp8 (scalar)"_s;
        QTest::addRow("preset") << QByteArray(R"({"preset":"kv-cache-fp8"})") << int(QuantSpecShape::Preset)
                                << u"preset=kv-cache-fp8"_s;
        QTest::addRow("preset with a field")
            << QByteArray(R"({"preset":"bf16-stable","attention_dtype":"fp8"})") << int(QuantSpecShape::Preset)
            << u"preset=bf16-stable attention_dtype=fp8"_s;
    }

    // Every shape is read, and written back in the same shape (scalars stay scalars, lists stay lists).
    void quantShapes()
    {
        QFETCH(QByteArray, quantConfig);
        QFETCH(int, shape);
        QFETCH(QString, summary);
        QByteArray text = R"({"task_name": "t")";
        if (!quantConfig.isNull())
            text += R"(, "quant_config": )" + quantConfig;
        text += "}";
        const TaskDocument doc = load(text);
        const TaskQuantSpec spec = doc.quantSpec();
        QCOMPARE(int(spec.shape), shape);
        QStringList parts;
        if (spec.shape == QuantSpecShape::Presets)
            parts << u"presets="_s + spec.presets.join(u',') + (spec.presetsIsList ? QString() : u" (scalar)"_s);
        if (spec.shape == QuantSpecShape::Preset)
            parts << u"preset="_s + spec.preset;
        for (const QuantField f : kQuantFields) {
            if (!spec.fields.contains(f))
                continue;
            const QStringList v = spec.fields.value(f);
            parts << fieldKey(f) + u'=' + (spec.listFields.contains(f) ? u'[' + v.join(u',') + u']' : v.value(0));
        }
        QCOMPARE(parts.join(u' '), summary);

        TaskDocument copy = doc;
        copy.setQuantSpec(spec);
        if (shape != int(QuantSpecShape::None))
            QVERIFY(copy.json()["quant_config"] == doc.json()["quant_config"]);
        QCOMPARE(copy.quantSpec(), spec);
    }

    void parameterForms()
    {
        const TaskDocument doc = load(R"({"parameters": {
            "tp-size": [1, 2],
            "mem-fraction-static": {"type": "choice", "values": [0.7, 0.8]},
            "max-num-seqs": {"type": "integer", "low": 64, "high": 512},
            "enable-x": {"type": "categorical", "choices": [true, false]},
            "bare": 3,
            "weird": {"values": [1]},
            "__quant__kvcache_dtype": ["fp8_e5m2"]}})");
        const QList<TaskParameter> params = doc.parameters();
        QCOMPARE(params.size(), 7);
        QCOMPARE(params.at(0).form, TaskParameter::Form::List);
        QVERIFY(params.at(0).values() == QList<json>({json(1), json(2)}));
        QCOMPARE(params.at(1).form, TaskParameter::Form::Legacy);
        QCOMPARE(params.at(1).legacyType, u"choice"_s);
        QVERIFY(params.at(1).values() == QList<json>({json(0.7), json(0.8)}));
        QVERIFY(params.at(2).values() == QList<json>({json(64)})); // a range previews its low end
        QVERIFY(params.at(3).values() == QList<json>({json(true), json(false)}));
        QCOMPARE(params.at(4).form, TaskParameter::Form::Scalar);
        QCOMPARE(params.at(5).form, TaskParameter::Form::Invalid);
        QVERIFY(params.at(6).isReserved());
        QVERIFY(!params.at(0).isReserved());
        QVERIFY(!doc.hasLegacyParameters());
        QVERIFY(load(R"({"parameters": {"a": {"type": "choice", "values": [1]}}})").hasLegacyParameters());
    }

    void setValueKeepsPosition()
    {
        TaskDocument doc = load(R"({"a": 1, "task_name": "x", "b": 2})");
        doc.setTaskName(u"y"_s);
        doc.setValue(u"c"_s, 3);
        QCOMPARE(keysOf(doc.json()), QStringList({u"a"_s, u"task_name"_s, u"b"_s, u"c"_s}));
        QCOMPARE(doc.taskName(), u"y"_s);
        doc.remove(u"a"_s);
        QVERIFY(!doc.contains(u"a"_s));
    }

    void saveIsAtomic()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"task.json"_s);
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("{\"task_name\": \"old\"}\n");
        old.close();

        const TaskDocument doc = load(R"({"task_name": "new", "x": [1, 2]})");
        QString error;
        QVERIFY(doc.save(path, &error));
        QCOMPARE(TaskLoader::loadFile(path).document->taskName(), u"new"_s);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList({u"task.json"_s}));

        // A target that cannot be written fails with a message and leaves nothing behind.
        const QString missing = dir.filePath(u"no/such/folder/task.json"_s);
        QVERIFY(!doc.save(missing, &error));
        QVERIFY(error.contains(missing));
        QVERIFY(!QFileInfo::exists(missing));
        QCOMPARE(TaskLoader::loadFile(path).document->taskName(), u"new"_s);
    }

    void syntaxErrorHasLineAndColumn()
    {
        const TaskLoadResult r = TaskLoader::loadData("{\n  \"a\": 1,\n  \"b\": NaN\n}\n");
        QVERIFY(!r.document);
        QCOMPARE(r.problems.size(), 1);
        QCOMPARE(r.problems.at(0).line, 3);
        QCOMPARE(r.problems.at(0).column, 8);
        QCOMPARE(r.problems.at(0).pointer, u"/b"_s);
        QVERIFY(r.problems.at(0).toString().startsWith(u"line 3, column 8: /b: 'NaN' is not valid JSON"_s));
        // Columns count characters, not bytes.
        const TaskLoadResult u = TaskLoader::loadData("{\"ü€\": tru}");
        QCOMPARE(u.problems.value(0).line, 1);
        QCOMPARE(u.problems.value(0).column, 8);
    }

    void invalidUtf8ReportsTheByte()
    {
        const TaskLoadResult r = TaskLoader::loadData("{\"a\": \"x\xFFy\"}");
        QVERIFY(!r.document);
        QVERIFY2(r.problems.value(0).message.startsWith(u"byte 8: invalid UTF-8"_s),
                 qPrintable(r.problems.value(0).message));
        QCOMPARE(r.problems.value(0).column, 9);
    }

    void nestingLimit()
    {
        // 64 levels are read; 65 are refused before the recursive parser sees them.
        const QByteArray ok = "{\"a\":" + QByteArray(63, '[') + QByteArray(63, ']') + "}";
        QVERIFY(TaskLoader::loadData(ok).document.has_value());
        const QByteArray deep = "{\"a\":" + QByteArray(64, '[') + QByteArray(64, ']') + "}";
        const TaskLoadResult r = TaskLoader::loadData(deep);
        QVERIFY(!r.document);
        QVERIFY(r.problems.value(0).message.contains(u"deeper than 64 levels"_s));
        QCOMPARE(r.problems.value(0).column, 69);
        // Brackets inside strings do not count.
        const QByteArray inString = "{\"a\": \"" + QByteArray(100000, '[') + "\"}";
        QVERIFY(TaskLoader::loadData(inString).document.has_value());
    }

    void sizeLimit()
    {
        QByteArray big(TaskLoader::kMaxFileSize + 1, ' ');
        big[0] = '{';
        big[big.size() - 1] = '}';
        const TaskLoadResult r = TaskLoader::loadData(big);
        QVERIFY(!r.document);
        QVERIFY(r.problems.value(0).message.contains(u"16 MiB"_s));

        QTemporaryDir dir;
        QFile sparse(dir.filePath(u"huge.json"_s));
        QVERIFY(sparse.open(QIODevice::WriteOnly));
        QVERIFY(sparse.resize(17 * 1024 * 1024));
        sparse.close();
        const TaskLoadResult f = TaskLoader::loadFile(sparse.fileName());
        QVERIFY(!f.document);
        QVERIFY(f.problems.value(0).message.contains(u"16 MiB"_s));
    }

    void duplicateKeysAndHugeIntegersAreErrors()
    {
        const TaskLoadResult r = TaskLoader::loadData("{\n\"a\": 1,\n\"a\": 2,\n\"n\": 18446744073709551616}");
        QVERIFY(r.document); // the text parses, but reading it would lose data
        QVERIFY(!r.ok());
        QCOMPARE(r.problems.size(), 2);
        QCOMPARE(r.problems.at(0).pointer, u"/a"_s);
        QCOMPARE(r.problems.at(0).line, 3);
        QVERIFY(r.problems.at(0).message.contains(u"duplicate key 'a'"_s));
        QCOMPARE(r.problems.at(1).pointer, u"/n"_s);
        QVERIFY(r.problems.at(1).message.contains(u"64 bits"_s));
        // The largest uint64 and the smallest int64 fit.
        QVERIFY(TaskLoader::loadData("{\"n\": 18446744073709551615, \"m\": -9223372036854775808}").ok());
        QVERIFY(!TaskLoader::loadData("{\"m\": -9223372036854775809}").ok());
    }

    void locateFindsKeysAndAncestors()
    {
        const QByteArray text = "{\n  \"optimization\": {\n    \"strategy\": \"x\"\n  },\n  \"a/b\": [10, 20]\n}\n";
        QList<TaskProblem> problems(4);
        problems[0].pointer = u"/optimization/strategy"_s;
        problems[1].pointer = u"/optimization/timeout_per_iteration"_s; // missing: its parent's place
        problems[2].pointer = u"/a~1b/1"_s;
        problems[3].pointer = u"/missing"_s; // the root
        TaskLoader::locate(problems, text);
        QCOMPARE(QList<int>({problems[0].line, problems[0].column}), QList<int>({3, 5}));
        QCOMPARE(QList<int>({problems[1].line, problems[1].column}), QList<int>({2, 3}));
        QCOMPARE(QList<int>({problems[2].line, problems[2].column}), QList<int>({5, 15}));
        QCOMPARE(QList<int>({problems[3].line, problems[3].column}), QList<int>({1, 1}));
    }

    void pointerEscaping()
    {
        QCOMPARE(JsonLocator::pointer({u"a/b"_s, u"m~n"_s}), u"/a~1b/m~0n"_s);
        QCOMPARE(JsonLocator::parentPointer(u"/a/b"_s), u"/a"_s);
        QCOMPARE(JsonLocator::parentPointer(u"/a"_s), QString());
    }

    void problemFormats()
    {
        TaskProblem p;
        p.severity = Severity::Error;
        p.pointer = u"/optimization/strategy"_s;
        p.message = u"'random_search' is not accepted by the autotuner (use random)"_s;
        QCOMPARE(p.toCompilerStyle(u"t.json"_s),
                 u"t.json: error: /optimization/strategy: 'random_search' is not accepted by the autotuner (use "
                 "random)"_s);
        p.line = 3;
        p.column = 14;
        QCOMPARE(p.toCompilerStyle(u"t.json"_s),
                 u"t.json:3:14: error: /optimization/strategy: 'random_search' is not accepted by the autotuner (use "
                 "random)"_s);
        QCOMPARE(p.toString(),
                 u"line 3, column 14: /optimization/strategy: 'random_search' is not accepted by the autotuner (use "
                 "random)"_s);
    }
};

QTEST_GUILESS_MAIN(TestTaskDocument)
#include "TestTaskDocument.moc"

// Drives the real quantdesk-cli binary (DESIGN §7) with QProcess and checks what a user or a script sees: exit codes,
// stdout JSON/text and stderr messages. Every expected value comes from DESIGN §1/§2/§7 and
// reference/engine-flags.md §6, never from the program's own output.
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <optional>

#include "tests/TestConfig.h"

using namespace Qt::StringLiterals;

namespace
{

// ---- Facts from the documents ----------------------------------------------------------------------------------

// DESIGN §1: the four fields, the CLI option that sets each, and their values in the documented order.
struct FieldSpec
{
    QString key;
    QString option;
    QStringList values;
};

const QList<FieldSpec>& fieldSpecs()
{
    static const QList<FieldSpec> fields{
        {u"gemm_dtype"_s, u"gemm"_s, {u"auto"_s, u"float16"_s, u"bfloat16"_s, u"float32"_s, u"fp8"_s, u"int8"_s}},
        {u"kvcache_dtype"_s,
         u"kvcache"_s,
         {u"auto"_s, u"fp16"_s, u"bfloat16"_s, u"fp8"_s, u"fp8_e5m2"_s, u"fp8_e4m3"_s, u"int8"_s, u"int4"_s}},
        {u"attention_dtype"_s,
         u"attention"_s,
         {u"auto"_s, u"float16"_s, u"bfloat16"_s, u"fp8"_s, u"fp8_e5m2"_s, u"fp8_e4m3"_s, u"fp8_block"_s}},
        {u"moe_dtype"_s,
         u"moe"_s,
         {u"auto"_s, u"float16"_s, u"bfloat16"_s, u"fp8"_s, u"w4afp8"_s, u"mxfp4"_s, u"int8"_s}},
    };
    return fields;
}

QStringList fieldKeys()
{
    QStringList keys;
    for (const FieldSpec& f : fieldSpecs())
        keys << f.key;
    return keys;
}

// DESIGN §1: the built-in presets, in order, with gemm, kvcache, attention, moe.
struct BuiltInPreset
{
    QString name;
    QStringList values;
};

const QList<BuiltInPreset>& builtInPresets()
{
    static const QList<BuiltInPreset> presets{
        {u"default"_s, {u"auto"_s, u"auto"_s, u"auto"_s, u"auto"_s}},
        {u"kv-cache-fp8"_s, {u"auto"_s, u"fp8_e5m2"_s, u"auto"_s, u"auto"_s}},
        {u"dynamic-fp8"_s, {u"fp8"_s, u"fp8_e5m2"_s, u"fp8"_s, u"fp8"_s}},
        {u"bf16-stable"_s, {u"bfloat16"_s, u"fp8_e5m2"_s, u"auto"_s, u"auto"_s}},
        {u"aggressive-moe"_s, {u"bfloat16"_s, u"fp8_e5m2"_s, u"fp8"_s, u"w4afp8"_s}},
    };
    return presets;
}

QStringList builtInPresetNames()
{
    QStringList names;
    for (const BuiltInPreset& p : builtInPresets())
        names << p.name;
    return names;
}

const QStringList kEngines{u"vllm"_s, u"sglang"_s, u"trtllm"_s};
// DESIGN §2: support levels; diagnostics severities.
const QStringList kLevels{u"native"_s, u"translated"_s, u"checkpoint"_s, u"implicit"_s, u"unsupported"_s};
const QStringList kSeverities{u"info"_s, u"warning"_s, u"error"_s};
// engine-flags.md §4.2 / §7 #11: the seed's TensorRT-LLM options, which do not exist.
const QStringList kTrtllmSeedFlags{u"--quant-algo"_s, u"--kv-cache-quant-algo"_s, u"--fmha-quant-algo"_s};
// DESIGN §7 and the README: the documented keys of `preview --format json`, in order ("model" and "memory"
// are the README's additions for issue 9).
const QStringList kPreviewKeys{u"engine"_s,
                               u"engine_version"_s,
                               u"preset"_s,
                               u"quant_config"_s,
                               u"argv"_s,
                               u"command"_s,
                               u"config_yaml"_s,
                               u"flags"_s,
                               u"diagnostics"_s,
                               u"support"_s,
                               u"model"_s,
                               u"memory"_s};

// ---- Helpers ---------------------------------------------------------------------------------------------------

QString cliPath()
{
    return QString::fromUtf8(QUANTDESK_CLI_PATH);
}

QString dataDir()
{
    const QString fromEnv = qEnvironmentVariable("QUANTDESK_TEST_DATA");
    return fromEnv.isEmpty() ? QString::fromUtf8(QUANTDESK_TEST_DATA_DIR) : fromEnv;
}

QString dataFile(const QString& relative)
{
    return QDir(dataDir()).filePath(relative);
}

struct CliRun
{
    QStringList args;
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    [[nodiscard]] QString stdErr() const { return QString::fromUtf8(err); }
    [[nodiscard]] QString stdOut() const { return QString::fromUtf8(out); }
    [[nodiscard]] QString describe() const
    {
        return u"quantdesk-cli %1\n  exit code %2\n  stderr: %3"_s.arg(
            args.join(u' '), QString::number(exitCode), stdErr().trimmed());
    }
};

QStringList stringList(const QJsonValue& value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue& v : array)
        out << v.toString();
    return out;
}

// True when argv holds `flag value` as neighbours. `value` may list alternatives as "a|b"; "*" accepts any value.
bool hasFlagValue(const QStringList& argv, const QString& flag, const QString& value)
{
    const QStringList accepted = value.split(u'|');
    for (qsizetype i = 0; i + 1 < argv.size(); ++i) {
        if (argv.at(i) == flag && (value == u"*" || accepted.contains(argv.at(i + 1))))
            return true;
    }
    return false;
}

// True when argv holds the flag in any spelling the parsers accept: "--flag" or "--flag=value".
bool hasFlag(const QStringList& argv, const QString& flag)
{
    for (const QString& a : argv) {
        if (a == flag || a.startsWith(flag + u'='))
            return true;
    }
    return false;
}

QList<QJsonObject> diagnostics(const QJsonObject& doc)
{
    QList<QJsonObject> out;
    const QJsonArray array = doc.value(u"diagnostics"_s).toArray();
    for (const QJsonValue& v : array)
        out << v.toObject();
    return out;
}

QStringList diagnosticIds(const QJsonObject& doc)
{
    QStringList ids;
    for (const QJsonObject& d : diagnostics(doc))
        ids << d.value(u"id"_s).toString() + u'/' + d.value(u"severity"_s).toString();
    return ids;
}

bool hasDiagnostic(const QJsonObject& doc, const QString& severity, const QString& field)
{
    for (const QJsonObject& d : diagnostics(doc)) {
        if ((severity.isEmpty() || d.value(u"severity"_s).toString() == severity) &&
            (field.isEmpty() || d.value(u"field"_s).toString() == field))
            return true;
    }
    return false;
}

QString compact(const QJsonObject& doc)
{
    return QString::fromUtf8(QJsonDocument(doc).toJson(QJsonDocument::Compact));
}

// Words of a message: runs of letters, digits, '_', '-' and '.'.
QSet<QString> words(const QString& text)
{
    static const QRegularExpression wordRe(u"[A-Za-z0-9_.-]+"_s);
    QSet<QString> out;
    auto it = wordRe.globalMatch(text);
    while (it.hasNext())
        out.insert(it.next().captured().remove(QRegularExpression(u"\\.$"_s)));
    return out;
}

// Splits a POSIX shell command line into words the way sh would, and refuses anything sh would expand or treat as
// syntax outside quotes (or $ and ` inside double quotes). A successful split therefore proves the shell sees
// exactly these words and runs nothing else.
std::optional<QStringList> shellSplit(const QString& command)
{
    static const QString special = u"$`;&|<>()*?[]{}!#\n"_s;
    QStringList out;
    QString word;
    bool inWord = false;
    for (qsizetype i = 0; i < command.size(); ++i) {
        const QChar c = command.at(i);
        if (c == u' ' || c == u'\t') {
            if (inWord)
                out << word;
            word.clear();
            inWord = false;
        } else if (c == u'\'') {
            const qsizetype end = command.indexOf(u'\'', i + 1);
            if (end < 0)
                return std::nullopt;
            word += command.mid(i + 1, end - i - 1);
            i = end;
            inWord = true;
        } else if (c == u'"') {
            for (++i; i < command.size() && command.at(i) != u'"'; ++i) {
                const QChar d = command.at(i);
                if (d == u'$' || d == u'`')
                    return std::nullopt;
                if (d == u'\\' && i + 1 < command.size() && u"$`\"\\"_s.contains(command.at(i + 1)))
                    ++i;
                word += command.at(i);
            }
            if (i >= command.size())
                return std::nullopt;
            inWord = true;
        } else if (c == u'\\') {
            if (++i >= command.size())
                return std::nullopt;
            word += command.at(i);
            inWord = true;
        } else if (special.contains(c) || (c == u'~' && !inWord)) {
            return std::nullopt;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        out << word;
    return out;
}

// The folders a user preset is read from. The brief documents $XDG_DATA_HOME/QuantDesk/presets; the CLI reads
// QStandardPaths::AppDataLocation + "/presets", which with organization and application both "QuantDesk" is
// $XDG_DATA_HOME/QuantDesk/QuantDesk/presets (see userPresetDocumentedLocation). Fixtures go into both so the other
// tests exercise the preset handling whichever folder is read.
const QString kDocumentedPresetDir = u"QuantDesk/presets"_s;
const QString kAppDataPresetDir = u"QuantDesk/QuantDesk/presets"_s;

QByteArray presetJson(const QString& name, const QString& description, const QStringList& values)
{
    QJsonObject qc;
    for (qsizetype i = 0; i < fieldSpecs().size(); ++i)
        qc.insert(fieldSpecs().at(i).key, values.at(i));
    QJsonObject doc;
    doc.insert(u"name"_s, name);
    doc.insert(u"description"_s, description);
    doc.insert(u"quant_config"_s, qc);
    return QJsonDocument(doc).toJson();
}

} // namespace

// Calls a helper that checks with QVERIFY/QCOMPARE and ends the calling test function when it failed.
#define CHECKED(call)                                                                                                  \
    do {                                                                                                               \
        call;                                                                                                          \
        if (QTest::currentTestFailed())                                                                                \
            return;                                                                                                    \
    } while (false)

class TestCli : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_home;

    [[nodiscard]] QString homePath(const QString& relative = {}) const
    {
        return relative.isEmpty() ? m_home->path() : QDir(m_home->path()).filePath(relative);
    }

    [[nodiscard]] CliRun run(const QStringList& args) const
    {
        CliRun result;
        result.args = args;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"HOME"_s, homePath());
        env.insert(u"XDG_DATA_HOME"_s, homePath(u"data"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, homePath(u"config"_s));
        env.insert(u"XDG_CACHE_HOME"_s, homePath(u"cache"_s));
        env.insert(u"XDG_STATE_HOME"_s, homePath(u"state"_s));
        // Model ids must not resolve through the developer's Hugging Face cache.
        for (const QString& var :
             {u"HF_HOME"_s, u"HF_HUB_CACHE"_s, u"HUGGINGFACE_HUB_CACHE"_s, u"TRANSFORMERS_CACHE"_s})
            env.remove(var);
        env.insert(u"HF_HUB_OFFLINE"_s, u"1"_s);
        QProcess process;
        process.setProcessEnvironment(env);
        process.setWorkingDirectory(homePath());
        process.start(cliPath(), args);
        if (!process.waitForStarted(30000))
            return result;
        process.closeWriteChannel();
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished(5000);
            return result;
        }
        result.finished = process.exitStatus() == QProcess::NormalExit;
        result.exitCode = process.exitCode();
        result.out = process.readAllStandardOutput();
        result.err = process.readAllStandardError();
        return result;
    }

    void writeFile(const QString& path, const QByteArray& content) const
    {
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        QFile file(path);
        QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(file.errorString()));
        QCOMPARE(file.write(content), qint64(content.size()));
    }

    void writeUserPreset(const QString& fileName, const QByteArray& content) const
    {
        CHECKED(writeFile(homePath(u"data/"_s + kDocumentedPresetDir + u'/' + fileName), content));
        CHECKED(writeFile(homePath(u"data/"_s + kAppDataPresetDir + u'/' + fileName), content));
    }

    // Runs ARGS (a full command line), checks the exit code (-1: 0 or 1) and that stdout is one JSON object.
    void runJson(const QStringList& args, int expectedExit, QJsonObject* doc, CliRun* runOut = nullptr) const
    {
        const CliRun r = run(args);
        if (runOut)
            *runOut = r;
        QVERIFY2(r.finished, qPrintable(r.describe()));
        if (expectedExit < 0)
            QVERIFY2(r.exitCode == 0 || r.exitCode == 1, qPrintable(r.describe()));
        else
            QVERIFY2(r.exitCode == expectedExit,
                     qPrintable(u"expected exit code %1\n"_s.arg(expectedExit) + r.describe()));
        QJsonParseError error;
        const QJsonDocument parsed = QJsonDocument::fromJson(r.out, &error);
        QVERIFY2(error.error == QJsonParseError::NoError && parsed.isObject(),
                 qPrintable(u"stdout is not a JSON object (%1)\n"_s.arg(error.errorString()) + r.describe() +
                            u"\n  stdout: "_s + r.stdOut().left(2000)));
        *doc = parsed.object();
    }

    void preview(const QStringList& args, int expectedExit, QJsonObject* doc, CliRun* runOut = nullptr) const
    {
        CHECKED(runJson(QStringList{u"preview"_s, u"--format"_s, u"json"_s} + args, expectedExit, doc, runOut));
    }

    // Checks the cross-cutting promises of every preview: argv is the flags' words, the command is shell-safe and
    // ends with argv, nothing the engines reject (DESIGN: `--dtype fp8`, TRT-LLM's --*-quant-algo) appears.
    void checkPreviewInvariants(const QJsonObject& doc) const
    {
        const QString ctx = compact(doc);
        const QStringList argv = stringList(doc.value(u"argv"_s));
        QStringList fromFlags;
        const QJsonArray flags = doc.value(u"flags"_s).toArray();
        for (const QJsonValue& v : flags) {
            const QJsonObject f = v.toObject();
            fromFlags << f.value(u"flag"_s).toString();
            if (!f.value(u"value"_s).isNull())
                fromFlags << f.value(u"value"_s).toString();
        }
        QVERIFY2(argv == fromFlags, qPrintable(ctx));
        QVERIFY2(argv.isEmpty() || argv.constFirst().startsWith(u"--"_s), qPrintable(ctx));

        const QString command = doc.value(u"command"_s).toString();
        const auto split = shellSplit(command);
        QVERIFY2(split.has_value(), qPrintable(u"command is not safely shell-quoted: "_s + command));
        QVERIFY2(split->size() > argv.size() && split->mid(split->size() - argv.size()) == argv,
                 qPrintable(u"command does not end with argv: "_s + command));

        QVERIFY2(!hasFlagValue(argv, u"--dtype"_s, u"fp8"_s) && !argv.contains(u"--dtype=fp8"_s), qPrintable(ctx));
        QVERIFY2(!command.contains(u"--dtype fp8"_s) && !command.contains(u"--dtype=fp8"_s), qPrintable(ctx));
        if (doc.value(u"engine"_s).toString() == u"trtllm") {
            const QString yaml = doc.value(u"config_yaml"_s).toString();
            for (const QString& bad : kTrtllmSeedFlags) {
                QVERIFY2(!hasFlag(argv, bad), qPrintable(bad + u" in "_s + ctx));
                QVERIFY2(!command.contains(bad), qPrintable(bad + u" in "_s + command));
                QVERIFY2(!yaml.contains(bad), qPrintable(bad + u" in "_s + yaml));
            }
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath()));
        QVERIFY2(QFileInfo(dataFile(u"nvidia-smi-h100/query-gpu.csv"_s)).isFile(), qPrintable(dataDir()));
    }

    void init()
    {
        m_home = std::make_unique<QTemporaryDir>();
        QVERIFY2(m_home->isValid(), qPrintable(m_home->errorString()));
    }

    void cleanup() { m_home.reset(); }

    // ---- presets -----------------------------------------------------------------------------------------------

    void presetsJson()
    {
        QJsonObject doc;
        CliRun r;
        CHECKED(runJson({u"presets"_s, u"--format"_s, u"json"_s}, 0, &doc, &r));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.describe()));
        const QJsonArray presets = doc.value(u"presets"_s).toArray();
        QCOMPARE(presets.size(), builtInPresets().size());
        for (qsizetype i = 0; i < builtInPresets().size(); ++i) {
            const BuiltInPreset& expected = builtInPresets().at(i);
            const QJsonObject p = presets.at(i).toObject();
            QCOMPARE(p.value(u"name"_s).toString(), expected.name);
            QVERIFY2(p.value(u"built_in"_s).isBool() && p.value(u"built_in"_s).toBool(), qPrintable(expected.name));
            QVERIFY2(p.value(u"description"_s).isString() && !p.value(u"description"_s).toString().isEmpty(),
                     qPrintable(expected.name));
            const QJsonObject qc = p.value(u"quant_config"_s).toObject();
            QCOMPARE(qc.keys().size(), fieldSpecs().size());
            for (qsizetype f = 0; f < fieldSpecs().size(); ++f)
                QCOMPARE(qc.value(fieldSpecs().at(f).key).toString(), expected.values.at(f));
        }
    }

    void presetsText()
    {
        const CliRun r = run({u"presets"_s});
        QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
        const QStringList lines = r.stdOut().split(u'\n');
        qsizetype previousLine = -1;
        for (const BuiltInPreset& expected : builtInPresets()) {
            qsizetype found = -1;
            for (qsizetype i = 0; i < lines.size(); ++i) {
                const QStringList cols = lines.at(i).split(u' ', Qt::SkipEmptyParts);
                if (!cols.isEmpty() && cols.constFirst() == expected.name) {
                    found = i;
                    QVERIFY2(cols.size() >= 5 && cols.mid(1, 4) == expected.values, qPrintable(lines.at(i)));
                }
            }
            QVERIFY2(found >= 0, qPrintable(expected.name + u" missing from:\n"_s + r.stdOut()));
            QVERIFY2(found > previousLine, qPrintable(u"presets out of order:\n"_s + r.stdOut()));
            previousLine = found;
        }
    }

    void userPreset()
    {
        const QStringList values{u"fp8"_s, u"auto"_s, u"auto"_s, u"auto"_s};
        CHECKED(writeUserPreset(u"my-fp8.json"_s, presetJson(u"my-fp8"_s, u"FP8 GEMM only"_s, values)));

        QJsonObject doc;
        CliRun r;
        CHECKED(runJson({u"presets"_s, u"--format"_s, u"json"_s}, 0, &doc, &r));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.describe()));
        const QJsonArray presets = doc.value(u"presets"_s).toArray();
        QCOMPARE(presets.size(), builtInPresets().size() + 1);
        for (qsizetype i = 0; i < builtInPresets().size(); ++i)
            QCOMPARE(presets.at(i).toObject().value(u"name"_s).toString(), builtInPresets().at(i).name);
        const QJsonObject mine = presets.at(builtInPresets().size()).toObject();
        QCOMPARE(mine.value(u"name"_s).toString(), u"my-fp8"_s);
        QCOMPARE(mine.value(u"description"_s).toString(), u"FP8 GEMM only"_s);
        QVERIFY(mine.value(u"built_in"_s).isBool());
        QCOMPARE(mine.value(u"built_in"_s).toBool(), false);
        for (qsizetype f = 0; f < fieldSpecs().size(); ++f)
            QCOMPARE(mine.value(u"quant_config"_s).toObject().value(fieldSpecs().at(f).key).toString(), values.at(f));

        const CliRun text = run({u"presets"_s});
        QVERIFY2(text.finished && text.exitCode == 0, qPrintable(text.describe()));
        QVERIFY2(text.stdOut().contains(u"my-fp8"_s), qPrintable(text.stdOut()));

        // Usable by name, and recognised when the fields equal it.
        QJsonObject byName;
        CHECKED(preview({u"--engine"_s, u"vllm"_s, u"--preset"_s, u"my-fp8"_s}, 0, &byName));
        QCOMPARE(byName.value(u"preset"_s).toString(), u"my-fp8"_s);
        QCOMPARE(byName.value(u"quant_config"_s).toObject().value(u"gemm_dtype"_s).toString(), u"fp8"_s);
        QVERIFY2(hasFlagValue(stringList(byName.value(u"argv"_s)), u"--quantization"_s, u"fp8"_s),
                 qPrintable(compact(byName)));
        QJsonObject byFields;
        CHECKED(preview({u"--engine"_s, u"vllm"_s, u"--gemm"_s, u"fp8"_s}, 0, &byFields));
        QCOMPARE(byFields.value(u"preset"_s).toString(), u"my-fp8"_s);
    }

    // The brief documents user presets in $XDG_DATA_HOME/QuantDesk/presets/*.json.
    void userPresetDocumentedLocation()
    {
        CHECKED(writeFile(homePath(u"data/"_s + kDocumentedPresetDir + u"/mine.json"_s),
                          presetJson(u"mine"_s, u"d"_s, {u"fp8"_s, u"auto"_s, u"auto"_s, u"auto"_s})));
        QJsonObject doc;
        CHECKED(runJson({u"presets"_s, u"--format"_s, u"json"_s}, 0, &doc));
        QStringList names;
        const QJsonArray presets = doc.value(u"presets"_s).toArray();
        for (const QJsonValue& p : presets)
            names << p.toObject().value(u"name"_s).toString();
        QVERIFY2(names.contains(u"mine"_s), qPrintable(names.join(u", "_s)));
    }

    void brokenUserPresets_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("presetName");

        QTest::addRow("invalid JSON") << u"broken.json"_s << QByteArray(R"({"name": "broken", "quant_config": {)")
                                      << u"broken"_s;
        QTest::addRow("unknown dtype value")
            << u"weird.json"_s << presetJson(u"weird"_s, u"x"_s, {u"fp7"_s, u"auto"_s, u"auto"_s, u"auto"_s})
            << u"weird"_s;
        QTest::addRow("kvcache value of another field")
            << u"crossed.json"_s << presetJson(u"crossed"_s, u"x"_s, {u"auto"_s, u"w4afp8"_s, u"auto"_s, u"auto"_s})
            << u"crossed"_s;
        QTest::addRow("value not a string")
            << u"typed.json"_s
            << QByteArray(R"({"name": "typed", "quant_config": {"gemm_dtype": 8, "kvcache_dtype": "auto"}})")
            << u"typed"_s;
        QTest::addRow("empty file") << u"empty.json"_s << QByteArray() << u"empty"_s;
    }

    void brokenUserPresets()
    {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, content);
        QFETCH(QString, presetName);
        CHECKED(writeUserPreset(u"good.json"_s,
                                presetJson(u"good"_s, u"ok"_s, {u"bfloat16"_s, u"fp8_e4m3"_s, u"auto"_s, u"auto"_s})));
        CHECKED(writeUserPreset(fileName, content));

        for (const bool asJson : {true, false}) {
            QStringList args{u"presets"_s};
            if (asJson)
                args << u"--format"_s << u"json"_s;
            const CliRun r = run(args);
            QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
            QVERIFY2(r.stdErr().contains(u"warning"_s, Qt::CaseInsensitive), qPrintable(r.describe()));
            QVERIFY2(r.stdErr().contains(fileName), qPrintable(r.describe()));
            QVERIFY2(!r.stdErr().contains(u"good.json"_s), qPrintable(r.describe()));
            if (!asJson) {
                QVERIFY2(r.stdOut().contains(u"good"_s), qPrintable(r.stdOut()));
                QVERIFY2(!words(r.stdOut()).contains(presetName), qPrintable(r.stdOut()));
                continue;
            }
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
            QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(r.stdOut()));
            QStringList names;
            const QJsonArray presets = doc.object().value(u"presets"_s).toArray();
            for (const QJsonValue& p : presets)
                names << p.toObject().value(u"name"_s).toString();
            QCOMPARE(names, builtInPresetNames() + QStringList{u"good"_s});
        }
    }

    // ---- support -------------------------------------------------------------------------------------------------

    void supportJson()
    {
        QJsonObject doc;
        CHECKED(runJson({u"support"_s, u"--format"_s, u"json"_s}, 0, &doc));
        const QJsonArray engines = doc.value(u"engines"_s).toArray();
        QStringList names;
        for (const QJsonValue& e : engines)
            names << e.toObject().value(u"engine"_s).toString();
        QCOMPARE(names, kEngines);
        for (const QJsonValue& ev : engines) {
            const QJsonObject e = ev.toObject();
            const QString engine = e.value(u"engine"_s).toString();
            const QJsonObject fields = e.value(u"fields"_s).toObject();
            QStringList keys = fields.keys();
            keys.sort();
            QStringList expectedKeys = fieldKeys();
            expectedKeys.sort();
            QCOMPARE(keys, expectedKeys);
            for (const FieldSpec& f : fieldSpecs()) {
                const QJsonObject values = fields.value(f.key).toObject().value(u"values"_s).toObject();
                QCOMPARE(values.size(), f.values.size());
                for (const QString& v : f.values) {
                    const QString level = values.value(v).toObject().value(u"level"_s).toString();
                    QVERIFY2(kLevels.contains(level), qPrintable(u"%1 %2=%3: '%4'"_s.arg(engine, f.key, v, level)));
                }
            }
        }
    }

    void supportLevels_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("level");

        // engine-flags.md §6 (and DESIGN §2's definitions of the levels).
        QTest::addRow("sglang kvcache fp8") << u"sglang"_s << u"kvcache_dtype"_s << u"fp8"_s << u"translated"_s;
        QTest::addRow("vllm kvcache fp16") << u"vllm"_s << u"kvcache_dtype"_s << u"fp16"_s << u"translated"_s;
        QTest::addRow("vllm kvcache int8") << u"vllm"_s << u"kvcache_dtype"_s << u"int8"_s << u"translated"_s;
        QTest::addRow("vllm kvcache int4") << u"vllm"_s << u"kvcache_dtype"_s << u"int4"_s << u"translated"_s;
        QTest::addRow("sglang kvcache int8") << u"sglang"_s << u"kvcache_dtype"_s << u"int8"_s << u"unsupported"_s;
        QTest::addRow("sglang kvcache int4") << u"sglang"_s << u"kvcache_dtype"_s << u"int4"_s << u"unsupported"_s;
        QTest::addRow("trtllm kvcache int4") << u"trtllm"_s << u"kvcache_dtype"_s << u"int4"_s << u"unsupported"_s;
        QTest::addRow("trtllm kvcache int8") << u"trtllm"_s << u"kvcache_dtype"_s << u"int8"_s << u"unsupported"_s;
        QTest::addRow("trtllm kvcache fp8_e5m2")
            << u"trtllm"_s << u"kvcache_dtype"_s << u"fp8_e5m2"_s << u"unsupported"_s;
        for (const QString& engine : kEngines) {
            for (const QString& v : {u"fp8_e5m2"_s, u"fp8_block"_s}) {
                QTest::addRow("%s attention %s", qPrintable(engine), qPrintable(v))
                    << engine << u"attention_dtype"_s << v << u"unsupported"_s;
            }
        }
        QTest::addRow("vllm gemm int8") << u"vllm"_s << u"gemm_dtype"_s << u"int8"_s << u"checkpoint"_s;
        QTest::addRow("trtllm gemm fp8") << u"trtllm"_s << u"gemm_dtype"_s << u"fp8"_s << u"checkpoint"_s;
        QTest::addRow("trtllm gemm int8") << u"trtllm"_s << u"gemm_dtype"_s << u"int8"_s << u"unsupported"_s;
        QTest::addRow("vllm moe w4afp8") << u"vllm"_s << u"moe_dtype"_s << u"w4afp8"_s << u"checkpoint"_s;
        QTest::addRow("trtllm moe int8") << u"trtllm"_s << u"moe_dtype"_s << u"int8"_s << u"unsupported"_s;
        QTest::addRow("vllm gemm fp8") << u"vllm"_s << u"gemm_dtype"_s << u"fp8"_s << u"native"_s;
        QTest::addRow("sglang kvcache fp8_e4m3") << u"sglang"_s << u"kvcache_dtype"_s << u"fp8_e4m3"_s << u"native"_s;
    }

    void supportLevels()
    {
        QFETCH(QString, engine);
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, level);
        QJsonObject doc;
        CHECKED(runJson({u"support"_s, u"--format"_s, u"json"_s}, 0, &doc));
        const QJsonArray engines = doc.value(u"engines"_s).toArray();
        bool found = false;
        for (const QJsonValue& ev : engines) {
            const QJsonObject e = ev.toObject();
            if (e.value(u"engine"_s).toString() != engine)
                continue;
            found = true;
            const QJsonObject v = e.value(u"fields"_s)
                                      .toObject()
                                      .value(field)
                                      .toObject()
                                      .value(u"values"_s)
                                      .toObject()
                                      .value(value)
                                      .toObject();
            QCOMPARE(v.value(u"level"_s).toString(), level);
        }
        QVERIFY(found);
    }

    void supportSeedClaim()
    {
        // DESIGN §2: the seed's matrix told users vLLM attention is unsupported (❌).
        QJsonObject doc;
        CHECKED(runJson({u"support"_s, u"--engine"_s, u"vllm"_s, u"--format"_s, u"json"_s}, 0, &doc));
        const QJsonObject attention = doc.value(u"engines"_s)
                                          .toArray()
                                          .at(0)
                                          .toObject()
                                          .value(u"fields"_s)
                                          .toObject()
                                          .value(u"attention_dtype"_s)
                                          .toObject();
        QCOMPARE(attention.value(u"seed"_s).toObject().value(u"claim"_s).toString(), u"unsupported"_s);
    }

    void supportOneEngine()
    {
        QJsonObject doc;
        CHECKED(runJson({u"support"_s, u"--engine"_s, u"sglang"_s, u"--format"_s, u"json"_s}, 0, &doc));
        const QJsonArray engines = doc.value(u"engines"_s).toArray();
        QCOMPARE(engines.size(), qsizetype(1));
        QCOMPARE(engines.at(0).toObject().value(u"engine"_s).toString(), u"sglang"_s);
    }

    void supportText()
    {
        const CliRun r = run({u"support"_s, u"--engine"_s, u"trtllm"_s});
        QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
        const QSet<QString> w = words(r.stdOut());
        for (const FieldSpec& f : fieldSpecs())
            QVERIFY2(w.contains(f.key), qPrintable(r.stdOut()));
        for (const QString& level : {u"unsupported"_s, u"checkpoint"_s})
            QVERIFY2(w.contains(level), qPrintable(r.stdOut()));
    }

    // ---- preview: JSON document --------------------------------------------------------------------------------

    void previewJsonShape_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        for (const QString& engine : kEngines) {
            for (const BuiltInPreset& p : builtInPresets()) {
                QTest::addRow("%s %s", qPrintable(engine), qPrintable(p.name))
                    << QStringList{u"--engine"_s, engine, u"--preset"_s, p.name} << -1;
            }
        }
        QTest::addRow("trtllm yaml") << QStringList{u"--engine"_s,
                                                    u"trtllm"_s,
                                                    u"--engine-version"_s,
                                                    u"1.3.0rc3"_s,
                                                    u"--gemm"_s,
                                                    u"bfloat16"_s,
                                                    u"--kvcache"_s,
                                                    u"fp8"_s}
                                     << 0;
        QTest::addRow("vllm override") << QStringList{u"--engine"_s,
                                                      u"vllm"_s,
                                                      u"--preset"_s,
                                                      u"kv-cache-fp8"_s,
                                                      u"--param"_s,
                                                      u"kv-cache-dtype=fp8_e4m3"_s}
                                       << 0;
        QTest::addRow("sglang model and gpu") << QStringList{u"--engine"_s,
                                                             u"sglang"_s,
                                                             u"--kvcache"_s,
                                                             u"fp8"_s,
                                                             u"--model"_s,
                                                             u"meta-llama/Llama-3.1-8B-Instruct"_s,
                                                             u"--gpu-info"_s,
                                                             dataFile(u"nvidia-smi-h100/query-gpu.csv"_s)}
                                              << 0;
    }

    void previewJsonShape()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QJsonObject doc;
        CHECKED(preview(args, exitCode, &doc));
        const QString ctx = compact(doc);

        QStringList missing;
        for (const QString& key : kPreviewKeys) {
            if (!doc.contains(key))
                missing << key;
        }
        QVERIFY2(missing.isEmpty(), qPrintable(u"missing keys "_s + missing.join(u", "_s) + u": "_s + ctx));

        QVERIFY2(kEngines.contains(doc.value(u"engine"_s).toString()), qPrintable(ctx));
        QCOMPARE(doc.value(u"engine"_s).toString(), args.at(args.indexOf(u"--engine"_s) + 1));
        QVERIFY2(doc.value(u"engine_version"_s).isString() && !doc.value(u"engine_version"_s).toString().isEmpty(),
                 qPrintable(ctx));
        QVERIFY2(doc.value(u"preset"_s).isString() || doc.value(u"preset"_s).isNull(), qPrintable(ctx));
        const QJsonObject qc = doc.value(u"quant_config"_s).toObject();
        QStringList qcKeys = qc.keys();
        qcKeys.sort();
        QStringList fields = fieldKeys();
        fields.sort();
        QCOMPARE(qcKeys, fields);
        for (const FieldSpec& f : fieldSpecs())
            QVERIFY2(f.values.contains(qc.value(f.key).toString()), qPrintable(ctx));
        QVERIFY2(doc.value(u"argv"_s).isArray(), qPrintable(ctx));
        const QJsonArray argv = doc.value(u"argv"_s).toArray();
        for (const QJsonValue& a : argv)
            QVERIFY2(a.isString(), qPrintable(ctx));
        QVERIFY2(doc.value(u"command"_s).isString() && !doc.value(u"command"_s).toString().isEmpty(), qPrintable(ctx));
        QVERIFY2(doc.value(u"config_yaml"_s).isString() || doc.value(u"config_yaml"_s).isNull(), qPrintable(ctx));

        QVERIFY2(doc.value(u"flags"_s).isArray(), qPrintable(ctx));
        const QJsonArray flags = doc.value(u"flags"_s).toArray();
        for (const QJsonValue& fv : flags) {
            QVERIFY2(fv.isObject(), qPrintable(ctx));
            const QJsonObject f = fv.toObject();
            QStringList fk = f.keys();
            fk.sort();
            QCOMPARE(fk, (QStringList{u"flag"_s, u"note"_s, u"overrides"_s, u"source"_s, u"value"_s}));
            QVERIFY2(f.value(u"flag"_s).isString() && f.value(u"flag"_s).toString().startsWith(u"--"_s),
                     qPrintable(ctx));
            QVERIFY2(f.value(u"value"_s).isString() || f.value(u"value"_s).isNull(), qPrintable(ctx));
            QVERIFY2(f.value(u"source"_s).isString() && !f.value(u"source"_s).toString().isEmpty(), qPrintable(ctx));
            QVERIFY2(f.value(u"note"_s).isString() || f.value(u"note"_s).isNull(), qPrintable(ctx));
            QVERIFY2(f.value(u"overrides"_s).isString() || f.value(u"overrides"_s).isNull(), qPrintable(ctx));
        }

        QVERIFY2(doc.value(u"diagnostics"_s).isArray(), qPrintable(ctx));
        for (const QJsonObject& d : diagnostics(doc)) {
            QStringList dk = d.keys();
            dk.sort();
            QCOMPARE(dk, (QStringList{u"field"_s, u"fix"_s, u"id"_s, u"message"_s, u"severity"_s}));
            QVERIFY2(d.value(u"id"_s).isString() && !d.value(u"id"_s).toString().isEmpty(), qPrintable(ctx));
            QVERIFY2(kSeverities.contains(d.value(u"severity"_s).toString()), qPrintable(ctx));
            QVERIFY2(d.value(u"field"_s).isString(), qPrintable(ctx));
            QVERIFY2(d.value(u"message"_s).isString() && !d.value(u"message"_s).toString().isEmpty(), qPrintable(ctx));
            QVERIFY2(d.value(u"fix"_s).isString() || d.value(u"fix"_s).isNull(), qPrintable(ctx));
        }

        const QJsonObject support = doc.value(u"support"_s).toObject();
        QStringList sk = support.keys();
        sk.sort();
        QCOMPARE(sk, fields);
        for (const QString& f : fields)
            QVERIFY2(kLevels.contains(support.value(f).toString()), qPrintable(ctx));

        CHECKED(checkPreviewInvariants(doc));

        // DESIGN §7 / README: exactly the documented keys.
        QStringList extra;
        for (const QString& key : doc.keys()) {
            if (!kPreviewKeys.contains(key))
                extra << key;
        }
        QVERIFY2(extra.isEmpty(), qPrintable(u"undocumented keys: "_s + extra.join(u", "_s)));
    }

    void previewPresetName_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("preset"); // empty: null
        QTest::addColumn<QStringList>("quantConfig");

        for (const BuiltInPreset& p : builtInPresets()) {
            QTest::addRow("--preset %s", qPrintable(p.name))
                << QStringList{u"--preset"_s, p.name} << p.name << p.values;
            QStringList fields;
            for (qsizetype i = 0; i < fieldSpecs().size(); ++i)
                fields << u"--"_s + fieldSpecs().at(i).option << p.values.at(i);
            QTest::addRow("fields of %s", qPrintable(p.name)) << fields << p.name << p.values;
        }
        QTest::addRow("no fields") << QStringList{} << u"default"_s
                                   << QStringList{u"auto"_s, u"auto"_s, u"auto"_s, u"auto"_s};
        QTest::addRow("kvcache fp8_e5m2 alone") << QStringList{u"--kvcache"_s, u"fp8_e5m2"_s} << u"kv-cache-fp8"_s
                                                << QStringList{u"auto"_s, u"fp8_e5m2"_s, u"auto"_s, u"auto"_s};
        QTest::addRow("kvcache fp8") << QStringList{u"--kvcache"_s, u"fp8"_s} << QString()
                                     << QStringList{u"auto"_s, u"fp8"_s, u"auto"_s, u"auto"_s};
        QTest::addRow("gemm fp8") << QStringList{u"--gemm"_s, u"fp8"_s} << QString()
                                  << QStringList{u"fp8"_s, u"auto"_s, u"auto"_s, u"auto"_s};
        QTest::addRow("dynamic-fp8 but moe auto")
            << QStringList{u"--gemm"_s, u"fp8"_s, u"--kvcache"_s, u"fp8_e5m2"_s, u"--attention"_s, u"fp8"_s}
            << QString() << QStringList{u"fp8"_s, u"fp8_e5m2"_s, u"fp8"_s, u"auto"_s};
    }

    void previewPresetName()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, preset);
        QFETCH(QStringList, quantConfig);
        QJsonObject doc;
        CHECKED(preview(QStringList{u"--engine"_s, u"sglang"_s} + args, -1, &doc));
        if (preset.isEmpty())
            QVERIFY2(doc.value(u"preset"_s).isNull(), qPrintable(compact(doc)));
        else
            QCOMPARE(doc.value(u"preset"_s).toString(), preset);
        const QJsonObject qc = doc.value(u"quant_config"_s).toObject();
        for (qsizetype i = 0; i < fieldSpecs().size(); ++i)
            QCOMPARE(qc.value(fieldSpecs().at(i).key).toString(), quantConfig.at(i));
    }

    // ---- preview: flags per engine (engine-flags.md §6) ------------------------------------------------------------

    void engineFlags_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("pairs");  // flag, value ("a|b": either; "*": any), as neighbours in argv
        QTest::addColumn<QStringList>("absent"); // flags argv must not contain
        QTest::addColumn<QStringList>("yaml");   // complete lines config_yaml must contain; empty: config_yaml null
        QTest::addColumn<QString>("level");      // expected support level of the field; empty: not checked
        QTest::addColumn<int>("exitCode");       // -1: 0 or 1

        const auto row = [](const char* engine,
                            const char* option,
                            const char* value,
                            const QStringList& pairs,
                            const QStringList& absent,
                            const QStringList& yaml,
                            const QString& level,
                            int exitCode) {
            QTest::addRow("%s --%s %s", engine, option, value)
                << QString::fromLatin1(engine) << QString::fromLatin1(option) << QString::fromLatin1(value) << pairs
                << absent << yaml << level << exitCode;
        };
        const QString native = u"native"_s;
        const QString translated = u"translated"_s;
        const QString checkpoint = u"checkpoint"_s;
        const QString implicit = u"implicit"_s;
        const QString unsupported = u"unsupported"_s;
        const QString unchecked;
        const QStringList none;
        const QString kvV = u"--kv-cache-dtype"_s;
        const QString kvT = u"--kv_cache_dtype"_s;
        const QString q = u"--quantization"_s;
        const QString qc = u"--quantization-config"_s;
        const QString dt = u"--dtype"_s;
        const QStringList trtYamlDtype{u"--config"_s, u"*"_s};

        // vLLM
        row("vllm", "gemm", "auto", none, {q, dt, kvV}, none, native, 0);
        row("vllm", "gemm", "float16", {dt, u"float16"_s}, {q}, none, native, 0);
        row("vllm", "gemm", "bfloat16", {dt, u"bfloat16"_s}, {q}, none, native, 0);
        row("vllm", "gemm", "float32", {dt, u"float32"_s}, {q}, none, native, 0);
        row("vllm", "gemm", "fp8", {q, u"fp8|fp8_per_tensor|fp8_per_block|fp8_per_channel"_s}, {dt}, none, native, 0);
        row("vllm", "gemm", "int8", none, {q, dt}, none, checkpoint, -1);
        row("vllm", "kvcache", "fp16", {kvV, u"float16"_s}, none, none, translated, 0);
        row("vllm", "kvcache", "bfloat16", {kvV, u"bfloat16"_s}, none, none, native, 0);
        row("vllm", "kvcache", "fp8", {kvV, u"fp8"_s}, none, none, native, 0);
        row("vllm", "kvcache", "fp8_e5m2", {kvV, u"fp8_e5m2"_s}, none, none, native, 0);
        row("vllm", "kvcache", "fp8_e4m3", {kvV, u"fp8_e4m3"_s}, none, none, native, 0);
        row("vllm", "kvcache", "int8", {kvV, u"int8_per_token_head"_s}, none, none, translated, 0);
        row("vllm", "kvcache", "int4", {kvV, u"int4_per_token_head"_s}, none, none, translated, 0);
        row("vllm", "attention", "float16", none, {dt, kvV}, none, implicit, 0);
        row("vllm", "attention", "bfloat16", none, {dt, kvV}, none, implicit, 0);
        row("vllm", "attention", "fp8", {kvV, u"fp8"_s}, none, none, implicit, 0);
        row("vllm", "attention", "fp8_e5m2", none, {kvV}, none, unsupported, 1);
        row("vllm", "attention", "fp8_block", none, {kvV}, none, unsupported, 1);
        row("vllm", "moe", "float16", none, {q, dt}, none, unchecked, 0);
        row("vllm", "moe", "fp8", {q, u"online"_s, qc, u"*"_s}, none, none, native, 0);
        row("vllm", "moe", "w4afp8", none, {q}, none, checkpoint, -1);
        row("vllm", "moe", "mxfp4", {q, u"mxfp4"_s, qc, u"*"_s}, none, none, native, 0);
        row("vllm", "moe", "int8", {q, u"experts_int8|int8_per_channel_weight_only"_s}, none, none, native, 0);

        // SGLang
        row("sglang", "gemm", "auto", none, {q, dt, kvV}, none, native, 0);
        row("sglang", "gemm", "float16", {dt, u"float16"_s}, {q}, none, native, 0);
        row("sglang", "gemm", "bfloat16", {dt, u"bfloat16"_s}, {q}, none, native, 0);
        row("sglang", "gemm", "float32", {dt, u"float32"_s}, {q}, none, native, 0);
        row("sglang", "gemm", "fp8", {q, u"fp8"_s}, {dt}, none, native, 0);
        row("sglang", "gemm", "int8", {q, u"w8a8_int8"_s}, none, none, checkpoint, -1);
        row("sglang", "kvcache", "fp16", none, {kvV}, none, unchecked, 0);
        row("sglang", "kvcache", "bfloat16", {kvV, u"bfloat16|bf16"_s}, none, none, native, 0);
        row("sglang", "kvcache", "fp8", {kvV, u"fp8_e4m3"_s}, none, none, translated, 0);
        row("sglang", "kvcache", "fp8_e5m2", {kvV, u"fp8_e5m2"_s}, none, none, native, 0);
        row("sglang", "kvcache", "fp8_e4m3", {kvV, u"fp8_e4m3"_s}, none, none, native, 0);
        row("sglang", "kvcache", "int8", none, {kvV}, none, unsupported, 1);
        row("sglang", "kvcache", "int4", none, {kvV}, none, unsupported, 1);
        row("sglang", "attention", "bfloat16", none, {dt, kvV}, none, implicit, 0);
        row("sglang", "attention", "fp8", {kvV, u"fp8_e4m3"_s}, none, none, implicit, 0);
        row("sglang", "attention", "fp8_e4m3", {kvV, u"fp8_e4m3"_s}, none, none, implicit, 0);
        row("sglang", "attention", "fp8_e5m2", none, {kvV}, none, unsupported, 1);
        row("sglang", "attention", "fp8_block", none, {kvV}, none, unsupported, 1);
        row("sglang", "moe", "bfloat16", none, {q, dt}, none, unchecked, 0);
        row("sglang", "moe", "fp8", {q, u"fp8"_s}, none, none, native, 0);
        row("sglang", "moe", "w4afp8", {q, u"w4afp8"_s}, none, none, unchecked, -1);
        row("sglang", "moe", "mxfp4", {q, u"mxfp4"_s}, none, none, native, 0);
        row("sglang", "moe", "int8", {q, u"w8a8_int8"_s}, none, none, checkpoint, -1);

        // TensorRT-LLM 1.3 (trtllm-serve, PyTorch backend)
        row("trtllm", "gemm", "auto", none, {kvT, u"--config"_s}, none, native, 0);
        row("trtllm", "gemm", "float16", trtYamlDtype, {dt}, {u"dtype: float16"_s}, native, 0);
        row("trtllm", "gemm", "bfloat16", trtYamlDtype, {dt}, {u"dtype: bfloat16"_s}, native, 0);
        row("trtllm", "gemm", "float32", trtYamlDtype, {dt}, {u"dtype: float32"_s}, native, 0);
        row("trtllm", "gemm", "fp8", none, {u"--config"_s, q, dt}, none, checkpoint, -1);
        row("trtllm", "gemm", "int8", none, {u"--config"_s, q, dt}, none, unsupported, 1);
        row("trtllm", "kvcache", "fp16", none, {kvT}, none, unchecked, 0);
        row("trtllm", "kvcache", "bfloat16", none, {kvT}, none, unchecked, 0);
        row("trtllm", "kvcache", "fp8", {kvT, u"fp8"_s}, none, none, native, 0);
        row("trtllm", "kvcache", "fp8_e4m3", {kvT, u"fp8"_s}, none, none, translated, 0);
        row("trtllm", "kvcache", "fp8_e5m2", none, {kvT}, none, unsupported, 1);
        row("trtllm", "kvcache", "int8", none, {kvT}, none, unsupported, 1);
        row("trtllm", "kvcache", "int4", none, {kvT}, none, unsupported, 1);
        row("trtllm", "attention", "float16", none, {kvT, u"--config"_s}, none, implicit, 0);
        row("trtllm", "attention", "fp8", {kvT, u"fp8"_s}, none, none, implicit, 0);
        row("trtllm", "attention", "fp8_e4m3", {kvT, u"fp8"_s}, none, none, implicit, 0);
        row("trtllm", "attention", "fp8_e5m2", none, {kvT}, none, unsupported, 1);
        row("trtllm", "attention", "fp8_block", none, {kvT}, none, unsupported, 1);
        row("trtllm", "moe", "fp8", none, {u"--config"_s}, none, checkpoint, -1);
        row("trtllm", "moe", "w4afp8", none, {u"--config"_s}, none, checkpoint, -1);
        row("trtllm", "moe", "mxfp4", none, {u"--config"_s}, none, checkpoint, -1);
        row("trtllm", "moe", "int8", none, {u"--config"_s}, none, unsupported, 1);
    }

    void engineFlags()
    {
        QFETCH(QString, engine);
        QFETCH(QString, option);
        QFETCH(QString, value);
        QFETCH(QStringList, pairs);
        QFETCH(QStringList, absent);
        QFETCH(QStringList, yaml);
        QFETCH(QString, level);
        QFETCH(int, exitCode);

        QJsonObject doc;
        CHECKED(preview({u"--engine"_s, engine, u"--"_s + option, value}, exitCode, &doc));
        const QString ctx = compact(doc);
        const QStringList argv = stringList(doc.value(u"argv"_s));
        for (qsizetype i = 0; i + 1 < pairs.size(); i += 2)
            QVERIFY2(hasFlagValue(argv, pairs.at(i), pairs.at(i + 1)), qPrintable(pairs.at(i) + u" missing: "_s + ctx));
        for (const QString& flag : absent)
            QVERIFY2(!hasFlag(argv, flag), qPrintable(flag + u" present: "_s + ctx));
        if (pairs.isEmpty() && value == u"auto")
            QVERIFY2(argv.isEmpty(), qPrintable(ctx));

        const QJsonValue configYaml = doc.value(u"config_yaml"_s);
        if (yaml.isEmpty()) {
            QVERIFY2(configYaml.isNull(), qPrintable(ctx));
        } else {
            const QStringList lines = configYaml.toString().split(u'\n');
            for (const QString& line : yaml)
                QVERIFY2(lines.contains(line), qPrintable(line + u" not in YAML: "_s + configYaml.toString()));
        }

        QString fieldKey;
        for (const FieldSpec& f : fieldSpecs()) {
            if (f.option == option)
                fieldKey = f.key;
        }
        const QString actualLevel = doc.value(u"support"_s).toObject().value(fieldKey).toString();
        if (!level.isEmpty())
            QCOMPARE(actualLevel, level);
        // Nothing is dropped silently (DESIGN §2): what cannot be done has an error diagnostic (README), what needs a
        // checkpoint and emits nothing has a diagnostic.
        if (actualLevel == u"unsupported")
            QVERIFY2(hasDiagnostic(doc, u"error"_s, fieldKey), qPrintable(ctx));
        if (actualLevel == u"checkpoint" && pairs.isEmpty())
            QVERIFY2(hasDiagnostic(doc, {}, fieldKey), qPrintable(ctx));
        if (exitCode == 1)
            QVERIFY2(hasDiagnostic(doc, u"error"_s, {}), qPrintable(ctx));
        if (exitCode == 0)
            QVERIFY2(!hasDiagnostic(doc, u"error"_s, {}), qPrintable(ctx));
        CHECKED(checkPreviewInvariants(doc));
    }

    void vllmMoeOnlineConfig()
    {
        // engine-flags.md §6: MoE-only FP8 on vLLM is --quantization online --quantization-config '{"moe": ...}'.
        QJsonObject doc;
        CHECKED(preview({u"--engine"_s, u"vllm"_s, u"--moe"_s, u"fp8"_s}, 0, &doc));
        const QStringList argv = stringList(doc.value(u"argv"_s));
        const qsizetype at = argv.indexOf(u"--quantization-config"_s);
        QVERIFY2(at >= 0 && at + 1 < argv.size(), qPrintable(compact(doc)));
        QJsonParseError error;
        const QJsonDocument config = QJsonDocument::fromJson(argv.at(at + 1).toUtf8(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError && config.isObject(), qPrintable(argv.at(at + 1)));
        const QString moe = config.object().value(u"moe"_s).toString();
        QVERIFY2(moe == u"fp8_per_tensor" || moe == u"fp8_per_block", qPrintable(argv.at(at + 1)));
    }

    void vllmInt8KvNeedsTriton_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("spelled");
        QTest::addRow("int8") << u"int8"_s << u"int8_per_token_head"_s;
        QTest::addRow("int4") << u"int4"_s << u"int4_per_token_head"_s;
    }

    void vllmInt8KvNeedsTriton()
    {
        QFETCH(QString, value);
        QFETCH(QString, spelled);
        QJsonObject doc;
        CHECKED(preview({u"--engine"_s, u"vllm"_s, u"--kvcache"_s, value}, 0, &doc));
        QVERIFY(hasFlagValue(stringList(doc.value(u"argv"_s)), u"--kv-cache-dtype"_s, spelled));
        bool warned = false;
        for (const QJsonObject& d : diagnostics(doc)) {
            if (d.value(u"severity"_s).toString() == u"warning" &&
                d.value(u"message"_s).toString().contains(u"TRITON"_s, Qt::CaseInsensitive))
                warned = true;
        }
        QVERIFY2(warned, qPrintable(compact(doc)));
    }

    void trtllmNeverSeedFlags_data()
    {
        QTest::addColumn<QStringList>("args");
        for (const BuiltInPreset& p : builtInPresets())
            QTest::addRow("--preset %s", qPrintable(p.name)) << QStringList{u"--preset"_s, p.name};
        for (const FieldSpec& f : fieldSpecs()) {
            for (const QString& v : f.values) {
                QTest::addRow("--%s %s", qPrintable(f.option), qPrintable(v)) << QStringList{u"--"_s + f.option, v};
            }
        }
        QTest::addRow("rc3 all fp8") << QStringList{u"--engine-version"_s,
                                                    u"1.3.0rc3"_s,
                                                    u"--gemm"_s,
                                                    u"fp8"_s,
                                                    u"--kvcache"_s,
                                                    u"fp8"_s,
                                                    u"--attention"_s,
                                                    u"fp8"_s,
                                                    u"--moe"_s,
                                                    u"fp8"_s};
    }

    void trtllmNeverSeedFlags()
    {
        QFETCH(QStringList, args);
        QJsonObject doc;
        CHECKED(preview(QStringList{u"--engine"_s, u"trtllm"_s} + args, -1, &doc));
        CHECKED(checkPreviewInvariants(doc)); // checks kTrtllmSeedFlags in argv, command and YAML
    }

    void trtllmKvCacheYamlBeforeFlag()
    {
        // engine-flags.md §4.1/§6: --kv_cache_dtype arrived after 1.3.0rc3; before it, kv_cache_config.dtype in the
        // --config YAML.
        QJsonObject doc;
        CHECKED(preview(
            {u"--engine"_s, u"trtllm"_s, u"--engine-version"_s, u"1.3.0rc3"_s, u"--kvcache"_s, u"fp8"_s}, 0, &doc));
        const QString ctx = compact(doc);
        QCOMPARE(doc.value(u"engine_version"_s).toString(), u"1.3.0rc3"_s);
        const QStringList argv = stringList(doc.value(u"argv"_s));
        QVERIFY2(!hasFlag(argv, u"--kv_cache_dtype"_s), qPrintable(ctx));
        QVERIFY2(hasFlagValue(argv, u"--config"_s, u"*"_s), qPrintable(ctx));
        const QString yaml = doc.value(u"config_yaml"_s).toString();
        QVERIFY2(yaml.contains(u"kv_cache_config:"_s), qPrintable(yaml));
        QVERIFY2(yaml.contains(u"dtype: fp8"_s), qPrintable(yaml));
        // dtype: fp8 is nested under kv_cache_config, not the model dtype.
        const QStringList lines = yaml.split(u'\n');
        const qsizetype head = lines.indexOf(u"kv_cache_config:"_s);
        QVERIFY2(head >= 0, qPrintable(yaml));
        bool nested = false;
        for (qsizetype i = head + 1; i < lines.size() && lines.at(i).startsWith(u' '); ++i) {
            if (lines.at(i).trimmed() == u"dtype: fp8")
                nested = true;
        }
        QVERIFY2(nested, qPrintable(yaml));
        QVERIFY2(!lines.contains(u"dtype: fp8"_s), qPrintable(yaml));

        // The newer version takes the flag instead.
        QJsonObject current;
        CHECKED(preview({u"--engine"_s, u"trtllm"_s, u"--kvcache"_s, u"fp8"_s}, 0, &current));
        QVERIFY2(hasFlagValue(stringList(current.value(u"argv"_s)), u"--kv_cache_dtype"_s, u"fp8"_s),
                 qPrintable(compact(current)));
    }

    void trtllmGemmDtypeYaml()
    {
        QJsonObject doc;
        CHECKED(preview({u"--engine"_s, u"trtllm"_s, u"--gemm"_s, u"bfloat16"_s}, 0, &doc));
        const QStringList argv = stringList(doc.value(u"argv"_s));
        QVERIFY2(hasFlagValue(argv, u"--config"_s, u"*"_s), qPrintable(compact(doc)));
        QVERIFY2(!hasFlag(argv, u"--dtype"_s), qPrintable(compact(doc)));
        const QStringList lines = doc.value(u"config_yaml"_s).toString().split(u'\n');
        QVERIFY2(lines.contains(u"dtype: bfloat16"_s), qPrintable(doc.value(u"config_yaml"_s).toString()));
    }

    // ---- parameters ----------------------------------------------------------------------------------------------

    void parameterOverride()
    {
        QJsonObject doc;
        CHECKED(preview(
            {u"--preset"_s, u"kv-cache-fp8"_s, u"--engine"_s, u"vllm"_s, u"--param"_s, u"kv-cache-dtype=fp8_e4m3"_s},
            0,
            &doc));
        const QString ctx = compact(doc);
        QCOMPARE(doc.value(u"preset"_s).toString(), u"kv-cache-fp8"_s);
        const QStringList argv = stringList(doc.value(u"argv"_s));
        QCOMPARE(argv.count(u"--kv-cache-dtype"_s), qsizetype(1));
        QVERIFY2(hasFlagValue(argv, u"--kv-cache-dtype"_s, u"fp8_e4m3"_s), qPrintable(ctx));
        int matches = 0;
        const QJsonArray flags = doc.value(u"flags"_s).toArray();
        for (const QJsonValue& fv : flags) {
            const QJsonObject f = fv.toObject();
            if (f.value(u"flag"_s).toString() != u"--kv-cache-dtype")
                continue;
            ++matches;
            QCOMPARE(f.value(u"value"_s).toString(), u"fp8_e4m3"_s);
            QCOMPARE(f.value(u"source"_s).toString(), u"parameter"_s);
            QVERIFY2(f.value(u"overrides"_s).isString(), qPrintable(ctx));
            QVERIFY2(f.value(u"overrides"_s).toString().contains(u"fp8_e5m2"_s), qPrintable(ctx));
        }
        QCOMPARE(matches, 1);
    }

    void parameterNewFlag()
    {
        QJsonObject doc;
        CHECKED(preview({u"--engine"_s, u"sglang"_s, u"--param"_s, u"tp-size=2"_s}, 0, &doc));
        QVERIFY2(hasFlagValue(stringList(doc.value(u"argv"_s)), u"--tp-size"_s, u"2"_s), qPrintable(compact(doc)));
        const QJsonObject f = doc.value(u"flags"_s).toArray().at(0).toObject();
        QCOMPARE(f.value(u"source"_s).toString(), u"parameter"_s);
        QVERIFY(f.value(u"overrides"_s).isNull());
    }

    void unknownParameter_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("flag");
        QTest::addRow("vllm") << u"vllm"_s << u"no-such-flag=1"_s << u"--no-such-flag"_s;
        QTest::addRow("sglang") << u"sglang"_s << u"kv-cache-quant-algo=FP8"_s << u"--kv-cache-quant-algo"_s;
        QTest::addRow("trtllm seed flag") << u"trtllm"_s << u"quant-algo=FP8"_s << u"--quant-algo"_s;
        QTest::addRow("vllm removed flag") << u"vllm"_s << u"calculate-kv-scales=true"_s << u"--calculate-kv-scales"_s;
    }

    void unknownParameter()
    {
        QFETCH(QString, engine);
        QFETCH(QString, param);
        QFETCH(QString, flag);
        QJsonObject doc;
        CHECKED(preview({u"--engine"_s, engine, u"--preset"_s, u"default"_s, u"--param"_s, param}, 1, &doc));
        QVERIFY2(hasDiagnostic(doc, u"error"_s, {}), qPrintable(compact(doc)));
        QVERIFY2(!hasFlag(stringList(doc.value(u"argv"_s)), flag), qPrintable(compact(doc)));
        QVERIFY2(!doc.value(u"command"_s).toString().contains(flag), qPrintable(compact(doc)));
    }

    // ---- exit codes ----------------------------------------------------------------------------------------------

    void cleanPreview_data()
    {
        QTest::addColumn<QString>("engine");
        for (const QString& engine : kEngines)
            QTest::addRow("%s", qPrintable(engine)) << engine;
    }

    void cleanPreview()
    {
        QFETCH(QString, engine);
        QJsonObject doc;
        CliRun r;
        CHECKED(preview({u"--engine"_s, engine, u"--preset"_s, u"default"_s}, 0, &doc, &r));
        QVERIFY2(!hasDiagnostic(doc, u"error"_s, {}), qPrintable(compact(doc)));
        QVERIFY2(stringList(doc.value(u"argv"_s)).isEmpty(), qPrintable(compact(doc)));
        // Text output too.
        const CliRun text = run({u"preview"_s, u"--engine"_s, engine, u"--preset"_s, u"default"_s});
        QVERIFY2(text.finished && text.exitCode == 0, qPrintable(text.describe()));
        QVERIFY2(!text.out.isEmpty(), qPrintable(text.describe()));
    }

    void blockingDiagnostic_data()
    {
        QTest::addColumn<QString>("engine");
        for (const QString& engine : kEngines)
            QTest::addRow("%s", qPrintable(engine)) << engine;
    }

    void blockingDiagnostic()
    {
        QFETCH(QString, engine);
        QJsonObject doc;
        CliRun r;
        CHECKED(preview({u"--engine"_s, engine, u"--attention"_s, u"fp8_e5m2"_s}, 1, &doc, &r));
        QVERIFY2(hasDiagnostic(doc, u"error"_s, u"attention_dtype"_s), qPrintable(compact(doc)));
        QCOMPARE(doc.value(u"support"_s).toObject().value(u"attention_dtype"_s).toString(), u"unsupported"_s);
        // Nothing is emitted for it.
        QVERIFY2(stringList(doc.value(u"argv"_s)).isEmpty(), qPrintable(compact(doc)));
        QVERIFY2(!r.err.isEmpty(), qPrintable(r.describe()));
        // Text output exits the same way.
        const CliRun text = run({u"preview"_s, u"--engine"_s, engine, u"--attention"_s, u"fp8_e5m2"_s});
        QVERIFY2(text.finished && text.exitCode == 1, qPrintable(text.describe()));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("mentions"); // substrings of stderr
        QTest::addColumn<QStringList>("lists");    // whole words of stderr

        const QStringList base{u"preview"_s, u"--engine"_s, u"vllm"_s};
        QTest::addRow("no command") << QStringList{} << QStringList{} << QStringList{};
        QTest::addRow("unknown command") << QStringList{u"frobnicate"_s} << QStringList{u"frobnicate"_s}
                                         << QStringList{};
        QTest::addRow("missing --engine")
            << QStringList{u"preview"_s, u"--preset"_s, u"default"_s} << QStringList{u"--engine"_s} << QStringList{};
        QTest::addRow("unknown engine")
            << QStringList{u"preview"_s, u"--engine"_s, u"tgi"_s, u"--preset"_s, u"default"_s} << QStringList{u"tgi"_s}
            << QStringList{};
        QTest::addRow("support: unknown engine")
            << QStringList{u"support"_s, u"--engine"_s, u"tgi"_s} << QStringList{u"tgi"_s} << QStringList{};
        QTest::addRow("--preset with --gemm") << base + QStringList{u"--preset"_s, u"default"_s, u"--gemm"_s, u"fp8"_s}
                                              << QStringList{u"--preset"_s, u"--gemm"_s} << QStringList{};
        QTest::addRow("unknown preset") << base + QStringList{u"--preset"_s, u"turbo-fp4"_s}
                                        << QStringList{u"turbo-fp4"_s} << builtInPresetNames();
        QTest::addRow("--format xml (preview)")
            << base + QStringList{u"--format"_s, u"xml"_s} << QStringList{u"xml"_s} << QStringList{};
        QTest::addRow("--format xml (presets)")
            << QStringList{u"presets"_s, u"--format"_s, u"xml"_s} << QStringList{u"xml"_s} << QStringList{};
        QTest::addRow("--format xml (support)")
            << QStringList{u"support"_s, u"--format"_s, u"xml"_s} << QStringList{u"xml"_s} << QStringList{};
        QTest::addRow("--param without =") << base + QStringList{u"--param"_s, u"kv-cache-dtype"_s}
                                           << QStringList{u"kv-cache-dtype"_s} << QStringList{};
        for (const FieldSpec& f : fieldSpecs()) {
            QTest::addRow("bad %s value", qPrintable(f.option))
                << base + QStringList{u"--"_s + f.option, u"fp9"_s} << QStringList{u"fp9"_s} << f.values;
        }
        QTest::addRow("value of another field")
            << base + QStringList{u"--kvcache"_s, u"w4afp8"_s} << QStringList{u"w4afp8"_s} << fieldSpecs().at(1).values;
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, mentions);
        QFETCH(QStringList, lists);
        const CliRun r = run(args);
        QVERIFY2(r.finished, qPrintable(r.describe()));
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QVERIFY2(!r.stdErr().trimmed().isEmpty(), qPrintable(r.describe()));
        for (const QString& m : mentions)
            QVERIFY2(r.stdErr().contains(m), qPrintable(m + u" not in: "_s + r.describe()));
        const QSet<QString> w = words(r.stdErr());
        for (const QString& v : lists)
            QVERIFY2(w.contains(v), qPrintable(v + u" not listed: "_s + r.describe()));
    }

    // ---- --gpu-info --------------------------------------------------------------------------------------------

    void gpuInfoHopper_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("engine");
        for (const QString& file : {u"query-gpu.csv"_s, u"query-gpu-noheader.csv"_s, u"nvidia-smi-q.xml"_s}) {
            for (const QString& engine : kEngines) {
                QTest::addRow("%s %s", qPrintable(file), qPrintable(engine))
                    << dataFile(u"nvidia-smi-h100/"_s + file) << engine;
            }
        }
    }

    void gpuInfoHopper()
    {
        QFETCH(QString, file);
        QFETCH(QString, engine);
        for (const QStringList& config : {QStringList{u"--preset"_s, u"dynamic-fp8"_s},
                                          QStringList{u"--kvcache"_s, u"fp8_e4m3"_s, u"--gemm"_s, u"fp8"_s}}) {
            QJsonObject doc;
            CHECKED(preview(QStringList{u"--engine"_s, engine, u"--gpu-info"_s, file} + config, -1, &doc));
            for (const QString& id : diagnosticIds(doc))
                QVERIFY2(!id.contains(u"HW"_s), qPrintable(id + u" on an H100: "_s + compact(doc)));
        }
    }

    void gpuInfoAmpereFp8Kv()
    {
        const QString file = homePath(u"a100.csv"_s);
        CHECKED(writeFile(file, "name, memory.total [MiB], compute_cap\nNVIDIA A100-SXM4-80GB, 81920 MiB, 8.0\n"));
        QJsonObject doc;
        CHECKED(preview({u"--kvcache"_s, u"fp8"_s, u"--engine"_s, u"vllm"_s, u"--gpu-info"_s, file}, 1, &doc));
        bool found = false;
        for (const QJsonObject& d : diagnostics(doc)) {
            if (d.value(u"id"_s).toString() == u"HW-FP8-KV") {
                found = true;
                QCOMPARE(d.value(u"severity"_s).toString(), u"error"_s);
                QCOMPARE(d.value(u"field"_s).toString(), u"kvcache_dtype"_s);
            }
        }
        QVERIFY2(found, qPrintable(compact(doc)));

        // The same configuration on the H100 fixture is fine.
        QJsonObject hopper;
        CHECKED(preview({u"--kvcache"_s,
                         u"fp8"_s,
                         u"--engine"_s,
                         u"vllm"_s,
                         u"--gpu-info"_s,
                         dataFile(u"nvidia-smi-h100/query-gpu.csv"_s)},
                        0,
                        &hopper));
        QVERIFY2(!diagnosticIds(hopper).contains(u"HW-FP8-KV/error"_s), qPrintable(compact(hopper)));
    }

    void gpuInfoGarbled()
    {
        const QString file = homePath(u"garbled-smi.bin"_s);
        QRandomGenerator random(20260822);
        QByteArray bytes(4096, '\0');
        for (char& b : bytes)
            b = static_cast<char>(random.bounded(256));
        CHECKED(writeFile(file, bytes));
        const CliRun r = run({u"preview"_s,
                              u"--engine"_s,
                              u"vllm"_s,
                              u"--preset"_s,
                              u"default"_s,
                              u"--gpu-info"_s,
                              file,
                              u"--format"_s,
                              u"json"_s});
        QVERIFY2(r.finished && r.exitCode == 1, qPrintable(r.describe()));
        QVERIFY2(r.stdErr().contains(u"garbled-smi.bin"_s), qPrintable(r.describe()));
    }

    void gpuInfoMissing()
    {
        const QString file = homePath(u"no-such-smi.csv"_s);
        const CliRun r = run({u"preview"_s,
                              u"--engine"_s,
                              u"vllm"_s,
                              u"--preset"_s,
                              u"default"_s,
                              u"--gpu-info"_s,
                              file,
                              u"--format"_s,
                              u"json"_s});
        QVERIFY2(r.finished && r.exitCode == 1, qPrintable(r.describe()));
        QVERIFY2(r.stdErr().contains(u"no-such-smi.csv"_s), qPrintable(r.describe()));
    }

    // ---- offline-quantized models --------------------------------------------------------------------------------

    void offlineModelGemm_data()
    {
        QTest::addColumn<QString>("engine");
        for (const QString& engine : kEngines)
            QTest::addRow("%s", qPrintable(engine)) << engine;
    }

    void offlineModelGemm()
    {
        QFETCH(QString, engine);
        QJsonObject doc;
        CHECKED(preview(
            {u"--engine"_s, engine, u"--model"_s, u"TheBloke/Llama-2-7B-AWQ"_s, u"--gemm"_s, u"fp8"_s}, 0, &doc));
        const QStringList argv = stringList(doc.value(u"argv"_s));
        QVERIFY2(!hasFlag(argv, u"--quantization"_s), qPrintable(compact(doc)));
        QVERIFY2(hasDiagnostic(doc, u"warning"_s, u"gemm_dtype"_s), qPrintable(compact(doc)));
        CHECKED(checkPreviewInvariants(doc));

        // KV cache quantization still applies (DESIGN §1).
        if (engine == u"trtllm")
            return; // no fp8_e5m2 KV on TensorRT-LLM
        QJsonObject kv;
        CHECKED(preview({u"--engine"_s,
                         engine,
                         u"--model"_s,
                         u"TheBloke/Llama-2-7B-AWQ"_s,
                         u"--gemm"_s,
                         u"fp8"_s,
                         u"--kvcache"_s,
                         u"fp8_e5m2"_s},
                        0,
                        &kv));
        QVERIFY2(hasFlagValue(stringList(kv.value(u"argv"_s)), u"--kv-cache-dtype"_s, u"fp8_e5m2"_s),
                 qPrintable(compact(kv)));
        QVERIFY2(!hasFlag(stringList(kv.value(u"argv"_s)), u"--quantization"_s), qPrintable(compact(kv)));
    }

    void neverDtypeFp8_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QStringList>("args");
        for (const QString& engine : kEngines) {
            for (const QString& model : {QString(), u"TheBloke/Llama-2-7B-AWQ"_s}) {
                const QStringList withModel = model.isEmpty() ? QStringList{} : QStringList{u"--model"_s, model};
                for (const BuiltInPreset& p : builtInPresets()) {
                    QTest::addRow("%s %s%s", qPrintable(engine), qPrintable(p.name), model.isEmpty() ? "" : " AWQ")
                        << engine << QStringList{u"--preset"_s, p.name} + withModel;
                }
                QTest::addRow("%s gemm fp8%s", qPrintable(engine), model.isEmpty() ? "" : " AWQ")
                    << engine << QStringList{u"--gemm"_s, u"fp8"_s} + withModel;
            }
        }
    }

    void neverDtypeFp8()
    {
        QFETCH(QString, engine);
        QFETCH(QStringList, args);
        QJsonObject doc;
        CHECKED(preview(QStringList{u"--engine"_s, engine} + args, -1, &doc));
        CHECKED(checkPreviewInvariants(doc)); // includes the --dtype fp8 check
        const QString yaml = doc.value(u"config_yaml"_s).toString();
        QVERIFY2(!yaml.split(u'\n').contains(u"dtype: fp8"_s), qPrintable(yaml)); // the model dtype, top level
    }

    // ---- shell quoting -------------------------------------------------------------------------------------------

    void shellQuoting_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("quoted"); // empty: only the round trip is checked
        QTest::addRow("semicolon") << u"vllm"_s << u"my model; rm -rf ~"_s << u"'my model; rm -rf ~'"_s;
        QTest::addRow("semicolon sglang") << u"sglang"_s << u"my model; rm -rf ~"_s << u"'my model; rm -rf ~'"_s;
        QTest::addRow("semicolon trtllm") << u"trtllm"_s << u"my model; rm -rf ~"_s << u"'my model; rm -rf ~'"_s;
        QTest::addRow("single quote") << u"vllm"_s << u"it's a model"_s << QString();
        QTest::addRow("command substitution") << u"vllm"_s << u"$(touch pwned)`id`"_s << QString();
        QTest::addRow("tilde and glob") << u"sglang"_s << u"~/models/*"_s << QString();
    }

    void shellQuoting()
    {
        QFETCH(QString, engine);
        QFETCH(QString, model);
        QFETCH(QString, quoted);
        QJsonObject doc;
        CHECKED(preview({u"--engine"_s, engine, u"--model"_s, model, u"--kvcache"_s, u"bfloat16"_s}, 0, &doc));
        const QString command = doc.value(u"command"_s).toString();
        if (!quoted.isEmpty())
            QVERIFY2(command.contains(quoted), qPrintable(command));
        const auto split = shellSplit(command);
        QVERIFY2(split.has_value(), qPrintable(u"not safely quoted: "_s + command));
        QVERIFY2(split->contains(model), qPrintable(command));
        CHECKED(checkPreviewInvariants(doc));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "TestCli.moc"

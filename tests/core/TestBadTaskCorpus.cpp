// The malformed-task corpus (tests/data/bad): every file gives a clear error, nothing crashes or throws, and no file
// on disk changes — neither the input nor anything next to it — also when the bad task is offered for export.
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

#include "core/task/TaskExporter.h"
#include "core/task/TaskLoader.h"
#include "core/task/TaskValidator.h"
#include "tests/TestConfig.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;

namespace
{

QString badDir()
{
    const QString fromEnv = qEnvironmentVariable("QUANTDESK_TEST_DATA");
    return QDir(fromEnv.isEmpty() ? QString::fromUtf8(QUANTDESK_TEST_DATA_DIR) : fromEnv).filePath(u"bad"_s);
}

struct Snapshot
{
    QByteArray hash;
    qint64 size = 0;
    QDateTime modified;
    bool operator==(const Snapshot&) const = default;
};

QMap<QString, Snapshot> snapshot(const QString& dir)
{
    QMap<QString, Snapshot> out;
    for (const QFileInfo& fi : QDir(dir).entryInfoList(QDir::Files | QDir::Hidden, QDir::Name)) {
        QFile f(fi.filePath());
        if (!f.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(fi.filePath()));
        Snapshot s;
        s.hash = QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
        s.size = fi.size();
        s.modified = fi.lastModified();
        out.insert(fi.fileName(), s);
    }
    return out;
}

QString dump(const QList<TaskProblem>& problems)
{
    QStringList lines;
    for (const TaskProblem& p : problems)
        lines << severityKey(p.severity) + u' ' + p.toString();
    return lines.join(u'\n');
}

// Each corpus file, what its first error must say, and whether that error has a line and column.
struct BadCase
{
    const char* file;
    const char* expected;
    bool located;
};

const BadCase kCases[] = {
    {"empty.json", "the file is empty", false},
    {"whitespace-only.json", "only whitespace", false},
    {"truncated-object.json", "unexpected end of file: the object opened at line 20, column 19 is not closed", true},
    {"truncated-in-string.json", "unexpected end of file inside the string opened at line 2, column 16", true},
    {"truncated-after-key.json", "unexpected end of file", true},
    {"truncated-utf8-sequence.json", "byte 40: invalid UTF-8 (the file ends inside a 3-byte sequence)", true},
    {"trailing-comma-object.json", "trailing comma before '}'", true},
    {"trailing-comma-array.json", "trailing comma before ']'", true},
    {"trailing-garbage.json", "unexpected 'g' after the end of the JSON document", true},
    {"two-documents.json", "unexpected '{' after the end of the JSON document", true},
    {"nan-literal.json", "'NaN' is not valid JSON", true},
    {"infinity-literal.json", "'Infinity' is not valid JSON", true},
    {"huge-exponent.json", "the number 1e400 is out of range", true},
    {"huge-integer.json", "does not fit in 64 bits", true},
    {"huge-negative-integer.json", "does not fit in 64 bits", true},
    {"deep-nesting-10000.json", "nests deeper than 64 levels", true},
    {"deep-nesting-objects.json", "nests deeper than 64 levels", true},
    {"deep-nesting-65.json", "nests deeper than 64 levels", true},
    {"brackets-inside-strings.json", "missing: required", true},
    {"invalid-utf8.json", "byte 22: invalid UTF-8 (byte 0xFF never occurs in UTF-8)", true},
    {"overlong-utf8.json", "byte 22: invalid UTF-8 (byte 0xC0 starts an overlong encoding)", true},
    {"utf8-surrogate.json", "byte 22: invalid UTF-8 (encoded UTF-16 surrogate U+D800)", true},
    {"binary-garbage.bin.json", "byte 128: invalid UTF-8", true},
    {"bom.json", "byte order mark", true},
    {"utf16.json", "the file is UTF-16", true},
    {"duplicate-keys.json", "duplicate key 'task_name'", true},
    {"single-quotes.json", "object keys must be in double quotes, not single quotes", true},
    {"comments.json", "comments are not allowed in JSON", true},
    {"control-char-in-string.json", "control character U+0009 must be escaped", true},
    {"invalid-escape.json", "invalid escape \\x", true},
    {"lone-surrogate-escape.json", "the high surrogate \\uD800 must be followed by a low surrogate", true},
    {"leading-zero.json", "cannot have leading zeros", true},
    {"plus-number.json", "cannot start with '+'", true},
    {"missing-comma.json", "expected ',' or '}' after the value of 'task_name'", true},
    {"missing-colon.json", "expected ':' after the key 'task_name'", true},
    {"unquoted-key.json", "expected an object key in double quotes", true},
    {"mismatched-brackets.json", "the brackets do not match", true},
    {"python-literals.json", "invalid literal 'None': JSON writes true, false and null in lower case", true},
    {"top-level-array.json", "a task is a JSON object, but the file holds an array", true},
    {"top-level-string.json", "a task is a JSON object, but the file holds a string", true},
    {"top-level-null.json", "a task is a JSON object, but the file holds null", true},
    {"empty-object.json", "/task_name: missing: required", true},
    {"wrong-types.json", "/task_name: must be a string, not an integer", true},
    {"parameters-not-lists.json", "/parameters/mem-fraction-static: must be a list of values", true},
    {"quant-config-bad-dtype.json", "'float16' is not a valid kvcache_dtype (kvcache_dtype spells it fp16)", true},
    {"quant-config-not-object.json", "/quant_config: must be an object", true},
    {"unknown-preset.json", "/quant_config/presets/1: no preset named 'turbo-fp4'", true},
    {"random-search.json", "'random_search' is not accepted by the autotuner (use random)", true},
    {"balanced-objective.json", "'balanced' is offered by the autotuner's UI but rejected by its backend", true},
    {"missing-timeout.json", "/optimization/timeout_per_iteration: missing", true},
    {"trtllm-docker.json", "TensorRT-LLM cannot run in the autotuner's Docker mode", true},
    {"unknown-runtime.json", "'llama.cpp' is not an engine the autotuner can deploy", true},
    {"unknown-engine-flag.json", "'mem-fraction-statik' is not an option of SGLang 0.5.18", true},
    {"nested-parameter-values.json", "a list cannot be a flag value", true},
    {"huge-string-values.json", "contains a path separator", true},
};

} // namespace

class TestBadTaskCorpus : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { m_before = snapshot(badDir()); }

    void corpusIsBigEnough() { QVERIFY2(m_before.size() >= 30, qPrintable(QString::number(m_before.size()))); }

    void badFile_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("located");
        for (const BadCase& c : kCases)
            QTest::addRow("%s", c.file) << QString::fromLatin1(c.file) << QString::fromUtf8(c.expected) << c.located;
    }

    void badFile()
    {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        QFETCH(bool, located);
        const QString path = QDir(badDir()).filePath(file);
        QVERIFY2(QFileInfo::exists(path), qPrintable(path));

        TaskCheckResult r;
        try {
            r = checkTaskFile(path);
        } catch (...) {
            QFAIL("an exception escaped");
        }
        QVERIFY2(r.hasErrors(), qPrintable(dump(r.problems)));
        const QList<TaskProblem> errors = problemsOf(r.problems, Severity::Error);
        QVERIFY(!errors.isEmpty());
        const bool said = std::any_of(
            errors.cbegin(), errors.cend(), [&](const TaskProblem& p) { return p.toString().contains(expected); });
        QVERIFY2(said, qPrintable(dump(r.problems)));
        QCOMPARE(errors.constFirst().hasLocation(), located);
        for (const TaskProblem& p : errors)
            QVERIFY2(!p.message.trimmed().isEmpty() && p.message.size() < 2000, qPrintable(p.toString()));

        // Offered for export, a bad task is refused and nothing is written. (A document whose text had problems —
        // duplicate keys, integers beyond 64 bits — never reaches the exporter: the CLI stops at the load errors.)
        const bool textOk = !r.problems.isEmpty() && !r.problems.constFirst().id.startsWith(u"TASK-DUPLICATE"_s) &&
                            !r.problems.constFirst().id.startsWith(u"TASK-NUMBER-RANGE"_s);
        if (r.document && textOk) {
            QTemporaryDir out;
            const ExportResult e = TaskExporter::exportTask(*r.document);
            QVERIFY(e.tasks.isEmpty());
            QVERIFY(!e.refused.isEmpty());
            QStringList written;
            QString error;
            QVERIFY(TaskExporter::write(e, out.path(), &written, &error));
            QVERIFY(written.isEmpty());
            QVERIFY(QDir(out.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
        }
        // Loading the bytes directly gives the same first problem as loading the file.
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const TaskCheckResult fromData = checkTaskData(f.readAll());
        QVERIFY(!fromData.problems.isEmpty());
        QCOMPARE(fromData.problems.constFirst().toString(), r.problems.constFirst().toString());
    }

    // Every file of the corpus has an expectation in kCases, and every case has its file.
    void everyFileIsCovered()
    {
        QStringList cases;
        for (const BadCase& c : kCases)
            cases << QString::fromLatin1(c.file);
        cases.sort();
        QCOMPARE(QStringList(m_before.keys()), cases);
    }

    void tooLargeFileIsRefusedUnread()
    {
        QTemporaryDir dir;
        QFile big(dir.filePath(u"big.json"_s));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(TaskLoader::kMaxFileSize + 1));
        big.close();
        const TaskCheckResult r = checkTaskFile(big.fileName());
        QVERIFY(r.hasErrors());
        QVERIFY(r.problems.constFirst().message.contains(u"16 MiB"_s));
        QVERIFY(
            checkTaskFile(dir.filePath(u"missing.json"_s)).problems.constFirst().message.contains(u"no such file"_s));
        QVERIFY(checkTaskFile(dir.path()).problems.constFirst().message.contains(u"folder"_s));
    }

    // Truncating a good task at every byte never crashes and always gives an error with a position.
    void everyTruncation()
    {
        QFile f(QDir(badDir()).filePath(u"../../../examples/docker_slo_grid_task.json"_s));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray good = f.readAll();
        QVERIFY(!checkTaskData(good).hasErrors());
        for (qsizetype n = 1; n < good.size() - 2; ++n) {
            const TaskCheckResult r = checkTaskData(good.left(n));
            QVERIFY2(r.hasErrors(), qPrintable(QString::number(n)));
            const TaskProblem& first = r.problems.constFirst();
            QVERIFY2(first.hasLocation() || first.message.contains(u"whitespace"_s), qPrintable(first.toString()));
        }
    }

    void cleanupTestCase()
    {
        // Nothing in the corpus folder changed: same files, same bytes, same modification times.
        QCOMPARE(snapshot(badDir()), m_before);
    }

private:
    QMap<QString, Snapshot> m_before;
};

QTEST_GUILESS_MAIN(TestBadTaskCorpus)
#include "TestBadTaskCorpus.moc"

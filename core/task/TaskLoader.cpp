#include "TaskLoader.h"

#include <QFile>
#include <QFileInfo>
#include <exception>
#include <new>

#include "core/task/JsonLocator.h"

using namespace Qt::StringLiterals;
using json = nlohmann::ordered_json;

namespace QuantDesk
{

namespace
{

TaskProblem
problem(const QString& id, const QString& message, const JsonLocation& where = {}, const QString& pointer = {})
{
    TaskProblem p;
    p.severity = Severity::Error;
    p.id = id;
    p.pointer = pointer;
    p.message = message;
    p.line = where.line;
    p.column = where.column;
    return p;
}

TaskLoadResult failed(TaskProblem p, const QByteArray& source)
{
    TaskLoadResult r;
    r.problems << p;
    r.source = source;
    return r;
}

QString sizeText(qint64 bytes)
{
    return u"%1 MiB"_s.arg(static_cast<double>(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix.
QString parserMessage(const char* what)
{
    QString m = QString::fromUtf8(what);
    const qsizetype bracket = m.indexOf(u"] "_s);
    if (m.startsWith(u'[') && bracket > 0)
        m = m.mid(bracket + 2);
    const qsizetype colon = m.indexOf(u": "_s);
    if (m.startsWith(u"parse error") && colon > 0)
        m = m.mid(colon + 2);
    return m;
}

} // namespace

TaskLoadResult TaskLoader::loadData(const QByteArray& data)
{
    if (data.size() > kMaxFileSize) {
        return failed(problem(u"TASK-SIZE"_s,
                              u"the file is %1; QuantDesk reads task files up to 16 MiB"_s.arg(sizeText(data.size()))),
                      {});
    }
    if (data.isEmpty())
        return failed(problem(u"TASK-EMPTY"_s, u"the file is empty: a task is a JSON object"_s), data);
    const JsonLocation start{1, 1, 0};
    if (data.startsWith("\xEF\xBB\xBF")) {
        return failed(problem(u"TASK-BOM"_s,
                              u"the file starts with a UTF-8 byte order mark (BOM), which the autotuner's json.load "
                              "rejects; save it as UTF-8 without BOM"_s,
                              start),
                      data);
    }
    if (data.startsWith("\xFF\xFE") || data.startsWith("\xFE\xFF")) {
        return failed(problem(u"TASK-ENCODING"_s,
                              u"the file is UTF-16 (it starts with a UTF-16 byte order mark); task files are UTF-8"_s,
                              start),
                      data);
    }
    QString why;
    if (const auto bad = JsonLocator::firstInvalidUtf8(data, &why)) {
        return failed(problem(u"TASK-UTF8"_s,
                              u"byte %1: invalid UTF-8 (%2); task files are UTF-8"_s.arg(*bad).arg(why),
                              JsonLocator::locationOf(data, *bad)),
                      data);
    }
    bool blank = true;
    for (const char c : data) {
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            blank = false;
            break;
        }
    }
    if (blank)
        return failed(problem(u"TASK-EMPTY"_s, u"the file contains only whitespace: a task is a JSON object"_s), data);

    // A strict, non-recursive pass first: syntax with positions, and the nesting limit before nlohmann's recursive
    // parser could overflow the stack.
    const JsonScanResult scan = JsonLocator::scan(data, kMaxDepth);
    if (!scan.ok) {
        return failed(problem(u"TASK-SYNTAX"_s,
                              scan.error,
                              scan.errorAt,
                              scan.errorPointer.isEmpty() ? QString() : scan.errorPointer),
                      data);
    }

    json root;
    try {
        root = json::parse(data.constBegin(), data.constEnd(), nullptr, true, false);
    } catch (const json::parse_error& e) {
        const qint64 offset = e.byte > 0 ? static_cast<qint64>(e.byte) - 1 : 0;
        return failed(problem(u"TASK-SYNTAX"_s, parserMessage(e.what()), JsonLocator::locationOf(data, offset)), data);
    } catch (const std::bad_alloc&) {
        return failed(problem(u"TASK-SYNTAX"_s, u"out of memory while reading the file"_s), data);
    } catch (const std::exception& e) {
        return failed(problem(u"TASK-SYNTAX"_s, parserMessage(e.what())), data);
    }

    TaskLoadResult result;
    result.source = data;
    if (!root.is_object()) {
        const QString kind = root.is_array()     ? u"an array"_s
                             : root.is_string()  ? u"a string"_s
                             : root.is_null()    ? u"null"_s
                             : root.is_boolean() ? u"a boolean"_s
                                                 : u"a number"_s;
        result.problems << problem(
            u"TASK-TYPE"_s, u"a task is a JSON object, but the file holds %1"_s.arg(kind), start);
        return result;
    }
    for (const JsonScanIssue& issue : scan.issues) {
        result.problems << problem(issue.message.startsWith(u"duplicate") ? u"TASK-DUPLICATE-KEY"_s
                                                                          : u"TASK-NUMBER-RANGE"_s,
                                   issue.message,
                                   issue.where,
                                   issue.pointer);
    }
    result.document = TaskDocument(std::move(root));
    return result;
}

TaskLoadResult TaskLoader::loadFile(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return failed(problem(u"TASK-FILE"_s, u"no such file"_s), {});
    if (info.isDir())
        return failed(problem(u"TASK-FILE"_s, u"is a folder, not a task file"_s), {});
    if (info.size() > kMaxFileSize) {
        return failed(problem(u"TASK-SIZE"_s,
                              u"the file is %1; QuantDesk reads task files up to 16 MiB"_s.arg(sizeText(info.size()))),
                      {});
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failed(problem(u"TASK-FILE"_s, u"cannot read: %1"_s.arg(file.errorString())), {});
    // Read at most one byte beyond the limit: the file may grow (or be a device) after the size check.
    const QByteArray data = file.read(kMaxFileSize + 1);
    if (file.error() != QFileDevice::NoError)
        return failed(problem(u"TASK-FILE"_s, u"cannot read: %1"_s.arg(file.errorString())), {});
    return loadData(data);
}

void TaskLoader::locate(QList<TaskProblem>& problems, const QByteArray& source)
{
    if (source.isEmpty())
        return;
    QSet<QString> wanted;
    for (const TaskProblem& p : std::as_const(problems)) {
        if (p.hasLocation())
            continue;
        for (QString ptr = p.pointer;; ptr = JsonLocator::parentPointer(ptr)) {
            wanted.insert(ptr);
            if (ptr.isEmpty())
                break;
        }
    }
    if (wanted.isEmpty())
        return;
    const JsonScanResult scan = JsonLocator::scan(source, kMaxDepth, wanted);
    for (TaskProblem& p : problems) {
        if (p.hasLocation())
            continue;
        for (QString ptr = p.pointer;; ptr = JsonLocator::parentPointer(ptr)) {
            const auto it = scan.located.constFind(ptr);
            if (it != scan.located.cend()) {
                p.line = it->line;
                p.column = it->column;
                break;
            }
            if (ptr.isEmpty())
                break;
        }
    }
}

} // namespace QuantDesk

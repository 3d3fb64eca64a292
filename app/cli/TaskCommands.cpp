// quantdesk-cli validate / export (DESIGN §5, §7).
#include "Cli.h"
#include "Commands.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>
#include <limits>

#include "core/quant/Presets.h"
#include "core/task/TaskExporter.h"
#include "core/task/TaskLoader.h"
#include "core/task/TaskValidator.h"

using namespace Qt::StringLiterals;

namespace QuantDesk::Cli
{

namespace
{

struct TaskArgs
{
    QString file;
    QString out;
    bool verbose = false;
};

// TASK.json plus the options a command allows ("--out DIR", "--out=DIR", "--verbose").
TaskArgs parseTaskArgs(const QString& command, const QStringList& args, bool wantsOut)
{
    TaskArgs parsed;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString& a = args.at(i);
        if (a == u"--verbose") {
            parsed.verbose = true;
        } else if (wantsOut && (a == u"--out" || a.startsWith(u"--out="))) {
            if (!parsed.out.isEmpty())
                throw UsageError{u"--out given twice"_s};
            if (a == u"--out") {
                if (i + 1 >= args.size())
                    throw UsageError{u"--out needs a folder"_s};
                parsed.out = args.at(++i);
            } else {
                parsed.out = a.mid(6);
            }
            if (parsed.out.isEmpty())
                throw UsageError{u"--out needs a folder"_s};
        } else if (a.startsWith(u"--")) {
            throw UsageError{u"%1: unknown option %2"_s.arg(command, a)};
        } else if (parsed.file.isEmpty()) {
            parsed.file = a;
        } else {
            throw UsageError{u"%1 takes one task file ('%2' is a second one)"_s.arg(command, a)};
        }
    }
    if (parsed.file.isEmpty())
        throw UsageError{u"%1 needs a task file: quantdesk-cli %1 TASK.json%2"_s.arg(
            command, wantsOut ? u" --out DIR"_s : QString())};
    if (wantsOut && parsed.out.isEmpty())
        throw UsageError{u"export needs --out DIR"_s};
    return parsed;
}

PresetStore loadPresets(QTextStream& err)
{
    PresetStore store;
    store.reload();
    for (const QString& p : store.problems())
        err << "quantdesk-cli: warning: user preset " << p << '\n';
    return store;
}

// Problems in file order (those without a line last), one per line.
void printProblems(QList<TaskProblem> problems, const QString& file, bool verbose, QTextStream& err)
{
    std::stable_sort(problems.begin(), problems.end(), [](const TaskProblem& a, const TaskProblem& b) {
        const int la = a.hasLocation() ? a.line : std::numeric_limits<int>::max();
        const int lb = b.hasLocation() ? b.line : std::numeric_limits<int>::max();
        return la != lb ? la < lb : a.column < b.column;
    });
    for (const TaskProblem& p : std::as_const(problems)) {
        if (p.severity == Severity::Info && !verbose)
            continue;
        err << p.toCompilerStyle(file) << '\n';
    }
}

QString countText(qsizetype n, const QString& what)
{
    return u"%1 %2%3"_s.arg(n).arg(what, n == 1 ? QString() : u"s"_s);
}

} // namespace

int cmdValidate(const QStringList& args, QTextStream& out, QTextStream& err)
{
    const TaskArgs a = parseTaskArgs(u"validate"_s, args, false);
    const PresetStore store = loadPresets(err);
    const TaskCheckResult check = checkTaskFile(a.file, &store);
    printProblems(check.problems, a.file, a.verbose, err);
    const qsizetype errors = problemsOf(check.problems, Severity::Error).size();
    const qsizetype warnings = problemsOf(check.problems, Severity::Warning).size();
    if (check.hasErrors()) {
        err << a.file << ": " << countText(std::max<qsizetype>(errors, 1), u"error"_s) << ", "
            << countText(warnings, u"warning"_s) << '\n';
        return ExitInvalid;
    }
    out << a.file << ": valid (" << countText(warnings, u"warning"_s) << ")\n";
    return ExitOk;
}

// Writes every config that can be exported exactly, even when others are refused; exits 1 when anything was refused.
int cmdExport(const QStringList& args, QTextStream& out, QTextStream& err)
{
    const TaskArgs a = parseTaskArgs(u"export"_s, args, true);
    const PresetStore store = loadPresets(err);
    const TaskCheckResult check = checkTaskFile(a.file, &store);
    if (!check.document || hasErrors(check.problems)) {
        printProblems(problemsOf(check.problems, Severity::Error), a.file, false, err);
        err << a.file << ": not exported: the task has errors\n";
        return ExitInvalid;
    }
    const ExportResult result = TaskExporter::exportTask(*check.document, &store);
    QStringList written;
    QString error;
    if (!TaskExporter::write(result, a.out, &written, &error)) {
        for (const QString& path : std::as_const(written))
            out << path << '\n';
        err << "quantdesk-cli: " << error << '\n';
        return ExitInvalid;
    }
    for (const QString& path : std::as_const(written))
        out << path << '\n';
    for (const QString& note : result.notes)
        err << a.file << ": note: " << note << '\n';
    if (a.verbose) {
        for (const ExportedTask& t : result.tasks) {
            for (const QString& note : t.notes)
                err << a.file << ": note: " << t.taskName << ": " << note << '\n';
        }
    }
    for (const ExportRefusal& r : result.refused) {
        err << a.file << ": error: " << (r.pointer.isEmpty() ? QString() : r.pointer + u": "_s)
            << (r.label.isEmpty() ? u"not exported: "_s : u"%1 not exported: "_s.arg(r.label)) << r.reason << '\n';
    }
    return result.complete() ? ExitOk : ExitInvalid;
}

} // namespace QuantDesk::Cli

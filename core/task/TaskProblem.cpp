#include "TaskProblem.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

QString TaskProblem::toString() const
{
    QString out;
    if (hasLocation())
        out += u"line %1, column %2: "_s.arg(line).arg(column);
    if (!pointer.isEmpty())
        out += pointer + u": "_s;
    return out + message;
}

QString TaskProblem::toCompilerStyle(const QString& file) const
{
    QString out = file;
    if (hasLocation())
        out += u":%1:%2"_s.arg(line).arg(column);
    out += u": "_s + severityKey(severity) + u": "_s;
    if (!pointer.isEmpty())
        out += pointer + u": "_s;
    return out + message;
}

bool hasErrors(const QList<TaskProblem>& problems)
{
    for (const TaskProblem& p : problems) {
        if (p.severity == Severity::Error)
            return true;
    }
    return false;
}

QList<TaskProblem> problemsOf(const QList<TaskProblem>& problems, Severity severity)
{
    QList<TaskProblem> out;
    for (const TaskProblem& p : problems) {
        if (p.severity == severity)
            out << p;
    }
    return out;
}

} // namespace QuantDesk

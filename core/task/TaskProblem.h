#pragma once

#include <QList>
#include <QString>

#include "core/engines/EngineCommand.h"

namespace QuantDesk
{

// One problem found in a task document: where (JSON pointer, and line/column when the text is known) and what.
struct TaskProblem
{
    Severity severity = Severity::Error;
    QString pointer; // RFC 6901; "" = the document as a whole
    QString message;
    int line = 0; // 1-based; 0 = unknown
    int column = 0;
    QString id; // stable rule id, e.g. "TASK-REQUIRED"

    [[nodiscard]] bool hasLocation() const { return line > 0; }
    // "line 3, column 14: /optimization/strategy: message" (parts that are unknown are left out).
    [[nodiscard]] QString toString() const;
    // "FILE:3:14: error: /pointer: message", or "FILE: error: /pointer: message" without a line.
    [[nodiscard]] QString toCompilerStyle(const QString& file) const;

    bool operator==(const TaskProblem&) const = default;
};

[[nodiscard]] bool hasErrors(const QList<TaskProblem>& problems);
[[nodiscard]] QList<TaskProblem> problemsOf(const QList<TaskProblem>& problems, Severity severity);

} // namespace QuantDesk

#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

#include "core/task/TaskDocument.h"
#include "core/task/TaskProblem.h"

namespace QuantDesk
{

struct TaskLoadResult
{
    // Present when the text is a JSON object; it may still carry load errors (duplicate keys, huge integers).
    std::optional<TaskDocument> document;
    QList<TaskProblem> problems; // syntax and encoding problems, with line and column
    QByteArray source;           // the text as read (used to locate later problems)

    [[nodiscard]] bool ok() const { return document.has_value() && !hasErrors(problems); }
};

// Reads task JSON defensively: malformed input becomes problems, never an exception or a crash, and nothing is
// written anywhere. Checks, in order: size (16 MiB), byte order marks, UTF-8, nesting depth (before any recursive
// parser runs), syntax (with line and column), duplicate keys and integers beyond 64 bits, and that the document is an
// object.
class TaskLoader
{
public:
    static constexpr qint64 kMaxFileSize = 16 * 1024 * 1024;
    static constexpr int kMaxDepth = 64;

    [[nodiscard]] static TaskLoadResult loadData(const QByteArray& data);
    [[nodiscard]] static TaskLoadResult loadFile(const QString& path);

    // Fills in line and column of problems that have a pointer but no location (the member's key, else the nearest
    // ancestor that exists in the text).
    static void locate(QList<TaskProblem>& problems, const QByteArray& source);
};

} // namespace QuantDesk

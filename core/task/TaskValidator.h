#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

#include "core/quant/Presets.h"
#include "core/task/TaskDocument.h"
#include "core/task/TaskProblem.h"

namespace QuantDesk
{

// Checks a task against what the inference-autotuner accepts and runs (reference/autotuner.md §1–§2) and against the
// engine QuantDesk previews: required fields, types, enums, dtype values, preset names, parameter flags, overrides of
// quant flags, duplicate experiments, and the autotuner's traps. Every check has a stable rule id (TaskProblem::id).
// Errors: the autotuner (or the engine) would fail or silently do something else than written. Warnings: it runs, but
// probably not as meant. Info: worth knowing.
class TaskValidator
{
public:
    // store resolves preset names (built-ins when null).
    [[nodiscard]] static QList<TaskProblem> validate(const TaskDocument& doc, const PresetStore* store = nullptr);
};

struct TaskCheckResult
{
    std::optional<TaskDocument> document;
    QList<TaskProblem> problems; // load problems, then validation problems, located in the source text
    QByteArray source;

    [[nodiscard]] bool hasErrors() const { return !document || QuantDesk::hasErrors(problems); }
};

// Load + validate + locate: what `quantdesk-cli validate` does.
[[nodiscard]] TaskCheckResult checkTaskData(const QByteArray& data, const PresetStore* store = nullptr);
[[nodiscard]] TaskCheckResult checkTaskFile(const QString& path, const PresetStore* store = nullptr);

} // namespace QuantDesk

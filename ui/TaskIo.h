#pragma once

#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

#include "core/task/TaskExporter.h"
#include "ui/TaskState.h"

namespace QuantDesk
{

class PresetStore;

// What the editor needs from the task layer: read, write and export task documents. The windows only talk to this
// interface; the implementation is the core's task layer (TaskLoader, TaskValidator, TaskDocument, TaskExporter).
class TaskIo
{
public:
    virtual ~TaskIo() = default;

    // Reads a task. nullopt when it cannot be edited (malformed JSON, an engine or preset QuantDesk does not know),
    // with *error saying what and where ("FILE:3:14: error: /pointer: message"). Validation problems that do not
    // stop editing come back in *problems. Never changes the file.
    [[nodiscard]] virtual std::optional<TaskState>
    load(const QString& path, const PresetStore& presets, QString* error, QStringList* problems) const = 0;
    // Writes the task atomically, keeping what the editor does not model.
    [[nodiscard]] virtual bool save(const TaskState& state, const QString& path, QString* error) const = 0;

    struct ExportOutcome
    {
        QStringList written; // files, in order
        QStringList refused; // "label: reason" for configs the exporter refused
        QStringList notes;
    };
    // Writes one pinned autotuner task per exported config into dir. nullopt (with *error) when nothing could be
    // written.
    [[nodiscard]] virtual std::optional<ExportOutcome> exportForAutotuner(const TaskState& state,
                                                                          const PresetStore& presets,
                                                                          const QString& dir,
                                                                          QString* error) const = 0;
};

// The implementation the application uses; presets resolves user preset names when saving (built-ins when null).
[[nodiscard]] std::unique_ptr<TaskIo> createTaskIo(const PresetStore* presets = nullptr);

// The export both "Export for Autotuner" and "Submit to Host" use: one pinned task per exported config of the state
// (the comparison, or the current choice), and what the exporter refused, each refusal labelled with its config.
[[nodiscard]] ExportResult exportTasks(const TaskState& state, const PresetStore& presets);

// The document a state saves as: the loaded document with every edited part written back (untouched parts keep
// their exact JSON, key order included). presets resolves the loaded document's preset names (built-ins when null).
[[nodiscard]] TaskDocument taskDocumentFor(const TaskState& state, const PresetStore* presets = nullptr);

} // namespace QuantDesk

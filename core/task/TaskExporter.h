#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

#include "core/engines/EngineCommand.h"
#include "core/quant/Presets.h"
#include "core/quant/QuantConfig.h"
#include "core/task/TaskDocument.h"

namespace QuantDesk
{

// One task written for the autotuner: a single quant config with its flags pinned.
struct ExportedTask
{
    QString taskName; // <task_name>-<preset name or config slug>
    QString fileName; // <taskName>.json
    QString label;    // the preset name or the config slug
    std::optional<QString> preset;
    QuantConfig config;
    TaskDocument document;
    EngineCommand command;  // the preview the task reproduces (first value of every parameter)
    QStringList pinned;     // parameters added to pin a previewed flag
    QStringList suppressed; // parameters added as [false]: flags the autotuner's own mapping would add
    QStringList notes;
};

struct ExportRefusal
{
    QString label;   // the config refused; empty when the whole task is refused
    QString pointer; // where in the source document the reason lies, when it is one place
    QString reason;
};

struct ExportResult
{
    QList<ExportedTask> tasks;
    QList<ExportRefusal> refused;
    QStringList notes; // configs merged because they give the same command, and the like

    [[nodiscard]] bool complete() const { return refused.isEmpty(); }
};

// Export for the autotuner (DESIGN §5): every quant config of a task (each preset of "presets", the singular "preset",
// each distinct command of the explicit fields' lists) becomes its own task named <task_name>-<preset or slug>, whose
// quant_config holds the four explicit fields and whose parameters pin every flag of the preview as a single-value
// list, followed by the user's own parameters as written. Flags the autotuner's Python mapper would add on its own
// (e.g. --dtype auto, SGLang's --attention-backend flashinfer or --moe-runner-backend) are pinned to false, which the
// autotuner documents as "leave the flag out" (reference/autotuner.md §1.3); user parameters override the mapper in
// both of its paths (§2.6), so its web worker and its CLI both start the engine with exactly the previewed flags.
// Every exported task is checked against AutotunerMapping before it is accepted.
//
// Refused, with the reason: documents with errors, parameters carrying __quant__ keys, TensorRT-LLM (the autotuner
// cannot deploy it), engines QuantDesk cannot tell, configs with blocking diagnostics, configs whose command needs a
// --config YAML file or has a value with whitespace (the autotuner splits its command line on whitespace), and configs
// whose quant flags change across the parameter grid.
class TaskExporter
{
public:
    [[nodiscard]] static ExportResult exportTask(const TaskDocument& doc, const PresetStore* store = nullptr);

    // Writes every exported task into dir (created when missing) as <task name>.json, each file atomically
    // (QSaveFile). Appends the written paths to *written; stops at the first failure.
    static bool write(const ExportResult& result, const QString& dir, QStringList* written, QString* error);
};

} // namespace QuantDesk

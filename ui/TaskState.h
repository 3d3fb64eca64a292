#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/engines/EngineCommand.h"
#include "core/hardware/GpuInfo.h"
#include "core/model/ModelInfo.h"
#include "core/quant/QuantConfig.h"
#include "core/task/TaskDocument.h"

namespace QuantDesk
{

// One engine parameter of the task: a flag name without "--" and its grid of values (a JSON array, so integers,
// floats, booleans and strings keep exactly the type the autotuner will pass on).
struct ParameterEntry
{
    QString key;
    nlohmann::ordered_json values = nlohmann::ordered_json::array();

    bool operator==(const ParameterEntry&) const = default;
};

// "0.85, 1, true, fp8" ↔ [0.85, 1, true, "fp8"].
[[nodiscard]] QString parameterValuesToText(const nlohmann::ordered_json& values);
[[nodiscard]] nlohmann::ordered_json parameterValuesFromText(const QString& text);

// A quant config together with the preset it came from ("" = Custom).
struct QuantChoice
{
    QString preset;
    QuantConfig config;

    // The preset name, else the config's slug: what export appends to the task name.
    [[nodiscard]] QString label() const;
    bool operator==(const QuantChoice&) const = default;
};

// Everything the editor edits: one plain value, so undo/redo can snapshot it and tests can compare it.
struct TaskState
{
    TaskDocument document; // the task as loaded: everything the editor does not model is written back unchanged
    QString taskName = QStringLiteral("quant-task");
    QString description;
    QString model;
    QString engine = QStringLiteral("vllm");
    QString engineVersion; // "" = the newest profile
    QString gpuFile;       // nvidia-smi output the GPU was read from ("" = no target GPU); not part of the task
    QString gpuHost;       // the host whose probe the GPU came from ("" = not from a host); not part of the task
    std::optional<GpuInfo> gpu;
    QList<ParameterEntry> parameters;
    QuantChoice quant;
    QList<QuantChoice> comparison; // empty: the task runs quant alone
    nlohmann::ordered_json optimization = nlohmann::ordered_json::object();
    nlohmann::ordered_json benchmark = nlohmann::ordered_json::object();

    // A new task with the autotuner's usual optimization and benchmark settings.
    [[nodiscard]] static TaskState defaults();
    // Parameters as the mapper takes them: the first value of each grid as the autotuner passes it on.
    [[nodiscard]] QList<QPair<QString, QString>> previewParameters() const;
    // The configs export turns into tasks: the comparison list, else the current config.
    [[nodiscard]] QList<QuantChoice> exportedChoices() const;

    bool operator==(const TaskState&) const = default;
};

// Reading typed values out of the optimization/benchmark objects, with a default for absent or mistyped keys.
[[nodiscard]] QString jsonString(const nlohmann::ordered_json& object, const char* key, const QString& fallback = {});
[[nodiscard]] int jsonInt(const nlohmann::ordered_json& object, const char* key, int fallback);

// The engine version the task targets as the autotuner would run it (the engine's default image when no version is
// set): what the preview and the export both use for the task's engine.
[[nodiscard]] QString effectiveEngineVersion(const TaskState& state);

// The exact command the preview shows for one engine. Task parameters only go to the task's own engine (their
// spelling is engine-specific); the task's engine version selects that engine's profile.
[[nodiscard]] EngineCommand
buildTaskCommand(const TaskState& state, const QString& engine, const QuantConfig& config, const ModelInfo& model);

} // namespace QuantDesk

#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <optional>

#include "core/engines/EngineCommand.h"
#include "core/engines/EngineProfile.h"
#include "core/model/ModelInfo.h"
#include "core/quant/Presets.h"
#include "core/quant/QuantConfig.h"
#include "core/task/TaskDocument.h"

namespace QuantDesk
{

// The engine a task runs on, as the autotuner would pick it from base_runtime and runtime_image_tag.
struct TaskTarget
{
    QString engine;        // "vllm", "sglang", "trtllm"; empty when base_runtime names no engine QuantDesk knows
    QString engineVersion; // from runtime_image_tag, or the autotuner's default image; empty = the newest profile
    const EngineProfile* profile = nullptr;
    QString profileNote;          // set when the profile is only the nearest to engineVersion
    bool exactAlias = false;      // the autotuner's quant mapper recognises base_runtime (exact, case-insensitive)
    bool matchedByPrefix = false; // e.g. "sglang-llama-small": Docker and OME pick the engine by prefix
};

// One quant config of a task, with the command QuantDesk previews for it.
struct PlannedConfig
{
    QString label; // the preset name, or QuantConfig::slug()
    std::optional<QString> preset;
    QuantConfig config;
    QString pointer;       // where the config comes from: "/quant_config/presets/1", "/quant_config", …
    EngineCommand command; // the preview with the first value of every parameter
    int duplicateOf = -1;  // index of an earlier config with exactly the same command
};

// What a task runs: its engine, its model and every quant config (one per preset, or the Cartesian product of the
// explicit fields' lists, in the autotuner's order), each previewed.
struct TaskPlan
{
    TaskTarget target;
    ModelInfo model;
    // (key as written, first value as text) for every parameter the preview passes on; reserved keys are left out.
    QList<QPair<QString, QString>> previewParameters;
    QList<PlannedConfig> configs;
    // How many configs the quant_config describes; above kMaxConfigs nothing is planned (configs stays empty).
    qint64 configCount = 0;

    static constexpr qint64 kMaxConfigs = 4096;
    [[nodiscard]] bool tooManyConfigs() const { return configCount > kMaxConfigs; }
    // More parameters than QuantDesk previews (configs stays empty).
    bool tooManyParameters = false;
    static constexpr qsizetype kMaxParameters = 256;
};

// The text a parameter value gives a flag: strings as they are, true/false, numbers as the autotuner's Python writes
// them (0.85, 1.0, 1e-05).
[[nodiscard]] QString parameterValueText(const nlohmann::ordered_json& value);

[[nodiscard]] TaskTarget resolveTaskTarget(const TaskDocument& doc);
// The model a task runs, as QuantDesk both previews and exports it (one truth, so that what is submitted is what was
// previewed): what the checkpoint's own files say when they can be read here (a local folder, or a hub id in the local
// Hugging Face cache: inspectModel), else what the task declares (model.quantization /
// model.quantization_config.quant_method, as the autotuner reads them), else the name.
[[nodiscard]] ModelInfo taskModelInfo(const TaskDocument& doc);
// The same from a model already inspected (no disk access): the editor inspects a model once per id.
[[nodiscard]] ModelInfo taskModelInfo(const TaskDocument& doc, ModelInfo inspected);
// Every quant config of the document (presets resolved with store, or the built-ins when store is null). Unknown
// presets and invalid values are skipped: the validator reports them.
[[nodiscard]] TaskPlan planTask(const TaskDocument& doc, const PresetStore* store);
// The same with the model already known (taskModelInfo): export and validation reuse one inspection.
[[nodiscard]] TaskPlan planTask(const TaskDocument& doc, const PresetStore* store, const ModelInfo& model);
// The preview of one config with the given parameters, for the plan's engine (requires plan.target.profile).
[[nodiscard]] EngineCommand
previewCommand(const TaskPlan& plan, const QuantConfig& config, const QList<QPair<QString, QString>>& parameters);

} // namespace QuantDesk

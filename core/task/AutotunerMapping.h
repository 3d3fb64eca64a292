#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/quant/QuantConfig.h"

// A faithful C++ model of what the inference-autotuner does with a task's parameters and quant_config, as documented
// in reference/autotuner.md §1.3, §2.4–§2.6, §2.8 and §7 (main c86a814): the grid, the web worker's quant_config
// merge, prepare_runtime_parameters with the Python quant mapper (not the TS one) and merge_parameters, and the Docker
// controller that turns the final dict into flags. QuantDesk's export uses it to know which flags the autotuner adds on
// its own; the tests use it to prove that an exported task runs exactly the previewed flags.
//
// Not modelled: parallel_config / __parallel__ keys (their mapping is not documented), Bayesian/random sampling (every
// choice is enumerated like a grid; continuous and integer ranges are not).
namespace QuantDesk::AutotunerMapping
{

using json = nlohmann::ordered_json;
// "--flag" → value, in the order of the Python dict.
using Args = QList<QPair<QString, QString>>;

// detect_model_quantization(model_path, model_config) (§2.8): the ordered substring test on the lower-case id or path,
// then the model dict's "quantization" or "quantization_config.quant_method". Empty when not quantized.
[[nodiscard]] QString detectModelQuantization(const QString& idOrPath, const json& model);
// should_apply_dynamic_fp8: gemm fp8 and the model not offline-quantized by one of the listed methods.
[[nodiscard]] bool shouldApplyDynamicFp8(const QString& gemm, const QString& modelQuantization);

// The engine get_runtime_args maps for: base_runtime.lower() exactly "vllm", "sglang", or "tensorrt_llm" / "trtllm" /
// "tensorrt-llm" ("trtllm"). Empty for anything else (the autotuner logs "Unknown runtime" and adds no quant flags).
[[nodiscard]] QString quantMapperEngine(const QString& baseRuntime);
// map_to_vllm_args / map_to_sglang_args / map_to_tensorrt_llm_args for one resolved config (§2.5, Python column).
[[nodiscard]] Args quantArgs(const QString& baseRuntime, const QuantConfig& config, const QString& modelQuantization);
// validate_quant_config on one experiment's quant dict: each of the four fields (auto when absent) one of its values.
[[nodiscard]] bool validQuantConfig(const json& quantConfig);

// expand_quant_config_to_parameter_spec (§2.4 step 1): {"__quant__<field>": [values]} or {"__quant__preset": [...]}.
[[nodiscard]] json expandQuantConfig(const json& quantConfig);
// generate_parameter_grid (§1.3): lists (empty ones skipped) and legacy {"type": "choice", "values"}; the product in
// key order, the last key varying fastest. nullopt (with *error) for what the autotuner rejects.
[[nodiscard]] std::optional<QList<json>> parameterGrid(const json& spec, QString* error);
// merge_parameters (§2.6): user parameters override quant args; "--" is normalised; non-bool values become strings;
// a list takes its first element.
[[nodiscard]] json mergeParameters(const Args& quantArgs, const json& userParameters);
// prepare_runtime_parameters (§2.4 step 3) for one experiment's parameter dict: splits the __quant__ keys off, maps
// them, merges the user parameters over them and strips leading dashes from the keys. Without __quant__ keys the
// parameters pass through untouched.
[[nodiscard]] json prepareRuntimeParameters(const QString& baseRuntime, const json& experiment, const json& model);
// The Docker controller (§7.2): "--k v" per key ("--" added unless present), true → bare "--k", false → left out,
// then the whole command is split on whitespace.
[[nodiscard]] QStringList commandWords(const json& runtimeParameters);
// Python's str() of a JSON scalar (floats as repr: "0.85", "1.0", "1e-05", "1e+16").
[[nodiscard]] QString pythonStr(const json& value);

enum class RunPath {
    WebWorker, // run_autotuning_task: quant_config merged into the grid as __quant__ keys
    Cli,       // run_autotuner.py: quant_config ignored
};

struct Experiment
{
    json parameters;        // the grid point (what the autotuner stores in experiments.parameters)
    json runtimeParameters; // after prepare_runtime_parameters
    QStringList words;      // what the Docker controller appends to the launch command
};

struct Run
{
    QList<Experiment> experiments;
    QString error; // set when the autotuner would fail the task before running anything (or the model cannot say)
};

// Every experiment the autotuner runs for a task on the given path (grid_search order, capped at max_iterations).
[[nodiscard]] Run run(const json& task, RunPath path);

// Flag words → (flag, value) pairs: a word starting with "--" is a flag, the next word its value unless it is a flag.
[[nodiscard]] QList<QPair<QString, std::optional<QString>>> flagPairs(const QStringList& words);

} // namespace QuantDesk::AutotunerMapping

#pragma once

#include <QHash>
#include <QList>
#include <QPair>
#include <QSet>
#include <QString>
#include <map>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/quant/Presets.h"
#include "core/quant/QuantConfig.h"

namespace QuantDesk
{

class EngineProfile;

// What is known about a run besides its own parameters: the task it belongs to (a REST task, a job's exported task,
// a genai-bench experiment_metadata.json, vllm bench --metadata keys).
struct QuantContext
{
    QString engine;                    // "vllm", "sglang", "trtllm" (or a base_runtime such as "sglang"); "" unknown
    QString engineVersion;             // "" → the newest profile
    std::optional<QuantConfig> config; // the task's single quant config, when it has exactly one
    QString preset;                    // the preset the task names ("preset": x, or a one-element "presets")
    QString taskName;                  // a name that may carry a preset name as a token: QuantDesk exports name tasks
                                       // "<task>-<preset or slug>"; also a genai-bench folder or a result file name
    QString source;                    // where config/preset came from: "task quant_config", "job record", …
    bool flagParameters = false;       // the parameters are engine flags (autotuner experiments)

    bool operator==(const QuantContext&) const = default;
};

struct QuantResolution
{
    bool known = false;
    QuantConfig config;
    QString preset; // "" when no preset has these four fields
    QString source; // "__quant__ parameters", "pinned flags (vLLM 0.27.1 profile)", "task quant_config", …
    QString engine; // the engine whose profile read the flags back, when flags were used
    QString note;   // e.g. the task's quant_config and the flags that ran disagree

    bool operator==(const QuantResolution&) const = default;
};

// Ties an experiment to the quant config it ran with (DESIGN §6), in this order:
//  1. the autotuner's own __quant__* parameters (__quant__preset, or __quant__<field>; absent fields are auto);
//  2. the quant flags among the parameters (QuantDesk pins every previewed flag as a parameter when it exports, and the
//     autotuner's CLI passes parameters through as flags), read back through the engine profile: the flags are
//     compared with the command the mapper builds for the presets and then for every combination of the four fields
//     (fewest non-auto fields first), so the answer is the config that produces exactly those flags. Parameters with
//     no quant flag at all mean the engine ran with its defaults (the baseline). When the task's own quant_config is
//     known and produces the same flags, it is preferred (it can say more than the flags, e.g. an attention dtype the
//     engine folds into the KV flag);
//  3. the context's quant config or preset (task quant_config, job record, experiment metadata);
//  4. a preset name standing as a token in the task name ("<task>-kv-cache-fp8", as QuantDesk's export names tasks),
//     or in a genai-bench folder or result file name.
// Not thread-safe (it caches); use one per import. It holds its own copy of the presets, so an import on a worker
// thread never touches the UI's PresetStore.
class QuantResolver
{
public:
    // presets: the presets to name configs by, in matching order (PresetStore::all()); empty: the built-ins.
    explicit QuantResolver(QList<Preset> presets = {});
    ~QuantResolver();
    QuantResolver(const QuantResolver&) = delete;
    QuantResolver& operator=(const QuantResolver&) = delete;

    [[nodiscard]] QuantResolution resolve(const QList<QPair<QString, QString>>& parameters,
                                          const QuantContext& context) const;

    // The first preset whose four fields equal config ("" when none), like PresetStore::matching.
    [[nodiscard]] QString presetFor(const QuantConfig& config) const;
    [[nodiscard]] std::optional<QuantConfig> presetConfig(const QString& name) const;
    // The longest preset name that stands as a token in name ("llama-kv-cache-fp8" → "kv-cache-fp8"); "" when none.
    [[nodiscard]] QString presetInName(const QString& name) const;

    // Reads a task's quant_config into a context: explicit single values, {"preset": x}, a one-element
    // {"presets": [x]}; lists with several values (several configs) leave it unset.
    static void readTaskQuantConfig(const nlohmann::json& quantConfig, QuantContext* context);
    // "sglang", "vllm", "trtllm" from a base_runtime / server_engine / backend string; "" when unknown.
    [[nodiscard]] static QString normaliseEngine(const QString& name);

    // Pinned-flag lookup through one profile; nullopt when the parameters carry flags no config produces.
    [[nodiscard]] std::optional<QuantConfig> configFromFlags(const EngineProfile& profile,
                                                             const QList<QPair<QString, QString>>& parameters) const;

private:
    struct ProfileTable;
    ProfileTable& table(const EngineProfile& profile) const;
    [[nodiscard]] QString flagSignature(const EngineProfile& profile,
                                        const QList<QPair<QString, QString>>& parameters) const;
    [[nodiscard]] QString commandSignature(const EngineProfile& profile, const QuantConfig& config) const;
    [[nodiscard]] const EngineProfile*
    guessProfile(const QList<QPair<QString, QString>>& parameters, const QuantContext& context, QString* how) const;

    QList<Preset> m_presets;
    mutable std::map<const EngineProfile*, std::unique_ptr<ProfileTable>> m_tables;
    mutable QHash<QString, QuantResolution> m_cache;
};

} // namespace QuantDesk

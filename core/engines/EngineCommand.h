#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

#include "core/engines/EngineProfile.h"
#include "core/quant/QuantConfig.h"

namespace QuantDesk
{

enum class Severity {
    Info,
    Warning,
    Error, // blocking: the command would fail, or would not do what was asked
};

[[nodiscard]] QString severityKey(Severity severity); // "info", "warning", "error"

// A structured remedy the UI can apply with one click (set a field, or set a parameter).
struct FixAction
{
    enum class Kind {
        None,
        SetField,
        SetParameter,
        RemoveParameter,
    };
    Kind kind = Kind::None;
    QString key; // field JSON key ("kvcache_dtype") or parameter name without dashes
    QString value;
    bool operator==(const FixAction&) const = default;
};

struct Diagnostic
{
    QString id; // stable rule id, e.g. "HW-FP8-KV"
    Severity severity = Severity::Info;
    QString field;    // "gemm_dtype", …, "parameters", "model", "gpu", "engine"
    QString message;  // what and why
    QString fix;      // suggested fix in words (may be empty)
    FixAction action; // the same fix as data, when there is one
    bool operator==(const Diagnostic&) const = default;
};

// One flag of a command with where it came from.
struct CommandFlag
{
    QString flag;                     // canonical spelling
    std::optional<QString> value;     // nullopt for switches
    QString source;                   // field JSON key, "parameter", or "engine"
    QString note;                     // translation or explanation
    std::optional<QString> overrides; // what a user parameter replaced: "fp8_e5m2 (from kvcache_dtype)"
    bool translated = false;
    QString group; // flags emitted together by one rule share a group (e.g. --quantization + --quantization-config)
    bool operator==(const CommandFlag&) const = default;
};

// One key of the TensorRT-LLM --config YAML with where it came from.
struct YamlEntry
{
    QString key; // dotted: "kv_cache_config.dtype"
    QString value;
    QString source;
    QString note;
    bool operator==(const YamlEntry&) const = default;
};

struct FieldSupport
{
    SupportLevel level = SupportLevel::Native;
    QString note;
    bool operator==(const FieldSupport&) const = default;
};

// The exact launch command for one engine, with provenance and diagnostics. What the preview shows is what export and
// submit send.
struct EngineCommand
{
    QString engine;         // "vllm"
    QString engineVersion;  // requested version, else the profile's
    QString profileVersion; // the profile used
    QString model;          // as given ("" when unknown)
    QStringList launch;     // launch words with the model filled in
    QList<CommandFlag> flags;
    QList<YamlEntry> yaml;
    QString configFile; // name of the YAML file the --config flag points at
    QList<Diagnostic> diagnostics;
    QMap<QuantField, FieldSupport> support;

    // The flags only, in order: ["--kv-cache-dtype", "fp8_e5m2", …].
    [[nodiscard]] QStringList argv() const;
    // Launch words + flags.
    [[nodiscard]] QStringList fullArgv() const;
    // The full command, every word POSIX shell-quoted.
    [[nodiscard]] QString shellCommand() const;
    // The YAML text for --config, or empty.
    [[nodiscard]] QString configYaml() const;
    [[nodiscard]] bool hasErrors() const;
    [[nodiscard]] const CommandFlag* findFlag(const QString& flag) const;
};

// POSIX shell quoting of one word: returned unchanged when it is safe, else in single quotes.
[[nodiscard]] QString shellQuote(const QString& word);
[[nodiscard]] QString shellJoin(const QStringList& words);

} // namespace QuantDesk

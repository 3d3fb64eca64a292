#pragma once

#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

#include "core/quant/QuantConfig.h"

namespace QuantDesk
{

// How an engine handles one field value (DESIGN §2).
enum class SupportLevel {
    Native,      // a flag (or nothing, for auto) does it
    Translated,  // the engine spells the value differently; the flag carries a note
    Checkpoint,  // needs a pre-quantized checkpoint
    Implicit,    // follows from another field or the model dtype
    Unsupported, // the engine cannot do it; nothing is emitted and a diagnostic says so
};

[[nodiscard]] QString supportLevelKey(SupportLevel level); // "native", …
[[nodiscard]] std::optional<SupportLevel> supportLevelFromKey(const QString& key);

// Compares engine versions such as "0.27.1", "1.3.0rc3", "0.5.18.post1": negative, zero or positive.
// Pre-releases (rcN, aN, bN, devN) sort before the release.
[[nodiscard]] int compareVersions(const QString& a, const QString& b);

struct FlagSpec
{
    QString name; // canonical spelling, e.g. "--kv-cache-dtype"
    bool takesValue = false;
    QStringList choices;         // argparse/click choices; empty = any value
    QStringList validatedValues; // checked after parsing (vLLM --quantization, --attention-backend)
    QStringList aliases;
    QString since; // first engine version with the flag; empty = every version of the profile; "unverified"
    bool deprecated = false;
    QString nargs;

    // The values a command may carry: choices, else validated values, else anything (empty list).
    [[nodiscard]] const QStringList& allowedValues() const { return choices.isEmpty() ? validatedValues : choices; }
};

struct MappingRule
{
    SupportLevel level = SupportLevel::Native;
    QStringList args;                    // flag/value pairs
    QMap<QString, QString> yaml;         // dotted YAML key → value (TensorRT-LLM --config file)
    QMap<QString, QString> yamlFallback; // used when the version lacks the flag in args
    QString note;
    QString translation; // "fp8 → fp8_e4m3"
    QString fix;
    QString quantMethod; // the --quantization value (or checkpoint method) this rule stands for
    bool online = false; // the engine quantizes a BF16 checkpoint itself
    QString kvFp8;       // "e4m3" / "e5m2" for FP8 KV values
    QString viaKv;       // attention rules: the KV value that carries FP8 attention
    bool tritonOnly = false;
    bool quantizesDense = false;     // SGLang moe fp8
    bool needsFp8Checkpoint = false; // TensorRT-LLM FP8 FMHA
    QStringList coveredByGemm;       // gemm values whose flags already do this (moe fp8 under gemm fp8)
    QList<QStringList> alternatives;
};

struct SeedClaim
{
    QString claim; // "supported", "limited", "unsupported", "unlisted"
    QString note;
};

// An engine release as data: every flag its serve command accepts and the per-value mapping rules.
// Loaded from resources/engines/<engine>-<version>.json.
class EngineProfile
{
public:
    static std::optional<EngineProfile> fromJson(const QByteArray& data, QString* error);

    [[nodiscard]] const QString& engine() const { return m_engine; } // "vllm", "sglang", "trtllm"
    [[nodiscard]] const QString& displayName() const { return m_displayName; }
    [[nodiscard]] const QString& version() const { return m_version; }
    [[nodiscard]] const QString& versionLabel() const { return m_versionLabel; }
    [[nodiscard]] const QString& sourceCommit() const { return m_sourceCommit; }
    // Launch words before the flags, with "{model}" where the model goes.
    [[nodiscard]] const QStringList& launch() const { return m_launch; }
    [[nodiscard]] const QString& configFlag() const { return m_configFlag; }
    [[nodiscard]] const QString& configFile() const { return m_configFile; }
    [[nodiscard]] bool underscoreIsDash() const { return m_underscoreIsDash; }
    [[nodiscard]] bool boolNegation() const { return m_boolNegation; }
    [[nodiscard]] const QHash<QString, QStringList>& yamlOptions() const { return m_yamlOptions; }

    [[nodiscard]] int flagCount() const { return static_cast<int>(m_flags.size()); }
    [[nodiscard]] QStringList flagNames() const;
    // Resolves a flag as the engine's parser would: aliases, and for vLLM '_' == '-'. Accepts names with or
    // without the leading dashes. nullptr when the engine has no such flag.
    [[nodiscard]] const FlagSpec* findFlag(const QString& name) const;
    // One name for every spelling of the same option (aliases, '-' vs '_' in vLLM, --x / --no-x): two flags set the
    // same engine setting when their canonical names are equal. Unknown flags return the input.
    [[nodiscard]] QString canonicalName(const QString& flag) const;
    // Whether the flag exists in the given engine version (empty version: the profile's own).
    [[nodiscard]] bool flagAvailable(const FlagSpec& flag, const QString& engineVersion) const;
    // Checks one flag and value against the profile; the error says what is wrong.
    [[nodiscard]] bool validate(const QString& flag, const QString& value, bool hasValue, QString* error) const;

    [[nodiscard]] const MappingRule& rule(QuantField field, const QString& value) const;
    [[nodiscard]] bool hasRule(QuantField field, const QString& value) const;
    [[nodiscard]] SeedClaim seedClaim(QuantField field) const { return m_seed.value(field); }

private:
    QString m_engine;
    QString m_displayName;
    QString m_version;
    QString m_versionLabel;
    QString m_sourceCommit;
    QStringList m_launch;
    QString m_configFlag;
    QString m_configFile;
    bool m_underscoreIsDash = false;
    bool m_boolNegation = false;
    QStringList m_caseInsensitive;
    QHash<QString, FlagSpec> m_flags;
    QHash<QString, QString> m_aliases;   // alias spelling that has no entry of its own → the entry's name
    QHash<QString, QString> m_canonical; // every entry and alias → its group's representative
    QHash<QString, QStringList> m_yamlOptions;
    QHash<QuantField, QHash<QString, MappingRule>> m_mapping;
    QHash<QuantField, SeedClaim> m_seed;
};

// The profiles compiled into the application (resources/engines).
class ProfileRegistry
{
public:
    static const ProfileRegistry& builtIn();

    [[nodiscard]] QStringList engines() const; // "vllm", "sglang", "trtllm"
    [[nodiscard]] QList<const EngineProfile*> profiles(const QString& engine) const;
    // The profile for an engine and version: exact match, else the nearest by version (a note says so).
    // An empty version picks the newest profile. nullptr for an unknown engine.
    [[nodiscard]] const EngineProfile* select(const QString& engine, const QString& version, QString* note) const;
    [[nodiscard]] const QStringList& loadErrors() const { return m_errors; }

    static QString engineDisplayName(const QString& engine);

private:
    ProfileRegistry();
    QList<EngineProfile> m_profiles;
    QStringList m_errors;
};

} // namespace QuantDesk

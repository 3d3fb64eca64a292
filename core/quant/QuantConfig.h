#pragma once

#include <QString>
#include <QStringList>
#include <array>
#include <optional>

namespace QuantDesk
{

// The four runtime quantization fields of the autotuner's quant_config.
enum class QuantField {
    Gemm,
    KvCache,
    Attention,
    Moe,
};

inline constexpr std::array<QuantField, 4> kQuantFields{
    QuantField::Gemm, QuantField::KvCache, QuantField::Attention, QuantField::Moe};

// "gemm_dtype", "kvcache_dtype", "attention_dtype", "moe_dtype": the autotuner's JSON keys.
[[nodiscard]] QString fieldKey(QuantField field);
// "gemm", "kvcache", "attention", "moe": the short names used in engine profiles and on the command line.
[[nodiscard]] QString fieldShortName(QuantField field);
// "GEMM", "KV cache", "Attention", "MoE": for people.
[[nodiscard]] QString fieldLabel(QuantField field);
// Accepts the JSON key, the short name or the CLI option name ("kv", "kvcache", "kvcache_dtype", …).
[[nodiscard]] std::optional<QuantField> fieldFromName(const QString& name);

// The values each field accepts, in the autotuner's vocabulary and order.
[[nodiscard]] const QStringList& fieldValues(QuantField field);
[[nodiscard]] bool isValidFieldValue(QuantField field, const QString& value);
// One sentence explaining a value (used by tooltips and `presets`).
[[nodiscard]] QString valueDescription(QuantField field, const QString& value);

// A runtime quantization config: one value per field. Plain value type.
struct QuantConfig
{
    QString gemm = QStringLiteral("auto");
    QString kvcache = QStringLiteral("auto");
    QString attention = QStringLiteral("auto");
    QString moe = QStringLiteral("auto");

    [[nodiscard]] QString value(QuantField field) const;
    void setValue(QuantField field, const QString& value);
    // Every field holds one of its valid values.
    [[nodiscard]] bool isValid(QString* error = nullptr) const;
    [[nodiscard]] bool isBaseline() const;
    // A short, filesystem- and task-name-safe name, e.g. "gemm-fp8_kv-fp8-e5m2" ("baseline" for all auto).
    [[nodiscard]] QString slug() const;
    // "gemm=fp8 kvcache=fp8_e5m2 attention=auto moe=auto"
    [[nodiscard]] QString summary() const;

    bool operator==(const QuantConfig&) const = default;
};

} // namespace QuantDesk

#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include "core/quant/QuantConfig.h"

namespace QuantDesk
{

// The quant_config shapes the autotuner accepts (reference/autotuner.md §2.1).
enum class QuantSpecShape {
    None,     // absent, null or {}
    Explicit, // the four fields, each a value or a list of values
    Preset,   // {"preset": name} (ignored by the autotuner; QuantDesk resolves it)
    Presets,  // {"presets": [names]}
};

// quant_config as written in a task.
struct TaskQuantSpec
{
    QuantSpecShape shape = QuantSpecShape::None;
    // The explicit fields present, each with its values as written (a scalar is one value). With Preset they override
    // the preset's values; with Presets the autotuner ignores them.
    QMap<QuantField, QStringList> fields;
    QList<QuantField> listFields; // fields written as JSON lists (kept as lists on save)
    QString preset;               // Preset
    QStringList presets;          // Presets
    bool presetsIsList = true;    // a scalar "presets" (the autotuner wraps it into a list)

    bool operator==(const TaskQuantSpec&) const = default;
};

// One entry of "parameters": an engine flag without "--" and the values the grid tries.
struct TaskParameter
{
    enum class Form {
        List,    // simple format: [v1, v2]
        Legacy,  // {"type": "choice", "values": [...]} and the Bayesian forms
        Scalar,  // a bare value (the autotuner's grid rejects it)
        Invalid, // anything else
    };
    QString key;
    Form form = Form::List;
    QString legacyType;          // "choice", "categorical", "continuous", "integer"
    nlohmann::ordered_json spec; // the entry as written

    // The values a grid would take: the list, the legacy values/choices, the scalar itself; for a continuous or
    // integer range its low end (the value QuantDesk previews).
    [[nodiscard]] QList<nlohmann::ordered_json> values() const;
    // "__quant__…" and "__parallel__…" keys: the autotuner's own reserved prefixes.
    [[nodiscard]] bool isReserved() const;

    bool operator==(const TaskParameter&) const = default;
};

// An inference-autotuner task (reference/autotuner.md §1) as a document: the JSON object as loaded, with every key,
// unknown ones included, in its original order, plus typed accessors for the fields QuantDesk works with.
class TaskDocument
{
public:
    TaskDocument();
    explicit TaskDocument(nlohmann::ordered_json root);

    // The top-level keys the autotuner reads, in its documented order.
    [[nodiscard]] static const QStringList& knownKeys();

    [[nodiscard]] const nlohmann::ordered_json& json() const { return m_root; }
    [[nodiscard]] nlohmann::ordered_json& json() { return m_root; }

    // Lenient typed readers: an absent or mistyped value gives the default (the validator reports it).
    [[nodiscard]] QString taskName() const;
    void setTaskName(const QString& name);
    [[nodiscard]] QString description() const;
    [[nodiscard]] QString modelIdOrPath() const;
    [[nodiscard]] QString modelNamespace() const;
    [[nodiscard]] QString baseRuntime() const;
    [[nodiscard]] QString runtimeImageTag() const;
    [[nodiscard]] QString deploymentMode() const; // as written; "docker" (the REST default) when absent
    [[nodiscard]] QString strategy() const;       // "grid_search" when absent
    [[nodiscard]] QString objective() const;      // "minimize_latency" when absent
    [[nodiscard]] QList<TaskParameter> parameters() const;
    // At least one parameter and all of them in the legacy {"type": …} form.
    [[nodiscard]] bool hasLegacyParameters() const;
    [[nodiscard]] TaskQuantSpec quantSpec() const;
    // Writes quant_config in the shape of spec; None removes it.
    void setQuantSpec(const TaskQuantSpec& spec);
    // Top-level keys the autotuner does not read (kept on save).
    [[nodiscard]] QStringList unknownKeys() const;

    // Sets a top-level key, keeping its position when it exists and appending it otherwise.
    void setValue(const QString& key, const nlohmann::ordered_json& value);
    void remove(const QString& key);
    [[nodiscard]] bool contains(const QString& key) const;

    // The document format: the task JSON, two-space indented UTF-8 with a final newline.
    [[nodiscard]] QByteArray toJson() const;
    // Writes toJson() atomically (QSaveFile): on failure the old file is left as it was.
    bool save(const QString& path, QString* error) const;

    bool operator==(const TaskDocument& other) const { return m_root == other.m_root; }

private:
    nlohmann::ordered_json m_root;
};

// JSON string → QString; other values as compact JSON text.
[[nodiscard]] QString jsonText(const nlohmann::ordered_json& value);
[[nodiscard]] std::string toStd(const QString& s);

} // namespace QuantDesk

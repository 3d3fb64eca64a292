#pragma once

#include <QAbstractTableModel>

#include "core/engines/EngineCommand.h"

namespace QuantDesk
{

// The flags of one engine command (and the keys of its TensorRT-LLM YAML), each with where it came from:
// the field or parameter that produced it, whether its value was translated, and what a parameter overrode.
class FlagTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FlagTableModel)

public:
    enum Column {
        FlagColumn,
        ValueColumn,
        SourceColumn,
        NoteColumn,
        ColumnCount,
    };
    enum Role {
        SourceRole = Qt::UserRole + 1, // field JSON key, "parameter" or "engine"
        TranslatedRole,
        OverridesRole, // what a parameter replaced, or an invalid QVariant
        IsYamlRole,
    };

    explicit FlagTableModel(QObject* parent = nullptr);
    ~FlagTableModel() override;

    void setCommand(const EngineCommand& command);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant
    headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The row of a flag ("--kv-cache-dtype") or YAML key, -1 when absent.
    [[nodiscard]] int rowOf(const QString& flagOrKey) const;

private:
    struct Row
    {
        QString flag;
        QString value;
        bool hasValue = false;
        QString source;
        QString note;
        QString overrides;
        bool translated = false;
        bool yaml = false;
        bool operator==(const Row&) const = default;
    };
    QList<Row> m_rows;
};

// "KV cache" for "kvcache_dtype", "parameter", "engine": the provenance as people read it.
[[nodiscard]] QString sourceLabel(const QString& source);

} // namespace QuantDesk

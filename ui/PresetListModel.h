#pragma once

#include <QAbstractListModel>

#include "core/quant/Presets.h"

namespace QuantDesk
{

// The presets of a PresetStore (built-ins first, then the user's) for combo boxes and lists, optionally followed by
// a "Custom" row that stands for "the fields match no preset". Preset management goes through the model so views
// refresh.
class PresetListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PresetListModel)

public:
    enum Role {
        NameRole = Qt::UserRole + 1, // "" for the Custom row
        BuiltInRole,
        CustomRole,
        SummaryRole,
    };

    explicit PresetListModel(PresetStore& store, QObject* parent = nullptr);
    ~PresetListModel() override;

    void setShowCustomRow(bool show);
    [[nodiscard]] bool showsCustomRow() const { return m_showCustom; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int rowOf(const QString& name) const; // -1 when unknown
    [[nodiscard]] int customRow() const;                // -1 when hidden
    [[nodiscard]] std::optional<Preset> presetAt(int row) const;
    [[nodiscard]] const PresetStore& store() const { return m_store; }

    // Re-reads the user preset folder.
    void reload();
    bool savePreset(const Preset& preset, QString* error);
    bool removePreset(const QString& name, QString* error);
    bool renamePreset(const QString& from, const QString& to, QString* error);

private:
    void refresh();

    PresetStore& m_store;
    QList<Preset> m_presets;
    bool m_showCustom = false;
};

} // namespace QuantDesk

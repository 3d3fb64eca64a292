#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

#include "core/quant/QuantConfig.h"

namespace QuantDesk
{

struct Preset
{
    QString name;
    QString description;
    QuantConfig config;
    bool builtIn = false;
    QString filePath; // user presets: the JSON file it was loaded from or saved to

    bool operator==(const Preset&) const = default;
};

// The five presets of the autotuner backend, with exactly its values. Read-only.
[[nodiscard]] const QList<Preset>& builtInPresets();
[[nodiscard]] std::optional<Preset> findBuiltInPreset(const QString& name);

// Preset names are what users type on the command line and what export appends to task names.
[[nodiscard]] bool isValidPresetName(const QString& name, QString* error = nullptr);

// Built-in presets plus the user's own, which are JSON documents in a folder:
//   {"name": "...", "description": "...", "quant_config": {"gemm_dtype": ..., ...}}
// A broken user preset file is reported in problems() and skipped, never fatal.
class PresetStore
{
public:
    explicit PresetStore(QString userDir = defaultUserDir());

    // The app data folder's "presets" subfolder.
    [[nodiscard]] static QString defaultUserDir();

    // Re-reads the user folder. Returns false when any file had a problem (see problems()).
    bool reload();
    [[nodiscard]] const QStringList& problems() const { return m_problems; }
    [[nodiscard]] QString userDir() const { return m_userDir; }

    // Built-ins first (in their fixed order), then user presets by name.
    [[nodiscard]] QList<Preset> all() const;
    [[nodiscard]] const QList<Preset>& userPresets() const { return m_user; }
    [[nodiscard]] std::optional<Preset> find(const QString& name) const;
    // The name of the first preset whose four fields equal config.
    [[nodiscard]] std::optional<QString> matching(const QuantConfig& config) const;

    // Writes (atomically) a user preset; refuses built-in names and invalid configs. Replaces a user preset
    // of the same name.
    bool save(const Preset& preset, QString* error);
    bool remove(const QString& name, QString* error);
    bool rename(const QString& from, const QString& to, QString* error);

    // Parses one user preset document; the error says what is wrong and where (JSON pointer).
    static std::optional<Preset> parse(const QByteArray& json, QString* error);
    static QByteArray serialize(const Preset& preset);

private:
    QString fileNameFor(const QString& name) const;

    QString m_userDir;
    QList<Preset> m_user;
    QStringList m_problems;
};

} // namespace QuantDesk

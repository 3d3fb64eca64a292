#include "Presets.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <algorithm>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;
using json = nlohmann::ordered_json;

namespace QuantDesk
{

namespace
{

Preset makeBuiltIn(
    const char* name, const char* description, const char* gemm, const char* kv, const char* attention, const char* moe)
{
    Preset p;
    p.name = QString::fromLatin1(name);
    p.description = QString::fromUtf8(description);
    p.config = QuantConfig{
        QString::fromLatin1(gemm), QString::fromLatin1(kv), QString::fromLatin1(attention), QString::fromLatin1(moe)};
    p.builtIn = true;
    return p;
}

QString toQString(const std::string& s)
{
    return QString::fromStdString(s);
}

constexpr qint64 kMaxPresetFileSize = 1024 * 1024;

} // namespace

const QList<Preset>& builtInPresets()
{
    // Values as the autotuner backend (src/utils/quantization_mapper.py) defines them.
    static const QList<Preset> presets{
        makeBuiltIn("default", "No runtime quantization (baseline)", "auto", "auto", "auto", "auto"),
        makeBuiltIn("kv-cache-fp8", "FP8 KV cache only (recommended)", "auto", "fp8_e5m2", "auto", "auto"),
        makeBuiltIn("dynamic-fp8", "Full FP8 (Hopper and newer)", "fp8", "fp8_e5m2", "fp8", "fp8"),
        makeBuiltIn("bf16-stable", "BF16 compute, FP8 KV cache", "bfloat16", "fp8_e5m2", "auto", "auto"),
        makeBuiltIn("aggressive-moe", "W4A8 MoE (SGLang, W4AFP8 checkpoints)", "bfloat16", "fp8_e5m2", "fp8", "w4afp8"),
    };
    return presets;
}

std::optional<Preset> findBuiltInPreset(const QString& name)
{
    for (const Preset& p : builtInPresets()) {
        if (p.name == name)
            return p;
    }
    return std::nullopt;
}

bool isValidPresetName(const QString& name, QString* error)
{
    static const QRegularExpression re(u"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"_s);
    if (re.match(name).hasMatch())
        return true;
    if (error) {
        *error = u"'%1' is not a valid preset name: use 1-64 letters, digits, '.', '_' or '-', starting with a "
                 "letter or digit"_s.arg(name);
    }
    return false;
}

PresetStore::PresetStore(QString userDir) : m_userDir(std::move(userDir)) {}

QString PresetStore::defaultUserDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/presets"_s;
}

std::optional<Preset> PresetStore::parse(const QByteArray& data, QString* error)
{
    json doc;
    try {
        doc = json::parse(data.constBegin(), data.constEnd());
    } catch (const json::parse_error& e) {
        if (error)
            *error = u"not valid JSON: %1"_s.arg(QString::fromUtf8(e.what()));
        return std::nullopt;
    }
    auto fail = [error](const QString& pointer, const QString& what) -> std::optional<Preset> {
        if (error)
            *error = pointer + u": "_s + what;
        return std::nullopt;
    };
    if (!doc.is_object())
        return fail(u"/"_s, u"expected an object"_s);
    Preset p;
    if (!doc.contains("name") || !doc["name"].is_string())
        return fail(u"/name"_s, u"missing or not a string"_s);
    p.name = toQString(doc["name"].get<std::string>());
    QString nameError;
    if (!isValidPresetName(p.name, &nameError))
        return fail(u"/name"_s, nameError);
    if (doc.contains("description")) {
        if (!doc["description"].is_string())
            return fail(u"/description"_s, u"not a string"_s);
        p.description = toQString(doc["description"].get<std::string>());
    }
    if (!doc.contains("quant_config") || !doc["quant_config"].is_object())
        return fail(u"/quant_config"_s, u"missing or not an object"_s);
    const json& qc = doc["quant_config"];
    for (auto it = qc.begin(); it != qc.end(); ++it) {
        const QString key = toQString(it.key());
        const auto field = fieldFromName(key);
        if (!field || key != fieldKey(*field))
            return fail(u"/quant_config/"_s + key,
                        u"unknown field (expected gemm_dtype, kvcache_dtype, "
                        "attention_dtype or moe_dtype)"_s);
        if (!it.value().is_string())
            return fail(u"/quant_config/"_s + key, u"not a string"_s);
        const QString v = toQString(it.value().get<std::string>());
        if (!isValidFieldValue(*field, v)) {
            return fail(u"/quant_config/"_s + key,
                        u"'%1' is not valid (valid: %2)"_s.arg(v, fieldValues(*field).join(u", "_s)));
        }
        p.config.setValue(*field, v);
    }
    return p;
}

QByteArray PresetStore::serialize(const Preset& preset)
{
    json doc;
    doc["name"] = preset.name.toStdString();
    doc["description"] = preset.description.toStdString();
    json qc = json::object();
    for (const QuantField f : kQuantFields)
        qc[fieldKey(f).toStdString()] = preset.config.value(f).toStdString();
    doc["quant_config"] = qc;
    return QByteArray::fromStdString(doc.dump(2)) + '\n';
}

bool PresetStore::reload()
{
    m_user.clear();
    m_problems.clear();
    const QDir dir(m_userDir);
    if (!dir.exists())
        return true;
    const QFileInfoList files = dir.entryInfoList({u"*.json"_s}, QDir::Files | QDir::Readable, QDir::Name);
    for (const QFileInfo& fi : files) {
        const QString path = fi.filePath();
        if (fi.size() > kMaxPresetFileSize) {
            m_problems << u"%1: skipped: larger than 1 MiB"_s.arg(path);
            continue;
        }
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            m_problems << u"%1: skipped: %2"_s.arg(path, f.errorString());
            continue;
        }
        QString error;
        auto preset = parse(f.readAll(), &error);
        if (!preset) {
            m_problems << u"%1: skipped: %2"_s.arg(path, error);
            continue;
        }
        if (findBuiltInPreset(preset->name)) {
            m_problems << u"%1: skipped: '%2' is a built-in preset name"_s.arg(path, preset->name);
            continue;
        }
        if (std::any_of(m_user.cbegin(), m_user.cend(), [&](const Preset& p) { return p.name == preset->name; })) {
            m_problems << u"%1: skipped: another file already defines preset '%2'"_s.arg(path, preset->name);
            continue;
        }
        preset->filePath = path;
        m_user << *preset;
    }
    std::sort(m_user.begin(), m_user.end(), [](const Preset& a, const Preset& b) { return a.name < b.name; });
    return m_problems.isEmpty();
}

QList<Preset> PresetStore::all() const
{
    return builtInPresets() + m_user;
}

std::optional<Preset> PresetStore::find(const QString& name) const
{
    if (auto p = findBuiltInPreset(name))
        return p;
    for (const Preset& p : m_user) {
        if (p.name == name)
            return p;
    }
    return std::nullopt;
}

std::optional<QString> PresetStore::matching(const QuantConfig& config) const
{
    for (const Preset& p : all()) {
        if (p.config == config)
            return p.name;
    }
    return std::nullopt;
}

QString PresetStore::fileNameFor(const QString& name) const
{
    return QDir(m_userDir).filePath(name + u".json"_s);
}

bool PresetStore::save(const Preset& preset, QString* error)
{
    if (!isValidPresetName(preset.name, error))
        return false;
    if (findBuiltInPreset(preset.name)) {
        if (error)
            *error = u"'%1' is a built-in preset and cannot be overwritten"_s.arg(preset.name);
        return false;
    }
    if (!preset.config.isValid(error))
        return false;
    if (!QDir().mkpath(m_userDir)) {
        if (error)
            *error = u"cannot create the preset folder %1"_s.arg(m_userDir);
        return false;
    }
    Preset stored = preset;
    stored.builtIn = false;
    auto existing = std::find_if(m_user.begin(), m_user.end(), [&](const Preset& p) { return p.name == preset.name; });
    stored.filePath =
        existing != m_user.end() && !existing->filePath.isEmpty() ? existing->filePath : fileNameFor(preset.name);
    QSaveFile file(stored.filePath);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = u"%1: %2"_s.arg(stored.filePath, file.errorString());
        return false;
    }
    file.write(serialize(stored));
    if (!file.commit()) {
        if (error)
            *error = u"%1: %2"_s.arg(stored.filePath, file.errorString());
        return false;
    }
    if (existing != m_user.end())
        *existing = stored;
    else
        m_user << stored;
    std::sort(m_user.begin(), m_user.end(), [](const Preset& a, const Preset& b) { return a.name < b.name; });
    return true;
}

bool PresetStore::remove(const QString& name, QString* error)
{
    if (findBuiltInPreset(name)) {
        if (error)
            *error = u"'%1' is a built-in preset and cannot be deleted"_s.arg(name);
        return false;
    }
    auto it = std::find_if(m_user.begin(), m_user.end(), [&](const Preset& p) { return p.name == name; });
    if (it == m_user.end()) {
        if (error)
            *error = u"no user preset named '%1'"_s.arg(name);
        return false;
    }
    if (QFile::exists(it->filePath) && !QFile::remove(it->filePath)) {
        if (error)
            *error = u"%1: cannot delete the file"_s.arg(it->filePath);
        return false;
    }
    m_user.erase(it);
    return true;
}

bool PresetStore::rename(const QString& from, const QString& to, QString* error)
{
    if (from == to)
        return true;
    if (find(to)) {
        if (error)
            *error = u"a preset named '%1' already exists"_s.arg(to);
        return false;
    }
    auto existing = find(from);
    if (!existing || existing->builtIn) {
        if (error) {
            *error = existing ? u"'%1' is a built-in preset and cannot be renamed"_s.arg(from)
                              : u"no user preset named '%1'"_s.arg(from);
        }
        return false;
    }
    Preset renamed = *existing;
    renamed.name = to;
    renamed.filePath.clear();
    // Write the new file first so that a failure leaves the old preset in place.
    const QString oldPath = existing->filePath;
    if (!save(renamed, error))
        return false;
    m_user.erase(std::remove_if(m_user.begin(), m_user.end(), [&](const Preset& p) { return p.name == from; }),
                 m_user.end());
    if (!oldPath.isEmpty())
        QFile::remove(oldPath);
    return true;
}

} // namespace QuantDesk

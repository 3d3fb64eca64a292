#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <optional>

#include "core/remote/HostSpec.h"

namespace QuantDesk
{

class Settings;

// The hosts the user configured, kept in Settings (Key::Hosts) without their secrets: a REST host only records
// that it has a token, the token itself lives in the SecretStore. "local" is always there and comes first; only its
// autotuner checkout can be changed.
class HostStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostStore)

public:
    explicit HostStore(Settings& settings, QObject* parent = nullptr);
    ~HostStore() override;

    // Local first, then the stored hosts in the order they were added.
    [[nodiscard]] QList<HostSpec> hosts() const;
    [[nodiscard]] std::optional<HostSpec> find(const QString& name) const;
    [[nodiscard]] bool hasToken(const QString& name) const;

    // Adds a host; false with a message when its name is taken or it is incomplete.
    bool add(const HostSpec& host, bool hasToken, QString* error);
    // Replaces the host called name (it may be renamed); the target follows a rename.
    bool update(const QString& name, const HostSpec& host, bool hasToken, QString* error);
    bool remove(const QString& name);

    // The host the preview targets ("" = none).
    [[nodiscard]] QString target() const;
    void setTarget(const QString& name);

    // Why the stored list could not be read in full ("" = it could): the settings key, where and what. The text as
    // it was is kept under Hosts/ListUnreadable, so nothing is lost when the list is saved again.
    [[nodiscard]] const QString& loadProblem() const { return m_loadProblem; }

    // What is wrong with a host ("" = fine).
    [[nodiscard]] static QString validate(const HostSpec& host);
    // The key a REST host's token is kept under in the SecretStore.
    [[nodiscard]] static QString secretKey(const HostSpec& host);

signals:
    void hostsChanged();
    void targetChanged(const QString& name);

private:
    struct Entry
    {
        HostSpec host;
        bool hasToken = false;
    };
    void load();
    void save();
    [[nodiscard]] qsizetype indexOf(const QString& name) const;

    Settings& m_settings;
    QList<Entry> m_entries; // [0] is local
    QString m_loadProblem;
};

} // namespace QuantDesk

#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <optional>

namespace QuantDesk
{

// Secrets (REST bearer tokens): the system keychain through QtKeychain when QuantDesk was built with it, else — or
// when QUANTDESK_SECRET_STORE=memory, or when the keychain fails — kept in memory for this session only. Never
// written in plain text and never logged. Keychain access is asynchronous: results arrive through the signals.
class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    enum class Backend {
        Memory,
        Keychain,
    };

    // The keychain when built with it, unless the environment asks for memory.
    explicit SecretStore(QObject* parent = nullptr);
    SecretStore(Backend backend, QObject* parent);
    ~SecretStore() override;

    [[nodiscard]] Backend backend() const { return m_backend; }
    // True while secrets survive a restart (the keychain works).
    [[nodiscard]] bool isPersistent() const { return m_backend == Backend::Keychain; }
    // Why secrets are kept in memory only ("" when the keychain is used).
    [[nodiscard]] QString note() const { return m_note; }
    [[nodiscard]] static bool keychainCompiledIn();

    // The secret if it is known this session (written or read before).
    [[nodiscard]] std::optional<QString> cached(const QString& key) const;

    void write(const QString& key, const QString& secret);
    void read(const QString& key);
    void remove(const QString& key);

signals:
    // persistent: stored in the keychain; false: kept in memory only (note() says why).
    void writeFinished(const QString& key, bool persistent);
    void readFinished(const QString& key, const QString& secret, bool found);
    // The keychain failed; from now on secrets are kept in memory only.
    void fellBackToMemory(const QString& reason);

private:
    void fallBack(const QString& reason);

    Backend m_backend = Backend::Memory;
    QString m_note;
    QHash<QString, QString> m_cache;
};

} // namespace QuantDesk

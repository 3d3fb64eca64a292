#include "ui/hosts/SecretStore.h"

#include <QTimer>

#ifdef QUANTDESK_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

const QString kService = u"QuantDesk"_s;

SecretStore::Backend defaultBackend()
{
    if (qEnvironmentVariable("QUANTDESK_SECRET_STORE") == u"memory")
        return SecretStore::Backend::Memory;
    return SecretStore::keychainCompiledIn() ? SecretStore::Backend::Keychain : SecretStore::Backend::Memory;
}

} // namespace

SecretStore::SecretStore(QObject* parent) : SecretStore(defaultBackend(), parent) {}

SecretStore::SecretStore(Backend backend, QObject* parent) : QObject(parent), m_backend(backend)
{
    if (m_backend == Backend::Keychain && !keychainCompiledIn())
        m_backend = Backend::Memory;
    if (m_backend == Backend::Memory) {
        if (qEnvironmentVariable("QUANTDESK_SECRET_STORE") == u"memory")
            m_note = tr("Tokens are kept in memory for this session only (QUANTDESK_SECRET_STORE=memory).");
        else if (!keychainCompiledIn())
            m_note = tr("No system keychain support: tokens are kept in memory for this session only.");
        else
            m_note = tr("Tokens are kept in memory for this session only.");
    }
}

SecretStore::~SecretStore() = default;

bool SecretStore::keychainCompiledIn()
{
#ifdef QUANTDESK_HAVE_KEYCHAIN
    return true;
#else
    return false;
#endif
}

std::optional<QString> SecretStore::cached(const QString& key) const
{
    const auto it = m_cache.constFind(key);
    if (it == m_cache.constEnd())
        return std::nullopt;
    return *it;
}

void SecretStore::fallBack(const QString& reason)
{
    if (m_backend == Backend::Memory)
        return;
    m_backend = Backend::Memory;
    m_note = tr("The system keychain is not usable (%1): tokens are kept in memory for this session only.").arg(reason);
    emit fellBackToMemory(m_note);
}

void SecretStore::write(const QString& key, const QString& secret)
{
    m_cache.insert(key, secret);
#ifdef QUANTDESK_HAVE_KEYCHAIN
    if (m_backend == Backend::Keychain) {
        auto* job = new QKeychain::WritePasswordJob(kService, this);
        job->setAutoDelete(true);
        job->setInsecureFallback(false); // never a plain-text file
        job->setKey(key);
        job->setTextData(secret);
        connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* j) {
            if (j->error() != QKeychain::NoError)
                fallBack(j->errorString());
            emit writeFinished(key, j->error() == QKeychain::NoError);
        });
        job->start();
        return;
    }
#endif
    QTimer::singleShot(0, this, [this, key] { emit writeFinished(key, false); });
}

void SecretStore::read(const QString& key)
{
    if (const auto c = cached(key); c || m_backend == Backend::Memory) {
        const QString secret = c.value_or(QString());
        const bool found = c.has_value();
        QTimer::singleShot(0, this, [this, key, secret, found] { emit readFinished(key, secret, found); });
        return;
    }
#ifdef QUANTDESK_HAVE_KEYCHAIN
    auto* job = new QKeychain::ReadPasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* j) {
        auto* r = static_cast<QKeychain::ReadPasswordJob*>(j);
        if (r->error() == QKeychain::NoError) {
            m_cache.insert(key, r->textData());
            emit readFinished(key, r->textData(), true);
            return;
        }
        if (r->error() != QKeychain::EntryNotFound)
            fallBack(r->errorString());
        emit readFinished(key, QString(), false);
    });
    job->start();
#endif
}

void SecretStore::remove(const QString& key)
{
    m_cache.remove(key);
#ifdef QUANTDESK_HAVE_KEYCHAIN
    if (m_backend == Backend::Keychain) {
        auto* job = new QKeychain::DeletePasswordJob(kService, this);
        job->setAutoDelete(true);
        job->setInsecureFallback(false);
        job->setKey(key);
        job->start();
    }
#endif
}

} // namespace QuantDesk

#include "ui/hosts/HostStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include "ui/Settings.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

QString kindName(HostSpec::Kind kind)
{
    switch (kind) {
    case HostSpec::Kind::Local:
        return u"local"_s;
    case HostSpec::Kind::Ssh:
        return u"ssh"_s;
    case HostSpec::Kind::Rest:
        return u"rest"_s;
    }
    return {};
}

} // namespace

HostStore::HostStore(Settings& settings, QObject* parent) : QObject(parent), m_settings(settings)
{
    load();
}

HostStore::~HostStore() = default;

void HostStore::load()
{
    m_entries.clear();
    m_entries.append(Entry{HostSpec{}, false});
    m_loadProblem.clear();
    const QByteArray text = m_settings.get<QString>(Settings::Key::Hosts).toUtf8();
    QJsonParseError parse{};
    const QJsonDocument doc = QJsonDocument::fromJson(text, &parse);
    const auto keepUnreadable = [&](const QString& why) {
        m_loadProblem = tr("The stored host list (settings key Hosts/List) is unreadable: %1. It was kept as "
                           "Hosts/ListUnreadable.")
                            .arg(why);
        m_settings.setValue(Settings::Key::HostsUnreadable, QString::fromUtf8(text));
    };
    if (!text.trimmed().isEmpty() && parse.error != QJsonParseError::NoError) {
        keepUnreadable(tr("%1 at byte %2").arg(parse.errorString()).arg(parse.offset));
        return;
    }
    if (!text.trimmed().isEmpty() && !doc.isArray()) {
        keepUnreadable(tr("it is not a JSON array"));
        return;
    }
    int skipped = 0;
    const QJsonArray list = doc.array();
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (!list.at(i).isObject()) {
            ++skipped;
            continue;
        }
        const QJsonObject o = list.at(i).toObject();
        HostSpec h;
        const QString kind = o.value(u"kind"_s).toString();
        h.name = o.value(u"name"_s).toString();
        h.autotunerDir = o.value(u"autotunerDir"_s).toString();
        if (kind == u"local") {
            m_entries[0].host.autotunerDir = h.autotunerDir;
            continue;
        }
        if (kind == u"ssh") {
            h.kind = HostSpec::Kind::Ssh;
            h.user = o.value(u"user"_s).toString();
            h.hostname = o.value(u"hostname"_s).toString();
            h.port = o.value(u"port"_s).toInt();
            h.identityFile = o.value(u"identityFile"_s).toString();
            h.sshConfigFile = o.value(u"sshConfigFile"_s).toString();
        } else if (kind == u"rest") {
            h.kind = HostSpec::Kind::Rest;
            h.baseUrl = QUrl(o.value(u"url"_s).toString());
        } else {
            ++skipped; // a kind from a newer version, or none
            continue;
        }
        if (!validate(h).isEmpty() || indexOf(h.displayName()) >= 0) {
            ++skipped;
            continue;
        }
        m_entries.append(Entry{h, o.value(u"hasToken"_s).toBool()});
    }
    if (skipped > 0)
        keepUnreadable(tr("%n stored host(s) of %1 could not be used (unknown kind, incomplete or a duplicate name)",
                          nullptr,
                          skipped)
                           .arg(list.size()));
}

void HostStore::save()
{
    QJsonArray list;
    for (const Entry& e : std::as_const(m_entries)) {
        const HostSpec& h = e.host;
        if (h.kind == HostSpec::Kind::Local && h.autotunerDir.isEmpty())
            continue;
        QJsonObject o{{u"kind"_s, kindName(h.kind)}};
        if (!h.name.isEmpty())
            o.insert(u"name"_s, h.name);
        if (!h.autotunerDir.isEmpty())
            o.insert(u"autotunerDir"_s, h.autotunerDir);
        if (h.kind == HostSpec::Kind::Ssh) {
            if (!h.user.isEmpty())
                o.insert(u"user"_s, h.user);
            o.insert(u"hostname"_s, h.hostname);
            if (h.port > 0)
                o.insert(u"port"_s, h.port);
            if (!h.identityFile.isEmpty())
                o.insert(u"identityFile"_s, h.identityFile);
            if (!h.sshConfigFile.isEmpty())
                o.insert(u"sshConfigFile"_s, h.sshConfigFile);
        } else if (h.kind == HostSpec::Kind::Rest) {
            // Only the URL without credentials: a token or password never lands in the settings file.
            o.insert(u"url"_s, h.baseUrl.adjusted(QUrl::RemoveUserInfo).toString());
            if (e.hasToken)
                o.insert(u"hasToken"_s, true);
        }
        list.append(o);
    }
    m_settings.setValue(Settings::Key::Hosts, QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Compact)));
    m_settings.sync();
    emit hostsChanged();
}

QList<HostSpec> HostStore::hosts() const
{
    QList<HostSpec> out;
    for (const Entry& e : m_entries)
        out << e.host;
    return out;
}

qsizetype HostStore::indexOf(const QString& name) const
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).host.displayName() == name)
            return i;
    }
    return -1;
}

std::optional<HostSpec> HostStore::find(const QString& name) const
{
    const qsizetype i = indexOf(name);
    if (i < 0)
        return std::nullopt;
    return m_entries.at(i).host;
}

bool HostStore::hasToken(const QString& name) const
{
    const qsizetype i = indexOf(name);
    return i >= 0 && m_entries.at(i).hasToken;
}

QString HostStore::validate(const HostSpec& h)
{
    switch (h.kind) {
    case HostSpec::Kind::Local:
        return {};
    case HostSpec::Kind::Ssh:
        if (h.hostname.isEmpty())
            return tr("An SSH host needs a host name ([user@]host[:port]).");
        if (h.hostname.startsWith(u'-'))
            return tr("A host name may not start with '-'.");
        if (h.port < 0 || h.port > 65535)
            return tr("Port %1 is out of range (1-65535).").arg(h.port);
        return {};
    case HostSpec::Kind::Rest:
        if (!h.baseUrl.isValid() || h.baseUrl.host().isEmpty())
            return tr("A REST host needs the autotuner's base URL, e.g. http://gpu-box:8000.");
        if (h.baseUrl.scheme() != u"http" && h.baseUrl.scheme() != u"https")
            return tr("Only http and https URLs are supported.");
        return {};
    }
    return {};
}

QString HostStore::secretKey(const HostSpec& host)
{
    return u"rest-token:"_s + host.baseUrl.adjusted(QUrl::RemoveUserInfo).toString();
}

bool HostStore::add(const HostSpec& host, bool hasToken, QString* error)
{
    auto fail = [&](const QString& m) {
        if (error)
            *error = m;
        return false;
    };
    if (host.kind == HostSpec::Kind::Local)
        return fail(tr("There is only one local host."));
    if (const QString problem = validate(host); !problem.isEmpty())
        return fail(problem);
    if (indexOf(host.displayName()) >= 0)
        return fail(tr("There is already a host called %1.").arg(host.displayName()));
    m_entries.append(Entry{host, hasToken && host.kind == HostSpec::Kind::Rest});
    save();
    return true;
}

bool HostStore::update(const QString& name, const HostSpec& host, bool hasToken, QString* error)
{
    auto fail = [&](const QString& m) {
        if (error)
            *error = m;
        return false;
    };
    const qsizetype i = indexOf(name);
    if (i < 0)
        return fail(tr("There is no host called %1.").arg(name));
    if ((i == 0) != (host.kind == HostSpec::Kind::Local))
        return fail(tr("The local host stays local; add a new host for another kind."));
    if (const QString problem = validate(host); !problem.isEmpty())
        return fail(problem);
    HostSpec next = host;
    if (i == 0) {
        next = HostSpec{};
        next.autotunerDir = host.autotunerDir;
    }
    const qsizetype other = indexOf(next.displayName());
    if (other >= 0 && other != i)
        return fail(tr("There is already a host called %1.").arg(next.displayName()));
    if (m_entries.at(i).host == next && m_entries.at(i).hasToken == hasToken)
        return true;
    const bool wasTarget = target() == name;
    m_entries[i] = Entry{next, hasToken && next.kind == HostSpec::Kind::Rest};
    save();
    if (wasTarget && next.displayName() != name) {
        m_settings.setValue(Settings::Key::TargetHost, next.displayName());
        m_settings.sync();
        emit targetChanged(next.displayName());
    }
    return true;
}

bool HostStore::remove(const QString& name)
{
    const qsizetype i = indexOf(name);
    if (i <= 0)
        return false;
    const bool wasTarget = target() == name;
    m_entries.removeAt(i);
    save();
    if (wasTarget) {
        m_settings.setValue(Settings::Key::TargetHost, QString());
        m_settings.sync();
        emit targetChanged(QString());
    }
    return true;
}

QString HostStore::target() const
{
    const QString t = m_settings.get<QString>(Settings::Key::TargetHost);
    return indexOf(t) >= 0 ? t : QString();
}

void HostStore::setTarget(const QString& name)
{
    const QString next = indexOf(name) >= 0 ? name : QString();
    if (next == target())
        return;
    m_settings.setValue(Settings::Key::TargetHost, next);
    m_settings.sync();
    emit targetChanged(next);
}

} // namespace QuantDesk

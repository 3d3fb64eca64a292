#include "HostSpec.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

QString HostSpec::target() const
{
    switch (kind) {
    case Kind::Local:
        return u"local"_s;
    case Kind::Rest:
        return baseUrl.toString();
    case Kind::Ssh: {
        QString t = user.isEmpty() ? hostname : user + u'@' + hostname;
        if (hostname.contains(u':'))
            t = (user.isEmpty() ? QString() : user + u'@') + u'[' + hostname + u']';
        if (port > 0)
            t += u':' + QString::number(port);
        return t;
    }
    }
    return {};
}

QString HostSpec::displayName() const
{
    return name.isEmpty() ? target() : name;
}

bool parseSshTarget(const QString& textIn, HostSpec* spec, QString* error)
{
    const QString text = textIn.trimmed();
    auto fail = [&](const QString& what) {
        if (error)
            *error = u"'%1' is not a valid SSH target ([user@]host[:port]): %2"_s.arg(textIn, what);
        return false;
    };
    if (text.isEmpty())
        return fail(u"empty"_s);
    // user: no spaces or '@'; host: a name, an IPv4 address or a bracketed IPv6 address; port 1-65535.
    static const QRegularExpression re(
        u"^(?:([A-Za-z0-9._][A-Za-z0-9._-]*)@)?(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_][A-Za-z0-9._-]*)(?::([0-9]{1,5}))?$"_s);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return fail(u"use letters, digits, '.', '_' and '-' (and [::1] for IPv6)"_s);
    HostSpec s;
    s.kind = HostSpec::Kind::Ssh;
    s.user = m.captured(1);
    s.hostname = m.captured(2);
    if (s.hostname.startsWith(u'['))
        s.hostname = s.hostname.mid(1, s.hostname.size() - 2);
    if (s.hostname.startsWith(u'-'))
        return fail(u"a host may not start with '-'"_s);
    if (!m.captured(3).isEmpty()) {
        const int port = m.captured(3).toInt();
        if (port < 1 || port > 65535)
            return fail(u"port %1 is out of range (1-65535)"_s.arg(m.captured(3)));
        s.port = port;
    }
    if (spec) {
        spec->kind = s.kind;
        spec->user = s.user;
        spec->hostname = s.hostname;
        spec->port = s.port;
    }
    return true;
}

bool parseRestUrl(const QString& textIn, QUrl* url, QString* error)
{
    QString text = textIn.trimmed();
    if (!text.contains(u"://"_s))
        text = u"http://"_s + text;
    QUrl u(text, QUrl::StrictMode);
    if (!u.isValid() || u.host().isEmpty()) {
        if (error)
            *error = u"'%1' is not a valid URL"_s.arg(textIn);
        return false;
    }
    if (u.scheme() != u"http" && u.scheme() != u"https") {
        if (error)
            *error = u"'%1': only http and https are supported"_s.arg(textIn);
        return false;
    }
    if (u.port() < 0 && u.scheme() == u"http" && !textIn.contains(u"://"_s))
        u.setPort(8000);
    QString path = u.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    u.setPath(path);
    if (url)
        *url = u;
    return true;
}

} // namespace QuantDesk

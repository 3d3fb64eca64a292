#include "RestClient.h"

#include <QNetworkAccessManager>
#include <QNetworkRequest>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

QString RestResult::message() const
{
    if (aborted)
        return u"cancelled"_s;
    if (timedOut)
        return u"no answer within the timeout"_s;
    const auto doc = nlohmann::json::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (doc.is_object() && doc.contains("detail")) {
        const auto& d = doc["detail"];
        if (d.is_string())
            return u"HTTP %1: %2"_s.arg(httpStatus).arg(QString::fromStdString(d.get<std::string>()));
        if (d.is_array()) {
            QStringList parts;
            for (const auto& e : d) {
                if (!e.is_object())
                    continue;
                QStringList loc;
                if (e.contains("loc") && e["loc"].is_array()) {
                    for (const auto& l : e["loc"])
                        loc << (l.is_string() ? QString::fromStdString(l.get<std::string>())
                                              : QString::fromStdString(l.dump()));
                }
                const QString msg = e.contains("msg") && e["msg"].is_string()
                                        ? QString::fromStdString(e["msg"].get<std::string>())
                                        : QString::fromStdString(e.dump());
                parts << (loc.isEmpty() ? msg : u"/"_s + loc.join(u'/') + u": "_s + msg);
            }
            return u"HTTP %1: %2"_s.arg(httpStatus).arg(parts.join(u"; "_s));
        }
        return u"HTTP %1: %2"_s.arg(httpStatus).arg(QString::fromStdString(d.dump()));
    }
    if (httpStatus != 0 && (httpStatus < 200 || httpStatus >= 300))
        return u"HTTP %1%2"_s.arg(httpStatus).arg(errorString.isEmpty() ? QString() : u": "_s + errorString);
    return errorString;
}

RestCall::RestCall(QNetworkReply* reply, QObject* parent) : QObject(parent), m_reply(reply)
{
    qRegisterMetaType<QuantDesk::RestResult>();
    connect(reply, &QNetworkReply::finished, this, [this] {
        RestResult r;
        QNetworkReply* reply = m_reply.data();
        if (reply) {
            r.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            r.body = reply->readAll();
            r.networkError = reply->error();
            r.errorString = reply->errorString();
            r.timedOut = reply->error() == QNetworkReply::OperationCanceledError && !m_aborted;
            r.aborted = m_aborted;
            // HTTP error statuses are answers, not transport failures.
            if (r.httpStatus >= 400 && reply->error() != QNetworkReply::NoError && !r.timedOut)
                r.networkError = QNetworkReply::NoError;
            reply->deleteLater();
        }
        emit finished(r);
        deleteLater();
    });
}

RestCall::~RestCall() = default;

void RestCall::abort()
{
    m_aborted = true;
    if (m_reply)
        m_reply->abort();
}

RestClient::RestClient(QUrl baseUrl, QObject* parent)
    : QObject(parent), m_base(std::move(baseUrl)), m_nam(new QNetworkAccessManager(this))
{
    // Follow no redirects to other hosts; FastAPI's trailing-slash 307 stays on the same host.
    m_nam->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
}

RestClient::~RestClient() = default;

QUrl RestClient::url(const QString& path) const
{
    QUrl u = m_base;
    QString base = u.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    const qsizetype q = path.indexOf(u'?');
    u.setPath(base + (q >= 0 ? path.left(q) : path));
    if (q >= 0)
        u.setQuery(path.mid(q + 1));
    return u;
}

QNetworkRequest RestClient::request(const QString& path) const
{
    QNetworkRequest req(url(path));
    req.setTransferTimeout(m_timeoutMs);
    req.setRawHeader("Accept", "application/json");
    if (!m_token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    return req;
}

RestCall* RestClient::get(const QString& path)
{
    return new RestCall(m_nam->get(request(path)), this);
}

RestCall* RestClient::post(const QString& path, const QByteArray& json)
{
    QNetworkRequest req = request(path);
    req.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    return new RestCall(m_nam->post(req, json), this);
}

RestCall* RestClient::put(const QString& path, const QByteArray& json)
{
    QNetworkRequest req = request(path);
    req.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    return new RestCall(m_nam->put(req, json), this);
}

RestCall* RestClient::deleteResource(const QString& path)
{
    return new RestCall(m_nam->deleteResource(request(path)), this);
}

} // namespace QuantDesk

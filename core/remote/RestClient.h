#pragma once

#include <QByteArray>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;

namespace QuantDesk
{

struct RestResult
{
    int httpStatus = 0; // 0 when no HTTP answer arrived
    QByteArray body;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString errorString;
    bool timedOut = false;
    bool aborted = false;

    [[nodiscard]] bool ok() const
    {
        return !timedOut && !aborted && httpStatus >= 200 && httpStatus < 300 &&
               (networkError == QNetworkReply::NoError);
    }
    // The autotuner's error text: FastAPI {"detail": "..."} / [{"loc", "msg"}], else the HTTP or network error.
    [[nodiscard]] QString message() const;
};

// One request in flight; deletes itself after finished().
class RestCall final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RestCall)

public:
    explicit RestCall(QNetworkReply* reply, QObject* parent = nullptr);
    ~RestCall() override;
    void abort();

signals:
    void finished(const QuantDesk::RestResult& result);

private:
    QPointer<QNetworkReply> m_reply;
    bool m_aborted = false;
};

// The inference-autotuner REST API client: one QNetworkAccessManager, transfer timeouts, optional bearer token (never
// logged), TLS verification left on.
class RestClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RestClient)

public:
    explicit RestClient(QUrl baseUrl, QObject* parent = nullptr);
    ~RestClient() override;

    void setBearerToken(const QString& token) { m_token = token; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    [[nodiscard]] const QUrl& baseUrl() const { return m_base; }
    [[nodiscard]] QUrl url(const QString& path) const;

    RestCall* get(const QString& path);
    RestCall* post(const QString& path, const QByteArray& json = {});
    RestCall* put(const QString& path, const QByteArray& json);
    RestCall* deleteResource(const QString& path);

private:
    [[nodiscard]] QNetworkRequest request(const QString& path) const;

    QUrl m_base;
    QString m_token;
    int m_timeoutMs = 15000;
    QNetworkAccessManager* m_nam = nullptr;
};

} // namespace QuantDesk

Q_DECLARE_METATYPE(QuantDesk::RestResult)

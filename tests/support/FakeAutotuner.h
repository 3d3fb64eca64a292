#pragma once

// Starts tests/integration/fake_autotuner.py (a loopback HTTP server following the autotuner REST API) for a test.

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QSignalSpy>
#include <QString>
#include <QUrl>
#include <memory>

namespace QuantDesk::TestSupport
{

class FakeAutotuner
{
public:
    ~FakeAutotuner() { stop(); }

    bool start(QString* error, double experimentSeconds = 0.3)
    {
        m_process = std::make_unique<QProcess>();
        m_process->start(QStringLiteral("python3"),
                         {QStringLiteral(QUANTDESK_INTEGRATION_DIR "/fake_autotuner.py"),
                          QStringLiteral("--port"),
                          QStringLiteral("0"),
                          QStringLiteral("--experiment-seconds"),
                          QString::number(experimentSeconds)});
        if (!m_process->waitForStarted(5000)) {
            *error = QStringLiteral("python3 did not start: ") + m_process->errorString();
            return false;
        }
        while (m_process->waitForReadyRead(10000)) {
            const QByteArray line = m_process->readLine().trimmed();
            if (line.startsWith("PORT ")) {
                m_port = line.mid(5).toInt();
                return true;
            }
        }
        *error = QStringLiteral("the fake autotuner did not report its port: ") +
                 QString::fromLocal8Bit(m_process->readAllStandardError());
        return false;
    }

    void stop()
    {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_process->closeWriteChannel(); // it shuts down when stdin closes
            if (!m_process->waitForFinished(3000))
                m_process->kill();
            m_process->waitForFinished(1000);
        }
        m_process.reset();
    }

    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }

    // Makes the next `count` requests whose path matches `pathRegex` fail: "500", "slow", "reset" or "malformed".
    bool injectFault(const QString& pathRegex, const QString& kind, int count = 1, double delaySeconds = 5)
    {
        QNetworkAccessManager nam;
        QNetworkRequest req(QUrl(url().toString() + QStringLiteral("/__faults")));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QJsonObject o{{QStringLiteral("path"), pathRegex},
                      {QStringLiteral("kind"), kind},
                      {QStringLiteral("count"), count},
                      {QStringLiteral("delay"), delaySeconds}};
        QNetworkReply* reply = nam.post(req, QJsonDocument(o).toJson());
        QSignalSpy spy(reply, &QNetworkReply::finished);
        const bool ok = spy.wait(5000) && reply->error() == QNetworkReply::NoError;
        reply->deleteLater();
        return ok;
    }

private:
    std::unique_ptr<QProcess> m_process;
    int m_port = -1;
};

} // namespace QuantDesk::TestSupport

// REST probe against a loopback HTTP server that answers like the autotuner's endpoints
// (tests/integration/fake_autotuner.py), with injected faults.

#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include "core/remote/HostProbe.h"
#include "core/remote/RestClient.h"
#include "tests/support/FakeAutotuner.h"
#include "tests/support/SshServer.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;
using QuantDesk::TestSupport::FakeAutotuner;

namespace
{

ProbeResult probe(const QUrl& url, int timeoutMs = 5000)
{
    RestClient client(url);
    client.setTimeoutMs(timeoutMs);
    HostSpec host;
    host.kind = HostSpec::Kind::Rest;
    host.baseUrl = url;
    HostProbe p(&client, host);
    QSignalSpy spy(&p, &HostProbe::finished);
    p.start();
    if (!spy.wait(timeoutMs * 4 + 5000))
        return {};
    return spy.constFirst().constFirst().value<ProbeResult>();
}

} // namespace

class TestRestProbe : public QObject
{
    Q_OBJECT

private:
    FakeAutotuner m_server;

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void healthyServer()
    {
        const ProbeResult r = probe(m_server.url());
        QVERIFY2(r.reachable, qPrintable(r.error));
        QCOMPARE(r.autotunerVersion, u"0.1.0"_s);
        QCOMPARE(r.runtimes, (QStringList{u"sglang"_s, u"vllm"_s}));
        QCOMPARE(r.gpus.size(), 1);
        QCOMPARE(r.gpus.constFirst().name, u"NVIDIA H100 80GB HBM3"_s);
        QCOMPARE(r.gpus.constFirst().memoryTotalMiB, 81559);
        // The API does not report the compute capability: it is looked up from the name, and says so.
        QCOMPARE(r.gpus.constFirst().ccValue(), 90);
        QVERIFY(r.gpus.constFirst().ccDerived);
    }

    void closedPort()
    {
        const int port = TestSupport::SshServer::freePort();
        const ProbeResult r = probe(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));
        QVERIFY(!r.reachable);
        QVERIFY2(r.error.contains(u"refused"_s, Qt::CaseInsensitive), qPrintable(r.error));
        QVERIFY(r.error.contains(QString::number(port)));
    }

    void serverError()
    {
        QVERIFY(m_server.injectFault(u"^/health$"_s, u"500"_s));
        const ProbeResult r = probe(m_server.url());
        QVERIFY(!r.reachable);
        QVERIFY2(r.error.contains(u"HTTP 500"_s), qPrintable(r.error));
        QVERIFY2(r.error.contains(u"injected"_s), qPrintable(r.error)); // the server's own detail is shown
    }

    void slowerThanTheTimeout()
    {
        QVERIFY(m_server.injectFault(u"^/health$"_s, u"slow"_s, 1, 3));
        const ProbeResult r = probe(m_server.url(), 1000);
        QVERIFY(!r.reachable);
        QVERIFY2(r.error.contains(u"timeout"_s), qPrintable(r.error));
    }

    void malformedGpuStatus()
    {
        QVERIFY(m_server.injectFault(u"gpu-status"_s, u"malformed"_s));
        const ProbeResult r = probe(m_server.url());
        QVERIFY2(r.reachable, qPrintable(r.error));
        QVERIFY(r.gpus.isEmpty());
        QVERIFY2(r.gpuError.contains(u"not JSON"_s), qPrintable(r.gpuError));
    }

    void connectionResetMidBody()
    {
        QVERIFY(m_server.injectFault(u"system/info"_s, u"reset"_s));
        const ProbeResult r = probe(m_server.url());
        QVERIFY2(r.reachable, qPrintable(r.error));
        QVERIFY(r.autotunerVersion.isEmpty());
        QVERIFY(!r.notes.isEmpty());
        QCOMPARE(r.gpus.size(), 1); // later requests still work
    }

    void cliProbe()
    {
        QProcess cli;
        cli.start(QStringLiteral(QUANTDESK_CLI_PATH),
                  {u"probe"_s, u"--rest"_s, m_server.url().toString(), u"--format"_s, u"json"_s});
        QVERIFY(cli.waitForFinished(30000));
        QCOMPARE(cli.exitCode(), 0);
        const QJsonDocument doc = QJsonDocument::fromJson(cli.readAllStandardOutput());
        QCOMPARE(doc[u"gpus"_s][0][u"name"_s].toString(), u"NVIDIA H100 80GB HBM3"_s);
        QCOMPARE(doc[u"autotuner"_s][u"api_version"_s].toString(), u"0.1.0"_s);

        // An unreachable host exits 3.
        QProcess down;
        down.start(QStringLiteral(QUANTDESK_CLI_PATH),
                   {u"probe"_s,
                    u"--rest"_s,
                    u"http://127.0.0.1:%1"_s.arg(TestSupport::SshServer::freePort()),
                    u"--timeout"_s,
                    u"5"_s});
        QVERIFY(down.waitForFinished(30000));
        QCOMPARE(down.exitCode(), 3);
        QVERIFY(!down.readAllStandardError().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRestProbe)
#include "TestRestProbe.moc"

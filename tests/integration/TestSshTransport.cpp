// SSH transport and host probe against a real OpenSSH server on 127.0.0.1 (tests/support/SshServer.h), with a fake
// nvidia-smi on the remote PATH printing the captured H100 outputs.

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "core/remote/HostProbe.h"
#include "core/remote/SshTransport.h"
#include "tests/support/SshServer.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;
using QuantDesk::TestSupport::SshServer;

namespace
{

CommandResult runJob(ProcessJob* job, int waitMs = 30000)
{
    QSignalSpy spy(job, &ProcessJob::finished);
    job->start();
    if (!spy.wait(waitMs))
        return {};
    return spy.constFirst().constFirst().value<CommandResult>();
}

ProbeResult runProbe(Transport* t, int waitMs = 60000)
{
    HostProbe probe(t);
    probe.setTimeoutMs(waitMs - 1000);
    QSignalSpy spy(&probe, &HostProbe::finished);
    probe.start();
    if (!spy.wait(waitMs))
        return {};
    return spy.constFirst().constFirst().value<ProbeResult>();
}

} // namespace

class TestSshTransport : public QObject
{
    Q_OBJECT

private:
    SshServer m_server;

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.prepare(&error), qPrintable(error));
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void cleanupTestCase() { m_server.stop(); }

    void probeReportsTheH100()
    {
        m_server.setNvidiaSmi(SshServer::NvidiaSmi::H100);
        // A stand-in autotuner checkout on the "remote" host, in a path with a space.
        QTemporaryDir checkout(QDir::tempPath() + u"/qd autotuner XXXXXX"_s);
        QVERIFY(QDir().mkpath(checkout.filePath(u"src"_s)));
        QVERIFY(QDir().mkpath(checkout.filePath(u"env/bin"_s)));
        QFile script(checkout.filePath(u"src/run_autotuner.py"_s));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.close();
        // The venv is a real Python venv; the engines in it are packages' metadata only (no GPU code can run here).
        QString python = QStandardPaths::findExecutable(u"python3"_s, {u"/usr/bin"_s});
        if (python.isEmpty())
            python = QStandardPaths::findExecutable(u"python3"_s);
        QVERIFY(!python.isEmpty());
        QProcess ask;
        ask.start(python, {u"-c"_s, u"import sys; print('%d.%d' % sys.version_info[:2])"_s});
        QVERIFY(ask.waitForFinished(10000));
        const QString pyVersion = QString::fromLatin1(ask.readAllStandardOutput()).trimmed();
        QVERIFY(!pyVersion.isEmpty());
        QVERIFY(QFile::link(python, checkout.filePath(u"env/bin/python"_s)));
        QFile cfg(checkout.filePath(u"env/pyvenv.cfg"_s));
        QVERIFY(cfg.open(QIODevice::WriteOnly));
        cfg.write("home = " + QFileInfo(python).absolutePath().toUtf8() + "\ninclude-system-site-packages = false\n");
        cfg.close();
        const QString site = checkout.filePath(u"env/lib/python%1/site-packages"_s.arg(pyVersion));
        for (const auto& [dist, version] : {std::pair{u"vllm"_s, u"0.10.1.1"_s}, std::pair{u"sglang"_s, u"0.5.2"_s}}) {
            const QString info = site + u"/%1-%2.dist-info"_s.arg(dist, version);
            QVERIFY(QDir().mkpath(info));
            QFile meta(info + u"/METADATA"_s);
            QVERIFY(meta.open(QIODevice::WriteOnly));
            meta.write("Metadata-Version: 2.1\nName: " + dist.toUtf8() + "\nVersion: " + version.toUtf8() + "\n");
        }

        HostSpec host = m_server.host();
        host.autotunerDir = checkout.path();
        SshTransport t(host, m_server.options(true));
        const ProbeResult r = runProbe(&t);
        QVERIFY2(r.reachable, qPrintable(r.error + m_server.log()));
        QVERIFY2(r.gpus.size() == 1, qPrintable(r.gpuError));
        const GpuInfo& g = r.gpus.constFirst();
        QCOMPARE(g.name, u"NVIDIA H100 80GB HBM3"_s);
        QCOMPARE(g.memoryTotalMiB, 81559);
        QCOMPARE(g.ccMajor, 9);
        QCOMPARE(g.ccMinor, 0);
        QVERIFY(!g.ccDerived); // reported by the CSV query, not looked up
        QCOMPARE(r.driverVersion, u"580.159.04"_s);
        QCOMPARE(r.cudaVersion, u"13.0"_s);
        QVERIFY(r.autotunerFound);
        QVERIFY(r.autotunerVenv);
        QCOMPARE(r.targetGpu()->ccValue(), 90);
        // Engine versions from the checkout's venv; TensorRT-LLM is not installed there.
        QCOMPARE(r.engines.value(u"vllm"_s), u"0.10.1.1"_s);
        QCOMPARE(r.engines.value(u"sglang"_s), u"0.5.2"_s);
        QVERIFY(!r.engines.contains(u"trtllm"_s));
    }

    void hostileArgumentsArriveAsData_data()
    {
        QTest::addColumn<QString>("word");
        QTest::newRow("semicolon") << u"x; touch MARK"_s;
        QTest::newRow("command substitution") << u"$(touch MARK)"_s;
        QTest::newRow("backticks") << u"`touch MARK`"_s;
        QTest::newRow("single quotes") << u"'; touch MARK; '"_s;
        QTest::newRow("double quotes") << u"\"$(touch MARK)\""_s;
        QTest::newRow("newline") << u"a\ntouch MARK"_s;
        QTest::newRow("spaces") << u"  two  spaces  "_s;
        QTest::newRow("glob and tilde") << u"* ~ $HOME"_s;
        QTest::newRow("pipe and redirect") << u"| touch MARK > MARK"_s;
        QTest::newRow("dash") << u"-n"_s;
        QTest::newRow("unicode") << u"модель 模型 ✓"_s;
    }

    void hostileArgumentsArriveAsData()
    {
        QFETCH(QString, word);
        QTemporaryDir work;
        const QString marker = work.filePath(u"MARK"_s);
        const QString w = QString(word).replace(u"MARK"_s, marker);
        SshTransport t(m_server.host(), m_server.options(true));
        std::unique_ptr<ProcessJob> job(t.command({u"printf"_s, u"[%s]"_s, w}, 30000, nullptr));
        const CommandResult r = runJob(job.get());
        QVERIFY2(r.succeeded(), qPrintable(t.failureMessage(r) + QString::fromLocal8Bit(r.standardError)));
        QCOMPARE(QString::fromUtf8(r.standardOutput), u"["_s + w + u"]"_s);
        QVERIFY2(!QFile::exists(marker), "a hostile string was executed by the remote shell");
    }

    void uploadAndDownloadWithHostilePaths()
    {
        QTemporaryDir work;
        const QString remoteDir = work.filePath(u"job dir; touch MARK $(id)"_s);
        QVERIFY(QDir().mkpath(remoteDir));
        const QString local = work.filePath(u"task.json"_s);
        QFile f(local);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"task_name\": \"x; rm -rf ~\"}\n");
        f.close();
        SshTransport t(m_server.host(), m_server.options(true));
        const QString remote = remoteDir + u"/it's task.json"_s;
        std::unique_ptr<ProcessJob> up(t.upload(local, remote, 30000, nullptr));
        const CommandResult u = runJob(up.get());
        QVERIFY2(u.succeeded(), qPrintable(QString::fromLocal8Bit(u.standardError)));
        QVERIFY(QFile::exists(remote));
        std::unique_ptr<ProcessJob> cat(t.command({u"cat"_s, remote}, 30000, nullptr));
        QCOMPARE(runJob(cat.get()).standardOutput, QByteArray("{\"task_name\": \"x; rm -rf ~\"}\n"));
        const QString back = work.filePath(u"back.json"_s);
        std::unique_ptr<ProcessJob> down(t.download(remote, back, 30000, nullptr));
        QVERIFY(runJob(down.get()).succeeded());
        QVERIFY(QFile::exists(back));
        QVERIFY(!QFile::exists(work.filePath(u"MARK"_s)));
    }

    void unknownHostKeyIsShownThenAccepted()
    {
        SshTransport t(m_server.host(), m_server.options(false));
        const ProbeResult before = runProbe(&t);
        QVERIFY(!before.reachable);
        QVERIFY2(before.error.contains(u"host key is not known"_s), qPrintable(before.error));

        std::unique_ptr<ProcessJob> scan(t.scanHostKeys(15000, nullptr));
        const CommandResult keys = runJob(scan.get());
        QVERIFY2(keys.succeeded(), qPrintable(QString::fromLocal8Bit(keys.standardError)));
        const QStringList fps = hostKeyFingerprints(keys.standardOutput);
        QCOMPARE(fps.size(), 1);
        // The fingerprint agrees with ssh-keygen's own.
        QProcess keygen;
        keygen.start(u"ssh-keygen"_s,
                     {u"-l"_s, u"-E"_s, u"sha256"_s, u"-f"_s, m_server.path(u"host_ed25519_key.pub"_s)});
        QVERIFY(keygen.waitForFinished(10000));
        const QString expected = QString::fromLatin1(keygen.readAllStandardOutput()).section(u' ', 1, 1);
        QVERIFY(expected.startsWith(u"SHA256:"_s));
        QCOMPARE(fps.constFirst().section(u' ', 1, 1), expected);

        QString error;
        QVERIFY2(t.acceptHostKeys(keys.standardOutput, &error), qPrintable(error));
        const ProbeResult after = runProbe(&t);
        QVERIFY2(after.reachable, qPrintable(after.error));
        QCOMPARE(after.gpus.size(), 1);
    }

    void closedPortIsRefused()
    {
        HostSpec host = m_server.host();
        host.port = SshServer::freePort();
        SshTransport t(host, m_server.options(true));
        const ProbeResult r = runProbe(&t);
        QVERIFY(!r.reachable);
        QVERIFY2(r.error.contains(u"connection refused"_s), qPrintable(r.error));
    }

    void wrongKeyIsRefused()
    {
        HostSpec host = m_server.host();
        host.identityFile = m_server.path(u"other_key"_s);
        SshTransport t(host, m_server.options(true));
        const ProbeResult r = runProbe(&t);
        QVERIFY(!r.reachable);
        QVERIFY2(r.error.contains(u"authentication refused"_s), qPrintable(r.error));
    }

    void missingNvidiaSmi()
    {
        m_server.setNvidiaSmi(SshServer::NvidiaSmi::Missing);
        SshTransport t(m_server.host(), m_server.options(true));
        const ProbeResult r = runProbe(&t);
        m_server.setNvidiaSmi(SshServer::NvidiaSmi::H100);
        QVERIFY2(r.reachable, qPrintable(r.error));
        QVERIFY(r.gpus.isEmpty());
        QVERIFY2(r.gpuError.contains(u"nvidia-smi is not installed"_s), qPrintable(r.gpuError));
    }

    void garbledNvidiaSmi()
    {
        m_server.setNvidiaSmi(SshServer::NvidiaSmi::Garbled);
        SshTransport t(m_server.host(), m_server.options(true));
        const ProbeResult r = runProbe(&t);
        m_server.setNvidiaSmi(SshServer::NvidiaSmi::H100);
        QVERIFY2(r.reachable, qPrintable(r.error));
        QVERIFY(r.gpus.isEmpty());
        QVERIFY2(r.gpuError.contains(u"not understood"_s), qPrintable(r.gpuError));
    }

    void hangingHostTimesOutWithoutFreezing()
    {
        // A server that accepts TCP connections and never says a word.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QList<QTcpSocket*> held;
        connect(&silent, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket* s = silent.nextPendingConnection())
                held << s;
        });
        HostSpec host = m_server.host();
        host.port = silent.serverPort();
        SshOptions o = m_server.options(true);
        o.connectTimeoutSec = 2;
        o.controlDir.clear();
        SshTransport t(host, o);
        int ticks = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, this, [&] { ++ticks; });
        ticker.start(20);
        QElapsedTimer clock;
        clock.start();
        HostProbe probe(&t);
        probe.setTimeoutMs(15000);
        QSignalSpy spy(&probe, &HostProbe::finished);
        probe.start();
        QVERIFY(spy.wait(20000));
        const ProbeResult r = spy.constFirst().constFirst().value<ProbeResult>();
        QVERIFY(!r.reachable);
        QVERIFY2(r.error.contains(u"no answer"_s), qPrintable(r.error));
        // The event loop kept running while we waited (no blocking call on this thread).
        QVERIFY2(ticks >= clock.elapsed() / 20 / 2, qPrintable(u"%1 ticks in %2 ms"_s.arg(ticks).arg(clock.elapsed())));
        qDeleteAll(held);
    }

    void changedHostKeyIsRefused()
    {
        SshTransport t(m_server.host(), m_server.options(true));
        QVERIFY(runProbe(&t).reachable);
        t.closeMaster();
        m_server.stop();
        QString error;
        QVERIFY2(m_server.regenerateHostKey(&error), qPrintable(error));
        QVERIFY2(m_server.start(&error), qPrintable(error));
        // QuantDesk's known_hosts still holds the old key.
        SshOptions o = m_server.options(false);
        QFile old(o.knownHostsFile);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("[127.0.0.1]:" + QByteArray::number(m_server.port()) +
                  " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
        old.close();
        SshTransport changed(m_server.host(), o);
        const ProbeResult r = runProbe(&changed);
        QVERIFY(!r.reachable);
        QVERIFY2(r.error.contains(u"CHANGED"_s), qPrintable(r.error));
    }

    void cliProbeAcceptsOnlyTheNamedHostKey()
    {
        const HostSpec h = m_server.host();
        const SshOptions o = m_server.options(false);
        const QStringList base{u"probe"_s,
                               u"--ssh"_s,
                               h.target(),
                               u"--identity"_s,
                               h.identityFile,
                               u"--ssh-config"_s,
                               h.sshConfigFile,
                               u"--known-hosts"_s,
                               o.knownHostsFile,
                               u"--format"_s,
                               u"json"_s};
        QProcess first;
        first.start(QStringLiteral(QUANTDESK_CLI_PATH), base);
        QVERIFY(first.waitForFinished(60000));
        QCOMPARE(first.exitCode(), 3);
        const QString err = QString::fromLocal8Bit(first.readAllStandardError());
        const qsizetype at = err.indexOf(u"SHA256:"_s);
        QVERIFY2(at >= 0, qPrintable(err));
        const QString fingerprint = err.mid(at).section(u'\n', 0, 0).trimmed();

        QProcess wrong;
        wrong.start(QStringLiteral(QUANTDESK_CLI_PATH), base + QStringList{u"--trust-host-key"_s, u"SHA256:nope"_s});
        QVERIFY(wrong.waitForFinished(60000));
        QCOMPARE(wrong.exitCode(), 3);
        QVERIFY(!QFile::exists(o.knownHostsFile) || QFile(o.knownHostsFile).size() == 0);

        QProcess trusted;
        trusted.start(QStringLiteral(QUANTDESK_CLI_PATH), base + QStringList{u"--trust-host-key"_s, fingerprint});
        QVERIFY(trusted.waitForFinished(60000));
        const QByteArray out = trusted.readAllStandardOutput();
        QVERIFY2(trusted.exitCode() == 0, trusted.readAllStandardError().constData());
        const QJsonDocument doc = QJsonDocument::fromJson(out);
        QCOMPARE(doc[u"gpus"_s][0][u"name"_s].toString(), u"NVIDIA H100 80GB HBM3"_s);
        QCOMPARE(doc[u"gpus"_s][0][u"memory_total_mib"_s].toInt(), 81559);
        QCOMPARE(doc[u"gpus"_s][0][u"compute_capability"_s].toString(), u"9.0"_s);
    }

    void sshOptionsAreSafe()
    {
        SshTransport t(m_server.host(), m_server.options(true));
        const QStringList o = t.sshOptions();
        QVERIFY(o.contains(u"BatchMode=yes"_s));
        QVERIFY(o.contains(u"StrictHostKeyChecking=yes"_s));
        QVERIFY(!o.join(u' ').contains(u"StrictHostKeyChecking=no"_s));
        QVERIFY(o.join(u' ').contains(u"ControlMaster=auto"_s));
        HostSpec bad;
        QString error;
        QVERIFY(!parseSshTarget(u"-oProxyCommand=touch x"_s, &bad, &error));
        QVERIFY(!parseSshTarget(u"host:99999"_s, &bad, &error));
        QVERIFY(parseSshTarget(u"alice@[::1]:2222"_s, &bad, &error));
        QCOMPARE(bad.hostname, u"::1"_s);
        QCOMPARE(bad.port, 2222);
    }
};

QTEST_GUILESS_MAIN(TestSshTransport)
#include "TestSshTransport.moc"

// Model info read from a checkpoint folder on an SSH host (the real OpenSSH fixture), compared with the same folder
// read locally.

#include <QDirIterator>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "core/model/MemoryPrediction.h"
#include "core/remote/SshModelFileReader.h"
#include "tests/support/SshServer.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;
using QuantDesk::TestSupport::SshServer;

namespace
{

bool copyTree(const QString& from, const QString& to)
{
    QDir().mkpath(to);
    QDirIterator it(from, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString f = it.next();
        const QString rel = QDir(from).relativeFilePath(f);
        QDir().mkpath(QFileInfo(to + u'/' + rel).absolutePath());
        if (!QFile::copy(f, to + u'/' + rel))
            return false;
    }
    return true;
}

ModelInfo inspectRemote(const SshServer& server, const QString& folder)
{
    QFutureWatcher<ModelInfo> watcher;
    QSignalSpy spy(&watcher, &QFutureWatcher<ModelInfo>::finished);
    watcher.setFuture(inspectRemoteModel(server.host(), server.options(true), folder));
    if (!spy.wait(60000))
        return {};
    return watcher.result();
}

} // namespace

class TestModelOverSsh : public QObject
{
    Q_OBJECT

private:
    SshServer m_server;
    QTemporaryDir m_remote{QDir::tempPath() + u"/qd models $(x) XXXXXX"_s};

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.prepare(&error), qPrintable(error));
        QVERIFY2(m_server.start(&error), qPrintable(error));
        QVERIFY(m_remote.isValid());
        const QString models = SshServer::testData() + u"/models"_s;
        for (const QString& m : {u"llama3-8b"_s, u"qwen3-8b-blockquant-kvscales"_s, u"llama2-7b-4bit"_s})
            QVERIFY(copyTree(models + u'/' + m, m_remote.filePath(m)));
    }

    void cleanupTestCase() { m_server.stop(); }

    void sameAsLocal_data()
    {
        QTest::addColumn<QString>("model");
        QTest::newRow("dense GQA") << u"llama3-8b"_s;
        QTest::newRow("FP8 with KV scales") << u"qwen3-8b-blockquant-kvscales"_s;
        QTest::newRow("AWQ") << u"llama2-7b-4bit"_s;
    }

    void sameAsLocal()
    {
        QFETCH(QString, model);
        const QString folder = m_remote.filePath(model);
        const ModelInfo local = inspectModel(folder);
        const ModelInfo remote = inspectRemote(m_server, folder);
        QCOMPARE(remote.source, u"ssh"_s);
        QVERIFY2(remote.config.has_value(), qPrintable(remote.configError + remote.notes.join(u"; "_s)));
        QCOMPARE(remote.quantMethod, local.quantMethod);
        QCOMPARE(remote.quantBits, local.quantBits);
        QCOMPARE(remote.kvScales(), local.kvScales());
        QCOMPARE(remote.config->numLayers, local.config->numLayers);
        QCOMPARE(remote.config->numKeyValueHeads, local.config->numKeyValueHeads);
    }

    void llamaKvBytesOverSsh()
    {
        // Llama-3-8B: 32 layers x 2 (K and V) x 8 KV heads x 128 head dim x 2 bytes = 128 KiB per token in BF16.
        const ModelInfo remote = inspectRemote(m_server, m_remote.filePath(u"llama3-8b"_s));
        QVERIFY(remote.config.has_value());
        QCOMPARE(remote.config->numLayers * 2 * remote.config->numKeyValueHeads * remote.config->headDim * 2,
                 128 * 1024);
        QVERIFY(remote.kvScales().has_value());
        QVERIFY(!*remote.kvScales());
    }

    void missingFolder()
    {
        const ModelInfo remote = inspectRemote(m_server, m_remote.filePath(u"no-such-model"_s));
        QVERIFY(!remote.config.has_value());
        QVERIFY(!remote.notes.isEmpty() || !remote.configError.isEmpty());
    }

    // quantdesk-cli preview --model FOLDER --model-ssh HOST: the model facts and the prediction come from the files
    // on the host (Llama-3-8B with an FP8 KV cache: 64 KiB per token), and an unreachable host is exit 3.
    void cliPreviewReadsTheModelOverSsh()
    {
        const HostSpec h = m_server.host();
        const SshOptions o = m_server.options(true);
        const QString folder = m_remote.filePath(u"llama3-8b"_s);
        const QStringList common{u"preview"_s,
                                 u"--preset"_s,
                                 u"kv-cache-fp8"_s,
                                 u"--engine"_s,
                                 u"vllm"_s,
                                 u"--model"_s,
                                 folder,
                                 u"--identity"_s,
                                 h.identityFile,
                                 u"--ssh-config"_s,
                                 h.sshConfigFile,
                                 u"--known-hosts"_s,
                                 o.knownHostsFile,
                                 u"--format"_s,
                                 u"json"_s};
        QProcess cli;
        cli.start(QStringLiteral(QUANTDESK_CLI_PATH), common + QStringList{u"--model-ssh"_s, h.target()});
        QVERIFY(cli.waitForFinished(60000));
        const QByteArray out = cli.readAllStandardOutput();
        QVERIFY2(cli.exitCode() == 0, qPrintable(QString::fromUtf8(out + cli.readAllStandardError())));
        const QJsonObject doc = QJsonDocument::fromJson(out).object();
        const QJsonObject model = doc.value(u"model"_s).toObject();
        QCOMPARE(model.value(u"source"_s).toString(), u"ssh"_s);
        QCOMPARE(model.value(u"architecture"_s).toObject().value(u"layers"_s).toInt(), 32);
        QCOMPARE(doc.value(u"memory"_s).toObject().value(u"kv_bytes_per_token"_s).toInteger(), 64 * 1024);

        HostSpec down = h;
        down.port = SshServer::freePort();
        QProcess refused;
        refused.start(QStringLiteral(QUANTDESK_CLI_PATH), common + QStringList{u"--model-ssh"_s, down.target()});
        QVERIFY(refused.waitForFinished(60000));
        const QString err = QString::fromUtf8(refused.readAllStandardError());
        QCOMPARE(refused.exitCode(), 3);
        QVERIFY2(err.contains(u"--model-ssh"_s) && err.contains(u"connection refused"_s), qPrintable(err));
    }

    void unreachableHost()
    {
        HostSpec host = m_server.host();
        host.port = SshServer::freePort();
        SshOptions o = m_server.options(true);
        o.connectTimeoutSec = 2;
        const SshModelFileReader reader(host, o, m_remote.filePath(u"llama3-8b"_s), 10000);
        QString error;
        QVERIFY(!reader.readFile(u"config.json"_s, 1024, &error));
        QVERIFY2(error.contains(u"connection refused"_s), qPrintable(error));
        QVERIFY(!reader.readFile(u"../../etc/passwd"_s, 1024, &error));
        QVERIFY(error.contains(u"outside"_s));
    }
};

QTEST_GUILESS_MAIN(TestModelOverSsh)
#include "TestModelOverSsh.moc"

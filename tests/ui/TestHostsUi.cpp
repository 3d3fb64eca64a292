// The hosts UI as a user drives it: hosts that persist, tokens that never reach the settings file, probes over a real
// OpenSSH server on 127.0.0.1 (tests/support/SshServer.h) and a loopback autotuner API (FakeAutotuner), host keys
// to accept or refuse, faults that show a message without freezing, and a target host that feeds the preview.

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>
#include <QUndoStack>

#include "core/quant/Presets.h"
#include "tests/support/FakeAutotuner.h"
#include "tests/support/SshServer.h"
#include "ui/Dialogs.h"
#include "ui/DocumentSession.h"
#include "ui/EnglishPlurals.h"
#include "ui/MainWindow.h"
#include "ui/MessageBanner.h"
#include "ui/QuantEditor.h"
#include "ui/Settings.h"
#include "ui/TaskPane.h"
#include "ui/hosts/HostProber.h"
#include "ui/hosts/HostStore.h"
#include "ui/hosts/HostsDialog.h"
#include "ui/hosts/SecretStore.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;
using QuantDesk::TestSupport::FakeAutotuner;
using QuantDesk::TestSupport::SshServer;

namespace
{

// Every row of the probe result, as "what: found", depth first.
QStringList treeLines(const QTreeWidget* tree)
{
    QStringList out;
    std::function<void(QTreeWidgetItem*)> walk = [&](QTreeWidgetItem* item) {
        out << item->text(0) + u": "_s + item->text(1);
        for (int i = 0; i < item->childCount(); ++i)
            walk(item->child(i));
    };
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        walk(tree->topLevelItem(i));
    return out;
}

bool treeHas(const QTreeWidget* tree, const QString& line)
{
    return treeLines(tree).contains(line);
}

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// With QUANTDESK_SCREENSHOT_DIR set, saves what the user sees, at 1280x800.
void screenshot(QWidget* w, const QString& name)
{
    const QByteArray dir = qgetenv("QUANTDESK_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    w->resize(1280, 800);
    QTest::qWait(50);
    if (!w->grab().save(QString::fromLocal8Bit(dir) + u'/' + name + u".png"_s))
        qWarning("could not save the screenshot %s", qPrintable(name));
}

} // namespace

class TestHostsUi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void hostsPersistAcrossARestartOfTheStore();
    void unreadableHostListIsReportedAndKept();
    void dialogAddsEditsAndRemovesHosts();
    void tokenNeverReachesTheSettingsFile();
    void invalidTargetIsExplainedInTheDialog();
    void keychainFailureFallsBackToMemoryWithANote();
    void sshProbeShowsTheH100();
    void unknownHostKeyIsShownAndAcceptedIntoOwnKnownHosts();
    void closedPortGivesAClearMessageWithoutFreezing();
    void hangingHostTimesOut();
    void missingAndGarbledNvidiaSmiAreExplained();
    void restProbeAgainstTheAutotunerApi();
    void targetHostFeedsThePreview();
    void modelPathIsReadOnTheTargetHost();
    void unknownKeyOfTheTargetOpensTheHostManager();
    void probeCanBeCancelled();
    void changedHostKeyIsRefusedWithAWarning(); // last: it replaces the server's host key

private:
    // A dialog over the test's own store, secrets and prober.
    std::unique_ptr<HostsDialog> openDialog()
    {
        auto d = std::make_unique<HostsDialog>(*m_store, *m_secrets, *m_prober);
        d->show();
        if (!QTest::qWaitForWindowExposed(d.get()))
            return nullptr;
        return d;
    }
    HostSpec addServerHost(const QString& name, const QString& autotunerDir = {})
    {
        HostSpec h = m_server.host();
        h.name = name;
        h.autotunerDir = autotunerDir;
        QString error;
        if (!m_store->add(h, false, &error))
            qWarning("%s", qPrintable(error));
        return h;
    }
    // The fixture's options with QuantDesk's known_hosts in the settings folder.
    SshOptions sshOptions(bool trusted) const
    {
        SshOptions o = m_server.options(trusted);
        const QString own = m_settings->dataDirectory() + u"/known_hosts"_s;
        QFile::remove(own);
        if (trusted)
            QFile::copy(o.knownHostsFile, own);
        o.knownHostsFile = own;
        return o;
    }

    SshServer m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<HostStore> m_store;
    std::unique_ptr<HostProber> m_prober;
};

void TestHostsUi::initTestCase()
{
    qputenv("QUANTDESK_SECRET_STORE", "memory"); // no keychain daemon here
    EnglishPlurals::ensureInstalled();           // as the window does before it builds the hosts area
    QString error;
    QVERIFY2(m_server.prepare(&error), qPrintable(error));
    QVERIFY2(m_server.start(&error), qPrintable(error));
}

void TestHostsUi::init()
{
    Dialogs::setRefuseUnexpected(true);
    Dialogs::resetSeams();
    m_server.setNvidiaSmi(SshServer::NvidiaSmi::H100);
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
    m_secrets = std::make_unique<SecretStore>();
    m_store = std::make_unique<HostStore>(*m_settings);
    m_prober = std::make_unique<HostProber>(m_secrets.get());
    m_prober->setSshOptions(sshOptions(true));
    m_prober->setTimeoutMs(30000);
}

void TestHostsUi::cleanup()
{
    m_prober.reset();
    m_store.reset();
    m_secrets.reset();
    m_settings.reset();
    m_dir.reset();
    Dialogs::resetSeams();
}

void TestHostsUi::hostsPersistAcrossARestartOfTheStore()
{
    HostSpec ssh;
    QVERIFY(parseSshTarget(u"alice@gpu-box:2222"_s, &ssh, nullptr));
    ssh.name = u"box"_s;
    ssh.identityFile = u"/keys/id_ed25519"_s;
    ssh.autotunerDir = u"/opt/inference-autotuner"_s;
    HostSpec rest;
    rest.kind = HostSpec::Kind::Rest;
    QVERIFY(parseRestUrl(u"tuner.lan"_s, &rest.baseUrl, nullptr));
    QString error;
    QVERIFY2(m_store->add(ssh, false, &error), qPrintable(error));
    QVERIFY2(m_store->add(rest, true, &error), qPrintable(error));
    QVERIFY(!m_store->add(ssh, false, &error)); // the name is taken
    QVERIFY2(error.contains(u"box"_s), qPrintable(error));
    HostSpec renamed = ssh;
    renamed.name = u"h100-box"_s;
    m_store->setTarget(u"box"_s);
    QVERIFY2(m_store->update(u"box"_s, renamed, false, &error), qPrintable(error));
    QCOMPARE(m_store->target(), u"h100-box"_s); // the target follows a rename
    HostSpec extra;
    QVERIFY(parseSshTarget(u"spare"_s, &extra, nullptr));
    QVERIFY(m_store->add(extra, false, &error));
    QVERIFY(m_store->remove(u"spare"_s));
    QVERIFY(!m_store->remove(u"local"_s)); // local stays

    // A new Settings and store over the same file: what a restart sees.
    m_store.reset();
    m_settings.reset();
    m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
    HostStore again(*m_settings);
    const QList<HostSpec> hosts = again.hosts();
    QCOMPARE(hosts.size(), 3);
    QCOMPARE(hosts.at(0).kind, HostSpec::Kind::Local);
    QCOMPARE(hosts.at(1), renamed);
    QCOMPARE(hosts.at(2).baseUrl, QUrl(u"http://tuner.lan:8000"_s));
    QVERIFY(again.hasToken(hosts.at(2).displayName()));
    QCOMPARE(again.target(), u"h100-box"_s);
    QVERIFY(!again.find(u"spare"_s));
}

void TestHostsUi::unreadableHostListIsReportedAndKept()
{
    // A host list the app cannot read (hand-edited, truncated, from a newer version) is reported with where and what,
    // and its text survives the next save.
    struct Case
    {
        QByteArray text;
        QString says;
        int hosts; // usable hosts besides local
    };
    const QList<Case> cases{
        {R"([{"kind":"ssh","name":"box","hostname":"gpu-box"},{"kind":"rest","na)", u"at byte"_s, 0},
        {R"({"kind":"ssh"})", u"not a JSON array"_s, 0},
        {R"([{"kind":"ssh","name":"box","hostname":"gpu-box"},{"kind":"quantum","name":"q"},7])",
         u"2 stored hosts of 3 could not be used"_s,
         1},
    };
    for (const Case& c : cases) {
        m_store.reset();
        m_settings->setValue(Settings::Key::Hosts, QString::fromUtf8(c.text));
        m_settings->setValue(Settings::Key::HostsUnreadable, QString());
        m_store = std::make_unique<HostStore>(*m_settings);
        QVERIFY2(m_store->loadProblem().contains(u"Hosts/List"_s), qPrintable(m_store->loadProblem()));
        QVERIFY2(m_store->loadProblem().contains(c.says), qPrintable(m_store->loadProblem()));
        QCOMPARE(m_store->hosts().size(), 1 + c.hosts);
        // Saving again (adding a host) keeps the original text aside.
        HostSpec extra;
        QVERIFY(parseSshTarget(u"spare"_s, &extra, nullptr));
        QString error;
        QVERIFY2(m_store->add(extra, false, &error), qPrintable(error));
        QCOMPARE(m_settings->get<QString>(Settings::Key::HostsUnreadable).toUtf8(), c.text);
    }
    // A readable list has no problem to report.
    m_store.reset();
    m_store = std::make_unique<HostStore>(*m_settings);
    QVERIFY(m_store->loadProblem().isEmpty());
}

void TestHostsUi::dialogAddsEditsAndRemovesHosts()
{
    auto d = openDialog();
    QVERIFY(d);
    QCOMPARE(d->hostList()->count(), 1); // local
    QTest::mouseClick(d->findChild<QPushButton*>(u"addHostButton"_s), Qt::LeftButton);
    d->findChild<QComboBox*>(u"hostKindComboBox"_s)->setCurrentIndex(1); // SSH
    QTest::keyClicks(d->findChild<QLineEdit*>(u"hostTargetLineEdit"_s), u"bob@10.0.0.7:2200"_s);
    QTest::keyClicks(d->findChild<QLineEdit*>(u"hostNameLineEdit"_s), u"lab"_s);
    QVERIFY(!d->findChild<QLineEdit*>(u"tokenLineEdit"_s)->isVisible()); // SSH hosts have no token
    QTest::mouseClick(d->findChild<QPushButton*>(u"applyHostButton"_s), Qt::LeftButton);
    QCOMPARE(d->hostList()->count(), 2);
    const auto lab = m_store->find(u"lab"_s);
    QVERIFY(lab);
    QCOMPARE(lab->user, u"bob"_s);
    QCOMPARE(lab->hostname, u"10.0.0.7"_s);
    QCOMPARE(lab->port, 2200);
    QCOMPARE(d->selectedHost(), u"lab"_s);

    // Picking a host while adding leaves the half-typed new one.
    QTest::mouseClick(d->findChild<QPushButton*>(u"addHostButton"_s), Qt::LeftButton);
    QCOMPARE(d->selectedHost(), QString());
    d->hostList()->setCurrentRow(1);
    QCOMPARE(d->selectedHost(), u"lab"_s);
    QCOMPARE(d->findChild<QLineEdit*>(u"hostNameLineEdit"_s)->text(), u"lab"_s);

    // Edit: a new checkout folder.
    QLineEdit* dir = d->findChild<QLineEdit*>(u"autotunerDirLineEdit"_s);
    dir->clear();
    QTest::keyClicks(dir, u"/srv/autotuner"_s);
    QTest::mouseClick(d->findChild<QPushButton*>(u"applyHostButton"_s), Qt::LeftButton);
    QCOMPARE(m_store->find(u"lab"_s)->autotunerDir, u"/srv/autotuner"_s);
    QVERIFY(readFile(m_settings->fileName()).contains("/srv/autotuner"));

    // Remove, after the question.
    Dialogs::setNextAnswer(QMessageBox::Yes);
    QTest::mouseClick(d->findChild<QPushButton*>(u"removeHostButton"_s), Qt::LeftButton);
    QVERIFY(!m_store->find(u"lab"_s));
    QCOMPARE(d->hostList()->count(), 1);
    QVERIFY(!readFile(m_settings->fileName()).contains("10.0.0.7"));
}

void TestHostsUi::tokenNeverReachesTheSettingsFile()
{
    const QString token = u"s3cret-Token-4711"_s;
    {
        auto d = openDialog();
        QVERIFY(d);
        d->startNewHost();
        d->findChild<QComboBox*>(u"hostKindComboBox"_s)->setCurrentIndex(2); // REST
        QTest::keyClicks(d->findChild<QLineEdit*>(u"hostTargetLineEdit"_s), u"http://tuner.lan:8000"_s);
        QLineEdit* tokenEdit = d->findChild<QLineEdit*>(u"tokenLineEdit"_s);
        QVERIFY(tokenEdit->isVisible());
        QCOMPARE(tokenEdit->echoMode(), QLineEdit::Password);
        QTest::keyClicks(tokenEdit, token);
        QVERIFY(d->applyForm());
        QVERIFY(tokenEdit->text().isEmpty()); // not left lying in the form
        // In memory only here, and the dialog says so.
        QVERIFY(!m_secrets->isPersistent());
        QVERIFY2(d->findChild<QLabel*>(u"tokenNoteLabel"_s)->text().contains(u"memory"_s),
                 qPrintable(d->findChild<QLabel*>(u"tokenNoteLabel"_s)->text()));
    }
    m_settings->sync();
    const HostSpec rest = m_store->hosts().at(1);
    QCOMPARE(m_secrets->cached(HostStore::secretKey(rest)), std::optional<QString>(token));
    QVERIFY(m_store->hasToken(rest.displayName()));
    // Nothing under the settings folder holds the token, in plain text or base64.
    const QStringList files = QDir(m_dir->path()).entryList(QDir::Files);
    QVERIFY(files.contains(u"settings.ini"_s));
    for (const QString& f : files) {
        const QByteArray data = readFile(m_dir->filePath(f));
        QVERIFY2(!data.contains(token.toUtf8()), qPrintable(f));
        QVERIFY2(!data.contains(token.toUtf8().toBase64()), qPrintable(f));
    }
    QVERIFY(readFile(m_settings->fileName()).contains("tuner.lan"));

    // A token in the URL is refused rather than stored.
    auto d = openDialog();
    QVERIFY(d);
    d->startNewHost();
    d->findChild<QComboBox*>(u"hostKindComboBox"_s)->setCurrentIndex(2);
    QTest::keyClicks(d->findChild<QLineEdit*>(u"hostTargetLineEdit"_s), u"http://user:pw-in-url@other:8000"_s);
    QVERIFY(!d->applyForm());
    QVERIFY(!readFile(m_settings->fileName()).contains("pw-in-url"));
}

void TestHostsUi::invalidTargetIsExplainedInTheDialog()
{
    auto d = openDialog();
    QVERIFY(d);
    d->startNewHost();
    QTest::keyClicks(d->findChild<QLineEdit*>(u"hostTargetLineEdit"_s), u"bad host;rm"_s);
    QVERIFY(!d->applyForm());
    QVERIFY(d->banner()->isVisible());
    QCOMPARE(d->banner()->type(), MessageBanner::Type::Error);
    QVERIFY2(d->banner()->text().contains(u"not a valid SSH target"_s), qPrintable(d->banner()->text()));
    QCOMPARE(m_store->hosts().size(), 1);
}

void TestHostsUi::keychainFailureFallsBackToMemoryWithANote()
{
    if (!SecretStore::keychainCompiledIn())
        QSKIP("built without QtKeychain");
    // No session bus: whatever keychain backend QtKeychain picks cannot be reached.
    const QByteArray bus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/quantdesk-test-bus");
    SecretStore secrets(SecretStore::Backend::Keychain, nullptr);
    QVERIFY(secrets.isPersistent());
    QSignalSpy fellBack(&secrets, &SecretStore::fellBackToMemory);
    QSignalSpy written(&secrets, &SecretStore::writeFinished);
    secrets.write(u"rest-token:http://x:8000"_s, u"tok-123"_s);
    QVERIFY(written.wait(20000));
    qputenv("DBUS_SESSION_BUS_ADDRESS", bus);
    QCOMPARE(written.constFirst().at(1).toBool(), false); // not persistent
    QCOMPARE(fellBack.size(), 1);
    QVERIFY(!secrets.isPersistent());
    QVERIFY2(secrets.note().contains(u"memory"_s), qPrintable(secrets.note()));
    // Still usable this session, and nothing was written next to the settings.
    QCOMPARE(secrets.cached(u"rest-token:http://x:8000"_s), std::optional<QString>(u"tok-123"_s));
    for (const QString& f : QDir(m_dir->path()).entryList(QDir::Files))
        QVERIFY2(!readFile(m_dir->filePath(f)).contains("tok-123"), qPrintable(f));
}

void TestHostsUi::sshProbeShowsTheH100()
{
    addServerHost(u"fixture"_s);
    auto d = openDialog();
    QVERIFY(d);
    QVERIFY(d->selectHost(u"fixture"_s));
    QTest::mouseClick(d->findChild<QPushButton*>(u"probeHostButton"_s), Qt::LeftButton);
    QVERIFY(d->findChild<QProgressBar*>(u"probeProgressBar"_s)->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!m_prober->isRunning(u"fixture"_s), 30000);
    QTreeWidget* tree = d->resultTree();
    QVERIFY2(treeHas(tree, u"GPU 0: NVIDIA H100 80GB HBM3"_s), qPrintable(treeLines(tree).join(u'\n')));
    QVERIFY2(treeHas(tree, u"Memory: 81559 MiB"_s), qPrintable(treeLines(tree).join(u'\n')));
    QVERIFY2(treeHas(tree, u"Compute capability: 9.0"_s), qPrintable(treeLines(tree).join(u'\n')));
    QVERIFY(treeHas(tree, u"Driver: 580.159.04"_s));
    QVERIFY(treeHas(tree, u"CUDA: 13.0"_s));
    QVERIFY(!d->findChild<QProgressBar*>(u"probeProgressBar"_s)->isVisible());
    QVERIFY(!d->findChild<QGroupBox*>(u"hostKeyGroupBox"_s)->isVisible());

    screenshot(d.get(), u"hosts-dialog"_s);
}

void TestHostsUi::unknownHostKeyIsShownAndAcceptedIntoOwnKnownHosts()
{
    m_prober->setSshOptions(sshOptions(false));
    const QString ownKnownHosts = m_settings->dataDirectory() + u"/known_hosts"_s;
    QVERIFY(!QFile::exists(ownKnownHosts));
    addServerHost(u"new-box"_s);
    auto d = openDialog();
    QVERIFY(d);
    QVERIFY(d->selectHost(u"new-box"_s));
    d->probeSelected();
    auto* keyBox = d->findChild<QGroupBox*>(u"hostKeyGroupBox"_s);
    QTRY_VERIFY_WITH_TIMEOUT(keyBox->isVisible(), 30000);
    // The fingerprint shown is the server's, as ssh-keygen computes it.
    QProcess keygen;
    keygen.start(u"ssh-keygen"_s, {u"-l"_s, u"-E"_s, u"sha256"_s, u"-f"_s, m_server.path(u"host_ed25519_key.pub"_s)});
    QVERIFY(keygen.waitForFinished(10000));
    const QString fingerprint = QString::fromLatin1(keygen.readAllStandardOutput()).section(u' ', 1, 1);
    QVERIFY(fingerprint.startsWith(u"SHA256:"_s));
    const QString shown = d->findChild<QLabel*>(u"hostKeyLabel"_s)->text();
    QVERIFY2(shown.contains(fingerprint), qPrintable(shown));
    QVERIFY(!QFile::exists(ownKnownHosts)); // nothing trusted before the user says so
    QVERIFY2(d->findChild<QLabel*>(u"probeStatusLabel"_s)->text().contains(u"not known"_s),
             qPrintable(d->findChild<QLabel*>(u"probeStatusLabel"_s)->text()));
    screenshot(d.get(), u"hosts-dialog-unknown-key"_s);

    QTest::mouseClick(d->findChild<QPushButton*>(u"acceptHostKeyButton"_s), Qt::LeftButton);
    QVERIFY(!keyBox->isVisible());
    const QByteArray key = m_server.knownHostsLine().trimmed().split(' ').value(2);
    QVERIFY(!key.isEmpty());
    QVERIFY2(readFile(ownKnownHosts).contains(key), readFile(ownKnownHosts).constData());
    // Accepting probes again, and now it gets through.
    QTRY_VERIFY_WITH_TIMEOUT(treeHas(d->resultTree(), u"GPU 0: NVIDIA H100 80GB HBM3"_s), 30000);
}

void TestHostsUi::closedPortGivesAClearMessageWithoutFreezing()
{
    HostSpec h = m_server.host();
    h.name = u"closed"_s;
    h.port = SshServer::freePort();
    QVERIFY(m_store->add(h, false, nullptr));
    auto d = openDialog();
    QVERIFY(d);
    QVERIFY(d->selectHost(u"closed"_s));
    int ticks = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, this, [&] { ++ticks; });
    ticker.start(20);
    QElapsedTimer clock;
    clock.start();
    d->probeSelected();
    auto* status = d->findChild<QLabel*>(u"probeStatusLabel"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!m_prober->isRunning(u"closed"_s), 30000);
    QVERIFY2(status->text().contains(u"connection refused"_s), qPrintable(status->text()));
    QVERIFY(status->text().contains(QString::number(h.port)));
    QVERIFY2(ticks >= clock.elapsed() / 20 / 2, qPrintable(u"%1 ticks in %2 ms"_s.arg(ticks).arg(clock.elapsed())));
}

void TestHostsUi::hangingHostTimesOut()
{
    // Accepts TCP connections and never says a word.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QList<QTcpSocket*> held;
    connect(&silent, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket* s = silent.nextPendingConnection())
            held << s;
    });
    SshOptions o = sshOptions(true);
    o.connectTimeoutSec = 2;
    o.controlDir.clear();
    m_prober->setSshOptions(o);
    HostSpec h = m_server.host();
    h.name = u"hanging"_s;
    h.port = silent.serverPort();
    QVERIFY(m_store->add(h, false, nullptr));
    auto d = openDialog();
    QVERIFY(d);
    QVERIFY(d->selectHost(u"hanging"_s));
    int ticks = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, this, [&] { ++ticks; });
    ticker.start(20);
    QElapsedTimer clock;
    clock.start();
    d->probeSelected();
    QTRY_VERIFY_WITH_TIMEOUT(!m_prober->isRunning(u"hanging"_s), 30000);
    const QString text = d->findChild<QLabel*>(u"probeStatusLabel"_s)->text();
    QVERIFY2(text.contains(u"no answer"_s), qPrintable(text));
    QVERIFY2(ticks >= clock.elapsed() / 20 / 2, qPrintable(u"%1 ticks in %2 ms"_s.arg(ticks).arg(clock.elapsed())));
    qDeleteAll(held);
}

void TestHostsUi::missingAndGarbledNvidiaSmiAreExplained()
{
    addServerHost(u"fixture"_s);
    auto d = openDialog();
    QVERIFY(d);
    QVERIFY(d->selectHost(u"fixture"_s));

    m_server.setNvidiaSmi(SshServer::NvidiaSmi::Missing);
    d->probeSelected();
    QTRY_VERIFY_WITH_TIMEOUT(!m_prober->isRunning(u"fixture"_s), 30000);
    QVERIFY2(treeHas(d->resultTree(), u"GPUs: nvidia-smi is not installed or not on PATH"_s),
             qPrintable(treeLines(d->resultTree()).join(u'\n')));

    m_server.setNvidiaSmi(SshServer::NvidiaSmi::Garbled);
    d->probeSelected();
    QTRY_VERIFY_WITH_TIMEOUT(!m_prober->isRunning(u"fixture"_s), 30000);
    const QStringList lines = treeLines(d->resultTree());
    QVERIFY2(!lines.filter(u"GPUs: nvidia-smi output not understood"_s).isEmpty(), qPrintable(lines.join(u'\n')));
    QVERIFY(lines.filter(u"GPU 0"_s).isEmpty());
}

void TestHostsUi::restProbeAgainstTheAutotunerApi()
{
    FakeAutotuner api;
    QString error;
    QVERIFY2(api.start(&error), qPrintable(error));
    auto d = openDialog();
    QVERIFY(d);
    d->startNewHost();
    d->findChild<QComboBox*>(u"hostKindComboBox"_s)->setCurrentIndex(2);
    QTest::keyClicks(d->findChild<QLineEdit*>(u"hostTargetLineEdit"_s), api.url().toString());
    QTest::keyClicks(d->findChild<QLineEdit*>(u"hostNameLineEdit"_s), u"tuner"_s);
    QTest::keyClicks(d->findChild<QLineEdit*>(u"tokenLineEdit"_s), u"tok"_s);
    QVERIFY(d->applyForm());
    QCOMPARE(d->selectedHost(), u"tuner"_s);
    QTest::mouseClick(d->findChild<QPushButton*>(u"probeHostButton"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_prober->isRunning(u"tuner"_s), 30000);
    const QStringList lines = treeLines(d->resultTree());
    QVERIFY2(lines.contains(u"GPU 0: NVIDIA H100 80GB HBM3"_s), qPrintable(lines.join(u'\n')));
    QVERIFY(lines.contains(u"Memory: 81559 MiB"_s));
    // The API does not report the compute capability: looked up, and the dialog says so.
    QVERIFY2(lines.contains(u"Compute capability: 9.0 (looked up from the name)"_s), qPrintable(lines.join(u'\n')));
    QVERIFY(lines.contains(u"Autotuner: API 0.1.0"_s));
    screenshot(d.get(), u"hosts-dialog-rest"_s);

    // After a restart the memory-only token is gone: probing asks for it instead of going without.
    d.reset();
    m_prober.reset();
    m_secrets = std::make_unique<SecretStore>();
    m_prober = std::make_unique<HostProber>(m_secrets.get());
    d = std::make_unique<HostsDialog>(*m_store, *m_secrets, *m_prober);
    d->show();
    QVERIFY(QTest::qWaitForWindowExposed(d.get()));
    QVERIFY(d->selectHost(u"tuner"_s));
    QVERIFY(HostsDialog::tokenMissing(*m_store, *m_secrets, u"tuner"_s));
    d->probeSelected();
    QVERIFY(!m_prober->isRunning(u"tuner"_s));
    QVERIFY2(d->banner()->text().contains(u"token of tuner is not known"_s), qPrintable(d->banner()->text()));
    QTest::keyClicks(d->findChild<QLineEdit*>(u"tokenLineEdit"_s), u"tok"_s);
    QVERIFY(d->applyForm());
    QVERIFY(!HostsDialog::tokenMissing(*m_store, *m_secrets, u"tuner"_s));

    // A closed port: a clear message.
    api.stop();
    d->probeSelected();
    QTRY_VERIFY_WITH_TIMEOUT(!m_prober->isRunning(u"tuner"_s), 30000);
    const QString status = d->findChild<QLabel*>(u"probeStatusLabel"_s)->text();
    QVERIFY2(status.contains(u"refused"_s, Qt::CaseInsensitive), qPrintable(status));
}

// Issue 9: with an SSH target host, an absolute model path is the checkpoint on that host (where the engine will
// run it): its files are read there, off the UI thread, and feed the prediction. A path the host does not have says
// so instead of predicting from nothing.
void TestHostsUi::modelPathIsReadOnTheTargetHost()
{
    QTemporaryDir models;
    const QString folder = models.filePath(u"llama3-8b"_s);
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(QFile::copy(SshServer::testData() + u"/models/llama3-8b/config.json"_s, folder + u"/config.json"_s));

    PresetStore presets(m_dir->filePath(u"presets"_s));
    MainWindow window(*m_settings, presets);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* store = window.findChild<HostStore*>(u"hostStore"_s);
    auto* prober = window.findChild<HostProber*>(u"hostProber"_s);
    QVERIFY(store && prober);
    prober->setSshOptions(sshOptions(true)); // QuantDesk's own known_hosts, trusted: the window's reads use it too
    HostSpec h = m_server.host();
    h.name = u"h100"_s;
    QVERIFY(store->add(h, false, nullptr));

    const auto setModel = [&](const QString& model) {
        TaskState s = window.session()->state();
        s.model = model;
        s.engine = u"vllm"_s;
        window.session()->edit(s, u"model"_s, DocumentSession::Pace::Immediate);
    };
    setModel(folder);
    QCOMPARE(window.modelInfo().source, u"local folder"_s); // no target host: this machine's files

    store->setTarget(u"h100"_s);
    QTRY_COMPARE_WITH_TIMEOUT(window.modelInfo().source, u"ssh"_s, 30000);
    QVERIFY2(window.modelInfo().location.contains(h.target().section(u':', 0, 0)),
             qPrintable(window.modelInfo().location));
    QVERIFY(window.modelInfo().config);
    QTRY_VERIFY_WITH_TIMEOUT(
        window.quantEditor()->memoryLabel(QuantField::KvCache)->text().contains(u"128 KiB/token"_s), 30000);

    // A folder the host does not have: no prediction, and the reason names the path.
    const QString missing = models.filePath(u"not-on-the-host"_s);
    setModel(missing);
    QTRY_VERIFY_WITH_TIMEOUT(!window.statusBar()->currentMessage().contains(u"Reading"_s), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(window.modelInfo().source, u"ssh"_s, 30000);
    QVERIFY(!window.modelInfo().config);
    QVERIFY2(window.quantEditor()->memorySummaryLabel()->text().contains(u"No memory prediction"_s),
             qPrintable(window.quantEditor()->memorySummaryLabel()->text()));
}

void TestHostsUi::targetHostFeedsThePreview()
{
    // A stand-in checkout whose Python reports a vLLM release QuantDesk has no exact profile for.
    QTemporaryDir checkout;
    QVERIFY(QDir().mkpath(checkout.filePath(u"src"_s)));
    QVERIFY(QDir().mkpath(checkout.filePath(u"env/bin"_s)));
    QFile script(checkout.filePath(u"src/run_autotuner.py"_s));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.close();
    QFile python(checkout.filePath(u"env/bin/python"_s));
    QVERIFY(python.open(QIODevice::WriteOnly));
    python.write("#!/bin/sh\necho vllm=0.26.0\n");
    python.close();
    QVERIFY(python.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));

    PresetStore presets(m_dir->filePath(u"presets"_s));
    MainWindow window(*m_settings, presets);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* store = window.findChild<HostStore*>(u"hostStore"_s);
    auto* prober = window.findChild<HostProber*>(u"hostProber"_s);
    QVERIFY(store && prober);
    prober->setSshOptions(sshOptions(true));
    HostSpec h = m_server.host();
    h.name = u"h100"_s;
    h.autotunerDir = checkout.path();
    QVERIFY(store->add(h, false, nullptr));

    auto* gpuLabel = window.findChild<QLabel*>(u"gpuInfoLabel"_s);
    auto* gpuCombo = window.findChild<QComboBox*>(u"gpuComboBox"_s);
    const QString before = gpuLabel->text();
    QVERIFY(!window.session()->state().gpu);
    auto nearestNote = [&]() -> QString {
        for (const EngineCommand& c : window.commands()) {
            for (const Diagnostic& diag : c.diagnostics) {
                if (c.engine == u"vllm" && diag.id == u"PROFILE-NEAREST")
                    return diag.message;
            }
        }
        return {};
    };
    QVERIFY(nearestNote().isEmpty());

    store->setTarget(u"h100"_s); // what "Use as Target" does
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->state().gpu.has_value(), 30000);
    const TaskState& s = window.session()->state();
    QCOMPARE(s.gpu->name, u"NVIDIA H100 80GB HBM3"_s);
    QCOMPARE(s.gpu->ccValue(), 90);
    QCOMPARE(s.gpuHost, u"h100"_s);
    QCOMPARE(s.engineVersion, u"0.26.0"_s);
    QVERIFY(gpuLabel->text() != before);
    QVERIFY2(gpuLabel->text().contains(u"NVIDIA H100 80GB HBM3"_s) && gpuLabel->text().contains(u"h100"_s),
             qPrintable(gpuLabel->text()));
    QCOMPARE(gpuCombo->currentIndex(), 2); // "From the target host"
    screenshot(&window, u"main-window-target-host"_s);
    const QString note = nearestNote();
    QVERIFY2(note.contains(u"0.26.0"_s) && note.contains(u"nearest"_s), qPrintable(note));

    // Undo takes the host's GPU back out of the preview.
    window.session()->undoStack()->undo();
    QVERIFY(!window.session()->state().gpu);
    QCOMPARE(gpuLabel->text(), before);

    // The submit dialog's hosts: local first, then the stored ones.
    QAction* manage = window.findChild<QAction*>(u"manageHostsAction"_s);
    QVERIFY(manage);
    QCOMPARE(manage->shortcut(), QKeySequence(u"Ctrl+Shift+H"_s));
    manage->trigger();
    auto* dialog = window.findChild<HostsDialog*>(u"hostsDialog"_s);
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QVERIFY(!dialog->isModal());
    QVERIFY(dialog->hostList()->item(1)->text().contains(u"target"_s));
    dialog->close();
}

void TestHostsUi::unknownKeyOfTheTargetOpensTheHostManager()
{
    PresetStore presets(m_dir->filePath(u"presets"_s));
    MainWindow window(*m_settings, presets);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* store = window.findChild<HostStore*>(u"hostStore"_s);
    auto* prober = window.findChild<HostProber*>(u"hostProber"_s);
    QVERIFY(store && prober);
    prober->setSshOptions(sshOptions(false));
    HostSpec h = m_server.host();
    h.name = u"fresh"_s;
    QVERIFY(store->add(h, false, nullptr));
    QVERIFY(!window.findChild<HostsDialog*>());
    store->setTarget(u"fresh"_s);
    QTRY_VERIFY_WITH_TIMEOUT(window.findChild<HostsDialog*>() != nullptr, 30000);
    auto* dialog = window.findChild<HostsDialog*>();
    QCOMPARE(dialog->selectedHost(), u"fresh"_s);
    auto* keyBox = dialog->findChild<QGroupBox*>(u"hostKeyGroupBox"_s);
    QTRY_VERIFY(keyBox->isVisible());
    QVERIFY(dialog->findChild<QLabel*>(u"hostKeyLabel"_s)->text().contains(u"SHA256:"_s));
    QVERIFY(!window.session()->state().gpu); // nothing from an unverified host

    QTest::mouseClick(dialog->findChild<QPushButton*>(u"acceptHostKeyButton"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->state().gpu.has_value(), 30000);
    QCOMPARE(window.session()->state().gpu->name, u"NVIDIA H100 80GB HBM3"_s);
}

void TestHostsUi::probeCanBeCancelled()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QList<QTcpSocket*> held;
    connect(&silent, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket* s = silent.nextPendingConnection())
            held << s;
    });
    HostSpec h = m_server.host();
    h.name = u"slow"_s;
    h.port = silent.serverPort();
    QVERIFY(m_store->add(h, false, nullptr));
    auto d = openDialog();
    QVERIFY(d);
    QVERIFY(d->selectHost(u"slow"_s));
    d->probeSelected();
    auto* cancel = d->findChild<QPushButton*>(u"cancelProbeButton"_s);
    QVERIFY(cancel->isEnabled());
    QTest::qWait(200);
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(!m_prober->isRunning(u"slow"_s));
    QVERIFY(clock.elapsed() < 1000);
    QVERIFY(!cancel->isEnabled());
    QVERIFY(d->findChild<QPushButton*>(u"probeHostButton"_s)->isEnabled());
    QVERIFY2(d->findChild<QLabel*>(u"probeStatusLabel"_s)->text().contains(u"cancelled"_s),
             qPrintable(d->findChild<QLabel*>(u"probeStatusLabel"_s)->text()));
    qDeleteAll(held);
}

void TestHostsUi::changedHostKeyIsRefusedWithAWarning()
{
    const SshOptions trusted = sshOptions(true); // the current key is known
    m_prober->setSshOptions(trusted);
    const QByteArray knownBefore = readFile(trusted.knownHostsFile);
    QVERIFY(!knownBefore.isEmpty());
    QString error;
    QVERIFY2(m_server.regenerateHostKey(&error), qPrintable(error));
    QVERIFY2(m_server.start(&error), qPrintable(error));
    addServerHost(u"fixture"_s);
    auto d = openDialog();
    QVERIFY(d);
    QVERIFY(d->selectHost(u"fixture"_s));
    d->probeSelected();
    QTRY_VERIFY_WITH_TIMEOUT(!m_prober->isRunning(u"fixture"_s), 30000);
    QVERIFY(d->banner()->isVisible());
    QCOMPARE(d->banner()->type(), MessageBanner::Type::Error);
    QVERIFY2(d->banner()->text().contains(u"CHANGED"_s), qPrintable(d->banner()->text()));
    QVERIFY(!d->findChild<QGroupBox*>(u"hostKeyGroupBox"_s)->isVisible()); // no offer to accept it
    QVERIFY(treeLines(d->resultTree()).filter(u"GPU 0"_s).isEmpty());
    QVERIFY2(d->findChild<QLabel*>(u"probeStatusLabel"_s)->text().contains(u"Refused"_s),
             qPrintable(d->findChild<QLabel*>(u"probeStatusLabel"_s)->text()));
    QCOMPARE(readFile(trusted.knownHostsFile), knownBefore);
    screenshot(d.get(), u"hosts-dialog-changed-key"_s);
}

QTEST_MAIN(TestHostsUi)
#include "TestHostsUi.moc"

// Jobs that run the autotuner CLI over SSH (real OpenSSH server on loopback) and locally, with a stand-in
// run_autotuner.py and a fake nvidia-smi whose memory use grows on every call.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <csignal>

#include <sys/types.h>

#include "core/remote/PollBatcher.h"
#include "core/remote/ShellJobRunner.h"
#include "core/remote/SshTransport.h"
#include "core/store/JobStore.h"
#include "tests/support/SshServer.h"
#include "tests/support/StandinAutotuner.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;
using namespace QuantDesk::TestSupport;

namespace
{

JobRecord newJob(JobStore& store, const HostSpec& host, const QString& name, int experiments)
{
    JobRecord j;
    j.host = host;
    j.taskName = name;
    j.taskJson = standinTask(name, experiments);
    store.addJob(&j);
    return j;
}

} // namespace

class TestSshJobs : public QObject
{
    Q_OBJECT

private:
    SshServer m_server;
    QTemporaryDir m_data;

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.prepare(&error), qPrintable(error));
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void cleanupTestCase() { m_server.stop(); }

    void runsToCompletionWithMemorySamples()
    {
        m_server.setNvidiaSmi(SshServer::NvidiaSmi::Changing);
        auto checkout = makeStandinCheckout(1.0);
        QVERIFY(checkout);
        HostSpec host = m_server.host();
        host.autotunerDir = checkout->path();
        SshTransport t(host, m_server.options(true));
        JobStore store(m_data.filePath(u"complete.sqlite"_s));
        QVERIFY2(store.isOpen(), qPrintable(store.errorString()));
        // A hostile task name travels as data.
        const QString name = u"kv fp8; touch PWNED $(id)"_s;
        const JobRecord job = newJob(store, host, name, 3);
        ShellJobRunner runner(&store, job, &t);
        runner.setPollIntervalMs(300);
        QSignalSpy done(&runner, &JobRunner::finished);
        runner.start();
        QVERIFY(done.wait(60000));
        const JobRecord end = store.job(job.id).value();
        QVERIFY2(end.state == JobState::Done, qPrintable(end.error + u" / "_s + QString::fromUtf8(store.log(job.id))));
        QCOMPARE(end.experimentsTotal, 3);
        QCOMPARE(end.experimentsDone, 3);
        QVERIFY(!QFile::exists(checkout->filePath(u"PWNED"_s)));

        // Results are the autotuner's file, fetched and stored.
        const QJsonObject results = QJsonDocument::fromJson(store.results(job.id)).object();
        QCOMPARE(results[u"task_name"_s].toString(), name);
        QCOMPARE(results[u"all_results"_s].toArray().size(), 3);
        // The log holds the CLI's lines.
        const QByteArray log = store.log(job.id);
        QVERIFY(log.contains("Experiment 3 completed"));
        QVERIFY(log.contains("AUTOTUNING COMPLETE"));
        QCOMPARE(end.logOffset, log.size());
        // Memory was sampled while experiments ran, attributed to them, and grew as the fake GPU filled up.
        const QList<MemorySample> samples = store.memorySamples(job.id);
        QVERIFY2(samples.size() >= 3, qPrintable(QString::number(samples.size())));
        QSet<int> experiments;
        for (const MemorySample& s : samples) {
            QCOMPARE(s.memoryTotalMiB, 81559);
            experiments.insert(s.experiment);
        }
        QVERIFY2(experiments.contains(1) || experiments.contains(2), "samples are attributed to experiments");
        QVERIFY(samples.constLast().memoryUsedMiB > samples.constFirst().memoryUsedMiB);
        // Events tell the story.
        QStringList states;
        for (const JobEvent& e : store.events(job.id))
            states << jobStateKey(e.state);
        QVERIFY(states.contains(u"uploading"_s));
        QVERIFY(states.contains(u"running"_s));
        QVERIFY(states.contains(u"fetching"_s));
        QCOMPARE(states.constLast(), u"done"_s);
        m_server.setNvidiaSmi(SshServer::NvidiaSmi::H100);
    }

    void jobsOnOneHostShareOnePollCommand()
    {
        // Three jobs on one host, followed through one batcher: each round is one ssh command for all three, and
        // every job still gets exactly its own log, its own end and its own results.
        m_server.setNvidiaSmi(SshServer::NvidiaSmi::Changing);
        auto checkout = makeStandinCheckout(1.0);
        QVERIFY(checkout);
        HostSpec host = m_server.host();
        host.autotunerDir = checkout->path();
        SshTransport t(host, m_server.options(true));
        PollBatcher batcher(&t);
        batcher.setMinimumGapMs(300);
        JobStore store(m_data.filePath(u"batched.sqlite"_s));
        QVERIFY2(store.isOpen(), qPrintable(store.errorString()));
        const QStringList names{u"batch-a"_s, u"batch b; touch PWNED"_s, u"batch-c $(id)"_s};
        const QList<int> experiments{3, 4, 3};
        std::vector<std::unique_ptr<ShellJobRunner>> runners;
        QList<qint64> ids;
        int finished = 0;
        for (int i = 0; i < names.size(); ++i) {
            const JobRecord job = newJob(store, host, names.at(i), experiments.at(i));
            ids << job.id;
            auto runner = std::make_unique<ShellJobRunner>(&store, job, &t);
            runner->setPollIntervalMs(300);
            runner->setPollBatcher(&batcher);
            connect(runner.get(), &JobRunner::finished, this, [&finished] { ++finished; });
            runner->start();
            runners.push_back(std::move(runner));
        }
        QTRY_COMPARE_WITH_TIMEOUT(finished, 3, 60000);
        for (int i = 0; i < names.size(); ++i) {
            const JobRecord end = store.job(ids.at(i)).value();
            QVERIFY2(end.state == JobState::Done, qPrintable(end.error));
            QCOMPARE(end.experimentsDone, experiments.at(i));
            const QByteArray log = store.log(ids.at(i));
            QCOMPARE(end.logOffset, log.size());
            QVERIFY(log.contains(QByteArray("Starting autotuning task: " + names.at(i).toUtf8() + " (")));
            for (int other = 0; other < names.size(); ++other) {
                if (other != i)
                    QVERIFY2(!log.contains(QByteArray(names.at(other).toUtf8() + " (")),
                             "a job's log holds only its own lines");
            }
            QVERIFY(log.contains("AUTOTUNING COMPLETE"));
            const QJsonObject results = QJsonDocument::fromJson(store.results(ids.at(i))).object();
            QCOMPARE(results[u"task_name"_s].toString(), names.at(i));
            QCOMPARE(results[u"all_results"_s].toArray().size(), experiments.at(i));
            QVERIFY(!store.memorySamples(ids.at(i)).isEmpty());
        }
        QVERIFY(!QFile::exists(checkout->filePath(u"PWNED"_s)));
        // Jobs fell into step: some round carried all three, and there were fewer commands than job polls.
        QVERIFY2(batcher.largestRound() == 3,
                 qPrintable(u"largest round %1 (%2 rounds for %3 polls)"_s.arg(batcher.largestRound())
                                .arg(batcher.roundsRun())
                                .arg(batcher.jobsPolled())));
        QVERIFY(batcher.jobsPolled() > batcher.roundsRun());
        m_server.setNvidiaSmi(SshServer::NvidiaSmi::H100);
    }

    void pollRoundSplitsBackPerJob()
    {
        // A log may print anything, even our marker words; only the round's token separates jobs. Run the real
        // script through sh on two job folders and split its output.
        QTemporaryDir dir;
        const QString a = dir.filePath(u"a"_s);
        const QString b = dir.filePath(u"b"_s);
        QVERIFY(QDir().mkpath(a) && QDir().mkpath(b));
        const QByteArray logA = "line one\n@@QD-STATUS\n@@QD-JOB-0 1\nexit=7\n";
        const QByteArray logB = "0123456789";
        QFile fa(a + u"/log"_s);
        QVERIFY(fa.open(QIODevice::WriteOnly) && fa.write(logA) == logA.size());
        fa.close();
        QFile fb(b + u"/log"_s);
        QVERIFY(fb.open(QIODevice::WriteOnly) && fb.write(logB) == logB.size());
        fb.close();
        QFile exitB(b + u"/exit"_s);
        QVERIFY(exitB.open(QIODevice::WriteOnly) && exitB.write("0\n") == 2);
        exitB.close();
        QProcess sh;
        sh.start(u"sh"_s, {u"-c"_s, PollBatcher::script(), u"poll"_s, u"f00d"_s, a, u"0"_s, b, u"4"_s});
        QVERIFY(sh.waitForFinished(10000));
        QCOMPARE(sh.exitCode(), 0);
        const QList<QByteArray> parts = PollBatcher::split(sh.readAllStandardOutput(), "f00d", 2);
        QCOMPARE(parts.size(), 2);
        // Each part reads like a single-job poll: log bytes, "\n@@QD-STATUS\n", status lines, "@@QD-GPU\n", sample.
        const qsizetype statusA = parts.at(0).lastIndexOf("\n@@QD-STATUS\n");
        QCOMPARE(parts.at(0).left(statusA), logA);
        QVERIFY(parts.at(0).mid(statusA).contains("alive=0"));
        QVERIFY(!parts.at(0).mid(statusA).contains("exit="));
        const qsizetype statusB = parts.at(1).lastIndexOf("\n@@QD-STATUS\n");
        QCOMPARE(parts.at(1).left(statusB), logB.mid(4));
        QVERIFY(parts.at(1).mid(statusB).contains("exit=0"));
        QVERIFY(parts.at(0).contains("@@QD-GPU\n") && parts.at(1).contains("@@QD-GPU\n"));
        // A round cut short (no GPU marker: the connection dropped mid-output) gives no job a status.
        const QList<QByteArray> cut = PollBatcher::split("@@QD-JOB-f00d 0\nline\n@@QD-STATUS\nalive=1\n", "f00d", 1);
        QVERIFY(cut.constFirst().isEmpty());
    }

    void cancelEndsTheProcessGroup()
    {
        auto checkout = makeStandinCheckout(20.0);
        HostSpec host = m_server.host();
        host.autotunerDir = checkout->path();
        SshTransport t(host, m_server.options(true));
        JobStore store(m_data.filePath(u"cancel.sqlite"_s));
        const JobRecord job = newJob(store, host, u"cancel-me"_s, 3);
        ShellJobRunner runner(&store, job, &t);
        runner.setPollIntervalMs(300);
        QSignalSpy changed(&runner, &JobRunner::changed);
        runner.start();
        QTRY_VERIFY_WITH_TIMEOUT(runner.job().state == JobState::Running && runner.job().remotePid > 0, 30000);
        const qint64 pid = runner.job().remotePid;
        QSignalSpy done(&runner, &JobRunner::finished);
        runner.cancel();
        QVERIFY(done.wait(30000));
        QCOMPARE(store.job(job.id)->state, JobState::Cancelled);
        // Nothing of the process group is left (the loopback host is this machine).
        QTRY_VERIFY_WITH_TIMEOUT(::kill(static_cast<pid_t>(pid), 0) != 0, 5000);
        QVERIFY(!QFile::exists(checkout->filePath(u"results/cancel-me_results.json"_s)));
    }

    void connectionLostThenResumed()
    {
        auto checkout = makeStandinCheckout(1.5);
        HostSpec host = m_server.host();
        host.autotunerDir = checkout->path();
        SshOptions o = m_server.options(true);
        o.controlDir.clear(); // every poll is a new connection, so a dead server is noticed at once
        o.connectTimeoutSec = 2;
        SshTransport t(host, o);
        JobStore store(m_data.filePath(u"lost.sqlite"_s));
        const JobRecord job = newJob(store, host, u"survives-outage"_s, 4);
        ShellJobRunner runner(&store, job, &t);
        runner.setPollIntervalMs(300);
        runner.start();
        QTRY_VERIFY_WITH_TIMEOUT(runner.job().state == JobState::Running && runner.job().logOffset > 0, 30000);

        m_server.stop();
        QTRY_VERIFY_WITH_TIMEOUT(runner.job().connectionLost, 20000);
        QVERIFY(store.job(job.id)->detail.contains(u"refused"_s));
        QVERIFY(store.job(job.id)->state == JobState::Running);
        QTest::qWait(3000); // the autotuner keeps working on the host meanwhile
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));

        QSignalSpy done(&runner, &JobRunner::finished);
        QVERIFY(done.wait(90000));
        const JobRecord end = store.job(job.id).value();
        QCOMPARE(end.state, JobState::Done);
        QVERIFY(!end.connectionLost);
        // The log resumed from its offset: complete, nothing doubled.
        const QByteArray log = store.log(job.id);
        for (int n = 1; n <= 4; ++n)
            QCOMPARE(log.count(QByteArray(QByteArray("Experiment ") + QByteArray::number(n) + " completed")), 1);
        QCOMPARE(QJsonDocument::fromJson(store.results(job.id))[u"all_results"_s].toArray().size(), 4);
        QStringList messages;
        for (const JobEvent& e : store.events(job.id))
            messages << e.message;
        QVERIFY(messages.join(u'\n').contains(u"connection lost"_s));
        QVERIFY(messages.contains(u"connection restored"_s));
    }

    void restartReattaches()
    {
        auto checkout = makeStandinCheckout(1.0);
        HostSpec host = m_server.host();
        host.autotunerDir = checkout->path();
        const QString db = m_data.filePath(u"restart.sqlite"_s);
        qint64 id = 0;
        {
            // The first "app session": submit, then quit while it runs.
            SshTransport t(host, m_server.options(true));
            JobStore store(db);
            const JobRecord job = newJob(store, host, u"reattach"_s, 4);
            id = job.id;
            auto runner = std::make_unique<ShellJobRunner>(&store, job, &t);
            runner->setPollIntervalMs(300);
            runner->start();
            QTRY_VERIFY_WITH_TIMEOUT(runner->job().state == JobState::Running && runner->job().logOffset > 0, 30000);
        }
        // The second session: the store knows an unfinished job and a runner re-attaches to it.
        SshTransport t(host, m_server.options(true));
        JobStore store(db);
        const QList<JobRecord> unfinished = store.unfinishedJobs();
        QCOMPARE(unfinished.size(), 1);
        QCOMPARE(unfinished.constFirst().id, id);
        ShellJobRunner runner(&store, unfinished.constFirst(), &t);
        runner.setPollIntervalMs(300);
        QSignalSpy done(&runner, &JobRunner::finished);
        runner.resume();
        QVERIFY(done.wait(60000));
        QCOMPARE(store.job(id)->state, JobState::Done);
        QCOMPARE(store.job(id)->experimentsDone, 4);
        const QByteArray log = store.log(id);
        QCOMPARE(log.count("Experiment 1 completed"), 1);
        QVERIFY(log.contains("AUTOTUNING COMPLETE"));
    }

    void missingCheckoutFailsClearly()
    {
        HostSpec host = m_server.host();
        host.autotunerDir = m_data.filePath(u"no-such-checkout"_s);
        SshTransport t(host, m_server.options(true));
        JobStore store(m_data.filePath(u"missing.sqlite"_s));
        const JobRecord job = newJob(store, host, u"nowhere"_s, 1);
        ShellJobRunner runner(&store, job, &t);
        QSignalSpy done(&runner, &JobRunner::finished);
        runner.start();
        QVERIFY(done.wait(30000));
        const JobRecord end = store.job(job.id).value();
        QCOMPARE(end.state, JobState::Failed);
        QVERIFY2(end.error.contains(u"run_autotuner.py"_s), qPrintable(end.error));
    }

    void cliSubmitLocalWaits()
    {
        // The multi-preset example exports to four tasks; each runs on the stand-in and finishes.
        auto checkout = makeStandinCheckout(0.3);
        QProcess cli;
        cli.start(QStringLiteral(QUANTDESK_CLI_PATH),
                  {u"submit"_s,
                   QStringLiteral(QUANTDESK_INTEGRATION_DIR "/../../examples/quant_multi_preset_task.json"),
                   u"--local"_s,
                   checkout->path(),
                   u"--wait"_s,
                   u"--poll-interval"_s,
                   u"300"_s,
                   u"--store"_s,
                   m_data.filePath(u"cli-local.sqlite"_s)});
        QVERIFY(cli.waitForFinished(120000));
        const QString out = QString::fromUtf8(cli.readAllStandardOutput());
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(cli.exitCode() == 0, qPrintable(out + err));
        QCOMPARE(out.count(u" done\n"_s), 4);
        for (const QString& preset : {u"default"_s, u"kv-cache-fp8"_s, u"dynamic-fp8"_s, u"bf16-stable"_s}) {
            QVERIFY2(out.contains(u"llama3-8b-presets-"_s + preset), qPrintable(out));
            QVERIFY(QFile::exists(checkout->filePath(u"results/llama3-8b-presets-%1_results.json"_s.arg(preset))));
        }
        QVERIFY2(err.contains(u"running"_s), qPrintable(err)); // progress on stderr
        // The exported task the autotuner ran pins the previewed flags.
        JobStore store(m_data.filePath(u"cli-local.sqlite"_s));
        bool sawPinned = false;
        for (const JobRecord& j : store.jobs()) {
            if (j.taskName.endsWith(u"kv-cache-fp8"_s))
                sawPinned = j.taskJson.contains("\"kv-cache-dtype\"") && j.taskJson.contains("fp8_e5m2");
        }
        QVERIFY(sawPinned);
    }

    void cliSubmitOverSsh()
    {
        auto checkout = makeStandinCheckout(0.3);
        const HostSpec h = m_server.host();
        const SshOptions o = m_server.options(true);
        QProcess cli;
        cli.start(QStringLiteral(QUANTDESK_CLI_PATH),
                  {u"submit"_s,
                   QStringLiteral(QUANTDESK_INTEGRATION_DIR "/../../examples/quant_preset_task.json"),
                   u"--ssh"_s,
                   h.target(),
                   u"--identity"_s,
                   h.identityFile,
                   u"--ssh-config"_s,
                   h.sshConfigFile,
                   u"--known-hosts"_s,
                   o.knownHostsFile,
                   u"--autotuner-dir"_s,
                   checkout->path(),
                   u"--wait"_s,
                   u"--poll-interval"_s,
                   u"300"_s,
                   u"--store"_s,
                   m_data.filePath(u"cli-ssh.sqlite"_s)});
        QVERIFY(cli.waitForFinished(120000));
        const QString out = QString::fromUtf8(cli.readAllStandardOutput());
        QVERIFY2(cli.exitCode() == 0, qPrintable(out + QString::fromUtf8(cli.readAllStandardError())));
        QVERIFY2(out.contains(u" done"_s), qPrintable(out));

        // An unreachable host: exit 3 with the reason.
        QProcess down;
        down.start(QStringLiteral(QUANTDESK_CLI_PATH),
                   {u"submit"_s,
                    QStringLiteral(QUANTDESK_INTEGRATION_DIR "/../../examples/quant_preset_task.json"),
                    u"--ssh"_s,
                    u"127.0.0.1:%1"_s.arg(SshServer::freePort()),
                    u"--identity"_s,
                    h.identityFile,
                    u"--ssh-config"_s,
                    h.sshConfigFile,
                    u"--known-hosts"_s,
                    o.knownHostsFile,
                    u"--autotuner-dir"_s,
                    checkout->path(),
                    u"--wait"_s,
                    u"--store"_s,
                    m_data.filePath(u"cli-down.sqlite"_s)});
        QVERIFY(down.waitForFinished(120000));
        QCOMPARE(down.exitCode(), 3);
        QVERIFY(QString::fromUtf8(down.readAllStandardError()).contains(u"connection refused"_s));
    }

    void localJob()
    {
        auto checkout = makeStandinCheckout(0.4, 2);
        LocalTransport t;
        HostSpec host = t.host();
        host.autotunerDir = checkout->path();
        JobStore store(m_data.filePath(u"local.sqlite"_s));
        const JobRecord job = newJob(store, host, u"local-run"_s, 3);
        ShellJobRunner runner(&store, job, &t);
        runner.setPollIntervalMs(200);
        QSignalSpy done(&runner, &JobRunner::finished);
        runner.start();
        QVERIFY(done.wait(60000));
        const JobRecord end = store.job(job.id).value();
        QCOMPARE(end.state, JobState::Done);
        const QJsonArray all = QJsonDocument::fromJson(store.results(job.id))[u"all_results"_s].toArray();
        QCOMPARE(all.size(), 3);
        QCOMPARE(all.at(1)[u"status"_s].toString(), u"failed"_s); // the stand-in failed experiment 2 as asked
    }
};

QTEST_GUILESS_MAIN(TestSshJobs)
#include "TestSshJobs.moc"

// Jobs through the autotuner REST API against a loopback server that follows its documented behaviour
// (tests/integration/fake_autotuner.py), with injected faults: HTTP 500, slower than the timeout, a connection reset
// mid-body, malformed JSON.

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "core/remote/JobManager.h"
#include "core/remote/RestClient.h"
#include "core/remote/RestJobRunner.h"
#include "core/store/JobStore.h"
#include "tests/support/FakeAutotuner.h"
#include "tests/support/StandinAutotuner.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;
using namespace QuantDesk::TestSupport;

class TestRestJobs : public QObject
{
    Q_OBJECT

private:
    FakeAutotuner m_server;
    QTemporaryDir m_data;
    int m_n = 0;

    JobRecord newJob(JobStore& store, const QString& name, int experiments)
    {
        JobRecord j;
        j.host.kind = HostSpec::Kind::Rest;
        j.host.baseUrl = m_server.url();
        j.taskName = name;
        j.taskJson = standinTask(name, experiments);
        store.addJob(&j);
        return j;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error, 0.4), qPrintable(error));
    }

    void runsToCompletion()
    {
        JobStore store(m_data.filePath(u"a.sqlite"_s));
        RestClient client(m_server.url());
        const JobRecord job = newJob(store, u"rest-complete"_s, 3);
        RestJobRunner runner(&store, job, &client);
        runner.setPollIntervalMs(200);
        QSignalSpy done(&runner, &JobRunner::finished);
        runner.start();
        QVERIFY(done.wait(30000));
        const JobRecord end = store.job(job.id).value();
        QVERIFY2(end.state == JobState::Done, qPrintable(end.error));
        QCOMPARE(end.experimentsTotal, 3); // from the server's 201 answer
        QCOMPARE(end.experimentsDone, 3);
        QVERIFY(!end.remoteTaskId.isEmpty());
        QCOMPARE(QJsonDocument::fromJson(store.results(job.id)).array().size(), 3);
        QVERIFY(store.log(job.id).contains("[Experiment 3] Status: SUCCESS"));
    }

    void reattachesAfterARestart()
    {
        // The app quits while a REST job runs on the server; the next start re-attaches and follows it to the end,
        // keeping the log it had already fetched and fetching the rest.
        const QString path = m_data.filePath(u"restart.sqlite"_s);
        const QString name = u"rest-restart"_s;
        qint64 id = 0;
        int doneBefore = 0;
        {
            JobStore store(path);
            JobManager manager(&store, SshOptions{});
            manager.setPollIntervalMs(200);
            HostSpec host;
            host.kind = HostSpec::Kind::Rest;
            host.baseUrl = m_server.url();
            const QList<qint64> ids = manager.submit(host, {qMakePair(name, standinTask(name, 6))});
            QCOMPARE(ids.size(), 1);
            id = ids.constFirst();
            QTRY_VERIFY_WITH_TIMEOUT(store.job(id).value().experimentsDone >= 1 && !store.log(id).isEmpty(), 20000);
            const JobRecord mid = store.job(id).value();
            QCOMPARE(mid.state, JobState::Running);
            QVERIFY(!mid.remoteTaskId.isEmpty());
            doneBefore = mid.experimentsDone;
            QVERIFY(doneBefore < 6);
        } // the manager and the store go away as the app's would
        JobStore store(path);
        QVERIFY2(store.isOpen(), qPrintable(store.errorString()));
        const QByteArray logBefore = store.log(id);
        QVERIFY(!logBefore.isEmpty());
        JobManager manager(&store, SshOptions{});
        manager.setPollIntervalMs(200);
        QSignalSpy finished(&manager, &JobManager::jobFinished);
        QCOMPARE(manager.reattach(), 1);
        QVERIFY(finished.wait(30000));
        const JobRecord end = store.job(id).value();
        QVERIFY2(end.state == JobState::Done, qPrintable(end.error));
        QCOMPARE(end.experimentsDone, 6);
        QCOMPARE(QJsonDocument::fromJson(store.results(id)).array().size(), 6);
        const QByteArray log = store.log(id);
        QVERIFY(log.startsWith(logBefore));
        QVERIFY(log.contains("[Experiment 6] Status: SUCCESS"));
        QCOMPARE(log.count("[Experiment 1] Status: SUCCESS"), 1); // nothing fetched twice
        QStringList details;
        for (const JobEvent& e : store.events(id))
            details << e.message;
        QVERIFY(details.contains(u"re-attached after a restart"_s));
    }

    void duplicateNameOffersANewName()
    {
        JobStore store(m_data.filePath(u"b.sqlite"_s));
        RestClient client(m_server.url());
        {
            const JobRecord first = newJob(store, u"dup-name"_s, 1);
            RestJobRunner r(&store, first, &client);
            QSignalSpy done(&r, &JobRunner::finished);
            r.start();
            QVERIFY(done.wait(30000));
        }
        const JobRecord second = newJob(store, u"dup-name"_s, 1);
        RestJobRunner runner(&store, second, &client);
        runner.setPollIntervalMs(200);
        QSignalSpy done(&runner, &JobRunner::finished);
        runner.start();
        QVERIFY(done.wait(30000));
        QCOMPARE(store.job(second.id)->state, JobState::Failed);
        QVERIFY(runner.nameConflict());
        QVERIFY2(store.job(second.id)->error.contains(u"already"_s), qPrintable(store.job(second.id)->error));
        QCOMPARE(runner.suggestedName(), u"dup-name-2"_s);
        // The retry path: submit again under the offered name.
        QSignalSpy again(&runner, &JobRunner::finished);
        runner.retryWithName(runner.suggestedName());
        QVERIFY(again.wait(30000));
        QCOMPARE(store.job(second.id)->state, JobState::Done);
        QCOMPARE(store.job(second.id)->taskName, u"dup-name-2"_s);
    }

    void faultsWhileFollowing_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("count");
        QTest::newRow("HTTP 500 on the task") << u"^/api/tasks/\\d+$"_s << u"500"_s << 2;
        QTest::newRow("slower than the timeout") << u"^/api/tasks/\\d+$"_s << u"slow"_s << 1;
        QTest::newRow("reset mid-body") << u"^/api/experiments/task/"_s << u"reset"_s << 2;
        QTest::newRow("malformed JSON") << u"^/api/experiments/task/"_s << u"malformed"_s << 2;
    }

    void faultsWhileFollowing()
    {
        QFETCH(QString, path);
        QFETCH(QString, kind);
        QFETCH(int, count);
        JobStore store(m_data.filePath(u"fault-%1.sqlite"_s.arg(++m_n)));
        RestClient client(m_server.url());
        client.setTimeoutMs(1500);
        const JobRecord job = newJob(store, u"faulty-%1"_s.arg(m_n), 4);
        RestJobRunner runner(&store, job, &client);
        runner.setPollIntervalMs(200);
        QSignalSpy done(&runner, &JobRunner::finished);
        QSignalSpy changed(&runner, &JobRunner::changed);
        runner.start();
        QTRY_VERIFY_WITH_TIMEOUT(runner.job().state == JobState::Running, 10000);
        QVERIFY(m_server.injectFault(path, kind, count, 3));
        QVERIFY(done.wait(60000));
        // The fault was seen while the job was running, shown as a detail that says it retries, then cleared.
        QString detail;
        for (const QList<QVariant>& args : std::as_const(changed)) {
            const JobRecord r = args.constFirst().value<JobRecord>();
            if (!r.detail.isEmpty() && r.state == JobState::Running)
                detail = r.detail;
        }
        QVERIFY2(detail.contains(u"retrying"_s), qPrintable(u"detail: "_s + detail));
        const JobRecord end = store.job(job.id).value();
        QVERIFY2(end.state == JobState::Done, qPrintable(end.error + u" / "_s + detail));
        QVERIFY(end.detail.isEmpty());
        QCOMPARE(QJsonDocument::fromJson(store.results(job.id)).array().size(), 4);
    }

    void cancelSaysWhatItDoes()
    {
        JobStore store(m_data.filePath(u"c.sqlite"_s));
        RestClient client(m_server.url());
        const JobRecord job = newJob(store, u"rest-cancel"_s, 50);
        RestJobRunner runner(&store, job, &client);
        runner.setPollIntervalMs(200);
        runner.start();
        QTRY_VERIFY_WITH_TIMEOUT(runner.job().state == JobState::Running, 10000);
        QSignalSpy done(&runner, &JobRunner::finished);
        runner.cancel();
        QVERIFY(done.wait(10000));
        const JobRecord end = store.job(job.id).value();
        QCOMPARE(end.state, JobState::Cancelled);
        QVERIFY2(end.detail.contains(u"only flips"_s), qPrintable(end.detail));
        // A finished task can be restarted on the server.
        QSignalSpy again(&runner, &JobRunner::changed);
        runner.restart();
        QTRY_VERIFY_WITH_TIMEOUT(runner.job().state == JobState::Running, 10000);
        runner.cancel();
    }

    void serverGoneBeforeCreate()
    {
        JobStore store(m_data.filePath(u"d.sqlite"_s));
        RestClient client(QUrl(u"http://127.0.0.1:9"_s));
        client.setTimeoutMs(1000);
        JobRecord j;
        j.host.kind = HostSpec::Kind::Rest;
        j.host.baseUrl = QUrl(u"http://127.0.0.1:9"_s);
        j.taskName = u"nobody-home"_s;
        j.taskJson = standinTask(j.taskName, 1);
        store.addJob(&j);
        RestJobRunner runner(&store, j, &client);
        runner.setPollIntervalMs(200);
        runner.start();
        // No server: the job waits and says why; nothing is lost and it is still retrying.
        QTRY_VERIFY_WITH_TIMEOUT(store.job(j.id)->connectionLost, 10000);
        QVERIFY(store.job(j.id)->detail.contains(u"refused"_s, Qt::CaseInsensitive));
        QCOMPARE(store.job(j.id)->state, JobState::Uploading);
        runner.cancel();
        QCOMPARE(store.job(j.id)->state, JobState::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestRestJobs)
#include "TestRestJobs.moc"

// The job history: a real SQLite file with a schema version, written as things arrive and read back after reopening.

#include <QFile>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "core/store/JobStore.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;

class TestJobStore : public QObject
{
    Q_OBJECT

private slots:
    void createsSchema()
    {
        QTemporaryDir dir;
        JobStore store(dir.filePath(u"sub/folder/jobs.sqlite"_s));
        QVERIFY2(store.isOpen(), qPrintable(store.errorString()));
        QCOMPARE(store.schemaVersion(), JobStore::kSchemaVersion);
        QVERIFY(QFile::exists(dir.filePath(u"sub/folder/jobs.sqlite"_s)));
    }

    void persistsAcrossReopen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"jobs.sqlite"_s);
        qint64 id = 0;
        {
            JobStore store(path);
            JobRecord j;
            j.host.kind = HostSpec::Kind::Ssh;
            j.host.hostname = u"gpu-box"_s;
            j.host.user = u"alice"_s;
            j.host.port = 2222;
            j.host.autotunerDir = u"/srv/autotuner"_s;
            j.taskName = u"t-kv-cache-fp8"_s;
            j.taskJson = "{\"task_name\": \"t-kv-cache-fp8\"}";
            QVERIFY(store.addJob(&j));
            QVERIFY(j.id > 0);
            QVERIFY(!j.uuid.isEmpty());
            id = j.id;
            j.state = JobState::Running;
            j.remotePid = 4242;
            j.experimentsTotal = 4;
            j.experimentsDone = 1;
            j.connectionLost = true;
            j.detail = u"connection lost"_s;
            QVERIFY(store.updateJob(j));
            QVERIFY(store.appendLog(id, "line 1\n", 7));
            QVERIFY(store.appendLog(id, "line 2\n", 14));
            MemorySample s;
            s.at = QDateTime::currentDateTimeUtc();
            s.gpuIndex = 0;
            s.memoryUsedMiB = 70000;
            s.memoryTotalMiB = 81559;
            s.experiment = 1;
            QVERIFY(store.addMemorySamples(id, {s, s}));
            QVERIFY(store.setResults(id, "{\"all_results\": []}"));
            QVERIFY(store.addEvent(id, JobState::Running, u"connection lost: refused"_s));
        }
        JobStore again(path);
        QVERIFY(again.isOpen());
        const auto j = again.job(id);
        QVERIFY(j);
        QCOMPARE(j->state, JobState::Running);
        QCOMPARE(j->host.hostname, u"gpu-box"_s);
        QCOMPARE(j->host.port, 2222);
        QCOMPARE(j->host.autotunerDir, u"/srv/autotuner"_s);
        QCOMPARE(j->remotePid, 4242);
        QCOMPARE(j->experimentsDone, 1);
        QCOMPARE(j->logOffset, 14);
        QVERIFY(j->connectionLost);
        QCOMPARE(again.log(id), QByteArray("line 1\nline 2\n"));
        QCOMPARE(again.memorySamples(id).size(), 2);
        QCOMPARE(again.memorySamples(id).constFirst().memoryUsedMiB, 70000);
        QCOMPARE(again.results(id), QByteArray("{\"all_results\": []}"));
        QCOMPARE(again.events(id).size(), 2);
        QCOMPARE(again.unfinishedJobs().size(), 1);
        QCOMPARE(again.jobByUuid(j->uuid)->id, id);
    }

    void finishedJobsAreNotReattached()
    {
        QTemporaryDir dir;
        JobStore store(dir.filePath(u"jobs.sqlite"_s));
        for (const JobState s : {JobState::Queued,
                                 JobState::Running,
                                 JobState::Done,
                                 JobState::Failed,
                                 JobState::Cancelled,
                                 JobState::Fetching}) {
            JobRecord j;
            j.taskName = jobStateKey(s);
            j.taskJson = "{}";
            j.state = s;
            QVERIFY(store.addJob(&j));
        }
        QStringList names;
        for (const JobRecord& j : store.unfinishedJobs())
            names << j.taskName;
        QCOMPARE(names, (QStringList{u"queued"_s, u"running"_s, u"fetching"_s}));
    }

    void batchInsertIsAllOrNothing()
    {
        QTemporaryDir dir;
        JobStore store(dir.filePath(u"batch.sqlite"_s));
        QList<JobRecord> jobs;
        for (int i = 0; i < 50; ++i) {
            JobRecord j;
            j.taskName = u"batch-%1"_s.arg(i);
            j.taskJson = "{}";
            jobs << j;
        }
        QVERIFY2(store.addJobs(&jobs), qPrintable(store.errorString()));
        QCOMPARE(store.jobs().size(), 50);
        QSet<qint64> ids;
        for (const JobRecord& j : jobs) {
            QVERIFY(j.id > 0);
            ids.insert(j.id);
            QCOMPARE(store.events(j.id).size(), 1); // "job created"
        }
        QCOMPARE(ids.size(), 50);
        // A batch with one bad row (a uuid already stored) leaves the store as it was.
        QList<JobRecord> bad(2);
        bad[0].taskName = u"fine"_s;
        bad[0].taskJson = "{}";
        bad[1].taskName = u"clash"_s;
        bad[1].taskJson = "{}";
        bad[1].uuid = jobs.constFirst().uuid;
        QVERIFY(!store.addJobs(&bad));
        QCOMPARE(store.jobs().size(), 50);
        QCOMPARE(bad.constFirst().id, 0);
    }

    void stateChangeWritesEventAndRow()
    {
        QTemporaryDir dir;
        JobStore store(dir.filePath(u"state.sqlite"_s));
        JobRecord j;
        j.taskName = u"s"_s;
        j.taskJson = "{}";
        QVERIFY(store.addJob(&j));
        j.state = JobState::Running;
        j.remotePid = 4242;
        QVERIFY(store.updateJobWithEvent(j, JobState::Running, u"started"_s));
        QCOMPARE(store.job(j.id)->state, JobState::Running);
        QCOMPARE(store.job(j.id)->remotePid, 4242);
        const QList<JobEvent> events = store.events(j.id);
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.constLast().message, u"started"_s);
        QCOMPARE(events.constLast().state, JobState::Running);
    }

    void refusesNewerSchema()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"jobs.sqlite"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"raw"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"PRAGMA user_version = 99"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"raw"_s);
        JobStore store(path);
        QVERIFY(!store.isOpen());
        QVERIFY2(store.errorString().contains(u"newer"_s), qPrintable(store.errorString()));
    }

    void unreadableFile()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(u"jobs.sqlite"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a database, just text that is long enough to have a header");
        f.close();
        JobStore store(dir.filePath(u"jobs.sqlite"_s));
        QVERIFY(!store.isOpen());
        QVERIFY(!store.errorString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestJobStore)
#include "TestJobStore.moc"

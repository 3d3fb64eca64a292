// Load benchmark: 50 jobs followed at once across hosts (25 through the autotuner REST API on a loopback server,
// 25 local run_autotuner.py stand-ins), as the app would follow them. Reports the longest event-loop stall (budget
// <= 50 ms) and the CPU this process uses while it only polls.
//
//   cmake --build build --target bench_jobs && build/tests/bench/bench_jobs [seconds] [both|rest|local]

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>

#include <sys/resource.h>
#include <time.h>

#include "core/remote/JobManager.h"
#include "core/store/JobStore.h"
#include "tests/support/FakeAutotuner.h"
#include "tests/support/StandinAutotuner.h"

using namespace QuantDesk;

namespace
{

// CPU time of the calling (UI) thread, in ms: tells a stall caused by our own work on the UI thread from one where
// the thread was runnable but the machine gave the CPU to others.
qint64 threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<qint64>(t.tv_sec) * 1000 + t.tv_nsec / 1000000;
}

// Time the calling thread spent runnable but waiting for a CPU, in ms (Linux schedstat; 0 where unavailable): tells
// a stall where the machine gave the CPU to others from one where the thread was blocked in a call.
qint64 threadRunQueueWaitMs()
{
    QFile f(QStringLiteral("/proc/thread-self/schedstat"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = f.readAll().split(' ');
    return fields.size() >= 2 ? fields.at(1).toLongLong() / 1000000 : 0;
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int seconds = argc > 1 ? std::max(5, std::atoi(argv[1])) : 20;

    TestSupport::FakeAutotuner server;
    QString error;
    // Long experiments: the jobs stay running for the whole measurement.
    if (!server.start(&error, 1000.0)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 2;
    }
    auto checkout = TestSupport::makeStandinCheckout(1000.0);
    QTemporaryDir data;
    JobStore store(data.filePath(QStringLiteral("jobs.sqlite")));
    JobManager manager(&store, SshOptions{});
    manager.setPollIntervalMs(1000);

    HostSpec rest;
    rest.kind = HostSpec::Kind::Rest;
    rest.baseUrl = server.url();
    HostSpec local;
    local.kind = HostSpec::Kind::Local;
    local.autotunerDir = checkout->path();
    QList<QPair<QString, QByteArray>> restTasks;
    QList<QPair<QString, QByteArray>> localTasks;
    for (int i = 0; i < 25; ++i) {
        const QString a = QStringLiteral("bench-rest-%1").arg(i);
        const QString b = QStringLiteral("bench-local-%1").arg(i);
        restTasks << qMakePair(a, TestSupport::standinTask(a, 4));
        localTasks << qMakePair(b, TestSupport::standinTask(b, 4));
    }

    // Event-loop stall probe: a 5 ms timer; the longest gap beyond its interval is the stall. For the longest gap we
    // also keep how much of it the UI thread spent computing (the rest it waited for a CPU).
    QElapsedTimer clock;
    qint64 last = 0;
    qint64 lastCpu = threadCpuMs();
    qint64 lastWait = threadRunQueueWaitMs();
    struct Worst
    {
        qint64 gap = 0;
        qint64 cpu = 0;
        qint64 wait = 0;   // of the longest gap, how long the thread waited for a CPU
        qint64 maxCpu = 0; // the most UI-thread CPU in any one gap
    };
    Worst setup;
    Worst following;
    bool steady = false;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.elapsed();
        const qint64 cpuNow = threadCpuMs();
        const qint64 gap = now - last - 5;
        const qint64 cpu = cpuNow - lastCpu;
        const qint64 waitNow = threadRunQueueWaitMs();
        const qint64 wait = waitNow - lastWait;
        last = now;
        lastCpu = cpuNow;
        lastWait = waitNow;
        Worst& w = steady ? following : setup;
        if (gap > w.gap) {
            w.gap = gap;
            w.cpu = cpu;
            w.wait = wait;
        }
        w.maxCpu = std::max(w.maxCpu, cpu);
    });
    clock.start();
    probe.start(5);

    const QString mode = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral("both");
    QElapsedTimer submitClock;
    submitClock.start();
    if (mode != QStringLiteral("local"))
        manager.submit(rest, restTasks);
    if (mode != QStringLiteral("rest"))
        manager.submit(local, localTasks);
    const qint64 submitMs = submitClock.elapsed();
    double cpuAtSteady = 0;
    qint64 wallAtSteady = 0;
    QTimer::singleShot(5000, &app, [&] {
        steady = true;
        cpuAtSteady = cpuSeconds();
        wallAtSteady = clock.elapsed();
    });
    QTimer::singleShot((5 + seconds) * 1000, &app, [&] { app.quit(); });
    app.exec();

    const double cpu = cpuSeconds() - cpuAtSteady;
    const double wall = static_cast<double>(clock.elapsed() - wallAtSteady) / 1000.0;
    int running = 0;
    for (const JobRecord& j : store.jobs()) {
        if (j.state == JobState::Running)
            ++running;
    }
    std::printf("%s jobs followed at once (%s), %d s steady state, poll interval 1 s\n",
                mode == QStringLiteral("both") ? "50" : "25",
                mode == QStringLiteral("both") ? "25 REST, 25 local" : qPrintable(mode),
                seconds);
    std::printf("  jobs running at the end: %d of %lld\n", running, static_cast<long long>(store.jobs().size()));
    std::printf("  JobManager::submit() took %lld ms on the UI thread\n", static_cast<long long>(submitMs));
    std::printf(
        "  longest event-loop stall: %lld ms during submission (UI thread busy %lld ms, waiting for a CPU %lld ms "
        "of it), %lld ms while following (busy %lld ms, waiting for a CPU %lld ms); budget 50 ms\n",
        static_cast<long long>(setup.gap),
        static_cast<long long>(setup.cpu),
        static_cast<long long>(setup.wait),
        static_cast<long long>(following.gap),
        static_cast<long long>(following.cpu),
        static_cast<long long>(following.wait));
    std::printf("  most UI-thread CPU between two probe ticks: %lld ms during submission, %lld ms while following\n",
                static_cast<long long>(setup.maxCpu),
                static_cast<long long>(following.maxCpu));
    std::printf(
        "  CPU while idle-polling: %.1f %% of one core (%.2f s CPU in %.1f s)\n", 100.0 * cpu / wall, cpu, wall);
    for (const JobRecord& j : store.jobs())
        manager.cancel(j.id);
    QTimer::singleShot(2000, &app, [&] { app.quit(); });
    app.exec();
    return following.gap <= 50 && setup.gap <= 50 ? 0 : 1;
}

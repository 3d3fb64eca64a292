// quantdesk-cli submit: export a task for the autotuner and run every exported config on a host.

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QProcessEnvironment>

#include "app/cli/Cli.h"
#include "app/cli/Commands.h"
#include "app/cli/Options.h"
#include "core/remote/JobManager.h"
#include "core/remote/JobRunner.h"
#include "core/store/JobStore.h"
#include "core/task/TaskExporter.h"
#include "core/task/TaskLoader.h"
#include "core/task/TaskValidator.h"

namespace QuantDesk::Cli
{

int cmdSubmit(const QStringList& argsIn, QTextStream& out, QTextStream& err)
{
    if (argsIn.isEmpty() || argsIn.constFirst().startsWith(u"--"))
        throw UsageError{u"submit needs a task file: submit TASK.json (--local DIR | --ssh … --autotuner-dir DIR | "
                         "--rest URL) [--wait]"_s};
    const QString taskPath = argsIn.constFirst();
    const Options o(argsIn.mid(1),
                    {u"local"_s,
                     u"ssh"_s,
                     u"autotuner-dir"_s,
                     u"identity"_s,
                     u"ssh-config"_s,
                     u"known-hosts"_s,
                     u"rest"_s,
                     u"token-env"_s,
                     u"poll-interval"_s,
                     u"store"_s},
                    {},
                    {u"wait"_s});
    const int kinds = int(o.has(u"local"_s)) + int(o.has(u"ssh"_s)) + int(o.has(u"rest"_s));
    if (kinds != 1)
        throw UsageError{u"submit needs exactly one of --local DIR, --ssh [USER@]HOST[:PORT], --rest URL"_s};
    HostSpec host;
    SshOptions ssh = SshOptions::defaults();
    if (o.has(u"local"_s)) {
        host.kind = HostSpec::Kind::Local;
        host.autotunerDir = QFileInfo(o.value(u"local"_s)).absoluteFilePath();
    } else if (o.has(u"ssh"_s)) {
        QString error;
        if (!parseSshTarget(o.value(u"ssh"_s), &host, &error))
            throw UsageError{error};
        if (!o.has(u"autotuner-dir"_s))
            throw UsageError{u"--ssh needs --autotuner-dir DIR (the autotuner checkout on the host)"_s};
        host.autotunerDir = o.value(u"autotuner-dir"_s);
        host.identityFile = o.value(u"identity"_s);
        host.sshConfigFile = o.value(u"ssh-config"_s);
        if (o.has(u"known-hosts"_s))
            ssh.knownHostsFile = o.value(u"known-hosts"_s);
    } else {
        QString error;
        QUrl url;
        if (!parseRestUrl(o.value(u"rest"_s), &url, &error))
            throw UsageError{error};
        host.kind = HostSpec::Kind::Rest;
        host.baseUrl = url;
    }
    bool okInterval = true;
    const int pollMs = o.value(u"poll-interval"_s, u"2000"_s).toInt(&okInterval);
    if (!okInterval || pollMs < 100)
        throw UsageError{u"--poll-interval: milliseconds, at least 100"_s};

    // Load, validate and export exactly as `export` does: what runs is what the preview shows.
    const TaskLoadResult loaded = TaskLoader::loadFile(taskPath);
    if (!loaded.ok()) {
        for (const TaskProblem& p : loaded.problems)
            err << taskPath << ": " << p.toString() << '\n';
        return ExitInvalid;
    }
    PresetStore presets;
    presets.reload();
    const ExportResult exported = TaskExporter::exportTask(*loaded.document, &presets);
    for (const ExportRefusal& r : exported.refused)
        err << taskPath << ": not submitted" << (r.label.isEmpty() ? QString() : u" ("_s + r.label + u')') << ": "
            << r.reason << '\n';
    if (exported.tasks.isEmpty())
        return ExitInvalid;

    JobStore store(o.has(u"store"_s) ? o.value(u"store"_s) : JobStore::defaultPath());
    if (!store.isOpen()) {
        err << "quantdesk-cli: job history: " << store.errorString() << '\n';
        return ExitInvalid;
    }
    JobManager manager(&store, ssh);
    manager.setPollIntervalMs(pollMs);
    // A script must end: after this many failed attempts in a row to reach the host, a job fails (exit 3).
    manager.setMaxConsecutiveFailures(6);
    if (o.has(u"token-env"_s))
        manager.setRestToken(host.baseUrl, QProcessEnvironment::systemEnvironment().value(o.value(u"token-env"_s)));
    QList<QPair<QString, QByteArray>> tasks;
    for (const ExportedTask& t : exported.tasks)
        tasks << qMakePair(t.taskName, t.document.toJson());
    const bool wait = o.has(u"wait"_s);
    const QList<qint64> ids = manager.submit(host, tasks);
    QHash<qint64, JobRecord> last;
    QEventLoop loop;
    auto settled = [&]() {
        for (const qint64 id : ids) {
            const JobRecord& j = last[id];
            const bool launched = j.state == JobState::Running || j.state == JobState::Fetching;
            if (!isFinalState(j.state) && (wait || !launched))
                return false;
        }
        return true;
    };
    QObject::connect(&manager, &JobManager::jobChanged, &loop, [&](const JobRecord& j) {
        const JobRecord before = last.value(j.id);
        last[j.id] = j;
        if (before.state != j.state || before.experimentsDone != j.experimentsDone || before.detail != j.detail) {
            err << j.taskName << ": " << jobStateKey(j.state);
            if (j.experimentsTotal > 0)
                err << ' ' << j.experimentsDone << '/' << j.experimentsTotal;
            if (!j.detail.isEmpty())
                err << " — " << j.detail;
            if (!j.error.isEmpty())
                err << " — " << j.error;
            err << '\n';
            err.flush();
        }
        if (settled())
            loop.quit();
    });
    for (const qint64 id : ids)
        last[id] = store.job(id).value_or(JobRecord{});
    if (!settled())
        loop.exec();

    int code = ExitOk;
    for (const qint64 id : ids) {
        const JobRecord j = store.job(id).value_or(last.value(id));
        out << j.uuid << ' ' << j.taskName << ' ' << jobStateKey(j.state) << '\n';
        if (j.state == JobState::Failed) {
            const bool hostProblem = j.error.contains(u"giving up"_s) || j.error.contains(u"connection"_s) ||
                                     j.error.contains(u"host key"_s) || j.error.contains(u"authentication"_s) ||
                                     j.error.contains(u"refused"_s) || j.error.contains(u"no answer"_s) ||
                                     j.error.contains(u"resolved"_s);
            code = std::max(code, hostProblem ? int(ExitHost) : int(ExitInvalid));
        } else if (wait && j.state != JobState::Done) {
            code = std::max(code, int(ExitInvalid));
        }
    }
    if (!exported.refused.isEmpty())
        code = std::max(code, int(ExitInvalid));
    return code;
}

} // namespace QuantDesk::Cli

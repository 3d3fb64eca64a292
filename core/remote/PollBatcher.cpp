#include "core/remote/PollBatcher.h"

#include <QRandomGenerator>
#include <algorithm>

#include "core/remote/Transport.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

PollBatcher::PollBatcher(Transport* transport, QObject* parent) : QObject(parent), m_transport(transport)
{
    m_window.setSingleShot(true);
    connect(&m_window, &QTimer::timeout, this, &PollBatcher::flush);
}

void PollBatcher::request(QObject* owner, const QString& dir, qint64 logOffset, Callback callback)
{
    m_pending.append({owner, dir, logOffset, std::move(callback)});
    scheduleRound();
}

void PollBatcher::scheduleRound()
{
    if (m_inFlight || m_window.isActive() || m_pending.isEmpty())
        return;
    // The jobs of the last round ask again one poll interval after it ended: wait for them (and a little longer),
    // so everyone on the host shares the next round. A first request after a quiet spell waits only the window.
    qint64 delay = kWindowMs;
    if (m_sinceRoundEnd.isValid())
        delay = std::max<qint64>(delay, m_minGapMs + kSettleMs - m_sinceRoundEnd.elapsed());
    m_window.start(static_cast<int>(std::min<qint64>(delay, m_minGapMs + kSettleMs)));
}

QString PollBatcher::script()
{
    // Per job: its new log bytes, then its status block; then one GPU sample for the round. Built-ins only besides
    // tail and nvidia-smi.
    return uR"SH(t=$1; shift; i=0
while [ $# -ge 2 ]; do
  d=$1; off=$2; shift 2
  printf '@@QD-JOB-%s %d\n' "$t" "$i"
  tail -c +"$((off+1))" -- "$d/log" 2>/dev/null
  printf '\n@@QD-STATUS\n'
  e=; [ -f "$d/exit" ] && { read -r e < "$d/exit"; echo "exit=$e"; }
  pid=; [ -f "$d/pid" ] && read -r pid < "$d/pid"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo alive=1; else echo alive=0; fi
  i=$((i+1))
done
printf '@@QD-GPU-%s\n' "$t"
command -v nvidia-smi >/dev/null 2>&1 &&
  nvidia-smi --query-gpu=index,memory.used,memory.total --format=csv,noheader,nounits 2>/dev/null
exit 0
)SH"_s;
}

QList<QByteArray> PollBatcher::split(const QByteArray& output, const QByteArray& token, int jobs)
{
    QList<QByteArray> parts(jobs);
    const QByteArray gpuMarker = "@@QD-GPU-" + token + '\n';
    const qsizetype gpuAt = output.lastIndexOf(gpuMarker);
    if (gpuAt < 0)
        return parts; // the round did not complete: no job gets a status
    const QByteArray gpu = output.mid(gpuAt + gpuMarker.size());
    qsizetype from = 0;
    for (int i = 0; i < jobs; ++i) {
        const QByteArray marker = "@@QD-JOB-" + token + ' ' + QByteArray::number(i) + '\n';
        const qsizetype at = output.indexOf(marker, from);
        if (at < 0 || at > gpuAt)
            break;
        const qsizetype begin = at + marker.size();
        const QByteArray next = "@@QD-JOB-" + token + ' ' + QByteArray::number(i + 1) + '\n';
        qsizetype end = i + 1 < jobs ? output.indexOf(next, begin) : gpuAt;
        if (end < 0 || end > gpuAt)
            end = gpuAt;
        parts[i] = output.mid(begin, end - begin) + "@@QD-GPU\n" + gpu;
        from = end;
    }
    return parts;
}

void PollBatcher::flush()
{
    QList<Pending> round;
    while (!m_pending.isEmpty() && round.size() < kMaxJobsPerRound) {
        Pending p = m_pending.takeFirst();
        if (p.owner)
            round.append(std::move(p));
    }
    if (round.isEmpty())
        return;
    if (!m_transport) {
        CommandResult gone;
        gone.status = CommandResult::Status::FailedToStart;
        gone.errorString = u"the host is gone"_s;
        for (const Pending& p : round) {
            if (p.owner)
                p.callback(gone);
        }
        return;
    }
    const QByteArray token = QByteArray::number(QRandomGenerator::global()->generate64(), 16);
    QStringList argv{u"sh"_s, u"-c"_s, script(), u"quantdesk-poll"_s, QString::fromLatin1(token)};
    for (const Pending& p : round)
        argv << p.dir << QString::number(p.offset);
    m_inFlight = true;
    ++m_rounds;
    m_jobsPolled += static_cast<int>(round.size());
    m_largestRound = std::max(m_largestRound, static_cast<int>(round.size()));
    ProcessJob* job = m_transport->command(argv, kTimeoutMs, this);
    connect(job, &ProcessJob::finished, this, [this, job, token, round](const CommandResult& r) {
        job->deleteLater();
        m_inFlight = false;
        m_sinceRoundEnd.start();
        const QList<QByteArray> parts =
            r.succeeded() ? split(r.standardOutput, token, static_cast<int>(round.size())) : QList<QByteArray>();
        for (qsizetype i = 0; i < round.size(); ++i) {
            if (!round.at(i).owner)
                continue;
            CommandResult mine = r;
            if (r.succeeded())
                mine.standardOutput = parts.at(i);
            round.at(i).callback(mine);
        }
        // Whoever asked while the round ran goes in the next one.
        scheduleRound();
    });
    job->start();
}

} // namespace QuantDesk

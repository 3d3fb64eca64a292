#include "ui/jobs/JobNotifier.h"

#include <QApplication>
#include <QStatusBar>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{
constexpr int kStatusMessageMs = 15000;
}

JobNotifier::JobNotifier(QStatusBar* statusBar, QObject* parent) : QObject(parent), m_statusBar(statusBar) {}

JobNotifier::~JobNotifier() = default;

QString JobNotifier::titleFor(const JobRecord& job)
{
    switch (job.state) {
    case JobState::Done:
        return tr("Job done");
    case JobState::Failed:
        return tr("Job failed");
    case JobState::Cancelled:
        return tr("Job cancelled");
    default:
        return tr("Job %1").arg(jobStateKey(job.state));
    }
}

QString JobNotifier::messageFor(const JobRecord& job)
{
    QString text = tr("%1 on %2").arg(job.taskName, job.host.displayName());
    if (job.experimentsTotal > 0)
        text += tr(": %1/%2 experiments").arg(job.experimentsDone).arg(job.experimentsTotal);
    if (job.state == JobState::Failed && !job.error.isEmpty())
        text += u" — "_s + job.error;
    return text;
}

void JobNotifier::jobFinished(const JobRecord& job)
{
    if (!isFinalState(job.state))
        return;
    notify(titleFor(job), messageFor(job), job.state == JobState::Failed);
}

void JobNotifier::notify(const QString& title, const QString& message, bool problem)
{
    if (QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
            m_tray->setToolTip(u"QuantDesk"_s);
        }
        m_tray->show();
        m_tray->showMessage(title, message, problem ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information);
        emit notified(title, message, Channel::Tray);
        return;
    }
    if (m_statusBar)
        m_statusBar->showMessage(u"%1: %2"_s.arg(title, message), kStatusMessageMs);
    emit notified(title, message, Channel::StatusBar);
}

} // namespace QuantDesk

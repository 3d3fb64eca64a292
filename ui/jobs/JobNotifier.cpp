#include "ui/jobs/JobNotifier.h"

#include <QApplication>
#include <QStatusBar>
#include <QSystemTrayIcon>

namespace QuantDesk
{

JobNotifier::JobNotifier(QStatusBar* statusBar, QObject* parent) : QObject(parent), m_statusBar(statusBar) {}

JobNotifier::~JobNotifier() = default;

JobNotifier::Channel JobNotifier::channel() const
{
    if (QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages())
        return Channel::Tray;
    return m_statusBar ? Channel::StatusBar : Channel::None;
}

void JobNotifier::notify(const QString& title, const QString& text, bool problem)
{
    const Channel where = channel();
    if (where == Channel::Tray) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
            m_tray->setToolTip(QApplication::applicationDisplayName());
        }
        m_tray->show();
        m_tray->showMessage(title, text, problem ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information, 8000);
    } else if (where == Channel::StatusBar) {
        m_statusBar->showMessage(title + QStringLiteral(": ") + text, 15000);
    }
    emit notified(title, text, where);
}

} // namespace QuantDesk

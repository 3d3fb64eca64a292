#pragma once

#include <QObject>
#include <QPointer>

class QStatusBar;
class QSystemTrayIcon;

namespace QuantDesk
{

// Tells the user that something finished while they may be looking elsewhere: a desktop notification through the
// system tray when there is one, else a message in the status bar. Tests observe `notified`.
class JobNotifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobNotifier)

public:
    enum class Channel {
        Tray,
        StatusBar,
        None,
    };

    explicit JobNotifier(QStatusBar* statusBar, QObject* parent = nullptr);
    ~JobNotifier() override;

    void notify(const QString& title, const QString& text, bool problem);
    // Where the next notification goes.
    [[nodiscard]] Channel channel() const;

signals:
    void notified(const QString& title, const QString& text, QuantDesk::JobNotifier::Channel channel);

private:
    QPointer<QStatusBar> m_statusBar;
    QSystemTrayIcon* m_tray = nullptr;
};

} // namespace QuantDesk

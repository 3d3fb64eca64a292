#pragma once

#include <QObject>
#include <QPointer>

#include "core/store/JobStore.h"

class QStatusBar;
class QSystemTrayIcon;

namespace QuantDesk
{

// Tells the user that a job ended (done, failed, cancelled): a desktop notification through the system tray when
// there is one, else a message in the main window's status bar. notified() is the seam tests observe.
class JobNotifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobNotifier)

public:
    enum class Channel {
        Tray,
        StatusBar,
    };
    Q_ENUM(Channel)

    // statusBar: the fallback (may be null: then only notified() is emitted).
    explicit JobNotifier(QStatusBar* statusBar, QObject* parent = nullptr);
    ~JobNotifier() override;

    // Title and text for a job's end, e.g. "Job done" / "llama-kv-fp8 on gpu-box: 4/4 experiments".
    [[nodiscard]] static QString titleFor(const JobRecord& job);
    [[nodiscard]] static QString messageFor(const JobRecord& job);

public slots:
    void jobFinished(const QuantDesk::JobRecord& job);
    void notify(const QString& title, const QString& message, bool problem);

signals:
    void notified(const QString& title, const QString& message, QuantDesk::JobNotifier::Channel channel);

private:
    QPointer<QStatusBar> m_statusBar;
    QSystemTrayIcon* m_tray = nullptr;
};

} // namespace QuantDesk

#pragma once

#include <QObject>
#include <QStringList>
#include <QVariant>
#include <memory>

class QSettings;

namespace QuantDesk
{

// The one place UI state and preferences are stored (STYLE §5.18): a single table of key → storage name → default,
// typed access, a changed(key) signal, INI format at a path tests can inject.
class Settings final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Settings)

public:
    enum class Key {
        SettingsVersion,
        MainWindowGeometry,
        MainWindowState,
        MainSplitterState,
        RightSplitterState,
        RecentFiles,
        LastDirectory,
        OptimizationExpanded,
        BenchmarkExpanded,
        Hosts,            // the stored hosts as JSON (never their secrets)
        TargetHost,       // the host name the preview targets ("" = none)
        HostsUnreadable,  // a stored host list that could not be read in full, kept as it was
        ResultsDirectory, // where results were last imported from
    };
    Q_ENUM(Key)

    static constexpr int kCurrentVersion = 1;
    static constexpr int kMaxRecentFiles = 9;

    // iniPath empty: the user's config folder (QStandardPaths::AppConfigLocation/quantdesk.ini).
    explicit Settings(const QString& iniPath = {}, QObject* parent = nullptr);
    ~Settings() override;

    [[nodiscard]] static QString defaultPath();
    [[nodiscard]] QString fileName() const;
    // Where the app keeps its data (job history, results library, known hosts of its own): the app data folder, or,
    // for a Settings made with an explicit ini path (tests, portable use), the folder of that file.
    [[nodiscard]] QString dataDirectory() const { return m_dataDirectory; }

    [[nodiscard]] QVariant value(Key key) const;
    void setValue(Key key, const QVariant& value);
    void reset(Key key);

    template <typename T>
    [[nodiscard]] T get(Key key) const
    {
        return value(key).template value<T>();
    }

    [[nodiscard]] QStringList recentFiles() const;
    // Moves path to the front of the recent files (absolute path, at most kMaxRecentFiles).
    void addRecentFile(const QString& path);
    void removeRecentFile(const QString& path);

    void sync();

signals:
    void changed(QuantDesk::Settings::Key key);

private:
    void migrate();

    std::unique_ptr<QSettings> m_settings;
    QString m_dataDirectory;
};

} // namespace QuantDesk

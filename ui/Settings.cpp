#include "ui/Settings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

struct KeyInfo
{
    Settings::Key key;
    QString name;
    QVariant defaultValue;
};

const QList<KeyInfo>& keyTable()
{
    static const QList<KeyInfo> table{
        {Settings::Key::SettingsVersion, u"General/SettingsVersion"_s, 0},
        {Settings::Key::MainWindowGeometry, u"MainWindow/Geometry"_s, QByteArray()},
        {Settings::Key::MainWindowState, u"MainWindow/State"_s, QByteArray()},
        {Settings::Key::MainSplitterState, u"MainWindow/MainSplitterState"_s, QByteArray()},
        {Settings::Key::RightSplitterState, u"MainWindow/RightSplitterState"_s, QByteArray()},
        {Settings::Key::RecentFiles, u"Documents/RecentFiles"_s, QStringList()},
        {Settings::Key::LastDirectory, u"Documents/LastDirectory"_s, QString()},
        {Settings::Key::OptimizationExpanded, u"TaskPane/OptimizationExpanded"_s, false},
        {Settings::Key::BenchmarkExpanded, u"TaskPane/BenchmarkExpanded"_s, false},
        {Settings::Key::Hosts, u"Hosts/List"_s, QString()},
        {Settings::Key::TargetHost, u"Hosts/Target"_s, QString()},
        {Settings::Key::HostsUnreadable, u"Hosts/ListUnreadable"_s, QString()},
        {Settings::Key::ResultsDirectory, u"Results/LastDirectory"_s, QString()},
    };
    return table;
}

const KeyInfo& info(Settings::Key key)
{
    for (const KeyInfo& k : keyTable()) {
        if (k.key == key)
            return k;
    }
    Q_UNREACHABLE();
}

} // namespace

Settings::Settings(const QString& iniPath, QObject* parent)
    : QObject(parent),
      m_settings(std::make_unique<QSettings>(iniPath.isEmpty() ? defaultPath() : iniPath, QSettings::IniFormat)),
      m_dataDirectory(iniPath.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                        : QFileInfo(iniPath).absolutePath())
{
    migrate();
}

Settings::~Settings() = default;

QString Settings::defaultPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)).filePath(u"quantdesk.ini"_s);
}

QString Settings::fileName() const
{
    return m_settings->fileName();
}

QVariant Settings::value(Key key) const
{
    const KeyInfo& k = info(key);
    QVariant v = m_settings->value(k.name, k.defaultValue);
    // INI stores a one-element string list as a plain string.
    if (k.defaultValue.typeId() == QMetaType::QStringList && v.typeId() == QMetaType::QString)
        v = QStringList{v.toString()};
    return v;
}

void Settings::setValue(Key key, const QVariant& value)
{
    if (m_settings->contains(info(key).name) && this->value(key) == value)
        return;
    m_settings->setValue(info(key).name, value);
    emit changed(key);
}

void Settings::reset(Key key)
{
    if (!m_settings->contains(info(key).name))
        return;
    m_settings->remove(info(key).name);
    emit changed(key);
}

QStringList Settings::recentFiles() const
{
    return get<QStringList>(Key::RecentFiles);
}

void Settings::addRecentFile(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList files = recentFiles();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    setValue(Key::RecentFiles, files);
}

void Settings::removeRecentFile(const QString& path)
{
    QStringList files = recentFiles();
    if (files.removeAll(QFileInfo(path).absoluteFilePath()) > 0)
        setValue(Key::RecentFiles, files);
}

void Settings::sync()
{
    m_settings->sync();
}

void Settings::migrate()
{
    const int version = get<int>(Key::SettingsVersion);
    if (version >= kCurrentVersion)
        return;
    // Version 0 → 1: nothing to convert yet; stamp the version so later migrations know where they start.
    m_settings->setValue(info(Key::SettingsVersion).name, kCurrentVersion);
}

} // namespace QuantDesk

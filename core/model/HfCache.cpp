#include "HfCache.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

QString expandHome(const QString& path, const QProcessEnvironment& env)
{
    if (path == u"~" || path.startsWith(u"~/"))
        return env.value(u"HOME"_s, QDir::homePath()) + path.mid(1);
    return path;
}

bool isCommitHash(const QString& s)
{
    static const QRegularExpression hex(u"^[0-9a-f]{40}$"_s);
    return hex.match(s).hasMatch();
}

bool isSafeName(const QString& s)
{
    static const QRegularExpression name(u"^[A-Za-z0-9._-]+$"_s);
    return name.match(s).hasMatch() && s != u"." && s != u"..";
}

} // namespace

HfCache::HfCache(QString hubDir) : m_hubDir(std::move(hubDir)) {}

QString HfCache::hubDirFor(const QProcessEnvironment& env)
{
    for (const QString& var : {u"HF_HUB_CACHE"_s, u"HUGGINGFACE_HUB_CACHE"_s}) {
        const QString v = env.value(var);
        if (!v.isEmpty())
            return expandHome(v, env);
    }
    const QString hfHome = env.value(u"HF_HOME"_s);
    if (!hfHome.isEmpty())
        return expandHome(hfHome, env) + u"/hub"_s;
    const QString xdg = env.value(u"XDG_CACHE_HOME"_s);
    if (!xdg.isEmpty())
        return expandHome(xdg, env) + u"/huggingface/hub"_s;
    return env.value(u"HOME"_s, QDir::homePath()) + u"/.cache/huggingface/hub"_s;
}

HfCache HfCache::fromEnvironment()
{
    return HfCache(hubDirFor(QProcessEnvironment::systemEnvironment()));
}

bool HfCache::isModelId(const QString& text)
{
    const QStringList parts = text.split(u'/');
    if (parts.size() > 2)
        return false;
    for (const QString& p : parts) {
        if (!isSafeName(p))
            return false;
    }
    return true;
}

QString HfCache::repoFolderName(const QString& modelId)
{
    return u"models--"_s + QString(modelId).replace(u'/', u"--"_s);
}

std::optional<QString> HfCache::snapshotDir(const QString& modelId, const QString& revision, QString* error) const
{
    auto fail = [error](const QString& what) -> std::optional<QString> {
        if (error)
            *error = what;
        return std::nullopt;
    };
    if (!isModelId(modelId))
        return fail(u"'%1' is not a Hugging Face model id"_s.arg(modelId));
    if (m_hubDir.isEmpty())
        return fail(u"no Hugging Face cache folder"_s);
    const QDir repo(m_hubDir + u'/' + repoFolderName(modelId));
    if (!repo.exists())
        return fail(u"%1 is not in the Hugging Face cache (%2)"_s.arg(modelId, m_hubDir));
    const QDir snapshots(repo.filePath(u"snapshots"_s));

    if (isCommitHash(revision) && snapshots.exists(revision))
        return snapshots.filePath(revision);
    if (isSafeName(revision)) {
        QFile ref(repo.filePath(u"refs/"_s + revision));
        if (ref.open(QIODevice::ReadOnly)) {
            const QString hash = QString::fromLatin1(ref.read(256)).trimmed();
            if (isSafeName(hash) && QFileInfo(snapshots.filePath(hash)).isDir())
                return snapshots.filePath(hash);
            return fail(u"%1: refs/%2 names snapshot '%3', which is not in the cache"_s.arg(modelId, revision, hash));
        }
    }
    // No ref for the revision (e.g. downloaded by commit): one snapshot is unambiguous; of several take the newest.
    const QFileInfoList entries =
        snapshots.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Time); // newest first
    if (entries.isEmpty())
        return fail(u"%1 is in the Hugging Face cache but has no snapshot"_s.arg(modelId));
    return entries.constFirst().absoluteFilePath();
}

} // namespace QuantDesk

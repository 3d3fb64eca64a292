#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <optional>

namespace QuantDesk
{

// The local Hugging Face hub cache (what `huggingface-cli download` and the engines fill), read-only and offline:
// <hub>/models--ORG--NAME/refs/<branch> holds a commit hash, <hub>/models--ORG--NAME/snapshots/<hash>/ the files
// (usually symlinks into ../../blobs/).
class HfCache
{
public:
    explicit HfCache(QString hubDir);

    // The hub folder huggingface_hub uses: $HF_HUB_CACHE, else $HUGGINGFACE_HUB_CACHE, else $HF_HOME/hub, else
    // $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub. A leading "~/" is expanded.
    [[nodiscard]] static QString hubDirFor(const QProcessEnvironment& environment);
    [[nodiscard]] static HfCache fromEnvironment();

    // Whether text is a hub model id: "name" or "org/name", of letters, digits, '-', '_' and '.', not "." or "..".
    [[nodiscard]] static bool isModelId(const QString& text);
    // "org/name" → "models--org--name".
    [[nodiscard]] static QString repoFolderName(const QString& modelId);

    [[nodiscard]] QString hubDir() const { return m_hubDir; }

    // The snapshot folder of modelId at revision: a branch or tag (refs/<revision>) or a commit hash. Without refs
    // for the revision, a repository with exactly one snapshot uses it; with several, the newest. nullopt (and *error)
    // when the model is not cached.
    [[nodiscard]] std::optional<QString> snapshotDir(const QString& modelId,
                                                     const QString& revision = QStringLiteral("main"),
                                                     QString* error = nullptr) const;

private:
    QString m_hubDir;
};

} // namespace QuantDesk

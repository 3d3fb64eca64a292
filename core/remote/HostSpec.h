#pragma once

#include <QString>
#include <QUrl>

namespace QuantDesk
{

// Where QuantDesk runs things: this machine, a GPU box over SSH, or an inference-autotuner REST server.
struct HostSpec
{
    enum class Kind {
        Local,
        Ssh,
        Rest,
    };

    Kind kind = Kind::Local;
    QString name; // what the user calls it; defaults to the target

    // SSH
    QString user;          // empty: ssh's default (~/.ssh/config, then the local user)
    QString hostname;      // host name or address, as ssh takes it (may be a ~/.ssh/config alias)
    int port = 0;          // 0: ssh's default
    QString identityFile;  // optional -i
    QString sshConfigFile; // optional -F (tests use an empty file); empty: the user's ~/.ssh/config

    // SSH and local: the inference-autotuner checkout (holds src/run_autotuner.py and env/)
    QString autotunerDir;

    // REST
    QUrl baseUrl; // e.g. http://gpu-box:8000

    [[nodiscard]] QString target() const; // "user@host:port", "local", or the URL
    [[nodiscard]] QString displayName() const;
    bool operator==(const HostSpec&) const = default;
};

// Parses "[user@]host[:port]" (IPv6 as "[::1]:2222"). Returns false with a message naming the problem.
bool parseSshTarget(const QString& text, HostSpec* spec, QString* error);

// Parses an autotuner base URL ("http://host:8000", "host:8000", "host" → port 8000). Only http and https.
bool parseRestUrl(const QString& text, QUrl* url, QString* error);

} // namespace QuantDesk

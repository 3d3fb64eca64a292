#pragma once

// A real OpenSSH server on 127.0.0.1 for integration tests: throwaway host and user keys, its own authorized_keys
// and known_hosts, a random free port, and a fake nvidia-smi on the remote PATH that prints captured H100 output.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <memory>

#include <unistd.h>

#include "core/remote/HostSpec.h"
#include "core/remote/SshTransport.h"

namespace QuantDesk::TestSupport
{

class SshServer
{
public:
    enum class NvidiaSmi {
        H100,     // prints the captured H100 outputs
        Missing,  // not installed
        Garbled,  // prints garbage
        Changing, // H100, with memory.used growing on every call (for job monitoring)
    };

    SshServer() = default;
    ~SshServer() { stop(); }
    SshServer(const SshServer&) = delete;
    SshServer& operator=(const SshServer&) = delete;

    // Test data folder (fixtures): QUANTDESK_TEST_DATA, set by CTest.
    static QString testData()
    {
        const QByteArray env = qgetenv("QUANTDESK_TEST_DATA");
        return QString::fromLocal8Bit(env);
    }

    static QString sshdPath()
    {
        for (const QString& p : {QStringLiteral("/usr/sbin/sshd"), QStringLiteral("/usr/local/sbin/sshd")}) {
            if (QFile::exists(p))
                return p;
        }
        return {};
    }

    static int freePort()
    {
        QTcpServer s;
        if (!s.listen(QHostAddress::LocalHost, 0))
            return -1;
        return s.serverPort();
    }

    // Sets up keys and config; call start() afterwards. Returns false with *error on failure.
    bool prepare(QString* error)
    {
        m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/qd-sshd-XXXXXX"));
        if (!m_dir->isValid())
            return fail(error, QStringLiteral("cannot create a temporary folder"));
        if (sshdPath().isEmpty())
            return fail(error, QStringLiteral("sshd not found: install openssh-server"));
        QDir().mkpath(path(QStringLiteral("bin")));
        QDir().mkpath(path(QStringLiteral("ctl")));
        QDir().mkpath(path(QStringLiteral("state")));
        if (!keygen(path(QStringLiteral("host_ed25519_key")), error) ||
            !keygen(path(QStringLiteral("user_key")), error) || !keygen(path(QStringLiteral("other_key")), error))
            return false;
        QFile::copy(path(QStringLiteral("user_key.pub")), path(QStringLiteral("authorized_keys")));
        m_port = freePort();
        if (m_port <= 0)
            return fail(error, QStringLiteral("no free port"));
        writeConfig();
        setNvidiaSmi(NvidiaSmi::H100);
        // Privilege separation needs this folder when sshd runs as root.
        if (::getuid() == 0)
            QDir().mkpath(QStringLiteral("/run/sshd"));
        writeFile(path(QStringLiteral("ssh_config")), QByteArray());
        return true;
    }

    bool start(QString* error)
    {
        stop();
        m_sshd = std::make_unique<QProcess>();
        m_sshd->setProcessChannelMode(QProcess::MergedChannels);
        m_sshd->start(
            sshdPath(),
            {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"), path(QStringLiteral("sshd_config"))});
        if (!m_sshd->waitForStarted(5000))
            return fail(error, QStringLiteral("sshd did not start: ") + m_sshd->errorString());
        // Wait until it accepts connections.
        for (int i = 0; i < 100; ++i) {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(m_port));
            if (s.waitForConnected(100)) {
                s.disconnectFromHost();
                return true;
            }
            if (m_sshd->state() == QProcess::NotRunning)
                break;
            QThread::msleep(50);
        }
        return fail(error, QStringLiteral("sshd is not listening: ") + QString::fromLocal8Bit(m_sshd->readAll()));
    }

    void stop()
    {
        if (m_sshd && m_sshd->state() != QProcess::NotRunning) {
            m_sshd->kill();
            m_sshd->waitForFinished(3000);
        }
        m_sshd.reset();
    }

    // A new host key: clients that accepted the old one must refuse to connect.
    bool regenerateHostKey(QString* error)
    {
        QFile::remove(path(QStringLiteral("host_ed25519_key")));
        QFile::remove(path(QStringLiteral("host_ed25519_key.pub")));
        return keygen(path(QStringLiteral("host_ed25519_key")), error);
    }

    void setNvidiaSmi(NvidiaSmi mode)
    {
        const QString target = path(QStringLiteral("bin/nvidia-smi"));
        QFile::remove(target);
        if (mode == NvidiaSmi::Missing)
            return;
        const QString data = testData() + QStringLiteral("/nvidia-smi-h100");
        QByteArray script = "#!/bin/sh\n";
        if (mode == NvidiaSmi::Garbled) {
            script += "printf 'Segmentation fault\\n\\001\\002 garbage ,,, \\377\\n'\nexit 0\n";
        } else {
            script += "D='" + data.toUtf8() + "'\nS='" + path(QStringLiteral("state")).toUtf8() + "'\n";
            if (mode == NvidiaSmi::Changing) {
                // memory.used grows by 1000 MiB per call (capped at the total), in the nounits CSV form.
                script += "n=$(cat \"$S/count\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$S/count\"\n"
                          "used=$((n*1000)); [ $used -gt 81559 ] && used=81559\n"
                          "case \"$*\" in *noheader*) echo \"0, $used, 81559\"; exit 0;; esac\n";
            }
            script += "case \"$*\" in\n"
                      "  *--query-gpu*) cat \"$D/query-gpu.csv\";;\n"
                      "  *-q*) cat \"$D/nvidia-smi-q.xml\";;\n"
                      "  *) cat \"$D/nvidia-smi.txt\";;\n"
                      "esac\n";
        }
        writeFile(target, script);
        QFile::setPermissions(target,
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                  QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                  QFileDevice::ExeOther);
    }

    [[nodiscard]] QString path(const QString& rel) const { return m_dir->path() + QLatin1Char('/') + rel; }
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] QString binDir() const { return path(QStringLiteral("bin")); }

    // The known_hosts line for this server's current host key.
    [[nodiscard]] QByteArray knownHostsLine() const
    {
        QFile f(path(QStringLiteral("host_ed25519_key.pub")));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        const QList<QByteArray> parts = f.readAll().trimmed().split(' ');
        return "[127.0.0.1]:" + QByteArray::number(m_port) + ' ' + parts.value(0) + ' ' + parts.value(1) + '\n';
    }

    // A host spec for this server with the authorised user key.
    [[nodiscard]] HostSpec host() const
    {
        HostSpec h;
        h.kind = HostSpec::Kind::Ssh;
        h.hostname = QStringLiteral("127.0.0.1");
        h.port = m_port;
        h.user = QString::fromLocal8Bit(qgetenv("USER"));
        if (h.user.isEmpty())
            h.user = ::getuid() == 0 ? QStringLiteral("root") : QString();
        h.identityFile = path(QStringLiteral("user_key"));
        h.sshConfigFile = path(QStringLiteral("ssh_config")); // empty: the machine's ~/.ssh/config plays no part
        return h;
    }

    // Options with QuantDesk's known_hosts in the fixture folder; trusted: pre-filled with this host's key.
    [[nodiscard]] SshOptions options(bool trusted) const
    {
        SshOptions o;
        o.knownHostsFile = path(QStringLiteral("qd_known_hosts"));
        o.userKnownHostsFile = path(QStringLiteral("user_known_hosts")); // stays empty
        // Each transport gets its own multiplexing folder: a live master would otherwise carry a later test's
        // connection past its own host key and identity checks.
        o.controlDir = path(QStringLiteral("ctl%1").arg(++m_controlDirs));
        QDir().mkpath(o.controlDir);
        o.connectTimeoutSec = 5;
        QFile::remove(o.knownHostsFile);
        if (trusted)
            writeFile(o.knownHostsFile, knownHostsLine());
        return o;
    }

    [[nodiscard]] QString log() const { return m_sshd ? QString::fromLocal8Bit(m_sshd->readAll()) : QString(); }

private:
    static bool fail(QString* error, const QString& what)
    {
        if (error)
            *error = what;
        return false;
    }

    static void writeFile(const QString& p, const QByteArray& data)
    {
        QFile f(p);
        if (f.open(QIODevice::WriteOnly))
            f.write(data);
    }

    bool keygen(const QString& file, QString* error) const
    {
        QProcess p;
        p.start(QStringLiteral("ssh-keygen"),
                {QStringLiteral("-q"),
                 QStringLiteral("-t"),
                 QStringLiteral("ed25519"),
                 QStringLiteral("-N"),
                 QString(),
                 QStringLiteral("-C"),
                 QStringLiteral("quantdesk-test"),
                 QStringLiteral("-f"),
                 file});
        if (!p.waitForFinished(20000) || p.exitCode() != 0)
            return fail(error,
                        QStringLiteral("ssh-keygen failed: ") + QString::fromLocal8Bit(p.readAllStandardError()));
        QFile::setPermissions(file, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        return true;
    }

    void writeConfig()
    {
        QByteArray c;
        c += "Port " + QByteArray::number(m_port) + "\n";
        c += "ListenAddress 127.0.0.1\n";
        c += "HostKey " + path(QStringLiteral("host_ed25519_key")).toUtf8() + "\n";
        c += "PidFile " + path(QStringLiteral("sshd.pid")).toUtf8() + "\n";
        c += "AuthorizedKeysFile " + path(QStringLiteral("authorized_keys")).toUtf8() + "\n";
        c += "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n";
        c += "UsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\nLogLevel ERROR\n";
        c += "MaxStartups 100\nMaxSessions 100\n";
        c += "Subsystem sftp internal-sftp\n";
        c += "SetEnv PATH=" + binDir().toUtf8() + ":/usr/local/bin:/usr/bin:/bin\n";
        writeFile(path(QStringLiteral("sshd_config")), c);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_sshd;
    int m_port = -1;
    mutable int m_controlDirs = 0;
};

} // namespace QuantDesk::TestSupport

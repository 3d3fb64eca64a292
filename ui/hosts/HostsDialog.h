#pragma once

#include <QDialog>

#include "core/remote/HostProbe.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QWidget;

namespace QuantDesk
{

class HostProber;
class HostStore;
class MessageBanner;
class SecretStore;

// "Manage Hosts": the host list (local, SSH, REST), a form to add, edit and remove hosts, the probe of the selected
// host with progress and cancel, its result (GPUs, engines, Docker, autotuner), an unknown host key to accept, and
// "Use as Target". Non-modal: show() or open() it; everything it does is asynchronous.
class HostsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostsDialog)

public:
    HostsDialog(HostStore& store, SecretStore& secrets, HostProber& prober, QWidget* parent = nullptr);
    ~HostsDialog() override;

    // Selects the host (by display name); false if there is none.
    bool selectHost(const QString& name);
    [[nodiscard]] QString selectedHost() const;
    // Clears the form for a new host.
    void startNewHost();
    // Applies the form: adds the new host or saves the selected one. False with the reason in the banner.
    bool applyForm();
    // Probes the selected host. A REST host whose token is not known this session asks for it instead.
    void probeSelected();
    // Selects the host and asks for its token (memory-only secrets are gone after a restart).
    void askForToken(const QString& name);
    // True when the host has a token that nobody entered (or the keychain returned) this session.
    [[nodiscard]] static bool tokenMissing(const HostStore& store, const SecretStore& secrets, const QString& name);

    [[nodiscard]] QListWidget* hostList() const { return m_list; }
    [[nodiscard]] QTreeWidget* resultTree() const { return m_result; }
    [[nodiscard]] MessageBanner* banner() const { return m_banner; }

private:
    void reloadList(const QString& select);
    void onSelectionChanged();
    void onKindChanged();
    void updateButtons();
    void showResult(const QString& name);
    void onProbeFinished(const QString& name, const ProbeResult& result);
    void onHostKeyUnknown(const QString& name, const QStringList& fingerprints);
    [[nodiscard]] bool readForm(HostSpec* host, QString* error) const;

    HostStore& m_store;
    SecretStore& m_secrets;
    HostProber& m_prober;
    bool m_adding = false;

    MessageBanner* m_banner = nullptr;
    QListWidget* m_list = nullptr;
    QPushButton* m_add = nullptr;
    QPushButton* m_remove = nullptr;
    QComboBox* m_kind = nullptr;
    QLineEdit* m_name = nullptr;
    QLabel* m_targetLabel = nullptr;
    QLineEdit* m_target = nullptr;
    QLabel* m_identityLabel = nullptr;
    QWidget* m_identityRow = nullptr;
    QLineEdit* m_identity = nullptr;
    QLabel* m_dirLabel = nullptr;
    QLineEdit* m_dir = nullptr;
    QLabel* m_tokenLabel = nullptr;
    QLineEdit* m_token = nullptr;
    QLabel* m_tokenNote = nullptr;
    QPushButton* m_apply = nullptr;
    QPushButton* m_probe = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_useTarget = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QWidget* m_keyBox = nullptr;
    QLabel* m_keyText = nullptr;
    QPushButton* m_acceptKey = nullptr;
    QPushButton* m_rejectKey = nullptr;
    QTreeWidget* m_result = nullptr;
};

} // namespace QuantDesk

#include "ui/hosts/HostsDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "core/engines/EngineProfile.h"
#include "ui/Dialogs.h"
#include "ui/MessageBanner.h"
#include "ui/hosts/HostProber.h"
#include "ui/hosts/HostStore.h"
#include "ui/hosts/SecretStore.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

enum KindIndex {
    KindLocal,
    KindSsh,
    KindRest,
};

QString kindLabel(HostSpec::Kind kind)
{
    switch (kind) {
    case HostSpec::Kind::Local:
        return HostsDialog::tr("local");
    case HostSpec::Kind::Ssh:
        return HostsDialog::tr("SSH");
    case HostSpec::Kind::Rest:
        return HostsDialog::tr("REST");
    }
    return {};
}

QTreeWidgetItem* addRow(QTreeWidget* tree, const QString& what, const QString& value, QTreeWidgetItem* parent = nullptr)
{
    auto* item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(tree);
    item->setText(0, what);
    item->setText(1, value);
    item->setToolTip(1, value);
    return item;
}

} // namespace

HostsDialog::HostsDialog(HostStore& store, SecretStore& secrets, HostProber& prober, QWidget* parent)
    : QDialog(parent), m_store(store), m_secrets(secrets), m_prober(prober)
{
    setObjectName(u"hostsDialog"_s);
    setWindowTitle(tr("Hosts"));
    auto* outer = new QVBoxLayout(this);
    m_banner = new MessageBanner(this);
    m_banner->setObjectName(u"hostsMessageBanner"_s);
    outer->addWidget(m_banner);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    outer->addWidget(splitter, 1);

    // Left: the hosts.
    auto* left = new QWidget(splitter);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto* listLabel = new QLabel(tr("&Hosts:"), left);
    leftLayout->addWidget(listLabel);
    m_list = new QListWidget(left);
    m_list->setObjectName(u"hostsListWidget"_s);
    m_list->setAccessibleName(tr("Hosts"));
    listLabel->setBuddy(m_list);
    leftLayout->addWidget(m_list, 1);
    auto* listButtons = new QHBoxLayout;
    m_add = new QPushButton(tr("&Add"), left);
    m_add->setObjectName(u"addHostButton"_s);
    m_add->setToolTip(tr("Add an SSH or REST host"));
    m_remove = new QPushButton(tr("&Remove"), left);
    m_remove->setObjectName(u"removeHostButton"_s);
    m_remove->setToolTip(tr("Remove the selected host"));
    listButtons->addWidget(m_add);
    listButtons->addWidget(m_remove);
    leftLayout->addLayout(listButtons);
    left->setMinimumWidth(200);
    splitter->addWidget(left);

    // Right: the form, then the probe.
    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* formBox = new QGroupBox(tr("Host"), right);
    auto* form = new QFormLayout(formBox);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_kind = new QComboBox(formBox);
    m_kind->setObjectName(u"hostKindComboBox"_s);
    m_kind->setAccessibleName(tr("Kind"));
    m_kind->addItem(tr("Local (this machine)"));
    m_kind->addItem(tr("SSH"));
    m_kind->addItem(tr("REST (autotuner API)"));
    auto* kindLabel = new QLabel(tr("&Kind:"), formBox);
    kindLabel->setBuddy(m_kind);
    form->addRow(kindLabel, m_kind);
    m_name = new QLineEdit(formBox);
    m_name->setObjectName(u"hostNameLineEdit"_s);
    m_name->setAccessibleName(tr("Name"));
    m_name->setPlaceholderText(tr("defaults to the target"));
    auto* nameLabel = new QLabel(tr("&Name:"), formBox);
    nameLabel->setBuddy(m_name);
    form->addRow(nameLabel, m_name);
    m_target = new QLineEdit(formBox);
    m_target->setObjectName(u"hostTargetLineEdit"_s);
    m_target->setAccessibleName(tr("Target"));
    m_targetLabel = new QLabel(tr("&Target:"), formBox);
    m_targetLabel->setBuddy(m_target);
    form->addRow(m_targetLabel, m_target);
    m_identityRow = new QWidget(formBox);
    auto* identityLayout = new QHBoxLayout(m_identityRow);
    identityLayout->setContentsMargins(0, 0, 0, 0);
    m_identity = new QLineEdit(m_identityRow);
    m_identity->setObjectName(u"identityFileLineEdit"_s);
    m_identity->setAccessibleName(tr("Identity file"));
    m_identity->setPlaceholderText(tr("optional: ssh's keys and agent"));
    identityLayout->addWidget(m_identity, 1);
    auto* browse = new QToolButton(m_identityRow);
    browse->setObjectName(u"identityFileToolButton"_s);
    browse->setText(tr("…"));
    browse->setToolTip(tr("Choose the private key file"));
    browse->setAccessibleName(tr("Choose the identity file"));
    identityLayout->addWidget(browse);
    m_identityLabel = new QLabel(tr("&Identity file:"), formBox);
    m_identityLabel->setBuddy(m_identity);
    form->addRow(m_identityLabel, m_identityRow);
    m_dir = new QLineEdit(formBox);
    m_dir->setObjectName(u"autotunerDirLineEdit"_s);
    m_dir->setAccessibleName(tr("Autotuner checkout"));
    m_dir->setPlaceholderText(tr("optional: folder with src/run_autotuner.py"));
    m_dirLabel = new QLabel(tr("A&utotuner checkout:"), formBox);
    m_dirLabel->setBuddy(m_dir);
    form->addRow(m_dirLabel, m_dir);
    m_token = new QLineEdit(formBox);
    m_token->setObjectName(u"tokenLineEdit"_s);
    m_token->setAccessibleName(tr("Bearer token"));
    m_token->setEchoMode(QLineEdit::Password);
    m_tokenLabel = new QLabel(tr("T&oken:"), formBox);
    m_tokenLabel->setBuddy(m_token);
    form->addRow(m_tokenLabel, m_token);
    m_tokenNote = new QLabel(formBox);
    m_tokenNote->setObjectName(u"tokenNoteLabel"_s);
    m_tokenNote->setWordWrap(true);
    form->addRow(QString(), m_tokenNote);
    m_apply = new QPushButton(tr("&Save Host"), formBox);
    m_apply->setObjectName(u"applyHostButton"_s);
    auto* applyRow = new QHBoxLayout;
    applyRow->addStretch(1);
    applyRow->addWidget(m_apply);
    form->addRow(applyRow);
    rightLayout->addWidget(formBox);

    auto* probeBox = new QGroupBox(tr("Probe"), right);
    auto* probeLayout = new QVBoxLayout(probeBox);
    auto* probeButtons = new QHBoxLayout;
    m_probe = new QPushButton(tr("&Probe"), probeBox);
    m_probe->setObjectName(u"probeHostButton"_s);
    m_probe->setToolTip(tr("Ask the host for its GPUs, engine versions, Docker and autotuner checkout"));
    m_cancel = new QPushButton(tr("&Cancel Probe"), probeBox);
    m_cancel->setObjectName(u"cancelProbeButton"_s);
    m_useTarget = new QPushButton(tr("&Use as Target"), probeBox);
    m_useTarget->setObjectName(u"useAsTargetButton"_s);
    m_useTarget->setToolTip(tr("The preview uses this host's GPU and engine version"));
    probeButtons->addWidget(m_probe);
    probeButtons->addWidget(m_cancel);
    probeButtons->addStretch(1);
    probeButtons->addWidget(m_useTarget);
    probeLayout->addLayout(probeButtons);
    auto* statusRow = new QHBoxLayout;
    m_progress = new QProgressBar(probeBox);
    m_progress->setObjectName(u"probeProgressBar"_s);
    m_progress->setRange(0, 0); // busy: a probe has no measurable steps
    m_progress->setMaximumWidth(120);
    m_progress->setTextVisible(false);
    m_progress->hide();
    statusRow->addWidget(m_progress);
    m_status = new QLabel(probeBox);
    m_status->setObjectName(u"probeStatusLabel"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusRow->addWidget(m_status, 1);
    probeLayout->addLayout(statusRow);

    m_keyBox = new QGroupBox(tr("Unknown host key"), probeBox);
    m_keyBox->setObjectName(u"hostKeyGroupBox"_s);
    auto* keyLayout = new QVBoxLayout(m_keyBox);
    m_keyText = new QLabel(m_keyBox);
    m_keyText->setObjectName(u"hostKeyLabel"_s);
    m_keyText->setWordWrap(true);
    m_keyText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    keyLayout->addWidget(m_keyText);
    auto* keyButtons = new QHBoxLayout;
    keyButtons->addStretch(1);
    m_acceptKey = new QPushButton(tr("Accept &Key"), m_keyBox);
    m_acceptKey->setObjectName(u"acceptHostKeyButton"_s);
    m_rejectKey = new QPushButton(tr("&Don't Trust"), m_keyBox);
    m_rejectKey->setObjectName(u"rejectHostKeyButton"_s);
    keyButtons->addWidget(m_acceptKey);
    keyButtons->addWidget(m_rejectKey);
    keyLayout->addLayout(keyButtons);
    m_keyBox->hide();
    probeLayout->addWidget(m_keyBox);

    m_result = new QTreeWidget(probeBox);
    m_result->setObjectName(u"probeResultTreeWidget"_s);
    m_result->setAccessibleName(tr("Probe result"));
    m_result->setColumnCount(2);
    m_result->setHeaderLabels({tr("What"), tr("Found")});
    m_result->setRootIsDecorated(true);
    m_result->setUniformRowHeights(true);
    m_result->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_result->header()->setStretchLastSection(true);
    probeLayout->addWidget(m_result, 1);
    rightLayout->addWidget(probeBox, 1);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    outer->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_list, &QListWidget::currentRowChanged, this, [this] {
        m_adding = false; // picking a host leaves a half-typed new one
        onSelectionChanged();
    });
    connect(m_kind, &QComboBox::currentIndexChanged, this, &HostsDialog::onKindChanged);
    connect(m_add, &QPushButton::clicked, this, &HostsDialog::startNewHost);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const QString name = selectedHost();
        if (name.isEmpty() || m_adding)
            return;
        const auto host = m_store.find(name);
        if (Dialogs::question(this,
                              tr("Remove host"),
                              tr("Remove %1 from the hosts?").arg(name),
                              QMessageBox::Yes | QMessageBox::No,
                              QMessageBox::No) != QMessageBox::Yes)
            return;
        if (host && host->kind == HostSpec::Kind::Rest)
            m_secrets.remove(HostStore::secretKey(*host));
        m_store.remove(name);
    });
    connect(m_apply, &QPushButton::clicked, this, &HostsDialog::applyForm);
    connect(m_probe, &QPushButton::clicked, this, &HostsDialog::probeSelected);
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_prober.cancel(selectedHost()); });
    connect(m_useTarget, &QPushButton::clicked, this, [this] {
        m_store.setTarget(selectedHost());
        updateButtons();
    });
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString file = Dialogs::getOpenFileName(this, tr("SSH identity file"), m_identity->text(), QString());
        if (!file.isEmpty())
            m_identity->setText(file);
    });
    connect(m_acceptKey, &QPushButton::clicked, this, [this] {
        QString error;
        m_keyBox->hide();
        if (!m_prober.acceptHostKey(selectedHost(), &error))
            m_banner->showMessage(tr("Could not store the host key: %1").arg(error), MessageBanner::Type::Error);
        else
            m_banner->showMessage(tr("Host key accepted and stored in QuantDesk's known_hosts."),
                                  MessageBanner::Type::Positive);
        updateButtons();
    });
    connect(m_rejectKey, &QPushButton::clicked, this, [this] {
        m_prober.rejectHostKey(selectedHost());
        m_keyBox->hide();
        m_banner->showMessage(tr("The host key was not trusted; QuantDesk will not connect to %1.").arg(selectedHost()),
                              MessageBanner::Type::Warning);
    });
    connect(&m_store, &HostStore::hostsChanged, this, [this] { reloadList(selectedHost()); });
    connect(&m_store, &HostStore::targetChanged, this, [this] { reloadList(selectedHost()); });
    connect(&m_prober, &HostProber::progress, this, [this](const QString& name, const QString& text) {
        if (name == selectedHost()) {
            m_status->setText(text);
            updateButtons();
        }
    });
    connect(&m_prober, &HostProber::finished, this, &HostsDialog::onProbeFinished);
    connect(&m_prober, &HostProber::hostKeyUnknown, this, &HostsDialog::onHostKeyUnknown);
    connect(&m_secrets, &SecretStore::fellBackToMemory, this, [this](const QString& note) {
        m_banner->showMessage(note, MessageBanner::Type::Warning);
        onKindChanged();
    });
    connect(&m_secrets, &SecretStore::readFinished, this, [this] { onKindChanged(); });

    reloadList(m_store.target().isEmpty() ? QString() : m_store.target());
    if (m_list->currentRow() < 0 && m_list->count() > 0)
        m_list->setCurrentRow(0);
    resize(900, 640);
}

HostsDialog::~HostsDialog() = default;

void HostsDialog::reloadList(const QString& select)
{
    const QSignalBlocker block(m_list);
    m_list->clear();
    const QString target = m_store.target();
    int row = -1;
    const QList<HostSpec> hosts = m_store.hosts();
    for (const HostSpec& h : hosts) {
        const QString name = h.displayName();
        QString text =
            h.kind == HostSpec::Kind::Local ? tr("local (this machine)") : u"%1 — %2"_s.arg(name, kindLabel(h.kind));
        if (name == target)
            text += tr(" · target");
        auto* item = new QListWidgetItem(text, m_list);
        item->setData(Qt::UserRole, name);
        item->setToolTip(h.target());
        if (name == select)
            row = m_list->count() - 1;
    }
    if (!m_adding)
        m_list->setCurrentRow(row >= 0 ? row : 0);
    onSelectionChanged();
}

QString HostsDialog::selectedHost() const
{
    const QListWidgetItem* item = m_list->currentItem();
    return item && !m_adding ? item->data(Qt::UserRole).toString() : QString();
}

bool HostsDialog::selectHost(const QString& name)
{
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(Qt::UserRole).toString() == name) {
            m_adding = false;
            m_list->setCurrentRow(i);
            onSelectionChanged();
            return true;
        }
    }
    return false;
}

void HostsDialog::startNewHost()
{
    m_adding = true;
    {
        const QSignalBlocker block(m_list);
        m_list->clearSelection();
        m_list->setCurrentRow(-1);
    }
    m_kind->setEnabled(true);
    m_kind->setCurrentIndex(KindSsh);
    m_name->clear();
    m_target->clear();
    m_identity->clear();
    m_dir->clear();
    m_token->clear();
    m_apply->setText(tr("&Add Host"));
    m_keyBox->hide();
    m_result->clear();
    m_status->clear();
    onKindChanged();
    m_target->setFocus(Qt::OtherFocusReason);
}

void HostsDialog::onSelectionChanged()
{
    const QString name = selectedHost();
    if (name.isEmpty())
        return;
    m_apply->setText(tr("&Save Host"));
    const auto host = m_store.find(name);
    if (!host)
        return;
    const QSignalBlocker block(m_kind);
    m_kind->setCurrentIndex(host->kind == HostSpec::Kind::Local ? KindLocal
                            : host->kind == HostSpec::Kind::Ssh ? KindSsh
                                                                : KindRest);
    m_kind->setEnabled(host->kind != HostSpec::Kind::Local);
    m_name->setText(host->name);
    m_target->setText(host->kind == HostSpec::Kind::Rest  ? host->baseUrl.toString()
                      : host->kind == HostSpec::Kind::Ssh ? host->target()
                                                          : QString());
    m_identity->setText(host->identityFile);
    m_dir->setText(host->autotunerDir);
    m_token->clear();
    if (host->kind == HostSpec::Kind::Rest && m_store.hasToken(name) && !m_secrets.cached(HostStore::secretKey(*host)))
        m_secrets.read(HostStore::secretKey(*host));
    onKindChanged();
    const QStringList fingerprints = m_prober.pendingFingerprints(name);
    if (fingerprints.isEmpty())
        m_keyBox->hide();
    else
        onHostKeyUnknown(name, fingerprints);
    showResult(name);
}

void HostsDialog::onKindChanged()
{
    const int kind = m_kind->currentIndex();
    const bool ssh = kind == KindSsh;
    const bool rest = kind == KindRest;
    m_name->setEnabled(kind != KindLocal);
    m_targetLabel->setVisible(kind != KindLocal);
    m_target->setVisible(kind != KindLocal);
    m_targetLabel->setText(rest ? tr("&URL:") : tr("&Target:"));
    m_target->setPlaceholderText(rest ? tr("http://gpu-box:8000") : tr("[user@]host[:port]"));
    m_identityLabel->setVisible(ssh);
    m_identityRow->setVisible(ssh);
    m_dirLabel->setVisible(!rest);
    m_dir->setVisible(!rest);
    m_tokenLabel->setVisible(rest);
    m_token->setVisible(rest);
    m_tokenNote->setVisible(rest);
    if (rest) {
        const QString name = selectedHost();
        const auto host = name.isEmpty() ? std::nullopt : m_store.find(name);
        const bool has = host && m_store.hasToken(name);
        const bool known = host && m_secrets.cached(HostStore::secretKey(*host)).has_value();
        m_token->setPlaceholderText(has && known ? tr("stored; type a new one to replace it") : tr("optional"));
        QString note = m_secrets.isPersistent() ? tr("Tokens are stored in the system keychain, never in the "
                                                     "settings file.")
                                                : m_secrets.note();
        if (has && !known && !m_secrets.isPersistent())
            note = tr("This host has a token, but it is not known this session: enter it again. ") + note;
        m_tokenNote->setText(note);
    }
    updateButtons();
}

void HostsDialog::updateButtons()
{
    const QString name = selectedHost();
    const bool running = !name.isEmpty() && m_prober.isRunning(name);
    m_remove->setEnabled(!m_adding && !name.isEmpty() && m_list->currentRow() > 0);
    m_probe->setEnabled(!name.isEmpty() && !running);
    m_cancel->setEnabled(running);
    m_progress->setVisible(running);
    m_useTarget->setEnabled(!name.isEmpty() && m_store.target() != name);
}

bool HostsDialog::readForm(HostSpec* host, QString* error) const
{
    HostSpec h;
    const QString target = m_target->text().trimmed();
    switch (m_kind->currentIndex()) {
    case KindLocal:
        h.autotunerDir = m_dir->text().trimmed();
        *host = h;
        return true;
    case KindSsh:
        if (!parseSshTarget(target, &h, error))
            return false;
        h.identityFile = m_identity->text().trimmed();
        h.autotunerDir = m_dir->text().trimmed();
        break;
    default:
        h.kind = HostSpec::Kind::Rest;
        if (!parseRestUrl(target, &h.baseUrl, error))
            return false;
        if (!h.baseUrl.userInfo().isEmpty()) {
            *error = tr("Put the token in the token field, not in the URL.");
            return false;
        }
        break;
    }
    h.name = m_name->text().trimmed();
    if (!m_adding) {
        // Keep what the form does not show (an ssh config file set up elsewhere).
        if (const auto old = m_store.find(selectedHost()); old && old->kind == h.kind)
            h.sshConfigFile = old->sshConfigFile;
    }
    *host = h;
    return true;
}

bool HostsDialog::applyForm()
{
    HostSpec host;
    QString error;
    if (!readForm(&host, &error)) {
        m_banner->showMessage(error, MessageBanner::Type::Error);
        return false;
    }
    const QString token = m_token->text();
    const QString oldName = selectedHost();
    const auto old = m_adding ? std::nullopt : m_store.find(oldName);
    const bool keepsToken =
        old && old->kind == HostSpec::Kind::Rest && old->baseUrl == host.baseUrl && m_store.hasToken(oldName);
    const bool hasToken = host.kind == HostSpec::Kind::Rest && (!token.isEmpty() || keepsToken);
    const bool ok = m_adding ? m_store.add(host, hasToken, &error) : m_store.update(oldName, host, hasToken, &error);
    if (!ok) {
        m_banner->showMessage(error, MessageBanner::Type::Error);
        return false;
    }
    if (old && old->kind == HostSpec::Kind::Rest && old->baseUrl != host.baseUrl)
        m_secrets.remove(HostStore::secretKey(*old));
    if (host.kind == HostSpec::Kind::Rest && !token.isEmpty())
        m_secrets.write(HostStore::secretKey(host), token);
    m_token->clear();
    m_adding = false;
    m_banner->hideMessage();
    reloadList(host.displayName());
    selectHost(host.displayName());
    return true;
}

bool HostsDialog::tokenMissing(const HostStore& store, const SecretStore& secrets, const QString& name)
{
    const auto host = store.find(name);
    return host && host->kind == HostSpec::Kind::Rest && store.hasToken(name) && !secrets.isPersistent() &&
           !secrets.cached(HostStore::secretKey(*host));
}

void HostsDialog::askForToken(const QString& name)
{
    if (!selectHost(name))
        return;
    m_banner->showMessage(tr("The token of %1 is not known this session (tokens are kept in memory only): type it "
                             "in the Token field and save the host, then probe.")
                              .arg(name),
                          MessageBanner::Type::Warning);
    m_token->setFocus(Qt::OtherFocusReason);
}

void HostsDialog::probeSelected()
{
    const QString name = selectedHost();
    const auto host = m_store.find(name);
    if (!host)
        return;
    if (tokenMissing(m_store, m_secrets, name)) {
        askForToken(name);
        return;
    }
    m_keyBox->hide();
    m_result->clear();
    m_banner->hideMessage();
    m_prober.probe(*host);
    updateButtons();
}

void HostsDialog::onProbeFinished(const QString& name, const ProbeResult&)
{
    if (name != selectedHost())
        return;
    showResult(name);
}

void HostsDialog::onHostKeyUnknown(const QString& name, const QStringList& fingerprints)
{
    if (name != selectedHost())
        return;
    const auto host = m_store.find(name);
    m_keyText->setText(tr("%1 offered a host key QuantDesk has not seen before:\n\n%2\n\nAccept it only if the "
                          "fingerprint matches the one the host's administrator gives you (ssh-keygen -lf on the "
                          "host). Accepted keys go to QuantDesk's own known_hosts.")
                           .arg(host ? host->target() : name, fingerprints.join(u'\n')));
    m_keyBox->show();
}

void HostsDialog::showResult(const QString& name)
{
    m_result->clear();
    updateButtons();
    if (m_prober.isRunning(name))
        return;
    const auto r = m_prober.result(name);
    if (!r) {
        m_status->setText(tr("Not probed yet."));
        return;
    }
    if (!r->reachable) {
        // A changed host key is a security warning: it goes in the banner, where it cannot be missed.
        if (m_prober.lastFailure(name) == SshFailure::HostKeyChanged) {
            m_banner->showMessage(r->error, MessageBanner::Type::Error);
            m_status->setText(tr("Refused: the host key has changed (see the warning above)."));
        } else {
            m_status->setText(r->error);
        }
        return;
    }
    m_status->setText(r->gpus.isEmpty() ? tr("Reachable, but no GPUs found.")
                                        : tr("Reachable: %n GPU(s).", nullptr, static_cast<int>(r->gpus.size())));
    auto* gpus = addRow(m_result, tr("GPUs"), r->gpus.isEmpty() ? r->gpuError : QString::number(r->gpus.size()));
    for (const GpuInfo& g : r->gpus) {
        auto* item = addRow(m_result, tr("GPU %1").arg(g.index), g.name, gpus);
        if (g.memoryTotalMiB >= 0)
            addRow(m_result, tr("Memory"), tr("%1 MiB").arg(g.memoryTotalMiB), item);
        if (g.hasComputeCapability())
            addRow(m_result,
                   tr("Compute capability"),
                   g.ccString() + (g.ccDerived ? tr(" (looked up from the name)") : QString()),
                   item);
        item->setExpanded(true);
    }
    gpus->setExpanded(true);
    addRow(m_result, tr("Driver"), r->driverVersion.isEmpty() ? tr("unknown") : r->driverVersion);
    addRow(m_result, tr("CUDA"), r->cudaVersion.isEmpty() ? tr("unknown") : r->cudaVersion);
    auto* engines = addRow(m_result, tr("Engines"), r->engines.isEmpty() ? tr("none found") : QString());
    for (auto it = r->engines.constBegin(); it != r->engines.constEnd(); ++it) {
        QString note;
        static_cast<void>(ProfileRegistry::builtIn().select(it.key(), it.value(), &note));
        addRow(m_result,
               ProfileRegistry::engineDisplayName(it.key()),
               note.isEmpty() ? it.value() : u"%1 — %2"_s.arg(it.value(), note),
               engines);
    }
    engines->setExpanded(true);
    addRow(m_result,
           tr("Docker"),
           r->dockerAvailable ? (r->dockerVersion.isEmpty() ? tr("available") : r->dockerVersion)
                              : tr("not available"));
    QString autotuner;
    if (!r->autotunerVersion.isEmpty())
        autotuner = tr("API %1").arg(r->autotunerVersion);
    else if (r->autotunerDir.isEmpty())
        autotuner = tr("no checkout configured");
    else if (!r->autotunerFound)
        autotuner = tr("not found in %1").arg(r->autotunerDir);
    else
        autotuner = r->autotunerVenv ? tr("%1 (with env/ venv)").arg(r->autotunerDir)
                                     : tr("%1 (no env/ venv)").arg(r->autotunerDir);
    addRow(m_result, tr("Autotuner"), autotuner);
    if (!r->runtimes.isEmpty())
        addRow(m_result, tr("Runtimes"), r->runtimes.join(u", "_s));
    if (!r->notes.isEmpty()) {
        auto* notes = addRow(m_result, tr("Notes"), QString::number(r->notes.size()));
        for (const QString& n : r->notes)
            addRow(m_result, QString(), n, notes);
        notes->setExpanded(true);
    }
}

} // namespace QuantDesk

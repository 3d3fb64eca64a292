#include "ui/jobs/SubmitDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "ui/Dialogs.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

SubmitDialog::SubmitDialog(const QList<HostSpec>& hosts, const ExportResult& exported, QWidget* parent)
    : QDialog(parent), m_hosts(hosts), m_exported(exported)
{
    setObjectName(u"submitDialog"_s);
    setWindowTitle(tr("Submit to Host"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_hostCombo = new QComboBox(this);
    m_hostCombo->setObjectName(u"hostComboBox"_s);
    m_hostCombo->setAccessibleName(tr("Host"));
    for (const HostSpec& h : m_hosts) {
        const QString kind = h.kind == HostSpec::Kind::Local ? tr("local")
                             : h.kind == HostSpec::Kind::Ssh ? tr("SSH")
                                                             : tr("REST");
        const QString name = h.displayName();
        m_hostCombo->addItem(name.compare(kind, Qt::CaseInsensitive) == 0 && h.kind == HostSpec::Kind::Local
                                 ? tr("This computer (local)")
                                 : u"%1 (%2)"_s.arg(name, kind));
        m_hostCombo->setItemData(m_hostCombo->count() - 1, h.target(), Qt::ToolTipRole);
    }
    form->addRow(tr("&Host:"), m_hostCombo);
    auto* dirRow = new QHBoxLayout;
    m_dir = new QLineEdit(this);
    m_dir->setObjectName(u"autotunerDirLineEdit"_s);
    m_dir->setAccessibleName(tr("Autotuner checkout folder"));
    m_dir->setPlaceholderText(tr("the inference-autotuner checkout (holds src/run_autotuner.py)"));
    dirRow->addWidget(m_dir, 1);
    m_browse = new QToolButton(this);
    m_browse->setObjectName(u"browseAutotunerDirToolButton"_s);
    m_browse->setText(tr("…"));
    m_browse->setToolTip(tr("Choose the checkout folder on this computer"));
    dirRow->addWidget(m_browse);
    m_dirLabel = new QLabel(tr("Autotuner &checkout:"), this);
    m_dirLabel->setBuddy(m_dir);
    form->addRow(m_dirLabel, dirRow);
    layout->addLayout(form);

    auto* tasksLabel = new QLabel(this);
    tasksLabel->setObjectName(u"tasksSummaryLabel"_s);
    const qsizetype n = m_exported.tasks.size();
    QString summary = n == 1 ? tr("1 task will be submitted (one per exported config)")
                             : tr("%1 tasks will be submitted (one per exported config)").arg(n);
    if (const qsizetype r = m_exported.refused.size(); r > 0)
        summary +=
            u"; "_s + (r == 1 ? tr("1 config refused by the export") : tr("%1 configs refused by the export").arg(r));
    tasksLabel->setText(summary);
    layout->addWidget(tasksLabel);
    m_tasks = new QTreeWidget(this);
    m_tasks->setObjectName(u"tasksTreeWidget"_s);
    m_tasks->setAccessibleName(tr("Tasks to submit"));
    m_tasks->setColumnCount(2);
    m_tasks->setHeaderLabels({tr("Task"), tr("Config / reason")});
    m_tasks->setRootIsDecorated(false);
    m_tasks->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tasks->header()->setStretchLastSection(true);
    for (const ExportedTask& t : m_exported.tasks) {
        auto* item = new QTreeWidgetItem(m_tasks, {t.taskName, t.label});
        item->setIcon(0, style()->standardIcon(QStyle::SP_DialogApplyButton));
        item->setToolTip(1, t.command.argv().join(u' '));
    }
    for (const ExportRefusal& r : m_exported.refused) {
        auto* item = new QTreeWidgetItem(
            m_tasks,
            {tr("%1 — not submitted").arg(r.label), r.pointer.isEmpty() ? r.reason : r.pointer + u": "_s + r.reason});
        item->setIcon(0, style()->standardIcon(QStyle::SP_MessageBoxWarning));
        item->setForeground(0, palette().brush(QPalette::Disabled, QPalette::Text));
        item->setToolTip(1, r.reason);
        item->setFlags(Qt::ItemIsEnabled);
    }
    layout->addWidget(m_tasks, 1);
    m_problem = new QLabel(this);
    m_problem->setObjectName(u"submitProblemLabel"_s);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(u"color: palette(highlight);"_s);
    layout->addWidget(m_problem);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(u"submitButtonBox"_s);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Submit"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(u"submitPushButton"_s);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (canSubmit())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_hostCombo, &QComboBox::currentIndexChanged, this, &SubmitDialog::onHostChanged);
    connect(m_dir, &QLineEdit::textChanged, this, &SubmitDialog::updateState);
    connect(m_browse, &QToolButton::clicked, this, [this] {
        const QString dir = Dialogs::getExistingDirectory(this, tr("Autotuner Checkout"), m_dir->text());
        if (!dir.isEmpty())
            m_dir->setText(dir);
    });
    resize(720, 420);
    onHostChanged();
}

SubmitDialog::~SubmitDialog() = default;

void SubmitDialog::onHostChanged()
{
    const int i = m_hostCombo->currentIndex();
    const HostSpec h = i >= 0 && i < m_hosts.size() ? m_hosts.at(i) : HostSpec{};
    const bool shell = h.kind != HostSpec::Kind::Rest;
    m_dirLabel->setVisible(shell);
    m_dir->setVisible(shell);
    m_browse->setVisible(shell && h.kind == HostSpec::Kind::Local);
    m_dir->setText(h.autotunerDir);
    updateState();
}

HostSpec SubmitDialog::host() const
{
    const int i = m_hostCombo->currentIndex();
    HostSpec h = i >= 0 && i < m_hosts.size() ? m_hosts.at(i) : HostSpec{};
    if (h.kind != HostSpec::Kind::Rest) {
        QString dir = m_dir->text().trimmed();
        if (h.kind == HostSpec::Kind::Local && !dir.isEmpty())
            dir = QFileInfo(QDir::fromNativeSeparators(dir)).absoluteFilePath();
        h.autotunerDir = dir;
    }
    return h;
}

QList<QPair<QString, QByteArray>> SubmitDialog::tasks() const
{
    QList<QPair<QString, QByteArray>> out;
    for (const ExportedTask& t : m_exported.tasks)
        out << qMakePair(t.taskName, t.document.toJson());
    return out;
}

bool SubmitDialog::canSubmit() const
{
    if (m_exported.tasks.isEmpty() || m_hosts.isEmpty())
        return false;
    const HostSpec h = host();
    if (h.kind == HostSpec::Kind::Rest)
        return true;
    if (h.autotunerDir.isEmpty())
        return false;
    if (h.kind == HostSpec::Kind::Local)
        return QFileInfo::exists(h.autotunerDir + u"/src/run_autotuner.py"_s);
    return true;
}

void SubmitDialog::updateState()
{
    const HostSpec h = host();
    QString problem;
    if (m_exported.tasks.isEmpty())
        problem = tr("Nothing can be submitted: the export refused every config (see the reasons above).");
    else if (m_hosts.isEmpty())
        problem = tr("No host to submit to.");
    else if (h.kind != HostSpec::Kind::Rest && h.autotunerDir.isEmpty())
        problem = tr("Enter the folder of the inference-autotuner checkout on the host.");
    else if (h.kind == HostSpec::Kind::Local && !QFileInfo::exists(h.autotunerDir + u"/src/run_autotuner.py"_s))
        problem = tr("%1 has no src/run_autotuner.py: not an inference-autotuner checkout.").arg(h.autotunerDir);
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(canSubmit());
}

} // namespace QuantDesk

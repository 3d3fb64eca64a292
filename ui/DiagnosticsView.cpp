#include "ui/DiagnosticsView.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/DiagnosticsModel.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

DiagnosticsView::DiagnosticsView(QWidget* parent) : QWidget(parent)
{
    setObjectName(u"diagnosticsView"_s);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(4);
    auto* top = new QHBoxLayout;
    m_header = new QLabel(this);
    m_header->setObjectName(u"diagnosticsHeaderLabel"_s);
    top->addWidget(m_header, 1);
    m_apply = new QPushButton(tr("Apply fi&x"), this);
    m_apply->setObjectName(u"applyFixPushButton"_s);
    m_apply->setToolTip(tr("Apply the selected diagnostic's suggested fix (Ctrl+Shift+X); undo reverts it"));
    m_apply->setEnabled(false);
    top->addWidget(m_apply);
    layout->addLayout(top);

    m_model = new DiagnosticsModel(this);
    m_list = new QListView(this);
    m_list->setObjectName(u"diagnosticsListView"_s);
    m_list->setAccessibleName(tr("Diagnostics"));
    m_list->setModel(m_model);
    m_list->setWordWrap(true);
    m_list->setUniformItemSizes(false);
    m_list->setAlternatingRowColors(true);
    m_list->setSpacing(1);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(m_list, 1);
    m_header->setBuddy(m_list);

    auto activate = [this](const QModelIndex& index) {
        if (index.isValid())
            emit fieldActivated(index.data(DiagnosticsModel::FieldRole).toString());
    };
    connect(m_list, &QListView::clicked, this, activate);
    connect(m_list, &QListView::activated, this, activate);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &DiagnosticsView::updateButton);
    connect(m_model, &QAbstractItemModel::modelReset, this, &DiagnosticsView::updateButton);
    connect(m_apply, &QPushButton::clicked, this, &DiagnosticsView::applySelectedFix);
    setDiagnostics(QString(), {});
}

DiagnosticsView::~DiagnosticsView() = default;

void DiagnosticsView::setDiagnostics(const QString& engineName, const QList<Diagnostic>& diagnostics)
{
    const QString previousId = m_list->currentIndex().data(DiagnosticsModel::IdRole).toString();
    m_model->setDiagnostics(engineName, diagnostics);
    int errors = 0;
    int warnings = 0;
    for (const Diagnostic& d : diagnostics) {
        errors += d.severity == Severity::Error ? 1 : 0;
        warnings += d.severity == Severity::Warning ? 1 : 0;
    }
    const int infos = static_cast<int>(diagnostics.size()) - errors - warnings;
    const QString counts = diagnostics.isEmpty()
                               ? tr("no diagnostics")
                               : tr("%n error(s)", nullptr, errors) + u", "_s + tr("%n warning(s)", nullptr, warnings) +
                                     u", "_s + tr("%n note(s)", nullptr, infos);
    m_header->setText(engineName.isEmpty() ? tr("&Diagnostics") : tr("&Diagnostics — %1: %2").arg(engineName, counts));
    // Keep the selection on the same diagnostic across refreshes.
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (!previousId.isEmpty() && m_model->index(row).data(DiagnosticsModel::IdRole).toString() == previousId) {
            m_list->setCurrentIndex(m_model->index(row));
            break;
        }
    }
    updateButton();
}

std::optional<Diagnostic> DiagnosticsView::selectedFixable() const
{
    const QModelIndex i = m_list->currentIndex();
    if (!i.isValid() || !i.data(DiagnosticsModel::HasActionRole).toBool())
        return std::nullopt;
    return m_model->diagnosticAt(i.row());
}

void DiagnosticsView::applySelectedFix()
{
    if (const auto d = selectedFixable())
        emit fixRequested(*d);
}

void DiagnosticsView::updateButton()
{
    const bool available = selectedFixable().has_value();
    if (available == m_apply->isEnabled())
        return;
    m_apply->setEnabled(available);
    emit fixAvailableChanged(available);
}

} // namespace QuantDesk

#include "ui/ComparisonPane.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/ComparisonModel.h"
#include "ui/PresetListModel.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

ComparisonPane::ComparisonPane(PresetListModel* presets, QWidget* parent) : QWidget(parent), m_presets(presets)
{
    setObjectName(u"comparisonPane"_s);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    auto* label = new QLabel(tr("&Compare (one exported task each):"), this);
    label->setWordWrap(true);
    layout->addWidget(label);
    m_model = new ComparisonModel(this);
    m_list = new QListView(this);
    m_list->setObjectName(u"comparisonListView"_s);
    m_list->setAccessibleName(tr("Configs to compare"));
    m_list->setModel(m_model);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    label->setBuddy(m_list);
    layout->addWidget(m_list, 1);

    auto* buttons = new QHBoxLayout;
    m_addCurrent = new QPushButton(tr("Add current"), this);
    m_addCurrent->setObjectName(u"addCurrentPushButton"_s);
    m_addCurrent->setToolTip(tr("Add the editor's config to the comparison (Ctrl+Shift+A)"));
    m_addPreset = new QToolButton(this);
    m_addPreset->setObjectName(u"addPresetToolButton"_s);
    m_addPreset->setText(tr("Add preset"));
    m_addPreset->setPopupMode(QToolButton::InstantPopup);
    m_addPreset->setAccessibleName(tr("Add a preset to the comparison"));
    m_addPreset->setMenu(new QMenu(m_addPreset));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setObjectName(u"removeComparisonPushButton"_s);
    m_remove->setToolTip(tr("Remove the selected entries (Delete)"));
    buttons->addWidget(m_addCurrent);
    buttons->addWidget(m_addPreset);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    connect(m_addCurrent, &QPushButton::clicked, this, &ComparisonPane::addCurrentRequested);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const QList<int> rows = selectedRows();
        if (!rows.isEmpty())
            emit removeRequested(rows);
    });
    connect(
        m_list, &QListView::activated, this, [this](const QModelIndex& index) { emit choiceActivated(index.row()); });
    connect(m_addPreset->menu(), &QMenu::aboutToShow, this, &ComparisonPane::rebuildPresetMenu);
    rebuildPresetMenu();
}

ComparisonPane::~ComparisonPane() = default;

void ComparisonPane::setChoices(const QList<QuantChoice>& choices)
{
    m_model->setChoices(choices);
    m_remove->setEnabled(!choices.isEmpty());
}

QList<int> ComparisonPane::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex& i : m_list->selectionModel()->selectedIndexes())
        rows << i.row();
    if (rows.isEmpty() && m_list->currentIndex().isValid())
        rows << m_list->currentIndex().row();
    std::sort(rows.begin(), rows.end());
    return rows;
}

void ComparisonPane::rebuildPresetMenu()
{
    QMenu* menu = m_addPreset->menu();
    menu->clear();
    for (int row = 0; row < m_presets->rowCount(); ++row) {
        const QString name = m_presets->index(row).data(PresetListModel::NameRole).toString();
        if (name.isEmpty())
            continue;
        QAction* a = menu->addAction(name);
        a->setToolTip(m_presets->index(row).data(PresetListModel::SummaryRole).toString());
        connect(a, &QAction::triggered, this, [this, name] { emit addPresetRequested(name); });
    }
}

} // namespace QuantDesk

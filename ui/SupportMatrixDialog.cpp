#include "ui/SupportMatrixDialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

#include "ui/SupportMatrixModel.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

SupportMatrixDialog::SupportMatrixDialog(const QList<const EngineProfile*>& profiles, QWidget* parent) : QDialog(parent)
{
    setObjectName(u"supportMatrixDialog"_s);
    setWindowTitle(tr("Support matrix"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("What the autotuner's seed claimed for each engine beside what the chosen versions "
                                "really do. <b>Bold</b> cells marked ≠ differ from the seed; hover for what changed "
                                "and why."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_model = new SupportMatrixModel(this);
    m_model->setProfiles(profiles);
    m_view = new QTableView(this);
    m_view->setObjectName(u"supportMatrixTableView"_s);
    m_view->setAccessibleName(tr("Support matrix"));
    m_view->setModel(m_model);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(m_view, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(980, 640);
}

SupportMatrixDialog::~SupportMatrixDialog() = default;

} // namespace QuantDesk

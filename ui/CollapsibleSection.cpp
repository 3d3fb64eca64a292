#include "ui/CollapsibleSection.h"

#include <QToolButton>
#include <QVBoxLayout>

namespace QuantDesk
{

CollapsibleSection::CollapsibleSection(const QString& title, QWidget* content, QWidget* parent)
    : QWidget(parent), m_content(content)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_header = new QToolButton(this);
    m_header->setText(title);
    m_header->setCheckable(true);
    m_header->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_header->setAutoRaise(true);
    m_header->setArrowType(Qt::RightArrow);
    m_header->setAccessibleName(title);
    QFont bold = m_header->font();
    bold.setBold(true);
    m_header->setFont(bold);
    layout->addWidget(m_header);
    content->setParent(this);
    layout->addWidget(content);
    content->setVisible(false);
    connect(m_header, &QToolButton::toggled, this, [this](bool on) {
        m_header->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
        m_content->setVisible(on);
        emit expandedChanged(on);
    });
}

CollapsibleSection::~CollapsibleSection() = default;

void CollapsibleSection::setExpanded(bool expanded)
{
    m_header->setChecked(expanded);
}

bool CollapsibleSection::isExpanded() const
{
    return m_header->isChecked();
}

} // namespace QuantDesk

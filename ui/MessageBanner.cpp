#include "ui/MessageBanner.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

#include "ui/SupportBadge.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

MessageBanner::MessageBanner(QWidget* parent) : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 6, 6);
    m_icon = new QLabel(this);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    m_label = new QLabel(this);
    m_label->setObjectName(u"messageLabel"_s);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    layout->addWidget(m_label, 1);
    m_close = new QToolButton(this);
    m_close->setObjectName(u"closeMessageToolButton"_s);
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss message"));
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &MessageBanner::hideMessage);
    hide();
}

MessageBanner::~MessageBanner() = default;

void MessageBanner::showMessage(const QString& text, Type type)
{
    m_type = type;
    m_label->setText(text);
    const QStyle::StandardPixmap icon = type == Type::Error      ? QStyle::SP_MessageBoxCritical
                                        : type == Type::Warning  ? QStyle::SP_MessageBoxWarning
                                        : type == Type::Positive ? QStyle::SP_DialogApplyButton
                                                                 : QStyle::SP_MessageBoxInformation;
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
    setAccessibleName(type == Type::Error ? tr("Error: %1").arg(text) : text);
    applyColors();
    show();
}

void MessageBanner::hideMessage()
{
    hide();
}

QString MessageBanner::text() const
{
    return m_label->text();
}

void MessageBanner::changeEvent(QEvent* event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_updatingPalette)
        applyColors();
}

void MessageBanner::applyColors()
{
    // A tint of the window colour towards the message colour: readable with the palette's own text colour in
    // light and dark themes.
    const QPalette base = parentWidget() ? parentWidget()->palette() : QPalette();
    // The support levels' colours, so "error" looks the same everywhere.
    const SupportLevel level = m_type == Type::Error      ? SupportLevel::Unsupported
                               : m_type == Type::Warning  ? SupportLevel::Checkpoint
                               : m_type == Type::Positive ? SupportLevel::Native
                                                          : SupportLevel::Translated;
    const QColor accent = supportLevelColor(level, base);
    const QColor window = base.color(QPalette::Window);
    const float t = 0.18f;
    const QColor fill = QColor::fromRgbF(window.redF() * (1 - t) + accent.redF() * t,
                                         window.greenF() * (1 - t) + accent.greenF() * t,
                                         window.blueF() * (1 - t) + accent.blueF() * t);
    QPalette p = base;
    p.setColor(QPalette::Window, fill);
    p.setColor(QPalette::WindowText, base.color(QPalette::WindowText));
    p.setColor(QPalette::Light, accent);
    p.setColor(QPalette::Dark, accent);
    p.setColor(QPalette::Mid, accent);
    m_updatingPalette = true;
    setPalette(p);
    m_updatingPalette = false;
}

} // namespace QuantDesk

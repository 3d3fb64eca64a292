#include "ui/SupportBadge.h"

#include <QEvent>
#include <QIcon>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

#include "core/engines/Mapper.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QString escaped(const QString& s)
{
    return s.toHtmlEscaped();
}

} // namespace

QString supportLevelText(SupportLevel level)
{
    switch (level) {
    case SupportLevel::Native:
        return QObject::tr("native");
    case SupportLevel::Translated:
        return QObject::tr("translated");
    case SupportLevel::Checkpoint:
        return QObject::tr("needs checkpoint");
    case SupportLevel::Implicit:
        return QObject::tr("implicit");
    case SupportLevel::Unsupported:
        return QObject::tr("unsupported");
    }
    return {};
}

QColor supportLevelColor(SupportLevel level, const QPalette& palette)
{
    // Two tones per level: dark tones for light palettes (≥ 4.5:1 on white), light tones for dark ones.
    const bool dark = isDark(palette);
    switch (level) {
    case SupportLevel::Native:
        return dark ? QColor(0x6c, 0xd6, 0x84) : QColor(0x1a, 0x7f, 0x37);
    case SupportLevel::Translated:
        return dark ? QColor(0x79, 0xb8, 0xff) : QColor(0x09, 0x5f, 0xc8);
    case SupportLevel::Checkpoint:
        return dark ? QColor(0xf2, 0xc0, 0x4a) : QColor(0x8a, 0x5a, 0x00);
    case SupportLevel::Implicit:
        return dark ? QColor(0xb1, 0xba, 0xc4) : QColor(0x57, 0x60, 0x6a);
    case SupportLevel::Unsupported:
        return dark ? QColor(0xff, 0x85, 0x7a) : QColor(0xc4, 0x1d, 0x29);
    }
    return palette.color(QPalette::WindowText);
}

void paintSupportGlyph(QPainter* painter, const QRectF& rect, SupportLevel level, const QColor& color)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const qreal s = std::min(rect.width(), rect.height());
    const QRectF r(rect.center().x() - s / 2, rect.center().y() - s / 2, s, s);
    auto at = [&](qreal x, qreal y) { return QPointF(r.left() + x * s, r.top() + y * s); };
    QPen pen(color, std::max<qreal>(1.5, s * 0.14), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    QPainterPath path;
    switch (level) {
    case SupportLevel::Native: // ✓
        path.moveTo(at(0.15, 0.55));
        path.lineTo(at(0.42, 0.80));
        path.lineTo(at(0.88, 0.22));
        break;
    case SupportLevel::Translated: // ⇄
        path.moveTo(at(0.12, 0.32));
        path.lineTo(at(0.85, 0.32));
        path.moveTo(at(0.65, 0.14));
        path.lineTo(at(0.86, 0.32));
        path.lineTo(at(0.65, 0.50));
        path.moveTo(at(0.88, 0.70));
        path.lineTo(at(0.15, 0.70));
        path.moveTo(at(0.35, 0.52));
        path.lineTo(at(0.14, 0.70));
        path.lineTo(at(0.35, 0.88));
        break;
    case SupportLevel::Checkpoint: // ⬇ onto a bar
        path.moveTo(at(0.5, 0.10));
        path.lineTo(at(0.5, 0.66));
        path.moveTo(at(0.24, 0.42));
        path.lineTo(at(0.5, 0.68));
        path.lineTo(at(0.76, 0.42));
        path.moveTo(at(0.16, 0.90));
        path.lineTo(at(0.84, 0.90));
        break;
    case SupportLevel::Implicit: // ↪
        path.moveTo(at(0.30, 0.18));
        path.cubicTo(at(0.02, 0.18), at(0.02, 0.66), at(0.30, 0.66));
        path.lineTo(at(0.86, 0.66));
        path.moveTo(at(0.66, 0.46));
        path.lineTo(at(0.87, 0.66));
        path.lineTo(at(0.66, 0.86));
        break;
    case SupportLevel::Unsupported: // ✕
        path.moveTo(at(0.2, 0.2));
        path.lineTo(at(0.8, 0.8));
        path.moveTo(at(0.8, 0.2));
        path.lineTo(at(0.2, 0.8));
        break;
    }
    painter->drawPath(path);
    painter->restore();
}

QIcon supportLevelIcon(SupportLevel level, const QPalette& palette)
{
    QIcon icon;
    for (const int size : {16, 32, 64}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        paintSupportGlyph(&p, QRectF(1, 1, size - 2, size - 2), level, supportLevelColor(level, palette));
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

bool seedAgrees(const SeedClaim& claim, SupportLevel level)
{
    const bool works =
        level == SupportLevel::Native || level == SupportLevel::Translated || level == SupportLevel::Implicit;
    if (claim.claim == u"supported")
        return works;
    if (claim.claim == u"unsupported")
        return level == SupportLevel::Unsupported;
    if (claim.claim == u"limited")
        return level != SupportLevel::Unsupported;
    return false; // "unlisted": the seed said nothing
}

QString
supportToolTip(const EngineProfile& profile, QuantField field, const QString& value, const FieldSupport& contextual)
{
    const FieldSupport general = fieldSupport(profile, field, value);
    const QString engine = profile.displayName();
    QString html = u"<p><b>%1 %2</b> — %3=%4: <b>%5</b></p>"_s.arg(escaped(engine),
                                                                   escaped(profile.version()),
                                                                   escaped(fieldKey(field)),
                                                                   escaped(value),
                                                                   escaped(supportLevelText(contextual.level)));
    const QString what = contextual.note.isEmpty() ? general.note : contextual.note;
    if (!what.isEmpty())
        html += u"<p>What %1 will do: %2</p>"_s.arg(escaped(engine), escaped(what));
    if (general.level != contextual.level || (!contextual.note.isEmpty() && general.note != contextual.note)) {
        html += u"<p>In general (without this model, GPU and the other fields): <b>%1</b>%2</p>"_s.arg(
            escaped(supportLevelText(general.level)),
            general.note.isEmpty() ? QString() : u" — "_s + escaped(general.note));
    }
    const SeedClaim seed = profile.seedClaim(field);
    if (value != u"auto" && !seed.claim.isEmpty() && !seedAgrees(seed, contextual.level)) {
        html +=
            u"<p><i>Changed from the seed's matrix:</i> the seed lists %1 as <b>%2</b> on %3%4. The truth for "
            "%5 is <b>%6</b>%7.</p>"_s.arg(escaped(fieldLabel(field)),
                                           escaped(seed.claim),
                                           escaped(engine),
                                           seed.note.isEmpty() ? QString() : u" (“"_s + escaped(seed.note) + u"”)"_s,
                                           escaped(engine + u' ' + profile.version()),
                                           escaped(supportLevelText(general.level)),
                                           general.note.isEmpty() ? QString() : u": "_s + escaped(general.note));
    }
    return html;
}

SupportBadge::SupportBadge(const QString& engineName, QWidget* parent) : QWidget(parent), m_engineName(engineName)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setFocusPolicy(Qt::TabFocus); // keyboard users can reach the tooltip's content through the accessible text
    setSupport(SupportLevel::Native, {});
}

SupportBadge::~SupportBadge() = default;

void SupportBadge::setSupport(SupportLevel level, const QString& toolTip)
{
    m_level = level;
    setToolTip(toolTip);
    setAccessibleName(u"%1: %2"_s.arg(m_engineName, supportLevelText(level)));
    setAccessibleDescription(toolTip);
    updateGeometry();
    update();
}

QSize SupportBadge::sizeHint() const
{
    const QFontMetrics fm(font());
    const int h = fm.height() + 6;
    return {fm.horizontalAdvance(supportLevelText(m_level)) + h + 10, h};
}

QSize SupportBadge::minimumSizeHint() const
{
    const QFontMetrics fm(font());
    // Wide enough for the longest word, so badges do not change the layout when a level changes.
    return {fm.horizontalAdvance(supportLevelText(SupportLevel::Checkpoint)) + fm.height() + 16, fm.height() + 6};
}

void SupportBadge::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor accent = supportLevelColor(m_level, palette());
    QColor fill = palette().color(QPalette::Base);
    fill = QColor::fromRgbF(fill.redF() * 0.86f + accent.redF() * 0.14f,
                            fill.greenF() * 0.86f + accent.greenF() * 0.14f,
                            fill.blueF() * 0.86f + accent.blueF() * 0.14f);
    const QFontMetrics fm(font());
    const int h = fm.height() + 6;
    const QRectF box(0.5, 0.5, std::min(width(), sizeHint().width()) - 1.0, h - 1.0);
    p.setPen(QPen(accent, hasFocus() ? 2.0 : 1.0));
    p.setBrush(fill);
    p.drawRoundedRect(box, h / 2.0, h / 2.0);
    const qreal glyph = fm.height() * 0.8;
    paintSupportGlyph(&p, QRectF(h / 2.0 - 2, (h - glyph) / 2.0, glyph, glyph), m_level, accent);
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRectF(h / 2.0 + glyph, 0, box.width() - h / 2.0 - glyph, h),
               Qt::AlignVCenter | Qt::AlignLeft,
               supportLevelText(m_level));
}

void SupportBadge::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        updateGeometry();
    QWidget::changeEvent(event);
}

} // namespace QuantDesk

#pragma once

#include <QColor>
#include <QWidget>

#include "core/engines/EngineCommand.h"
#include "core/engines/EngineProfile.h"

class QPalette;

namespace QuantDesk
{

// How a support level looks everywhere in the UI: an icon shape, a word and a colour, never the colour alone.
[[nodiscard]] QString supportLevelText(SupportLevel level); // "native", "translated", "needs checkpoint", …
// A colour that keeps contrast against the palette's window and base colours (light and dark).
[[nodiscard]] QColor supportLevelColor(SupportLevel level, const QPalette& palette);
// Paints the level's glyph (✓ ⇄ ⬇ ↪ ✕ as vector shapes, so no font is needed) into rect.
void paintSupportGlyph(class QPainter* painter, const QRectF& rect, SupportLevel level, const QColor& color);
// The glyph as an icon, for item views.
[[nodiscard]] class QIcon supportLevelIcon(SupportLevel level, const QPalette& palette);

// Whether the seed's per-field claim ("supported", "limited", "unsupported", "unlisted") agrees with a level.
[[nodiscard]] bool seedAgrees(const SeedClaim& claim, SupportLevel level);

// The tooltip of one engine's badge for one field value: what the engine will do and why (the contextual note from
// the command), what the value means in general when that differs, and where the seed's claim was wrong.
[[nodiscard]] QString
supportToolTip(const EngineProfile& profile, QuantField field, const QString& value, const FieldSupport& contextual);

// One engine's support badge for one field row.
class SupportBadge final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SupportBadge)

public:
    explicit SupportBadge(const QString& engineName, QWidget* parent = nullptr);
    ~SupportBadge() override;

    void setSupport(SupportLevel level, const QString& toolTip);
    [[nodiscard]] SupportLevel level() const { return m_level; }
    [[nodiscard]] QString text() const { return supportLevelText(m_level); }

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    QString m_engineName;
    SupportLevel m_level = SupportLevel::Native;
};

} // namespace QuantDesk

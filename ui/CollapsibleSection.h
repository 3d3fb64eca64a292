#pragma once

#include <QWidget>

class QToolButton;

namespace QuantDesk
{

// A titled section whose content folds away behind a disclosure button (keyboard: Space on the header).
class CollapsibleSection final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CollapsibleSection)

public:
    CollapsibleSection(const QString& title, QWidget* content, QWidget* parent = nullptr);
    ~CollapsibleSection() override;

    void setExpanded(bool expanded);
    [[nodiscard]] bool isExpanded() const;
    [[nodiscard]] QToolButton* headerButton() const { return m_header; }

signals:
    void expandedChanged(bool expanded);

private:
    QToolButton* m_header = nullptr;
    QWidget* m_content = nullptr;
};

} // namespace QuantDesk

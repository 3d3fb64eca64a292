#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace QuantDesk
{

// An inline, dismissible banner for recoverable problems (a file that did not load, a failed export): shown where
// the user looks, without a modal box (STYLE §5.24).
class MessageBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageBanner)

public:
    enum class Type {
        Error,
        Warning,
        Information,
        Positive,
    };

    explicit MessageBanner(QWidget* parent = nullptr);
    ~MessageBanner() override;

    void showMessage(const QString& text, MessageBanner::Type type);
    void hideMessage();
    [[nodiscard]] QString text() const;
    [[nodiscard]] Type type() const { return m_type; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyColors();

    QLabel* m_icon = nullptr;
    QLabel* m_label = nullptr;
    QToolButton* m_close = nullptr;
    Type m_type = Type::Information;
    bool m_updatingPalette = false;
};

} // namespace QuantDesk

#pragma once

#include <QMessageBox>
#include <QString>
#include <QStringList>
#include <optional>

class QWidget;

namespace QuantDesk
{

// Every modal question and file dialog of the app goes through here (STYLE §5.24). Tests set the next answer,
// file name or text up front, so no test ever blocks on a modal: a pending seam value is consumed instead of
// showing the dialog.
class Dialogs final
{
public:
    Dialogs() = delete;

    // Question with the given buttons; returns the clicked one (or the seam answer).
    static QMessageBox::StandardButton question(QWidget* parent,
                                                const QString& title,
                                                const QString& text,
                                                QMessageBox::StandardButtons buttons,
                                                QMessageBox::StandardButton defaultButton);
    static void warning(QWidget* parent, const QString& title, const QString& text);
    static void information(QWidget* parent, const QString& title, const QString& text);

    // Empty string: cancelled.
    static QString getOpenFileName(QWidget* parent, const QString& title, const QString& dir, const QString& filter);
    // Several files; empty: cancelled. The file-name seam answers it too (one file, or none for "").
    static QStringList
    getOpenFileNames(QWidget* parent, const QString& title, const QString& dir, const QString& filter);
    static QString getSaveFileName(QWidget* parent, const QString& title, const QString& dir, const QString& filter);
    static QString getExistingDirectory(QWidget* parent, const QString& title, const QString& dir);
    // nullopt: cancelled.
    static std::optional<QString>
    getText(QWidget* parent, const QString& title, const QString& label, const QString& text = {});

    // Test seams: the next call of the matching kind returns this value without showing anything.
    static void setNextAnswer(QMessageBox::StandardButton answer);
    static void setNextFileName(const QString& fileName); // "" = cancelled
    static void setNextText(const std::optional<QString>& text);
    // Tests: a dialog without a pending seam value is refused (a warning, and Cancel / "" / nullopt) instead of
    // blocking on a modal nobody will answer.
    static void setRefuseUnexpected(bool refuse);
    // Forgets pending seam values; how many messages were shown (or answered by a seam) since the last reset.
    static void resetSeams();
    [[nodiscard]] static int shownCount();
    [[nodiscard]] static QString lastMessage();
};

} // namespace QuantDesk

#include "ui/Dialogs.h"

#include <QFileDialog>
#include <QInputDialog>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

struct Seams
{
    std::optional<QMessageBox::StandardButton> answer;
    std::optional<QString> fileName;
    std::optional<std::optional<QString>> text;
    int shown = 0;
    QString lastMessage;
    bool refuseUnexpected = false;
};

Seams& seams()
{
    static Seams s;
    return s;
}

void record(const QString& text)
{
    ++seams().shown;
    seams().lastMessage = text;
}

template <typename T>
std::optional<T> take(std::optional<T>& slot)
{
    std::optional<T> v = std::move(slot);
    slot.reset();
    return v;
}

bool refused(const QString& what)
{
    if (!seams().refuseUnexpected)
        return false;
    qWarning("Dialogs: unexpected dialog refused: %s", qPrintable(what));
    return true;
}

} // namespace

QMessageBox::StandardButton Dialogs::question(QWidget* parent,
                                              const QString& title,
                                              const QString& text,
                                              QMessageBox::StandardButtons buttons,
                                              QMessageBox::StandardButton defaultButton)
{
    record(text);
    if (const auto answer = take(seams().answer))
        return *answer;
    if (refused(text))
        return QMessageBox::Cancel;
    return QMessageBox::question(parent, title, text, buttons, defaultButton);
}

void Dialogs::warning(QWidget* parent, const QString& title, const QString& text)
{
    record(text);
    if (take(seams().answer) || refused(text))
        return;
    QMessageBox::warning(parent, title, text);
}

void Dialogs::information(QWidget* parent, const QString& title, const QString& text)
{
    record(text);
    if (take(seams().answer) || refused(text))
        return;
    QMessageBox::information(parent, title, text);
}

QString Dialogs::getOpenFileName(QWidget* parent, const QString& title, const QString& dir, const QString& filter)
{
    if (const auto name = take(seams().fileName))
        return *name;
    if (refused(title))
        return {};
    return QFileDialog::getOpenFileName(parent, title, dir, filter);
}

QStringList Dialogs::getOpenFileNames(QWidget* parent, const QString& title, const QString& dir, const QString& filter)
{
    if (const auto name = take(seams().fileName))
        return name->isEmpty() ? QStringList() : QStringList{*name};
    if (refused(title))
        return {};
    return QFileDialog::getOpenFileNames(parent, title, dir, filter);
}

QString Dialogs::getSaveFileName(QWidget* parent, const QString& title, const QString& dir, const QString& filter)
{
    if (const auto name = take(seams().fileName))
        return *name;
    if (refused(title))
        return {};
    return QFileDialog::getSaveFileName(parent, title, dir, filter);
}

QString Dialogs::getExistingDirectory(QWidget* parent, const QString& title, const QString& dir)
{
    if (const auto name = take(seams().fileName))
        return *name;
    if (refused(title))
        return {};
    return QFileDialog::getExistingDirectory(parent, title, dir);
}

std::optional<QString>
Dialogs::getText(QWidget* parent, const QString& title, const QString& label, const QString& text)
{
    if (const auto next = take(seams().text))
        return *next;
    if (refused(title))
        return std::nullopt;
    bool ok = false;
    const QString value = QInputDialog::getText(parent, title, label, QLineEdit::Normal, text, &ok);
    if (!ok)
        return std::nullopt;
    return value;
}

void Dialogs::setNextAnswer(QMessageBox::StandardButton answer)
{
    seams().answer = answer;
}

void Dialogs::setNextFileName(const QString& fileName)
{
    seams().fileName = fileName;
}

void Dialogs::setNextText(const std::optional<QString>& text)
{
    seams().text = text;
}

void Dialogs::setRefuseUnexpected(bool refuse)
{
    seams().refuseUnexpected = refuse;
}

void Dialogs::resetSeams()
{
    const bool refuse = seams().refuseUnexpected;
    seams() = Seams{};
    seams().refuseUnexpected = refuse;
}

int Dialogs::shownCount()
{
    return seams().shown;
}

QString Dialogs::lastMessage()
{
    return seams().lastMessage;
}

} // namespace QuantDesk

#include "ui/EnglishPlurals.h"

#include <QCoreApplication>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

QString
EnglishPlurals::translate(const char* /*context*/, const char* sourceText, const char* /*disambiguation*/, int n) const
{
    if (n < 0 || sourceText == nullptr)
        return {};
    const QString source = QString::fromUtf8(sourceText);
    if (!source.contains("(s)"_L1))
        return {};
    // QCoreApplication::translate replaces %n itself after a translator answers.
    return resolve(source, n);
}

QString EnglishPlurals::resolve(const QString& sourceText, int n)
{
    QString text = sourceText;
    text.replace("(s)"_L1, n == 1 ? QString() : u"s"_s);
    return text;
}

void EnglishPlurals::ensureInstalled()
{
    static QPointer<EnglishPlurals> installed;
    auto* app = QCoreApplication::instance();
    if (app == nullptr || installed)
        return;
    installed = new EnglishPlurals(app);
    QCoreApplication::installTranslator(installed);
}

} // namespace QuantDesk

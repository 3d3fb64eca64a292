#pragma once

#include <QTranslator>

namespace QuantDesk
{

// English numerus forms without a compiled translation: source strings are written "%n task(s)" (so translators
// see one message with a count), and this translator turns "(s)" into "" for one and "s" for any other count.
// Only strings that carry a count (tr(text, disambiguation, n) with n >= 0) and contain "(s)" are touched.
class EnglishPlurals final : public QTranslator
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EnglishPlurals)

public:
    using QTranslator::QTranslator;

    [[nodiscard]] QString
    translate(const char* context, const char* sourceText, const char* disambiguation, int n) const override;
    [[nodiscard]] bool isEmpty() const override { return false; }

    // The English form of one message (exposed for tests): "(s)" dropped for n == 1, "s" otherwise.
    [[nodiscard]] static QString resolve(const QString& sourceText, int n);

    // Installs one instance on the application (idempotent). The window calls it, so the app and every UI test
    // show the same text.
    static void ensureInstalled();
};

} // namespace QuantDesk

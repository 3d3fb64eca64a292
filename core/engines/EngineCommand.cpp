#include "EngineCommand.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

QString severityKey(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return u"info"_s;
    case Severity::Warning:
        return u"warning"_s;
    case Severity::Error:
        return u"error"_s;
    }
    return {};
}

QString shellQuote(const QString& word)
{
    if (word.isEmpty())
        return u"''"_s;
    // Words made only of these characters need no quoting in a POSIX shell.
    const auto isSafe = [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'_' ||
               u == u'@' || u == u'%' || u == u'+' || u == u'=' || u == u':' || u == u',' || u == u'.' || u == u'/' ||
               u == u'-';
    };
    if (std::all_of(word.cbegin(), word.cend(), isSafe))
        return word;
    QString quoted = word;
    quoted.replace(u'\'', u"'\\''"_s);
    return u'\'' + quoted + u'\'';
}

QString shellJoin(const QStringList& words)
{
    QStringList quoted;
    quoted.reserve(words.size());
    for (const QString& w : words)
        quoted << shellQuote(w);
    return quoted.join(u' ');
}

QStringList EngineCommand::argv() const
{
    QStringList out;
    out.reserve(flags.size() * 2);
    for (const CommandFlag& f : flags) {
        out << f.flag;
        if (f.value)
            out << *f.value;
    }
    return out;
}

QStringList EngineCommand::fullArgv() const
{
    return launch + argv();
}

QString EngineCommand::shellCommand() const
{
    return shellJoin(fullArgv());
}

QString EngineCommand::configYaml() const
{
    if (yaml.isEmpty())
        return {};
    // Group dotted keys by their first segment; values are scalars. Order: as the entries were added.
    QString out;
    QStringList sections;
    for (const YamlEntry& e : yaml) {
        const QString head = e.key.section(u'.', 0, 0);
        if (!sections.contains(head))
            sections << head;
    }
    for (const QString& head : sections) {
        bool opened = false;
        for (const YamlEntry& e : yaml) {
            if (e.key.section(u'.', 0, 0) != head)
                continue;
            if (!e.key.contains(u'.')) {
                out += head + u": "_s + e.value + u'\n';
                continue;
            }
            if (!opened) {
                out += head + u":\n"_s;
                opened = true;
            }
            out += u"  "_s + e.key.section(u'.', 1) + u": "_s + e.value + u'\n';
        }
    }
    return out;
}

bool EngineCommand::hasErrors() const
{
    for (const Diagnostic& d : diagnostics) {
        if (d.severity == Severity::Error)
            return true;
    }
    return false;
}

const CommandFlag* EngineCommand::findFlag(const QString& flag) const
{
    for (const CommandFlag& f : flags) {
        if (f.flag == flag)
            return &f;
    }
    return nullptr;
}

} // namespace QuantDesk

#pragma once

#include <QList>
#include <QMultiMap>
#include <QPair>
#include <QString>
#include <QStringList>

#include "app/cli/Cli.h"

namespace QuantDesk::Cli
{

using namespace Qt::StringLiterals;

// A small option reader: "--name value", "--name=value" and repeated options; positional words are refused.
class Options
{
public:
    Options(const QStringList& args,
            const QStringList& valued,
            const QStringList& repeatable,
            const QStringList& switches = {})
    {
        for (qsizetype i = 0; i < args.size(); ++i) {
            QString a = args.at(i);
            if (!a.startsWith(u"--"))
                throw UsageError{u"unexpected argument '%1'"_s.arg(a)};
            QString value;
            bool hasValue = false;
            const qsizetype eq = a.indexOf(u'=');
            if (eq > 0) {
                value = a.mid(eq + 1);
                a.truncate(eq);
                hasValue = true;
            }
            const QString name = a.mid(2);
            if (switches.contains(name)) {
                if (hasValue)
                    throw UsageError{u"--%1 takes no value"_s.arg(name)};
                if (m_values.contains(name))
                    throw UsageError{u"--%1 given twice"_s.arg(name)};
                m_values.insert(name, QString());
                m_order << qMakePair(name, QString());
                continue;
            }
            if (!valued.contains(name) && !repeatable.contains(name))
                throw UsageError{u"unknown option --%1"_s.arg(name)};
            if (!hasValue) {
                if (i + 1 >= args.size())
                    throw UsageError{u"--%1 needs a value"_s.arg(name)};
                value = args.at(++i);
            }
            if (!repeatable.contains(name) && m_values.contains(name))
                throw UsageError{u"--%1 given twice"_s.arg(name)};
            m_values.insert(name, value);
            m_order << qMakePair(name, value);
        }
    }
    [[nodiscard]] bool has(const QString& name) const { return m_values.contains(name); }
    [[nodiscard]] QString value(const QString& name, const QString& fallback = {}) const
    {
        return m_values.value(name, fallback);
    }
    [[nodiscard]] QStringList values(const QString& name) const
    {
        QStringList out;
        for (const auto& [n, v] : m_order) {
            if (n == name)
                out << v;
        }
        return out;
    }

private:
    QMultiMap<QString, QString> m_values;
    QList<QPair<QString, QString>> m_order;
};

} // namespace QuantDesk::Cli

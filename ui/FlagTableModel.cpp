#include "ui/FlagTableModel.h"

#include <QApplication>
#include <QFont>
#include <QPalette>

#include "ui/SupportBadge.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

QString sourceLabel(const QString& source)
{
    if (const auto field = fieldFromName(source))
        return fieldLabel(*field);
    if (source == u"parameter")
        return QObject::tr("parameter");
    if (source == u"engine")
        return QObject::tr("engine");
    return source;
}

FlagTableModel::FlagTableModel(QObject* parent) : QAbstractTableModel(parent) {}

FlagTableModel::~FlagTableModel() = default;

void FlagTableModel::setCommand(const EngineCommand& command)
{
    QList<Row> rows;
    rows.reserve(command.flags.size() + command.yaml.size());
    for (const CommandFlag& f : command.flags) {
        rows.append(Row{f.flag,
                        f.value.value_or(QString()),
                        f.value.has_value(),
                        f.source,
                        f.note,
                        f.overrides.value_or(QString()),
                        f.translated,
                        false});
    }
    for (const YamlEntry& y : command.yaml)
        rows.append(Row{y.key, y.value, true, y.source, y.note, {}, false, true});
    if (rows == m_rows)
        return;
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int FlagTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int FlagTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FlagTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case FlagColumn:
            return r.yaml ? tr("YAML %1").arg(r.flag) : r.flag;
        case ValueColumn:
            return r.hasValue ? r.value : tr("(switch)");
        case SourceColumn:
            return sourceLabel(r.source);
        case NoteColumn: {
            QStringList parts;
            if (!r.overrides.isEmpty())
                parts << tr("overrides %1").arg(r.overrides);
            if (r.translated)
                parts << tr("translated");
            if (!r.note.isEmpty() && (r.overrides.isEmpty() || !r.note.startsWith(u"user parameter")))
                parts << r.note;
            return parts.join(u"; "_s);
        }
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip = u"<b>%1</b> %2<br>"_s.arg(r.flag.toHtmlEscaped(), r.value.toHtmlEscaped());
        tip += tr("From: %1").arg(sourceLabel(r.source).toHtmlEscaped());
        if (!r.overrides.isEmpty())
            tip += u"<br>"_s + tr("Overrides: %1").arg(r.overrides.toHtmlEscaped());
        if (r.translated)
            tip += u"<br>"_s + tr("Translated: the engine spells this value differently");
        if (!r.note.isEmpty())
            tip += u"<br>"_s + r.note.toHtmlEscaped();
        return tip;
    }
    case Qt::DecorationRole:
        if (index.column() == ValueColumn && r.translated)
            return supportLevelIcon(SupportLevel::Translated, QApplication::palette());
        return {};
    case Qt::FontRole:
        if (!r.overrides.isEmpty() && (index.column() == FlagColumn || index.column() == NoteColumn)) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::AccessibleTextRole:
        if (index.column() == FlagColumn) {
            return tr("%1 %2 from %3%4%5")
                .arg(r.flag, r.value, sourceLabel(r.source))
                .arg(r.translated ? tr(", translated") : QString())
                .arg(r.overrides.isEmpty() ? QString() : tr(", overrides %1").arg(r.overrides));
        }
        return data(index, Qt::DisplayRole);
    case SourceRole:
        return r.source;
    case TranslatedRole:
        return r.translated;
    case OverridesRole:
        return r.overrides.isEmpty() ? QVariant() : QVariant(r.overrides);
    case IsYamlRole:
        return r.yaml;
    default:
        return {};
    }
}

QVariant FlagTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case FlagColumn:
        return tr("Flag");
    case ValueColumn:
        return tr("Value");
    case SourceColumn:
        return tr("From");
    case NoteColumn:
        return tr("Note");
    default:
        return {};
    }
}

int FlagTableModel::rowOf(const QString& flagOrKey) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).flag == flagOrKey)
            return static_cast<int>(i);
    }
    return -1;
}

} // namespace QuantDesk

#include "ui/DiagnosticsModel.h"

#include <QApplication>
#include <QIcon>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

QString severityText(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return QObject::tr("Error");
    case Severity::Warning:
        return QObject::tr("Warning");
    case Severity::Info:
        return QObject::tr("Info");
    }
    return {};
}

QString diagnosticFieldLabel(const QString& field)
{
    if (const auto f = fieldFromName(field))
        return fieldLabel(*f);
    if (field == u"parameters")
        return QObject::tr("Parameters");
    if (field == u"model")
        return QObject::tr("Model");
    if (field == u"gpu")
        return QObject::tr("Target GPU");
    if (field == u"engine")
        return QObject::tr("Engine");
    return field;
}

DiagnosticsModel::DiagnosticsModel(QObject* parent) : QAbstractListModel(parent) {}

DiagnosticsModel::~DiagnosticsModel() = default;

void DiagnosticsModel::setDiagnostics(const QString& engineName, const QList<Diagnostic>& diagnostics)
{
    m_engineName = engineName;
    if (diagnostics == m_items)
        return;
    beginResetModel();
    m_items = diagnostics;
    endResetModel();
}

int DiagnosticsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

QVariant DiagnosticsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Diagnostic& d = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole: {
        QString text = u"%1 · %2: %3"_s.arg(severityText(d.severity), diagnosticFieldLabel(d.field), d.message);
        if (!d.fix.isEmpty())
            text += u"\n"_s + tr("Fix: %1").arg(d.fix);
        return text;
    }
    case Qt::ToolTipRole:
        return u"<p><b>%1</b> (%2)</p><p>%3</p>%4%5"_s.arg(
            severityText(d.severity).toHtmlEscaped(),
            d.id.toHtmlEscaped(),
            d.message.toHtmlEscaped(),
            d.fix.isEmpty() ? QString() : u"<p>"_s + tr("Fix: %1").arg(d.fix.toHtmlEscaped()) + u"</p>"_s,
            d.action.kind == FixAction::Kind::None
                ? QString()
                : u"<p><i>"_s + tr("“Apply fix” does this for you.") + u"</i></p>"_s);
    case Qt::AccessibleTextRole:
        return u"%1, %2: %3"_s.arg(severityText(d.severity), diagnosticFieldLabel(d.field), d.message);
    case Qt::DecorationRole: {
        const QStyle::StandardPixmap icon = d.severity == Severity::Error     ? QStyle::SP_MessageBoxCritical
                                            : d.severity == Severity::Warning ? QStyle::SP_MessageBoxWarning
                                                                              : QStyle::SP_MessageBoxInformation;
        return QApplication::style()->standardIcon(icon);
    }
    case IdRole:
        return d.id;
    case SeverityRole:
        return static_cast<int>(d.severity);
    case FieldRole:
        return d.field;
    case FixRole:
        return d.fix;
    case HasActionRole:
        return d.action.kind != FixAction::Kind::None;
    default:
        return {};
    }
}

} // namespace QuantDesk

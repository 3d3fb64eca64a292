#include "ui/PresetListModel.h"

#include <QFont>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

PresetListModel::PresetListModel(PresetStore& store, QObject* parent)
    : QAbstractListModel(parent), m_store(store), m_presets(store.all())
{}

PresetListModel::~PresetListModel() = default;

void PresetListModel::setShowCustomRow(bool show)
{
    if (show == m_showCustom)
        return;
    const int row = static_cast<int>(m_presets.size());
    if (show) {
        beginInsertRows({}, row, row);
        m_showCustom = true;
        endInsertRows();
    } else {
        beginRemoveRows({}, row, row);
        m_showCustom = false;
        endRemoveRows();
    }
}

int PresetListModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    return static_cast<int>(m_presets.size()) + (m_showCustom ? 1 : 0);
}

QVariant PresetListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (index.row() == customRow()) {
        switch (role) {
        case Qt::DisplayRole:
        case Qt::AccessibleTextRole:
            return tr("Custom");
        case Qt::ToolTipRole:
            return tr("The four fields match no preset");
        case NameRole:
            return QString();
        case CustomRole:
            return true;
        case BuiltInRole:
            return false;
        default:
            return {};
        }
    }
    const Preset& p = m_presets.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return p.name;
    case Qt::AccessibleTextRole:
        return p.builtIn ? tr("%1 (built-in preset)").arg(p.name) : tr("%1 (user preset)").arg(p.name);
    case Qt::ToolTipRole:
        return u"<p><b>%1</b>%2</p><p>%3</p><p><tt>%4</tt></p>"_s.arg(p.name.toHtmlEscaped(),
                                                                      p.builtIn ? tr(" (built-in)")
                                                                                : tr(" (user preset)"),
                                                                      p.description.toHtmlEscaped(),
                                                                      p.config.summary().toHtmlEscaped());
    case Qt::FontRole:
        if (!p.builtIn) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    case BuiltInRole:
        return p.builtIn;
    case CustomRole:
        return false;
    case SummaryRole:
        return p.config.summary();
    default:
        return {};
    }
}

QHash<int, QByteArray> PresetListModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(BuiltInRole, "builtIn");
    names.insert(CustomRole, "custom");
    names.insert(SummaryRole, "summary");
    return names;
}

int PresetListModel::rowOf(const QString& name) const
{
    if (name.isEmpty())
        return customRow();
    for (qsizetype i = 0; i < m_presets.size(); ++i) {
        if (m_presets.at(i).name == name)
            return static_cast<int>(i);
    }
    return -1;
}

int PresetListModel::customRow() const
{
    return m_showCustom ? static_cast<int>(m_presets.size()) : -1;
}

std::optional<Preset> PresetListModel::presetAt(int row) const
{
    if (row < 0 || row >= m_presets.size())
        return std::nullopt;
    return m_presets.at(row);
}

void PresetListModel::reload()
{
    m_store.reload();
    refresh();
}

void PresetListModel::refresh()
{
    const QList<Preset> fresh = m_store.all();
    if (fresh == m_presets)
        return;
    beginResetModel();
    m_presets = fresh;
    endResetModel();
}

bool PresetListModel::savePreset(const Preset& preset, QString* error)
{
    if (!m_store.save(preset, error))
        return false;
    refresh();
    return true;
}

bool PresetListModel::removePreset(const QString& name, QString* error)
{
    if (!m_store.remove(name, error))
        return false;
    refresh();
    return true;
}

bool PresetListModel::renamePreset(const QString& from, const QString& to, QString* error)
{
    if (!m_store.rename(from, to, error))
        return false;
    refresh();
    return true;
}

} // namespace QuantDesk

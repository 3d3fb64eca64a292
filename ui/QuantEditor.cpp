#include "ui/QuantEditor.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPushButton>

#include "core/engines/EngineProfile.h"
#include "ui/PresetListModel.h"
#include "ui/SupportBadge.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

std::size_t indexOf(QuantField field)
{
    return static_cast<std::size_t>(field);
}

QString gib(qint64 bytes)
{
    return QLocale(QLocale::English).toString(static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0), 'f', 2);
}

QString bytesText(qint64 bytes)
{
    if (bytes >= 1024 * 1024)
        return u"%1 MiB"_s.arg(QLocale(QLocale::English).toString(bytes / (1024.0 * 1024.0), 'f', 1));
    if (bytes >= 1024)
        return u"%1 KiB"_s.arg(QLocale(QLocale::English).toString(bytes / 1024.0, 'g', 4));
    return u"%1 B"_s.arg(bytes);
}

} // namespace

QuantEditor::QuantEditor(PresetListModel* presets, const QStringList& engines, QWidget* parent)
    : QWidget(parent), m_presets(presets), m_engines(engines)
{
    setObjectName(u"quantEditor"_s);
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(6, 6, 6, 6);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(4);

    auto* presetLabel = new QLabel(tr("&Preset:"), this);
    m_presetCombo = new QComboBox(this);
    m_presetCombo->setObjectName(u"presetComboBox"_s);
    m_presetCombo->setModel(m_presets);
    m_presetCombo->setAccessibleName(tr("Preset"));
    m_presetCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    presetLabel->setBuddy(m_presetCombo);
    grid->addWidget(presetLabel, 0, 0);
    grid->addWidget(m_presetCombo, 0, 1);
    connect(m_presetCombo, &QComboBox::currentIndexChanged, this, &QuantEditor::onPresetIndexChanged);

    m_matrixButton = new QPushButton(tr("Support &matrix…"), this);
    m_matrixButton->setObjectName(u"supportMatrixPushButton"_s);
    m_matrixButton->setToolTip(tr("Every field value on every engine: the seed's claims beside the truth"));
    grid->addWidget(m_matrixButton, 0, 2, 1, static_cast<int>(engines.size()), Qt::AlignRight);
    connect(m_matrixButton, &QPushButton::clicked, this, &QuantEditor::supportMatrixRequested);

    for (qsizetype e = 0; e < engines.size(); ++e) {
        auto* header = new QLabel(ProfileRegistry::engineDisplayName(engines.at(e)), this);
        QFont bold = header->font();
        bold.setBold(true);
        header->setFont(bold);
        grid->addWidget(header, 1, 2 + static_cast<int>(e), Qt::AlignLeft | Qt::AlignBottom);
    }

    const int columns = 2 + static_cast<int>(engines.size());

    int gridRow = 2;
    for (const QuantField f : kQuantFields) {
        FieldRow& r = row(f);
        const QString shortName = fieldShortName(f);
        r.combo = new QComboBox(this);
        r.combo->setObjectName(shortName + u"ComboBox"_s);
        r.combo->setAccessibleName(fieldLabel(f));
        r.combo->setAccessibleDescription(tr("%1 (%2)").arg(fieldLabel(f), fieldKey(f)));
        for (const QString& v : fieldValues(f)) {
            r.combo->addItem(v, v);
            r.combo->setItemData(r.combo->count() - 1, valueDescription(f, v), Qt::ToolTipRole);
        }
        r.label = new QLabel(u"%1:"_s.arg(fieldLabel(f)), this);
        r.label->setBuddy(r.combo);
        r.label->setToolTip(fieldKey(f));
        grid->addWidget(r.label, gridRow, 0);
        grid->addWidget(r.combo, gridRow, 1);
        for (qsizetype e = 0; e < engines.size(); ++e) {
            auto* b = new SupportBadge(ProfileRegistry::engineDisplayName(engines.at(e)), this);
            b->setObjectName(shortName + u'_' + engines.at(e) + u"SupportBadge"_s);
            grid->addWidget(b, gridRow, 2 + static_cast<int>(e));
            r.badges << b;
        }
        // The predicted memory this field decides, on a line of its own under the box and badges (a column beside
        // them would not fit a 1280-pixel window).
        r.memory = new QLabel(this);
        r.memory->setObjectName(shortName + u"MemoryLabel"_s);
        r.memory->setTextInteractionFlags(Qt::TextSelectableByMouse);
        r.memory->setContentsMargins(4, 0, 0, 2);
        r.memory->hide();
        grid->addWidget(r.memory, gridRow + 1, 1, 1, columns - 1);
        ++gridRow;
        connect(
            r.combo, &QComboBox::currentIndexChanged, this, [this, f](int index) { onFieldIndexChanged(f, index); });
        ++gridRow;
    }
    // Mnemonics for the field rows: Alt+G, Alt+K, Alt+A, Alt+O.
    row(QuantField::Gemm).label->setText(tr("&GEMM:"));
    row(QuantField::KvCache).label->setText(tr("&KV cache:"));
    row(QuantField::Attention).label->setText(tr("&Attention:"));
    row(QuantField::Moe).label->setText(tr("M&oE:"));
    m_memorySummary = new QLabel(this);
    m_memorySummary->setObjectName(u"memorySummaryLabel"_s);
    m_memorySummary->setWordWrap(true);
    m_memorySummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    grid->addWidget(m_memorySummary, gridRow, 0, 1, columns);
    ++gridRow;
    grid->setColumnStretch(1, 1);
    grid->setRowStretch(gridRow, 1);

    m_presets->setShowCustomRow(true);
    // A reset of the preset list (save, rename, delete) moves the combo box: that is not a user's pick.
    connect(m_presets, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_updating = true; });
    connect(m_presets, &QAbstractItemModel::modelReset, this, [this] {
        m_updating = false;
        setChoice(m_choice);
    });
    setChoice(QuantChoice{u"default"_s, QuantConfig{}});
    setMemoryPrediction(std::nullopt, tr("set a model to predict memory"));
}

QuantEditor::~QuantEditor() = default;

void QuantEditor::setMemoryPrediction(const std::optional<MemoryPrediction>& p, const QString& unavailableReason)
{
    const QString muted = palette().color(QPalette::Disabled, QPalette::WindowText).name();
    if (!p) {
        for (FieldRow& r : m_rows) {
            r.memory->clear();
            r.memory->setToolTip(QString());
            r.memory->hide();
        }
        m_memorySummary->setText(u"<span style='color:%1'>%2</span>"_s.arg(
            muted, tr("No memory prediction: %1").arg(unavailableReason).toHtmlEscaped()));
        m_memorySummary->setToolTip(QString());
        return;
    }
    const QString perGpu = p->tensorParallel > 1 ? tr(" per GPU") : QString();
    FieldRow& gemm = row(QuantField::Gemm);
    gemm.memory->setText(tr("Predicted: weights %1 GiB%2").arg(gib(p->weightBytesPerGpu), perGpu));
    gemm.memory->setToolTip(tr("%1 of %2 parameters, layers stored as %3; %4 GiB in all")
                                .arg(QLocale(QLocale::English).toString(p->activeParameters),
                                     QLocale(QLocale::English).toString(p->totalParameters),
                                     p->storage.denseLabel,
                                     gib(p->weightBytes)));
    FieldRow& kv = row(QuantField::KvCache);
    QString kvText = tr("Predicted: %1/token").arg(bytesText(p->kvBytesPerToken));
    if (p->kvCapacityTokens)
        kvText += tr(" · room for %1 tokens").arg(QLocale(QLocale::English).toString(*p->kvCapacityTokens));
    kv.memory->setText(kvText);
    kv.memory->setToolTip(
        p->kvBytesPerTokenPerGpu != p->kvBytesPerToken
            ? tr("%1 per token on each GPU of TP %2").arg(bytesText(p->kvBytesPerTokenPerGpu)).arg(p->tensorParallel)
            : QString());
    row(QuantField::Attention).memory->clear();
    FieldRow& moe = row(QuantField::Moe);
    moe.memory->setText(p->moe ? tr("Predicted: routed experts as %1").arg(p->storage.expertLabel) : QString());
    for (FieldRow& r : m_rows)
        r.memory->setVisible(!r.memory->text().isEmpty());

    QString summary;
    const QString engine = ProfileRegistry::engineDisplayName(p->engine);
    if (p->gpuMemoryBytes && p->kvCacheBytesPerGpu) {
        const QString gpu = p->gpuName.isEmpty() ? tr("a %1 GiB GPU").arg(gib(*p->gpuMemoryBytes)) : p->gpuName;
        if (*p->kvCacheBytesPerGpu <= 0)
            summary = tr("<b>The weights leave no room for the KV cache</b>: %2 on %1 (TP %3, %4 %5)")
                          .arg(gpu.toHtmlEscaped(), engine)
                          .arg(p->tensorParallel)
                          .arg(p->memoryFractionKey, QString::number(p->memoryFraction));
        else
            summary = tr("%2 on %1 (TP %3, %4 %5): KV cache pool %6 GiB/GPU")
                          .arg(gpu.toHtmlEscaped(), engine)
                          .arg(p->tensorParallel)
                          .arg(p->memoryFractionKey, QString::number(p->memoryFraction), gib(*p->kvCacheBytesPerGpu));
    } else {
        summary =
            tr("With %1 (TP %2). Choose a target GPU for the KV cache capacity.").arg(engine).arg(p->tensorParallel);
    }
    m_memorySummary->setText(summary);
    QStringList notes = p->notes;
    notes += p->storage.notes;
    m_memorySummary->setToolTip(notes.join(u'\n'));
}

QuantEditor::FieldRow& QuantEditor::row(QuantField field)
{
    return m_rows[indexOf(field)];
}

const QuantEditor::FieldRow& QuantEditor::row(QuantField field) const
{
    return m_rows[indexOf(field)];
}

QComboBox* QuantEditor::fieldComboBox(QuantField field) const
{
    return row(field).combo;
}

SupportBadge* QuantEditor::badge(QuantField field, const QString& engine) const
{
    const qsizetype e = m_engines.indexOf(engine);
    return e < 0 ? nullptr : row(field).badges.at(e);
}

void QuantEditor::setChoice(const QuantChoice& choice)
{
    m_choice = choice;
    m_updating = true;
    const int presetRow = m_presets->rowOf(choice.preset);
    m_presetCombo->setCurrentIndex(presetRow >= 0 ? presetRow : m_presets->customRow());
    for (const QuantField f : kQuantFields) {
        QComboBox* combo = row(f).combo;
        combo->setCurrentIndex(combo->findData(choice.config.value(f)));
        combo->setToolTip(valueDescription(f, choice.config.value(f)));
    }
    m_updating = false;
    updatePresetToolTip();
}

void QuantEditor::updatePresetToolTip()
{
    m_presetCombo->setToolTip(m_presetCombo->currentData(Qt::ToolTipRole).toString());
}

void QuantEditor::onPresetIndexChanged(int index)
{
    if (m_updating || index < 0)
        return;
    const QString name = m_presetCombo->itemData(index, PresetListModel::NameRole).toString();
    if (name.isEmpty()) {
        // "Custom" is what the editor shows when no preset matches; choosing it changes nothing.
        setChoice(m_choice);
        return;
    }
    emit presetChosen(name);
}

void QuantEditor::onFieldIndexChanged(QuantField field, int index)
{
    if (m_updating || index < 0)
        return;
    emit fieldChosen(field, row(field).combo->itemData(index).toString());
}

void QuantEditor::setSupport(const QList<EngineCommand>& commands)
{
    for (const EngineCommand& cmd : commands) {
        const qsizetype e = m_engines.indexOf(cmd.engine);
        if (e < 0)
            continue;
        const EngineProfile* profile = ProfileRegistry::builtIn().select(cmd.engine, cmd.profileVersion, nullptr);
        if (!profile)
            continue;
        for (const QuantField f : kQuantFields) {
            const FieldSupport support = cmd.support.value(f);
            row(f).badges.at(e)->setSupport(support.level,
                                            supportToolTip(*profile, f, m_choice.config.value(f), support));
        }
    }
}

void QuantEditor::setHighlightedField(std::optional<QuantField> field)
{
    if (field == m_highlight)
        return;
    m_highlight = field;
    update();
}

void QuantEditor::focusField(QuantField field)
{
    row(field).combo->setFocus(Qt::OtherFocusReason);
    setHighlightedField(field);
}

void QuantEditor::paintEvent(QPaintEvent* event)
{
    QWidget::paintEvent(event);
    if (!m_highlight)
        return;
    const FieldRow& r = row(*m_highlight);
    QRect area = r.label->geometry().united(r.combo->geometry());
    for (const SupportBadge* b : r.badges)
        area = area.united(b->geometry());
    QPainter p(this);
    QColor c = palette().color(QPalette::Highlight);
    c.setAlpha(70);
    p.setPen(QPen(palette().color(QPalette::Highlight), 1.5));
    p.setBrush(c);
    p.setRenderHint(QPainter::Antialiasing);
    p.drawRoundedRect(QRectF(area.adjusted(-4, -2, 4, 2)), 4, 4);
}

} // namespace QuantDesk

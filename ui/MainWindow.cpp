#include "MainWindow.h"

#include "core/engines/EngineProfile.h"
#include "core/engines/Mapper.h"
#include "core/model/ModelInfo.h"

#include <QComboBox>
#include <QFile>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace QuantDesk {

namespace {
const QString kCustom = u"Custom"_s;
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("QuantDesk"));
    setObjectName(u"mainWindow"_s);
    m_presets.reload();

    auto* editor = new QGroupBox(tr("Quantization"), this);
    auto* form = new QFormLayout(editor);
    m_presetCombo = new QComboBox(editor);
    m_presetCombo->setObjectName(u"presetComboBox"_s);
    for (const Preset& p : m_presets.all())
        m_presetCombo->addItem(p.name, p.name);
    m_presetCombo->addItem(kCustom, QString());
    m_presetCombo->setAccessibleName(tr("Preset"));
    form->addRow(tr("&Preset"), m_presetCombo);
    connect(m_presetCombo, &QComboBox::activated, this, &MainWindow::onPresetActivated);

    for (const QuantField f : kQuantFields) {
        auto* combo = new QComboBox(editor);
        combo->setObjectName(fieldShortName(f) + u"ComboBox"_s);
        combo->setAccessibleName(fieldLabel(f));
        for (const QString& v : fieldValues(f)) {
            combo->addItem(v, v);
            combo->setItemData(combo->count() - 1, valueDescription(f, v), Qt::ToolTipRole);
        }
        connect(combo, &QComboBox::currentIndexChanged, this, &MainWindow::onFieldChanged);
        form->addRow(fieldLabel(f), combo);
        m_fieldCombos << combo;
    }
    m_modelEdit = new QLineEdit(editor);
    m_modelEdit->setObjectName(u"modelLineEdit"_s);
    m_modelEdit->setPlaceholderText(tr("Hugging Face id or local path"));
    m_modelEdit->setAccessibleName(tr("Model"));
    form->addRow(tr("&Model"), m_modelEdit);
    connect(m_modelEdit, &QLineEdit::textChanged, this, &MainWindow::refreshPreview);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"previewTabWidget"_s);
    for (const QString& engine : ProfileRegistry::builtIn().engines()) {
        auto* text = new QPlainTextEdit(m_tabs);
        text->setObjectName(engine + u"PreviewPlainTextEdit"_s);
        text->setReadOnly(true);
        text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
        QFont mono(u"monospace"_s);
        mono.setStyleHint(QFont::Monospace);
        text->setFont(mono);
        m_tabs->addTab(text, ProfileRegistry::engineDisplayName(engine));
        text->setProperty("engine", engine);
        m_previews << text;
    }
    m_diagnostics = new QListWidget(this);
    m_diagnostics->setObjectName(u"diagnosticsListWidget"_s);
    m_diagnostics->setWordWrap(true);
    m_diagnostics->setAccessibleName(tr("Diagnostics"));
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::refreshPreview);

    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_tabs);
    right->addWidget(m_diagnostics);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(editor);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    setCentralWidget(split);
    m_status = new QLabel(this);
    statusBar()->addWidget(m_status, 1);
    resize(1200, 720);

    m_presetCombo->setCurrentIndex(0);
    onPresetActivated(0);
}

MainWindow::~MainWindow() = default;

QuantConfig MainWindow::config() const
{
    QuantConfig c;
    for (qsizetype i = 0; i < m_fieldCombos.size(); ++i)
        c.setValue(kQuantFields[static_cast<std::size_t>(i)], m_fieldCombos.at(i)->currentData().toString());
    return c;
}

void MainWindow::setConfig(const QuantConfig& config)
{
    m_updating = true;
    for (qsizetype i = 0; i < m_fieldCombos.size(); ++i) {
        QComboBox* combo = m_fieldCombos.at(i);
        combo->setCurrentIndex(combo->findData(config.value(kQuantFields[static_cast<std::size_t>(i)])));
    }
    m_updating = false;
    onFieldChanged();
}

void MainWindow::onPresetActivated(int index)
{
    const QString name = m_presetCombo->itemData(index).toString();
    if (const auto preset = m_presets.find(name))
        setConfig(preset->config);
}

void MainWindow::onFieldChanged()
{
    if (m_updating)
        return;
    const auto match = m_presets.matching(config());
    const int idx = match ? m_presetCombo->findData(*match) : m_presetCombo->findData(QString());
    m_presetCombo->setCurrentIndex(idx);
    refreshPreview();
}

void MainWindow::refreshPreview()
{
    const QuantConfig cfg = config();
    const ModelInfo model = inspectModel(m_modelEdit->text().trimmed());
    m_diagnostics->clear();
    for (QPlainTextEdit* view : std::as_const(m_previews)) {
        const QString engine = view->property("engine").toString();
        QString error;
        const auto cmd = buildEngineCommand(engine, {}, cfg, model, std::nullopt, {}, &error);
        if (!cmd) {
            view->setPlainText(error);
            continue;
        }
        QString text = cmd->shellCommand() + u"\n"_s;
        if (!cmd->configYaml().isEmpty())
            text += u"\n# "_s + cmd->configFile + u"\n"_s + cmd->configYaml();
        text += u"\n"_s;
        for (const CommandFlag& f : cmd->flags) {
            text += f.flag + (f.value ? u" "_s + *f.value : QString()) + u"   ← "_s + f.source;
            if (f.overrides)
                text += u" (overrides "_s + *f.overrides + u')';
            if (!f.note.isEmpty())
                text += u"\n    "_s + f.note;
            text += u'\n';
        }
        view->setPlainText(text);
        if (m_tabs->currentWidget() != view)
            continue;
        for (const Diagnostic& d : cmd->diagnostics) {
            auto* item = new QListWidgetItem(u"[%1] %2: %3"_s.arg(d.id, d.field, d.message), m_diagnostics);
            const QStyle::StandardPixmap icon = d.severity == Severity::Error     ? QStyle::SP_MessageBoxCritical
                                                : d.severity == Severity::Warning ? QStyle::SP_MessageBoxWarning
                                                                                  : QStyle::SP_MessageBoxInformation;
            item->setIcon(style()->standardIcon(icon));
            if (!d.fix.isEmpty())
                item->setToolTip(tr("Fix: %1").arg(d.fix));
        }
    }
    m_status->setText(cfg.summary());
}

bool MainWindow::openTask(const QString& path, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"%1: %2"_s.arg(path, f.errorString());
        return false;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        if (error)
            *error = u"%1: not a JSON object (%2 at offset %3)"_s.arg(path, pe.errorString()).arg(pe.offset);
        return false;
    }
    const QJsonObject task = doc.object();
    const QJsonObject qc = task.value(u"quant_config"_s).toObject();
    m_modelEdit->setText(task.value(u"model"_s).toObject().value(u"id_or_path"_s).toString());
    QString preset = qc.value(u"preset"_s).toString();
    if (preset.isEmpty() && qc.value(u"presets"_s).isArray())
        preset = qc.value(u"presets"_s).toArray().first().toString();
    if (!preset.isEmpty()) {
        if (const auto p = m_presets.find(preset)) {
            setConfig(p->config);
            return true;
        }
        if (error)
            *error = u"%1: /quant_config/preset: unknown preset '%2'"_s.arg(path, preset);
        return false;
    }
    QuantConfig c;
    for (const QuantField field : kQuantFields) {
        const QJsonValue v = qc.value(fieldKey(field));
        const QString s = v.isArray() ? v.toArray().first().toString() : v.toString(u"auto"_s);
        if (!isValidFieldValue(field, s)) {
            if (error)
                *error = u"%1: /quant_config/%2: '%3' is not a valid value"_s.arg(path, fieldKey(field), s);
            return false;
        }
        c.setValue(field, s);
    }
    setConfig(c);
    return true;
}

} // namespace QuantDesk

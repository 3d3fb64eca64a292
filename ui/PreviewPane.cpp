#include "ui/PreviewPane.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/engines/EngineProfile.h"
#include "core/engines/PreviewJson.h"
#include "ui/FlagTableModel.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

QPlainTextEdit* monoText(QWidget* parent, const QString& objectName, const QString& accessibleName)
{
    auto* text = new QPlainTextEdit(parent);
    text->setObjectName(objectName);
    text->setReadOnly(true);
    text->setAccessibleName(accessibleName);
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return text;
}

void setTextIfChanged(QPlainTextEdit* edit, const QString& text)
{
    // Comparing is far cheaper than re-laying out a document the user may be selecting in.
    if (edit->property("shownText").toString() == text)
        return;
    edit->setProperty("shownText", text);
    edit->setPlainText(text);
}

} // namespace

PreviewPane::PreviewPane(const QStringList& engines, QWidget* parent) : QWidget(parent)
{
    setObjectName(u"previewPane"_s);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"previewTabWidget"_s);
    m_tabs->setAccessibleName(tr("Engine preview"));
    m_tabs->setDocumentMode(true);
    layout->addWidget(m_tabs);

    for (const QString& engine : engines) {
        Page p;
        p.engine = engine;
        const QString name = ProfileRegistry::engineDisplayName(engine);
        p.widget = new QWidget(m_tabs);
        p.widget->setObjectName(engine + u"PreviewWidget"_s);
        auto* v = new QVBoxLayout(p.widget);
        v->setContentsMargins(6, 6, 6, 6);
        v->setSpacing(4);
        p.header = new QLabel(p.widget);
        p.header->setObjectName(engine + u"HeaderLabel"_s);
        p.header->setWordWrap(true);
        v->addWidget(p.header);

        auto* commandRow = new QHBoxLayout;
        p.command = monoText(p.widget, engine + u"CommandPlainTextEdit"_s, tr("%1 launch command").arg(name));
        p.command->setLineWrapMode(QPlainTextEdit::WidgetWidth);
        p.command->setMaximumHeight(p.command->fontMetrics().lineSpacing() * 4 + 12);
        p.command->setToolTip(tr("The exact launch command, shell-quoted: what export and submit send"));
        commandRow->addWidget(p.command, 1);
        p.copy = new QToolButton(p.widget);
        p.copy->setObjectName(engine + u"CopyToolButton"_s);
        p.copy->setText(tr("Copy"));
        p.copy->setIcon(QIcon::fromTheme(u"edit-copy"_s));
        p.copy->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        p.copy->setToolTip(tr("Copy the %1 command (Ctrl+Shift+C)").arg(name));
        p.copy->setAccessibleName(tr("Copy the %1 command").arg(name));
        commandRow->addWidget(p.copy, 0, Qt::AlignTop);
        v->addLayout(commandRow);

        p.details = new QTabWidget(p.widget);
        p.details->setObjectName(engine + u"DetailsTabWidget"_s);
        p.details->setAccessibleName(tr("%1 command details").arg(name));
        p.flagModel = new FlagTableModel(this);
        p.flags = new QTableView(p.details);
        p.flags->setObjectName(engine + u"FlagsTableView"_s);
        p.flags->setAccessibleName(tr("%1 flags and where they came from").arg(name));
        p.flags->setModel(p.flagModel);
        p.flags->setMouseTracking(true);
        p.flags->setSelectionBehavior(QAbstractItemView::SelectRows);
        p.flags->setWordWrap(false);
        p.flags->verticalHeader()->hide();
        p.flags->horizontalHeader()->setStretchLastSection(true);
        p.flags->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
        p.flags->setColumnWidth(FlagTableModel::FlagColumn, 230);
        p.flags->setColumnWidth(FlagTableModel::ValueColumn, 190);
        p.flags->setColumnWidth(FlagTableModel::SourceColumn, 100);
        p.flags->viewport()->installEventFilter(this);
        p.flags->viewport()->setProperty("engine", engine);
        connect(p.flags, &QTableView::entered, this, [this, model = p.flagModel](const QModelIndex& index) {
            emit flagHovered(model->data(index, FlagTableModel::SourceRole).toString());
        });
        connect(p.flags->selectionModel(),
                &QItemSelectionModel::currentRowChanged,
                this,
                [this, model = p.flagModel](const QModelIndex& current) {
                    // Keyboard users get the same provenance highlight as mouse users.
                    emit flagHovered(current.isValid() ? model->data(current, FlagTableModel::SourceRole).toString()
                                                       : QString());
                });
        p.details->addTab(p.flags, tr("&Flags"));
        p.argv = monoText(p.details, engine + u"ArgvPlainTextEdit"_s, tr("%1 argv").arg(name));
        p.details->addTab(p.argv, tr("ar&gv"));
        p.yaml = monoText(p.details, engine + u"YamlPlainTextEdit"_s, tr("%1 config YAML").arg(name));
        p.details->addTab(p.yaml, tr("&YAML"));
        p.json = monoText(p.details, engine + u"JsonPlainTextEdit"_s, tr("%1 preview JSON").arg(name));
        p.details->addTab(p.json, tr("&JSON"));
        v->addWidget(p.details, 1);

        m_tabs->addTab(p.widget, name);
        m_pages.append(p);
    }
    for (const Page& p : std::as_const(m_pages)) {
        const QString engine = p.engine;
        connect(p.copy, &QToolButton::clicked, this, [this, engine] { copy(*page(engine)); });
    }
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (index >= 0 && index < m_pages.size())
            emit currentEngineChanged(m_pages.at(index).engine);
    });
}

PreviewPane::~PreviewPane() = default;

const PreviewPane::Page* PreviewPane::page(const QString& engine) const
{
    for (const Page& p : m_pages) {
        if (p.engine == engine)
            return &p;
    }
    return nullptr;
}

void PreviewPane::setCommands(const QList<EngineCommand>& commands,
                              const QString& taskEngine,
                              const std::optional<QString>& preset,
                              const QuantConfig& config)
{
    for (qsizetype i = 0; i < m_pages.size() && i < commands.size(); ++i) {
        Page& p = m_pages[i];
        const EngineCommand& cmd = commands.at(i);
        p.cmd = cmd;
        const QString name = ProfileRegistry::engineDisplayName(p.engine);
        QString header = tr("<b>%1 %2</b>").arg(name.toHtmlEscaped(), cmd.engineVersion.toHtmlEscaped());
        if (cmd.profileVersion != cmd.engineVersion)
            header += tr(" (flags of the %1 profile)").arg(cmd.profileVersion.toHtmlEscaped());
        header += p.engine == taskEngine ? tr(" — the task's engine: quant config and parameters")
                                         : tr(" — quant config only; the task's parameters are for %1")
                                               .arg(ProfileRegistry::engineDisplayName(taskEngine).toHtmlEscaped());
        if (p.header->text() != header)
            p.header->setText(header);
        m_tabs->setTabText(static_cast<int>(i), p.engine == taskEngine ? tr("%1 (task)").arg(name) : name);
        setTextIfChanged(p.command, cmd.shellCommand());
        p.flagModel->setCommand(cmd);
        setTextIfChanged(p.argv, cmd.fullArgv().join(u'\n'));
        const QString yaml = cmd.configYaml();
        setTextIfChanged(p.yaml,
                         yaml.isEmpty() ? tr("# %1 takes no --config YAML for this config").arg(name)
                                        : u"# "_s + cmd.configFile + u"\n"_s + yaml);
        setTextIfChanged(p.json, QString::fromStdString(previewToJson(cmd, preset, config).dump(2)));
    }
}

QString PreviewPane::currentEngine() const
{
    const int i = m_tabs->currentIndex();
    return i >= 0 && i < m_pages.size() ? m_pages.at(i).engine : QString();
}

void PreviewPane::setCurrentEngine(const QString& engine)
{
    for (qsizetype i = 0; i < m_pages.size(); ++i) {
        if (m_pages.at(i).engine == engine)
            m_tabs->setCurrentIndex(static_cast<int>(i));
    }
}

const EngineCommand* PreviewPane::command(const QString& engine) const
{
    const Page* p = page(engine);
    return p ? &p->cmd : nullptr;
}

FlagTableModel* PreviewPane::flagModel(const QString& engine) const
{
    const Page* p = page(engine);
    return p ? p->flagModel : nullptr;
}

QString PreviewPane::commandText(const QString& engine) const
{
    const Page* p = page(engine);
    return p ? p->command->toPlainText() : QString();
}

QString PreviewPane::argvText(const QString& engine) const
{
    const Page* p = page(engine);
    return p ? p->argv->toPlainText() : QString();
}

QString PreviewPane::yamlText(const QString& engine) const
{
    const Page* p = page(engine);
    return p ? p->yaml->toPlainText() : QString();
}

QString PreviewPane::jsonText(const QString& engine) const
{
    const Page* p = page(engine);
    return p ? p->json->toPlainText() : QString();
}

void PreviewPane::copyCurrentCommand()
{
    if (const Page* p = page(currentEngine()))
        copy(*p);
}

void PreviewPane::copy(const Page& page)
{
    QApplication::clipboard()->setText(page.cmd.shellCommand());
    emit commandCopied(page.engine);
}

bool PreviewPane::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Leave && watched->property("engine").isValid())
        emit flagHovered(QString());
    return QWidget::eventFilter(watched, event);
}

} // namespace QuantDesk

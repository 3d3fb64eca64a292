#include "ui/results/ResultsPane.h"

#include <QAction>
#include <QBoxLayout>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QResizeEvent>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include "core/quant/Presets.h"
#include "core/results/ResultSeries.h"
#include "core/results/ResultsLibrary.h"
#include "ui/Dialogs.h"
#include "ui/MessageBanner.h"
#include "ui/charts/ChartPane.h"
#include "ui/results/ResultsLibraryModel.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

QToolButton* toolButton(QWidget* parent, QAction* action, const QString& objectName)
{
    auto* b = new QToolButton(parent);
    b->setObjectName(objectName);
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return b;
}

constexpr QSize kPlotMinimum(400, 200);
constexpr int kLibraryWidth = 400; // the library beside the charts from this width on, else above them
constexpr int kLibraryHeight = 170;

QString bulletList(const QStringList& lines)
{
    QStringList out;
    for (const QString& l : lines)
        out << u"• "_s + l;
    return out.join(u'\n');
}

} // namespace

ResultsPane::ResultsPane(ResultsLibrary* library, QWidget* parent) : QWidget(parent), m_library(library)
{
    setObjectName(u"resultsPane"_s);
    setAcceptDrops(true);

    m_banner = new MessageBanner(this);
    m_banner->setObjectName(u"resultsMessageBanner"_s);

    m_model = new ResultsLibraryModel(isLibraryAvailable() ? m_library : nullptr, this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ResultsLibraryModel::SortRole);
    m_proxy->setFilterRole(ResultsLibraryModel::FilterRole);
    m_proxy->setFilterKeyColumn(ResultsLibraryModel::NameColumn);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    // Actions (the Results menu shows them too).
    const auto makeAction =
        [this](const QString& name, const QString& text, const QKeySequence& key, const QString& tip) {
            auto* a = new QAction(text, this);
            a->setObjectName(name);
            a->setShortcut(key);
            a->setToolTip(tip);
            a->setStatusTip(tip);
            addAction(a);
            return a;
        };
    m_importAction = makeAction(u"importResultsAction"_s,
                                tr("&Import Results…"),
                                QKeySequence(u"Ctrl+I"_s),
                                tr("Read result files (autotuner, genai-bench, vllm bench serve, sglang) into the "
                                   "library and chart them"));
    m_importFolderAction = makeAction(u"importResultsFolderAction"_s,
                                      tr("Import Results &Folder…"),
                                      QKeySequence(u"Ctrl+Alt+I"_s),
                                      tr("Read a genai-bench experiment folder (or a folder of result files)"));
    m_showAction = makeAction(u"showInChartsAction"_s,
                              tr("Show in &Charts"),
                              QKeySequence(),
                              tr("Chart the checked result sets together (none checked: the selected ones)"));
    m_removeAction = makeAction(u"removeFromLibraryAction"_s,
                                tr("&Remove from Library…"),
                                QKeySequence(Qt::Key_Delete),
                                tr("Remove the selected result sets from the library (files are not touched)"));
    // Del only where the library has the focus: elsewhere it edits text.
    m_removeAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_exportAction = makeAction(u"exportChartAction"_s,
                                tr("&Export Chart…"),
                                QKeySequence(u"Ctrl+Shift+E"_s),
                                tr("Save the chart as PNG, PDF or SVG, or its table as CSV"));
    connect(m_importAction, &QAction::triggered, this, &ResultsPane::importWithDialog);
    connect(m_importFolderAction, &QAction::triggered, this, &ResultsPane::importFolderWithDialog);
    connect(m_showAction, &QAction::triggered, this, &ResultsPane::showCheckedInCharts);
    connect(m_removeAction, &QAction::triggered, this, &ResultsPane::removeSelected);
    connect(m_exportAction, &QAction::triggered, this, &ResultsPane::exportChart);

    // The library side.
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(u"resultsFilterLineEdit"_s);
    m_filter->setPlaceholderText(tr("Filter by name, tool, config or file"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter the results library"));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_table = new QTableView(this);
    m_table->setObjectName(u"resultsLibraryTableView"_s);
    m_table->setAccessibleName(tr("Results library"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ResultsLibraryModel::ImportedColumn, Qt::DescendingOrder);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->addAction(m_showAction);
    m_table->addAction(m_removeAction);
    {
        const QFontMetrics fm = m_table->fontMetrics();
        const auto width = [&](const QString& sample) { return fm.horizontalAdvance(sample) + 24; };
        m_table->setColumnWidth(ResultsLibraryModel::NameColumn, width(u"llama-70b-quant-sweep"_s) + 24);
        m_table->setColumnWidth(ResultsLibraryModel::ConfigsColumn, width(u"default, kv-cache-fp8, dyn"_s));
        m_table->setColumnWidth(ResultsLibraryModel::ExperimentsColumn, width(tr("Experiments")));
        m_table->setColumnWidth(ResultsLibraryModel::PointsColumn, width(tr("Load points")));
        m_table->setColumnWidth(ResultsLibraryModel::JobColumn, width(tr("Job") + u"0000"_s));
        m_table->setColumnWidth(ResultsLibraryModel::SourceColumn, width(u"autotuner results file"_s));
        m_table->setColumnWidth(ResultsLibraryModel::ImportedColumn, width(u"31 Dec 2026 23:59:59"_s));
        m_table->setColumnWidth(ResultsLibraryModel::WarningsColumn, width(tr("Warnings")));
    }
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex& index) {
        showSets({index.data(ResultsLibraryModel::SetIdRole).toLongLong()});
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ResultsPane::updateActions);
    connect(m_model, &ResultsLibraryModel::checkedChanged, this, &ResultsPane::updateActions);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ResultsPane::updateActions);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ResultsPane::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ResultsPane::updateActions);

    m_configCombo = new QComboBox(this);
    m_configCombo->setObjectName(u"compareConfigComboBox"_s);
    m_configCombo->setAccessibleName(tr("Compare a config across the library"));
    m_configCombo->setToolTip(tr("Chart every result set that ran this config (preset)"));
    m_configCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_configCombo->setMinimumContentsLength(12);
    connect(m_configCombo, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        const QString label = m_configCombo->itemData(index).toString();
        if (!label.isEmpty())
            compareConfig(label);
    });

    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(u"resultsCountLabel"_s);

    auto* importButton = toolButton(this, m_importAction, u"importResultsToolButton"_s);
    importButton->setText(tr("Import…"));
    auto* importMenu = new QMenu(importButton);
    importMenu->addAction(m_importAction);
    importMenu->addAction(m_importFolderAction);
    importButton->setMenu(importMenu);
    importButton->setPopupMode(QToolButton::MenuButtonPopup);
    auto* libraryButtons = new QHBoxLayout;
    libraryButtons->setSpacing(4);
    libraryButtons->addWidget(importButton);
    libraryButtons->addWidget(toolButton(this, m_showAction, u"showInChartsToolButton"_s));
    libraryButtons->addWidget(toolButton(this, m_removeAction, u"removeFromLibraryToolButton"_s));
    libraryButtons->addStretch(1);
    auto* compareRow = new QHBoxLayout;
    compareRow->setSpacing(4);
    auto* compareLabel = new QLabel(tr("Compare &config:"), this);
    compareLabel->setBuddy(m_configCombo);
    compareRow->addWidget(compareLabel);
    compareRow->addWidget(m_configCombo, 1);
    compareRow->addWidget(m_countLabel);

    auto* librarySide = new QWidget(this);
    librarySide->setObjectName(u"resultsLibraryWidget"_s);
    auto* libraryLayout = new QVBoxLayout(librarySide);
    libraryLayout->setContentsMargins(0, 0, 0, 0);
    libraryLayout->addWidget(m_filter);
    libraryLayout->addWidget(m_table, 1);
    // Beside the charts the controls stack; above them they share one row.
    m_controlsLayout = new QBoxLayout(QBoxLayout::LeftToRight);
    m_controlsLayout->setSpacing(4);
    m_controlsLayout->addLayout(compareRow, 1);
    m_controlsLayout->addLayout(libraryButtons);
    libraryLayout->addLayout(m_controlsLayout);

    // The charts side.
    m_charts = new ChartPane(this);
    // The importer stores what it reads on its own thread: a large file would stall the window for seconds here.
    if (isLibraryAvailable())
        m_charts->setImportLibraryPath(m_library->path());
    m_charts->setObjectName(u"resultsChartPane"_s);
    // In a dock the plot may be smaller than on its own: the editor above keeps its room at 1280x800.
    m_charts->plot()->setMinimumSize(kPlotMinimum);
    connect(m_charts, &ChartPane::importFinished, this, &ResultsPane::onImportFinished);
    connect(m_charts, &ChartPane::errorOccurred, this, [this](const QString& message) {
        m_banner->showMessage(message, MessageBanner::Type::Error);
    });
    connect(m_charts, &ChartPane::exported, this, [this](const QString& path) {
        emit statusMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)));
    });

    m_splitter = new QSplitter(Qt::Vertical, this); // side by side once wide enough (updateOrientation)
    m_splitter->setObjectName(u"resultsSplitter"_s);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(librarySide);
    m_splitter->addWidget(m_charts);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);

    if (!m_library) {
        m_libraryProblem = tr("There is no results library: imported results are charted but not kept.");
    } else if (!m_library->isOpen()) {
        m_libraryProblem = tr("The results library cannot be opened, so results are charted but not kept: %1")
                               .arg(m_library->errorString());
    }
    if (!m_libraryProblem.isEmpty()) {
        m_banner->showMessage(m_libraryProblem, MessageBanner::Type::Error);
        m_table->setToolTip(m_libraryProblem);
    }
    rebuildConfigChoices();
    updateActions();
}

ResultsPane::~ResultsPane() = default;

QSize ResultsPane::sizeHint() const
{
    return {1200, 520};
}

void ResultsPane::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateOrientation(event->size().width());
}

void ResultsPane::updateOrientation(int width)
{
    // Side by side when both fit, else the library above the charts (the chart controls need the whole width).
    const bool wide = width >= m_charts->minimumSizeHint().width() + kLibraryWidth + m_splitter->handleWidth() + 8;
    const Qt::Orientation wanted = wide ? Qt::Horizontal : Qt::Vertical;
    if (m_splitter->orientation() == wanted && m_splitter->property("placed").toBool())
        return;
    m_splitter->setOrientation(wanted);
    m_splitter->setProperty("placed", true);
    m_controlsLayout->setDirection(wide ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight);
    if (wide)
        m_splitter->setSizes({kLibraryWidth, std::max(1, width - kLibraryWidth)});
    else
        m_splitter->setSizes({kLibraryHeight, std::max(1, height() - kLibraryHeight)});
}

bool ResultsPane::isLibraryAvailable() const
{
    return m_library && m_library->isOpen();
}

void ResultsPane::setPresetStore(const PresetStore* presets)
{
    m_presets = presets;
}

bool ResultsPane::isImporting() const
{
    return m_charts->isImporting();
}

bool ResultsPane::importFiles(const QStringList& paths)
{
    if (paths.isEmpty())
        return false;
    QStringList absolute;
    for (const QString& p : paths)
        absolute << QDir::cleanPath(QFileInfo(p).absoluteFilePath()); // one file, one library entry
    ImportOptions options;
    if (m_presets)
        options.presets = m_presets->all();
    if (!m_charts->importFiles(absolute, options)) {
        emit statusMessage(tr("An import is running; wait for it or cancel it first."));
        return false;
    }
    m_lastDirectory = QFileInfo(absolute.constFirst()).absolutePath();
    emit importStarted();
    emit statusMessage(absolute.size() == 1 ? tr("Importing %1…").arg(QDir::toNativeSeparators(absolute.constFirst()))
                                            : tr("Importing %1 files…").arg(absolute.size()));
    return true;
}

void ResultsPane::onImportFinished(int added, const QStringList& errors, bool cancelled)
{
    // The chart pane appended what it read; store each set, and chart it instead of an older set of the same file.
    const QList<ResultSet> all = m_charts->results();
    const qsizetype before = all.size() - added;
    QList<ResultSet> fresh = all.mid(before);
    QList<qint64> freshIds;
    QList<bool> wasChecked; // a set replacing a checked one is checked in its place
    QStringList problems = errors;
    QSet<QString> freshPaths;
    const QList<qint64> checkedList = m_model->checkedIds();
    const QSet<qint64> checked(checkedList.cbegin(), checkedList.cend());
    // The importer stored the sets it read (in order, one per readable path) in the library on its thread.
    QList<const ImportResult*> read;
    for (const ImportResult& r : m_charts->lastImportResults()) {
        if (r.ok)
            read << &r;
    }
    for (qsizetype i = 0; i < fresh.size(); ++i) {
        const ResultSet& s = fresh.at(i);
        freshPaths.insert(s.sourcePath);
        bool replacesChecked = false;
        qint64 id = 0;
        if (isLibraryAvailable()) {
            for (const LibraryEntry& e : m_model->entries()) {
                if (!s.sourcePath.isEmpty() && e.sourcePath == s.sourcePath && checked.contains(e.id))
                    replacesChecked = true;
            }
            const ImportResult* r = i < read.size() ? read.at(i) : nullptr;
            if (r && r->libraryId > 0) {
                id = r->libraryId;
            } else {
                problems << tr("%1: read, but not kept in the results library: %2")
                                .arg(QDir::toNativeSeparators(s.sourcePath),
                                     r && !r->libraryError.isEmpty() ? r->libraryError : tr("not stored"));
            }
        }
        freshIds << id;
        wasChecked << replacesChecked;
    }
    QList<qint64> ids;
    QList<ResultSet> sets;
    for (qsizetype i = 0; i < before && i < m_chartedIds.size(); ++i) {
        if (freshPaths.contains(all.at(i).sourcePath) && !all.at(i).sourcePath.isEmpty())
            continue;
        ids << m_chartedIds.at(i);
        sets << all.at(i);
    }
    ids += freshIds;
    sets += fresh;
    refreshLibrary();
    setCharted(ids, sets);
    if (wasChecked.contains(true)) {
        QList<qint64> nextChecked = m_model->checkedIds();
        for (qsizetype i = 0; i < freshIds.size(); ++i) {
            if (wasChecked.at(i) && freshIds.at(i) > 0)
                nextChecked << freshIds.at(i);
        }
        m_model->setCheckedIds(nextChecked);
    }
    QList<qint64> stored;
    for (const qint64 id : std::as_const(freshIds)) {
        if (id > 0)
            stored << id;
    }
    if (!stored.isEmpty())
        selectIds(stored);

    if (!problems.isEmpty()) {
        const int files = added + static_cast<int>(errors.size());
        QString text = errors.isEmpty() ? tr("Some results could not be kept:")
                       : added == 0     ? tr("Could not read the results (%n file(s)):", nullptr, files)
                                        : tr("Imported %1 of %2 files; could not read:").arg(added).arg(files);
        m_banner->showMessage(text + u'\n' + bulletList(problems),
                              added == 0 ? MessageBanner::Type::Error : MessageBanner::Type::Warning);
    } else if (cancelled) {
        m_banner->showMessage(tr("Import cancelled; %n result set(s) read before that are shown.", nullptr, added),
                              MessageBanner::Type::Information);
    } else if (!m_libraryProblem.isEmpty()) {
        m_banner->showMessage(m_libraryProblem, MessageBanner::Type::Error);
    } else {
        m_banner->hideMessage();
    }
    if (added > 0) {
        emit statusMessage(isLibraryAvailable()
                               ? tr("Imported %n result set(s) into the library", nullptr, added)
                               : tr("Imported %n result set(s) (charted only: no results library)", nullptr, added));
    }
    emit importFinished(added, problems, cancelled);
}

void ResultsPane::setCharted(const QList<qint64>& ids, const QList<ResultSet>& sets)
{
    m_chartedIds = ids;
    m_charts->setResults(sets);
}

void ResultsPane::showSets(const QList<qint64>& ids)
{
    if (!isLibraryAvailable())
        return;
    QList<qint64> shown;
    QList<ResultSet> sets;
    for (const qint64 id : ids) {
        if (std::optional<ResultSet> s = m_library->load(id)) {
            shown << id;
            sets << std::move(*s);
        }
    }
    setCharted(shown, sets);
    if (!shown.isEmpty()) {
        emit statusMessage(tr("Charting %n result set(s)", nullptr, static_cast<int>(shown.size())));
    }
}

void ResultsPane::addToCharts(qint64 setId)
{
    if (!isLibraryAvailable())
        return;
    std::optional<ResultSet> s = m_library->load(setId);
    if (!s)
        return;
    QList<qint64> ids;
    QList<ResultSet> sets;
    const QList<ResultSet>& current = m_charts->results();
    for (qsizetype i = 0; i < current.size() && i < m_chartedIds.size(); ++i) {
        const qint64 id = m_chartedIds.at(i);
        // The same set, or an older set of the same job or file (the library replaced it).
        if (id == setId || (s->jobId > 0 && current.at(i).jobId == s->jobId) ||
            (!s->sourcePath.isEmpty() && current.at(i).sourcePath == s->sourcePath))
            continue;
        ids << id;
        sets << current.at(i);
    }
    ids << setId;
    sets << std::move(*s);
    setCharted(ids, sets);
}

std::optional<qint64> ResultsPane::setIdForJob(qint64 jobId) const
{
    if (jobId <= 0 || !isLibraryAvailable())
        return std::nullopt;
    for (const LibraryEntry& e : m_model->entries()) {
        if (e.jobId == jobId)
            return e.id;
    }
    return std::nullopt;
}

bool ResultsPane::showJobResults(qint64 jobId)
{
    refreshLibrary();
    const std::optional<qint64> id = setIdForJob(jobId);
    if (!id)
        return false;
    showSets({*id});
    selectIds({*id});
    return true;
}

void ResultsPane::showNewSet(const ResultSet& set)
{
    qint64 id = 0;
    if (isLibraryAvailable()) {
        if (const std::optional<qint64> stored = m_library->add(set)) {
            id = *stored;
        } else {
            m_banner->showMessage(tr("%1: not kept in the results library: %2").arg(set.name, m_library->errorString()),
                                  MessageBanner::Type::Warning);
        }
    }
    refreshLibrary();
    setCharted({id}, {set});
    if (id > 0)
        selectIds({id});
}

void ResultsPane::compareConfig(const QString& label)
{
    if (!isLibraryAvailable())
        return;
    const QList<qint64> ids = m_library->setsWithConfig(label);
    // Table order (newest first) is the order they are charted in.
    QList<qint64> ordered;
    for (const LibraryEntry& e : m_model->entries()) {
        if (ids.contains(e.id))
            ordered << e.id;
    }
    m_model->setCheckedIds(ordered);
    showSets(ordered);
    const qsizetype i = m_configCombo->findData(label);
    if (i >= 0)
        m_configCombo->setCurrentIndex(static_cast<int>(i));
    emit statusMessage(tr("%n result set(s) ran %1", nullptr, static_cast<int>(ordered.size())).arg(label));
}

void ResultsPane::refreshLibrary()
{
    m_model->refresh();
    rebuildConfigChoices();
    // Sets removed from the library are not charted as library sets any more.
    bool changed = false;
    QList<qint64> ids;
    QList<ResultSet> sets;
    const QList<ResultSet>& current = m_charts->results();
    for (qsizetype i = 0; i < current.size() && i < m_chartedIds.size(); ++i) {
        const qint64 id = m_chartedIds.at(i);
        if (id > 0 && m_model->rowOf(id) < 0) {
            changed = true;
            continue;
        }
        ids << id;
        sets << current.at(i);
    }
    if (changed)
        setCharted(ids, sets);
    updateActions();
}

void ResultsPane::rebuildConfigChoices()
{
    const QString keep = m_configCombo->currentData().toString();
    const QStringList configs = isLibraryAvailable() ? m_library->configs() : QStringList();
    m_configCombo->clear();
    m_configCombo->addItem(configs.isEmpty() ? tr("(no results yet)") : tr("Choose a config…"), QString());
    for (const QString& c : configs)
        m_configCombo->addItem(c, c);
    const qsizetype i = m_configCombo->findData(keep);
    m_configCombo->setCurrentIndex(i > 0 ? static_cast<int>(i) : 0);
    m_configCombo->setEnabled(!configs.isEmpty());
}

QList<qint64> ResultsPane::selectedIds() const
{
    QList<qint64> out;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows(ResultsLibraryModel::NameColumn);
    for (const QModelIndex& i : rows)
        out << i.data(ResultsLibraryModel::SetIdRole).toLongLong();
    return out;
}

void ResultsPane::selectIds(const QList<qint64>& ids)
{
    QItemSelection selection;
    for (const qint64 id : ids) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex i = m_proxy->mapFromSource(m_model->index(row, 0));
        if (i.isValid())
            selection.select(i, i);
    }
    if (selection.isEmpty())
        return;
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(selection.indexes().constFirst());
}

void ResultsPane::showCheckedInCharts()
{
    QList<qint64> ids = m_model->checkedIds();
    if (ids.isEmpty())
        ids = selectedIds();
    if (ids.isEmpty()) {
        emit statusMessage(tr("Check or select the result sets to chart first."));
        return;
    }
    showSets(ids);
}

void ResultsPane::removeSelected()
{
    if (!isLibraryAvailable())
        return;
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty())
        return;
    QStringList names;
    for (const qint64 id : ids) {
        if (const LibraryEntry* e = m_model->entryAt(m_model->rowOf(id)))
            names << e->name;
    }
    const QString text =
        ids.size() == 1
            ? tr("Remove “%1” from the results library?\n\nThe results file and the job history are not touched; the "
                 "file can be imported again.")
                  .arg(names.value(0))
            : tr("Remove %1 result sets from the results library?\n%2\n\nThe results files and the job history are not "
                 "touched; the files can be imported again.")
                  .arg(ids.size())
                  .arg(bulletList(names));
    if (Dialogs::question(
            this, tr("Remove from Library"), text, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) !=
        QMessageBox::Yes)
        return;
    QStringList failed;
    int removed = 0;
    for (const qint64 id : ids) {
        if (m_library->remove(id))
            ++removed;
        else
            failed << m_library->errorString();
    }
    refreshLibrary();
    if (!failed.isEmpty()) {
        m_banner->showMessage(tr("Could not remove from the results library:") + u'\n' + bulletList(failed),
                              MessageBanner::Type::Error);
    }
    emit statusMessage(tr("Removed %n result set(s) from the library", nullptr, removed));
}

void ResultsPane::importWithDialog()
{
    const QStringList files = Dialogs::getOpenFileNames(
        this, tr("Import Results"), m_lastDirectory, tr("Results files (*.json *.jsonl);;All files (*)"));
    if (!files.isEmpty())
        importFiles(files);
}

void ResultsPane::importFolderWithDialog()
{
    const QString dir = Dialogs::getExistingDirectory(this, tr("Import Results Folder"), m_lastDirectory);
    if (!dir.isEmpty())
        importFiles({dir});
}

void ResultsPane::exportChart()
{
    if (m_charts->results().isEmpty()) {
        emit statusMessage(tr("Nothing to export yet: import results or show library sets in the charts first."));
        return;
    }
    const QString kind = chartKindKey(m_charts->chartKind());
    const QString png = tr("PNG image (*.png)");
    const QString filter =
        QStringList{png, tr("PDF document (*.pdf)"), tr("SVG image (*.svg)"), tr("CSV table (*.csv)")}.join(u";;"_s);
    QString path =
        Dialogs::getSaveFileName(this, tr("Export Chart"), QDir(m_lastDirectory).filePath(kind + u".png"_s), filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += u".png"_s;
    QString error;
    if (!m_charts->exportTo(path, &error))
        m_banner->showMessage(tr("Could not export the chart: %1").arg(error), MessageBanner::Type::Error);
}

void ResultsPane::updateActions()
{
    const bool library = isLibraryAvailable();
    const qsizetype checked = m_model->checkedIds().size();
    const qsizetype selected = m_table->selectionModel() ? selectedIds().size() : 0;
    m_showAction->setEnabled(library && (checked > 0 || selected > 0));
    m_removeAction->setEnabled(library && selected > 0);
    const int rows = m_model->rowCount();
    m_countLabel->setText(!library      ? tr("no library")
                          : checked > 0 ? tr("%1 of %n checked", nullptr, rows).arg(checked)
                                        : tr("%n set(s)", nullptr, rows));
}

void ResultsPane::dragEnterEvent(QDragEnterEvent* event)
{
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            event->acceptProposedAction();
            return;
        }
    }
}

void ResultsPane::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            paths << url.toLocalFile();
    }
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    importFiles(paths);
}

} // namespace QuantDesk

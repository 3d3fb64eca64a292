#include "ui/MainWindow.h"

#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

#include "core/engines/EngineProfile.h"
#include "core/model/MemoryPrediction.h"
#include "core/quant/Presets.h"
#include "core/remote/JobManager.h"
#include "core/remote/SshModelFileReader.h"
#include "core/results/ResultsImporter.h"
#include "core/results/ResultsLibrary.h"
#include "core/task/TaskPlan.h"
#include "ui/CollapsibleSection.h"
#include "ui/ComparisonPane.h"
#include "ui/DiagnosticsView.h"
#include "ui/Dialogs.h"
#include "ui/EnglishPlurals.h"
#include "ui/MessageBanner.h"
#include "ui/PresetListModel.h"
#include "ui/PreviewPane.h"
#include "ui/QuantEditor.h"
#include "ui/Settings.h"
#include "ui/SupportMatrixDialog.h"
#include "ui/TaskIo.h"
#include "ui/TaskPane.h"
#include "ui/charts/ChartPane.h"
#include "ui/hosts/HostProber.h"
#include "ui/hosts/HostStore.h"
#include "ui/hosts/HostsDialog.h"
#include "ui/hosts/SecretStore.h"
#include "ui/jobs/JobNotifier.h"
#include "ui/jobs/JobsPane.h"
#include "ui/jobs/SubmitDialog.h"
#include "ui/results/ResultsPane.h"

// Q_INIT_RESOURCE must run at global namespace scope: the icons live in the static UI library.
static void initUiResources()
{
    Q_INIT_RESOURCE(ui);
}

using namespace Qt::StringLiterals;

namespace QuantDesk
{

MainWindow::MainWindow(Settings& settings, PresetStore& presets, QWidget* parent)
    : MainWindow(settings, presets, createTaskIo(&presets), parent)
{}

MainWindow::MainWindow(Settings& settings, PresetStore& presets, std::unique_ptr<TaskIo> io, QWidget* parent)
    : QMainWindow(parent), m_settings(settings), m_engines(ProfileRegistry::builtIn().engines())
{
    initUiResources();
    EnglishPlurals::ensureInstalled();
    setObjectName(u"mainWindow"_s);
    setWindowIcon(QIcon(u":/icons/quantdesk.svg"_s));
    setAcceptDrops(true);
    m_presetModel = new PresetListModel(presets, this);
    m_session = new DocumentSession(std::move(io), presets, this);
    m_previewTimer = new QTimer(this);
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(kPreviewDebounceMs);
    connect(m_previewTimer, &QTimer::timeout, this, &MainWindow::refreshPreviewNow);

    buildWidgets();
    buildActions();
    buildResultsUi();
    buildHostsUi();
    buildJobsUi();
    connect(m_session, &DocumentSession::stateChanged, this, &MainWindow::onStateChanged);
    connect(m_session, &DocumentSession::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_session, &DocumentSession::filePathChanged, this, &MainWindow::updateTitle);
    restoreWindowState();
    onStateChanged(DocumentSession::Pace::Immediate);
    updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildResultsUi()
{
    m_resultsLibrary = std::make_unique<ResultsLibrary>(m_settings.dataDirectory() + u"/results.sqlite"_s);
    if (!m_resultsLibrary->isOpen()) {
        m_banner->showMessage(tr("The results library cannot be opened: imported results are charted but not kept, "
                                 "and jobs' results stay in the job history only.\n%1")
                                  .arg(m_resultsLibrary->errorString()),
                              MessageBanner::Type::Error);
    }

    m_resultsDock = new QDockWidget(tr("Results"), this);
    m_resultsDock->setObjectName(u"resultsDockWidget"_s);
    m_resultsDock->setAllowedAreas(Qt::BottomDockWidgetArea | Qt::RightDockWidgetArea | Qt::LeftDockWidgetArea);
    m_resultsPane = new ResultsPane(m_resultsLibrary.get(), m_resultsDock);
    m_resultsPane->setLastDirectory(m_settings.get<QString>(Settings::Key::ResultsDirectory));
    m_resultsPane->setPresetStore(&m_presetModel->store());
    m_resultsDock->setWidget(m_resultsPane);
    addDockWidget(Qt::BottomDockWidgetArea, m_resultsDock);
    m_resultsDock->hide(); // shown on import, on a job's results, or as the saved window state says
    connect(m_resultsPane, &ResultsPane::statusMessage, this, [this](const QString& text) {
        statusBar()->showMessage(text, 5000);
    });
    connect(m_resultsPane, &ResultsPane::importStarted, this, &MainWindow::showResultsDock);
    connect(m_resultsDock, &QDockWidget::topLevelChanged, this, [this] {
        if (!m_placingResultsDock)
            m_resultsDockPlacedByUser = true;
    });

    QMenu* results = new QMenu(tr("&Results"), this);
    results->setObjectName(u"resultsMenu"_s);
    menuBar()->insertMenu(menuBar()->actions().constLast(), results);
    results->addAction(m_resultsPane->importAction());
    results->addAction(m_resultsPane->importFolderAction());
    connect(addAction(results,
                      u"showResultsAction"_s,
                      tr("Show &Results"),
                      QKeySequence(u"Ctrl+Shift+I"_s),
                      tr("Show the results library and the charts")),
            &QAction::triggered,
            this,
            [this] {
                showResultsDock();
                m_resultsPane->table()->setFocus(Qt::ShortcutFocusReason);
            });
    results->addSeparator();
    results->addAction(m_resultsPane->exportChartAction());
    results->addAction(m_resultsPane->removeAction());
}

void MainWindow::showResultsDock()
{
    const int wanted = m_resultsPane->sizeHint().height();
    // The room below the editor (the central widget keeps its minimum height), measured before the dock is shown:
    // a docked dock that does not fit makes the window grow.
    const int room =
        height() - centralWidget()->minimumSizeHint().height() - menuBar()->height() - statusBar()->height() - 16;
    const int needed = m_resultsPane->minimumSizeHint().height() + 24; // + the dock's title bar
    const bool toFloat =
        m_resultsDock->isHidden() && !m_resultsDock->isFloating() && !m_resultsDockPlacedByUser && room < needed;
    if (toFloat) {
        // A window too low for the charts below the editor (1280x800): the results open in their own window over
        // it, which docks back with a double click on its title.
        m_placingResultsDock = true;
        m_resultsDock->setFloating(true);
        m_placingResultsDock = false;
    }
    m_resultsDock->show();
    if (toFloat) {
        const QSize size(std::max(m_resultsPane->minimumSizeHint().width(), std::min(1240, width() - 40)),
                         std::max(needed, std::min(wanted + 200, height() - 60)));
        QRect r(QPoint(0, 0), size);
        r.moveCenter(geometry().center());
        m_resultsDock->setGeometry(r);
    }
    m_resultsDock->raise();
    if (m_resultsDock->isFloating())
        m_resultsDock->activateWindow();
    else if (m_resultsDock->height() < wanted * 3 / 4)
        resizeDocks({m_resultsDock}, {std::min(wanted, std::max(room, needed))}, Qt::Vertical);
}

void MainWindow::openJobResults(qint64 jobId)
{
    if (m_resultsPane->showJobResults(jobId)) {
        showResultsDock();
        return;
    }
    // Not in the library (fetched before it existed, or it could not keep them then): read them from the job history.
    ImportOptions options;
    options.presets = m_presetModel->store().all();
    const ImportResult imported = ResultsImporter::importJob(*m_jobStore, jobId, options);
    if (!imported.ok) {
        m_banner->showMessage(tr("Job %1 has no results in the results library, and none can be read from the job "
                                 "history: %2")
                                  .arg(jobId)
                                  .arg(imported.error),
                              MessageBanner::Type::Warning);
        return;
    }
    m_resultsPane->showNewSet(imported.set);
    showResultsDock();
    statusBar()->showMessage(m_resultsPane->isLibraryAvailable()
                                 ? tr("Job %1's results were not in the results library; added them now").arg(jobId)
                                 : tr("Job %1's results, read from the job history (no results library)").arg(jobId),
                             8000);
}

void MainWindow::onJobResultsImported(qint64 jobId, qint64 setId)
{
    m_resultsPane->refreshLibrary();
    m_resultsPane->addToCharts(setId);
    // The charts come up when the last running job is done; before that the jobs dock stays in front.
    if (m_jobManager->activeCount() == 0)
        showResultsDock();
    else
        statusBar()->showMessage(tr("Job %1's results are in the results library (Results ▸ Show Results)").arg(jobId),
                                 8000);
}

void MainWindow::setChartPrediction(const std::optional<MemoryPredictionInput>& input)
{
    // Redraws only when the model, GPU, engine or parameters changed.
    if (m_resultsPane)
        m_resultsPane->chartPane()->setMemoryPrediction(input);
}

void MainWindow::buildHostsUi()
{
    m_secrets = new SecretStore(this);
    m_secrets->setObjectName(u"secretStore"_s);
    m_hostStore = new HostStore(m_settings, this);
    m_hostStore->setObjectName(u"hostStore"_s);
    if (!m_hostStore->loadProblem().isEmpty())
        m_banner->showMessage(m_hostStore->loadProblem(), MessageBanner::Type::Warning);
    m_hostProber = new HostProber(m_secrets, this);
    m_hostProber->setObjectName(u"hostProber"_s);
    m_hostProber->setSshOptions(sshOptions());

    QMenu* hosts = new QMenu(tr("H&osts"), this);
    hosts->setObjectName(u"hostsMenu"_s);
    menuBar()->insertMenu(menuBar()->actions().constLast(), hosts);
    connect(addAction(hosts,
                      u"manageHostsAction"_s,
                      tr("&Manage Hosts…"),
                      QKeySequence(u"Ctrl+Shift+H"_s),
                      tr("Add, edit, remove and probe hosts; choose the target host")),
            &QAction::triggered,
            this,
            &MainWindow::manageHosts);
    connect(addAction(hosts,
                      u"probeTargetHostAction"_s,
                      tr("&Probe Target Host"),
                      QKeySequence(u"Ctrl+Shift+T"_s),
                      tr("Ask the target host for its GPUs and engine versions; the preview follows")),
            &QAction::triggered,
            this,
            &MainWindow::probeTargetHost);

    connect(m_hostProber, &HostProber::finished, this, [this](const QString& name, const ProbeResult& result) {
        if (name != m_hostStore->target())
            return;
        if (!result.reachable) {
            m_banner->showMessage(tr("The target host %1 could not be probed: %2").arg(name, result.error),
                                  MessageBanner::Type::Warning);
            return;
        }
        useTargetHost(result);
    });
    // An unknown host key of the target needs the user's decision: the host manager shows its fingerprint.
    connect(m_hostProber, &HostProber::hostKeyUnknown, this, [this](const QString& name) {
        if (name != m_hostStore->target())
            return;
        manageHosts();
        m_hostsDialog->selectHost(name);
    });
    connect(m_hostProber, &HostProber::progress, this, [this](const QString& name, const QString& text) {
        if (name == m_hostStore->target())
            statusBar()->showMessage(text, 5000);
    });
    connect(m_hostStore, &HostStore::targetChanged, this, [this](const QString& name) {
        // A model path that lives on the target host is read again from the new one.
        if (QDir::isAbsolutePath(m_session->state().model)) {
            m_modelKnown = false;
            refreshPreviewNow();
        }
        if (name.isEmpty())
            return;
        if (const auto r = m_hostProber->result(name); r && r->reachable)
            useTargetHost(*r);
        else if (!m_hostProber->isRunning(name))
            probeTargetHost();
    });
    connect(m_taskPane, &TaskPane::hostGpuRequested, this, [this] {
        const QString target = m_hostStore->target();
        if (target.isEmpty()) {
            m_banner->showMessage(tr("No target host yet: choose one in Hosts ▸ Manage Hosts (Use as Target)."),
                                  MessageBanner::Type::Information);
            manageHosts();
        } else if (const auto r = m_hostProber->result(target); r && r->reachable) {
            useTargetHost(*r);
        } else {
            probeTargetHost();
        }
    });
    connect(m_secrets, &SecretStore::fellBackToMemory, this, [this](const QString& note) {
        m_banner->showMessage(note, MessageBanner::Type::Warning);
    });
    // Tokens reach the job manager as soon as they are known (the keychain answers asynchronously, after the
    // window is built).
    connect(m_secrets, &SecretStore::readFinished, this, &MainWindow::passRestTokens);
    connect(m_secrets, &SecretStore::writeFinished, this, &MainWindow::passRestTokens);
    for (const HostSpec& h : m_hostStore->hosts()) {
        if (h.kind == HostSpec::Kind::Rest && m_hostStore->hasToken(h.displayName()))
            m_secrets->read(HostStore::secretKey(h));
    }
}

void MainWindow::manageHosts()
{
    if (!m_hostsDialog) {
        m_hostsDialog = new HostsDialog(*m_hostStore, *m_secrets, *m_hostProber, this);
        m_hostsDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_hostsDialog->show();
    m_hostsDialog->raise();
    m_hostsDialog->activateWindow();
}

void MainWindow::probeTargetHost()
{
    const QString target = m_hostStore->target();
    const auto host = m_hostStore->find(target);
    if (!host) {
        m_banner->showMessage(tr("No target host yet: choose one in Hosts ▸ Manage Hosts (Use as Target)."),
                              MessageBanner::Type::Information);
        return;
    }
    if (HostsDialog::tokenMissing(*m_hostStore, *m_secrets, target)) {
        manageHosts();
        m_hostsDialog->askForToken(target);
        return;
    }
    m_hostProber->probe(*host);
}

void MainWindow::useTargetHost(const ProbeResult& result)
{
    const QString name = result.host.displayName();
    const GpuInfo* gpu = result.targetGpu();
    if (!gpu) {
        m_banner->showMessage(tr("The target host %1 has no GPU the preview can use: %2")
                                  .arg(name, result.gpuError.isEmpty() ? tr("none found") : result.gpuError),
                              MessageBanner::Type::Warning);
        return;
    }
    TaskState next = m_session->state();
    next.gpu = *gpu;
    next.gpuFile.clear();
    next.gpuHost = name;
    QString note;
    const QString version = result.engines.value(next.engine);
    if (!version.isEmpty()) {
        next.engineVersion = version;
        static_cast<void>(ProfileRegistry::builtIn().select(next.engine, version, &note));
    }
    if (!(next == m_session->state()))
        m_session->edit(next, tr("Target host %1").arg(name), DocumentSession::Pace::Immediate);
    QString text = tr("Target host %1: %2").arg(name, gpu->name);
    if (!version.isEmpty())
        text += tr(", %1 %2").arg(ProfileRegistry::engineDisplayName(next.engine), version);
    if (!note.isEmpty())
        text += u" — "_s + note;
    statusBar()->showMessage(text, 10000);
}

QList<HostSpec> MainWindow::availableHosts() const
{
    return m_hostStore ? m_hostStore->hosts() : QList<HostSpec>{HostSpec{}};
}

void MainWindow::passRestTokens()
{
    if (!m_jobManager)
        return;
    for (const HostSpec& h : m_hostStore->hosts()) {
        if (h.kind != HostSpec::Kind::Rest)
            continue;
        if (const auto token = m_secrets->cached(HostStore::secretKey(h)))
            m_jobManager->setRestToken(h.baseUrl, *token);
    }
}

SshOptions MainWindow::sshOptions() const
{
    // QuantDesk's own known_hosts lives with its other data: host keys accepted in the host manager are the ones
    // jobs check against.
    SshOptions ssh = SshOptions::defaults();
    ssh.knownHostsFile = m_settings.dataDirectory() + u"/known_hosts"_s;
    return ssh;
}

void MainWindow::buildJobsUi()
{
    m_jobStore = std::make_unique<JobStore>(m_settings.dataDirectory() + u"/jobs.sqlite"_s);
    const bool open = m_jobStore->isOpen();
    if (!open) {
        m_banner->showMessage(tr("The job history cannot be opened, so jobs cannot be submitted or followed.\n%1")
                                  .arg(m_jobStore->errorString()),
                              MessageBanner::Type::Error);
    }
    m_jobManager = std::make_unique<JobManager>(m_jobStore.get(), sshOptions());
    m_jobManager->setObjectName(u"jobManager"_s);
    if (m_resultsLibrary)
        m_jobManager->setResultsLibrary(m_resultsLibrary.get());

    m_jobsDock = new QDockWidget(tr("Jobs"), this);
    m_jobsDock->setObjectName(u"jobsDockWidget"_s);
    m_jobsDock->setAllowedAreas(Qt::BottomDockWidgetArea | Qt::RightDockWidgetArea | Qt::LeftDockWidgetArea);
    m_jobsPane = new JobsPane(m_jobManager.get(), m_jobStore.get(), m_jobsDock);
    m_jobsDock->setWidget(m_jobsPane);
    addDockWidget(Qt::BottomDockWidgetArea, m_jobsDock);
    m_jobsDock->hide(); // shown on submit, or as the saved window state says
    if (m_resultsDock)
        tabifyDockWidget(m_resultsDock, m_jobsDock); // both at the bottom, one tab each when both are shown

    m_jobNotifier = new JobNotifier(statusBar(), this);
    m_jobNotifier->setObjectName(u"jobNotifier"_s);
    connect(m_jobManager.get(), &JobManager::jobFinished, m_jobNotifier, &JobNotifier::jobFinished);
    connect(m_jobManager.get(), &JobManager::resultsImported, this, &MainWindow::onJobResultsImported);
    connect(m_jobsPane, &JobsPane::openResultsRequested, this, &MainWindow::openJobResults);
    connect(m_jobManager.get(), &JobManager::resultsImportFailed, this, [this](qint64, const QString& error) {
        m_banner->showMessage(tr("A job's results could not be added to the results library: %1").arg(error),
                              MessageBanner::Type::Warning);
    });

    QMenu* jobs = new QMenu(tr("&Jobs"), this);
    jobs->setObjectName(u"jobsMenu"_s);
    menuBar()->insertMenu(menuBar()->actions().constLast(), jobs);
    QAction* submit = addAction(jobs,
                                u"submitToHostAction"_s,
                                tr("&Submit to Host…"),
                                QKeySequence(u"Ctrl+Return"_s),
                                tr("Export the task (one per compared config) and run it on a host"));
    submit->setEnabled(open);
    connect(submit, &QAction::triggered, this, &MainWindow::submitToHost);
    connect(addAction(jobs,
                      u"showJobsAction"_s,
                      tr("Show &Jobs"),
                      QKeySequence(u"Ctrl+Shift+J"_s),
                      tr("Show the jobs and their logs")),
            &QAction::triggered,
            this,
            [this] {
                m_jobsDock->show();
                m_jobsDock->raise();
                if (m_jobsDock->height() < m_jobsPane->sizeHint().height() / 2)
                    resizeDocks({m_jobsDock}, {m_jobsPane->sizeHint().height()}, Qt::Vertical);
                m_jobsPane->table()->setFocus(Qt::ShortcutFocusReason);
            });
    jobs->addSeparator();
    jobs->addAction(m_jobsPane->cancelAction());
    jobs->addAction(m_jobsPane->restartAction());
    jobs->addAction(m_jobsPane->retryAction());
    jobs->addAction(m_jobsPane->openResultsAction());

    if (open) {
        // Jobs that were running when QuantDesk last stopped are followed again.
        if (const int n = m_jobManager->reattach(); n > 0)
            statusBar()->showMessage(n == 1 ? tr("Following 1 unfinished job again")
                                            : tr("Following %1 unfinished jobs again").arg(n),
                                     5000);
    }
}

void MainWindow::submitToHost()
{
    const ExportResult exported = exportTasks(m_session->state(), m_presetModel->store());
    auto* dialog = new SubmitDialog(availableHosts(), exported, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const HostSpec host = dialog->host();
        const QList<qint64> ids = m_jobManager->submit(host, dialog->tasks());
        if (ids.isEmpty()) {
            m_banner->showMessage(tr("Could not record the jobs: %1").arg(m_jobStore->errorString()),
                                  MessageBanner::Type::Error);
            return;
        }
        m_jobsDock->show();
        m_jobsDock->raise();
        if (m_jobsDock->height() < m_jobsPane->sizeHint().height() / 2)
            resizeDocks({m_jobsDock}, {m_jobsPane->sizeHint().height()}, Qt::Vertical);
        m_jobsPane->showSubmitted(ids);
        statusBar()->showMessage(ids.size() == 1
                                     ? tr("Submitted 1 job to %1").arg(host.displayName())
                                     : tr("Submitted %1 jobs to %2").arg(ids.size()).arg(host.displayName()),
                                 5000);
    });
    dialog->open();
}

void MainWindow::buildWidgets()
{
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->setSpacing(4);
    m_banner = new MessageBanner(central);
    m_banner->setObjectName(u"messageBanner"_s);
    layout->addWidget(m_banner);

    m_mainSplitter = new QSplitter(Qt::Horizontal, central);
    m_mainSplitter->setObjectName(u"mainSplitter"_s);
    m_mainSplitter->setChildrenCollapsible(false);
    layout->addWidget(m_mainSplitter, 1);

    auto* taskBox = new QGroupBox(tr("Task"), m_mainSplitter);
    auto* taskLayout = new QVBoxLayout(taskBox);
    taskLayout->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(taskBox);
    scroll->setObjectName(u"taskScrollArea"_s);
    scroll->setAccessibleName(tr("Task settings"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_taskPane = new TaskPane(m_engines, scroll);
    scroll->setWidget(m_taskPane);
    taskLayout->addWidget(scroll);
    taskBox->setMinimumWidth(300);
    m_mainSplitter->addWidget(taskBox);

    m_rightSplitter = new QSplitter(Qt::Vertical, m_mainSplitter);
    m_rightSplitter->setObjectName(u"rightSplitter"_s);
    m_rightSplitter->setChildrenCollapsible(false);
    auto* top = new QWidget(m_rightSplitter);
    auto* topLayout = new QHBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    auto* editorBox = new QGroupBox(tr("Quantization"), top);
    auto* editorLayout = new QVBoxLayout(editorBox);
    editorLayout->setContentsMargins(2, 2, 2, 2);
    m_editor = new QuantEditor(m_presetModel, m_engines, editorBox);
    editorLayout->addWidget(m_editor);
    topLayout->addWidget(editorBox, 3);
    auto* compareBox = new QGroupBox(tr("Comparison"), top);
    auto* compareLayout = new QVBoxLayout(compareBox);
    compareLayout->setContentsMargins(2, 2, 2, 2);
    m_comparison = new ComparisonPane(m_presetModel, compareBox);
    compareLayout->addWidget(m_comparison);
    topLayout->addWidget(compareBox, 2);
    m_rightSplitter->addWidget(top);

    m_preview = new PreviewPane(m_engines, m_rightSplitter);
    m_rightSplitter->addWidget(m_preview);
    m_diagnostics = new DiagnosticsView(m_rightSplitter);
    m_rightSplitter->addWidget(m_diagnostics);
    m_rightSplitter->setStretchFactor(0, 0);
    m_rightSplitter->setStretchFactor(1, 3);
    m_rightSplitter->setStretchFactor(2, 1);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 1);
    setCentralWidget(central);

    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(u"statusLabel"_s);
    statusBar()->addWidget(m_statusLabel, 1);

    connect(m_editor, &QuantEditor::presetChosen, this, &MainWindow::onPresetChosen);
    connect(m_editor, &QuantEditor::fieldChosen, this, &MainWindow::onFieldChosen);
    connect(m_editor, &QuantEditor::supportMatrixRequested, this, &MainWindow::showSupportMatrix);
    connect(m_taskPane, &TaskPane::editRequested, m_session, &DocumentSession::edit);
    connect(m_taskPane, &TaskPane::errorOccurred, this, [this](const QString& message) {
        m_banner->showMessage(message, MessageBanner::Type::Error);
    });
    connect(m_preview, &PreviewPane::currentEngineChanged, this, &MainWindow::updateDiagnostics);
    connect(m_preview, &PreviewPane::flagHovered, this, [this](const QString& source) {
        m_editor->setHighlightedField(fieldFromName(source));
    });
    connect(m_preview, &PreviewPane::commandCopied, this, [this](const QString& engine) {
        statusBar()->showMessage(tr("Copied the %1 command").arg(ProfileRegistry::engineDisplayName(engine)), 3000);
    });
    connect(m_diagnostics, &DiagnosticsView::fieldActivated, this, &MainWindow::onFieldActivated);
    connect(m_diagnostics, &DiagnosticsView::fixRequested, this, &MainWindow::applyFix);
    connect(m_comparison, &ComparisonPane::addCurrentRequested, this, &MainWindow::addCurrentToComparison);
    connect(m_comparison, &ComparisonPane::addPresetRequested, this, [this](const QString& name) {
        const auto preset = m_presetModel->store().find(name);
        if (!preset)
            return;
        TaskState next = m_session->state();
        const QuantChoice choice{preset->name, preset->config};
        if (next.comparison.contains(choice))
            return;
        next.comparison << choice;
        m_session->edit(next, tr("Compare %1").arg(name), DocumentSession::Pace::Immediate);
    });
    connect(m_comparison, &ComparisonPane::removeRequested, this, [this](const QList<int>& rows) {
        TaskState next = m_session->state();
        for (auto it = rows.crbegin(); it != rows.crend(); ++it) {
            if (*it >= 0 && *it < next.comparison.size())
                next.comparison.removeAt(*it);
        }
        m_session->edit(next, tr("Remove from comparison"), DocumentSession::Pace::Immediate);
    });
    connect(m_comparison, &ComparisonPane::choiceActivated, this, [this](int row) {
        // Activating an entry loads it into the editor.
        TaskState next = m_session->state();
        if (row < 0 || row >= next.comparison.size())
            return;
        next.quant = next.comparison.at(row);
        m_session->edit(next, tr("Edit %1").arg(next.quant.label()), DocumentSession::Pace::Immediate);
    });
}

QAction* MainWindow::addAction(
    QMenu* menu, const QString& objectName, const QString& text, const QKeySequence& shortcut, const QString& toolTip)
{
    auto* action = new QAction(text, this);
    action->setObjectName(objectName);
    action->setShortcut(shortcut);
    action->setToolTip(toolTip.isEmpty() ? QString(text).remove(u'&').remove(u"…"_s) : toolTip);
    action->setStatusTip(action->toolTip());
    menu->addAction(action);
    return action;
}

void MainWindow::buildActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    connect(addAction(file, u"newAction"_s, tr("&New"), QKeySequence::New),
            &QAction::triggered,
            this,
            &MainWindow::newDocument);
    connect(addAction(file, u"openAction"_s, tr("&Open…"), QKeySequence::Open),
            &QAction::triggered,
            this,
            &MainWindow::openDocument);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(u"recentMenu"_s);
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    rebuildRecentMenu();
    file->addSeparator();
    connect(addAction(file, u"saveAction"_s, tr("&Save"), QKeySequence::Save),
            &QAction::triggered,
            this,
            &MainWindow::save);
    connect(addAction(file, u"saveAsAction"_s, tr("Save &As…"), QKeySequence(u"Ctrl+Shift+S"_s)),
            &QAction::triggered,
            this,
            &MainWindow::saveAs);
    connect(addAction(file,
                      u"exportAction"_s,
                      tr("&Export for Autotuner…"),
                      QKeySequence(u"Ctrl+E"_s),
                      tr("Write one pinned autotuner task per compared config")),
            &QAction::triggered,
            this,
            &MainWindow::exportForAutotuner);
    file->addSeparator();
    connect(addAction(file, u"quitAction"_s, tr("&Quit"), QKeySequence(u"Ctrl+Q"_s)),
            &QAction::triggered,
            this,
            &QMainWindow::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_session->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(u"undoAction"_s);
    undo->setShortcut(QKeySequence::Undo);
    edit->addAction(undo);
    QAction* redo = m_session->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(u"redoAction"_s);
    redo->setShortcuts({QKeySequence(u"Ctrl+Shift+Z"_s), QKeySequence(u"Ctrl+Y"_s)});
    edit->addAction(redo);
    edit->addSeparator();
    connect(addAction(edit,
                      u"copyCommandAction"_s,
                      tr("&Copy Command"),
                      QKeySequence(u"Ctrl+Shift+C"_s),
                      tr("Copy the shown engine's launch command")),
            &QAction::triggered,
            m_preview,
            &PreviewPane::copyCurrentCommand);
    m_applyFixAction = addAction(edit,
                                 u"applyFixAction"_s,
                                 tr("Apply &Fix"),
                                 QKeySequence(u"Ctrl+Shift+X"_s),
                                 tr("Apply the selected diagnostic's suggested fix"));
    m_applyFixAction->setEnabled(false);
    connect(m_applyFixAction, &QAction::triggered, m_diagnostics, &DiagnosticsView::applySelectedFix);
    connect(m_diagnostics, &DiagnosticsView::fixAvailableChanged, m_applyFixAction, &QAction::setEnabled);

    QMenu* quant = menuBar()->addMenu(tr("&Quantization"));
    connect(addAction(quant,
                      u"savePresetAction"_s,
                      tr("&Save as Preset…"),
                      QKeySequence(u"Ctrl+Shift+P"_s),
                      tr("Save the four fields as a user preset")),
            &QAction::triggered,
            this,
            &MainWindow::savePresetAs);
    m_renamePresetAction = addAction(quant,
                                     u"renamePresetAction"_s,
                                     tr("&Rename Preset…"),
                                     QKeySequence(u"Ctrl+Shift+R"_s),
                                     tr("Rename the selected user preset"));
    connect(m_renamePresetAction, &QAction::triggered, this, &MainWindow::renamePreset);
    m_deletePresetAction = addAction(quant,
                                     u"deletePresetAction"_s,
                                     tr("&Delete Preset"),
                                     QKeySequence(u"Ctrl+Shift+Del"_s),
                                     tr("Delete the selected user preset"));
    connect(m_deletePresetAction, &QAction::triggered, this, &MainWindow::deletePreset);
    quant->addSeparator();
    connect(addAction(quant, u"addToComparisonAction"_s, tr("&Add to Comparison"), QKeySequence(u"Ctrl+Shift+A"_s)),
            &QAction::triggered,
            this,
            &MainWindow::addCurrentToComparison);
    connect(addAction(quant, u"supportMatrixAction"_s, tr("Support &Matrix…"), QKeySequence(u"Ctrl+M"_s)),
            &QAction::triggered,
            this,
            &MainWindow::showSupportMatrix);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    connect(addAction(view, u"focusPresetAction"_s, tr("Go to &Preset"), QKeySequence(u"Ctrl+P"_s)),
            &QAction::triggered,
            this,
            [this] { m_editor->presetComboBox()->setFocus(Qt::ShortcutFocusReason); });
    connect(addAction(view, u"focusDiagnosticsAction"_s, tr("Go to &Diagnostics"), QKeySequence(u"Ctrl+D"_s)),
            &QAction::triggered,
            this,
            [this] { m_diagnostics->setFocus(Qt::ShortcutFocusReason); });
    view->addSeparator();
    for (qsizetype i = 0; i < m_engines.size(); ++i) {
        const QString engine = m_engines.at(i);
        connect(addAction(view,
                          engine + u"TabAction"_s,
                          tr("Show %1 Preview").arg(ProfileRegistry::engineDisplayName(engine)),
                          QKeySequence(u"Ctrl+%1"_s.arg(i + 1))),
                &QAction::triggered,
                this,
                [this, engine] { m_preview->setCurrentEngine(engine); });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    connect(addAction(help, u"aboutAction"_s, tr("&About QuantDesk"), QKeySequence(u"F1"_s)),
            &QAction::triggered,
            this,
            [this] {
                Dialogs::information(this,
                                     tr("About QuantDesk"),
                                     tr("QuantDesk %1\nRuntime quantization configs for LLM inference servers: "
                                        "the exact launch command for vLLM, SGLang and TensorRT-LLM.")
                                         .arg(QCoreApplication::applicationVersion()));
            });
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = m_settings.recentFiles();
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString path = files.at(i);
        QAction* a = m_recentMenu->addAction(u"&%1 %2"_s.arg(i + 1).arg(QFileInfo(path).fileName()));
        a->setObjectName(u"recentFileAction%1"_s.arg(i + 1));
        a->setToolTip(path);
        a->setShortcut(QKeySequence(u"Ctrl+Alt+%1"_s.arg(i + 1)));
        connect(a, &QAction::triggered, this, [this, path] { openFile(path); });
    }
    if (!files.isEmpty())
        m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("&Clear Recent Files"));
    clear->setObjectName(u"clearRecentAction"_s);
    clear->setShortcut(QKeySequence(u"Ctrl+Alt+0"_s));
    clear->setEnabled(!files.isEmpty());
    connect(clear, &QAction::triggered, this, [this] { m_settings.reset(Settings::Key::RecentFiles); });
}

void MainWindow::restoreWindowState()
{
    const QByteArray geometry = m_settings.get<QByteArray>(Settings::Key::MainWindowGeometry);
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        QSize size(1280, 800);
        if (const QScreen* s = screen())
            size = size.boundedTo(s->availableSize() * 0.95);
        resize(size);
    }
    restoreState(m_settings.get<QByteArray>(Settings::Key::MainWindowState));
    if (!m_mainSplitter->restoreState(m_settings.get<QByteArray>(Settings::Key::MainSplitterState)))
        m_mainSplitter->setSizes({360, 920});
    if (!m_rightSplitter->restoreState(m_settings.get<QByteArray>(Settings::Key::RightSplitterState)))
        m_rightSplitter->setSizes({210, 380, 170});
    m_taskPane->optimizationSection()->setExpanded(m_settings.get<bool>(Settings::Key::OptimizationExpanded));
    m_taskPane->benchmarkSection()->setExpanded(m_settings.get<bool>(Settings::Key::BenchmarkExpanded));
}

void MainWindow::saveWindowState()
{
    m_settings.setValue(Settings::Key::MainWindowGeometry, saveGeometry());
    m_settings.setValue(Settings::Key::MainWindowState, saveState());
    m_settings.setValue(Settings::Key::MainSplitterState, m_mainSplitter->saveState());
    m_settings.setValue(Settings::Key::RightSplitterState, m_rightSplitter->saveState());
    m_settings.setValue(Settings::Key::OptimizationExpanded, m_taskPane->optimizationSection()->isExpanded());
    m_settings.setValue(Settings::Key::BenchmarkExpanded, m_taskPane->benchmarkSection()->isExpanded());
    if (m_resultsPane)
        m_settings.setValue(Settings::Key::ResultsDirectory, m_resultsPane->lastDirectory());
    m_settings.sync();
}

void MainWindow::updateTitle()
{
    setWindowTitle(tr("%1[*] — QuantDesk").arg(m_session->displayName()));
    setWindowModified(m_session->isModified());
}

bool MainWindow::isPreviewPending() const
{
    return m_previewTimer->isActive();
}

void MainWindow::onStateChanged(DocumentSession::Pace pace)
{
    const TaskState& s = m_session->state();
    m_taskPane->setState(s);
    m_editor->setChoice(s.quant);
    m_comparison->setChoices(s.comparison);
    updatePresetActions();
    if (s.engine != m_taskEngine) {
        // The preview follows the task's engine when it changes (the user can still look at the others).
        m_taskEngine = s.engine;
        m_preview->setCurrentEngine(s.engine);
    }
    if (pace == DocumentSession::Pace::Immediate)
        refreshPreviewNow();
    else
        m_previewTimer->start();
}

void MainWindow::updatePresetActions()
{
    const QString preset = m_session->state().quant.preset;
    const bool userPreset = !preset.isEmpty() && !findBuiltInPreset(preset) && m_presetModel->store().find(preset);
    m_renamePresetAction->setEnabled(userPreset);
    m_deletePresetAction->setEnabled(userPreset);
}

void MainWindow::refreshPreviewNow()
{
    m_previewTimer->stop();
    const TaskState& s = m_session->state();
    // The model as export will see it too (taskModelInfo): the checkpoint's files, else the name, else what the task's
    // model object declares. The files are read once per model id.
    const auto modelIt = s.document.json().find("model");
    const nlohmann::ordered_json declared =
        modelIt != s.document.json().end() && modelIt->is_object() ? *modelIt : nlohmann::ordered_json::object();
    if (!m_modelKnown || s.model != m_modelKey || declared != m_modelDeclared) {
        if (!m_modelKnown || s.model != m_modelKey) {
            m_inspectedModel = inspectModel(s.model);
            // The host's files win; a host that could not be read leaves a readable local copy in use.
            if (auto remote = modelOnTargetHost(s.model); remote && (remote->config || !m_inspectedModel.config))
                m_inspectedModel = *remote;
        }
        nlohmann::ordered_json model = declared;
        model["id_or_path"] = toStd(s.model);
        TaskDocument modelOnly;
        modelOnly.setValue(u"model"_s, model);
        m_modelInfo = taskModelInfo(modelOnly, m_inspectedModel);
        m_modelKey = s.model;
        m_modelDeclared = declared;
        m_modelKnown = true;
    }
    m_commands.clear();
    for (const QString& engine : std::as_const(m_engines))
        m_commands << buildTaskCommand(s, engine, s.quant.config, m_modelInfo);
    const std::optional<QString> preset = s.quant.preset.isEmpty() ? std::nullopt : std::optional(s.quant.preset);
    m_preview->setCommands(m_commands, s.engine, preset, s.quant.config);
    m_editor->setSupport(m_commands);

    // Parameters that replaced a flag of the quant config (the mapper accepts either spelling of a flag).
    QStringList overriding;
    for (const EngineCommand& cmd : std::as_const(m_commands)) {
        const EngineProfile* profile = cmd.engine == s.engine
                                           ? ProfileRegistry::builtIn().select(cmd.engine, cmd.profileVersion, nullptr)
                                           : nullptr;
        if (!profile)
            continue;
        for (const ParameterEntry& p : s.parameters) {
            const FlagSpec* spec = profile->findFlag(p.key);
            const CommandFlag* flag = spec ? cmd.findFlag(spec->name) : nullptr;
            if (flag && flag->source == u"parameter" && flag->overrides)
                overriding << p.key;
        }
    }
    m_taskPane->setOverriddenParameters(overriding);
    updateMemoryPrediction();
    updateDiagnostics();
    m_statusLabel->setText(tr("%1 · %2 · model: %3")
                               .arg(s.quant.preset.isEmpty() ? tr("Custom") : s.quant.preset,
                                    s.quant.config.summary(),
                                    s.model.isEmpty() ? tr("(none)") : s.model));
    ++m_refreshCount;
    emit previewRefreshed();
}

std::optional<ModelInfo> MainWindow::modelOnTargetHost(const QString& model)
{
    if (!m_hostStore || !QDir::isAbsolutePath(model))
        return std::nullopt;
    const auto host = m_hostStore->find(m_hostStore->target());
    if (!host || host->kind != HostSpec::Kind::Ssh)
        return std::nullopt;
    const QString key = host->target() + u'|' + model;
    if (key == m_remoteModelKey)
        return m_remoteModel; // read (or nullopt: still being read)
    m_remoteModelKey = key;
    m_remoteModelHost = host->displayName();
    m_remoteModel.reset();
    if (!m_remoteModelWatcher) {
        m_remoteModelWatcher = new QFutureWatcher<ModelInfo>(this);
        connect(m_remoteModelWatcher, &QFutureWatcher<ModelInfo>::finished, this, [this] {
            const QString key = m_remoteModelWatcher->property("qdKey").toString();
            if (key != m_remoteModelKey)
                return; // the model or the target changed meanwhile; a newer read is running
            m_remoteModel = m_remoteModelWatcher->result();
            statusBar()->showMessage(m_remoteModel->config
                                         ? tr("Read %1 on %2").arg(m_remoteModel->idOrPath, m_remoteModelHost)
                                         : tr("Could not read %1 on %2: %3")
                                               .arg(m_remoteModel->idOrPath,
                                                    m_remoteModelHost,
                                                    m_remoteModel->configError.isEmpty() ? tr("no config.json there")
                                                                                         : m_remoteModel->configError),
                                     10000);
            m_modelKnown = false; // inspect again: now from the host's files
            refreshPreviewNow();
        });
    }
    m_remoteModelWatcher->setProperty("qdKey", key);
    m_remoteModelWatcher->setFuture(inspectRemoteModel(*host, sshOptions(), model));
    statusBar()->showMessage(tr("Reading %1 on %2…").arg(model, m_remoteModelHost));
    return std::nullopt;
}

void MainWindow::updateMemoryPrediction()
{
    const TaskState& s = m_session->state();
    const EngineCommand* command = nullptr;
    for (const EngineCommand& c : std::as_const(m_commands)) {
        if (c.engine == s.engine)
            command = &c;
    }
    std::optional<MemoryPrediction> prediction;
    QString reason;
    const bool readingOnHost =
        m_remoteModelWatcher && m_remoteModelWatcher->isRunning() && m_remoteModelKey.endsWith(u'|' + s.model);
    if (s.model.isEmpty())
        reason = tr("set the task's model (a local folder or a model in the Hugging Face cache)");
    else if (readingOnHost)
        reason = tr("reading %1 on %2…").arg(s.model, m_remoteModelHost);
    else if (!m_modelInfo.config)
        reason =
            m_modelInfo.configError.isEmpty()
                ? tr("no config.json for %1 (not a local folder or a model in the Hugging Face cache)").arg(s.model)
                : tr("%1: %2").arg(s.model, m_modelInfo.configError);
    else if (!command)
        reason = tr("no command for %1").arg(s.engine);
    else
        prediction = predictMemory(m_modelInfo, *command, s.gpu);
    m_editor->setMemoryPrediction(prediction, reason);

    // The memory chart predicts each result's config for the same model and GPU; the results' own engine and
    // parameters win where they have them.
    std::optional<MemoryPredictionInput> input;
    if (m_modelInfo.config) {
        MemoryPredictionInput in;
        in.model = m_modelInfo;
        in.gpu = s.gpu;
        in.engine = s.engine;
        if (command)
            in.parameters = commandParameters(*command);
        input = in;
    }
    setChartPrediction(input);
}

void MainWindow::updateDiagnostics()
{
    const QString engine = m_preview->currentEngine();
    for (const EngineCommand& cmd : std::as_const(m_commands)) {
        if (cmd.engine == engine) {
            m_diagnostics->setDiagnostics(ProfileRegistry::engineDisplayName(engine), cmd.diagnostics);
            return;
        }
    }
    m_diagnostics->setDiagnostics(QString(), {});
}

QString MainWindow::matchingPreset(const QuantConfig& config, const QString& preferred) const
{
    if (const auto p = m_presetModel->store().find(preferred); p && p->config == config)
        return preferred;
    return m_presetModel->store().matching(config).value_or(QString());
}

void MainWindow::onPresetChosen(const QString& name)
{
    const auto preset = m_presetModel->store().find(name);
    if (!preset)
        return;
    TaskState next = m_session->state();
    next.quant = QuantChoice{preset->name, preset->config};
    m_session->edit(next, tr("Choose preset %1").arg(name), DocumentSession::Pace::Immediate);
}

void MainWindow::onFieldChosen(QuantField field, const QString& value)
{
    TaskState next = m_session->state();
    next.quant.config.setValue(field, value);
    next.quant.preset = matchingPreset(next.quant.config, next.quant.preset);
    m_session->edit(next, tr("Set %1 to %2").arg(fieldKey(field), value), DocumentSession::Pace::Immediate);
}

void MainWindow::onFieldActivated(const QString& field)
{
    if (const auto f = fieldFromName(field)) {
        m_editor->focusField(*f);
        return;
    }
    m_taskPane->focusField(field);
}

void MainWindow::applyFix(const Diagnostic& diagnostic)
{
    const FixAction& a = diagnostic.action;
    TaskState next = m_session->state();
    switch (a.kind) {
    case FixAction::Kind::None:
        return;
    case FixAction::Kind::SetField: {
        const auto field = fieldFromName(a.key);
        if (!field || !isValidFieldValue(*field, a.value))
            return;
        next.quant.config.setValue(*field, a.value);
        next.quant.preset = matchingPreset(next.quant.config, next.quant.preset);
        break;
    }
    case FixAction::Kind::SetParameter: {
        bool found = false;
        for (ParameterEntry& p : next.parameters) {
            if (p.key == a.key) {
                p.values = parameterValuesFromText(a.value);
                found = true;
            }
        }
        if (!found)
            next.parameters.append({a.key, parameterValuesFromText(a.value)});
        break;
    }
    case FixAction::Kind::RemoveParameter:
        next.parameters.removeIf([&](const ParameterEntry& p) { return p.key == a.key; });
        break;
    }
    m_session->edit(next, tr("Apply fix for %1").arg(diagnostic.id), DocumentSession::Pace::Immediate);
    statusBar()->showMessage(tr("Applied the fix for %1; Undo reverts it").arg(diagnostic.id), 4000);
}

void MainWindow::addCurrentToComparison()
{
    TaskState next = m_session->state();
    if (next.comparison.contains(next.quant)) {
        statusBar()->showMessage(tr("%1 is already in the comparison").arg(next.quant.label()), 3000);
        return;
    }
    next.comparison << next.quant;
    m_session->edit(next, tr("Compare %1").arg(next.quant.label()), DocumentSession::Pace::Immediate);
}

bool MainWindow::maybeSave()
{
    if (!m_session->isModified())
        return true;
    const auto answer = Dialogs::question(this,
                                          tr("Unsaved changes"),
                                          tr("%1 has unsaved changes. Save them first?").arg(m_session->displayName()),
                                          QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel,
                                          QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::newDocument()
{
    if (!maybeSave())
        return;
    m_banner->hideMessage();
    m_session->newDocument();
}

void MainWindow::openDocument()
{
    const QString path = Dialogs::getOpenFileName(this,
                                                  tr("Open task"),
                                                  m_settings.get<QString>(Settings::Key::LastDirectory),
                                                  tr("Task JSON (*.json);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

bool MainWindow::openFile(const QString& path)
{
    // Read first: a file that cannot be opened must not cost the user a save prompt, nor the open document.
    QString error;
    QStringList problems;
    const auto loaded = m_session->read(path, &error, &problems);
    if (!loaded) {
        m_banner->showMessage(tr("Could not open the task; the document is unchanged.\n%1").arg(error),
                              MessageBanner::Type::Error);
        if (!QFileInfo::exists(path))
            m_settings.removeRecentFile(path);
        return false;
    }
    if (!maybeSave())
        return false;
    m_session->adopt(*loaded, path);
    if (problems.isEmpty()) {
        m_banner->hideMessage();
    } else {
        m_banner->showMessage(tr("Opened with %n problem(s) the autotuner would trip over:\n%1",
                                 nullptr,
                                 static_cast<int>(problems.size()))
                                  .arg(problems.join(u'\n')),
                              MessageBanner::Type::Warning);
    }
    m_settings.addRecentFile(path);
    m_settings.setValue(Settings::Key::LastDirectory, QFileInfo(path).absolutePath());
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 3000);
    return true;
}

bool MainWindow::save()
{
    if (m_session->filePath().isEmpty())
        return saveAs();
    QString error;
    if (!m_session->save(m_session->filePath(), &error)) {
        m_banner->showMessage(tr("Could not save: %1").arg(error), MessageBanner::Type::Error);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_session->filePath())), 3000);
    return true;
}

bool MainWindow::saveAs()
{
    const QString suggested = m_session->filePath().isEmpty()
                                  ? QDir(m_settings.get<QString>(Settings::Key::LastDirectory))
                                        .filePath(m_session->state().taskName + u".json"_s)
                                  : m_session->filePath();
    QString path = Dialogs::getSaveFileName(this, tr("Save task"), suggested, tr("Task JSON (*.json)"));
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += u".json"_s;
    QString error;
    if (!m_session->save(path, &error)) {
        m_banner->showMessage(tr("Could not save: %1").arg(error), MessageBanner::Type::Error);
        return false;
    }
    m_settings.addRecentFile(path);
    m_settings.setValue(Settings::Key::LastDirectory, QFileInfo(path).absolutePath());
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 3000);
    return true;
}

void MainWindow::exportForAutotuner()
{
    const QString dir = Dialogs::getExistingDirectory(
        this, tr("Export autotuner tasks to"), m_settings.get<QString>(Settings::Key::LastDirectory));
    if (dir.isEmpty())
        return;
    QString error;
    const auto outcome = m_session->exportForAutotuner(dir, &error);
    if (!outcome) {
        m_banner->showMessage(tr("Export failed; nothing was written.\n%1").arg(error), MessageBanner::Type::Error);
        return;
    }
    QStringList names;
    for (const QString& f : outcome->written)
        names << QFileInfo(f).fileName();
    QString text = tr("Exported %n task(s) to %1: %2", nullptr, static_cast<int>(outcome->written.size()))
                       .arg(QDir::toNativeSeparators(dir), names.join(u", "_s));
    if (!outcome->refused.isEmpty())
        text += u"\n"_s + tr("Not exported:") + u"\n"_s + outcome->refused.join(u'\n');
    m_banner->showMessage(text,
                          outcome->refused.isEmpty() ? MessageBanner::Type::Positive : MessageBanner::Type::Warning);
}

void MainWindow::savePresetAs()
{
    const TaskState& s = m_session->state();
    const QString suggestion =
        s.quant.preset.isEmpty() || findBuiltInPreset(s.quant.preset) ? s.quant.config.slug() : s.quant.preset;
    const auto name = Dialogs::getText(this, tr("Save as preset"), tr("Preset name:"), suggestion);
    if (!name || name->trimmed().isEmpty())
        return;
    Preset preset;
    preset.name = name->trimmed();
    preset.description = tr("Saved from QuantDesk: %1").arg(s.quant.config.summary());
    preset.config = s.quant.config;
    QString error;
    if (!m_presetModel->savePreset(preset, &error)) {
        m_banner->showMessage(tr("Could not save the preset: %1").arg(error), MessageBanner::Type::Error);
        return;
    }
    TaskState next = s;
    next.quant.preset = preset.name;
    m_session->edit(next, tr("Save preset %1").arg(preset.name), DocumentSession::Pace::Immediate);
    updatePresetActions();
}

void MainWindow::renamePreset()
{
    const TaskState& s = m_session->state();
    const QString from = s.quant.preset;
    if (from.isEmpty() || findBuiltInPreset(from))
        return;
    const auto to = Dialogs::getText(this, tr("Rename preset"), tr("New name for %1:").arg(from), from);
    if (!to || to->trimmed().isEmpty() || to->trimmed() == from)
        return;
    QString error;
    if (!m_presetModel->renamePreset(from, to->trimmed(), &error)) {
        m_banner->showMessage(tr("Could not rename the preset: %1").arg(error), MessageBanner::Type::Error);
        return;
    }
    TaskState next = s;
    next.quant.preset = to->trimmed();
    for (QuantChoice& c : next.comparison) {
        if (c.preset == from)
            c.preset = to->trimmed();
    }
    m_session->edit(next, tr("Rename preset %1").arg(from), DocumentSession::Pace::Immediate);
    updatePresetActions();
}

void MainWindow::deletePreset()
{
    const TaskState& s = m_session->state();
    const QString name = s.quant.preset;
    if (name.isEmpty() || findBuiltInPreset(name))
        return;
    if (Dialogs::question(this,
                          tr("Delete preset"),
                          tr("Delete the user preset %1? The fields stay as they are.").arg(name),
                          QMessageBox::Yes | QMessageBox::No,
                          QMessageBox::No) != QMessageBox::Yes)
        return;
    QString error;
    if (!m_presetModel->removePreset(name, &error)) {
        m_banner->showMessage(tr("Could not delete the preset: %1").arg(error), MessageBanner::Type::Error);
        return;
    }
    TaskState next = s;
    next.quant.preset = matchingPreset(next.quant.config, QString());
    for (QuantChoice& c : next.comparison) {
        if (c.preset == name)
            c.preset.clear();
    }
    m_session->edit(next, tr("Delete preset %1").arg(name), DocumentSession::Pace::Immediate);
    updatePresetActions();
}

void MainWindow::showSupportMatrix()
{
    QList<const EngineProfile*> profiles;
    for (const EngineCommand& cmd : std::as_const(m_commands)) {
        if (const EngineProfile* p = ProfileRegistry::builtIn().select(cmd.engine, cmd.profileVersion, nullptr))
            profiles << p;
    }
    auto* dialog = new SupportMatrixDialog(profiles, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    saveWindowState();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.constFirst().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.constFirst().isLocalFile())
        return;
    event->acceptProposedAction();
    const QString path = urls.constFirst().toLocalFile();
    // Open after the drop returns: the unsaved-changes prompt must not run inside the drag's event loop.
    QTimer::singleShot(0, this, [this, path] { openFile(path); });
}

} // namespace QuantDesk

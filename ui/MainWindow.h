#pragma once

#include <QFutureWatcher>
#include <QMainWindow>
#include <QPointer>
#include <memory>

#include "core/engines/EngineCommand.h"
#include "core/model/ModelInfo.h"
#include "core/remote/HostSpec.h"
#include "core/results/ResultSeries.h"
#include "ui/DocumentSession.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QSplitter;
class QTimer;

namespace QuantDesk
{

class ComparisonPane;
class DiagnosticsView;
class MessageBanner;
class PresetListModel;
class PresetStore;
class PreviewPane;
class QuantEditor;
class Settings;
class TaskIo;
class TaskPane;
class ResultsLibrary;
class ResultsPane;
class JobManager;
class JobNotifier;
class JobStore;
class JobsPane;
class HostProber;
class HostStore;
class HostsDialog;
class SecretStore;
struct ProbeResult;
struct SshOptions;

// The editor people live in: the task pane, the four-field editor with badges, the comparison list, the live
// preview per engine and the diagnostics, over one DocumentSession with undo/redo.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // Typing into text fields refreshes the preview after this pause; picks refresh at once.
    static constexpr int kPreviewDebounceMs = 150;

    MainWindow(Settings& settings, PresetStore& presets, QWidget* parent = nullptr);
    MainWindow(Settings& settings, PresetStore& presets, std::unique_ptr<TaskIo> io, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a task file after the unsaved-changes prompt. A file that does not load leaves the document as it was
    // and shows the reason in the banner.
    bool openFile(const QString& path);

    [[nodiscard]] DocumentSession* session() const { return m_session; }
    [[nodiscard]] QuantEditor* quantEditor() const { return m_editor; }
    [[nodiscard]] PreviewPane* previewPane() const { return m_preview; }
    [[nodiscard]] DiagnosticsView* diagnosticsView() const { return m_diagnostics; }
    [[nodiscard]] TaskPane* taskPane() const { return m_taskPane; }
    [[nodiscard]] ComparisonPane* comparisonPane() const { return m_comparison; }
    [[nodiscard]] MessageBanner* banner() const { return m_banner; }
    [[nodiscard]] PresetListModel* presetModel() const { return m_presetModel; }
    [[nodiscard]] const QList<EngineCommand>& commands() const { return m_commands; }
    // The model as the preview sees it (the checkpoint's files, here or on the target host).
    [[nodiscard]] const ModelInfo& modelInfo() const { return m_modelInfo; }
    [[nodiscard]] int previewRefreshCount() const { return m_refreshCount; }
    [[nodiscard]] bool isPreviewPending() const;

public slots:
    void newDocument();
    void openDocument();
    bool save();
    bool saveAs();
    void exportForAutotuner();
    void savePresetAs();
    void renamePreset();
    void deletePreset();
    void addCurrentToComparison();
    void showSupportMatrix();
    // Rebuilds every engine's command from the document now (the debounce timer calls this too).
    void refreshPreviewNow();

signals:
    void previewRefreshed();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    // Each area adds its docks, menus and services in its own builder, called in this order after the editor is
    // built: results (the library and charts), hosts (the host list, probes, the target host), jobs (submit and
    // follow; fetched results go to the results library).
    void buildResultsUi();
    void buildHostsUi();
    void buildJobsUi();
    // The hosts a job can be submitted to (local first).
    [[nodiscard]] QList<HostSpec> availableHosts() const;

    void buildWidgets();
    void buildActions();
    void restoreWindowState();
    void saveWindowState();
    void rebuildRecentMenu();
    void updateTitle();
    void onStateChanged(DocumentSession::Pace pace);
    void updateDiagnostics();
    // The predicted memory of the current config in the editor, and the predicted series of the memory chart.
    void updateMemoryPrediction();
    // With an SSH target host, a task model that is an absolute path is read on that host (where the engine will run
    // it), off the UI thread. Returns what was read there, or nullopt while it is read (or when it does not apply).
    std::optional<ModelInfo> modelOnTargetHost(const QString& model);
    void setChartPrediction(const std::optional<MemoryPredictionInput>& input);
    void updatePresetActions();
    void onPresetChosen(const QString& name);
    void onFieldChosen(QuantField field, const QString& value);
    void onFieldActivated(const QString& field);
    void applyFix(const Diagnostic& diagnostic);
    [[nodiscard]] bool maybeSave();
    [[nodiscard]] QString matchingPreset(const QuantConfig& config, const QString& preferred) const;
    QAction* addAction(QMenu* menu,
                       const QString& objectName,
                       const QString& text,
                       const QKeySequence& shortcut,
                       const QString& toolTip = {});

    Settings& m_settings;
    PresetListModel* m_presetModel = nullptr;
    DocumentSession* m_session = nullptr;
    QStringList m_engines;

    MessageBanner* m_banner = nullptr;
    TaskPane* m_taskPane = nullptr;
    QuantEditor* m_editor = nullptr;
    ComparisonPane* m_comparison = nullptr;
    PreviewPane* m_preview = nullptr;
    DiagnosticsView* m_diagnostics = nullptr;
    QSplitter* m_mainSplitter = nullptr;
    QSplitter* m_rightSplitter = nullptr;
    QLabel* m_statusLabel = nullptr;
    QMenu* m_recentMenu = nullptr;
    QAction* m_applyFixAction = nullptr;
    QAction* m_renamePresetAction = nullptr;
    QAction* m_deletePresetAction = nullptr;
    QTimer* m_previewTimer = nullptr;

    QList<EngineCommand> m_commands;
    QString m_taskEngine;
    QString m_modelKey;
    ModelInfo m_inspectedModel;             // inspectModel(m_modelKey): what the files say
    nlohmann::ordered_json m_modelDeclared; // the task's model object the info was resolved with
    ModelInfo m_modelInfo;                  // what the preview uses (taskModelInfo)
    bool m_modelKnown = false;
    QFutureWatcher<ModelInfo>* m_remoteModelWatcher = nullptr;
    QString m_remoteModelKey;               // "user@host:port|/path" read, or being read
    QString m_remoteModelHost;              // the host's display name
    std::optional<ModelInfo> m_remoteModel; // the result for m_remoteModelKey
    int m_refreshCount = 0;

    // results (issues 8, 9)
    void showResultsDock();
    // A job's results: its library set in the charts (read from the job history if the library has none).
    void openJobResults(qint64 jobId);
    void onJobResultsImported(qint64 jobId, qint64 setId);
    std::unique_ptr<ResultsLibrary> m_resultsLibrary;
    QDockWidget* m_resultsDock = nullptr;
    ResultsPane* m_resultsPane = nullptr;
    bool m_placingResultsDock = false;
    bool m_resultsDockPlacedByUser = false; // docked or floated by hand: showing it keeps it there

    // hosts (issue 6)
    void manageHosts();
    void probeTargetHost();
    void useTargetHost(const ProbeResult& result);
    void passRestTokens(); // every REST host's known token to the job manager
    // SSH options for probes and jobs alike (one known_hosts file).
    [[nodiscard]] SshOptions sshOptions() const;
    HostStore* m_hostStore = nullptr;
    SecretStore* m_secrets = nullptr;
    HostProber* m_hostProber = nullptr;
    QPointer<HostsDialog> m_hostsDialog;

    // jobs (issue 7)
    void submitToHost();
    std::unique_ptr<JobStore> m_jobStore;
    std::unique_ptr<JobManager> m_jobManager; // declared after the store: destroyed before it
    QDockWidget* m_jobsDock = nullptr;
    JobsPane* m_jobsPane = nullptr;
    JobNotifier* m_jobNotifier = nullptr;
};

} // namespace QuantDesk

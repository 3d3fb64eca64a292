#pragma once

#include <QList>
#include <QStringList>
#include <QWidget>
#include <optional>

#include "core/results/ResultModel.h"

class QAction;
class QBoxLayout;
class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace QuantDesk
{

class ChartPane;
class MessageBanner;
class PresetStore;
class ResultsLibrary;
class ResultsLibraryModel;

// The Results dock: the results library (every imported file and every job's fetched results) as a filterable table
// beside the charts. Check sets (or select them) and Show in Charts to compare them across jobs, or pick a config to
// chart every set that ran it. Importing files (the menu, or dropping them on the pane) reads them off the UI thread,
// stores each set in the library (the same file again replaces its set) and charts it. Without a usable library
// (a file that is not a database) the charts still work on imported files; the pane says so.
class ResultsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsPane)

public:
    // library may be null or not open; not owned.
    explicit ResultsPane(ResultsLibrary* library, QWidget* parent = nullptr);
    ~ResultsPane() override;

    [[nodiscard]] QSize sizeHint() const override;
    // User presets name configs on import too; not owned, may be null (built-in presets only).
    void setPresetStore(const PresetStore* presets);

    [[nodiscard]] ResultsLibrary* library() const { return m_library; }
    [[nodiscard]] bool isLibraryAvailable() const;
    [[nodiscard]] ResultsLibraryModel* model() const { return m_model; }
    [[nodiscard]] QSortFilterProxyModel* proxy() const { return m_proxy; }
    [[nodiscard]] QTableView* table() const { return m_table; }
    [[nodiscard]] ChartPane* chartPane() const { return m_charts; }
    // Where the import and export dialogs open (the folder of the last import); kept across sessions by the window.
    [[nodiscard]] const QString& lastDirectory() const { return m_lastDirectory; }
    void setLastDirectory(const QString& dir) { m_lastDirectory = dir; }
    [[nodiscard]] MessageBanner* banner() const { return m_banner; }
    [[nodiscard]] QComboBox* configComboBox() const { return m_configCombo; }
    [[nodiscard]] QLineEdit* filterLineEdit() const { return m_filter; }
    [[nodiscard]] QSplitter* splitter() const { return m_splitter; }

    // The pane's actions, for the Results menu (each with its own shortcut).
    [[nodiscard]] QAction* importAction() const { return m_importAction; }
    [[nodiscard]] QAction* importFolderAction() const { return m_importFolderAction; }
    [[nodiscard]] QAction* showInChartsAction() const { return m_showAction; }
    [[nodiscard]] QAction* removeAction() const { return m_removeAction; }
    [[nodiscard]] QAction* exportChartAction() const { return m_exportAction; }

    // Imports files or folders (off the UI thread), stores them in the library and charts them next to what is shown
    // (a set from the same file is replaced). Refused (false) while an import runs.
    bool importFiles(const QStringList& paths);
    [[nodiscard]] bool isImporting() const;

    // Charts exactly these library sets (unknown ids are left out).
    void showSets(const QList<qint64>& ids);
    // Adds one library set to the charts (replacing it if shown already).
    void addToCharts(qint64 setId);
    // The library set a job's fetched results went into, if any (as of the last refreshLibrary()).
    [[nodiscard]] std::optional<qint64> setIdForJob(qint64 jobId) const;
    // Charts the job's library set; false when the library has none.
    bool showJobResults(qint64 jobId);
    // Stores a set read elsewhere (a job's results read from the job history) and charts it alone; without a library
    // it is charted only.
    void showNewSet(const ResultSet& set);
    // Charts (and checks) every set that ran this config (a preset name or config label).
    void compareConfig(const QString& label);
    // The library ids of the charted sets, in chart order (0 for a set the library could not keep).
    [[nodiscard]] const QList<qint64>& chartedIds() const { return m_chartedIds; }
    // Re-reads the library (after someone else added to it).
    void refreshLibrary();

public slots:
    void importWithDialog();
    void importFolderWithDialog();
    // The checked sets, else the selected ones.
    void showCheckedInCharts();
    // Asks, then removes the selected sets from the library (never the files) and from the charts.
    void removeSelected();
    void exportChart();

signals:
    void importStarted();
    // An import ended: sets added to the charts, what could not be read or stored (file: reason).
    void importFinished(int added, const QStringList& errors, bool cancelled);
    // Transient news for the status bar.
    void statusMessage(const QString& text);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void onImportFinished(int added, const QStringList& errors, bool cancelled);
    void setCharted(const QList<qint64>& ids, const QList<ResultSet>& sets);
    [[nodiscard]] QList<qint64> selectedIds() const;
    void selectIds(const QList<qint64>& ids);
    void rebuildConfigChoices();
    void updateActions();
    void updateOrientation(int width);

    ResultsLibrary* m_library;
    const PresetStore* m_presets = nullptr;
    ResultsLibraryModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    MessageBanner* m_banner = nullptr;
    QLineEdit* m_filter = nullptr;
    QTableView* m_table = nullptr;
    QComboBox* m_configCombo = nullptr;
    QLabel* m_countLabel = nullptr;
    QSplitter* m_splitter = nullptr;
    QBoxLayout* m_controlsLayout = nullptr;
    ChartPane* m_charts = nullptr;
    QAction* m_importAction = nullptr;
    QAction* m_importFolderAction = nullptr;
    QAction* m_showAction = nullptr;
    QAction* m_removeAction = nullptr;
    QAction* m_exportAction = nullptr;

    QList<qint64> m_chartedIds; // parallel to m_charts->results()
    QString m_lastDirectory;

    QString m_libraryProblem;
};

} // namespace QuantDesk

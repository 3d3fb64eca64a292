#pragma once

#include <QWidget>
#include <functional>

#include "ui/DocumentSession.h"
#include "ui/TaskState.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;
class QToolButton;

namespace QuantDesk
{

class CollapsibleSection;
class ParametersModel;

// The task: name, model, engine and version, target GPU, engine parameters, and the optimization and benchmark
// settings (collapsible). Shows a TaskState and asks for edits through editRequested.
class TaskPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TaskPane)

public:
    explicit TaskPane(const QStringList& engines, QWidget* parent = nullptr);
    ~TaskPane() override;

    void setState(const TaskState& state);
    // Parameter keys that override a flag of the quant config (shown in bold).
    void setOverriddenParameters(const QStringList& keys);
    // Focus the widget a diagnostic's field names ("model", "parameters", "gpu", "engine"); false if none.
    bool focusField(const QString& field);

    [[nodiscard]] ParametersModel* parametersModel() const { return m_parameters; }
    [[nodiscard]] CollapsibleSection* optimizationSection() const { return m_optimization; }
    [[nodiscard]] CollapsibleSection* benchmarkSection() const { return m_benchmark; }

signals:
    void editRequested(const QuantDesk::TaskState& next,
                       const QString& text,
                       QuantDesk::DocumentSession::Pace pace,
                       int mergeKey);
    void errorOccurred(const QString& message);
    // "From the target host" was picked while the document has no GPU from a host yet.
    void hostGpuRequested();

private:
    enum MergeKey {
        TaskNameKey = 100,
        DescriptionKey,
        ModelKey,
        EngineVersionKey,
        ParametersKey,
        TrafficKey,
        ConcurrencyKey,
        BenchmarkModelKey,
        TokenizerKey,
        SpinKeyBase = 1000,
    };

    void edit(const std::function<void(TaskState&)>& change,
              const QString& text,
              DocumentSession::Pace pace,
              int mergeKey = -1);
    void
    connectSpin(QSpinBox* spin, nlohmann::ordered_json TaskState::*section, const QString& key, const QString& text);
    void chooseGpuFile();
    void onGpuIndexChanged(int index);
    void updateGpuLabel();
    void fillVersions();
    QWidget* buildOptimization();
    QWidget* buildBenchmark();

    QStringList m_engines;
    TaskState m_state;
    bool m_updating = false;

    QLineEdit* m_taskName = nullptr;
    QLineEdit* m_model = nullptr;
    QToolButton* m_modelBrowse = nullptr;
    QComboBox* m_engine = nullptr;
    QComboBox* m_version = nullptr;
    QComboBox* m_gpu = nullptr;
    QToolButton* m_gpuFile = nullptr;
    QLabel* m_gpuLabel = nullptr;
    ParametersModel* m_parameters = nullptr;
    QTableView* m_parameterView = nullptr;
    CollapsibleSection* m_optimization = nullptr;
    QComboBox* m_strategy = nullptr;
    QComboBox* m_objective = nullptr;
    QSpinBox* m_maxIterations = nullptr;
    QSpinBox* m_timeout = nullptr;
    CollapsibleSection* m_benchmark = nullptr;
    QLineEdit* m_traffic = nullptr;
    QLineEdit* m_concurrency = nullptr;
    QLineEdit* m_benchModelName = nullptr;
    QLineEdit* m_tokenizer = nullptr;
    QSpinBox* m_maxTime = nullptr;
    QSpinBox* m_maxRequests = nullptr;
};

} // namespace QuantDesk

#include "ui/TaskPane.h"

#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/engines/EngineProfile.h"
#include "core/hardware/GpuInfo.h"
#include "core/remote/HostProbe.h"
#include "ui/CollapsibleSection.h"
#include "ui/Dialogs.h"
#include "ui/ParametersModel.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

enum GpuChoice {
    GpuNone,
    GpuFromFile,
    GpuFromHost,
};

void setTextIfChanged(QLineEdit* edit, const QString& text)
{
    if (edit->text() == text)
        return;
    edit->setText(text);
    if (!edit->hasFocus())
        edit->setCursorPosition(0); // show where a long id or path starts, not where it ends
}

void setDataIfChanged(QComboBox* combo, const QString& data)
{
    const int i = combo->findData(data);
    if (i >= 0 && i != combo->currentIndex())
        combo->setCurrentIndex(i);
}

void setValueIfChanged(QSpinBox* spin, int value)
{
    if (spin->value() != value)
        spin->setValue(value);
}

QString joinValues(const nlohmann::ordered_json& object, const char* key, const QString& sep)
{
    QStringList words;
    const auto it = object.is_object() ? object.find(key) : object.end();
    if (it != object.end() && it->is_array()) {
        for (const auto& item : *it)
            words << jsonText(item);
    }
    return words.join(sep);
}

} // namespace

TaskPane::TaskPane(const QStringList& engines, QWidget* parent) : QWidget(parent), m_engines(engines)
{
    setObjectName(u"taskPane"_s);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 6);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    outer->addLayout(form);

    m_taskName = new QLineEdit(this);
    m_taskName->setObjectName(u"taskNameLineEdit"_s);
    m_taskName->setAccessibleName(tr("Task name"));
    form->addRow(tr("Ta&sk name:"), m_taskName);
    connect(m_taskName, &QLineEdit::textEdited, this, [this](const QString& text) {
        edit([&](TaskState& s) { s.taskName = text; }, tr("Rename task"), DocumentSession::Pace::Typing, TaskNameKey);
    });

    auto* modelRow = new QHBoxLayout;
    m_model = new QLineEdit(this);
    m_model->setObjectName(u"modelLineEdit"_s);
    m_model->setPlaceholderText(tr("Hugging Face id or local folder"));
    m_model->setAccessibleName(tr("Model"));
    m_model->setToolTip(tr("A pre-quantized checkpoint (AWQ, GPTQ, FP8, …) is detected from the name or, for a local "
                           "folder, from its config files"));
    modelRow->addWidget(m_model, 1);
    m_modelBrowse = new QToolButton(this);
    m_modelBrowse->setObjectName(u"modelBrowseToolButton"_s);
    m_modelBrowse->setText(tr("…"));
    m_modelBrowse->setToolTip(tr("Choose a local model folder"));
    m_modelBrowse->setAccessibleName(tr("Choose a local model folder"));
    modelRow->addWidget(m_modelBrowse);
    auto* modelLabel = new QLabel(tr("Mo&del:"), this);
    modelLabel->setBuddy(m_model);
    form->addRow(modelLabel, modelRow);
    connect(m_model, &QLineEdit::textEdited, this, [this](const QString& text) {
        edit([&](TaskState& s) { s.model = text.trimmed(); },
             tr("Change model"),
             DocumentSession::Pace::Typing,
             ModelKey);
    });
    connect(m_modelBrowse, &QToolButton::clicked, this, [this] {
        const QString dir = Dialogs::getExistingDirectory(this, tr("Model folder"), m_state.model);
        if (!dir.isEmpty())
            edit([&](TaskState& s) { s.model = dir; }, tr("Change model"), DocumentSession::Pace::Immediate);
    });

    m_engine = new QComboBox(this);
    m_engine->setObjectName(u"engineComboBox"_s);
    m_engine->setAccessibleName(tr("Engine"));
    for (const QString& e : engines)
        m_engine->addItem(ProfileRegistry::engineDisplayName(e), e);
    form->addRow(tr("E&ngine:"), m_engine);
    connect(m_engine, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_updating || index < 0)
            return;
        const QString engine = m_engine->itemData(index).toString();
        edit(
            [&](TaskState& s) {
                s.engine = engine;
                s.engineVersion.clear();
            },
            tr("Change engine"),
            DocumentSession::Pace::Immediate);
    });

    m_version = new QComboBox(this);
    m_version->setObjectName(u"engineVersionComboBox"_s);
    m_version->setEditable(true);
    m_version->setInsertPolicy(QComboBox::NoInsert);
    m_version->setAccessibleName(tr("Engine version"));
    m_version->lineEdit()->setPlaceholderText(tr("newest known"));
    m_version->setToolTip(tr("The engine release to target; flags follow the nearest known profile"));
    form->addRow(tr("Engine ve&rsion:"), m_version);
    connect(m_version, &QComboBox::currentTextChanged, this, [this](const QString& text) {
        if (m_updating)
            return;
        edit([&](TaskState& s) { s.engineVersion = text.trimmed(); },
             tr("Change engine version"),
             DocumentSession::Pace::Typing,
             EngineVersionKey);
    });

    auto* gpuRow = new QHBoxLayout;
    m_gpu = new QComboBox(this);
    m_gpu->setObjectName(u"gpuComboBox"_s);
    m_gpu->setAccessibleName(tr("Target GPU"));
    m_gpu->addItem(tr("None"));
    m_gpu->addItem(tr("From an nvidia-smi file"));
    m_gpu->addItem(tr("From the target host"));
    m_gpu->setItemData(GpuFromHost, tr("The GPU the target host's probe found (Hosts menu)"), Qt::ToolTipRole);
    gpuRow->addWidget(m_gpu, 1);
    m_gpuFile = new QToolButton(this);
    m_gpuFile->setObjectName(u"gpuFileToolButton"_s);
    m_gpuFile->setText(tr("…"));
    m_gpuFile->setToolTip(tr("Read the GPU from nvidia-smi output (CSV query, -q -x XML or the plain table)"));
    m_gpuFile->setAccessibleName(tr("Choose an nvidia-smi file"));
    gpuRow->addWidget(m_gpuFile);
    auto* gpuLabel = new QLabel(tr("&Target GPU:"), this);
    gpuLabel->setBuddy(m_gpu);
    form->addRow(gpuLabel, gpuRow);
    m_gpuLabel = new QLabel(this);
    m_gpuLabel->setObjectName(u"gpuInfoLabel"_s);
    m_gpuLabel->setWordWrap(true);
    m_gpuLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(QString(), m_gpuLabel);
    connect(m_gpu, &QComboBox::currentIndexChanged, this, &TaskPane::onGpuIndexChanged);
    connect(m_gpuFile, &QToolButton::clicked, this, &TaskPane::chooseGpuFile);

    auto* paramHeader = new QHBoxLayout;
    auto* paramLabel = new QLabel(tr("Parameter&s (engine flags without --):"), this);
    paramHeader->addWidget(paramLabel, 1);
    auto* add = new QToolButton(this);
    add->setObjectName(u"addParameterToolButton"_s);
    add->setText(tr("+"));
    add->setToolTip(tr("Add a parameter"));
    add->setAccessibleName(tr("Add parameter"));
    auto* remove = new QToolButton(this);
    remove->setObjectName(u"removeParameterToolButton"_s);
    remove->setText(tr("−"));
    remove->setToolTip(tr("Remove the selected parameters"));
    remove->setAccessibleName(tr("Remove parameter"));
    paramHeader->addWidget(add);
    paramHeader->addWidget(remove);
    outer->addLayout(paramHeader);
    m_parameters = new ParametersModel(this);
    m_parameterView = new QTableView(this);
    m_parameterView->setObjectName(u"parametersTableView"_s);
    m_parameterView->setAccessibleName(tr("Parameters"));
    m_parameterView->setModel(m_parameters);
    m_parameterView->horizontalHeader()->setStretchLastSection(true);
    m_parameterView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_parameterView->setColumnWidth(0, 170);
    m_parameterView->verticalHeader()->hide();
    m_parameterView->setMinimumHeight(90);
    m_parameterView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_parameterView->setEditTriggers(QAbstractItemView::AllEditTriggers);
    paramLabel->setBuddy(m_parameterView);
    outer->addWidget(m_parameterView, 1);
    connect(m_parameters, &ParametersModel::parametersEdited, this, [this](const QList<ParameterEntry>& params) {
        if (m_updating)
            return;
        edit([&](TaskState& s) { s.parameters = params; },
             tr("Edit parameters"),
             DocumentSession::Pace::Typing,
             ParametersKey);
    });
    connect(add, &QToolButton::clicked, this, [this] {
        const int row = m_parameters->rowCount();
        m_parameters->insertRows(row, 1);
        const QModelIndex index = m_parameters->index(row, ParametersModel::KeyColumn);
        m_parameterView->setCurrentIndex(index);
        m_parameterView->edit(index);
    });
    connect(remove, &QToolButton::clicked, this, [this] {
        QList<int> rows;
        for (const QModelIndex& i : m_parameterView->selectionModel()->selectedRows())
            rows << i.row();
        if (rows.isEmpty() && m_parameterView->currentIndex().isValid())
            rows << m_parameterView->currentIndex().row();
        std::sort(rows.begin(), rows.end(), std::greater<>());
        QList<ParameterEntry> params = m_state.parameters;
        for (const int r : std::as_const(rows))
            params.removeAt(r);
        edit([&](TaskState& s) { s.parameters = params; }, tr("Remove parameters"), DocumentSession::Pace::Immediate);
    });

    m_optimization = new CollapsibleSection(tr("Optimization"), buildOptimization(), this);
    m_optimization->setObjectName(u"optimizationCollapsibleSection"_s);
    outer->addWidget(m_optimization);
    m_benchmark = new CollapsibleSection(tr("Benchmark"), buildBenchmark(), this);
    m_benchmark->setObjectName(u"benchmarkCollapsibleSection"_s);
    outer->addWidget(m_benchmark);

    setState(TaskState::defaults());
}

TaskPane::~TaskPane() = default;

QWidget* TaskPane::buildOptimization()
{
    auto* box = new QWidget(this);
    auto* form = new QFormLayout(box);
    form->setContentsMargins(12, 0, 0, 0);
    m_strategy = new QComboBox(box);
    m_strategy->setObjectName(u"strategyComboBox"_s);
    for (const QString& s : {u"grid_search"_s, u"bayesian"_s, u"random"_s})
        m_strategy->addItem(s, s);
    m_objective = new QComboBox(box);
    m_objective->setObjectName(u"objectiveComboBox"_s);
    for (const QString& s : {u"maximize_throughput"_s, u"minimize_latency"_s, u"minimize_ttft"_s, u"minimize_tpot"_s})
        m_objective->addItem(s, s);
    m_maxIterations = new QSpinBox(box);
    m_maxIterations->setObjectName(u"maxIterationsSpinBox"_s);
    m_maxIterations->setRange(1, 100000);
    m_timeout = new QSpinBox(box);
    m_timeout->setObjectName(u"timeoutSpinBox"_s);
    m_timeout->setRange(60, 86400);
    m_timeout->setSuffix(tr(" s"));
    form->addRow(tr("Strategy:"), m_strategy);
    form->addRow(tr("Objective:"), m_objective);
    form->addRow(tr("Max iterations:"), m_maxIterations);
    form->addRow(tr("Timeout per iteration:"), m_timeout);
    auto comboEdit = [this](QComboBox* combo, const QString& key, const QString& text) {
        connect(combo, &QComboBox::currentIndexChanged, this, [this, combo, key, text](int index) {
            if (m_updating || index < 0)
                return;
            const QString value = combo->itemData(index).toString();
            edit([&](TaskState& s) { s.optimization[toStd(key)] = toStd(value); },
                 text,
                 DocumentSession::Pace::Immediate);
        });
    };
    comboEdit(m_strategy, u"strategy"_s, tr("Change strategy"));
    comboEdit(m_objective, u"objective"_s, tr("Change objective"));
    connectSpin(m_maxIterations, &TaskState::optimization, u"max_iterations"_s, tr("Change max iterations"));
    connectSpin(m_timeout, &TaskState::optimization, u"timeout_per_iteration"_s, tr("Change timeout"));
    return box;
}

QWidget* TaskPane::buildBenchmark()
{
    auto* box = new QWidget(this);
    auto* form = new QFormLayout(box);
    form->setContentsMargins(12, 0, 0, 0);
    m_traffic = new QLineEdit(box);
    m_traffic->setObjectName(u"trafficScenariosLineEdit"_s);
    m_traffic->setToolTip(tr("genai-bench scenarios separated by spaces, e.g. D(100,100) D(1000,200)"));
    m_concurrency = new QLineEdit(box);
    m_concurrency->setObjectName(u"concurrencyLineEdit"_s);
    m_concurrency->setToolTip(tr("Concurrency levels, comma-separated"));
    m_benchModelName = new QLineEdit(box);
    m_benchModelName->setObjectName(u"benchmarkModelNameLineEdit"_s);
    m_tokenizer = new QLineEdit(box);
    m_tokenizer->setObjectName(u"tokenizerLineEdit"_s);
    m_maxTime = new QSpinBox(box);
    m_maxTime->setObjectName(u"maxTimeSpinBox"_s);
    m_maxTime->setRange(1, 86400);
    m_maxTime->setSuffix(tr(" s"));
    m_maxRequests = new QSpinBox(box);
    m_maxRequests->setObjectName(u"maxRequestsSpinBox"_s);
    m_maxRequests->setRange(1, 10000000);
    form->addRow(tr("Traffic scenarios:"), m_traffic);
    form->addRow(tr("Concurrency:"), m_concurrency);
    form->addRow(tr("Served model name:"), m_benchModelName);
    form->addRow(tr("Tokenizer:"), m_tokenizer);
    form->addRow(tr("Max time per run:"), m_maxTime);
    form->addRow(tr("Max requests per run:"), m_maxRequests);
    connectSpin(m_maxTime, &TaskState::benchmark, u"max_time_per_iteration"_s, tr("Change benchmark time"));
    connectSpin(m_maxRequests, &TaskState::benchmark, u"max_requests_per_iteration"_s, tr("Change benchmark requests"));
    connect(m_traffic, &QLineEdit::textEdited, this, [this](const QString& text) {
        auto list = nlohmann::ordered_json::array();
        for (const QString& w : text.split(u' ', Qt::SkipEmptyParts))
            list.push_back(toStd(w));
        edit([&](TaskState& s) { s.benchmark["traffic_scenarios"] = list; },
             tr("Change traffic"),
             DocumentSession::Pace::Typing,
             TrafficKey);
    });
    connect(m_concurrency, &QLineEdit::textEdited, this, [this](const QString& text) {
        auto list = nlohmann::ordered_json::array();
        for (const QString& w : text.split(u',', Qt::SkipEmptyParts)) {
            bool ok = false;
            const int n = w.trimmed().toInt(&ok);
            if (ok)
                list.push_back(n);
        }
        edit([&](TaskState& s) { s.benchmark["num_concurrency"] = list; },
             tr("Change concurrency"),
             DocumentSession::Pace::Typing,
             ConcurrencyKey);
    });
    auto textEdit = [this](QLineEdit* line, const QString& key, const QString& text, int mergeKey) {
        connect(line, &QLineEdit::textEdited, this, [this, key, text, mergeKey](const QString& value) {
            edit([&](TaskState& s) { s.benchmark[toStd(key)] = toStd(value); },
                 text,
                 DocumentSession::Pace::Typing,
                 mergeKey);
        });
    };
    textEdit(m_benchModelName, u"model_name"_s, tr("Change served model name"), BenchmarkModelKey);
    textEdit(m_tokenizer, u"model_tokenizer"_s, tr("Change tokenizer"), TokenizerKey);
    return box;
}

void TaskPane::connectSpin(QSpinBox* spin,
                           nlohmann::ordered_json TaskState::*section,
                           const QString& key,
                           const QString& text)
{
    connect(spin, &QSpinBox::valueChanged, this, [this, section, key, text](int value) {
        // Spin boxes step in small increments: consecutive steps of one box are one undo step.
        edit([&](TaskState& s) { (s.*section)[toStd(key)] = value; },
             text,
             DocumentSession::Pace::Typing,
             SpinKeyBase + static_cast<int>(qHash(key) % 1000));
    });
}

void TaskPane::edit(const std::function<void(TaskState&)>& change,
                    const QString& text,
                    DocumentSession::Pace pace,
                    int mergeKey)
{
    if (m_updating)
        return;
    TaskState next = m_state;
    change(next);
    emit editRequested(next, text, pace, mergeKey);
}

void TaskPane::fillVersions()
{
    const QString engine = m_state.engine;
    if (m_version->property("engine").toString() == engine)
        return;
    m_version->setProperty("engine", engine);
    m_version->clear();
    for (const EngineProfile* p : ProfileRegistry::builtIn().profiles(engine))
        m_version->addItem(p->version());
}

void TaskPane::setState(const TaskState& state)
{
    m_state = state;
    m_updating = true;
    setTextIfChanged(m_taskName, state.taskName);
    setTextIfChanged(m_model, state.model);
    setDataIfChanged(m_engine, state.engine);
    fillVersions();
    if (m_version->currentText() != state.engineVersion)
        m_version->setEditText(state.engineVersion);
    const int gpuIndex = !state.gpuHost.isEmpty() ? GpuFromHost : state.gpuFile.isEmpty() ? GpuNone : GpuFromFile;
    if (m_gpu->currentIndex() != gpuIndex)
        m_gpu->setCurrentIndex(gpuIndex);
    updateGpuLabel();
    m_parameters->setParameters(state.parameters);
    setDataIfChanged(m_strategy, jsonString(state.optimization, "strategy", u"grid_search"_s));
    setDataIfChanged(m_objective, jsonString(state.optimization, "objective", u"minimize_latency"_s));
    setValueIfChanged(m_maxIterations, jsonInt(state.optimization, "max_iterations", 100));
    setValueIfChanged(m_timeout, jsonInt(state.optimization, "timeout_per_iteration", 1800));
    if (!m_traffic->hasFocus())
        setTextIfChanged(m_traffic, joinValues(state.benchmark, "traffic_scenarios", u" "_s));
    if (!m_concurrency->hasFocus())
        setTextIfChanged(m_concurrency, joinValues(state.benchmark, "num_concurrency", u", "_s));
    setTextIfChanged(m_benchModelName, jsonString(state.benchmark, "model_name"));
    setTextIfChanged(m_tokenizer, jsonString(state.benchmark, "model_tokenizer"));
    setValueIfChanged(m_maxTime, jsonInt(state.benchmark, "max_time_per_iteration", 10));
    setValueIfChanged(m_maxRequests, jsonInt(state.benchmark, "max_requests_per_iteration", 50));
    m_updating = false;
}

void TaskPane::setOverriddenParameters(const QStringList& keys)
{
    m_parameters->setOverriddenKeys(keys);
}

bool TaskPane::focusField(const QString& field)
{
    QWidget* target = field == u"model"        ? static_cast<QWidget*>(m_model)
                      : field == u"parameters" ? static_cast<QWidget*>(m_parameterView)
                      : field == u"gpu"        ? static_cast<QWidget*>(m_gpu)
                      : field == u"engine"     ? static_cast<QWidget*>(m_version)
                                               : nullptr;
    if (!target)
        return false;
    target->setFocus(Qt::OtherFocusReason);
    return true;
}

void TaskPane::onGpuIndexChanged(int index)
{
    if (m_updating)
        return;
    if (index == GpuNone) {
        edit(
            [](TaskState& s) {
                s.gpuFile.clear();
                s.gpuHost.clear();
                s.gpu.reset();
            },
            tr("Clear target GPU"),
            DocumentSession::Pace::Immediate);
    } else if (index == GpuFromFile && m_state.gpuFile.isEmpty()) {
        chooseGpuFile();
    } else if (index == GpuFromHost && m_state.gpuHost.isEmpty()) {
        setState(m_state); // stays as it is until the target host's probe answers
        emit hostGpuRequested();
    }
}

void TaskPane::chooseGpuFile()
{
    const QString path = Dialogs::getOpenFileName(this,
                                                  tr("nvidia-smi output"),
                                                  QFileInfo(m_state.gpuFile).absolutePath(),
                                                  tr("nvidia-smi output (*.txt *.csv *.xml);;All files (*)"));
    if (path.isEmpty()) {
        setState(m_state); // back to what the document says
        return;
    }
    QString error;
    const QList<GpuInfo> gpus = parseNvidiaSmiFile(path, &error);
    if (gpus.isEmpty()) {
        setState(m_state);
        emit errorOccurred(tr("Could not read the GPU: %1").arg(error));
        return;
    }
    // Hardware rules use the weakest GPU listed, as the probe and the CLI do.
    ProbeResult probe;
    probe.gpus = gpus;
    const GpuInfo target = probe.targetGpu() ? *probe.targetGpu() : gpus.constFirst();
    edit(
        [&](TaskState& s) {
            s.gpuFile = path;
            s.gpuHost.clear();
            s.gpu = target;
        },
        tr("Set target GPU"),
        DocumentSession::Pace::Immediate);
}

void TaskPane::updateGpuLabel()
{
    if (!m_state.gpu) {
        m_gpuLabel->setText(tr("No target GPU: hardware checks are skipped."));
        return;
    }
    const GpuInfo& g = *m_state.gpu;
    QString text = g.name;
    if (g.hasComputeCapability())
        text += tr(" · compute capability %1%2").arg(g.ccString(), g.ccDerived ? tr(" (looked up)") : QString());
    if (g.memoryTotalMiB > 0)
        text += tr(" · %1 GiB").arg(g.memoryTotalMiB / 1024);
    if (!m_state.gpuHost.isEmpty())
        text += tr(" — probed on %1").arg(m_state.gpuHost);
    else
        text += tr(" — from %1").arg(QFileInfo(m_state.gpuFile).fileName());
    m_gpuLabel->setText(text);
}

} // namespace QuantDesk

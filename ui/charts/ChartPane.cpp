#include "ui/charts/ChartPane.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include "core/results/AsyncResultsImporter.h"
#include "core/results/ResultsCsv.h"
#include "ui/Dialogs.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

QComboBox* combo(QWidget* parent, const QString& objectName, const QString& toolTip)
{
    auto* c = new QComboBox(parent);
    c->setObjectName(objectName);
    c->setToolTip(toolTip);
    c->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return c;
}

QLabel* caption(QWidget* parent, const QString& text, QWidget* buddy)
{
    auto* l = new QLabel(text, parent);
    l->setBuddy(buddy);
    return l;
}

} // namespace

ChartPane::ChartPane(QWidget* parent) : QWidget(parent)
{
    m_kindCombo = combo(this, u"chartKindComboBox"_s, tr("Which chart"));
    for (const ChartKind k : {ChartKind::Throughput, ChartKind::Memory, ChartKind::Pareto})
        m_kindCombo->addItem(chartKindLabel(k), chartKindKey(k));

    m_metricCombo = combo(this, u"throughputMetricComboBox"_s, tr("Throughput metric"));
    m_metricCombo->addItem(tr("Output tok/s"), throughputMetricKey(ThroughputMetric::Output));
    m_metricCombo->addItem(tr("Total tok/s"), throughputMetricKey(ThroughputMetric::Total));
    m_metricCombo->addItem(tr("Output tok/s per GPU"), throughputMetricKey(ThroughputMetric::PerGpu));
    m_metricCombo->addItem(tr("Requests/s"), throughputMetricKey(ThroughputMetric::Requests));

    m_latencyCombo = combo(this, u"latencyMetricComboBox"_s, tr("Latency metric (throughput vs latency chart)"));
    for (const LatencyMetric l : {LatencyMetric::E2e, LatencyMetric::Ttft, LatencyMetric::Tpot, LatencyMetric::Itl})
        m_latencyCombo->addItem(latencyMetricLabel(l), latencyMetricKey(l));
    m_percentileCombo = combo(this, u"percentileComboBox"_s, tr("Latency percentile"));
    for (const Percentile p : {Percentile::P50, Percentile::P90, Percentile::P99, Percentile::Mean})
        m_percentileCombo->addItem(percentileKey(p), percentileKey(p));

    m_hideFailedCheck = new QCheckBox(tr("Hide failed runs"), this);
    m_hideFailedCheck->setObjectName(u"hideFailedCheckBox"_s);
    m_hideFailedCheck->setChecked(m_options.hideFailed);
    m_hideFailedCheck->setToolTip(
        tr("Leave out failed experiments and load points where half or more requests failed"));

    m_baselineCombo = combo(this, u"baselineComboBox"_s, tr("The preset the deltas are computed against"));

    m_exportButton = new QToolButton(this);
    m_exportButton->setObjectName(u"exportToolButton"_s);
    m_exportButton->setText(tr("Export"));
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_exportButton);
    for (const auto& [label, suffix] : {std::pair{tr("Chart as PNG…"), u"png"_s},
                                        std::pair{tr("Chart as PDF…"), u"pdf"_s},
                                        std::pair{tr("Chart as SVG…"), u"svg"_s},
                                        std::pair{tr("Table as CSV…"), u"csv"_s}}) {
        const QString s = suffix;
        menu->addAction(label, this, [this, s] { onExportRequested(s); });
    }
    m_exportButton->setMenu(menu);

    m_resetZoomButton = new QToolButton(this);
    m_resetZoomButton->setObjectName(u"resetZoomToolButton"_s);
    m_resetZoomButton->setText(tr("Reset zoom"));
    m_resetZoomButton->setToolTip(tr("Drag to pan, scroll to zoom; this restores the full view"));
    connect(m_resetZoomButton, &QToolButton::clicked, this, &ChartPane::resetZoom);

    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(u"chartCustomPlot"_s);
    m_plot->setMinimumSize(480, 320);
    m_plot->setMouseTracking(true);
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        const QString text = hoverTextAt(event->position());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
    });

    m_deltasLabel = new QLabel(this);
    m_deltasLabel->setObjectName(u"deltasLabel"_s);
    m_deltasLabel->setWordWrap(true);
    m_deltasLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(u"statusLabel"_s);
    m_statusLabel->setWordWrap(true);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_kindCombo);
    controls->addSpacing(8);
    controls->addWidget(caption(this, tr("Metric:"), m_metricCombo));
    controls->addWidget(m_metricCombo);
    controls->addWidget(caption(this, tr("Latency:"), m_latencyCombo));
    controls->addWidget(m_latencyCombo);
    controls->addWidget(m_percentileCombo);
    controls->addWidget(m_hideFailedCheck);
    controls->addWidget(caption(this, tr("Baseline:"), m_baselineCombo));
    controls->addWidget(m_baselineCombo);
    controls->addStretch(1);
    controls->addWidget(m_resetZoomButton);
    controls->addWidget(m_exportButton);

    m_importProgress = new QProgressBar(this);
    m_importProgress->setObjectName(u"importProgressBar"_s);
    m_importProgress->setRange(0, 1000);
    m_importProgress->setFormat(tr("Importing… %p%"));
    m_importProgress->setVisible(false);
    m_cancelImportButton = new QToolButton(this);
    m_cancelImportButton->setObjectName(u"cancelImportToolButton"_s);
    m_cancelImportButton->setText(tr("Cancel"));
    m_cancelImportButton->setVisible(false);
    m_importer = new AsyncResultsImporter(this);
    connect(m_cancelImportButton, &QToolButton::clicked, this, &ChartPane::cancelImport);
    connect(m_importer, &AsyncResultsImporter::progressChanged, this, [this](int permille, const QString& path) {
        m_importProgress->setValue(permille);
        if (!path.isEmpty())
            m_importProgress->setToolTip(path);
    });
    connect(m_importer, &AsyncResultsImporter::finished, this, [this](bool cancelled) {
        m_importProgress->setVisible(false);
        m_cancelImportButton->setVisible(false);
        QList<ResultSet> sets = m_sets;
        QStringList errors;
        int added = 0;
        for (const ImportResult& r : m_importer->results()) {
            if (r.ok) {
                sets << r.set;
                ++added;
            } else if (!r.cancelled) {
                errors << r.error;
            }
        }
        if (added > 0)
            setResults(sets);
        if (cancelled)
            m_statusLabel->setText(tr("Import cancelled"));
        else if (!errors.isEmpty())
            m_statusLabel->setText(errors.join(u'\n'));
        emit importFinished(added, errors, cancelled);
    });

    auto* importRow = new QHBoxLayout;
    importRow->addWidget(m_importProgress, 1);
    importRow->addWidget(m_cancelImportButton);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(importRow);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_deltasLabel);
    layout->addWidget(m_statusLabel);

    for (QComboBox* c : {m_kindCombo, m_metricCombo, m_latencyCombo, m_percentileCombo, m_baselineCombo}) {
        connect(c, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
            if (m_updating)
                return;
            readControls();
            refresh();
        });
    }
    connect(m_hideFailedCheck, &QCheckBox::toggled, this, [this] {
        if (m_updating)
            return;
        readControls();
        refresh();
    });
    refresh();
}

ChartPane::~ChartPane() = default;

void ChartPane::readControls()
{
    m_kind = chartKindFromKey(m_kindCombo->currentData().toString()).value_or(ChartKind::Throughput);
    m_options.throughput =
        throughputMetricFromKey(m_metricCombo->currentData().toString()).value_or(ThroughputMetric::Output);
    m_options.latency = latencyMetricFromKey(m_latencyCombo->currentData().toString()).value_or(LatencyMetric::E2e);
    m_options.percentile = percentileFromKey(m_percentileCombo->currentData().toString()).value_or(Percentile::P50);
    m_options.hideFailed = m_hideFailedCheck->isChecked();
    m_baseline = m_baselineCombo->currentData().toString();
}

void ChartPane::setResults(const QList<ResultSet>& sets)
{
    m_sets = sets;
    m_groups = groupByQuantConfig(m_sets);
    rebuildBaselineChoices();
    int warnings = 0;
    for (const ResultSet& s : std::as_const(m_sets))
        warnings += s.warningCount;
    m_statusLabel->setText(warnings > 0 ? tr("%n warning(s) while importing; see the results list", nullptr, warnings)
                                        : QString());
    refresh();
}

bool ChartPane::importFiles(const QStringList& paths, const ImportOptions& options)
{
    if (!m_importer->start(paths, options))
        return false;
    m_importProgress->setValue(0);
    m_importProgress->setVisible(true);
    m_cancelImportButton->setVisible(true);
    return true;
}

bool ChartPane::isImporting() const
{
    return m_importer->isRunning();
}

void ChartPane::cancelImport()
{
    m_importer->cancel();
}

void ChartPane::rebuildBaselineChoices()
{
    const QString keep = m_baseline;
    m_updating = true;
    m_baselineCombo->clear();
    for (const ConfigGroup& g : std::as_const(m_groups))
        m_baselineCombo->addItem(g.label, g.key);
    qsizetype index = m_baselineCombo->findData(keep);
    if (index < 0)
        index = m_baselineCombo->findData(u"preset:default"_s);
    m_baselineCombo->setCurrentIndex(index < 0 ? 0 : static_cast<int>(index));
    m_baseline = m_baselineCombo->currentData().toString();
    m_updating = false;
}

void ChartPane::setChartKind(ChartKind kind)
{
    m_kindCombo->setCurrentIndex(m_kindCombo->findData(chartKindKey(kind)));
}

void ChartPane::setOptions(const ChartOptions& options)
{
    if (options == m_options)
        return;
    m_updating = true;
    m_metricCombo->setCurrentIndex(m_metricCombo->findData(throughputMetricKey(options.throughput)));
    m_latencyCombo->setCurrentIndex(m_latencyCombo->findData(latencyMetricKey(options.latency)));
    m_percentileCombo->setCurrentIndex(m_percentileCombo->findData(percentileKey(options.percentile)));
    m_hideFailedCheck->setChecked(options.hideFailed);
    m_updating = false;
    readControls();
    refresh();
}

void ChartPane::setBaseline(const QString& groupKey)
{
    qsizetype index = m_baselineCombo->findData(groupKey);
    if (index < 0)
        index = m_baselineCombo->findData(u"preset:default"_s);
    if (index >= 0)
        m_baselineCombo->setCurrentIndex(static_cast<int>(index));
}

QString ChartPane::baseline() const
{
    return m_baseline;
}

void ChartPane::setImportLibraryPath(const QString& path)
{
    m_importer->setLibraryPath(path);
}

const QList<ImportResult>& ChartPane::lastImportResults() const
{
    return m_importer->results();
}

void ChartPane::setMemoryPrediction(const std::optional<MemoryPredictionInput>& input)
{
    if (input == m_prediction)
        return;
    m_prediction = input;
    if (m_kind == ChartKind::Memory)
        refresh();
}

void ChartPane::refresh()
{
    const bool pareto = m_kind == ChartKind::Pareto;
    m_latencyCombo->setEnabled(pareto);
    m_percentileCombo->setEnabled(pareto);
    m_metricCombo->setEnabled(m_kind != ChartKind::Memory);
    m_rendered = ChartRenderer::render(
        m_plot, m_kind, m_sets, m_groups, m_options, QString(), m_baseline, m_prediction ? &*m_prediction : nullptr);
    m_deltas = m_baseline.isEmpty() ? QList<PresetDelta>() : presetDeltas(m_sets, m_groups, m_baseline, m_options);
    QStringList lines;
    QString baseLabel;
    for (const PresetDelta& d : std::as_const(m_deltas)) {
        if (d.baseline)
            baseLabel = d.label;
        else if (!d.summary.isEmpty())
            lines << u"<b>%1</b>: %2"_s.arg(d.label.toHtmlEscaped(), d.summary.toHtmlEscaped());
    }
    m_deltasLabel->setText(
        lines.isEmpty()
            ? QString()
            : tr("Against <b>%1</b> (throughput: peak over the load levels both ran):").arg(baseLabel.toHtmlEscaped()) +
                  u"<br>"_s + lines.join(u"<br>"_s));
    emit chartChanged();
}

void ChartPane::resetZoom()
{
    refresh();
}

QString ChartPane::hoverTextAt(const QPointF& pos) const
{
    return ChartRenderer::hoverText(m_plot, pos, m_sets, m_rendered);
}

bool ChartPane::exportTo(const QString& path, QString* error, int width, int height)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const bool ok = suffix == u"csv" ? ResultsCsv::write(m_sets, path, error)
                                     : ChartRenderer::exportImage(m_plot, path, width, height, error);
    if (ok)
        emit exported(path);
    return ok;
}

void ChartPane::onExportRequested(const QString& suffix)
{
    const QString filter =
        suffix == u"csv" ? tr("CSV table (*.csv)") : tr("%1 image (*.%2)").arg(suffix.toUpper(), suffix);
    const QString base = chartKindKey(m_kind) + u'.' + suffix;
    QString path = Dialogs::getSaveFileName(this, tr("Export"), base, filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += u'.' + suffix;
    QString error;
    if (exportTo(path, &error)) {
        m_statusLabel->setText(tr("Exported %1").arg(path));
    } else {
        m_statusLabel->setText(error);
        emit errorOccurred(error);
    }
}

} // namespace QuantDesk

#pragma once

// A stand-in inference-autotuner checkout for job tests: src/run_autotuner.py from
// tests/integration/standin-autotuner (no GPU work, writes the real CLI's log lines and results format) and an
// env/bin/python that is the machine's python3.

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace QuantDesk::TestSupport
{

inline std::unique_ptr<QTemporaryDir>
makeStandinCheckout(double secondsPerExperiment, int failExperiment = 0, const QString& nameTemplate = QString())
{
    auto dir = std::make_unique<QTemporaryDir>(
        nameTemplate.isEmpty() ? QDir::tempPath() + QStringLiteral("/qd-autotuner-XXXXXX") : nameTemplate);
    if (!dir->isValid())
        return nullptr;
    QDir().mkpath(dir->filePath(QStringLiteral("src")));
    QDir().mkpath(dir->filePath(QStringLiteral("env/bin")));
    QFile::copy(QStringLiteral(QUANTDESK_INTEGRATION_DIR "/standin-autotuner/src/run_autotuner.py"),
                dir->filePath(QStringLiteral("src/run_autotuner.py")));
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    QFile::link(python, dir->filePath(QStringLiteral("env/bin/python")));
    QFile cfg(dir->filePath(QStringLiteral("standin.json")));
    if (cfg.open(QIODevice::WriteOnly)) {
        cfg.write(QStringLiteral("{\"seconds_per_experiment\": %1, \"fail_experiment\": %2}\n")
                      .arg(secondsPerExperiment)
                      .arg(failExperiment)
                      .toUtf8());
    }
    return dir;
}

// A minimal exported task with a grid of `experiments` points.
inline QByteArray standinTask(const QString& name, int experiments)
{
    QStringList values;
    for (int i = 0; i < experiments; ++i)
        values << QString::number(0.80 + 0.01 * i, 'f', 2);
    return QStringLiteral(
               "{\"task_name\": \"%1\", \"model\": {\"id_or_path\": \"meta-llama/Llama-3.1-8B-Instruct\", "
               "\"namespace\": \"autotuner\"}, \"base_runtime\": \"sglang\", \"parameters\": {\"kv-cache-dtype\": "
               "[\"fp8_e5m2\"], \"mem-fraction-static\": [%2]}, \"optimization\": {\"strategy\": \"grid_search\", "
               "\"objective\": \"maximize_throughput\", \"max_iterations\": 100, \"timeout_per_iteration\": 900}, "
               "\"benchmark\": {\"task\": \"text-to-text\", \"traffic_scenarios\": [\"D(100,100)\"], "
               "\"num_concurrency\": [1, 4]}}")
        .arg(QString(name).replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\"")),
             values.join(QStringLiteral(", ")))
        .toUtf8();
}

} // namespace QuantDesk::TestSupport

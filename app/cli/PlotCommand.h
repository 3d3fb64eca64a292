#pragma once

#include <QStringList>
#include <QTextStream>

namespace QuantDesk::Cli
{

// quantdesk-cli plot RESULTS… --chart throughput|memory|pareto --out FILE.png|.pdf|.svg [--csv FILE]
//                   [--metric output|total|per-gpu|requests] [--latency e2e|ttft|tpot|itl]
//                   [--percentile p50|p90|p99|mean] [--baseline PRESET|none] [--show-failed]
//                   [--engine vllm|sglang|trtllm] [--task TASK.json] [--size WxH] [--title TEXT]
// Headless: draws on the offscreen platform when there is no display. Needs a QApplication (QCustomPlot is a widget):
// it creates one when no application object exists, and refuses (exit 1) under a plain QCoreApplication.
// Exit codes: 0 written; 1 an unreadable or invalid results file, or the output could not be written; 2 usage.
int cmdPlot(const QStringList& args, QTextStream& out, QTextStream& err);

// The usage lines of the command (for the CLI's help text).
[[nodiscard]] QString plotUsage();

} // namespace QuantDesk::Cli

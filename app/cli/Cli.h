#pragma once

#include <QList>
#include <QStringList>
#include <QTextStream>

#include "core/hardware/GpuInfo.h"

namespace QuantDesk::Cli
{

// Exit codes of quantdesk-cli (README "CLI").
enum ExitCode {
    ExitOk = 0,
    ExitInvalid = 1, // invalid input or a blocking diagnostic
    ExitUsage = 2,
    ExitHost = 3, // host or network failure
};

// Thrown by command implementations for a usage error (exit 2); run() prints it.
struct UsageError
{
    QString message;
};

// The GPUs of a --gpu-info file; empty (after saying why on err) when it cannot be read or lists none. Inline: the
// plot command is also compiled into TestCharts without the rest of the CLI.
inline QList<GpuInfo> readGpuInfo(const QString& path, QTextStream& err)
{
    QString error;
    const QList<GpuInfo> gpus = parseNvidiaSmiFile(path, &error);
    if (gpus.isEmpty()) {
        err << "quantdesk-cli: --gpu-info: "
            << (error.isEmpty() ? QStringLiteral("no GPU found in %1").arg(path) : error) << '\n';
    }
    return gpus;
}

// Runs one quantdesk-cli invocation (args without the program name). Output goes to out, messages to err.
int run(const QStringList& args, QTextStream& out, QTextStream& err);

} // namespace QuantDesk::Cli

#pragma once

#include <QStringList>
#include <QTextStream>

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

// Runs one quantdesk-cli invocation (args without the program name). Output goes to out, messages to err.
int run(const QStringList& args, QTextStream& out, QTextStream& err);

} // namespace QuantDesk::Cli

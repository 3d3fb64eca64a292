#pragma once

#include <QStringList>
#include <QTextStream>

// Commands that live in their own files. Each returns a Cli::ExitCode; usage errors are reported by throwing
// Cli::UsageError (see Cli.h).
namespace QuantDesk::Cli
{

int cmdValidate(const QStringList& args, QTextStream& out, QTextStream& err);
int cmdExport(const QStringList& args, QTextStream& out, QTextStream& err);
int cmdProbe(const QStringList& args, QTextStream& out, QTextStream& err);
int cmdSubmit(const QStringList& args, QTextStream& out, QTextStream& err);

} // namespace QuantDesk::Cli

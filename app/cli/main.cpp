#include <QCoreApplication>
#include <cstdio>

#include "app/cli/Cli.h"

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("QuantDesk"));
    // No organization name: data and settings live in ~/.local/share/QuantDesk and ~/.config/QuantDesk.
    QCoreApplication::setApplicationVersion(QStringLiteral(QUANTDESK_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);
    const int code = QuantDesk::Cli::run(app.arguments().mid(1), out, err);
    out.flush();
    err.flush();
    return code;
}

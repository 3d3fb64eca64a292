#include "app/cli/Cli.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("QuantDesk"));
    QCoreApplication::setOrganizationName(QStringLiteral("QuantDesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QUANTDESK_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);
    const int code = QuantDesk::Cli::run(app.arguments().mid(1), out, err);
    out.flush();
    err.flush();
    return code;
}

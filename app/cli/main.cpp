#include <QApplication>
#include <QCoreApplication>
#include <cstdio>
#include <cstring>
#include <memory>

#include "app/cli/Cli.h"

int main(int argc, char** argv)
{
    // `plot` draws with QCustomPlot, a widget: it needs a QApplication, offscreen when there is no display. Every
    // other command runs on a plain QCoreApplication.
    const bool plot = argc > 1 && std::strcmp(argv[1], "plot") == 0;
    if (plot && qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> app =
        plot ? std::make_unique<QApplication>(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("QuantDesk"));
    // No organization name: data and settings live in ~/.local/share/QuantDesk and ~/.config/QuantDesk.
    QCoreApplication::setApplicationVersion(QStringLiteral(QUANTDESK_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);
    const int code = QuantDesk::Cli::run(QCoreApplication::arguments().mid(1), out, err);
    out.flush();
    err.flush();
    return code;
}

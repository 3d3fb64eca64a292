#include "ui/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("QuantDesk"));
    QApplication::setOrganizationName(QStringLiteral("QuantDesk"));
    QApplication::setApplicationVersion(QStringLiteral(QUANTDESK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.quantdesk.QuantDesk"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Runtime quantization configs for LLM inference servers"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("task"), QStringLiteral("A task JSON file to open"));
    parser.process(app);

    QuantDesk::MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty()) {
        QString error;
        if (!window.openTask(parser.positionalArguments().constFirst(), &error))
            QMessageBox::warning(&window, QStringLiteral("QuantDesk"), error);
    }
    return app.exec();
}

// The desktop app's composition root: services in dependency order, the window, an optional task file.
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include "core/quant/Presets.h"
#include "ui/MainWindow.h"
#include "ui/Settings.h"

using namespace Qt::StringLiterals;

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"QuantDesk"_s);
    // No organization name: data and settings live in ~/.local/share/QuantDesk and ~/.config/QuantDesk.
    QApplication::setApplicationVersion(QStringLiteral(QUANTDESK_VERSION));
    QApplication::setDesktopFileName(u"io.github.quantdesk.QuantDesk"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Runtime quantization configs for LLM inference servers"_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(u"task"_s, u"A task JSON file to open"_s);
    parser.process(app);

    QuantDesk::Settings settings;
    QuantDesk::PresetStore presets;
    presets.reload();
    QuantDesk::MainWindow window(settings, presets);
    QApplication::setWindowIcon(window.windowIcon());
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openFile(parser.positionalArguments().constFirst());
    return app.exec();
}

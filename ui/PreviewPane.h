#pragma once

#include <QWidget>
#include <optional>

#include "core/engines/EngineCommand.h"
#include "core/quant/QuantConfig.h"

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTableView;
class QToolButton;

namespace QuantDesk
{

class FlagTableModel;

// One tab per engine with exactly the core's EngineCommand: the shell-quoted launch command (copy button), the
// flags with their provenance (hover → the field lights up in the editor), the argv, the TensorRT-LLM YAML and the
// JSON form of `quantdesk-cli preview`.
class PreviewPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreviewPane)

public:
    explicit PreviewPane(const QStringList& engines, QWidget* parent = nullptr);
    ~PreviewPane() override;

    // commands: one per engine, in the pane's engine order. taskEngine gets the "task" mark and the parameters.
    void setCommands(const QList<EngineCommand>& commands,
                     const QString& taskEngine,
                     const std::optional<QString>& preset,
                     const QuantConfig& config);

    [[nodiscard]] QString currentEngine() const;
    void setCurrentEngine(const QString& engine);
    [[nodiscard]] const EngineCommand* command(const QString& engine) const;
    [[nodiscard]] FlagTableModel* flagModel(const QString& engine) const;
    [[nodiscard]] QString commandText(const QString& engine) const;
    [[nodiscard]] QString argvText(const QString& engine) const;
    [[nodiscard]] QString yamlText(const QString& engine) const;
    [[nodiscard]] QString jsonText(const QString& engine) const;
    [[nodiscard]] QTabWidget* tabWidget() const { return m_tabs; }

public slots:
    void copyCurrentCommand();

signals:
    void currentEngineChanged(const QString& engine);
    // The provenance of the flag under the mouse: a field JSON key, "parameter", "engine"; "" when none.
    void flagHovered(const QString& source);
    void commandCopied(const QString& engine);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Page
    {
        QString engine;
        QWidget* widget = nullptr;
        QLabel* header = nullptr;
        QPlainTextEdit* command = nullptr;
        QToolButton* copy = nullptr;
        QTabWidget* details = nullptr;
        QTableView* flags = nullptr;
        FlagTableModel* flagModel = nullptr;
        QPlainTextEdit* argv = nullptr;
        QPlainTextEdit* yaml = nullptr;
        QPlainTextEdit* json = nullptr;
        EngineCommand cmd;
    };
    [[nodiscard]] const Page* page(const QString& engine) const;
    void copy(const Page& page);

    QTabWidget* m_tabs = nullptr;
    QList<Page> m_pages;
};

} // namespace QuantDesk

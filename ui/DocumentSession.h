#pragma once

#include <QObject>
#include <QString>
#include <memory>

#include "ui/TaskIo.h"
#include "ui/TaskState.h"

class QUndoStack;

namespace QuantDesk
{

class PresetStore;

// The open task: its state, file, undo history and modified flag. Every edit goes through edit(), which pushes a
// QUndoCommand, so undo/redo covers every change the user makes.
class DocumentSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DocumentSession)

public:
    // How quickly the preview should follow a change: at once for picks (presets, fields, combo boxes), debounced
    // for typing into text fields.
    enum class Pace {
        Immediate,
        Typing,
    };
    Q_ENUM(Pace)

    DocumentSession(std::unique_ptr<TaskIo> io, const PresetStore& presets, QObject* parent = nullptr);
    ~DocumentSession() override;

    [[nodiscard]] const TaskState& state() const { return m_state; }
    [[nodiscard]] QUndoStack* undoStack() const { return m_undo; }
    [[nodiscard]] QString filePath() const { return m_filePath; }
    // "Untitled" or the file's name.
    [[nodiscard]] QString displayName() const;
    [[nodiscard]] bool isModified() const;

    // Pushes an undoable change. Consecutive edits with the same mergeKey (≥ 0) collapse into one undo step, so
    // typing a model id is one step. No-op when next equals the current state.
    void edit(const TaskState& next, const QString& text, DocumentSession::Pace pace, int mergeKey = -1);

    void newDocument();
    // Reads a task without touching the open document: nullopt (with *error) when it cannot be edited; validation
    // problems that do not stop editing come back in *problems.
    [[nodiscard]] std::optional<TaskState> read(const QString& path, QString* error, QStringList* problems) const;
    // Makes a read task the open document (a fresh undo history, not modified).
    void adopt(const TaskState& state, const QString& path);
    // read() + adopt(); on failure the document stays exactly as it was.
    bool open(const QString& path, QString* error, QStringList* problems = nullptr);
    bool save(const QString& path, QString* error);
    [[nodiscard]] std::optional<TaskIo::ExportOutcome> exportForAutotuner(const QString& dir, QString* error) const;

signals:
    void stateChanged(QuantDesk::DocumentSession::Pace pace);
    void filePathChanged(const QString& path);
    void modifiedChanged(bool modified);

private:
    friend class StateCommand;
    void apply(const TaskState& state, Pace pace);
    void reset(const TaskState& state, const QString& path);

    std::unique_ptr<TaskIo> m_io;
    const PresetStore& m_presets;
    QUndoStack* m_undo = nullptr;
    TaskState m_state = TaskState::defaults();
    QString m_filePath;
};

} // namespace QuantDesk

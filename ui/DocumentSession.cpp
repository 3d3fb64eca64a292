#include "ui/DocumentSession.h"

#include <QFileInfo>
#include <QUndoCommand>
#include <QUndoStack>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

// Snapshot undo: the state is a small value, so before/after copies are simpler and safer than per-field inverses.
class StateCommand final : public QUndoCommand
{
public:
    StateCommand(DocumentSession* session,
                 TaskState before,
                 TaskState after,
                 const QString& text,
                 DocumentSession::Pace pace,
                 int mergeKey)
        : QUndoCommand(text), m_session(session), m_before(std::move(before)), m_after(std::move(after)), m_pace(pace),
          m_mergeKey(mergeKey)
    {}

    int id() const override { return m_mergeKey; }

    bool mergeWith(const QUndoCommand* other) override
    {
        const auto* o = static_cast<const StateCommand*>(other);
        m_after = o->m_after;
        return true;
    }

    void undo() override { m_session->apply(m_before, DocumentSession::Pace::Immediate); }

    void redo() override
    {
        // The first redo comes from push() and keeps the edit's pace; undo/redo later refresh at once.
        m_session->apply(m_after, m_first ? m_pace : DocumentSession::Pace::Immediate);
        m_first = false;
    }

private:
    DocumentSession* m_session;
    TaskState m_before;
    TaskState m_after;
    DocumentSession::Pace m_pace;
    int m_mergeKey;
    bool m_first = true;
};

DocumentSession::DocumentSession(std::unique_ptr<TaskIo> io, const PresetStore& presets, QObject* parent)
    : QObject(parent), m_io(std::move(io)), m_presets(presets), m_undo(new QUndoStack(this))
{
    connect(m_undo, &QUndoStack::cleanChanged, this, [this](bool clean) { emit modifiedChanged(!clean); });
}

DocumentSession::~DocumentSession() = default;

QString DocumentSession::displayName() const
{
    return m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).fileName();
}

bool DocumentSession::isModified() const
{
    return !m_undo->isClean();
}

void DocumentSession::edit(const TaskState& next, const QString& text, Pace pace, int mergeKey)
{
    if (next == m_state)
        return;
    m_undo->push(new StateCommand(this, m_state, next, text, pace, mergeKey));
}

void DocumentSession::apply(const TaskState& state, Pace pace)
{
    if (state == m_state)
        return;
    m_state = state;
    emit stateChanged(pace);
}

void DocumentSession::reset(const TaskState& state, const QString& path)
{
    m_undo->clear();
    m_undo->setClean();
    m_state = state;
    emit stateChanged(Pace::Immediate);
    if (path != m_filePath) {
        m_filePath = path;
        emit filePathChanged(path);
    }
    emit modifiedChanged(false);
}

void DocumentSession::newDocument()
{
    reset(TaskState::defaults(), {});
}

std::optional<TaskState> DocumentSession::read(const QString& path, QString* error, QStringList* problems) const
{
    return m_io->load(path, m_presets, error, problems);
}

void DocumentSession::adopt(const TaskState& state, const QString& path)
{
    reset(state, QFileInfo(path).absoluteFilePath());
}

bool DocumentSession::open(const QString& path, QString* error, QStringList* problems)
{
    auto loaded = read(path, error, problems);
    if (!loaded)
        return false;
    adopt(*loaded, path);
    return true;
}

bool DocumentSession::save(const QString& path, QString* error)
{
    if (!m_io->save(m_state, path, error))
        return false;
    m_undo->setClean();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (absolute != m_filePath) {
        m_filePath = absolute;
        emit filePathChanged(absolute);
    }
    return true;
}

std::optional<TaskIo::ExportOutcome> DocumentSession::exportForAutotuner(const QString& dir, QString* error) const
{
    return m_io->exportForAutotuner(m_state, m_presets, dir, error);
}

} // namespace QuantDesk

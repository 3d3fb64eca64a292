#pragma once

#include <QDialog>
#include <QList>
#include <QPair>

#include "core/remote/HostSpec.h"
#include "core/task/TaskExporter.h"

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QToolButton;
class QTreeWidget;

namespace QuantDesk
{

// "Submit to Host": pick a host, for local and SSH hosts the autotuner checkout folder (prefilled from the host), and
// see the tasks that will be submitted: one per exported config, exactly the export "Export for Autotuner" writes.
// Configs the exporter refused are listed with the reason and not submitted. Non-blocking: open() it and read
// host() / tasks() on accepted().
class SubmitDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SubmitDialog)

public:
    SubmitDialog(const QList<HostSpec>& hosts, const ExportResult& exported, QWidget* parent = nullptr);
    ~SubmitDialog() override;

    // The chosen host, with the checkout folder from the dialog.
    [[nodiscard]] HostSpec host() const;
    // (task name, task JSON) for each exported task.
    [[nodiscard]] QList<QPair<QString, QByteArray>> tasks() const;
    [[nodiscard]] bool canSubmit() const;

    [[nodiscard]] QComboBox* hostComboBox() const { return m_hostCombo; }
    [[nodiscard]] QLineEdit* autotunerDirLineEdit() const { return m_dir; }
    [[nodiscard]] QTreeWidget* tasksTreeWidget() const { return m_tasks; }

private:
    void onHostChanged();
    void updateState();

    QList<HostSpec> m_hosts;
    ExportResult m_exported;
    QComboBox* m_hostCombo = nullptr;
    QLabel* m_dirLabel = nullptr;
    QLineEdit* m_dir = nullptr;
    QToolButton* m_browse = nullptr;
    QTreeWidget* m_tasks = nullptr;
    QLabel* m_problem = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace QuantDesk

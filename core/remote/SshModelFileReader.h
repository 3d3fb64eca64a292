#pragma once

#include <QFuture>

#include "core/model/ModelInfo.h"
#include "core/remote/SshTransport.h"

namespace QuantDesk
{

// Reads a checkpoint folder on an SSH host (config.json, hf_quant_config.json, the safetensors index) for
// inspectModel(). Each read is one ssh invocation through the transport's options (multiplexed, host key checked,
// paths passed as quoted arguments). It blocks while ssh runs: call it from a worker thread, e.g. through
// inspectRemoteModel(), never from the UI thread.
class SshModelFileReader final : public ModelFileReader
{
public:
    SshModelFileReader(HostSpec host, SshOptions options, QString folder, int timeoutMs = 30000);

    [[nodiscard]] std::optional<QByteArray>
    readFile(const QString& relativePath, qint64 maxBytes, QString* error) const override;
    [[nodiscard]] bool exists(const QString& relativePath) const override;
    [[nodiscard]] QString location() const override;
    [[nodiscard]] QString sourceKind() const override { return QStringLiteral("ssh"); }

private:
    HostSpec m_host;
    SshOptions m_options;
    QString m_folder;
    int m_timeoutMs;
};

// Inspects a model folder on an SSH host on a worker thread.
[[nodiscard]] QFuture<ModelInfo>
inspectRemoteModel(const HostSpec& host, const SshOptions& options, const QString& folder);

} // namespace QuantDesk

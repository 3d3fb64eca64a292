#pragma once

#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include "core/hardware/GpuInfo.h"
#include "core/remote/HostSpec.h"

namespace QuantDesk
{

class Transport;
class RestClient;

// What a host has: GPUs, engine versions, Docker, the autotuner checkout.
struct ProbeResult
{
    HostSpec host;
    bool reachable = false; // false: error says why (the CLI exits 3)
    QString error;
    QList<GpuInfo> gpus;
    QString gpuError; // why no GPUs were found (nvidia-smi missing, garbled output, …)
    QString driverVersion;
    QString cudaVersion;
    QMap<QString, QString> engines; // "vllm" → "0.27.1", "sglang", "trtllm"
    bool dockerAvailable = false;
    QString dockerVersion;
    QString autotunerDir;
    bool autotunerFound = false;
    bool autotunerVenv = false;
    QString autotunerVersion; // REST: the API's version
    QStringList runtimes;     // REST: available_runtimes
    QStringList notes;

    // The weakest GPU (lowest compute capability): what the hardware rules should use.
    [[nodiscard]] const GpuInfo* targetGpu() const;
};

[[nodiscard]] nlohmann::ordered_json probeToJson(const ProbeResult& result);

// The shell script the probe runs (fixed text; the autotuner folder arrives as "$1", never pasted in).
[[nodiscard]] QString probeScript();
// Parses the probe script's output into result (sections marked "@@QD <name>"). Exposed for tests.
void parseProbeOutput(const QByteArray& output, ProbeResult* result);

// Probes a host asynchronously; finished() is emitted once. For local and SSH hosts it runs probeScript() through
// the transport; for REST hosts it asks /health, /api/system/info and /api/dashboard/gpu-status.
class HostProbe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostProbe)

public:
    HostProbe(Transport* transport, QObject* parent = nullptr);
    HostProbe(RestClient* client, HostSpec host, QObject* parent = nullptr);
    ~HostProbe() override;

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    void start();
    void cancel();

signals:
    void finished(const QuantDesk::ProbeResult& result);

private:
    void startShell();
    void startRest();
    void restStep(int step);
    void done();

    QPointer<Transport> m_transport;
    QPointer<RestClient> m_rest;
    ProbeResult m_result;
    int m_timeoutMs = 60000;
    QList<QPointer<QObject>> m_pending;
    bool m_done = false;
};

} // namespace QuantDesk

Q_DECLARE_METATYPE(QuantDesk::ProbeResult)

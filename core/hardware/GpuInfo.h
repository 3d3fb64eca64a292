#pragma once

#include <QList>
#include <QString>

namespace QuantDesk
{

// One GPU as reported by nvidia-smi (CSV query or `-q -x` XML). Unknown numbers are -1, unknown text is empty.
struct GpuInfo
{
    int index = -1;
    QString name;          // "NVIDIA H100 80GB HBM3"
    QString uuid;          // "GPU-c64d…"
    QString architecture;  // "Hopper" (XML only, or derived from the name)
    QString driverVersion; // "580.159.04"
    QString cudaVersion;   // "13.0" (XML and the plain-text table only)
    qint64 memoryTotalMiB = -1;
    qint64 memoryUsedMiB = -1;
    int ccMajor = -1; // compute capability, e.g. 9 and 0; derived from the name/architecture when not reported
    int ccMinor = -1;
    bool ccDerived = false; // true when the compute capability was not printed by nvidia-smi but looked up

    [[nodiscard]] bool hasComputeCapability() const { return ccMajor >= 0 && ccMinor >= 0; }
    // 90 for 9.0, 89 for 8.9: easy to compare against thresholds.
    [[nodiscard]] int ccValue() const { return hasComputeCapability() ? ccMajor * 10 + ccMinor : -1; }
    [[nodiscard]] QString ccString() const;
    bool operator==(const GpuInfo&) const = default;
};

// Looks up the compute capability of a GPU by its product name or architecture ("H100" → 9.0, "Ada Lovelace" → 8.9).
// Returns false when neither is known.
bool lookupComputeCapability(const QString& name, const QString& architecture, int* major, int* minor);

// Parses nvidia-smi output: `--query-gpu=… --format=csv` with or without header and units (`noheader,nounits`),
// `nvidia-smi -q -x` XML, or the default plain-text table. The format is detected from the content.
// On failure returns an empty list and sets *error to a message that says what is wrong and where (line/field).
QList<GpuInfo> parseNvidiaSmi(const QByteArray& data, QString* error);

// Reads and parses a file of nvidia-smi output; the error names the file.
QList<GpuInfo> parseNvidiaSmiFile(const QString& path, QString* error);

} // namespace QuantDesk

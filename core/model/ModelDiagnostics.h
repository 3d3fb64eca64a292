#pragma once

#include <QList>
#include <optional>

#include "core/engines/EngineCommand.h"
#include "core/hardware/GpuInfo.h"
#include "core/model/ModelInfo.h"
#include "core/quant/QuantConfig.h"

namespace QuantDesk
{

// Diagnostics that need the model's files and size, for the rules the mapper does not already give (the mapper has
// OFFLINE-GEMM / OFFLINE-MOE for a quantizing field on a pre-quantized checkpoint, KV-SCALES, KV-E5M2-FP8CKPT and
// CKPT-REQUIRED, all from ModelInfo):
//   MODEL-CONFIG     info/warning  config.json is missing or unusable: no architecture checks, no memory prediction
//   ONLINE-Q         error         a user `quantization` parameter on a checkpoint quantized another way (P8);
//                                  a warning when the checkpoint's method is only guessed from its name
//   ONLINE-OOM       warning       online quantization of an unquantized checkpoint whose BF16 weights exceed
//                                  GPU memory × TP: the engine loads them before quantizing (P9)
//   MEM-WEIGHTS-FIT  error         the predicted weights per GPU are larger than the GPU's memory
//   MEM-KV-NONE      warning       the weights fit, but leave no KV cache under the engine's memory fraction
// tensorParallel <= 0 takes the TP size from the command's flags (1 when none). The GPU rules need gpu with a memory
// size. Never changes the command.
[[nodiscard]] QList<Diagnostic> modelDiagnostics(const EngineCommand& command,
                                                 const QuantConfig& config,
                                                 const ModelInfo& model,
                                                 const std::optional<GpuInfo>& gpu,
                                                 int tensorParallel);

} // namespace QuantDesk

#pragma once

#include <QString>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/engines/EngineCommand.h"
#include "core/quant/QuantConfig.h"

namespace QuantDesk
{

// The documented `preview --format json` object (README "JSON output"):
// {"engine", "engine_version", "preset", "quant_config", "argv", "command", "config_yaml", "flags", "diagnostics",
//  "support"}.
[[nodiscard]] nlohmann::ordered_json
previewToJson(const EngineCommand& command, const std::optional<QString>& preset, const QuantConfig& config);

[[nodiscard]] nlohmann::ordered_json diagnosticToJson(const Diagnostic& d);

} // namespace QuantDesk

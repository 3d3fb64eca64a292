#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <optional>

#include "core/engines/EngineCommand.h"
#include "core/engines/EngineProfile.h"
#include "core/hardware/GpuInfo.h"
#include "core/model/ModelInfo.h"
#include "core/quant/QuantConfig.h"

namespace QuantDesk
{

// Everything the mapper needs for one engine command.
struct MapRequest
{
    QuantConfig config;
    const EngineProfile* profile = nullptr;
    QString engineVersion; // the version the user targets; empty = the profile's
    QString profileNote;   // set when the profile is only the nearest to engineVersion
    ModelInfo model;
    std::optional<GpuInfo> gpu;
    // User parameters in order: engine flags without "--" (either spelling the engine accepts) and their values.
    // "true" / "" make a switch, "false" leaves it out.
    QList<QPair<QString, QString>> parameters;
};

// Turns a quant config into the exact command an engine accepts (DESIGN §2). Never emits a flag or value the profile
// does not list; everything it cannot do is a diagnostic.
[[nodiscard]] EngineCommand buildEngineCommand(const MapRequest& request);

// Convenience: pick the profile for engine/version from the built-in registry and map. Returns nullopt (with
// *error) for an unknown engine.
[[nodiscard]] std::optional<EngineCommand> buildEngineCommand(const QString& engine,
                                                              const QString& engineVersion,
                                                              const QuantConfig& config,
                                                              const ModelInfo& model,
                                                              const std::optional<GpuInfo>& gpu,
                                                              const QList<QPair<QString, QString>>& parameters,
                                                              QString* error);

// The support level of one field value on an engine, without context (no model, GPU or other fields): what the
// badges and `quantdesk-cli support` show.
[[nodiscard]] FieldSupport fieldSupport(const EngineProfile& profile, QuantField field, const QString& value);

} // namespace QuantDesk

#pragma once

#include <QStringList>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/model/MemoryPrediction.h"
#include "core/model/ModelInfo.h"

namespace QuantDesk
{

// The "model" object of `preview --format json`:
// {"id_or_path", "source", "location", "quant_method", "quant_bits", "quant_format", "quant_detected_from",
//  "kv_scales" (true/false/null), "kv_scales_from", "architecture" (null when config.json is unknown:
//  {"model_type", "attention" ("gqa"|"mla"), "layers", "hidden_size", "attention_heads", "kv_heads", "head_dim",
//   "kv_lora_rank", "qk_rope_head_dim", "vocab_size", "dtype", "experts", "experts_per_token", "shared_experts",
//   "moe_layers"}), "parameters" ({"total", "active"} or null), "config_error", "notes"}.
// Absent values are null.
[[nodiscard]] nlohmann::ordered_json modelToJson(const ModelInfo& model);

// The "memory" object: null when the model's architecture is not known, else
// {"engine", "tensor_parallel", "weights_dtype", "experts_dtype" (null for dense models), "kv_cache_dtype",
//  "kv_bytes_per_element", "weights_bytes", "weights_gib", "weights_gib_per_gpu", "kv_bytes_per_token",
//  "kv_bytes_per_token_per_gpu", "gpu", "gpu_memory_gib", "memory_fraction", "memory_fraction_key",
//  "memory_fraction_source" ("default"|"parameter"), "kv_cache_memory_bytes", "reserve_gib", "kv_cache_gib_per_gpu",
//  "kv_capacity_tokens", "notes"}. GiB values are rounded to 2 decimals; the GPU values are null without a GPU.
[[nodiscard]] nlohmann::ordered_json memoryToJson(const std::optional<MemoryPrediction>& memory);

// The same for `preview --format text`: a few lines each, without trailing newlines.
[[nodiscard]] QStringList modelToText(const ModelInfo& model);
[[nodiscard]] QStringList memoryToText(const std::optional<MemoryPrediction>& memory);

// "128 KiB", "1.5 GiB", "576 bytes".
[[nodiscard]] QString formatBytes(double bytes);

} // namespace QuantDesk

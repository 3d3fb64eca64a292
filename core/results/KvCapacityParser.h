#pragma once

#include <QHash>
#include <QString>
#include <QStringView>

namespace QuantDesk
{

// The KV-cache capacity an engine reports in its start-up log. Nothing in the autotuner records it
// (reference/autotuner.md §5.3), so QuantDesk reads it from the engine's own log lines:
//
// vLLM (V1 engine), vllm/v1/core/kv_cache_utils.py, _report_kv_cache_config():
//     num_tokens_str = f"{num_tokens:,}"
//     logger.info_once("GPU KV cache size: %s tokens", num_tokens_str, scope="local")
//   printed as e.g. "(EngineCore_DP0 pid=2412130) INFO 12-11 00:06:53 [kv_cache_utils.py:1286] GPU KV cache size:
//   686,320 tokens" (thousands separated by commas), once per engine core (data-parallel rank); tensor parallelism
//   is already folded into the number.
// vLLM, vllm/v1/worker/gpu_worker.py, Worker.determine_available_memory(), per worker (GiB = bytes / 2**30):
//     logger.info_once("Available KV cache memory: %.2f GiB", GiB(self.available_kv_cache_memory_bytes),
//                      scope="local")
//
// SGLang, python/sglang/srt/managers/scheduler.py (Scheduler.__init__ / init_memory_pool_and_cache), on TP rank 0:
//     logger.info(f"max_total_num_tokens={self.max_total_num_tokens}, chunked_prefill_size=…, "
//                 f"max_prefill_tokens=…, max_running_requests=…, context_len=…, available_gpu_mem=… GB")
//   (older releases print the same line without chunked_prefill_size / available_gpu_mem), e.g.
//   "[2025-11-04 05:27:13 DP0 TP0] max_total_num_tokens=524288, chunked_prefill_size=8192, …".
// SGLang, python/sglang/srt/mem_cache/memory_pool.py (MHATokenToKVPool; GB = 1024 * 1024 * 1024 there):
//     logger.info(f"KV Cache is allocated. #tokens: {size}, K size: {k_size / GB:.2f} GB, V size: {v_size / GB:.2f}
//     GB")
//   and for MLA models "KV Cache is allocated. #tokens: N, KV size: X GB".
//
// With data parallelism each DP rank prints its own line ("EngineCore_DP1", "DP1 TP0"): the capacity is the sum over
// DP ranks of each rank's last report (a restarted engine reports again). The KV pool size is per GPU (the first
// tensor-parallel rank's report).
struct KvCapacity
{
    qint64 tokens = -1;  // -1: no capacity line
    double poolGiB = -1; // KV cache memory per GPU; -1: not reported
    QString engine;      // "vllm" or "sglang": whose lines were found
    int lines = 0;       // capacity lines seen

    [[nodiscard]] bool isValid() const { return tokens >= 0; }
    bool operator==(const KvCapacity&) const = default;
};

class KvCapacityParser
{
public:
    // Scans a log (engine log, docker logs, or a task log with container logs copied in).
    [[nodiscard]] static KvCapacity parse(QStringView log);

    // Splits an autotuner task log at its experiment markers ("Experiment N" banners of the CLI, "[Experiment N]"
    // status lines of the web worker) and parses each part: experiment number → capacity. Lines before the first
    // marker are not attributed.
    [[nodiscard]] static QHash<int, KvCapacity> perExperiment(QStringView taskLog);
};

} // namespace QuantDesk

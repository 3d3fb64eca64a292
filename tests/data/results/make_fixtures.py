#!/usr/bin/env python3
"""Writes the results fixtures in tests/data/results from the documented formats (reference/autotuner.md §5,
reference/peers-and-pitfalls.md §2). The numbers are chosen by hand so that tests can state expectations as
arithmetic on them; TestResultsImport repeats the ones it checks. Re-run after changing a number here:

    python3 tests/data/results/make_fixtures.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
PRESETS = ["default", "kv-cache-fp8", "dynamic-fp8", "bf16-stable", "aggressive-moe"]
CONC = [1, 4, 16, 64]

# Output tok/s per preset and concurrency (input tok/s is the same: D(100,100)).
OUT = {
    "default": [100.0, 380.0, 1400.0, 4000.0],
    "kv-cache-fp8": [102.0, 390.0, 1500.0, 5200.0],
    "dynamic-fp8": [130.0, 500.0, 1900.0, 5520.0],
    "bf16-stable": [101.0, 385.0, 1450.0, 5000.0],
    "aggressive-moe": [90.0, 340.0, 1300.0, 4200.0],
}
# TTFT p50 in seconds per preset and concurrency; mean = p50 * 1.1, p90 = p50 * 1.5, p99 = p50 * 2.
TTFT = {
    "default": [0.020, 0.030, 0.060, 0.160],
    "kv-cache-fp8": [0.020, 0.029, 0.055, 0.120],
    "dynamic-fp8": [0.016, 0.024, 0.045, 0.100],
    "bf16-stable": [0.021, 0.030, 0.057, 0.130],
    "aggressive-moe": [0.024, 0.034, 0.066, 0.170],
}
# TPOT p50 (s/token) per preset: 0.010 ... and E2E p50 = ttft_p50 + 99 * tpot_p50 (100 output tokens).
TPOT = {"default": 0.0100, "kv-cache-fp8": 0.0098, "dynamic-fp8": 0.0076, "bf16-stable": 0.0099,
        "aggressive-moe": 0.0110}
# Peak GPU memory used (MiB, nvidia-smi) and the engine's KV cache report per preset.
PEAK_MIB = {"default": 73500, "kv-cache-fp8": 73600, "dynamic-fp8": 73400, "bf16-stable": 73550,
            "aggressive-moe": 73300}
KV_TOKENS = {"default": 450560, "kv-cache-fp8": 901120, "dynamic-fp8": 901120, "bf16-stable": 901120,
             "aggressive-moe": 921600}
KV_POOL_GIB = {"default": 55.00, "kv-cache-fp8": 55.00, "dynamic-fp8": 58.30, "bf16-stable": 55.00,
               "aggressive-moe": 56.25}
TOTAL_MIB = 81559


def write(rel, obj, indent=2):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=indent)
        f.write("\n")


def stat(p50, mean_f=1.1, p90_f=1.5, p99_f=2.0):
    return {"min": round(p50 * 0.5, 6), "max": round(p50 * 3, 6), "mean": round(p50 * mean_f, 6),
            "stddev": round(p50 * 0.2, 6), "sum": round(p50 * 50, 6), "p25": round(p50 * 0.8, 6),
            "p50": p50, "p75": round(p50 * 1.2, 6), "p90": round(p50 * p90_f, 6), "p95": round(p50 * 1.7, 6),
            "p99": round(p50 * p99_f, 6)}


def aggregated(preset, k, unit_scale=1.0, per_gpu=None):
    """genai-bench aggregated_metrics for one (preset, concurrency index); latencies times unit_scale."""
    c = CONC[k]
    out = OUT[preset][k]
    ttft = TTFT[preset][k]
    tpot = TPOT[preset]
    e2e = round(ttft + 99 * tpot, 6)
    a = {
        "scenario": "D(100,100)", "num_concurrency": c, "batch_size": None, "iteration_type": "num_concurrency",
        "run_duration": 60.0,
        "mean_output_throughput_tokens_per_s": out,
        "mean_input_throughput_tokens_per_s": out,
        "mean_total_tokens_throughput_tokens_per_s": out * 2,
        "mean_total_chars_per_hour": out * 3600 * 4,
        "requests_per_second": out / 100.0,
        "error_codes_frequency": {}, "error_rate": 0.0, "num_error_requests": 0,
        "num_completed_requests": int(out * 60 / 100), "num_requests": int(out * 60 / 100),
        "stats": {
            "ttft": stat(round(ttft * unit_scale, 6)),
            "tpot": stat(round(tpot * unit_scale, 7)),
            "e2e_latency": stat(round(e2e * unit_scale, 6)),
            "output_latency": stat(round(99 * tpot * unit_scale, 6)),
            "output_inference_speed": stat(round(1 / tpot, 3)),
            "num_input_tokens": stat(100.0, 1, 1, 1),
            "num_output_tokens": stat(100.0, 1, 1, 1),
            "total_tokens": stat(200.0, 1, 1, 1),
            "input_throughput": stat(1000.0),
            "output_throughput": stat(round(1 / tpot, 3)),
        },
    }
    if per_gpu:
        a["mean_output_throughput_per_gpu"] = out / per_gpu
        a["mean_input_throughput_per_gpu"] = out / per_gpu
        a["mean_total_throughput_per_gpu"] = out * 2 / per_gpu
    return a


def vllm_log(preset):
    return ("(APIServer pid=1) INFO 11-26 10:00:00 [api_server.py:1885] vLLM API server version 0.11.0\n"
            "(EngineCore_DP0 pid=312) INFO 11-26 10:00:41 [gpu_worker.py:298] Available KV cache memory: "
            "%.2f GiB\n"
            "(EngineCore_DP0 pid=312) INFO 11-26 10:00:41 [kv_cache_utils.py:1286] GPU KV cache size: "
            "%s tokens\n"
            "(EngineCore_DP0 pid=312) INFO 11-26 10:00:41 [kv_cache_utils.py:1291] Maximum concurrency for "
            "8,192 tokens per request: %.2fx\n"
            "(APIServer pid=1) INFO:     Application startup complete.\n") % (
        KV_POOL_GIB[preset], "{:,}".format(KV_TOKENS[preset]), KV_TOKENS[preset] / 8192.0)


def gpu_monitoring(preset):
    peak = PEAK_MIB[preset]
    return {"monitoring_duration_seconds": 240.0, "sample_count": 240,
            "gpu_stats": {"0": {"name": "NVIDIA H100 80GB HBM3",
                                "utilization": {"min": 60, "max": 100, "mean": 92.5, "samples": 240},
                                "memory_used_mb": {"min": peak - 500, "max": peak, "mean": peak - 100},
                                "memory_usage_percent": {"min": round((peak - 500) / TOTAL_MIB * 100, 1),
                                                         "max": round(peak / TOTAL_MIB * 100, 1),
                                                         "mean": round((peak - 100) / TOTAL_MIB * 100, 1)},
                                "temperature_c": {"min": 40, "max": 68, "mean": 61.0},
                                "power_draw_w": {"min": 120.0, "max": 690.0, "mean": 610.0}}}}


def metrics(preset, task, n, with_gpu=True, per_gpu=1):
    raw = [aggregated(preset, k, per_gpu=per_gpu if with_gpu else None) for k in range(4)]
    outs = OUT[preset]
    e2es = [TTFT[preset][k] + 99 * TPOT[preset] for k in range(4)]
    m = {
        "num_result_files": 4, "concurrency_levels": CONC,
        "mean_e2e_latency": round(sum(e * 1.1 for e in e2es) / 4, 6),
        "min_e2e_latency": round(min(e * 1.1 for e in e2es), 6), "max_e2e_latency": round(max(e * 1.1 for e in e2es), 6),
        "p50_e2e_latency": round(sum(e2es) / 4, 6), "p90_e2e_latency": round(sum(e * 1.5 for e in e2es) / 4, 6),
        "p99_e2e_latency": round(sum(e * 2 for e in e2es) / 4, 6),
        "mean_ttft": round(sum(t * 1.1 for t in TTFT[preset]) / 4, 6), "mean_tpot": round(TPOT[preset] * 1.1, 7),
        "mean_output_throughput": sum(outs) / 4, "max_output_throughput": max(outs),
        "mean_total_throughput": sum(outs) / 2, "max_total_throughput": max(outs) * 2,
        "total_requests": sum(int(o * 60 / 100) for o in outs),
        "total_completed_requests": sum(int(o * 60 / 100) for o in outs),
        "total_error_requests": 0, "success_rate": 1.0, "elapsed_time": 262.5,
        "benchmark_name": "%s-exp%d" % (task, n), "raw_results": raw,
    }
    if with_gpu:
        m["mean_output_throughput_per_gpu"] = m["mean_output_throughput"] / per_gpu
        m["max_output_throughput_per_gpu"] = m["max_output_throughput"] / per_gpu
        m["mean_total_throughput_per_gpu"] = m["mean_total_throughput"] / per_gpu
        m["max_total_throughput_per_gpu"] = m["max_total_throughput"] / per_gpu
        m["gpu_monitoring"] = gpu_monitoring(preset)
    return m


GPU_INFO = {"model": "NVIDIA H100 80GB HBM3", "count": 1, "device_ids": ["0"], "world_size": 1}


def autotuner_current():
    task = "llama-quant-sweep"
    results = []
    for n, preset in enumerate(PRESETS, 1):
        m = metrics(preset, task, n)
        results.append({"experiment_id": n, "parameters": {"tensor-parallel-size": 1, "__quant__preset": preset},
                        "status": "success", "metrics": m, "objective_score": -m["mean_output_throughput"],
                        "gpu_info": GPU_INFO, "container_logs": vllm_log(preset), "error_message": None,
                        "created_resources": {"clusterbasemodel": None, "clusterservingruntime": None}})
    # Experiment 6: explicit fields (no preset has them), out of memory at start-up.
    results.append({"experiment_id": 6,
                    "parameters": {"tensor-parallel-size": 1, "__quant__gemm_dtype": "fp8",
                                   "__quant__kvcache_dtype": "fp8_e4m3"},
                    "status": "failed", "metrics": None, "gpu_info": GPU_INFO,
                    "container_logs": "torch.OutOfMemoryError: CUDA out of memory.\n",
                    "error_message": "Service failed to become ready: CUDA out of memory",
                    "created_resources": {"clusterbasemodel": None, "clusterservingruntime": None}})
    ok = [r for r in results if r["status"] == "success"]
    best = min(ok, key=lambda r: r["objective_score"])
    write("autotuner/llama-quant-sweep_results.json",
          {"task_name": task, "strategy": "grid_search", "total_experiments": len(results),
           "successful_experiments": len(ok), "elapsed_time": 1843.2, "best_result": best, "all_results": results})


def autotuner_pinned():
    # QuantDesk exports pin every previewed flag as a single-value parameter (and the flags the autotuner would add
    # on its own as false); the autotuner CLI ignores quant_config and passes the parameters through as flags.
    task = "llama-pinned"
    grid = [("kv-cache-fp8", {"kv-cache-dtype": "fp8_e5m2", "dtype": False}),
            ("dynamic-fp8", {"quantization": "fp8", "kv-cache-dtype": "fp8_e5m2", "dtype": False}),
            ("bf16-stable", {"dtype": "bfloat16", "kv-cache-dtype": "fp8_e4m3"}),
            ("default", {"dtype": False})]
    results = []
    for n, (preset, flags) in enumerate(grid, 1):
        params = dict(flags)
        params["tensor-parallel-size"] = 1
        m = metrics(preset, task, n)
        results.append({"experiment_id": n, "parameters": params, "status": "success", "metrics": m,
                        "objective_score": -m["mean_output_throughput"], "gpu_info": GPU_INFO,
                        "container_logs": vllm_log(preset), "error_message": None,
                        "created_resources": {"clusterbasemodel": None, "clusterservingruntime": None}})
    write("autotuner/llama-pinned_results.json",
          {"task_name": task, "strategy": "grid_search", "total_experiments": 4, "successful_experiments": 4,
           "elapsed_time": 1200.0, "best_result": results[1], "all_results": results})


def autotuner_legacy():
    # The committed sample's shape: no strategy, container_logs, error_message or created_resources.
    task = "docker-simple-tune"
    e1 = metrics("default", task, 1, with_gpu=False)
    e1["raw_results"] = e1["raw_results"][:2]
    e1["concurrency_levels"] = [1, 4]
    e2 = {"mean_e2e_latency": 1.2, "p50_e2e_latency": 1.1, "p90_e2e_latency": 1.4, "p99_e2e_latency": 1.9,
          "mean_ttft": 0.05, "mean_tpot": 0.011, "mean_output_throughput": 250.0, "max_output_throughput": 390.0,
          "mean_total_throughput": 500.0, "max_total_throughput": 780.0, "total_requests": 300,
          "total_completed_requests": 297, "total_error_requests": 3, "success_rate": 0.99}
    r1 = {"experiment_id": 1, "parameters": {"tp-size": 1, "mem-fraction-static": 0.7}, "status": "success",
          "metrics": e1, "objective_score": 0.1887}
    r2 = {"experiment_id": 2, "parameters": {"tp-size": 1, "mem-fraction-static": 0.8}, "status": "success",
          "metrics": e2, "objective_score": 0.1632}
    write("autotuner/docker-simple-tune_results.json",
          {"task_name": task, "total_experiments": 2, "successful_experiments": 2, "elapsed_time": 183.7,
           "best_result": r2, "all_results": [r1, r2]})


def rest_and_ui():
    task = "quant-sweep-rest"
    rows = []
    for n, preset in enumerate(["default", "kv-cache-fp8"], 1):
        m = metrics(preset, task, n)
        rows.append({"id": 40 + n, "task_id": 7, "experiment_id": n,
                     "parameters": {"tp-size": 1, "__quant__preset": preset}, "status": "success",
                     "error_message": None, "metrics": m, "objective_score": -m["mean_output_throughput"],
                     "gpu_info": GPU_INFO, "service_name": None, "service_url": None,
                     "created_at": "2025-12-03T05:44:50.123456Z", "started_at": "2025-12-03T05:44:51.000000Z",
                     "completed_at": "2025-12-03T05:49:10.000000Z", "elapsed_time": 259.0})
    rows.append({"id": 43, "task_id": 7, "experiment_id": 3,
                 "parameters": {"tp-size": 1, "__quant__preset": "dynamic-fp8"}, "status": "benchmarking",
                 "error_message": None, "metrics": None, "objective_score": None, "gpu_info": GPU_INFO,
                 "service_name": None, "service_url": None, "created_at": "2025-12-03T05:49:11.000000Z",
                 "started_at": "2025-12-03T05:49:12.000000Z", "completed_at": None, "elapsed_time": None})
    rows.reverse()  # the API returns newest first
    write("rest/experiments_task_7.json", rows)

    exps = []
    for n, (g, kv) in enumerate([("auto", "auto"), ("auto", "fp8_e5m2"), ("fp8", "fp8_e5m2")], 1):
        preset = {("auto", "auto"): "default", ("auto", "fp8_e5m2"): "kv-cache-fp8",
                  ("fp8", "fp8_e5m2"): "dynamic-fp8"}[(g, kv)]
        m = metrics(preset, "quant-ui", n)
        exps.append({"experiment_id": n, "status": "success",
                     "parameters": {"tp-size": 1, "__quant__gemm_dtype": g, "__quant__kvcache_dtype": kv},
                     "metrics": m, "objective_score": -m["mean_output_throughput"], "elapsed_time": 250.0 + n,
                     "error_message": None})
    write("ui-export/quant-ui_results.json",
          {"task": {"id": 9, "name": "quant-ui", "description": "custom quant grid", "status": "completed",
                    "total_experiments": 3, "successful_experiments": 3, "best_experiment_id": 3,
                    "elapsed_time": 760.5},
           "experiments": exps})


def genai_bench():
    folder = "genai-bench/openai_vllm_kv-cache-fp8_llama-3.1-8b"
    write(folder + "/experiment_metadata.json",
          {"cmd": "genai-bench benchmark --api-backend openai ...", "benchmark_version": "0.0.2",
           "api_backend": "openai", "auth_config": {}, "api_model_name": "meta-llama/Llama-3.1-8B-Instruct",
           "server_model_tokenizer": "meta-llama/Llama-3.1-8B-Instruct", "model": "meta-llama/Llama-3.1-8B-Instruct",
           "task": "text-to-text", "num_concurrency": [1, 4, 16], "batch_size": None,
           "iteration_type": "num_concurrency", "traffic_scenario": ["D(100,100)"],
           "additional_request_params": {}, "server_engine": "vLLM", "server_version": "0.11.0",
           "server_gpu_type": "H100", "server_gpu_count": "1", "max_time_per_run_s": 60,
           "max_requests_per_run": 300, "experiment_folder_name": os.path.basename(folder),
           "dataset_path": None, "metrics_time_unit": "s"})
    for k in range(3):
        ms = k == 1  # the concurrency-4 run was written with --metrics-time-unit ms
        agg = aggregated("kv-cache-fp8", k, unit_scale=1000.0 if ms else 1.0)
        reqs = [{"ttft": agg["stats"]["ttft"]["p50"], "tpot": agg["stats"]["tpot"]["p50"],
                 "e2e_latency": agg["stats"]["e2e_latency"]["p50"], "output_latency": 0.97,
                 "output_inference_speed": 102.0, "num_input_tokens": 100, "num_output_tokens": 100,
                 "num_reasoning_tokens": 0, "total_tokens": 200, "input_throughput": 5000.0,
                 "output_throughput": 102.0, "error_code": None, "error_message": None} for _ in range(3)]
        write("%s/D100_100_text-to-text_num_concurrency_%d_time_9s.json" % (folder, CONC[k]),
              {"aggregated_metrics": agg, "individual_request_metrics": reqs, "_time_unit": "ms" if ms else "s"})


def vllm_bench():
    def run(preset, c, rate, extra):
        k = CONC.index(c)
        out = OUT[preset][k]
        ttft = TTFT[preset][k] * 1000
        tpot = TPOT[preset] * 1000
        e2e = ttft + 99 * tpot
        completed = 200
        r = {"date": "20251126-101500", "endpoint_type": "openai", "backend": "vllm", "label": None,
             "model_id": "meta-llama/Llama-3.1-8B-Instruct", "tokenizer_id": "meta-llama/Llama-3.1-8B-Instruct",
             "num_prompts": 200, "request_rate": rate, "burstiness": 1.0, "max_concurrency": c,
             "duration": completed * 100 / out, "completed": completed, "failed": 0,
             "total_input_tokens": completed * 100, "total_output_tokens": completed * 100,
             "request_throughput": out / 100, "request_goodput": None, "output_throughput": out,
             "total_token_throughput": out * 2, "max_output_tokens_per_s": out * 1.2,
             "max_concurrent_requests": c}
        for m, v in (("ttft", ttft), ("tpot", tpot), ("itl", tpot), ("e2el", e2e)):
            r["mean_%s_ms" % m] = round(v * 1.1, 4)
            r["median_%s_ms" % m] = round(v, 4)
            r["std_%s_ms" % m] = round(v * 0.2, 4)
            r["p90_%s_ms" % m] = round(v * 1.5, 4)
            r["p99_%s_ms" % m] = round(v * 2, 4)
        r["input_lens"] = [100] * 5
        r["output_lens"] = [100] * 5
        r["ttfts"] = [ttft / 1000] * 5
        r["itls"] = [[tpot / 1000] * 3] * 5
        r["generated_texts"] = ["..."] * 5
        r["errors"] = [""] * 5
        r.update(extra)
        return r
    write("vllm-bench/vllm-c16-dynamic.json",
          run("dynamic-fp8", 16, "inf", {"gemm_dtype": "fp8", "kvcache_dtype": "fp8_e5m2",
                                          "attention_dtype": "fp8", "moe_dtype": "fp8"}))
    lines = [run("default", 1, "inf", {"quant_preset": "default"}),
             run("default", 4, 8.0, {"quant_preset": "default"})]
    with open(os.path.join(HERE, "vllm-bench/vllm-default-append.jsonl"), "w") as f:
        for l in lines:
            f.write(json.dumps(l) + "\n")


def logs():
    os.makedirs(os.path.join(HERE, "logs"), exist_ok=True)
    with open(os.path.join(HERE, "logs/vllm-startup.log"), "w") as f:
        f.write(vllm_log("kv-cache-fp8"))
    with open(os.path.join(HERE, "logs/vllm-dp2.log"), "w") as f:
        f.write("(EngineCore_DP0 pid=101) INFO 11-26 10:00:41 [gpu_worker.py:298] Available KV cache memory: 30.50 GiB\n"
                "(EngineCore_DP1 pid=102) INFO 11-26 10:00:41 [gpu_worker.py:298] Available KV cache memory: 30.50 GiB\n"
                "(EngineCore_DP0 pid=101) INFO 11-26 10:00:42 [kv_cache_utils.py:1286] GPU KV cache size: 249,856 tokens\n"
                "(EngineCore_DP1 pid=102) INFO 11-26 10:00:42 [kv_cache_utils.py:1286] GPU KV cache size: 249,856 tokens\n")
    with open(os.path.join(HERE, "logs/sglang-startup.log"), "w") as f:
        f.write("[2025-11-26 10:00:05] server_args=ServerArgs(model_path='meta-llama/Llama-3.1-8B-Instruct', "
                "kv_cache_dtype='fp8_e5m2', mem_fraction_static=0.88, ...)\n"
                "[2025-11-26 10:00:31 TP0] Load weight end. type=LlamaForCausalLM, dtype=torch.bfloat16, "
                "avail mem=63.72 GB, mem usage=15.06 GB.\n"
                "[2025-11-26 10:00:31 TP0] KV Cache is allocated. #tokens: 871254, K size: 26.59 GB, V size: 26.59 GB\n"
                "[2025-11-26 10:00:31 TP0] Memory pool end. avail mem=9.12 GB\n"
                "[2025-11-26 10:00:40 TP0] max_total_num_tokens=871254, chunked_prefill_size=8192, "
                "max_prefill_tokens=16384, max_running_requests=4096, context_len=131072, available_gpu_mem=8.51 GB\n"
                "[2025-11-26 10:01:02] The server is fired up and ready to roll!\n"
                "[2025-11-26 10:05:00 TP0] Warning: available_size=871000, max_total_num_tokens=871254\n")
    with open(os.path.join(HERE, "logs/task-log.txt"), "w") as f:
        f.write("Starting autotuning task: llama-quant-sweep (3 experiments, mode docker)\n")
        for n, preset in enumerate(["default", "kv-cache-fp8", "dynamic-fp8"], 1):
            f.write("=" * 60 + "\nExperiment %d\nParameters: {\"__quant__preset\": \"%s\"}\n" % (n, preset))
            f.write("[Step 1/4] Deploying inference service...\n")
            if n != 3:
                f.write("========== Container Logs ==========\n" + vllm_log(preset) + "========== End ==========\n")
            f.write("Experiment %d completed. Score: -1000.0\n" % n)


def bad():
    os.makedirs(os.path.join(HERE, "bad"), exist_ok=True)
    base = json.load(open(os.path.join(HERE, "autotuner/llama-quant-sweep_results.json")))
    e = base["all_results"][0]
    raw = e["metrics"]["raw_results"]
    raw[0]["mean_output_throughput_tokens_per_s"] = float("nan")
    raw[0]["stats"]["ttft"]["p99"] = float("inf")
    raw[1]["mean_output_throughput_tokens_per_s"] = -5.0
    raw[1]["stats"]["e2e_latency"]["p50"] = 1e308
    raw[2]["requests_per_second"] = 1e308
    raw[3]["error_rate"] = -0.5
    e["metrics"]["gpu_monitoring"]["gpu_stats"]["0"]["memory_used_mb"]["max"] = float("-inf")
    doc = {"task_name": "nan-values", "strategy": "grid_search", "all_results": [e]}
    with open(os.path.join(HERE, "bad/nan-values_results.json"), "w") as f:
        json.dump(doc, f, indent=1)  # Python writes NaN / Infinity / -Infinity literals

    e2 = json.loads(json.dumps(base["all_results"][1]))
    for r in e2["metrics"]["raw_results"]:
        r.pop("stats")
        r.pop("requests_per_second")
    del e2["metrics"]["raw_results"][2]["mean_output_throughput_tokens_per_s"]
    e2.pop("gpu_info")
    e2.pop("objective_score")
    e2["metrics"].pop("gpu_monitoring")
    write("bad/missing-keys_results.json", {"task_name": "missing-keys", "all_results": [e2, {"parameters": {}}]})

    e3 = json.loads(json.dumps(base["all_results"][2]))
    e3["experiment_id"] = "three"
    r0 = e3["metrics"]["raw_results"][0]
    r0["mean_output_throughput_tokens_per_s"] = "1900"
    r0["num_concurrency"] = "sixteen"
    r0["stats"]["ttft"] = [1, 2, 3]
    e3["metrics"]["raw_results"][1]["stats"] = "n/a"
    e3["parameters"] = ["not", "an", "object"]
    write("bad/wrong-types_results.json", {"task_name": "wrong-types", "all_results": [e3, 42, "x"]})

    text = json.dumps(base, indent=2)
    with open(os.path.join(HERE, "bad/truncated_results.json"), "w") as f:
        f.write(text[: len(text) // 2])
    write("bad/not-results.json", {"name": "a task", "parameters": {"tp-size": [1, 2]}})
    with open(os.path.join(HERE, "bad/empty.json"), "w") as f:
        f.write("")
    with open(os.path.join(HERE, "bad/not-json.txt"), "w") as f:
        f.write("task_name,experiment_id\nx,1\n")


if __name__ == "__main__":
    autotuner_current()
    autotuner_legacy()
    autotuner_pinned()
    rest_and_ui()
    genai_bench()
    vllm_bench()
    logs()
    bad()

#!/usr/bin/env python3
"""Stand-in for the inference-autotuner CLI (src/run_autotuner.py) in integration tests: no GPU work.

It accepts the real CLI's arguments (TASK.json [--mode ...] [--direct] [--model-path ...] [--verbose]), prints the
CLI's progress lines (reference/autotuner.md 7.1: "Experiment N" banners, "[Step k/4]" steps, "Experiment N
completed. Score: ...", the final "AUTOTUNING COMPLETE" block and "Results saved to: ..."), and writes
results/<task_name>_results.json in the format of section 5.1, relative to the current directory.

Behaviour is tuned by standin.json next to src/ (optional):
  {"seconds_per_experiment": 0.5, "fail_experiment": 0}
"""
import argparse
import itertools
import json
import os
import signal
import sys
import time


def grid(parameters, cap):
    keys, values = [], []
    for k, v in (parameters or {}).items():
        if isinstance(v, dict):
            v = v.get("values") or v.get("choices") or []
        if isinstance(v, list) and v:
            keys.append(k)
            values.append(v)
    points = [dict(zip(keys, combo)) for combo in itertools.product(*values)] if keys else [{}]
    return points[:cap]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("task")
    ap.add_argument("--mode", default="ome")
    ap.add_argument("--direct", action="store_true")
    ap.add_argument("--model-path", default="/mnt/data/models")
    ap.add_argument("--kubeconfig")
    ap.add_argument("--verbose", "-v", action="store_true")
    a = ap.parse_args()

    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cfg = {}
    try:
        with open(os.path.join(here, "standin.json")) as f:
            cfg = json.load(f)
    except OSError:
        pass
    seconds = float(cfg.get("seconds_per_experiment", 0.5))
    fail_at = int(cfg.get("fail_experiment", 0))

    with open(a.task) as f:
        task = json.load(f)
    # The real CLI on main raises KeyError without these.
    task["optimization"]["timeout_per_iteration"]
    task["model"]["namespace"]
    name = task["task_name"]
    points = grid(task.get("parameters"), int(task["optimization"].get("max_iterations", 100)))

    def on_term(signum, frame):
        print("Interrupted (signal %d)" % signum, flush=True)
        sys.exit(143)

    signal.signal(signal.SIGTERM, on_term)
    print("Starting autotuning task: %s (%d experiments, mode %s)" % (name, len(points), a.mode), flush=True)
    start = time.time()
    results = []
    for n, params in enumerate(points, 1):
        print("=" * 60, flush=True)
        print("Experiment %d" % n, flush=True)
        print("Parameters: %s" % json.dumps(params), flush=True)
        print("Runtime-specific parameters: %s" % json.dumps(
            {k: v for k, v in params.items() if not k.startswith("__")}), flush=True)
        for step, what in enumerate(["Deploying inference service", "Waiting for service to be ready",
                                     "Running benchmark", "Cleaning up"], 1):
            print("[Step %d/4] %s..." % (step, what), flush=True)
            time.sleep(seconds / 4)
        if n == fail_at:
            print("Experiment %d failed: container exited" % n, flush=True)
            results.append({"experiment_id": n, "parameters": params, "status": "failed", "metrics": None,
                            "container_logs": None, "error_message": "container exited",
                            "created_resources": {"clusterbasemodel": None, "clusterservingruntime": None}})
            continue
        tput = 1000.0 + 100.0 * n
        metrics = {
            "num_result_files": 2, "concurrency_levels": [1, 4],
            "mean_e2e_latency": 1.2, "min_e2e_latency": 1.0, "max_e2e_latency": 1.4,
            "p50_e2e_latency": 1.2, "p90_e2e_latency": 1.3, "p99_e2e_latency": 1.4,
            "mean_ttft": 0.05, "mean_tpot": 0.01,
            "mean_output_throughput": tput, "max_output_throughput": tput * 1.5,
            "mean_total_throughput": tput * 2, "max_total_throughput": tput * 3,
            "total_requests": 100, "total_completed_requests": 100, "total_error_requests": 0, "success_rate": 1.0,
            "elapsed_time": seconds, "benchmark_name": "%s-exp%d" % (name, n),
            "raw_results": [
                {"scenario": "D(100,100)", "num_concurrency": c, "batch_size": None,
                 "iteration_type": "num_concurrency", "run_duration": seconds,
                 "mean_output_throughput_tokens_per_s": tput * (1 + c / 4),
                 "mean_input_throughput_tokens_per_s": tput, "mean_total_tokens_throughput_tokens_per_s": tput * 2,
                 "requests_per_second": 5.0 * c, "error_rate": 0.0, "num_error_requests": 0,
                 "num_completed_requests": 50, "num_requests": 50,
                 "stats": {"ttft": {"mean": 0.05 * c, "p50": 0.05 * c, "p90": 0.06 * c, "p99": 0.07 * c},
                           "tpot": {"mean": 0.01, "p50": 0.01, "p90": 0.012, "p99": 0.015},
                           "e2e_latency": {"mean": 1.2, "p50": 1.2, "p90": 1.3, "p99": 1.4}}}
                for c in (1, 4)],
        }
        score = -tput
        results.append({"experiment_id": n, "parameters": params, "status": "success", "metrics": metrics,
                        "objective_score": score, "container_logs": "engine log of experiment %d" % n,
                        "error_message": None,
                        "created_resources": {"clusterbasemodel": None, "clusterservingruntime": None}})
        print("Experiment %d completed. Score: %.4f" % (n, score), flush=True)

    ok = [r for r in results if r["status"] == "success"]
    best = min(ok, key=lambda r: r["objective_score"]) if ok else None
    out = {"task_name": name, "strategy": task["optimization"].get("strategy", "grid_search"),
           "total_experiments": len(results), "successful_experiments": len(ok),
           "elapsed_time": time.time() - start, "best_result": best, "all_results": results}
    os.makedirs("results", exist_ok=True)
    path = os.path.join("results", "%s_results.json" % name)
    with open(path + ".tmp", "w") as f:
        json.dump(out, f, indent=2)
    os.replace(path + ".tmp", path)
    print("=" * 60, flush=True)
    print("AUTOTUNING COMPLETE", flush=True)
    if best:
        print("Best configuration: %s" % json.dumps(best["parameters"]), flush=True)
    print("Results saved to: %s" % path, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

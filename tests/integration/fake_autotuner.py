#!/usr/bin/env python3
"""A loopback stand-in for the inference-autotuner REST API (reference/autotuner.md section 4), for integration
tests. It follows the documented behaviour: 201 on create, 400 for a duplicate task name, start only from pending,
status and experiments progressing over time, logs, cancel (which only flips the status), restart. It does no GPU
work. Faults can be injected per path for the next N requests:

    POST /__faults  {"path": "<regex>", "kind": "500|slow|reset|malformed", "count": 1, "delay": 5}

Usage: fake_autotuner.py [--port 0] [--experiment-seconds 0.5]   (prints "PORT <n>" once listening)
"""
import argparse
import json
import re
import socket
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
TASKS = {}
EXPERIMENTS = {}   # task id -> list of experiment dicts
FAULTS = []
NEXT_ID = [1]
EXP_SECONDS = [0.5]


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def grid_size(task):
    n = 1
    for v in (task.get("parameters") or {}).values():
        if isinstance(v, list) and v:
            n *= len(v)
    return max(1, min(n, (task.get("optimization") or {}).get("max_iterations", 100)))


def advance(task):
    """Moves a running task forward according to the wall clock."""
    if task["status"] != "running":
        return
    total = task["total_experiments"]
    done = min(total, int((time.time() - task["_started"]) / EXP_SECONDS[0]))
    exps = EXPERIMENTS.setdefault(task["id"], [])
    while len(exps) < done:
        n = len(exps) + 1
        exps.append({
            "id": task["id"] * 1000 + n, "task_id": task["id"], "experiment_id": n,
            "parameters": {"__quant__kvcache_dtype": "fp8_e5m2"}, "status": "success", "error_message": None,
            "metrics": {"mean_output_throughput": 1000.0 + 10 * n, "mean_e2e_latency": 1.5,
                        "concurrency_levels": [1, 4]},
            "objective_score": -(1000.0 + 10 * n), "gpu_info": {"model": "NVIDIA H100 80GB HBM3", "count": 1},
            "created_at": now(), "started_at": now(), "completed_at": now(), "elapsed_time": EXP_SECONDS[0]})
        task["_log"].append("[%s] [INFO] [Experiment %d] Status: SUCCESS" % (
            datetime.now().strftime("%Y-%m-%d %H:%M:%S"), n))
    task["successful_experiments"] = len(exps)
    if done >= total:
        task["status"] = "completed"
        task["completed_at"] = now()
        task["elapsed_time"] = time.time() - task["_started"]


def public(task):
    return {k: v for k, v in task.items() if not k.startswith("_")}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _fault(self):
        with LOCK:
            for f in FAULTS:
                if f["count"] > 0 and re.search(f["path"], self.path):
                    f["count"] -= 1
                    return dict(f)
        return None

    def _send(self, status, body, raw=None):
        data = raw if raw is not None else json.dumps(body).encode()
        fault = getattr(self, "_active_fault", None)
        if fault and fault["kind"] == "malformed":
            data = b'{"detail": "truncated'
            status = 200
        if fault and fault["kind"] == "reset":
            # Promise a long body, send part of it, then reset the connection.
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data) + 1000))
            self.end_headers()
            self.wfile.write(data[: max(1, len(data) // 2)])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.close()
            return
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        return json.loads(raw) if raw else None

    def _dispatch(self):
        self._active_fault = self._fault()
        f = self._active_fault
        if f and f["kind"] == "slow":
            time.sleep(float(f.get("delay", 5)))
        if f and f["kind"] == "500":
            return self._send(500, {"detail": "Internal Server Error (injected)"})
        path = self.path.split("?")[0]
        with LOCK:
            return self._route(self.command, path)

    def _route(self, method, path):
        if method == "GET" and path == "/":
            return self._send(200, {"name": "LLM Inference Autotuner API", "version": "0.1.0", "status": "running",
                                    "docs": "/docs"})
        if method == "GET" and path == "/health":
            return self._send(200, {"status": "healthy"})
        if method == "GET" and path == "/api/system/health":
            return self._send(200, {"status": "healthy", "database": "ok", "redis": "ok"})
        if method == "GET" and path == "/api/system/info":
            return self._send(200, {"app_name": "LLM Inference Autotuner", "version": "0.1.0",
                                    "deployment_mode": "docker", "available_runtimes": ["sglang", "vllm"],
                                    "timezone": "UTC"})
        if method == "GET" and path == "/api/dashboard/gpu-status":
            return self._send(200, {"available": True, "gpus": [{
                "index": 0, "name": "NVIDIA H100 80GB HBM3", "memory_total_mb": 81559, "memory_used_mb": 0,
                "memory_free_mb": 81079, "utilization_percent": 0, "temperature_c": 42,
                "memory_usage_percent": 0.0}], "timestamp": datetime.now().isoformat()})
        if method == "POST" and path == "/api/tasks/":
            body = self._body()
            missing = [k for k in ("task_name", "model", "base_runtime", "parameters", "optimization", "benchmark")
                       if not isinstance(body, dict) or k not in body]
            if missing:
                return self._send(422, {"detail": [{"loc": ["body", k], "msg": "field required",
                                                    "type": "value_error.missing"} for k in missing]})
            if any(t["task_name"] == body["task_name"] for t in TASKS.values()):
                return self._send(400, {"detail": "Task '%s' already exists" % body["task_name"]})
            tid = NEXT_ID[0]
            NEXT_ID[0] += 1
            task = dict(body)
            task.update({"id": tid, "status": "pending", "total_experiments": grid_size(body),
                         "successful_experiments": 0, "best_experiment_id": None, "created_at": now(),
                         "started_at": None, "completed_at": None, "elapsed_time": None, "_log": []})
            TASKS[tid] = task
            return self._send(201, public(task))
        m = re.fullmatch(r"/api/tasks/(\d+)(/[a-z]+)?", path)
        if m:
            task = TASKS.get(int(m.group(1)))
            if task is None:
                return self._send(404, {"detail": "Task not found"})
            advance(task)
            action = m.group(2)
            if method == "GET" and action is None:
                return self._send(200, public(task))
            if method == "POST" and action == "/start":
                if task["status"] != "pending":
                    return self._send(400, {"detail": "Task must be in PENDING status to start"})
                task.update({"status": "running", "started_at": now(), "_started": time.time()})
                task["_log"].append("[%s] [INFO] Task started" % datetime.now().strftime("%Y-%m-%d %H:%M:%S"))
                return self._send(200, public(task))
            if method == "POST" and action == "/cancel":
                if task["status"] != "running":
                    return self._send(400, {"detail": "Task is not running"})
                task["status"] = "cancelled"
                return self._send(200, public(task))
            if method == "POST" and action == "/restart":
                if task["status"] not in ("completed", "failed", "cancelled"):
                    return self._send(400, {"detail": "Task can only be restarted when completed, failed or "
                                                      "cancelled"})
                EXPERIMENTS[task["id"]] = []
                task.update({"status": "running", "_started": time.time(), "successful_experiments": 0})
                return self._send(200, public(task))
            if method == "GET" and action == "/logs":
                return self._send(200, {"logs": "\n".join(task["_log"]) or "No logs available yet."})
            return self._send(405, {"detail": "Method Not Allowed"})
        m = re.fullmatch(r"/api/experiments/task/(\d+)", path)
        if m and method == "GET":
            task = TASKS.get(int(m.group(1)))
            if task is None:
                return self._send(404, {"detail": "Task not found"})
            advance(task)
            return self._send(200, list(reversed(EXPERIMENTS.get(task["id"], []))))
        return self._send(404, {"detail": "Not Found"})

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        if self.path == "/__faults":
            body = self._body() or {}
            with LOCK:
                FAULTS.append({"path": body.get("path", ".*"), "kind": body.get("kind", "500"),
                               "count": int(body.get("count", 1)), "delay": float(body.get("delay", 5))})
            return self._send(200, {"ok": True})
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--experiment-seconds", type=float, default=0.5)
    a = ap.parse_args()
    EXP_SECONDS[0] = a.experiment_seconds
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    # Stop when the test that started us goes away (stdin closes).
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()

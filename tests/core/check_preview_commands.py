#!/usr/bin/env python3
"""Runs `quantdesk-cli preview --format json` for every preset x engine and every single field value x engine, and
checks each generated command with the engines' flag checker (tests/data/check_engine_command.py, run against the
flag tables extracted from the engines' sources). Also checks the JSON object has the documented keys.

usage: check_preview_commands.py QUANTDESK_CLI TEST_DATA_DIR
"""
import json
import os
import subprocess
import sys

FIELDS = {
    "gemm": ["auto", "float16", "bfloat16", "float32", "fp8", "int8"],
    "kvcache": ["auto", "fp16", "bfloat16", "fp8", "fp8_e5m2", "fp8_e4m3", "int8", "int4"],
    "attention": ["auto", "float16", "bfloat16", "fp8", "fp8_e5m2", "fp8_e4m3", "fp8_block"],
    "moe": ["auto", "float16", "bfloat16", "fp8", "w4afp8", "mxfp4", "int8"],
}
PRESETS = ["default", "kv-cache-fp8", "dynamic-fp8", "bf16-stable", "aggressive-moe"]
ENGINES = ["vllm", "sglang", "trtllm"]
KEYS = ["engine", "engine_version", "preset", "quant_config", "argv", "command", "config_yaml", "flags",
        "diagnostics", "support"]
FORBIDDEN = ["--quant-algo", "--kv-cache-quant-algo", "--fmha-quant-algo"]


def main():
    cli, data = sys.argv[1], sys.argv[2]
    checker = os.path.join(data, "check_engine_command.py")
    spec = os.path.join(data, "engine-flags.json")
    env = dict(os.environ, HOME=os.environ.get("TMPDIR", "/tmp"), XDG_DATA_HOME=os.path.join(
        os.environ.get("TMPDIR", "/tmp"), "quantdesk-check-xdg"))
    cases = []
    for e in ENGINES:
        for p in PRESETS:
            cases.append((e, ["--preset", p]))
        for f, values in FIELDS.items():
            for v in values:
                cases.append((e, ["--" + f, v]))
        cases.append((e, ["--preset", "dynamic-fp8", "--model", "neuralmagic/Meta-Llama-3-8B-Instruct-FP8"]))
        cases.append((e, ["--preset", "kv-cache-fp8", "--gpu-info",
                          os.path.join(data, "nvidia-smi-h100", "query-gpu.csv")]))
    failures = 0
    for engine, args in cases:
        proc = subprocess.run([cli, "preview", "--engine", engine, "--format", "json", *args],
                              capture_output=True, text=True, env=env)
        label = "%s %s" % (engine, " ".join(args))
        if proc.returncode not in (0, 1):
            print("FAIL %s: exit %d: %s" % (label, proc.returncode, proc.stderr.strip()))
            failures += 1
            continue
        try:
            doc = json.loads(proc.stdout)
        except json.JSONDecodeError as exc:
            print("FAIL %s: output is not JSON (%s)" % (label, exc))
            failures += 1
            continue
        missing = [k for k in KEYS if k not in doc]
        if missing:
            print("FAIL %s: JSON lacks %s" % (label, missing))
            failures += 1
        if (proc.returncode == 1) != any(d["severity"] == "error" for d in doc["diagnostics"]):
            print("FAIL %s: exit code %d disagrees with the diagnostics" % (label, proc.returncode))
            failures += 1
        for bad in FORBIDDEN:
            if bad in doc["command"]:
                print("FAIL %s: emits %s" % (label, bad))
                failures += 1
        chk = subprocess.run([sys.executable, checker, "check", spec, engine, "--", doc["command"]],
                             capture_output=True, text=True)
        if chk.returncode != 0:
            print("FAIL %s: %s\n  %s" % (label, doc["command"], chk.stdout.strip().replace("\n", " ")))
            failures += 1
    passed = len(cases) - failures
    print("%d passed, %d failed" % (passed, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

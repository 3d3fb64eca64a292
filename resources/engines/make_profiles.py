#!/usr/bin/env python3
"""Regenerates the engine profiles in this folder from the extracted flag tables.

    python3 resources/engines/make_profiles.py path/to/engine-flags.json

The flag tables (every option the serve command accepts, with its choices) come from engine-flags.json, which was
extracted from each engine's own argument definitions. The per-value mapping rules below are the correct flags per
quant field value (engine-flags.md section 6); they are data that the mapper interprets, reviewed by hand.
Profiles are written with sorted keys so that a regeneration shows a clean diff.
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent

N, T, C, I, U = "native", "translated", "checkpoint", "implicit", "unsupported"


def rule(level, args=(), note=None, **extra):
    r = {"level": level, "args": list(args)}
    if note:
        r["note"] = note
    r.update(extra)
    return r


# ---------------------------------------------------------------------------------------------------------------
# JSON values are written without spaces: the autotuner splits its command line on whitespace, so a value with a
# space could not reach the engine as one word.
VLLM_MAPPING = {
    "gemm": {
        "auto": rule(N, note="--dtype auto is the default; a pre-quantized checkpoint is detected from its "
                              "quantization_config"),
        "float16": rule(N, ["--dtype", "float16"]),
        "bfloat16": rule(N, ["--dtype", "bfloat16"]),
        "float32": rule(N, ["--dtype", "float32"], note="rarely supported by the fast attention backends"),
        "fp8": rule(N, ["--quantization", "fp8"], quant_method="fp8", online=True,
                    note="online dynamic FP8 (W8A8) for BF16/FP16 checkpoints; also quantizes the MoE experts",
                    alternatives=[["--quantization", "fp8_per_tensor"], ["--quantization", "fp8_per_block"],
                                  ["--quantization", "fp8_per_channel"]]),
        "int8": rule(C, note="vLLM has no online INT8 GEMM method (there is no --quantization int8): use an INT8 "
                             "W8A8 checkpoint (compressed-tensors, 8-bit GPTQ), which is auto-detected",
                     fix="for weight-only INT8 without a checkpoint add --param quantization="
                         "int8_per_channel_weight_only"),
    },
    "kvcache": {
        "auto": rule(N),
        "fp16": rule(T, ["--kv-cache-dtype", "float16"], translation="fp16 → float16",
                     note="vLLM spells it float16; 'fp16' itself is rejected"),
        "bfloat16": rule(N, ["--kv-cache-dtype", "bfloat16"]),
        "fp8": rule(N, ["--kv-cache-dtype", "fp8"], kv_fp8="e4m3",
                    note="fp8 means E4M3 in vLLM; scales from the checkpoint (k_scale/v_scale), else 1.0"),
        "fp8_e4m3": rule(N, ["--kv-cache-dtype", "fp8_e4m3"], kv_fp8="e4m3"),
        "fp8_e5m2": rule(N, ["--kv-cache-dtype", "fp8_e5m2"], kv_fp8="e5m2",
                         note="FLASH_ATTN cannot read an E5M2 cache, so vLLM picks FlashInfer or Triton"),
        "int8": rule(T, ["--kv-cache-dtype", "int8_per_token_head"], translation="int8 → int8_per_token_head",
                     triton_only=True, note="per-token-head INT8 KV cache; TRITON_ATTN only; plain 'int8' is "
                                            "not a valid choice"),
        "int4": rule(T, ["--kv-cache-dtype", "int4_per_token_head"], translation="int4 → int4_per_token_head",
                     triton_only=True, note="per-token-head INT4 KV cache; TRITON_ATTN only; plain 'int4' is "
                                            "not a valid choice"),
    },
    "attention": {
        "auto": rule(N),
        "float16": rule(I, note="vLLM has no attention dtype: attention runs in the model dtype (--dtype)"),
        "bfloat16": rule(I, note="vLLM has no attention dtype: attention runs in the model dtype (--dtype)"),
        "fp8": rule(I, ["--kv-cache-dtype", "fp8"], via_kv="fp8",
                    note="no attention-dtype flag: FP8 attention follows an FP8 (E4M3) KV cache on backends that "
                         "quantize the query (FA3 on Hopper, FA4 / FlashInfer-TRTLLM on Blackwell)"),
        "fp8_e4m3": rule(I, ["--kv-cache-dtype", "fp8_e4m3"], via_kv="fp8_e4m3",
                         note="as fp8: follows an E4M3 KV cache"),
        "fp8_e5m2": rule(U, note="there is no E5M2 attention compute path (FlashAttention rejects e5m2; E5M2 is a "
                                 "storage format)"),
        "fp8_block": rule(U, note="vLLM has no block-scaled FP8 attention mode"),
    },
    "moe": {
        "auto": rule(N),
        "float16": rule(I, note="experts run in the model dtype (--dtype)"),
        "bfloat16": rule(I, note="experts run in the model dtype (--dtype)"),
        "fp8": rule(N, ["--quantization", "online", "--quantization-config", '{"moe":"fp8_per_tensor"}'],
                    quant_method="online", online=True, covered_by_gemm=["fp8"],
                    note="MoE-only online FP8; with gemm fp8, --quantization fp8 already quantizes the experts"),
        "w4afp8": rule(C, note="no CLI value: W4A8-FP8 experts come only from compressed-tensors or Quark "
                               "checkpoints (sm90)"),
        "mxfp4": rule(N, ["--quantization", "mxfp4", "--quantization-config",
                          '{"linear":{"activation":null,"weight":null}}'],
                      quant_method="mxfp4", online=True,
                      note="online MXFP4 for the experts only; MXFP4 checkpoints (gpt-oss) are auto-detected"),
        "int8": rule(N, ["--quantization", "experts_int8"], quant_method="experts_int8", online=True,
                     note="online INT8 weight-only quantization of the experts",
                     alternatives=[["--quantization", "int8_per_channel_weight_only"]]),
    },
}

SGLANG_MAPPING = {
    "gemm": {
        "auto": rule(N),
        "float16": rule(N, ["--dtype", "float16"]),
        "bfloat16": rule(N, ["--dtype", "bfloat16"]),
        "float32": rule(N, ["--dtype", "float32"]),
        "fp8": rule(N, ["--quantization", "fp8"], quant_method="fp8", online=True,
                    note="online FP8 for BF16 checkpoints (dense layers and experts); kernel via "
                         "--fp8-gemm-backend"),
        "int8": rule(C, ["--quantization", "w8a8_int8"], quant_method="w8a8_int8", online=False,
                     note="w8a8_int8 loads a W8A8 INT8 checkpoint; SGLang does not quantize to INT8 online"),
    },
    "kvcache": {
        "auto": rule(N),
        "fp16": rule(I, note="SGLang has no float16 KV choice; auto stores the cache in the model dtype"),
        "bfloat16": rule(N, ["--kv-cache-dtype", "bfloat16"]),
        "fp8": rule(T, ["--kv-cache-dtype", "fp8_e4m3"], translation="fp8 → fp8_e4m3", kv_fp8="e4m3",
                    note="plain 'fp8' is not a valid choice in SGLang; fp8 means E4M3 (scales from the checkpoint "
                         "or --quantization-param-path, else 1.0)"),
        "fp8_e4m3": rule(N, ["--kv-cache-dtype", "fp8_e4m3"], kv_fp8="e4m3"),
        "fp8_e5m2": rule(N, ["--kv-cache-dtype", "fp8_e5m2"], kv_fp8="e5m2"),
        "int8": rule(U, note="SGLang has no INT8 KV cache", fix="use fp8_e5m2 (no scales needed) or fp8_e4m3"),
        "int4": rule(U, note="SGLang has no INT4 KV cache; the nearest are the FP4 formats (nvfp4, fp4_e2m1, "
                             "CUDA 12.8+)", fix="use fp8_e5m2, or pass --param kv-cache-dtype=fp4_e2m1"),
    },
    "attention": {
        "auto": rule(N),
        "float16": rule(I, note="SGLang has no attention dtype: attention follows --dtype"),
        "bfloat16": rule(I, note="SGLang has no attention dtype: attention follows --dtype"),
        "fp8": rule(I, ["--kv-cache-dtype", "fp8_e4m3"], via_kv="fp8_e4m3",
                    note="no attention-dtype flag: FP8 attention follows an FP8 E4M3 KV cache on FP8-capable "
                         "backends (fa3 on Hopper, trtllm_mha / trtllm_mla on Blackwell, flashmla / cutlass_mla "
                         "for MLA); --attention-backend only picks kernels"),
        "fp8_e4m3": rule(I, ["--kv-cache-dtype", "fp8_e4m3"], via_kv="fp8_e4m3", note="as fp8"),
        "fp8_e5m2": rule(U, note="E5M2 is a storage-only format in SGLang: no FP8 E5M2 attention compute"),
        "fp8_block": rule(U, note="not a flag: aiconfigurator's fp8_block FMHA mode models SGLang wide-EP DeepSeek "
                                  "MLA kernels, implied by the model plus an fp8_e4m3 KV cache"),
    },
    "moe": {
        "auto": rule(N),
        "float16": rule(I, note="experts run in the model dtype"),
        "bfloat16": rule(I, note="experts run in the model dtype"),
        "fp8": rule(N, ["--quantization", "fp8"], quant_method="fp8", online=True, covered_by_gemm=["fp8"],
                    quantizes_dense=True,
                    note="SGLang's online fp8 quantizes the dense layers and the experts together; kernel via "
                         "--moe-runner-backend"),
        "w4afp8": rule(C, ["--quantization", "w4afp8"], quant_method="w4afp8", online=False,
                       note="loads a W4AFP8 checkpoint (e.g. DeepSeek-R1-W4AFP8); the W4A8 MoE kernel is an sm90 "
                            "CUTLASS kernel"),
        "mxfp4": rule(N, ["--quantization", "mxfp4"], quant_method="mxfp4", online=True,
                      note="MXFP4 experts: online for BF16 checkpoints, auto-detected for MXFP4 ones; native on "
                           "Blackwell with --moe-runner-backend flashinfer_mxfp4"),
        "int8": rule(C, ["--quantization", "w8a8_int8"], quant_method="w8a8_int8", online=False,
                     note="w8a8_int8 loads a W8A8 INT8 checkpoint"),
    },
}

TRTLLM_MAPPING = {
    "gemm": {
        "auto": rule(N),
        "float16": rule(N, yaml={"dtype": "float16"}, note="set in the --config YAML (trtllm-serve has no --dtype)"),
        "bfloat16": rule(N, yaml={"dtype": "bfloat16"}, note="set in the --config YAML (trtllm-serve has no --dtype)"),
        "float32": rule(N, yaml={"dtype": "float32"}, note="set in the --config YAML (trtllm-serve has no --dtype)"),
        "fp8": rule(C, quant_method="fp8",
                    note="the PyTorch backend takes weight quantization only from a ModelOpt checkpoint "
                         "(hf_quant_config.json quant_algo FP8 / FP8_BLOCK_SCALES); there is no --quant-algo"),
        "int8": rule(U, note="the PyTorch backend has no INT8 GEMM path; only the legacy TensorRT engine flow "
                             "(quantize.py --qformat int8_sq|int8_wo, then trtllm-build)"),
    },
    "kvcache": {
        "auto": rule(N),
        "fp16": rule(I, note="KvCacheConfig.dtype accepts only auto|fp8|nvfp4; auto stores the cache in the model "
                             "dtype"),
        "bfloat16": rule(I, note="KvCacheConfig.dtype accepts only auto|fp8|nvfp4; auto stores the cache in the "
                                 "model dtype"),
        "fp8": rule(N, ["--kv_cache_dtype", "fp8"], yaml_fallback={"kv_cache_config": {"dtype": "fp8"}},
                    kv_fp8="e4m3", note="FP8 (E4M3) KV cache; --kv_cache_dtype exists since 1.3.0rc4, the YAML "
                                        "kv_cache_config.dtype works in every PyTorch-backend version"),
        "fp8_e4m3": rule(T, ["--kv_cache_dtype", "fp8"], yaml_fallback={"kv_cache_config": {"dtype": "fp8"}},
                         kv_fp8="e4m3", translation="fp8_e4m3 → fp8",
                         note="E4M3 is TensorRT-LLM's only FP8 KV format, spelled fp8"),
        "fp8_e5m2": rule(U, note="TensorRT-LLM's FP8 KV cache is E4M3 only", fix="use fp8 (E4M3)"),
        "int8": rule(U, note="the PyTorch backend has no INT8 KV cache (legacy engine flow only: quantize.py "
                             "--kv_cache_dtype int8)", fix="use fp8"),
        "int4": rule(U, note="TensorRT-LLM has no INT4 KV cache: its KV algorithms are FP8, INT8 and NVFP4 "
                             "(nvfp4 needs Blackwell)", fix="use fp8, or --param kv_cache_dtype=nvfp4 on Blackwell"),
    },
    "attention": {
        "auto": rule(N),
        "float16": rule(I, note="attention runs in the model dtype"),
        "bfloat16": rule(I, note="attention runs in the model dtype"),
        "fp8": rule(I, ["--kv_cache_dtype", "fp8"], yaml_fallback={"kv_cache_config": {"dtype": "fp8"}},
                    via_kv="fp8", needs_fp8_checkpoint=True,
                    note="no flag: the TRTLLM attention backend runs FP8 context FMHA automatically when the "
                         "checkpoint is FP8/FP8-block/NVFP4 quantized and the KV cache is fp8"),
        "fp8_e4m3": rule(I, ["--kv_cache_dtype", "fp8"], yaml_fallback={"kv_cache_config": {"dtype": "fp8"}},
                         via_kv="fp8", needs_fp8_checkpoint=True, note="as fp8"),
        "fp8_e5m2": rule(U, note="no E5M2 attention path"),
        "fp8_block": rule(U, note="FP8_BLOCK_SCALES is a GEMM/MoE weight algorithm, not an attention mode"),
    },
    "moe": {
        "auto": rule(N),
        "float16": rule(I, note="experts run in the model dtype"),
        "bfloat16": rule(I, note="experts run in the model dtype"),
        "fp8": rule(C, quant_method="fp8", note="FP8 / FP8_BLOCK_SCALES checkpoint; kernel via the YAML "
                                               "moe_config.backend"),
        "w4afp8": rule(C, quant_method="w4afp8", note="W4A8 checkpoint (ModelOpt w4a8_awq, DeepSeek W4AFP8)"),
        "mxfp4": rule(C, quant_method="mxfp4", note="MXFP4 checkpoint (e.g. gpt-oss): W4A16_MXFP4 on Hopper with "
                                                   "moe_config.backend TRITON, MXFP4xMXFP8 on Blackwell"),
        "int8": rule(U, note="the PyTorch backend has no INT8 MoE path (legacy engine flow: --qformat int8_wo)"),
    },
}

# What the seed's support matrix told users, per field (DESIGN section 2).
SEED = {
    "vllm": {"gemm": ["supported", ""], "kvcache": ["supported", ""],
             "attention": ["unsupported", "seed: no attention dtype in vLLM"],
             "moe": ["limited", "seed: limited MoE support"]},
    "sglang": {f: ["supported", "seed: full support"] for f in ("gemm", "kvcache", "attention", "moe")},
    "trtllm": {"gemm": ["supported", "seed: --quant-algo FP8 / INT8"],
               "kvcache": ["supported", "seed: --kv-cache-quant-algo FP8 / INT8 / INT4 (INT4 KV marked supported)"],
               "attention": ["supported", "seed: --fmha-quant-algo FP8 / FP8_BLOCK (FMHA marked supported)"],
               "moe": ["unlisted", "seed: the autotuner maps no MoE flag for TensorRT-LLM"]},
}

SGLANG_MAIN_ONLY = ["--dsv4-prefill-backend", "--enable-w4a4-mxfp4-megamoe", "--hicache-host-memory-mode",
                    "--prefill-decode-interval"]


def trt_since(entry):
    seen = entry.get("seen_in", [])
    if "src-1.3.0rc3" in seen:
        return None
    if "docs-1.3.0rc7" in seen:
        return "1.3.0rc4"
    return "unverified"


def main(path):
    ref = json.load(open(path))
    profiles = []

    v = ref["vllm"]
    profiles.append(("vllm-0.27.1.json", {
        "engine": "vllm", "display_name": "vLLM", "version": "0.27.1",
        "version_label": "vLLM main after v0.27.1 (%s, %s)" % (v["commit"][:8], v["commit_date"][:10]),
        "source": {"repository": v["upstream"], "commit": v["commit"], "date": v["commit_date"]},
        "launch": ["vllm", "serve", "{model}"],
        "parser": {"underscore_is_dash": True, "bool_negation": True, "case_insensitive_values":
                   ["--attention-backend", "--moe-backend"]},
        "flags": v["flags"], "mapping": VLLM_MAPPING, "seed": SEED["vllm"],
    }))

    s = ref["sglang"]
    sflags = {k: val for k, val in s["flags"].items() if k not in SGLANG_MAIN_ONLY}
    for val in sflags.values():
        if "aliases" in val:
            val["aliases"] = [a for a in val["aliases"] if a not in SGLANG_MAIN_ONLY]
    profiles.append(("sglang-0.5.18.json", {
        "engine": "sglang", "display_name": "SGLang", "version": "0.5.18",
        "version_label": "SGLang v0.5.18 (main %s minus its 4 newer flags)" % s["commit"][:8],
        "source": {"repository": s["upstream"], "commit": s["commit"], "date": s["commit_date"]},
        "launch": ["python3", "-m", "sglang.launch_server", "--model-path", "{model}"],
        "parser": {"underscore_is_dash": False, "bool_negation": False, "case_insensitive_values": []},
        "flags": sflags, "mapping": SGLANG_MAPPING, "seed": SEED["sglang"],
    }))

    t = ref["trtllm"]
    tflags = {}
    for k, val in t["flags"].items():
        val = dict(val)
        since = trt_since(val)
        if since:
            val["since"] = since
        tflags[k] = val
    yaml_opts = {k: val for k, val in t["yaml_options"].items() if isinstance(val, list)}
    profiles.append(("trtllm-1.3.json", {
        "engine": "trtllm", "display_name": "TensorRT-LLM", "version": "1.3.0rc7",
        "version_label": "TensorRT-LLM 1.3 (trtllm-serve, PyTorch backend; flags of 1.3.0rc3 source and 1.3.0rc7 "
                         "docs)",
        "source": {"repository": t["upstream"], "commit": t["commit"], "date": t["commit_date"]},
        "launch": ["trtllm-serve", "{model}"],
        "parser": {"underscore_is_dash": False, "bool_negation": False, "case_insensitive_values": []},
        "config_flag": "--config", "config_file": "extra_llm_api_options.yaml",
        "yaml_options": yaml_opts,
        "flags": tflags, "mapping": TRTLLM_MAPPING, "seed": SEED["trtllm"],
    }))

    for name, prof in profiles:
        prof["schema"] = 1
        # Sanity: every mapping arg must be a flag of the profile with a valid value.
        for field, values in prof["mapping"].items():
            for value, r in values.items():
                args = r["args"]
                for i in range(0, len(args), 2):
                    flag = args[i]
                    assert flag in prof["flags"], (name, field, value, flag)
                    spec = prof["flags"][flag]
                    allowed = spec.get("choices") or spec.get("validated_values")
                    if allowed is not None:
                        assert args[i + 1] in allowed, (name, field, value, args)
        (HERE / name).write_text(json.dumps(prof, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        print("wrote", HERE / name)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "engine-flags.json")

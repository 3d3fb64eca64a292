#include "Mapper.h"

#include <algorithm>

#include "core/model/ModelDiagnostics.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

bool isFloatDtype(const QString& v)
{
    return v == u"float16" || v == u"bfloat16" || v == u"float32" || v == u"fp16";
}

bool methodMatches(const QString& modelMethod, const QString& requested)
{
    if (modelMethod.isEmpty() || requested.isEmpty())
        return false;
    if (modelMethod == requested)
        return true;
    if (requested == u"fp8")
        return modelMethod == u"fp8" || modelMethod == u"fp8_block";
    if (requested == u"int8" || requested == u"w8a8_int8" || requested == u"experts_int8")
        return modelMethod == u"int8";
    return false;
}

// The quant method a field value asks for, in checkpoint terms.
QString requestedMethod(QuantField field, const QString& value)
{
    if (field == QuantField::Gemm && (value == u"fp8" || value == u"int8"))
        return value;
    if (field == QuantField::Moe && (value == u"fp8" || value == u"int8" || value == u"w4afp8" || value == u"mxfp4"))
        return value;
    return {};
}

class Mapper
{
public:
    explicit Mapper(const MapRequest& request)
        : r(request), p(*request.profile), cc(request.gpu ? request.gpu->ccValue() : -1),
          version(request.engineVersion.isEmpty() ? request.profile->version() : request.engineVersion)
    {}

    EngineCommand run()
    {
        cmd.engine = p.engine();
        cmd.engineVersion = version;
        cmd.profileVersion = p.version();
        cmd.model = r.model.idOrPath;
        const QString model = r.model.idOrPath.isEmpty() ? u"MODEL"_s : r.model.idOrPath;
        for (const QString& w : p.launch())
            cmd.launch << (w == u"{model}" ? model : w);
        cmd.configFile = p.configFile();

        if (!r.profileNote.isEmpty())
            diag(u"PROFILE-NEAREST"_s,
                 Severity::Warning,
                 u"engine"_s,
                 r.profileNote,
                 u"flags follow the nearest known release; check them against your engine's --help"_s);
        if (r.model.isPreQuantized()) {
            diag(u"MODEL-QUANT"_s,
                 Severity::Info,
                 u"model"_s,
                 u"checkpoint quantization detected: %1 (from %2); %3 reads it from the checkpoint"_s.arg(
                     r.model.quantMethod, r.model.detectedFrom, p.displayName()));
        }

        mapGemm();
        mapKvCache();
        mapAttention();
        mapMoe();
        applyParameters();
        finishYaml();
        selfCheck();
        return cmd;
    }

private:
    // ---- helpers -------------------------------------------------------------------------------------------------
    void diag(const QString& id,
              Severity sev,
              const QString& field,
              const QString& message,
              const QString& fix = {},
              FixAction action = {})
    {
        Diagnostic d;
        d.id = id;
        d.severity = sev;
        d.field = field;
        d.message = message;
        d.fix = fix;
        d.action = action;
        cmd.diagnostics << d;
    }

    static FixAction setField(QuantField f, const QString& value)
    {
        return FixAction{FixAction::Kind::SetField, fieldKey(f), value};
    }

    void setSupport(QuantField f, SupportLevel level, const QString& note)
    {
        cmd.support[f] = FieldSupport{level, note};
    }

    QString engine() const { return p.displayName(); }

    // The flag already in the command that sets the same engine option (any spelling), or nullptr.
    CommandFlag* flagEntry(const QString& flag)
    {
        const QString canonical = p.canonicalName(flag);
        for (CommandFlag& f : cmd.flags) {
            if (f.flag == flag || p.canonicalName(f.flag) == canonical)
                return &f;
        }
        return nullptr;
    }

    // Flag/value pairs the rule would add, with unavailable flags swapped for the YAML fallback.
    struct Planned
    {
        QList<QPair<QString, QString>> flags;
        QMap<QString, QString> yaml;
        bool usedFallback = false;
    };

    Planned plan(const MappingRule& rule)
    {
        Planned out;
        out.yaml = rule.yaml;
        for (qsizetype i = 0; i + 1 < rule.args.size(); i += 2) {
            const FlagSpec* spec = p.findFlag(rule.args.at(i));
            if (spec && !p.flagAvailable(*spec, version) && !rule.yamlFallback.isEmpty()) {
                out.usedFallback = true;
                continue;
            }
            out.flags << qMakePair(rule.args.at(i), rule.args.at(i + 1));
        }
        if (out.usedFallback) {
            for (auto it = rule.yamlFallback.cbegin(); it != rule.yamlFallback.cend(); ++it)
                out.yaml.insert(it.key(), it.value());
        }
        return out;
    }

    // A flag (or YAML key) the plan would set to a different value than an earlier field did.
    std::optional<CommandFlag> conflictWith(const Planned& planned)
    {
        for (const auto& [flag, value] : planned.flags) {
            if (const CommandFlag* existing = flagEntry(flag); existing && existing->value != value)
                return *existing;
        }
        for (auto it = planned.yaml.cbegin(); it != planned.yaml.cend(); ++it) {
            for (const YamlEntry& e : std::as_const(cmd.yaml)) {
                if (e.key == it.key() && e.value != it.value()) {
                    CommandFlag clash;
                    clash.flag = e.key;
                    clash.value = e.value;
                    clash.source = e.source;
                    return clash;
                }
            }
        }
        return std::nullopt;
    }

    void apply(QuantField field, const MappingRule& rule, const Planned& planned, const QString& note)
    {
        const QString source = fieldKey(field);
        const QString group = source;
        for (const auto& [flag, value] : planned.flags) {
            if (CommandFlag* existing = flagEntry(flag)) {
                // Same flag and value from an earlier field: one flag, both reasons.
                existing->note += (existing->note.isEmpty() ? QString() : u"; "_s) +
                                  u"also serves %1=%2"_s.arg(source, r.config.value(field));
                continue;
            }
            CommandFlag f;
            f.flag = p.findFlag(flag) ? p.findFlag(flag)->name : flag;
            f.value = value;
            f.source = source;
            f.translated = rule.level == SupportLevel::Translated;
            f.note = rule.translation.isEmpty() ? note : u"translated %1: %2"_s.arg(rule.translation, note);
            f.group = group;
            cmd.flags << f;
        }
        for (auto it = planned.yaml.cbegin(); it != planned.yaml.cend(); ++it) {
            const bool exists =
                std::any_of(cmd.yaml.cbegin(), cmd.yaml.cend(), [&](const YamlEntry& e) { return e.key == it.key(); });
            if (!exists)
                cmd.yaml << YamlEntry{it.key(), it.value(), source, note};
        }
        if (planned.usedFallback) {
            diag(u"TRT-KV-YAML"_s,
                 Severity::Info,
                 source,
                 u"%1 %2 has no --kv_cache_dtype (added in 1.3.0rc4): the KV dtype goes into the --config YAML as "
                 "kv_cache_config.dtype"_s.arg(engine(), version));
        }
    }

    bool emitsQuantization(const MappingRule& rule) const
    {
        for (qsizetype i = 0; i < rule.args.size(); i += 2) {
            if (rule.args.at(i) == u"--quantization")
                return true;
        }
        return false;
    }

    void unsupported(QuantField field, const MappingRule& rule, Severity sev = Severity::Error)
    {
        const QString value = r.config.value(field);
        setSupport(field, SupportLevel::Unsupported, rule.note);
        diag(u"UNSUPPORTED"_s,
             sev,
             fieldKey(field),
             u"%1 cannot do %2=%3: %4. Nothing is emitted for it."_s.arg(engine(), fieldKey(field), value, rule.note),
             rule.fix.isEmpty() ? u"set %1 to auto"_s.arg(fieldKey(field)) : rule.fix,
             rule.fix.isEmpty() ? setField(field, u"auto"_s) : FixAction{});
    }

    // ---- hardware rules ----------------------------------------------------------------------------------------
    void checkFp8Compute(QuantField field)
    {
        if (cc < 0 || cc >= 89)
            return;
        const QString gpu = r.gpu->name + u" (compute capability "_s + r.gpu->ccString() + u')';
        const QString key = fieldKey(field);
        if (p.engine() == u"vllm") {
            diag(u"HW-FP8-GEMM"_s,
                 Severity::Warning,
                 key,
                 u"%1 has no FP8 tensor cores (needs 8.9+): vLLM falls back to weight-only FP8 Marlin (W8A16), which "
                 "saves memory but brings little speed-up"_s.arg(gpu),
                 u"expect memory savings only, or use an 8.9+ GPU (Ada, Hopper, Blackwell)"_s);
        } else if (p.engine() == u"sglang" && cc >= 80) {
            diag(u"HW-FP8-GEMM"_s,
                 Severity::Warning,
                 key,
                 u"%1 has no FP8 tensor cores (needs 8.9+): SGLang switches to weight-only FP8 Marlin"_s.arg(gpu),
                 u"expect memory savings only, or use an 8.9+ GPU"_s);
        } else {
            diag(u"HW-FP8-GEMM"_s,
                 Severity::Error,
                 key,
                 u"%1 cannot run FP8 GEMMs on %2 (needs compute capability 8.9+)"_s.arg(engine(), gpu),
                 u"set %1 to auto"_s.arg(key),
                 setField(field, u"auto"_s));
        }
    }

    // ---- fields --------------------------------------------------------------------------------------------------
    void mapGemm()
    {
        const QuantField f = QuantField::Gemm;
        const QString value = r.config.gemm;
        const MappingRule& rule = p.rule(f, value);
        const QString key = fieldKey(f);
        setSupport(f, rule.level, rule.note);
        gemmQuantApplied = false;

        if (rule.level == SupportLevel::Unsupported) {
            unsupported(f, rule);
            return;
        }
        const QString wanted = requestedMethod(f, value);
        if (!wanted.isEmpty() && r.model.isPreQuantized()) {
            setSupport(f,
                       SupportLevel::Checkpoint,
                       u"ignored: the checkpoint is already quantized (%1)"_s.arg(r.model.quantMethod));
            if (methodMatches(r.model.quantMethod, wanted)) {
                diag(u"OFFLINE-GEMM"_s,
                     Severity::Info,
                     key,
                     u"gemm_dtype=%1: the checkpoint is already %2-quantized, so %3 runs it as %1 without a flag"_s.arg(
                         value, r.model.quantMethod, engine()));
                gemmCoveredByCheckpoint = true;
            } else {
                diag(u"OFFLINE-GEMM"_s,
                     Severity::Warning,
                     key,
                     u"gemm_dtype=%1 ignored: the model is already quantized (%2, detected from %3); online "
                     "quantization applies only to BF16/FP16 checkpoints, and %4 takes the method from the "
                     "checkpoint"_s.arg(value, r.model.quantMethod, r.model.detectedFrom, engine()),
                     u"set gemm_dtype to auto"_s,
                     setField(f, u"auto"_s));
            }
            return;
        }
        if (rule.level == SupportLevel::Checkpoint) {
            checkpointField(f, rule);
            if (!rule.args.isEmpty())
                apply(f, rule, plan(rule), rule.note);
            if (value == u"fp8")
                checkFp8Compute(f);
            return;
        }
        apply(f, rule, plan(rule), rule.note);
        gemmQuantApplied = emitsQuantization(rule);
        if (value == u"fp8")
            checkFp8Compute(f);
    }

    void checkpointField(QuantField f, const MappingRule& rule)
    {
        const QString value = r.config.value(f);
        if (methodMatches(r.model.quantMethod, requestedMethod(f, value))) {
            diag(u"CKPT-REQUIRED"_s,
                 Severity::Info,
                 fieldKey(f),
                 u"%1=%2 needs a pre-quantized checkpoint; this model is one (%3)"_s.arg(
                     fieldKey(f), value, r.model.quantMethod));
            return;
        }
        diag(u"CKPT-REQUIRED"_s,
             Severity::Warning,
             fieldKey(f),
             u"%1 does not quantize to %2=%3 at start-up: %4. %5"_s.arg(
                 engine(),
                 fieldKey(f),
                 value,
                 rule.note,
                 rule.args.isEmpty() ? u"Nothing is emitted; the checkpoint's own config selects it."_s
                                     : u"The flag is emitted and fails on a checkpoint of another format."_s),
             u"serve a checkpoint quantized that way, or set %1 to auto"_s.arg(fieldKey(f)));
    }

    void mapKvCache()
    {
        const QuantField f = QuantField::KvCache;
        const QString value = r.config.kvcache;
        const MappingRule& rule = p.rule(f, value);
        const QString key = fieldKey(f);
        setSupport(f, rule.level, rule.note);
        kvFamily.clear();
        if (rule.level == SupportLevel::Unsupported) {
            unsupported(f, rule);
            return;
        }
        if (rule.level == SupportLevel::Implicit) {
            diag(u"KV-IMPLICIT"_s,
                 Severity::Info,
                 key,
                 u"kvcache_dtype=%1 needs no flag on %2: %3"_s.arg(value, engine(), rule.note));
            return;
        }
        if (value == u"auto")
            return;
        const Planned planned = plan(rule);
        apply(f, rule, planned, rule.note);
        kvFamily = rule.kvFp8;
        kvChecks(f, rule);
    }

    void kvChecks(QuantField f, const MappingRule& rule)
    {
        const QString key = fieldKey(f);
        const QString value = r.config.value(f);
        if (rule.kvFp8 == u"e4m3") {
            if (cc >= 0 && cc < 89) {
                diag(u"HW-FP8-KV"_s,
                     Severity::Error,
                     key,
                     u"an FP8 E4M3 KV cache needs compute capability 8.9+; %1 (%2) fails with 'type fp8e4nv not "
                     "supported in this architecture'"_s.arg(r.gpu->name, r.gpu->ccString()),
                     p.rule(QuantField::KvCache, u"fp8_e5m2"_s).level == SupportLevel::Unsupported
                         ? u"set kvcache_dtype to auto"_s
                         : u"use fp8_e5m2 (storage only) or auto"_s,
                     setField(QuantField::KvCache,
                              p.rule(QuantField::KvCache, u"fp8_e5m2"_s).level == SupportLevel::Unsupported
                                  ? u"auto"_s
                                  : u"fp8_e5m2"_s));
            }
            if (!(r.model.kvScalesKnown && r.model.hasKvScales)) {
                diag(u"KV-SCALES"_s,
                     Severity::Warning,
                     key,
                     u"an FP8 E4M3 KV cache without calibrated k/v scales runs with scale 1.0; large accuracy drops "
                     "have been reported (e.g. GSM8K, AIME). %1"_s.arg(
                         r.model.kvScalesKnown ? u"This checkpoint has no KV scales."_s
                                               : u"Whether this checkpoint has KV scales is not known."_s),
                     u"use a checkpoint with KV scales, check accuracy, or use fp8_e5m2 (no scales needed)"_s);
            }
        }
        if (rule.kvFp8 == u"e5m2") {
            if (p.engine() == u"vllm" && r.model.hasFp8FamilyWeights() && r.model.quantMethod != u"nvfp4") {
                diag(u"KV-E5M2-FP8CKPT"_s,
                     Severity::Error,
                     key,
                     u"vLLM rejects an fp8_e5m2 KV cache with FP8 checkpoints ('fp8_e5m2 kv-cache is not supported "
                     "with fp8 checkpoints')"_s,
                     u"use fp8_e4m3 (the checkpoint's scales apply)"_s,
                     setField(f, u"fp8_e4m3"_s));
            }
            if (p.engine() == u"vllm") {
                diag(u"KV-E5M2-BACKEND"_s,
                     Severity::Info,
                     key,
                     u"FLASH_ATTN cannot read an E5M2 cache: vLLM selects FlashInfer or Triton attention instead"_s);
            }
        }
        if (rule.tritonOnly) {
            diag(u"KV-TRITON-ONLY"_s,
                 Severity::Warning,
                 key,
                 u"%1 (%2) works only with the TRITON_ATTN backend"_s.arg(value, rule.args.value(1)),
                 u"add the parameter attention-backend=TRITON_ATTN"_s,
                 FixAction{FixAction::Kind::SetParameter, u"attention-backend"_s, u"TRITON_ATTN"_s});
            tritonRequired = true;
        }
    }

    void mapAttention()
    {
        const QuantField f = QuantField::Attention;
        const QString value = r.config.attention;
        const MappingRule& rule = p.rule(f, value);
        const QString key = fieldKey(f);
        setSupport(f, rule.level, rule.note);
        if (value == u"auto")
            return;
        if (rule.level == SupportLevel::Unsupported) {
            unsupported(f, rule);
            return;
        }
        if (rule.viaKv.isEmpty()) {
            // float16 / bfloat16: attention follows the model dtype.
            const QString gemm = r.config.gemm;
            if (isFloatDtype(gemm) && gemm != value) {
                diag(u"ATTN-FOLLOWS-DTYPE"_s,
                     Severity::Warning,
                     key,
                     u"%1 has no attention dtype: attention runs in the model dtype, gemm_dtype=%2, not %3"_s.arg(
                         engine(), gemm, value),
                     u"set attention_dtype to auto, or gemm_dtype to %1"_s.arg(value),
                     setField(f, u"auto"_s));
            } else {
                diag(u"ATTN-FOLLOWS-DTYPE"_s,
                     Severity::Info,
                     key,
                     u"%1 has no attention dtype flag: attention runs in the model dtype%2"_s.arg(
                         engine(), isFloatDtype(gemm) ? u" (%1)"_s.arg(gemm) : u" (set gemm_dtype to pin it)"_s));
            }
            return;
        }
        // FP8 attention rides on an FP8 E4M3 KV cache.
        const QString kv = r.config.kvcache;
        const QString kvValueFamily = (kv == u"fp8" || kv == u"fp8_e4m3") ? u"e4m3"_s
                                      : kv == u"fp8_e5m2"                 ? u"e5m2"_s
                                                                          : QString();
        if (kv == u"auto") {
            apply(f, rule, plan(rule), rule.note);
            kvFamily = u"e4m3"_s;
            MappingRule asKv = p.rule(QuantField::KvCache, u"fp8"_s);
            asKv.tritonOnly = false;
            kvChecks(f, asKv);
        } else if (kvFamily == u"e4m3") {
            setSupport(f, SupportLevel::Implicit, u"follows the FP8 E4M3 KV cache set by kvcache_dtype=%1"_s.arg(kv));
        } else if (kvValueFamily == u"e5m2") {
            setSupport(
                f, SupportLevel::Unsupported, u"needs an E4M3 KV cache; kvcache_dtype=fp8_e5m2 is storage-only"_s);
            diag(u"ATTN-FP8-E5M2"_s,
                 Severity::Warning,
                 key,
                 kvFamily == u"e5m2"
                     ? u"FP8 attention needs an FP8 E4M3 KV cache; with kvcache_dtype=fp8_e5m2 %1 stores the cache in "
                       "FP8 but computes attention in the model dtype"_s.arg(engine())
                     : u"FP8 attention needs an FP8 E4M3 KV cache, and kvcache_dtype=fp8_e5m2 is not available on "
                       "%1: attention computes in the model dtype"_s.arg(engine()),
                 u"set kvcache_dtype to fp8_e4m3 for FP8 attention (mind the KV scales), or attention_dtype to auto"_s,
                 setField(QuantField::KvCache, u"fp8_e4m3"_s));
            return;
        } else {
            setSupport(f, SupportLevel::Unsupported, u"needs an FP8 KV cache; kvcache_dtype=%1"_s.arg(kv));
            diag(u"ATTN-KV-CONFLICT"_s,
                 Severity::Error,
                 key,
                 u"FP8 attention follows an FP8 KV cache on %1, but kvcache_dtype=%2 asks for a non-FP8 cache"_s.arg(
                     engine(), kv),
                 u"set kvcache_dtype to auto or an FP8 value, or attention_dtype to auto"_s,
                 setField(f, u"auto"_s));
            return;
        }
        // Backend and hardware conditions for real FP8 attention math.
        if (rule.needsFp8Checkpoint && !r.model.hasFp8FamilyWeights()) {
            diag(u"TRT-FMHA-CKPT"_s,
                 Severity::Warning,
                 key,
                 u"TensorRT-LLM turns on FP8 context FMHA only for FP8/FP8-block/NVFP4 checkpoints%1; otherwise only "
                 "the KV cache is FP8"_s.arg(r.model.idOrPath.isEmpty()
                                                 ? QString()
                                                 : u" (this model: %1)"_s.arg(r.model.isPreQuantized()
                                                                                  ? r.model.quantMethod
                                                                                  : u"not known to be FP8"_s)),
                 u"serve a ModelOpt FP8 checkpoint for FP8 attention"_s);
        } else if (cc >= 89 && cc < 90 && !rule.needsFp8Checkpoint) {
            diag(u"HW-FP8-ATTN"_s,
                 Severity::Info,
                 key,
                 u"%1 (%2): the KV cache is FP8, but FP8 attention math needs FA3 (Hopper) or Blackwell kernels; "
                 "attention computes in the model dtype here"_s.arg(r.gpu->name, r.gpu->ccString()));
        } else if (cc < 0 && !rule.needsFp8Checkpoint) {
            diag(u"ATTN-FP8-BACKEND"_s,
                 Severity::Info,
                 key,
                 u"%1 has no attention dtype: an FP8 E4M3 KV cache gives FP8 attention only on backends that "
                 "quantize the query (FA3 on Hopper, FA4 / TRTLLM kernels on Blackwell)"_s.arg(engine()));
        }
    }

    void mapMoe()
    {
        const QuantField f = QuantField::Moe;
        const QString value = r.config.moe;
        const MappingRule& rule = p.rule(f, value);
        const QString key = fieldKey(f);
        setSupport(f, rule.level, rule.note);
        if (value == u"auto")
            return;
        if (rule.level == SupportLevel::Unsupported) {
            unsupported(f, rule);
            return;
        }
        if (rule.coveredByGemm.contains(r.config.gemm) && (gemmQuantApplied || gemmCoveredByCheckpoint)) {
            setSupport(f, SupportLevel::Implicit, u"gemm_dtype=%1 already quantizes the experts"_s.arg(r.config.gemm));
            return;
        }
        if (rule.level == SupportLevel::Implicit) {
            diag(u"MOE-FOLLOWS-DTYPE"_s, Severity::Info, key, u"moe_dtype=%1: %2"_s.arg(value, rule.note));
            return;
        }
        const QString wanted = requestedMethod(f, value);
        if (!wanted.isEmpty() && r.model.isPreQuantized()) {
            setSupport(f,
                       SupportLevel::Checkpoint,
                       u"the checkpoint's quantization (%1) decides the experts"_s.arg(r.model.quantMethod));
            if (methodMatches(r.model.quantMethod, wanted)) {
                diag(u"OFFLINE-MOE"_s,
                     Severity::Info,
                     key,
                     u"moe_dtype=%1: the checkpoint is already %2-quantized; nothing to add"_s.arg(
                         value, r.model.quantMethod));
            } else {
                diag(u"OFFLINE-MOE"_s,
                     Severity::Warning,
                     key,
                     u"moe_dtype=%1 ignored: the model is already quantized (%2); %3 rejects a --quantization that "
                     "differs from the checkpoint's method"_s.arg(value, r.model.quantMethod, engine()),
                     u"set moe_dtype to auto"_s,
                     setField(f, u"auto"_s));
            }
            return;
        }
        if (rule.level == SupportLevel::Checkpoint)
            checkpointField(f, rule);
        if (!rule.args.isEmpty()) {
            const Planned planned = plan(rule);
            if (const auto clash = conflictWith(planned)) {
                setSupport(f,
                           SupportLevel::Unsupported,
                           u"conflicts with %1 %2 from %3"_s.arg(
                               clash->flag, clash->value.value_or(QString()), clash->source));
                QString fix = u"set moe_dtype to auto, or serve a checkpoint that already mixes both formats"_s;
                if (p.engine() == u"vllm" && r.config.gemm == u"fp8" && (value == u"mxfp4" || value == u"fp8")) {
                    fix += u"; vLLM's schema also accepts one online config, --quantization online "
                           "--quantization-config '{\"linear\": \"fp8_per_tensor\", \"moe\": \"%1\"}' (not run by "
                           "us)"_s.arg(value);
                }
                diag(u"QUANT-CONFLICT"_s,
                     Severity::Error,
                     key,
                     u"%1 takes one %2 value: %3 already sets %2 %4, so moe_dtype=%5 (%2 %6) cannot be added"_s.arg(
                         engine(),
                         clash->flag,
                         clash->source,
                         clash->value.value_or(QString()),
                         value,
                         planned.flags.isEmpty() ? QString() : planned.flags.constFirst().second),
                     fix,
                     setField(f, u"auto"_s));
                return;
            }
            apply(f, rule, planned, rule.note);
        }
        if (rule.quantizesDense && r.config.gemm != value) {
            diag(u"MOE-FP8-DENSE"_s,
                 Severity::Warning,
                 key,
                 u"%1's --quantization %2 quantizes the dense layers too, not only the experts (gemm_dtype=%3 is "
                 "not what runs)"_s.arg(engine(), value, r.config.gemm),
                 u"set gemm_dtype to %1 to make that explicit"_s.arg(value),
                 setField(QuantField::Gemm, value));
        }
        // Hardware.
        if (value == u"fp8")
            checkFp8Compute(f);
        if (value == u"mxfp4" && cc >= 0) {
            if (cc < 80) {
                diag(u"FP4-HW"_s,
                     Severity::Error,
                     key,
                     u"MXFP4 experts need compute capability 8.0+; %1 is %2"_s.arg(r.gpu->name, r.gpu->ccString()),
                     u"set moe_dtype to auto"_s,
                     setField(f, u"auto"_s));
            } else if (cc < 100) {
                diag(u"FP4-HW"_s,
                     Severity::Warning,
                     key,
                     u"%1 (%2) has no FP4 tensor cores: MXFP4 experts run weight-only (Marlin/Triton), saving "
                     "memory but not compute"_s.arg(r.gpu->name, r.gpu->ccString()));
            } else if (p.engine() == u"sglang") {
                diag(u"MXFP4-BACKEND"_s,
                     Severity::Info,
                     key,
                     u"on Blackwell SGLang runs native MXFP4 experts with --moe-runner-backend flashinfer_mxfp4"_s,
                     u"add the parameter moe-runner-backend=flashinfer_mxfp4"_s,
                     FixAction{FixAction::Kind::SetParameter, u"moe-runner-backend"_s, u"flashinfer_mxfp4"_s});
            }
        }
        if (value == u"w4afp8" && cc >= 0 && cc != 90) {
            diag(u"HW-W4AFP8"_s,
                 cc < 90 ? Severity::Error : Severity::Warning,
                 key,
                 u"the W4AFP8 MoE kernels are Hopper (sm90) kernels; %1 is compute capability %2"_s.arg(
                     r.gpu->name, r.gpu->ccString()),
                 u"run W4AFP8 on Hopper, or set moe_dtype to auto"_s,
                 setField(f, u"auto"_s));
        }
    }

    // ---- user parameters -------------------------------------------------------------------------------------------
    void applyParameters()
    {
        for (const auto& [rawKey, rawValue] : r.parameters) {
            QString key = rawKey.trimmed();
            while (key.startsWith(u'-'))
                key.remove(0, 1);
            const QString shown = key;
            const FlagSpec* spec = p.findFlag(key);
            bool negated = false;
            if (!spec && p.boolNegation() && key.startsWith(u"no-")) {
                spec = p.findFlag(key.mid(3));
                negated = spec && !spec->takesValue;
                if (!negated)
                    spec = nullptr;
            }
            if (!spec) {
                diag(u"PARAM-UNKNOWN"_s,
                     Severity::Error,
                     u"parameters"_s,
                     u"'%1' is not an option of %2 %3; it is left out"_s.arg(shown, engine(), version),
                     u"check the spelling against the engine's --help"_s,
                     FixAction{FixAction::Kind::RemoveParameter, rawKey, {}});
                continue;
            }
            if (!p.flagAvailable(*spec, version)) {
                diag(
                    u"PARAM-VERSION"_s,
                    Severity::Error,
                    u"parameters"_s,
                    spec->since == u"unverified"
                        ? u"%1 appears only in a third-party build of %2; it is not verified for %3 and left out"_s.arg(
                              spec->name, engine(), version)
                        : u"%1 exists only from %2 %3 on; the target is %4. It is left out"_s.arg(
                              spec->name, engine(), spec->since, version),
                    u"target a newer engine version, or drop the parameter"_s,
                    FixAction{FixAction::Kind::RemoveParameter, rawKey, {}});
                continue;
            }
            const QString flagName = negated ? u"--no-"_s + spec->name.mid(2) : spec->name;
            std::optional<QString> value;
            if (!spec->takesValue) {
                const QString v = rawValue.trimmed().toLower();
                if (v == u"false" || v == u"0" || v == u"no") {
                    diag(u"PARAM-FALSE"_s,
                         Severity::Info,
                         u"parameters"_s,
                         u"%1=false: the switch is left out (the autotuner does the same)"_s.arg(shown));
                    continue;
                }
                if (!(v.isEmpty() || v == u"true" || v == u"1" || v == u"yes")) {
                    diag(u"PARAM-VALUE"_s,
                         Severity::Error,
                         u"parameters"_s,
                         u"%1 is a switch and takes no value ('%2'); use true or false"_s.arg(spec->name, rawValue),
                         {},
                         FixAction{FixAction::Kind::SetParameter, rawKey, u"true"_s});
                    continue;
                }
            } else {
                QString why;
                if (!p.validate(spec->name, rawValue, true, &why)) {
                    diag(u"PARAM-VALUE"_s, Severity::Error, u"parameters"_s, why + u"; it is left out"_s);
                    continue;
                }
                value = rawValue;
            }
            if (CommandFlag* earlier = userFlag(flagName)) {
                diag(u"PARAM-DUP"_s,
                     Severity::Warning,
                     u"parameters"_s,
                     u"%1 is given more than once; the last value (%2) wins"_s.arg(flagName, rawValue));
                earlier->flag = flagName;
                earlier->value = value;
                continue;
            }
            if (tritonRequired && spec->name == u"--attention-backend" &&
                rawValue.compare(u"TRITON_ATTN"_s, Qt::CaseInsensitive) != 0) {
                diag(u"KV-TRITON-ONLY"_s,
                     Severity::Error,
                     u"parameters"_s,
                     u"attention-backend=%1 cannot read the per-token-head integer KV cache (TRITON_ATTN only)"_s.arg(
                         rawValue),
                     u"use attention-backend=TRITON_ATTN"_s,
                     FixAction{FixAction::Kind::SetParameter, u"attention-backend"_s, u"TRITON_ATTN"_s});
            }
            if (CommandFlag* existing = flagEntry(flagName); existing && existing->source != u"parameter") {
                const QString was = existing->value.value_or(u"(switch)"_s);
                const QString from = existing->source;
                const QString group = existing->group;
                diag(u"PARAM-OVERRIDE"_s,
                     Severity::Info,
                     u"parameters"_s,
                     u"parameter %1=%2 overrides %3 %4 from %5"_s.arg(shown, rawValue, flagName, was, from));
                existing->overrides = u"%1 (from %2)"_s.arg(was, from);
                existing->value = value;
                existing->source = u"parameter"_s;
                existing->translated = false;
                existing->note = u"user parameter; replaces %1 from %2"_s.arg(was, from);
                existing->group.clear();
                dropCompanions(group, flagName);
                continue;
            }
            CommandFlag f;
            f.flag = flagName;
            f.value = value;
            f.source = u"parameter"_s;
            f.note = u"user parameter"_s;
            if (spec->name == p.configFlag() && !cmd.yaml.isEmpty()) {
                QStringList lost;
                for (const YamlEntry& e : std::as_const(cmd.yaml))
                    lost << e.key + u": "_s + e.value;
                diag(u"PARAM-OVERRIDE"_s,
                     Severity::Warning,
                     u"parameters"_s,
                     u"your %1 file replaces the generated YAML; these settings must be in it: %2"_s.arg(
                         spec->name, lost.join(u", "_s)));
                f.overrides = u"generated %1 (%2)"_s.arg(p.configFile(), lost.join(u", "_s));
                userConfig = true;
            }
            cmd.flags << f;
        }
    }

    CommandFlag* userFlag(const QString& flag)
    {
        const QString canonical = p.canonicalName(flag);
        for (CommandFlag& f : cmd.flags) {
            if (f.source == u"parameter" && p.canonicalName(f.flag) == canonical)
                return &f;
        }
        return nullptr;
    }

    // When a user parameter replaces the head flag of a rule, the rule's other flags (e.g. vLLM's
    // --quantization-config that belongs to --quantization online) no longer make sense.
    void dropCompanions(const QString& group, const QString& keptFlag)
    {
        if (group.isEmpty())
            return;
        for (qsizetype i = cmd.flags.size() - 1; i >= 0; --i) {
            const CommandFlag& f = cmd.flags.at(i);
            if (f.group == group && f.flag != keptFlag && keptFlag == u"--quantization") {
                diag(u"PARAM-OVERRIDE"_s,
                     Severity::Info,
                     u"parameters"_s,
                     u"%1 %2 from %3 belonged to the replaced --quantization and is left out"_s.arg(
                         f.flag, f.value.value_or(QString()), f.source));
                cmd.flags.removeAt(i);
            }
        }
    }

    void finishYaml()
    {
        if (cmd.yaml.isEmpty() || userConfig)
            return;
        // Validate the YAML values against the profile's YAML options.
        for (qsizetype i = cmd.yaml.size() - 1; i >= 0; --i) {
            const YamlEntry& e = cmd.yaml.at(i);
            const QStringList allowed = p.yamlOptions().value(e.key);
            if (!allowed.isEmpty() && !allowed.contains(e.value)) {
                diag(u"INTERNAL-INVALID"_s,
                     Severity::Error,
                     e.source,
                     u"bug: YAML %1: %2 is not accepted by %3; left out"_s.arg(e.key, e.value, engine()));
                cmd.yaml.removeAt(i);
            }
        }
        if (cmd.yaml.isEmpty() || p.configFlag().isEmpty())
            return;
        QStringList sources;
        for (const YamlEntry& e : std::as_const(cmd.yaml)) {
            if (!sources.contains(e.source))
                sources << e.source;
        }
        CommandFlag f;
        f.flag = p.configFlag();
        f.value = p.configFile();
        f.source = sources.join(u", "_s);
        f.note = u"YAML with the settings %1 has no flag for"_s.arg(engine());
        cmd.flags << f;
    }

    // The mapper's own output must be valid for the profile: anything else is a bug and never output.
    void selfCheck()
    {
        for (qsizetype i = cmd.flags.size() - 1; i >= 0; --i) {
            const CommandFlag& f = cmd.flags.at(i);
            QString why;
            const bool negated = f.flag.startsWith(u"--no-") && !p.findFlag(f.flag);
            const QString name = negated ? u"--"_s + f.flag.mid(5) : f.flag;
            const FlagSpec* spec = p.findFlag(name);
            bool ok = spec && p.validate(name, f.value.value_or(QString()), f.value.has_value(), &why);
            if (ok && !p.flagAvailable(*spec, version)) {
                ok = false;
                why = u"%1 is not in %2 %3"_s.arg(name, engine(), version);
            }
            if (!ok) {
                diag(u"INTERNAL-INVALID"_s,
                     Severity::Error,
                     f.source,
                     u"bug: generated %1 %2 is not valid (%3); left out"_s.arg(
                         f.flag, f.value.value_or(QString()), why));
                cmd.flags.removeAt(i);
            }
        }
    }

    const MapRequest& r;
    const EngineProfile& p;
    const int cc;
    const QString version;
    EngineCommand cmd;
    bool gemmQuantApplied = false;
    bool gemmCoveredByCheckpoint = false;
    bool tritonRequired = false;
    bool userConfig = false;
    QString kvFamily; // "e4m3" / "e5m2" once an FP8 KV flag is emitted
};

} // namespace

EngineCommand buildEngineCommand(const MapRequest& request)
{
    Q_ASSERT(request.profile);
    EngineCommand command = Mapper(request).run();
    // Rules that need the model's architecture (memory fit, online quantization OOM) live with the model code.
    command.diagnostics << modelDiagnostics(command, request.config, request.model, request.gpu, 0);
    return command;
}

std::optional<EngineCommand> buildEngineCommand(const QString& engine,
                                                const QString& engineVersion,
                                                const QuantConfig& config,
                                                const ModelInfo& model,
                                                const std::optional<GpuInfo>& gpu,
                                                const QList<QPair<QString, QString>>& parameters,
                                                QString* error)
{
    MapRequest req;
    req.profile = ProfileRegistry::builtIn().select(engine, engineVersion, &req.profileNote);
    if (!req.profile) {
        if (error) {
            *error =
                u"unknown engine '%1' (known: %2)"_s.arg(engine, ProfileRegistry::builtIn().engines().join(u", "_s));
        }
        return std::nullopt;
    }
    req.config = config;
    req.engineVersion = engineVersion;
    req.model = model;
    req.gpu = gpu;
    req.parameters = parameters;
    return buildEngineCommand(req);
}

FieldSupport fieldSupport(const EngineProfile& profile, QuantField field, const QString& value)
{
    const MappingRule& rule = profile.rule(field, value);
    QString note = rule.note;
    if (!rule.translation.isEmpty())
        note = u"%1 (%2)"_s.arg(rule.translation, rule.note);
    if (!rule.args.isEmpty() && rule.level != SupportLevel::Unsupported) {
        QStringList words;
        for (qsizetype i = 0; i + 1 < rule.args.size(); i += 2)
            words << rule.args.at(i) + u' ' + shellQuote(rule.args.at(i + 1));
        note = words.join(u' ') + (note.isEmpty() ? QString() : u": "_s + note);
    } else if (!rule.yaml.isEmpty()) {
        QStringList words;
        for (auto it = rule.yaml.cbegin(); it != rule.yaml.cend(); ++it)
            words << u"YAML "_s + it.key() + u": "_s + it.value();
        note = words.join(u", "_s) + (note.isEmpty() ? QString() : u": "_s + note);
    }
    return FieldSupport{rule.level, note};
}

} // namespace QuantDesk

#include "ModelDiagnostics.h"

#include "core/model/MemoryPrediction.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

QString gib(qint64 bytes)
{
    return QString::number(double(bytes) / double(qint64(1) << 30), 'f', 1);
}

// Methods the engines apply to an unquantized checkpoint at start-up (vLLM shorthands and "online", SGLang's online
// methods).
bool isOnlineQuantization(const QString& method)
{
    static const QStringList online{u"fp8"_s,
                                    u"fp8_per_tensor"_s,
                                    u"fp8_per_block"_s,
                                    u"fp8_per_channel"_s,
                                    u"mxfp4"_s,
                                    u"mxfp8"_s,
                                    u"experts_int8"_s,
                                    u"int8_per_channel_weight_only"_s,
                                    u"online"_s,
                                    u"nvfp4_per_token"_s,
                                    u"nvfp4_online"_s};
    return online.contains(method.toLower());
}

// Whether an engine's --quantization value names the checkpoint's own method (so the engine accepts it).
bool quantizationMatches(const QString& requested, const ModelInfo& m)
{
    QString r = requested.toLower();
    if (r.endsWith(u"_marlin"))
        r.chop(7);
    if (r.startsWith(u"auto_") || r.startsWith(u"auto-"))
        r.remove(0, 5);
    const QString method = m.quantMethod;
    if (r == method || r == m.quantFormat.toLower())
        return true;
    static const QStringList fp8{u"fp8"_s, u"fbgemm_fp8"_s, u"w8a8_fp8"_s, u"modelopt"_s, u"modelopt_fp8"_s};
    if (fp8.contains(r) && m.hasFp8FamilyWeights() && method != u"nvfp4")
        return true;
    if ((r == u"modelopt_fp4" || r == u"modelopt" || r == u"nvfp4") && method == u"nvfp4")
        return true;
    if ((r == u"w8a8_int8" || r == u"int8") && method == u"int8")
        return true;
    if ((r == u"gpt_oss_mxfp4" || r == u"quark_mxfp4") && method == u"mxfp4")
        return true;
    if (r == u"moe_wna16" && (method == u"awq" || method == u"gptq"))
        return true;
    if (r == u"modelopt_mixed" && method == u"mixed")
        return true;
    return false;
}

// The smallest power-of-two TP size at which bytes fit in perGpu bytes per GPU.
int tpToFit(qint64 bytes, qint64 perGpu)
{
    int tp = 1;
    while (tp < 4096 && double(bytes) / tp > double(perGpu))
        tp *= 2;
    return tp;
}

} // namespace

QList<Diagnostic> modelDiagnostics(const EngineCommand& command,
                                   const QuantConfig& config,
                                   const ModelInfo& model,
                                   const std::optional<GpuInfo>& gpu,
                                   int tensorParallel)
{
    QList<Diagnostic> out;
    auto add = [&out](const QString& id,
                      Severity sev,
                      const QString& field,
                      const QString& message,
                      const QString& fix = {},
                      const FixAction& action = {}) {
        out << Diagnostic{id, sev, field, message, fix, action};
    };

    if (!model.config && !model.configError.isEmpty()) {
        const bool missing = model.configError.startsWith(u"no config.json");
        add(u"MODEL-CONFIG"_s,
            missing ? Severity::Info : Severity::Warning,
            u"model"_s,
            u"%1; the model's architecture is not known, so memory is not predicted"_s.arg(model.configError),
            missing ? QString() : u"check the checkpoint's config.json"_s);
    }

    const CommandFlag* quant = nullptr;
    for (const CommandFlag& f : command.flags) {
        if (f.flag == u"--quantization" || f.flag == u"-q")
            quant = &f;
    }
    const QString quantValue = quant ? quant->value.value_or(QString()) : QString();

    // ONLINE-Q: the mapper leaves --quantization out for a pre-quantized checkpoint, but a user parameter can add it.
    if (quant && quant->source == u"parameter" && model.isPreQuantized() && !quantizationMatches(quantValue, model)) {
        const bool guessed = model.detectedFrom == u"name";
        add(u"ONLINE-Q"_s,
            guessed ? Severity::Warning : Severity::Error,
            u"parameters"_s,
            u"quantization=%1 on a checkpoint that is already quantized (%2, from %3): %4 rejects a --quantization "
            "that differs from the checkpoint's method, and online quantization applies only to BF16/FP16 "
            "checkpoints"_s.arg(quantValue, model.quantMethod, model.detectedFrom, command.engine),
            u"remove the quantization parameter, or serve an unquantized checkpoint"_s,
            FixAction{FixAction::Kind::RemoveParameter, u"quantization"_s, {}});
    }

    // The memory rules need the architecture and a GPU; without them skip the prediction (this runs on every
    // preview, so the common no-model case stays cheap).
    if (!model.config || !gpu)
        return out;
    const auto memory = predictMemory(model, command, gpu, tensorParallel);
    if (!memory || !memory->gpuMemoryBytes)
        return out;
    const qint64 gpuBytes = *memory->gpuMemoryBytes;
    const int tp = memory->tensorParallel;
    const QString tpKey = tensorParallelKey(command.engine);
    const QString gpuName = memory->gpuName.isEmpty() ? u"the GPU"_s : memory->gpuName;

    // ONLINE-OOM (P9).
    if (quant && !model.isPreQuantized() && isOnlineQuantization(quantValue) &&
        double(memory->unquantizedWeightBytes) > double(gpuBytes) * tp) {
        const auto field = fieldFromName(quant->source);
        const QString what = field ? u"%1=%2"_s.arg(fieldKey(*field), config.value(*field))
                                   : u"the parameter quantization=%1"_s.arg(quantValue);
        const int need = tpToFit(memory->unquantizedWeightBytes, gpuBytes);
        add(u"ONLINE-OOM"_s,
            Severity::Warning,
            field ? fieldKey(*field) : u"parameters"_s,
            u"%1 quantizes at start-up (--quantization %2), after loading the unquantized weights: %3 GiB in %4, "
            "more than the %5 GiB of %6 × %7; the load can run out of memory even though the quantized model "
            "would fit"_s
                .arg(what,
                     quantValue,
                     gib(memory->unquantizedWeightBytes),
                     memory->storage.modelDtypeBytes == 4 ? u"FP32"_s : u"BF16"_s,
                     gib(gpuBytes * tp))
                .arg(tp)
                .arg(gpuName),
            u"serve a pre-quantized checkpoint, or use %1=%2 so the unquantized weights fit"_s.arg(tpKey).arg(need),
            FixAction{FixAction::Kind::SetParameter, tpKey, QString::number(need)});
    }

    // Memory fit.
    const StoragePlan& st = memory->storage;
    const QString storage = model.config && model.config->isMoe() && st.expertLabel != st.denseLabel
                                ? u"dense %1, experts %2"_s.arg(st.denseLabel, st.expertLabel)
                                : st.denseLabel;
    if (memory->weightBytesPerGpu > gpuBytes) {
        const int need = tpToFit(memory->weightBytes, gpuBytes);
        add(u"MEM-WEIGHTS-FIT"_s,
            Severity::Error,
            u"model"_s,
            u"predicted weights per GPU: %1 GiB (%2 B parameters, %3, TP %4), more than the %5 GiB of %6"_s
                .arg(gib(memory->weightBytesPerGpu),
                     QString::number(double(memory->totalParameters) / 1e9, 'f', 1),
                     storage)
                .arg(tp)
                .arg(gib(gpuBytes), gpuName),
            u"use %1=%2 or more, or a smaller quantization"_s.arg(tpKey).arg(need),
            FixAction{FixAction::Kind::SetParameter, tpKey, QString::number(need)});
    } else if (memory->kvCacheBytesPerGpu && *memory->kvCacheBytesPerGpu <= 0) {
        add(u"MEM-KV-NONE"_s,
            Severity::Warning,
            u"model"_s,
            u"predicted: the weights (%1 GiB per GPU, %2) leave no memory for the KV cache on %3 (%4 GiB) at "
            "%5 %6; the engine cannot start"_s
                .arg(gib(memory->weightBytesPerGpu), storage, gpuName, gib(gpuBytes), memoryFractionKey(command.engine))
                .arg(memory->memoryFraction),
            u"use more GPUs (%1), a smaller weight dtype, or a higher %2"_s.arg(tpKey,
                                                                                memoryFractionKey(command.engine)));
    }
    return out;
}

} // namespace QuantDesk

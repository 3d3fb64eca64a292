// Memory prediction per preset (issue #9): weight bytes by GEMM/MoE dtype, KV bytes per token by KV dtype, KV capacity
// for a GPU and the engine's memory fraction, the model diagnostics (ONLINE-OOM, MEM-WEIGHTS-FIT, MEM-KV-NONE,
// ONLINE-Q, MODEL-CONFIG), and the JSON/text output. Every expected number is derived in a comment from the models'
// published config.json and the documented rules (MemoryPrediction.h); none is copied from the program's output.

#include <QDir>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "core/engines/Mapper.h"
#include "core/model/MemoryPrediction.h"
#include "core/model/ModelDiagnostics.h"
#include "core/model/ModelInfo.h"
#include "core/model/ModelJson.h"
#include "core/quant/Presets.h"
#include "tests/TestConfig.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;

namespace
{

QString testData()
{
    const QByteArray env = qgetenv("QUANTDESK_TEST_DATA");
    return env.isEmpty() ? QStringLiteral(QUANTDESK_TEST_DATA_DIR) : QString::fromLocal8Bit(env);
}

ModelInfo model(const QString& folder)
{
    const ModelInfo info = inspectModel(testData() + u"/models/"_s + folder);
    if (!info.config)
        qFatal("fixture %s has no usable config: %s", qPrintable(folder), qPrintable(info.configError));
    return info;
}

// Compares JSON values by their serialisation (QCOMPARE cannot mix json and C++ types).
#define JCOMPARE(actual, expected)                                                                                     \
    QCOMPARE(QString::fromStdString((actual).dump()), QString::fromStdString(nlohmann::ordered_json(expected).dump()))

constexpr qint64 kMiB = 1024 * 1024;
constexpr qint64 kGiB = 1024 * kMiB;

// nvidia-smi reports 81559 MiB for an H100 80GB HBM3 (tests/data/nvidia-smi-h100); 143771 MiB for an H200;
// 15360 MiB for a Tesla T4.
GpuInfo gpu(const QString& name, qint64 mib, int major, int minor)
{
    GpuInfo g;
    g.index = 0;
    g.name = name;
    g.memoryTotalMiB = mib;
    g.ccMajor = major;
    g.ccMinor = minor;
    return g;
}
const GpuInfo kH100 = gpu(u"NVIDIA H100 80GB HBM3"_s, 81559, 9, 0);
const GpuInfo kH200 = gpu(u"NVIDIA H200"_s, 143771, 9, 0);
const GpuInfo kT4 = gpu(u"Tesla T4"_s, 15360, 7, 5);

QuantConfig
cfg(const QString& gemm, const QString& kv, const QString& attention = u"auto"_s, const QString& moe = u"auto"_s)
{
    QuantConfig c;
    c.gemm = gemm;
    c.kvcache = kv;
    c.attention = attention;
    c.moe = moe;
    return c;
}

EngineCommand build(const QString& engine,
                    const QuantConfig& config,
                    const ModelInfo& m,
                    const std::optional<GpuInfo>& g = std::nullopt,
                    const QList<QPair<QString, QString>>& params = {})
{
    QString error;
    const auto cmd = buildEngineCommand(engine, {}, config, m, g, params, &error);
    if (!cmd)
        qFatal("unknown engine %s", qPrintable(engine));
    return *cmd;
}

MemoryPrediction predictCmd(const QString& engine,
                            const QuantConfig& config,
                            const ModelInfo& m,
                            const std::optional<GpuInfo>& g = std::nullopt,
                            const QList<QPair<QString, QString>>& params = {},
                            int tp = 0)
{
    const auto p = predictMemory(m, build(engine, config, m, g, params), g, tp);
    if (!p)
        qFatal("no prediction");
    return *p;
}

MemoryPrediction predictCfg(const QuantConfig& config,
                            const ModelInfo& m,
                            int tp = 1,
                            const std::optional<GpuInfo>& g = std::nullopt,
                            const QString& engine = u"vllm"_s)
{
    MemoryOptions o;
    o.engine = engine;
    o.gpu = g;
    o.tensorParallel = tp;
    const auto p = predictMemory(m, config, o);
    if (!p)
        qFatal("no prediction");
    return *p;
}

QStringList ids(const QList<Diagnostic>& diags)
{
    QStringList out;
    for (const Diagnostic& d : diags)
        out << d.id;
    return out;
}

const Diagnostic* find(const QList<Diagnostic>& diags, const QString& id)
{
    for (const Diagnostic& d : diags) {
        if (d.id == id)
            return &d;
    }
    return nullptr;
}

// Llama-3-8B (published config): 32 layers, 8 KV heads, head_dim 4096 / 32 = 128.
// KV elements per token: 32 × 2 (K and V) × 8 × 128 = 65,536.
constexpr qint64 kLlamaKvElements = 32 * 2 * 8 * 128;
// Parameters (TestModelInfo::llama3Config): 8,030,261,248, of which embeddings + lm_head 2 × 128,256 × 4,096 =
// 1,050,673,152, norms 32 × 2 × 4,096 + 4,096 = 266,240, and linear layers 32 × (41,943,040 + 176,160,768) =
// 6,979,321,856.
constexpr qint64 kLlamaParams = Q_INT64_C(8030261248);
constexpr qint64 kLlamaEmbed = Q_INT64_C(1050673152);
constexpr qint64 kLlamaNorms = 266240;
constexpr qint64 kLlamaLinear = Q_INT64_C(6979321856);
constexpr qint64 kLlamaBf16 = 2 * kLlamaParams; // 16,060,522,496 bytes

} // namespace

class TestMemoryPrediction : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qputenv("HF_HUB_CACHE", QFile::encodeName(testData() + u"/hf-cache/hub"_s));
        QCOMPARE(kLlamaEmbed + kLlamaNorms + kLlamaLinear, kLlamaParams);
        QCOMPARE(model(u"llama3-8b"_s).config->parameterCounts().total(), kLlamaParams);
    }

    // ---- KV bytes per token ---------------------------------------------------------------------------------------
    void llamaKvPerToken_data()
    {
        QTest::addColumn<QString>("kv");
        QTest::addColumn<qint64>("bytes");
        // 65,536 elements × 2 bytes = 131,072 = 128 KiB; × 1 byte = 64 KiB; × 0.5 byte = 32 KiB.
        QTest::addRow("auto = bf16") << u"auto"_s << qint64(128 * 1024);
        QTest::addRow("bfloat16") << u"bfloat16"_s << qint64(128 * 1024);
        QTest::addRow("fp16") << u"fp16"_s << qint64(128 * 1024);
        QTest::addRow("fp8") << u"fp8"_s << qint64(64 * 1024);
        QTest::addRow("fp8_e4m3") << u"fp8_e4m3"_s << qint64(64 * 1024);
        QTest::addRow("fp8_e5m2") << u"fp8_e5m2"_s << qint64(64 * 1024);
        QTest::addRow("int8") << u"int8"_s << qint64(64 * 1024);
        QTest::addRow("int4") << u"int4"_s << qint64(32 * 1024);
    }

    void llamaKvPerToken()
    {
        QFETCH(QString, kv);
        QFETCH(qint64, bytes);
        const MemoryPrediction p = predictCfg(cfg(u"auto"_s, kv), model(u"llama3-8b"_s));
        QCOMPARE(p.kvBytesPerToken, bytes);
        QCOMPARE(p.kvBytesPerTokenPerGpu, bytes);
        QCOMPARE(double(p.kvBytesPerToken), double(kLlamaKvElements) * p.storage.kvBytesPerElement);
    }

    void kvPerTokenFollowsTheCommand_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("kv");
        QTest::addColumn<QString>("attention");
        QTest::addColumn<QString>("param"); // kv-cache-dtype parameter, or empty
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("label");
        // vLLM stores int4 per token-head: 32 KiB; SGLang cannot (nothing emitted): the model dtype, 128 KiB.
        QTest::addRow("vllm int4") << u"vllm"_s << u"int4"_s << u"auto"_s << QString() << qint64(32 * 1024)
                                   << u"int4_per_token_head"_s;
        QTest::addRow("vllm int8") << u"vllm"_s << u"int8"_s << u"auto"_s << QString() << qint64(64 * 1024)
                                   << u"int8_per_token_head"_s;
        QTest::addRow("sglang int4") << u"sglang"_s << u"int4"_s << u"auto"_s << QString() << qint64(128 * 1024)
                                     << u"bf16"_s;
        QTest::addRow("sglang fp8") << u"sglang"_s << u"fp8"_s << u"auto"_s << QString() << qint64(64 * 1024)
                                    << u"fp8_e4m3"_s;
        QTest::addRow("trtllm fp8_e5m2") << u"trtllm"_s << u"fp8_e5m2"_s << u"auto"_s << QString() << qint64(128 * 1024)
                                         << u"bf16"_s;
        QTest::addRow("trtllm fp8") << u"trtllm"_s << u"fp8"_s << u"auto"_s << QString() << qint64(64 * 1024)
                                    << u"fp8"_s;
        // FP8 attention on an auto KV cache emits an FP8 KV cache.
        QTest::addRow("vllm attention fp8")
            << u"vllm"_s << u"auto"_s << u"fp8"_s << QString() << qint64(64 * 1024) << u"fp8"_s;
        // A user parameter wins over the field.
        QTest::addRow("vllm parameter") << u"vllm"_s << u"auto"_s << u"auto"_s << u"fp8_e5m2"_s << qint64(64 * 1024)
                                        << u"fp8_e5m2"_s;
        QTest::addRow("vllm parameter back to auto")
            << u"vllm"_s << u"fp8"_s << u"auto"_s << u"auto"_s << qint64(128 * 1024) << u"bf16"_s;
    }

    void kvPerTokenFollowsTheCommand()
    {
        QFETCH(QString, engine);
        QFETCH(QString, kv);
        QFETCH(QString, attention);
        QFETCH(QString, param);
        QFETCH(qint64, bytes);
        QFETCH(QString, label);
        QList<QPair<QString, QString>> params;
        if (!param.isEmpty())
            params << qMakePair(engine == u"trtllm" ? u"kv_cache_dtype"_s : u"kv-cache-dtype"_s, param);
        const MemoryPrediction p =
            predictCmd(engine, cfg(u"auto"_s, kv, attention), model(u"llama3-8b"_s), std::nullopt, params);
        QCOMPARE(p.kvBytesPerToken, bytes);
        QCOMPARE(p.storage.kvLabel, label);
    }

    void mlaKvPerToken()
    {
        const ModelInfo ds = model(u"deepseek-v3"_s);
        // One latent per layer: 61 × (512 + 64) × 2 bytes = 70,272 in BF16; × 1 byte = 35,136 in FP8.
        QCOMPARE(predictCfg(cfg(u"auto"_s, u"auto"_s), ds).kvBytesPerToken, qint64(61 * 576 * 2));
        QCOMPARE(predictCfg(cfg(u"auto"_s, u"bfloat16"_s), ds).kvBytesPerToken, qint64(61 * 576 * 2));
        QCOMPARE(predictCfg(cfg(u"auto"_s, u"fp8_e4m3"_s), ds).kvBytesPerToken, qint64(61 * 576));
        // TP does not split the latent: every rank stores all of it.
        const MemoryPrediction tp8 = predictCfg(cfg(u"auto"_s, u"auto"_s), ds, 8);
        QCOMPARE(tp8.kvBytesPerTokenPerGpu, qint64(61 * 576 * 2));
        QVERIFY(tp8.notes.join(u' ').contains(u"MLA"_s));
    }

    void kvTensorParallel_data()
    {
        QTest::addColumn<int>("tp");
        QTest::addColumn<qint64>("perGpu");
        // 8 KV heads: TP 2 → 4 heads per GPU (65,536 B), TP 8 → 1 head (32 × 2 × 1 × 128 × 2 = 16,384 B),
        // TP 16 → still 1 head per GPU (replicated), so 16,384 B.
        QTest::addRow("tp1") << 1 << qint64(131072);
        QTest::addRow("tp2") << 2 << qint64(65536);
        QTest::addRow("tp4") << 4 << qint64(32768);
        QTest::addRow("tp8") << 8 << qint64(16384);
        QTest::addRow("tp16") << 16 << qint64(16384);
    }

    void kvTensorParallel()
    {
        QFETCH(int, tp);
        QFETCH(qint64, perGpu);
        const MemoryPrediction p = predictCfg(cfg(u"auto"_s, u"auto"_s), model(u"llama3-8b"_s), tp);
        QCOMPARE(p.kvBytesPerToken, qint64(131072));
        QCOMPARE(p.kvBytesPerTokenPerGpu, perGpu);
        QCOMPARE(p.weightBytesPerGpu, (kLlamaBf16 + tp - 1) / tp);
        QCOMPARE(p.notes.join(u' ').contains(u"replicated"_s), tp > 8);
    }

    void tensorParallelFromParameters()
    {
        QCOMPARE(tensorParallelFrom({{u"tensor-parallel-size"_s, u"4"_s}}), 4);
        QCOMPARE(tensorParallelFrom({{u"--tp"_s, u"2"_s}}), 2);
        QCOMPARE(tensorParallelFrom({{u"tp_size"_s, u"8"_s}}), 8);
        QCOMPARE(tensorParallelFrom({{u"tp-size"_s, u"zero"_s}}), 1);
        QCOMPARE(tensorParallelFrom({}), 1);
        // From a command's flags.
        const MemoryPrediction p = predictCmd(u"vllm"_s,
                                              cfg(u"auto"_s, u"auto"_s),
                                              model(u"llama3-8b"_s),
                                              std::nullopt,
                                              {{u"tensor-parallel-size"_s, u"2"_s}});
        QCOMPARE(p.tensorParallel, 2);
        QCOMPARE(p.kvBytesPerTokenPerGpu, qint64(65536));
    }

    // ---- weights ---------------------------------------------------------------------------------------------------
    void llamaWeights_data()
    {
        QTest::addColumn<QString>("gemm");
        QTest::addColumn<qint64>("bytes");
        QTest::addRow("auto = bf16") << u"auto"_s << kLlamaBf16;
        QTest::addRow("bfloat16") << u"bfloat16"_s << kLlamaBf16;
        QTest::addRow("float32") << u"float32"_s << 4 * kLlamaParams;
        // FP8: linear layers 1 byte, embeddings/lm_head and norms stay BF16:
        // 6,979,321,856 + 2 × (1,050,673,152 + 266,240) = 9,081,200,640.
        QTest::addRow("fp8") << u"fp8"_s << kLlamaLinear + 2 * (kLlamaEmbed + kLlamaNorms);
        QTest::addRow("int8") << u"int8"_s << kLlamaLinear + 2 * (kLlamaEmbed + kLlamaNorms);
    }

    void llamaWeights()
    {
        QFETCH(QString, gemm);
        QFETCH(qint64, bytes);
        const ModelInfo m = model(u"llama3-8b"_s);
        QCOMPARE(predictCfg(cfg(gemm, u"auto"_s), m).weightBytes, bytes);
        if (gemm != u"int8") // vLLM has no online int8 for gemm_dtype (checkpoint only)
            QCOMPARE(predictCmd(u"vllm"_s, cfg(gemm, u"auto"_s), m).weightBytes, bytes);
        QCOMPARE(predictCfg(cfg(gemm, u"auto"_s), m).unquantizedWeightBytes,
                 gemm == u"float32" ? 4 * kLlamaParams : kLlamaBf16);
    }

    void mixtralWeights()
    {
        const ModelInfo m = model(u"mixtral-8x7b"_s);
        // Experts: 32 × 8 × 3 × 4096 × 14336 = 45,097,156,608 parameters. Everything else:
        // 46,702,792,704 − 45,097,156,608 = 1,605,636,096, of which attention 32 × 41,943,040 = 1,342,177,280 and
        // embeddings, lm_head, norms and routers (2 × 32,000 × 4,096 + 266,240 + 32 × 4,096 × 8 = 263,458,816).
        const qint64 experts = Q_INT64_C(45097156608);
        const qint64 attention = Q_INT64_C(1342177280);
        const qint64 modelDtype = Q_INT64_C(263458816);
        const qint64 total = experts + attention + modelDtype;
        QVERIFY(std::abs(double(total) - 46.7e9) < 0.01 * 46.7e9);
        QCOMPARE(predictCfg(cfg(u"auto"_s, u"auto"_s), m).weightBytes, 2 * total);
        // moe_dtype=fp8 alone: experts 1 byte, the rest BF16.
        QCOMPARE(predictCfg(cfg(u"auto"_s, u"auto"_s, u"auto"_s, u"fp8"_s), m).weightBytes,
                 experts + 2 * (attention + modelDtype));
        // gemm_dtype=fp8 quantizes the experts too (online --quantization fp8).
        QCOMPARE(predictCfg(cfg(u"fp8"_s, u"auto"_s), m).weightBytes, experts + attention + 2 * modelDtype);
        // MXFP4 experts: 4.25 bits = 17/32 byte per weight: 45,097,156,608 × 17 / 32 = 23,957,864,448.
        QCOMPARE(predictCfg(cfg(u"auto"_s, u"auto"_s, u"auto"_s, u"mxfp4"_s), m).weightBytes,
                 Q_INT64_C(23957864448) + 2 * (attention + modelDtype));
        // W4AFP8 experts: 4.125 bits = 33/64 byte: 45,097,156,608 / 64 = 704,643,072, × 33 = 23,253,221,376.
        QCOMPARE(predictCfg(cfg(u"bfloat16"_s, u"auto"_s, u"auto"_s, u"w4afp8"_s), m).weightBytes,
                 Q_INT64_C(23253221376) + 2 * (attention + modelDtype));

        // The same through the engines' commands.
        // vLLM moe fp8: --quantization online --quantization-config '{"moe": "fp8_per_tensor"}': experts only.
        QCOMPARE(predictCmd(u"vllm"_s, cfg(u"auto"_s, u"auto"_s, u"auto"_s, u"fp8"_s), m).weightBytes,
                 experts + 2 * (attention + modelDtype));
        // SGLang moe fp8 is --quantization fp8, which quantizes the dense layers too.
        QCOMPARE(predictCmd(u"sglang"_s, cfg(u"auto"_s, u"auto"_s, u"auto"_s, u"fp8"_s), m).weightBytes,
                 experts + attention + 2 * modelDtype);
        // vLLM moe mxfp4 keeps the linear layers unquantized ({"linear": {"weight": null, …}}).
        QCOMPARE(predictCmd(u"vllm"_s, cfg(u"auto"_s, u"auto"_s, u"auto"_s, u"mxfp4"_s), m).weightBytes,
                 Q_INT64_C(23957864448) + 2 * (attention + modelDtype));
        // TensorRT-LLM does not quantize at start-up: gemm fp8 on a BF16 checkpoint changes nothing.
        QCOMPARE(predictCmd(u"trtllm"_s, cfg(u"fp8"_s, u"auto"_s), m).weightBytes, 2 * total);
        // vLLM moe int8: --quantization experts_int8.
        QCOMPARE(predictCmd(u"vllm"_s, cfg(u"auto"_s, u"auto"_s, u"auto"_s, u"int8"_s), m).weightBytes,
                 experts + 2 * (attention + modelDtype));
    }

    void checkpointWeights()
    {
        // Llama-2-7B AWQ (4-bit, group 128): per layer 4 × 4096² + 3 × 4096 × 11008 = 202,375,168 linear
        // weights, × 32 = 6,476,005,376; embeddings + lm_head 2 × 32,000 × 4,096 = 262,144,000; norms 266,240.
        // AWQ stores 4 bits + an FP16 scale and a 4-bit zero per 128 weights: 4 + 20/128 = 4.15625 bits =
        // 66.5/128 byte: 6,476,005,376 / 128 × 66.5 = 3,364,487,168. Plus FP16 for the rest: 2 × 262,410,240.
        const ModelInfo awq = model(u"llama2-7b-4bit"_s);
        const qint64 expected = Q_INT64_C(3364487168) + 2 * Q_INT64_C(262410240);
        QCOMPARE(predictCfg(cfg(u"auto"_s, u"auto"_s), awq).weightBytes, expected);
        // gemm_dtype=fp8 cannot re-quantize a quantized checkpoint.
        const MemoryPrediction p = predictCfg(cfg(u"fp8"_s, u"auto"_s), awq);
        QCOMPARE(p.weightBytes, expected);
        QVERIFY(p.notes.join(u' ').contains(u"already quantized (awq)"_s));
        QCOMPARE(predictCmd(u"vllm"_s, cfg(u"fp8"_s, u"auto"_s), awq).weightBytes, expected);
        QCOMPARE(p.storage.denseLabel, u"awq checkpoint, 4.156 bits"_s);
        // KV auto follows the model dtype (float16 here): 32 × 2 × 32 heads × 128 × 2 bytes = 524,288.
        QCOMPARE(p.kvBytesPerToken, qint64(524288));
        QCOMPARE(p.storage.kvLabel, u"fp16"_s);

        // DeepSeek-V3's FP8 checkpoint: about 671 B weights at 1 byte, with the 1.85 B embedding and lm_head
        // parameters (2 × 129,280 × 7,168) at 2 bytes: ≈ 672.9 GB.
        const MemoryPrediction ds = predictCfg(cfg(u"auto"_s, u"auto"_s), model(u"deepseek-v3"_s));
        QVERIFY2(std::abs(double(ds.weightBytes) - 672.9e9) < 0.02 * 672.9e9,
                 qPrintable(QString::number(ds.weightBytes)));

        // INT8 compressed-tensors (Llama-3.1-8B shape = Llama-3-8B): the same bytes as online int8.
        QCOMPARE(predictCfg(cfg(u"auto"_s, u"auto"_s), model(u"llama3.1-8b-compressed"_s)).weightBytes,
                 kLlamaLinear + 2 * (kLlamaEmbed + kLlamaNorms));
    }

    void dtypeTables()
    {
        QCOMPARE(weightBitsForDtype(u"auto"_s, 16), 16.0);
        QCOMPARE(weightBitsForDtype(u"float32"_s, 16), 32.0);
        QCOMPARE(weightBitsForDtype(u"fp8"_s, 16), 8.0);
        QCOMPARE(weightBitsForDtype(u"int8"_s, 16), 8.0);
        QCOMPARE(weightBitsForDtype(u"w4afp8"_s, 16), 4.125);
        QCOMPARE(weightBitsForDtype(u"mxfp4"_s, 16), 4.25);
        QCOMPARE(weightBitsForDtype(u"bogus"_s, 16), -1.0);
        QCOMPARE(kvBytesPerElement(u"auto"_s, 2), 2.0);
        QCOMPARE(kvBytesPerElement(u"auto"_s, 4), 4.0);
        QCOMPARE(kvBytesPerElement(u"float16"_s, 2), 2.0);
        QCOMPARE(kvBytesPerElement(u"bf16"_s, 2), 2.0);
        QCOMPARE(kvBytesPerElement(u"fp8_e5m2"_s, 2), 1.0);
        QCOMPARE(kvBytesPerElement(u"fp8_inc"_s, 2), 1.0);
        QCOMPARE(kvBytesPerElement(u"int8_per_token_head"_s, 2), 1.0);
        QCOMPARE(kvBytesPerElement(u"int4_per_token_head"_s, 2), 0.5);
        QCOMPARE(kvBytesPerElement(u"nvfp4"_s, 2), 0.5625);
        QCOMPARE(kvBytesPerElement(u"turboquant_3bit_nc"_s, 2), -1.0);
        QCOMPARE(defaultMemoryFraction(u"vllm"_s), 0.9);
        QCOMPARE(defaultMemoryFraction(u"sglang"_s), 0.88);
        QCOMPARE(defaultMemoryFraction(u"trtllm"_s), 0.9);
        // An unmodelled KV dtype falls back to the model dtype, with a note.
        const MemoryPrediction p = predictCmd(u"vllm"_s,
                                              cfg(u"auto"_s, u"auto"_s),
                                              model(u"llama3-8b"_s),
                                              std::nullopt,
                                              {{u"kv-cache-dtype"_s, u"turboquant_3bit_nc"_s}});
        QCOMPARE(p.kvBytesPerToken, qint64(131072));
        QVERIFY(p.notes.join(u' ').contains(u"turboquant_3bit_nc"_s));
    }

    // ---- capacity --------------------------------------------------------------------------------------------------
    void capacity_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("kv");
        QTest::addColumn<QString>("paramKey");
        QTest::addColumn<QString>("paramValue");
        QTest::addColumn<double>("fraction");
        QTest::addColumn<qint64>("kvBytes");
        QTest::addColumn<qint64>("tokens");
        // Llama-3-8B BF16 (16,060,522,496 bytes) on one H100: G = 81,559 MiB = 85,520,809,984 bytes.
        // vLLM:    0.9 × G − W − 2 GiB = 76,968,728,985.6 − 16,060,522,496 − 2,147,483,648 = 58,760,722,841.6
        //          → / 131,072 = 448,308 tokens; / 65,536 (FP8) = 896,617 tokens.
        QTest::addRow("vllm bf16") << u"vllm"_s << u"auto"_s << QString() << QString() << 0.9 << Q_INT64_C(58760722841)
                                   << qint64(448308);
        QTest::addRow("vllm fp8") << u"vllm"_s << u"fp8"_s << QString() << QString() << 0.9 << Q_INT64_C(58760722841)
                                  << qint64(896617);
        // vLLM at 0.5: 42,760,404,992 − 16,060,522,496 − 2,147,483,648 = 24,552,398,848 → 187,319 tokens.
        QTest::addRow("vllm 0.5") << u"vllm"_s << u"auto"_s << u"gpu-memory-utilization"_s << u"0.5"_s << 0.5
                                  << Q_INT64_C(24552398848) << qint64(187319);
        // vLLM kv-cache-memory-bytes=8G (binary): 8,589,934,592 / 131,072 = 65,536 tokens.
        QTest::addRow("vllm kv bytes") << u"vllm"_s << u"auto"_s << u"kv-cache-memory-bytes"_s << u"8G"_s << 0.9
                                       << Q_INT64_C(8589934592) << qint64(65536);
        // SGLang: 0.88 × G − W − 1 GiB = 75,258,312,785.92 − 16,060,522,496 − 1,073,741,824 = 58,124,048,465.92
        //         → 443,451 tokens.
        QTest::addRow("sglang bf16") << u"sglang"_s << u"auto"_s << QString() << QString() << 0.88
                                     << Q_INT64_C(58124048465) << qint64(443451);
        // A vLLM parameter does not set SGLang's fraction (the mapper drops it as unknown).
        QTest::addRow("sglang ignores vllm key") << u"sglang"_s << u"auto"_s << u"gpu-memory-utilization"_s << u"0.5"_s
                                                 << 0.88 << Q_INT64_C(58124048465) << qint64(443451);
        // TensorRT-LLM: 0.9 × (G − W − 2 GiB) = 0.9 × 67,312,803,840 = 60,581,523,456 → 462,200 tokens;
        // at 0.5: 33,656,401,920 → 256,777 tokens.
        QTest::addRow("trtllm bf16") << u"trtllm"_s << u"auto"_s << QString() << QString() << 0.9
                                     << Q_INT64_C(60581523456) << qint64(462200);
        QTest::addRow("trtllm 0.5") << u"trtllm"_s << u"auto"_s << u"kv_cache_free_gpu_memory_fraction"_s << u"0.5"_s
                                    << 0.5 << Q_INT64_C(33656401920) << qint64(256777);
    }

    void capacity()
    {
        QFETCH(QString, engine);
        QFETCH(QString, kv);
        QFETCH(QString, paramKey);
        QFETCH(QString, paramValue);
        QFETCH(double, fraction);
        QFETCH(qint64, kvBytes);
        QFETCH(qint64, tokens);
        QList<QPair<QString, QString>> params;
        if (!paramKey.isEmpty())
            params << qMakePair(paramKey, paramValue);
        const ModelInfo m = model(u"llama3-8b"_s);
        // Through the engine command (what the CLI does) and through the fields (what the editor does).
        const MemoryPrediction viaCmd = predictCmd(engine, cfg(u"auto"_s, kv), m, kH100, params);
        MemoryOptions o;
        o.engine = engine;
        o.gpu = kH100;
        o.parameters = params;
        const MemoryPrediction viaCfg = *predictMemory(m, cfg(u"auto"_s, kv), o);
        for (const MemoryPrediction& p : {viaCmd, viaCfg}) {
            QCOMPARE(p.weightBytes, kLlamaBf16);
            QCOMPARE(p.gpuMemoryBytes, std::optional<qint64>(Q_INT64_C(85520809984)));
            QCOMPARE(p.memoryFraction, fraction);
            QCOMPARE(p.kvCacheBytesPerGpu, std::optional<qint64>(kvBytes));
            QCOMPARE(p.kvCapacityTokens, std::optional<qint64>(tokens));
        }
    }

    void capacityEdgeCases()
    {
        const ModelInfo m = model(u"llama3-8b"_s);
        // No GPU: no capacity.
        MemoryPrediction p = predictCfg(cfg(u"auto"_s, u"auto"_s), m);
        QCOMPARE(p.kvCapacityTokens, std::nullopt);
        QCOMPARE(p.gpuMemoryBytes, std::nullopt);
        QVERIFY(p.notes.join(u' ').contains(u"no GPU given"_s));
        // A GPU without a memory size.
        GpuInfo unknown = kH100;
        unknown.memoryTotalMiB = -1;
        p = predictCfg(cfg(u"auto"_s, u"auto"_s), m, 1, unknown);
        QCOMPARE(p.kvCapacityTokens, std::nullopt);
        // An invalid fraction: the default, with a note.
        p = predictCmd(u"vllm"_s, cfg(u"auto"_s, u"auto"_s), m, kH100, {{u"gpu-memory-utilization"_s, u"1.5"_s}});
        QCOMPARE(p.memoryFraction, 0.9);
        QVERIFY(p.notes.join(u' ').contains(u"not a fraction"_s));
        // Weights larger than the budget: capacity 0, never negative.
        p = predictCfg(cfg(u"auto"_s, u"auto"_s), m, 1, kT4);
        QCOMPARE(p.kvCapacityTokens, std::optional<qint64>(0));
        QVERIFY(*p.kvCacheBytesPerGpu < 0);
        // No model architecture: no prediction.
        QCOMPARE(predictMemory(inspectModel(u"meta-llama/Meta-Llama-3-8B"_s), QuantConfig{}, MemoryOptions{}),
                 std::nullopt);
    }

    // ---- model diagnostics
    // -------------------------------------------------------------------------------------------
    void diagnosticRules_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<QString>("gpuName");
        QTest::addColumn<int>("tp");
        QTest::addColumn<QStringList>("params");
        QTest::addColumn<QStringList>("expected");
        const QuantConfig base;
        const QuantConfig fp8 = cfg(u"fp8"_s, u"auto"_s);
        const QuantConfig moeFp8 = cfg(u"auto"_s, u"auto"_s, u"auto"_s, u"fp8"_s);
        // Mixtral in BF16: 2 × 46,702,792,704 = 93,405,585,408 bytes (87.0 GiB) > one H100 (79.6 GiB).
        // With online FP8 the quantized weights (46,439,333,888 linear + 2 × 263,458,816 ≈ 47.0 GB) fit, but the
        // BF16 weights loaded first do not: ONLINE-OOM only.
        QTest::addRow("oom: mixtral online fp8, 1 GPU")
            << u"vllm"_s << u"mixtral-8x7b"_s << fp8 << u"h100"_s << 1 << QStringList() << QStringList{u"ONLINE-OOM"_s};
        QTest::addRow("oom: mixtral online moe fp8") << u"vllm"_s << u"mixtral-8x7b"_s << moeFp8 << u"h100"_s << 1
                                                     << QStringList() << QStringList{u"ONLINE-OOM"_s};
        QTest::addRow("oom: sglang") << u"sglang"_s << u"mixtral-8x7b"_s << fp8 << u"h100"_s << 1 << QStringList()
                                     << QStringList{u"ONLINE-OOM"_s};
        // TP 2: 2 × 79.6 GiB > 87.0 GiB: nothing.
        QTest::addRow("no oom: tp2") << u"vllm"_s << u"mixtral-8x7b"_s << fp8 << u"h100"_s << 2 << QStringList()
                                     << QStringList();
        QTest::addRow("no oom: tp2 from parameters") << u"vllm"_s << u"mixtral-8x7b"_s << fp8 << u"h100"_s << 0
                                                     << QStringList{u"tensor-parallel-size=2"_s} << QStringList();
        QTest::addRow("no oom: small model")
            << u"vllm"_s << u"llama3-8b"_s << fp8 << u"h100"_s << 1 << QStringList() << QStringList();
        QTest::addRow("no oom: no gpu") << u"vllm"_s << u"mixtral-8x7b"_s << fp8 << QString() << 1 << QStringList()
                                        << QStringList();
        // TensorRT-LLM does not quantize online; the BF16 weights do not fit one GPU.
        QTest::addRow("trtllm: no online, too big") << u"trtllm"_s << u"mixtral-8x7b"_s << fp8 << u"h100"_s << 1
                                                    << QStringList() << QStringList{u"MEM-WEIGHTS-FIT"_s};
        // No online quantization, BF16 weights 87.0 GiB > 79.6 GiB.
        QTest::addRow("fit: mixtral bf16") << u"vllm"_s << u"mixtral-8x7b"_s << base << u"h100"_s << 1 << QStringList()
                                           << QStringList{u"MEM-WEIGHTS-FIT"_s};
        QTest::addRow("fit: mixtral bf16 tp2")
            << u"vllm"_s << u"mixtral-8x7b"_s << base << u"h100"_s << 2 << QStringList() << QStringList();
        // DeepSeek-V3 FP8 (≈ 672.9 GB) on 8 × H100: 84.1 GB per GPU fit in 85.5 GB, but 0.9 × 85.5 GB leaves no KV.
        QTest::addRow("kv: deepseek 8xH100") << u"vllm"_s << u"deepseek-v3"_s << base << u"h100"_s << 8 << QStringList()
                                             << QStringList{u"MEM-KV-NONE"_s};
        QTest::addRow("kv: deepseek 8xH200")
            << u"vllm"_s << u"deepseek-v3"_s << base << u"h200"_s << 8 << QStringList() << QStringList();
        // Llama-3-8B BF16 (16.06 GB) on a T4 (16.1 GB): fits, but 0.9 × 16.1 GB − 16.06 GB − 2 GiB < 0.
        QTest::addRow("kv: llama on t4") << u"vllm"_s << u"llama3-8b"_s << base << u"t4"_s << 1 << QStringList()
                                         << QStringList{u"MEM-KV-NONE"_s};
        // With FP8 weights (9.08 GB): 14.50 GB − 9.08 GB − 2.15 GB > 0.
        QTest::addRow("kv: llama fp8 on t4")
            << u"vllm"_s << u"llama3-8b"_s << fp8 << u"t4"_s << 1 << QStringList() << QStringList();
        // ONLINE-Q: a quantization parameter on a checkpoint quantized another way.
        QTest::addRow("online-q: fp8 on awq") << u"vllm"_s << u"llama2-7b-4bit"_s << base << QString() << 1
                                              << QStringList{u"quantization=fp8"_s} << QStringList{u"ONLINE-Q"_s};
        QTest::addRow("online-q: awq_marlin on awq") << u"vllm"_s << u"llama2-7b-4bit"_s << base << QString() << 1
                                                     << QStringList{u"quantization=awq_marlin"_s} << QStringList();
        QTest::addRow("online-q: fp8 on fp8") << u"vllm"_s << u"qwen3-8b-blockquant"_s << base << QString() << 1
                                              << QStringList{u"quantization=fp8"_s} << QStringList();
        QTest::addRow("online-q: modelopt on modelopt")
            << u"sglang"_s << u"llama3.1-8b-modelopt"_s << base << QString() << 1
            << QStringList{u"quantization=modelopt"_s} << QStringList();
        QTest::addRow("online-q: compressed-tensors on ct int8")
            << u"vllm"_s << u"llama3.1-8b-compressed"_s << base << QString() << 1
            << QStringList{u"quantization=compressed-tensors"_s} << QStringList();
        QTest::addRow("online-q: fp8 on ct int8")
            << u"sglang"_s << u"llama3.1-8b-compressed"_s << base << QString() << 1
            << QStringList{u"quantization=fp8"_s} << QStringList{u"ONLINE-Q"_s};
        QTest::addRow("online-q: fp8 on bf16") << u"vllm"_s << u"llama3-8b"_s << base << QString() << 1
                                               << QStringList{u"quantization=fp8"_s} << QStringList();
        // MODEL-CONFIG: the folder's config.json is broken.
        QTest::addRow("model-config: broken") << u"vllm"_s << u"broken-config"_s << base << u"h100"_s << 1
                                              << QStringList() << QStringList{u"MODEL-CONFIG"_s};
    }

    void diagnosticRules()
    {
        QFETCH(QString, engine);
        QFETCH(QString, folder);
        QFETCH(QuantConfig, config);
        QFETCH(QString, gpuName);
        QFETCH(int, tp);
        QFETCH(QStringList, params);
        QFETCH(QStringList, expected);
        std::optional<GpuInfo> g;
        if (gpuName == u"h100")
            g = kH100;
        else if (gpuName == u"h200")
            g = kH200;
        else if (gpuName == u"t4")
            g = kT4;
        QList<QPair<QString, QString>> p;
        for (const QString& kv : params)
            p << qMakePair(kv.section(u'=', 0, 0), kv.section(u'=', 1));
        const ModelInfo m = inspectModel(testData() + u"/models/"_s + folder);
        const EngineCommand cmd = build(engine, config, m, g, p);
        const QList<Diagnostic> diags = QuantDesk::modelDiagnostics(cmd, config, m, g, tp);
        QCOMPARE(ids(diags), expected);
        // None of them duplicates a mapper rule. (Once modelDiagnostics() is wired into buildEngineCommand(), the
        // command carries each of them exactly once; before, not at all.)
        static const QStringList mapperModelRules{u"MODEL-QUANT"_s,
                                                  u"OFFLINE-GEMM"_s,
                                                  u"OFFLINE-MOE"_s,
                                                  u"CKPT-REQUIRED"_s,
                                                  u"KV-SCALES"_s,
                                                  u"KV-E5M2-FP8CKPT"_s,
                                                  u"TRT-FMHA-CKPT"_s};
        for (const Diagnostic& d : diags) {
            QVERIFY2(!mapperModelRules.contains(d.id), qPrintable(d.id));
            QVERIFY2(ids(cmd.diagnostics).count(d.id) <= 1, qPrintable(d.id));
            if (const Diagnostic* inCommand = find(cmd.diagnostics, d.id))
                QCOMPARE(*inCommand, d);
        }
    }

    void diagnosticDetails()
    {
        const ModelInfo mixtral = model(u"mixtral-8x7b"_s);
        QuantConfig c = cfg(u"fp8"_s, u"auto"_s);
        QList<Diagnostic> d = modelDiagnostics(build(u"vllm"_s, c, mixtral, kH100), c, mixtral, kH100, 1);
        const Diagnostic* oom = find(d, u"ONLINE-OOM"_s);
        QVERIFY(oom);
        QCOMPARE(oom->severity, Severity::Warning);
        QCOMPARE(oom->field, u"gemm_dtype"_s);
        QVERIFY2(oom->message.contains(u"87.0 GiB in BF16"_s), qPrintable(oom->message));
        // 93.4 GB over 85.5 GB per GPU: TP 2.
        QCOMPARE(oom->action, (FixAction{FixAction::Kind::SetParameter, u"tensor-parallel-size"_s, u"2"_s}));

        c = QuantConfig{};
        d = modelDiagnostics(build(u"sglang"_s, c, mixtral, kH100), c, mixtral, kH100, 1);
        const Diagnostic* fit = find(d, u"MEM-WEIGHTS-FIT"_s);
        QVERIFY(fit);
        QCOMPARE(fit->severity, Severity::Error);
        QCOMPARE(fit->action, (FixAction{FixAction::Kind::SetParameter, u"tp-size"_s, u"2"_s}));
        QVERIFY2(fit->message.contains(u"87.0 GiB"_s) && fit->message.contains(u"46.7 B parameters"_s),
                 qPrintable(fit->message));

        // ONLINE-Q is an error when the files say so, a warning when only the name does.
        const ModelInfo awqFiles = model(u"llama2-7b-4bit"_s);
        const QList<QPair<QString, QString>> q{{u"quantization"_s, u"fp8"_s}};
        d = modelDiagnostics(build(u"vllm"_s, c, awqFiles, std::nullopt, q), c, awqFiles, std::nullopt, 0);
        QCOMPARE(find(d, u"ONLINE-Q"_s)->severity, Severity::Error);
        QCOMPARE(find(d, u"ONLINE-Q"_s)->action.kind, FixAction::Kind::RemoveParameter);
        const ModelInfo awqName = inspectModel(u"TheBloke/Llama-2-7B-AWQ"_s);
        d = modelDiagnostics(build(u"vllm"_s, c, awqName, std::nullopt, q), c, awqName, std::nullopt, 0);
        QCOMPARE(find(d, u"ONLINE-Q"_s)->severity, Severity::Warning);

        // MODEL-CONFIG: a missing config.json is information, a broken one a warning; a bare name is neither.
        QTemporaryDir empty;
        const ModelInfo none = inspectModel(empty.path());
        d = modelDiagnostics(build(u"vllm"_s, c, none), c, none, kH100, 1);
        QCOMPARE(ids(d), QStringList{u"MODEL-CONFIG"_s});
        QCOMPARE(d.constFirst().severity, Severity::Info);
        const ModelInfo broken = inspectModel(testData() + u"/models/broken-config"_s);
        d = modelDiagnostics(build(u"vllm"_s, c, broken), c, broken, kH100, 1);
        QCOMPARE(d.constFirst().severity, Severity::Warning);
        QVERIFY(d.constFirst().message.contains(u"not valid JSON"_s));
        const ModelInfo name = inspectModel(u"meta-llama/Meta-Llama-3-8B"_s);
        QVERIFY(modelDiagnostics(build(u"vllm"_s, c, name, kH100), c, name, kH100, 1).isEmpty());
    }

    void presetsOnLlama()
    {
        // The built-in presets on Llama-3-8B / vLLM / one H100: what the editor shows next to the fields.
        const ModelInfo m = model(u"llama3-8b"_s);
        const MemoryPrediction base = predictCmd(u"vllm"_s, findBuiltInPreset(u"default"_s)->config, m, kH100);
        const MemoryPrediction kv = predictCmd(u"vllm"_s, findBuiltInPreset(u"kv-cache-fp8"_s)->config, m, kH100);
        const MemoryPrediction fp8 = predictCmd(u"vllm"_s, findBuiltInPreset(u"dynamic-fp8"_s)->config, m, kH100);
        QCOMPARE(base.kvBytesPerToken, qint64(131072));
        QCOMPARE(kv.kvBytesPerToken, qint64(65536));
        QCOMPARE(kv.weightBytes, base.weightBytes);
        QCOMPARE(*kv.kvCapacityTokens, qint64(896617)); // twice the room per token (see capacity_data)
        QCOMPARE(fp8.weightBytes, kLlamaLinear + 2 * (kLlamaEmbed + kLlamaNorms));
        QVERIFY(*fp8.kvCapacityTokens > *kv.kvCapacityTokens); // smaller weights leave more for the cache
    }

    // ---- output
    // --------------------------------------------------------------------------------------------------------
    void json()
    {
        const ModelInfo m = model(u"llama3-8b"_s);
        const MemoryPrediction p = predictCmd(u"vllm"_s, cfg(u"auto"_s, u"fp8"_s), m, kH100);
        const auto jm = modelToJson(m);
        JCOMPARE(jm["source"], "local folder");
        JCOMPARE(jm["quant_method"], nullptr);
        JCOMPARE(jm["quant_bits"], nullptr);
        JCOMPARE(jm["kv_scales"], false);
        JCOMPARE(jm["architecture"]["attention"], "gqa");
        JCOMPARE(jm["architecture"]["layers"], 32);
        JCOMPARE(jm["architecture"]["kv_heads"], 8);
        JCOMPARE(jm["architecture"]["head_dim"], 128);
        JCOMPARE(jm["architecture"]["experts"], nullptr);
        JCOMPARE(jm["parameters"]["total"], kLlamaParams);
        JCOMPARE(jm["parameters"]["active"], kLlamaParams);
        QStringList keys;
        for (const auto& [k, v] : jm.items())
            keys << QString::fromStdString(k);
        QCOMPARE(keys,
                 (QStringList{u"id_or_path"_s,
                              u"source"_s,
                              u"location"_s,
                              u"quant_method"_s,
                              u"quant_bits"_s,
                              u"quant_format"_s,
                              u"quant_detected_from"_s,
                              u"kv_scales"_s,
                              u"kv_scales_from"_s,
                              u"architecture"_s,
                              u"parameters"_s,
                              u"config_error"_s,
                              u"notes"_s}));

        const auto mem = memoryToJson(p);
        JCOMPARE(mem["kv_bytes_per_token"], 65536);
        JCOMPARE(mem["kv_cache_dtype"], "fp8");
        JCOMPARE(mem["weights_bytes"], kLlamaBf16);
        JCOMPARE(mem["weights_gib"], 14.96);    // 16,060,522,496 / 2^30 = 14.957…
        JCOMPARE(mem["gpu_memory_gib"], 79.65); // 81,559 / 1,024 = 79.647…
        JCOMPARE(mem["memory_fraction"], 0.9);
        JCOMPARE(mem["memory_fraction_source"], "default");
        JCOMPARE(mem["kv_capacity_tokens"], 896617);
        JCOMPARE(mem["experts_dtype"], nullptr);
        JCOMPARE(memoryToJson(std::nullopt), nullptr);
        const auto noGpu = memoryToJson(predictCmd(u"vllm"_s, QuantConfig{}, m));
        JCOMPARE(noGpu["kv_capacity_tokens"], nullptr);
        JCOMPARE(noGpu["gpu_memory_gib"], nullptr);

        // MLA, MoE and an FP8 checkpoint with unknown KV scales.
        const ModelInfo ds = model(u"deepseek-v3"_s);
        const auto jd = modelToJson(ds);
        JCOMPARE(jd["quant_method"], "fp8");
        JCOMPARE(jd["quant_bits"], 8);
        JCOMPARE(jd["kv_scales"], nullptr);
        JCOMPARE(jd["architecture"]["attention"], "mla");
        JCOMPARE(jd["architecture"]["kv_heads"], nullptr);
        JCOMPARE(jd["architecture"]["kv_lora_rank"], 512);
        JCOMPARE(jd["architecture"]["experts"], 256);
        JCOMPARE(jd["architecture"]["moe_layers"], 58);
        JCOMPARE(memoryToJson(predictCmd(u"vllm"_s, QuantConfig{}, ds))["kv_bytes_per_token"], 61 * 576 * 2);

        // Name only: no architecture.
        const auto jn = modelToJson(inspectModel(u"neuralmagic/Meta-Llama-3-8B-Instruct-FP8"_s));
        JCOMPARE(jn["source"], "name");
        JCOMPARE(jn["architecture"], nullptr);
        JCOMPARE(jn["parameters"], nullptr);
    }

    void text()
    {
        const ModelInfo m = model(u"llama3-8b"_s);
        const QString modelText = modelToText(m).join(u'\n');
        QVERIFY2(modelText.contains(u"GQA (8 KV heads × 128) · 32 layers · 8.03 B parameters"_s),
                 qPrintable(modelText));
        QVERIFY(modelText.contains(u"KV scales: no"_s));
        const QString memText = memoryToText(predictCmd(u"vllm"_s, QuantConfig{}, m, kH100)).join(u'\n');
        QVERIFY2(memText.contains(u"128 KiB per token (bf16)"_s), qPrintable(memText));
        QVERIFY2(memText.contains(u"448,308 tokens"_s), qPrintable(memText));
        QVERIFY(memText.contains(u"gpu-memory-utilization 0.90 (default)"_s));
        // No room: said in words, no negative sizes.
        const QString t4 = memoryToText(predictCmd(u"vllm"_s, QuantConfig{}, m, kT4)).join(u'\n');
        QVERIFY2(t4.contains(u"capacity  none: the weights leave no memory for the KV cache on Tesla T4"_s),
                 qPrintable(t4));
        QVERIFY2(!t4.contains(u" -"_s), qPrintable(t4));
        QCOMPARE(memoryToText(std::nullopt).size(), 1);
        QCOMPARE(formatBytes(70272), u"68.63 KiB"_s);
        QCOMPARE(formatBytes(576), u"576 bytes"_s);
    }
};

QTEST_GUILESS_MAIN(TestMemoryPrediction)
#include "TestMemoryPrediction.moc"

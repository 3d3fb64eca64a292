// Model awareness (issue #9): config.json parsing, checkpoint quantization and KV-scale detection from the files,
// the injectable file reader, the Hugging Face cache, and the mapper diagnostics that depend on what the files say.
// Expected numbers come from the models' published config.json files and the arithmetic in the comments.

#include <QDir>
#include <QFile>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "core/engines/Mapper.h"
#include "core/model/HfCache.h"
#include "core/model/ModelConfig.h"
#include "core/model/ModelInfo.h"
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

QString modelDir(const QString& name)
{
    return testData() + u"/models/"_s + name;
}

QByteArray readFixture(const QString& relative)
{
    QFile f(testData() + u'/' + relative);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(relative));
    return f.readAll();
}

ModelConfig parsed(const QByteArray& json)
{
    QString error;
    const auto c = parseModelConfig(json, &error);
    if (!c)
        qFatal("config did not parse: %s", qPrintable(error));
    return *c;
}

bool within(double value, double expected, double relative)
{
    return std::abs(value - expected) <= std::abs(expected) * relative;
}

// The snapshot refs/main of tests/data/hf-cache/hub/models--org--name points at.
const QString kMainSnapshot = u"c6f2a3a0a86b218d2a30414ba33188584e1afefd"_s;

// An in-memory model folder: what the SSH reader will look like to inspectModel().
class FakeReader final : public ModelFileReader
{
public:
    QMap<QString, QByteArray> files;
    QMap<QString, QString> failing; // exists, but reading fails with this error
    QString kind = u"fake"_s;
    mutable QStringList requested;
    mutable QList<qint64> limits;

    std::optional<QByteArray> readFile(const QString& relativePath, qint64 maxBytes, QString* error) const override
    {
        requested << relativePath;
        limits << maxBytes;
        if (failing.contains(relativePath)) {
            if (error)
                *error = failing.value(relativePath);
            return std::nullopt;
        }
        if (!files.contains(relativePath))
            return std::nullopt;
        return files.value(relativePath).left(maxBytes);
    }
    bool exists(const QString& relativePath) const override
    {
        return files.contains(relativePath) || failing.contains(relativePath);
    }
    QString location() const override { return u"fake-host:/models/x"_s; }
    QString sourceKind() const override { return kind; }
};

// A safetensors file: 8-byte little-endian header length, then the JSON header.
QByteArray safetensors(const QByteArray& header)
{
    QByteArray out;
    quint64 n = quint64(header.size());
    for (int i = 0; i < 8; ++i) {
        out.append(char(n & 0xff));
        n >>= 8;
    }
    return out + header;
}

const char* const kSmallConfig = R"({"model_type": "llama", "hidden_size": 2048, "num_hidden_layers": 16,
    "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 128256, "intermediate_size": 8192,
    "tie_word_embeddings": true, "torch_dtype": "bfloat16"})";

EngineCommand build(const QString& engine,
                    const QuantConfig& config,
                    const ModelInfo& model,
                    const QList<QPair<QString, QString>>& params = {})
{
    QString error;
    const auto cmd = buildEngineCommand(engine, {}, config, model, std::nullopt, params, &error);
    if (!cmd)
        qFatal("unknown engine %s", qPrintable(engine));
    return *cmd;
}

const Diagnostic* findDiag(const EngineCommand& cmd, const QString& id)
{
    for (const Diagnostic& d : cmd.diagnostics) {
        if (d.id == id)
            return &d;
    }
    return nullptr;
}

} // namespace

class TestModelInfo : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Hub ids resolve against the fixture cache only, never the machine's own.
        qputenv("HF_HUB_CACHE", QFile::encodeName(testData() + u"/hf-cache/hub"_s));
    }

    // ---- config.json ---------------------------------------------------------------------------------------------
    void llama3Config()
    {
        // meta-llama/Meta-Llama-3-8B config.json: no head_dim key, so head_dim = 4096 / 32 = 128.
        const ModelConfig c = parsed(readFixture(u"models/llama3-8b/config.json"_s));
        QCOMPARE(c.modelType, u"llama"_s);
        QCOMPARE(c.architectures, QStringList{u"LlamaForCausalLM"_s});
        QCOMPARE(c.torchDtype, u"bfloat16"_s);
        QCOMPARE(c.hiddenSize, 4096);
        QCOMPARE(c.numLayers, 32);
        QCOMPARE(c.numAttentionHeads, 32);
        QCOMPARE(c.numKeyValueHeads, 8);
        QCOMPARE(c.headDim, 128);
        QCOMPARE(c.vocabSize, 128256);
        QCOMPARE(c.intermediateSize, 14336);
        QVERIFY(!c.tieWordEmbeddings);
        QVERIFY(!c.isMoe());
        QCOMPARE(c.attentionKind(), AttentionKind::Gqa);
        // K and V per layer: 2 × 8 × 128 = 2048 elements; × 32 layers = 65,536.
        QCOMPARE(c.kvElementsPerToken(), 65536);
        // Parameters: embeddings and lm_head 2 × 128,256 × 4,096 = 1,050,673,152; per layer q 4096×4096 +
        // k,v 2 × 4096×1024 + o 4096×4096 = 41,943,040, MLP 3 × 4096 × 14336 = 176,160,768, norms 2 × 4096 = 8,192,
        // so 218,112,000 × 32 = 6,979,584,000; final norm 4,096. Total 8,030,261,248 (Meta: "8B", 8.03 B).
        const ParameterCounts n = c.parameterCounts();
        QCOMPARE(n.total(), Q_INT64_C(8030261248));
        QCOMPARE(n.active(), n.total());
        QCOMPARE(n.denseLinear(), Q_INT64_C(32) * (41943040 + 176160768));
    }

    void mixtralConfig()
    {
        const ModelConfig c = parsed(readFixture(u"models/mixtral-8x7b/config.json"_s));
        QVERIFY(c.isMoe());
        QCOMPARE(c.numExperts, 8);
        QCOMPARE(c.numExpertsPerToken, 2);
        QCOMPARE(c.moeLayerCount(), 32);
        QCOMPARE(c.moeIntermediateSize, 0); // experts use intermediate_size
        QCOMPARE(c.numKeyValueHeads, 8);
        // Mistral AI: "46.7B total parameters but only uses 12.9B parameters per token".
        const ParameterCounts n = c.parameterCounts();
        QVERIFY2(within(double(n.total()), 46.7e9, 0.01), qPrintable(QString::number(n.total())));
        QVERIFY2(within(double(n.active()), 12.9e9, 0.01), qPrintable(QString::number(n.active())));
        // The experts alone: 32 layers × 8 experts × 3 × 4096 × 14336 = 45,097,156,608.
        QCOMPARE(n.routedExperts, Q_INT64_C(45097156608));
        QCOMPARE(n.activeRoutedExperts, Q_INT64_C(45097156608) / 4); // top-2 of 8
    }

    void deepseekV3Config()
    {
        const ModelConfig c = parsed(readFixture(u"models/deepseek-v3/config.json"_s));
        QCOMPARE(c.attentionKind(), AttentionKind::Mla);
        QCOMPARE(c.kvLoraRank, 512);
        QCOMPARE(c.qkRopeHeadDim, 64);
        QCOMPARE(c.qLoraRank, 1536);
        QCOMPARE(c.numExperts, 256);
        QCOMPARE(c.numSharedExperts, 1);
        QCOMPARE(c.numExpertsPerToken, 8);
        QCOMPARE(c.firstKDenseReplace, 3);
        QCOMPARE(c.moeLayerCount(), 61 - 3);
        QVERIFY(!c.isMoeLayer(2));
        QVERIFY(c.isMoeLayer(3));
        // MLA stores one latent (512) plus the RoPE key (64) per layer: 61 × 576 = 35,136 elements, no ×2.
        QCOMPARE(c.kvElementsPerTokenPerLayer(), 576);
        QCOMPARE(c.kvElementsPerToken(), 61 * 576);
        // DeepSeek-V3 technical report: 671B total parameters, 37B activated per token (MTP module not counted).
        const ParameterCounts n = c.parameterCounts();
        QVERIFY2(within(double(n.total()), 671e9, 0.02), qPrintable(QString::number(n.total())));
        QVERIFY2(within(double(n.active()), 37e9, 0.02), qPrintable(QString::number(n.active())));
    }

    void explicitHeadDimAndTies()
    {
        // Qwen3-8B: head_dim 128 given explicitly (32 × 128 = 4096 = hidden, but the key must be read).
        const ModelConfig q = parsed(readFixture(u"models/qwen3-8b-blockquant/config.json"_s));
        QCOMPARE(q.headDim, 128);
        QCOMPARE(q.numLayers, 36);
        QVERIFY(!q.hasSlidingWindow); // "sliding_window": null, "use_sliding_window": false
        // A config whose head_dim differs from hidden / heads (Qwen3-0.6B: hidden 1024, 16 heads, head_dim 128).
        const ModelConfig s = parsed(R"({"hidden_size": 1024, "num_hidden_layers": 28, "num_attention_heads": 16,
            "num_key_value_heads": 8, "head_dim": 128, "vocab_size": 151936, "intermediate_size": 3072,
            "tie_word_embeddings": true})");
        QCOMPARE(s.headDim, 128);
        // 28 layers × 2 × 8 × 128 = 57,344 elements.
        QCOMPARE(s.kvElementsPerToken(), 57344);
        QCOMPARE(s.parameterCounts().lmHead, 0); // tied
        // MHA: no num_key_value_heads means one KV head per attention head.
        const ModelConfig mha = parsed(R"({"hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
            "vocab_size": 32000, "intermediate_size": 11008})");
        QCOMPARE(mha.numKeyValueHeads, 32);
    }

    void nestedTextConfig()
    {
        // A multimodal config (Gemma 3 4B's published numbers): the language model lives in text_config.
        const ModelConfig c = parsed(R"({"architectures": ["Gemma3ForConditionalGeneration"], "model_type": "gemma3",
            "torch_dtype": "bfloat16",
            "text_config": {"model_type": "gemma3_text", "hidden_size": 2560, "intermediate_size": 10240,
                "num_attention_heads": 8, "num_hidden_layers": 34, "num_key_value_heads": 4, "head_dim": 256,
                "vocab_size": 262208, "sliding_window": 1024},
            "vision_config": {"hidden_size": 1152, "num_hidden_layers": 27}})");
        QCOMPARE(c.nestedIn, u"text_config"_s);
        QCOMPARE(c.modelType, u"gemma3_text"_s);
        QCOMPARE(c.torchDtype, u"bfloat16"_s); // from the top level
        QCOMPARE(c.numLayers, 34);
        QCOMPARE(c.headDim, 256);
        QVERIFY(c.hasSlidingWindow);
        // 34 × 2 × 4 × 256 = 69,632 elements.
        QCOMPARE(c.kvElementsPerToken(), 69632);
    }

    void qwenMoeLayers()
    {
        // Qwen-MoE style: decoder_sparse_step and mlp_only_layers pick the MoE layers; one wide shared expert.
        const ModelConfig c = parsed(R"({"model_type": "qwen2_moe", "hidden_size": 2048, "num_hidden_layers": 24,
            "num_attention_heads": 16, "num_key_value_heads": 16, "vocab_size": 151936, "intermediate_size": 5632,
            "num_experts": 60, "num_experts_per_tok": 4, "moe_intermediate_size": 1408,
            "shared_expert_intermediate_size": 5632, "decoder_sparse_step": 2, "mlp_only_layers": [1]})");
        // Layers i with (i + 1) % 2 == 0 are MoE: 1, 3, …, 23 (12 layers), minus layer 1 (mlp_only): 11.
        QCOMPARE(c.moeLayerCount(), 11);
        QVERIFY(!c.isMoeLayer(0));
        QVERIFY(!c.isMoeLayer(1));
        QVERIFY(c.isMoeLayer(3));
        const ParameterCounts n = c.parameterCounts();
        // Shared expert per MoE layer: 3 × 2048 × 5632 + gate 2048 = 34,605,056; × 11.
        QCOMPARE(n.sharedExperts, Q_INT64_C(11) * (3 * 2048 * 5632 + 2048));
        // Dense MLP in the other 13 layers: 13 × 3 × 2048 × 5632.
        QCOMPARE(n.denseMlp, Q_INT64_C(13) * 3 * 2048 * 5632);
    }

    void garbageConfig_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        const QByteArray base = R"("num_attention_heads": 32, "vocab_size": 32000, "intermediate_size": 11008)";
        auto with = [&](const char* extra) -> QByteArray { return QByteArray("{") + base + ", " + extra + '}'; };
        QTest::addRow("not json") << QByteArray("{\"hidden_size\": 4096,,}") << u"not valid JSON"_s;
        QTest::addRow("empty") << QByteArray() << u"not valid JSON"_s;
        QTest::addRow("truncated") << QByteArray("{\"hidden_size\": 40") << u"not valid JSON"_s;
        QTest::addRow("binary") << QByteArray("\x00\xff\xfe garbage", 12) << u"not valid JSON"_s;
        QTest::addRow("array") << QByteArray("[1, 2, 3]") << u"expected a JSON object"_s;
        QTest::addRow("string") << QByteArray("\"config\"") << u"expected a JSON object"_s;
        QTest::addRow("hidden as string") << with(R"("hidden_size": "4096", "num_hidden_layers": 32)")
                                          << u"hidden_size: expected an integer, got a string"_s;
        QTest::addRow("layers fraction") << with(R"("hidden_size": 4096, "num_hidden_layers": 32.5)")
                                         << u"num_hidden_layers: expected an integer"_s;
        QTest::addRow("layers negative") << with(R"("hidden_size": 4096, "num_hidden_layers": -1)")
                                         << u"num_hidden_layers: -1 is out of range"_s;
        QTest::addRow("layers zero") << with(R"("hidden_size": 4096, "num_hidden_layers": 0)")
                                     << u"num_hidden_layers: 0 is out of range"_s;
        QTest::addRow("hidden huge") << with(R"("hidden_size": 1e12, "num_hidden_layers": 32)") << u"hidden_size"_s;
        QTest::addRow("hidden u64 max") << with(R"("hidden_size": 18446744073709551615, "num_hidden_layers": 32)")
                                        << u"hidden_size: 18446744073709551615 is out of range"_s;
        QTest::addRow("hidden overflow") << with(R"("hidden_size": 1e400, "num_hidden_layers": 32)")
                                         << u"not valid JSON"_s;
        QTest::addRow("layers bool") << with(R"("hidden_size": 4096, "num_hidden_layers": true)")
                                     << u"num_hidden_layers: expected an integer, got a boolean"_s;
        QTest::addRow("layers object") << with(R"("hidden_size": 4096, "num_hidden_layers": {"n": 1})")
                                       << u"num_hidden_layers: expected an integer, got an object"_s;
        QTest::addRow("hidden missing") << with(R"("num_hidden_layers": 32)") << u"hidden_size: missing"_s;
        QTest::addRow("kv heads > heads") << with(R"("hidden_size": 4096, "num_hidden_layers": 32,
            "num_key_value_heads": 64)") << u"num_key_value_heads: 64 is out of range"_s;
        QTest::addRow("head_dim indivisible")
            << QByteArray(R"({"hidden_size": 4000, "num_hidden_layers": 2, "num_attention_heads": 3,
                "vocab_size": 10, "intermediate_size": 10})")
            << u"head_dim: missing"_s;
        QTest::addRow("tie as string") << with(R"("hidden_size": 4096, "num_hidden_layers": 32,
            "tie_word_embeddings": "yes")")
                                       << u"tie_word_embeddings: expected true or false"_s;
        QTest::addRow("dtype as number") << with(R"("hidden_size": 4096, "num_hidden_layers": 32, "torch_dtype": 16)")
                                         << u"torch_dtype: expected a string"_s;
        QTest::addRow("moe without top-k") << with(R"("hidden_size": 4096, "num_hidden_layers": 32,
            "num_local_experts": 8)") << u"num_experts_per_tok: missing"_s;
        QTest::addRow("moe top-k > experts") << with(R"("hidden_size": 4096, "num_hidden_layers": 32,
            "num_local_experts": 8, "num_experts_per_tok": 9)")
                                             << u"num_experts_per_tok: 9 is out of range"_s;
        QTest::addRow("mlp_only_layers wrong") << with(R"("hidden_size": 4096, "num_hidden_layers": 32,
            "num_experts": 8, "num_experts_per_tok": 2, "mlp_only_layers": "all")")
                                               << u"mlp_only_layers"_s;
        QTest::addRow("mlp_only_layers range") << with(R"("hidden_size": 4096, "num_hidden_layers": 32,
            "num_experts": 8, "num_experts_per_tok": 2, "mlp_only_layers": [40])")
                                               << u"mlp_only_layers: 40"_s;
        QTest::addRow("mla without dims") << with(R"("hidden_size": 4096, "num_hidden_layers": 32,
            "kv_lora_rank": 512)") << u"qk_rope_head_dim: missing"_s;
        QTest::addRow("implausible") << QByteArray(R"({"hidden_size": 1048576, "num_hidden_layers": 4096,
            "num_attention_heads": 64, "vocab_size": 16777216, "intermediate_size": 16777216})")
                                     << u"not a plausible model"_s;
        QTest::addRow("nested garbage") << QByteArray(R"({"text_config": {"hidden_size": "big"}})")
                                        << u"text_config.hidden_size: expected an integer"_s;
        QTest::addRow("deep nesting") << (QByteArray(100000, '[') + QByteArray(100000, ']'))
                                      << u"expected a JSON object"_s;
    }

    void garbageConfig()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        QString error;
        const auto c = parseModelConfig(json, &error);
        QVERIFY(!c);
        QVERIFY2(error.contains(mentions), qPrintable(error));
        // The error is one readable sentence, not an exception dump.
        QVERIFY2(!error.contains(u"json.exception"_s), qPrintable(error));
    }

    void garbageFolder()
    {
        // A folder whose config.json is broken: a clear error, the method still guessed from the name, no crash.
        const ModelInfo info = inspectModel(modelDir(u"broken-config"_s));
        QCOMPARE(info.source, u"local folder"_s);
        QVERIFY(!info.config);
        QVERIFY2(info.configError.startsWith(u"config.json: not valid JSON: parse error at line 4"_s),
                 qPrintable(info.configError));
        QCOMPARE(info.quantMethod, QString());
    }

    // ---- quantization and KV scales from the files -----------------------------------------------------------------
    void detectFromFiles_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("method");
        QTest::addColumn<int>("bits");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("kvScales"); // -1 unknown, 0 no, 1 yes
        QTest::addColumn<QString>("kvFrom");
        QTest::addRow("llama3 bf16") << u"llama3-8b"_s << QString() << -1 << QString() << QString() << 0
                                     << u"config.json"_s;
        QTest::addRow("mixtral bf16") << u"mixtral-8x7b"_s << QString() << -1 << QString() << QString() << 0
                                      << u"config.json"_s;
        QTest::addRow("deepseek fp8 block")
            << u"deepseek-v3"_s << u"fp8"_s << 8 << u"config.json"_s << u"fp8"_s << -1 << QString();
        QTest::addRow("fp8 no kv scales") << u"qwen3-8b-blockquant"_s << u"fp8"_s << 8 << u"config.json"_s << u"fp8"_s
                                          << 0 << u"model.safetensors.index.json"_s;
        QTest::addRow("fp8 kv scales") << u"qwen3-8b-blockquant-kvscales"_s << u"fp8"_s << 8 << u"config.json"_s
                                       << u"fp8"_s << 1 << u"model.safetensors.index.json"_s;
        QTest::addRow("modelopt fp8") << u"llama3.1-8b-modelopt"_s << u"fp8"_s << 8 << u"hf_quant_config.json"_s
                                      << u"FP8"_s << 1 << u"hf_quant_config.json"_s;
        QTest::addRow("awq") << u"llama2-7b-4bit"_s << u"awq"_s << 4 << u"config.json"_s << u"awq"_s << -1 << QString();
        QTest::addRow("compressed-tensors w8a8 int8")
            << u"llama3.1-8b-compressed"_s << u"int8"_s << 8 << u"config.json"_s << u"compressed-tensors"_s << 0
            << u"config.json"_s;
    }

    void detectFromFiles()
    {
        QFETCH(QString, folder);
        QFETCH(QString, method);
        QFETCH(int, bits);
        QFETCH(QString, from);
        QFETCH(QString, format);
        QFETCH(int, kvScales);
        QFETCH(QString, kvFrom);
        const ModelInfo info = inspectModel(modelDir(folder));
        QCOMPARE(info.source, u"local folder"_s);
        QCOMPARE(info.location, modelDir(folder));
        QCOMPARE(info.quantMethod, method);
        QCOMPARE(info.quantBits, bits);
        QCOMPARE(info.detectedFrom, from);
        QCOMPARE(info.quantFormat, format);
        QCOMPARE(info.kvScales(), kvScales < 0 ? std::nullopt : std::optional<bool>(kvScales == 1));
        QCOMPARE(info.kvScalesFrom, kvFrom);
        QVERIFY2(info.config.has_value(), qPrintable(info.configError));
        QVERIFY(info.configError.isEmpty());
        QVERIFY2(info.notes.isEmpty(), qPrintable(info.notes.join(u"; "_s)));
    }

    void awqGroupSize()
    {
        const ModelInfo info = inspectModel(modelDir(u"llama2-7b-4bit"_s));
        QCOMPARE(info.quantGroupSize, 128);
        QCOMPARE(info.config->torchDtype, u"float16"_s);
    }

    void quantizationConfigVariants_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("method");
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("group");
        QTest::addColumn<int>("kvScales");
        auto qc = [](const char* q) -> QByteArray {
            return QByteArray(R"({"hidden_size": 8, "quantization_config": )") + q + '}';
        };
        auto hq = [](const char* q) -> QByteArray { return QByteArray(R"({"quantization": )") + q + '}'; };
        const QString cfg = u"config.json"_s;
        const QString hqf = u"hf_quant_config.json"_s;
        QTest::addRow("ct fp8") << cfg << qc(R"({"quant_method": "compressed-tensors", "config_groups": {"group_0": {
                "targets": ["Linear"], "weights": {"num_bits": 8, "type": "float", "strategy": "channel"},
                "input_activations": {"num_bits": 8, "type": "float", "dynamic": true}}}, "kv_cache_scheme": {
                "num_bits": 8, "type": "float", "strategy": "tensor"}})")
                                << u"fp8"_s << 8 << 0 << 1;
        QTest::addRow("ct w4a16") << cfg << qc(R"({"quant_method": "compressed-tensors", "config_groups": {"group_0": {
                "targets": ["Linear"], "weights": {"num_bits": 4, "type": "int", "group_size": 128},
                "input_activations": null}}})")
                                  << u"int4"_s << 4 << 128 << -1;
        QTest::addRow("ct nvfp4") << cfg << qc(R"({"quant_method": "compressed-tensors", "config_groups": {"group_0": {
                "targets": ["Linear"], "weights": {"num_bits": 4, "type": "float", "group_size": 16},
                "input_activations": {"num_bits": 4, "type": "float", "group_size": 16}}}})")
                                  << u"nvfp4"_s << 4 << 16 << -1;
        QTest::addRow("ct w4afp8") << cfg << qc(R"({"quant_method": "compressed-tensors", "config_groups": {"group_0": {
                "targets": ["Linear"], "weights": {"num_bits": 4, "type": "int", "group_size": 128},
                "input_activations": {"num_bits": 8, "type": "float"}}}})")
                                   << u"w4afp8"_s << 4 << 128 << -1;
        QTest::addRow("ct no groups") << cfg << qc(R"({"quant_method": "compressed-tensors"})")
                                      << u"compressed-tensors"_s << -1 << 0 << -1;
        QTest::addRow("gptq 8-bit") << cfg << qc(R"({"quant_method": "gptq", "bits": 8, "group_size": 128})")
                                    << u"gptq"_s << 8 << 128 << -1;
        QTest::addRow("gpt-oss mxfp4") << cfg << qc(R"({"quant_method": "mxfp4", "modules_to_not_convert": []})")
                                       << u"mxfp4"_s << 4 << 32 << -1;
        QTest::addRow("bnb nf4") << cfg << qc(R"({"quant_method": "bitsandbytes", "load_in_4bit": true,
                                           "bnb_4bit_quant_type": "nf4"})")
                                 << u"bitsandbytes"_s << 4 << 64 << -1;
        QTest::addRow("modelopt in config") << cfg << qc(R"({"quant_method": "modelopt", "quant_algo": "NVFP4",
                                                      "kv_cache_quant_algo": null})")
                                            << u"nvfp4"_s << 4 << 16 << 0;
        QTest::addRow("fbgemm fp8") << cfg << qc(R"({"quant_method": "fbgemm_fp8"})") << u"fp8"_s << 8 << 0 << -1;
        QTest::addRow("unknown method") << cfg << qc(R"({"quant_method": "HQQ"})") << u"hqq"_s << -1 << 0 << -1;
        QTest::addRow("method wrong type") << cfg << qc(R"({"quant_method": 7})") << QString() << -1 << 0 << 0;
        QTest::addRow("hq nvfp4") << hqf << hq(R"({"quant_algo": "NVFP4", "kv_cache_quant_algo": "FP8",
                                                   "group_size": 16})")
                                  << u"nvfp4"_s << 4 << 16 << 1;
        QTest::addRow("hq w4a8 awq") << hqf << hq(R"({"quant_algo": "W4A8_AWQ", "group_size": 128})") << u"w4afp8"_s
                                     << 4 << 128 << -1;
        QTest::addRow("hq smoothquant") << hqf << hq(R"({"quant_algo": "W8A8_SQ_PER_CHANNEL"})") << u"int8"_s << 8 << 0
                                        << -1;
        QTest::addRow("hq fp8 block") << hqf << hq(R"({"quant_algo": "FP8_BLOCK_SCALES", "kv_cache_quant_algo":
                                                       null})")
                                      << u"fp8"_s << 8 << 0 << 0;
        QTest::addRow("hq kv only") << hqf << hq(R"({"quant_algo": null, "kv_cache_quant_algo": "FP8"})") << QString()
                                    << -1 << 0 << 1;
        QTest::addRow("hq garbage") << hqf << QByteArray("not json") << QString() << -1 << 0 << -1;
    }

    void quantizationConfigVariants()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QString, method);
        QFETCH(int, bits);
        QFETCH(int, group);
        QFETCH(int, kvScales);
        FakeReader reader;
        reader.files.insert(file, content);
        const ModelInfo info = inspectModel(u"org/some-model"_s, reader);
        QCOMPARE(info.quantMethod, method);
        QCOMPARE(info.quantBits, bits);
        QCOMPARE(info.quantGroupSize, group);
        QCOMPARE(info.kvScales(), kvScales < 0 ? std::nullopt : std::optional<bool>(kvScales == 1));
        QVERIFY(!info.isPreQuantized() || !info.detectedFrom.isEmpty());
    }

    void safetensorsHeader()
    {
        // A single-file checkpoint: the k/v scale tensors are found in the safetensors header.
        FakeReader with;
        with.files.insert(
            u"config.json"_s,
            QByteArray(kSmallConfig).replace("\"torch_dtype\"", R"("quantization_config": {"quant_method": "fp8"},
                                                                      "torch_dtype")"));
        with.files.insert(u"model.safetensors"_s,
                          safetensors(R"({"__metadata__": {"format": "pt"},
                              "model.layers.0.self_attn.k_proj.weight": {"dtype": "F8_E4M3", "shape": [512, 2048],
                                  "data_offsets": [0, 1048576]},
                              "model.layers.0.self_attn.k_scale": {"dtype": "F32", "shape": [],
                                  "data_offsets": [1048576, 1048580]}})") +
                              QByteArray(64, '\0'));
        ModelInfo info = inspectModel(u"x"_s, with);
        QCOMPARE(info.quantMethod, u"fp8"_s);
        QCOMPARE(info.kvScales(), std::optional<bool>(true));
        QCOMPARE(info.kvScalesFrom, u"model.safetensors"_s);

        FakeReader without = with;
        without.files.insert(u"model.safetensors"_s, safetensors(R"({"model.embed_tokens.weight": {"dtype": "BF16",
            "shape": [1, 1], "data_offsets": [0, 2]}})"));
        info = inspectModel(u"x"_s, without);
        QCOMPARE(info.kvScales(), std::optional<bool>(false));

        // A bogus header length is a note, not a crash or a huge read.
        FakeReader bogus = with;
        bogus.files.insert(u"model.safetensors"_s, QByteArray("\xff\xff\xff\xff\xff\xff\xff\x7f{}", 10));
        info = inspectModel(u"x"_s, bogus);
        QCOMPARE(info.kvScales(), std::nullopt);
        QVERIFY2(info.notes.join(u' ').contains(u"implausible safetensors header length"_s),
                 qPrintable(info.notes.join(u"; "_s)));
        for (const qint64 limit : std::as_const(bogus.limits))
            QVERIFY(limit <= 64 * 1024 * 1024 + 8);
    }

    void isKvScaleName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("scale");
        QTest::addRow("k_scale") << u"model.layers.0.self_attn.k_scale"_s << true;
        QTest::addRow("v_scale") << u"model.layers.7.self_attn.v_scale"_s << true;
        QTest::addRow("kv_scale") << u"model.layers.0.self_attn.kv_scale"_s << true;
        QTest::addRow("k_proj output") << u"model.layers.0.self_attn.k_proj.output_scale"_s << true;
        QTest::addRow("v_proj output") << u"model.layers.0.self_attn.v_proj.output_scale"_s << true;
        QTest::addRow("weight_scale") << u"model.layers.0.self_attn.k_proj.weight_scale"_s << false;
        QTest::addRow("input_scale") << u"model.layers.0.self_attn.k_proj.input_scale"_s << false;
        QTest::addRow("weight_scale_inv") << u"model.layers.0.mlp.up_proj.weight_scale_inv"_s << false;
        QTest::addRow("q_proj output") << u"model.layers.0.self_attn.q_proj.output_scale"_s << false;
    }

    void isKvScaleName()
    {
        QFETCH(QString, name);
        QFETCH(bool, scale);
        QCOMPARE(isKvScaleTensorName(name), scale);
    }

    // ---- the reader interface
    // ----------------------------------------------------------------------------------------
    void fakeReader()
    {
        FakeReader reader;
        reader.kind = u"ssh"_s;
        reader.files.insert(u"config.json"_s, kSmallConfig);
        const ModelInfo info = inspectModel(u"/models/llama-3.2-1b"_s, reader);
        QCOMPARE(info.idOrPath, u"/models/llama-3.2-1b"_s);
        QCOMPARE(info.source, u"ssh"_s);
        QCOMPARE(info.location, u"fake-host:/models/x"_s);
        QVERIFY(info.config);
        QCOMPARE(info.config->numLayers, 16);
        QVERIFY(!info.isPreQuantized());
        QCOMPARE(info.kvScales(), std::optional<bool>(false));
        // Only relative paths inside the folder, each with a bounded size.
        QVERIFY(!reader.requested.isEmpty());
        for (const QString& p : std::as_const(reader.requested)) {
            QVERIFY2(!p.startsWith(u'/') && !p.contains(u".."_s), qPrintable(p));
        }
        for (const qint64 limit : std::as_const(reader.limits))
            QVERIFY(limit > 0 && limit <= 64 * 1024 * 1024 + 8);
        QVERIFY(reader.requested.contains(u"config.json"_s));
        QVERIFY(reader.requested.contains(u"hf_quant_config.json"_s));
    }

    void fakeReaderFailures()
    {
        // A transport error on config.json is reported, and the name heuristics take over.
        FakeReader broken;
        broken.failing.insert(u"config.json"_s, u"ssh: connect to host gpu1 port 22: Connection refused"_s);
        ModelInfo info = inspectModel(u"neuralmagic/Meta-Llama-3-8B-Instruct-FP8"_s, broken);
        QVERIFY(!info.config);
        QCOMPARE(info.configError, u"ssh: connect to host gpu1 port 22: Connection refused"_s);
        QCOMPARE(info.quantMethod, u"fp8"_s);
        QCOMPARE(info.detectedFrom, u"name"_s);
        QCOMPARE(info.quantBits, 8);

        // No config.json at all.
        const FakeReader empty;
        info = inspectModel(u"org/empty"_s, empty);
        QVERIFY(info.configError.startsWith(u"no config.json in fake-host:/models/x"_s));
        QCOMPARE(info.kvScales(), std::nullopt);

        // A config.json over the size limit is not read.
        FakeReader huge;
        huge.files.insert(u"config.json"_s, QByteArray(16 * 1024 * 1024 + 10, ' '));
        info = inspectModel(u"org/huge"_s, huge);
        QVERIFY2(info.configError.contains(u"larger than 16 MiB"_s), qPrintable(info.configError));
    }

    void localReaderStaysInside()
    {
        const LocalModelFileReader reader(modelDir(u"llama3-8b"_s));
        QString error;
        QVERIFY(reader.readFile(u"config.json"_s, 100, &error));
        QCOMPARE(reader.readFile(u"config.json"_s, 10, &error)->size(), 10);
        QVERIFY(!reader.readFile(u"../mixtral-8x7b/config.json"_s, 100, &error));
        QVERIFY(error.contains(u"not a path inside"_s));
        error.clear();
        QVERIFY(!reader.readFile(u"/etc/passwd"_s, 100, &error));
        QVERIFY(!error.isEmpty());
        error.clear();
        QVERIFY(!reader.readFile(u"missing.json"_s, 100, &error));
        QVERIFY(error.isEmpty()); // missing is not an error
        QVERIFY(reader.exists(u"config.json"_s));
        QVERIFY(!reader.exists(u"../llama3-8b/config.json"_s));
        QCOMPARE(reader.sourceKind(), u"local folder"_s);
    }

    // ---- Hugging Face cache
    // ------------------------------------------------------------------------------------------
    void hfHubDir()
    {
        QProcessEnvironment env;
        env.insert(u"HOME"_s, u"/home/u"_s);
        QCOMPARE(HfCache::hubDirFor(env), u"/home/u/.cache/huggingface/hub"_s);
        env.insert(u"XDG_CACHE_HOME"_s, u"/xdg"_s);
        QCOMPARE(HfCache::hubDirFor(env), u"/xdg/huggingface/hub"_s);
        env.insert(u"HF_HOME"_s, u"~/hf"_s);
        QCOMPARE(HfCache::hubDirFor(env), u"/home/u/hf/hub"_s);
        env.insert(u"HUGGINGFACE_HUB_CACHE"_s, u"/old/hub"_s);
        QCOMPARE(HfCache::hubDirFor(env), u"/old/hub"_s);
        env.insert(u"HF_HUB_CACHE"_s, u"/new/hub"_s);
        QCOMPARE(HfCache::hubDirFor(env), u"/new/hub"_s);
    }

    void hfModelIds_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("id");
        QTest::addRow("org/name") << u"meta-llama/Meta-Llama-3-8B"_s << true;
        QTest::addRow("name only") << u"gpt2"_s << true;
        QTest::addRow("dots") << u"Qwen/Qwen2.5-7B-Instruct"_s << true;
        QTest::addRow("absolute") << u"/models/llama"_s << false;
        QTest::addRow("relative path") << u"./llama"_s << false;
        QTest::addRow("dotdot") << u"../x"_s << false;
        QTest::addRow("three parts") << u"a/b/c"_s << false;
        QTest::addRow("space") << u"org/my model"_s << false;
        QTest::addRow("empty") << QString() << false;
    }

    void hfModelIds()
    {
        QFETCH(QString, text);
        QFETCH(bool, id);
        QCOMPARE(HfCache::isModelId(text), id);
    }

    void hfSnapshot()
    {
        const HfCache cache(testData() + u"/hf-cache/hub"_s);
        QCOMPARE(HfCache::repoFolderName(u"org/name"_s), u"models--org--name"_s);
        QString error;
        // refs/main decides, not the other snapshot in the folder.
        const auto main = cache.snapshotDir(u"org/name"_s, u"main"_s, &error);
        QVERIFY2(main, qPrintable(error));
        QVERIFY(main->endsWith(u"/snapshots/"_s + kMainSnapshot));
        // A commit hash selects its snapshot directly.
        const auto old = cache.snapshotDir(u"org/name"_s, u"2b8f7a0b29ccdb93c3a79704ff03102934ca1502"_s, &error);
        QVERIFY(old && old->endsWith(u"2b8f7a0b29ccdb93c3a79704ff03102934ca1502"_s));
        // No refs: the only snapshot.
        const auto noRefs = cache.snapshotDir(u"org/no-refs"_s, u"main"_s, &error);
        QVERIFY2(noRefs, qPrintable(error));
        // Not cached.
        error.clear();
        QVERIFY(!cache.snapshotDir(u"org/missing"_s, u"main"_s, &error));
        QVERIFY2(error.contains(u"org/missing is not in the Hugging Face cache"_s), qPrintable(error));
        QVERIFY(!cache.snapshotDir(u"../etc"_s, u"main"_s, &error));
        // A ref naming a snapshot that is not there.
        QTemporaryDir tmp;
        QVERIFY(QDir(tmp.path()).mkpath(u"models--a--b/refs"_s));
        QFile ref(tmp.path() + u"/models--a--b/refs/main"_s);
        QVERIFY(ref.open(QIODevice::WriteOnly));
        ref.write("0000000000000000000000000000000000000000");
        ref.close();
        error.clear();
        QVERIFY(!HfCache(tmp.path()).snapshotDir(u"a/b"_s, u"main"_s, &error));
        QVERIFY2(error.contains(u"not in the cache"_s), qPrintable(error));
    }

    void inspectFromHfCache()
    {
        // HF_HUB_CACHE points at the fixture cache (initTestCase).
        ModelInfo info = inspectModel(u"org/name"_s);
        QCOMPARE(info.source, u"Hugging Face cache"_s);
        QVERIFY(info.location.endsWith(kMainSnapshot));
        QVERIFY2(info.config, qPrintable(info.configError));
        QCOMPARE(info.config->modelType, u"llama"_s); // config.json is a symlink into blobs/
        QVERIFY(!info.config->isMoe());
        info = inspectModel(u"org/no-refs"_s);
        QCOMPARE(info.source, u"Hugging Face cache"_s);
        QCOMPARE(info.config->modelType, u"mixtral"_s);
        // Not cached: the name is all there is.
        info = inspectModel(u"TheBloke/Llama-2-7B-AWQ"_s);
        QCOMPARE(info.source, u"name"_s);
        QCOMPARE(info.quantMethod, u"awq"_s);
        QCOMPARE(info.detectedFrom, u"name"_s);
        QCOMPARE(info.quantBits, 4);
        QVERIFY(!info.config);
        QVERIFY(info.configError.isEmpty()); // nothing was read, so nothing failed
        QCOMPARE(info.kvScales(), std::nullopt);
        // HF_HOME works too.
        qunsetenv("HF_HUB_CACHE");
        qputenv("HF_HOME", QFile::encodeName(testData() + u"/hf-cache"_s));
        info = inspectModel(u"org/name"_s);
        qunsetenv("HF_HOME");
        qputenv("HF_HUB_CACHE", QFile::encodeName(testData() + u"/hf-cache/hub"_s));
        QCOMPARE(info.source, u"Hugging Face cache"_s);
        QVERIFY(inspectModel(QString()).source.isEmpty());
    }

    // ---- the mapper's model diagnostics, driven by what the files say ----------------------------------------------
    void kvScalesDiagnostic_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<bool>("fires");
        QTest::addColumn<QString>("says");
        QTest::addRow("fp8 without scales") << u"qwen3-8b-blockquant"_s << true << u"has no KV scales"_s;
        QTest::addRow("fp8 with scales") << u"qwen3-8b-blockquant-kvscales"_s << false << QString();
        QTest::addRow("modelopt fp8 kv") << u"llama3.1-8b-modelopt"_s << false << QString();
        QTest::addRow("bf16") << u"llama3-8b"_s << true << u"has no KV scales"_s;
        QTest::addRow("awq (unknown)") << u"llama2-7b-4bit"_s << true << u"is not known"_s;
    }

    void kvScalesDiagnostic()
    {
        QFETCH(QString, folder);
        QFETCH(bool, fires);
        QFETCH(QString, says);
        QuantConfig c;
        c.kvcache = u"fp8_e4m3"_s;
        for (const QString& engine : {u"vllm"_s, u"sglang"_s}) {
            const EngineCommand cmd = build(engine, c, inspectModel(modelDir(folder)));
            const Diagnostic* d = findDiag(cmd, u"KV-SCALES"_s);
            QCOMPARE(d != nullptr, fires);
            if (d)
                QVERIFY2(d->message.contains(says), qPrintable(d->message));
        }
        // fp8_e5m2 needs no scales.
        c.kvcache = u"fp8_e5m2"_s;
        QVERIFY(!findDiag(build(u"sglang"_s, c, inspectModel(modelDir(folder))), u"KV-SCALES"_s));
    }

    void e5m2OnFp8Checkpoint_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("folder");
        QTest::addColumn<bool>("fires");
        QTest::addRow("vllm fp8 block") << u"vllm"_s << u"qwen3-8b-blockquant"_s << true;
        QTest::addRow("vllm modelopt fp8") << u"vllm"_s << u"llama3.1-8b-modelopt"_s << true;
        QTest::addRow("vllm deepseek fp8") << u"vllm"_s << u"deepseek-v3"_s << true;
        QTest::addRow("vllm bf16") << u"vllm"_s << u"llama3-8b"_s << false;
        QTest::addRow("vllm awq") << u"vllm"_s << u"llama2-7b-4bit"_s << false;
        QTest::addRow("vllm int8") << u"vllm"_s << u"llama3.1-8b-compressed"_s << false;
        QTest::addRow("sglang fp8 block") << u"sglang"_s << u"qwen3-8b-blockquant"_s << false;
    }

    void e5m2OnFp8Checkpoint()
    {
        QFETCH(QString, engine);
        QFETCH(QString, folder);
        QFETCH(bool, fires);
        QuantConfig c;
        c.kvcache = u"fp8_e5m2"_s;
        const EngineCommand cmd = build(engine, c, inspectModel(modelDir(folder)));
        const Diagnostic* d = findDiag(cmd, u"KV-E5M2-FP8CKPT"_s);
        QCOMPARE(d != nullptr, fires);
        if (d)
            QCOMPARE(d->severity, Severity::Error);
    }

    void onlineOnPreQuantized_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<int>("severity"); // -1: no OFFLINE-GEMM
        QTest::addRow("awq") << u"llama2-7b-4bit"_s << int(Severity::Warning);
        QTest::addRow("int8 compressed-tensors") << u"llama3.1-8b-compressed"_s << int(Severity::Warning);
        QTest::addRow("fp8 block") << u"qwen3-8b-blockquant"_s << int(Severity::Info);
        QTest::addRow("modelopt fp8") << u"llama3.1-8b-modelopt"_s << int(Severity::Info);
        QTest::addRow("bf16") << u"llama3-8b"_s << -1;
        QTest::addRow("bf16 moe") << u"mixtral-8x7b"_s << -1;
    }

    void onlineOnPreQuantized()
    {
        QFETCH(QString, folder);
        QFETCH(int, severity);
        QuantConfig c;
        c.gemm = u"fp8"_s;
        for (const QString& engine : {u"vllm"_s, u"sglang"_s}) {
            const EngineCommand cmd = build(engine, c, inspectModel(modelDir(folder)));
            const Diagnostic* d = findDiag(cmd, u"OFFLINE-GEMM"_s);
            QCOMPARE(d ? int(d->severity) : -1, severity);
            // Online FP8 is emitted exactly when the checkpoint is not quantized.
            QCOMPARE(cmd.argv().contains(u"--quantization"_s), severity < 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestModelInfo)
#include "TestModelInfo.moc"

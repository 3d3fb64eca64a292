#include "ModelConfig.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;
using json = nlohmann::json;

namespace QuantDesk
{

QString attentionKindKey(AttentionKind kind)
{
    return kind == AttentionKind::Mla ? u"mla"_s : u"gqa"_s;
}

qint64 ParameterCounts::total() const
{
    return embedding + lmHead + attention + denseMlp + sharedExperts + routedExperts + router + norms;
}

qint64 ParameterCounts::active() const
{
    return total() - routedExperts + activeRoutedExperts;
}

bool ModelConfig::isMoeLayer(qint64 layer) const
{
    if (numExperts <= 0 || layer < 0 || layer >= numLayers)
        return false;
    if (mlpOnlyLayers.contains(layer))
        return false;
    if (decoderSparseStep > 0)
        return (layer + 1) % decoderSparseStep == 0;
    return layer >= firstKDenseReplace && layer % std::max<qint64>(1, moeLayerFreq) == 0;
}

qint64 ModelConfig::moeLayerCount() const
{
    qint64 n = 0;
    for (qint64 i = 0; i < numLayers; ++i)
        n += isMoeLayer(i) ? 1 : 0;
    return n;
}

qint64 ModelConfig::kvElementsPerTokenPerLayer() const
{
    if (attentionKind() == AttentionKind::Mla)
        return kvLoraRank + qkRopeHeadDim;
    return 2 * numKeyValueHeads * headDim;
}

namespace
{

// Parameter counts in double: exact for every integer below 2^53, and no undefined behaviour when a hand-built
// config has absurd numbers (the parser rejects totals above kMaxParameters).
struct Counts
{
    double embedding = 0, lmHead = 0, attention = 0, denseMlp = 0, sharedExperts = 0, routedExperts = 0,
           activeRoutedExperts = 0, router = 0, norms = 0;
    [[nodiscard]] double total() const
    {
        return embedding + lmHead + attention + denseMlp + sharedExperts + routedExperts + router + norms;
    }
};

Counts countParameters(const ModelConfig& c)
{
    const double h = double(c.hiddenSize);
    const double heads = double(c.numAttentionHeads);
    const double mats = c.gatedMlp ? 3.0 : 2.0;
    Counts n;
    n.embedding = double(c.vocabSize) * h;
    n.lmHead = c.tieWordEmbeddings ? 0.0 : double(c.vocabSize) * h;

    double attnPerLayer = 0;
    if (c.attentionKind() == AttentionKind::Mla) {
        const double qkHead = double(c.qkNopeHeadDim + c.qkRopeHeadDim);
        const double q = c.qLoraRank > 0 ? h * double(c.qLoraRank) + double(c.qLoraRank) // q_a_proj + q_a_layernorm
                                               + double(c.qLoraRank) * heads * qkHead    // q_b_proj
                                         : h * heads * qkHead;                           // q_proj
        const double kv = h * double(c.kvLoraRank + c.qkRopeHeadDim)                     // kv_a_proj_with_mqa
                          + double(c.kvLoraRank)                                         // kv_a_layernorm
                          + double(c.kvLoraRank) * heads * double(c.qkNopeHeadDim + c.vHeadDim); // kv_b_proj
        const double o = heads * double(c.vHeadDim) * h;
        attnPerLayer = q + kv + o;
    } else {
        const double hd = double(c.headDim);
        attnPerLayer = h * heads * hd + 2.0 * h * double(c.numKeyValueHeads) * hd + heads * hd * h;
    }
    n.attention = attnPerLayer * double(c.numLayers);

    const double moeLayers = double(c.moeLayerCount());
    const double denseLayers = double(c.numLayers) - moeLayers;
    n.denseMlp = denseLayers * mats * h * double(c.intermediateSize);
    if (c.isMoe()) {
        const double expertWidth = double(c.moeIntermediateSize > 0 ? c.moeIntermediateSize : c.intermediateSize);
        const double expert = mats * h * expertWidth;
        n.routedExperts = moeLayers * double(c.numExperts) * expert;
        n.activeRoutedExperts = moeLayers * double(c.numExpertsPerToken) * expert;
        double shared = double(c.numSharedExperts) * expert;
        if (c.sharedExpertIntermediateSize > 0)
            shared += mats * h * double(c.sharedExpertIntermediateSize) + h; // + shared_expert_gate
        n.sharedExperts = moeLayers * shared;
        n.router = moeLayers * h * double(c.numExperts);
    }
    n.norms = double(c.numLayers) * 2.0 * h + h;
    return n;
}

constexpr double kMaxParameters = 1e15; // a thousand times the largest published models

// ---- strict readers -----------------------------------------------------------------------------------------------

QString typeName(const json& v)
{
    if (v.is_string())
        return u"a string"_s;
    if (v.is_boolean())
        return u"a boolean"_s;
    if (v.is_array())
        return u"an array"_s;
    if (v.is_object())
        return u"an object"_s;
    if (v.is_number_float())
        return u"a fraction"_s;
    return QString::fromUtf8(v.type_name());
}

class Reader
{
public:
    Reader(const json& object, QString prefix) : m_object(object), m_prefix(std::move(prefix)) {}

    [[nodiscard]] bool ok() const { return m_error.isEmpty(); }
    [[nodiscard]] const QString& error() const { return m_error; }

    // The first of keys that is present and not null, or nullptr.
    const json* find(std::initializer_list<const char*> keys, QString* found = nullptr) const
    {
        for (const char* k : keys) {
            const auto it = m_object.find(k);
            if (it != m_object.end() && !it->is_null()) {
                if (found)
                    *found = QString::fromUtf8(k);
                return &*it;
            }
        }
        return nullptr;
    }

    bool has(std::initializer_list<const char*> keys) const { return find(keys) != nullptr; }

    // Reads an integer in [min, max]. Absent or null: *out unchanged, or an error when required.
    void integer(std::initializer_list<const char*> keys, qint64* out, qint64 min, qint64 max, bool required = false)
    {
        if (!ok())
            return;
        QString key;
        const json* v = find(keys, &key);
        if (!v) {
            if (required)
                fail(QString::fromUtf8(*keys.begin()), u"missing (needed for the memory prediction)"_s);
            return;
        }
        double d = 0;
        if (v->is_number_unsigned()) {
            const auto u = v->get<std::uint64_t>();
            d = u > std::uint64_t(1) << 62 ? 1e300 : double(u);
        } else if (v->is_number_integer()) {
            d = double(v->get<std::int64_t>());
        } else if (v->is_number_float()) {
            d = v->get<double>();
            if (!std::isfinite(d) || d != std::floor(d))
                return fail(key, u"expected an integer, got %1"_s.arg(QString::fromStdString(v->dump())));
        } else {
            return fail(key, u"expected an integer, got %1"_s.arg(typeName(*v)));
        }
        if (d < double(min) || d > double(max)) {
            return fail(key,
                        u"%1 is out of range (%2 to %3)"_s.arg(QString::fromStdString(v->dump())).arg(min).arg(max));
        }
        *out = qint64(d);
    }

    void boolean(const char* key, bool* out)
    {
        if (!ok())
            return;
        const json* v = find({key});
        if (!v)
            return;
        if (!v->is_boolean())
            return fail(QString::fromUtf8(key), u"expected true or false, got %1"_s.arg(typeName(*v)));
        *out = v->get<bool>();
    }

    void string(std::initializer_list<const char*> keys, QString* out)
    {
        if (!ok())
            return;
        QString key;
        const json* v = find(keys, &key);
        if (!v)
            return;
        if (!v->is_string())
            return fail(key, u"expected a string, got %1"_s.arg(typeName(*v)));
        *out = QString::fromStdString(v->get<std::string>());
    }

    void fail(const QString& key, const QString& what)
    {
        if (ok())
            m_error = m_prefix + key + u": "_s + what;
    }

private:
    const json& m_object;
    QString m_prefix;
    QString m_error;
};

// Families whose MLP is up/down only (no gate).
bool isUngatedFamily(const QString& modelType)
{
    static const QStringList families{u"gpt2"_s,
                                      u"gpt_bigcode"_s,
                                      u"gpt_neox"_s,
                                      u"gptj"_s,
                                      u"falcon"_s,
                                      u"phi"_s,
                                      u"opt"_s,
                                      u"bloom"_s,
                                      u"mpt"_s,
                                      u"starcoder2"_s,
                                      u"bert"_s};
    return families.contains(modelType);
}

constexpr qint64 kMaxHidden = qint64(1) << 20;
constexpr qint64 kMaxLayers = 4096;
constexpr qint64 kMaxHeads = 65536;
constexpr qint64 kMaxVocab = qint64(1) << 24;
constexpr qint64 kMaxWidth = qint64(1) << 24;
constexpr qint64 kMaxExperts = 65536;

} // namespace

ParameterCounts ModelConfig::parameterCounts() const
{
    const Counts n = countParameters(*this);
    auto i = [](double v) { return v > 9e18 ? std::numeric_limits<qint64>::max() : qint64(std::llround(v)); };
    ParameterCounts out;
    out.embedding = i(n.embedding);
    out.lmHead = i(n.lmHead);
    out.attention = i(n.attention);
    out.denseMlp = i(n.denseMlp);
    out.sharedExperts = i(n.sharedExperts);
    out.routedExperts = i(n.routedExperts);
    out.activeRoutedExperts = i(n.activeRoutedExperts);
    out.router = i(n.router);
    out.norms = i(n.norms);
    return out;
}

std::optional<ModelConfig> parseModelConfig(const QByteArray& data, QString* error)
{
    auto fail = [error](const QString& what) -> std::optional<ModelConfig> {
        if (error)
            *error = what;
        return std::nullopt;
    };
    json root;
    try {
        root = json::parse(data.constBegin(), data.constEnd());
    } catch (const json::exception& e) {
        QString what = QString::fromUtf8(e.what());
        // "[json.exception.parse_error.101] parse error at line 1, column 2: …" → "parse error at line 1, …"
        if (what.startsWith(u'[') && what.indexOf(u"] "_s) > 0)
            what = what.mid(what.indexOf(u"] "_s) + 2);
        return fail(u"not valid JSON: %1"_s.arg(what));
    }
    if (!root.is_object())
        return fail(u"expected a JSON object at the top level, got %1"_s.arg(typeName(root)));

    // Multimodal configs keep the language model's numbers in a nested object.
    const json* cfg = &root;
    QString nestedIn;
    const bool topHasLayers = Reader(root, {}).has({"num_hidden_layers", "n_layer", "num_layers"});
    if (!topHasLayers) {
        for (const char* k : {"text_config", "llm_config", "language_config"}) {
            const auto it = root.find(k);
            if (it != root.end() && it->is_object()) {
                cfg = &*it;
                nestedIn = QString::fromUtf8(k);
                break;
            }
        }
    }
    Reader r(*cfg, nestedIn.isEmpty() ? QString() : nestedIn + u'.');
    Reader top(root, {});

    ModelConfig c;
    c.nestedIn = nestedIn;
    r.string({"model_type"}, &c.modelType);
    if (c.modelType.isEmpty())
        top.string({"model_type"}, &c.modelType);
    if (const auto it = root.find("architectures"); it != root.end() && it->is_array()) {
        for (const json& a : *it) {
            if (a.is_string())
                c.architectures << QString::fromStdString(a.get<std::string>());
        }
    }
    r.string({"torch_dtype", "dtype"}, &c.torchDtype);
    if (c.torchDtype.isEmpty())
        top.string({"torch_dtype", "dtype"}, &c.torchDtype);
    if (!top.ok())
        return fail(top.error());

    r.integer({"hidden_size", "d_model", "n_embd"}, &c.hiddenSize, 1, kMaxHidden, true);
    r.integer({"num_hidden_layers", "n_layer", "num_layers"}, &c.numLayers, 1, kMaxLayers, true);
    r.integer({"num_attention_heads", "n_head", "num_heads"}, &c.numAttentionHeads, 1, kMaxHeads, true);
    r.integer({"vocab_size", "padded_vocab_size"}, &c.vocabSize, 1, kMaxVocab, true);
    if (!r.ok())
        return fail(r.error());
    c.numKeyValueHeads = c.numAttentionHeads;
    r.integer({"num_key_value_heads", "num_kv_heads", "n_head_kv"}, &c.numKeyValueHeads, 1, c.numAttentionHeads);
    r.integer({"head_dim"}, &c.headDim, 1, kMaxHeads);
    c.gatedMlp = !isUngatedFamily(c.modelType);
    r.integer({"intermediate_size", "ffn_hidden_size", "n_inner"}, &c.intermediateSize, 1, kMaxWidth);
    r.boolean("tie_word_embeddings", &c.tieWordEmbeddings);
    if (!r.ok())
        return fail(r.error());
    if (c.headDim == 0) {
        if (c.hiddenSize % c.numAttentionHeads != 0) {
            return fail(
                u"head_dim: missing, and hidden_size %1 is not a multiple of num_attention_heads %2"_s.arg(c.hiddenSize)
                    .arg(c.numAttentionHeads));
        }
        c.headDim = c.hiddenSize / c.numAttentionHeads;
    }
    if (c.intermediateSize == 0 && !c.gatedMlp)
        c.intermediateSize = 4 * c.hiddenSize; // GPT-2's n_inner: null means 4 × hidden

    // MoE.
    r.integer({"num_local_experts", "n_routed_experts", "num_experts"}, &c.numExperts, 0, kMaxExperts);
    if (!r.ok())
        return fail(r.error());
    if (c.numExperts > 0) {
        r.integer(
            {"num_experts_per_tok", "experts_per_token", "moe_topk"}, &c.numExpertsPerToken, 1, c.numExperts, true);
        r.integer({"moe_intermediate_size"}, &c.moeIntermediateSize, 1, kMaxWidth);
        r.integer({"n_shared_experts"}, &c.numSharedExperts, 0, kMaxExperts);
        r.integer({"shared_expert_intermediate_size"}, &c.sharedExpertIntermediateSize, 0, kMaxWidth);
        r.integer({"first_k_dense_replace"}, &c.firstKDenseReplace, 0, c.numLayers);
        r.integer({"moe_layer_freq"}, &c.moeLayerFreq, 1, c.numLayers);
        r.integer({"decoder_sparse_step"}, &c.decoderSparseStep, 1, c.numLayers);
        if (const json* v = r.find({"mlp_only_layers"}); v && r.ok() && !v->is_array()) {
            r.fail(u"mlp_only_layers"_s, u"expected an array of layer numbers, got %1"_s.arg(typeName(*v)));
        } else if (v && r.ok()) {
            for (const json& e : *v) {
                if (!e.is_number_integer() || e.get<std::int64_t>() < 0 || e.get<std::int64_t>() >= c.numLayers) {
                    r.fail(u"mlp_only_layers"_s,
                           u"%1 is not a layer number (0 to %2)"_s.arg(QString::fromStdString(e.dump()))
                               .arg(c.numLayers - 1));
                    break;
                }
                c.mlpOnlyLayers << e.get<std::int64_t>();
            }
        }
        if (!r.ok())
            return fail(r.error());
        if (c.moeIntermediateSize == 0 && c.intermediateSize == 0)
            return fail(u"moe_intermediate_size: missing (and no intermediate_size either)"_s);
    }
    if (c.intermediateSize == 0 && c.moeLayerCount() < c.numLayers)
        return fail(u"intermediate_size: missing (needed for the dense MLP layers)"_s);

    // MLA.
    r.integer({"kv_lora_rank"}, &c.kvLoraRank, 0, kMaxWidth);
    if (!r.ok())
        return fail(r.error());
    if (c.kvLoraRank > 0) {
        r.integer({"qk_rope_head_dim"}, &c.qkRopeHeadDim, 0, kMaxHeads, true);
        r.integer({"qk_nope_head_dim"}, &c.qkNopeHeadDim, 1, kMaxHeads, true);
        r.integer({"v_head_dim"}, &c.vHeadDim, 1, kMaxHeads, true);
        r.integer({"q_lora_rank"}, &c.qLoraRank, 0, kMaxWidth);
        if (!r.ok())
            return fail(r.error());
    }

    // Sliding-window layers (Mistral, Gemma, gpt-oss): flagged only; the KV estimate counts full attention.
    if (const json* sw = r.find({"sliding_window"}); sw && sw->is_number() && sw->get<double>() > 0) {
        const json* use = r.find({"use_sliding_window"});
        c.hasSlidingWindow = !(use && use->is_boolean() && !use->get<bool>());
    }
    if (const json* lt = r.find({"layer_types"}); lt && lt->is_array()) {
        for (const json& t : *lt) {
            if (t.is_string() && t.get<std::string>() == "sliding_attention")
                c.hasSlidingWindow = true;
        }
    }

    const double total = countParameters(c).total();
    if (!(total < kMaxParameters)) {
        return fail(
            u"the architecture numbers give %1 parameters, which is not a plausible model"_s.arg(total, 0, 'g', 3));
    }
    return c;
}

} // namespace QuantDesk

#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace QuantDesk
{

// How the attention layers store their KV cache.
enum class AttentionKind {
    Gqa, // per-head K and V (MHA and MQA are GQA with kv heads = heads, or 1)
    Mla, // multi-head latent attention (DeepSeek-V2/V3, Kimi): one compressed latent plus the RoPE key per token
};

[[nodiscard]] QString attentionKindKey(AttentionKind kind); // "gqa", "mla"

// Parameter counts of a model by part, from its architecture numbers. Biases and the small per-expert router bias are
// not counted (well under 0.01 % for the models we model).
struct ParameterCounts
{
    qint64 embedding = 0;           // input embeddings: vocab × hidden
    qint64 lmHead = 0;              // output projection: vocab × hidden, 0 when tied to the embeddings
    qint64 attention = 0;           // q/k/v/o projections (MLA: low-rank projections and their norms), all layers
    qint64 denseMlp = 0;            // MLPs of the dense layers (all layers of a dense model)
    qint64 sharedExperts = 0;       // always-active experts of MoE layers (and their gate)
    qint64 routedExperts = 0;       // all routed experts of all MoE layers
    qint64 activeRoutedExperts = 0; // the routed experts one token goes through (top-k per MoE layer)
    qint64 router = 0;              // MoE router (gate) weights
    qint64 norms = 0;               // RMSNorm/LayerNorm weights

    [[nodiscard]] qint64 total() const;
    // Parameters one token uses: everything but the routed experts it is not sent to.
    [[nodiscard]] qint64 active() const;
    // The weights that are linear layers outside the routed experts (what gemm_dtype quantizes).
    [[nodiscard]] qint64 denseLinear() const { return attention + denseMlp + sharedExperts; }
    bool operator==(const ParameterCounts&) const = default;
};

// Architecture facts read from a Hugging Face config.json (the nested text_config / llm_config / language_config
// of multimodal models when the top level has none). Only what memory prediction needs.
struct ModelConfig
{
    QString modelType;         // "llama", "mixtral", "deepseek_v3"
    QStringList architectures; // ["LlamaForCausalLM"]
    QString torchDtype;        // "bfloat16" as written (torch_dtype, or dtype in newer files); "" when absent
    QString nestedIn;          // "text_config" when the numbers came from a nested config, else ""
    qint64 hiddenSize = 0;
    qint64 numLayers = 0;
    qint64 numAttentionHeads = 0;
    qint64 numKeyValueHeads = 0; // = numAttentionHeads when absent (MHA)
    qint64 headDim = 0;          // = hiddenSize / numAttentionHeads when absent
    qint64 vocabSize = 0;
    qint64 intermediateSize = 0; // dense MLP width (0 when the model has none and no dense layers)
    bool tieWordEmbeddings = false;
    bool gatedMlp = true; // SwiGLU-style gate/up/down (3 matrices); false for GPT-2/Falcon-style 2-matrix MLPs

    // MoE (numExperts == 0: a dense model).
    qint64 numExperts = 0;                   // routed experts: num_local_experts, n_routed_experts or num_experts
    qint64 numExpertsPerToken = 0;           // num_experts_per_tok
    qint64 moeIntermediateSize = 0;          // expert width; = intermediateSize when absent (Mixtral)
    qint64 numSharedExperts = 0;             // n_shared_experts, each moeIntermediateSize wide (DeepSeek)
    qint64 sharedExpertIntermediateSize = 0; // one shared expert of this width plus a gate (Qwen2-MoE)
    qint64 firstKDenseReplace = 0;           // the first k layers are dense (DeepSeek)
    qint64 moeLayerFreq = 1;                 // layer i >= first_k_dense_replace is MoE when i % moe_layer_freq == 0
    qint64 decoderSparseStep = 0;            // Qwen-MoE: layer i is MoE when (i + 1) % step == 0 (0: not used)
    QList<qint64> mlpOnlyLayers;             // Qwen-MoE: layers forced dense

    // MLA (kvLoraRank > 0).
    qint64 kvLoraRank = 0;
    qint64 qLoraRank = 0; // 0: full-rank q projection (DeepSeek-V2-Lite)
    qint64 qkNopeHeadDim = 0;
    qint64 qkRopeHeadDim = 0;
    qint64 vHeadDim = 0;

    bool hasSlidingWindow = false; // some layers use a sliding window (the KV estimate still counts full attention)

    [[nodiscard]] AttentionKind attentionKind() const
    {
        return kvLoraRank > 0 ? AttentionKind::Mla : AttentionKind::Gqa;
    }
    [[nodiscard]] bool isMoe() const { return numExperts > 0; }
    [[nodiscard]] bool isMoeLayer(qint64 layer) const;
    [[nodiscard]] qint64 moeLayerCount() const;
    // KV-cache elements one token stores in one layer: GQA 2 × kv heads × head_dim (K and V); MLA kv_lora_rank +
    // qk_rope_head_dim (one latent, no ×2).
    [[nodiscard]] qint64 kvElementsPerTokenPerLayer() const;
    [[nodiscard]] qint64 kvElementsPerToken() const { return kvElementsPerTokenPerLayer() * numLayers; }
    [[nodiscard]] ParameterCounts parameterCounts() const;
    bool operator==(const ModelConfig&) const = default;
};

// Parses config.json text. On failure returns nullopt and sets *error to a message naming the key and the problem
// ("num_hidden_layers: expected an integer, got a string"). Never throws; rejects negative, zero (where a size is
// required), non-integral and implausibly large numbers.
[[nodiscard]] std::optional<ModelConfig> parseModelConfig(const QByteArray& data, QString* error);

} // namespace QuantDesk

#pragma once
// Internal: the torch side of a loaded Model, for core/scoring and core/rerank only (never ui/).
// Everything here is in dataset order so callers never see the model's own row order.
#include "core/models/model.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <mutex>
#include <optional>

namespace reclens {

struct Model::Impl {
    ModelInfo info;
    const Dataset *dataset = nullptr;

    // Fast path (has_embeddings): float32, contiguous, on the CPU, dataset order. Rows of unmatched
    // users/items are zero. item_offset = item bias (0 without one) and -inf for unmatched items, so
    // score = user_emb[u] . item_emb[i] + item_offset[i] needs no further masking.
    torch::Tensor user_emb;    // [n_users, d]
    torch::Tensor item_emb;    // [n_items, d]
    torch::Tensor item_bias;   // [n_items] or undefined
    torch::Tensor item_offset; // [n_items]

    // Dataset index -> model row, -1 when the model lacks the id.
    std::vector<int64_t> item_to_model;
    std::vector<int64_t> user_to_model;
    std::vector<int32_t> matched_items; // dataset indices of matched items, ascending

    // Generic path: the TorchScript module (absent for from_embeddings models).
    std::optional<torch::jit::Module> module;

    bool user_valid(int32_t user) const { return user >= 0 && user_to_model[static_cast<size_t>(user)] >= 0; }

    // Calls the model's score() for dataset users x dataset items; returns [users, items] float32 on
    // the CPU. Every given user and item must be matched (callers filter). Thread-safe. Throws Error
    // naming the method on wrong shape/dtype or NaN/Inf output.
    torch::Tensor score_matched(const std::vector<int32_t> &users, const std::vector<int32_t> &items) const;

private:
    mutable std::mutex m_score_mutex; // TorchScript calls are serialised: modules keep mutable state
};

} // namespace reclens

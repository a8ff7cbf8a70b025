#pragma once
// Internal: the torch side of a loaded Model, for core/scoring and core/rerank only (never ui/).
// Everything here is in dataset order so callers never see the model's own row order.
#include "core/models/dotkernel.h"
#include "core/models/model.h"

#include <torch/script.h>
#include <torch/torch.h>

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
    kernel::PackedItems packed; // item_emb repacked for the CPU kernel

    // Dataset index -> model row, -1 when the model lacks the id.
    std::vector<int64_t> item_to_model;
    std::vector<int64_t> user_to_model;
    std::vector<int32_t> matched_items; // dataset indices of matched items, ascending

    // Generic path: the TorchScript module (absent for from_embeddings models).
    std::optional<torch::jit::Module> module;

    bool user_valid(int32_t user) const { return user >= 0 && user_to_model[static_cast<size_t>(user)] >= 0; }

    // THE score of the CPU paths (scorer, AUC pass, Model::score_all, so GUI and CLI alike): for
    // users[r], items [j0, j1) into out[r * ld + (j - j0)], user_emb · item_emb + item_offset by the
    // dot-product kernel (a user's floats never depend on the block). Unmatched users' rows are
    // -inf. Embedding models only; single-threaded, thread-safe.
    void score_rows(std::span<const int32_t> users, int64_t j0, int64_t j1, float *out, int64_t ld) const;

    // Items per score() call on the generic path: fixed, so that every caller makes the same calls.
    static constexpr size_t kGenericChunk = 8192;

    // Scores of every dataset item for one user through score() (one user per call, matched items in
    // chunks of kGenericChunk), -inf for unmatched items; `out` has n_items entries. The same calls
    // for whoever asks, so the GUI and the CLI get the same floats. Throws Error on bad output.
    void score_generic_row(int32_t user, float *out) const;

    // The scores of a few items (ascending dataset indices) for one user, bit for bit what
    // score_rows / score_generic_row give them: the kernel's single-pair dot product, or score() on
    // just the fixed chunks that hold those items. -inf for an unmatched user or item.
    void score_items(int32_t user, std::span<const int32_t> items, float *out) const;

    // Calls the model's score() for dataset users x dataset items; returns [users, items] float32 on
    // the CPU. Every given user and item must be matched (callers filter). Thread-safe: TorchScript
    // methods may run on several threads at once (the module is only read). Throws Error naming the
    // method on wrong shape/dtype or NaN/Inf output.
    torch::Tensor score_matched(const std::vector<int32_t> &users, const std::vector<int32_t> &items) const;
};

} // namespace reclens

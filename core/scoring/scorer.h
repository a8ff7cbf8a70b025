#pragma once
// Top-`pool` candidate generation for many users (DESIGN §3, §8). The embedding fast path does one
// GEMM per user block on the device, masks seen items there, runs topk there and copies back only
// (index, score) pairs; the block size follows a memory budget so users x items is never
// materialised. Models with only score() go through item chunks and a running top-k merge.
#include "core/common/progress.h"
#include "core/data/dataset.h"
#include "core/models/model.h"

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace reclens {

struct ScoringOptions {
    int pool = 100;                         // candidates kept per user
    std::string device = "auto";            // auto | cpu | cuda | cuda:N
    int64_t memory_budget_bytes = 512ll << 20; // for one block's score matrix and mask
    int threads = 0;                        // CPU threads; 0 = all cores
    bool exclude_train = true;              // ranking universe = items not in the user's train set
    // CPU fast path tiling (0 = automatic): users per GEMM block and items per tile. The CPU path
    // keeps each block x tile score matrix cache-sized and folds it into per-user top-k heaps.
    int block_users = 0;
    int tile_items = 0;
};

// Candidates of each scored user, best first. Row r belongs to users[r]; entries past count[r] are
// item -1 / score -inf (a user whose universe is smaller than `pool`).
struct Candidates {
    int pool = 0;
    std::string device;                     // "cpu" or "cuda:0"
    std::vector<int32_t> users;
    std::vector<int32_t> items;             // users.size() * pool
    std::vector<float> scores;              // users.size() * pool
    std::vector<int32_t> count;             // valid entries per row
    std::map<std::string, double> timing_ms; // e.g. "gemm_topk", "copy", "total"

    std::span<const int32_t> row_items(size_t r) const { return {items.data() + r * pool, static_cast<size_t>(count[r])}; }
    std::span<const float> row_scores(size_t r) const { return {scores.data() + r * pool, static_cast<size_t>(count[r])}; }
};

// Scores `users` (dataset indices). Throws Error on bad options (unknown device, CUDA unavailable,
// pool < 1) and Cancelled when `progress` returns false.
Candidates score_top(const Model &model, std::span<const int32_t> users, const ScoringOptions &options,
                     const ProgressFn &progress = {});

// Resolved device string for an option value ("auto" -> "cuda:0" or "cpu"); throws on a bad value.
std::string resolve_device(const std::string &device);
// Human-readable device name for status bars: "CPU (2 threads)" (the threads score_top uses by
// default, i.e. every core) or the CUDA device.
std::string device_description(const std::string &device);

} // namespace reclens

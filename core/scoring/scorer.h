#pragma once
// Top-`pool` candidate generation for one user, a block or all users: THE candidate pool of a
// request (DESIGN §3, §8), for evaluate, the GUI and the benchmarks alike. On the CPU, embedding
// models are scored by the dot-product kernel (core/models/dotkernel.h: a user's floats never
// depend on the block) in strips x tiles folded into per-user top-k selections, ties by lower item
// index; users x items is never materialised. On CUDA one GEMM per user block, seen items masked and
// topk on the device, only (index, score) pairs copied back. Models with only score() are called one
// user at a time over fixed item chunks.
#include "core/common/progress.h"
#include "core/data/dataset.h"
#include "core/models/model.h"

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace reclens {

// The CPU fast path's geometry: each task scores a strip of kCpuStripUsers users against tiles of
// kCpuTileItems items (the default of ScoringOptions::tile_items). 128 x 1024 floats is a 512 KiB
// buffer per thread, and a tile's packed items (1024 x d floats) stay in L2 while the strip passes.
inline constexpr int64_t kCpuStripUsers = 128;
inline constexpr int64_t kCpuTileItems = 1024;

struct ScoringOptions {
    int pool = 100;                         // candidates kept per user
    std::string device = "auto";            // auto | cpu | cuda | cuda:N
    int64_t memory_budget_bytes = 512ll << 20; // for one block's score matrix and mask
    int threads = 0;                        // CPU threads; 0 = all cores
    bool exclude_train = true;              // ranking universe = items not in the user's train set
    // CPU fast path (0 = automatic): users per block (between progress reports; 1024) and items per
    // tile (kCpuTileItems). Each strip x tile score matrix stays cache-sized and is folded into
    // per-user top-k selections; results do not depend on either value.
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

// Sees every scored user's scores on the CPU paths, tile by tile, before the seen items are masked:
// how the AUC is counted inside the scoring pass (DESIGN §8). row indexes `users`; the scores are
// items [t0, t0 + scores.size()); worker is the calling thread's index in
// [0, parallel_workers(options.threads)). All tiles of one row come from one worker, t0 ascending.
class ScoreObserver {
public:
    virtual ~ScoreObserver() = default;
    virtual void row_tile(size_t row, int64_t t0, std::span<const float> scores, size_t worker) = 0;
};

// Scores `users` (dataset indices). Throws Error on bad options (unknown device, CUDA unavailable,
// pool < 1) and Cancelled when `progress` returns false.
// An observer needs the CPU ("cpu" device): the CUDA path keeps its scores on the device (Error).
Candidates score_top(const Model &model, std::span<const int32_t> users, const ScoringOptions &options,
                     const ProgressFn &progress = {}, ScoreObserver *observer = nullptr);

// Resolved device string for an option value ("auto" -> "cuda:0" or "cpu"); throws on a bad value.
std::string resolve_device(const std::string &device);
// The device score_top scores `model` on for that option: score()-only models always on "cpu".
std::string scoring_device(const Model &model, const std::string &device);
// Human-readable device name for status bars: "CPU (2 threads)" (the threads score_top uses by
// default, i.e. every core) or the CUDA device.
std::string device_description(const std::string &device);

} // namespace reclens

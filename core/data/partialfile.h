#pragma once
// The partial state of one evaluation shard (DESIGN §12), as a SQLite file: everything `merge`
// needs to rebuild the unsharded run's JSON, lists and per-user CSV without the dataset or the
// model — per-user rows (metrics, the facts the strata need, the final list), the external ids of
// the listed items, and the pooled AUC's exact integer counts. Plain data here; core/analysis/shard.h
// fills and combines it. Format: docs/scale-out.md.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace reclens
{

// Version 1. A reader refuses files of a newer version with a message saying so.
inline constexpr int kPartialFormatVersion = 1;

struct PartialUser {
    int32_t user = 0; // dataset index
    std::string external_id;
    int64_t train = 0; // UserStratumFacts
    std::string segment;
    int64_t head_test = 0, head_hits = 0, tail_test = 0, tail_hits = 0;
    int32_t hits = 0, test_size = 0, list_size = 0; // UserMetrics' counts
    std::vector<double> metrics; // Partial::metric_names order, bit for bit (NaN kept)
    std::vector<int32_t> list; // final list, dataset item indices
    std::vector<float> scores; // model score per list entry
};

struct PartialRun {
    std::string label; // "" for evaluate; "a", "b", … for compare
    std::string model; // the model path as given
    std::string model_sha256;
    std::string device; // "cpu", "cuda:0", …
    std::string settings; // canonical JSON of the options that must agree (core/analysis/shard.cpp)
    std::string timing; // JSON object of this shard's timing_ms
    uint64_t twice_rank_hi = 0, twice_rank_lo = 0; // pooled AUC: Σ twice-rank (128 bits)
    int64_t positives = 0, negatives = 0;
    std::vector<PartialUser> users; // ascending dataset index
};

struct Partial {
    int version = kPartialFormatVersion;
    std::string kind; // "evaluate" | "compare"
    int shard = 0, shards = 1;
    std::string dataset; // the dataset path as given
    std::string dataset_sha256;
    int64_t n_items = 0, head_items = 0, tail_items = 0;
    int64_t run_users = 0; // users of the whole run (all shards together)
    std::vector<std::string> metric_names;
    std::vector<std::pair<int32_t, std::string>> items; // (index, external id) of every listed item
    std::vector<PartialRun> runs;
};

// Writes `p` to `path` under a temporary name, renamed when complete (DESIGN §9).
void write_partial(const Partial &p, const std::string &path);

// Reads a partial. Throws Error (one line naming the file) for a missing, empty, truncated or
// corrupt file, a file that is not a RecLens partial, or one of a newer format version.
Partial read_partial(const std::string &path);

} // namespace reclens

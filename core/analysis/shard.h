#pragma once
// Sharded evaluation (DESIGN §12): one shard's results become a Partial (core/data/partialfile.h);
// merge_partials checks that a set of partials belongs together and rebuilds the unsharded run —
// per-user rows in dataset order, then summarise(), the same last step evaluate() takes, so every
// mean, aggregate, stratum and the pooled AUC (exact integer counts) come out as one run gives them.
// Needs neither the dataset nor the model.
#include "core/analysis/evaluation.h"
#include "core/data/partialfile.h"

#include <span>
#include <string>
#include <vector>

namespace reclens
{

// One evaluated run of a shard and where it came from.
struct ShardRun {
    const EvaluationResult *result = nullptr;
    std::string label; // "" (evaluate) or "a", "b", … (compare)
    std::string model; // path as given
    std::string model_sha256;
};

// The partial state of one shard. `kind`: "evaluate" (one run) or "compare" (runs over the same
// users). dataset_path/sha256: the dataset as given and its SHA-256.
Partial make_partial(const Dataset &dataset, const std::string &dataset_path, const std::string &dataset_sha256,
    const std::string &kind, std::span<const ShardRun> runs);

struct MergedRun {
    std::string label, model, model_sha256;
    EvaluationResult result;
};

struct MergedPartials {
    std::string kind;
    std::string dataset, dataset_sha256;
    int shards = 1;
    std::vector<MergedRun> runs;
    std::vector<std::string> user_ids; // external id by dataset user index ("" outside the run)
    std::vector<std::string> item_ids; // external id by dataset item index ("" for items in no list)
};

// Reads and merges the partials at `paths` (any order). Throws Error with one line naming the
// files for a partial that cannot be read, partials that do not belong together (kind, format
// version, dataset, model, options, device type, shard count, metric set differ), a shard given
// twice (or users in two partials), and shards or users left out.
MergedPartials merge_partials(std::span<const std::string> paths);

// The options of a result that must agree across shards, as canonical JSON (k, pool, re-ranking
// with its rules, category level, AUC on/off).
std::string shard_settings(const EvaluationResult &r);

} // namespace reclens

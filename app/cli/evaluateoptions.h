#pragma once
// Options shared by `evaluate` and `compare` (DESIGN §4): one declaration so both accept the same
// flags with the same meaning.
#include "app/cli/command.h"
#include "core/analysis/evaluation.h"
#include "core/analysis/shard.h"
#include "core/common/files.h"
#include "core/common/error.h"
#include "core/data/datasetrepository.h"
#include "core/data/qrels.h"
#include "core/data/queries.h"

#include <cstdio>
#include <memory>
#include <span>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <string>

namespace reclens::cli {

struct EvaluateFlags {
    std::string data;
    int k = 10;
    int pool = 100;
    std::string device = "auto";
    std::string rerank = "none";
    double diversity = 0.0;
    std::string similarity; // empty: embedding with a model, category for a run alone
    int category_level = 0;
    int max_per_category = 0;
    int max_per_brand = 0;
    bool no_auc = false;
    bool scalar_rerank = false;
    bool batched_rerank = false;
    int threads = 0;
    std::string shard;   // "I/N" (DESIGN §12)
    std::string partial; // where the shard's partial state goes
    std::string qrels;   // graded judgements (DESIGN §11)
    double relevance_threshold = 1;
    std::string relevance = "auto"; // auto | binary | graded
    bool threshold_given = false;
    std::string requests = "auto"; // users | queries | auto
};

// "I/N" -> (I, N); throws Error unless 0 <= I < N.
inline std::pair<int, int> parse_shard(const std::string &spec)
{
    const auto slash = spec.find('/');
    int i = -1, n = 0;
    try {
        size_t a = 0, b = 0;
        if (slash == std::string::npos)
            throw std::invalid_argument(spec);
        i = std::stoi(spec.substr(0, slash), &a);
        n = std::stoi(spec.substr(slash + 1), &b);
        if (a != slash || b != spec.size() - slash - 1)
            throw std::invalid_argument(spec);
    } catch (const std::exception &) {
        throw Error("--shard '" + spec + "' is not I/N: give the shard index and the number of shards, e.g. --shard 0/4");
    }
    if (n < 1 || i < 0 || i >= n)
        throw Error("--shard " + spec + " does not exist: the index I of I/N runs from 0 to N-1");
    return {i, n};
}

inline void add_evaluate_flags(CLI::App &app, EvaluateFlags &f)
{
    app.add_option("--data", f.data, "Dataset file (.sqlite)")->required();
    app.add_option("--k", f.k, "List length K (default 10)");
    app.add_option("--pool", f.pool, "Candidates per user before re-ranking (default 100)");
    app.add_option("--device", f.device, "auto | cpu | cuda | cuda:N (default auto)");
    app.add_option("--rerank", f.rerank, "none | mmr | dpp | calibrated | caps (default none)");
    app.add_option("--diversity", f.diversity, "Re-ranking strength 0 (model order) .. 1 (most diverse)");
    app.add_option("--similarity", f.similarity,
                   "embedding | category (for mmr and dpp; default embedding, category for a run without a model)");
    app.add_option("--category-level", f.category_level, "Category level for metrics and re-ranking (default deepest)");
    app.add_option("--max-per-category", f.max_per_category, "caps: at most N items per category (0 = no cap)");
    app.add_option("--max-per-brand", f.max_per_brand, "caps: at most N items per brand (0 = no cap)");
    app.add_flag("--no-auc", f.no_auc, "Skip auc/auc_pooled (they score every item for every user)");
    auto *scalar = app.add_flag("--scalar-rerank", f.scalar_rerank,
                                "Re-rank user by user (threaded) even on CUDA, where the batched libtorch version is the default");
    app.add_flag("--batched-rerank", f.batched_rerank,
                 "Re-rank all users with the batched libtorch version even on the CPU (same lists; for checks)")
        ->excludes(scalar);
    app.add_option("--threads", f.threads, "CPU threads (default all cores)");
    app.add_option("--shard", f.shard, "I/N: evaluate only the users with dataset index % N == I (needs --partial)");
    app.add_option("--partial", f.partial, "Write this shard's mergeable state (combine with 'reclens-cli merge')");
    app.add_option("--qrels", f.qrels,
                   "Graded judgements 'qid 0 docid grade' as the relevance (trec_eval's conventions, DESIGN §11)");
    app.add_option("--relevance-threshold", f.relevance_threshold,
                   "With judgements: the grade from which an item is relevant for the binary metrics (default 1)")
        ->each([&f](const std::string &) { f.threshold_given = true; });
    app.add_option("--relevance", f.relevance,
                   "auto | binary | graded: graded takes the test interactions' weights as grades (MovieLens "
                   "ratings; trec_eval's conventions); auto: graded with --qrels or queries, else binary")
        ->check(CLI::IsMember({"auto", "binary", "graded"}));
    app.add_option("--requests", f.requests,
                   "users | queries | auto (default auto: a search dataset's queries when a run is given, else users)")
        ->check(CLI::IsMember({"users", "queries", "auto"}));
}

// The dataset of f.data with its requests (users, or a search dataset's queries for runs) and the
// relevance (--qrels, a search dataset's judgements, else the test split). warnings: the qrels'.
// runs_only: every source is a run (auto then reads a search dataset's queries); with_model: a
// model is loaded too (it scores, or lends embeddings to, users only).
inline Dataset load_requests(const EvaluateFlags &f, bool runs_only, std::vector<std::string> &warnings,
                             bool with_model = false)
{
    if (!(f.relevance_threshold > 0))
        throw Error("--relevance-threshold " + std::to_string(f.relevance_threshold)
                    + " must be above 0 (grade 0 is not relevant)");
    bool queries = f.requests == "queries";
    if (f.requests == "auto")
        queries = runs_only && has_queries(f.data);
    if (queries && (!runs_only || with_model))
        throw Error("a search dataset's queries come as runs only: a model is loaded against users, so leave out "
                    "--model (runs re-rank by category there) or give --requests users");
    Dataset ds = queries ? load_query_view(f.data, f.relevance_threshold) : load_dataset(f.data);
    if (!f.qrels.empty()) {
        if (f.relevance == "binary")
            throw Error("--relevance binary and --qrels: judgements are graded; leave out --relevance");
        set_judgements(ds, load_qrels(f.qrels, ds, f.relevance_threshold, &warnings));
    } else if (f.relevance == "graded" && !ds.judgements) {
        set_judgements(ds, judgements_from_test(ds, f.relevance_threshold));
    } else if (f.relevance == "binary" && ds.judgements) {
        throw Error("--relevance binary: a search dataset's queries are judged with grades; leave out --relevance");
    } else if (f.threshold_given && !ds.judgements) {
        throw Error("--relevance-threshold needs graded relevance: give --qrels QRELS, --relevance graded (the test "
                    "interactions' weights, e.g. MovieLens ratings), or a search dataset's queries");
    }
    return ds;
}

// have_embeddings: a model is loaded (the default similarity is then embedding, else category).
inline EvaluationOptions to_options(const EvaluateFlags &f, bool have_embeddings = true)
{
    EvaluationOptions o;
    o.k = f.k;
    o.pool = f.pool;
    o.device = f.device;
    o.category_level = f.category_level;
    o.compute_auc = !f.no_auc;
    o.rerank_path = f.scalar_rerank ? RerankPath::per_user
                    : f.batched_rerank ? RerankPath::batched
                                       : RerankPath::automatic;
    o.threads = f.threads;
    if (!f.shard.empty()) {
        if (f.partial.empty())
            throw Error("--shard " + f.shard + " needs --partial OUT.part: a shard writes a partial state for "
                        "'reclens-cli merge'");
        std::tie(o.shard, o.shards) = parse_shard(f.shard);
    }
    o.rerank.method = parse_rerank_method(f.rerank);
    if (!(f.diversity >= 0.0 && f.diversity <= 1.0))
        throw Error("--diversity " + std::to_string(f.diversity) +
                    " is outside [0,1]: use 0 for the model's order up to 1 for the most diverse lists");
    o.rerank.diversity = f.diversity;
    o.rerank.similarity = parse_similarity(f.similarity.empty() ? (have_embeddings ? "embedding" : "category")
                                                                : f.similarity);
    o.rerank.category_level = f.category_level;
    o.rerank.max_per_category = f.max_per_category;
    o.rerank.max_per_brand = f.max_per_brand;
    o.rerank.k = f.k;
    if (f.k < 1)
        throw Error("--k " + std::to_string(f.k) + " must be at least 1");
    if (f.pool < 1)
        throw Error("--pool " + std::to_string(f.pool) + " must be at least 1");
    if (f.category_level < 0)
        throw Error("--category-level must be >= 0 (0 = deepest level)");
    if (o.rerank.method == RerankMethod::caps && f.max_per_category == 0 && f.max_per_brand == 0)
        throw Error("--rerank caps needs --max-per-category N and/or --max-per-brand N");
    return o;
}

// Writes the shard's partial state (--partial) of `runs` over the dataset of f.data (its SHA-256
// taken here) and prints one line about it.
inline void write_shard_partial(const Dataset &dataset, const EvaluateFlags &f, const std::string &kind,
                                std::span<const ShardRun> runs)
{
    const std::string data_hash = sha256_file(f.data, "dataset (--data)");
    write_partial(make_partial(dataset, f.data, data_hash, kind, runs), f.partial);
    const EvaluationResult &r = *runs.front().result;
    std::printf("shard %d/%d: %zu of the run's %zu users on %s (%s); partial state written to %s\n", r.shard, r.shards,
                r.users.size(), r.run_users, r.device.c_str(), kind.c_str(), f.partial.c_str());
}

} // namespace reclens::cli

#pragma once
// End-to-end evaluation (DESIGN §4 evaluate, §5): score_top(pool) for the evaluated users ->
// re-rank -> per-user metrics, aggregates and strata, plus the final lists and timings per stage.
// No torch types here.
#include "core/common/progress.h"
#include "core/data/runfile.h"
#include "core/metrics/metrics.h"
#include "core/models/model.h"
#include "core/rerank/reranker.h"
#include "core/scoring/scorer.h"

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace reclens {

// Which re-ranker implementation evaluate() runs (both give the same lists, DESIGN §6).
enum class RerankPath {
    automatic, // batched libtorch on CUDA; the threaded per-user loop on the CPU (faster there)
    per_user,  // Reranker::rerank per user, threaded
    batched,   // Reranker::rerank_batch on the scoring device (CPU too: for tests and benchmarks)
};

struct EvaluationOptions {
    int k = 10;
    int pool = 100;                  // candidates per user before re-ranking (raised to k if smaller)
    std::string device = "auto";     // auto | cpu | cuda | cuda:N
    RerankOptions rerank;            // rerank.k is overwritten by k
    int category_level = 0;          // metrics' level; 0 = deepest
    bool compute_auc = true;         // per-user and pooled AUC need every item's score
    RerankPath rerank_path = RerankPath::automatic;
    std::vector<int32_t> users;      // subset of users to evaluate; empty = all evaluated users
    int threads = 0;                 // CPU threads for the metric stage; 0 = hardware concurrency
    // DESIGN §12: of the run's users (all evaluated users, or `users`), this shard evaluates those
    // with dataset index % shards == shard; its pooled-AUC counts still rank against every run
    // user's positives, so the shards' counts add up to the whole run's (merge_partials).
    int shard = 0;
    int shards = 1;
};

// The pooled AUC's exact state: AUC = (2PN − twice_rank) / 2PN (pooled_auc_from_ranks). A shard's
// twice_rank and negatives cover its own users' negatives, ranked among all run users' positives.
struct PooledAucParts {
    PairCount twice_rank = 0;
    int64_t positives = 0;
    int64_t negatives = 0;
};

struct EvaluationResult {
    int k = 0;
    int pool = 0;
    std::string device;
    RerankOptions rerank;
    int category_level = 0;                    // resolved level
    std::vector<int32_t> users;                // evaluated users (dataset indices), ascending
    std::vector<std::vector<int32_t>> lists;   // final list per user
    std::vector<std::vector<float>> scores;    // model score per list entry
    std::vector<UserMetrics> per_user;
    std::map<std::string, double> metrics;     // every DESIGN §5 name -> value (NaN when undefined)
    Strata strata;
    std::map<std::string, double> timing_ms;   // scoring, rerank, metrics, auc, total
    std::vector<UserStratumFacts> stratum_facts; // per user: what the strata are combined from
    bool counted_auc = false;                  // auc and auc_pooled were counted (not --no-auc)
    PooledAucParts auc_parts;                  // what metrics["auc_pooled"] came from
    std::vector<std::string> warnings;         // one line each: what the caller should be told
    bool from_run = false;                     // the lists came from a run (DESIGN §11), not a model
    std::string run_format;                    // then "trec" or "csv"
    std::string source_name;                   // the model's name or the run's tag (a TREC export's tag)
    std::string requests = "users";            // "users" or "queries" (DESIGN §11)
    std::string conventions = "reclens";       // "trec_eval" when relevance comes from judgements (§11)
    std::string relevance_source;              // then the qrels file (or the dataset's judgements)
    double relevance_threshold = 1;            // and the grade from which an item is relevant
    int64_t requests_left_out = 0;             // judged requests the run does not list (not averaged)
    int shard = 0, shards = 1;                 // EvaluationOptions::shard/shards
    size_t run_users = 0;                      // users of the whole run (all shards)
};

// Throws Error on bad options (K larger than the ranking universe of every user, bad device, bad
// re-rank options), Cancelled when progress returns false.
EvaluationResult evaluate(const Model &model, const EvaluationOptions &options, const ProgressFn &progress = {});

// A run's lists instead of a model's scores (DESIGN §11): each user's candidates are the run's list
// without the user's train items, its first `pool` entries, with the run's scores (re-rankers use
// them). Users the run has no list for get an empty list (warnings says how many). `model`, when
// given, only lends its item embeddings (embedding similarity, ild_embedding); it must be on the
// same dataset. The AUC is the run's by rank (run_auc). Throws Error as evaluate() does.
EvaluationResult evaluate(const Run &run, const Dataset &dataset, const Model *model, const EvaluationOptions &options,
                          const ProgressFn &progress = {});

// Per-user AUC of `users` (NaN where a class is missing) and the pooled AUC, from every item's score
// (the scorer's own floats: Model::Impl::score_rows or score_generic_row). With want_curve, also the
// exact pooled ROC curve (corner points). Throws Cancelled when progress returns false.
struct AucResult {
    std::vector<double> per_user;
    double pooled = kNaN;
    PooledAucParts pooled_parts;
    RocCurve pooled_curve;
    // Per positive, what the AUC of a re-ranked list needs (reranked_auc): rows as per_user, row r's
    // positives at [positive_offsets[r], positive_offsets[r + 1]) — T_u ascending, each one's score
    // (a run's: minus its place, -inf unlisted) and its twice_below count over the user's negatives.
    std::vector<size_t> positive_offsets;
    std::vector<int32_t> positive_items;
    std::vector<float> positive_scores;
    std::vector<int64_t> positive_twice;
    std::vector<int64_t> negatives; // per row: |universe \ T_u|
};
// What lists come from (DESIGN §11): a model's scores, or a run's lists, which a model may lend its
// item embeddings to (embedding similarity, ild_embedding). The CLI, the GUI's all-user runs and
// sweeps and its per-user view all go through it, so a run's lists are the same everywhere.
struct RankingSource {
    const Dataset *dataset = nullptr;
    const Model *model = nullptr; // the scorer; with a run, only the lender of item embeddings
    const Run *run = nullptr;

    RankingSource() = default;
    RankingSource(const Model &m) : dataset(&m.dataset()), model(&m) {} // NOLINT: a model is a source
    RankingSource(const Run &r, const Dataset &ds, const Model *lender = nullptr) : dataset(&ds), model(lender), run(&r) {}
    std::string name() const; // the model's name or the run's tag
    std::span<const float> item_embeddings() const;
    int dim() const;
};

EvaluationResult evaluate(const RankingSource &source, const EvaluationOptions &options,
                          const ProgressFn &progress = {});

// Whether a run re-ranks (DESIGN §5: any method but none, rules included): its AUC is then the AUC
// of the re-ranked list (reranked_auc), not the model order's.
bool reranks(const RerankOptions &rerank);

// ---- Score once, analyse many (DESIGN §13) ------------------------------------------------------
// evaluate() is score() then measure(). Scoring is the expensive stage; a ScoredSource holds all that
// any re-ranking of the same source at the same k and pool needs — each user's candidate pool, what
// each user's AUC needs (per positive, the negatives below it) and the pooled AUC's counts (and,
// when asked, the pooled ROC curve) — so the workspace's re-ranked run, δ sweep, rule costs,
// compared sources and pooled ROC measure it again and again without scoring a user twice.
// Only k, pool, the users (or shard), the source or the dataset make a new one necessary.
struct ScoredSource {
    RankingSource source;        // the caller keeps what it points at alive
    EvaluationResult facts;      // k, pool, device, users, source and request facts, warnings, shard;
                                 // no lists, no metrics
    Candidates candidates;       // row r is facts.users[r]
    bool counted_auc = false;    // options.compute_auc: auc is filled
    AucResult auc;               // the model order's per-user AUC, the pooled AUC's parts, per positive
                                 // counts; pooled_curve when score() was asked for it
    bool auc_by_place = false;   // a run: a candidate's AUC score is minus its place (run_auc)
    int asked_pool = 0;          // max(options.pool, k) as asked (a run's depth may lower facts.pool)
    std::map<std::string, double> timing_ms; // scoring, auc (auc_positives, auc_counting on the CPU)

    // Whether these candidates serve a measure with `options` (its k and pool are the scored ones).
    bool fits(const EvaluationOptions &options) const
    {
        return options.k == facts.k && std::max(options.pool, options.k) == asked_pool;
    }
};

// Scores `source` for options' k, pool, device, threads, users and shard (the re-ranking and the
// level are measure()'s). pooled_curve: also the exact pooled ROC curve (the GUI's plot; slower).
// Throws Error as evaluate() does, Cancelled when progress returns false.
ScoredSource score(const RankingSource &source, const EvaluationOptions &options, const ProgressFn &progress = {},
                   bool pooled_curve = false);

// Re-ranks the scored candidates with options.rerank and measures the lists at options'
// category_level: per-user metrics (the AUC of a re-ranked list when options re-rank), aggregates,
// strata, auc_pooled (the model's scores). options' k and pool must be those scored (Error
// otherwise); compute_auc false leaves auc and auc_pooled undefined. timing_ms: rerank, auc,
// metrics, total (of this stage). Thread-safe on a shared ScoredSource.
EvaluationResult measure(const ScoredSource &scored, const EvaluationOptions &options, const ProgressFn &progress = {});

// measure(scored, base with rerank.diversity = δ) for each δ of `deltas`, each result the same,
// handed to `take` (δ's index, result) one at a time: each user's candidates are re-ranked at every
// δ in one go (Reranker::rerank_deltas: prepared once, similarities computed once for all δ). The
// per-user path only (the δ sweep on the CPU); every δ's lists are held until the last result is
// handed over. Throws as measure() does.
void measure_deltas(const ScoredSource &scored, const EvaluationOptions &base, std::span<const double> deltas,
                    const std::function<void(size_t, EvaluationResult &&)> &take, const ProgressFn &progress = {});

// One item's score for `user` on the scale of the AUC's positives: the model's own float (the
// CPU kernel's), or a run's minus its place among the user's kept list (-inf unlisted). For list
// entries outside the candidate pool (a pinned item).
float item_auc_score(const RankingSource &source, int32_t user, int32_t item);

// A run's candidates for `users` (DESIGN §11): each list without the user's train items, its first
// `pool` entries, with the run's scores. *without: users left with an empty list; *train_listed:
// listed items dropped as train items.
Candidates run_candidates(const Run &run, const Dataset &dataset, std::span<const int32_t> users, int pool,
                          int64_t *without = nullptr, int64_t *train_listed = nullptr);

// Every item's score as a run ranks them for `user`: minus the place (from 1) for listed items,
// one below the run's deepest place for all others (tied below, as run_auc counts them). user_roc
// of these is the run's per-user ROC.
std::vector<float> run_scores_all(const Run &run, const Dataset &dataset, int32_t user);

// The run-level numbers of a result whose users, lists, per_user, stratum_facts and auc_parts are
// filled: metrics (per-user means, auc_pooled, the aggregates) and strata. The last step of
// evaluate(), and of merge_partials() (core/analysis/shard.h), so both give the same doubles.
void summarise(EvaluationResult &r, int32_t n_items, int64_t head_items, int64_t tail_items);

// threads: 0 = every core. pooled_users: as AucCounter's (empty = users).
AucResult compute_auc(const Model &model, std::span<const int32_t> users, const ProgressFn &progress = {},
                      bool want_curve = false, int threads = 0, std::span<const int32_t> pooled_users = {});

// A run's AUC (DESIGN §11): per user, the listed items (train items left out) rank by their place
// in the list and every unlisted item of the universe ties below them; pooled, a listed item's score
// is minus its place, an unlisted one's -inf, across all pooled_users' positives (empty = users).
AucResult run_auc(const Run &run, const Dataset &dataset, std::span<const int32_t> users,
                  std::span<const int32_t> pooled_users = {});

// The pooled ROC curve of all evaluated users (what the GUI draws): by compute_auc for a model;
// for a run over run_scores_all, the order run_auc counts.
RocCurve pooled_roc(const RankingSource &source, const ProgressFn &progress = {});


} // namespace reclens

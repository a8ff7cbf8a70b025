#pragma once
// Metric engine (DESIGN §5): accuracy, beyond-accuracy, ROC/AUC, aggregates and strata.
// Pure C++ (no torch, no Qt): ui/ and the CLI include this header directly.
//
// Conventions (see docs/metrics.md):
// - Per-user values are double; NaN means "undefined for this user" (e.g. auc without both classes,
//   ild_* of a list with fewer than two items, ild_embedding without model embeddings) and is left
//   out of the mean over users.
// - K is the nominal list length: precision = hits / K even when the list is shorter than K.
// - Everything here is a pure function of its arguments; a MetricContext is immutable once built
//   and may be shared by any number of threads.
#include "core/data/dataset.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reclens {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Per-user metrics of one list, in this order (also the column order of --per-user CSV).
enum class MetricId : int {
    precision,
    recall,
    f1,
    hit_rate,
    ndcg,
    map,
    mrr,
    auc,
    ild_embedding,
    ild_category,
    category_count,
    entropy,
    calibration_kl,
    novelty,
    arp,
    long_tail_share,
};
inline constexpr int kUserMetricCount = 16;
// The accuracy metrics (first kAccuracyMetricCount MetricIds): the ones reported per stratum.
inline constexpr int kAccuracyMetricCount = 8;

enum class MetricKind { Accuracy, BeyondAccuracy, Aggregate };

struct MetricInfo {
    std::string_view name;        // exactly as DESIGN §5 (JSON keys, CSV columns)
    std::string_view formula;     // plain-text formula for display beside the value
    std::string_view description; // one short sentence
    MetricKind kind;
    bool per_user;                // false for auc_pooled and the aggregates
    bool higher_is_better;
};

// All 21 metrics of DESIGN §5 in display order.
std::span<const MetricInfo> metric_catalog();
// nullptr when unknown.
const MetricInfo *find_metric(std::string_view name);
// Formula / description of a metric; throws Error for an unknown name.
std::string metric_formula(std::string_view name);
// The formula under a result's conventions: "trec_eval" (relevance from judgements, DESIGN §11)
// gives trec_eval's definition of the accuracy metrics; anything else the DESIGN §5 one.
std::string metric_formula(std::string_view name, std::string_view conventions);
std::string metric_description(std::string_view name);
// A metric's name as shown beside a run's value (DESIGN §5): auc_pooled of a re-ranked run reads
// "auc_pooled (model scores)" (it describes the model's scores, not the lists); others their name.
std::string metric_label(std::string_view name, bool reranked_run);
// Name of a per-user metric.
std::string_view metric_name(MetricId id);

struct UserMetrics {
    std::array<double, kUserMetricCount> values{};
    int hits = 0;      // relevant items within the list (<= K)
    int test_size = 0; // |T_u|
    int list_size = 0; // items actually in the list (may be < K)
    double operator[](MetricId id) const { return values[static_cast<size_t>(id)]; }
    double &operator[](MetricId id) { return values[static_cast<size_t>(id)]; }
};

// Head items: the most popular items (popularity descending, ties by item index ascending) whose
// train interactions (Csr nnz of the items) first reach `share` of all train interactions.
// Returns is_head per item (1 = head). No train interactions -> no head.
std::vector<uint8_t> compute_head(const Dataset &dataset, double share = 0.8);

// Embeddings with fewer dimensions carry no notion of similarity (a one-column "embedding" is a
// score): ild_embedding is undefined for them.
inline constexpr int kMinEmbeddingDim = 2;

// Everything the per-list metrics need, precomputed once per (dataset, level, embeddings).
class MetricContext {
public:
    // category_level: 1..H, or 0 = the deepest level H. Levels beyond H are clamped to H.
    // item_embeddings: row-major n_items x dim (empty, or dim < kMinEmbeddingDim -> ild_embedding is
    // NaN). The span must outlive the context (a Model's embeddings do).
    explicit MetricContext(const Dataset &dataset, int category_level = 0, std::span<const float> item_embeddings = {},
                           int dim = 0);

    const Dataset &dataset() const { return *m_dataset; }
    int level() const { return m_level; } // resolved level (0 only when the dataset has no categories)
    bool has_embeddings() const { return m_dim > 0; }
    int dim() const { return m_dim; }

    // Category bucket of an item at the context's level: a category index, or unknown_bucket()
    // for items without category.
    int32_t bucket(int32_t item) const { return m_bucket[static_cast<size_t>(item)]; }
    int32_t unknown_bucket() const { return static_cast<int32_t>(m_dataset->categories.size()); }
    int32_t n_buckets() const { return unknown_bucket() + 1; }

    bool is_head(int32_t item) const { return m_head[static_cast<size_t>(item)] != 0; }
    std::span<const uint8_t> head() const { return m_head; }
    int32_t head_size() const { return m_head_size; }

    // 1 - cos(e_a, e_b); an all-zero embedding row has cosine 0 with everything.
    double embedding_distance(int32_t a, int32_t b) const;
    // out[j] = embedding_distance(a, others[j]), the same doubles, four sums at a time (ILD's pairs).
    void embedding_distances(int32_t a, std::span<const int32_t> others, std::span<double> out) const;
    // Unit-normalised embedding row (float, length dim()).
    std::span<const float> unit_embedding(int32_t item) const
    {
        return {m_unit.data() + static_cast<size_t>(item) * static_cast<size_t>(m_dim), static_cast<size_t>(m_dim)};
    }

    // Train-history shares of a user at the context level, as sparse (bucket, share) pairs sorted by
    // bucket. Empty when the user has no train items.
    std::vector<std::pair<int32_t, double>> history_distribution(int32_t user) const;

private:
    const Dataset *m_dataset;
    int m_level = 0;
    int m_dim = 0;
    std::vector<int32_t> m_bucket;
    std::vector<uint8_t> m_head;
    int32_t m_head_size = 0;
    std::vector<float> m_unit; // unit-normalised embeddings
};

// Per-user metrics of one final list (best first) at nominal length k. `auc` is stored as given
// (compute it with user_auc from all-item scores; NaN if unknown). Fast: O(|L|^2 + |L| log|T_u|).
// A user with an empty test set gets NaN accuracy metrics.
UserMetrics user_metrics(const MetricContext &ctx, int32_t user, std::span<const int32_t> list, int k,
                         double auc = kNaN);

// Binary-relevance test set T_u: distinct test items not in train_u, ascending.
std::vector<int32_t> test_set(const Dataset &dataset, int32_t user);
// Users with a non-empty T_u, ascending.
std::vector<int32_t> evaluated_users(const Dataset &dataset);

// ---- ROC / AUC -------------------------------------------------------------------------------
// Exact ROC curve as scikit-learn's roc_curve(drop_intermediate=False): one point per distinct
// score (tied scores merged into one point), preceded by (0,0) with threshold +inf.
struct RocCurve {
    std::vector<double> fpr;
    std::vector<double> tpr;
    std::vector<double> thresholds;
    double auc = kNaN;
    int64_t positives = 0;
    int64_t negatives = 0;
};

// Generic ROC and AUC (ties count 1/2) of scores with 0/1 labels; NaN AUC without both classes.
RocCurve roc_curve(std::span<const float> scores, std::span<const uint8_t> labels);
double roc_auc(std::span<const float> scores, std::span<const uint8_t> labels);

// The per-user AUC's count for one positive score p: 2 · (scores below p) + (scores equal to p),
// i.e. Σ [s < p] + [s ≤ p], in one vector pass. Summed over a user's positives and divided by
// user_auc_from_counts (NaN without both classes), it is the per-user AUC; the scoring pass's
// counter (core/analysis/auccounter.h) and user_auc both go through these two.
int64_t twice_below(std::span<const float> scores, float p);
// Σ over positives of twice_below(scores, p), one pass over the scores (AVX2 where the CPU has it,
// eight positives compared per loaded vector).
int64_t twice_below_all(std::span<const float> scores, std::span<const float> positives);
// The same count kept per positive: out[j] += twice_below(scores, positives[j]) (one pass).
void twice_below_each(std::span<const float> scores, std::span<const float> positives, std::span<int64_t> out);
double user_auc_from_counts(int64_t twice, int64_t positives, int64_t negatives);

// Per-user AUC / ROC over the ranking universe (all items not in train_u; positives T_u) from the
// scores of all items in dataset order (Model::score_all). Items scored -inf still take part.
double user_auc(const Dataset &dataset, int32_t user, std::span<const float> all_scores);

// What a user's AUC needs, per positive (T_u ascending): its score and twice_below over the user's
// negatives (the universe without T_u): 2 · (negatives scoring below it) + (negatives tied with it).
// Their sum over user_auc_from_counts is the plain per-user AUC; reranked_auc needs them one by one.
struct PositiveCounts {
    std::vector<int32_t> items;   // T_u, ascending
    std::vector<float> scores;    // each positive's score
    std::vector<int64_t> twice;   // each positive's count
    int64_t negatives = 0;        // |universe \ T_u|
};
PositiveCounts positive_counts(const Dataset &dataset, int32_t user, std::span<const float> all_scores);

// The AUC of a re-ranked list (DESIGN §5): the user's ranking is `list` strictly in list order, then
// every other universe item in score order (ties ½). list_scores: each list entry's score on the
// positives' scale (a model's float; a run's minus its place); train: the user's train items,
// ascending (a list entry among them is outside the universe and not counted); positives as
// PositiveCounts. NaN without both classes. The one function behind evaluate's, the users table's,
// the Summary's, the ROC legend's and the report's re-ranked AUC.
double reranked_auc(std::span<const int32_t> list, std::span<const float> list_scores, std::span<const int32_t> train,
                    std::span<const int32_t> positives, std::span<const float> positive_scores,
                    std::span<const int64_t> positive_twice, int64_t negatives);
// The same from every item's scores (the interactive path: one user).
double reranked_user_auc(const Dataset &dataset, int32_t user, std::span<const float> all_scores,
                         std::span<const int32_t> list);
RocCurve user_roc(const Dataset &dataset, int32_t user, std::span<const float> all_scores);

// ROC over the candidate pool only, where re-ranking acts: the ranking is `list` (the final list, in
// order) followed by the pool's other items in pool (model) order; positives are the user's test
// items among them. Re-ranking the top K reorders the pool's head, which moves this curve visibly,
// while the curve over every item barely moves (DESIGN §7; docs/metrics.md).
RocCurve pool_roc(const Dataset &dataset, int32_t user, std::span<const int32_t> pool, std::span<const int32_t> list);

// Appends the point (fp / c.negatives, tp / c.positives) at `threshold` unless it repeats the last
// one: how a pooled curve is built from counts (c.positives and c.negatives set first).
void append_roc_point(RocCurve &c, int64_t fp, int64_t tp, double threshold);

// 128-bit counts of (positive, negative) pairs: 1M users x 100k items with 2^32 positives still fit.
__extension__ typedef unsigned __int128 PairCount;

// The pooled AUC from exact integer counts: twice_rank_sum = Σ over negatives of (2 · positives
// scoring below it + positives scoring equal), so AUC = (2PN − sum) / (2PN). NaN without both classes.
// PooledAucCounter (core/metrics/pooledauc.h) and PooledAucAccumulator both end here, so they give
// the same double.
double pooled_auc_from_ranks(PairCount twice_rank_sum, int64_t positives, int64_t negatives);

// Pooled AUC over all (user, item) pairs of many users, exact, in O(total pairs) after sorting the
// positives: negatives are placed among the sorted positive scores through a bucket table.
// Usage: add(...) every user's universe scores (thread-compatible: one accumulator per thread,
// then merge()), then auc()/curve().
class PooledAucAccumulator {
public:
    // Positive scores of all users must be known first (they define the thresholds).
    explicit PooledAucAccumulator(std::vector<float> positive_scores);
    // Counts negatives: every score in `scores` whose item is not a positive of that user. The caller
    // passes only negatives.
    void add_negatives(std::span<const float> negative_scores);
    void add_negative(float score);
    void merge(const PooledAucAccumulator &other);
    double auc() const;
    // Exact pooled ROC curve reduced to its corner points (collinear points dropped).
    RocCurve curve() const;

private:
    size_t slot(float score) const;
    std::vector<float> m_pos;          // distinct positive scores, ascending
    std::vector<int64_t> m_pos_count;  // positives per distinct score
    std::vector<int64_t> m_neg_equal;  // negatives equal to m_pos[j]
    std::vector<int64_t> m_neg_below;  // negatives strictly between m_pos[j-1] and m_pos[j]
    int64_t m_neg_above = 0;           // negatives above the largest positive
    std::vector<uint32_t> m_bucket_start; // bucket table: first positive of each bucket
    // Buckets split [m_lo, last positive] linearly when the positives are finite and not all equal
    // (scores cluster in a narrow range, where float bit patterns would crowd a few buckets);
    // otherwise they follow the float bit pattern.
    bool m_linear = false;
    float m_lo = 0.0f;
    float m_scale = 0.0f;
    size_t bucket(float score) const;
    int64_t m_negatives = 0;
};

// ---- aggregates and distributions ----------------------------------------------------------------
struct AggregateMetrics {
    double catalog_coverage = kNaN;
    double gini = kNaN;
    double exposure_entropy = kNaN;
    double personalization = kNaN; // NaN with fewer than two lists
};
// lists: the final list of every evaluated user; k: the nominal K (personalization's divisor).
AggregateMetrics aggregate_metrics(const Dataset &dataset, std::span<const std::vector<int32_t>> lists, int k);
// The same from the catalogue size alone (a merge of shard partials has no dataset).
AggregateMetrics aggregate_metrics(int32_t n_items, std::span<const std::vector<int32_t>> lists, int k);
// Exposure count per item over the lists.
std::vector<int64_t> exposure_counts(int32_t n_items, std::span<const std::vector<int32_t>> lists);

struct CategoryShare {
    int32_t category = -1; // index into Dataset::categories at the level; -1 = unknown bucket
    int64_t count = 0;
    double share = 0;
};
// Category distribution of a list / of a user's train history at `level` (0 = deepest), sorted by
// category index with the unknown bucket last.
std::vector<CategoryShare> category_shares(const Dataset &dataset, std::span<const int32_t> items, int level = 0);
std::vector<CategoryShare> history_shares(const Dataset &dataset, int32_t user, int level = 0);

// ---- strata --------------------------------------------------------------------------------------
struct PopularityStratum {
    int64_t items = 0;      // catalogue items in the stratum
    int64_t test_items = 0; // sum over users of |T_u ∩ stratum|
    int64_t hits = 0;       // sum over users of hits among those
    int64_t users = 0;      // users with at least one test item in the stratum
    double recall = kNaN;   // hits / test_items (pooled)
    double hit_rate = kNaN; // share of those users with >= 1 hit in the stratum
};

struct UserGroupStratum {
    std::string name;       // "low"/"mid"/"high" or a segment name ("(none)" for no segment)
    int64_t users = 0;
    int64_t train_min = 0, train_max = 0; // train interactions range within the group
    std::array<double, kAccuracyMetricCount> metrics{}; // means of the accuracy metrics (MetricId order)
};

struct Strata {
    PopularityStratum head, tail;
    std::vector<UserGroupStratum> activity; // terciles by train count: low, mid, high
    std::vector<UserGroupStratum> segments; // by Dataset::user_segment, sorted by name
};

// What the strata need to know of one evaluated user besides their metrics: enough to combine the
// strata of users evaluated apart (shards, DESIGN §12) without the dataset.
struct UserStratumFacts {
    int64_t train = 0;        // train interactions (activity terciles)
    std::string segment;      // Dataset::user_segment ("" = none)
    int64_t head_test = 0, head_hits = 0; // |T_u ∩ head| and the hits among them
    int64_t tail_test = 0, tail_hits = 0;
    bool operator==(const UserStratumFacts &) const = default;
};
UserStratumFacts stratum_facts(const MetricContext &ctx, int32_t user, std::span<const int32_t> list);

// users[i] (ascending dataset indices: they break ties of the terciles) with facts[i] and
// per_user[i]; head_items/tail_items: catalogue items in each popularity stratum.
Strata combine_strata(std::span<const int32_t> users, std::span<const UserStratumFacts> facts,
                      std::span<const UserMetrics> per_user, int64_t head_items, int64_t tail_items);

// users[i] has list lists[i] and per-user metrics per_user[i]: stratum_facts, then combine_strata.
Strata compute_strata(const MetricContext &ctx, std::span<const int32_t> users,
                      std::span<const std::vector<int32_t>> lists, std::span<const UserMetrics> per_user);

// Mean of each per-user metric over users, NaN entries left out (NaN if no defined entry).
std::array<double, kUserMetricCount> mean_metrics(std::span<const UserMetrics> per_user);

} // namespace reclens

#pragma once
// Re-rankers of DESIGN §6: mmr, dpp, calibrated, caps, and merchandising rules.
// One knob, diversity δ in [0,1]: 0 = the model's own order, 1 = strongest diversification.
// No torch types here (ui/ includes this header); the batched libtorch version lives in
// reranker_batch.cpp.
//
// Threading: a Reranker is immutable after construction; rerank() may be called from any number of
// threads at once.
#include "core/common/progress.h"
#include "core/data/dataset.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reclens {

enum class RerankMethod { none, mmr, dpp, calibrated, caps };
enum class SimilarityKind { embedding, category };

// Parse/print names as used by the CLI ("none", "mmr", ...); parse throws Error on unknown names.
RerankMethod parse_rerank_method(std::string_view name);
std::string_view rerank_method_name(RerankMethod method);
SimilarityKind parse_similarity(std::string_view name);
std::string_view similarity_name(SimilarityKind kind);

// A merchandising rule, applied before the re-ranker (exclude, boost, bury) or after it (pin).
struct MerchRule {
    enum class Kind { exclude_item, exclude_category, exclude_brand, boost_category, boost_brand, bury_category,
                      bury_brand, pin_item };
    bool operator==(const MerchRule &) const = default;
    Kind kind = Kind::exclude_item;
    int32_t target = -1;  // item index, category index (any level: matches the item's whole path) or brand index
    double factor = 1.0;  // boost/bury: r̂' = r̂ * factor + amount (bury uses r̂ / factor - amount)
    double amount = 0.0;
    int rank = 1;         // pin_item: 1-based rank in the final list
};

// Names of rule kinds as sessions and explanations spell them ("exclude_item", "boost_category", ...).
std::string_view rule_kind_name(MerchRule::Kind kind);
MerchRule::Kind parse_rule_kind(std::string_view name); // throws Error on unknown names

struct RerankOptions {
    RerankMethod method = RerankMethod::none;
    double diversity = 0.0;                       // δ in [0,1]
    SimilarityKind similarity = SimilarityKind::embedding;
    int category_level = 0;                       // 0 = deepest level
    int max_per_category = 0;                     // caps; 0 = no cap
    int max_per_brand = 0;                        // caps; 0 = no cap
    int k = 10;                                   // list length returned
    std::vector<MerchRule> rules;
    bool operator==(const RerankOptions &) const = default;
};

// Throws Error naming the option when δ is outside [0,1] or NaN, k < 1, caps < 0, a rule target is
// out of range for `dataset`, or embedding similarity is asked for without embeddings.
void validate(const RerankOptions &options, const Dataset &dataset, bool have_embeddings);

// Pairwise similarity of items: embedding = cosine of the unit-normalised (float) model item
// embeddings, summed in double; category = 1 - d(i,j) of DESIGN §5. Immutable, thread-safe.
class SimilarityProvider {
public:
    // item_embeddings: row-major n_items x dim; copied and unit-normalised.
    SimilarityProvider(const Dataset &dataset, SimilarityKind kind, std::span<const float> item_embeddings = {},
                       int dim = 0);
    SimilarityKind kind() const { return m_kind; }
    double similarity(int32_t a, int32_t b) const;
    // Row-major n x n similarity of `items` into `out` (size n*n).
    void matrix(std::span<const int32_t> items, std::span<double> out) const;
    const Dataset &dataset() const { return *m_dataset; }
    int dim() const { return m_dim; }
    std::span<const float> unit_embeddings() const { return m_unit; }

private:
    const Dataset *m_dataset;
    SimilarityKind m_kind;
    int m_dim = 0;
    std::vector<float> m_unit;
};

// The similarities among one list's candidates, for the greedy re-rankers (MMR, DPP) that ask one
// picked candidate against all the others at each step. With embeddings the candidates' unit vectors
// are laid out in panels of four candidates, dimension by dimension (d × 4 doubles a panel), so that
// a row of similarities is n sums taken four at a time with vector instructions where the CPU has
// AVX2: each sum the same additions in the same order as similarity() (a float times a float is
// exact in a double), so the same double.
// A row is computed when first asked and kept, so the re-rankings of one list at several δ
// (Reranker::rerank_deltas) share the rows of the candidates they pick alike. Not thread-safe.
class CandidateSimilarities {
public:
    CandidateSimilarities(const SimilarityProvider &sim, std::span<const int32_t> items);
    // Row a: [i] = sim.similarity(items[a], items[i]) for every candidate i.
    std::span<const double> row(size_t a) const;

private:
    void compute(size_t a, double *out) const;

    const SimilarityProvider *m_sim;
    std::span<const int32_t> m_items;
    size_t m_stride = 0;                      // a row's length: n rounded up to whole panels
    mutable std::unique_ptr<double[]> m_rows; // n rows of m_stride, row a valid where m_ready[a]
    mutable std::vector<uint8_t> m_ready;
    std::vector<double> m_panels; // [n / 4][d][4]: the candidates' unit vectors; empty for categories
};

// Why an item of a re-ranked list stands where it does, in the terms of DESIGN §6 (docs/rerankers.md).
// NaN / -1 where a term does not apply to the kind.
struct RerankReason {
    enum class Kind {
        model_order, // no re-ranking (method none, or δ = 0): the model's order after the rules
        mmr,         // picked by MMR: gain = relevance − diversity
        dpp,         // picked by the DPP's greedy MAP: gain = d_i², its marginal gain (det ratio)
        calibrated,  // picked by the calibrated greedy: gain = relevance − diversity
        caps,        // kept in model order within the caps
        filled,      // the re-ranker stopped or skipped it: filled in model order to reach K
        pinned,      // placed at its rank by a pin rule
    };
    Kind kind = Kind::model_order;
    int step = 0;            // the greedy step that picked it (1 = first), 0 when not picked by one
    double rhat = std::numeric_limits<double>::quiet_NaN();      // r̂_i as the re-ranker saw it
    double relevance = std::numeric_limits<double>::quiet_NaN(); // MMR, calibrated: (1−δ)·r̂_i
    double diversity = std::numeric_limits<double>::quiet_NaN(); // MMR: δ·max_{j∈S} sim(i,j); calibrated: δ·Δ KL
    double gain = std::numeric_limits<double>::quiet_NaN();      // the value the greedy step maximised
    int32_t because = -1;    // MMR: the chosen item j of the largest sim(i,j), whose penalty it paid
    double similarity = std::numeric_limits<double>::quiet_NaN(); // MMR: sim(i, because)
    std::vector<int> rules;  // indices into RerankOptions::rules that boosted, buried or pinned it
};

// One line for a person: "MMR step 3: relevance 0.412 − diversity 0.300 (sim 0.60 with «Milk»,
// already chosen) = 0.112; boosted by rule 1 (boost_category)". Item titles from `dataset`.
std::string describe(const RerankReason &reason, const Dataset &dataset, const RerankOptions &options);

// A final list: items best first with their model scores (NaN for a pinned item that was not
// among the candidates), and, from Reranker::explain only, why each item is there.
struct RerankedList {
    std::vector<int32_t> items;
    std::vector<float> scores;
    std::vector<RerankReason> reasons; // empty, or one per item
};

namespace rerank_detail {
struct Prepared;
}

class Reranker {
public:
    // Validates options (throws Error). `dataset` must outlive the Reranker; embeddings are copied.
    Reranker(const Dataset &dataset, RerankOptions options, std::span<const float> item_embeddings = {}, int dim = 0);
    // With a similarity built once and shared (the GUI keeps one per model and kind, so a δ tick
    // does not copy and normalise every item embedding again). `similarity` may be null when the
    // method needs none; otherwise its kind must be options.similarity (throws Error).
    Reranker(const Dataset &dataset, RerankOptions options, std::shared_ptr<const SimilarityProvider> similarity);
    ~Reranker();

    const RerankOptions &options() const { return m_options; }
    const Dataset &dataset() const { return *m_dataset; }

    // Per-user scalar re-ranking. items/scores: the candidate pool, best first (model order).
    // Returns min(k, usable candidates) items (plus pinned items). Deterministic.
    RerankedList rerank(int32_t user, std::span<const int32_t> items, std::span<const float> scores) const;
    // rerank() at each δ of `deltas` (the other options this Reranker's), the same lists: the
    // candidates are prepared once and their similarities computed once for all δ (the δ sweep).
    std::vector<RerankedList> rerank_deltas(int32_t user, std::span<const int32_t> items, std::span<const float> scores,
                                            std::span<const double> deltas) const;
    // rerank()'s list (the same steps, item for item) with the reason of each item filled in.
    RerankedList explain(int32_t user, std::span<const int32_t> items, std::span<const float> scores) const;

    // Batched libtorch version for many users at once on `device` ("cpu", "cuda", "cuda:N", "auto").
    // Row r: candidates items[r*pool .. r*pool+count[r]) with scores; returns lists identical to
    // rerank() for every row. Throws Cancelled when progress returns false.
    std::vector<RerankedList> rerank_batch(std::span<const int32_t> users, std::span<const int32_t> items,
                                           std::span<const float> scores, std::span<const int32_t> count, int pool,
                                           const std::string &device = "cpu", const ProgressFn &progress = {}) const;

    const SimilarityProvider *similarity() const { return m_similarity.get(); }

private:
    RerankedList run(int32_t user, std::span<const int32_t> items, std::span<const float> scores, bool explain) const;
    // The re-ranking at δ of prepared candidates, with their similarities when the method needs them.
    RerankedList run_at(int32_t user, const rerank_detail::Prepared &p, std::span<const int32_t> items,
                        std::span<const float> scores, double delta, const CandidateSimilarities *similarities,
                        bool explain) const;

    const Dataset *m_dataset;
    RerankOptions m_options;
    std::shared_ptr<const SimilarityProvider> m_similarity;
    std::vector<int32_t> m_bucket; // category at the chosen level per item; n_categories = unknown
};

// Whether this libtorch build sees a CUDA device (tests and tools choose the batched device by it).
bool cuda_available();

// Min-max normalisation of scores over the pool (all 1 when equal; -inf scores count as the minimum
// of the finite ones).
std::vector<double> normalise_scores(std::span<const float> scores);

} // namespace reclens

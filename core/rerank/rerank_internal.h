#pragma once
// Internal to core/rerank: the steps shared by the scalar and the batched re-rankers, so both see
// exactly the same inputs (rules applied, r̂, kernel weights) and finish lists the same way.
#include "core/rerank/reranker.h"

#include <cmath>
#include <vector>

namespace reclens::rerank_detail {

// Throws Error unless δ is in [0, 1] (validate() and Reranker::rerank_deltas).
void check_diversity(double delta);

// Candidates after exclusion and boost/bury, in the order the re-rankers call "model order".
struct Prepared {
    std::vector<int32_t> items;
    std::vector<float> scores; // model scores (for output)
    std::vector<double> rhat;  // min-max normalised (adjusted) scores, non-increasing
};

Prepared prepare(const Dataset &ds, const RerankOptions &o, std::span<const int32_t> items,
                 std::span<const float> scores);

// Whether `rule` applies to `item` (exclude, boost/bury: the item, its brand, or any category on its
// path; pin: the item): the one test prepare() and the explanations share.
bool rule_applies(const Dataset &ds, const MerchRule &rule, int32_t item);

// Completes a selection (positions into Prepared, best first): fills up to k from the unselected
// positions in model order, applies pin rules and truncates to k.
RerankedList finish(const Dataset &ds, const RerankOptions &o, const Prepared &p, std::vector<int> selected,
                    std::span<const int32_t> items, std::span<const float> scores);

// DPP quality exponent α = θ / (2(1 − θ)), θ = 1 − δ (DESIGN §6); +inf for δ = 0.
inline double dpp_alpha(double delta)
{
    const double theta = 1.0 - delta;
    return theta / (2.0 * (1.0 - theta));
}

// Kernel weight q_i = exp(α r̂_i); for α > 50 it is exp(α (r̂_i − 1)) instead (the same kernel up to
// a constant factor, which the greedy argmax ignores) so that q² cannot overflow.
inline double dpp_quality(double alpha, double rhat)
{
    return alpha > 50.0 ? std::exp(alpha * (rhat - 1.0)) : std::exp(alpha * rhat);
}

inline constexpr double kDppStop = 1e-10;

// Calibrated gain term: change of p_c·log2(p_c / q̃_c) when category c goes from n to n+1 items in
// a list of m items (q̃ = 0.99·n/m + 0.01·p_c).
inline double calibration_step(double pc, double n, double m)
{
    const double before = pc * std::log2(pc / (0.99 * (n / m) + 0.01 * pc));
    const double after = pc * std::log2(pc / (0.99 * ((n + 1.0) / m) + 0.01 * pc));
    return after - before;
}

// Bucket (category at the chosen level, or n_categories for none) per item.
std::vector<int32_t> item_buckets(const Dataset &ds, int level);

} // namespace reclens::rerank_detail

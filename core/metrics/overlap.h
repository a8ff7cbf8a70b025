#pragma once
// How much two ranked lists of the same request agree: set overlap (Jaccard) and rank-biased
// overlap (Webber, Moffat & Zobel 2010), which weights agreement at the top more. The inspector's
// pair table and the lists export use these; docs/metrics.md gives the formulas.
// Pure C++ (no torch, no Qt). Lists hold distinct item indices; negative entries are skipped.
#include <cstdint>
#include <span>

namespace reclens {

// |A ∩ B| / |A ∪ B|; NaN when both lists are empty.
double jaccard(std::span<const int32_t> a, std::span<const int32_t> b);

// Extrapolated rank-biased overlap RBO_ext of two lists of possibly different lengths (Webber et
// al. 2010, eq. 32; for equal lengths (1−p)/p · Σ_{d≤k} p^d·X_d/d + p^k·X_k/k with X_d the number of
// items the two depth-d prefixes share). 1 for identical lists, 0 for disjoint ones; NaN when both
// are empty. p in (0, 1): the weight of depth d falls like p^d (p = 0.9 puts 86% on the top 10).
double rank_biased_overlap(std::span<const int32_t> a, std::span<const int32_t> b, double p = 0.9);

} // namespace reclens

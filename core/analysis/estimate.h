#pragma once
// Numbers first, exact after (DESIGN §7): while the exact all-user run is still being computed, the
// per-user means of a seeded uniform sample of users, each with a 95% interval. One function draws
// the sample and one estimates, for the workspace, the benchmarks and the tests alike.
#include "core/analysis/evaluation.h"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace reclens {

// The seed the workspace draws its samples with (the same users every time for the same dataset).
inline constexpr uint64_t kEstimateSeed = 20261207;
// Users in the workspace's first estimate.
inline constexpr size_t kEstimateUsers = 2000;
// Fewer sample users than this away from the sample's most common value make an estimate rough:
// shown, and said to be rough (MetricEstimate::rough).
inline constexpr int64_t kEstimateMinOffMode = 30;

// `n` of `users` drawn uniformly without replacement (std::mt19937_64 seeded with `seed`, Floyd's
// algorithm over positions), returned ascending; all of them when n >= users.size().
std::vector<int32_t> sample_users(std::span<const int32_t> users, size_t n, uint64_t seed);

struct MetricEstimate {
    double mean = kNaN;       // mean over the sample's users with the metric defined
    double half_width = kNaN; // of the 95% interval: mean ± half_width
    int64_t off_mode = 0;     // sample users whose value is not the sample's most common one
    int64_t n = 0;            // sample users with the metric defined
    // A normal interval needs enough users away from the most common value: per-user accuracy is
    // mostly zeros (and a category count mostly K), and with few exceptions in the sample the
    // interval is too narrow (it covers less than 95% of the time). Such an estimate is rough.
    bool rough() const { return off_mode < kEstimateMinOffMode; }
};

// What a sample says of the whole run: per per-user metric (MetricId order) the sample mean and its
// 95% interval, 1.96 · s / √n · √((N − n) / (N − 1)) (s the sample standard deviation with n − 1,
// N the population; the finite population correction makes it 0 when the sample is everyone).
// Aggregates that are not means of users (coverage, Gini, exposure entropy, personalization,
// auc_pooled) are not estimated: a sample's lists cannot say them (coverage, for one, only grows
// with more users).
struct RunEstimate {
    std::array<MetricEstimate, kUserMetricCount> metrics{};
    size_t sample = 0;     // users sampled
    size_t population = 0; // users of the exact run
};

// `sample`: a run over sampled users (per_user filled); population: the exact run's user count.
RunEstimate estimate_run(const EvaluationResult &sample, size_t population);

// Whether the workspace shows estimates first for a run over `users` evaluated users: past four
// samples' worth (below that, the exact run takes about as long as the sample's would).
inline bool worth_estimating(size_t users)
{
    return users > 4 * kEstimateUsers;
}

// The first stage of "numbers first": score() over sample_users(all evaluated users, n, seed) with
// options' k, pool and device (nothing else of the sample depends on the re-ranking, so one sample
// serves every later estimate_measure). Throws as score() does.
ScoredSource score_sample(const RankingSource &source, const EvaluationOptions &options, size_t n = kEstimateUsers,
                          uint64_t seed = kEstimateSeed, const ProgressFn &progress = {});

// measure() of the sample with `options` (its re-ranking), estimated for `population` users.
RunEstimate estimate_measure(const ScoredSource &sample, const EvaluationOptions &options, size_t population);

} // namespace reclens

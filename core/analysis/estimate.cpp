#include "core/analysis/estimate.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <unordered_set>

namespace reclens {

std::vector<int32_t> sample_users(std::span<const int32_t> users, size_t n, uint64_t seed)
{
    if (n >= users.size())
        return {users.begin(), users.end()};
    // Floyd: for j in [N − n, N), draw t in [0, j]; take t unless taken, else j. Uniform over
    // n-subsets, n draws.
    std::mt19937_64 rng(seed);
    std::unordered_set<size_t> taken;
    const size_t total = users.size();
    for (size_t j = total - n; j < total; ++j) {
        const size_t t = std::uniform_int_distribution<size_t>(0, j)(rng);
        taken.insert(taken.count(t) ? j : t);
    }
    std::vector<size_t> at(taken.begin(), taken.end());
    std::sort(at.begin(), at.end());
    std::vector<int32_t> out;
    out.reserve(at.size());
    for (const size_t i : at)
        out.push_back(users[i]);
    std::sort(out.begin(), out.end());
    return out;
}

RunEstimate estimate_run(const EvaluationResult &sample, size_t population)
{
    RunEstimate out;
    out.sample = sample.per_user.size();
    out.population = population;
    for (size_t m = 0; m < kUserMetricCount; ++m) {
        double sum = 0;
        int64_t n = 0;
        for (const UserMetrics &u : sample.per_user)
            if (!std::isnan(u.values[m])) {
                sum += u.values[m];
                ++n;
            }
        MetricEstimate &e = out.metrics[m];
        e.n = n;
        if (n == 0)
            continue;
        e.mean = sum / static_cast<double>(n);
        if (n < 2)
            continue; // one value says nothing of the spread
        double squares = 0;
        std::vector<double> values;
        values.reserve(static_cast<size_t>(n));
        for (const UserMetrics &u : sample.per_user)
            if (!std::isnan(u.values[m])) {
                squares += (u.values[m] - e.mean) * (u.values[m] - e.mean);
                values.push_back(u.values[m]);
            }
        // The most common value's count (the longest run of equal values once sorted).
        std::sort(values.begin(), values.end());
        int64_t mode = 0;
        for (size_t i = 0, j = 0; i < values.size(); i = j) {
            while (j < values.size() && values[j] == values[i])
                ++j;
            mode = std::max(mode, static_cast<int64_t>(j - i));
        }
        e.off_mode = n - mode;
        const double sd = std::sqrt(squares / static_cast<double>(n - 1));
        // The population of users with the metric defined, scaled from the sample's share.
        const double share = static_cast<double>(n) / static_cast<double>(std::max<size_t>(1, out.sample));
        const double big_n = std::max(static_cast<double>(n), share * static_cast<double>(population));
        const double fpc = big_n > 1 ? std::sqrt(std::max(0.0, (big_n - static_cast<double>(n)) / (big_n - 1))) : 0.0;
        e.half_width = 1.96 * sd / std::sqrt(static_cast<double>(n)) * fpc;

    }
    return out;
}

ScoredSource score_sample(const RankingSource &source, const EvaluationOptions &options, size_t n, uint64_t seed,
                          const ProgressFn &progress)
{
    EvaluationOptions o = options;
    o.users = sample_users(evaluated_users(*source.dataset), n, seed);
    o.shard = 0;
    o.shards = 1;
    return score(source, o, progress);
}

RunEstimate estimate_measure(const ScoredSource &sample, const EvaluationOptions &options, size_t population)
{
    return estimate_run(measure(sample, options), population);
}

} // namespace reclens

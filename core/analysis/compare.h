#pragma once
// Paired comparison of two evaluation runs over the same users (two models, or one model before and
// after re-ranking): per metric the delta of means, paired t-test and Wilcoxon signed-rank p-values
// and a bootstrap 95% CI of the mean difference. Conventions follow scipy (see docs/metrics.md).
#include "core/analysis/evaluation.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace reclens {

struct PairedTest {
    int64_t n = 0;            // pairs with both values defined
    double mean_a = kNaN, mean_b = kNaN;
    double delta = kNaN;      // mean(b - a)
    double p_paired_t = kNaN; // two-sided, scipy.stats.ttest_rel
    double p_wilcoxon = kNaN; // two-sided, scipy.stats.wilcoxon defaults (zero_method='wilcox')
    double ci95_low = kNaN, ci95_high = kNaN; // percentile bootstrap of mean(b - a)
};

// Two-sided paired t-test p of b - a (NaN for n < 2; 1 when all differences are 0, like scipy's nan
// is avoided: see docs).
double paired_t_p(std::span<const double> a, std::span<const double> b);
// Wilcoxon signed-rank two-sided p as scipy 1.10 wilcoxon(a, b): zero differences dropped;
// exact distribution when n <= 50 and no ties, else normal approximation with tie correction and
// no continuity correction.
double wilcoxon_p(std::span<const double> a, std::span<const double> b);
// Percentile bootstrap CI of mean(b - a): `resamples` resamples of the pairs with std::mt19937_64
// seeded with `seed`, indices by std::uniform_int_distribution... (see docs/metrics.md for the exact
// index draw), 2.5% and 97.5% percentiles by linear interpolation (numpy default).
std::pair<double, double> bootstrap_ci95(std::span<const double> a, std::span<const double> b, int resamples = 1000,
                                         uint64_t seed = 42);
// bootstrap_ci95 of several samples of differences (b - a, NaN pairs already dropped), each exactly
// what bootstrap_ci95 gives it alone; samples of one length share the draws (compare_runs).
std::vector<std::pair<double, double>> bootstrap_ci95_each(std::span<const std::vector<double>> differences,
                                                           int resamples = 1000, uint64_t seed = 42);
// All of the above, NaN pairs dropped.
PairedTest paired_test(std::span<const double> a, std::span<const double> b);

struct MetricComparison {
    std::string metric;
    double value_a = kNaN, value_b = kNaN; // run metrics (means or aggregates)
    PairedTest test;                        // per-user metrics only (n = 0 for aggregates)
    // Holm-corrected p-values when this comparison is one of several against the same baseline
    // (compare_to_baseline); NaN for a comparison made on its own.
    double p_paired_t_holm = kNaN, p_wilcoxon_holm = kNaN;
};

struct ComparisonResult {
    std::vector<int32_t> users; // common users
    std::vector<MetricComparison> metrics; // DESIGN §5 order
    // The runs evaluated different requests (runs under trec_eval's conventions average over the
    // judged requests each lists): value_a/value_b of the per-user metrics are then the means over
    // the shared `users`, so that b − a is the delta; a_users/b_users say how many each had.
    bool shared_only = false;
    size_t a_users = 0, b_users = 0;
};

// Pairs users present in both runs. Throws Error when the runs share no user.
ComparisonResult compare_runs(const EvaluationResult &a, const EvaluationResult &b);

// Holm's step-down adjustment of a family of p-values (statsmodels multipletests(method='holm')):
// sorted ascending, p_(i) becomes max over j <= i of min(1, (m - j + 1) p_(j)), returned in the
// input order. NaN entries stay NaN and are not counted in the family size m.
std::vector<double> holm_adjust(std::span<const double> p);

// Every run of `others` against `baseline` (compare_runs each), with Holm-corrected p-values: for
// each metric and each test (paired t, Wilcoxon) the family is that metric's comparisons of all
// `others` with the baseline (docs/metrics.md). Throws Error as compare_runs does.
std::vector<ComparisonResult> compare_to_baseline(const EvaluationResult &baseline,
                                                  std::span<const EvaluationResult *const> others);

} // namespace reclens

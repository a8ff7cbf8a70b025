// The run-level numbers of an evaluation from its per-user rows (core/analysis/evaluation.h):
// the last step of evaluate() and of merge_partials(). No model, no torch.
#include "core/analysis/evaluation.h"

namespace reclens
{

void summarise(EvaluationResult &r, int32_t n_items, int64_t head_items, int64_t tail_items)
{
    r.metrics.clear();
    const auto means = mean_metrics(r.per_user);
    for (int i = 0; i < kUserMetricCount; ++i)
        r.metrics[std::string(metric_name(static_cast<MetricId>(i)))] = means[static_cast<size_t>(i)];
    r.metrics["auc_pooled"]
        = pooled_auc_from_ranks(r.auc_parts.twice_rank, r.auc_parts.positives, r.auc_parts.negatives);
    const auto agg = aggregate_metrics(n_items, r.lists, r.k);
    r.metrics["catalog_coverage"] = agg.catalog_coverage;
    r.metrics["gini"] = agg.gini;
    r.metrics["exposure_entropy"] = agg.exposure_entropy;
    r.metrics["personalization"] = agg.personalization;
    r.strata = combine_strata(r.users, r.stratum_facts, r.per_user, head_items, tail_items);
}

} // namespace reclens

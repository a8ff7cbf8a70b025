#include "core/analysis/sweep.h"

#include "core/common/error.h"

#include <algorithm>
#include <optional>

namespace reclens {

std::vector<double> default_sweep_deltas()
{
    std::vector<double> d;
    for (int i = 0; i <= 10; ++i)
        d.push_back(static_cast<double>(i) / 10.0);
    return d;
}

std::string sweep_diversity_metric(const RankingSource &source, const RerankOptions &rerank)
{
    const bool embeddings = source.dim() >= kMinEmbeddingDim && !source.item_embeddings().empty();
    return embeddings && rerank.similarity == SimilarityKind::embedding ? "ild_embedding" : "ild_category";
}

namespace {

// Whether measure() gives the same lists and list metrics under a and b (the AUC, the threads and
// the re-ranking path aside: the batched path gives the same lists).
bool same_measure(const EvaluationOptions &a, const EvaluationOptions &b)
{
    RerankOptions ra = a.rerank, rb = b.rerank;
    ra.k = a.k;
    rb.k = b.k;
    return a.k == b.k && std::max(a.pool, a.k) == std::max(b.pool, b.k) && ra == rb
           && a.category_level == b.category_level && a.users == b.users && a.shard == b.shard
           && a.shards == b.shards;
}

} // namespace

SweepCurve diversity_sweep(const ScoredSource &scored, const EvaluationOptions &base, const std::vector<double> &deltas,
                           const std::string &accuracy_metric, const std::string &diversity_metric,
                           const ProgressFn &progress, std::span<const MeasuredRun> measured)
{
    for (const auto *name : {&accuracy_metric, &diversity_metric})
        if (!find_metric(*name))
            throw Error("δ sweep: unknown metric '" + *name + "'");
    SweepCurve curve;
    curve.accuracy_metric = accuracy_metric;
    curve.diversity_metric = diversity_metric;
    const double n = static_cast<double>(std::max<size_t>(1, deltas.size()));
    for (size_t i = 0; i < deltas.size(); ++i) {
        EvaluationOptions o = base;
        o.compute_auc = false;
        o.rerank.diversity = deltas[i];
        const ProgressFn step = progress ? ProgressFn([&, i](double f, std::string_view) {
            return progress((static_cast<double>(i) + f) / n, "δ sweep");
        })
                                         : ProgressFn{};
        const auto known = std::find_if(measured.begin(), measured.end(), [&](const MeasuredRun &m) {
            return m.result && same_measure(m.options, o);
        });
        std::optional<EvaluationResult> fresh;
        if (known == measured.end())
            fresh = measure(scored, o, step);
        const EvaluationResult &r = fresh ? *fresh : *known->result;
        curve.delta.push_back(deltas[i]);
        curve.diversity.push_back(r.metrics.at(diversity_metric));
        curve.accuracy.push_back(r.metrics.at(accuracy_metric));
    }
    return curve;
}

} // namespace reclens

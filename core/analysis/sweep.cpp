#include "core/analysis/sweep.h"

#include "core/common/error.h"

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

SweepCurve diversity_sweep(const ScoredSource &scored, const EvaluationOptions &base, const std::vector<double> &deltas,
                           const std::string &accuracy_metric, const std::string &diversity_metric,
                           const ProgressFn &progress)
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
        const EvaluationResult r = measure(scored, o, step);
        curve.delta.push_back(deltas[i]);
        curve.diversity.push_back(r.metrics.at(diversity_metric));
        curve.accuracy.push_back(r.metrics.at(accuracy_metric));
    }
    return curve;
}

} // namespace reclens

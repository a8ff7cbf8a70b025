#include "core/analysis/sweep.h"

#include "core/common/error.h"

#include <algorithm>

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
    curve.delta = deltas;
    curve.diversity.assign(deltas.size(), kNaN);
    curve.accuracy.assign(deltas.size(), kNaN);
    auto keep = [&](size_t i, const EvaluationResult &r) {
        curve.diversity[i] = r.metrics.at(diversity_metric);
        curve.accuracy[i] = r.metrics.at(accuracy_metric);
    };
    // The points a measured run already gives, then every other δ re-ranked in one go.
    EvaluationOptions o = base;
    o.compute_auc = false;
    std::vector<size_t> rest;
    for (size_t i = 0; i < deltas.size(); ++i) {
        o.rerank.diversity = deltas[i];
        const auto known = std::find_if(measured.begin(), measured.end(), [&](const MeasuredRun &m) {
            return m.result && same_measure(m.options, o);
        });
        if (known != measured.end())
            keep(i, *known->result);
        else
            rest.push_back(i);
    }
    std::vector<double> rest_deltas;
    for (const size_t i : rest)
        rest_deltas.push_back(deltas[i]);
    if (!rest.empty()) {
        const ProgressFn step = progress ? ProgressFn([&](double f, std::string_view) { return progress(f, "δ sweep"); })
                                         : ProgressFn{};
        measure_deltas(scored, o, rest_deltas, [&](size_t j, EvaluationResult &&r) { keep(rest[j], r); }, step);
    }
    return curve;
}

} // namespace reclens

#pragma once
// The accuracy–diversity trade-off over all users (DESIGN §7): measure() at several δ with every
// other setting fixed. One function for the GUI's trade-off plot, reports and scripts.
#include "core/analysis/evaluation.h"

#include <span>
#include <string>
#include <vector>

namespace reclens {

struct SweepCurve {
    std::string accuracy_metric;  // y, e.g. "ndcg"
    std::string diversity_metric; // x, e.g. "ild_embedding"
    std::vector<double> delta;    // ascending, as given
    std::vector<double> diversity;
    std::vector<double> accuracy;
};

// The δ values of the GUI's sweep: 0, 0.1, ..., 1.
std::vector<double> default_sweep_deltas();

// The diversity metric a sweep plots for `rerank` on `model`: ild_embedding when the re-ranker
// diversifies by embeddings and the model has usable ones, else ild_category.
std::string sweep_diversity_metric(const RankingSource &source, const RerankOptions &rerank);

// A run that measure() already gave from the same scored candidates, with the options it was given.
struct MeasuredRun {
    EvaluationOptions options;
    const EvaluationResult *result = nullptr;
};

// measure(scored, base with rerank.diversity = δ, no AUC) for each δ: one scoring for the whole
// sweep (DESIGN §13). A point whose measure is one of `measured` (the same k, pool, level, users and
// re-ranking; the workspace's re-ranked run) takes that run's values instead of measuring again.
// Throws Error for an unknown metric name or bad options, Cancelled when progress returns false.
SweepCurve diversity_sweep(const ScoredSource &scored, const EvaluationOptions &base, const std::vector<double> &deltas,
                           const std::string &accuracy_metric, const std::string &diversity_metric,
                           const ProgressFn &progress = {}, std::span<const MeasuredRun> measured = {});

} // namespace reclens

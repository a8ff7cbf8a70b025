#pragma once
// Per-user and pooled AUC counted from score tiles (DESIGN §5, §8): the positives (every user's test
// items) are scored first, a sparse job of Σ|T_u| pairs, so each tile of a user's scores can be
// counted while it is in cache — inside the scorer's pass (score_top's ScoreObserver) or in
// compute_auc's own single pass — and nothing is scored twice. Exact: integer counts of
// (positive, negative) pairs, ties ½, ±inf included, the same for any tiling or thread count.
#include "core/analysis/evaluation.h"
#include "core/metrics/pooledauc.h"
#include "core/scoring/scorer.h"

#include <memory>
#include <optional>

namespace reclens {

class AucCounter final : public ScoreObserver {
public:
    // Scores the positives of `users` (rows) with the model's own floats (Model::Impl::score_items),
    // on up to `threads` threads. want_curve also counts the pooled ROC curve (the GUI's plot) with
    // a PooledCurveCounter, every point an exact point of the full curve. pooled_users (ascending, a
    // superset of users; empty =
    // users): whose positives the pooled AUC ranks each negative among. A shard (DESIGN §12) counts
    // its own users' negatives against every user's positives, so shards' counts simply add up.
    AucCounter(const Model &model, std::span<const int32_t> users, int threads, bool want_curve,
               std::span<const int32_t> pooled_users = {});

    // ScoreObserver: row's scores of items [t0, t0 + scores.size()).
    void row_tile(size_t row, int64_t t0, std::span<const float> scores, size_t worker) override;

    // Once every row has been seen in full.
    AucResult result() const;

    double positives_ms() const { return m_positives_ms; } // scoring the positives
    // Time spent counting, summed over the workers and divided by their number: the share of a
    // fused pass's wall time that is the AUC's.
    double counting_ms() const;

private:
    struct alignas(64) Worker {
        PooledAucCounter::Tally tally;
        std::vector<int64_t> curve; // PooledCurveCounter's counts (empty without the curve)
        double ms = 0;
        size_t tiles = 0;
    };
    const Dataset &m_ds;
    std::span<const int32_t> m_users;
    std::vector<std::vector<int32_t>> m_test;  // T_u per row, ascending
    std::vector<std::vector<float>> m_pos;     // their scores
    std::vector<std::vector<int64_t>> m_twice; // per row and positive: 2·below + equal over negatives
    std::unique_ptr<PooledAucCounter> m_counter;
    std::unique_ptr<PooledCurveCounter> m_curve;
    std::vector<Worker> m_workers;
    double m_positives_ms = 0;
};

} // namespace reclens

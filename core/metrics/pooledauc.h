#pragma once
// Exact pooled AUC against a fixed set of positive scores (every evaluated user's test items,
// scored before the pass), counting negatives fast enough to run inside the scoring pass (DESIGN
// §8), at any number of positives.
//
// A negative's contribution is its rank among the positives: 2 · (positives below) + (positives
// equal). Two arithmetic steps find its cell: one of a few equal bins over the positives' range (one,
// or 4096 when one would crowd), then that bin's own linear grid, with cells in proportion to its
// values (~8 per distinct value while that fits 2^20 cells, 16 MiB; at least 2 per value beyond),
// so dense regions get fine cells. A cell holds at most two distinct
// values and twice the count below it (a crowded cell, or a value tied more than 65535 times: a
// binary search among that cell's values). Scores
// are taken in batches, cell indices first, so the look-ups of many scores are in flight together.
// Integer counts throughout: the result does not depend on order, chunking or threads.
#include "core/metrics/metrics.h"

#include <cstdint>
#include <span>
#include <vector>

namespace reclens {

class PooledAucCounter {
public:
    // NaN positives are refused (Error); ±inf and -0 take part as floats compare.
    explicit PooledAucCounter(std::vector<float> positive_scores);

    // One thread's counts.
    struct Tally {
        PairCount twice_rank = 0; // Σ twice_rank(score) over the counted negatives (mod 2^128)
        int64_t negatives = 0;
        void merge(const Tally &other)
        {
            twice_rank += other.twice_rank;
            negatives += other.negatives;
        }
    };

    // 2 · (positives below s) + (positives equal to s). s must not be NaN.
    uint64_t twice_rank(float s) const;
    // Counts every score as a negative / takes one counted negative back out.
    void add(std::span<const float> scores, Tally &tally) const;
    void remove(float score, Tally &tally) const;

    int64_t positives() const { return m_positives; }
    double auc(const Tally &tally) const { return pooled_auc_from_ranks(tally.twice_rank, m_positives, tally.negatives); }
    // Share of grid cells that need the binary search (tests, benchmarks).
    double slow_cell_share() const;

private:
    struct Cell {
        float v0, v1;    // the cell's distinct values (+inf when absent); v0 NaN: a crowded cell,
                         // v1's bits then the index of its first value and c0 | c1 << 16 how many
        uint32_t base2;  // twice the finite positives in lower cells
        uint16_t c0, c1; // counts of v0, v1
    };

    struct Bin {
        float lo = 0, scale = 0, last = 0; // cell = offset + min(last, (s − lo) · scale)
        uint32_t offset = 0;
    };
    // Builds the grid over n_bins bins; returns the share of values in crowded cells.
    double build(size_t n_bins);
    uint32_t bin(float s) const;
    uint32_t cell(float s) const;
    uint64_t in_cell(const Cell &c, float s) const;
    uint64_t searched(const Cell &c, float s) const;
    uint64_t sum_avx2(const float *scores, size_t n) const; // x86-64 with AVX2 only

    int64_t m_positives = 0;
    uint64_t m_neg_inf = 0, m_pos_inf = 0; // positives at -inf / +inf
    std::vector<Cell> m_cells;
    struct ValueRecord {
        float value;
        uint64_t count; // positives equal to value
        uint64_t below; // finite positives below it
    };
    std::vector<ValueRecord> m_records; // distinct finite positive values, ascending, with counts
    uint64_t m_finite = 0;              // finite positives
    std::vector<Bin> m_bins;
    float m_lo = 0.0f, m_bin_scale = 0.0f, m_bin_last = 0.0f; // bin = min(last, (s − lo) · scale)
};

} // namespace reclens

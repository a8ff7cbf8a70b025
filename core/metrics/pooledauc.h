#pragma once
// Exact pooled AUC against a fixed set of positive scores (every evaluated user's test items,
// scored before the pass), counting negatives fast enough to run inside the scoring pass (DESIGN
// §8), at any number of positives.
//
// A negative's contribution is its rank among the positives: 2 · (positives below) + (positives
// equal). The distinct finite positive values are records {value, twice the positives below it},
// ascending. Two arithmetic steps find a score's grid cell: one of a few equal bins over the
// positives' range (one, or 4096 when one would crowd), then that bin's own linear grid, with cells
// in proportion to its values (8 per distinct value while the cells fit 16 MiB, at least 2 beyond),
// so dense regions get fine cells. A cell is one 32-bit index: its first record. The grid is
// monotone, so every record before it is below the score and every record of a later cell above
// it: four records compared with the score settle its rank (the first of them not below it, equal
// or not), and only a cell of more than four values below the score needs a search. Ties cost
// nothing: equal positives are one record. Scores are taken in batches, cell indices and records
// fetched a batch ahead, so the look-ups of many scores are in flight together. Integer counts
// throughout: the result does not depend on order, chunking or threads.
#include "core/metrics/metrics.h"

#include <cstdint>
#include <span>
#include <string>
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
    // Share of the distinct values that lie in cells of four or more, where a score above four of
    // them takes a search (tests, benchmarks).
    double slow_cell_share() const;
    // Bytes of the look-up structures (cells and records).
    size_t bytes() const;

private:
    struct Record {
        float value;          // a distinct finite positive score; NaN in the padding after the last
        uint32_t twice_below; // 2 · (finite positives below value); the padding: 2 · all finite
    };
    struct Bin {
        float lo = 0, scale = 0, last = 0; // cell = offset + min(last, (s − lo) · scale)
        uint32_t offset = 0;
    };
    // Builds the grid over n_bins bins; returns the share of values in crowded cells.
    double build(size_t n_bins);
    uint32_t bin(float s) const;
    uint32_t cell(float s) const;
    // The finite positives' part of twice_rank, from the score's first candidate record k.
    uint64_t from_record(uint32_t k, float s) const;
    uint64_t searched(uint32_t k, uint32_t end, float s) const; // s's place among records [k, end)
    // Σ of the finite part of twice_rank over scores. x86-64 with AVX2 only.
    uint64_t sum_avx2(const float *scores, size_t n) const;
    uint64_t infinite_part(float s) const;

    int64_t m_positives = 0;
    uint64_t m_neg_inf = 0, m_pos_inf = 0; // positives at -inf / +inf
    size_t m_distinct = 0;                 // distinct finite values; m_records has padding beyond
    std::vector<Record> m_records;
    std::vector<uint32_t> m_first; // per cell: the index of its first record (cells + 1 entries)
    std::vector<Bin> m_bins;
    float m_lo = 0.0f, m_bin_scale = 0.0f, m_bin_last = 0.0f; // bin = min(last, (s − lo) · scale)
};

// The pooled ROC curve's counting for the GUI's plot, beside the exact AUC in the scoring pass:
// every score goes to one of kBuckets equal-width buckets over the positives' central range
// [lo, hi] (their 0.1% and 99.9% points), or to the slot below lo or the slot above hi. The
// bucket is ⌊(s − lo) · scale⌋ in float, so it never decreases as the score grows: each bucket is a
// run of consecutive scores, and the negatives and positives at or above a bucket's lower edge are
// exactly those of the first distinct score in it. Every point drawn is therefore a point of the
// exact (scikit-learn, all thresholds) curve; between points the plot draws straight lines. The
// cost is a few vector operations and one increment a score: no look-up structure, so it stays
// cheap at any number of positives. Counts are kept in kCopies interleaved copies so that runs of
// scores in one bucket do not wait on each other's increments.
class PooledCurveCounter {
public:
    static constexpr int32_t kBuckets = 4096;
    static constexpr size_t kCopies = 4;
    // NaN positives are refused (Error), as by PooledAucCounter.
    explicit PooledCurveCounter(std::span<const float> positive_scores);
    // The slot of a score: 0 below lo, 1 + bucket in [lo, hi], kBuckets + 1 above hi (NaN: slot 1).
    int32_t slot(float s) const;
    // Room for one thread's counts (slots() · kCopies, zero).
    std::vector<int64_t> make_counts() const { return std::vector<int64_t>(slots() * kCopies, 0); }
    size_t slots() const { return static_cast<size_t>(kBuckets) + 2; }
    // Counts every score as a negative / takes one counted negative back out.
    void add(std::span<const float> scores, std::span<int64_t> counts) const;
    void remove(float score, std::span<int64_t> counts) const;
    // The curve from the threads' counts: (0, 0), a point at each non-empty slot's lower edge from
    // the top, (1, 1); auc is the exact counter's, given. Throws Error when the counts' negatives
    // are not `negatives` (a pass that lost a tile).
    RocCurve curve(std::span<const std::vector<int64_t>> counts, int64_t negatives, double auc) const;

private:
    float m_lo = 0.0f, m_hi = -1.0f, m_scale = 0.0f; // m_hi < m_lo: no positives
    std::vector<int64_t> m_positives;                // per slot
};

} // namespace reclens

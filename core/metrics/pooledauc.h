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
    // ++slots[twice_rank(s)] for every score: a histogram of the scores by their place among the
    // positives (slots has 2 · positives() + 1 entries). The pooled ROC curve's counting.
    void add_to_slots(std::span<const float> scores, std::span<int64_t> slots) const;

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
    // Σ of the finite part of twice_rank over scores; with `slots`, ++slots[twice_rank(s)] for each
    // score instead (the whole twice_rank, infinite positives included). x86-64 with AVX2 only.
    uint64_t sum_avx2(const float *scores, size_t n, int64_t *slots = nullptr) const;
    uint64_t infinite_part(float s) const;

    int64_t m_positives = 0;
    uint64_t m_neg_inf = 0, m_pos_inf = 0; // positives at -inf / +inf
    size_t m_distinct = 0;                 // distinct finite values; m_records has padding beyond
    std::vector<Record> m_records;
    std::vector<uint32_t> m_first; // per cell: the index of its first record (cells + 1 entries)
    std::vector<Bin> m_bins;
    float m_lo = 0.0f, m_bin_scale = 0.0f, m_bin_last = 0.0f; // bin = min(last, (s − lo) · scale)
};

} // namespace reclens

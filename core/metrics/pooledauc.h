#pragma once
// Exact pooled AUC against a fixed set of positive scores (every evaluated user's test items,
// scored before the pass), counting negatives fast enough to run inside the scoring pass (DESIGN
// §8), at any number of positives.
//
// A negative's contribution is its rank among the positives: 2 · (positives below) + (positives
// equal). The distinct finite positive values are records {value, twice the positives below it},
// ascending. A monotone map sends a score to a cell and a fine position in it (2048 a cell): one
// linear grid over the values' range in float steps (a cell per four values) where that crowds no
// cell much, as for small, evenly spread positives; otherwise the score's key, its float's bits in
// the floats' order, whose top 16 bits name a bucket (1/128 of an octave): a bucket of n values has
// ⌈n / 14⌉ cells, and the key's low 16 bits times the cells give cell and position by an integer
// product. Either way a record's cell and position never decrease as its value grows. A cell is
// one 64-byte line: its first record, the positives below it, and for each of its records (up to
// 27) a 16-bit entry, the record's fine position above the tied positives (beyond the first) of the
// cell's records before it, then closing entries that hold them all. A score's rank is the line's
// count plus two for every entry below its fine position and two for every tie before the first
// entry that is not: one line read and two 16-lane compares. Only a score at a record's own
// position (unless each key has a position of its own there, when that record's value is the
// score), one after 15 ties or more, or one in a crowded cell reads the records. The lines take
// about 4.6 bytes a distinct value (4.3 MB at a million) where the records alone take 8, so they
// stay in cache longer. Scores are taken in batches, their lines prefetched a batch ahead, so the
// look-ups of many scores are in flight together. Integer counts throughout: the result does not
// depend on order, chunking or threads.
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
    // Share of the distinct values that lie in crowded cells (more than 27 values), where a score
    // takes a search (tests, benchmarks).
    double slow_cell_share() const;
    // Whether one linear grid serves (small, evenly spread positives) rather than the buckets.
    bool single_grid() const { return m_single; }
    // Bytes of the look-up structures (records, lines, buckets).
    size_t bytes() const;

private:
    struct Record {
        float value;          // a distinct finite positive score; NaN in the padding after the last
        uint32_t twice_below; // 2 · (finite positives below value); the padding: 2 · all finite
    };
    struct Bucket {
        uint32_t offset = 0; // its first cell
        uint32_t cells = 0;  // how many (0 for empty buckets and the slots below and above them all)
    };
    // An entry: a record's fine position in its cell (11 bits) above the tied positives beyond the
    // first of the cell's records before it (4 bits; kMany: that many or more). After the last
    // record, closing entries at position kFine − 1 hold the cell's whole count of ties; a score at
    // that position takes the records' way, so they are never below a score that they should not be.
    static constexpr uint32_t kFineBits = 11;
    static constexpr uint32_t kFine = 1u << kFineBits; // fine positions a cell
    static constexpr uint32_t kValuesPerCell = 14;     // on average, where values are spread evenly
    static constexpr uint32_t kSingleValuesPerCell = 4; // on average over one grid's whole range
    static constexpr uint32_t kEntries = 28; // entries a line: 27 records at most, then a closing one
    static constexpr uint16_t kMany = 15;
    static constexpr uint32_t kCrowded = 0x80000000u; // Line::first's flags: more than 27 records;
    static constexpr uint32_t kExact = 0x40000000u;   // each key its own fine position
    static constexpr uint32_t kIndex = 0x3FFFFFFFu;   // and the record index below them
    struct alignas(64) Line {
        uint32_t first = 0;       // the index of the cell's first record, and the flags
        uint32_t twice_below = 0; // that record's twice_below
        uint16_t entry[kEntries] = {};
    };

    // Sizes the lines for one grid if it serves, with each record's fine position in at.
    bool plan_single(std::vector<uint64_t> &at);
    std::vector<uint64_t> record_positions() const; // fine() of every record
    void plan_buckets();
    void build();
    static uint32_t key(float s); // the float's bits, ordered as floats compare (-0 as +0)
    uint64_t fine(float s) const; // cell · kFine + fine position in it: monotone in s
    // The finite positives' part of twice_rank, from the score's first candidate record k on,
    // among records that are below s until one is not.
    uint64_t from_record(uint32_t k, float s) const;
    uint64_t searched(uint32_t k, uint32_t end, float s) const; // s's place among records [k, end)
    // The finite part of twice_rank, given the score's fine position.
    uint64_t finite_part(uint64_t f, float s) const;
    // Σ of the finite part of twice_rank over scores. x86-64 with AVX2 only.
    uint64_t sum_avx2(const float *scores, size_t n) const;
    void positions_avx2(const float *scores, size_t n, uint32_t *cell, uint16_t *p16) const;
    uint64_t infinite_part(float s) const;

    int64_t m_positives = 0;
    uint64_t m_neg_inf = 0, m_pos_inf = 0; // positives at -inf / +inf
    size_t m_distinct = 0;                 // distinct finite values; m_records has padding beyond
    std::vector<Record> m_records;
    std::vector<Line> m_lines;     // one a cell (buckets: and one above them all)
    std::vector<Bucket> m_buckets; // from m_base − 1 to the largest value's bucket + 1
    uint32_t m_base = 0;           // the smallest value's bucket
    bool m_single = false;         // one linear grid: fine = min(last, (s − lo) · scale)
    float m_lo = 0.0f, m_scale = 0.0f, m_last = 0.0f;
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

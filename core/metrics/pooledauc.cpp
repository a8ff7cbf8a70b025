// Exact pooled AUC counting for the scoring pass (core/metrics/pooledauc.h).
#include "core/metrics/pooledauc.h"

#include "core/common/error.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define RECLENS_POOLED_AVX2 1
#else
#define RECLENS_POOLED_AVX2 0
#endif

namespace reclens {

namespace {

constexpr size_t kBins = 4096;      // 64 KiB of bins: in L2
constexpr double kCellsPerValue = 8;
// 16 MiB of cells stay in the L3 cache; beyond that many values, 2 cells per value still keep
// crowded cells rare (~1%), which matters more than the cache (measured, docs/benchmarks.md: 5M
// positives on 2^20 cells: 55 ns a score, 84% of the cells searched; on 10M cells: 13–15 ns).
constexpr size_t kCacheCells = size_t{1} << 20;
constexpr double kMinCellsPerValue = 2;
constexpr float kInf = std::numeric_limits<float>::infinity();

// A grid coordinate clamped to [0, last]; NaN (0 · inf) and -0 give 0. Written so that the AVX2
// path's max_ps(x, 0) / min_ps(x, last) give the same float for every input.
inline float grid_x(float x, float last)
{
    return std::min(std::max(0.0f, x), last);
}

#if RECLENS_POOLED_AVX2
// The cell indices of scores [from, to) (a multiple of 8 apart), by the same float steps as
// PooledAucCounter::cell(), into out[0, to − from), each cell's line prefetched.
struct GridConstants {
    bool single;
    float lo, scale, last; // the single grid's, or the bins'
    const float *bin_f;    // 16-byte bins {lo, scale, last, offset}
    const int *bin_i;
};

__attribute__((target("avx2"))) void avx2_cell_indices(const float *scores, size_t from, size_t to, int32_t *out,
                                                       const GridConstants &g, const char *cells)
{
    const __m256 zero = _mm256_setzero_ps();
    const __m256 lo = _mm256_set1_ps(g.lo), scale = _mm256_set1_ps(g.scale), last = _mm256_set1_ps(g.last);
    for (size_t i = from; i < to; i += 8) {
        const __m256 x = _mm256_loadu_ps(scores + i);
        __m256 t = _mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(_mm256_sub_ps(x, lo), scale), zero), last);
        __m256i ix = _mm256_cvttps_epi32(t);
        if (!g.single) {
            const __m256i b4 = _mm256_slli_epi32(ix, 2);
            const __m256 blo = _mm256_i32gather_ps(g.bin_f, b4, 4);
            const __m256 bscale = _mm256_i32gather_ps(g.bin_f + 1, b4, 4);
            const __m256 blast = _mm256_i32gather_ps(g.bin_f + 2, b4, 4);
            const __m256i boff = _mm256_i32gather_epi32(g.bin_i + 3, b4, 4);
            t = _mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(_mm256_sub_ps(x, blo), bscale), zero), blast);
            ix = _mm256_add_epi32(_mm256_cvttps_epi32(t), boff);
        }
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(out + (i - from)), ix);
    }
    for (size_t i = from; i < to; ++i)
        _mm_prefetch(cells + static_cast<size_t>(out[i - from]) * 16, _MM_HINT_T0);
}
#endif

} // namespace

PooledAucCounter::PooledAucCounter(std::vector<float> positive_scores)
{
    m_positives = static_cast<int64_t>(positive_scores.size());
    for (float &f : positive_scores) {
        if (std::isnan(f))
            throw Error("pooled AUC: a positive score is NaN");
        if (f == 0.0f)
            f = 0.0f;
    }
    std::sort(positive_scores.begin(), positive_scores.end());
    uint64_t finite = 0;
    for (size_t i = 0; i < positive_scores.size();) {
        size_t j = i;
        while (j < positive_scores.size() && positive_scores[j] == positive_scores[i])
            ++j;
        const float v = positive_scores[i];
        const auto n = static_cast<uint64_t>(j - i);
        if (v == -kInf)
            m_neg_inf += n;
        else if (v == kInf)
            m_pos_inf += n;
        else {
            m_records.push_back({v, n, finite});
            finite += n;
        }
        i = j;
    }
    m_finite = finite;
    if (m_records.empty())
        return;
    // One linear grid first; when scores crowd some part of it (more than 30% of the values sit in
    // cells that need a search), 4096 bins, each with a grid of its own.
    if (build(1) > 0.3)
        build(kBins);
}

double PooledAucCounter::build(size_t n_bins)
{

    // Level 1: kBins equal bins over [smallest, largest]. Level 2: each bin's own linear grid over
    // its values, with cells in proportion to how many it holds: dense regions get fine cells,
    // empty stretches (outliers' gaps) one cell a bin.
    m_lo = m_records.front().value;
    const float range = m_records.back().value - m_lo;
    m_bin_scale = range > 0.0f && std::isfinite(range) ? static_cast<float>(n_bins) / range : 0.0f;
    if (!std::isfinite(m_bin_scale))
        m_bin_scale = 0.0f;
    m_bin_last = static_cast<float>(n_bins - 1);
    m_bins.assign(n_bins, Bin{});
    std::vector<uint32_t> in_bin(n_bins, 0);
    for (const ValueRecord &r : m_records)
        ++in_bin[bin(r.value)];
    const double per = std::clamp(static_cast<double>(kCacheCells) / static_cast<double>(m_records.size()),
                                  kMinCellsPerValue, kCellsPerValue);
    uint64_t offset = 0;
    size_t first = 0;
    for (size_t b = 0; b < n_bins; ++b) {
        Bin &bn = m_bins[b];
        const uint32_t n = in_bin[b];
        const auto cells = std::max<uint32_t>(1, static_cast<uint32_t>(std::ceil(n * per)));
        bn.lo = n > 0 ? m_records[first].value : 0.0f;
        const float width = n > 0 ? m_records[first + n - 1].value - bn.lo : 0.0f;
        bn.scale = width > 0.0f && std::isfinite(width) ? static_cast<float>(cells) / width : 0.0f;
        if (!std::isfinite(bn.scale))
            bn.scale = 0.0f;
        bn.last = static_cast<float>(cells - 1);
        bn.offset = static_cast<uint32_t>(offset);
        offset += cells;
        first += n;
    }
    if (offset >= (uint64_t{1} << 31))
        throw Error("pooled AUC: too many distinct positive scores (" + std::to_string(m_records.size())
                    + ") for the look-up grid");
    const size_t cells = offset;
    // Cells keep twice the positives below them in 32 bits; beyond, every look-up searches.
    const bool all_slow = 2 * m_finite >= (uint64_t{1} << 32);
    m_cells.assign(cells, Cell{kInf, kInf, 0, 0, 0});
    // Values ascend and cell() is monotone, so each cell's values are consecutive.
    size_t v = 0, crowded = 0;
    uint64_t below = 0;
    for (uint32_t c = 0; c < cells; ++c) {
        Cell &cell_c = m_cells[c];
        size_t w = v;
        while (w < m_records.size() && cell(m_records[w].value) == c)
            ++w;
        const size_t n = w - v;
        bool slow = all_slow || n > 2;
        for (size_t q = v; q < w; ++q)
            slow = slow || m_records[q].count > 0xffffu;
        crowded += slow ? n : 0;
        cell_c.base2 = static_cast<uint32_t>(all_slow ? 0 : 2 * below);
        if (slow) { // v0 NaN; v1's bits: the first value's index; c0 | c1 << 16: how many
            cell_c.v0 = std::numeric_limits<float>::quiet_NaN();
            cell_c.v1 = std::bit_cast<float>(static_cast<uint32_t>(v));
            cell_c.c0 = static_cast<uint16_t>(n & 0xffffu);
            cell_c.c1 = static_cast<uint16_t>(n >> 16);
        } else {
            if (n > 0) {
                cell_c.v0 = m_records[v].value;
                cell_c.c0 = static_cast<uint16_t>(m_records[v].count);
            }
            if (n > 1) {
                cell_c.v1 = m_records[v + 1].value;
                cell_c.c1 = static_cast<uint16_t>(m_records[v + 1].count);
            }
        }
        for (size_t q = v; q < w; ++q)
            below += m_records[q].count;
        v = w;
    }
    return static_cast<double>(crowded) / static_cast<double>(m_records.size());
}

inline uint32_t PooledAucCounter::bin(float s) const
{
    // Monotone in s: a correctly rounded subtraction and product, a clamp and a truncation.
    return static_cast<uint32_t>(grid_x((s - m_lo) * m_bin_scale, m_bin_last));
}

inline uint32_t PooledAucCounter::cell(float s) const
{
    const Bin &b = m_bins[bin(s)]; // monotone within the bin, and bins in order: monotone
    return b.offset + static_cast<uint32_t>(grid_x((s - b.lo) * b.scale, b.last));
}

uint64_t PooledAucCounter::searched(const Cell &c, float s) const
{
    // A crowded cell: its values are records [first, first + n), consecutive, and s lies among
    // them: a short scan, or a binary search when there are many (a cell of one tight cluster).
    const size_t first = std::bit_cast<uint32_t>(c.v1);
    const size_t n = static_cast<size_t>(c.c1) << 16 | c.c0;
    const ValueRecord *r = m_records.data() + first;
    size_t j = 0;
    if (n <= 8) {
        while (j < n && r[j].value < s)
            ++j;
    } else {
        j = static_cast<size_t>(
            std::lower_bound(r, r + n, s, [](const ValueRecord &a, float x) { return a.value < x; }) - r);
    }
    if (j == n) // above the cell's values: what lies below the next value, or everything
        return first + n < m_records.size() ? 2 * m_records[first + n].below : 2 * m_finite;
    return 2 * r[j].below + (r[j].value == s ? r[j].count : 0);
}

inline uint64_t PooledAucCounter::in_cell(const Cell &c, float s) const
{
    if (c.v0 != c.v0) [[unlikely]]
        return searched(c, s);
    return c.base2 + static_cast<uint64_t>(c.c0) * ((s >= c.v0) + (s > c.v0))
           + static_cast<uint64_t>(c.c1) * ((s >= c.v1) + (s > c.v1));
}

uint64_t PooledAucCounter::twice_rank(float s) const
{
    const uint64_t infinite = (s == -kInf ? m_neg_inf : 2 * m_neg_inf) + (s == kInf ? m_pos_inf : 0);
    return infinite + (m_cells.empty() ? 0 : in_cell(m_cells[cell(s)], s));
}

void PooledAucCounter::add(std::span<const float> scores, Tally &tally) const
{
    tally.negatives += static_cast<int64_t>(scores.size());
    if (m_neg_inf + m_pos_inf > 0) {
        uint64_t infinite = 0;
        for (const float s : scores)
            infinite += (s == -kInf ? m_neg_inf : 2 * m_neg_inf) + (s == kInf ? m_pos_inf : 0);
        tally.twice_rank += infinite;
    }
    if (m_cells.empty())
        return;
#if RECLENS_POOLED_AVX2
    if (__builtin_cpu_supports("avx2")) {
        tally.twice_rank += sum_avx2(scores.data(), scores.size());
        return;
    }
#endif
    uint64_t sum = 0;
    for (const float s : scores)
        sum += in_cell(m_cells[cell(s)], s);
    tally.twice_rank += sum;
}

#if RECLENS_POOLED_AVX2
// Eight scores at a time: cell indices by the same float steps as cell(), the cells' fields by
// gathers (one cache line per score), the counts by compares and masked adds. Lanes that meet a
// crowded cell are taken out of the vector sum and searched one by one.
__attribute__((target("avx2"))) uint64_t PooledAucCounter::sum_avx2(const float *scores, size_t n) const
{
    static_assert(sizeof(Cell) == 16 && sizeof(Bin) == 16, "gathers address 4-word records");
    const auto *cell_f = reinterpret_cast<const float *>(m_cells.data());
    const auto *cell_i = reinterpret_cast<const int *>(m_cells.data());
    const auto *bin_f = reinterpret_cast<const float *>(m_bins.data());
    const auto *bin_i = reinterpret_cast<const int *>(m_bins.data());
    const bool single = m_bins.size() == 1;
    const __m256i low16 = _mm256_set1_epi32(0xffff);
    __m256i acc_a = _mm256_setzero_si256(), acc_b = _mm256_setzero_si256();
    uint64_t sum = 0;
    // Software pipeline over batches of kBatch scores: the cell indices of the next batch are
    // computed and their cache lines prefetched while this batch is counted, so the look-ups of a
    // large grid (megabytes, beyond the caches) overlap instead of each gather waiting in turn.
    constexpr size_t kBatch = 128;
    alignas(32) int32_t index[2][kBatch];
    const size_t whole = n / 8 * 8;
    const GridConstants grid{single, single ? m_bins[0].lo : m_lo, single ? m_bins[0].scale : m_bin_scale,
                             single ? m_bins[0].last : m_bin_last, bin_f, bin_i};
    const auto *cell_bytes = reinterpret_cast<const char *>(m_cells.data());
    auto indices = [&](size_t from, int32_t *out) {
        avx2_cell_indices(scores, from, std::min(whole, from + kBatch), out, grid, cell_bytes);
    };
    if (whole > 0)
        indices(0, index[0]);
    for (size_t b0 = 0, turn = 0; b0 < whole; b0 += kBatch, turn ^= 1) {
        if (b0 + kBatch < whole)
            indices(b0 + kBatch, index[turn ^ 1]);
        const size_t to = std::min(whole, b0 + kBatch);
        for (size_t i = b0; i < to; i += 8) {
            const __m256 x = _mm256_loadu_ps(scores + i);
            const __m256i ix = _mm256_load_si256(reinterpret_cast<const __m256i *>(index[turn] + (i - b0)));
            const __m256i c4 = _mm256_slli_epi32(ix, 2);
            const __m256 v0 = _mm256_i32gather_ps(cell_f, c4, 4);
            const __m256 v1 = _mm256_i32gather_ps(cell_f + 1, c4, 4);
            const __m256i base2 = _mm256_i32gather_epi32(cell_i + 2, c4, 4);
            const __m256i c01 = _mm256_i32gather_epi32(cell_i + 3, c4, 4);
            const __m256i c0 = _mm256_and_si256(c01, low16), c1 = _mm256_srli_epi32(c01, 16);
            const __m256i ge0 = _mm256_castps_si256(_mm256_cmp_ps(x, v0, _CMP_GE_OQ));
            const __m256i gt0 = _mm256_castps_si256(_mm256_cmp_ps(x, v0, _CMP_GT_OQ));
            const __m256i ge1 = _mm256_castps_si256(_mm256_cmp_ps(x, v1, _CMP_GE_OQ));
            const __m256i gt1 = _mm256_castps_si256(_mm256_cmp_ps(x, v1, _CMP_GT_OQ));
            __m256i r = _mm256_add_epi32(base2, _mm256_add_epi32(_mm256_and_si256(c0, ge0), _mm256_and_si256(c0, gt0)));
            r = _mm256_add_epi32(r, _mm256_add_epi32(_mm256_and_si256(c1, ge1), _mm256_and_si256(c1, gt1)));
            const __m256 crowded = _mm256_cmp_ps(v0, v0, _CMP_UNORD_Q);
            if (const int mask = _mm256_movemask_ps(crowded)) [[unlikely]] {
                r = _mm256_andnot_si256(_mm256_castps_si256(crowded), r);
                for (int l = 0; l < 8; ++l)
                    if (mask & (1 << l))
                        sum += searched(m_cells[static_cast<size_t>(index[turn][i - b0 + static_cast<size_t>(l)])],
                                        scores[i + static_cast<size_t>(l)]);
            }
            acc_a = _mm256_add_epi64(acc_a, _mm256_cvtepu32_epi64(_mm256_castsi256_si128(r)));
            acc_b = _mm256_add_epi64(acc_b, _mm256_cvtepu32_epi64(_mm256_extracti128_si256(r, 1)));
        }
    }
    size_t i = whole;
    alignas(32) uint64_t parts[8];
    _mm256_store_si256(reinterpret_cast<__m256i *>(parts), acc_a);
    _mm256_store_si256(reinterpret_cast<__m256i *>(parts + 4), acc_b);
    for (uint64_t p : parts)
        sum += p;
    for (; i < n; ++i)
        sum += in_cell(m_cells[cell(scores[i])], scores[i]);
    return sum;
}
#endif

void PooledAucCounter::remove(float score, Tally &tally) const
{
    tally.twice_rank -= twice_rank(score);
    tally.negatives -= 1;
}

double PooledAucCounter::slow_cell_share() const
{
    if (m_cells.empty())
        return 0.0;
    size_t slow = 0;
    for (const Cell &c : m_cells)
        slow += c.v0 != c.v0;
    return static_cast<double>(slow) / static_cast<double>(m_cells.size());
}

} // namespace reclens

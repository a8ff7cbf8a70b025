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

constexpr size_t kBins = 4096; // 64 KiB of bins: in L2
constexpr double kCellsPerValue = 8;
// 16 MiB of 4-byte cells; beyond that many values, 2 cells per value still keep cells of four or
// more values rare (docs/benchmarks.md).
constexpr size_t kCacheCells = size_t{1} << 22;
constexpr double kMinCellsPerValue = 2;
constexpr uint32_t kCompared = 4; // records compared with a score without a search
constexpr size_t kPadding = kCompared + 1;
constexpr size_t kPrefetchBytes = size_t{4} << 20;
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();

// A grid coordinate clamped to [0, last]; NaN (0 · inf) and -0 give 0. Written so that the AVX2
// path's max_ps(x, 0) / min_ps(x, last) give the same float for every input.
inline float grid_x(float x, float last)
{
    return std::min(std::max(0.0f, x), last);
}

#if RECLENS_POOLED_AVX2
// The cell indices of scores [from, to) (a multiple of 8 apart) on a single grid, by the same
// float steps as PooledAucCounter::cell(), into out[0, to − from).
__attribute__((target("avx2"))) void avx2_cell_indices(const float *scores, size_t from, size_t to, int32_t *out,
                                                       float lo_, float scale_, float last_)
{
    const __m256 zero = _mm256_setzero_ps();
    const __m256 lo = _mm256_set1_ps(lo_), scale = _mm256_set1_ps(scale_), last = _mm256_set1_ps(last_);
    for (size_t i = from; i < to; i += 8) {
        const __m256 x = _mm256_loadu_ps(scores + i);
        const __m256 t = _mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(_mm256_sub_ps(x, lo), scale), zero), last);
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(out + (i - from)), _mm256_cvttps_epi32(t));
    }
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
            if (2 * (finite + n) >= (uint64_t{1} << 32))
                throw Error("pooled AUC: too many positives (" + std::to_string(positive_scores.size())
                            + ") for 32-bit counts");
            m_records.push_back({v, static_cast<uint32_t>(2 * finite)});
            finite += n;
        }
        i = j;
    }
    m_distinct = m_records.size();
    // Padding: a score above every value meets records that are never below or equal to it (NaN)
    // and carry twice all finite positives.
    m_records.resize(m_distinct + kPadding, Record{kNaNf, static_cast<uint32_t>(2 * finite)});
    if (m_distinct == 0)
        return;
    // One linear grid first; when scores crowd some part of it (more than 2% of the values sit in
    // cells of four or more), 4096 bins, each with a grid of its own.
    if (build(1) > 0.02)
        build(kBins);
}

double PooledAucCounter::build(size_t n_bins)
{
    // Level 1: n_bins equal bins over [smallest, largest]. Level 2: each bin's own linear grid over
    // its values, with cells in proportion to how many it holds: dense regions get fine cells,
    // empty stretches (outliers' gaps) one cell a bin.
    const Record *values = m_records.data();
    m_lo = values[0].value;
    const float range = values[m_distinct - 1].value - m_lo;
    m_bin_scale = range > 0.0f && std::isfinite(range) ? static_cast<float>(n_bins) / range : 0.0f;
    if (!std::isfinite(m_bin_scale))
        m_bin_scale = 0.0f;
    m_bin_last = static_cast<float>(n_bins - 1);
    m_bins.assign(n_bins, Bin{});
    std::vector<uint32_t> in_bin(n_bins, 0);
    for (size_t i = 0; i < m_distinct; ++i)
        ++in_bin[bin(values[i].value)];
    const double per = std::clamp(static_cast<double>(kCacheCells) / static_cast<double>(m_distinct),
                                  kMinCellsPerValue, kCellsPerValue);
    uint64_t offset = 0;
    size_t first = 0;
    for (size_t b = 0; b < n_bins; ++b) {
        Bin &bn = m_bins[b];
        const uint32_t n = in_bin[b];
        const auto cells = std::max<uint32_t>(1, static_cast<uint32_t>(std::ceil(n * per)));
        bn.lo = n > 0 ? values[first].value : 0.0f;
        const float width = n > 0 ? values[first + n - 1].value - bn.lo : 0.0f;
        bn.scale = width > 0.0f && std::isfinite(width) ? static_cast<float>(cells) / width : 0.0f;
        if (!std::isfinite(bn.scale))
            bn.scale = 0.0f;
        // cells − 1 as a float may round up beyond 2^24 cells: step down to one that truncates
        // into the bin, so no score's cell lies past it.
        bn.last = static_cast<float>(cells - 1);
        while (static_cast<uint64_t>(bn.last) > cells - 1)
            bn.last = std::nextafter(bn.last, 0.0f);
        bn.offset = static_cast<uint32_t>(offset);
        offset += cells;
        first += n;
    }
    if (offset >= (uint64_t{1} << 31))
        throw Error("pooled AUC: too many distinct positive scores (" + std::to_string(m_distinct)
                    + ") for the look-up grid");
    const auto cells = static_cast<uint32_t>(offset);
    // cell() is monotone and the values ascend, so each cell's values are consecutive records.
    m_first.assign(static_cast<size_t>(cells) + 1, 0);
    size_t v = 0, crowded = 0;
    for (uint32_t c = 0; c < cells; ++c) {
        m_first[c] = static_cast<uint32_t>(v);
        size_t w = v;
        while (w < m_distinct && cell(values[w].value) == c)
            ++w;
        crowded += w - v >= kCompared ? w - v : 0;
        v = w;
    }
    m_first[cells] = static_cast<uint32_t>(m_distinct);
    return static_cast<double>(crowded) / static_cast<double>(m_distinct);
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

inline uint64_t PooledAucCounter::from_record(uint32_t k, float s) const
{
    // k: the first record not below s. Equal: the positives below it and those equal (half the gap
    // to the next record's twice_below); above: only those below.
    const uint64_t below = m_records[k].twice_below;
    const uint64_t equal = m_records[k].value == s ? (m_records[k + 1].twice_below - below) / 2 : 0;
    return below + equal;
}

uint64_t PooledAucCounter::searched(uint32_t k, uint32_t end, float s) const
{
    // Records [k, end) hold s's place: those before are below it, those of later cells above.
    const Record *r = std::lower_bound(m_records.data() + k, m_records.data() + end, s,
                                       [](const Record &a, float x) { return a.value < x; });
    return from_record(static_cast<uint32_t>(r - m_records.data()), s);
}

inline uint64_t PooledAucCounter::infinite_part(float s) const
{
    return (s == -kInf ? m_neg_inf : 2 * m_neg_inf) + (s == kInf ? m_pos_inf : 0);
}

uint64_t PooledAucCounter::twice_rank(float s) const
{
    const uint64_t infinite = infinite_part(s);
    if (m_distinct == 0)
        return infinite;
    const uint32_t c = cell(s);
    return infinite + searched(m_first[c], m_first[c + 1], s);
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
    if (m_distinct == 0)
        return;
#if RECLENS_POOLED_AVX2
    if (__builtin_cpu_supports("avx2")) {
        tally.twice_rank += sum_avx2(scores.data(), scores.size());
        return;
    }
#endif
    uint64_t sum = 0;
    for (const float s : scores) {
        const uint32_t c = cell(s);
        sum += searched(m_first[c], m_first[c + 1], s);
    }
    tally.twice_rank += sum;
}

#if RECLENS_POOLED_AVX2
// A software pipeline over batches of kBatch scores: cell indices two batches ahead, the cells'
// first records one batch ahead (both prefetched), so the two dependent look-ups of a large grid
// (megabytes, beyond the caches) overlap instead of each score waiting in turn. Each score then
// compares itself with its cell's first four records in one SSE compare.
__attribute__((target("avx2,popcnt"))) uint64_t PooledAucCounter::sum_avx2(const float *scores, size_t n) const
{
    static_assert(sizeof(Record) == 8, "records are {float, uint32}");
    const bool single = m_bins.size() == 1;
    const Bin grid = m_bins.front();
    constexpr size_t kBatch = 128;
    alignas(32) int32_t index[3][kBatch];
    alignas(32) uint32_t first[2][kBatch];
    const size_t whole = n / 8 * 8;
    const uint32_t *cells = m_first.data();
    const Record *rec = m_records.data();
    // Prefetching pays once the structures outgrow the caches (measured: from ~4 MiB, 120k
    // distinct values); within them its instructions only cost.
    const bool fetch = bytes() > kPrefetchBytes;
    auto indices = [&](size_t from, int32_t *out) {
        const size_t to = std::min(whole, from + kBatch);
        if (single)
            avx2_cell_indices(scores, from, to, out, grid.lo, grid.scale, grid.last);
        else // the bins' fields are one 16-byte load a score; AVX2 gathers of them cost more
            for (size_t i = from; i < to; ++i)
                out[i - from] = static_cast<int32_t>(cell(scores[i]));
        if (fetch)
            for (size_t i = 0; i < to - from; ++i)
                _mm_prefetch(reinterpret_cast<const char *>(cells + out[i]), _MM_HINT_T0);
    };
    auto firsts = [&](size_t from, const int32_t *ix, uint32_t *out) {
        const size_t m = std::min(whole, from + kBatch) - from;
        if (!fetch) {
            for (size_t i = 0; i < m; ++i)
                out[i] = cells[ix[i]];
            return;
        }
        for (size_t i = 0; i < m; ++i) {
            out[i] = cells[ix[i]];
            _mm_prefetch(reinterpret_cast<const char *>(rec + out[i]), _MM_HINT_T0);
            _mm_prefetch(reinterpret_cast<const char *>(rec + out[i] + kCompared), _MM_HINT_T0);
        }
    };
    uint64_t sum = 0;
    size_t turn = 0; // batch b uses index[b % 3], first[b % 2]
    if (whole > 0)
        indices(0, index[0]);
    if (kBatch < whole)
        indices(kBatch, index[1]);
    if (whole > 0)
        firsts(0, index[0], first[0]);
    for (size_t b0 = 0, b = 0; b0 < whole; b0 += kBatch, ++b, turn ^= 1) {
        if (b0 + 2 * kBatch < whole)
            indices(b0 + 2 * kBatch, index[(b + 2) % 3]);
        if (b0 + kBatch < whole)
            firsts(b0 + kBatch, index[(b + 1) % 3], first[turn ^ 1]);
        const size_t m = std::min(whole, b0 + kBatch) - b0;
        const uint32_t *g = first[turn];
        for (size_t i = 0; i < m; ++i) {
            const float s = scores[b0 + i];
            const auto *rf = reinterpret_cast<const float *>(rec + g[i]);
            const __m128 d = _mm_shuffle_ps(_mm_loadu_ps(rf), _mm_loadu_ps(rf + 4), _MM_SHUFFLE(2, 0, 2, 0));
            const __m128 x = _mm_set1_ps(s);
            const auto lt = static_cast<uint32_t>(_mm_popcnt_u32(static_cast<unsigned>(_mm_movemask_ps(_mm_cmplt_ps(d, x)))));
            uint64_t rank;
            if (lt == kCompared) [[unlikely]] {
                rank = searched(g[i] + kCompared, cells[index[b % 3][i] + 1], s);
            } else {
                const uint32_t k = g[i] + lt;
                const uint64_t below = rec[k].twice_below;
                const uint64_t half_gap = (rec[k + 1].twice_below - rec[k].twice_below) >> 1;
                rank = below + (_mm_movemask_ps(_mm_cmpeq_ps(d, x)) != 0 ? half_gap : 0);
            }
            sum += rank;
        }
    }
    for (size_t i = whole; i < n; ++i) {
        const uint32_t c = cell(scores[i]);
        sum += searched(m_first[c], m_first[c + 1], scores[i]);
    }
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
    if (m_distinct == 0)
        return 0.0;
    size_t slow = 0;
    for (size_t c = 0; c + 1 < m_first.size(); ++c) {
        const size_t n = m_first[c + 1] - m_first[c];
        slow += n >= kCompared ? n : 0;
    }
    return static_cast<double>(slow) / static_cast<double>(m_distinct);
}

size_t PooledAucCounter::bytes() const
{
    return m_records.size() * sizeof(Record) + m_first.size() * sizeof(uint32_t) + m_bins.size() * sizeof(Bin);
}

namespace {

#if RECLENS_POOLED_AVX2
// PooledCurveCounter::slot() of eight scores at a time, by the same float steps, and the increments.
__attribute__((target("avx2"))) void avx2_curve_add(const float *scores, size_t n, float lo_, float hi_, float scale_,
                                                    int64_t *counts)
{
    constexpr size_t kCopies = PooledCurveCounter::kCopies;
    const __m256 lo = _mm256_set1_ps(lo_), hi = _mm256_set1_ps(hi_), scale = _mm256_set1_ps(scale_);
    const __m256 zero = _mm256_setzero_ps();
    const __m256 last = _mm256_set1_ps(static_cast<float>(PooledCurveCounter::kBuckets - 1));
    const __m256i one = _mm256_set1_epi32(1), above = _mm256_set1_epi32(PooledCurveCounter::kBuckets + 1);
    alignas(32) int32_t slot[8];
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 x = _mm256_loadu_ps(scores + i);
        // max(x, 0) with x first: NaN gives 0, as grid_x does.
        const __m256 t = _mm256_min_ps(_mm256_max_ps(_mm256_floor_ps(_mm256_mul_ps(_mm256_sub_ps(x, lo), scale)), zero), last);
        __m256i s = _mm256_add_epi32(_mm256_cvttps_epi32(t), one);
        s = _mm256_andnot_si256(_mm256_castps_si256(_mm256_cmp_ps(x, lo, _CMP_LT_OQ)), s); // below lo: 0
        s = _mm256_blendv_epi8(s, above, _mm256_castps_si256(_mm256_cmp_ps(x, hi, _CMP_GT_OQ)));
        _mm256_store_si256(reinterpret_cast<__m256i *>(slot), s);
        for (size_t j = 0; j < 8; ++j)
            ++counts[static_cast<size_t>(slot[j]) * kCopies + j % kCopies];
    }
}
#endif

} // namespace

PooledCurveCounter::PooledCurveCounter(std::span<const float> positive_scores)
{
    std::vector<float> finite;
    for (const float f : positive_scores) {
        if (std::isnan(f))
            throw Error("pooled ROC: a positive score is NaN");
        if (std::isfinite(f))
            finite.push_back(f);
    }
    if (!finite.empty()) {
        std::sort(finite.begin(), finite.end());
        const auto last = static_cast<double>(finite.size() - 1);
        m_lo = finite[static_cast<size_t>(std::floor(0.001 * last))];
        m_hi = finite[static_cast<size_t>(std::ceil(0.999 * last))];
        const double width = static_cast<double>(m_hi) - static_cast<double>(m_lo);
        m_scale = width > 0 ? static_cast<float>(kBuckets / width) : 0.0f;
        if (!std::isfinite(m_scale))
            m_scale = 0.0f;
    }
    m_positives.assign(slots(), 0);
    for (const float f : positive_scores)
        ++m_positives[static_cast<size_t>(slot(f))];
}

int32_t PooledCurveCounter::slot(float s) const
{
    if (s < m_lo)
        return 0;
    if (s > m_hi)
        return kBuckets + 1;
    const float t = grid_x(std::floor((s - m_lo) * m_scale), static_cast<float>(kBuckets - 1));
    return static_cast<int32_t>(t) + 1;
}

void PooledCurveCounter::add(std::span<const float> scores, std::span<int64_t> counts) const
{
    size_t i = 0;
#if RECLENS_POOLED_AVX2
    if (__builtin_cpu_supports("avx2")) {
        i = scores.size() / 8 * 8;
        avx2_curve_add(scores.data(), i, m_lo, m_hi, m_scale, counts.data());
    }
#endif
    for (; i < scores.size(); ++i)
        ++counts[static_cast<size_t>(slot(scores[i])) * kCopies + i % kCopies];
}

void PooledCurveCounter::remove(float score, std::span<int64_t> counts) const
{
    --counts[static_cast<size_t>(slot(score)) * kCopies];
}

RocCurve PooledCurveCounter::curve(std::span<const std::vector<int64_t>> counts, int64_t negatives, double auc) const
{
    std::vector<int64_t> per_slot(slots(), 0);
    for (const auto &c : counts)
        for (size_t i = 0; i < c.size(); ++i)
            per_slot[i / kCopies] += c[i];
    RocCurve c;
    for (const int64_t p : m_positives)
        c.positives += p;
    c.negatives = negatives;
    c.auc = auc;
    append_roc_point(c, 0, 0, std::numeric_limits<double>::infinity());
    // A slot's lower edge: lo for the first bucket, lo + b / scale for bucket b; the slots outside
    // [lo, hi] start at hi's next float and at -inf.
    auto edge = [&](size_t s) -> double {
        if (s == 0)
            return -std::numeric_limits<double>::infinity();
        if (s == slots() - 1)
            return std::nextafter(static_cast<double>(m_hi), std::numeric_limits<double>::infinity());
        return m_scale > 0 ? static_cast<double>(m_lo) + static_cast<double>(s - 1) / static_cast<double>(m_scale)
                           : static_cast<double>(m_lo);
    };
    int64_t fp = 0, tp = 0;
    for (size_t s = slots(); s-- > 0;) {
        if (per_slot[s] == 0 && m_positives[s] == 0)
            continue;
        fp += per_slot[s];
        tp += m_positives[s];
        append_roc_point(c, fp, tp, edge(s));
    }
    if (fp != negatives)
        throw Error("pooled ROC: the curve's negatives and the counter's disagree");
    return c;
}

} // namespace reclens

// Exact pooled AUC counting for the scoring pass (core/metrics/pooledauc.h).
#include "core/metrics/pooledauc.h"

#include "core/common/error.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <limits>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define RECLENS_POOLED_AVX2 1
#else
#define RECLENS_POOLED_AVX2 0
#endif

namespace reclens {

namespace {

constexpr size_t kPadding = 2; // records: the closing record, and one after it for from_record
constexpr size_t kPrefetchBytes = size_t{1} << 20;
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();

// A grid coordinate clamped to [0, last]; NaN (0 · inf) and -0 give 0.
inline float grid_x(float x, float last)
{
    return std::min(std::max(0.0f, x), last);
}

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
            if (2 * (finite + n) >= (uint64_t{1} << 32) || m_records.size() >= kIndex)
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
    build();
}

uint32_t PooledAucCounter::key(float s)
{
    // The float's bits as an unsigned number in the floats' order: negative floats reversed below
    // the positive ones; -0 first made +0 (−0 + 0 is +0), so equal floats get equal keys.
    const uint32_t u = std::bit_cast<uint32_t>(s + 0.0f);
    return u ^ ((u >> 31) != 0 ? 0xFFFFFFFFu : 0x80000000u);
}

std::vector<uint64_t> PooledAucCounter::record_positions() const
{
    std::vector<uint64_t> at(m_distinct);
    for (size_t i = 0; i < m_distinct; ++i)
        at[i] = fine(m_records[i].value);
    return at;
}

bool PooledAucCounter::plan_single(std::vector<uint64_t> &at)
{
    // One linear grid in float steps (eight scores at a time, no table), a cell for every
    // kSingleValuesPerCell values and one more on either side: scores beyond the values meet no
    // record there, and the grid's last position (where the closing entries are) is never reached.
    // It serves while its fine positions are whole floats and it leaves at most 1% of the values in
    // crowded cells.
    const Record *values = m_records.data();
    const uint64_t cells = (m_distinct + kSingleValuesPerCell - 1) / kSingleValuesPerCell + 2;
    if (cells * kFine >= (uint64_t{1} << 24))
        return false;
    const float range = values[m_distinct - 1].value - values[0].value;
    const float width = (range > 0.0f ? range : 1.0f) / static_cast<float>(cells - 2);
    m_lo = values[0].value - width;
    const float span = range + 2.0f * width;
    m_scale = std::isfinite(span) && span > 0.0f ? static_cast<float>(cells * kFine) / span : 0.0f;
    if (!std::isfinite(m_scale))
        m_scale = 0.0f;
    m_last = static_cast<float>(cells * kFine - 2);
    m_single = true;
    at = record_positions();
    size_t crowded = 0;
    for (size_t v = 0; v < m_distinct;) {
        size_t w = v;
        while (w < m_distinct && at[w] / kFine == at[v] / kFine)
            ++w;
        crowded += w - v >= kEntries ? w - v : 0;
        v = w;
    }
    m_single = crowded * 100 <= m_distinct;
    if (m_single)
        m_lines.assign(cells, Line{});
    return m_single;
}

void PooledAucCounter::plan_buckets()
{
    // A bucket of n values gets ⌈n / kValuesPerCell⌉ cells; empty buckets none, so their scores
    // fall to position 0 of the next cell, below its records (or at one at position 0, which the
    // records then settle). Line 0 is below every bucket; the last line above them all.
    const Record *values = m_records.data();
    m_base = key(values[0].value) >> 16;
    const uint32_t top = key(values[m_distinct - 1].value) >> 16;
    const size_t n_buckets = top - m_base + 1;
    std::vector<uint32_t> in_bucket(n_buckets, 0);
    for (size_t i = 0; i < m_distinct; ++i)
        ++in_bucket[(key(values[i].value) >> 16) - m_base];
    m_buckets.assign(n_buckets + 2, Bucket{});
    uint64_t offset = 1;
    for (size_t b = 0; b < n_buckets; ++b) {
        const uint64_t cells = (in_bucket[b] + kValuesPerCell - 1) / kValuesPerCell;
        m_buckets[b + 1] = {static_cast<uint32_t>(offset), static_cast<uint32_t>(cells)};
        offset += cells;
    }
    if (offset >= (uint64_t{1} << 31))
        throw Error("pooled AUC: too many distinct positive scores (" + std::to_string(m_distinct)
                    + ") for the look-up grid");
    m_buckets[n_buckets + 1] = {static_cast<uint32_t>(offset), 0};
    m_lines.assign(static_cast<size_t>(offset) + 1, Line{});
    // A bucket of 32 cells or more gives each key a fine position of its own: two scores at one
    // position are the same float.
    for (const Bucket &b : m_buckets)
        if (b.cells >= kFine / 64)
            for (uint32_t c = b.offset; c < b.offset + b.cells; ++c)
                m_lines[c].first = kExact;
}

void PooledAucCounter::build()
{
    std::vector<uint64_t> at; // each record's fine position
    if (!plan_single(at)) {
        plan_buckets();
        at = record_positions();
    }
    const Record *values = m_records.data();
    // fine() is monotone and the values ascend, so each cell's values are consecutive records, and
    // their fine positions ascend within it.
    size_t v = 0;
    for (size_t c = 0; c < m_lines.size(); ++c) {
        Line &line = m_lines[c];
        line.first = static_cast<uint32_t>(v) | (line.first & kExact);
        line.twice_below = values[v].twice_below;
        size_t w = v;
        while (w < m_distinct && at[w] / kFine == c)
            ++w;
        if (w - v >= kEntries) {
            // Crowded: the records are searched, up to the next cell's first (kept in place of
            // twice_below). Every score meets an entry that says "many", so it goes that way.
            line.first = static_cast<uint32_t>(v) | kCrowded;
            line.twice_below = static_cast<uint32_t>(w);
            std::fill(std::begin(line.entry), std::end(line.entry), kMany);
            line.entry[kEntries - 1] = (kFine - 1) << 4 | kMany;
            v = w;
            continue;
        }
        // The tied positives beyond the first of the cell's records before each.
        auto ties_before = [&](size_t r) { return (values[r].twice_below - values[v].twice_below) / 2 - static_cast<uint32_t>(r - v); };
        for (size_t r = v; r < w; ++r)
            line.entry[r - v] = static_cast<uint16_t>(at[r] % kFine << 4 | std::min<uint32_t>(ties_before(r), kMany));
        for (size_t r = w - v; r < kEntries; ++r)
            line.entry[r] = static_cast<uint16_t>((kFine - 1) << 4 | std::min<uint32_t>(ties_before(w), kMany));
        v = w;
    }
}

inline uint64_t PooledAucCounter::fine(float s) const
{
    // Monotone in s. One grid: a correctly rounded subtraction and product, a clamp and a
    // truncation (no product is added to: a fused multiply-add could round apart from the build's).
    if (m_single)
        return static_cast<uint64_t>(grid_x((s - m_lo) * m_scale, m_last));
    // Buckets: the key, its bucket clamped to the table, an integer product (below 2^30).
    const uint32_t k = key(s);
    const auto b = static_cast<int64_t>(k >> 16) - static_cast<int64_t>(m_base);
    const Bucket &e = m_buckets[static_cast<size_t>(std::clamp<int64_t>(b + 1, 0, static_cast<int64_t>(m_buckets.size()) - 1))];
    return (uint64_t{e.offset} << kFineBits) + ((uint64_t{k & 0xFFFFu} * e.cells) >> (16 - kFineBits));
}

inline uint64_t PooledAucCounter::from_record(uint32_t k, float s) const
{
    while (m_records[k].value < s) // at most a few records: those at the score's fine position
        ++k;
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

uint64_t PooledAucCounter::finite_part(uint64_t f, float s) const
{
    const Line &line = m_lines[f / kFine];
    const uint32_t first = line.first & kIndex;
    if ((line.first & kCrowded) != 0)
        return searched(first, line.twice_below, s);
    // Entries at a lower fine position are below s; the first that is not says the ties below.
    const auto p = static_cast<uint32_t>(f % kFine);
    uint32_t lt = 0;
    while (line.entry[lt] >> 4 < p)
        ++lt;
    const uint32_t next = line.entry[lt];
    if ((next & kMany) == kMany)
        return from_record(first + lt, s);
    const uint64_t below = line.twice_below + 2 * (lt + (next & kMany));
    if (next >> 4 != p)
        return below;
    // At a record's position. Where positions are keys (not at position 0, which an empty bucket
    // before may share, nor at the last, which the closing entries hold), the record's value is s:
    // it counts once for each of its positives, the ties up to the next entry and one.
    const uint32_t after = line.entry[lt + 1];
    if ((line.first & kExact) != 0 && p > 0 && p < kFine - 1 && (after & kMany) != kMany)
        return below + 1 + (after & kMany) - (next & kMany);
    return from_record(first + lt, s);
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
    return infinite + finite_part(fine(s), s);
}

void PooledAucCounter::add(std::span<const float> scores, Tally &tally) const
{
    tally.negatives += static_cast<int64_t>(scores.size());
    if (m_neg_inf + m_pos_inf > 0) {
        uint64_t infinite = 0;
        for (const float s : scores)
            infinite += infinite_part(s);
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
    for (const float s : scores)
        sum += finite_part(fine(s), s);
    tally.twice_rank += sum;
}

#if RECLENS_POOLED_AVX2
// fine() of n scores as cells and positions · 16, eight at a time by the same steps. The buckets'
// {offset, cells} are read by eight scalar loads: AVX2 gathers of them took a third longer on an
// AMD EPYC.
__attribute__((target("avx2"))) void PooledAucCounter::positions_avx2(const float *scores, size_t n, uint32_t *c,
                                                                     uint16_t *p) const
{
    const __m256i zero = _mm256_setzero_si256(), sign = _mm256_set1_epi32(static_cast<int32_t>(0x80000000u));
    const __m256i low = _mm256_set1_epi32(0xFFFF), base = _mm256_set1_epi32(static_cast<int32_t>(m_base) - 1);
    const __m256i top = _mm256_set1_epi32(static_cast<int32_t>(m_buckets.size()) - 1);
    const __m256i p_bits = _mm256_set1_epi32((kFine - 1) << 4);
    const __m256i order = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    const Bucket *buckets = m_buckets.data();
    size_t i = 0;
    if (m_single) {
        const __m256 lo = _mm256_set1_ps(m_lo), scale = _mm256_set1_ps(m_scale), last = _mm256_set1_ps(m_last);
        const __m256i fine_bits = _mm256_set1_epi32(kFine - 1);
        for (; i + 8 <= n; i += 8) {
            // max(x, 0) with x first: NaN gives 0, as grid_x does.
            const __m256 x = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(scores + i), lo), scale);
            const __m256i f = _mm256_cvttps_epi32(_mm256_min_ps(_mm256_max_ps(x, _mm256_setzero_ps()), last));
            _mm256_storeu_si256(reinterpret_cast<__m256i *>(c + i), _mm256_srli_epi32(f, kFineBits));
            const __m256i pos = _mm256_slli_epi32(_mm256_and_si256(f, fine_bits), 4);
            _mm_storeu_si128(reinterpret_cast<__m128i *>(p + i), _mm_packus_epi32(_mm256_castsi256_si128(pos), _mm256_extracti128_si256(pos, 1)));
        }
    }
    for (; !m_single && i + 8 <= n; i += 8) {
        const __m256i u = _mm256_castps_si256(_mm256_add_ps(_mm256_loadu_ps(scores + i), _mm256_setzero_ps()));
        const __m256i k = _mm256_xor_si256(u, _mm256_or_si256(_mm256_srai_epi32(u, 31), sign));
        const __m256i b = _mm256_min_epi32(_mm256_max_epi32(_mm256_sub_epi32(_mm256_srli_epi32(k, 16), base), zero), top);
        alignas(32) int32_t ix[8];
        _mm256_store_si256(reinterpret_cast<__m256i *>(ix), b);
        auto pair = [&](int x, int y) { // buckets x and y as {offset, cells}{offset, cells}
            long long lo, hi;
            std::memcpy(&lo, buckets + ix[x], sizeof(lo));
            std::memcpy(&hi, buckets + ix[y], sizeof(hi));
            return _mm_set_epi64x(hi, lo);
        };
        const __m256i g0 = _mm256_inserti128_si256(_mm256_castsi128_si256(pair(0, 1)), pair(2, 3), 1);
        const __m256i g1 = _mm256_inserti128_si256(_mm256_castsi128_si256(pair(4, 5)), pair(6, 7), 1);
        // {offset, cells} pairs of lanes 0-3 and 4-7 into offsets and cells in lane order.
        const __m256i a0 = _mm256_permutevar8x32_epi32(g0, order), a1 = _mm256_permutevar8x32_epi32(g1, order);
        const __m256i offset = _mm256_permute2x128_si256(a0, a1, 0x20), cells = _mm256_permute2x128_si256(a0, a1, 0x31);
        const __m256i t = _mm256_mullo_epi32(_mm256_and_si256(k, low), cells); // below 2^30
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(c + i), _mm256_add_epi32(offset, _mm256_srli_epi32(t, 16)));
        const __m256i pos = _mm256_and_si256(_mm256_srli_epi32(t, 1), p_bits);
        _mm_storeu_si128(reinterpret_cast<__m128i *>(p + i), _mm_packus_epi32(_mm256_castsi256_si128(pos), _mm256_extracti128_si256(pos, 1)));
    }
    for (; i < n; ++i) {
        const uint64_t f = fine(scores[i]);
        c[i] = static_cast<uint32_t>(f / kFine);
        p[i] = static_cast<uint16_t>(f % kFine << 4);
    }
}

// A software pipeline over batches of kBatch scores: the fine positions of the next batch are
// computed before a batch is counted, and each score counted prefetches the line of the score one
// batch later (once the lines outgrow L2; within it prefetches only cost; spread out, they do not
// queue up behind each other). A score is counted by comparing its line's 28 entries with its
// position in two 16-lane compares.
__attribute__((target("avx2,popcnt"))) uint64_t PooledAucCounter::sum_avx2(const float *scores, size_t n) const
{
    static_assert(sizeof(Line) == 64 && offsetof(Line, entry) == 8, "a line is 8 bytes and 28 entries");
    constexpr size_t kBatch = 64;
    alignas(32) uint32_t cell[2][kBatch];
    alignas(32) uint16_t p16[2][kBatch];
    const Line *lines = m_lines.data();
    const bool fetch = m_lines.size() * sizeof(Line) > kPrefetchBytes;
    auto positions = [&](size_t from, uint32_t *c, uint16_t *p) {
        const size_t m = std::min(n, from + kBatch) - from;
        positions_avx2(scores + from, m, c, p);
    };
    uint64_t sum = 0;
    if (n > 0)
        positions(0, cell[0], p16[0]);
    if (fetch)
        for (size_t j = 0; j < std::min(n, kBatch); ++j)
            _mm_prefetch(reinterpret_cast<const char *>(lines + cell[0][j]), _MM_HINT_T0);
    for (size_t b0 = 0, b = 0; b0 < n; b0 += kBatch, b ^= 1) {
        if (b0 + kBatch < n)
            positions(b0 + kBatch, cell[b ^ 1], p16[b ^ 1]);
        const size_t m = std::min(n, b0 + kBatch) - b0;
        const size_t m_next = b0 + kBatch < n ? std::min(n, b0 + 2 * kBatch) - b0 - kBatch : 0;
        for (size_t i = 0; i < m; ++i) {
            if (fetch && i < m_next)
                _mm_prefetch(reinterpret_cast<const char *>(lines + cell[b ^ 1][i]), _MM_HINT_T0);
            const Line &line = lines[cell[b][i]];
            const auto *bytes = reinterpret_cast<const char *>(&line);
            // Entries are below 2^15: signed compares. The second load (entries 12..27) repeats
            // entries 12..15 in its first four lanes; packed to bytes with the first (a0-7,
            // b0-7, a8-15, b8-15), their mask bits are 8..11, dropped.
            const __m256i p = _mm256_set1_epi16(static_cast<int16_t>(p16[b][i]));
            const __m256i below_a = _mm256_cmpgt_epi16(p, _mm256_loadu_si256(reinterpret_cast<const __m256i *>(bytes + 8)));
            const __m256i below_b = _mm256_cmpgt_epi16(p, _mm256_loadu_si256(reinterpret_cast<const __m256i *>(bytes + 32)));
            const auto mask = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_packs_epi16(below_a, below_b))) & ~0xF00u;
            const auto lt = static_cast<uint32_t>(_mm_popcnt_u32(mask));
            const uint32_t next = line.entry[lt];
            if (((next ^ p16[b][i]) < 16) | ((next & kMany) == kMany)) [[unlikely]] { // crowded lines say "many"
                sum += finite_part(uint64_t{cell[b][i]} * kFine + (p16[b][i] >> 4), scores[b0 + i]);
                continue;
            }
            sum += line.twice_below + 2 * (lt + (next & kMany));
        }
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
    for (size_t c = 0; c + 1 < m_lines.size(); ++c)
        if ((m_lines[c].first & kCrowded) != 0)
            slow += (m_lines[c + 1].first & kIndex) - (m_lines[c].first & kIndex);
    return static_cast<double>(slow) / static_cast<double>(m_distinct);
}

size_t PooledAucCounter::bytes() const
{
    return m_records.size() * sizeof(Record) + m_lines.size() * sizeof(Line) + m_buckets.size() * sizeof(Bucket);
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

// ROC curves and AUC (DESIGN §5): exact, sort-based, tied scores merged into one point.
#include "core/common/error.h"
#include "core/metrics/metrics.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace reclens {

namespace {

// Monotone map of a float onto uint32 (total order of non-NaN floats, -0 == +0 handled by caller).
uint32_t order_key(float f)
{
    if (f == 0.0f)
        f = 0.0f; // -0 and +0 compare equal: give them one key
    const auto bits = std::bit_cast<uint32_t>(f);
    return (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
}

// Bucket table size: about 8 buckets per distinct positive score (2^8 .. 2^20 buckets), so the table
// stays cache-resident for typical test sets and each lookup scans a handful of positives.
int bucket_bits(size_t distinct_positives)
{
    return std::clamp(static_cast<int>(std::bit_width(distinct_positives)) + 3, 8, 20);
}

// The table has 2^bits + 1 entries; recover bits from its size.
int table_bits(size_t table_size)
{
    return std::countr_zero(table_size - 1);
}

} // namespace

RocCurve roc_curve(std::span<const float> scores, std::span<const uint8_t> labels)
{
    if (scores.size() != labels.size())
        throw Error("roc_curve: scores and labels differ in length");
    std::vector<uint32_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return scores[a] > scores[b]; });
    RocCurve c;
    for (uint8_t l : labels)
        (l ? c.positives : c.negatives) += 1;
    c.fpr.push_back(0);
    c.tpr.push_back(0);
    c.thresholds.push_back(std::numeric_limits<double>::infinity());
    int64_t tp = 0, fp = 0;
    double area2 = 0; // twice the trapezoid area in (fp, tp) units
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        int64_t dtp = 0, dfp = 0;
        while (j < order.size() && scores[order[j]] == scores[order[i]]) {
            (labels[order[j]] ? dtp : dfp) += 1;
            ++j;
        }
        area2 += static_cast<double>(dfp) * static_cast<double>(2 * tp + dtp);
        tp += dtp;
        fp += dfp;
        c.fpr.push_back(c.negatives > 0 ? static_cast<double>(fp) / static_cast<double>(c.negatives) : kNaN);
        c.tpr.push_back(c.positives > 0 ? static_cast<double>(tp) / static_cast<double>(c.positives) : kNaN);
        c.thresholds.push_back(scores[order[i]]);
        i = j;
    }
    if (c.positives > 0 && c.negatives > 0)
        c.auc = area2 / (2.0 * static_cast<double>(c.positives) * static_cast<double>(c.negatives));
    return c;
}

double roc_auc(std::span<const float> scores, std::span<const uint8_t> labels)
{
    return roc_curve(scores, labels).auc;
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
int64_t twice_below(std::span<const float> scores, float p)
{
    int64_t total = 0;
    for (size_t begin = 0; begin < scores.size(); begin += size_t{1} << 20) { // int32 lanes cannot overflow
        const size_t end = std::min(scores.size(), begin + (size_t{1} << 20));
        int32_t acc = 0;
        for (size_t i = begin; i < end; ++i)
            acc += static_cast<int32_t>(scores[i] < p) + static_cast<int32_t>(scores[i] <= p);
        total += acc;
    }
    return total;
}

#if defined(__x86_64__) && defined(__GNUC__)
namespace {
// M positives (1..8) against every score: per positive one 32-bit lane count of [s < p] +
// [s ≤ p] (compare masks are -1, subtracted), emptied into out[j] (64 bits) every 2^20 scores.
template <size_t M>
__attribute__((target("avx2"))) void twice_below_avx2(const float *s, size_t n, const float *pos, int64_t *out)
{
    __m256 p[M];
    for (size_t j = 0; j < M; ++j)
        p[j] = _mm256_set1_ps(pos[j]);
    const size_t whole = n / 8 * 8;
    for (size_t begin = 0; begin < whole; begin += size_t{1} << 20) {
        const size_t end = std::min(whole, begin + (size_t{1} << 20));
        __m256i acc[M];
        for (auto &a : acc)
            a = _mm256_setzero_si256();
        for (size_t i = begin; i < end; i += 8) {
            const __m256 x = _mm256_loadu_ps(s + i);
            for (size_t j = 0; j < M; ++j) {
                const __m256i lt = _mm256_castps_si256(_mm256_cmp_ps(x, p[j], _CMP_LT_OQ));
                const __m256i le = _mm256_castps_si256(_mm256_cmp_ps(x, p[j], _CMP_LE_OQ));
                acc[j] = _mm256_sub_epi32(_mm256_sub_epi32(acc[j], lt), le);
            }
        }
        alignas(32) int32_t lanes[8];
        for (size_t j = 0; j < M; ++j) {
            _mm256_store_si256(reinterpret_cast<__m256i *>(lanes), acc[j]);
            for (int32_t v : lanes)
                out[j] += v;
        }
    }
    for (size_t j = 0; j < M; ++j)
        out[j] += twice_below({s + whole, n - whole}, pos[j]);
}

void twice_below_avx2_any(const float *s, size_t n, const float *pos, size_t m, int64_t *out)
{
    switch (m) {
    case 1: return twice_below_avx2<1>(s, n, pos, out);
    case 2: return twice_below_avx2<2>(s, n, pos, out);
    case 3: return twice_below_avx2<3>(s, n, pos, out);
    case 4: return twice_below_avx2<4>(s, n, pos, out);
    case 5: return twice_below_avx2<5>(s, n, pos, out);
    case 6: return twice_below_avx2<6>(s, n, pos, out);
    case 7: return twice_below_avx2<7>(s, n, pos, out);
    default: return twice_below_avx2<8>(s, n, pos, out);
    }
}
} // namespace
#endif

void twice_below_each(std::span<const float> scores, std::span<const float> positives, std::span<int64_t> out)
{
#if defined(__x86_64__) && defined(__GNUC__)
    if (scores.size() >= 64 && __builtin_cpu_supports("avx2")) {
        for (size_t j = 0; j < positives.size(); j += 8)
            twice_below_avx2_any(scores.data(), scores.size(), positives.data() + j,
                                 std::min<size_t>(8, positives.size() - j), out.data() + j);
        return;
    }
#endif
    if (scores.size() == 1) { // one item taken back out: no pass to share
        const float x = scores[0];
        for (size_t j = 0; j < positives.size(); ++j)
            out[j] += static_cast<int64_t>(x < positives[j]) + static_cast<int64_t>(x <= positives[j]);
        return;
    }
    for (size_t j = 0; j < positives.size(); ++j)
        out[j] += twice_below(scores, positives[j]);
}

int64_t twice_below_all(std::span<const float> scores, std::span<const float> positives)
{
    std::vector<int64_t> each(positives.size(), 0);
    twice_below_each(scores, positives, each);
    int64_t twice = 0;
    for (const int64_t t : each)
        twice += t;
    return twice;
}

double user_auc_from_counts(int64_t twice, int64_t positives, int64_t negatives)
{
    if (positives <= 0 || negatives <= 0)
        return kNaN;
    return static_cast<double>(twice) / (2.0 * static_cast<double>(positives) * static_cast<double>(negatives));
}

PositiveCounts positive_counts(const Dataset &dataset, int32_t user, std::span<const float> all_scores)
{
    PositiveCounts c;
    c.items = test_set(dataset, user);
    const auto train = dataset.train.row(user);
    for (const int32_t p : c.items)
        c.scores.push_back(all_scores[static_cast<size_t>(p)]);
    c.twice.assign(c.items.size(), 0);
    // Every item counted in one vector pass, then the items that are not negatives (the user's
    // train items and the positives themselves) taken back out.
    twice_below_each(all_scores, c.scores, c.twice);
    std::vector<int64_t> out(c.items.size(), 0);
    for (const int32_t t : train)
        twice_below_each(all_scores.subspan(static_cast<size_t>(t), 1), c.scores, out);
    for (const int32_t q : c.items)
        twice_below_each(all_scores.subspan(static_cast<size_t>(q), 1), c.scores, out);
    for (size_t j = 0; j < c.twice.size(); ++j)
        c.twice[j] -= out[j];
    c.negatives = static_cast<int64_t>(all_scores.size()) - static_cast<int64_t>(train.size())
                  - static_cast<int64_t>(c.items.size());
    return c;
}

double user_auc(const Dataset &dataset, int32_t user, std::span<const float> all_scores)
{
    const PositiveCounts c = positive_counts(dataset, user, all_scores);
    int64_t twice = 0;
    for (const int64_t t : c.twice)
        twice += t;
    return user_auc_from_counts(twice, static_cast<int64_t>(c.items.size()), c.negatives);
}

double reranked_auc(std::span<const int32_t> list, std::span<const float> list_scores, std::span<const int32_t> train,
                    std::span<const int32_t> positives, std::span<const float> positive_scores,
                    std::span<const int64_t> positive_twice, int64_t negatives)
{
    const auto positive = [&](int32_t item) { return std::binary_search(positives.begin(), positives.end(), item); };
    const auto in_train = [&](int32_t item) { return std::binary_search(train.begin(), train.end(), item); };
    // The list's negatives and their scores (train items are outside the universe: not counted).
    std::vector<float> listed_negative;
    for (size_t r = 0; r < list.size(); ++r)
        if (!in_train(list[r]) && !positive(list[r]))
            listed_negative.push_back(list_scores[r]);
    const auto unlisted_negatives = negatives - static_cast<int64_t>(listed_negative.size());
    int64_t twice = 0;
    // A listed positive is above the listed negatives after it and every unlisted negative.
    int64_t negatives_after = 0;
    for (size_t r = list.size(); r-- > 0;) {
        if (in_train(list[r]))
            continue;
        if (positive(list[r]))
            twice += 2 * (negatives_after + unlisted_negatives);
        else
            ++negatives_after;
    }
    // An unlisted positive is below the whole list and in model-score order among the unlisted
    // negatives (ties ½): its count over all negatives less the listed ones' share of it.
    for (size_t j = 0; j < positives.size(); ++j) {
        if (std::find(list.begin(), list.end(), positives[j]) != list.end())
            continue;
        int64_t t = positive_twice[j];
        for (const float x : listed_negative)
            t -= static_cast<int64_t>(x < positive_scores[j]) + static_cast<int64_t>(x <= positive_scores[j]);
        twice += t;
    }
    return user_auc_from_counts(twice, static_cast<int64_t>(positives.size()), negatives);
}

double reranked_user_auc(const Dataset &dataset, int32_t user, std::span<const float> all_scores,
                         std::span<const int32_t> list)
{
    const PositiveCounts c = positive_counts(dataset, user, all_scores);
    std::vector<float> list_scores;
    for (const int32_t item : list)
        list_scores.push_back(all_scores[static_cast<size_t>(item)]);
    return reranked_auc(list, list_scores, dataset.train.row(user), c.items, c.scores, c.twice, c.negatives);
}

RocCurve user_roc(const Dataset &dataset, int32_t user, std::span<const float> all_scores)
{
    const auto truth = test_set(dataset, user);
    auto train = dataset.train.row(user);
    std::vector<float> s;
    std::vector<uint8_t> l;
    s.reserve(all_scores.size());
    l.reserve(all_scores.size());
    for (int32_t it = 0; it < static_cast<int32_t>(all_scores.size()); ++it) {
        if (std::binary_search(train.begin(), train.end(), it))
            continue;
        s.push_back(all_scores[static_cast<size_t>(it)]);
        l.push_back(std::binary_search(truth.begin(), truth.end(), it) ? 1 : 0);
    }
    return roc_curve(s, l);
}

RocCurve pool_roc(const Dataset &dataset, int32_t user, std::span<const int32_t> pool, std::span<const int32_t> list)
{
    const auto truth = test_set(dataset, user);
    std::vector<int32_t> order(list.begin(), list.end());
    std::vector<int32_t> listed(list.begin(), list.end());
    std::sort(listed.begin(), listed.end());
    for (int32_t it : pool)
        if (!std::binary_search(listed.begin(), listed.end(), it))
            order.push_back(it);
    // Strictly falling scores by place: no ties, the curve is the ranking's own staircase.
    std::vector<float> s(order.size());
    std::vector<uint8_t> l(order.size());
    for (size_t i = 0; i < order.size(); ++i) {
        s[i] = static_cast<float>(order.size() - i);
        l[i] = std::binary_search(truth.begin(), truth.end(), order[i]) ? 1 : 0;
    }
    return roc_curve(s, l);
}

// ---- pooled ---------------------------------------------------------------------------------------

PooledAucAccumulator::PooledAucAccumulator(std::vector<float> positive_scores)
{
    for (float &f : positive_scores)
        if (f == 0.0f)
            f = 0.0f;
    std::sort(positive_scores.begin(), positive_scores.end());
    for (size_t i = 0; i < positive_scores.size();) {
        size_t j = i;
        while (j < positive_scores.size() && positive_scores[j] == positive_scores[i])
            ++j;
        m_pos.push_back(positive_scores[i]);
        m_pos_count.push_back(static_cast<int64_t>(j - i));
        i = j;
    }
    m_neg_equal.assign(m_pos.size(), 0);
    m_neg_below.assign(m_pos.size(), 0);
    // bucket_start[b] = first j with bucket(m_pos[j]) >= b. bucket() is monotone in the score, so a
    // score's slot lies within its own bucket's range of positives.
    const int bits = bucket_bits(m_pos.size());
    const size_t nb = (size_t{1} << bits) + 1;
    if (m_pos.size() > 1 && std::isfinite(m_pos.front()) && std::isfinite(m_pos.back())) {
        m_linear = true;
        m_lo = m_pos.front();
        m_scale = static_cast<float>(nb - 1) / (m_pos.back() - m_pos.front());
        m_linear = std::isfinite(m_scale) && m_scale > 0.0f;
    }
    m_bucket_start.assign(nb, static_cast<uint32_t>(m_pos.size()));
    size_t j = 0;
    for (size_t b = 0; b + 1 < nb; ++b) {
        while (j < m_pos.size() && bucket(m_pos[j]) < b)
            ++j;
        m_bucket_start[b] = static_cast<uint32_t>(j);
    }
}

size_t PooledAucAccumulator::bucket(float score) const
{
    const size_t last = m_bucket_start.size() - 2;
    if (!m_linear)
        return order_key(score) >> (32 - table_bits(m_bucket_start.size()));
    if (!(score > m_lo))
        return 0;
    const float x = (score - m_lo) * m_scale;
    return x >= static_cast<float>(last) ? last : static_cast<size_t>(x);
}

size_t PooledAucAccumulator::slot(float score) const
{
    const size_t b = bucket(score);
    auto first = m_pos.begin() + m_bucket_start[b];
    auto last = m_pos.begin() + m_bucket_start[b + 1];
    return static_cast<size_t>(std::lower_bound(first, last, score) - m_pos.begin());
}

void PooledAucAccumulator::add_negative(float score)
{
    const size_t j = slot(score);
    ++m_negatives;
    if (j == m_pos.size())
        ++m_neg_above;
    else if (m_pos[j] == score)
        ++m_neg_equal[j];
    else
        ++m_neg_below[j];
}

void PooledAucAccumulator::add_negatives(std::span<const float> negative_scores)
{
    for (float s : negative_scores)
        add_negative(s);
}

void PooledAucAccumulator::merge(const PooledAucAccumulator &other)
{
    if (other.m_pos != m_pos)
        throw Error("PooledAucAccumulator::merge: accumulators built from different positives");
    for (size_t j = 0; j < m_pos.size(); ++j) {
        m_neg_equal[j] += other.m_neg_equal[j];
        m_neg_below[j] += other.m_neg_below[j];
    }
    m_neg_above += other.m_neg_above;
    m_negatives += other.m_negatives;
}

double PooledAucAccumulator::auc() const
{
    // Σ over negatives of 2 · positives below + positives equal, from the slot histogram.
    PairCount twice = 0;
    int64_t positives_below = 0;
    for (size_t j = 0; j < m_pos.size(); ++j) {
        const auto below2 = static_cast<PairCount>(2 * positives_below);
        twice += static_cast<PairCount>(m_neg_below[j]) * below2;
        twice += static_cast<PairCount>(m_neg_equal[j]) * (below2 + static_cast<uint64_t>(m_pos_count[j]));
        positives_below += m_pos_count[j];
    }
    twice += static_cast<PairCount>(m_neg_above) * static_cast<uint64_t>(2 * positives_below);
    return pooled_auc_from_ranks(twice, positives_below, m_negatives);
}

double pooled_auc_from_ranks(PairCount twice_rank_sum, int64_t positives, int64_t negatives)
{
    if (positives <= 0 || negatives <= 0)
        return kNaN;
    const auto pairs2 = static_cast<PairCount>(2) * static_cast<uint64_t>(positives) * static_cast<uint64_t>(negatives);
    // Both integers are exact; long double holds them exactly up to 2^64 and rounds once beyond.
    return static_cast<double>(static_cast<long double>(pairs2 - twice_rank_sum) / static_cast<long double>(pairs2));
}

void append_roc_point(RocCurve &c, int64_t fp, int64_t tp, double threshold)
{
    const double x = c.negatives > 0 ? static_cast<double>(fp) / static_cast<double>(c.negatives) : kNaN;
    const double y = c.positives > 0 ? static_cast<double>(tp) / static_cast<double>(c.positives) : kNaN;
    if (!c.fpr.empty() && c.fpr.back() == x && c.tpr.back() == y)
        return;
    c.fpr.push_back(x);
    c.tpr.push_back(y);
    c.thresholds.push_back(threshold);
}

RocCurve PooledAucAccumulator::curve() const
{
    RocCurve c;
    for (int64_t p : m_pos_count)
        c.positives += p;
    c.negatives = m_negatives;
    c.auc = auc();
    auto push = [&](int64_t fp, int64_t tp, double thr) { append_roc_point(c, fp, tp, thr); };
    push(0, 0, std::numeric_limits<double>::infinity());
    int64_t fp = m_neg_above, tp = 0;
    for (size_t jj = m_pos.size(); jj-- > 0;) {
        push(fp, tp, m_pos[jj]); // just above this positive score: only higher scores count
        fp += m_neg_equal[jj];
        tp += m_pos_count[jj];
        push(fp, tp, m_pos[jj]);
        fp += m_neg_below[jj];
    }
    push(fp, tp, -std::numeric_limits<double>::infinity());
    return c;
}

} // namespace reclens

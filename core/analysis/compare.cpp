// Paired significance tests following scipy 1.10 (Debian 12), see docs/metrics.md.
#include "core/analysis/compare.h"
#include "core/common/error.h"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <map>
#include <numeric>
#include <random>

namespace reclens {

namespace {

std::vector<double> differences(std::span<const double> a, std::span<const double> b)
{
    if (a.size() != b.size())
        throw Error("paired test: the two samples differ in length");
    std::vector<double> d;
    d.reserve(a.size());
    for (size_t i = 0; i < a.size(); ++i)
        if (!std::isnan(a[i]) && !std::isnan(b[i]))
            d.push_back(b[i] - a[i]);
    return d;
}

// Average ranks (1-based) of v, ties get the mean rank (scipy.stats.rankdata 'average').
std::vector<double> average_ranks(const std::vector<double> &v, std::vector<int64_t> *tie_sizes)
{
    std::vector<size_t> order(v.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return v[x] < v[y]; });
    std::vector<double> r(v.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j < order.size() && v[order[j]] == v[order[i]])
            ++j;
        const double avg = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
        for (size_t t = i; t < j; ++t)
            r[order[t]] = avg;
        if (tie_sizes && j - i > 1)
            tie_sizes->push_back(static_cast<int64_t>(j - i));
        i = j;
    }
    return r;
}

} // namespace

double paired_t_p(std::span<const double> a, std::span<const double> b)
{
    const auto d = differences(a, b);
    const auto n = static_cast<double>(d.size());
    if (d.size() < 2)
        return kNaN;
    const double mean = std::accumulate(d.begin(), d.end(), 0.0) / n;
    double ss = 0;
    for (double x : d)
        ss += (x - mean) * (x - mean);
    const double sd = std::sqrt(ss / (n - 1));
    if (sd == 0)
        return mean == 0 ? kNaN : 0.0; // scipy: t = ±inf -> p = 0; 0/0 -> nan
    const double t = mean / (sd / std::sqrt(n));
    boost::math::students_t dist(n - 1);
    return 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t)));
}

double wilcoxon_p(std::span<const double> a, std::span<const double> b)
{
    // scipy.stats.wilcoxon(b, a) with defaults: zero_method='wilcox', correction=False,
    // alternative='two-sided', mode 'auto' -> exact when len(d) <= 50 and no zero difference.
    auto d = differences(a, b);
    if (d.empty())
        return kNaN;
    const bool has_zero = std::any_of(d.begin(), d.end(), [](double x) { return x == 0; });
    const bool exact = d.size() <= 50 && !has_zero;
    if (!exact)
        d.erase(std::remove(d.begin(), d.end(), 0.0), d.end());
    if (d.empty())
        return kNaN; // scipy raises: every difference is zero
    const size_t n = d.size();
    std::vector<double> absd(n);
    for (size_t i = 0; i < n; ++i)
        absd[i] = std::fabs(d[i]);
    std::vector<int64_t> ties;
    const auto r = average_ranks(absd, &ties);
    double r_plus = 0, r_minus = 0;
    for (size_t i = 0; i < n; ++i)
        (d[i] > 0 ? r_plus : r_minus) += r[i];
    const auto nn = static_cast<double>(n);
    if (!exact) {
        const double T = std::min(r_plus, r_minus);
        const double mn = nn * (nn + 1.0) * 0.25;
        double se = nn * (nn + 1.0) * (2.0 * nn + 1.0);
        for (int64_t t : ties)
            se -= 0.5 * static_cast<double>(t) * (static_cast<double>(t) * static_cast<double>(t) - 1.0);
        se = std::sqrt(se / 24.0);
        if (se == 0)
            return kNaN;
        const double z = (T - mn) / se;
        boost::math::normal norm;
        return 2.0 * boost::math::cdf(boost::math::complement(norm, std::fabs(z)));
    }
    // Exact null distribution of r_plus: subset sums of {1..n}, each subset with probability 2^-n.
    const size_t max_sum = n * (n + 1) / 2;
    std::vector<double> cnt(max_sum + 1, 0.0);
    cnt[0] = 1;
    for (size_t k = 1; k <= n; ++k)
        for (size_t s = max_sum; s >= k; --s)
            cnt[s] += cnt[s - k];
    const double total = std::ldexp(1.0, static_cast<int>(n));
    const auto rp = static_cast<size_t>(r_plus); // scipy truncates: int(r_plus)
    if (rp == max_sum / 2)
        return 1.0;
    double lo = 0, hi = 0;
    for (size_t s = 0; s <= max_sum; ++s) {
        if (s <= rp)
            lo += cnt[s];
        if (s >= rp)
            hi += cnt[s];
    }
    return std::min(1.0, 2.0 * std::min(lo, hi) / total);
}

namespace {

// x % n for a fixed n, exactly, by a multiply: q = ⌊x · ⌊(2⁶⁴ − 1) / n⌋ / 2⁶⁴⌋ is the true quotient
// or one less, so one conditional subtraction finishes the remainder (a division costs ~10x more).
class FixedModulo {
    __extension__ using Wide = unsigned __int128;

public:
    explicit FixedModulo(uint64_t n) : m_n(n), m_inverse(~uint64_t{0} / n) {}
    uint64_t operator()(uint64_t x) const
    {
        const auto q = static_cast<uint64_t>((static_cast<Wide>(x) * m_inverse) >> 64);
        uint64_t r = x - q * m_n;
        while (r >= m_n)
            r -= m_n;
        return r;
    }

private:
    uint64_t m_n, m_inverse;
};

std::pair<double, double> percentiles95(std::vector<double> &means)
{
    std::sort(means.begin(), means.end());
    auto pct = [&](double q) {
        const double pos = q * static_cast<double>(means.size() - 1);
        const auto lo = static_cast<size_t>(std::floor(pos));
        const size_t hi = std::min(lo + 1, means.size() - 1);
        return means[lo] + (pos - static_cast<double>(lo)) * (means[hi] - means[lo]);
    };
    return {pct(0.025), pct(0.975)};
}

} // namespace

std::vector<std::pair<double, double>> bootstrap_ci95_each(std::span<const std::vector<double>> differences,
                                                           int resamples, uint64_t seed)
{
    std::vector<std::pair<double, double>> out(differences.size(), {kNaN, kNaN});
    if (resamples < 1)
        return out;
    // Samples of one size read the same index stream: draw it once for the group, each index
    // fetching one row of the group's differences side by side.
    std::map<size_t, std::vector<size_t>> groups;
    for (size_t m = 0; m < differences.size(); ++m)
        if (!differences[m].empty())
            groups[differences[m].size()].push_back(m);
    for (const auto &[n, members] : groups) {
        const size_t g = members.size();
        std::vector<double> rows(n * g);
        for (size_t c = 0; c < g; ++c)
            for (size_t i = 0; i < n; ++i)
                rows[i * g + c] = differences[members[c]][i];
        std::vector<std::vector<double>> means(g, std::vector<double>(static_cast<size_t>(resamples)));
        std::vector<double> sums(g);
        std::mt19937_64 rng(seed);
        const FixedModulo modulo(n);
        for (size_t r = 0; r < static_cast<size_t>(resamples); ++r) {
            std::fill(sums.begin(), sums.end(), 0.0);
            for (size_t i = 0; i < n; ++i) {
                const double *row = rows.data() + modulo(rng()) * g;
                for (size_t c = 0; c < g; ++c)
                    sums[c] += row[c];
            }
            for (size_t c = 0; c < g; ++c)
                means[c][r] = sums[c] / static_cast<double>(n);
        }
        for (size_t c = 0; c < g; ++c)
            out[members[c]] = percentiles95(means[c]);
    }
    return out;
}

std::pair<double, double> bootstrap_ci95(std::span<const double> a, std::span<const double> b, int resamples,
                                         uint64_t seed)
{
    const std::vector<double> d[1] = {differences(a, b)};
    return bootstrap_ci95_each(d, resamples, seed).front();
}

namespace {

// paired_test without its bootstrap CI (compare_runs draws the CIs of all metrics at once).
PairedTest paired_test_without_ci(std::span<const double> a, std::span<const double> b)
{
    PairedTest t;
    const auto d = differences(a, b);
    t.n = static_cast<int64_t>(d.size());
    if (d.empty())
        return t;
    double sa = 0, sb = 0;
    for (size_t i = 0; i < a.size(); ++i)
        if (!std::isnan(a[i]) && !std::isnan(b[i])) {
            sa += a[i];
            sb += b[i];
        }
    t.mean_a = sa / static_cast<double>(t.n);
    t.mean_b = sb / static_cast<double>(t.n);
    t.delta = std::accumulate(d.begin(), d.end(), 0.0) / static_cast<double>(t.n);
    t.p_paired_t = paired_t_p(a, b);
    t.p_wilcoxon = wilcoxon_p(a, b);
    return t;
}

} // namespace

PairedTest paired_test(std::span<const double> a, std::span<const double> b)
{
    PairedTest t = paired_test_without_ci(a, b);
    if (t.n > 0)
        std::tie(t.ci95_low, t.ci95_high) = bootstrap_ci95(a, b);
    return t;
}

ComparisonResult compare_runs(const EvaluationResult &a, const EvaluationResult &b)
{
    ComparisonResult out;
    std::vector<std::pair<size_t, size_t>> rows;
    for (size_t i = 0, j = 0; i < a.users.size() && j < b.users.size();) {
        if (a.users[i] < b.users[j])
            ++i;
        else if (b.users[j] < a.users[i])
            ++j;
        else {
            rows.emplace_back(i, j);
            out.users.push_back(a.users[i]);
            ++i;
            ++j;
        }
    }
    if (rows.empty())
        throw Error("compare: the two runs share no evaluated user");
    out.a_users = a.users.size();
    out.b_users = b.users.size();
    out.shared_only = rows.size() != a.users.size() || rows.size() != b.users.size();
    std::vector<size_t> with_ci; // metrics whose CI is drawn below, and their differences
    std::vector<std::vector<double>> paired_differences;
    for (const auto &info : metric_catalog()) {
        MetricComparison mc;
        mc.metric = std::string(info.name);
        auto va = a.metrics.find(mc.metric), vb = b.metrics.find(mc.metric);
        mc.value_a = va != a.metrics.end() ? va->second : kNaN;
        mc.value_b = vb != b.metrics.end() ? vb->second : kNaN;
        if (info.per_user) {
            int id = 0;
            while (metric_name(static_cast<MetricId>(id)) != info.name)
                ++id;
            std::vector<double> xa, xb;
            for (auto [i, j] : rows) {
                xa.push_back(a.per_user[i].values[static_cast<size_t>(id)]);
                xb.push_back(b.per_user[j].values[static_cast<size_t>(id)]);
            }
            mc.test = paired_test_without_ci(xa, xb);
            if (mc.test.n > 0) {
                with_ci.push_back(out.metrics.size());
                paired_differences.push_back(differences(xa, xb));
            }
            if (out.shared_only) { // the same requests on both sides
                mc.value_a = mc.test.mean_a;
                mc.value_b = mc.test.mean_b;
            }
        } else if (!std::isnan(mc.value_a) && !std::isnan(mc.value_b)) {
            mc.test.delta = mc.value_b - mc.value_a;
        }
        out.metrics.push_back(std::move(mc));
    }
    const auto cis = bootstrap_ci95_each(paired_differences);
    for (size_t i = 0; i < with_ci.size(); ++i)
        std::tie(out.metrics[with_ci[i]].test.ci95_low, out.metrics[with_ci[i]].test.ci95_high) = cis[i];
    return out;
}

std::vector<double> holm_adjust(std::span<const double> p)
{
    std::vector<size_t> order;
    for (size_t i = 0; i < p.size(); ++i)
        if (!std::isnan(p[i]))
            order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
    std::vector<double> out(p.size(), kNaN);
    const auto m = static_cast<double>(order.size());
    double running = 0.0;
    for (size_t j = 0; j < order.size(); ++j) {
        running = std::max(running, std::min(1.0, (m - static_cast<double>(j)) * p[order[j]]));
        out[order[j]] = running;
    }
    return out;
}

std::vector<ComparisonResult> compare_to_baseline(const EvaluationResult &baseline,
                                                  std::span<const EvaluationResult *const> others)
{
    std::vector<ComparisonResult> out;
    out.reserve(others.size());
    for (const EvaluationResult *r : others)
        out.push_back(compare_runs(baseline, *r));
    if (out.empty())
        return out;
    for (size_t m = 0; m < out.front().metrics.size(); ++m) {
        std::vector<double> t, w;
        for (const auto &c : out) {
            t.push_back(c.metrics[m].test.p_paired_t);
            w.push_back(c.metrics[m].test.p_wilcoxon);
        }
        const auto ht = holm_adjust(t), hw = holm_adjust(w);
        for (size_t i = 0; i < out.size(); ++i) {
            out[i].metrics[m].p_paired_t_holm = ht[i];
            out[i].metrics[m].p_wilcoxon_holm = hw[i];
        }
    }
    return out;
}

} // namespace reclens

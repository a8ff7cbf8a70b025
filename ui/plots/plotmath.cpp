#include "ui/plots/plotmath.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>

namespace reclens::ui
{

CategoryBars CategoryBars::compute(const std::vector<std::vector<int32_t>> &keys, int maxGroups)
{
    CategoryBars bars;
    std::map<int32_t, double> best; // key -> largest share in any series
    std::vector<std::map<int32_t, double>> perSeries(keys.size());
    for (size_t s = 0; s < keys.size(); ++s) {
        if (keys[s].empty())
            continue;
        const double unit = 1.0 / static_cast<double>(keys[s].size());
        for (int32_t k : keys[s])
            perSeries[s][k < 0 ? kUnknown : k] += unit;
        for (const auto &[k, share] : perSeries[s])
            best[k] = std::max(best[k], share);
    }
    std::vector<std::pair<int32_t, double>> order(best.begin(), best.end());
    std::stable_sort(order.begin(), order.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    const size_t limit = static_cast<size_t>(std::max(1, maxGroups));
    const bool fold = order.size() > limit;
    const size_t kept = fold ? limit - 1 : order.size();
    for (size_t i = 0; i < kept; ++i)
        bars.categories.push_back(order[i].first);
    if (fold)
        bars.categories.push_back(kOther);
    bars.shares.assign(keys.size(), std::vector<double>(bars.categories.size(), 0.0));
    for (size_t s = 0; s < keys.size(); ++s) {
        for (const auto &[k, share] : perSeries[s]) {
            auto it = std::find(bars.categories.begin(), bars.categories.begin() + static_cast<long>(kept), k);
            const size_t g = it != bars.categories.begin() + static_cast<long>(kept)
                ? static_cast<size_t>(it - bars.categories.begin())
                : bars.categories.size() - 1; // only reachable when folding
            bars.shares[s][g] += share;
        }
    }
    return bars;
}

std::vector<RankMove> RankMove::compare(std::span<const int32_t> reference, std::span<const int32_t> shown)
{
    std::unordered_map<int32_t, int> position;
    for (size_t i = 0; i < reference.size(); ++i)
        position.emplace(reference[i], static_cast<int>(i));
    std::vector<RankMove> moves(shown.size());
    for (size_t i = 0; i < shown.size(); ++i) {
        auto it = position.find(shown[i]);
        if (it == position.end()) {
            moves[i].kind = Kind::New;
            continue;
        }
        const int diff = it->second - static_cast<int>(i);
        moves[i].kind = diff > 0 ? Kind::Up : diff < 0 ? Kind::Down : Kind::Same;
        moves[i].steps = std::abs(diff);
    }
    return moves;
}

std::vector<int32_t> RankMove::dropped(std::span<const int32_t> reference, std::span<const int32_t> shown)
{
    std::vector<int32_t> out;
    for (int32_t item : reference) {
        if (std::find(shown.begin(), shown.end(), item) == shown.end())
            out.push_back(item);
    }
    return out;
}

std::string RankMove::label() const
{
    switch (kind) {
    case Kind::Up:
        return "\u25B2" + std::to_string(steps);
    case Kind::Down:
        return "\u25BC" + std::to_string(steps);
    case Kind::New:
        return "new";
    case Kind::Dropped:
        return "dropped";
    case Kind::Same:
        break;
    }
    return "\u2013";
}

RocPoints RocPoints::thin(std::span<const double> fpr, std::span<const double> tpr, size_t maxPoints)
{
    RocPoints out;
    const size_t n = std::min(fpr.size(), tpr.size());
    if (n <= std::max<size_t>(maxPoints, 2)) {
        out.fpr.assign(fpr.begin(), fpr.begin() + static_cast<long>(n));
        out.tpr.assign(tpr.begin(), tpr.begin() + static_cast<long>(n));
        return out;
    }
    // A point is a corner unless it lies on the straight line through its neighbours.
    std::vector<size_t> keep { 0 };
    for (size_t i = 1; i + 1 < n; ++i) {
        const double cross
            = (fpr[i] - fpr[i - 1]) * (tpr[i + 1] - tpr[i]) - (tpr[i] - tpr[i - 1]) * (fpr[i + 1] - fpr[i]);
        if (std::abs(cross) > 1e-15)
            keep.push_back(i);
    }
    keep.push_back(n - 1);
    if (keep.size() > maxPoints && maxPoints >= 2) {
        std::vector<size_t> sampled;
        const double step = static_cast<double>(keep.size() - 1) / static_cast<double>(maxPoints - 1);
        for (size_t j = 0; j < maxPoints; ++j)
            sampled.push_back(keep[static_cast<size_t>(std::llround(static_cast<double>(j) * step))]);
        keep = std::move(sampled);
    }
    for (size_t i : keep) {
        out.fpr.push_back(fpr[i]);
        out.tpr.push_back(tpr[i]);
    }
    return out;
}

double RocPoints::area() const
{
    double a = 0;
    for (size_t i = 1; i < fpr.size() && i < tpr.size(); ++i)
        a += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2.0;
    return a;
}

DiversityScale DiversityScale::forMetric(const std::string &metric, int k, int64_t nUsers, int categoryCount)
{
    DiversityScale scale;
    scale.metric = metric;
    const double kk = std::max(1, k);
    if (metric == "category_count") {
        scale.maximum = std::max(1.0, std::min(kk, static_cast<double>(std::max(1, categoryCount))));
    } else if (metric == "entropy") {
        const double bins = std::min(kk, static_cast<double>(std::max(1, categoryCount)));
        scale.maximum = bins > 1 ? std::log2(bins) : 1.0;
    } else if (metric == "novelty") {
        scale.maximum = nUsers > 1 ? std::log2(static_cast<double>(nUsers)) : 1.0;
    } else if (metric == "calibration_kl") {
        scale.maximum = 4.0; // bits; beyond this a list shares almost nothing with the history
    } else {
        scale.maximum = 1.0; // ild_*, long_tail_share, coverage-like shares
    }
    return scale;
}

double DiversityScale::fraction(double value) const
{
    if (std::isnan(value))
        return value;
    return std::clamp(value / maximum, 0.0, 1.0);
}

bool TradeoffCurve::pointAt(double d, double &outX, double &outY) const
{
    const size_t n = std::min({ delta.size(), x.size(), y.size() });
    if (n == 0)
        return false;
    if (d <= delta[0] || n == 1) {
        outX = x[0];
        outY = y[0];
        return true;
    }
    if (d >= delta[n - 1]) {
        outX = x[n - 1];
        outY = y[n - 1];
        return true;
    }
    size_t i = 1;
    while (i < n && delta[i] < d)
        ++i;
    const double span = delta[i] - delta[i - 1];
    const double t = span > 0 ? (d - delta[i - 1]) / span : 0.0;
    outX = x[i - 1] + t * (x[i] - x[i - 1]);
    outY = y[i - 1] + t * (y[i] - y[i - 1]);
    return true;
}

AxisRange AxisRange::around(std::span<const double> values, double padFraction, bool includeZero)
{
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double v : values) {
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    if (!std::isfinite(lo))
        return {};
    if (includeZero) {
        lo = std::min(lo, 0.0);
        hi = std::max(hi, 0.0);
    }
    double width = hi - lo;
    if (width <= 0)
        width = std::max(std::abs(hi), 1.0) * 0.1;
    const double pad = width * padFraction;
    AxisRange r;
    r.lower = (includeZero && lo == 0.0) ? 0.0 : lo - pad;
    r.upper = hi + pad;
    if (r.upper <= r.lower)
        r.upper = r.lower + 1;
    return r;
}

} // namespace reclens::ui

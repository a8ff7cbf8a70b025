#include "core/analysis/viewmath.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>

namespace reclens
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

} // namespace reclens

#include "ui/plots/plotmath.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>

namespace reclens::ui
{

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

std::vector<double> placeBarLabels(std::span<const BarLabel> labels, double lineHeight, double gap, double ceiling)
{
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> bottom(labels.size(), kNaN);
    // The placed labels that label i, with its bottom at y, would touch; the highest of them.
    auto highestTouched = [&](size_t i, double y) {
        double highest = kNaN;
        for (size_t j = 0; j < i; ++j) {
            if (std::isnan(bottom[j]))
                continue;
            const bool side = std::abs(labels[i].center - labels[j].center) < (labels[i].width + labels[j].width) / 2 + gap;
            if (side && std::abs(y - bottom[j]) < lineHeight)
                highest = std::isnan(highest) ? bottom[j] : std::min(highest, bottom[j]);
        }
        return highest;
    };
    for (size_t i = 0; i < labels.size(); ++i) {
        double y = labels[i].top;
        const double touched = highestTouched(i, y);
        if (!std::isnan(touched)) {
            y = touched - lineHeight;
            if (!std::isnan(highestTouched(i, y)))
                continue;
        }
        if (y - lineHeight >= ceiling)
            bottom[i] = y;
    }
    return bottom;
}

} // namespace reclens::ui

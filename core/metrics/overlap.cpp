#include "core/metrics/overlap.h"

#include "core/common/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>
#include <vector>

namespace reclens {

namespace {

std::vector<int32_t> valid(std::span<const int32_t> list)
{
    std::vector<int32_t> out;
    out.reserve(list.size());
    for (int32_t item : list)
        if (item >= 0)
            out.push_back(item);
    return out;
}

} // namespace

double jaccard(std::span<const int32_t> a, std::span<const int32_t> b)
{
    const std::vector<int32_t> x = valid(a), y = valid(b);
    const std::unordered_set<int32_t> sx(x.begin(), x.end()), sy(y.begin(), y.end());
    if (sx.empty() && sy.empty())
        return std::numeric_limits<double>::quiet_NaN();
    size_t shared = 0;
    for (int32_t item : sx)
        shared += sy.count(item);
    return static_cast<double>(shared) / static_cast<double>(sx.size() + sy.size() - shared);
}

double rank_biased_overlap(std::span<const int32_t> a, std::span<const int32_t> b, double p)
{
    if (!(p > 0.0 && p < 1.0))
        throw Error("rank-biased overlap: p must lie strictly between 0 and 1");
    std::vector<int32_t> shortList = valid(a), longList = valid(b);
    if (shortList.size() > longList.size())
        std::swap(shortList, longList);
    const size_t s = shortList.size(), l = longList.size();
    if (l == 0)
        return std::numeric_limits<double>::quiet_NaN();
    if (s == 0)
        return 0.0;
    // X_d: items shared by the depth-d prefixes (the short list stays whole past its end).
    std::unordered_set<int32_t> seenShort, seenLong;
    double x = 0.0, xs = 0.0, sum = 0.0, pd = 1.0;
    for (size_t d = 1; d <= l; ++d) {
        pd *= p;
        const int32_t fromLong = longList[d - 1];
        if (d <= s) {
            const int32_t fromShort = shortList[d - 1];
            if (fromShort == fromLong)
                x += 1.0;
            else {
                x += static_cast<double>(seenLong.count(fromShort)) + static_cast<double>(seenShort.count(fromLong));
            }
            seenShort.insert(fromShort);
            seenLong.insert(fromLong);
            if (d == s)
                xs = x;
        } else {
            x += static_cast<double>(seenShort.count(fromLong));
        }
        const auto dd = static_cast<double>(d);
        sum += x / dd * pd;
        if (d > s)
            sum += xs * (dd - static_cast<double>(s)) / (static_cast<double>(s) * dd) * pd;
    }
    const auto ld = static_cast<double>(l), sd = static_cast<double>(s);
    return (1.0 - p) / p * sum + ((x - xs) / ld + xs / sd) * pd;
}

} // namespace reclens

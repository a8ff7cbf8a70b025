// Aggregate metrics over all lists, category distributions and strata (DESIGN §5).
#include "core/metrics/metrics.h"

#include <algorithm>
#include <numeric>

namespace reclens {

std::vector<int64_t> exposure_counts(int32_t n_items, std::span<const std::vector<int32_t>> lists)
{
    std::vector<int64_t> c(static_cast<size_t>(std::max(n_items, 0)), 0);
    for (const auto &l : lists)
        for (int32_t it : l)
            if (it >= 0 && it < n_items)
                ++c[static_cast<size_t>(it)];
    return c;
}

AggregateMetrics aggregate_metrics(const Dataset &dataset, std::span<const std::vector<int32_t>> lists, int k)
{
    AggregateMetrics a;
    const int32_t n_items = dataset.n_items();
    if (n_items <= 0)
        return a;
    auto c = exposure_counts(n_items, lists);
    int64_t total = 0, distinct = 0;
    long double pairs = 0; // Σ c_i (c_i - 1) / 2
    double h = 0;
    for (int64_t x : c) {
        total += x;
        distinct += x > 0;
        pairs += static_cast<long double>(x) * static_cast<long double>(x - 1) / 2.0L;
    }
    a.catalog_coverage = static_cast<double>(distinct) / n_items;
    if (total > 0) {
        for (int64_t x : c)
            if (x > 0) {
                const double p = static_cast<double>(x) / static_cast<double>(total);
                h -= p * std::log2(p);
            }
        a.exposure_entropy = h + 0.0;
        std::sort(c.begin(), c.end());
        const auto n = static_cast<long double>(n_items);
        long double g = 0;
        for (size_t j = 0; j < c.size(); ++j)
            g += (2.0L * static_cast<long double>(j + 1) - n - 1.0L) * static_cast<long double>(c[j]);
        a.gini = static_cast<double>(g / (n * static_cast<long double>(total)));
    }
    const auto nu = static_cast<long double>(lists.size());
    if (lists.size() >= 2 && k > 0)
        a.personalization = static_cast<double>(1.0L - pairs / (static_cast<long double>(k) * nu * (nu - 1) / 2.0L));
    return a;
}

namespace {

int resolved(const Dataset &ds, int level)
{
    if (ds.category_levels <= 0)
        return 0;
    return (level <= 0 || level > ds.category_levels) ? ds.category_levels : level;
}

} // namespace

std::vector<CategoryShare> category_shares(const Dataset &dataset, std::span<const int32_t> items, int level)
{
    const int lv = resolved(dataset, level);
    std::vector<int32_t> b;
    b.reserve(items.size());
    for (int32_t it : items) {
        auto path = dataset.item_path(it);
        b.push_back(path.empty() || lv <= 0 ? std::numeric_limits<int32_t>::max()
                                            : path[std::min(static_cast<size_t>(lv), path.size()) - 1]);
    }
    std::sort(b.begin(), b.end());
    std::vector<CategoryShare> out;
    for (size_t i = 0; i < b.size();) {
        size_t j = i;
        while (j < b.size() && b[j] == b[i])
            ++j;
        CategoryShare s;
        s.category = b[i] == std::numeric_limits<int32_t>::max() ? -1 : b[i];
        s.count = static_cast<int64_t>(j - i);
        s.share = static_cast<double>(j - i) / static_cast<double>(b.size());
        out.push_back(s);
        i = j;
    }
    return out;
}

std::vector<CategoryShare> history_shares(const Dataset &dataset, int32_t user, int level)
{
    return category_shares(dataset, dataset.train.row(user), level);
}

Strata compute_strata(const MetricContext &ctx, std::span<const int32_t> users,
                      std::span<const std::vector<int32_t>> lists, std::span<const UserMetrics> per_user)
{
    const Dataset &ds = ctx.dataset();
    Strata s;
    // Item popularity strata, pooled over users.
    for (int32_t i = 0; i < ds.n_items(); ++i)
        (ctx.is_head(i) ? s.head : s.tail).items += 1;
    for (size_t r = 0; r < users.size(); ++r) {
        const auto truth = test_set(ds, users[r]);
        std::vector<int32_t> list(lists[r].begin(), lists[r].end());
        std::sort(list.begin(), list.end());
        int64_t th = 0, tt = 0, hh = 0, ht = 0;
        for (int32_t it : truth) {
            const bool hit = std::binary_search(list.begin(), list.end(), it);
            if (ctx.is_head(it)) {
                ++th;
                hh += hit;
            } else {
                ++tt;
                ht += hit;
            }
        }
        auto add = [](PopularityStratum &p, int64_t t, int64_t h) {
            p.test_items += t;
            p.hits += h;
            if (t > 0) {
                ++p.users;
                p.hit_rate = (std::isnan(p.hit_rate) ? 0.0 : p.hit_rate) + (h > 0 ? 1.0 : 0.0);
            }
        };
        add(s.head, th, hh);
        add(s.tail, tt, ht);
    }
    for (PopularityStratum *p : {&s.head, &s.tail}) {
        if (p->test_items > 0)
            p->recall = static_cast<double>(p->hits) / static_cast<double>(p->test_items);
        if (p->users > 0)
            p->hit_rate /= static_cast<double>(p->users);
    }

    auto group = [&](std::string name, const std::vector<size_t> &rows) {
        UserGroupStratum g;
        g.name = std::move(name);
        g.users = static_cast<int64_t>(rows.size());
        std::vector<UserMetrics> sub;
        sub.reserve(rows.size());
        g.train_min = rows.empty() ? 0 : std::numeric_limits<int64_t>::max();
        for (size_t r : rows) {
            sub.push_back(per_user[r]);
            const int64_t t = ds.train.row_size(users[r]);
            g.train_min = std::min(g.train_min, t);
            g.train_max = std::max(g.train_max, t);
        }
        const auto means = mean_metrics(sub);
        std::copy_n(means.begin(), kAccuracyMetricCount, g.metrics.begin());
        return g;
    };

    // Activity terciles: users sorted by train count (ties by user index), cut into three groups
    // of sizes floor/ceil(n/3) as numpy.array_split does (first groups get the extra users).
    std::vector<size_t> order(users.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const auto ta = ds.train.row_size(users[a]), tb = ds.train.row_size(users[b]);
        return ta != tb ? ta < tb : users[a] < users[b];
    });
    const size_t n = order.size();
    const char *names[3] = {"low", "mid", "high"};
    size_t start = 0;
    for (size_t g = 0; g < 3; ++g) {
        const size_t len = n / 3 + (g < n % 3 ? 1 : 0);
        s.activity.push_back(group(names[g], std::vector<size_t>(order.begin() + static_cast<long>(start),
                                                                  order.begin() + static_cast<long>(start + len))));
        start += len;
    }

    // Segments.
    std::map<std::string, std::vector<size_t>> seg;
    for (size_t r = 0; r < users.size(); ++r) {
        const auto u = static_cast<size_t>(users[r]);
        const std::string &name = u < ds.user_segment.size() ? ds.user_segment[u] : std::string();
        seg[name.empty() ? std::string("(none)") : name].push_back(r);
    }
    for (auto &[name, rows] : seg)
        s.segments.push_back(group(name, rows));
    return s;
}

} // namespace reclens

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
    return aggregate_metrics(dataset.n_items(), lists, k);
}

AggregateMetrics aggregate_metrics(int32_t n_items, std::span<const std::vector<int32_t>> lists, int k)
{
    AggregateMetrics a;
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

UserStratumFacts stratum_facts(const MetricContext &ctx, int32_t user, std::span<const int32_t> list)
{
    const Dataset &ds = ctx.dataset();
    UserStratumFacts f;
    f.train = ds.train.row_size(user);
    const auto u = static_cast<size_t>(user);
    if (u < ds.user_segment.size())
        f.segment = ds.user_segment[u];
    std::vector<int32_t> sorted(list.begin(), list.end());
    std::sort(sorted.begin(), sorted.end());
    for (int32_t it : test_set(ds, user)) {
        const bool hit = std::binary_search(sorted.begin(), sorted.end(), it);
        if (ctx.is_head(it)) {
            ++f.head_test;
            f.head_hits += hit;
        } else {
            ++f.tail_test;
            f.tail_hits += hit;
        }
    }
    return f;
}

Strata compute_strata(const MetricContext &ctx, std::span<const int32_t> users,
                      std::span<const std::vector<int32_t>> lists, std::span<const UserMetrics> per_user)
{
    std::vector<UserStratumFacts> facts(users.size());
    for (size_t r = 0; r < users.size(); ++r)
        facts[r] = stratum_facts(ctx, users[r], lists[r]);
    const int64_t head = ctx.head_size();
    return combine_strata(users, facts, per_user, head, ctx.dataset().n_items() - head);
}

Strata combine_strata(std::span<const int32_t> users, std::span<const UserStratumFacts> facts,
                      std::span<const UserMetrics> per_user, int64_t head_items, int64_t tail_items)
{
    Strata s;
    s.head.items = head_items;
    s.tail.items = tail_items;
    auto add = [](PopularityStratum &p, int64_t t, int64_t h) {
        p.test_items += t;
        p.hits += h;
        if (t > 0) {
            ++p.users;
            p.hit_rate = (std::isnan(p.hit_rate) ? 0.0 : p.hit_rate) + (h > 0 ? 1.0 : 0.0);
        }
    };
    for (const UserStratumFacts &f : facts) {
        add(s.head, f.head_test, f.head_hits);
        add(s.tail, f.tail_test, f.tail_hits);
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
            const int64_t t = facts[r].train;
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
        const auto ta = facts[a].train, tb = facts[b].train;
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
    for (size_t r = 0; r < users.size(); ++r)
        seg[facts[r].segment.empty() ? std::string("(none)") : facts[r].segment].push_back(r);
    for (auto &[name, rows] : seg)
        s.segments.push_back(group(name, rows));
    return s;
}

} // namespace reclens

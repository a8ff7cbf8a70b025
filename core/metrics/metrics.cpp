// Per-list metrics of DESIGN §5 and the context they share.
#include "core/common/vectors.h"
#include "core/metrics/metrics.h"

#include <algorithm>
#include <numeric>

namespace reclens {

namespace {

std::vector<int32_t> item_popularity(const Dataset &ds)
{
    if (ds.popularity.size() == static_cast<size_t>(ds.n_items()))
        return ds.popularity;
    std::vector<int32_t> pop(static_cast<size_t>(ds.n_items()), 0);
    for (int32_t it : ds.train.items)
        ++pop[static_cast<size_t>(it)];
    return pop;
}

int resolve_level(const Dataset &ds, int level)
{
    if (ds.category_levels <= 0)
        return 0;
    if (level <= 0 || level > ds.category_levels)
        return ds.category_levels;
    return level;
}

int32_t bucket_of(const Dataset &ds, int32_t item, int level, int32_t unknown)
{
    auto path = ds.item_path(item);
    if (path.empty() || level <= 0)
        return unknown;
    return path[std::min(static_cast<size_t>(level), path.size()) - 1];
}

} // namespace

std::vector<uint8_t> compute_head(const Dataset &dataset, double share)
{
    const auto pop = item_popularity(dataset);
    std::vector<uint8_t> head(pop.size(), 0);
    int64_t total = 0;
    for (int32_t p : pop)
        total += p;
    if (total <= 0)
        return head;
    std::vector<int32_t> order(pop.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int32_t a, int32_t b) { return pop[static_cast<size_t>(a)] > pop[static_cast<size_t>(b)]; });
    // Integer threshold so 80% of e.g. 10 is exactly 8 (no floating-point surprise).
    const auto needed = static_cast<int64_t>(std::ceil(share * static_cast<double>(total) - 1e-9));
    int64_t cum = 0;
    for (int32_t it : order) {
        if (cum >= needed)
            break;
        head[static_cast<size_t>(it)] = 1;
        cum += pop[static_cast<size_t>(it)];
    }
    return head;
}

MetricContext::MetricContext(const Dataset &dataset, int category_level, std::span<const float> item_embeddings,
                             int dim)
    : m_dataset(&dataset)
    , m_level(resolve_level(dataset, category_level))
{
    const auto n = static_cast<size_t>(dataset.n_items());
    m_bucket.resize(n);
    for (size_t i = 0; i < n; ++i)
        m_bucket[i] = bucket_of(dataset, static_cast<int32_t>(i), m_level, unknown_bucket());
    m_head = compute_head(dataset);
    m_head_size = static_cast<int32_t>(std::count(m_head.begin(), m_head.end(), uint8_t{1}));
    // One dimension is a score column (e.g. popularity), not a representation: every unit vector is
    // ±1, so a "distance" would read 0 as if measured. ild_embedding is undefined (NaN) then.
    if (dim >= kMinEmbeddingDim && item_embeddings.size() == n * static_cast<size_t>(dim)) {
        m_dim = dim;
        m_unit = unit_rows(item_embeddings, n, dim);
    }
}

double MetricContext::embedding_distance(int32_t a, int32_t b) const
{
    if (m_dim <= 0)
        return kNaN;
    auto ea = unit_embedding(a);
    auto eb = unit_embedding(b);
    double dot = 0;
    for (int d = 0; d < m_dim; ++d)
        dot += static_cast<double>(ea[static_cast<size_t>(d)]) * eb[static_cast<size_t>(d)];
    return 1.0 - dot;
}

void MetricContext::embedding_distances(int32_t a, std::span<const int32_t> others, std::span<double> out) const
{
    size_t j = 0;
    if (m_dim > 0) {
        const auto ea = unit_embedding(a);
        for (; j + 4 <= others.size(); j += 4) {
            const auto e0 = unit_embedding(others[j]), e1 = unit_embedding(others[j + 1]);
            const auto e2 = unit_embedding(others[j + 2]), e3 = unit_embedding(others[j + 3]);
            double d0 = 0, d1 = 0, d2 = 0, d3 = 0; // four independent sums, each in embedding_distance's order
            for (size_t d = 0; d < static_cast<size_t>(m_dim); ++d) {
                const auto x = static_cast<double>(ea[d]);
                d0 += x * e0[d];
                d1 += x * e1[d];
                d2 += x * e2[d];
                d3 += x * e3[d];
            }
            out[j] = 1.0 - d0;
            out[j + 1] = 1.0 - d1;
            out[j + 2] = 1.0 - d2;
            out[j + 3] = 1.0 - d3;
        }
    }
    for (; j < others.size(); ++j)
        out[j] = embedding_distance(a, others[j]);
}

std::vector<std::pair<int32_t, double>> MetricContext::history_distribution(int32_t user) const
{
    auto row = m_dataset->train.row(user);
    std::vector<std::pair<int32_t, double>> out;
    if (row.empty())
        return out;
    std::vector<int32_t> b;
    b.reserve(row.size());
    for (int32_t it : row)
        b.push_back(bucket(it));
    std::sort(b.begin(), b.end());
    for (size_t i = 0; i < b.size();) {
        size_t j = i;
        while (j < b.size() && b[j] == b[i])
            ++j;
        out.emplace_back(b[i], static_cast<double>(j - i) / static_cast<double>(b.size()));
        i = j;
    }
    return out;
}

std::vector<int32_t> test_set(const Dataset &dataset, int32_t user)
{
    auto test = dataset.test.row(user);
    auto train = dataset.train.row(user);
    std::vector<int32_t> out;
    out.reserve(test.size());
    std::set_difference(test.begin(), test.end(), train.begin(), train.end(), std::back_inserter(out));
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<int32_t> evaluated_users(const Dataset &dataset)
{
    std::vector<int32_t> users;
    if (dataset.judgements) { // trec_eval: every request with a judgement, relevant or not
        for (int32_t u = 0; u < dataset.n_users(); ++u)
            if (dataset.judgements->judged_request(u))
                users.push_back(u);
        return users;
    }
    for (int32_t u = 0; u < dataset.n_users(); ++u) {
        if (static_cast<size_t>(u) + 1 >= dataset.test.offsets.size() || dataset.test.row_size(u) == 0)
            continue;
        auto test = dataset.test.row(u);
        auto train = dataset.train.row(u);
        bool any = false;
        for (int32_t it : test)
            if (!std::binary_search(train.begin(), train.end(), it)) {
                any = true;
                break;
            }
        if (any)
            users.push_back(u);
    }
    return users;
}

namespace {

// The accuracy metrics under trec_eval's conventions (DESIGN §11, docs/metrics.md): relevant =
// judged grade >= threshold, judged ids the dataset lacks included in the counts; gains are the
// grades above 0; a judged request without a relevant item gets 0, not NaN. `truth`: the relevant
// items of the ranking universe (test_set); judged items in the request's train history are outside
// the universe and count nowhere. `top`: the list's first min(|L|, k) items.
void graded_accuracy(const Judgements &j, int32_t request, std::span<const int32_t> train,
                     std::span<const int32_t> truth, std::span<const int32_t> top, int k, UserMetrics &m)
{
    const auto judged = j.judged.row(request);
    const auto grades = j.judged.row_weights(request);
    auto grade_of = [&](int32_t item) {
        const float g = j.grade(request, item);
        return std::isnan(g) ? 0.0 : static_cast<double>(g);
    };
    // The ideal ordering of every judged grade above 0 (the universe's and the outside ids').
    std::vector<double> ideal;
    int64_t relevant = static_cast<int64_t>(truth.size());
    for (size_t i = 0; i < judged.size(); ++i)
        if (grades[i] > 0 && !std::binary_search(train.begin(), train.end(), judged[i]))
            ideal.push_back(grades[i]);
    for (const int32_t g : j.outside(request)) {
        if (g > 0)
            ideal.push_back(g);
        relevant += g >= j.threshold ? 1 : 0;
    }
    std::sort(ideal.begin(), ideal.end(), std::greater<>());

    double dcg = 0, ap = 0, rr = 0;
    int hits = 0;
    for (size_t r = 0; r < top.size(); ++r) {
        const double g = grade_of(top[r]);
        if (g > 0)
            dcg += g / std::log2(static_cast<double>(r) + 2.0);
        if (!std::binary_search(truth.begin(), truth.end(), top[r]))
            continue;
        ++hits;
        ap += static_cast<double>(hits) / static_cast<double>(r + 1);
        if (rr == 0)
            rr = 1.0 / static_cast<double>(r + 1);
    }
    double idcg = 0;
    for (size_t r = 0; r < ideal.size() && r < static_cast<size_t>(k); ++r)
        idcg += ideal[r] / std::log2(static_cast<double>(r) + 2.0);
    const double p = static_cast<double>(hits) / k;
    const double rec = relevant > 0 ? static_cast<double>(hits) / static_cast<double>(relevant) : 0.0;
    m.hits = hits;
    m[MetricId::precision] = p;
    m[MetricId::recall] = rec;
    m[MetricId::f1] = (p + rec) > 0 ? 2 * p * rec / (p + rec) : 0.0;
    m[MetricId::hit_rate] = hits > 0 ? 1.0 : 0.0;
    m[MetricId::ndcg] = idcg > 0 ? dcg / idcg : 0.0;
    m[MetricId::map] = relevant > 0 ? ap / static_cast<double>(relevant) : 0.0;
    m[MetricId::mrr] = rr;
}

} // namespace

UserMetrics user_metrics(const MetricContext &ctx, int32_t user, std::span<const int32_t> list, int k, double auc)
{
    const Dataset &ds = ctx.dataset();
    UserMetrics m;
    m.values.fill(kNaN);
    const auto truth = test_set(ds, user);
    const size_t n = std::min(list.size(), static_cast<size_t>(std::max(k, 0)));
    m.list_size = static_cast<int>(n);
    m.test_size = static_cast<int>(truth.size());

    // Accuracy.
    if (ds.judgements && ds.judgements->judged_request(user) && k > 0) {
        graded_accuracy(*ds.judgements, user, ds.train.row(user), truth, list.first(n), k, m);
        m[MetricId::auc] = auc;
    } else if (!truth.empty() && k > 0) {
        double dcg = 0, ap = 0, rr = 0;
        int hits = 0;
        for (size_t r = 0; r < n; ++r) {
            if (!std::binary_search(truth.begin(), truth.end(), list[r]))
                continue;
            ++hits;
            dcg += 1.0 / std::log2(static_cast<double>(r) + 2.0);
            ap += static_cast<double>(hits) / static_cast<double>(r + 1);
            if (rr == 0)
                rr = 1.0 / static_cast<double>(r + 1);
        }
        const int ideal = std::min(static_cast<int>(truth.size()), k);
        double idcg = 0;
        for (int r = 0; r < ideal; ++r)
            idcg += 1.0 / std::log2(static_cast<double>(r) + 2.0);
        const double p = static_cast<double>(hits) / k;
        const double rec = static_cast<double>(hits) / static_cast<double>(truth.size());
        m.hits = hits;
        m[MetricId::precision] = p;
        m[MetricId::recall] = rec;
        m[MetricId::f1] = (p + rec) > 0 ? 2 * p * rec / (p + rec) : 0.0;
        m[MetricId::hit_rate] = hits > 0 ? 1.0 : 0.0;
        m[MetricId::ndcg] = dcg / idcg;
        m[MetricId::map] = ap / ideal;
        m[MetricId::mrr] = rr;
        m[MetricId::auc] = auc;
    }

    // Diversity over pairs.
    if (n >= 2) {
        double emb = 0, cat = 0;
        std::vector<double> distances(n);
        for (size_t i = 0; i < n; ++i) {
            if (ctx.has_embeddings())
                ctx.embedding_distances(list[i], list.subspan(i + 1), distances);
            for (size_t j = i + 1; j < n; ++j) {
                if (ctx.has_embeddings())
                    emb += distances[j - i - 1];
                cat += ds.category_distance(list[i], list[j]);
            }
        }
        const double pairs = static_cast<double>(n * (n - 1) / 2);
        if (ctx.has_embeddings())
            m[MetricId::ild_embedding] = emb / pairs;
        m[MetricId::ild_category] = cat / pairs;
    }

    // Category shares of the list.
    std::vector<int32_t> b;
    b.reserve(n);
    for (size_t i = 0; i < n; ++i)
        b.push_back(ctx.bucket(list[i]));
    std::sort(b.begin(), b.end());
    std::vector<std::pair<int32_t, double>> q;
    for (size_t i = 0; i < b.size();) {
        size_t j = i;
        while (j < b.size() && b[j] == b[i])
            ++j;
        q.emplace_back(b[i], static_cast<double>(j - i) / static_cast<double>(n));
        i = j;
    }
    m[MetricId::category_count] = static_cast<double>(q.size());
    if (n > 0) {
        double h = 0;
        for (const auto &[c, s] : q)
            h -= s * std::log2(s);
        m[MetricId::entropy] = h + 0.0; // avoid -0
    }
    const auto p = ctx.history_distribution(user);
    if (!p.empty()) {
        double kl = 0;
        size_t qi = 0;
        for (const auto &[c, pc] : p) {
            while (qi < q.size() && q[qi].first < c)
                ++qi;
            const double qc = (qi < q.size() && q[qi].first == c) ? q[qi].second : 0.0;
            kl += pc * std::log2(pc / (0.99 * qc + 0.01 * pc));
        }
        m[MetricId::calibration_kl] = kl;
    }

    // Popularity.
    if (n > 0) {
        const auto &pop = ds.popularity;
        const bool have_pop = pop.size() == static_cast<size_t>(ds.n_items());
        const double n_users = std::max(1, ds.population > 0 ? ds.population : ds.n_users());
        double nov = 0, arp = 0, tail = 0;
        for (size_t i = 0; i < n; ++i) {
            const double pi = have_pop ? pop[static_cast<size_t>(list[i])] : 0.0;
            nov += -std::log2(std::max(pi, 1.0) / n_users);
            arp += pi;
            tail += ctx.is_head(list[i]) ? 0.0 : 1.0;
        }
        m[MetricId::novelty] = nov / static_cast<double>(n);
        m[MetricId::arp] = arp / static_cast<double>(n);
        m[MetricId::long_tail_share] = tail / static_cast<double>(n);
    }
    return m;
}

std::array<double, kUserMetricCount> mean_metrics(std::span<const UserMetrics> per_user)
{
    std::array<double, kUserMetricCount> sum{}, cnt{};
    for (const auto &u : per_user)
        for (size_t i = 0; i < sum.size(); ++i)
            if (!std::isnan(u.values[i])) {
                sum[i] += u.values[i];
                cnt[i] += 1;
            }
    std::array<double, kUserMetricCount> out{};
    for (size_t i = 0; i < sum.size(); ++i)
        out[i] = cnt[i] > 0 ? sum[i] / cnt[i] : kNaN;
    return out;
}

} // namespace reclens

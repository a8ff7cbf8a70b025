#pragma once
// A generated shop for the benchmarks at a real shop's shape: Zipf item popularity (exponent 1, the
// long tail of a grocery or a video catalogue), lognormal user activity (median 12 train items,
// σ 1, capped at 400; a quarter as many test items, at least one), a three-level category tree, 500
// brands, and a two-tower model (random user and item embeddings of d dimensions, the last of which
// carries the item's log popularity). Deterministic
// for a seed.
#include "core/models/model.h"
#include "../core/metrics/toydataset.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <vector>

namespace reclens::bench {

struct GeneratedShop {
    std::unique_ptr<Dataset> dataset;
    std::shared_ptr<const Model> model;
    int64_t train_interactions = 0;
    int64_t test_interactions = 0;
};

// The three-level tree: 20 top, 200 middle and 2000 leaf categories; a random leaf is
// kLeafBase + rng() % 2000.
inline constexpr int kLeafBase = 220;
inline void add_category_tree(test::ToySpec &s)
{
    for (int t = 0; t < 20; ++t)
        s.categories.push_back({test::numbered("t", t), -1});
    for (int m = 0; m < 200; ++m)
        s.categories.push_back({test::numbered("m", m), m / 10});
    for (int l = 0; l < 2000; ++l)
        s.categories.push_back({test::numbered("l", l), 20 + l / 10});
}

// rows x dim floats drawn from N(0, 0.3²), row-major.
inline std::vector<float> random_embeddings(size_t rows, int dim, std::mt19937_64 &rng)
{
    std::normal_distribution<float> g(0.0f, 0.3f);
    std::vector<float> out(rows * static_cast<size_t>(dim));
    for (auto &x : out)
        x = g(rng);
    return out;
}

inline GeneratedShop generate_shop(int n_users, int n_items, int dim, uint64_t seed = 7)
{
    std::mt19937_64 rng(seed);
    test::ToySpec s;
    s.n_items = n_items;
    add_category_tree(s);
    for (int b = 0; b < 500; ++b)
        s.brands.push_back(test::numbered("brand ", b));
    for (int i = 0; i < n_items; ++i) {
        s.item_category.push_back(i % 50 == 0 ? -1 : kLeafBase + static_cast<int>(rng() % 2000));
        s.item_brand.push_back(i % 7 == 0 ? -1 : static_cast<int>(rng() % 500));
    }
    // Zipf(1) over items by a cumulative table; a popular item is a random one (not item 0).
    std::vector<double> cdf(static_cast<size_t>(n_items));
    double total = 0;
    for (int i = 0; i < n_items; ++i)
        cdf[static_cast<size_t>(i)] = total += 1.0 / static_cast<double>(i + 1);
    std::vector<int32_t> rank_to_item(static_cast<size_t>(n_items));
    for (int i = 0; i < n_items; ++i)
        rank_to_item[static_cast<size_t>(i)] = i;
    std::shuffle(rank_to_item.begin(), rank_to_item.end(), rng);
    std::uniform_real_distribution<double> uni(0, 1);
    auto zipf_item = [&]() {
        const double x = uni(rng) * total;
        const auto r = static_cast<size_t>(std::lower_bound(cdf.begin(), cdf.end(), x) - cdf.begin());
        return rank_to_item[std::min(r, cdf.size() - 1)];
    };
    std::lognormal_distribution<double> activity(std::log(12.0), 1.0);
    GeneratedShop shop;
    s.train.resize(static_cast<size_t>(n_users));
    s.test.resize(static_cast<size_t>(n_users));
    for (int u = 0; u < n_users; ++u) {
        const int train = std::clamp(static_cast<int>(std::lround(activity(rng))), 1, 400);
        const int test = std::max(1, train / 4);
        auto &tr = s.train[static_cast<size_t>(u)];
        auto &te = s.test[static_cast<size_t>(u)];
        for (int j = 0; j < train; ++j)
            tr.push_back(zipf_item());
        for (int j = 0; j < test; ++j)
            te.push_back(zipf_item());
        shop.train_interactions += train;
        shop.test_interactions += test;
        s.segments.push_back(u % 4 == 0 ? "A" : (u % 4 == 1 ? "B" : ""));
    }
    shop.dataset = std::make_unique<Dataset>(test::make_toy(s));
    s = {};
    std::vector<float> ue = random_embeddings(static_cast<size_t>(n_users), dim, rng);
    std::vector<float> ie = random_embeddings(static_cast<size_t>(n_items), dim, rng);
    // The last dimension carries popularity (log train count; users weigh it 1), as a trained model
    // would learn it: lists then hit test items about as often as a real shop's do.
    std::vector<int64_t> count(static_cast<size_t>(n_items), 0);
    for (int32_t u = 0; u < shop.dataset->n_users(); ++u)
        for (const int32_t i : shop.dataset->train.row(u))
            ++count[static_cast<size_t>(i)];
    const auto d = static_cast<size_t>(dim);
    for (size_t i = 0; i < count.size(); ++i)
        ie[i * d + d - 1] = 0.5f * std::log1p(static_cast<float>(count[i]));
    for (size_t u = 0; u < static_cast<size_t>(n_users); ++u)
        ue[u * d + d - 1] = 1.0f;
    shop.model = Model::from_embeddings(*shop.dataset, std::move(ue), std::move(ie), dim, "two-tower");
    return shop;
}

} // namespace reclens::bench

// Popularity and item-kNN fitting: plain C++ (their TorchScript export is in builtin_torch.cpp).
#include "core/models/builtin.h"

#include "core/common/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace reclens {

PopularityModel PopularityModel::fit(const Dataset &dataset)
{
    if (dataset.n_items() == 0)
        throw Error("popularity: the dataset has no items");
    PopularityModel model;
    model.m_scores.assign(dataset.popularity.begin(), dataset.popularity.end());
    model.m_scores.resize(static_cast<size_t>(dataset.n_items()), 0.0f);
    return model;
}

ItemKnnModel ItemKnnModel::fit(const Dataset &dataset, int neighbours, const ProgressFn &progress)
{
    if (neighbours < 1)
        throw Error("itemknn: --neighbours must be at least 1 (got " + std::to_string(neighbours) + ")");
    const int32_t n_items = dataset.n_items();
    const int32_t n_users = dataset.n_users();
    if (n_items == 0 || dataset.train.nnz() == 0)
        throw Error("itemknn: the dataset has no train interactions to learn from");

    // Item -> users (the transpose of the train CSR).
    std::vector<int64_t> offsets(static_cast<size_t>(n_items) + 1, 0);
    for (int32_t item : dataset.train.items)
        ++offsets[static_cast<size_t>(item) + 1];
    std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
    std::vector<int32_t> users(dataset.train.items.size());
    {
        auto fill = offsets;
        for (int32_t u = 0; u < n_users; ++u)
            for (int32_t item : dataset.train.row(u))
                users[static_cast<size_t>(fill[static_cast<size_t>(item)]++)] = u;
    }
    auto column_size = [&](int32_t i) { return static_cast<double>(offsets[i + 1] - offsets[i]); };

    ItemKnnModel model;
    model.m_k = neighbours;
    model.m_items.assign(static_cast<size_t>(n_items) * neighbours, -1);
    model.m_sims.assign(static_cast<size_t>(n_items) * neighbours, 0.0f);
    std::vector<int32_t> co(static_cast<size_t>(n_items), 0);
    std::vector<int32_t> touched;
    std::vector<std::pair<float, int32_t>> candidates;
    ProgressReporter reporter(progress);
    for (int32_t i = 0; i < n_items; ++i) {
        touched.clear();
        for (int64_t p = offsets[i]; p < offsets[i + 1]; ++p)
            for (int32_t j : dataset.train.row(users[static_cast<size_t>(p)])) {
                if (j == i)
                    continue;
                if (co[static_cast<size_t>(j)]++ == 0)
                    touched.push_back(j);
            }
        candidates.clear();
        for (int32_t j : touched) {
            const double sim = co[static_cast<size_t>(j)] / std::sqrt(column_size(i) * column_size(j));
            candidates.emplace_back(static_cast<float>(sim), j);
            co[static_cast<size_t>(j)] = 0;
        }
        const size_t keep = std::min(candidates.size(), static_cast<size_t>(neighbours));
        auto better = [](const auto &a, const auto &b) { return a.first > b.first || (a.first == b.first && a.second < b.second); };
        std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(keep), candidates.end(),
                          better);
        for (size_t n = 0; n < keep; ++n) {
            model.m_items[static_cast<size_t>(i) * neighbours + n] = candidates[n].second;
            model.m_sims[static_cast<size_t>(i) * neighbours + n] = candidates[n].first;
        }
        reporter.report(static_cast<double>(i + 1) / n_items, "item similarities");
    }
    reporter.force(1.0, "item similarities");
    return model;
}

std::span<const int32_t> ItemKnnModel::neighbour_items(int32_t item) const
{
    return {m_items.data() + static_cast<size_t>(item) * m_k, static_cast<size_t>(m_k)};
}

std::span<const float> ItemKnnModel::neighbour_similarities(int32_t item) const
{
    return {m_sims.data() + static_cast<size_t>(item) * m_k, static_cast<size_t>(m_k)};
}

std::vector<float> ItemKnnModel::score(const Dataset &dataset, int32_t user) const
{
    std::vector<float> scores(static_cast<size_t>(dataset.n_items()), 0.0f);
    for (int32_t j : dataset.train.row(user)) {
        auto items = neighbour_items(j);
        auto sims = neighbour_similarities(j);
        for (size_t n = 0; n < items.size() && items[n] >= 0; ++n)
            scores[static_cast<size_t>(items[n])] += sims[n];
    }
    return scores;
}

} // namespace reclens

// Popularity and item-kNN fitting and the EASE scores: plain C++ (EASE's fit and every TorchScript
// export are in builtin_torch.cpp).
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
    if (neighbours < 0)
        throw Error("itemknn: --neighbours must be 0 (all) or more (got " + std::to_string(neighbours) + ")");
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
    auto column_size = [&](int32_t i) { return offsets[i + 1] - offsets[i]; };

    ItemKnnModel model;
    model.m_k = neighbours;
    model.m_offsets.assign(1, 0);
    model.m_offsets.reserve(static_cast<size_t>(n_items) + 1);
    std::vector<int32_t> co(static_cast<size_t>(n_items), 0);
    std::vector<int32_t> touched;
    std::vector<std::pair<float, int32_t>> candidates;
    // Most similar first; equal similarities: the item with more train users, then the lower index.
    auto better = [&](const auto &a, const auto &b) {
        if (a.first != b.first)
            return a.first > b.first;
        if (column_size(a.second) != column_size(b.second))
            return column_size(a.second) > column_size(b.second);
        return a.second < b.second;
    };
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
            const double sim = co[static_cast<size_t>(j)]
                               / std::sqrt(static_cast<double>(column_size(i)) * static_cast<double>(column_size(j)));
            candidates.emplace_back(static_cast<float>(sim), j);
            co[static_cast<size_t>(j)] = 0;
        }
        const size_t keep = neighbours == 0 ? candidates.size()
                                            : std::min(candidates.size(), static_cast<size_t>(neighbours));
        std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(keep), candidates.end(),
                          better);
        for (size_t n = 0; n < keep; ++n) {
            model.m_items.push_back(candidates[n].second);
            model.m_sims.push_back(candidates[n].first);
        }
        model.m_offsets.push_back(static_cast<int64_t>(model.m_items.size()));
        reporter.report(static_cast<double>(i + 1) / n_items, "item similarities");
    }
    reporter.force(1.0, "item similarities");
    return model;
}

std::span<const int32_t> ItemKnnModel::neighbour_items(int32_t item) const
{
    const auto begin = m_offsets[static_cast<size_t>(item)], end = m_offsets[static_cast<size_t>(item) + 1];
    return {m_items.data() + begin, static_cast<size_t>(end - begin)};
}

std::span<const float> ItemKnnModel::neighbour_similarities(int32_t item) const
{
    const auto begin = m_offsets[static_cast<size_t>(item)], end = m_offsets[static_cast<size_t>(item) + 1];
    return {m_sims.data() + begin, static_cast<size_t>(end - begin)};
}

std::vector<float> ItemKnnModel::score(const Dataset &dataset, int32_t user) const
{
    std::vector<float> scores(static_cast<size_t>(dataset.n_items()), 0.0f);
    for (int32_t j : dataset.train.row(user)) {
        auto items = neighbour_items(j);
        auto sims = neighbour_similarities(j);
        for (size_t n = 0; n < items.size(); ++n)
            scores[static_cast<size_t>(items[n])] += sims[n];
    }
    return scores;
}

std::vector<float> EaseModel::score(const Dataset &dataset, int32_t user) const
{
    std::vector<float> scores(static_cast<size_t>(dataset.n_items()), m_floor);
    const size_t n = m_support.size();
    std::vector<float> row(n, 0.0f);
    for (int32_t j : dataset.train.row(user)) {
        const auto at = std::lower_bound(m_support.begin(), m_support.end(), j);
        if (at == m_support.end() || *at != j)
            continue;
        const float *b = m_weights.data() + static_cast<size_t>(at - m_support.begin()) * n;
        for (size_t i = 0; i < n; ++i)
            row[i] += b[i];
    }
    for (size_t i = 0; i < n; ++i)
        scores[static_cast<size_t>(m_support[i])] = row[i];
    return scores;
}

} // namespace reclens

#pragma once
// Builds small Datasets in memory for model and scoring tests: items "i0".., users "u0"..,
// no categories, train/test rows given as item index lists per user.
#include "core/data/dataset.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

namespace reclens::test {

inline void fill_csr(Csr &csr, const std::vector<std::vector<int32_t>> &rows)
{
    csr = Csr{};
    for (const auto &row : rows) {
        auto sorted = row;
        std::sort(sorted.begin(), sorted.end());
        sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
        for (int32_t item : sorted) {
            csr.items.push_back(item);
            csr.ts.push_back(0);
            csr.weights.push_back(1.0f);
        }
        csr.offsets.push_back(static_cast<int64_t>(csr.items.size()));
    }
}

inline Dataset memory_dataset(int32_t n_items, const std::vector<std::vector<int32_t>> &train,
                              const std::vector<std::vector<int32_t>> &test = {})
{
    Dataset d;
    for (int32_t i = 0; i < n_items; ++i) {
        d.item_ids.push_back(i + 1);
        d.item_external.push_back("i" + std::to_string(i));
        d.item_title.push_back("Item " + std::to_string(i));
        d.item_category.push_back(-1);
        d.item_brand.push_back(-1);
        d.item_price.push_back(std::numeric_limits<double>::quiet_NaN());
    }
    for (size_t u = 0; u < train.size(); ++u) {
        d.user_ids.push_back(static_cast<int64_t>(u) + 1);
        d.user_external.push_back("u" + std::to_string(u));
    }
    fill_csr(d.train, train);
    auto test_rows = test;
    test_rows.resize(train.size());
    fill_csr(d.test, test_rows);
    d.finalize();
    return d;
}

} // namespace reclens::test

#pragma once
// Small in-memory datasets for the metric, re-ranker and evaluation tests (no SQLite involved).
#include "core/data/dataset.h"

#include <string>
#include <vector>

namespace reclens::test {

struct ToySpec {
    int n_items = 0;
    std::vector<std::vector<int32_t>> train;           // per user
    std::vector<std::vector<int32_t>> test;            // per user
    std::vector<std::pair<std::string, int32_t>> categories; // (name, parent index or -1)
    std::vector<int32_t> item_category;                // per item, -1 = none (empty = all none)
    std::vector<std::string> brands;
    std::vector<int32_t> item_brand;                   // per item, -1 = none (empty = all none)
    std::vector<std::string> segments;                 // per user (empty = none)
};

// "<prefix><n>" built with += (a literal + std::to_string trips GCC 12's -Wrestrict false positive at -O3).
inline std::string numbered(const char *prefix, long n)
{
    std::string s(prefix);
    s += std::to_string(n);
    return s;
}

inline Csr toy_csr(const std::vector<std::vector<int32_t>> &rows, size_t n_users)
{
    std::vector<CsrEntry> e;
    for (size_t u = 0; u < rows.size(); ++u)
        for (int32_t it : rows[u])
            e.push_back({static_cast<int32_t>(u), it, 0, 1.0f});
    return make_csr(static_cast<int32_t>(n_users), e);
}

inline Dataset make_toy(const ToySpec &s)
{
    Dataset ds;
    for (int i = 0; i < s.n_items; ++i) {
        ds.item_ids.push_back(i + 1);
        ds.item_external.push_back(numbered("i", i));
        ds.item_title.push_back(numbered("Item ", i));
        ds.item_category.push_back(s.item_category.empty() ? -1 : s.item_category[static_cast<size_t>(i)]);
        ds.item_brand.push_back(s.item_brand.empty() ? -1 : s.item_brand[static_cast<size_t>(i)]);
        ds.item_price.push_back(1.0);
    }
    const size_t n_users = std::max(s.train.size(), s.test.size());
    for (size_t u = 0; u < n_users; ++u) {
        ds.user_ids.push_back(static_cast<int64_t>(u + 1));
        ds.user_external.push_back(numbered("u", u));
        ds.user_segment.push_back(u < s.segments.size() ? s.segments[u] : std::string());
    }
    for (size_t c = 0; c < s.categories.size(); ++c) {
        Category cat;
        cat.id = static_cast<int64_t>(c + 1);
        cat.name = s.categories[c].first;
        cat.parent = s.categories[c].second;
        ds.categories.push_back(cat);
    }
    ds.brands = s.brands;
    ds.train = toy_csr(s.train, n_users);
    ds.test = toy_csr(s.test, n_users);
    ds.finalize();
    return ds;
}

} // namespace reclens::test

#include "core/data/dataset.h"

#include <algorithm>
#include <limits>

#include "core/common/error.h"

#include <algorithm>

namespace reclens {

bool Csr::contains(int32_t user, int32_t item) const
{
    const auto r = row(user);
    return std::binary_search(r.begin(), r.end(), item);
}

std::span<const int32_t> Dataset::item_path(int32_t item) const
{
    if (m_path_offsets.empty())
        return {};
    const auto begin = m_path_offsets[item];
    const auto end = m_path_offsets[item + 1];
    return {m_paths.data() + begin, static_cast<size_t>(end - begin)};
}

int32_t Dataset::category_at_level(int32_t item, int level) const
{
    const auto p = item_path(item);
    if (p.empty())
        return -1;
    const auto depth = static_cast<int>(p.size());
    const int index = std::clamp(level, 1, depth) - 1;
    return p[static_cast<size_t>(index)];
}

double Dataset::category_distance(int32_t a, int32_t b) const
{
    if (a == b)
        return 0.0;
    const auto pa = item_path(a);
    const auto pb = item_path(b);
    if (pa.empty() || pb.empty() || category_levels == 0)
        return 1.0;
    // A path shorter than H is extended with its deepest category (the category_at_level rule), so
    // two items filed under the same inner category are at distance 0 and 1 - d stays a sum of
    // per-level indicator kernels, i.e. positive semi-definite.
    int shared = 0;
    for (int level = 1; level <= category_levels; ++level) {
        if (category_at_level(a, level) != category_at_level(b, level))
            break;
        ++shared;
    }
    return static_cast<double>(category_levels - shared) / category_levels;
}

int32_t Dataset::find_item(const std::string &external_id) const
{
    const auto it = m_item_lookup.find(external_id);
    return it == m_item_lookup.end() ? -1 : it->second;
}

int32_t Dataset::find_user(const std::string &external_id) const
{
    const auto it = m_user_lookup.find(external_id);
    return it == m_user_lookup.end() ? -1 : it->second;
}

Csr make_csr(int32_t n_users, std::span<const CsrEntry> entries)
{
    std::vector<CsrEntry> sorted(entries.begin(), entries.end());
    std::sort(sorted.begin(), sorted.end(), [](const CsrEntry &a, const CsrEntry &b) {
        return a.user != b.user ? a.user < b.user : a.item < b.item;
    });
    Csr csr;
    csr.offsets.assign(static_cast<size_t>(n_users) + 1, 0);
    for (size_t k = 0; k < sorted.size(); ++k) {
        const auto &e = sorted[k];
        if (e.user < 0 || e.user >= n_users)
            throw Error("make_csr: user index " + std::to_string(e.user) + " outside 0.."
                        + std::to_string(n_users - 1));
        if (k > 0 && sorted[k - 1].user == e.user && sorted[k - 1].item == e.item) {
            csr.ts.back() = std::max(csr.ts.back(), e.ts);
            csr.weights.back() += e.weight;
            continue;
        }
        csr.items.push_back(e.item);
        csr.ts.push_back(e.ts);
        csr.weights.push_back(e.weight);
        ++csr.offsets[static_cast<size_t>(e.user) + 1];
    }
    for (size_t u = 0; u < static_cast<size_t>(n_users); ++u)
        csr.offsets[u + 1] += csr.offsets[u];
    return csr;
}

namespace {

void check_csr(const Csr &csr, int32_t n_users, int32_t n_items, const char *name)
{
    if (csr.offsets.size() != static_cast<size_t>(n_users) + 1 || csr.offsets.front() != 0
        || csr.offsets.back() != csr.nnz() || csr.ts.size() != csr.items.size()
        || csr.weights.size() != csr.items.size())
        throw Error(std::string("Dataset::finalize: the ") + name
                    + " interactions are inconsistent (offsets/items/ts/weights sizes); build the CSR per user");
    for (const auto item : csr.items) {
        if (item < 0 || item >= n_items)
            throw Error(std::string("Dataset::finalize: a ") + name + " interaction refers to item index "
                        + std::to_string(item) + " outside 0.." + std::to_string(n_items - 1));
    }
}

} // namespace

float Judgements::grade(int32_t request, int32_t item) const
{
    const auto items = judged.row(request);
    const auto it = std::lower_bound(items.begin(), items.end(), item);
    if (it == items.end() || *it != item)
        return std::numeric_limits<float>::quiet_NaN();
    return judged.row_weights(request)[static_cast<size_t>(it - items.begin())];
}

void Dataset::finalize()
{
    const auto n_i = n_items();
    const auto n_u = n_users();
    if (item_external.size() != item_ids.size() || item_title.size() != item_ids.size()
        || item_category.size() != item_ids.size() || item_brand.size() != item_ids.size()
        || item_price.size() != item_ids.size())
        throw Error("Dataset::finalize: item columns have different lengths; fill every item_* vector per item");
    if (item_tags.size() != item_ids.size())
        item_tags.resize(item_ids.size());
    if (user_external.size() != user_ids.size())
        throw Error("Dataset::finalize: user_external and user_ids have different lengths");
    user_segment.resize(user_ids.size());
    user_attributes.resize(user_ids.size());
    if (train.offsets.size() <= 1 && n_u > 0)
        train.offsets.assign(static_cast<size_t>(n_u) + 1, 0);
    if (test.offsets.size() <= 1 && n_u > 0)
        test.offsets.assign(static_cast<size_t>(n_u) + 1, 0);
    check_csr(train, n_u, n_i, "train");
    check_csr(test, n_u, n_i, "test");

    // Category depth from the parent chain; a chain longer than the number of categories is a cycle.
    const auto n_c = static_cast<int32_t>(categories.size());
    std::vector<int> depth(categories.size(), 0);
    category_levels = 0;
    for (int32_t c = 0; c < n_c; ++c) {
        int d = 0;
        for (int32_t p = c; p != -1; p = categories[static_cast<size_t>(p)].parent) {
            if (p < -1 || p >= n_c || ++d > n_c)
                throw Error("Dataset::finalize: category '" + categories[static_cast<size_t>(c)].name
                            + "' has a broken parent chain (unknown parent or a cycle)");
        }
        depth[static_cast<size_t>(c)] = d;
        categories[static_cast<size_t>(c)].level = d;
        category_levels = std::max(category_levels, d);
    }

    m_path_offsets.assign(static_cast<size_t>(n_i) + 1, 0);
    m_paths.clear();
    std::vector<int32_t> chain;
    for (int32_t i = 0; i < n_i; ++i) {
        const auto c = item_category[static_cast<size_t>(i)];
        if (c < -1 || c >= n_c)
            throw Error("Dataset::finalize: item '" + item_external[static_cast<size_t>(i)]
                        + "' refers to an unknown category index " + std::to_string(c));
        const auto b = item_brand[static_cast<size_t>(i)];
        if (b < -1 || b >= static_cast<int32_t>(brands.size()))
            throw Error("Dataset::finalize: item '" + item_external[static_cast<size_t>(i)]
                        + "' refers to an unknown brand index " + std::to_string(b));
        chain.clear();
        for (int32_t p = c; p != -1; p = categories[static_cast<size_t>(p)].parent)
            chain.push_back(p);
        m_paths.insert(m_paths.end(), chain.rbegin(), chain.rend());
        m_path_offsets[static_cast<size_t>(i) + 1] = static_cast<int32_t>(m_paths.size());
    }

    if (train_rows == 0)
        train_rows = train.nnz();
    if (test_rows == 0)
        test_rows = test.nnz();

    // Rows are deduplicated, so counting occurrences counts distinct train users. A query view's
    // requests have no train rows: its popularity is its users', filled by the loader.
    if (request_kind == RequestKind::users) {
        popularity.assign(static_cast<size_t>(n_i), 0);
        for (const auto item : train.items)
            ++popularity[static_cast<size_t>(item)];
        population = n_u;
    }
    request_text.resize(user_ids.size());

    m_item_lookup.clear();
    m_item_lookup.reserve(item_external.size());
    for (int32_t i = 0; i < n_i; ++i) {
        if (!m_item_lookup.emplace(item_external[static_cast<size_t>(i)], i).second)
            throw Error("Dataset::finalize: duplicate item external id '" + item_external[static_cast<size_t>(i)]
                        + "'");
    }
    m_user_lookup.clear();
    m_user_lookup.reserve(user_external.size());
    for (int32_t u = 0; u < n_u; ++u) {
        if (!m_user_lookup.emplace(user_external[static_cast<size_t>(u)], u).second)
            throw Error("Dataset::finalize: duplicate user external id '" + user_external[static_cast<size_t>(u)]
                        + "'");
    }
}

} // namespace reclens

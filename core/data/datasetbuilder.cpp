#include "core/data/datasetbuilder.h"

#include "core/common/error.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <random>

namespace reclens {

bool natural_less(const std::string &a, const std::string &b)
{
    auto numeric = [](const std::string &s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    const bool na = numeric(a);
    const bool nb = numeric(b);
    if (na != nb)
        return na;
    if (na) {
        const auto sa = a.substr(std::min(a.find_first_not_of('0'), a.size()));
        const auto sb = b.substr(std::min(b.find_first_not_of('0'), b.size()));
        if (sa.size() != sb.size())
            return sa.size() < sb.size();
        if (sa != sb)
            return sa < sb;
    }
    return a < b;
}

int64_t test_rows_for(int64_t n, double fraction)
{
    if (n < 2 || fraction <= 0.0)
        return 0;
    const auto k = static_cast<int64_t>(std::llround(fraction * static_cast<double>(n)));
    return std::clamp<int64_t>(k, 1, n - 1);
}

void assign_split(std::vector<InteractionRecord> &rows, int32_t n_users, const SplitOptions &options)
{
    if (!(options.test_fraction >= 0.0 && options.test_fraction < 1.0))
        throw Error("--test-fraction " + std::to_string(options.test_fraction) + " is outside [0, 1); use e.g. 0.2");
    std::vector<std::vector<size_t>> per_user(static_cast<size_t>(n_users));
    for (size_t k = 0; k < rows.size(); ++k) {
        rows[k].test = false;
        per_user[static_cast<size_t>(rows[k].user)].push_back(k);
    }
    std::mt19937_64 rng(options.seed);
    for (auto &idx : per_user) {
        const auto n = static_cast<int64_t>(idx.size());
        const int64_t n_test = test_rows_for(n, options.test_fraction);
        if (n_test == 0)
            continue;
        if (options.method == SplitOptions::Method::Time) {
            // idx is in input order, so a stable sort by ts breaks ties by input order.
            std::stable_sort(idx.begin(), idx.end(), [&rows](size_t a, size_t b) { return rows[a].ts < rows[b].ts; });
            for (int64_t k = n - n_test; k < n; ++k)
                rows[idx[static_cast<size_t>(k)]].test = true;
        } else {
            // Fisher-Yates with the raw engine output: std::shuffle's algorithm differs between
            // standard libraries, this does not.
            for (int64_t k = n - 1; k > 0; --k) {
                const auto j = static_cast<int64_t>(rng() % static_cast<uint64_t>(k + 1));
                std::swap(idx[static_cast<size_t>(k)], idx[static_cast<size_t>(j)]);
            }
            for (int64_t k = 0; k < n_test; ++k)
                rows[idx[static_cast<size_t>(k)]].test = true;
        }
    }
}

void save_import(const ImportResult &result, const std::string &out, const ProgressFn &progress)
{
    std::error_code ec;
    for (const auto &input : result.report.inputs) {
        if (std::filesystem::exists(out, ec) && std::filesystem::equivalent(out, input, ec))
            throw Error(
                located(out, "the output would overwrite the input file " + input + "; choose another --out file"));
    }
    write_dataset(result.dataset, out, result.interactions, result.event, progress);
}

int32_t DatasetBuilder::user(const std::string &external)
{
    const auto [it, inserted] = m_user_index.emplace(external, static_cast<int32_t>(m_users.size()));
    if (inserted)
        m_users.push_back(UserFields{external, {}, {}});
    return it->second;
}

int32_t DatasetBuilder::find_user(const std::string &external) const
{
    const auto it = m_user_index.find(external);
    return it == m_user_index.end() ? -1 : it->second;
}

int32_t DatasetBuilder::item(const std::string &external)
{
    const auto [it, inserted] = m_item_index.emplace(external, static_cast<int32_t>(m_items.size()));
    if (inserted) {
        ItemFields f;
        f.external = external;
        f.title = external;
        m_items.push_back(std::move(f));
    }
    return it->second;
}

int32_t DatasetBuilder::find_item(const std::string &external) const
{
    const auto it = m_item_index.find(external);
    return it == m_item_index.end() ? -1 : it->second;
}

int32_t DatasetBuilder::category_path(const std::vector<std::string> &names)
{
    int32_t parent = -1;
    int level = 0;
    for (const auto &name : names) {
        ++level;
        const auto [it, inserted]
            = m_category_index.emplace(std::make_pair(parent, name), static_cast<int32_t>(m_categories.size()));
        if (inserted) {
            Category c;
            c.parent = parent;
            c.name = name;
            c.level = level;
            m_categories.push_back(std::move(c));
        }
        parent = it->second;
    }
    return parent;
}

int32_t DatasetBuilder::brand(const std::string &name)
{
    if (name.empty())
        return -1;
    const auto [it, inserted] = m_brand_index.emplace(name, static_cast<int32_t>(m_brands.size()));
    if (inserted)
        m_brands.push_back(name);
    return it->second;
}

void DatasetBuilder::interaction(int32_t user, int32_t item, int64_t ts, bool has_ts, float weight)
{
    m_rows.push_back(InteractionRecord{user, item, ts, has_ts, weight, false});
}

KCoreOutcome k_core(std::vector<InteractionRecord> &rows, int32_t n_users, int32_t n_items, const KCoreFilter &filter)
{
    KCoreOutcome out;
    out.keep_user.assign(static_cast<size_t>(n_users), 1);
    out.keep_item.assign(static_cast<size_t>(n_items), 1);
    if (!filter.active())
        return out;
    std::vector<std::pair<int32_t, int32_t>> pairs;
    pairs.reserve(rows.size());
    for (const auto &r : rows)
        pairs.emplace_back(r.user, r.item);
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    std::vector<int64_t> user_deg(static_cast<size_t>(n_users)), item_deg(static_cast<size_t>(n_items));
    for (bool changed = true; changed;) {
        ++out.rounds;
        std::fill(user_deg.begin(), user_deg.end(), 0);
        std::fill(item_deg.begin(), item_deg.end(), 0);
        for (const auto &[u, i] : pairs) {
            if (out.keep_user[static_cast<size_t>(u)] && out.keep_item[static_cast<size_t>(i)]) {
                ++user_deg[static_cast<size_t>(u)];
                ++item_deg[static_cast<size_t>(i)];
            }
        }
        // Both bounds at once from the same degrees, then again: the order of the drops within a
        // pass does not change the fixed point (the k-core is unique).
        changed = false;
        for (size_t u = 0; u < user_deg.size(); ++u) {
            if (out.keep_user[u] && (user_deg[u] == 0 || user_deg[u] < filter.min_user_items)) {
                out.keep_user[u] = 0;
                changed = true;
            }
        }
        for (size_t i = 0; i < item_deg.size(); ++i) {
            if (out.keep_item[i] && (item_deg[i] == 0 || item_deg[i] < filter.min_item_users)) {
                out.keep_item[i] = 0;
                changed = true;
            }
        }
    }
    const size_t before = rows.size();
    std::erase_if(rows, [&out](const InteractionRecord &r) {
        return !out.keep_user[static_cast<size_t>(r.user)] || !out.keep_item[static_cast<size_t>(r.item)];
    });
    out.rows_removed = static_cast<int64_t>(before - rows.size());
    out.users_removed = static_cast<int32_t>(std::count(out.keep_user.begin(), out.keep_user.end(), 0));
    out.items_removed = static_cast<int32_t>(std::count(out.keep_item.begin(), out.keep_item.end(), 0));
    return out;
}

ImportResult DatasetBuilder::build(std::unordered_map<std::string, std::string> meta, const SplitOptions &split,
                                   ImportReport report, const std::string &event, const KCoreFilter &core) &&
{
    if (m_rows.empty()) {
        std::string why;
        if (report.malformed > 0)
            why = " (" + std::to_string(report.malformed)
                + " malformed rows skipped, the first: " + report.malformed_examples.front() + ")";
        else if (report.skipped_total() > 0) // e.g. every row had a blank id
            why = " (" + std::to_string(report.skipped_total()) + " rows skipped, the most as '"
                + std::max_element(report.skipped.begin(), report.skipped.end(),
                                   [](const auto &a, const auto &b) { return a.second < b.second; })
                      ->first
                + "')";
        throw Error("the import found no usable interactions"
                    + std::string(report.inputs.empty() ? "" : " in " + report.inputs.front()) + why
                    + "; check the files, the delimiter and the filters (e.g. --min-rating)");
    }

    // The k-core filter before anything is ordered or split: what it drops is never in the dataset.
    const KCoreOutcome kept = k_core(m_rows, n_users(), n_items(), core);
    if (core.active()) {
        const std::string bounds = "users with at least " + std::to_string(core.min_user_items)
            + " items, items with at least " + std::to_string(core.min_item_users) + " users";
        if (m_rows.empty())
            throw Error("the k-core filter (" + bounds + ") left no interactions; lower --min-user-items or "
                        "--min-item-users");
        report.add_skipped("k-core filter (" + bounds + ")", kept.rows_removed);
        report.findings.push_back("The k-core filter (" + bounds + ") dropped " + std::to_string(kept.users_removed)
            + " users, " + std::to_string(kept.items_removed) + " items and " + std::to_string(kept.rows_removed)
            + " interaction rows in " + std::to_string(kept.rounds) + " passes.");
        meta["k_core"] = bounds;
    }

    // Deterministic order: users/items by natural external id, categories by their name path so a
    // parent precedes its children. Users and items the filter dropped are left out.
    std::vector<int32_t> user_order;
    for (int32_t u = 0; u < n_users(); ++u)
        if (kept.keep_user[static_cast<size_t>(u)])
            user_order.push_back(u);
    std::sort(user_order.begin(), user_order.end(), [this](int32_t a, int32_t b) {
        return natural_less(m_users[static_cast<size_t>(a)].external, m_users[static_cast<size_t>(b)].external);
    });
    std::vector<int32_t> item_order;
    for (int32_t i = 0; i < n_items(); ++i)
        if (kept.keep_item[static_cast<size_t>(i)])
            item_order.push_back(i);
    std::sort(item_order.begin(), item_order.end(), [this](int32_t a, int32_t b) {
        return natural_less(m_items[static_cast<size_t>(a)].external, m_items[static_cast<size_t>(b)].external);
    });
    std::vector<std::vector<std::string>> cat_paths(m_categories.size());
    for (size_t c = 0; c < m_categories.size(); ++c) {
        for (int32_t p = static_cast<int32_t>(c); p != -1; p = m_categories[static_cast<size_t>(p)].parent)
            cat_paths[c].insert(cat_paths[c].begin(), m_categories[static_cast<size_t>(p)].name);
    }
    std::vector<int32_t> cat_order(m_categories.size());
    std::iota(cat_order.begin(), cat_order.end(), 0);
    std::sort(cat_order.begin(), cat_order.end(), [&cat_paths](int32_t a, int32_t b) {
        return cat_paths[static_cast<size_t>(a)] < cat_paths[static_cast<size_t>(b)];
    });
    std::vector<int32_t> brand_order(m_brands.size());
    std::iota(brand_order.begin(), brand_order.end(), 0);
    std::sort(brand_order.begin(), brand_order.end(), [this](int32_t a, int32_t b) {
        return natural_less(m_brands[static_cast<size_t>(a)], m_brands[static_cast<size_t>(b)]);
    });

    auto inverse = [](const std::vector<int32_t> &order, size_t n) {
        std::vector<int32_t> inv(n, -1); // -1: left out
        for (size_t k = 0; k < order.size(); ++k)
            inv[static_cast<size_t>(order[k])] = static_cast<int32_t>(k);
        return inv;
    };
    const auto user_new = inverse(user_order, m_users.size());
    const auto item_new = inverse(item_order, m_items.size());
    const auto cat_new = inverse(cat_order, cat_order.size());
    const auto brand_new = inverse(brand_order, brand_order.size());

    ImportResult r;
    Dataset &d = r.dataset;
    d.meta = std::move(meta);
    for (const auto c : cat_order) {
        Category cat = m_categories[static_cast<size_t>(c)];
        cat.id = static_cast<int64_t>(d.categories.size()) + 1;
        cat.parent = cat.parent < 0 ? -1 : cat_new[static_cast<size_t>(cat.parent)];
        d.categories.push_back(std::move(cat));
    }
    for (const auto b : brand_order)
        d.brands.push_back(m_brands[static_cast<size_t>(b)]);
    for (const auto i : item_order) {
        auto &f = m_items[static_cast<size_t>(i)];
        d.item_ids.push_back(static_cast<int64_t>(d.item_ids.size()) + 1);
        d.item_external.push_back(std::move(f.external));
        d.item_title.push_back(std::move(f.title));
        d.item_category.push_back(f.category < 0 ? -1 : cat_new[static_cast<size_t>(f.category)]);
        d.item_brand.push_back(f.brand < 0 ? -1 : brand_new[static_cast<size_t>(f.brand)]);
        d.item_price.push_back(f.price);
        d.item_tags.push_back(std::move(f.tags));
    }
    for (const auto u : user_order) {
        auto &f = m_users[static_cast<size_t>(u)];
        d.user_ids.push_back(static_cast<int64_t>(d.user_ids.size()) + 1);
        d.user_external.push_back(std::move(f.external));
        d.user_segment.push_back(std::move(f.segment));
        d.user_attributes.push_back(std::move(f.attributes));
    }
    r.interactions = std::move(m_rows);
    for (auto &row : r.interactions) {
        row.user = user_new[static_cast<size_t>(row.user)];
        row.item = item_new[static_cast<size_t>(row.item)];
    }
    assign_split(r.interactions, d.n_users(), split);

    std::vector<CsrEntry> train;
    std::vector<CsrEntry> test;
    std::vector<char> has_test(static_cast<size_t>(d.n_users()), 0);
    for (const auto &row : r.interactions) {
        (row.test ? test : train).push_back(CsrEntry{row.user, row.item, row.has_ts ? row.ts : 0, row.weight});
        if (row.test)
            has_test[static_cast<size_t>(row.user)] = 1;
    }
    d.train_rows = static_cast<int64_t>(train.size());
    d.test_rows = static_cast<int64_t>(test.size());
    d.train = make_csr(d.n_users(), train);
    d.test = make_csr(d.n_users(), test);
    d.finalize();

    // Distinct pairs over both splits.
    std::vector<CsrEntry> all;
    all.reserve(r.interactions.size());
    for (const auto &row : r.interactions)
        all.push_back(CsrEntry{row.user, row.item, 0, 1.0f});
    report.distinct_pairs = make_csr(d.n_users(), all).nnz();
    report.users = d.n_users();
    report.items = d.n_items();
    report.interactions = static_cast<int64_t>(r.interactions.size());
    report.train = d.train_rows;
    report.test = d.test_rows;
    report.categories = static_cast<int64_t>(d.categories.size());
    report.category_levels = d.category_levels;
    report.brands = static_cast<int64_t>(d.brands.size());
    report.test_users = std::count(has_test.begin(), has_test.end(), 1);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s, test fraction %g%s",
                  split.method == SplitOptions::Method::Time ? "time" : "random", split.test_fraction,
                  split.method == SplitOptions::Method::Random ? (", seed " + std::to_string(split.seed)).c_str() : "");
    report.split = buf;
    d.meta["split_method"] = report.split;
    r.report = std::move(report);
    r.event = event;
    return r;
}

} // namespace reclens

#include "core/data/datasetrepository.h"

#include "core/common/error.h"

#include "core/data/sqlite_internal.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <unordered_map>

namespace fs = std::filesystem;

namespace reclens {
namespace {
using namespace sqlite;

const char *const kTables[]
    = {"meta", "categories", "brands", "items", "item_tags", "users", "user_attributes", "interactions"};

const char *const kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE categories(category_id INTEGER PRIMARY KEY, parent_id INTEGER NULL REFERENCES categories(category_id),
                        name TEXT NOT NULL, level INTEGER NOT NULL);
CREATE TABLE brands(brand_id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE items(item_id INTEGER PRIMARY KEY, external_id TEXT UNIQUE NOT NULL, title TEXT,
                   category_id INTEGER NULL REFERENCES categories(category_id),
                   brand_id INTEGER NULL REFERENCES brands(brand_id), price REAL NULL);
CREATE TABLE item_tags(item_id INTEGER NOT NULL REFERENCES items(item_id), tag TEXT NOT NULL);
CREATE TABLE users(user_id INTEGER PRIMARY KEY, external_id TEXT UNIQUE NOT NULL, segment TEXT NULL);
CREATE TABLE user_attributes(user_id INTEGER NOT NULL REFERENCES users(user_id), key TEXT NOT NULL, value TEXT);
CREATE TABLE interactions(user_id INTEGER NOT NULL REFERENCES users(user_id),
                          item_id INTEGER NOT NULL REFERENCES items(item_id), ts INTEGER, event TEXT, weight REAL,
                          split TEXT NOT NULL CHECK(split IN ('train','test')));
)sql";

const SqliteRole kDatasetRole{"dataset", "'reclens-cli import'"};

[[noreturn]] void not_reclens(const std::string &path, const std::string &what)
{
    throw Error(located(path, "not a RecLens dataset: " + what + "; pass a dataset written by 'reclens-cli import'"));
}

int64_t count_rows(Connection &c, const char *sql)
{
    Statement s(c, sql);
    s.step();
    return s.integer(0);
}

std::string utc_now_iso()
{
    std::time_t t = std::time(nullptr);
    // Reproducible builds (the bundled sample) pin the creation time.
    if (const char *epoch = std::getenv("SOURCE_DATE_EPOCH"))
        t = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string temp_name(const std::string &path)
{
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%08x%04x", rd(), counter++ & 0xffffu);
    return path + ".tmp-" + buf;
}

} // namespace

Dataset load_dataset(const std::string &path, const ProgressFn &progress)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(located(path, "no such file; check the path or create a dataset with 'reclens-cli import'"));
    if (fs::is_directory(path, ec))
        throw Error(located(path, "is a folder, not a dataset file; pass the .sqlite file"));

    ProgressReporter reporter(progress);
    reporter.force(0.0, "opening dataset");
    Connection c(path, SQLITE_OPEN_READONLY, kDatasetRole);

    {
        std::unordered_map<std::string, bool> present;
        Statement s(c, "SELECT name FROM sqlite_master WHERE type = 'table'");
        while (s.step())
            present[s.text(0)] = true;
        for (const char *table : kTables) {
            if (!present.count(table))
                not_reclens(path, std::string("table '") + table + "' is missing");
        }
    }

    Dataset d;
    d.path = path;
    {
        Statement s(c, "SELECT key, value FROM meta");
        while (s.step())
            d.meta[s.text(0)] = s.text(1);
    }
    const auto version = d.meta.find("schema_version");
    if (version == d.meta.end())
        not_reclens(path, "meta.schema_version is missing");
    if (version->second != kSchemaVersion)
        throw Error(located(path,
                            "dataset schema_version " + version->second + " is not supported (this RecLens reads "
                                + kSchemaVersion + "); re-import the data with this version of 'reclens-cli import'"));

    reporter.force(0.05, "reading categories");
    std::unordered_map<int64_t, int32_t> category_index;
    std::vector<int64_t> parent_ids;
    {
        Statement s(c, "SELECT category_id, parent_id, name, level FROM categories ORDER BY category_id");
        while (s.step()) {
            Category cat;
            cat.id = s.integer(0);
            cat.name = s.text(2);
            cat.level = static_cast<int>(s.integer(3));
            parent_ids.push_back(s.is_null(1) ? -1 : s.integer(1));
            category_index[cat.id] = static_cast<int32_t>(d.categories.size());
            d.categories.push_back(std::move(cat));
        }
    }
    for (size_t k = 0; k < d.categories.size(); ++k) {
        if (parent_ids[k] == -1)
            continue;
        const auto it = category_index.find(parent_ids[k]);
        if (it == category_index.end())
            throw Error(located(path,
                                "category " + std::to_string(d.categories[k].id) + " has unknown parent_id "
                                    + std::to_string(parent_ids[k]) + "; re-import the data"));
        d.categories[k].parent = it->second;
    }

    std::unordered_map<int64_t, int32_t> brand_index;
    {
        Statement s(c, "SELECT brand_id, name FROM brands ORDER BY brand_id");
        while (s.step()) {
            brand_index[s.integer(0)] = static_cast<int32_t>(d.brands.size());
            d.brands.push_back(s.text(1));
        }
    }

    reporter.force(0.1, "reading items");
    std::unordered_map<int64_t, int32_t> item_index;
    {
        Statement s(c, "SELECT item_id, external_id, title, category_id, brand_id, price FROM items ORDER BY item_id");
        while (s.step()) {
            const int64_t id = s.integer(0);
            item_index[id] = d.n_items();
            d.item_ids.push_back(id);
            d.item_external.push_back(s.is_null(1) ? std::to_string(id) : s.text(1));
            d.item_title.push_back(s.text(2));
            int32_t cat = -1;
            if (!s.is_null(3)) {
                const auto it = category_index.find(s.integer(3));
                if (it == category_index.end())
                    throw Error(located(path,
                                        "item " + std::to_string(id) + " has unknown category_id "
                                            + std::to_string(s.integer(3)) + "; re-import the data"));
                cat = it->second;
            }
            d.item_category.push_back(cat);
            int32_t brand = -1;
            if (!s.is_null(4)) {
                const auto it = brand_index.find(s.integer(4));
                if (it == brand_index.end())
                    throw Error(located(path,
                                        "item " + std::to_string(id) + " has unknown brand_id "
                                            + std::to_string(s.integer(4)) + "; re-import the data"));
                brand = it->second;
            }
            d.item_brand.push_back(brand);
            d.item_price.push_back(s.is_null(5) ? std::nan("") : s.real(5));
        }
    }
    d.item_tags.resize(d.item_ids.size());
    {
        Statement s(c, "SELECT item_id, tag FROM item_tags ORDER BY rowid");
        while (s.step()) {
            const auto it = item_index.find(s.integer(0));
            if (it == item_index.end())
                throw Error(located(path,
                                    "item_tags refers to unknown item_id " + std::to_string(s.integer(0))
                                        + "; re-import the data"));
            d.item_tags[static_cast<size_t>(it->second)].push_back(s.text(1));
        }
    }

    reporter.force(0.2, "reading users");
    std::unordered_map<int64_t, int32_t> user_index;
    {
        Statement s(c, "SELECT user_id, external_id, segment FROM users ORDER BY user_id");
        while (s.step()) {
            const int64_t id = s.integer(0);
            user_index[id] = d.n_users();
            d.user_ids.push_back(id);
            d.user_external.push_back(s.is_null(1) ? std::to_string(id) : s.text(1));
            d.user_segment.push_back(s.is_null(2) ? std::string() : s.text(2));
        }
    }
    d.user_attributes.resize(d.user_ids.size());
    {
        Statement s(c, "SELECT user_id, key, value FROM user_attributes ORDER BY rowid");
        while (s.step()) {
            const auto it = user_index.find(s.integer(0));
            if (it == user_index.end())
                throw Error(located(path,
                                    "user_attributes refers to unknown user_id " + std::to_string(s.integer(0))
                                        + "; re-import the data"));
            d.user_attributes[static_cast<size_t>(it->second)].emplace_back(s.text(1), s.text(2));
        }
    }

    if (d.user_ids.empty())
        throw Error(located(path, "the dataset has no users; re-import it from data with interactions"));
    if (d.item_ids.empty())
        throw Error(located(path, "the dataset has no items; re-import it from data with items"));

    reporter.force(0.3, "reading interactions");
    const int64_t total = count_rows(c, "SELECT COUNT(*) FROM interactions");
    if (total == 0)
        throw Error(located(path, "the dataset has no interactions; re-import it from data with interactions"));
    std::vector<CsrEntry> train;
    std::vector<CsrEntry> test;
    {
        Statement s(c, "SELECT user_id, item_id, ts, weight, split FROM interactions");
        int64_t row = 0;
        while (s.step()) {
            const auto u = user_index.find(s.integer(0));
            const auto i = item_index.find(s.integer(1));
            if (u == user_index.end() || i == item_index.end())
                throw Error(located(path,
                                    "an interaction refers to unknown "
                                        + std::string(u == user_index.end() ? "user_id " : "item_id ")
                                        + std::to_string(u == user_index.end() ? s.integer(0) : s.integer(1))
                                        + "; re-import the data"));
            CsrEntry e{u->second, i->second, s.is_null(2) ? 0 : s.integer(2),
                       s.is_null(3) ? 1.0f : static_cast<float>(s.real(3))};
            (s.text(4) == "test" ? test : train).push_back(e);
            if (++row % 65536 == 0)
                reporter.report(0.3 + 0.6 * static_cast<double>(row) / static_cast<double>(total),
                                "reading interactions");
        }
    }
    reporter.force(0.9, "building indexes");
    d.train_rows = static_cast<int64_t>(train.size());
    d.test_rows = static_cast<int64_t>(test.size());
    d.train = make_csr(d.n_users(), train);
    d.test = make_csr(d.n_users(), test);
    try {
        d.finalize();
    } catch (const Error &e) {
        throw Error(located(path, e.what()));
    }
    reporter.force(1.0, "dataset loaded");
    return d;
}

void write_dataset(const Dataset &dataset, const std::string &path, const std::vector<InteractionRecord> &interactions,
                   const std::string &event, const ProgressFn &progress)
{
    std::error_code ec;
    const fs::path target(path);
    const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(parent, ec))
        throw Error(located(path, "the output folder '" + parent.string() + "' does not exist; create it first"));
    if (fs::is_directory(target, ec))
        throw Error(located(path, "is a folder; give a file name for the dataset"));
    if (!dataset.path.empty() && fs::exists(target, ec) && fs::equivalent(target, dataset.path, ec))
        throw Error(located(path, "refusing to overwrite the dataset being read; choose another --out file"));

    ProgressReporter reporter(progress);
    const std::string tmp = temp_name(path);
    auto cleanup = [&tmp] {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        fs::remove(tmp + "-journal", ignored);
    };
    try {
        Connection c(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, kDatasetRole, path);
        c.exec("PRAGMA journal_mode = MEMORY");
        c.exec("BEGIN");
        c.exec(kSchema);
        reporter.force(0.0, "writing dataset");
        {
            auto meta = dataset.meta;
            meta["schema_version"] = kSchemaVersion;
            if (!meta.count("created_at"))
                meta["created_at"] = utc_now_iso();
            Statement s(c, "INSERT INTO meta(key, value) VALUES (?, ?)");
            for (const auto &[k, v] : meta) {
                s.bind(1, k);
                s.bind(2, v);
                s.run();
            }
        }
        {
            Statement s(c, "INSERT INTO categories(category_id, parent_id, name, level) VALUES (?, ?, ?, ?)");
            for (size_t k = 0; k < dataset.categories.size(); ++k) {
                const auto &cat = dataset.categories[k];
                s.bind(1, static_cast<int64_t>(k) + 1);
                if (cat.parent < 0)
                    s.bind_null(2);
                else
                    s.bind(2, static_cast<int64_t>(cat.parent) + 1);
                s.bind(3, cat.name);
                s.bind(4, static_cast<int64_t>(cat.level));
                s.run();
            }
        }
        {
            Statement s(c, "INSERT INTO brands(brand_id, name) VALUES (?, ?)");
            for (size_t k = 0; k < dataset.brands.size(); ++k) {
                s.bind(1, static_cast<int64_t>(k) + 1);
                s.bind(2, dataset.brands[k]);
                s.run();
            }
        }
        {
            Statement s(c,
                        "INSERT INTO items(item_id, external_id, title, category_id, brand_id, price) VALUES (?, ?, ?, "
                        "?, ?, ?)");
            Statement t(c, "INSERT INTO item_tags(item_id, tag) VALUES (?, ?)");
            for (size_t i = 0; i < dataset.item_ids.size(); ++i) {
                s.bind(1, dataset.item_ids[i]);
                s.bind(2, dataset.item_external[i]);
                s.bind(3, dataset.item_title[i]);
                if (dataset.item_category[i] < 0)
                    s.bind_null(4);
                else
                    s.bind(4, static_cast<int64_t>(dataset.item_category[i]) + 1);
                if (dataset.item_brand[i] < 0)
                    s.bind_null(5);
                else
                    s.bind(5, static_cast<int64_t>(dataset.item_brand[i]) + 1);
                if (std::isnan(dataset.item_price[i]))
                    s.bind_null(6);
                else
                    s.bind(6, dataset.item_price[i]);
                s.run();
                if (i < dataset.item_tags.size()) {
                    for (const auto &tag : dataset.item_tags[i]) {
                        t.bind(1, dataset.item_ids[i]);
                        t.bind(2, tag);
                        t.run();
                    }
                }
            }
        }
        reporter.force(0.2, "writing users");
        {
            Statement s(c, "INSERT INTO users(user_id, external_id, segment) VALUES (?, ?, ?)");
            Statement a(c, "INSERT INTO user_attributes(user_id, key, value) VALUES (?, ?, ?)");
            for (size_t u = 0; u < dataset.user_ids.size(); ++u) {
                s.bind(1, dataset.user_ids[u]);
                s.bind(2, dataset.user_external[u]);
                if (u >= dataset.user_segment.size() || dataset.user_segment[u].empty())
                    s.bind_null(3);
                else
                    s.bind(3, dataset.user_segment[u]);
                s.run();
                if (u < dataset.user_attributes.size()) {
                    for (const auto &[k, v] : dataset.user_attributes[u]) {
                        a.bind(1, dataset.user_ids[u]);
                        a.bind(2, k);
                        a.bind(3, v);
                        a.run();
                    }
                }
            }
        }
        reporter.force(0.3, "writing interactions");
        {
            Statement s(
                c, "INSERT INTO interactions(user_id, item_id, ts, event, weight, split) VALUES (?, ?, ?, ?, ?, ?)");
            const std::string train_label = "train";
            const std::string test_label = "test";
            auto put = [&](const InteractionRecord &r) {
                s.bind(1, dataset.user_ids[static_cast<size_t>(r.user)]);
                s.bind(2, dataset.item_ids[static_cast<size_t>(r.item)]);
                if (r.has_ts)
                    s.bind(3, r.ts);
                else
                    s.bind_null(3);
                s.bind(4, event);
                s.bind(5, static_cast<double>(r.weight));
                s.bind(6, r.test ? test_label : train_label);
                s.run();
            };
            if (!interactions.empty()) {
                const double n = static_cast<double>(interactions.size());
                for (size_t k = 0; k < interactions.size(); ++k) {
                    const auto &r = interactions[k];
                    if (r.user < 0 || r.user >= dataset.n_users() || r.item < 0 || r.item >= dataset.n_items())
                        throw Error(located(path,
                                            "write_dataset: interaction " + std::to_string(k)
                                                + " refers to a user or item outside the dataset"));
                    put(r);
                    if (k % 65536 == 0)
                        reporter.report(0.3 + 0.6 * static_cast<double>(k) / n, "writing interactions");
                }
            } else {
                for (const Csr *csr : {&dataset.train, &dataset.test}) {
                    const bool is_test = csr == &dataset.test;
                    for (int32_t u = 0; u < dataset.n_users() && csr->offsets.size() > static_cast<size_t>(u) + 1;
                         ++u) {
                        const auto items = csr->row(u);
                        const auto ts = csr->row_ts(u);
                        const auto w = csr->row_weights(u);
                        for (size_t k = 0; k < items.size(); ++k)
                            put(InteractionRecord{u, items[k], ts[k], true, w[k], is_test});
                    }
                }
            }
        }
        reporter.force(0.95, "committing");
        c.exec("COMMIT");
        c.close();
        fs::rename(tmp, target);
        reporter.force(1.0, "dataset written");
    } catch (const fs::filesystem_error &e) {
        cleanup();
        throw Error(located(
            path, std::string("cannot write the dataset: ") + e.code().message() + "; check the folder's permissions"));
    } catch (...) {
        cleanup();
        throw;
    }
}

} // namespace reclens

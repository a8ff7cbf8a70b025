// Shard partials as SQLite files (core/data/partialfile.h; the format is in docs/scale-out.md).
#include "core/data/partialfile.h"

#include "core/common/files.h"
#include "core/data/sqlite_internal.h"

#include <cstring>
#include <filesystem>
#include <map>

namespace reclens
{
namespace
{

using namespace sqlite;

const SqliteRole kPartialRole { "partial state", "'reclens-cli evaluate … --shard I/N --partial'" };
constexpr const char *kFormat = "reclens-partial";

const char *const kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE metric_names(position INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE items(item INTEGER PRIMARY KEY, external_id TEXT NOT NULL);
CREATE TABLE runs(run INTEGER PRIMARY KEY, label TEXT NOT NULL, model TEXT NOT NULL, model_sha256 TEXT NOT NULL,
                  device TEXT NOT NULL, settings TEXT NOT NULL, timing TEXT NOT NULL,
                  twice_rank_hi INTEGER NOT NULL, twice_rank_lo INTEGER NOT NULL,
                  positives INTEGER NOT NULL, negatives INTEGER NOT NULL, users INTEGER NOT NULL);
CREATE TABLE users(run INTEGER NOT NULL REFERENCES runs(run), user INTEGER NOT NULL, external_id TEXT NOT NULL,
                   train INTEGER NOT NULL, segment TEXT NOT NULL,
                   head_test INTEGER NOT NULL, head_hits INTEGER NOT NULL,
                   tail_test INTEGER NOT NULL, tail_hits INTEGER NOT NULL,
                   hits INTEGER NOT NULL, test_size INTEGER NOT NULL, list_size INTEGER NOT NULL,
                   metrics BLOB NOT NULL, list BLOB NOT NULL, scores BLOB NOT NULL,
                   PRIMARY KEY(run, user));
)sql";

template <class T> std::string bytes_of(const std::vector<T> &v)
{
    return std::string(reinterpret_cast<const char *>(v.data()), v.size() * sizeof(T));
}

template <class T> std::vector<T> from_bytes(const std::string &b, const std::string &path, const char *what)
{
    if (b.size() % sizeof(T) != 0)
        throw Error(located(
            path, std::string("the partial is damaged (a ") + what + " blob has a partial element); re-run the shard"));
    std::vector<T> v(b.size() / sizeof(T));
    if (!b.empty())
        std::memcpy(v.data(), b.data(), b.size());
    return v;
}

[[noreturn]] void not_partial(const std::string &path, const std::string &what)
{
    throw Error(located(path,
        "not a RecLens partial state: " + what
            + "; pass files written by 'reclens-cli evaluate … --shard I/N --partial'"));
}

} // namespace

void write_partial(const Partial &p, const std::string &path)
{
    write_via_temporary(path, "--partial", [&](const std::string &tmp) {
        Connection c(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, kPartialRole, path);
        c.exec("PRAGMA journal_mode=OFF");
        c.exec("PRAGMA synchronous=OFF");
        c.exec("BEGIN");
        c.exec(kSchema);
        {
            Statement s(c, "INSERT INTO meta(key, value) VALUES (?, ?)");
            const std::map<std::string, std::string> meta {
                { "format", kFormat },
                { "format_version", std::to_string(p.version) },
                { "kind", p.kind },
                { "shard", std::to_string(p.shard) },
                { "shards", std::to_string(p.shards) },
                { "dataset", p.dataset },
                { "dataset_sha256", p.dataset_sha256 },
                { "n_items", std::to_string(p.n_items) },
                { "head_items", std::to_string(p.head_items) },
                { "tail_items", std::to_string(p.tail_items) },
                { "run_users", std::to_string(p.run_users) },
                { "byte_order", "little-endian" },
            };
            for (const auto &[k, v] : meta) {
                s.bind(1, k);
                s.bind(2, v);
                s.run();
            }
        }
        {
            Statement s(c, "INSERT INTO metric_names(position, name) VALUES (?, ?)");
            for (size_t i = 0; i < p.metric_names.size(); ++i) {
                s.bind(1, static_cast<int64_t>(i));
                s.bind(2, p.metric_names[i]);
                s.run();
            }
        }
        {
            Statement s(c, "INSERT INTO items(item, external_id) VALUES (?, ?)");
            for (const auto &[item, id] : p.items) {
                s.bind(1, static_cast<int64_t>(item));
                s.bind(2, id);
                s.run();
            }
        }
        {
            Statement run(c, "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            Statement user(c, "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            for (size_t r = 0; r < p.runs.size(); ++r) {
                const PartialRun &x = p.runs[r];
                const auto rid = static_cast<int64_t>(r);
                run.bind(1, rid);
                run.bind(2, x.label);
                run.bind(3, x.model);
                run.bind(4, x.model_sha256);
                run.bind(5, x.device);
                run.bind(6, x.settings);
                run.bind(7, x.timing);
                run.bind(8, static_cast<int64_t>(x.twice_rank_hi));
                run.bind(9, static_cast<int64_t>(x.twice_rank_lo));
                run.bind(10, x.positives);
                run.bind(11, x.negatives);
                run.bind(12, static_cast<int64_t>(x.users.size()));
                run.run();
                for (const PartialUser &u : x.users) {
                    user.bind(1, rid);
                    user.bind(2, static_cast<int64_t>(u.user));
                    user.bind(3, u.external_id);
                    user.bind(4, u.train);
                    user.bind(5, u.segment);
                    user.bind(6, u.head_test);
                    user.bind(7, u.head_hits);
                    user.bind(8, u.tail_test);
                    user.bind(9, u.tail_hits);
                    user.bind(10, static_cast<int64_t>(u.hits));
                    user.bind(11, static_cast<int64_t>(u.test_size));
                    user.bind(12, static_cast<int64_t>(u.list_size));
                    const std::string m = bytes_of(u.metrics), l = bytes_of(u.list), sc = bytes_of(u.scores);
                    user.bind_blob(13, m.data(), m.size());
                    user.bind_blob(14, l.data(), l.size());
                    user.bind_blob(15, sc.data(), sc.size());
                    user.run();
                }
            }
        }
        c.exec("COMMIT");
        c.close();
    });
}

Partial read_partial(const std::string &path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(located(path, "no such file; pass the partials written by the shards' --partial"));
    if (fs::is_directory(path, ec))
        throw Error(located(path, "is a folder, not a partial state file"));
    if (fs::file_size(path, ec) == 0)
        not_partial(path, "the file is empty");
    Connection c(path, SQLITE_OPEN_READONLY, kPartialRole);
    std::map<std::string, std::string> meta;
    {
        Statement has(c, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
        has.step();
        if (has.integer(0) == 0)
            not_partial(path, "it has no meta table");
        Statement s(c, "SELECT key, value FROM meta");
        while (s.step())
            meta[s.text(0)] = s.text(1);
    }
    if (meta.count("schema_version") && !meta.count("format"))
        not_partial(path, "it is a RecLens dataset");
    if (meta["format"] != kFormat)
        not_partial(path, "meta.format is '" + meta["format"] + "', not '" + kFormat + "'");
    Partial p;
    auto number = [&](const char *key) -> int64_t {
        const auto it = meta.find(key);
        try {
            size_t used = 0;
            const int64_t v = it == meta.end() ? 0 : std::stoll(it->second, &used);
            if (it == meta.end() || used != it->second.size())
                throw std::invalid_argument(key);
            return v;
        } catch (const std::exception &) {
            throw Error(located(path,
                std::string("the partial is damaged (meta.") + key + " is missing or not a number); re-run the shard"));
        }
    };
    p.version = static_cast<int>(number("format_version"));
    if (p.version > kPartialFormatVersion)
        throw Error(located(path,
            "partial format version " + std::to_string(p.version) + " is newer than this RecLens reads ("
                + std::to_string(kPartialFormatVersion)
                + "); merge it with the RecLens that wrote it, or a newer one"));
    if (p.version < 1)
        throw Error(located(
            path, "the partial is damaged (format_version " + std::to_string(p.version) + "); re-run the shard"));
    if (meta["byte_order"] != "little-endian")
        throw Error(located(
            path, "the partial's byte order is '" + meta["byte_order"] + "'; merge on a little-endian machine"));
    p.kind = meta["kind"];
    p.shard = static_cast<int>(number("shard"));
    p.shards = static_cast<int>(number("shards"));
    p.dataset = meta["dataset"];
    p.dataset_sha256 = meta["dataset_sha256"];
    p.n_items = number("n_items");
    p.head_items = number("head_items");
    p.tail_items = number("tail_items");
    p.run_users = number("run_users");
    {
        Statement s(c, "SELECT name FROM metric_names ORDER BY position");
        while (s.step())
            p.metric_names.push_back(s.text(0));
    }
    {
        Statement s(c, "SELECT item, external_id FROM items ORDER BY item");
        while (s.step())
            p.items.emplace_back(static_cast<int32_t>(s.integer(0)), s.text(1));
    }
    std::vector<int64_t> expected;
    {
        Statement s(c,
            "SELECT label, model, model_sha256, device, settings, timing, twice_rank_hi, twice_rank_lo, "
            "positives, negatives, users FROM runs ORDER BY run");
        while (s.step()) {
            PartialRun r;
            r.label = s.text(0);
            r.model = s.text(1);
            r.model_sha256 = s.text(2);
            r.device = s.text(3);
            r.settings = s.text(4);
            r.timing = s.text(5);
            r.twice_rank_hi = static_cast<uint64_t>(s.integer(6));
            r.twice_rank_lo = static_cast<uint64_t>(s.integer(7));
            r.positives = s.integer(8);
            r.negatives = s.integer(9);
            expected.push_back(s.integer(10));
            p.runs.push_back(std::move(r));
        }
    }
    {
        Statement s(c,
            "SELECT run, user, external_id, train, segment, head_test, head_hits, tail_test, tail_hits, "
            "hits, test_size, list_size, metrics, list, scores FROM users ORDER BY run, user");
        while (s.step()) {
            const int64_t run = s.integer(0);
            if (run < 0 || run >= static_cast<int64_t>(p.runs.size()))
                throw Error(located(path,
                    "the partial is damaged (a user row of run " + std::to_string(run)
                        + ", which does not exist); re-run the shard"));
            PartialUser u;
            u.user = static_cast<int32_t>(s.integer(1));
            u.external_id = s.text(2);
            u.train = s.integer(3);
            u.segment = s.text(4);
            u.head_test = s.integer(5);
            u.head_hits = s.integer(6);
            u.tail_test = s.integer(7);
            u.tail_hits = s.integer(8);
            u.hits = static_cast<int32_t>(s.integer(9));
            u.test_size = static_cast<int32_t>(s.integer(10));
            u.list_size = static_cast<int32_t>(s.integer(11));
            u.metrics = from_bytes<double>(s.blob(12), path, "metrics");
            u.list = from_bytes<int32_t>(s.blob(13), path, "list");
            u.scores = from_bytes<float>(s.blob(14), path, "scores");
            if (u.metrics.size() != p.metric_names.size() || u.scores.size() != u.list.size())
                throw Error(located(path,
                    "the partial is damaged (user '" + u.external_id
                        + "' has rows of the wrong length); re-run the shard"));
            p.runs[static_cast<size_t>(run)].users.push_back(std::move(u));
        }
    }
    for (size_t r = 0; r < p.runs.size(); ++r)
        if (static_cast<int64_t>(p.runs[r].users.size()) != expected[r])
            throw Error(located(path,
                "the partial is damaged (run " + std::to_string(r) + " lists " + std::to_string(expected[r])
                    + " users but holds " + std::to_string(p.runs[r].users.size()) + "); re-run the shard"));
    if (p.runs.empty())
        throw Error(located(path, "the partial is damaged (it holds no run); re-run the shard"));
    return p;
}

} // namespace reclens

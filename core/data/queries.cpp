// Search datasets: queries and judgements tables, the query view, BM25 search (DESIGN §11).
#include "core/data/queries.h"
#include "core/data/csvreader.h"
#include "core/data/datasetrepository.h"
#include "core/data/importutil.h"
#include "core/data/qrels.h"
#include "core/data/sqlite_internal.h"
#include "core/data/textlines.h"

#include "core/common/error.h"
#include "core/common/files.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace fs = std::filesystem;

namespace reclens {
namespace {

using namespace sqlite;
using namespace textlines;

const SqliteRole kRole{"dataset", "'reclens-cli import'"};

const char *const kQuerySchema = R"sql(
CREATE TABLE queries(query_id INTEGER PRIMARY KEY, external_id TEXT UNIQUE NOT NULL, text TEXT);
CREATE TABLE judgements(query_id INTEGER NOT NULL REFERENCES queries(query_id),
                        item_id INTEGER NULL REFERENCES items(item_id), grade INTEGER NOT NULL,
                        external_id TEXT NOT NULL);
)sql";

struct Query {
    std::string id, text;
};

// query id <TAB> text per line.
std::vector<Query> read_queries(const std::string &path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw Error(located(path, "no such query file (--queries)"));
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(located(path, "cannot open the query file (--queries)"));
    const std::string layout = "a query line is 'query id<TAB>text'";
    refuse_binary(in, path, "expected queries as 'query id<TAB>text' lines (--queries)");
    std::vector<Query> out;
    std::unordered_set<std::string> seen;
    std::string line;
    long line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        const std::string_view v = trimmed(line, line_no);
        if (blank(v))
            continue;
        if (!is_text(v))
            throw Error(located(path, "not a text file (binary bytes): " + layout + " (--queries)", line_no));
        const auto tab = v.find('\t');
        if (tab == std::string_view::npos)
            throw Error(located(path, "no tab between the query id and its text: " + quoted(v) + " (" + layout + ")",
                                line_no));
        const std::string id(detail::trim(v.substr(0, tab)));
        const std::string text(detail::trim(v.substr(tab + 1)));
        if (out.empty() && seen.empty() && (id == "qid" || id == "query_id")) {
            seen.insert(""); // a header line
            continue;
        }
        if (id.empty() || text.empty())
            throw Error(located(path, std::string(id.empty() ? "a blank query id" : "a blank query text") + ": "
                                          + quoted(v) + " (" + layout + ")",
                                line_no));
        if (id.find_first_of(" \t") != std::string::npos)
            throw Error(located(path, "query id '" + id + "' holds a blank: qrels and TREC runs separate fields by "
                                      "blanks, so a query id is one word (" + layout + ")",
                                line_no));
        if (!seen.insert(id).second)
            throw Error(located(path, "query id '" + id + "' appears twice; give each query one line", line_no));
        out.push_back({id, text});
    }
    if (in.bad())
        throw Error(located(path, "read error in the query file (--queries)"));
    if (out.empty())
        throw Error(located(path, "the query file has no queries: " + layout));
    return out;
}

// judged id -> item external id, from a CSV with a header.
std::unordered_map<std::string, std::string> read_id_map(const QueryImportOptions &o, std::vector<std::string> &findings)
{
    CsvReader csv(o.id_map);
    const auto &h = csv.header();
    if (h.size() < 2)
        throw Error(located(o.id_map, "an id map needs at least two columns (judged id, item id) under a header line"));
    const int from = o.map_from.empty() ? static_cast<int>(h.size()) - 1 : csv.require_column(o.map_from);
    const int to = o.map_to.empty() ? 0 : csv.require_column(o.map_to);
    if (from == to)
        throw Error(located(o.id_map, "--map-from and --map-to name the same column '" + h[static_cast<size_t>(from)]
                                          + "'"));
    std::unordered_map<std::string, std::string> map;
    CsvRow row;
    int64_t blank = 0, conflicts = 0;
    std::vector<std::pair<std::string, int64_t>> markers; // blank ids written as a missing-value marker
    auto id_at = [&](int c) {
        std::string v(detail::trim(row.fields[static_cast<size_t>(c)]));
        if (!row.was_quoted(static_cast<size_t>(c))
            && std::find(o.na_values.begin(), o.na_values.end(), v) != o.na_values.end()) {
            auto it = std::find_if(markers.begin(), markers.end(), [&](const auto &m) { return m.first == v; });
            if (it == markers.end())
                markers.emplace_back(v, 1);
            else
                ++it->second;
            return std::string();
        }
        return v;
    };
    while (csv.next(row)) {
        if (!row.error.empty())
            throw Error(located(o.id_map, row.error, row.line));
        const auto width = csv.width_problem(row);
        if (!width.empty())
            throw Error(located(o.id_map, width, row.line));
        const std::string a = id_at(from);
        const std::string b = a.empty() ? std::string() : id_at(to);
        if (a.empty() || b.empty()) {
            ++blank;
            continue;
        }
        const auto [it, inserted] = map.emplace(a, b);
        conflicts += !inserted && it->second != b;
    }
    if (map.empty())
        throw Error(located(o.id_map, "the id map has no row with both ids"));
    if (blank > 0) {
        std::string of;
        for (const auto &[m, n] : markers)
            of += (of.empty() ? " (" : ", ") + std::to_string(n) + " of them " + m;
        findings.push_back(o.id_map + ": " + std::to_string(blank) + " rows with a blank id left out"
                           + (of.empty() ? std::string() : of + ")"));
    }
    if (conflicts > 0)
        findings.push_back(o.id_map + ": " + std::to_string(conflicts)
                           + " judged ids map to more than one item: the first row kept");
    return map;
}

} // namespace

QueryImportResult import_queries(const QueryImportOptions &o, const ProgressFn &progress)
{
    ProgressReporter reporter(progress);
    check_outputs({{o.base, "--base"}, {o.queries, "--queries"}, {o.qrels, "--qrels"}, {o.id_map, "--id-map"}},
                  {{o.out, "--out"}});
    reporter.force(0.0, "reading the base dataset");
    const Dataset base = load_dataset(o.base);
    if (has_queries(o.base))
        throw Error(located(o.base, "already a search dataset (it has queries); pass the dataset it was made from"));
    QueryImportResult res;
    const auto queries = read_queries(o.queries);
    std::unordered_map<std::string, int32_t> query_index;
    for (size_t q = 0; q < queries.size(); ++q)
        query_index.emplace(queries[q].id, static_cast<int32_t>(q));
    std::unordered_map<std::string, std::string> map;
    if (!o.id_map.empty())
        map = read_id_map(o, res.findings);

    struct Judged {
        int32_t query;
        int32_t item; // -1: the base has no such item
        int32_t grade;
        std::string docid;
    };
    std::vector<Judged> judged;
    std::unordered_set<std::string> unknown_queries, unmapped;
    std::set<std::pair<int32_t, std::string>> pairs;
    int64_t unknown_query_lines = 0, duplicates = 0;
    std::string first_unknown;
    read_qrels(o.qrels, "--qrels", [&](const QrelsLine &l) {
        const std::string qid(l.qid), docid(l.docid);
        const auto q = query_index.find(qid);
        if (q == query_index.end()) {
            ++unknown_query_lines;
            if (unknown_queries.insert(qid).second && unknown_queries.size() == 1)
                first_unknown = "line " + std::to_string(l.line) + ": '" + qid + "'";
            return;
        }
        if (!pairs.emplace(q->second, docid).second) {
            ++duplicates;
            return;
        }
        std::string item_id = docid;
        if (!o.id_map.empty()) {
            const auto m = map.find(docid);
            if (m == map.end()) {
                unmapped.insert(docid);
                item_id.clear();
            } else {
                item_id = m->second;
                ++res.mapped;
            }
        }
        const int32_t item = item_id.empty() ? -1 : base.find_item(item_id);
        judged.push_back({q->second, item, l.grade, docid});
    });
    if (judged.empty())
        throw Error(located(o.qrels, "no qrels line names a query of " + o.queries + " (the first is at "
                                         + first_unknown + "): do the query ids match?"));
    for (const auto &j : judged)
        res.outside += j.item < 0;
    if (res.outside == static_cast<int64_t>(judged.size()))
        throw Error(located(o.qrels, "no judged docid is an item of " + o.base
                                         + (o.id_map.empty() ? std::string(": give --id-map MAP.csv to translate ids")
                                                             : std::string(" after the id map"))));
    res.queries = static_cast<int64_t>(queries.size());
    res.judgements = static_cast<int64_t>(judged.size());
    {
        std::unordered_set<int32_t> jq;
        for (const auto &j : judged)
            jq.insert(j.query);
        res.judged_queries = static_cast<int64_t>(jq.size());
    }
    if (!unknown_queries.empty())
        res.findings.push_back(std::to_string(unknown_query_lines) + " qrels lines name "
                               + std::to_string(unknown_queries.size())
                               + " query ids the query file lacks, left out (first at " + first_unknown + ")");
    if (duplicates > 0)
        res.findings.push_back(std::to_string(duplicates) + " (query, docid) pairs judged twice: the first grade kept");
    if (res.outside > 0)
        res.findings.push_back(std::to_string(res.outside) + " judgements name ids the base has no item for"
                               + (unmapped.empty() ? std::string()
                                                   : " (" + std::to_string(unmapped.size()) + " not in the id map)")
                               + ": kept, they count among the relevant as in trec_eval");
    if (res.judged_queries < res.queries)
        res.findings.push_back(std::to_string(res.queries - res.judged_queries)
                               + " queries have no judgement: trec_eval's convention leaves them out of the means");

    reporter.force(0.3, "writing the search dataset");
    std::error_code ec;
    const fs::path target(o.out);
    const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(parent, ec))
        throw Error(located(o.out, "the output folder '" + parent.string() + "' does not exist; create it first"));
    write_via_temporary(o.out, "--out", [&](const std::string &tmp) {
        fs::copy_file(o.base, tmp, fs::copy_options::overwrite_existing, ec);
        if (ec)
            throw Error(located(o.out, "cannot copy the base dataset: " + ec.message()));
        Connection c(tmp, SQLITE_OPEN_READWRITE, kRole, o.out);
        c.exec("PRAGMA journal_mode = MEMORY");
        c.exec("BEGIN");
        c.exec(kQuerySchema);
        {
            Statement s(c, "INSERT INTO queries(query_id, external_id, text) VALUES (?, ?, ?)");
            for (size_t q = 0; q < queries.size(); ++q) {
                s.bind(1, static_cast<int64_t>(q) + 1);
                s.bind(2, queries[q].id);
                s.bind(3, queries[q].text);
                s.run();
            }
        }
        {
            Statement s(c, "INSERT INTO judgements(query_id, item_id, grade, external_id) VALUES (?, ?, ?, ?)");
            for (const auto &j : judged) {
                s.bind(1, static_cast<int64_t>(j.query) + 1);
                if (j.item >= 0)
                    s.bind(2, base.item_ids[static_cast<size_t>(j.item)]);
                else
                    s.bind_null(2);
                s.bind(3, static_cast<int64_t>(j.grade));
                s.bind(4, j.docid);
                s.run();
            }
        }
        {
            Statement s(c, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
            const std::pair<const char *, std::string> rows[] = {
                {"requests", "queries"},
                {"queries_source", o.queries},
                {"judgements_source", o.qrels + (o.id_map.empty() ? std::string() : " via " + o.id_map)},
                {"base_dataset", o.base}};
            for (const auto &[k, v] : rows) {
                s.bind(1, std::string(k));
                s.bind(2, v);
                s.run();
            }
        }
        c.exec("COMMIT");
    });
    reporter.force(1.0, "search dataset written");
    return res;
}

bool has_queries(const std::string &path)
{
    Connection c(path, SQLITE_OPEN_READONLY, kRole);
    Statement t(c, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('queries', 'judgements')");
    t.step();
    if (t.integer(0) < 2)
        return false;
    Statement s(c, "SELECT EXISTS(SELECT 1 FROM queries)");
    s.step();
    return s.integer(0) != 0;
}

Dataset load_query_view(const std::string &path, double threshold, const ProgressFn &progress)
{
    return query_view(load_dataset(path, progress), threshold);
}

Dataset query_view(Dataset d, double threshold)
{
    const std::string path = d.path;
    if (d.queries())
        throw Error(located(path, "is read for its queries already"));
    if (!has_queries(path))
        throw Error(located(path, "has no queries: make a search dataset with 'reclens-cli import queries'"));
    std::vector<int64_t> ids;
    std::vector<std::string> external, text;
    std::unordered_map<int64_t, int32_t> index;
    std::vector<JudgedTriple> triples;
    {
        Connection c(path, SQLITE_OPEN_READONLY, kRole);
        {
            Statement s(c, "SELECT query_id, external_id, text FROM queries ORDER BY query_id");
            while (s.step()) {
                index[s.integer(0)] = static_cast<int32_t>(ids.size());
                ids.push_back(s.integer(0));
                external.push_back(s.is_null(1) ? std::to_string(s.integer(0)) : s.text(1));
                text.push_back(s.text(2));
            }
        }
        std::unordered_map<int64_t, int32_t> item_index;
        for (int32_t i = 0; i < d.n_items(); ++i)
            item_index[d.item_ids[static_cast<size_t>(i)]] = i;
        Statement s(c, "SELECT query_id, item_id, grade FROM judgements ORDER BY rowid");
        while (s.step()) {
            const auto q = index.find(s.integer(0));
            if (q == index.end())
                throw Error(located(path, "judgements refer to unknown query_id " + std::to_string(s.integer(0))
                                              + "; re-import the queries"));
            int32_t item = -1;
            if (!s.is_null(1)) {
                const auto it = item_index.find(s.integer(1));
                if (it == item_index.end())
                    throw Error(located(path, "judgements refer to unknown item_id " + std::to_string(s.integer(1))
                                                  + "; re-import the queries"));
                item = it->second;
            }
            triples.push_back({q->second, item, static_cast<int32_t>(s.integer(2))});
        }
    }
    // The users' popularity and population stay; the requests become the queries.
    d.request_kind = RequestKind::queries;
    d.user_ids = std::move(ids);
    d.user_external = std::move(external);
    d.request_text = std::move(text);
    d.user_segment.clear();
    d.user_attributes.clear();
    const auto n = d.user_ids.size();
    d.train = Csr{};
    d.train.offsets.assign(n + 1, 0);
    d.test = Csr{};
    d.test.offsets.assign(n + 1, 0);
    d.train_rows = 0;
    d.test_rows = 0;
    try {
        d.finalize();
    } catch (const Error &e) {
        throw Error(located(path, e.what()));
    }
    set_judgements(d, make_judgements(static_cast<int32_t>(n), triples, threshold, path + " (judgements)"));
    return d;
}

std::vector<std::vector<SearchHit>> bm25_search(const Dataset &ds, int depth)
{
    if (depth < 1)
        throw Error("--depth " + std::to_string(depth) + " must be at least 1");
    Connection c(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY, {"search index", "RecLens"});
    c.exec("CREATE VIRTUAL TABLE docs USING fts5(title, categories, tags, tokenize = 'porter unicode61')");
    c.exec("BEGIN");
    {
        Statement s(c, "INSERT INTO docs(rowid, title, categories, tags) VALUES (?, ?, ?, ?)");
        for (int32_t i = 0; i < ds.n_items(); ++i) {
            std::string cats, tags;
            for (const int32_t cat : ds.item_path(i))
                cats += (cats.empty() ? "" : " ") + ds.categories[static_cast<size_t>(cat)].name;
            for (const auto &t : ds.item_tags[static_cast<size_t>(i)])
                tags += (tags.empty() ? "" : " ") + t;
            s.bind(1, static_cast<int64_t>(i));
            s.bind(2, ds.item_title[static_cast<size_t>(i)]);
            s.bind(3, cats);
            s.bind(4, tags);
            s.run();
        }
    }
    c.exec("COMMIT");
    std::vector<std::vector<SearchHit>> out(static_cast<size_t>(ds.n_users()));
    // Words only, each quoted (FTS5 operators and punctuation in a query's text are not syntax).
    Statement s(c, "SELECT rowid, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs)");
    for (int32_t q = 0; q < ds.n_users(); ++q) {
        std::string match;
        std::string word;
        const std::string &text = ds.request_text.empty() ? ds.user_external[static_cast<size_t>(q)]
                                                          : ds.request_text[static_cast<size_t>(q)];
        auto flush = [&] {
            if (!word.empty())
                match += (match.empty() ? "\"" : " OR \"") + word + "\"";
            word.clear();
        };
        for (const char ch : text) {
            if (std::isalnum(static_cast<unsigned char>(ch)) || static_cast<unsigned char>(ch) >= 0x80)
                word += ch;
            else
                flush();
        }
        flush();
        if (match.empty())
            continue;
        s.bind(1, match);
        auto &hits = out[static_cast<size_t>(q)];
        while (s.step())
            hits.push_back({static_cast<int32_t>(s.integer(0)), -s.real(1)});
        s.reset();
        // trec_eval orders equal scores by docid descending: keep that order in the run's ranks.
        std::stable_sort(hits.begin(), hits.end(), [&](const SearchHit &a, const SearchHit &b) {
            if (a.score != b.score)
                return a.score > b.score;
            return ds.item_external[static_cast<size_t>(a.item)] > ds.item_external[static_cast<size_t>(b.item)];
        });
        if (hits.size() > static_cast<size_t>(depth))
            hits.resize(static_cast<size_t>(depth));
    }
    return out;
}

} // namespace reclens

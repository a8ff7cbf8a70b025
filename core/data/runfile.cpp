// Run files (core/data/runfile.h, DESIGN §11).
#include "core/data/runfile.h"
#include "core/data/textlines.h"

#include "core/common/error.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <unordered_set>

namespace reclens {

RunFormat parse_run_format(const std::string &name)
{
    if (name == "trec")
        return RunFormat::trec;
    if (name == "csv")
        return RunFormat::csv;
    if (name == "auto" || name.empty())
        return RunFormat::automatic;
    throw Error("--run-format '" + name + "' is not one of trec, csv, auto");
}

const char *run_format_name(RunFormat f)
{
    switch (f) {
    case RunFormat::trec: return "trec";
    case RunFormat::csv: return "csv";
    default: return "auto";
    }
}

std::vector<std::string> RunReport::warnings() const
{
    std::vector<std::string> out;
    if (unknown_requests > 0)
        out.push_back(std::to_string(unknown_request_lines) + " lines name " + std::to_string(unknown_requests)
                      + " requests the dataset does not have, skipped (first " + first_unknown_request + ")");
    if (unknown_item_lines > 0)
        out.push_back(std::to_string(unknown_item_lines) + " lines name items the dataset does not have, skipped (first "
                      + first_unknown_item + ")");
    if (duplicates > 0)
        out.push_back(std::to_string(duplicates) + " lines list an item again for the same request, the better-ranked "
                      "kept (first " + first_duplicate + ")");
    if (rank_disagreements > 0 && !trec_eval_order)
        out.push_back(std::to_string(rank_disagreements) + " requests have scores that rise down the rank order; "
                      "rank order wins (first " + first_rank_disagreement + ")");
    if (reordered > 0)
        out.push_back(std::to_string(reordered) + " requests are ranked otherwise than by score, then docid "
                      "descending: with judgements the run is read in trec_eval's order, which ignores ranks (first "
                      + first_reordered + ")");
    return out;
}

size_t Run::depth() const
{
    if (max_depth > 0)
        return max_depth;
    size_t d = 0;
    for (size_t u = 0; u + 1 < offsets.size(); ++u)
        d = std::max(d, static_cast<size_t>(offsets[u + 1] - offsets[u]));
    return d;
}

namespace {

using namespace textlines;

struct Entry { // 24 bytes: what a run line costs in memory
    int32_t user, item;
    int32_t rank; // the file's rank; without one, the line number (ties then by order)
    double score; // as read: trec_eval orders by the double
};

// Comma-separated fields; a field may be double-quoted ("" inside for a quote). Returns false on
// an unterminated quote. Quoted fields are unescaped into `storage`.
bool split_csv(std::string_view line, std::vector<std::string_view> &out, std::vector<std::string> &storage,
               std::vector<uint8_t> &quoted)
{
    out.clear();
    storage.clear();
    quoted.clear();
    storage.reserve(64); // views point into it: it must never reallocate
    size_t i = 0;
    while (true) {
        if (i < line.size() && line[i] == '"') {
            std::string f;
            ++i;
            bool closed = false;
            while (i < line.size()) {
                if (line[i] == '"') {
                    if (i + 1 < line.size() && line[i + 1] == '"') {
                        f += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    closed = true;
                    break;
                }
                f += line[i++];
            }
            while (closed && i < line.size() && (line[i] == ' ' || line[i] == '\t'))
                ++i; // blanks after the closing quote
            if (!closed || (i < line.size() && line[i] != ','))
                return false;
            if (storage.size() == storage.capacity())
                return false; // more quoted fields than a run line has any use for
            storage.push_back(std::move(f));
            out.push_back(storage.back());
            quoted.push_back(1);
        } else {
            const size_t j = std::min(line.find(',', i), line.size());
            std::string_view f = line.substr(i, j - i);
            while (!f.empty() && (f.front() == ' ' || f.front() == '\t'))
                f.remove_prefix(1);
            while (!f.empty() && (f.back() == ' ' || f.back() == '\t'))
                f.remove_suffix(1);
            out.push_back(f);
            quoted.push_back(0);
            i = j;
        }
        if (i >= line.size())
            return true;
        ++i; // the comma
        if (i == line.size()) {
            out.push_back({});
            quoted.push_back(0);
            return true;
        }
    }
}

// A finite number that stays finite as a float (the lists keep float scores).
bool parse_score(std::string_view s, double &out)
{
    if (!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    double v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v))
        return false;
    out = v;
    return std::isfinite(static_cast<float>(v));
}

bool parse_rank(std::string_view s, int32_t &out)
{
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && out >= 0;
}

} // namespace

Run load_run(const std::string &path, const Dataset &ds, RunFormat format)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(located(path, "no such run file (--run)"));
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(located(path, "cannot open the run file (--run)"));
    if (format == RunFormat::automatic) {
        const auto ext = std::filesystem::path(path).extension().string();
        format = ext == ".csv" ? RunFormat::csv : RunFormat::trec;
    }
    const bool trec = format == RunFormat::trec;
    const char *layout = trec ? "a TREC run line is 'qid Q0 docid rank score tag' (or give --run-format csv)"
                              : "a CSV run line is 'user_id,item_id,score[,rank]' (or give --run-format trec)";
    // A binary file may have no line break at all: look at its start before reading lines.
    refuse_binary(in, path, "expected a TREC or CSV run (--run)");

    Run run;
    run.path = path;
    run.format = format;
    run.name = std::filesystem::path(path).stem().string();
    RunReport &rep = run.report;
    rep.has_rank = trec;
    std::vector<Entry> entries;
    const auto bytes = std::filesystem::file_size(path, ec);
    if (!ec)
        entries.reserve(static_cast<size_t>(std::min<std::uintmax_t>(bytes / 24, std::uintmax_t{1} << 28)));
    std::unordered_set<std::string> unknown_requests;
    int64_t known_request_lines = 0;
    MalformedLines malformed;
    auto bad = [&](long line_no, std::string_view line, const std::string &why) { malformed.add(line_no, line, why); };

    std::string line, last_qid, item_id;
    int32_t last_user = -1; // of last_qid ("" before the first line: a qid is never blank here)
    std::vector<std::string_view> f;
    std::vector<std::string> storage;
    std::vector<uint8_t> quoted;
    bool seen_content = false, tag_taken = false;
    std::array<int, 4> col{0, 1, 2, -1}; // CSV: user_id, item_id, score, rank (-1: none)
    size_t columns = 3;
    long line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        ++rep.lines;
        const std::string_view v = trimmed(line, line_no);
        if (!is_text(v)) {
            if (!seen_content) // a binary file: say so at once rather than count its "lines"
                throw Error(located(path, "not a text file (binary bytes): expected a TREC or CSV run (--run)", line_no));
            bad(line_no, v, "binary bytes");
            continue;
        }
        if (blank(v))
            continue;
        const bool first = !seen_content;
        seen_content = true;
        std::string_view qid, docid, rank_s, score_s;
        if (trec) {
            split_ws(v, f);
            if (f.size() != 6) {
                bad(line_no, v, std::to_string(f.size()) + " fields, not 6");
                continue;
            }
            qid = f[0];
            docid = f[2];
            rank_s = f[3];
            score_s = f[4];
            if (!tag_taken) {
                run.name = std::string(f[5]);
                tag_taken = true;
            }
        } else {
            if (!split_csv(v, f, storage, quoted)) {
                bad(line_no, v, "an unterminated quote (or text after a closing quote, or over 64 quoted fields)");
                continue;
            }
            if (first) { // a header names the columns (any order, extra ones ignored); else positional
                double dummy = 0;
                const bool named = std::find(f.begin(), f.end(), "user_id") != f.end();
                if (named || (f.size() >= 3 && !parse_score(f[2], dummy))) {
                    auto at = [&](const char *n) {
                        const auto it = std::find(f.begin(), f.end(), n);
                        return it == f.end() ? -1 : static_cast<int>(it - f.begin());
                    };
                    col = {at("user_id"), at("item_id"), at("score"), at("rank")};
                    if (col[0] < 0 || col[1] < 0 || col[2] < 0) {
                        bad(line_no, v, "a header without the columns user_id, item_id and score");
                        col = {0, 1, 2, -1}; // the file is refused; the rest is only counted
                        continue;
                    }
                    columns = f.size();
                    rep.has_rank = col[3] >= 0;
                    continue;
                }
                columns = f.size() == 4 ? 4 : 3;
                col = {0, 1, 2, columns == 4 ? 3 : -1};
                rep.has_rank = columns == 4;
            }
            if (f.size() != columns) {
                bad(line_no, v, std::to_string(f.size()) + " fields, not " + std::to_string(columns));
                continue;
            }
            qid = f[static_cast<size_t>(col[0])];
            docid = f[static_cast<size_t>(col[1])];
            score_s = f[static_cast<size_t>(col[2])];
            if (col[3] >= 0)
                rank_s = f[static_cast<size_t>(col[3])];
        }
        // An unquoted missing-value marker (R's NA, SQL's NULL, …) is a blank id (DESIGN §9).
        const bool csv_quoted_qid = !trec && quoted[static_cast<size_t>(col[0])];
        const bool csv_quoted_doc = !trec && quoted[static_cast<size_t>(col[1])];
        // The dataset's own ids come first: an item it keeps as "NA" (quoted in its import) is
        // written bare in TREC runs and lists exports, and must read back.
        std::string qid_na = csv_quoted_qid ? std::string() : na_note(qid);
        if (!qid_na.empty() && ds.find_user(std::string(qid)) >= 0)
            qid_na.clear();
        std::string doc_na = csv_quoted_doc ? std::string() : na_note(docid);
        if (!doc_na.empty() && ds.find_item(std::string(docid)) >= 0)
            doc_na.clear();
        if (qid.empty() || docid.empty() || !qid_na.empty() || !doc_na.empty()) {
            bad(line_no, v,
                qid.empty() || !qid_na.empty() ? "a blank request id" + qid_na : "a blank item id" + doc_na);
            continue;
        }
        Entry e{};
        if (!parse_score(score_s, e.score)) {
            bad(line_no, v, "score '" + std::string(score_s) + "' is not a finite number");
            continue;
        }
        if (rep.has_rank) {
            if (!parse_rank(rank_s, e.rank)) {
                bad(line_no, v, "rank '" + std::string(rank_s) + "' is not a whole number from 0 to 2147483647");
                continue;
            }
        } else {
            e.rank = static_cast<int32_t>(std::min<long>(line_no, std::numeric_limits<int32_t>::max()));
        }
        if (malformed.count > 0)
            continue; // the file is refused anyway: only count the rest
        // Consecutive lines mostly share their request: look it up once.
        if (qid != last_qid) {
            last_qid.assign(qid);
            last_user = ds.find_user(last_qid);
        }
        const std::string &q = last_qid;
        e.user = last_user;
        if (e.user < 0) {
            ++rep.unknown_request_lines;
            if (unknown_requests.insert(q).second && unknown_requests.size() == 1)
                rep.first_unknown_request = "line " + std::to_string(line_no) + ": '" + q + "'";
            continue;
        }
        ++known_request_lines;
        item_id.assign(docid);
        e.item = ds.find_item(item_id);
        if (e.item < 0) {
            if (rep.unknown_item_lines++ == 0)
                rep.first_unknown_item = "line " + std::to_string(line_no) + ": '" + std::string(docid) + "'";
            continue;
        }
        entries.push_back(e);
    }
    if (in.bad())
        throw Error(located(path, "read error in the run file (--run)"));
    if (!seen_content)
        throw Error(located(path, "the run file is empty: " + std::string(layout)));
    malformed.refuse_if_any(path, layout);
    rep.unknown_requests = static_cast<int64_t>(unknown_requests.size());
    if (entries.empty()) {
        const std::string first = !rep.first_unknown_request.empty() && known_request_lines == 0
                                      ? "the first unknown request is at " + rep.first_unknown_request
                                      : "the first unknown item is at " + rep.first_unknown_item;
        throw Error(located(path, "no line names a user and an item of the dataset (" + first
                                      + "): is it a run for this dataset?"));
    }
    if (2 * rep.unknown_item_lines > known_request_lines)
        throw Error(located(path, std::to_string(rep.unknown_item_lines) + " of " + std::to_string(known_request_lines)
                                      + " lines name items the dataset does not have (first at "
                                      + rep.first_unknown_item + "): is it a run for this dataset?"));

    // Each request's list in rank order (or by score, highest first), ties by line order; with
    // judgements in trec_eval's order: score descending, then docid descending (strcmp).
    const bool trec_order = ds.judgements.has_value();
    rep.trec_eval_order = trec_order;
    std::stable_sort(entries.begin(), entries.end(), [&](const Entry &a, const Entry &b) {
        if (a.user != b.user)
            return a.user < b.user;
        if (trec_order) {
            if (a.score != b.score)
                return a.score > b.score;
            return ds.item_external[static_cast<size_t>(a.item)] > ds.item_external[static_cast<size_t>(b.item)];
        }
        if (rep.has_rank)
            return a.rank < b.rank;
        return a.score > b.score;
    });
    run.offsets.assign(static_cast<size_t>(ds.n_users()) + 1, 0);
    run.items.reserve(entries.size());
    run.scores.reserve(entries.size());
    std::vector<int32_t> seen_at(static_cast<size_t>(ds.n_items()), -1);
    for (size_t b = 0; b < entries.size();) {
        const int32_t u = entries[b].user;
        size_t e = b;
        int64_t kept = 0;
        bool disagrees = false, reordered = false;
        double last = 0;
        int32_t last_rank = 0;
        while (e < entries.size() && entries[e].user == u) {
            const Entry &x = entries[e++];
            if (seen_at[static_cast<size_t>(x.item)] == u) {
                if (rep.duplicates++ == 0)
                    rep.first_duplicate = "request '" + ds.user_external[static_cast<size_t>(u)] + "', item '"
                                          + ds.item_external[static_cast<size_t>(x.item)] + "'";
                continue;
            }
            seen_at[static_cast<size_t>(x.item)] = u;
            if (kept > 0 && x.score > last && !disagrees) {
                disagrees = true;
                if (rep.rank_disagreements++ == 0)
                    rep.first_rank_disagreement = "request '" + ds.user_external[static_cast<size_t>(u)] + "'";
            }
            if (trec_order && rep.has_rank && kept > 0 && x.rank < last_rank && !reordered) {
                reordered = true;
                if (rep.reordered++ == 0)
                    rep.first_reordered = "request '" + ds.user_external[static_cast<size_t>(u)] + "'";
            }
            last = x.score;
            last_rank = x.rank;
            ++kept;
            run.items.push_back(x.item);
            run.scores.push_back(static_cast<float>(x.score));
        }
        run.offsets[static_cast<size_t>(u) + 1] = kept;
        run.max_depth = std::max(run.max_depth, static_cast<size_t>(kept));
        b = e;
    }
    for (size_t u = 1; u < run.offsets.size(); ++u)
        run.offsets[u] += run.offsets[u - 1];
    rep.entries = static_cast<int64_t>(run.items.size());
    return run;
}

} // namespace reclens

// qrels: graded judgements per request (DESIGN §11).
#include "core/data/qrels.h"
#include "core/data/textlines.h"

#include "core/common/error.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <unordered_set>

namespace reclens {

using namespace textlines;

int64_t read_qrels(const std::string &path, const std::string &flag, const std::function<void(const QrelsLine &)> &fn,
                   const Dataset *known)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(located(path, "no such qrels file (" + flag + ")"));
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(located(path, "cannot open the qrels file (" + flag + ")"));
    const std::string layout = "a qrels line is 'qid 0 docid grade' with a whole-number grade";
    refuse_binary(in, path, "expected qrels 'qid 0 docid grade' (" + flag + ")");

    int64_t judgements = 0;
    MalformedLines malformed;
    auto bad = [&](long line_no, std::string_view line, const std::string &why) { malformed.add(line_no, line, why); };
    std::string line;
    std::vector<std::string_view> f;
    long line_no = 0;
    bool seen_content = false;
    while (std::getline(in, line)) {
        ++line_no;
        const std::string_view v = trimmed(line, line_no);
        if (!is_text(v)) {
            if (!seen_content)
                throw Error(located(path, "not a text file (binary bytes): expected qrels (" + flag + ")", line_no));
            bad(line_no, v, "binary bytes");
            continue;
        }
        if (blank(v))
            continue;
        seen_content = true;
        split_ws(v, f);
        if (f.size() != 4) {
            bad(line_no, v, std::to_string(f.size()) + " fields, not 4");
            continue;
        }
        // An unquoted missing-value marker (R's NA, SQL's NULL, …) is a blank id (DESIGN §9).
        if (const std::string na = na_note(f[0]); !na.empty() && !(known && known->find_user(std::string(f[0])) >= 0)) {
            bad(line_no, v, "a blank request id" + na);
            continue;
        }
        if (const std::string na = na_note(f[2]); !na.empty() && !(known && known->find_item(std::string(f[2])) >= 0)) {
            bad(line_no, v, "a blank item id" + na);
            continue;
        }
        QrelsLine q{f[0], f[2], 0, line_no};
        const auto g = f[3];
        const auto r = std::from_chars(g.data(), g.data() + g.size(), q.grade);
        if (r.ec != std::errc() || r.ptr != g.data() + g.size()) {
            bad(line_no, v, "grade '" + std::string(g) + "' is not a whole number");
            continue;
        }
        if (malformed.count > 0)
            continue; // refused anyway: only count the rest
        ++judgements;
        fn(q);
    }
    if (in.bad())
        throw Error(located(path, "read error in the qrels file (" + flag + ")"));
    if (!seen_content)
        throw Error(located(path, "the qrels file is empty: " + layout));
    malformed.refuse_if_any(path, layout);
    return judgements;
}

Judgements make_judgements(int32_t n_requests, std::span<const JudgedTriple> triples, double threshold,
                           std::string source, int64_t *duplicates)
{
    std::vector<JudgedTriple> t(triples.begin(), triples.end());
    std::stable_sort(t.begin(), t.end(), [](const JudgedTriple &a, const JudgedTriple &b) {
        return a.request != b.request ? a.request < b.request : a.item < b.item;
    });
    Judgements j;
    j.threshold = threshold;
    j.source = std::move(source);
    j.judged.offsets.assign(static_cast<size_t>(n_requests) + 1, 0);
    j.outside_offsets.assign(static_cast<size_t>(n_requests) + 1, 0);
    int64_t dup = 0;
    for (size_t i = 0; i < t.size(); ++i) {
        const auto &x = t[i];
        if (x.item < 0) {
            j.outside_grades.push_back(x.grade);
            ++j.outside_offsets[static_cast<size_t>(x.request) + 1];
            continue;
        }
        if (i > 0 && t[i - 1].request == x.request && t[i - 1].item == x.item) {
            ++dup;
            continue;
        }
        j.judged.items.push_back(x.item);
        j.judged.ts.push_back(0);
        j.judged.weights.push_back(static_cast<float>(x.grade));
        ++j.judged.offsets[static_cast<size_t>(x.request) + 1];
    }
    for (size_t r = 1; r < j.judged.offsets.size(); ++r) {
        j.judged.offsets[r] += j.judged.offsets[r - 1];
        j.outside_offsets[r] += j.outside_offsets[r - 1];
    }
    if (duplicates)
        *duplicates = dup;
    return j;
}

Judgements load_qrels(const std::string &path, const Dataset &ds, double threshold, std::vector<std::string> *warnings,
                      const std::string &flag)
{
    std::vector<JudgedTriple> triples;
    std::unordered_set<std::string> unknown_requests, outside_ids, judged_pairs;
    std::string first_unknown_request, first_outside, last_qid;
    int32_t last_request = -1;
    int64_t unknown_request_lines = 0, duplicates = 0;
    std::string docid;
    read_qrels(path, flag, [&](const QrelsLine &q) {
        if (q.qid != last_qid) {
            last_qid.assign(q.qid);
            last_request = ds.find_user(last_qid);
        }
        if (last_request < 0) {
            ++unknown_request_lines;
            if (unknown_requests.insert(last_qid).second && unknown_requests.size() == 1)
                first_unknown_request = "line " + std::to_string(q.line) + ": '" + last_qid + "'";
            return;
        }
        docid.assign(q.docid);
        // A (request, docid) judged twice keeps its first grade, ids the dataset lacks included.
        if (!judged_pairs.insert(std::to_string(last_request) + '\t' + docid).second) {
            ++duplicates;
            return;
        }
        const int32_t item = ds.find_item(docid);
        if (item < 0 && outside_ids.insert(docid).second && outside_ids.size() == 1)
            first_outside = "line " + std::to_string(q.line) + ": '" + docid + "'";
        triples.push_back({last_request, item, q.grade});
    }, &ds);
    const char *requests = ds.queries() ? "query" : "user";
    if (triples.empty())
        throw Error(located(path, std::string("no qrels line names a ") + requests + " of the dataset (the first is at "
                                      + first_unknown_request + "): are these qrels for this dataset?"));
    const auto known = std::count_if(triples.begin(), triples.end(), [](const JudgedTriple &t) { return t.item >= 0; });
    if (known == 0)
        throw Error(located(path, "no judged docid is an item of the dataset (the first is at " + first_outside
                                      + "): are these qrels for this dataset? ('reclens-cli import queries --id-map' "
                                        "translates ids)"));
    Judgements j = make_judgements(ds.n_users(), triples, threshold, path);
    if (warnings) {
        if (!unknown_requests.empty())
            warnings->push_back(std::to_string(unknown_requests.size()) + " judged request ids ("
                                + std::to_string(unknown_request_lines) + " lines) are not " + requests
                                + "s of the dataset, left out; the first is at " + first_unknown_request);
        if (!outside_ids.empty())
            warnings->push_back(std::to_string(triples.size() - static_cast<size_t>(known)) + " judgements name "
                                + std::to_string(outside_ids.size()) + " ids the dataset has no item for (first at "
                                + first_outside + "): they can never be listed but count among the relevant "
                                  "(recall, map, nDCG's ideal), as in trec_eval");
        if (duplicates > 0)
            warnings->push_back(std::to_string(duplicates)
                                + " (request, docid) pairs are judged more than once: the first grade is kept");
    }
    return j;
}

void set_judgements(Dataset &ds, Judgements j)
{
    if (!(j.threshold > 0))
        throw Error("--relevance-threshold " + std::to_string(j.threshold)
                    + " must be above 0: grades below it are not relevant, and grade 0 means not relevant");
    const auto n = static_cast<size_t>(ds.n_users()) + 1;
    if (j.judged.offsets.size() != n || j.outside_offsets.size() != n)
        throw Error(located(j.source, "the judgements were read for another dataset (or request kind): load them "
                                      "against the dataset they are evaluated on"));
    Csr test;
    test.offsets.assign(n, 0);
    for (int32_t r = 0; r < ds.n_users(); ++r) {
        const auto items = j.judged.row(r);
        const auto grades = j.judged.row_weights(r);
        for (size_t i = 0; i < items.size(); ++i) {
            if (static_cast<double>(grades[i]) < j.threshold)
                continue;
            test.items.push_back(items[i]);
            test.ts.push_back(0);
            test.weights.push_back(grades[i]);
        }
        test.offsets[static_cast<size_t>(r) + 1] = static_cast<int64_t>(test.items.size());
    }
    ds.test = std::move(test);
    ds.test_rows = ds.test.nnz();
    ds.judgements = std::move(j);
}

Judgements judgements_from_test(const Dataset &ds, double threshold)
{
    if (ds.judgements)
        throw Error("the dataset's relevance is already graded (" + ds.judgements->source + ")");
    Judgements j;
    j.threshold = threshold;
    j.source = (ds.path.empty() ? std::string("dataset") : ds.path) + " (test interactions' weights)";
    j.judged.offsets.assign(static_cast<size_t>(ds.n_users()) + 1, 0);
    j.outside_offsets.assign(static_cast<size_t>(ds.n_users()) + 1, 0);
    for (int32_t u = 0; u < ds.n_users(); ++u) {
        const auto items = ds.test.row(u);
        const auto weights = ds.test.row_weights(u);
        const auto train = ds.train.row(u);
        for (size_t i = 0; i < items.size(); ++i) {
            if (std::binary_search(train.begin(), train.end(), items[i]))
                continue;
            j.judged.items.push_back(items[i]);
            j.judged.ts.push_back(0);
            j.judged.weights.push_back(weights[i]);
        }
        j.judged.offsets[static_cast<size_t>(u) + 1] = static_cast<int64_t>(j.judged.items.size());
    }
    return j;
}

} // namespace reclens

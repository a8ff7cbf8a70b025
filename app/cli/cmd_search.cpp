// reclens-cli search: a first-stage BM25 run of a search dataset's queries (DESIGN §11).
#include "app/cli/command.h"
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/data/queries.h"

#include <cstdio>
#include <memory>

namespace {

using namespace reclens;

struct SearchArgs {
    std::string data, out, tag = "bm25";
    int depth = 100;
};

int run(const SearchArgs &a)
{
    check_outputs({{a.data, "--data"}}, {{a.out, "--out"}});
    if (a.tag.empty() || a.tag.find_first_of(" \t\r\n") != std::string::npos)
        throw Error("--tag '" + a.tag + "' must be one word (the TREC run's last column)");
    if (a.depth < 1)
        throw Error("--depth " + std::to_string(a.depth) + " must be at least 1");
    const Dataset ds = load_query_view(a.data);
    const auto hits = bm25_search(ds, a.depth);
    std::string text;
    size_t lines = 0, empty = 0;
    char buf[64];
    for (int32_t q = 0; q < ds.n_users(); ++q) {
        const auto &h = hits[static_cast<size_t>(q)];
        empty += h.empty();
        for (size_t r = 0; r < h.size(); ++r) {
            const std::string &id = ds.item_external[static_cast<size_t>(h[r].item)];
            if (id.find_first_of(" \t\r\n") != std::string::npos)
                throw Error(located(a.data, "item id '" + id + "' holds whitespace: a TREC run cannot carry it"));
            std::snprintf(buf, sizeof buf, " %zu %.17g ", r + 1, h[r].score);
            text += ds.user_external[static_cast<size_t>(q)] + " Q0 " + ds.item_external[static_cast<size_t>(h[r].item)]
                    + buf + a.tag + "\n";
            ++lines;
        }
    }
    if (lines == 0)
        throw Error(located(a.data, "no query matched any item's title, categories or tags: nothing to write"));
    write_file_atomic(a.out, text, "--out");
    std::printf("%d queries, %zu run lines (depth %d)%s; wrote %s\n", ds.n_users(), lines, a.depth,
                empty > 0 ? (", " + std::to_string(empty) + " queries matched nothing").c_str() : "", a.out.c_str());
    return 0;
}

std::function<int()> setup(CLI::App &app)
{
    auto a = std::make_shared<SearchArgs>();
    app.add_option("--data", a->data, "Search dataset (made by 'reclens-cli import queries')")->required();
    app.add_option("--out", a->out, "TREC run to write ('qid Q0 docid rank score tag')")->required();
    app.add_option("--depth", a->depth, "Items per query (default 100)");
    app.add_option("--tag", a->tag, "The run's tag (default bm25)");
    return [a]() { return run(*a); };
}

const reclens::cli::CommandRegistration reg{
    {"search", "Run a search dataset's queries through a BM25 full-text index of the items (a TREC run)", setup}};

} // namespace

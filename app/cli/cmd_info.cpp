// reclens-cli info D.sqlite [--json]: what a dataset file holds (DESIGN §4).
#include "app/cli/command.h"
#include "core/data/datasetrepository.h"
#include "core/data/queries.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <memory>
#include <optional>

namespace {

using namespace reclens;

struct InfoArgs {
    std::string path;
    bool json = false;
};

int run(const InfoArgs &a)
{
    const Dataset d = load_dataset(a.path);
    std::optional<Dataset> q;
    if (has_queries(a.path))
        q = query_view(d); // a copy: the users' counts above stay
    if (a.json) {
        // Keys fixed by the CLI contract; outside checks read them.
        nlohmann::ordered_json j;
        j["users"] = d.n_users();
        j["items"] = d.n_items();
        j["categories"] = d.categories.size();
        j["category_levels"] = d.category_levels;
        j["brands"] = d.brands.size();
        j["train_interactions"] = d.train_rows;
        j["test_interactions"] = d.test_rows;
        if (q) {
            j["queries"] = q->n_users();
            j["judgements"] = q->judgements->judged.nnz() + static_cast<int64_t>(q->judgements->outside_grades.size());
        }
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    auto meta = [&d](const char *key) {
        const auto it = d.meta.find(key);
        return it == d.meta.end() ? std::string("-") : it->second;
    };
    std::printf("dataset            %s\n", a.path.c_str());
    std::printf("name               %s\n", meta("name").c_str());
    std::printf("source             %s\n", meta("source").c_str());
    std::printf("licence            %s\n", meta("licence").c_str());
    std::printf("created            %s\n", meta("created_at").c_str());
    std::printf("split              %s\n", meta("split_method").c_str());
    std::printf("users              %d\n", d.n_users());
    std::printf("items              %d\n", d.n_items());
    std::printf("categories         %zu in %d level(s)\n", d.categories.size(), d.category_levels);
    std::printf("brands             %zu\n", d.brands.size());
    std::printf("train interactions %lld (%lld distinct user-item pairs)\n", static_cast<long long>(d.train_rows),
                static_cast<long long>(d.train.nnz()));
    std::printf("test interactions  %lld (%lld distinct user-item pairs)\n", static_cast<long long>(d.test_rows),
                static_cast<long long>(d.test.nnz()));
    int64_t no_category = 0;
    for (const auto c : d.item_category)
        no_category += c < 0;
    std::printf("items w/o category %lld\n", static_cast<long long>(no_category));
    std::map<std::string, int> segments;
    for (const auto &s : d.user_segment)
        ++segments[s.empty() ? "(none)" : s];
    std::printf("user segments      %zu\n", segments.size());
    for (const auto &[name, n] : segments)
        std::printf("  %-24s %d\n", name.c_str(), n);
    if (q) {
        const auto &j = *q->judgements;
        std::printf("queries            %d (search dataset: evaluate runs with --requests queries)\n", q->n_users());
        std::printf("judgements         %lld (%zu of ids without an item)\n",
                    static_cast<long long>(j.judged.nnz() + static_cast<int64_t>(j.outside_grades.size())),
                    j.outside_grades.size());
    }
    return 0;
}

std::function<int()> setup(CLI::App &app)
{
    auto a = std::make_shared<InfoArgs>();
    app.add_option("DATASET", a->path, "Dataset file (.sqlite)")->required();
    app.add_flag("--json", a->json, "Print the counts as JSON");
    return [a]() { return run(*a); };
}

const reclens::cli::CommandRegistration reg{{"info", "Show what a dataset file holds", setup}};

} // namespace

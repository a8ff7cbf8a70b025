// reclens-cli merge: combines the partial states of an evaluation's shards (DESIGN §4, §12) into the
// outputs one unsharded run writes: the same JSON, lists and per-user CSV (evaluate), or the same
// comparison JSON (compare). Needs neither the dataset nor the models.
#include "app/cli/command.h"
#include "core/analysis/compare.h"
#include "core/analysis/report.h"
#include "core/analysis/shard.h"
#include "core/common/error.h"
#include "core/common/files.h"

#include <cstdio>
#include <map>

namespace
{

using namespace reclens;

struct MergeArgs {
    std::vector<std::string> parts;
    std::string json, lists, lists_format = "csv", per_user;
};

int run(const MergeArgs &a)
{
    std::vector<NamedPath> inputs;
    for (const auto &p : a.parts)
        inputs.push_back({ p, "partial" });
    check_outputs(inputs, { { a.json, "--json" }, { a.lists, "--lists" }, { a.per_user, "--per-user" } });
    Stopwatch sw;
    MergedPartials m = merge_partials(a.parts);
    const double merge_ms = sw.elapsed_ms();
    std::printf("merged %zu partials (%d shards) of %s\n", a.parts.size(), m.shards, m.dataset.c_str());
    if (m.kind == "compare") {
        if (!a.lists.empty() || !a.per_user.empty())
            throw Error("merge: these are partials of 'compare', which writes --json only (no --lists or --per-user)");
        if (m.runs.size() != 2)
            throw Error("merge: a compare partial must hold runs a and b; it holds " + std::to_string(m.runs.size()));
        const EvaluationResult &ra = m.runs[0].result, &rb = m.runs[1].result;
        const ComparisonResult c = compare_runs(ra, rb);
        if (!a.json.empty())
            write_file_atomic(a.json,
                comparison_json(c, ra, rb, { { ra.from_run ? "run" : "model", m.runs[0].model } },
                    { { rb.from_run ? "run" : "model", m.runs[1].model } }),
                "--json");
        std::printf("a: %s (re-rank %s)\nb: %s (re-rank %s, diversity %.3g)\n", m.runs[0].model.c_str(),
            std::string(rerank_method_name(ra.rerank.method)).c_str(), m.runs[1].model.c_str(),
            std::string(rerank_method_name(rb.rerank.method)).c_str(), rb.rerank.diversity);
        std::fputs(comparison_table(c).c_str(), stdout);
        return 0;
    }
    if (m.kind != "evaluate" || m.runs.size() != 1)
        throw Error(located(a.parts.front(),
            "the partial is of kind '" + m.kind
                + "', which this RecLens cannot merge; merge it with the RecLens that wrote it"));
    EvaluationResult &r = m.runs[0].result;
    r.timing_ms["merge"] = merge_ms;
    std::map<std::string, std::string> extra { { "data", m.dataset } };
    if (r.from_run) {
        extra["run"] = m.runs[0].model;
        extra["run_format"] = r.run_format;
    } else {
        extra["model"] = m.runs[0].model;
    }
    if (!a.json.empty())
        write_file_atomic(a.json, evaluation_json(r, extra), "--json");
    if (!a.lists.empty())
        write_file_atomic(a.lists,
            a.lists_format == "trec" ? lists_trec(m.user_ids, m.item_ids, r, r.source_name)
                                     : lists_csv(m.user_ids, m.item_ids, r),
            "--lists");
    if (!a.per_user.empty())
        write_file_atomic(a.per_user, per_user_csv(m.user_ids, r), "--per-user");
    std::fputs(evaluation_summary(r).c_str(), stdout);
    return 0;
}

std::function<int()> setup(CLI::App &app)
{
    auto a = std::make_shared<MergeArgs>();
    app.add_option("partials", a->parts, "The shards' partial states (--partial), any order")->required();
    app.add_option("--json", a->json, "Write the merged run's metrics, strata and timings as JSON");
    app.add_option("--lists", a->lists, "Write the merged final lists (CSV user_id,rank,item_id,score, or a TREC run)");
    app.add_option("--lists-format", a->lists_format, "csv | trec (default csv)")->check(CLI::IsMember({"csv", "trec"}));
    app.add_option("--per-user", a->per_user, "Write the merged per-user metrics as CSV");
    return [a]() { return run(*a); };
}

const cli::CommandRegistration reg { { "merge", "Merge the partial states of sharded evaluate/compare runs exactly",
    setup } };

} // namespace

// reclens-cli evaluate: score, re-rank and measure one model on a dataset (DESIGN §4, §5).
#include "app/cli/command.h"
#include "app/cli/enginecommands.h"
#include "app/cli/evaluateoptions.h"
#include "core/analysis/report.h"
#include "core/analysis/shard.h"
#include "core/common/files.h"
#include "core/data/datasetrepository.h"

#include <cstdio>

namespace {

using namespace reclens;

struct EvaluateArgs {
    cli::EvaluateFlags flags;
    std::string model;
    std::string json, lists, per_user;
};

int run(const EvaluateArgs &a)
{
    // Validate every option and every output path before loading anything.
    const EvaluationOptions opt = cli::to_options(a.flags);
    const std::string &partial = a.flags.partial;
    if (!partial.empty() && !(a.json.empty() && a.lists.empty() && a.per_user.empty()))
        throw Error("--partial writes a shard's state only: write --json, --lists and --per-user with "
                    "'reclens-cli merge' from all the shards' partials");
    check_outputs({{a.flags.data, "--data"}, {a.model, "--model"}},
                  {{a.json, "--json"}, {a.lists, "--lists"}, {a.per_user, "--per-user"}, {partial, "--partial"}});
    Stopwatch sw;
    const Dataset ds = load_dataset(a.flags.data);
    const double t_data = sw.elapsed_ms();
    sw.restart();
    const auto model = Model::load(a.model, ds);
    const double t_model = sw.elapsed_ms();
    EvaluationResult r = evaluate(*model, opt, cli::print_progress);
    r.timing_ms["load_dataset"] = t_data;
    r.timing_ms["load_model"] = t_model;
    if (!partial.empty()) {
        const ShardRun run{&r, "", a.model, sha256_file(a.model, "model (--model)")};
        cli::write_shard_partial(ds, a.flags, "evaluate", {&run, 1});
        return 0;
    }
    // Build every output in memory first: a failure leaves no partial file behind.
    if (!a.json.empty())
        write_file_atomic(a.json, evaluation_json(r, {{"data", a.flags.data}, {"model", a.model}}), "--json");
    if (!a.lists.empty())
        write_file_atomic(a.lists, lists_csv(ds, r), "--lists");
    if (!a.per_user.empty())
        write_file_atomic(a.per_user, per_user_csv(ds, r), "--per-user");
    std::fputs(evaluation_summary(r).c_str(), stdout);
    return 0;
}

std::function<int()> setup(CLI::App &app)
{
    auto a = std::make_shared<EvaluateArgs>();
    cli::add_evaluate_flags(app, a->flags);
    app.add_option("--model", a->model, "Model file (TorchScript .pt)")->required();
    app.add_option("--json", a->json, "Write metrics, strata and timings as JSON");
    app.add_option("--lists", a->lists, "Write the final lists as CSV user_id,rank,item_id,score");
    app.add_option("--per-user", a->per_user, "Write per-user metrics as CSV");
    return [a]() { return run(*a); };
}

const cli::CommandRegistration reg{{"evaluate", std::string(cli::engine_description("evaluate")), setup}};

} // namespace

// reclens-cli compare: two runs on the same users with paired significance tests (DESIGN §4).
// Two --model: model A vs model B under the same options. One --model: the model's own order
// (--rerank none) vs the same model re-ranked with the given --rerank/--diversity.
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

struct CompareArgs {
    cli::EvaluateFlags flags;
    std::vector<std::string> models;
    std::string json;
};

int run(const CompareArgs &a)
{
    if (a.models.empty() || a.models.size() > 2)
        throw Error("compare needs --model A.pt --model B.pt (or one --model with --rerank to compare before/after "
                    "re-ranking)");
    const EvaluationOptions opt_b = cli::to_options(a.flags);
    std::vector<NamedPath> inputs{{a.flags.data, "--data"}};
    for (const auto &m : a.models)
        inputs.push_back({m, "--model"});
    const std::string &partial = a.flags.partial;
    if (!partial.empty() && !a.json.empty())
        throw Error("--partial writes a shard's state only: write --json with 'reclens-cli merge' from all the shards' "
                    "partials");
    check_outputs(inputs, {{a.json, "--json"}, {partial, "--partial"}});
    EvaluationOptions opt_a = opt_b;
    if (a.models.size() == 1) {
        if (opt_b.rerank.method == RerankMethod::none)
            throw Error("compare with one --model compares it before and after re-ranking: add --rerank mmr|dpp|"
                        "calibrated|caps and --diversity, or give a second --model");
        opt_a.rerank.method = RerankMethod::none;
        opt_a.rerank.diversity = 0.0;
    }
    const Dataset ds = load_dataset(a.flags.data);
    const auto model_a = Model::load(a.models[0], ds);
    const auto model_b = a.models.size() == 2 ? Model::load(a.models[1], ds) : model_a;
    auto half = [](double lo) {
        return [lo](double f, std::string_view stage) { return cli::print_progress(lo + 0.5 * f, stage); };
    };
    const EvaluationResult ra = evaluate(*model_a, opt_a, half(0.0));
    const EvaluationResult rb = evaluate(*model_b, opt_b, half(0.5));
    if (!partial.empty()) {
        const std::string hash_a = sha256_file(a.models[0], "model (--model)");
        const std::string &path_b = a.models.size() == 2 ? a.models[1] : a.models[0];
        const std::string hash_b = a.models.size() == 2 ? sha256_file(path_b, "model (--model)") : hash_a;
        const ShardRun runs[2] = {{&ra, "a", a.models[0], hash_a}, {&rb, "b", path_b, hash_b}};
        cli::write_shard_partial(ds, a.flags, "compare", runs);
        return 0;
    }
    const ComparisonResult c = compare_runs(ra, rb);
    if (!a.json.empty()) {
        const std::map<std::string, std::string> la{{"model", a.models[0]}};
        const std::map<std::string, std::string> lb{{"model", a.models.size() == 2 ? a.models[1] : a.models[0]}};
        write_file_atomic(a.json, comparison_json(c, ra, rb, la, lb), "--json");
    }
    std::printf("a: %s (re-rank %s)\nb: %s (re-rank %s, diversity %.3g)\n", a.models[0].c_str(),
                std::string(rerank_method_name(ra.rerank.method)).c_str(),
                (a.models.size() == 2 ? a.models[1] : a.models[0]).c_str(),
                std::string(rerank_method_name(rb.rerank.method)).c_str(), rb.rerank.diversity);
    std::fputs(comparison_table(c).c_str(), stdout);
    return 0;
}

std::function<int()> setup(CLI::App &app)
{
    auto a = std::make_shared<CompareArgs>();
    cli::add_evaluate_flags(app, a->flags);
    app.add_option("--model", a->models, "Model file; give two to compare models, one to compare re-ranking")
        ->required();
    app.add_option("--json", a->json, "Write both runs' metrics and the tests per metric as JSON");
    return [a]() { return run(*a); };
}

const cli::CommandRegistration reg{{"compare", std::string(cli::engine_description("compare")), setup}};

} // namespace

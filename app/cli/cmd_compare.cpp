// reclens-cli compare: two runs on the same users with paired significance tests (DESIGN §4).
// Two sources (--model M.pt or --run RUN, DESIGN §11, in the order given): A vs B under the same
// options. One source: its own order (--rerank none) vs the same source re-ranked with the given
// --rerank/--diversity.
#include "app/cli/command.h"
#include "app/cli/enginecommands.h"
#include "app/cli/evaluateoptions.h"
#include "core/analysis/report.h"
#include "core/analysis/shard.h"
#include "core/common/files.h"
#include "core/data/datasetrepository.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace {

using namespace reclens;

struct CompareArgs {
    cli::EvaluateFlags flags;
    std::vector<std::string> models, runs;
    std::string run_format = "auto";
    std::string json;
    const CLI::Option *model_option = nullptr, *run_option = nullptr;
    const CLI::App *app = nullptr;
};

struct Source {
    bool is_run = false;
    std::string path;
    const char *flag() const { return is_run ? "--run" : "--model"; }
    const char *key() const { return is_run ? "run" : "model"; }
};

// One source evaluated under `options`, its warnings printed.
EvaluationResult evaluate_source(const Source &src, const Dataset &ds, const EvaluationOptions &options,
                                 RunFormat run_format, const ProgressFn &progress)
{
    EvaluationResult r;
    if (src.is_run) {
        const Run run = load_run(src.path, ds, run_format);
        r = evaluate(run, ds, nullptr, options, progress);
    } else
        r = evaluate(*Model::load(src.path, ds), options, progress);
    for (const auto &w : r.warnings)
        std::fprintf(stderr, "%s: warning: %s\n", src.path.c_str(), w.c_str());
    return r;
}

// Three or more sources: each against the first under the same options, Holm-corrected per metric.
int compare_many(const CompareArgs &a, const std::vector<Source> &sources, const Dataset &ds,
                 const EvaluationOptions &options, RunFormat run_format)
{
    std::vector<EvaluationResult> results;
    results.reserve(sources.size());
    const double share = 1.0 / static_cast<double>(sources.size());
    for (size_t i = 0; i < sources.size(); ++i) {
        const Source &src = sources[i];
        const double lo = static_cast<double>(i) * share;
        const ProgressFn progress = [lo, share](double f, std::string_view stage) {
            return cli::print_progress(lo + share * f, stage);
        };
        results.push_back(evaluate_source(src, ds, options, run_format, progress));
    }
    std::vector<const EvaluationResult *> others;
    for (size_t i = 1; i < results.size(); ++i)
        others.push_back(&results[i]);
    const std::vector<ComparisonResult> c = compare_to_baseline(results.front(), others);
    if (!a.json.empty()) {
        std::vector<ComparedRun> runs;
        for (size_t i = 0; i < c.size(); ++i)
            runs.push_back({others[i], {{sources[i + 1].key(), sources[i + 1].path}}, &c[i]});
        write_file_atomic(a.json, comparisons_json(results.front(), {{sources[0].key(), sources[0].path}}, runs),
                          "--json");
    }
    std::printf("a: %s (re-rank %s, diversity %.3g)\n", sources[0].path.c_str(),
                std::string(rerank_method_name(options.rerank.method)).c_str(), options.rerank.diversity);
    std::printf("Holm's correction over the %zu comparisons with a, per metric and test\n", c.size());
    for (size_t i = 0; i < c.size(); ++i) {
        std::printf("\nb%zu: %s\n", i + 1, sources[i + 1].path.c_str());
        std::fputs(comparison_table(c[i]).c_str(), stdout);
    }
    return 0;
}

int run(const CompareArgs &a)
{
    // The sources in the order the command line gives them.
    std::vector<Source> sources;
    size_t mi = 0, ri = 0;
    for (const CLI::Option *o : a.app->parse_order()) {
        if (o == a.model_option && mi < a.models.size())
            sources.push_back({false, a.models[mi++]});
        else if (o == a.run_option && ri < a.runs.size())
            sources.push_back({true, a.runs[ri++]});
    }
    if (sources.empty())
        throw Error("compare needs two or more sources, --model A.pt or --run A.trec each (the others are compared "
                    "with the first), or one with --rerank to compare before/after re-ranking");
    const RunFormat run_format = parse_run_format(a.run_format);
    const bool any_run = !a.runs.empty();
    const EvaluationOptions opt_b = cli::to_options(a.flags, !any_run);
    std::vector<NamedPath> inputs{{a.flags.data, "--data"}, {a.flags.qrels, "--qrels"}};
    for (const auto &src : sources)
        inputs.push_back({src.path, src.flag()});
    const std::string &partial = a.flags.partial;
    if (!partial.empty() && sources.size() > 2)
        throw Error("--partial compares two sources: shard a comparison of " + std::to_string(sources.size())
                    + " sources as one comparison per pair with the first");
    if (!partial.empty() && !a.json.empty())
        throw Error("--partial writes a shard's state only: write --json with 'reclens-cli merge' from all the shards' "
                    "partials");
    check_outputs(inputs, {{a.json, "--json"}, {partial, "--partial"}});
    EvaluationOptions opt_a = opt_b;
    if (sources.size() == 1) {
        if (opt_b.rerank.method == RerankMethod::none)
            throw Error("compare with one source compares it before and after re-ranking: add --rerank mmr|dpp|"
                        "calibrated|caps and --diversity, or give a second --model or --run");
        opt_a.rerank.method = RerankMethod::none;
        opt_a.rerank.diversity = 0.0;
    }
    const Source &sa = sources[0];
    const Source &sb = sources.size() == 2 ? sources[1] : sources[0];
    std::vector<std::string> qrels_warnings;
    const bool runs_only = std::all_of(sources.begin(), sources.end(), [](const Source &s) { return s.is_run; });
    const Dataset ds = cli::load_requests(a.flags, runs_only, qrels_warnings);
    for (const auto &w : qrels_warnings)
        std::fprintf(stderr, "%s: warning: %s\n", a.flags.qrels.c_str(), w.c_str());
    auto half = [](double lo) {
        return [lo](double f, std::string_view stage) { return cli::print_progress(lo + 0.5 * f, stage); };
    };
    auto evaluate_half = [&](const Source &src, const EvaluationOptions &opt, double lo) {
        return evaluate_source(src, ds, opt, run_format, half(lo));
    };
    if (sources.size() > 2)
        return compare_many(a, sources, ds, opt_b, run_format);
    EvaluationResult ra, rb;
    if (sources.size() == 1 && !sa.is_run) { // one model, loaded once, before and after re-ranking
        const auto model = Model::load(sa.path, ds);
        ra = evaluate(*model, opt_a, half(0.0));
        rb = evaluate(*model, opt_b, half(0.5));
    } else {
        ra = evaluate_half(sa, opt_a, 0.0);
        rb = evaluate_half(sb, opt_b, 0.5);
    }
    if (!partial.empty()) {
        auto role = [](const Source &src) { return src.is_run ? "run (--run)" : "model (--model)"; };
        const std::string hash_a = sha256_file(sa.path, role(sa));
        const std::string hash_b = sources.size() == 2 ? sha256_file(sb.path, role(sb)) : hash_a;
        const ShardRun runs[2] = {{&ra, "a", sa.path, hash_a}, {&rb, "b", sb.path, hash_b}};
        cli::write_shard_partial(ds, a.flags, "compare", runs);
        return 0;
    }
    const ComparisonResult c = compare_runs(ra, rb);
    if (!a.json.empty()) {
        const std::map<std::string, std::string> la{{sa.key(), sa.path}};
        const std::map<std::string, std::string> lb{{sb.key(), sb.path}};
        write_file_atomic(a.json, comparison_json(c, ra, rb, la, lb), "--json");
    }
    std::printf("a: %s (re-rank %s)\nb: %s (re-rank %s, diversity %.3g)\n", sa.path.c_str(),
                std::string(rerank_method_name(ra.rerank.method)).c_str(), sb.path.c_str(),
                std::string(rerank_method_name(rb.rerank.method)).c_str(), rb.rerank.diversity);
    std::fputs(comparison_table(c).c_str(), stdout);
    return 0;
}

std::function<int()> setup(CLI::App &app)
{
    auto a = std::make_shared<CompareArgs>();
    cli::add_evaluate_flags(app, a->flags);
    a->model_option = app.add_option("--model", a->models,
                                     "Model file; two or more sources (--model or --run) compare the others with the first, one compares re-ranking");
    a->run_option = app.add_option("--run", a->runs, "A precomputed run (TREC or CSV) as a source, in place of a --model");
    app.add_option("--run-format", a->run_format, "trec | csv | auto for every --run (default auto)");
    a->app = &app;
    app.add_option("--json", a->json, "Write both runs' metrics and the tests per metric as JSON");
    return [a]() { return run(*a); };
}

const cli::CommandRegistration reg{{"compare", std::string(cli::engine_description("compare")), setup}};

} // namespace

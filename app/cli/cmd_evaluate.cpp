// reclens-cli evaluate: score, re-rank and measure one model on a dataset (DESIGN §4, §5).
#include "app/cli/command.h"
#include "app/cli/enginecommands.h"
#include "app/cli/evaluateoptions.h"
#include "core/analysis/report.h"
#include "core/analysis/session.h"
#include "core/analysis/sessionfiles.h"
#include "core/analysis/shard.h"
#include "core/common/files.h"
#include "core/data/datasetrepository.h"

#include <cstdio>
#include <map>
#include <optional>

namespace {

using namespace reclens;

struct EvaluateArgs {
    cli::EvaluateFlags flags;
    std::string model, run, run_format = "auto";
    std::string json, lists, lists_format = "csv", per_user;
    std::string session;
    CLI::App *app = nullptr;
};

// --json, --lists and --per-user (each built in memory first: a failure leaves no partial file),
// then the summary on stdout.
void write_outputs(const EvaluateArgs &a, const Dataset &ds, const EvaluationResult &r,
                   const std::map<std::string, std::string> &extra)
{
    std::string lists;
    size_t rank_scores = 0;
    if (!a.lists.empty())
        lists = a.lists_format == "trec" ? lists_trec(ds.user_external, ds.item_external, r, r.source_name, &rank_scores)
                                         : lists_csv(ds, r);
    if (!a.json.empty())
        write_file_atomic(a.json, evaluation_json(r, extra), "--json");
    if (!a.lists.empty())
        write_file_atomic(a.lists, lists, "--lists");
    if (!a.per_user.empty())
        write_file_atomic(a.per_user, per_user_csv(ds, r), "--per-user");
    std::fputs(evaluation_summary(r).c_str(), stdout);
    if (rank_scores > 0)
        std::printf("--lists-format trec: %zu re-ranked lists written with score = length + 1 - rank, so tools that "
                    "order by score keep these lists' order\n", rank_scores);
}

// Flags that a session decides; with --session only the device, threads and outputs may be given.
constexpr const char *kSessionSets[] = {"--data", "--model", "--run", "--run-format", "--k", "--pool", "--rerank",
                                        "--diversity", "--similarity", "--category-level", "--max-per-category",
                                        "--max-per-brand", "--requests", "--qrels", "--relevance",
                                        "--relevance-threshold", "--shard", "--partial"};

// The numbers the session shows in RecLens' Summary page as "re-ranked": its primary source with its
// re-ranking and rules, over all users (or queries), on the session's own files.
int run_session(const EvaluateArgs &a)
{
    for (const char *flag : kSessionSets)
        if (a.app->count(flag) > 0)
            throw Error(std::string("--session sets ") + flag + " itself: leave it out (only --device, --threads, "
                        "--no-auc, --json, --lists and --per-user go with --session)");
    const Session s = read_session(a.session);
    if (s.sources.empty())
        throw Error(located(a.session, "the session has no model or run; add one in RecLens and save it again"));
    std::vector<NamedPath> inputs{{a.session, "--session"}, {s.dataset, "the session's dataset"}};
    for (const SessionSource &src : s.sources)
        inputs.push_back({src.path, "a file of the session"});
    check_outputs(inputs, {{a.json, "--json"}, {a.lists, "--lists"}, {a.per_user, "--per-user"}});
    require_session_files(s, a.session);

    const bool primary_run = s.sources.front().kind == SessionSource::Kind::run;
    Stopwatch sw;
    // As RecLens opens it (one function for both): the dataset's users or queries, every source, a
    // run with the first model's item embeddings, the session's re-ranking and rules.
    // (The primary run's warnings come with the result, below.)
    const OpenedFiles files = load_session_files(s, a.session);
    const double t_load = sw.elapsed_ms();
    const Dataset &ds = *files.dataset;
    const RankingSource primary = ranking_source(files.sources, 0, ds);
    cli::EvaluateFlags f = a.flags;
    EvaluationOptions flags = cli::to_options(f, !primary.item_embeddings().empty());
    EvaluationOptions opt = session_options(s, ds, primary, f.pool);
    opt.device = flags.device;
    opt.compute_auc = flags.compute_auc;
    opt.rerank_path = flags.rerank_path;
    opt.threads = flags.threads;
    EvaluationResult r = evaluate(primary, opt, cli::print_progress);
    for (const auto &w : r.warnings)
        std::fprintf(stderr, "%s: warning: %s\n", s.sources.front().path.c_str(), w.c_str());
    r.timing_ms["load_session_files"] = t_load;
    std::map<std::string, std::string> extra{{"data", s.dataset}, {"session", a.session}};
    extra[primary_run ? "run" : "model"] = s.sources.front().path;
    std::printf("session %s: %s, %zu rule(s)\n", a.session.c_str(), s.sources.front().name.c_str(), s.rules.size());
    write_outputs(a, ds, r, extra);
    return 0;
}

int run(const EvaluateArgs &a)
{
    if (!a.session.empty())
        return run_session(a);
    if (a.flags.data.empty())
        throw Error("evaluate needs --data D.sqlite (or --session S.reclens, which names its own files)");
    // Validate every option and every output path before loading anything.
    if (a.model.empty() && a.run.empty())
        throw Error("evaluate needs --model M.pt or --run RUN (a TREC or CSV run, DESIGN §11)");
    const RunFormat run_format = parse_run_format(a.run_format);
    EvaluationOptions opt = cli::to_options(a.flags, !a.model.empty());
    const std::string &partial = a.flags.partial;
    if (!partial.empty() && !(a.json.empty() && a.lists.empty() && a.per_user.empty()))
        throw Error("--partial writes a shard's state only: write --json, --lists and --per-user with "
                    "'reclens-cli merge' from all the shards' partials");
    check_outputs({{a.flags.data, "--data"}, {a.model, "--model"}, {a.run, "--run"}, {a.flags.qrels, "--qrels"}},
                  {{a.json, "--json"}, {a.lists, "--lists"}, {a.per_user, "--per-user"}, {partial, "--partial"}});
    Stopwatch sw;
    std::vector<std::string> qrels_warnings;
    const Dataset ds = cli::load_requests(a.flags, !a.run.empty(), qrels_warnings, !a.model.empty());
    for (const auto &w : qrels_warnings)
        std::fprintf(stderr, "%s: warning: %s\n", a.flags.qrels.c_str(), w.c_str());
    const double t_data = sw.elapsed_ms();
    sw.restart();
    std::shared_ptr<const Model> model;
    if (!a.model.empty())
        model = Model::load(a.model, ds);
    const double t_model = sw.elapsed_ms();
    std::optional<Run> loaded;
    double t_run = 0;
    if (!a.run.empty()) {
        sw.restart();
        loaded = load_run(a.run, ds, run_format);
        t_run = sw.elapsed_ms();
    }
    EvaluationResult r = loaded ? evaluate(*loaded, ds, model.get(), opt, cli::print_progress)
                             : evaluate(*model, opt, cli::print_progress);
    for (const auto &w : r.warnings)
        std::fprintf(stderr, "%s: warning: %s\n", loaded ? a.run.c_str() : a.model.c_str(), w.c_str());
    r.timing_ms["load_dataset"] = t_data;
    if (model)
        r.timing_ms["load_model"] = t_model;
    if (loaded)
        r.timing_ms["load_run"] = t_run;
    const std::string &source = loaded ? a.run : a.model;
    if (!partial.empty()) {
        const ShardRun shard{&r, "", source, sha256_file(source, loaded ? "run (--run)" : "model (--model)")};
        cli::write_shard_partial(ds, a.flags, "evaluate", {&shard, 1});
        return 0;
    }
    // Build every output in memory first: a failure leaves no partial file behind.
    std::map<std::string, std::string> extra{{"data", a.flags.data}};
    if (model)
        extra["model"] = a.model;
    if (!a.flags.qrels.empty())
        extra["qrels"] = a.flags.qrels;
    if (loaded) {
        extra["run"] = a.run;
        extra["run_format"] = r.run_format;
    }
    write_outputs(a, ds, r, extra);
    return 0;
}

std::function<int()> setup(CLI::App &app)
{
    auto a = std::make_shared<EvaluateArgs>();
    cli::add_evaluate_flags(app, a->flags);
    a->app = &app;
    app.get_option("--data")->required(false);
    app.add_option("--session", a->session,
                   "Evaluate what a RecLens session (.reclens) shows: its dataset, primary model or run, re-ranking "
                   "and rules (its files are checked by SHA-256)");
    app.add_option("--model", a->model,
                   "Model file (TorchScript .pt); with --run it only lends item embeddings (similarity, ILD)");
    app.add_option("--run", a->run, "Precomputed ranking instead of a model: TREC 'qid Q0 docid rank score tag' "
                                    "or CSV 'user_id,item_id,score[,rank]'");
    app.add_option("--run-format", a->run_format, "trec | csv | auto (default auto: .csv is CSV, else TREC)");
    app.add_option("--json", a->json, "Write metrics, strata and timings as JSON");
    app.add_option("--lists", a->lists, "Write the final lists (CSV user_id,rank,item_id,score, or a TREC run)");
    app.add_option("--lists-format", a->lists_format, "csv | trec (default csv)")->check(CLI::IsMember({"csv", "trec"}));
    app.add_option("--per-user", a->per_user, "Write per-user metrics as CSV");
    return [a]() { return run(*a); };
}

const cli::CommandRegistration reg{{"evaluate", std::string(cli::engine_description("evaluate")), setup}};

} // namespace

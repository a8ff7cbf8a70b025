// The workspace's all-user work against one `evaluate` (DESIGN §8, §13), in one run: the core calls
// the GUI's Workspace makes, in its order, without a window — every source scored once (with the
// pooled ROC), the model order, the re-ranked run and every other source measured, the comparisons,
// the δ sweep (11 measures) and the rule costs (1 + R measures) — beside one evaluate() of each
// source with the same settings (what `reclens-cli evaluate --model` runs per source). Both are
// warmed up the same way (one evaluate of a few users first). Fails when the workspace's re-ranked
// run and evaluate() disagree on any number, list or per-user row.
//   bench_workspace --session S.reclens          (the sample's demo: its sources, re-ranking, rules)
//   bench_workspace --users N --items N [--dim 64] [--k 10] [--pool 100] [--diversity 0.5]
#include "core/analysis/compare.h"
#include "core/analysis/estimate.h"
#include "core/analysis/evaluation.h"
#include "core/analysis/rulecost.h"
#include "core/analysis/session.h"
#include "core/analysis/sweep.h"
#include "core/data/datasetrepository.h"
#include "benchutil.h"
#include "generatedshop.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

using namespace reclens;
using bench::Clock;
using bench::ms_since;
using bench::peak_rss_mb;

namespace {

bool same(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

// Every metric, list, score and per-user value of the two runs; prints the first difference.
bool agree(const EvaluationResult &a, const EvaluationResult &b)
{
    if (a.metrics.size() != b.metrics.size() || a.users != b.users || a.lists != b.lists) {
        std::printf("FAILED: the runs differ in their metric names, users or lists\n");
        return false;
    }
    for (const auto &[name, v] : a.metrics)
        if (!same(v, b.metrics.at(name))) {
            std::printf("FAILED: %s is %.17g in the workspace and %.17g in evaluate\n", name.c_str(), v,
                        b.metrics.at(name));
            return false;
        }
    for (size_t r = 0; r < a.per_user.size(); ++r)
        for (size_t m = 0; m < kUserMetricCount; ++m)
            if (!same(a.per_user[r].values[m], b.per_user[r].values[m])) {
                std::printf("FAILED: user row %zu, %s: %.17g vs %.17g\n", r,
                            std::string(metric_name(static_cast<MetricId>(m))).c_str(), a.per_user[r].values[m],
                            b.per_user[r].values[m]);
                return false;
            }
    return true;
}

struct Figures {
    double evaluate_ms = 0;  // one evaluate() per source
    double workspace_ms = 0; // everything the workspace computes
    double scoring_ms = 0;   // of which scoring every source once
};

// sources[0] is the primary (re-ranked); rerank: its settings (rules included).
bool run(const char *label, const std::vector<RankingSource> &sources, const EvaluationOptions &rerank)
{
    EvaluationOptions none = rerank;
    none.rerank.method = RerankMethod::none;
    none.rerank.diversity = 0;
    none.rerank.rules.clear();
    // The same warm-up for both: a few users through evaluate (kernels, threads, caches).
    EvaluationOptions warm = rerank;
    const auto everyone = evaluated_users(*sources[0].dataset);
    warm.users.assign(everyone.begin(), everyone.begin() + static_cast<long>(std::min<size_t>(everyone.size(), 500)));
    for (const RankingSource &s : sources)
        (void)evaluate(s, warm);

    Figures f;
    // The first estimate, as the workspace's estimate job computes it (a seeded sample of the
    // primary, scored once, measured in model order and re-ranked), when the shop is big enough.
    const size_t population = everyone.size();
    double estimate_ms = -1;
    RunEstimate first;
    if (worth_estimating(population)) {
        const auto t = Clock::now();
        const ScoredSource sample = score_sample(sources[0], none);
        (void)estimate_measure(sample, none, population);
        first = estimate_measure(sample, rerank, population);
        estimate_ms = ms_since(t);
    }
    // One evaluate of each source with the session's settings.
    auto t0 = Clock::now();
    const EvaluationResult reference = evaluate(sources[0], rerank);
    for (size_t i = 1; i < sources.size(); ++i)
        (void)evaluate(sources[i], rerank);
    f.evaluate_ms = ms_since(t0);

    // The workspace, in its order: score every source (with the pooled ROC), measure the runs,
    // compare, sweep, rule costs.
    t0 = Clock::now();
    std::vector<ScoredSource> scored;
    for (const RankingSource &s : sources)
        scored.push_back(score(s, none, {}, true));
    f.scoring_ms = ms_since(t0);
    const EvaluationResult base = measure(scored[0], none);
    const EvaluationResult reranked = measure(scored[0], rerank);
    const ComparisonResult vs = compare_runs(base, reranked);
    std::vector<EvaluationResult> others;
    for (size_t i = 1; i < scored.size(); ++i)
        others.push_back(measure(scored[i], none));
    std::vector<const EvaluationResult *> other_ptrs;
    for (const auto &o : others)
        other_ptrs.push_back(&o);
    if (!other_ptrs.empty())
        (void)compare_to_baseline(base, other_ptrs);
    const MeasuredRun measured[] = { { rerank, &reranked } };
    const SweepCurve sweep = diversity_sweep(scored[0], rerank, default_sweep_deltas(), "ndcg",
                                             sweep_diversity_metric(sources[0], rerank.rerank), {}, measured);
    std::optional<RuleCosts> costs;
    if (!rerank.rerank.rules.empty())
        costs = rule_costs(scored[0], rerank);
    f.workspace_ms = ms_since(t0);

    std::printf("%s: %zu users, %zu sources, K=%d pool=%d, %s δ %.2f, %zu rules, device %s\n", label,
                reference.users.size(), sources.size(), reference.k, reference.pool,
                std::string(rerank_method_name(rerank.rerank.method)).c_str(), rerank.rerank.diversity,
                rerank.rerank.rules.size(), reference.device.c_str());
    std::printf("  evaluate, once per source  %10.0f ms\n", f.evaluate_ms);
    std::printf("  workspace, everything      %10.0f ms (scoring every source once %.0f ms; then %zu measures: "
                "model order, re-ranked, %zu other sources, 11 sweep points (the re-ranked run's δ taken from it), %zu rule "
                "costs)\n",
                f.workspace_ms, f.scoring_ms, 2 + others.size() + 11 + (costs ? 1 + costs->rules.size() : 0),
                others.size(), costs ? 1 + costs->rules.size() : 0);
    std::printf("  ratio workspace/evaluate   %10.2fx (target: at most 2x)\n", f.workspace_ms / f.evaluate_ms);
    if (estimate_ms >= 0) {
        const auto &e = first.metrics[static_cast<size_t>(MetricId::ndcg)];
        std::printf("  first estimate             %10.0f ms (target: within 3 s): re-ranked ndcg ≈ %.5f ± %.5f from "
                    "%zu of %zu users; exact %.5f%s\n",
                    estimate_ms, e.mean, e.half_width, first.sample, first.population,
                    reference.metrics.at("ndcg"),
                    std::abs(e.mean - reference.metrics.at("ndcg")) <= e.half_width ? " (inside the interval)"
                                                                                   : " (outside the interval)");
    } else {
        std::printf("  first estimate             none: %zu users are few enough for the exact numbers first\n",
                    population);
    }
    std::printf("  peak RSS %.0f MB\n", peak_rss_mb());
    std::printf("  one measure of the re-ranked run: re-rank %.0f ms, AUC %.0f ms, metrics %.0f ms; the model "
                "order's: %.0f ms in all\n",
                reranked.timing_ms.at("rerank"), reranked.timing_ms.at("auc"), reranked.timing_ms.at("metrics"),
                base.timing_ms.at("total"));
    std::printf("  re-ranked: ndcg %.6f auc %.6f (model order %.6f) auc_pooled (model scores) %.6f; sweep ndcg "
                "%.4f -> %.4f; %zu metrics compared\n",
                reranked.metrics.at("ndcg"), reranked.metrics.at("auc"), base.metrics.at("auc"),
                reranked.metrics.at("auc_pooled"), sweep.accuracy.front(), sweep.accuracy.back(), vs.metrics.size());
    if (!agree(reranked, reference))
        return false;
    std::printf("  the workspace's re-ranked run equals evaluate's: every metric, list and per-user value\n");
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    CLI::App app("workspace vs evaluate");
    std::string session_path;
    int n_users = 0, n_items = 0, dim = 64, k = 10, pool = 100;
    double diversity = 0.5;
    app.add_option("--session", session_path, "a session (.reclens): its sources and settings");
    app.add_option("--users", n_users, "a generated shop's users");
    app.add_option("--items", n_items, "a generated shop's items");
    app.add_option("--dim", dim);
    app.add_option("--k", k);
    app.add_option("--pool", pool);
    app.add_option("--diversity", diversity, "MMR's δ on a generated shop");
    CLI11_PARSE(app, argc, argv);
    try {
        bool ok = true;
        if (!session_path.empty()) {
            const Session s = read_session(session_path);
            require_session_files(s, session_path);
            const Dataset ds = load_dataset(s.dataset);
            std::vector<std::shared_ptr<const Model>> models;
            std::vector<std::unique_ptr<Run>> runs;
            for (const SessionSource &src : s.sources)
                if (src.kind == SessionSource::Kind::model)
                    models.push_back(Model::load(src.path, ds));
            const Model *lender = nullptr;
            for (const auto &m : models)
                if (!m->item_embeddings().empty()) {
                    lender = m.get();
                    break;
                }
            std::vector<RankingSource> sources;
            size_t next_model = 0;
            for (const SessionSource &src : s.sources) {
                if (src.kind == SessionSource::Kind::model) {
                    sources.emplace_back(*models[next_model++]);
                } else {
                    runs.push_back(std::make_unique<Run>(load_run(src.path, ds, RunFormat::automatic)));
                    sources.emplace_back(*runs.back(), ds, lender);
                }
            }
            EvaluationOptions o;
            o.k = s.rerank.k;
            o.pool = s.pool;
            o.device = "cpu";
            o.rerank = session_rerank(s, ds, !sources[0].item_embeddings().empty());
            o.category_level = o.rerank.category_level;
            ok = run(("session " + session_path).c_str(), sources, o) && ok;
        }
        if (n_users > 0 && n_items > 0) {
            const auto t0 = Clock::now();
            const bench::GeneratedShop shop = bench::generate_shop(n_users, n_items, dim);
            std::printf("generated shop: %d users x %d items, d=%d, %lld train and %lld test interactions, in %.0f ms\n",
                        n_users, n_items, dim, static_cast<long long>(shop.train_interactions),
                        static_cast<long long>(shop.test_interactions), ms_since(t0));
            EvaluationOptions o;
            o.k = k;
            o.pool = pool;
            o.device = "cpu";
            o.rerank.method = RerankMethod::mmr;
            o.rerank.diversity = diversity;
            o.rerank.similarity = SimilarityKind::embedding;
            ok = run("generated shop", {RankingSource(*shop.model)}, o) && ok;
        }
        return ok ? 0 : 1;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_workspace: %s\n", e.what());
        return 1;
    }
}

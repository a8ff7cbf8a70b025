// Full evaluation (DESIGN §8): the sample dataset with a model, and a generated users x items
// dataset (default 100k x 100k, d = 64), with wall time per stage and peak memory, side by side with
// a naive per-user reference (score every item with Model::score_all, sort, measure) extrapolated
// from a sample of users.
//   bench_evaluate [--data D.sqlite --model M.pt] [--users N] [--items N] [--dim D] [--k K]
//                  [--pool P] [--naive-users N] [--no-auc] [--shard I/N] [--shape uniform|shop]
// --shape: uniform (default) draws 20 train and 5 test items per user with a power-law skew; shop is
// a real shop's shape (generatedshop.h: Zipf item popularity, lognormal user activity, each user's
// last fifth held out), where a million positives spread over the whole score range.
// --shard: only shard I of N (DESIGN §12) — what one Slurm array task of a big run costs.
#include "core/analysis/evaluation.h"
#include "core/data/datasetrepository.h"
#include "benchutil.h"
#include "generatedshop.h"

#include <CLI/CLI.hpp>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <string>

using namespace reclens;
using bench::Clock;
using bench::ms_since;
using bench::peak_rss_mb;

namespace {

// User + system CPU time of the process so far (ms): on a shared machine wall time includes waiting
// for a core, CPU time does not.
double cpu_ms()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return (static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

struct NaiveRun {
    double ms_per_user = 0;
    int checked = 0;  // users whose list and ndcg were compared
    int differ = 0;   // ... whose list or ndcg differ from the engine's (ties at rank K aside)
};

// Naive reference for `n` users spread over `r.users`: all scores, mask train, full sort, top-K list
// and ndcg (no AUC), compared with the engine's list and per-user ndcg. A user whose K-th and (K+1)-th scores touch
// (within float rounding) is a tie that either order resolves; it is not compared.
NaiveRun naive_reference(const Model &model, const EvaluationResult &r, int k, size_t n)
{
    const Dataset &ds = model.dataset();
    const MetricContext ctx(ds, 0, model.item_embeddings(), model.dim());
    NaiveRun out;
    n = std::min(n, r.users.size());
    if (n == 0)
        return out;
    model.score_all(r.users.front()); // warm-up, as the engine's run had one
    const auto t0 = Clock::now();
    std::vector<double> ndcg(n);
    std::vector<std::vector<int32_t>> lists(n);
    std::vector<uint8_t> tie(n);
    std::vector<size_t> rows(n);
    for (size_t j = 0; j < n; ++j) {
        const size_t row = j * (r.users.size() / n);
        const int32_t u = r.users[row];
        auto s = model.score_all(u);
        auto train = ds.train.row(u);
        std::vector<int32_t> idx;
        for (int32_t i = 0; i < ds.n_items(); ++i)
            if (!std::binary_search(train.begin(), train.end(), i))
                idx.push_back(i);
        std::stable_sort(idx.begin(), idx.end(),
                         [&](int32_t a, int32_t b) { return s[static_cast<size_t>(a)] > s[static_cast<size_t>(b)]; });
        const size_t kk = std::min(idx.size(), static_cast<size_t>(k));
        if (kk < idx.size()) {
            const float a = s[static_cast<size_t>(idx[kk - 1])], b = s[static_cast<size_t>(idx[kk])];
            tie[j] = std::abs(a - b) <= 1e-5f * std::max(1.0f, std::abs(a));
        }
        idx.resize(kk);
        ndcg[j] = user_metrics(ctx, u, idx, k)[MetricId::ndcg];
        lists[j] = idx;
        rows[j] = row;
    }
    out.ms_per_user = ms_since(t0) / static_cast<double>(n);
    for (size_t j = 0; j < n; ++j) {
        if (tie[j])
            continue;
        ++out.checked;
        const double ours = r.per_user[rows[j]][MetricId::ndcg];
        if (!(std::abs(ours - ndcg[j]) <= 1e-12) || r.lists[rows[j]] != lists[j])
            ++out.differ;
    }
    return out;
}

// Prints the figures; false when the naive reference disagrees with the engine.
bool report(const char *label, const EvaluationResult &r, double wall_ms, double cpu, const NaiveRun &naive)
{
    const double naive_per_user = naive.ms_per_user;
    std::printf("%s: %zu users, K=%d pool=%d device=%s\n", label, r.users.size(), r.k, r.pool, r.device.c_str());
    std::printf("  RecLens   %10.0f ms CPU time (user + system, all threads)\n", cpu);
    std::printf("  RecLens   %10.0f ms total (", wall_ms);
    for (const auto &[k, v] : r.timing_ms)
        std::printf(" %s %.0f", k.c_str(), v);
    std::printf(" ), peak RSS %.0f MB\n", peak_rss_mb());
    const double naive_total = naive_per_user * static_cast<double>(r.users.size());
    const double auc_ms = r.timing_ms.count("auc") ? r.timing_ms.at("auc") : 0.0;
    std::printf("  RecLens   %10.0f ms without the AUC stage (the naive reference computes no AUC)\n", wall_ms - auc_ms);
    std::printf("  naive     %10.0f ms (extrapolated: %.3f ms/user, no AUC)   ratio naive/RecLens(no AUC) %.1fx\n",
                naive_total, naive_per_user, naive_total / std::max(1e-9, wall_ms - auc_ms));
    std::printf("  ndcg %.4f recall %.4f auc %.4f auc_pooled %.4f coverage %.4f\n", r.metrics.at("ndcg"),
                r.metrics.at("recall"), r.metrics.at("auc"), r.metrics.at("auc_pooled"), r.metrics.at("catalog_coverage"));
    std::printf("  naive lists and ndcg vs RecLens: %d of %d users differ\n", naive.differ, naive.checked);
    if (naive.differ > 0 || naive.checked == 0) {
        std::printf("FAILED: %s\n", naive.checked == 0 ? "no user could be compared with the naive reference"
                                                        : "the engine disagrees with the naive reference");
        return false;
    }
    return true;
}

// The timed run, after an untimed warm-up on a few users (thread pools, first allocations).
EvaluationResult timed_evaluate(const Model &model, const EvaluationOptions &o, double &wall, double &cpu)
{
    EvaluationOptions warm = o;
    const auto users = evaluated_users(model.dataset());
    warm.users.assign(users.begin(), users.begin() + static_cast<long>(std::min<size_t>(users.size(), 64)));
    evaluate(model, warm);
    const auto t0 = Clock::now();
    const double c0 = cpu_ms();
    auto r = evaluate(model, o);
    wall = ms_since(t0);
    cpu = cpu_ms() - c0;
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    std::string data, model_path;
    int n_users = 100000, n_items = 100000, dim = 64, k = 10, pool = 100, naive_users = 200;
    bool no_auc = false;
    std::string shard, shape = "uniform";
    CLI::App app{"Evaluation benchmark: RecLens evaluate vs a naive per-user reference"};
    app.add_option("--data", data, "a real dataset (.sqlite) ...");
    app.add_option("--model", model_path, "... and its model (.pt)");
    app.add_option("--users", n_users, "generated users (0 = no generated run)")->capture_default_str();
    app.add_option("--items", n_items, "generated items")->capture_default_str();
    app.add_option("--dim", dim, "generated embedding dimension")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--k", k, "list length")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--pool", pool, "candidates per user")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--naive-users", naive_users, "users run through the naive reference")->capture_default_str();
    app.add_flag("--no-auc", no_auc, "leave out auc and auc_pooled");
    app.add_option("--shape", shape, "generated data: uniform or shop")
        ->capture_default_str()
        ->check(CLI::IsMember({"uniform", "shop"}));
    app.add_option("--shard", shard, "I/N: evaluate only shard I of N (users with index % N == I)");
    CLI11_PARSE(app, argc, argv);
    if (data.empty() != model_path.empty()) {
        std::fprintf(stderr, "bench_evaluate: --data and --model go together\n");
        return 2;
    }
    const bool auc = !no_auc;
    bool ok = true;
    EvaluationOptions o;
    o.k = k;
    o.pool = pool;
    o.device = "auto";
    o.compute_auc = auc;
    if (!shard.empty() && std::sscanf(shard.c_str(), "%d/%d", &o.shard, &o.shards) != 2) {
        std::fprintf(stderr, "bench_evaluate: --shard takes I/N\n");
        return 2;
    }

    if (!data.empty() && !model_path.empty()) {
        const Dataset ds = load_dataset(data);
        const auto model = Model::load(model_path, ds);
        double wall = 0, cpu = 0;
        const auto r = timed_evaluate(*model, o, wall, cpu);
        ok = report(("sample " + data).c_str(), r, wall, cpu,
                    naive_reference(*model, r, k, static_cast<size_t>(naive_users)))
             && ok;
    }
    if (n_users <= 0 || n_items <= 0)
        return ok ? 0 : 1;

    auto t0 = Clock::now();
    if (shape == "shop") {
        const auto shop = bench::generate_shop(n_users, n_items, dim);
        std::printf("generated shop %d users x %d items, d=%d: %lld train, %lld test interactions in %.0f ms (peak RSS "
                    "so far %.0f MB)\n",
                    n_users, n_items, dim, static_cast<long long>(shop.train_interactions),
                    static_cast<long long>(shop.test_interactions), ms_since(t0), peak_rss_mb());
        double wall = 0, cpu = 0;
        const auto r = timed_evaluate(*shop.model, o, wall, cpu);
        ok = report("generated shop", r, wall, cpu,
                    naive_reference(*shop.model, r, k, static_cast<size_t>(naive_users)))
             && ok;
        return ok ? 0 : 1;
    }
    // Generated data: Zipf-like item popularity, 3-level category tree, 20 train + 5 test per user.
    std::mt19937_64 rng(7);
    test::ToySpec s;
    s.n_items = n_items;
    bench::add_category_tree(s);
    for (int i = 0; i < n_items; ++i)
        s.item_category.push_back(i % 50 == 0 ? -1 : bench::kLeafBase + static_cast<int>(rng() % 2000));
    s.train.resize(static_cast<size_t>(n_users));
    s.test.resize(static_cast<size_t>(n_users));
    std::uniform_real_distribution<double> uni(0, 1);
    auto zipf_item = [&]() { return static_cast<int32_t>(std::pow(uni(rng), 2.5) * n_items) % n_items; };
    for (int u = 0; u < n_users; ++u) {
        for (int j = 0; j < 20; ++j)
            s.train[static_cast<size_t>(u)].push_back(zipf_item());
        for (int j = 0; j < 5; ++j)
            s.test[static_cast<size_t>(u)].push_back(zipf_item());
        s.segments.push_back(u % 4 == 0 ? "A" : (u % 4 == 1 ? "B" : ""));
    }
    const Dataset ds = test::make_toy(s);
    s = {};
    std::vector<float> ue = bench::random_embeddings(static_cast<size_t>(n_users), dim, rng);
    std::vector<float> ie = bench::random_embeddings(static_cast<size_t>(n_items), dim, rng);
    const auto model = Model::from_embeddings(ds, std::move(ue), std::move(ie), dim, "generated");
    std::printf("generated %d users x %d items, d=%d in %.0f ms (peak RSS so far %.0f MB)\n", n_users, n_items, dim,
                ms_since(t0), peak_rss_mb());
    double wall = 0, cpu = 0;
    const auto r = timed_evaluate(*model, o, wall, cpu);
    ok = report("generated", r, wall, cpu, naive_reference(*model, r, k, static_cast<size_t>(naive_users))) && ok;
    return ok ? 0 : 1;
}

// Full evaluation (DESIGN §8): the sample dataset with a model, and a generated users x items
// dataset (default 100k x 100k, d = 64), with wall time per stage and peak memory, side by side with
// a naive per-user reference (score every item with Model::score_all, sort, measure) extrapolated
// from a sample of users.
//   bench_evaluate [--data D.sqlite --model M.pt] [--users N] [--items N] [--dim D] [--k K]
//                  [--pool P] [--naive-users N] [--no-auc]
#include "core/analysis/evaluation.h"
#include "core/data/datasetrepository.h"
#include "../core/metrics/toydataset.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>
#include <random>
#include <string>

using namespace reclens;
using Clock = std::chrono::steady_clock;

namespace {

double peak_rss_mb()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

// User + system CPU time of the process so far (ms): on a shared machine wall time includes waiting
// for a core, CPU time does not.
double cpu_ms()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return (static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

double ms_since(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Naive reference for `n` users: all scores, mask train, full sort, metrics (no AUC).
double naive_ms_per_user(const Model &model, const std::vector<int32_t> &users, int k, size_t n)
{
    const Dataset &ds = model.dataset();
    const MetricContext ctx(ds, 0, model.item_embeddings(), model.dim());
    const auto t0 = Clock::now();
    double sink = 0;
    n = std::min(n, users.size());
    for (size_t r = 0; r < n; ++r) {
        const int32_t u = users[r * (users.size() / n)];
        auto s = model.score_all(u);
        auto train = ds.train.row(u);
        std::vector<int32_t> idx;
        for (int32_t i = 0; i < ds.n_items(); ++i)
            if (!std::binary_search(train.begin(), train.end(), i))
                idx.push_back(i);
        std::sort(idx.begin(), idx.end(), [&](int32_t a, int32_t b) { return s[static_cast<size_t>(a)] > s[static_cast<size_t>(b)]; });
        idx.resize(static_cast<size_t>(k));
        sink += user_metrics(ctx, u, idx, k)[MetricId::ndcg];
    }
    return ms_since(t0) / static_cast<double>(n) + sink * 0.0;
}

void report(const char *label, const EvaluationResult &r, double wall_ms, double cpu, double naive_per_user)
{
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
}

} // namespace

int main(int argc, char **argv)
{
    std::string data, model_path;
    int n_users = 100000, n_items = 100000, dim = 64, k = 10, pool = 100, naive_users = 200;
    bool auc = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (a == "--data")
            data = next();
        else if (a == "--model")
            model_path = next();
        else if (a == "--users")
            n_users = std::stoi(next());
        else if (a == "--items")
            n_items = std::stoi(next());
        else if (a == "--dim")
            dim = std::stoi(next());
        else if (a == "--k")
            k = std::stoi(next());
        else if (a == "--pool")
            pool = std::stoi(next());
        else if (a == "--naive-users")
            naive_users = std::stoi(next());
        else if (a == "--no-auc")
            auc = false;
    }
    EvaluationOptions o;
    o.k = k;
    o.pool = pool;
    o.device = "auto";
    o.compute_auc = auc;

    if (!data.empty() && !model_path.empty()) {
        const Dataset ds = load_dataset(data);
        const auto model = Model::load(model_path, ds);
        auto t0 = Clock::now();
        const double c0 = cpu_ms();
        const auto r = evaluate(*model, o);
        const double wall = ms_since(t0), cpu = cpu_ms() - c0;
        report(("sample " + data).c_str(), r, wall, cpu, naive_ms_per_user(*model, r.users, k, static_cast<size_t>(naive_users)));
    }
    if (n_users <= 0 || n_items <= 0)
        return 0;

    // Generated data: Zipf-like item popularity, 3-level category tree, 20 train + 5 test per user.
    auto t0 = Clock::now();
    std::mt19937_64 rng(7);
    test::ToySpec s;
    s.n_items = n_items;
    for (int t = 0; t < 20; ++t)
        s.categories.push_back({test::numbered("t", t), -1});
    for (int m = 0; m < 200; ++m)
        s.categories.push_back({test::numbered("m", m), m / 10});
    for (int l = 0; l < 2000; ++l)
        s.categories.push_back({test::numbered("l", l), 20 + l / 10});
    for (int i = 0; i < n_items; ++i)
        s.item_category.push_back(i % 50 == 0 ? -1 : 220 + static_cast<int>(rng() % 2000));
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
    std::normal_distribution<float> g(0.0f, 0.3f);
    std::vector<float> ue(static_cast<size_t>(n_users) * static_cast<size_t>(dim));
    std::vector<float> ie(static_cast<size_t>(n_items) * static_cast<size_t>(dim));
    for (auto &x : ue)
        x = g(rng);
    for (auto &x : ie)
        x = g(rng);
    const auto model = Model::from_embeddings(ds, std::move(ue), std::move(ie), dim, "generated");
    std::printf("generated %d users x %d items, d=%d in %.0f ms (peak RSS so far %.0f MB)\n", n_users, n_items, dim,
                ms_since(t0), peak_rss_mb());
    t0 = Clock::now();
    const double c0 = cpu_ms();
    const auto r = evaluate(*model, o);
    const double wall = ms_since(t0), cpu = cpu_ms() - c0;
    report("generated", r, wall, cpu, naive_ms_per_user(*model, r.users, k, static_cast<size_t>(naive_users)));
    return 0;
}

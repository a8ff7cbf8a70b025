// Re-ranking latency (DESIGN §8): one user, pool 200, K 20, for each re-ranker, side by side with a
// naive reference (MMR recomputing every max-similarity from scratch, DPP recomputing log-dets),
// then all users batched (libtorch, CPU and CUDA when present) against the scalar loop.
//   bench_rerank [--users N] [--pool P] [--k K] [--dim D] [--reps R]
#include "core/rerank/reranker.h"
#include "../core/metrics/toydataset.h"

#include <CLI/CLI.hpp>
#include <torch/cuda.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

using namespace reclens;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Naive MMR: at each step recompute max_{j in S} sim(i,j) for every candidate (the true maximum,
// negative when every chosen item points away; 0 only for the empty S).
std::vector<int32_t> naive_mmr(const SimilarityProvider &sim, std::span<const int32_t> items,
                               const std::vector<double> &rhat, double delta, size_t k)
{
    std::vector<int32_t> sel;
    std::vector<bool> used(items.size(), false);
    while (sel.size() < k) {
        double best = -1e300;
        size_t arg = 0;
        for (size_t i = 0; i < items.size(); ++i) {
            if (used[i])
                continue;
            double mx = sel.empty() ? 0.0 : -1e300;
            for (int32_t j : sel)
                mx = std::max(mx, sim.similarity(items[i], j));
            const double v = (1 - delta) * rhat[i] - delta * mx;
            if (v > best) {
                best = v;
                arg = i;
            }
        }
        used[arg] = true;
        sel.push_back(items[arg]);
    }
    return sel;
}

double log_det(std::vector<double> a, size_t n)
{
    double ld = 0;
    for (size_t c = 0; c < n; ++c) {
        const double piv = a[c * n + c];
        if (!(piv > 0))
            return -1e300;
        ld += std::log(piv);
        for (size_t r = c + 1; r < n; ++r) {
            const double f = a[r * n + c] / piv;
            for (size_t q = c; q < n; ++q)
                a[r * n + q] -= f * a[c * n + q];
        }
    }
    return ld;
}

// Naive DPP greedy: log det of every candidate set from scratch.
std::vector<int32_t> naive_dpp(const SimilarityProvider &sim, std::span<const int32_t> items,
                               const std::vector<double> &rhat, double delta, size_t k)
{
    const double theta = 1 - delta, alpha = theta / (2 * (1 - theta));
    std::vector<double> q(items.size());
    for (size_t i = 0; i < q.size(); ++i)
        q[i] = std::exp(alpha * rhat[i]);
    std::vector<size_t> sel;
    std::vector<bool> used(items.size(), false);
    while (sel.size() < k) {
        double best = -1e301;
        size_t arg = 0;
        for (size_t i = 0; i < items.size(); ++i) {
            if (used[i])
                continue;
            auto s = sel;
            s.push_back(i);
            std::vector<double> m(s.size() * s.size());
            for (size_t a = 0; a < s.size(); ++a)
                for (size_t b = 0; b < s.size(); ++b)
                    m[a * s.size() + b] = q[s[a]] * sim.similarity(items[s[a]], items[s[b]]) * q[s[b]];
            const double ld = log_det(m, s.size());
            if (ld > best) {
                best = ld;
                arg = i;
            }
        }
        used[arg] = true;
        sel.push_back(arg);
    }
    std::vector<int32_t> out;
    for (size_t s : sel)
        out.push_back(items[s]);
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    int n_users = 2000, pool = 200, k = 20, dim = 64, reps = 200, check_users = 20;
    CLI::App app{"Re-ranking benchmark: RecLens re-rankers vs naive references, scalar vs batched"};
    app.add_option("--users", n_users, "generated users")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--pool", pool, "candidates per user")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--k", k, "list length")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--dim", dim, "embedding dimension")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--reps", reps, "timed repetitions per re-ranker")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--check-users", check_users, "users whose lists are compared with the naive reference")
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    if (k > pool) {
        std::fprintf(stderr, "bench_rerank: --k %d is larger than --pool %d\n", k, pool);
        return 2;
    }
    int failures = 0;
    const int n_items = std::max(5000, pool * 2);
    std::mt19937 rng(42);
    test::ToySpec spec;
    spec.n_items = n_items;
    for (int t = 0; t < 10; ++t)
        spec.categories.push_back({test::numbered("t", t), -1});
    for (int m = 0; m < 50; ++m)
        spec.categories.push_back({test::numbered("m", m), m / 5});
    for (int l = 0; l < 300; ++l)
        spec.categories.push_back({test::numbered("l", l), 10 + l / 6});
    for (int b = 0; b < 40; ++b)
        spec.brands.push_back(test::numbered("b", b));
    for (int i = 0; i < n_items; ++i) {
        spec.item_category.push_back(60 + static_cast<int>(rng() % 300));
        spec.item_brand.push_back(static_cast<int>(rng() % 40));
    }
    spec.train.resize(static_cast<size_t>(n_users));
    spec.test.resize(static_cast<size_t>(n_users));
    for (auto &t : spec.train)
        for (int j = 0; j < 30; ++j)
            t.push_back(static_cast<int32_t>(rng() % static_cast<unsigned>(n_items)));
    const Dataset ds = test::make_toy(spec);
    std::normal_distribution<float> g;
    std::vector<float> emb(static_cast<size_t>(n_items) * static_cast<size_t>(dim));
    for (auto &x : emb)
        x = g(rng);

    // Candidate pools: random items, scores descending.
    std::vector<int32_t> users, items, count;
    std::vector<float> scores;
    for (int u = 0; u < n_users; ++u) {
        users.push_back(u);
        std::vector<float> s(static_cast<size_t>(pool));
        for (auto &x : s)
            x = g(rng);
        std::sort(s.begin(), s.end(), std::greater<>());
        for (int p = 0; p < pool; ++p) {
            items.push_back(static_cast<int32_t>(rng() % static_cast<unsigned>(n_items)));
            scores.push_back(s[static_cast<size_t>(p)]);
        }
        count.push_back(pool);
    }
    // Distinct items per row.
    for (int u = 0; u < n_users; ++u) {
        auto *row = items.data() + static_cast<size_t>(u) * static_cast<size_t>(pool);
        for (int p = 0; p < pool; ++p)
            row[p] = static_cast<int32_t>((static_cast<int64_t>(u) * 7919 + p * 31) % n_items);
    }

    std::printf("re-rank one user: pool %d, K %d, dim %d, %d repetitions (median-free mean, ms per user)\n", pool, k,
                dim, reps);
    std::printf("%-26s %12s %14s %8s\n", "re-ranker", "RecLens ms", "naive ms", "ratio");
    const double delta = 0.5;
    struct Case {
        const char *name;
        RerankMethod m;
        SimilarityKind s;
    };
    const Case cases[] = {{"mmr (embedding)", RerankMethod::mmr, SimilarityKind::embedding},
                          {"mmr (category)", RerankMethod::mmr, SimilarityKind::category},
                          {"dpp (embedding)", RerankMethod::dpp, SimilarityKind::embedding},
                          {"dpp (category)", RerankMethod::dpp, SimilarityKind::category},
                          {"calibrated", RerankMethod::calibrated, SimilarityKind::embedding},
                          {"caps", RerankMethod::caps, SimilarityKind::embedding}};
    for (const Case &c : cases) {
        RerankOptions o;
        o.method = c.m;
        o.similarity = c.s;
        o.diversity = delta;
        o.k = k;
        o.max_per_category = 2;
        o.max_per_brand = 2;
        Reranker r(ds, o, emb, dim);
        const std::span<const int32_t> row(items.data(), static_cast<size_t>(pool));
        const std::span<const float> rs(scores.data(), static_cast<size_t>(pool));
        auto t0 = Clock::now();
        size_t sink = 0;
        for (int rep = 0; rep < reps; ++rep)
            sink += r.rerank(rep % n_users, std::span<const int32_t>(items.data() + static_cast<size_t>(rep % n_users) * pool, pool),
                             std::span<const float>(scores.data() + static_cast<size_t>(rep % n_users) * pool, pool))
                        .items.size();
        const double ours = ms_since(t0) / reps;
        double naive = std::nan("");
        if (c.m == RerankMethod::mmr || c.m == RerankMethod::dpp) {
            SimilarityProvider sim(ds, c.s, emb, dim);
            const auto rhat = normalise_scores(rs);
            const int nreps = c.m == RerankMethod::dpp ? 2 : std::max(1, reps / 10);
            t0 = Clock::now();
            for (int rep = 0; rep < nreps; ++rep)
                sink += (c.m == RerankMethod::mmr ? naive_mmr(sim, row, rhat, delta, static_cast<size_t>(k))
                                                  : naive_dpp(sim, row, rhat, delta, static_cast<size_t>(k)))
                            .size();
            naive = ms_since(t0) / nreps;
            int differ = 0;
            const int n_check = std::min(check_users, n_users);
            for (int u = 0; u < n_check; ++u) {
                const std::span<const int32_t> urow(items.data() + static_cast<size_t>(u) * pool, static_cast<size_t>(pool));
                const std::span<const float> us(scores.data() + static_cast<size_t>(u) * pool, static_cast<size_t>(pool));
                const auto urhat = normalise_scores(us);
                const auto ref = c.m == RerankMethod::mmr ? naive_mmr(sim, urow, urhat, delta, static_cast<size_t>(k))
                                                          : naive_dpp(sim, urow, urhat, delta, static_cast<size_t>(k));
                differ += r.rerank(u, urow, us).items != ref ? 1 : 0;
            }
            if (differ > 0) {
                std::printf("FAILED: %s lists differ from the naive reference for %d of %d users\n", c.name, differ,
                            n_check);
                ++failures;
            }
        }
        std::printf("%-26s %12.4f %14.4f %8.1f%s\n", c.name, ours, naive, naive / ours, sink ? "" : " ");
    }

    std::printf("\nall %d users batched (pool %d, K %d): scalar loop vs libtorch batch\n", n_users, pool, k);
    std::printf("%-26s %12s %14s %14s %8s\n", "re-ranker", "scalar ms", "batch cpu ms", "batch cuda ms", "ratio");
    for (const Case &c : cases) {
        RerankOptions o;
        o.method = c.m;
        o.similarity = c.s;
        o.diversity = delta;
        o.k = k;
        o.max_per_category = 2;
        o.max_per_brand = 2;
        Reranker r(ds, o, emb, dim);
        auto t0 = Clock::now();
        std::vector<RerankedList> scalar(static_cast<size_t>(n_users));
        for (int u = 0; u < n_users; ++u)
            scalar[static_cast<size_t>(u)] =
                r.rerank(u, std::span<const int32_t>(items.data() + static_cast<size_t>(u) * pool, pool),
                         std::span<const float>(scores.data() + static_cast<size_t>(u) * pool, pool));
        const double ts = ms_since(t0);
        t0 = Clock::now();
        const auto batch = r.rerank_batch(users, items, scores, count, pool, "cpu");
        const double tb = ms_since(t0);
        double tc = std::nan("");
        bool same = true;
        for (int u = 0; u < n_users; ++u)
            same = same && batch[static_cast<size_t>(u)].items == scalar[static_cast<size_t>(u)].items;
        if (torch::cuda::is_available()) {
            r.rerank_batch(users, items, scores, count, pool, "cuda"); // warm-up
            t0 = Clock::now();
            const auto cuda = r.rerank_batch(users, items, scores, count, pool, "cuda");
            tc = ms_since(t0);
            for (int u = 0; u < n_users; ++u)
                same = same && cuda[static_cast<size_t>(u)].items == scalar[static_cast<size_t>(u)].items;
        }
        std::printf("%-26s %12.1f %14.1f %14.1f %8.2f %s\n", c.name, ts, tb, tc, ts / tb,
                    same ? "identical lists" : "LISTS DIFFER");
        if (!same) {
            std::printf("FAILED: %s batched lists differ from the per-user lists\n", c.name);
            ++failures;
        }
    }
    if (failures > 0)
        std::printf("%d comparison(s) failed\n", failures);
    return failures > 0 ? 1 : 0;
}

// Scoring throughput, side by side in one run (DESIGN §8): the RecLens engine (with and without the
// seen-item mask) vs a naive per-user loop vs Faiss IndexFlatIP on the same embeddings and k, plus
// a GEMM-only floor and peak memory. Generated embeddings by default; --data/--model adds a real
// model (e.g. the sample data's BPR). Faiss has no seen-item mask and no bias, so the fair pairing is
// "reclens (no mask)" vs Faiss; a bias is folded into one extra dimension for Faiss.
#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/data/datasetrepository.h"
#include "core/models/model.h"
#include "core/models/model_impl.h"
#include "core/scoring/scorer.h"

#include <CLI/CLI.hpp>
#include <dlfcn.h>
#include <faiss/IndexFlat.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <span>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <random>
#include <thread>
#include <unordered_set>

using namespace reclens;
// faiss::idx_t moved between Faiss versions; ntotal has had that type in all of them.
using FaissIdx = decltype(faiss::Index::ntotal);

namespace {

double peak_rss_mib()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

struct Row {
    std::string name;
    int64_t users = 0;
    double seconds = 0;
    double rss = 0;
};

Dataset generated_dataset(int32_t n_users, int32_t n_items, int seen, uint64_t seed)
{
    Dataset d;
    d.item_ids.resize(size_t(n_items));
    std::iota(d.item_ids.begin(), d.item_ids.end(), 1);
    d.item_external.resize(size_t(n_items));
    for (int32_t i = 0; i < n_items; ++i)
        d.item_external[size_t(i)] = std::to_string(i);
    d.item_title.resize(size_t(n_items));
    d.item_category.assign(size_t(n_items), -1);
    d.item_brand.assign(size_t(n_items), -1);
    d.item_price.assign(size_t(n_items), 0.0);
    d.user_ids.resize(size_t(n_users));
    std::iota(d.user_ids.begin(), d.user_ids.end(), 1);
    d.user_external.resize(size_t(n_users));
    for (int32_t u = 0; u < n_users; ++u)
        d.user_external[size_t(u)] = std::to_string(u);
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int32_t> pick(0, n_items - 1);
    std::vector<int32_t> row;
    for (int32_t u = 0; u < n_users; ++u) {
        row.clear();
        for (int s = 0; s < seen; ++s)
            row.push_back(pick(rng));
        std::sort(row.begin(), row.end());
        row.erase(std::unique(row.begin(), row.end()), row.end());
        for (int32_t i : row) {
            d.train.items.push_back(i);
            d.train.ts.push_back(0);
            d.train.weights.push_back(1.0f);
        }
        d.train.offsets.push_back(static_cast<int64_t>(d.train.items.size()));
    }
    d.finalize();
    return d;
}

std::vector<float> normal(size_t n, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> dist(0.0f, 1.0f);
    std::vector<float> v(n);
    for (auto &x : v)
        x = dist(rng);
    return v;
}

// One user at a time: all dot products, mask the seen items, partial_sort the top k. Single thread.
// `top` receives each user's k best (score, item), best first: the plain reference for our lists.
double naive_loop(const Model &model, const std::vector<int32_t> &users, int k, bool mask,
                  std::vector<std::vector<std::pair<float, int32_t>>> &top)
{
    const auto &d = model.dataset();
    const int dim = model.dim();
    const auto user = model.user_embeddings();
    const auto item = model.item_embeddings();
    const auto bias = model.item_bias();
    const auto n_items = static_cast<size_t>(d.n_items());
    std::vector<std::pair<float, int32_t>> scores(n_items);
    top.assign(users.size(), {});
    Stopwatch watch;
    double checksum = 0;
    for (size_t r = 0; r < users.size(); ++r) {
        const int32_t u = users[r];
        const float *uv = user.data() + size_t(u) * size_t(dim);
        for (size_t i = 0; i < n_items; ++i) {
            const float *iv = item.data() + i * size_t(dim);
            float s = bias.empty() ? 0.0f : bias[i];
            for (int j = 0; j < dim; ++j)
                s += uv[j] * iv[j];
            scores[i] = {s, static_cast<int32_t>(i)};
        }
        if (mask)
            for (int32_t seen : d.train.row(u))
                scores[size_t(seen)].first = -INFINITY;
        const size_t kk = std::min(n_items, size_t(k));
        std::partial_sort(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(kk), scores.end(),
                          [](const auto &a, const auto &b) { return a.first > b.first; });
        checksum += scores[0].first;
        top[r].assign(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(kk));
    }
    if (checksum == 12345.678) // keep the work observable
        std::puts("");
    return watch.elapsed_ms() / 1000;
}

// Faiss IndexFlatIP over the model's item embeddings (bias folded in as an extra dimension).
double faiss_search(const Model &model, const std::vector<int32_t> &users, int k, std::vector<int64_t> &labels)
{
    const int dim = model.dim();
    const bool has_bias = !model.item_bias().empty();
    const int fd = dim + (has_bias ? 1 : 0);
    const auto n_items = static_cast<size_t>(model.dataset().n_items());
    std::vector<float> base(n_items * size_t(fd)), queries(users.size() * size_t(fd));
    for (size_t i = 0; i < n_items; ++i) {
        std::copy_n(model.item_embeddings().data() + i * size_t(dim), dim, base.data() + i * size_t(fd));
        if (has_bias)
            base[i * size_t(fd) + size_t(dim)] = model.item_bias()[i];
    }
    for (size_t r = 0; r < users.size(); ++r) {
        std::copy_n(model.user_embeddings().data() + size_t(users[r]) * size_t(dim), dim, queries.data() + r * size_t(fd));
        if (has_bias)
            queries[r * size_t(fd) + size_t(dim)] = 1.0f;
    }
    faiss::IndexFlatIP index(fd);
    index.add(static_cast<FaissIdx>(n_items), base.data());
    std::vector<float> distances(users.size() * size_t(k));
    labels.assign(users.size() * size_t(k), -1);
    // Warm-up as for our engine: the first 64 queries once, untimed (allocations, thread pool).
    const auto warm = static_cast<FaissIdx>(std::min<size_t>(users.size(), 64));
    index.search(warm, queries.data(), k, distances.data(), reinterpret_cast<FaissIdx *>(labels.data()));
    Stopwatch watch;
    index.search(static_cast<FaissIdx>(users.size()), queries.data(), k, distances.data(),
                 reinterpret_cast<FaissIdx *>(labels.data()));
    return watch.elapsed_ms() / 1000;
}

// The engine's dot-product kernel alone over the same strips and tiles (no mask, no top-k): the
// compute floor the CPU engine sits on (DESIGN §8: top-K may cost at most a third of it).
double kernel_floor(const Model &model, const std::vector<int32_t> &users, const ScoringOptions &options)
{
    const auto &impl = model.impl();
    const int64_t n_items = model.dataset().n_items();
    const int64_t tile = std::min<int64_t>(n_items, options.tile_items > 0 ? options.tile_items : kCpuTileItems);
    constexpr int64_t kStrip = kCpuStripUsers;
    const auto strips = (users.size() + kStrip - 1) / kStrip;
    std::atomic<double> sink{0};
    Stopwatch watch;
    parallel_rows(strips, options.threads, [&](size_t s) {
        thread_local std::vector<float> buffer;
        buffer.resize(static_cast<size_t>(kStrip * tile));
        const size_t r0 = s * kStrip, r1 = std::min(users.size(), r0 + kStrip);
        const std::span<const int32_t> strip(users.data() + r0, r1 - r0);
        for (int64_t t0 = 0; t0 < n_items; t0 += tile)
            impl.score_rows(strip, t0, std::min(n_items, t0 + tile), buffer.data(), tile);
        sink = sink + buffer[0];
    }, {}, {}, 1);
    if (sink == 12345.678)
        std::puts("");
    return watch.elapsed_ms() / 1000;
}

// The same products through the BLAS (torch::mm, OpenBLAS sgemm) in blocks of 256 users x 8192
// items: what a library GEMM reaches on this machine (its floats depend on the block shape, which
// is why the engine does not use it on the CPU; see core/models/dotkernel.h). On CUDA: the GEMM
// floor of the device path.
double gemm_floor(const Model &model, const std::vector<int32_t> &users, const ScoringOptions &options)
{
    const auto &impl = model.impl();
    const auto device_name = resolve_device(options.device);
    const torch::Device device(device_name);
    torch::InferenceMode guard;
    const auto u = impl.user_emb.to(device);
    const auto it = impl.item_emb.to(device).t();
    const int64_t n_items = impl.item_emb.size(0);
    const bool cpu = device_name == "cpu";
    const int64_t tile = cpu ? std::min<int64_t>(n_items, 8192) : n_items;
    const int64_t block = cpu ? 256 : std::clamp<int64_t>(options.memory_budget_bytes / (n_items * 4), 1, 8192);
    std::vector<int64_t> index(users.begin(), users.end());
    auto index_t = torch::tensor(index, torch::kInt64).to(device);
    auto buffer = torch::empty({block * tile}, torch::TensorOptions().dtype(torch::kFloat32).device(device));
    Stopwatch watch;
    double sink = 0;
    for (int64_t b = 0; b < static_cast<int64_t>(users.size()); b += block) {
        const int64_t e = std::min<int64_t>(static_cast<int64_t>(users.size()), b + block);
        const auto ub = u.index_select(0, index_t.slice(0, b, e));
        for (int64_t t0 = 0; t0 < n_items; t0 += tile) {
            const int64_t w = std::min(n_items, t0 + tile) - t0;
            auto out = buffer.narrow(0, 0, (e - b) * w).view({e - b, w});
            torch::mm_out(out, ub, it.narrow(1, t0, w));
        }
        sink += buffer[0].item<float>(); // forces completion on CUDA too
    }
    if (sink == 12345.678)
        std::puts("");
    return watch.elapsed_ms() / 1000;
}

// Items of `ours` missing from `theirs` must be ties: scored within a float rounding of the
// reference's k-th score (a different summation order may swap items whose scores touch).
// Returns the number of entries that are not explained that way.
int64_t unexplained(std::span<const int32_t> ours, std::span<const float> our_scores,
                    const std::unordered_set<int64_t> &theirs, float their_kth)
{
    int64_t bad = 0;
    for (size_t j = 0; j < ours.size(); ++j)
        if (!theirs.count(ours[j]) && std::abs(our_scores[j] - their_kth) > 1e-4f * std::max(1.0f, std::abs(their_kth)))
            ++bad;
    return bad;
}

// The OpenBLAS kernel set behind torch::mm (OPENBLAS_CORETYPE forces one), looked up at run time
// so that the benchmark does not link OpenBLAS itself.
std::string blas_core()
{
    using CoreName = char *(*)();
    if (auto fn = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename")))
        return std::string("OpenBLAS ") + fn();
    return "BLAS (not OpenBLAS)";
}

// The kernel's paths this CPU has, as "portable, avx2, …".
std::string available_paths()
{
    std::string out;
    for (const auto p : kernel::paths_available())
        out += (out.empty() ? "" : ", ") + std::string(kernel::path_name(p));
    return out;
}

// Lists equal across the kernel's paths: the first `n` users' unmasked top-k recomputed on every
// path this CPU has (that path's dot_rows, then a full sort by score, then item) against the
// engine's, entry for entry and bit for bit. Returns the entries that differ.
int64_t path_mismatches(const Model &model, const std::vector<int32_t> &users, size_t n, int k,
                        const Candidates &ours)
{
    const auto &impl = model.impl();
    const auto n_items = impl.packed.n_items;
    const float *offset = impl.item_offset.data_ptr<float>();
    const float *base = impl.user_emb.data_ptr<float>();
    std::vector<float> row(static_cast<size_t>(n_items));
    std::vector<int32_t> order(static_cast<size_t>(n_items));
    int64_t bad = 0;
    for (const auto path : kernel::paths_available()) {
        for (size_t r = 0; r < std::min(n, users.size()); ++r) {
            const float *u = base + static_cast<size_t>(users[r]) * static_cast<size_t>(model.dim());
            kernel::dot_rows(path, &u, 1, impl.packed, offset, 0, n_items, row.data(), n_items);
            std::iota(order.begin(), order.end(), 0);
            std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
                const float x = row[size_t(a)], y = row[size_t(b)];
                return x != y ? x > y : a < b;
            });
            const auto items = ours.row_items(r);
            const auto scores = ours.row_scores(r);
            const auto want = std::min<size_t>(size_t(k), size_t(n_items));
            bad += std::abs(static_cast<int64_t>(want) - static_cast<int64_t>(items.size()));
            for (size_t j = 0; j < std::min(want, items.size()); ++j)
                bad += items[j] != order[j] || std::memcmp(&scores[j], &row[size_t(order[j])], sizeof(float)) != 0;
        }
    }
    return bad;
}

// Runs the suite; false when our lists disagree with the naive reference or with Faiss beyond ties.
bool run_suite(const std::string &title, const Model &model, const std::vector<int32_t> &users, int k,
               const ScoringOptions &base, int naive_users, bool skip_faiss)
{
    const auto &d = model.dataset();
    std::printf("\n== %s: %zu users x %d items, d=%d, k=%d, device %s ==\n", title.c_str(), users.size(), d.n_items(),
                model.dim(), k, device_description(base.device).c_str());
    std::printf("kernel path %s (this CPU has: %s; RECLENS_KERNEL or --kernel forces one); BLAS: %s%s\n",
                kernel::path_name(kernel::kernel_path()).data(), available_paths().c_str(), blas_core().c_str(),
                std::getenv("OPENBLAS_CORETYPE") ? " (OPENBLAS_CORETYPE set)" : "");
    std::vector<Row> rows;
    ScoringOptions masked = base;
    masked.pool = k;
    masked.exclude_train = true;
    auto warm = std::vector<int32_t>(users.begin(), users.begin() + std::min<size_t>(users.size(), 64));
    score_top(model, warm, masked); // first-call allocations and thread pool start-up
    Stopwatch w;
    const auto ours = score_top(model, users, masked);
    rows.push_back({"reclens engine (seen masked)", int64_t(users.size()), w.elapsed_ms() / 1000, peak_rss_mib()});
    ScoringOptions unmasked = masked;
    unmasked.exclude_train = false;
    w.restart();
    const auto ours_nomask = score_top(model, users, unmasked);
    rows.push_back({"reclens engine (no mask)", int64_t(users.size()), w.elapsed_ms() / 1000, peak_rss_mib()});
    const bool on_cpu = resolve_device(base.device) == "cpu";
    if (on_cpu)
        rows.push_back({"kernel only (floor, no top-k)", int64_t(users.size()), kernel_floor(model, users, masked),
                        peak_rss_mib()});
    rows.push_back({on_cpu ? "BLAS sgemm (reference)" : "GEMM only (floor, no top-k)", int64_t(users.size()),
                    gemm_floor(model, users, masked), peak_rss_mib()});
    std::vector<int32_t> naive_set(users.begin(), users.begin() + std::min<size_t>(users.size(), size_t(naive_users)));
    std::vector<std::vector<std::pair<float, int32_t>>> naive_top;
    rows.push_back({"naive per-user loop (1 thread)", int64_t(naive_set.size()),
                    naive_loop(model, naive_set, k, true, naive_top), peak_rss_mib()});
    // Masked lists vs the naive reference (users are the first rows of `users`).
    int64_t naive_bad = 0, naive_total = 0;
    for (size_t r = 0; r < naive_set.size(); ++r) {
        std::unordered_set<int64_t> theirs;
        for (const auto &[score, item] : naive_top[r])
            theirs.insert(item);
        const float kth = naive_top[r].empty() ? 0.0f : naive_top[r].back().first;
        naive_bad += unexplained(ours.row_items(r), ours.row_scores(r), theirs, kth);
        naive_bad += std::abs(static_cast<int64_t>(naive_top[r].size()) - ours.count[r]);
        naive_total += ours.count[r];
    }
    double faiss_s = 0;
    double agreement = -1;
    int64_t faiss_bad = 0;
    if (!skip_faiss) {
        std::vector<int64_t> labels;
        faiss_s = faiss_search(model, users, k, labels);
        rows.push_back({"faiss IndexFlatIP (no mask)", int64_t(users.size()), faiss_s, peak_rss_mib()});
        // Same top-k as ours without the mask? (ties aside: counted as set overlap)
        int64_t same = 0, total = 0;
        const auto kk = static_cast<size_t>(std::min(k, d.n_items()));
        for (size_t r = 0; r < users.size(); ++r) {
            std::unordered_set<int64_t> theirs(labels.begin() + std::ptrdiff_t(r) * k, labels.begin() + std::ptrdiff_t(r + 1) * k);
            for (int32_t item : ours_nomask.row_items(r))
                same += theirs.count(item);
            total += ours_nomask.count[r];
            // Faiss's k-th score of this user, recomputed in double from the embeddings.
            const int64_t last = labels[r * size_t(k) + kk - 1];
            double kth = model.item_bias().empty() ? 0.0 : model.item_bias()[size_t(last)];
            for (int j = 0; j < model.dim(); ++j)
                kth += double(model.user_embeddings()[size_t(users[r]) * size_t(model.dim()) + size_t(j)])
                       * double(model.item_embeddings()[size_t(last) * size_t(model.dim()) + size_t(j)]);
            faiss_bad += unexplained(ours_nomask.row_items(r), ours_nomask.row_scores(r), theirs, float(kth));
        }
        agreement = total ? double(same) / double(total) : 1.0;
    }
    std::printf("%-34s %12s %10s %12s %12s\n", "engine", "users/s", "seconds", "vs faiss", "peak RSS MiB");
    for (const auto &r : rows) {
        const double rate = r.seconds > 0 ? double(r.users) / r.seconds : 0;
        const double faiss_rate = faiss_s > 0 ? double(users.size()) / faiss_s : 0;
        char ratio[32] = "-";
        if (faiss_rate > 0)
            std::snprintf(ratio, sizeof ratio, "%.2fx", rate / faiss_rate);
        std::printf("%-34s %12.0f %10.3f %12s %12.0f\n", r.name.c_str(), rate, r.seconds, ratio, r.rss);
    }
    const double gflop = 2.0 * double(users.size()) * d.n_items() * model.dim() / 1e9;
    // DESIGN §8: the engine against the faster of the kernel floor and the BLAS sgemm.
    const double floor_s = on_cpu ? std::min(rows[2].seconds, rows[3].seconds) : rows[2].seconds;
    std::printf("multiply-add work %.1f GFLOP; engine %.1f GFLOP/s, %.0f%% of the faster floor (%s); "
                "block %.0f users; timings ms:",
                gflop, gflop / rows[0].seconds, 100.0 * floor_s / rows[0].seconds,
                on_cpu ? (rows[2].seconds <= rows[3].seconds ? "kernel only" : "BLAS sgemm") : "GEMM only",
                ours.timing_ms.count("block_users") ? ours.timing_ms.at("block_users") : 0.0);
    for (const auto &[name, ms] : ours.timing_ms)
        if (name != "block_users")
            std::printf(" %s=%.0f", name.c_str(), ms);
    std::printf("\n");
    std::printf("top-%d lists vs naive loop (seen masked, %zu users): %lld of %lld entries differ beyond ties\n", k,
                naive_set.size(), static_cast<long long>(naive_bad), static_cast<long long>(naive_total));
    if (agreement >= 0)
        std::printf("top-%d agreement with faiss (no mask): %.4f; %lld entries differ beyond ties\n", k, agreement,
                    static_cast<long long>(faiss_bad));
    int64_t path_bad = 0;
    if (on_cpu) {
        const size_t checked = std::min<size_t>(users.size(), 100);
        path_bad = path_mismatches(model, users, checked, k, ours_nomask);
        std::printf("top-%d lists by each kernel path (%s; %zu users, no mask) vs the engine's: %lld entries differ\n",
                    k, available_paths().c_str(), checked, static_cast<long long>(path_bad));
    }
    const bool ok = naive_bad == 0 && faiss_bad == 0 && path_bad == 0;
    if (!ok)
        std::printf("FAILED: the engine's lists disagree with the reference\n");
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    CLI::App app{"Scoring benchmark: RecLens engine vs naive loop vs Faiss IndexFlatIP"};
    int users = 20000, items = 100000, dim = 64, k = 100, seen = 20, naive_users = 500, threads = 0;
    int64_t budget_mib = 512;
    std::string device = "cpu", data, model_path;
    bool skip_generated = false, skip_faiss = false;
    uint64_t seed = 1;
    app.add_option("--users", users, "generated users")->capture_default_str();
    app.add_option("--items", items, "generated items")->capture_default_str();
    app.add_option("--dim", dim, "generated embedding dimension")->capture_default_str();
    app.add_option("-k,--k", k, "top-k per user")->capture_default_str();
    app.add_option("--seen", seen, "generated train items per user (masked)")->capture_default_str();
    app.add_option("--naive-users", naive_users, "users timed in the naive loop (it is slow)")->capture_default_str();
    app.add_option("--budget-mib", budget_mib, "engine memory budget per block")->capture_default_str();
    app.add_option("--threads", threads, "CPU threads (0 = all cores)")->capture_default_str();
    app.add_option("--device", device, "auto | cpu | cuda")->capture_default_str();
    app.add_option("--seed", seed, "generator seed")->capture_default_str();
    app.add_option("--data", data, "also benchmark a real dataset (.sqlite) ...");
    app.add_option("--model", model_path, "... with this embedding model (.pt)");
    app.add_flag("--skip-generated", skip_generated, "only the --data/--model run");
    app.add_flag("--skip-faiss", skip_faiss, "leave Faiss out");
    std::string kernel_path;
    app.add_option("--kernel", kernel_path, "force the CPU kernel's path: portable | avx2 | avx512 (as RECLENS_KERNEL)");
    CLI11_PARSE(app, argc, argv);
    if (!kernel_path.empty())
        setenv("RECLENS_KERNEL", kernel_path.c_str(), 1);
    bool ok = true;
    try {
        ScoringOptions options;
        options.device = device;
        options.threads = threads;
        options.memory_budget_bytes = budget_mib << 20;
        torch::set_num_threads(threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
        if (!skip_generated) {
            Stopwatch gen;
            const auto d = generated_dataset(users, items, seen, seed);
            auto model = Model::from_embeddings(d, normal(size_t(users) * size_t(dim), seed + 1),
                                                normal(size_t(items) * size_t(dim), seed + 2), dim, "generated");
            std::printf("generated %d users x %d items (d=%d, %d seen per user) in %.1f s\n", users, items, dim, seen,
                        gen.elapsed_ms() / 1000);
            std::vector<int32_t> all(size_t(d.n_users()));
            std::iota(all.begin(), all.end(), 0);
            ok = run_suite("generated", *model, all, k, options, naive_users, skip_faiss) && ok;
        }
        if (!data.empty() && !model_path.empty()) {
            const auto d = load_dataset(data);
            auto model = Model::load(model_path, d);
            if (!model->info().has_embeddings)
                throw Error(located(model_path, "needs an embedding model (user_embeddings/item_embeddings)"));
            std::vector<int32_t> all(size_t(d.n_users()));
            std::iota(all.begin(), all.end(), 0);
            ok = run_suite(model_path, *model, all, k, options, naive_users, skip_faiss) && ok;
        }
        std::printf("\npeak RSS %.0f MiB\n", peak_rss_mib());
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_scoring: error: %s\n", e.what());
        return 1;
    }
    return ok ? 0 : 1;
}

// Top-`pool` candidate generation (DESIGN §3, §8). The only torch translation unit of core/scoring.
#include "core/scoring/scorer.h"

#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/models/model_impl.h"

#include <algorithm>
#include <bit>
#include <functional>
#include <limits>
#include <thread>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define RECLENS_SCORER_AVX2 1
#else
#define RECLENS_SCORER_AVX2 0
#endif

namespace reclens {

namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

void check_options(const Model &model, std::span<const int32_t> users, const ScoringOptions &options)
{
    if (options.pool < 1)
        throw Error("scoring: pool must be at least 1 (got " + std::to_string(options.pool) + ")");
    if (options.memory_budget_bytes <= 0)
        throw Error("scoring: the memory budget must be positive");
    const auto n_users = model.dataset().n_users();
    for (int32_t u : users)
        if (u < 0 || u >= n_users)
            throw Error("scoring: user index " + std::to_string(u) + " is out of range (dataset has "
                        + std::to_string(n_users) + " users)");
}

void set_threads(int threads)
{
    const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (torch::get_num_threads() != n)
        torch::set_num_threads(n);
}

// Fills row `r` of `out` from a sorted top-k row; entries at -inf (seen, unmatched) end the row.
void store_row(Candidates &out, size_t r, const float *scores, const int64_t *items, int64_t k)
{
    int32_t count = 0;
    for (int64_t j = 0; j < k && scores[j] > kNegInf; ++j, ++count) {
        out.items[r * out.pool + static_cast<size_t>(j)] = static_cast<int32_t>(items[j]);
        out.scores[r * out.pool + static_cast<size_t>(j)] = scores[j];
    }
    out.count[r] = count;
}

// Embedding fast path: per user block one GEMM (+ item offset: bias, -inf for unmatched items),
// train items set to -inf by index_put on the device, topk on the device, only (index, score) back.
void score_embeddings(const Model::Impl &impl, std::span<const int32_t> users, const ScoringOptions &options,
                      const torch::Device &device, Candidates &out, ProgressReporter &progress)
{
    const auto &dataset = *impl.dataset;
    const int64_t n_items = dataset.n_items();
    const int64_t k = std::min<int64_t>(options.pool, n_items);
    Stopwatch setup;
    const auto user_emb = impl.user_emb.to(device);
    const auto item_emb_t = impl.item_emb.to(device).t();
    const auto offset = impl.item_offset.to(device).unsqueeze(0);
    out.timing_ms["upload"] = setup.elapsed_ms();
    if (k == 0)
        return;

    const int64_t row_bytes = std::max<int64_t>(1, n_items * static_cast<int64_t>(sizeof(float)));
    const int64_t block = std::clamp<int64_t>(options.memory_budget_bytes / row_bytes, 1, 8192);
    const auto n = static_cast<int64_t>(users.size());
    double gemm_ms = 0, mask_ms = 0, topk_ms = 0, copy_ms = 0;
    std::vector<int64_t> mask_rows, mask_cols;
    for (int64_t begin = 0; begin < n; begin += block) {
        const int64_t end = std::min(n, begin + block);
        const int64_t b = end - begin;
        Stopwatch watch;
        std::vector<int64_t> index(users.begin() + begin, users.begin() + end);
        auto index_t = torch::tensor(index, torch::kInt64).to(device);
        auto scores = torch::addmm(offset, user_emb.index_select(0, index_t), item_emb_t);
        gemm_ms += watch.elapsed_ms();

        watch.restart();
        mask_rows.clear();
        mask_cols.clear();
        if (options.exclude_train) {
            for (int64_t r = 0; r < b; ++r)
                for (int32_t item : dataset.train.row(index[static_cast<size_t>(r)])) {
                    mask_rows.push_back(r);
                    mask_cols.push_back(item);
                }
        }
        if (!mask_rows.empty())
            scores.index_put_({torch::tensor(mask_rows, torch::kInt64).to(device),
                               torch::tensor(mask_cols, torch::kInt64).to(device)},
                              torch::scalar_tensor(kNegInf, scores.options()));
        mask_ms += watch.elapsed_ms();

        watch.restart();
        auto [values, indices] = torch::topk(scores, k, 1, true, true);
        topk_ms += watch.elapsed_ms();

        watch.restart();
        values = values.to(torch::kCPU).contiguous();
        indices = indices.to(torch::kCPU).contiguous();
        copy_ms += watch.elapsed_ms();
        const float *v = values.data_ptr<float>();
        const int64_t *ix = indices.data_ptr<int64_t>();
        for (int64_t r = 0; r < b; ++r) {
            const auto row = static_cast<size_t>(begin + r);
            if (impl.user_valid(users[row]))
                store_row(out, row, v + r * k, ix + r * k, k);
        }
        progress.report(static_cast<double>(end) / static_cast<double>(n), "scoring");
    }
    out.timing_ms["gemm"] = gemm_ms;
    out.timing_ms["mask"] = mask_ms;
    out.timing_ms["topk"] = topk_ms;
    out.timing_ms["copy"] = copy_ms;
    out.timing_ms["block_users"] = static_cast<double>(block);
}

// The k best (score, item) of one user, selected by buffering: entries that beat the current k-th
// best are appended, and when the buffer fills up it is cut back to the k best (nth_element), which
// raises the bar. Much cheaper than a heap push per improvement. Order: higher score first, equal
// scores by lower item index, so the result does not depend on tiling or thread count. Items must
// arrive in ascending index order (then an item equal to the bar is never better than it).
class TopK {
public:
    explicit TopK(int64_t k) : m_k(static_cast<size_t>(k)) { m_entries.reserve(2 * m_k + 64); }
    int64_t k() const { return static_cast<int64_t>(m_k); }

    void reset()
    {
        m_entries.clear();
        m_bar = kNegInf;
    }
    float bar() const { return m_bar; }

    void add(float score, int64_t item)
    {
        m_entries.push_back({score, item});
        if (m_entries.size() >= 2 * m_k + 64)
            cut();
    }

    // Best first; `scores`/`items` receive at most k entries, and the count is returned.
    int64_t finish(float *scores, int64_t *items)
    {
        std::sort(m_entries.begin(), m_entries.end(), better);
        const size_t n = std::min(m_k, m_entries.size());
        for (size_t j = 0; j < n; ++j) {
            scores[j] = m_entries[j].first;
            items[j] = m_entries[j].second;
        }
        return static_cast<int64_t>(n);
    }

private:
    static bool better(const std::pair<float, int64_t> &a, const std::pair<float, int64_t> &b)
    {
        return a.first > b.first || (a.first == b.first && a.second < b.second);
    }

    // The k-th largest score of the entries, by quickselect without data-dependent branches: each
    // round writes every value both to the "above the pivot" front and the "below" back of the
    // other buffer and advances one of the two counts, so random scores cost no mispredictions.
    float kth_largest()
    {
        size_t n = m_entries.size();
        m_values.resize(2 * n);
        float *a = m_values.data(), *b = m_values.data() + n;
        for (size_t i = 0; i < n; ++i)
            a[i] = m_entries[i].first;
        size_t k = m_k - 1; // 0-based rank from the top
        while (n > 16) {
            const float x0 = a[0], x1 = a[n / 2], x2 = a[n - 1];
            const float pivot = std::max(std::min(x0, x1), std::min(std::max(x0, x1), x2)); // median of 3
            size_t above = 0, below = 0;
            for (size_t i = 0; i < n; ++i) {
                const float x = a[i];
                b[above] = x;
                b[n - 1 - below] = x;
                above += x > pivot;
                below += x < pivot;
            }
            if (k < above) {
                n = above;
            } else if (k < n - below) {
                return pivot;
            } else {
                k -= n - below;
                std::copy(b + n - below, b + n, b); // forward: b lies before the source range
                n = below;
            }
            std::swap(a, b);
        }
        std::sort(a, a + n, std::greater<float>());
        return a[k];
    }

    // Keeps the k best entries (score descending, item ascending) and raises the bar to the k-th
    // best score: the entries above it are kept, and of those equal to it the lowest items.
    void cut()
    {
        const float bar = kth_largest();
        size_t kept = 0;
        m_ties.clear();
        for (const auto &e : m_entries) {
            if (e.first > bar)
                m_entries[kept++] = e;
            else if (e.first == bar)
                m_ties.push_back(e);
        }
        // Entries arrive in ascending item order and the compaction keeps their order, so the
        // first ties are the lowest items.
        const size_t need = m_k - kept;
        std::copy_n(m_ties.begin(), need, m_entries.begin() + static_cast<std::ptrdiff_t>(kept));
        m_entries.resize(m_k);
        m_bar = bar; // the k-th best
    }

    size_t m_k;
    std::vector<std::pair<float, int64_t>> m_entries;
    std::vector<float> m_values;                    // cut()'s scratch
    std::vector<std::pair<float, int64_t>> m_ties; // cut()'s scratch
    float m_bar = kNegInf;
};

// The scores of row[j, j + n) that beat the bar go to the TopK one by one, in item order (the bar
// may rise as they do).
inline void fold_run(const float *row, int64_t t0, int64_t j, int64_t n, TopK &top)
{
    for (int64_t q = j; q < j + n; ++q)
        if (row[q] > top.bar())
            top.add(row[q], t0 + q);
}

#if RECLENS_SCORER_AVX2
// Runs of 64 scores: eight 8-wide compares with the bar, or-ed into one mask; a run where none
// beats it — nearly all, once the bar has risen — costs a dozen instructions, and in the others only
// the lanes that beat it are visited. Returns where the whole runs end.
__attribute__((target("avx2"))) int64_t fold_runs_avx2(const float *row, int64_t t0, int64_t n, TopK &top)
{
    constexpr int64_t kRun = 64;
    int64_t j = 0;
    for (; j + kRun <= n; j += kRun) {
        const __m256 bar = _mm256_set1_ps(top.bar());
        __m256 any = _mm256_cmp_ps(_mm256_loadu_ps(row + j), bar, _CMP_GT_OQ);
        for (int64_t q = 8; q < kRun; q += 8)
            any = _mm256_or_ps(any, _mm256_cmp_ps(_mm256_loadu_ps(row + j + q), bar, _CMP_GT_OQ));
        if (_mm256_movemask_ps(any) == 0) [[likely]]
            continue;
        // Only the lanes that beat the bar at the run's start, in item order, checked again (the
        // bar rises as entries come in).
        uint64_t lanes = 0;
        for (int64_t q = 0; q < kRun; q += 8)
            lanes |= static_cast<uint64_t>(static_cast<uint32_t>(
                         _mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(row + j + q), bar, _CMP_GT_OQ))))
                     << q;
        for (; lanes != 0; lanes &= lanes - 1) {
            const int64_t q = j + std::countr_zero(lanes);
            if (row[q] > top.bar())
                top.add(row[q], t0 + q);
        }
    }
    return j;
}
#endif

// Folds one user's scores of items [t0, t0 + n) into its TopK, with the seen items of that range
// (cursor .. end, ascending) set to -inf first. Runs whose scores all lose to the bar are skipped
// (vector compares where the CPU has AVX2, runs of 16 and their maximum elsewhere); the others
// are looked at one by one, in item order, so the lists are the same either way.
void fold_row(float *row, int64_t t0, int64_t n, const int32_t *&cursor, const int32_t *end, TopK &top)
{
    for (; cursor < end && *cursor < t0 + n; ++cursor)
        row[*cursor - t0] = kNegInf;
    int64_t j = 0;
#if RECLENS_SCORER_AVX2
    static const bool avx2 = __builtin_cpu_supports("avx2");
    if (avx2)
        j = fold_runs_avx2(row, t0, n, top);
#endif
    constexpr int64_t kRun = 16;
    for (; j + kRun <= n; j += kRun) {
        float m = row[j];
        for (int64_t q = 1; q < kRun; ++q)
            m = std::max(m, row[j + q]);
        if (m > top.bar())
            fold_run(row, t0, j, kRun, top);
    }
    fold_run(row, t0, j, n - j, top);
}

// CPU fast path, tiled like Faiss's exhaustive search: each thread takes a few users at a time,
// scores them tile by tile with the dot-product kernel (Model::Impl::score_rows, the same floats
// as every other caller) into a cache-sized buffer and folds each row into that user's TopK.
// The users x items matrix never exists, not even per block.
void score_embeddings_cpu(const Model::Impl &impl, std::span<const int32_t> users, const ScoringOptions &options,
                          Candidates &out, ProgressReporter &progress, ScoreObserver *observer)
{
    const auto &dataset = *impl.dataset;
    const int64_t n_items = dataset.n_items();
    const int64_t k = std::min<int64_t>(options.pool, n_items);
    const auto n = static_cast<int64_t>(users.size());
    if (k == 0)
        return;
    int64_t tile = options.tile_items > 0 ? options.tile_items : kCpuTileItems;
    tile = std::clamp<int64_t>((tile + kernel::kLanes - 1) / kernel::kLanes * kernel::kLanes, kernel::kLanes,
                               (n_items + kernel::kLanes - 1) / kernel::kLanes * kernel::kLanes);
    int64_t block = options.block_users > 0 ? options.block_users : 1024;
    block = std::clamp<int64_t>(block, 1, n);
    constexpr int64_t kStrip = kCpuStripUsers;
    Stopwatch total;
    for (int64_t begin = 0; begin < n; begin += block) {
        const int64_t end = std::min(n, begin + block);
        const auto block_users = users.subspan(static_cast<size_t>(begin), static_cast<size_t>(end - begin));
        // One task per strip of kStrip users, spread over the threads (std::thread: Debian's ATen
        // runs at::parallel_for on one thread).
        const auto strips = static_cast<size_t>((end - begin + kStrip - 1) / kStrip);
        parallel_rows(strips, options.threads, [&](size_t strip, size_t worker) {
            thread_local std::vector<float> buffer;
            buffer.resize(static_cast<size_t>(kStrip * tile));
            thread_local std::vector<TopK> tops;
            if (tops.size() != static_cast<size_t>(kStrip) || tops.front().k() != k)
                tops.assign(static_cast<size_t>(kStrip), TopK(k));
            std::vector<float> best_score(static_cast<size_t>(k));
            std::vector<int64_t> best_item(static_cast<size_t>(k));
            const int64_t r0 = static_cast<int64_t>(strip) * kStrip;
            const int64_t r1 = std::min(end - begin, r0 + kStrip);
            std::vector<const int32_t *> cursor, stop;
            for (int64_t r = r0; r < r1; ++r) {
                const auto row = dataset.train.row(block_users[static_cast<size_t>(r)]);
                cursor.push_back(row.data());
                stop.push_back(options.exclude_train ? row.data() + row.size() : row.data());
                tops[static_cast<size_t>(r - r0)].reset();
            }
            for (int64_t t0 = 0; t0 < n_items; t0 += tile) {
                const int64_t t1 = std::min(n_items, t0 + tile);
                impl.score_rows(block_users.subspan(static_cast<size_t>(r0), static_cast<size_t>(r1 - r0)), t0, t1,
                                buffer.data(), tile);
                for (int64_t r = r0; r < r1; ++r) {
                    const auto q = static_cast<size_t>(r - r0);
                    if (observer)
                        observer->row_tile(static_cast<size_t>(begin + r), t0,
                                           {buffer.data() + (r - r0) * tile, static_cast<size_t>(t1 - t0)}, worker);
                    fold_row(buffer.data() + (r - r0) * tile, t0, t1 - t0, cursor[q], stop[q], tops[q]);
                }
            }
            for (int64_t r = r0; r < r1; ++r) {
                const auto row = static_cast<size_t>(begin + r);
                const int64_t got = tops[static_cast<size_t>(r - r0)].finish(best_score.data(), best_item.data());
                if (impl.user_valid(users[row]))
                    store_row(out, row, best_score.data(), best_item.data(), got);
            }
        }, {}, {}, 1);
        progress.report(static_cast<double>(end) / static_cast<double>(n), "scoring");
    }
    out.timing_ms["score_topk"] = total.elapsed_ms();
    out.timing_ms["block_users"] = static_cast<double>(block);
    out.timing_ms["tile_items"] = static_cast<double>(tile);
}

// Generic path: the model's score() for one user at a time over fixed item chunks
// (Model::Impl::score_generic_row, the same calls the GUI makes), then the same TopK.
void score_generic(const Model::Impl &impl, std::span<const int32_t> users, const ScoringOptions &options,
                   Candidates &out, ProgressReporter &progress, ScoreObserver *observer)
{
    const auto &dataset = *impl.dataset;
    const int64_t n_items = dataset.n_items();
    const int64_t k = std::min<int64_t>(options.pool, n_items);
    if ((impl.matched_items.empty() && !observer) || k == 0)
        return;
    std::vector<float> row(static_cast<size_t>(n_items));
    std::vector<float> best_score(static_cast<size_t>(k));
    std::vector<int64_t> best_item(static_cast<size_t>(k));
    TopK top(k);
    Stopwatch watch;
    for (size_t r = 0; r < users.size(); ++r) {
        impl.score_generic_row(users[r], row.data()); // -inf for an unmatched user
        if (observer)
            observer->row_tile(r, 0, row, 0);
        if (!impl.user_valid(users[r]))
            continue;
        top.reset();
        const auto seen = dataset.train.row(users[r]);
        const int32_t *cursor = seen.data();
        fold_row(row.data(), 0, n_items, cursor, options.exclude_train ? seen.data() + seen.size() : seen.data(), top);
        store_row(out, r, best_score.data(), best_item.data(), top.finish(best_score.data(), best_item.data()));
        progress.report(static_cast<double>(r + 1) / static_cast<double>(users.size()), "scoring");
    }
    out.timing_ms["model_score_topk"] = watch.elapsed_ms();
}

} // namespace

std::string resolve_device(const std::string &device)
{
    if (device == "cpu")
        return "cpu";
    if (device == "auto")
        return torch::cuda::is_available() ? "cuda:0" : "cpu";
    if (device == "cuda" || device.rfind("cuda:", 0) == 0) {
        if (!torch::cuda::is_available())
            throw Error("device '" + device
                        + "': this libtorch build has no usable CUDA device; use --device cpu (or auto)");
        int index = 0;
        if (device.size() > 5) {
            try {
                size_t used = 0;
                index = std::stoi(device.substr(5), &used);
                if (used != device.size() - 5)
                    index = -1;
            } catch (const std::exception &) {
                index = -1;
            }
        }
        if (index < 0 || static_cast<size_t>(index) >= torch::cuda::device_count())
            throw Error("device '" + device + "': no such CUDA device (found "
                        + std::to_string(torch::cuda::device_count()) + ")");
        return "cuda:" + std::to_string(index);
    }
    throw Error("unknown device '" + device + "'; use auto, cpu, cuda or cuda:N");
}

std::string scoring_device(const Model &model, const std::string &device)
{
    return model.info().has_embeddings ? resolve_device(device) : "cpu";
}

std::string device_description(const std::string &device)
{
    const auto resolved = resolve_device(device);
    if (resolved == "cpu") {
        // What score_top uses with the default options (threads = 0: every core), not whatever
        // torch's pool happens to be set to at this moment.
        const unsigned n = std::max(1u, std::thread::hardware_concurrency());
        return "CPU (" + std::to_string(n) + (n == 1 ? " thread)" : " threads)");
    }
    return "CUDA device " + resolved.substr(5) + " (of " + std::to_string(torch::cuda::device_count()) + ")";
}

Candidates score_top(const Model &model, std::span<const int32_t> users, const ScoringOptions &options,
                     const ProgressFn &progress, ScoreObserver *observer)
{
    Stopwatch total;
    check_options(model, users, options);
    const auto &impl = model.impl();
    Candidates out;
    out.pool = options.pool;
    out.device = scoring_device(model, options.device);
    out.users.assign(users.begin(), users.end());
    out.items.assign(users.size() * static_cast<size_t>(options.pool), -1);
    out.scores.assign(users.size() * static_cast<size_t>(options.pool), kNegInf);
    out.count.assign(users.size(), 0);
    if (observer && out.device != "cpu")
        throw Error("scoring: the all-item observer (AUC counting) runs on the CPU paths only, not on " + out.device);
    if (users.empty())
        return out;
    set_threads(options.threads);
    ProgressReporter reporter(progress);
    try {
        torch::InferenceMode guard;
        if (impl.info.has_embeddings && out.device == "cpu")
            score_embeddings_cpu(impl, users, options, out, reporter, observer);
        else if (impl.info.has_embeddings)
            score_embeddings(impl, users, options, torch::Device(out.device), out, reporter);
        else
            score_generic(impl, users, options, out, reporter, observer);
    } catch (const c10::Error &e) {
        throw Error("scoring with " + (impl.info.path.empty() ? impl.info.name : impl.info.path)
                    + " failed: " + std::string(e.what_without_backtrace()).substr(0, 200));
    }
    reporter.force(1.0, "scoring");
    out.timing_ms["total"] = total.elapsed_ms();
    return out;
}

} // namespace reclens

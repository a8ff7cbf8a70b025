// Top-`pool` candidate generation (DESIGN §3, §8). The only torch translation unit of core/scoring.
#include "core/scoring/scorer.h"

#include "core/common/error.h"
#include "core/models/model_impl.h"

#include <algorithm>
#include <limits>
#include <thread>

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

// Min-heap of the k best (score, item) of one user; the root is the weakest kept entry. Equal
// scores prefer the lower item index, so results do not depend on tiling or thread count.
struct TopHeap {
    float *score;
    int64_t *item;
    int64_t k;

    static bool worse(float sa, int64_t ia, float sb, int64_t ib) { return sa < sb || (sa == sb && ia > ib); }

    void push(float s, int64_t i)
    {
        if (!worse(score[0], item[0], s, i))
            return;
        int64_t pos = 0;
        for (;;) { // sift the new entry down from the root
            int64_t child = 2 * pos + 1;
            if (child >= k)
                break;
            if (child + 1 < k && worse(score[child + 1], item[child + 1], score[child], item[child]))
                ++child;
            if (!worse(score[child], item[child], s, i))
                break;
            score[pos] = score[child];
            item[pos] = item[child];
            pos = child;
        }
        score[pos] = s;
        item[pos] = i;
    }

    // Best first.
    void sort_descending()
    {
        std::vector<std::pair<float, int64_t>> entries(static_cast<size_t>(k));
        for (int64_t j = 0; j < k; ++j)
            entries[static_cast<size_t>(j)] = {score[j], item[j]};
        std::sort(entries.begin(), entries.end(),
                  [](const auto &a, const auto &b) { return worse(b.first, b.second, a.first, a.second); });
        for (int64_t j = 0; j < k; ++j) {
            score[j] = entries[static_cast<size_t>(j)].first;
            item[j] = entries[static_cast<size_t>(j)].second;
        }
    }
};

// CPU fast path, tiled like Faiss's exhaustive search: per (user block x item tile) one GEMM into a
// cache-sized buffer, then each row is folded into that user's top-k heap, with the seen items of
// the tile set to -inf first. The users x items matrix never exists, not even per block.
void score_embeddings_cpu(const Model::Impl &impl, std::span<const int32_t> users, const ScoringOptions &options,
                          Candidates &out, ProgressReporter &progress)
{
    const auto &dataset = *impl.dataset;
    const int64_t n_items = dataset.n_items();
    const int64_t k = std::min<int64_t>(options.pool, n_items);
    const auto n = static_cast<int64_t>(users.size());
    if (k == 0)
        return;
    // Defaults: a 256 x 8192 float tile is 8 MiB, about what a core's share of L2/L3 holds.
    int64_t tile = options.tile_items > 0 ? options.tile_items : 8192;
    int64_t block = options.block_users > 0 ? options.block_users : 256;
    block = std::clamp<int64_t>(std::min<int64_t>(block, options.memory_budget_bytes / (tile * 4)), 1, n);
    tile = std::clamp<int64_t>(tile, 1, n_items);
    const auto item_emb_t = impl.item_emb.t();
    const float *offset = impl.item_offset.data_ptr<float>();
    std::vector<float> heap_score(static_cast<size_t>(block * k));
    std::vector<int64_t> heap_item(static_cast<size_t>(block * k));
    std::vector<const int32_t *> seen_cursor(static_cast<size_t>(block)), seen_end(static_cast<size_t>(block));
    auto buffer = torch::empty({block, tile}, torch::kFloat32);
    double gemm_ms = 0, heap_ms = 0;
    for (int64_t begin = 0; begin < n; begin += block) {
        const int64_t end = std::min(n, begin + block);
        const int64_t b = end - begin;
        std::fill(heap_score.begin(), heap_score.end(), kNegInf);
        std::fill(heap_item.begin(), heap_item.end(), -1);
        std::vector<int64_t> index(users.begin() + begin, users.begin() + end);
        const auto ub = impl.user_emb.index_select(0, torch::tensor(index, torch::kInt64));
        for (int64_t r = 0; r < b; ++r) {
            const auto row = dataset.train.row(static_cast<int32_t>(index[static_cast<size_t>(r)]));
            seen_cursor[static_cast<size_t>(r)] = row.data();
            seen_end[static_cast<size_t>(r)] = options.exclude_train ? row.data() + row.size() : row.data();
        }
        for (int64_t t0 = 0; t0 < n_items; t0 += tile) {
            const int64_t t1 = std::min(n_items, t0 + tile);
            Stopwatch watch;
            auto scores = buffer.view({-1}).narrow(0, 0, b * (t1 - t0)).view({b, t1 - t0}); // contiguous
            torch::mm_out(scores, ub, item_emb_t.narrow(1, t0, t1 - t0));
            gemm_ms += watch.elapsed_ms();
            watch.restart();
            float *base = scores.data_ptr<float>();
            const int64_t stride = scores.stride(0);
            at::parallel_for(0, b, 16, [&](int64_t r0, int64_t r1) {
                for (int64_t r = r0; r < r1; ++r) {
                    float *row = base + r * stride;
                    auto &cursor = seen_cursor[static_cast<size_t>(r)];
                    for (; cursor < seen_end[static_cast<size_t>(r)] && *cursor < t1; ++cursor)
                        row[*cursor - t0] = kNegInf;
                    TopHeap heap{heap_score.data() + r * k, heap_item.data() + r * k, k};
                    for (int64_t j = 0; j < t1 - t0; ++j) {
                        const float v = row[j] + offset[t0 + j];
                        if (v > heap.score[0])
                            heap.push(v, t0 + j);
                    }
                }
            });
            heap_ms += watch.elapsed_ms();
        }
        for (int64_t r = 0; r < b; ++r) {
            TopHeap heap{heap_score.data() + r * k, heap_item.data() + r * k, k};
            heap.sort_descending();
            const auto row = static_cast<size_t>(begin + r);
            if (impl.user_valid(users[row]))
                store_row(out, row, heap.score, heap.item, k);
        }
        progress.report(static_cast<double>(end) / static_cast<double>(n), "scoring");
    }
    out.timing_ms["gemm"] = gemm_ms;
    out.timing_ms["topk"] = heap_ms;
    out.timing_ms["block_users"] = static_cast<double>(block);
    out.timing_ms["tile_items"] = static_cast<double>(tile);
}

// Generic path: the model's score() over item chunks with a running top-k merge, on the CPU (the
// TorchScript module stays where it was loaded).
void score_generic(const Model::Impl &impl, std::span<const int32_t> users, const ScoringOptions &options,
                   Candidates &out, ProgressReporter &progress)
{
    const auto &dataset = *impl.dataset;
    const auto &items = impl.matched_items;
    if (items.empty())
        return;
    std::vector<int32_t> valid;
    std::vector<size_t> valid_rows;
    for (size_t r = 0; r < users.size(); ++r)
        if (impl.user_valid(users[r])) {
            valid.push_back(users[r]);
            valid_rows.push_back(r);
        }
    const auto n_matched = static_cast<int64_t>(items.size());
    const int64_t user_block = std::min<int64_t>(1024, std::max<int64_t>(1, static_cast<int64_t>(valid.size())));
    const int64_t chunk
        = std::clamp<int64_t>(options.memory_budget_bytes / (2 * user_block * static_cast<int64_t>(sizeof(float))),
                              std::min<int64_t>(n_matched, 16), n_matched);
    const int64_t n_chunks = (n_matched + chunk - 1) / chunk;
    const auto n_valid = static_cast<int64_t>(valid.size());
    const int64_t total_steps = std::max<int64_t>(1, ((n_valid + user_block - 1) / user_block) * n_chunks);
    int64_t step = 0;
    double model_ms = 0, merge_ms = 0;
    for (int64_t ub = 0; ub < n_valid; ub += user_block) {
        const int64_t ue = std::min(n_valid, ub + user_block);
        const int64_t b = ue - ub;
        std::vector<int32_t> block_users(valid.begin() + ub, valid.begin() + ue);
        torch::Tensor best_v, best_i;
        for (int64_t cb = 0; cb < n_matched; cb += chunk) {
            const int64_t ce = std::min(n_matched, cb + chunk);
            std::vector<int32_t> chunk_items(items.begin() + cb, items.begin() + ce);
            Stopwatch watch;
            auto scores = impl.score_matched(block_users, chunk_items);
            model_ms += watch.elapsed_ms();
            watch.restart();
            if (options.exclude_train) {
                auto acc = scores.accessor<float, 2>();
                for (int64_t r = 0; r < b; ++r)
                    for (int32_t seen : dataset.train.row(block_users[static_cast<size_t>(r)])) {
                        auto it = std::lower_bound(chunk_items.begin(), chunk_items.end(), seen);
                        if (it != chunk_items.end() && *it == seen)
                            acc[r][it - chunk_items.begin()] = kNegInf;
                    }
            }
            std::vector<int64_t> ids(chunk_items.begin(), chunk_items.end());
            auto chunk_idx = torch::tensor(ids, torch::kInt64).unsqueeze(0).expand({b, ce - cb});
            if (best_v.defined()) {
                scores = torch::cat({best_v, scores}, 1);
                chunk_idx = torch::cat({best_i, chunk_idx}, 1);
            }
            const int64_t k = std::min<int64_t>(options.pool, scores.size(1));
            auto [v, pos] = torch::topk(scores, k, 1, true, true);
            best_v = v;
            best_i = chunk_idx.gather(1, pos);
            merge_ms += watch.elapsed_ms();
            progress.report(static_cast<double>(++step) / static_cast<double>(total_steps), "scoring");
        }
        best_v = best_v.contiguous();
        best_i = best_i.contiguous();
        const int64_t k = best_v.size(1);
        for (int64_t r = 0; r < b; ++r)
            store_row(out, valid_rows[static_cast<size_t>(ub + r)], best_v.data_ptr<float>() + r * k,
                      best_i.data_ptr<int64_t>() + r * k, k);
    }
    out.timing_ms["model_score"] = model_ms;
    out.timing_ms["merge_topk"] = merge_ms;
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

std::string device_description(const std::string &device)
{
    const auto resolved = resolve_device(device);
    if (resolved == "cpu")
        return "CPU (" + std::to_string(torch::get_num_threads()) + " threads)";
    return "CUDA device " + resolved.substr(5) + " (of " + std::to_string(torch::cuda::device_count()) + ")";
}

Candidates score_top(const Model &model, std::span<const int32_t> users, const ScoringOptions &options,
                     const ProgressFn &progress)
{
    Stopwatch total;
    check_options(model, users, options);
    const auto &impl = model.impl();
    Candidates out;
    out.pool = options.pool;
    out.device = impl.info.has_embeddings ? resolve_device(options.device) : "cpu";
    out.users.assign(users.begin(), users.end());
    out.items.assign(users.size() * static_cast<size_t>(options.pool), -1);
    out.scores.assign(users.size() * static_cast<size_t>(options.pool), kNegInf);
    out.count.assign(users.size(), 0);
    if (users.empty())
        return out;
    set_threads(options.threads);
    ProgressReporter reporter(progress);
    try {
        torch::InferenceMode guard;
        if (impl.info.has_embeddings && out.device == "cpu")
            score_embeddings_cpu(impl, users, options, out, reporter);
        else if (impl.info.has_embeddings)
            score_embeddings(impl, users, options, torch::Device(out.device), out, reporter);
        else
            score_generic(impl, users, options, out, reporter);
    } catch (const c10::Error &e) {
        throw Error("scoring with " + (impl.info.path.empty() ? impl.info.name : impl.info.path)
                    + " failed: " + std::string(e.what_without_backtrace()).substr(0, 200));
    }
    reporter.force(1.0, "scoring");
    out.timing_ms["total"] = total.elapsed_ms();
    return out;
}

} // namespace reclens

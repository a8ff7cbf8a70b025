// Per-user and pooled AUC over each user's whole ranking universe (DESIGN §5). The only torch TU
// of core/analysis: embedding models are scored in user blocks with one GEMM each (as the scorer
// does), so users x items is never held at once. The pooled AUC needs every positive score before
// negatives can be placed, so the blocks are scored twice (same shapes, so the same floats).
#include "core/analysis/evaluation.h"
#include "core/common/error.h"
#include "core/models/model_impl.h"

#include <ATen/Parallel.h>

#include <algorithm>

namespace reclens {

namespace {

// Calls fn(row, user, scores) for each user of `users`, scores = all items in dataset order.
template<typename Fn>
void for_each_scored(const Model &model, std::span<const int32_t> users, ProgressReporter &rep, double p0, double p1,
                     Fn &&fn)
{
    const Dataset &ds = model.dataset();
    const auto &impl = model.impl();
    const int64_t n_items = ds.n_items();
    if (impl.info.has_embeddings && impl.user_emb.defined()) {
        const int64_t budget = int64_t{256} << 20;
        const int64_t block = std::max<int64_t>(1, budget / std::max<int64_t>(1, n_items * 4));
        torch::InferenceMode guard;
        for (size_t b0 = 0; b0 < users.size(); b0 += static_cast<size_t>(block)) {
            rep.report(p0 + (p1 - p0) * static_cast<double>(b0) / static_cast<double>(users.size()), "AUC");
            const size_t b1 = std::min(users.size(), b0 + static_cast<size_t>(block));
            std::vector<int64_t> idx(users.begin() + static_cast<long>(b0), users.begin() + static_cast<long>(b1));
            auto ut = impl.user_emb.index_select(0, torch::tensor(idx, torch::kLong));
            auto s = torch::addmm(impl.item_offset.unsqueeze(0), ut, impl.item_emb.t()).contiguous();
            const float *base = s.data_ptr<float>();
            at::parallel_for(0, static_cast<int64_t>(b1 - b0), 1, [&](int64_t r0, int64_t r1) {
                for (int64_t r = r0; r < r1; ++r) {
                    const size_t row = b0 + static_cast<size_t>(r);
                    fn(row, users[row], std::span<const float>(base + r * n_items, static_cast<size_t>(n_items)));
                }
            });
        }
    } else {
        for (size_t r = 0; r < users.size(); ++r) {
            rep.report(p0 + (p1 - p0) * static_cast<double>(r) / static_cast<double>(users.size()), "AUC");
            const auto scores = model.score_all(users[r]);
            fn(r, users[r], std::span<const float>(scores));
        }
    }
}

} // namespace

AucResult compute_auc(const Model &model, std::span<const int32_t> users, const ProgressFn &progress)
{
    const Dataset &ds = model.dataset();
    ProgressReporter rep(progress);
    AucResult out;
    out.per_user.assign(users.size(), kNaN);
    std::vector<std::vector<float>> pos(users.size());
    for_each_scored(model, users, rep, 0.0, 0.5, [&](size_t row, int32_t user, std::span<const float> s) {
        out.per_user[row] = user_auc(ds, user, s);
        const auto truth = test_set(ds, user);
        auto &p = pos[row];
        p.reserve(truth.size());
        for (int32_t it : truth)
            p.push_back(s[static_cast<size_t>(it)]);
    });
    std::vector<float> all;
    for (auto &p : pos)
        all.insert(all.end(), p.begin(), p.end());
    pos.clear();
    pos.shrink_to_fit();
    const int threads = std::max(1, at::get_num_threads());
    std::vector<PooledAucAccumulator> acc(static_cast<size_t>(threads), PooledAucAccumulator(std::move(all)));
    for_each_scored(model, users, rep, 0.5, 1.0, [&](size_t, int32_t user, std::span<const float> s) {
        auto &a = acc[static_cast<size_t>(std::min(at::get_thread_num(), threads - 1))];
        const auto truth = test_set(ds, user);
        auto train = ds.train.row(user);
        size_t ti = 0, ri = 0;
        for (int32_t it = 0; it < static_cast<int32_t>(s.size()); ++it) {
            while (ri < train.size() && train[ri] < it)
                ++ri;
            if (ri < train.size() && train[ri] == it)
                continue;
            while (ti < truth.size() && truth[ti] < it)
                ++ti;
            if (ti < truth.size() && truth[ti] == it)
                continue;
            a.add_negative(s[static_cast<size_t>(it)]);
        }
    });
    for (size_t t = 1; t < acc.size(); ++t)
        acc[0].merge(acc[t]);
    out.pooled = acc[0].auc();
    rep.force(1.0, "AUC");
    return out;
}

} // namespace reclens

// Per-user and pooled AUC over each user's whole ranking universe (DESIGN §5), and the pooled ROC
// curve. Users are scored a few at a time by the model's kernel (or score()), so users x items is
// never held at once. The pooled AUC needs every
// positive score before negatives can be placed, so users are scored twice (the kernel gives the
// same floats both times).
#include "core/analysis/evaluation.h"
#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/models/model_impl.h"


#include <algorithm>

namespace reclens {

namespace {

// Calls fn(row, user, scores, worker) for each user of `users`, scores = all items in dataset order,
// from several threads at once (worker: parallel_rows' worker index, one thread each). The scores are Model::Impl::score_rows' (embedding models, a few users at
// a time) or score_generic_row's: the same floats as the scorer's and the GUI's.
template<typename Fn>
void for_each_scored(const Model &model, std::span<const int32_t> users, int threads, ProgressReporter &rep, double p0,
                     double p1, Fn &&fn)
{
    const auto &impl = model.impl();
    const int64_t n_items = model.dataset().n_items();
    const bool embeddings = impl.info.has_embeddings && impl.user_emb.defined();
    // Progress is reported between blocks, from this thread only (ProgressReporter is not shared).
    const int64_t n = static_cast<int64_t>(users.size());
    const int64_t block = embeddings ? 4096 : 64;
    constexpr int64_t kStrip = 8;
    for (int64_t b0 = 0; b0 < n; b0 += block) {
        rep.report(p0 + (p1 - p0) * static_cast<double>(b0) / static_cast<double>(n), "AUC");
        const int64_t b1 = std::min(n, b0 + block);
        // Strips of kStrip users (embeddings) or single users (score()), over std::threads.
        const int64_t per = embeddings ? kStrip : 1;
        const auto strips = static_cast<size_t>((b1 - b0 + per - 1) / per);
        parallel_rows(strips, threads, [&](size_t strip, size_t worker) {
            const int64_t r0 = b0 + static_cast<int64_t>(strip) * per;
            const int64_t r1 = std::min(b1, r0 + per);
            thread_local std::vector<float> rows;
            rows.resize(static_cast<size_t>((r1 - r0) * n_items));
            if (embeddings)
                impl.score_rows(users.subspan(static_cast<size_t>(r0), static_cast<size_t>(r1 - r0)), 0, n_items,
                                rows.data(), n_items);
            for (int64_t r = r0; r < r1; ++r) {
                float *row = rows.data() + (r - r0) * n_items;
                if (!embeddings)
                    impl.score_generic_row(users[static_cast<size_t>(r)], row);
                fn(static_cast<size_t>(r), users[static_cast<size_t>(r)],
                   std::span<const float>(row, static_cast<size_t>(n_items)), worker);
            }
        }, {}, {}, 1);
    }
}

} // namespace

AucResult compute_auc(const Model &model, std::span<const int32_t> users, const ProgressFn &progress,
                      bool want_curve, int threads)
{
    const Dataset &ds = model.dataset();
    ProgressReporter rep(progress);
    AucResult out;
    out.per_user.assign(users.size(), kNaN);
    std::vector<std::vector<float>> pos(users.size());
    for_each_scored(model, users, threads, rep, 0.0, 0.5, [&](size_t row, int32_t user, std::span<const float> s, size_t) {
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
    // One accumulator per worker (not per torch thread number): no two threads ever share one.
    std::vector<PooledAucAccumulator> acc(parallel_workers(threads), PooledAucAccumulator(std::move(all)));
    for_each_scored(model, users, threads, rep, 0.5, 1.0, [&](size_t, int32_t user, std::span<const float> s,
                                                              size_t worker) {
        auto &a = acc[worker];
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
    for (size_t w = 1; w < acc.size(); ++w)
        acc[0].merge(acc[w]);
    const PooledAucAccumulator &pooled = acc[0];
    out.pooled = pooled.auc();
    if (want_curve)
        out.pooled_curve = pooled.curve();
    rep.force(1.0, "AUC");
    return out;
}

RocCurve pooled_roc(const Model &model, const ProgressFn &progress)
{
    const std::vector<int32_t> users = evaluated_users(model.dataset());
    return compute_auc(model, users, progress, true).pooled_curve;
}

} // namespace reclens

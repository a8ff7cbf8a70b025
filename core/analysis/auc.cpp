// Per-user and pooled AUC over each user's whole ranking universe (DESIGN §5), and the pooled ROC
// curve, counted tile by tile (core/analysis/auccounter.h). compute_auc makes its own single pass
// for callers that do not score top-K at the same time (the GUI's ROC, CUDA runs).
#include "core/analysis/auccounter.h"
#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/models/model_impl.h"

#include <algorithm>
#include <limits>

namespace reclens {

AucCounter::AucCounter(const Model &model, std::span<const int32_t> users, int threads, bool want_curve,
                       std::span<const int32_t> pooled_users)
    : m_ds(model.dataset()), m_users(users)
{
    Stopwatch watch;
    const auto &impl = model.impl();
    const auto everyone = pooled_users.empty() ? users : pooled_users;
    std::vector<std::vector<int32_t>> test(everyone.size());
    std::vector<std::vector<float>> pos(everyone.size());
    parallel_rows(everyone.size(), threads, [&](size_t i) {
        test[i] = test_set(m_ds, everyone[i]);
        pos[i].resize(test[i].size());
        impl.score_items(everyone[i], test[i], pos[i].data());
    });
    std::vector<float> all;
    for (const auto &p : pos)
        all.insert(all.end(), p.begin(), p.end());
    const size_t n = users.size();
    m_test.resize(n);
    m_pos.resize(n);
    m_twice.resize(n);
    for (size_t r = 0; r < n; ++r) {
        const auto at = std::lower_bound(everyone.begin(), everyone.end(), users[r]);
        if (at == everyone.end() || *at != users[r])
            throw Error("AUC: user " + std::to_string(users[r]) + " is not among the pooled users");
        const auto i = static_cast<size_t>(at - everyone.begin());
        m_test[r] = std::move(test[i]);
        m_pos[r] = std::move(pos[i]);
        m_twice[r].assign(m_pos[r].size(), 0);
    }
    m_workers.resize(parallel_workers(threads));
    if (want_curve) {
        m_curve = std::make_unique<PooledCurveCounter>(all);
        for (auto &w : m_workers)
            w.curve = m_curve->make_counts();
    }
    m_counter = std::make_unique<PooledAucCounter>(std::move(all));
    m_positives_ms = watch.elapsed_ms();
}

void AucCounter::row_tile(size_t row, int64_t t0, std::span<const float> scores, size_t worker)
{
    Stopwatch watch;
    Worker &w = m_workers[worker];
    const int32_t user = m_users[row];
    const auto &pos = m_pos[row];
    const auto &truth = m_test[row];
    const float *s = scores.data();
    const int64_t t1 = t0 + static_cast<int64_t>(scores.size());
    // Everything in the tile first (train items and positives too), then those taken back out.
    auto &twice = m_twice[row];
    twice_below_each(scores, pos, twice);
    m_counter->add(scores, w.tally);
    thread_local std::vector<int64_t> out;
    out.assign(pos.size(), 0);
    const bool curve = !w.curve.empty();
    if (curve)
        m_curve->add(scores, w.curve);
    auto take_out = [&](int32_t item) {
        const float x = s[item - t0];
        twice_below_each({&x, 1}, pos, out);
        m_counter->remove(x, w.tally);
        if (curve)
            m_curve->remove(x, w.curve);
    };
    const auto train = m_ds.train.row(user);
    const auto train_from = std::lower_bound(train.begin(), train.end(), static_cast<int32_t>(t0));
    const auto test_from = std::lower_bound(truth.begin(), truth.end(), static_cast<int32_t>(t0));
    for (auto it = train_from; it != train.end() && *it < t1; ++it)
        take_out(*it);
    for (auto it = test_from; it != truth.end() && *it < t1; ++it)
        take_out(*it);
    for (size_t j = 0; j < twice.size(); ++j)
        twice[j] -= out[j];
    w.ms += watch.elapsed_ms();
    ++w.tiles;
}

AucResult AucCounter::result() const
{
    AucResult out;
    out.per_user.assign(m_users.size(), kNaN);
    out.positive_offsets.assign(1, 0);
    for (size_t r = 0; r < m_users.size(); ++r) {
        const auto truth = static_cast<int64_t>(m_test[r].size());
        const int64_t negatives = m_ds.n_items() - static_cast<int64_t>(m_ds.train.row_size(m_users[r])) - truth;
        int64_t twice = 0;
        for (const int64_t t : m_twice[r])
            twice += t;
        out.per_user[r] = user_auc_from_counts(twice, truth, negatives);
        out.positive_items.insert(out.positive_items.end(), m_test[r].begin(), m_test[r].end());
        out.positive_scores.insert(out.positive_scores.end(), m_pos[r].begin(), m_pos[r].end());
        out.positive_twice.insert(out.positive_twice.end(), m_twice[r].begin(), m_twice[r].end());
        out.positive_offsets.push_back(out.positive_items.size());
        out.negatives.push_back(negatives);
    }
    PooledAucCounter::Tally tally;
    for (const auto &w : m_workers)
        tally.merge(w.tally);
    out.pooled = m_counter->auc(tally);
    out.pooled_parts = {tally.twice_rank, m_counter->positives(), tally.negatives};
    if (m_curve) {
        std::vector<std::vector<int64_t>> counts;
        for (const auto &w : m_workers)
            counts.push_back(w.curve);
        out.pooled_curve = m_curve->curve(counts, tally.negatives, out.pooled);
    }
    return out;
}

double AucCounter::counting_ms() const
{
    double ms = 0;
    size_t busy = 0;
    for (const auto &w : m_workers) {
        ms += w.ms;
        busy += w.tiles > 0;
    }
    return busy > 0 ? ms / static_cast<double>(busy) : 0.0;
}

AucResult compute_auc(const Model &model, std::span<const int32_t> users, const ProgressFn &progress,
                      bool want_curve, int threads, std::span<const int32_t> pooled_users)
{
    ProgressReporter rep(progress);
    AucCounter counter(model, users, threads, want_curve, pooled_users);
    const auto &impl = model.impl();
    const int64_t n_items = model.dataset().n_items();
    const bool embeddings = impl.info.has_embeddings && impl.user_emb.defined();
    // Blocks between progress reports; within a block, strips of 8 users (embeddings: the kernel's
    // floats do not depend on the strip) or single users (score()) over std::threads.
    const int64_t n = static_cast<int64_t>(users.size());
    const int64_t block = embeddings ? 4096 : 64;
    const int64_t per = embeddings ? 8 : 1;
    for (int64_t b0 = 0; b0 < n; b0 += block) {
        rep.report(static_cast<double>(b0) / static_cast<double>(std::max<int64_t>(1, n)), "AUC");
        const int64_t b1 = std::min(n, b0 + block);
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
                counter.row_tile(static_cast<size_t>(r), 0, {row, static_cast<size_t>(n_items)}, worker);
            }
        }, {}, {}, 1);
    }
    rep.force(1.0, "AUC");
    return counter.result();
}

float item_auc_score(const RankingSource &source, int32_t user, int32_t item)
{
    if (source.run) {
        const auto train = source.dataset->train.row(user);
        float place = 0;
        for (const int32_t it : source.run->list(user)) {
            if (std::binary_search(train.begin(), train.end(), it))
                continue;
            place += 1;
            if (it == item)
                return -place;
        }
        return -std::numeric_limits<float>::infinity();
    }
    float out = 0;
    const int32_t one[] = {item};
    source.model->impl().score_items(user, one, &out);
    return out;
}

RocCurve pooled_roc(const RankingSource &source, const ProgressFn &progress)
{
    const Dataset &ds = *source.dataset;
    std::vector<int32_t> users = evaluated_users(ds);
    if (!source.run)
        return compute_auc(*source.model, users, progress, true).pooled_curve;
    // A run: every evaluated user with a list (trec_eval's requests when judged), ranked by place.
    std::erase_if(users, [&](int32_t u) { return ds.judgements && source.run->list(u).empty(); });
    std::vector<float> positives;
    for (const int32_t u : users) {
        const auto all = run_scores_all(*source.run, ds, u);
        for (const int32_t t : test_set(ds, u))
            positives.push_back(all[static_cast<size_t>(t)]);
    }
    PooledAucAccumulator acc(std::move(positives));
    std::vector<uint8_t> skip(static_cast<size_t>(ds.n_items()), 0);
    std::vector<float> negatives;
    for (size_t i = 0; i < users.size(); ++i) {
        if (progress && !progress(static_cast<double>(i) / static_cast<double>(users.size()), "pooled ROC"))
            throw Cancelled();
        const int32_t u = users[i];
        const auto all = run_scores_all(*source.run, ds, u);
        const auto train = ds.train.row(u);
        const auto truth = test_set(ds, u);
        for (const int32_t it : train)
            skip[static_cast<size_t>(it)] = 1;
        for (const int32_t it : truth)
            skip[static_cast<size_t>(it)] = 1;
        negatives.clear();
        for (size_t it = 0; it < all.size(); ++it)
            if (!skip[it])
                negatives.push_back(all[it]);
        acc.add_negatives(negatives);
        for (const int32_t it : train)
            skip[static_cast<size_t>(it)] = 0;
        for (const int32_t it : truth)
            skip[static_cast<size_t>(it)] = 0;
    }
    return acc.curve();
}

AucResult run_auc(const Run &run, const Dataset &ds, std::span<const int32_t> users,
                  std::span<const int32_t> pooled_users)
{
    // Each pooled user's kept list (train items left out), which of its places hold positives,
    // and |T_u|: found once, for the positives and again for that user's own counts.
    constexpr float kMinusInf = -std::numeric_limits<float>::infinity();
    struct Placed {
        std::vector<uint8_t> positive; // per kept place
        int64_t n_pos = 0;
        std::vector<int32_t> test;     // T_u, ascending
        std::vector<float> score;      // each positive's: minus its place, -inf unlisted
    };
    const auto everyone = pooled_users.empty() ? users : pooled_users;
    std::vector<Placed> placed(everyone.size());
    std::vector<float> positives; // minus the place (from 1), or -inf when unlisted
    for (size_t i = 0; i < everyone.size(); ++i) {
        const int32_t u = everyone[i];
        const auto train = ds.train.row(u);
        const auto test = test_set(ds, u);
        Placed &p = placed[i];
        p.n_pos = static_cast<int64_t>(test.size());
        p.test = test;
        p.score.assign(test.size(), kMinusInf);
        int64_t listed = 0;
        for (const int32_t it : run.list(u)) {
            if (std::binary_search(train.begin(), train.end(), it))
                continue;
            const auto at = std::lower_bound(test.begin(), test.end(), it);
            const bool pos = at != test.end() && *at == it;
            p.positive.push_back(pos);
            if (pos) {
                positives.push_back(-static_cast<float>(p.positive.size()));
                p.score[static_cast<size_t>(at - test.begin())] = positives.back();
                ++listed;
            }
        }
        positives.insert(positives.end(), static_cast<size_t>(p.n_pos - listed), kMinusInf);
    }
    const PooledAucCounter counter(std::move(positives));
    PooledAucCounter::Tally tally;
    AucResult out;
    out.per_user.assign(users.size(), kNaN);
    out.positive_offsets.assign(1, 0);
    std::vector<float> neg_scores;
    for (size_t r = 0; r < users.size(); ++r) {
        const int32_t u = users[r];
        const auto at = std::lower_bound(everyone.begin(), everyone.end(), u);
        if (at == everyone.end() || *at != u)
            throw Error("AUC: user " + std::to_string(u) + " is not among the pooled users");
        const Placed &p = placed[static_cast<size_t>(at - everyone.begin())];
        const int64_t n_neg = ds.n_items() - static_cast<int64_t>(ds.train.row_size(u)) - p.n_pos;
        // From the end of the list: a listed positive is above the listed negatives after it and
        // every unlisted negative; an unlisted positive ties with the unlisted negatives.
        int64_t neg_after = 0, listed_pos = 0, twice_listed = 0;
        neg_scores.clear();
        for (size_t i = p.positive.size(); i-- > 0;) {
            if (p.positive[i]) {
                twice_listed += 2 * neg_after;
                ++listed_pos;
            } else {
                ++neg_after;
                neg_scores.push_back(-static_cast<float>(i + 1));
            }
        }
        const int64_t unlisted_neg = n_neg - neg_after;
        const int64_t twice = twice_listed + 2 * listed_pos * unlisted_neg + (p.n_pos - listed_pos) * unlisted_neg;
        out.per_user[r] = user_auc_from_counts(twice, p.n_pos, n_neg);
        // Per positive: a listed one at place q is above the listed negatives after q and every
        // unlisted negative; an unlisted one ties with the unlisted negatives.
        for (size_t j = 0; j < p.test.size(); ++j) {
            int64_t t = unlisted_neg;
            if (p.score[j] != kMinusInf) {
                const auto place = static_cast<size_t>(-p.score[j]); // from 1
                int64_t after = 0;
                for (size_t q = place; q < p.positive.size(); ++q)
                    after += p.positive[q] == 0;
                t = 2 * (after + unlisted_neg);
            }
            out.positive_twice.push_back(t);
        }
        out.positive_items.insert(out.positive_items.end(), p.test.begin(), p.test.end());
        out.positive_scores.insert(out.positive_scores.end(), p.score.begin(), p.score.end());
        out.positive_offsets.push_back(out.positive_items.size());
        out.negatives.push_back(n_neg);
        counter.add(neg_scores, tally);
        tally.twice_rank += static_cast<PairCount>(counter.twice_rank(kMinusInf)) * static_cast<PairCount>(unlisted_neg);
        tally.negatives += unlisted_neg;
    }
    out.pooled = counter.auc(tally);
    out.pooled_parts = {tally.twice_rank, counter.positives(), tally.negatives};
    return out;
}

} // namespace reclens

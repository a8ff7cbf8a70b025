// Batched re-ranking of many users at once with libtorch (CPU or CUDA). Every arithmetic step
// mirrors reranker.cpp in the same order and precision (double), so the lists are identical:
// - rules, r̂, DPP weights q and calibration targets p are computed on the CPU by the shared code;
// - similarity rows and the DPP's inner products <c_j, c_i> are accumulated term by term in the
//   scalar loops' order (no matrix products, whose summation order is the library's choice);
// - argmax takes the first maximum (lowest model rank), as the scalar loop does.
#include "core/common/error.h"
#include "core/rerank/rerank_internal.h"

#include <torch/torch.h>

#include <algorithm>

namespace reclens {

using namespace rerank_detail;

namespace {

torch::Device pick_device(const std::string &name)
{
    if (name.empty() || name == "auto")
        return torch::cuda::is_available() ? torch::Device("cuda:0") : torch::Device(torch::kCPU);
    if (name.rfind("cuda", 0) == 0 && !torch::cuda::is_available())
        throw Error("device '" + name + "' asked for, but CUDA is not available: use --device cpu");
    try {
        return torch::Device(name);
    } catch (const c10::Error &) {
        throw Error("unknown device '" + name + "': use auto, cpu, cuda or cuda:N");
    }
}

// argmax over dim 1 taking the lowest index among equal maxima (whatever the backend does).
torch::Tensor first_argmax(const torch::Tensor &v)
{
    auto mx = std::get<0>(v.max(1, true));
    const int64_t p = v.size(1);
    auto idx = torch::arange(p, v.options().dtype(torch::kLong)).unsqueeze(0).expand_as(v);
    auto cand = torch::where(v == mx, idx, torch::full_like(idx, p));
    return std::get<0>(cand.min(1));
}

} // namespace

std::vector<RerankedList> Reranker::rerank_batch(std::span<const int32_t> users, std::span<const int32_t> items,
                                                 std::span<const float> scores, std::span<const int32_t> count,
                                                 int pool, const std::string &device,
                                                 const ProgressFn &progress) const
{
    const size_t n_rows = users.size();
    if (items.size() < n_rows * static_cast<size_t>(pool) || scores.size() < n_rows * static_cast<size_t>(pool) ||
        count.size() < n_rows)
        throw Error("Reranker::rerank_batch: candidate arrays are shorter than users x pool");
    const Dataset &ds = *m_dataset;
    const RerankOptions &o = m_options;
    const auto k = static_cast<int64_t>(o.k);
    const double delta = o.diversity;
    ProgressReporter reporter(progress);

    std::vector<Prepared> prep(n_rows);
    for (size_t r = 0; r < n_rows; ++r) {
        const auto off = r * static_cast<size_t>(pool);
        prep[r] = prepare(ds, o, items.subspan(off, static_cast<size_t>(count[r])),
                          scores.subspan(off, static_cast<size_t>(count[r])));
    }
    std::vector<std::vector<int>> selected(n_rows);
    const bool active = delta > 0.0 && o.method != RerankMethod::none;

    if (active) {
        torch::InferenceMode guard;
        const torch::Device dev = pick_device(device);
        const auto dbl = torch::TensorOptions().dtype(torch::kDouble);
        const auto lng = torch::TensorOptions().dtype(torch::kLong);
        torch::Tensor unit;
        if (m_similarity && m_similarity->kind() == SimilarityKind::embedding)
            unit = torch::from_blob(const_cast<float *>(m_similarity->unit_embeddings().data()),
                                    {ds.n_items(), m_similarity->dim()}, torch::kFloat)
                       .to(dev);
        size_t max_p = 1;
        for (const auto &p : prep)
            max_p = std::max(max_p, p.items.size());
        // Rows per chunk: the per-chunk tensors (P x d embeddings, P x K DPP factors) stay small.
        const size_t per_row = max_p * static_cast<size_t>(std::max(64, m_similarity ? m_similarity->dim() : 0) + 2 * o.k) * sizeof(double) * 4 + 1;
        const size_t chunk = std::max<size_t>(1, (size_t{256} << 20) / per_row);

        for (size_t r0 = 0; r0 < n_rows; r0 += chunk) {
            reporter.report(static_cast<double>(r0) / static_cast<double>(n_rows), "re-ranking");
            const size_t r1 = std::min(n_rows, r0 + chunk);
            const auto b = static_cast<int64_t>(r1 - r0);
            size_t pm = 1;
            for (size_t r = r0; r < r1; ++r)
                pm = std::max(pm, prep[r].items.size());
            const auto P = static_cast<int64_t>(pm);
            // Host-side inputs, padded.
            auto h_idx = torch::zeros({b, P}, lng);
            auto h_rhat = torch::zeros({b, P}, dbl);
            auto h_valid = torch::zeros({b, P}, torch::kBool);
            auto a_idx = h_idx.accessor<int64_t, 2>();
            auto a_rhat = h_rhat.accessor<double, 2>();
            auto a_valid = h_valid.accessor<bool, 2>();
            for (int64_t r = 0; r < b; ++r) {
                const auto &p = prep[r0 + static_cast<size_t>(r)];
                for (size_t i = 0; i < p.items.size(); ++i) {
                    a_idx[r][static_cast<int64_t>(i)] = p.items[i];
                    a_rhat[r][static_cast<int64_t>(i)] = p.rhat[i];
                    a_valid[r][static_cast<int64_t>(i)] = true;
                }
            }
            auto idx = h_idx.to(dev);
            auto rhat = h_rhat.to(dev);
            auto valid = h_valid.to(dev);
            auto taken = valid.logical_not();
            auto sel = torch::full({b, k}, -1, lng.device(dev));
            const auto neg_inf = -std::numeric_limits<double>::infinity();
            auto rows = torch::arange(b, lng.device(dev));

            // Similarity rows on demand: the greedy methods only need the rows of the picked items
            // (K rows), never the whole P x P block. Dot products run term by term over the
            // dimensions in the scalar loop's order, so the doubles are bitwise the same.
            torch::Tensor g_emb, g_path, g_known;
            int h_levels = ds.category_levels;
            if (m_similarity && m_similarity->kind() == SimilarityKind::embedding) {
                g_emb = unit.index_select(0, idx.flatten()).view({b, P, -1}).to(torch::kDouble);
            } else if (m_similarity) {
                // Paths padded with their deepest category (the category_at_level rule).
                const int h = std::max(1, h_levels);
                auto hp = torch::full({b, P, h}, -1, lng);
                auto hk = torch::zeros({b, P}, torch::kBool);
                auto ap = hp.accessor<int64_t, 3>();
                auto ak = hk.accessor<bool, 2>();
                for (int64_t r = 0; r < b; ++r) {
                    const auto &p = prep[r0 + static_cast<size_t>(r)];
                    for (size_t i = 0; i < p.items.size(); ++i) {
                        const auto ii = static_cast<int64_t>(i);
                        ak[r][ii] = h_levels > 0 && !ds.item_path(p.items[i]).empty();
                        for (int l = 1; l <= h; ++l)
                            ap[r][ii][l - 1] = ds.category_at_level(p.items[i], l);
                    }
                }
                g_path = hp.to(dev);
                g_known = hk.to(dev);
            }
            auto sim_row = [&](const torch::Tensor &j) {
                if (g_emb.defined()) {
                    auto uj = g_emb.index({rows, j}); // [b, d]
                    auto acc = torch::zeros({b, P}, dbl.device(dev));
                    for (int64_t d = 0; d < g_emb.size(2); ++d)
                        acc = acc + uj.select(1, d).unsqueeze(1) * g_emb.select(2, d);
                    return acc;
                }
                auto pj = g_path.index({rows, j}).unsqueeze(1);          // [b, 1, h]
                auto shared = (g_path == pj).to(torch::kLong).cumprod(2).sum(2); // leading equal levels
                auto d = (static_cast<double>(h_levels) - shared.to(torch::kDouble)) / static_cast<double>(h_levels);
                auto both = g_known.logical_and(g_known.index({rows, j}).unsqueeze(1));
                d = torch::where(both, d, torch::ones_like(d));
                auto same = torch::arange(P, lng.device(dev)).unsqueeze(0) == j.unsqueeze(1);
                d = torch::where(same, torch::zeros_like(d), d);
                return 1.0 - d;
            };
            auto sim_diag = [&]() {
                if (g_emb.defined()) {
                    auto acc = torch::zeros({b, P}, dbl.device(dev));
                    for (int64_t d = 0; d < g_emb.size(2); ++d)
                        acc = acc + g_emb.select(2, d) * g_emb.select(2, d);
                    return acc;
                }
                return torch::ones({b, P}, dbl.device(dev));
            };
            auto take = [&](const torch::Tensor &j, const torch::Tensor &ok) {
                auto hot = torch::zeros_like(taken).scatter_(1, j.clamp_min(0).unsqueeze(1), true);
                taken = taken.logical_or(hot.logical_and(ok.unsqueeze(1)));
            };

            if (o.method == RerankMethod::mmr) {
                auto maxsim = torch::zeros({b, P}, dbl.device(dev));
                for (int64_t s = 0; s < k; ++s) {
                    auto val = (rhat * (1.0 - delta) - maxsim * delta).masked_fill(taken, neg_inf);
                    auto ok = taken.logical_not().any(1);
                    auto j = first_argmax(val);
                    sel.select(1, s).copy_(torch::where(ok, j, torch::full_like(j, -1)));
                    take(j, ok);
                    auto row = sim_row(j);
                    maxsim = torch::where(taken, maxsim, torch::maximum(maxsim, row));
                }
            } else if (o.method == RerankMethod::dpp) {
                const double alpha = dpp_alpha(delta);
                auto hq = torch::zeros({b, P}, dbl);
                auto aq = hq.accessor<double, 2>();
                for (int64_t r = 0; r < b; ++r) {
                    const auto &p = prep[r0 + static_cast<size_t>(r)];
                    for (size_t i = 0; i < p.items.size(); ++i)
                        aq[r][static_cast<int64_t>(i)] = dpp_quality(alpha, p.rhat[i]);
                }
                auto q = hq.to(dev);
                auto d2 = (q * sim_diag()) * q;
                auto c = torch::zeros({b, P, k}, dbl.device(dev));
                auto live = torch::ones({b}, torch::TensorOptions().dtype(torch::kBool).device(dev));
                for (int64_t s = 0; s < k; ++s) {
                    auto d2m = d2.masked_fill(taken, neg_inf);
                    auto j = first_argmax(d2m);
                    auto best = d2m.index({rows, j});
                    live = live.logical_and(best >= kDppStop);
                    sel.select(1, s).copy_(torch::where(live, j, torch::full_like(j, -1)));
                    take(j, live);
                    if (s + 1 == k || !live.any().item<bool>())
                        break;
                    auto dj = torch::sqrt(best).unsqueeze(1);
                    auto qj = q.index({rows, j}).unsqueeze(1);
                    auto lrow = (qj * sim_row(j)) * q;
                    auto cj = c.index({rows, j}); // [b, k]
                    auto acc = torch::zeros({b, P}, dbl.device(dev));
                    for (int64_t t = 0; t < s; ++t)
                        acc = acc + cj.select(1, t).unsqueeze(1) * c.select(2, t);
                    auto e = (lrow - acc) / dj;
                    auto upd = taken.logical_not().logical_and(live.unsqueeze(1));
                    c.select(2, s).copy_(torch::where(upd, e, c.select(2, s)));
                    d2 = torch::where(upd, d2 - e * e, d2);
                }
            } else if (o.method == RerankMethod::calibrated || o.method == RerankMethod::caps) {
                // Local bucket ids per row (0..P-1) keep the count tables at b x P.
                auto h_lb = torch::zeros({b, P}, lng);
                auto h_pc = torch::zeros({b, P}, dbl);
                auto h_lbr = torch::full({b, P}, -1, lng);
                auto h_capc = torch::zeros({b, P}, torch::kBool); // bucket may be capped (not unknown)
                auto alb = h_lb.accessor<int64_t, 2>();
                auto apc = h_pc.accessor<double, 2>();
                auto albr = h_lbr.accessor<int64_t, 2>();
                auto acap = h_capc.accessor<bool, 2>();
                const auto unknown = static_cast<int32_t>(ds.categories.size());
                std::vector<double> hist(static_cast<size_t>(unknown) + 1);
                for (int64_t r = 0; r < b; ++r) {
                    const auto &p = prep[r0 + static_cast<size_t>(r)];
                    const int32_t user = users[r0 + static_cast<size_t>(r)];
                    if (o.method == RerankMethod::calibrated) {
                        std::fill(hist.begin(), hist.end(), 0.0);
                        auto train = ds.train.row(user);
                        for (int32_t it : train)
                            hist[static_cast<size_t>(m_bucket[static_cast<size_t>(it)])] += 1.0;
                        for (double &h : hist)
                            h = train.empty() ? 0.0 : h / static_cast<double>(train.size());
                    }
                    std::vector<int32_t> seen_b, seen_br;
                    for (size_t i = 0; i < p.items.size(); ++i) {
                        const auto ii = static_cast<int64_t>(i);
                        const int32_t bk = m_bucket[static_cast<size_t>(p.items[i])];
                        auto f = std::find(seen_b.begin(), seen_b.end(), bk);
                        alb[r][ii] = f - seen_b.begin();
                        if (f == seen_b.end())
                            seen_b.push_back(bk);
                        acap[r][ii] = bk != unknown;
                        if (o.method == RerankMethod::calibrated)
                            apc[r][ii] = hist[static_cast<size_t>(bk)];
                        const int32_t br = ds.item_brand[static_cast<size_t>(p.items[i])];
                        if (br >= 0) {
                            auto g = std::find(seen_br.begin(), seen_br.end(), br);
                            albr[r][ii] = g - seen_br.begin();
                            if (g == seen_br.end())
                                seen_br.push_back(br);
                        }
                    }
                }
                auto lb = h_lb.to(dev);
                auto cnt = torch::zeros({b, P}, dbl.device(dev));
                if (o.method == RerankMethod::calibrated) {
                    auto pc = h_pc.to(dev);
                    auto has_p = pc > 0;
                    for (int64_t s = 0; s < k; ++s) {
                        const double m = static_cast<double>(s + 1);
                        auto n = cnt.gather(1, lb);
                        auto before = pc * torch::log2(pc / ((n / m) * 0.99 + pc * 0.01));
                        auto after = pc * torch::log2(pc / (((n + 1.0) / m) * 0.99 + pc * 0.01));
                        auto step = torch::where(has_p, after - before, torch::zeros_like(pc));
                        auto gain = (rhat * (1.0 - delta) - step * delta).to(torch::kFloat).to(torch::kDouble);
                        gain = gain.masked_fill(taken, neg_inf);
                        auto ok = taken.logical_not().any(1);
                        auto j = first_argmax(gain);
                        sel.select(1, s).copy_(torch::where(ok, j, torch::full_like(j, -1)));
                        take(j, ok);
                        auto jb = lb.index({rows, j});
                        cnt.index_put_({rows, jb}, cnt.index({rows, jb}) + ok.to(torch::kDouble));
                    }
                } else {
                    auto lbr = h_lbr.to(dev);
                    auto capc = h_capc.to(dev);
                    auto bcnt = torch::zeros({b, P}, dbl.device(dev));
                    auto nsel = torch::zeros({b}, lng.device(dev));
                    auto chosen = torch::zeros({b, P}, torch::TensorOptions().dtype(torch::kBool).device(dev));
                    for (int64_t i = 0; i < P; ++i) {
                        auto c_i = lb.select(1, i);
                        auto br_i = lbr.select(1, i);
                        auto br_safe = br_i.clamp_min(0);
                        auto cat_full = capc.select(1, i).logical_and(
                            cnt.index({rows, c_i}) >= static_cast<double>(std::max(o.max_per_category, 1)));
                        if (o.max_per_category <= 0)
                            cat_full = torch::zeros_like(cat_full);
                        auto brand_full = (br_i >= 0).logical_and(bcnt.index({rows, br_safe}) >=
                                                                  static_cast<double>(std::max(o.max_per_brand, 1)));
                        if (o.max_per_brand <= 0)
                            brand_full = torch::zeros_like(brand_full);
                        auto pick = valid.select(1, i)
                                        .logical_and(cat_full.logical_not())
                                        .logical_and(brand_full.logical_not())
                                        .logical_and(nsel < k);
                        chosen.select(1, i).copy_(pick);
                        const auto inc = pick.to(torch::kDouble);
                        cnt.index_put_({rows, c_i}, cnt.index({rows, c_i}) + inc);
                        bcnt.index_put_({rows, br_safe}, bcnt.index({rows, br_safe}) + inc * (br_i >= 0).to(torch::kDouble));
                        nsel = nsel + pick.to(torch::kLong);
                    }
                    // Chosen positions in model order, first k: rank chosen positions by index.
                    auto pos = torch::arange(P, lng.device(dev)).unsqueeze(0).expand({b, P});
                    auto key = torch::where(chosen, pos, torch::full_like(pos, P));
                    auto sorted = std::get<0>(key.sort(1));
                    auto firstk = sorted.narrow(1, 0, std::min<int64_t>(k, P));
                    firstk = torch::where(firstk >= P, torch::full_like(firstk, -1), firstk);
                    sel.narrow(1, 0, firstk.size(1)).copy_(firstk);
                }
            }
            auto hsel = sel.to(torch::kCPU).contiguous();
            auto as = hsel.accessor<int64_t, 2>();
            for (int64_t r = 0; r < b; ++r) {
                auto &dst = selected[r0 + static_cast<size_t>(r)];
                for (int64_t s = 0; s < k; ++s) {
                    if (as[r][s] < 0)
                        break;
                    dst.push_back(static_cast<int>(as[r][s]));
                }
            }
        }
    }
    std::vector<RerankedList> out(n_rows);
    for (size_t r = 0; r < n_rows; ++r) {
        const auto off = r * static_cast<size_t>(pool);
        out[r] = finish(ds, o, prep[r], std::move(selected[r]), items.subspan(off, static_cast<size_t>(count[r])),
                        scores.subspan(off, static_cast<size_t>(count[r])));
    }
    reporter.force(1.0, "re-ranking");
    return out;
}

} // namespace reclens

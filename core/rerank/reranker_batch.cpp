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

// One chunk of rows on the device: padded candidate indices, r̂ and masks, plus the similarity
// inputs the greedy methods need. Each select_* below runs one method on it and fills `sel`
// (positions into each row's Prepared, -1 after the last pick).
struct Chunk {
    const Dataset *ds = nullptr;
    const RerankOptions *o = nullptr;
    std::span<const Prepared> prep; // rows of this chunk
    std::span<const int32_t> users;
    torch::Device dev{torch::kCPU};
    int64_t b = 0, P = 1, k = 1;
    torch::Tensor idx, rhat, valid, taken, sel, rows;
    torch::Tensor emb;          // [b, P, d] double unit embeddings (embedding similarity)
    torch::Tensor path, known;  // [b, P, h] category paths and "has a category" (category similarity)

    torch::TensorOptions dbl() const { return torch::TensorOptions().dtype(torch::kDouble).device(dev); }
    torch::TensorOptions lng() const { return torch::TensorOptions().dtype(torch::kLong).device(dev); }

    // Host-side per-row values (double) padded to [b, P], moved to the device.
    template<typename Fn>
    torch::Tensor per_candidate(Fn &&value) const
    {
        auto h = torch::zeros({b, P}, torch::kDouble);
        auto a = h.accessor<double, 2>();
        for (int64_t r = 0; r < b; ++r) {
            const auto &p = prep[static_cast<size_t>(r)];
            for (size_t i = 0; i < p.items.size(); ++i)
                a[r][static_cast<int64_t>(i)] = value(r, i);
        }
        return h.to(dev);
    }

    // Similarity of each row's candidate j[r] to all of that row's candidates, [b, P]. Dot products
    // run term by term over the dimensions in the scalar loop's order, so the doubles are bitwise
    // the same; the category distance follows DESIGN §5 (unknown at distance 1, d(i,i) = 0).
    torch::Tensor sim_row(const torch::Tensor &j) const
    {
        if (emb.defined()) {
            auto uj = emb.index({rows, j}); // [b, d]
            auto acc = torch::zeros({b, P}, dbl());
            for (int64_t d = 0; d < emb.size(2); ++d)
                acc = acc + uj.select(1, d).unsqueeze(1) * emb.select(2, d);
            return acc;
        }
        const int h = ds->category_levels;
        auto pj = path.index({rows, j}).unsqueeze(1);                       // [b, 1, h]
        auto shared = (path == pj).to(torch::kLong).cumprod(2).sum(2);      // leading equal levels
        auto d = (static_cast<double>(h) - shared.to(torch::kDouble)) / static_cast<double>(h);
        auto both = known.logical_and(known.index({rows, j}).unsqueeze(1));
        d = torch::where(both, d, torch::ones_like(d));
        auto same = torch::arange(P, lng()).unsqueeze(0) == j.unsqueeze(1);
        d = torch::where(same, torch::zeros_like(d), d);
        return 1.0 - d;
    }

    torch::Tensor sim_diag() const
    {
        if (!emb.defined())
            return torch::ones({b, P}, dbl());
        auto acc = torch::zeros({b, P}, dbl());
        for (int64_t d = 0; d < emb.size(2); ++d)
            acc = acc + emb.select(2, d) * emb.select(2, d);
        return acc;
    }

    // Marks j[r] taken where ok[r].
    void take(const torch::Tensor &j, const torch::Tensor &ok)
    {
        auto hot = torch::zeros_like(taken).scatter_(1, j.clamp_min(0).unsqueeze(1), true);
        taken = taken.logical_or(hot.logical_and(ok.unsqueeze(1)));
    }

    // Records pick s: j where ok, -1 elsewhere, and marks it taken.
    void pick(int64_t s, const torch::Tensor &j, const torch::Tensor &ok)
    {
        sel.select(1, s).copy_(torch::where(ok, j, torch::full_like(j, -1)));
        take(j, ok);
    }
};

Chunk make_chunk(const Dataset &ds, const RerankOptions &o, std::span<const Prepared> prep,
                 std::span<const int32_t> users, const torch::Device &dev, const SimilarityProvider *similarity,
                 const torch::Tensor &unit)
{
    Chunk c;
    c.ds = &ds;
    c.o = &o;
    c.prep = prep;
    c.users = users;
    c.dev = dev;
    c.b = static_cast<int64_t>(prep.size());
    c.k = o.k;
    size_t pm = 1;
    for (const auto &p : prep)
        pm = std::max(pm, p.items.size());
    c.P = static_cast<int64_t>(pm);
    auto h_idx = torch::zeros({c.b, c.P}, torch::kLong);
    auto h_valid = torch::zeros({c.b, c.P}, torch::kBool);
    auto a_idx = h_idx.accessor<int64_t, 2>();
    auto a_valid = h_valid.accessor<bool, 2>();
    for (int64_t r = 0; r < c.b; ++r) {
        const auto &p = prep[static_cast<size_t>(r)];
        for (size_t i = 0; i < p.items.size(); ++i) {
            a_idx[r][static_cast<int64_t>(i)] = p.items[i];
            a_valid[r][static_cast<int64_t>(i)] = true;
        }
    }
    c.idx = h_idx.to(dev);
    c.valid = h_valid.to(dev);
    c.rhat = c.per_candidate([&](int64_t r, size_t i) { return prep[static_cast<size_t>(r)].rhat[i]; });
    c.taken = c.valid.logical_not();
    c.sel = torch::full({c.b, c.k}, -1, c.lng());
    c.rows = torch::arange(c.b, c.lng());
    if (unit.defined()) {
        c.emb = unit.index_select(0, c.idx.flatten()).view({c.b, c.P, -1}).to(torch::kDouble);
    } else if (similarity) {
        // Paths padded with their deepest category (the category_at_level rule).
        const int h = std::max(1, ds.category_levels);
        auto hp = torch::full({c.b, c.P, h}, -1, torch::kLong);
        auto hk = torch::zeros({c.b, c.P}, torch::kBool);
        auto ap = hp.accessor<int64_t, 3>();
        auto ak = hk.accessor<bool, 2>();
        for (int64_t r = 0; r < c.b; ++r) {
            const auto &p = prep[static_cast<size_t>(r)];
            for (size_t i = 0; i < p.items.size(); ++i) {
                const auto ii = static_cast<int64_t>(i);
                ak[r][ii] = ds.category_levels > 0 && !ds.item_path(p.items[i]).empty();
                for (int l = 1; l <= h; ++l)
                    ap[r][ii][l - 1] = ds.category_at_level(p.items[i], l);
            }
        }
        c.path = hp.to(dev);
        c.known = hk.to(dev);
    }
    return c;
}

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// MMR: maxsim is the true maximum over the selected items (it starts at -inf and may stay
// negative); the first pick, with S empty, uses 0 (DESIGN §6).
void select_mmr(Chunk &c, double delta)
{
    auto maxsim = torch::full({c.b, c.P}, kNegInf, c.dbl());
    for (int64_t s = 0; s < c.k; ++s) {
        auto penalty = s == 0 ? torch::zeros_like(maxsim) : maxsim * delta;
        auto val = (c.rhat * (1.0 - delta) - penalty).masked_fill(c.taken, kNegInf);
        auto ok = c.taken.logical_not().any(1);
        auto j = first_argmax(val);
        c.pick(s, j, ok);
        maxsim = torch::where(c.taken, maxsim, torch::maximum(maxsim, c.sim_row(j)));
    }
}

// DPP fast greedy MAP with incremental Cholesky rows c_i (Chen, Zhang & Zhou 2018).
void select_dpp(Chunk &c, double delta)
{
    const double alpha = dpp_alpha(delta);
    auto q = c.per_candidate(
        [&](int64_t r, size_t i) { return dpp_quality(alpha, c.prep[static_cast<size_t>(r)].rhat[i]); });
    auto d2 = (q * c.sim_diag()) * q;
    auto chol = torch::zeros({c.b, c.P, c.k}, c.dbl());
    auto live = torch::ones({c.b}, torch::TensorOptions().dtype(torch::kBool).device(c.dev));
    for (int64_t s = 0; s < c.k; ++s) {
        auto d2m = d2.masked_fill(c.taken, kNegInf);
        auto j = first_argmax(d2m);
        auto best = d2m.index({c.rows, j});
        live = live.logical_and(best >= kDppStop);
        c.pick(s, j, live);
        if (s + 1 == c.k || !live.any().item<bool>())
            break;
        auto dj = torch::sqrt(best).unsqueeze(1);
        auto qj = q.index({c.rows, j}).unsqueeze(1);
        auto lrow = (qj * c.sim_row(j)) * q;
        auto cj = chol.index({c.rows, j}); // [b, k]
        auto acc = torch::zeros({c.b, c.P}, c.dbl());
        for (int64_t t = 0; t < s; ++t)
            acc = acc + cj.select(1, t).unsqueeze(1) * chol.select(2, t);
        auto e = (lrow - acc) / dj;
        auto upd = c.taken.logical_not().logical_and(live.unsqueeze(1));
        chol.select(2, s).copy_(torch::where(upd, e, chol.select(2, s)));
        d2 = torch::where(upd, d2 - e * e, d2);
    }
}

// Local bucket and brand ids per row (0..P-1), so count tables stay b x P, and whether the bucket
// is a real category (caps never cap the unknown bucket).
struct LocalBuckets {
    torch::Tensor bucket, brand, capped;
};

LocalBuckets local_buckets(const Chunk &c, const std::vector<int32_t> &item_bucket)
{
    auto h_lb = torch::zeros({c.b, c.P}, torch::kLong);
    auto h_lbr = torch::full({c.b, c.P}, -1, torch::kLong);
    auto h_cap = torch::zeros({c.b, c.P}, torch::kBool);
    auto alb = h_lb.accessor<int64_t, 2>();
    auto albr = h_lbr.accessor<int64_t, 2>();
    auto acap = h_cap.accessor<bool, 2>();
    const auto unknown = static_cast<int32_t>(c.ds->categories.size());
    for (int64_t r = 0; r < c.b; ++r) {
        const auto &p = c.prep[static_cast<size_t>(r)];
        std::vector<int32_t> seen_b, seen_br;
        for (size_t i = 0; i < p.items.size(); ++i) {
            const auto ii = static_cast<int64_t>(i);
            const int32_t bk = item_bucket[static_cast<size_t>(p.items[i])];
            auto f = std::find(seen_b.begin(), seen_b.end(), bk);
            alb[r][ii] = f - seen_b.begin();
            if (f == seen_b.end())
                seen_b.push_back(bk);
            acap[r][ii] = bk != unknown;
            const int32_t br = c.ds->item_brand[static_cast<size_t>(p.items[i])];
            if (br >= 0) {
                auto g = std::find(seen_br.begin(), seen_br.end(), br);
                albr[r][ii] = g - seen_br.begin();
                if (g == seen_br.end())
                    seen_br.push_back(br);
            }
        }
    }
    return {h_lb.to(c.dev), h_lbr.to(c.dev), h_cap.to(c.dev)};
}

// Steck's calibrated greedy; the gain is rounded through float as in the scalar version.
void select_calibrated(Chunk &c, const std::vector<int32_t> &item_bucket, double delta)
{
    const LocalBuckets lb = local_buckets(c, item_bucket);
    const auto unknown = static_cast<int32_t>(c.ds->categories.size());
    std::vector<double> hist(static_cast<size_t>(unknown) + 1);
    auto h_pc = torch::zeros({c.b, c.P}, torch::kDouble);
    auto apc = h_pc.accessor<double, 2>();
    for (int64_t r = 0; r < c.b; ++r) {
        std::fill(hist.begin(), hist.end(), 0.0);
        auto train = c.ds->train.row(c.users[static_cast<size_t>(r)]);
        for (int32_t it : train)
            hist[static_cast<size_t>(item_bucket[static_cast<size_t>(it)])] += 1.0;
        for (double &h : hist)
            h = train.empty() ? 0.0 : h / static_cast<double>(train.size());
        const auto &p = c.prep[static_cast<size_t>(r)];
        for (size_t i = 0; i < p.items.size(); ++i)
            apc[r][static_cast<int64_t>(i)] = hist[static_cast<size_t>(item_bucket[static_cast<size_t>(p.items[i])])];
    }
    auto pc = h_pc.to(c.dev);
    auto has_p = pc > 0;
    auto cnt = torch::zeros({c.b, c.P}, c.dbl());
    for (int64_t s = 0; s < c.k; ++s) {
        const double m = static_cast<double>(s + 1);
        auto n = cnt.gather(1, lb.bucket);
        auto before = pc * torch::log2(pc / ((n / m) * 0.99 + pc * 0.01));
        auto after = pc * torch::log2(pc / (((n + 1.0) / m) * 0.99 + pc * 0.01));
        auto step = torch::where(has_p, after - before, torch::zeros_like(pc));
        auto gain = (c.rhat * (1.0 - delta) - step * delta).to(torch::kFloat).to(torch::kDouble);
        gain = gain.masked_fill(c.taken, kNegInf);
        auto ok = c.taken.logical_not().any(1);
        auto j = first_argmax(gain);
        c.pick(s, j, ok);
        auto jb = lb.bucket.index({c.rows, j});
        cnt.index_put_({c.rows, jb}, cnt.index({c.rows, jb}) + ok.to(torch::kDouble));
    }
}

// Caps: model order, skipping candidates whose category or brand is full; finish() fills the rest.
void select_caps(Chunk &c, const std::vector<int32_t> &item_bucket)
{
    const LocalBuckets lb = local_buckets(c, item_bucket);
    const RerankOptions &o = *c.o;
    auto cnt = torch::zeros({c.b, c.P}, c.dbl());
    auto bcnt = torch::zeros({c.b, c.P}, c.dbl());
    auto nsel = torch::zeros({c.b}, c.lng());
    auto chosen = torch::zeros({c.b, c.P}, torch::TensorOptions().dtype(torch::kBool).device(c.dev));
    for (int64_t i = 0; i < c.P; ++i) {
        auto c_i = lb.bucket.select(1, i);
        auto br_i = lb.brand.select(1, i);
        auto br_safe = br_i.clamp_min(0);
        auto cat_full = lb.capped.select(1, i).logical_and(cnt.index({c.rows, c_i})
                                                           >= static_cast<double>(std::max(o.max_per_category, 1)));
        if (o.max_per_category <= 0)
            cat_full = torch::zeros_like(cat_full);
        auto brand_full
            = (br_i >= 0).logical_and(bcnt.index({c.rows, br_safe}) >= static_cast<double>(std::max(o.max_per_brand, 1)));
        if (o.max_per_brand <= 0)
            brand_full = torch::zeros_like(brand_full);
        auto pick = c.valid.select(1, i)
                        .logical_and(cat_full.logical_not())
                        .logical_and(brand_full.logical_not())
                        .logical_and(nsel < c.k);
        chosen.select(1, i).copy_(pick);
        const auto inc = pick.to(torch::kDouble);
        cnt.index_put_({c.rows, c_i}, cnt.index({c.rows, c_i}) + inc);
        bcnt.index_put_({c.rows, br_safe}, bcnt.index({c.rows, br_safe}) + inc * (br_i >= 0).to(torch::kDouble));
        nsel = nsel + pick.to(torch::kLong);
    }
    // The first k chosen positions in model order.
    auto pos = torch::arange(c.P, c.lng()).unsqueeze(0).expand({c.b, c.P});
    auto key = torch::where(chosen, pos, torch::full_like(pos, c.P));
    auto sorted = std::get<0>(key.sort(1));
    auto firstk = sorted.narrow(1, 0, std::min<int64_t>(c.k, c.P));
    firstk = torch::where(firstk >= c.P, torch::full_like(firstk, -1), firstk);
    c.sel.narrow(1, 0, firstk.size(1)).copy_(firstk);
}

// Copies the chunk's picks back to the host, each row up to its first -1.
void collect(const Chunk &c, std::span<std::vector<int>> selected)
{
    auto hsel = c.sel.to(torch::kCPU).contiguous();
    auto as = hsel.accessor<int64_t, 2>();
    for (int64_t r = 0; r < c.b; ++r) {
        auto &dst = selected[static_cast<size_t>(r)];
        for (int64_t s = 0; s < c.k && as[r][s] >= 0; ++s)
            dst.push_back(static_cast<int>(as[r][s]));
    }
}

// Rows per chunk: the per-chunk tensors (P x d embeddings, P x K DPP factors) stay near 256 MiB.
size_t rows_per_chunk(std::span<const Prepared> prep, int dim, int k)
{
    size_t max_p = 1;
    for (const auto &p : prep)
        max_p = std::max(max_p, p.items.size());
    const size_t per_row = max_p * static_cast<size_t>(std::max(64, dim) + 2 * k) * sizeof(double) * 4 + 1;
    return std::max<size_t>(1, (size_t{256} << 20) / per_row);
}

} // namespace

bool cuda_available()
{
    return torch::cuda::is_available();
}

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
    const double delta = o.diversity;
    ProgressReporter reporter(progress);
    auto row_items = [&](size_t r) { return items.subspan(r * static_cast<size_t>(pool), static_cast<size_t>(count[r])); };
    auto row_scores = [&](size_t r) { return scores.subspan(r * static_cast<size_t>(pool), static_cast<size_t>(count[r])); };

    std::vector<Prepared> prep(n_rows);
    for (size_t r = 0; r < n_rows; ++r)
        prep[r] = prepare(ds, o, row_items(r), row_scores(r));
    std::vector<std::vector<int>> selected(n_rows);

    if (delta > 0.0 && o.method != RerankMethod::none) {
        torch::InferenceMode guard;
        const torch::Device dev = pick_device(device);
        torch::Tensor unit;
        if (m_similarity && m_similarity->kind() == SimilarityKind::embedding)
            unit = torch::from_blob(const_cast<float *>(m_similarity->unit_embeddings().data()),
                                    {ds.n_items(), m_similarity->dim()}, torch::kFloat)
                       .to(dev);
        const size_t chunk = rows_per_chunk(prep, m_similarity ? m_similarity->dim() : 0, o.k);
        for (size_t r0 = 0; r0 < n_rows; r0 += chunk) {
            reporter.report(static_cast<double>(r0) / static_cast<double>(n_rows), "re-ranking");
            const size_t r1 = std::min(n_rows, r0 + chunk);
            Chunk c = make_chunk(ds, o, std::span<const Prepared>(prep).subspan(r0, r1 - r0), users.subspan(r0, r1 - r0),
                                 dev, m_similarity.get(), unit);
            switch (o.method) {
            case RerankMethod::none: break;
            case RerankMethod::mmr: select_mmr(c, delta); break;
            case RerankMethod::dpp: select_dpp(c, delta); break;
            case RerankMethod::calibrated: select_calibrated(c, m_bucket, delta); break;
            case RerankMethod::caps: select_caps(c, m_bucket); break;
            }
            collect(c, std::span<std::vector<int>>(selected).subspan(r0, r1 - r0));
        }
    }
    std::vector<RerankedList> out(n_rows);
    for (size_t r = 0; r < n_rows; ++r)
        out[r] = finish(ds, o, prep[r], std::move(selected[r]), row_items(r), row_scores(r));
    reporter.force(1.0, "re-ranking");
    return out;
}

} // namespace reclens

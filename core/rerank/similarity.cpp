// Item similarity for re-ranking (DESIGN §6) and option parsing/validation.
#include "core/common/error.h"
#include "core/common/vectors.h"
#include "core/rerank/rerank_internal.h"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace reclens {

RerankMethod parse_rerank_method(std::string_view name)
{
    if (name == "none")
        return RerankMethod::none;
    if (name == "mmr")
        return RerankMethod::mmr;
    if (name == "dpp")
        return RerankMethod::dpp;
    if (name == "calibrated")
        return RerankMethod::calibrated;
    if (name == "caps")
        return RerankMethod::caps;
    throw Error("unknown re-ranker '" + std::string(name) + "' (--rerank): use none, mmr, dpp, calibrated or caps");
}

std::string_view rerank_method_name(RerankMethod method)
{
    switch (method) {
    case RerankMethod::none: return "none";
    case RerankMethod::mmr: return "mmr";
    case RerankMethod::dpp: return "dpp";
    case RerankMethod::calibrated: return "calibrated";
    case RerankMethod::caps: return "caps";
    }
    return "none";
}

SimilarityKind parse_similarity(std::string_view name)
{
    if (name == "embedding")
        return SimilarityKind::embedding;
    if (name == "category")
        return SimilarityKind::category;
    throw Error("unknown similarity '" + std::string(name) + "' (--similarity): use embedding or category");
}

std::string_view similarity_name(SimilarityKind kind)
{
    return kind == SimilarityKind::embedding ? "embedding" : "category";
}

void rerank_detail::check_diversity(double delta)
{
    if (!(delta >= 0.0 && delta <= 1.0))
        throw Error("diversity " + std::to_string(delta) +
                    " is outside [0,1] (--diversity): use 0 for the model's order up to 1 for the most diverse");
}

void validate(const RerankOptions &o, const Dataset &ds, bool have_embeddings)
{
    rerank_detail::check_diversity(o.diversity);
    if (o.k < 1)
        throw Error("list length k=" + std::to_string(o.k) + " must be at least 1 (--k)");
    if (o.max_per_category < 0 || o.max_per_brand < 0)
        throw Error("caps must be >= 0 (--max-per-category/--max-per-brand; 0 = no cap)");
    if (o.category_level < 0)
        throw Error("category level must be >= 0 (--category-level; 0 = deepest)");
    const bool needs_sim = o.method == RerankMethod::mmr || o.method == RerankMethod::dpp;
    if (needs_sim && o.similarity == SimilarityKind::embedding && !have_embeddings)
        throw Error("re-ranker '" + std::string(rerank_method_name(o.method)) +
                    "' with embedding similarity needs a model with item_embeddings(): use --similarity category");
    for (const auto &r : o.rules) {
        using Kd = MerchRule::Kind;
        int32_t limit = 0;
        switch (r.kind) {
        case Kd::exclude_item:
        case Kd::pin_item: limit = ds.n_items(); break;
        case Kd::exclude_category:
        case Kd::boost_category:
        case Kd::bury_category: limit = static_cast<int32_t>(ds.categories.size()); break;
        case Kd::exclude_brand:
        case Kd::boost_brand:
        case Kd::bury_brand: limit = static_cast<int32_t>(ds.brands.size()); break;
        }
        if (r.target < 0 || r.target >= limit)
            throw Error("merchandising rule target " + std::to_string(r.target) + " is out of range [0," +
                        std::to_string(limit) + "): pick an existing item, category or brand");
        if (r.kind == Kd::pin_item && r.rank < 1)
            throw Error("pin rule rank " + std::to_string(r.rank) + " must be >= 1");
        if ((r.kind == Kd::bury_category || r.kind == Kd::bury_brand) && !(r.factor > 0))
            throw Error("bury rule factor must be > 0");
    }
}

SimilarityProvider::SimilarityProvider(const Dataset &dataset, SimilarityKind kind,
                                       std::span<const float> item_embeddings, int dim)
    : m_dataset(&dataset)
    , m_kind(kind)
{
    const auto n = static_cast<size_t>(dataset.n_items());
    if (dim > 0 && item_embeddings.size() == n * static_cast<size_t>(dim)) {
        m_dim = dim;
        m_unit = unit_rows(item_embeddings, n, dim);
    } else if (kind == SimilarityKind::embedding) {
        throw Error("embedding similarity needs item embeddings (a model with item_embeddings()): use category");
    }
}

double SimilarityProvider::similarity(int32_t a, int32_t b) const
{
    if (m_kind == SimilarityKind::category)
        return 1.0 - m_dataset->category_distance(a, b);
    // Cosine accumulated in double term by term; the batched version sums in the same order.
    const float *ea = m_unit.data() + static_cast<size_t>(a) * static_cast<size_t>(m_dim);
    const float *eb = m_unit.data() + static_cast<size_t>(b) * static_cast<size_t>(m_dim);
    double dot = 0;
    for (int d = 0; d < m_dim; ++d)
        dot += static_cast<double>(ea[d]) * static_cast<double>(eb[d]);
    return dot;
}

namespace {

constexpr size_t kLanes = 4; // candidates per panel

// out[i] = Σ_d x[d] · panel(i)[d] for the candidates of `panels` panels, d in order: the portable
// loop and the AVX2 one add the same products in the same order per candidate.
void panel_dots(const double *panels, size_t count, size_t dims, const double *x, double *out)
{
    for (size_t p = 0; p < count; ++p)
        for (size_t c = 0; c < kLanes; ++c) {
            double s = 0.0;
            for (size_t d = 0; d < dims; ++d)
                s += x[d] * panels[(p * dims + d) * kLanes + c];
            out[p * kLanes + c] = s;
        }
}

#if defined(__x86_64__)
// V panels side by side: V independent vector sums in registers over every d. A fused multiply-add
// gives the same double as a multiply then an add here: the product of two floats is exact.
template <size_t V>
__attribute__((target("avx2,fma"))) inline void panel_dots_avx2(const double *panels, size_t dims, const double *x,
                                                            double *out)
{
    __m256d s[V];
    for (auto &v : s)
        v = _mm256_setzero_pd();
    for (size_t d = 0; d < dims; ++d) {
        const __m256d xd = _mm256_set1_pd(x[d]);
        for (size_t v = 0; v < V; ++v)
            s[v] = _mm256_fmadd_pd(xd, _mm256_loadu_pd(panels + (v * dims + d) * kLanes), s[v]);
    }
    for (size_t v = 0; v < V; ++v)
        _mm256_storeu_pd(out + v * kLanes, s[v]);
}

__attribute__((target("avx2,fma"))) void panel_dots_avx2(const double *panels, size_t count, size_t dims, const double *x,
                                                    double *out)
{
    size_t p = 0;
    for (; p + 8 <= count; p += 8)
        panel_dots_avx2<8>(panels + p * dims * kLanes, dims, x, out + p * kLanes);
    if (p + 4 <= count) {
        panel_dots_avx2<4>(panels + p * dims * kLanes, dims, x, out + p * kLanes);
        p += 4;
    }
    if (p + 2 <= count) {
        panel_dots_avx2<2>(panels + p * dims * kLanes, dims, x, out + p * kLanes);
        p += 2;
    }
    if (p < count)
        panel_dots_avx2<1>(panels + p * dims * kLanes, dims, x, out + p * kLanes);
}
#endif

} // namespace

CandidateSimilarities::CandidateSimilarities(const SimilarityProvider &sim, std::span<const int32_t> items)
    : m_sim(&sim)
    , m_items(items)
    , m_stride((items.size() + kLanes - 1) / kLanes * kLanes)
{
    if (sim.kind() != SimilarityKind::embedding)
        return;
    const auto dims = static_cast<size_t>(sim.dim());
    const float *unit = sim.unit_embeddings().data();
    const size_t count = (items.size() + kLanes - 1) / kLanes;
    m_panels.resize(count * dims * kLanes);
    for (size_t p = 0; p < count; ++p) {
        const float *e[kLanes];
        for (size_t c = 0; c < kLanes; ++c) {
            const size_t i = p * kLanes + c;
            e[c] = i < items.size() ? unit + static_cast<size_t>(items[i]) * dims : nullptr;
        }
        double *panel = m_panels.data() + p * dims * kLanes;
        for (size_t d = 0; d < dims; ++d)
            for (size_t c = 0; c < kLanes; ++c)
                panel[d * kLanes + c] = e[c] ? static_cast<double>(e[c][d]) : 0.0;
    }
}

std::span<const double> CandidateSimilarities::row(size_t a) const
{
    const size_t n = m_items.size();
    if (m_ready.empty()) {
        m_ready.assign(n, 0);
        m_rows.reset(new double[n * m_stride]); // each row written whole before it is read
    }
    double *out = m_rows.get() + a * m_stride;
    if (!m_ready[a]) {
        compute(a, out);
        m_ready[a] = 1;
    }
    return { out, n };
}

void CandidateSimilarities::compute(size_t a, double *out) const
{
    const size_t n = m_items.size();
    if (m_panels.empty()) {
        for (size_t i = 0; i < n; ++i)
            out[i] = m_sim->similarity(m_items[a], m_items[i]);
        return;
    }
    const auto dims = static_cast<size_t>(m_sim->dim());
    thread_local std::vector<double> x;
    x.resize(dims);
    const double *pa = m_panels.data() + (a / kLanes) * dims * kLanes + a % kLanes;
    for (size_t d = 0; d < dims; ++d)
        x[d] = pa[d * kLanes];
    const size_t count = m_stride / kLanes; // out has room for the last panel's padding
#if defined(__x86_64__)
    static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (avx2)
        panel_dots_avx2(m_panels.data(), count, dims, x.data(), out);
    else
#endif
        panel_dots(m_panels.data(), count, dims, x.data(), out);
}

void SimilarityProvider::matrix(std::span<const int32_t> items, std::span<double> out) const
{
    const size_t n = items.size();
    for (size_t i = 0; i < n; ++i)
        for (size_t j = i; j < n; ++j)
            out[i * n + j] = out[j * n + i] = similarity(items[i], items[j]);
}

} // namespace reclens

// Built with -ffp-contract=off (core/models/CMakeLists.txt): a fused multiply-add would round once
// where the scalar loop rounds twice, and the clones below must all compute the same floats.
#include "core/models/dotkernel.h"

#include <algorithm>
#include <cstring>

namespace reclens::kernel {

namespace {

using v8 = float __attribute__((vector_size(32)));
static_assert(sizeof(v8) == sizeof(float) * kLanes);

inline __attribute__((always_inline)) v8 load(const float *p)
{
    v8 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

constexpr int kRows = 4;   // users per micro-kernel
constexpr int kGroups = 2; // item groups per micro-kernel (16 items)

// acc[r][g] lane l = Σ_k u_r[k] · item(g, l)[k], in k order; then the offset; then stored.
template<int R, int G>
inline __attribute__((always_inline)) void micro(const float *const *u, const float *panel, int dim, const float *offset,
                                                 int64_t j, int64_t j1, float *out, int64_t ld)
{
    v8 acc[R][G];
    for (int r = 0; r < R; ++r)
        for (int g = 0; g < G; ++g)
            acc[r][g] = v8{};
    const size_t group_stride = static_cast<size_t>(dim) * kLanes;
    for (int k = 0; k < dim; ++k) {
        v8 b[G];
        for (int g = 0; g < G; ++g)
            b[g] = load(panel + static_cast<size_t>(g) * group_stride + static_cast<size_t>(k) * kLanes);
        for (int r = 0; r < R; ++r) {
            const float a = u[r][k]; // vector * scalar: one broadcast
            for (int g = 0; g < G; ++g)
                acc[r][g] = acc[r][g] + b[g] * a;
        }
    }
    const int64_t n = std::min<int64_t>(j1 - j, static_cast<int64_t>(G) * kLanes);
    for (int r = 0; r < R; ++r) {
        float tmp[G * kLanes];
        std::memcpy(tmp, acc[r], sizeof tmp);
        float *dst = out + r * ld;
        for (int64_t c = 0; c < n; ++c)
            dst[c] = offset ? tmp[c] + offset[j + c] : tmp[c];
    }
}

// All users of the call against `G` groups of items starting at j: the groups' panel (G x dim x 8
// floats) stays in L1 while every user passes over it, so a tile's panel is read once per call,
// not once per 4 users.
template<int G>
inline __attribute__((always_inline)) void column_strip(const float *const *users, int n_users, const float *panel,
                                                        int dim, const float *offset, int64_t j, int64_t j1,
                                                        float *out, int64_t ld)
{
    int r = 0;
    for (; r + kRows <= n_users; r += kRows)
        micro<kRows, G>(users + r, panel, dim, offset, j, j1, out + r * ld, ld);
    for (; r < n_users; ++r)
        micro<1, G>(users + r, panel, dim, offset, j, j1, out + r * ld, ld);
}

} // namespace

PackedItems pack_items(std::span<const float> item_emb, int64_t n_items, int dim)
{
    PackedItems p;
    p.dim = dim;
    p.n_items = n_items;
    p.panel.assign(static_cast<size_t>(p.groups()) * static_cast<size_t>(dim) * kLanes, 0.0f);
    for (int64_t i = 0; i < n_items; ++i) {
        const size_t g = static_cast<size_t>(i / kLanes), lane = static_cast<size_t>(i % kLanes);
        for (int k = 0; k < dim; ++k)
            p.panel[(g * static_cast<size_t>(dim) + static_cast<size_t>(k)) * kLanes + lane]
                = item_emb[static_cast<size_t>(i) * static_cast<size_t>(dim) + static_cast<size_t>(k)];
    }
    return p;
}

// One source, compiled for AVX2 and for the baseline; with no contraction both give the same floats
// (the vector width changes how many lanes run at once, not what each lane computes).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void dot_rows(const float *const *users, int n_users, const PackedItems &items, const float *offset, int64_t j0,
              int64_t j1, float *out, int64_t ld)
{
    j1 = std::min(j1, items.n_items);
    if (j0 >= j1)
        return;
    const size_t group_stride = static_cast<size_t>(items.dim) * kLanes;
    int64_t j = j0;
    // Pairs of groups while the padded panel has them (stores stop at j1), then single groups.
    for (; j < j1 && j / kLanes + kGroups <= items.groups(); j += kGroups * kLanes)
        column_strip<kGroups>(users, n_users, items.panel.data() + static_cast<size_t>(j / kLanes) * group_stride,
                              items.dim, offset, j, j1, out + (j - j0), ld);
    for (; j < j1; j += kLanes)
        column_strip<1>(users, n_users, items.panel.data() + static_cast<size_t>(j / kLanes) * group_stride, items.dim,
                        offset, j, j1, out + (j - j0), ld);
}

float dot_one(const float *user, const PackedItems &items, const float *offset, int64_t j)
{
    const float *panel = items.panel.data() + static_cast<size_t>(j / kLanes) * static_cast<size_t>(items.dim) * kLanes
                         + static_cast<size_t>(j % kLanes);
    float acc = 0.0f; // as the kernel's lanes: start at zero, add each product in k order
    for (int k = 0; k < items.dim; ++k)
        acc = acc + panel[static_cast<size_t>(k) * kLanes] * user[k];
    return offset ? acc + offset[j] : acc;
}

} // namespace reclens::kernel

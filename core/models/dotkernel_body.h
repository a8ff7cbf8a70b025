#pragma once
// Internal to core/models: the kernel's one body (core/models/dotkernel.h), included by one
// translation unit per instruction set (dotkernel.cpp: portable; dotkernel_avx2.cpp;
// dotkernel_avx512.cpp), each with its own Isa in an anonymous namespace so that no instantiation
// compiled for one set is ever linked into another's caller. Plain pointers only cross the units
// (no std:: inline functions are shared, for the same reason).
//
// An Isa gives:
//   V            a float vector of W lanes (kLanes a multiple of W);
//   fmadd(c,b,a) c + b·a per lane, rounded once (a fused multiply-add);
//   kRows        users per register block;
//   kGroups      panel groups (kLanes items each) per register block.
// Every lane's score is therefore the same sequence acc = fma(i[k], u[k], acc), k = 0..d−1, then
// acc + offset, whatever W, kRows or kGroups: the same float on every path.
#include "core/models/dotkernel.h"

#include <cstring>

namespace reclens::kernel::detail {

// The packed items as plain values (the caller's PackedItems stays in its own unit).
struct Panel {
    const float *data;
    int dim;
    int64_t n_items;
    int64_t groups() const { return (n_items + kLanes - 1) / kLanes; }
};

// A path's two entry points: Kernel<Isa>::rows and Kernel<Isa>::one of its unit.
struct PathFns {
    void (*rows)(const float *const *users, int n_users, Panel items, const float *offset, int64_t j0, int64_t j1,
                 float *out, int64_t ld);
    float (*one)(const float *user, Panel items, const float *offset, int64_t j);
};

// Defined by each path's unit (the AVX ones on x86-64 only).
extern const PathFns portable_path;
extern const PathFns avx2_path;
extern const PathFns avx512_path;

template<class Isa>
struct Kernel {
    using V = typename Isa::V;
    static constexpr int W = static_cast<int>(sizeof(V) / sizeof(float));
    static constexpr int P = kLanes / W; // vectors per group
    static_assert(P * W == kLanes);

    static inline __attribute__((always_inline)) V load(const float *p)
    {
        V v;
        std::memcpy(&v, p, sizeof v);
        return v;
    }

    // Users u[0..R) against G groups from `panel` (item j onwards): acc[r][q] lane l =
    // Σ_k fma in k order; then the offset; then stored, never past j1.
    template<int R, int G>
    static inline __attribute__((always_inline)) void micro(const float *const *u, const float *panel, int dim,
                                                           const float *offset, int64_t j, int64_t j1, float *out,
                                                           int64_t ld)
    {
        constexpr int Q = G * P;
        // Every loop over r, q, g, p is unrolled so that acc and b live in registers (left as
        // loops, GCC keeps acc on the stack and every multiply-add waits on a store).
        V acc[R][Q];
#pragma GCC unroll 32
        for (int r = 0; r < R; ++r)
#pragma GCC unroll 32
            for (int q = 0; q < Q; ++q)
                acc[r][q] = V{};
        const size_t group_stride = static_cast<size_t>(dim) * kLanes;
        for (int k = 0; k < dim; ++k) {
            V b[Q];
#pragma GCC unroll 32
            for (int g = 0; g < G; ++g)
#pragma GCC unroll 32
                for (int p = 0; p < P; ++p)
                    b[g * P + p] = load(panel + static_cast<size_t>(g) * group_stride + static_cast<size_t>(k) * kLanes
                                        + static_cast<size_t>(p * W));
#pragma GCC unroll 32
            for (int r = 0; r < R; ++r) {
                const float a = u[r][k];
#pragma GCC unroll 32
                for (int q = 0; q < Q; ++q)
                    acc[r][q] = Isa::fmadd(acc[r][q], b[q], a);
            }
        }
        const int64_t room = j1 - j;
        for (int r = 0; r < R; ++r) {
            float *dst = out + r * ld;
            if (room >= G * kLanes) {
                for (int q = 0; q < Q; ++q) {
                    V s = acc[r][q];
                    if (offset)
                        s = s + load(offset + j + q * W);
                    std::memcpy(dst + q * W, &s, sizeof s);
                }
            } else {
                float tmp[G * kLanes];
                std::memcpy(tmp, acc[r], sizeof tmp);
                for (int64_t c = 0; c < room; ++c)
                    dst[c] = offset ? tmp[c] + offset[j + c] : tmp[c];
            }
        }
    }

    // Every user of the call against G groups from item j: the groups' panel stays in L1 while
    // every user passes over it.
    template<int G>
    static inline __attribute__((always_inline)) void column_strip(const float *const *users, int n_users,
                                                                  const float *panel, int dim, const float *offset,
                                                                  int64_t j, int64_t j1, float *out, int64_t ld)
    {
        constexpr int R = Isa::kRows;
        int r = 0;
        for (; r + R <= n_users; r += R)
            micro<R, G>(users + r, panel, dim, offset, j, j1, out + r * ld, ld);
        if constexpr (R > 4)
            for (; r + 4 <= n_users; r += 4)
                micro<4, G>(users + r, panel, dim, offset, j, j1, out + r * ld, ld);
        for (; r < n_users; ++r)
            micro<1, G>(users + r, panel, dim, offset, j, j1, out + r * ld, ld);
    }

    static void rows(const float *const *users, int n_users, Panel items, const float *offset, int64_t j0,
                     int64_t j1, float *out, int64_t ld)
    {
        if (j1 > items.n_items)
            j1 = items.n_items;
        if (j0 >= j1)
            return;
        constexpr int G = Isa::kGroups;
        const size_t group_stride = static_cast<size_t>(items.dim) * kLanes;
        int64_t j = j0;
        // Blocks of G groups while the padded panel has them (stores stop at j1), then single groups.
        for (; j < j1 && j / kLanes + G <= items.groups(); j += G * kLanes)
            column_strip<G>(users, n_users, items.data + static_cast<size_t>(j / kLanes) * group_stride, items.dim,
                            offset, j, j1, out + (j - j0), ld);
        for (; j < j1; j += kLanes)
            column_strip<1>(users, n_users, items.data + static_cast<size_t>(j / kLanes) * group_stride, items.dim,
                            offset, j, j1, out + (j - j0), ld);
    }

    static float one(const float *user, Panel items, const float *offset, int64_t j)
    {
        const float *panel = items.data + static_cast<size_t>(j / kLanes) * static_cast<size_t>(items.dim) * kLanes
                             + static_cast<size_t>(j % kLanes);
        float acc = 0.0f; // as a lane: start at zero, one fused multiply-add per dimension in k order
        for (int k = 0; k < items.dim; ++k)
            acc = __builtin_fmaf(panel[static_cast<size_t>(k) * kLanes], user[k], acc);
        return offset ? acc + offset[j] : acc;
    }
};

} // namespace reclens::kernel::detail

// The kernel's dispatch, its packing and its portable path (core/models/dotkernel.h). Built with
// -ffp-contract=off like the other paths' units: the only fused operations are the explicit ones.
#include "core/models/dotkernel.h"
#include "core/models/dotkernel_body.h"

#include "core/common/error.h"

#include <cstdlib>

namespace reclens::kernel {

namespace detail {

namespace {

// Plain C++: vectors of four lanes (any target has them or splits them), each lane's multiply-add
// by fmaf, which every C library rounds once.
struct PortableIsa {
    using V = float __attribute__((vector_size(16)));
    static constexpr int kRows = 4;
    static constexpr int kGroups = 1;
    static V fmadd(V c, V b, float a)
    {
        V out;
        for (int l = 0; l < 4; ++l)
            out[l] = __builtin_fmaf(b[l], a, c[l]);
        return out;
    }
};

} // namespace

const PathFns portable_path{&Kernel<PortableIsa>::rows, &Kernel<PortableIsa>::one};

} // namespace detail

namespace {

using detail::PathFns;

#if defined(RECLENS_KERNEL_X86)
constexpr bool kX86 = true;
#else
constexpr bool kX86 = false;
#endif

PathFns fns_of(KernelPath path)
{
    if (!cpu_has(path))
        throw Error("the scoring kernel's " + std::string(path_name(path)) + " path needs a CPU with "
                    + (path == KernelPath::avx512 ? "AVX-512F and FMA" : "AVX2 and FMA")
                    + "; this CPU lacks them (RECLENS_KERNEL=portable"
                    + (cpu_has(KernelPath::avx2) ? " or avx2" : "") + " runs here)");
    switch (path) {
#if defined(RECLENS_KERNEL_X86)
    case KernelPath::avx512:
        return detail::avx512_path;
    case KernelPath::avx2:
        return detail::avx2_path;
#endif
    default:
        return detail::portable_path;
    }
}

KernelPath choose_path()
{
    if (const char *forced = std::getenv("RECLENS_KERNEL"); forced && *forced) {
        const KernelPath path = parse_path(forced);
        fns_of(path); // refuses a path this CPU lacks
        return path;
    }
    if (cpu_has(KernelPath::avx512))
        return KernelPath::avx512;
    if (cpu_has(KernelPath::avx2))
        return KernelPath::avx2;
    return KernelPath::portable;
}

const PathFns &current()
{
    static const PathFns fns = fns_of(kernel_path());
    return fns;
}

detail::Panel panel_of(const PackedItems &items)
{
    return {items.panel.data(), items.dim, items.n_items};
}

} // namespace

KernelPath kernel_path()
{
    static const KernelPath path = choose_path();
    return path;
}

std::string_view path_name(KernelPath path)
{
    switch (path) {
    case KernelPath::avx512:
        return "avx512";
    case KernelPath::avx2:
        return "avx2";
    default:
        return "portable";
    }
}

KernelPath parse_path(std::string_view name)
{
    for (KernelPath p : {KernelPath::portable, KernelPath::avx2, KernelPath::avx512})
        if (name == path_name(p))
            return p;
    throw Error("RECLENS_KERNEL: '" + std::string(name) + "' is not a kernel path (portable, avx2, avx512)");
}

bool cpu_has(KernelPath path)
{
    if (path == KernelPath::portable)
        return true;
    if (!kX86)
        return false;
#if defined(RECLENS_KERNEL_X86)
    __builtin_cpu_init();
    if (path == KernelPath::avx2)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
}

std::vector<KernelPath> paths_available()
{
    std::vector<KernelPath> out;
    for (KernelPath p : {KernelPath::portable, KernelPath::avx2, KernelPath::avx512})
        if (cpu_has(p))
            out.push_back(p);
    return out;
}

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

void dot_rows(const float *const *users, int n_users, const PackedItems &items, const float *offset, int64_t j0,
              int64_t j1, float *out, int64_t ld)
{
    current().rows(users, n_users, panel_of(items), offset, j0, j1, out, ld);
}

float dot_one(const float *user, const PackedItems &items, const float *offset, int64_t j)
{
    return current().one(user, panel_of(items), offset, j);
}

void dot_rows(KernelPath path, const float *const *users, int n_users, const PackedItems &items, const float *offset,
              int64_t j0, int64_t j1, float *out, int64_t ld)
{
    fns_of(path).rows(users, n_users, panel_of(items), offset, j0, j1, out, ld);
}

float dot_one(KernelPath path, const float *user, const PackedItems &items, const float *offset, int64_t j)
{
    return fns_of(path).one(user, panel_of(items), offset, j);
}

} // namespace reclens::kernel

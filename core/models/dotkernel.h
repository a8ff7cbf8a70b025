#pragma once
// The CPU scoring kernel: user · item dot products for a block of users and a range of items.
// Plain C++ (no torch), internal to core (Model::Impl, the scorer and the AUC pass call it).
//
// Why not the BLAS: an sgemm's result for one user depends on the shape of the call (how many other
// users share the block, where the tiles start), so the same user would get scores that differ in
// the last bits between the GUI (one user), the CLI (blocks) and a shard (other blocks), and lists
// near ties would differ. Here every score is the plain loop
//     s = 0; for k = 0..d−1: s = fma(u[k], i[k], s);  score = s + offset
// (one fused multiply-add per dimension, rounded once, in k order; then one add), whatever the
// block: a user's scores depend only on the two embedding rows, and equal the scalar loop bit for
// bit on every instruction set.
//
// Instruction sets (DESIGN §8): the kernel runs on one of three paths, chosen once per process —
// AVX-512F, AVX2 + FMA, or portable C++ (std::fma, any CPU) — the widest the CPU has, or the one
// named by RECLENS_KERNEL (portable, avx2, avx512). All three compute the same floats: the vector
// width changes how many items run at once, never what each item's score is.
#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reclens::kernel {

// Items per panel group: one AVX-512 vector, two AVX2 vectors, a 64-byte line per dimension.
inline constexpr int kLanes = 16;

// Storage that starts on a 64-byte line, so that no panel load straddles two lines.
template<class T>
struct LineAligned {
    using value_type = T;
    static constexpr std::align_val_t kAlign{64};
    LineAligned() = default;
    template<class U>
    LineAligned(const LineAligned<U> &) noexcept
    {
    }
    T *allocate(size_t n) { return static_cast<T *>(::operator new(n * sizeof(T), kAlign)); }
    void deallocate(T *p, size_t) noexcept { ::operator delete(p, kAlign); }
    template<class U>
    bool operator==(const LineAligned<U> &) const noexcept
    {
        return true;
    }
};

// Item embeddings repacked for the kernel: groups of kLanes items, each group dim x kLanes floats
// (k-major), the last group padded with zero items.
struct PackedItems {
    int dim = 0;
    int64_t n_items = 0;
    std::vector<float, LineAligned<float>> panel;
    int64_t groups() const { return (n_items + kLanes - 1) / kLanes; }
};

// item_emb: row-major n_items x dim.
PackedItems pack_items(std::span<const float> item_emb, int64_t n_items, int dim);

enum class KernelPath { portable, avx2, avx512 };

// The path every call below takes, decided at the first call: RECLENS_KERNEL when it is set (an
// unknown name, or a path this CPU lacks, throws reclens::Error naming what it has), else the
// widest path the CPU has.
KernelPath kernel_path();
std::string_view path_name(KernelPath path);
// "portable", "avx2" or "avx512" (as RECLENS_KERNEL spells them); throws reclens::Error otherwise.
KernelPath parse_path(std::string_view name);
bool cpu_has(KernelPath path);
// The paths this CPU can run, portable first.
std::vector<KernelPath> paths_available();

// out[r * ld + (j - j0)] = dot(users[r], item j) + offset[j] for r < n_users and j in [j0, j1).
// `users` points at n_users row pointers of `dim` floats each; j0 must be a multiple of kLanes.
// `offset` (n_items floats: bias, or -inf for items the model lacks) may be null. Single-threaded:
// callers split users across threads.
void dot_rows(const float *const *users, int n_users, const PackedItems &items, const float *offset, int64_t j0,
              int64_t j1, float *out, int64_t ld);

// One score, dot(user, item j) + offset[j]: the same float dot_rows gives for that pair (the same
// k-order sum), for the few pairs the AUC needs before the scoring pass (a user's test items).
float dot_one(const float *user, const PackedItems &items, const float *offset, int64_t j);

// The same on a named path (tests and benchmarks compare the paths); throws reclens::Error when
// the CPU lacks it.
void dot_rows(KernelPath path, const float *const *users, int n_users, const PackedItems &items, const float *offset,
              int64_t j0, int64_t j1, float *out, int64_t ld);
float dot_one(KernelPath path, const float *user, const PackedItems &items, const float *offset, int64_t j);

} // namespace reclens::kernel

#pragma once
// The CPU scoring kernel: user · item dot products for a block of users and a range of items.
// Plain C++ (no torch), internal to core (Model::Impl, the scorer and the AUC pass call it).
//
// Why not the BLAS: an sgemm's result for one user depends on the shape of the call (how many other
// users share the block, where the tiles start), so the same user would get scores that differ in
// the last bits between the GUI (one user), the CLI (blocks) and a shard (other blocks), and lists
// near ties would differ. Here every score is Σ_k u[k]·i[k] accumulated in float in the order
// k = 0..d−1, with no fused multiply-add, whatever the block: a user's scores depend only on the
// two embedding rows, and equal the plain scalar loop bit for bit.
#include <cstdint>
#include <span>
#include <vector>

namespace reclens::kernel {

// Items per panel group (one vector of lanes).
inline constexpr int kLanes = 8;

// Item embeddings repacked for the kernel: groups of kLanes items, each group dim x kLanes floats
// (k-major), the last group padded with zero items.
struct PackedItems {
    int dim = 0;
    int64_t n_items = 0;
    std::vector<float> panel;
    int64_t groups() const { return (n_items + kLanes - 1) / kLanes; }
};

// item_emb: row-major n_items x dim.
PackedItems pack_items(std::span<const float> item_emb, int64_t n_items, int dim);

// out[r * ld + (j - j0)] = dot(users[r], item j) + offset[j] for r < n_users and j in [j0, j1).
// `users` points at n_users row pointers of `dim` floats each; j0 must be a multiple of kLanes.
// `offset` (n_items floats: bias, or -inf for items the model lacks) may be null. Single-threaded:
// callers split users across threads.
void dot_rows(const float *const *users, int n_users, const PackedItems &items, const float *offset, int64_t j0,
              int64_t j1, float *out, int64_t ld);

// One score, dot(user, item j) + offset[j]: the same float dot_rows gives for that pair (the same
// k-order sum), for the few pairs the AUC needs before the scoring pass (a user's test items).
float dot_one(const float *user, const PackedItems &items, const float *offset, int64_t j);

} // namespace reclens::kernel

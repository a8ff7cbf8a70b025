// The kernel's avx2 path (core/models/dotkernel.h): AVX2 + FMA, eight lanes, a block of 4 users x
// 16 items (8 accumulators of the 16 registers).
// Compiled for this instruction set alone (core/models/CMakeLists.txt) and called only when the
// CPU has it; the body is the one every path shares (dotkernel_body.h).
#include "core/models/dotkernel_body.h"

#include <immintrin.h>

namespace reclens::kernel::detail {

namespace {

struct Isa {
    using V = __m256;
    static constexpr int kRows = 4;
    static constexpr int kGroups = 1;
    static inline __attribute__((always_inline)) V fmadd(V c, V b, float a)
    {
        return _mm256_fmadd_ps(b, _mm256_set1_ps(a), c);
    }
};

} // namespace

const PathFns avx2_path{&Kernel<Isa>::rows, &Kernel<Isa>::one};

} // namespace reclens::kernel::detail

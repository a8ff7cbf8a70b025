// The kernel's avx512 path (core/models/dotkernel.h): AVX-512F + FMA, sixteen lanes, a block of 8
// users x 32 items (16 accumulators of the 32 registers).
// Compiled for this instruction set alone (core/models/CMakeLists.txt) and called only when the
// CPU has it; the body is the one every path shares (dotkernel_body.h).
#include "core/models/dotkernel_body.h"

#include <immintrin.h>

namespace reclens::kernel::detail {

namespace {

struct Isa {
    using V = __m512;
    static constexpr int kRows = 8;
    static constexpr int kGroups = 2;
    static inline __attribute__((always_inline)) V fmadd(V c, V b, float a)
    {
        return _mm512_fmadd_ps(b, _mm512_set1_ps(a), c);
    }
};

} // namespace

const PathFns avx512_path{&Kernel<Isa>::rows, &Kernel<Isa>::one};

} // namespace reclens::kernel::detail

#pragma once
// Small numeric helpers shared by core libraries.
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

namespace reclens {

// Copies `rows` (n x dim, row-major) and scales each row to unit length (norm computed in double);
// a zero row stays zero. Used for cosine similarity of item embeddings.
inline std::vector<float> unit_rows(std::span<const float> rows, size_t n, int dim)
{
    std::vector<float> out(rows.begin(), rows.end());
    for (size_t i = 0; i < n; ++i) {
        float *row = out.data() + i * static_cast<size_t>(dim);
        double norm = 0;
        for (int d = 0; d < dim; ++d)
            norm += static_cast<double>(row[d]) * row[d];
        norm = std::sqrt(norm);
        for (int d = 0; d < dim; ++d)
            row[d] = norm > 0 ? static_cast<float>(row[d] / norm) : 0.0f;
    }
    return out;
}

} // namespace reclens

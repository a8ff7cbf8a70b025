#pragma once
// The dataset the run and qrels fuzz targets map ids onto: users u0..u4, items i0..i9, a few train
// and test items each (user 3 without train).
#include "tests/core/models/memorydataset.h"

namespace reclens::fuzz {

inline Dataset small_dataset()
{
    return test::memory_dataset(10, {{0, 1}, {2}, {3, 4}, {}, {5}}, {{2, 3}, {4}, {5}, {6}, {7}});
}

} // namespace reclens::fuzz

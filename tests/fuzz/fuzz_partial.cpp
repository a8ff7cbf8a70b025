// libFuzzer target: the shard partial reader (core/data/partialfile.h) over any bytes, SQLite files
// among them. Invariants: a partial that reads has one metric value per metric name for each user,
// users in ascending order, and as many scores as list entries.
#include "core/common/error.h"
#include "core/data/partialfile.h"
#include "tests/fuzz/fuzzinput.h"

using namespace reclens;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string &path = fuzz::as_file(data, size, ".partial");
    try {
        const Partial p = read_partial(path);
        for (const PartialRun &run : p.runs) {
            int32_t last = -1;
            for (const PartialUser &u : run.users) {
                RECLENS_FUZZ_REQUIRE(u.user > last);
                last = u.user;
                RECLENS_FUZZ_REQUIRE(u.metrics.size() == p.metric_names.size());
                RECLENS_FUZZ_REQUIRE(u.scores.size() == u.list.size());
            }
        }
    } catch (const Error &) {
    }
    return 0;
}

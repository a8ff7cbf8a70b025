// libFuzzer target: the run reader (core/data/runfile.h) in each format, against a small dataset
// (users u0..u4, items i0..i9) without and with judgements (trec_eval's order). Invariants: the
// lists are well formed (offsets rise from 0 to the entry count, every item is a dataset item once
// per list, every score is finite) and the report counts what was kept.
#include "core/common/error.h"
#include "core/data/qrels.h"
#include "core/data/runfile.h"
#include "tests/fuzz/dataset.h"
#include "tests/fuzz/fuzzinput.h"

#include <cmath>
#include <set>

using namespace reclens;

static Dataset make_dataset(bool judged)
{
    Dataset d = fuzz::small_dataset();
    if (judged) {
        const JudgedTriple triples[] = {{0, 2, 2}, {0, 3, 1}, {1, 4, 1}, {2, -1, 3}, {3, 6, 0}};
        set_judgements(d, make_judgements(d.n_users(), triples, 1.0, "fuzz"));
    }
    return d;
}

static void check(const Run &run, const Dataset &d)
{
    const auto n_users = static_cast<size_t>(d.n_users());
    RECLENS_FUZZ_REQUIRE(run.offsets.size() == n_users + 1);
    RECLENS_FUZZ_REQUIRE(run.offsets.front() == 0);
    RECLENS_FUZZ_REQUIRE(run.offsets.back() == static_cast<int64_t>(run.items.size()));
    RECLENS_FUZZ_REQUIRE(run.items.size() == run.scores.size());
    RECLENS_FUZZ_REQUIRE(run.report.entries == static_cast<int64_t>(run.items.size()));
    for (size_t u = 0; u < n_users; ++u) {
        RECLENS_FUZZ_REQUIRE(run.offsets[u] <= run.offsets[u + 1]);
        std::set<int32_t> seen;
        for (int32_t item : run.list(static_cast<int32_t>(u))) {
            RECLENS_FUZZ_REQUIRE(item >= 0 && item < d.n_items());
            RECLENS_FUZZ_REQUIRE(seen.insert(item).second);
        }
        for (float s : run.list_scores(static_cast<int32_t>(u)))
            RECLENS_FUZZ_REQUIRE(std::isfinite(s));
    }
    (void)run.report.warnings();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const Dataset plain = make_dataset(false);
    static const Dataset judged = make_dataset(true);
    const std::string &path = fuzz::as_file(data, size, ".run");
    for (const Dataset *d : {&plain, &judged}) {
        for (RunFormat f : {RunFormat::automatic, RunFormat::trec, RunFormat::csv}) {
            try {
                check(load_run(path, *d, f), *d);
            } catch (const Error &) {
            }
        }
    }
    return 0;
}

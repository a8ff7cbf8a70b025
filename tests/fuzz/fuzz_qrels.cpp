// libFuzzer target: the qrels reader (core/data/qrels.h) against a small dataset (users u0..u4,
// items i0..i9). Invariants: every line handed out has ids and a line number; the judgements have
// one row per request, known items in range, and outside grades per request.
#include "core/common/error.h"
#include "core/data/qrels.h"
#include "tests/fuzz/dataset.h"
#include "tests/fuzz/fuzzinput.h"

using namespace reclens;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const Dataset dataset = fuzz::small_dataset();
    const std::string &path = fuzz::as_file(data, size, ".qrels");
    try {
        long last = 0;
        read_qrels(path, "--qrels", [&](const QrelsLine &l) {
            RECLENS_FUZZ_REQUIRE(!l.qid.empty() && !l.docid.empty());
            RECLENS_FUZZ_REQUIRE(l.line > last);
            last = l.line;
        }, &dataset);
    } catch (const Error &) {
    }
    try {
        std::vector<std::string> warnings;
        const Judgements j = load_qrels(path, dataset, 1.0, &warnings);
        const auto n = static_cast<size_t>(dataset.n_users());
        RECLENS_FUZZ_REQUIRE(j.judged.offsets.size() == n + 1);
        RECLENS_FUZZ_REQUIRE(j.outside_offsets.size() == n + 1);
        RECLENS_FUZZ_REQUIRE(j.outside_offsets.back() == static_cast<int64_t>(j.outside_grades.size()));
        for (int32_t item : j.judged.items)
            RECLENS_FUZZ_REQUIRE(item >= 0 && item < dataset.n_items());
    } catch (const Error &) {
    }
    return 0;
}

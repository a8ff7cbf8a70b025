// libFuzzer target: the session reader (core/analysis/session.h). Invariant: a session that reads
// is written back (session_json) to text that reads to the same session.
#include "core/analysis/session.h"
#include "core/common/error.h"
#include "tests/fuzz/fuzzinput.h"

using namespace reclens;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string &path = fuzz::as_file(data, size, ".reclens");
    Session session;
    try {
        session = read_session(path);
    } catch (const Error &) {
        return 0;
    }
    const std::string text = session_json(session, path);
    Session again;
    try {
        again = parse_session(text, path);
    } catch (const Error &e) {
        std::fprintf(stderr, "reclens fuzz: a session read from the input does not read back: %s\n", e.what());
        std::abort();
    }
    RECLENS_FUZZ_REQUIRE(again == session);
    return 0;
}

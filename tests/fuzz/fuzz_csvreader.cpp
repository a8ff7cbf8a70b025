// libFuzzer target: the CSV reader (core/data/csvreader.h) over any bytes, with ',' and ';'.
// Invariants: rows come out in file order with a line number; a row is either an error with no
// fields or fields with one quoted flag each; the share read stays in [0,1].
#include "core/common/error.h"
#include "core/data/csvreader.h"
#include "tests/fuzz/fuzzinput.h"

using namespace reclens;

static void read_all(const std::string &path, char delimiter)
{
    try {
        CsvReader reader(path, delimiter);
        (void)reader.column("user_id");
        CsvRow row;
        long last_line = 0;
        while (reader.next(row)) {
            RECLENS_FUZZ_REQUIRE(row.line >= 1 && row.line >= last_line);
            last_line = row.line;
            if (!row.error.empty()) {
                RECLENS_FUZZ_REQUIRE(row.fields.empty());
                continue;
            }
            RECLENS_FUZZ_REQUIRE(row.quoted.size() == row.fields.size());
            (void)reader.width_problem(row);
            const double f = reader.fraction();
            RECLENS_FUZZ_REQUIRE(f >= 0.0 && f <= 1.0);
        }
    } catch (const Error &) {
        // refused with one line: fine
    }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string &path = fuzz::as_file(data, size, ".csv");
    read_all(path, ',');
    read_all(path, ';');
    return 0;
}

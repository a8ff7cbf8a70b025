#pragma once
// What every reader's fuzz target shares. The readers take paths, so each input is written to one
// file of this process (in $TMPDIR, removed at exit) and read back from there. An input that the
// reader refuses with reclens::Error is a good outcome (DESIGN §9: one clear line); any other
// exception, a crash, a sanitizer report or a broken invariant (require) is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <string>
#include <unistd.h>

namespace reclens::fuzz {

namespace detail {
// This process's input file, created once under $TMPDIR with `suffix` (readers look at extensions).
inline std::string make_input_path(const std::string &suffix)
{
    const char *tmp = std::getenv("TMPDIR");
    std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/reclens-fuzz-XXXXXX" + suffix;
    const int fd = mkstemps(path.data(), static_cast<int>(suffix.size()));
    if (fd < 0) {
        std::perror("reclens fuzz: cannot create the input file");
        std::abort();
    }
    close(fd);
    return path;
}
} // namespace detail

// A path of this process, `suffix` at its end, holding `data`; removed at exit.
inline const std::string &as_file(const uint8_t *data, size_t size, const std::string &suffix)
{
    static const std::string path = detail::make_input_path(suffix);
    // SQLite leaves -wal and -shm beside an input whose header asks for write-ahead logging.
    static const int removed_at_exit = std::atexit([] {
        for (const char *extra : { "", "-wal", "-shm" })
            std::remove((path + extra).c_str());
    });
    (void)removed_at_exit;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) {
        std::perror("reclens fuzz: cannot write the input file");
        std::abort();
    }
    return path;
}

// A broken invariant: say which, then abort so libFuzzer keeps the input as a crash.
#define RECLENS_FUZZ_REQUIRE(cond)                                                                         \
    do {                                                                                                   \
        if (!(cond)) {                                                                                     \
            std::fprintf(stderr, "reclens fuzz: %s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                                  \
        }                                                                                                  \
    } while (false)

} // namespace reclens::fuzz

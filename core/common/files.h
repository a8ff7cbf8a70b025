#pragma once
// Files a user gives us are never harmed (DESIGN §9): an output that is the same file as an input
// is refused before any work starts, and every output is written under a temporary name in its
// target folder and renamed over the target only when complete.
#include <functional>
#include <string>
#include <vector>

namespace reclens {

// A file a command reads or writes, with the flag or role that named it ("--data", "--json",
// "session file") for messages.
struct NamedPath {
    std::string path;
    std::string role;
};

// True when both paths exist and are the same file (same device and inode: hard links, symlinks
// and "./x" spellings all count).
bool same_file(const std::string &a, const std::string &b);

// Throws Error before any work when an output is the same file as an input or as another output,
// naming both flags: "out.sqlite: --json is the same file as the input --data; choose another path".
// Empty paths are ignored. Outputs that do not exist yet cannot collide with anything existing, but
// two outputs spelled the same way are still refused.
void check_outputs(const std::vector<NamedPath> &inputs, const std::vector<NamedPath> &outputs);

// The regular files directly inside `dir` (an importer's folder), as inputs with `role`.
std::vector<NamedPath> files_in(const std::string &dir, const std::string &role);

// A unique temporary name in the folder of `path` ("<path>.tmp-<pid>-<n>"), so the final rename()
// stays on one file system.
std::string temporary_name(const std::string &path);

// Writes `content` to `path` atomically: temporary file, flush, rename. On failure the previous
// file (or none) stays and the temporary is removed; throws Error naming `role`.
void write_file_atomic(const std::string &path, const std::string &content, const std::string &role);

// As write_file_atomic, but `write(tmp)` produces the temporary file itself (e.g. a library that
// saves to a path). `write` must throw on failure.
void write_via_temporary(const std::string &path, const std::string &role,
                         const std::function<void(const std::string &tmp)> &write);

// SHA-256 of a file's bytes as 64 lower-case hex digits (what `sha256sum` prints): the identity of a
// dataset or model that partials and sessions record. Throws Error naming `role` when unreadable.
std::string sha256_file(const std::string &path, const std::string &role);

} // namespace reclens

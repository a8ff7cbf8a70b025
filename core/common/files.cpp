#include "core/common/files.h"

#include "core/common/error.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace reclens {

namespace {

bool identity(const std::string &path, dev_t &dev, ino_t &ino)
{
    struct stat st {};
    if (path.empty() || ::stat(path.c_str(), &st) != 0)
        return false;
    dev = st.st_dev;
    ino = st.st_ino;
    return true;
}

std::string normal(const std::string &path)
{
    return std::filesystem::absolute(path).lexically_normal().string();
}

} // namespace

bool same_file(const std::string &a, const std::string &b)
{
    dev_t da = 0, db = 0;
    ino_t ia = 0, ib = 0;
    return identity(a, da, ia) && identity(b, db, ib) && da == db && ia == ib;
}

void check_outputs(const std::vector<NamedPath> &inputs, const std::vector<NamedPath> &outputs)
{
    for (size_t o = 0; o < outputs.size(); ++o) {
        const NamedPath &out = outputs[o];
        if (out.path.empty())
            continue;
        for (const NamedPath &in : inputs)
            if (!in.path.empty() && (same_file(out.path, in.path) || normal(out.path) == normal(in.path)))
                throw Error(located(out.path, out.role + " is the same file as the input " + in.role + " (" + in.path
                                                  + "); refusing to overwrite an input: choose another output path"));
        for (size_t p = 0; p < o; ++p)
            if (!outputs[p].path.empty()
                && (same_file(out.path, outputs[p].path) || normal(out.path) == normal(outputs[p].path)))
                throw Error(located(out.path, out.role + " and " + outputs[p].role
                                                  + " name the same file; give each output its own path"));
    }
}

std::vector<NamedPath> files_in(const std::string &dir, const std::string &role)
{
    std::vector<NamedPath> out;
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.is_regular_file(ec))
            out.push_back({entry.path().string(), role});
    return out;
}

std::string temporary_name(const std::string &path)
{
    static std::atomic<unsigned> counter{0};
    return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
}

void write_via_temporary(const std::string &path, const std::string &role,
                         const std::function<void(const std::string &tmp)> &write)
{
    namespace fs = std::filesystem;
    const std::string tmp = temporary_name(path);
    std::error_code ec;
    try {
        write(tmp);
    } catch (...) {
        fs::remove(tmp, ec);
        throw;
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        const std::string why = ec.message();
        fs::remove(tmp, ec);
        throw Error(located(path, "cannot replace the output file (" + role + "): " + why
                                      + "; check the folder is writable"));
    }
}

void write_file_atomic(const std::string &path, const std::string &content, const std::string &role)
{
    write_via_temporary(path, role, [&](const std::string &tmp) {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw Error(located(path, "cannot create the output file (" + role + "): " + std::strerror(errno)
                                          + "; check the folder exists and is writable"));
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out)
            throw Error(located(path, "writing failed (" + role + "); check free disk space"));
    });
}

} // namespace reclens

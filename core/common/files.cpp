#include "core/common/files.h"

#include "core/common/error.h"

#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

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

std::string sha256_file(const std::string &path, const std::string &role)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(located(path, "cannot read the " + role + ": " + std::strerror(errno) + "; check the path"));
    const std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX *)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        throw Error("SHA-256 is not available from OpenSSL");
    std::vector<char> buf(1 << 20);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto got = in.gcount();
        if (got > 0)
            EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(got));
    }
    if (in.bad())
        throw Error(located(path, "reading the " + role + " failed; check the file"));
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx.get(), md, &len);
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 15];
    }
    return out;
}

} // namespace reclens

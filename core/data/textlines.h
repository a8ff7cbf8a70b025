#pragma once
// Reading line-oriented text inputs (runs, qrels, query files) the same way everywhere: binary
// files refused before any line is read, a UTF-8 byte order mark and CR line ends skipped, bad
// lines quoted in messages. Internal to core/data.
#include "core/common/error.h"
#include "core/data/importreport.h"

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace reclens::textlines {

// A line shortened to 80 bytes with control characters blanked, in double quotes (for messages).
inline std::string quoted(std::string_view line)
{
    std::string s(line.substr(0, 80));
    for (char &c : s)
        if (static_cast<unsigned char>(c) < 0x20)
            c = ' ';
    return "\"" + s + (line.size() > 80 ? "…\"" : "\"");
}

// " (NA, a missing-value marker)" when `id` is one of the default markers (DESIGN §9), else "".
inline std::string na_note(std::string_view id)
{
    for (const std::string_view m : kDefaultNaValues)
        if (id == m)
            return " (" + std::string(m) + ", a missing-value marker)";
    return {};
}

// Whitespace-separated fields (blanks and tabs).
inline void split_ws(std::string_view line, std::vector<std::string_view> &out)
{
    out.clear();
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        if (i >= line.size())
            break;
        size_t j = i;
        while (j < line.size() && line[j] != ' ' && line[j] != '\t')
            ++j;
        out.push_back(line.substr(i, j - i));
        i = j;
    }
}

// No control bytes besides tab and CR.
inline bool is_text(std::string_view line)
{
    for (const char c : line) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 && b != '\t' && b != '\r')
            return false;
    }
    return true;
}

// Throws Error (naming `path` and `expected`, e.g. "expected a TREC or CSV run (--run)") when the
// file's first 4 KiB hold a NUL byte; a binary file may have no line break at all. Rewinds `in`.
inline void refuse_binary(std::ifstream &in, const std::string &path, const std::string &expected)
{
    char head[4096];
    in.read(head, sizeof head);
    const std::string_view start(head, static_cast<size_t>(in.gcount()));
    if (start.find('\0') != std::string_view::npos)
        throw Error(located(path, "not a text file (binary bytes): " + expected, 1));
    in.clear();
    in.seekg(0);
}

// The line without a leading byte order mark (line 1) and a trailing CR.
inline std::string_view trimmed(const std::string &line, long line_no)
{
    std::string_view v = line;
    if (line_no == 1 && v.substr(0, 3) == "\xEF\xBB\xBF")
        v.remove_prefix(3);
    if (!v.empty() && v.back() == '\r')
        v.remove_suffix(1);
    return v;
}

inline bool blank(std::string_view v) { return v.find_first_not_of(" \t") == std::string_view::npos; }

// The malformed lines of one file: counted, the first quoted with its line number. A file with any
// is refused whole, in one line: "<path>:<line>: <why>: "<text>" (N malformed lines in all; <layout>)".
struct MalformedLines {
    int64_t count = 0;
    std::string first;
    long line = 0;

    void add(long line_no, std::string_view text, const std::string &why)
    {
        if (count++ == 0) {
            first = why + ": " + quoted(text);
            line = line_no;
        }
    }
    void refuse_if_any(const std::string &path, const std::string &layout) const
    {
        if (count > 0)
            throw Error(located(path, first + " (" + std::to_string(count) + " malformed line" + (count > 1 ? "s" : "")
                                          + " in all; " + layout + ")",
                                line));
    }
};

} // namespace reclens::textlines

#include "core/data/importreport.h"

#include "core/common/error.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace reclens {
namespace {

std::string with_commas(int64_t v)
{
    const std::string digits = std::to_string(v < 0 ? -v : v);
    std::string s = v < 0 ? "-" : "";
    for (size_t k = 0; k < digits.size(); ++k) {
        if (k > 0 && (digits.size() - k) % 3 == 0)
            s.push_back(',');
        s.push_back(digits[k]);
    }
    return s;
}

} // namespace

void ImportReport::add_skipped(const std::string &reason, int64_t n)
{
    for (auto &[r, count] : skipped) {
        if (r == reason) {
            count += n;
            return;
        }
    }
    skipped.emplace_back(reason, n);
}

int64_t ImportReport::skipped_total() const
{
    int64_t n = 0;
    for (const auto &s : skipped)
        n += s.second;
    return n;
}

std::string ImportReport::to_text() const
{
    std::string out = "Import report (" + source + ")\n";
    out += "  rows read:\n";
    for (const auto &[file, n] : rows)
        out += "    " + std::filesystem::path(file).filename().string() + ": " + with_commas(n) + "\n";
    out += "  rows skipped: " + with_commas(skipped_total()) + "\n";
    for (const auto &[reason, n] : skipped)
        out += "    " + reason + ": " + with_commas(n) + "\n";
    if (malformed > 0) {
        out += "  malformed rows: " + with_commas(malformed) + " (first ones below)\n";
        for (const auto &m : malformed_examples)
            out += "    " + m + "\n";
    }
    out += "  users: " + with_commas(users) + "\n";
    out += "  items: " + with_commas(items) + "\n";
    out += "  categories: " + with_commas(categories) + " in " + std::to_string(category_levels) + " level(s)\n";
    out += "  brands: " + with_commas(brands) + "\n";
    out += "  interactions: " + with_commas(interactions) + " (" + with_commas(distinct_pairs)
        + " distinct user-item pairs)\n";
    char share[32];
    std::snprintf(share, sizeof share, "%.1f%%",
                  interactions ? 100.0 * static_cast<double>(test) / static_cast<double>(interactions) : 0.0);
    out += "  split (" + split + "): train " + with_commas(train) + ", test " + with_commas(test) + " (" + share + "), "
        + with_commas(test_users) + " users with test rows\n";
    if (!findings.empty()) {
        out += "  findings:\n";
        for (const auto &f : findings)
            out += "    - " + f + "\n";
    }
    return out;
}

void RowIssues::malformed(const std::string &file, long line, const std::string &reason)
{
    if (m_strict)
        throw Error(
            located(file, reason + " (malformed row; fix it, or import without --strict to skip such rows)", line));
    ++m_report.malformed;
    m_report.add_skipped("malformed");
    if (m_report.malformed_examples.size() < 5)
        m_report.malformed_examples.push_back(located(file, reason, line));
}

std::vector<std::string> default_na_values()
{
    return {kDefaultNaValues.begin(), kDefaultNaValues.end()};
}

std::vector<std::string> parse_na_values(const std::string &list)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= list.size() && !list.empty()) {
        const size_t comma = std::min(list.find(',', start), list.size());
        const std::string marker = list.substr(start, comma - start);
        if (marker.empty() || marker.find_first_of(" \t\"") != std::string::npos)
            throw Error("--na-values '" + list + "': '" + marker + "' is not a marker: give markers separated by commas, "
                        "without blanks or quotes (e.g. NA,NULL), or '' for none");
        out.push_back(marker);
        start = comma + 1;
    }
    return out;
}

const std::string *RowIssues::na_marker(std::string_view value) const
{
    for (const std::string &m : m_na_values)
        if (value == m)
            return &m;
    return nullptr;
}

} // namespace reclens

#include "core/data/rowchecks.h"

#include "core/data/importutil.h"

namespace reclens::detail {

bool RowChecks::well_formed(const CsvRow &row)
{
    if (!row.error.empty()) {
        malformed(row, row.error);
        return false;
    }
    if (const auto w = m_in.width_problem(row); !w.empty()) {
        malformed(row, w);
        return false;
    }
    return true;
}

std::string RowChecks::field(const CsvRow &row, int c) const
{
    if (c < 0)
        return {};
    const auto value = trim(row.fields[static_cast<size_t>(c)]);
    if (!row.was_quoted(static_cast<size_t>(c)) && m_issues.na_marker(value))
        return {};
    return std::string(value);
}

std::string RowChecks::raw(const CsvRow &row, int c) const
{
    return c < 0 ? std::string() : std::string(trim(row.fields[static_cast<size_t>(c)]));
}

std::optional<std::string> RowChecks::id(const CsvRow &row, int c)
{
    const auto raw = trim(row.fields[static_cast<size_t>(c)]);
    const std::string *marker = row.was_quoted(static_cast<size_t>(c)) ? nullptr : m_issues.na_marker(raw);
    if (!raw.empty() && !marker)
        return std::string(raw);
    m_report.add_skipped(m_file + ": blank " + m_in.header()[static_cast<size_t>(c)]
                         + (marker ? " (" + *marker + ")" : std::string()));
    return std::nullopt;
}

void RowChecks::malformed(const CsvRow &row, const std::string &reason)
{
    m_issues.malformed(m_in.path(), row.line, reason);
}

} // namespace reclens::detail

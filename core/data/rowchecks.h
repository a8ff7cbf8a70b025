#pragma once
// The steps every importer takes with a data row, in one place (internal to core/data): broken
// quoting and wrong widths are malformed rows; a blank id is skipped and counted under its own
// reason ("ratings.csv: blank userId"), never stored as the id "" (DESIGN §9). An unquoted
// missing-value marker (R's NA, SQL's NULL, pandas' nan, …: ImportOptions::na_values) is blank too,
// counted per marker ("ratings.csv: blank userId (NA)"). Blank ids are not errors, even with
// --strict: real exports have them (guest checkouts, anonymous sessions).
#include "core/data/csvreader.h"
#include "core/data/importreport.h"

#include <filesystem>
#include <optional>
#include <string>

namespace reclens::detail {

class RowChecks {
public:
    RowChecks(const CsvReader &in, ImportReport &report, RowIssues &issues)
        : m_in(in)
        , m_report(report)
        , m_issues(issues)
        , m_file(std::filesystem::path(in.path()).filename().string())
    {
    }

    // False (and counted as malformed) when the row has broken quoting or the wrong number of fields.
    bool well_formed(const CsvRow &row);

    // The trimmed field of column c ("" for c < 0, and for an unquoted missing-value marker).
    std::string field(const CsvRow &row, int c) const;

    // The trimmed text of column c as written (a marker stays itself): for messages.
    std::string raw(const CsvRow &row, int c) const;

    // The trimmed id in column c, or nullopt when it is blank: the row is then skipped and counted
    // as "<file>: blank <header of c>".
    std::optional<std::string> id(const CsvRow &row, int c);

    // A malformed row of this file (delegates to RowIssues).
    void malformed(const CsvRow &row, const std::string &reason);

private:
    const CsvReader &m_in;
    ImportReport &m_report;
    RowIssues &m_issues;
    std::string m_file;
};

} // namespace reclens::detail

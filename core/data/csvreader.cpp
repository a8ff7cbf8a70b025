#include "core/data/csvreader.h"

#include "core/common/error.h"

#include <csv.h>

#include <algorithm>
#include <filesystem>

namespace reclens {
namespace {

std::string trimmed(const std::string &s)
{
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos)
        return {};
    const auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

bool blank(const std::string &line)
{
    return std::all_of(line.begin(), line.end(), [](char c) { return c == '\r' || c == '\n'; });
}

} // namespace

CsvReader::CsvReader(const std::string &path, char delimiter)
    : m_path(path), m_delimiter(delimiter), m_parser(std::make_unique<csv_parser>())
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw Error(located(path, "is a folder, expected a CSV file"));
    m_in.open(path, std::ios::binary);
    if (!m_in)
        throw Error(located(path, "cannot open the file; check that it exists and is readable"));
    m_size = std::filesystem::file_size(path, ec);
    if (csv_init(m_parser.get(), CSV_STRICT | CSV_STRICT_FINI) != 0)
        throw Error(located(path, "cannot initialise the CSV parser (out of memory)"));
    csv_set_delim(m_parser.get(), static_cast<unsigned char>(delimiter));

    CsvRow first;
    try {
        if (!next(first))
            throw Error(located(path, "the file is empty; expected a header line naming the columns"));
        if (!first.error.empty())
            throw Error(located(path, "the header line is malformed (" + first.error + "); fix the file", first.line));
    } catch (...) {
        csv_free(m_parser.get()); // the destructor does not run for a throwing constructor
        throw;
    }
    m_header.reserve(first.fields.size());
    for (auto &f : first.fields)
        m_header.push_back(trimmed(f));
}

CsvReader::~CsvReader()
{
    csv_free(m_parser.get());
}

int CsvReader::column(const std::string &name) const
{
    const auto it = std::find(m_header.begin(), m_header.end(), name);
    return it == m_header.end() ? -1 : static_cast<int>(it - m_header.begin());
}

int CsvReader::require_column(const std::string &name) const
{
    const int c = column(name);
    if (c >= 0)
        return c;
    std::string found;
    for (size_t k = 0; k < m_header.size() && k < 12; ++k)
        found += (k ? ", " : "") + m_header[k];
    if (m_header.size() > 12)
        found += ", ...";
    throw Error(located(m_path,
                        "missing required column '" + name + "' (columns found: " + found
                            + "); check the file or the column options",
                        1));
}

std::string CsvReader::width_problem(const CsvRow &row) const
{
    if (row.fields.size() == m_header.size())
        return {};
    return "expected " + std::to_string(m_header.size()) + " fields, found " + std::to_string(row.fields.size());
}

double CsvReader::fraction() const
{
    return m_size == 0 ? 1.0 : std::min(1.0, static_cast<double>(m_consumed) / static_cast<double>(m_size));
}

void CsvReader::on_field(void *data, size_t len, void *self)
{
    auto *r = static_cast<CsvReader *>(self);
    r->m_fields.emplace_back(data ? static_cast<const char *>(data) : "", data ? len : 0);
}

void CsvReader::on_row_end(int, void *self)
{
    auto *r = static_cast<CsvReader *>(self);
    CsvRow row;
    row.line = r->m_row_start > 0 ? r->m_row_start : r->m_line;
    row.fields = std::move(r->m_fields);
    if (r->m_quoted_pos < r->m_quoted_rows.size())
        row.quoted = std::move(r->m_quoted_rows[r->m_quoted_pos++]);
    if (row.quoted.size() != row.fields.size())
        row.quoted.assign(row.fields.size(), 0); // never expected; unquoted is the safe reading
    r->m_fields.clear();
    r->m_ready.push_back(std::move(row));
    r->m_row_start = 0;
}

void CsvReader::scan_quotes(const std::string &line)
{
    QuoteScan &s = m_scan;
    for (const char c : line) {
        if (s.in_quotes) {
            if (s.quote_pending) {
                s.quote_pending = false;
                if (c == '"')
                    continue; // a doubled quote: text
                s.in_quotes = false; // the closing quote; c is read below
            } else {
                if (c == '"')
                    s.quote_pending = true;
                continue;
            }
        }
        if (c == '\n' || c == '\r') {
            if (s.any)
                end_scanned_row();
            continue;
        }
        if (c == m_delimiter) {
            s.any = true;
            s.quoted.push_back(s.current);
            s.current = 0;
            s.field_start = true;
            continue;
        }
        // Blanks before a field are not a field yet (libcsv skips them, and a line of blanks is no row).
        if (s.field_start && (c == ' ' || c == '\t'))
            continue;
        s.any = true;
        if (s.field_start && c == '"') {
            s.current = 1;
            s.in_quotes = true;
        }
        s.field_start = false;
    }
}

void CsvReader::end_scanned_row()
{
    QuoteScan &s = m_scan;
    s.quoted.push_back(s.current);
    m_quoted_rows.push_back(std::move(s.quoted));
    s = QuoteScan {};
}

void CsvReader::reset_scan()
{
    m_scan = QuoteScan {};
    m_quoted_rows.clear();
    m_quoted_pos = 0;
}

void CsvReader::reset_parser()
{
    csv_free(m_parser.get());
    csv_init(m_parser.get(), CSV_STRICT | CSV_STRICT_FINI);
    csv_set_delim(m_parser.get(), static_cast<unsigned char>(m_delimiter));
    m_fields.clear();
    m_row_start = 0;
    reset_scan();
}

// Feeds one physical line to libcsv, so line numbers are known exactly. False at the end of input.
bool CsvReader::feed_line()
{
    if (m_eof)
        return false;
    std::string line;
    if (!std::getline(m_in, line)) {
        m_eof = true;
        const long start = m_row_start;
        if (m_scan.quote_pending)
            m_scan.in_quotes = m_scan.quote_pending = false; // the file ends on a closing quote
        if (m_scan.any && !m_scan.in_quotes)
            end_scanned_row(); // the last row has no line end
        if (csv_fini(m_parser.get(), on_field, on_row_end, this) != 0)
            throw Error(located(m_path, "a quoted field is never closed (missing \"); fix the quoting",
                                start > 0 ? start : m_line));
        return true;
    }
    m_consumed += line.size() + 1;
    if (!m_in.eof())
        line.push_back('\n');
    ++m_line;
    if (m_line == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0)
        line.erase(0, 3);
    if (m_row_start == 0 && !blank(line))
        m_row_start = m_line;
    if (m_quoted_pos == m_quoted_rows.size()) {
        m_quoted_rows.clear();
        m_quoted_pos = 0;
    }
    scan_quotes(line);
    const size_t used = csv_parse(m_parser.get(), line.data(), line.size(), on_field, on_row_end, this);
    if (used != line.size()) {
        const int err = csv_error(m_parser.get());
        CsvRow bad;
        bad.line = m_row_start > 0 ? m_row_start : m_line;
        bad.error = err == CSV_EPARSE
            ? "malformed quoting: a quote inside an unquoted field or text after a closing quote"
            : csv_strerror(err);
        m_ready.push_back(std::move(bad));
        reset_parser();
    }
    return true;
}

bool CsvReader::next(CsvRow &row)
{
    while (m_ready_pos >= m_ready.size()) {
        m_ready.clear();
        m_ready_pos = 0;
        if (!feed_line())
            return false;
    }
    row = std::move(m_ready[m_ready_pos++]);
    return true;
}

} // namespace reclens

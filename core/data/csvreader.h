#pragma once
// A streaming CSV reader on top of libcsv (RFC 4180): quoted fields, doubled quotes, delimiters and
// newlines inside quotes, CRLF or LF line ends, a UTF-8 byte-order mark, empty fields. Blank lines are
// skipped. Each field says whether it was quoted: an unquoted NA is R's missing value, a quoted "NA"
// is text (DESIGN §9). Each row carries the physical line number it starts on, for error messages. A row with
// broken quoting is returned with `error` set (and no fields) and reading resumes on the next line;
// an unterminated quote at the end of the file throws reclens::Error naming the file and line.
// Not thread-safe; one reader per file.
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

struct csv_parser;

namespace reclens {

struct CsvRow {
    long line = 0; // 1-based physical line where the row starts
    std::vector<std::string> fields;
    std::vector<uint8_t> quoted; // per field: 1 when it was written in quotes
    bool was_quoted(size_t field) const { return field < quoted.size() && quoted[field] != 0; }
    std::string error; // non-empty: malformed quoting, fields are empty
};

class CsvReader {
public:
    // Opens the file and reads the header row; throws reclens::Error when the file cannot be opened
    // or is empty.
    explicit CsvReader(const std::string &path, char delimiter = ',');
    ~CsvReader();
    CsvReader(const CsvReader &) = delete;
    CsvReader &operator=(const CsvReader &) = delete;

    const std::string &path() const { return m_path; }
    const std::vector<std::string> &header() const { return m_header; }
    // Index of a header column (exact match after trimming spaces), -1 when absent.
    int column(const std::string &name) const;
    // Like column(), but throws reclens::Error naming the file, the column and the columns found.
    int require_column(const std::string &name) const;

    // Next data row; false at the end of the file.
    bool next(CsvRow &row);
    // "expected N fields, found M" when the row's width differs from the header's, else empty.
    std::string width_problem(const CsvRow &row) const;
    // Share of the file consumed so far, in [0,1].
    double fraction() const;

private:
    bool feed_line();
    // Follows libcsv over the same characters to see which fields open with a quote (libcsv does not
    // say): one entry of m_quoted_rows per row it will complete.
    void scan_quotes(const std::string &line);
    void end_scanned_row();
    void reset_scan();
    void reset_parser();
    static void on_field(void *data, size_t len, void *self);
    static void on_row_end(int c, void *self);

    std::string m_path;
    char m_delimiter;
    std::ifstream m_in;
    std::unique_ptr<csv_parser> m_parser;
    std::vector<std::string> m_header;
    std::vector<CsvRow> m_ready; // completed rows not yet handed out (FIFO via m_ready_pos)
    size_t m_ready_pos = 0;
    std::vector<std::string> m_fields;
    long m_line = 0;
    long m_row_start = 0;
    bool m_eof = false;
    uint64_t m_size = 0;
    uint64_t m_consumed = 0;
    struct QuoteScan {
        bool in_quotes = false;
        bool quote_pending = false; // a quote inside quotes: closing, or the first of a doubled pair
        bool field_start = true;
        bool any = false; // the row has begun: a field character or a delimiter (blanks alone are no row)
        std::vector<uint8_t> quoted; // of the row's fields so far
        uint8_t current = 0;
    } m_scan;
    std::vector<std::vector<uint8_t>> m_quoted_rows; // scanned rows libcsv has not completed yet
    size_t m_quoted_pos = 0;
};

} // namespace reclens

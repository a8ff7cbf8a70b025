#pragma once
// SQLite helpers of core/data (the dataset store, shard partials): a connection and a prepared
// statement whose failures are one line naming the file and what to do. Internal to core/data.
#include "core/common/error.h"

#include <cstdint>
#include <sqlite3.h>
#include <string>

namespace reclens::sqlite
{

// What kind of file a connection is for, in messages: "pass a <noun> written by <writer>".
struct SqliteRole {
    std::string noun;
    std::string writer;
};

// Turns SQLite failures into one line naming the file and what to do.
[[noreturn]] inline void fail(const std::string &path, int code, const std::string &detail, const SqliteRole &role)
{
    const int primary = code & 0xff;
    if (primary == SQLITE_NOTADB)
        throw Error(located(
            path, "not a SQLite database (" + detail + "); pass a " + role.noun + " written by " + role.writer));
    if (primary == SQLITE_CORRUPT)
        throw Error(located(path, "the SQLite file is corrupt (" + detail + "); re-create it with " + role.writer));
    if (primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY || primary == SQLITE_PERM)
        throw Error(
            located(path, "cannot open or create the file (" + detail + "); check the path and its permissions"));
    if (primary == SQLITE_FULL)
        throw Error(located(path, "the disk is full (" + detail + "); free space and try again"));
    throw Error(located(path, "SQLite error: " + detail));
}

class Connection
{
public:
    // `shown` is the name used in messages (the final name while writing to a temporary file).
    Connection(const std::string &path, int flags, const SqliteRole &role, const std::string &shown = {})
        : m_path(shown.empty() ? path : shown)
        , m_role(role)
    {
        const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
        if (rc != SQLITE_OK) {
            const std::string detail = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
            sqlite3_close(m_db);
            m_db = nullptr;
            fail(m_path, rc, "cannot open: " + detail, m_role);
        }
        sqlite3_extended_result_codes(m_db, 1);
    }
    ~Connection() { close(); }
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    void close()
    {
        if (m_db)
            sqlite3_close(m_db);
        m_db = nullptr;
    }
    void exec(const char *sql)
    {
        char *message = nullptr;
        const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &message);
        if (rc != SQLITE_OK) {
            const std::string detail = message ? message : sqlite3_errstr(rc);
            sqlite3_free(message);
            fail(m_path, rc, detail, m_role);
        }
    }
    sqlite3 *db() const { return m_db; }
    const std::string &path() const { return m_path; }
    const SqliteRole &role() const { return m_role; }

private:
    std::string m_path;
    SqliteRole m_role;
    sqlite3 *m_db = nullptr;
};

class Statement
{
public:
    Statement(Connection &c, const char *sql)
        : m_c(c)
    {
        const int rc = sqlite3_prepare_v2(c.db(), sql, -1, &m_stmt, nullptr);
        if (rc != SQLITE_OK)
            fail(c.path(), rc, sqlite3_errmsg(c.db()), c.role());
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    // true while a row is available
    bool step()
    {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE)
            return false;
        fail(m_c.path(), rc, sqlite3_errmsg(m_c.db()), m_c.role());
    }
    void run()
    {
        step();
        reset();
    }
    // Ready to bind and step again.
    void reset()
    {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    void bind(int i, int64_t v) { check(sqlite3_bind_int64(m_stmt, i, v)); }
    void bind(int i, double v) { check(sqlite3_bind_double(m_stmt, i, v)); }
    void bind(int i, const std::string &v)
    {
        check(sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    }
    void bind_null(int i) { check(sqlite3_bind_null(m_stmt, i)); }
    void bind_blob(int i, const void *data, size_t bytes)
    {
        check(sqlite3_bind_blob64(m_stmt, i, bytes ? data : "", bytes, SQLITE_TRANSIENT));
    }

    bool is_null(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
    int64_t integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
    double real(int col) const { return sqlite3_column_double(m_stmt, col); }
    // A blob column as bytes (empty for NULL).
    std::string blob(int col) const
    {
        const void *p = sqlite3_column_blob(m_stmt, col);
        return p ? std::string(static_cast<const char *>(p), static_cast<size_t>(sqlite3_column_bytes(m_stmt, col)))
                 : std::string();
    }
    std::string text(int col) const
    {
        const auto *p = sqlite3_column_text(m_stmt, col);
        return p
            ? std::string(reinterpret_cast<const char *>(p), static_cast<size_t>(sqlite3_column_bytes(m_stmt, col)))
            : std::string();
    }

private:
    void check(int rc)
    {
        if (rc != SQLITE_OK)
            fail(m_c.path(), rc, sqlite3_errmsg(m_c.db()), m_c.role());
    }
    Connection &m_c;
    sqlite3_stmt *m_stmt = nullptr;
};

} // namespace reclens::sqlite

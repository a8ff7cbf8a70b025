// The SQLite store: a written dataset loads back field for field; broken, foreign or empty files
// give one clear line naming the file; a failed or refused write leaves no file behind.
#include "core/common/error.h"
#include "core/data/datasetrepository.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

using namespace reclens;
namespace fs = std::filesystem;

namespace {

Dataset sample()
{
    Dataset d;
    d.meta = {{"name", "round trip"}, {"source", "test"}, {"licence", "CC0"}, {"created_at", "2020-01-01T00:00:00Z"}};
    for (const auto &[name, parent] :
         std::vector<std::pair<std::string, int32_t>>{{"A", -1}, {"A1", 0}, {"B", -1}, {"A1x", 1}}) {
        Category c;
        c.id = static_cast<int64_t>(d.categories.size()) + 1;
        c.name = name;
        c.parent = parent;
        d.categories.push_back(c);
    }
    d.brands = {"Acme", "Zed \"quoted\""};
    const std::vector<int32_t> cat = {3, 1, 2, -1};
    const std::vector<int32_t> brand = {0, -1, 1, 0};
    const std::vector<double> price = {1.25, std::nan(""), 0.0, 99.5};
    for (size_t i = 0; i < 4; ++i) {
        d.item_ids.push_back(static_cast<int64_t>(i) * 10 + 5); // non-contiguous keys
        d.item_external.push_back("ext-" + std::to_string(i));
        d.item_title.push_back(i == 2 ? "Title with 'quotes', commas\nand a newline" : "Item " + std::to_string(i));
        d.item_category.push_back(cat[i]);
        d.item_brand.push_back(brand[i]);
        d.item_price.push_back(price[i]);
        d.item_tags.push_back(i == 0 ? std::vector<std::string>{"x", "y"} : std::vector<std::string>{});
    }
    for (int u = 0; u < 3; ++u) {
        d.user_ids.push_back(u + 7);
        d.user_external.push_back("user-" + std::to_string(u));
        d.user_segment.push_back(u == 1 ? std::string() : "seg" + std::to_string(u));
        d.user_attributes.push_back(
            u == 0 ? std::vector<std::pair<std::string, std::string>>{{"age", "45-54"}, {"kids", "2"}}
                   : std::vector<std::pair<std::string, std::string>>{});
    }
    d.train
        = make_csr(3, std::vector<CsrEntry>{{0, 0, 100, 1.0f}, {0, 2, 200, 2.5f}, {1, 1, 300, 1.0f}, {2, 3, 50, 4.0f}});
    d.test = make_csr(3, std::vector<CsrEntry>{{0, 3, 400, 1.0f}, {2, 0, 60, 1.0f}});
    d.finalize();
    return d;
}

std::string error_of(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return e.what();
    }
    return {};
}

void make_sqlite(const std::string &path, const char *sql)
{
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
}

} // namespace

class TestDatasetRepository : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::string file(const char *name) const { return (fs::path(m_tmp.path().toStdString()) / name).string(); }
    void expectNoLeftovers()
    {
        for (const auto &e : fs::directory_iterator(m_tmp.path().toStdString()))
            QVERIFY2(e.path().string().find(".tmp-") == std::string::npos, e.path().string().c_str());
    }

private slots:
    void roundTripKeepsEveryField()
    {
        const Dataset a = sample();
        const auto path = file("rt.sqlite");
        write_dataset(a, path);
        expectNoLeftovers();
        const Dataset b = load_dataset(path);
        QCOMPARE(b.path, path);
        QCOMPARE(b.meta.at("schema_version"), std::string("1"));
        for (const auto &[k, v] : a.meta)
            QCOMPARE(b.meta.at(k), v);
        QCOMPARE(b.item_ids, a.item_ids);
        QCOMPARE(b.item_external, a.item_external);
        QCOMPARE(b.item_title, a.item_title);
        QCOMPARE(b.item_category, a.item_category);
        QCOMPARE(b.item_brand, a.item_brand);
        QCOMPARE(b.item_tags, a.item_tags);
        for (size_t i = 0; i < a.item_price.size(); ++i)
            QVERIFY(std::isnan(a.item_price[i]) ? std::isnan(b.item_price[i]) : b.item_price[i] == a.item_price[i]);
        QCOMPARE(b.user_ids, a.user_ids);
        QCOMPARE(b.user_external, a.user_external);
        QCOMPARE(b.user_segment, a.user_segment);
        QCOMPARE(b.user_attributes, a.user_attributes);
        QCOMPARE(b.brands, a.brands);
        QCOMPARE(b.categories.size(), a.categories.size());
        for (size_t c = 0; c < a.categories.size(); ++c) {
            QCOMPARE(b.categories[c].name, a.categories[c].name);
            QCOMPARE(b.categories[c].parent, a.categories[c].parent);
            QCOMPARE(b.categories[c].level, a.categories[c].level);
        }
        QCOMPARE(b.category_levels, 3);
        for (const Csr *pair : {&a.train, &a.test}) {
            const Csr &other = pair == &a.train ? b.train : b.test;
            QCOMPARE(other.offsets, pair->offsets);
            QCOMPARE(other.items, pair->items);
            QCOMPARE(other.ts, pair->ts);
            QCOMPARE(other.weights, pair->weights);
        }
        QCOMPARE(b.train_rows, int64_t(4));
        QCOMPARE(b.test_rows, int64_t(2));
        QCOMPARE(b.popularity, a.popularity);
    }

    void rawRowsAreStoredAndMergedOnLoad()
    {
        Dataset a = sample();
        // Two purchases of item 0 by user 0 (train) and one test row: 3 rows, 1 + 1 CSR entries.
        const std::vector<InteractionRecord> rows
            = {{0, 0, 10, true, 1.0f, false}, {0, 0, 20, true, 1.0f, false}, {0, 1, 0, false, 2.0f, true}};
        const auto path = file("raw.sqlite");
        write_dataset(a, path, rows, "purchase");
        const Dataset b = load_dataset(path);
        QCOMPARE(b.train_rows, int64_t(2));
        QCOMPARE(b.test_rows, int64_t(1));
        QCOMPARE(b.train.nnz(), int64_t(1));
        QCOMPARE(b.train.row_ts(0)[0], int64_t(20));
        QCOMPARE(b.train.row_weights(0)[0], 2.0f);
        QCOMPARE(b.test.row_ts(0)[0], int64_t(0)); // NULL ts reads as 0
    }

    void badFiles_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::addRow("missing file") << "missing.sqlite"
                                      << "no such file";
        QTest::addRow("empty file") << "empty.sqlite"
                                    << "not a RecLens dataset: table 'meta' is missing";
        QTest::addRow("random binary") << "random.bin"
                                       << "not a SQLite database";
        QTest::addRow("text file") << "text.csv"
                                   << "not a SQLite database";
        QTest::addRow("foreign sqlite") << "foreign.sqlite"
                                        << "not a RecLens dataset: table 'meta' is missing";
        QTest::addRow("no schema_version") << "noversion.sqlite"
                                           << "meta.schema_version is missing";
        QTest::addRow("future schema_version") << "v2.sqlite"
                                               << "schema_version 2 is not supported";
        QTest::addRow("corrupt") << "corrupt.sqlite"
                                 << "corrupt";
        QTest::addRow("no interactions") << "nointeractions.sqlite"
                                         << "has no interactions";
        QTest::addRow("dangling item") << "dangling.sqlite"
                                       << "unknown item_id";
        QTest::addRow("folder") << "afolder"
                                << "is a folder";
    }
    void badFiles()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        const std::string path = file(name.toUtf8().constData());
        const std::string n = name.toStdString();
        if (n == "empty.sqlite") {
            std::ofstream(path).close();
        } else if (n == "random.bin") {
            std::mt19937 rng(1);
            std::ofstream out(path, std::ios::binary);
            for (int k = 0; k < 8192; ++k)
                out.put(static_cast<char>(rng() & 0xff));
        } else if (n == "text.csv") {
            std::ofstream(path) << "user,item\n1,2\n";
        } else if (n == "foreign.sqlite") {
            make_sqlite(path, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
        } else if (n == "noversion.sqlite" || n == "v2.sqlite" || n == "nointeractions.sqlite"
                   || n == "dangling.sqlite") {
            write_dataset(sample(), path);
            const char *sql = n == "noversion.sqlite" ? "DELETE FROM meta WHERE key = 'schema_version'"
                : n == "v2.sqlite"                    ? "UPDATE meta SET value = '2' WHERE key = 'schema_version'"
                : n == "nointeractions.sqlite"        ? "DELETE FROM interactions"
                                                      : "UPDATE interactions SET item_id = 12345 WHERE rowid = 1";
            make_sqlite(path, sql);
        } else if (n == "corrupt.sqlite") {
            write_dataset(sample(), path);
            // Overwrite everything after the 100-byte header: the page structure is garbage.
            std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(100);
            const auto size = fs::file_size(path);
            for (uintmax_t k = 100; k < size; ++k)
                f.put(static_cast<char>(0xA5));
        } else if (n == "afolder") {
            fs::create_directory(path);
        }
        const auto size_before = fs::exists(path) && !fs::is_directory(path) ? fs::file_size(path) : 0;
        const std::string message = error_of([&] { load_dataset(path); });
        QVERIFY2(!message.empty(), "expected an error");
        QVERIFY2(message.rfind(path + ":", 0) == 0, message.c_str()); // names the file first
        QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
        QVERIFY2(message.find('\n') == std::string::npos, message.c_str());
        if (fs::exists(path) && !fs::is_directory(path))
            QCOMPARE(fs::file_size(path), size_before); // read-only: never changed
    }

    void truncatedFilesFailCleanly_data()
    {
        QTest::addColumn<double>("keep"); // share of the file kept
        QTest::addRow("1 byte") << 0.0;
        QTest::addRow("a tenth") << 0.1;
        QTest::addRow("half") << 0.5;
        QTest::addRow("all but the last page") << 0.9;
    }
    void truncatedFilesFailCleanly()
    {
        QFETCH(double, keep);
        const auto path = file("truncated.sqlite");
        write_dataset(sample(), path);
        const auto size = fs::file_size(path);
        const auto page = uintmax_t(4096);
        // Cut at a page boundary (or 1 byte), as a copy interrupted mid-way would.
        const auto cut
            = keep == 0.0 ? uintmax_t(1) : std::max(page, (static_cast<uintmax_t>(keep * size) / page) * page);
        QVERIFY(cut < size);
        fs::resize_file(path, cut);
        const auto message = error_of([&] { load_dataset(path); });
        QVERIFY2(message.rfind(path + ":", 0) == 0, message.c_str());
        QVERIFY2(message.find('\n') == std::string::npos, message.c_str());
        fs::remove(path);
    }

    void writeRefusesTheInputFile()
    {
        const auto path = file("self.sqlite");
        write_dataset(sample(), path);
        Dataset loaded = load_dataset(path);
        const auto message = error_of([&] { write_dataset(loaded, path); });
        QVERIFY2(message.find("refusing to overwrite") != std::string::npos, message.c_str());
        expectNoLeftovers();
    }

    void writeIntoMissingFolderFails()
    {
        const auto path = file("no/such/folder/x.sqlite");
        const auto message = error_of([&] { write_dataset(sample(), path); });
        QVERIFY2(message.find("does not exist") != std::string::npos, message.c_str());
        QVERIFY(!fs::exists(path));
    }

    void failedWriteLeavesNothing()
    {
        Dataset d = sample();
        d.item_ids[1] = d.item_ids[0]; // PRIMARY KEY violation inside the transaction
        const auto path = file("dup.sqlite");
        const auto message = error_of([&] { write_dataset(d, path); });
        QVERIFY2(message.rfind(path + ":", 0) == 0, message.c_str());
        QVERIFY(!fs::exists(path));
        expectNoLeftovers();
    }

    void cancelledWriteLeavesNothing()
    {
        const auto path = file("cancel.sqlite");
        QVERIFY_THROWS_EXCEPTION(
            Cancelled, write_dataset(sample(), path, {}, "x", [](double f, std::string_view) { return f < 0.5; }));
        QVERIFY(!fs::exists(path));
        expectNoLeftovers();
    }

    void failedWriteKeepsThePreviousFile()
    {
        const auto path = file("keep.sqlite");
        write_dataset(sample(), path);
        const auto before = fs::file_size(path);
        Dataset d = sample();
        d.user_ids[1] = d.user_ids[0];
        QVERIFY(!error_of([&] { write_dataset(d, path); }).empty());
        QCOMPARE(fs::file_size(path), before);
        QCOMPARE(load_dataset(path).n_users(), 3);
    }
};

QTEST_GUILESS_MAIN(TestDatasetRepository)
#include "tst_datasetrepository.moc"

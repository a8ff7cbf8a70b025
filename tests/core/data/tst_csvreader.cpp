// The CSV reader: RFC 4180 quoting, BOM, CRLF, empty fields, blank lines, exact start lines of rows
// (also after embedded newlines), malformed quoting reported per row, fatal unterminated quotes.
#include "core/common/error.h"
#include "core/data/csvreader.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace reclens;

namespace {

struct Read {
    std::vector<std::string> header;
    std::vector<CsvRow> rows;
};

Read read_text(const QTemporaryDir &dir, const std::string &text, char delimiter = ',')
{
    const std::string path = dir.path().toStdString() + "/in.csv";
    std::ofstream(path, std::ios::binary) << text;
    CsvReader reader(path, delimiter);
    Read r;
    r.header = reader.header();
    CsvRow row;
    while (reader.next(row))
        r.rows.push_back(row);
    return r;
}

using Fields = std::vector<std::string>;

} // namespace

class TestCsvReader : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

private slots:
    void parses_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("delimiter");
        QTest::addColumn<QStringList>("header");
        QTest::addColumn<QStringList>("fields"); // all data fields, rows joined with '|' per row
        QTest::addColumn<QList<int>>("lines");
        QTest::addRow("plain") << QByteArray("a,b\n1,2\n3,4\n") << "," << QStringList{"a", "b"}
                               << QStringList{"1|2", "3|4"} << QList<int>{2, 3};
        QTest::addRow("no final newline")
            << QByteArray("a,b\n1,2") << "," << QStringList{"a", "b"} << QStringList{"1|2"} << QList<int>{2};
        QTest::addRow("crlf") << QByteArray("a,b\r\n1,2\r\n3,4\r\n") << "," << QStringList{"a", "b"}
                              << QStringList{"1|2", "3|4"} << QList<int>{2, 3};
        QTest::addRow("bom") << QByteArray("\xEF\xBB\xBFid,x\n7,8\n") << "," << QStringList{"id", "x"}
                             << QStringList{"7|8"} << QList<int>{2};
        QTest::addRow("quotes") << QByteArray("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n") << "," << QStringList{"a", "b"}
                                << QStringList{"x, y|say \"hi\""} << QList<int>{2};
        QTest::addRow("embedded newline") << QByteArray("a,b\n\"two\nlines\",1\n3,4\n") << "," << QStringList{"a", "b"}
                                          << QStringList{"two\nlines|1", "3|4"} << QList<int>{2, 4};
        QTest::addRow("embedded crlf") << QByteArray("a,b\r\n\"two\r\nlines\",1\r\n3,4\r\n") << ","
                                       << QStringList{"a", "b"} << QStringList{"two\r\nlines|1", "3|4"}
                                       << QList<int>{2, 4};
        QTest::addRow("empty fields") << QByteArray("a,b,c\n,,\n1,,\"\"\n") << "," << QStringList{"a", "b", "c"}
                                      << QStringList{"||", "1||"} << QList<int>{2, 3};
        QTest::addRow("blank lines skipped")
            << QByteArray("a\n\n1\n\r\n2\n") << "," << QStringList{"a"} << QStringList{"1", "2"} << QList<int>{3, 5};
        QTest::addRow("semicolon") << QByteArray("a;b\n1,5;2\n") << ";" << QStringList{"a", "b"} << QStringList{"1,5|2"}
                                   << QList<int>{2};
        QTest::addRow("tab") << QByteArray("a\tb\n1\t2\n") << "\t" << QStringList{"a", "b"} << QStringList{"1|2"}
                             << QList<int>{2};
        QTest::addRow("header spaces trimmed")
            << QByteArray(" a , b\n1,2\n") << "," << QStringList{"a", "b"} << QStringList{"1|2"} << QList<int>{2};
        QTest::addRow("header only") << QByteArray("a,b\n") << "," << QStringList{"a", "b"} << QStringList{}
                                     << QList<int>{};
    }
    void parses()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, delimiter);
        QFETCH(QStringList, header);
        QFETCH(QStringList, fields);
        QFETCH(QList<int>, lines);
        const Read r = read_text(m_tmp, text.toStdString(), delimiter.toLatin1().at(0));
        QStringList h;
        for (const auto &f : r.header)
            h << QString::fromStdString(f);
        QCOMPARE(h, header);
        QStringList got;
        QList<int> got_lines;
        for (const auto &row : r.rows) {
            QVERIFY2(row.error.empty(), row.error.c_str());
            QStringList parts;
            for (const auto &f : row.fields)
                parts << QString::fromStdString(f);
            got << parts.join(QLatin1Char('|'));
            got_lines << static_cast<int>(row.line);
        }
        QCOMPARE(got, fields);
        QCOMPARE(got_lines, lines);
    }

    void malformedQuotingIsReportedAndReadingResumes()
    {
        const Read r = read_text(m_tmp, "a,b\n1,2\n3,\"x\"y\n\"multi\nline\",5\n4,\"5\"\"\"\n6,7\"\n8,9\n");
        // rows: line 2 ok; line 3 text after a closing quote; line 4-5 ok; line 6 ok ("5""" = 5");
        // line 7 a quote inside an unquoted field; line 8 ok.
        QCOMPARE(r.rows.size(), size_t(6));
        QCOMPARE(r.rows[0].fields, (Fields{"1", "2"}));
        QCOMPARE(r.rows[1].line, 3L);
        QVERIFY(!r.rows[1].error.empty());
        QCOMPARE(r.rows[2].line, 4L);
        QCOMPARE(r.rows[2].fields, (Fields{"multi\nline", "5"}));
        QCOMPARE(r.rows[3].fields, (Fields{"4", "5\""}));
        QCOMPARE(r.rows[4].line, 7L);
        QVERIFY(!r.rows[4].error.empty());
        QCOMPARE(r.rows[5].line, 8L);
        QCOMPARE(r.rows[5].fields, (Fields{"8", "9"}));
    }

    // Which fields were quoted (an unquoted NA is a missing value, a quoted "NA" text; DESIGN §9),
    // through embedded newlines and delimiters, doubled quotes, blanks before a quote, CRLF, a blank
    // line, a malformed row (the rows after it still right) and a last row without a line end.
    void quotedFields()
    {
        using Flags = std::vector<uint8_t>;
        const Read r = read_text(m_tmp, "\xEF\xBB\xBF\"h1\",h2,h3\r\n"
                                        "NA,\"NA\", \"x\"\r\n"
                                        "\r\n"
                                        "   \n"
                                        "\"two\nlines, and a comma\",\"say \"\"hi\"\"\",\n"
                                        "1,2\"3,4\n"
                                        ",\"\",nan\n"
                                        "\"a\"\"\",b,\"c\"");
        QCOMPARE(r.header, (Fields{"h1", "h2", "h3"}));
        QCOMPARE(r.rows.size(), size_t(5));
        QCOMPARE(r.rows[0].fields, (Fields{"NA", "NA", "x"}));
        QCOMPARE(r.rows[0].quoted, (Flags{0, 1, 1}));
        QVERIFY(!r.rows[0].was_quoted(0) && r.rows[0].was_quoted(1) && !r.rows[0].was_quoted(7));
        QCOMPARE(r.rows[1].fields, (Fields{"two\nlines, and a comma", "say \"hi\"", ""}));
        QCOMPARE(r.rows[1].quoted, (Flags{1, 1, 0}));
        QVERIFY(!r.rows[2].error.empty()); // a quote inside an unquoted field
        QCOMPARE(r.rows[3].fields, (Fields{"", "", "nan"}));
        QCOMPARE(r.rows[3].quoted, (Flags{0, 1, 0}));
        QCOMPARE(r.rows[4].fields, (Fields{"a\"", "b", "c"}));
        QCOMPARE(r.rows[4].quoted, (Flags{1, 0, 1}));
    }

    void widthProblem()
    {
        const std::string path = m_tmp.path().toStdString() + "/w.csv";
        std::ofstream(path) << "a,b\n1\n1,2,3\n1,2\n";
        CsvReader reader(path);
        CsvRow row;
        QVERIFY(reader.next(row));
        QCOMPARE(reader.width_problem(row), std::string("expected 2 fields, found 1"));
        QVERIFY(reader.next(row));
        QCOMPARE(reader.width_problem(row), std::string("expected 2 fields, found 3"));
        QVERIFY(reader.next(row));
        QVERIFY(reader.width_problem(row).empty());
        QCOMPARE(reader.fraction(), 1.0);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::addRow("empty file") << QByteArray() << "in.csv: the file is empty";
        QTest::addRow("only blank lines") << QByteArray("\n\r\n\n") << "in.csv: the file is empty";
        QTest::addRow("unterminated quote")
            << QByteArray("a,b\n1,2\n3,\"open\n4,5\n") << "in.csv:3: a quoted field is never closed";
        QTest::addRow("malformed header") << QByteArray("a,\"b\"c\n1,2\n") << "in.csv:1: the header line is malformed";
    }
    void errors()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        std::string message;
        try {
            read_text(m_tmp, text.toStdString());
        } catch (const Error &e) {
            message = e.what();
        }
        QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    }

    void requireColumnNamesFileAndColumns()
    {
        const std::string path = m_tmp.path().toStdString() + "/c.csv";
        std::ofstream(path) << "user,item\n1,2\n";
        CsvReader reader(path);
        QCOMPARE(reader.require_column("item"), 1);
        QCOMPARE(reader.column("time"), -1);
        std::string message;
        try {
            reader.require_column("time");
        } catch (const Error &e) {
            message = e.what();
        }
        QCOMPARE(message,
                 path
                     + ":1: missing required column 'time' (columns found: user, item); check the file or the column "
                       "options");
    }

    void missingFile() { QVERIFY_THROWS_EXCEPTION(Error, CsvReader(m_tmp.path().toStdString() + "/nope.csv")); }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "tst_csvreader.moc"

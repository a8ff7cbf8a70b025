// reclens-cli import/info as a user runs them: bad inputs give exit code 1, exactly one line on
// stderr that names the file (and line where there is one), and leave no output file; a good import
// prints its report and `info --json` has exactly the keys of the CLI contract.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int code = -1;
    QString out;
    QString err;
};

Run cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(RECLENS_CLI), args);
    if (!p.waitForFinished(60000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString cases(const char *name)
{
    return QStringLiteral(RECLENS_TEST_DATA "/import/") + QLatin1String(name);
}

} // namespace

class TestCliData : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_bad; // folder with broken dataset files made in initTestCase

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_bad = m_tmp.filePath(QStringLiteral("bad"));
        QVERIFY(QDir().mkpath(m_bad));
        // random binary
        QFile random(m_bad + QStringLiteral("/random.sqlite"));
        QVERIFY(random.open(QIODevice::WriteOnly));
        QRandomGenerator rng(3);
        QByteArray bytes(4096, '\0');
        for (auto &b : bytes)
            b = static_cast<char>(rng.bounded(256));
        random.write(bytes);
        random.close();
        // a valid dataset, then corrupted after the SQLite header
        const QString good = m_bad + QStringLiteral("/corrupt.sqlite");
        const Run r = cli({QStringLiteral("import"), QStringLiteral("movielens"), cases("ml_wellformed"),
                           QStringLiteral("--out"), good});
        QCOMPARE(r.code, 0);
        QFile f(good);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(100);
        f.write(QByteArray(static_cast<int>(f.size()) - 100, '\xA5'));
        f.close();
        QFile empty(m_bad + QStringLiteral("/empty.sqlite"));
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.close();
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("expected"); // substrings of the one stderr line
        const QString ml = QStringLiteral("movielens");
        const QString csv = QStringLiteral("csv");
        QTest::addRow("malformed csv, strict")
            << QStringList{ml, cases("ml_malformed"), QStringLiteral("--strict")}
            << QStringList{QStringLiteral("ratings.csv:3:"), QStringLiteral("not a number")};
        QTest::addRow("empty file") << QStringList{ml, cases("ml_empty_ratings")}
                                    << QStringList{QStringLiteral("ratings.csv: the file is empty")};
        QTest::addRow("missing column") << QStringList{ml, cases("ml_missing_column")}
                                        << QStringList{QStringLiteral("ratings.csv:1:"),
                                                       QStringLiteral("missing required column 'rating'")};
        QTest::addRow("missing folder") << QStringList{ml, cases("no_such_case")}
                                        << QStringList{QStringLiteral("no_such_case: no such folder")};
        QTest::addRow("unterminated quote")
            << QStringList{csv,
                           QStringLiteral("--interactions"),
                           cases("csv_unterminated_quote") + QStringLiteral("/interactions.csv"),
                           QStringLiteral("--user-col"),
                           QStringLiteral("user"),
                           QStringLiteral("--item-col"),
                           QStringLiteral("item")}
            << QStringList{QStringLiteral("interactions.csv:3:"), QStringLiteral("never closed")};
        QTest::addRow("random binary csv")
            << QStringList{csv,
                           QStringLiteral("--interactions"),
                           cases("csv_random_binary") + QStringLiteral("/interactions.csv"),
                           QStringLiteral("--user-col"),
                           QStringLiteral("user"),
                           QStringLiteral("--item-col"),
                           QStringLiteral("item")}
            << QStringList{QStringLiteral("interactions.csv")};
        QTest::addRow("wrong user column")
            << QStringList{csv,
                           QStringLiteral("--interactions"),
                           cases("csv_missing_user_col") + QStringLiteral("/interactions.csv"),
                           QStringLiteral("--user-col"),
                           QStringLiteral("customer"),
                           QStringLiteral("--item-col"),
                           QStringLiteral("item")}
            << QStringList{QStringLiteral("interactions.csv:1:"), QStringLiteral("'customer'")};
        QTest::addRow("bad delimiter") << QStringList{
            csv,
            QStringLiteral("--interactions"),
            cases("csv_semicolon_no_time") + QStringLiteral("/interactions.csv"),
            QStringLiteral("--user-col"),
            QStringLiteral("u"),
            QStringLiteral("--item-col"),
            QStringLiteral("i"),
            QStringLiteral("--delimiter"),
            QStringLiteral(";;")} << QStringList{QStringLiteral("--delimiter")};
    }
    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, expected);
        QTemporaryDir outDir;
        const QString out = outDir.filePath(QStringLiteral("out.sqlite"));
        const Run r = cli(QStringList{QStringLiteral("import")} + args + QStringList{QStringLiteral("--out"), out});
        QCOMPARE(r.code, 1);
        const QStringList lines = r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].startsWith(QStringLiteral("reclens-cli: error: ")), qPrintable(lines[0]));
        for (const auto &part : expected)
            QVERIFY2(lines[0].contains(part),
                     qPrintable(lines[0] + QStringLiteral("  [missing: ") + part + QLatin1Char(']')));
        QVERIFY(r.out.isEmpty()); // no report for a failed import
        QCOMPARE(QDir(outDir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList{});
    }

    void infoBadFile_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::addRow("random binary") << "random.sqlite"
                                       << "not a SQLite database";
        QTest::addRow("corrupt") << "corrupt.sqlite"
                                 << "corrupt";
        QTest::addRow("empty") << "empty.sqlite"
                               << "not a RecLens dataset";
        QTest::addRow("missing") << "missing.sqlite"
                                 << "no such file";
    }
    void infoBadFile()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        const QString path = m_bad + QLatin1Char('/') + name;
        const QByteArray before = QFile::exists(path) ? [&] { QFile f(path); f.open(QIODevice::ReadOnly); return f.readAll(); }() : QByteArray();
        const Run r = cli({QStringLiteral("info"), path, QStringLiteral("--json")});
        QCOMPARE(r.code, 1);
        const QStringList lines = r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].contains(path) && lines[0].contains(expected), qPrintable(lines[0]));
        if (QFile::exists(path)) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), before); // opened read-only, never changed
        }
    }

    void importThenInfoJson()
    {
        const QString out = m_tmp.filePath(QStringLiteral("ml.sqlite"));
        const Run imp = cli({QStringLiteral("import"), QStringLiteral("movielens"), cases("ml_wellformed"),
                             QStringLiteral("--out"), out});
        QCOMPARE(imp.code, 0);
        QVERIFY2(imp.out.contains(QStringLiteral("users: 3")), qPrintable(imp.out));
        QVERIFY(imp.err.isEmpty());
        const Run info = cli({QStringLiteral("info"), out, QStringLiteral("--json")});
        QCOMPARE(info.code, 0);
        const QJsonObject j = QJsonDocument::fromJson(info.out.toUtf8()).object();
        QStringList keys = j.keys();
        keys.sort();
        QCOMPARE(keys,
                 (QStringList{QStringLiteral("brands"), QStringLiteral("categories"), QStringLiteral("category_levels"),
                              QStringLiteral("items"), QStringLiteral("test_interactions"),
                              QStringLiteral("train_interactions"), QStringLiteral("users")}));
        // Hand-checked in tests/data/import/ml_wellformed/case.json.
        QCOMPARE(j.value(QStringLiteral("users")).toInt(), 3);
        QCOMPARE(j.value(QStringLiteral("items")).toInt(), 5);
        QCOMPARE(j.value(QStringLiteral("categories")).toInt(), 3);
        QCOMPARE(j.value(QStringLiteral("category_levels")).toInt(), 1);
        QCOMPARE(j.value(QStringLiteral("brands")).toInt(), 0);
        QCOMPARE(j.value(QStringLiteral("train_interactions")).toInt(), 6);
        QCOMPARE(j.value(QStringLiteral("test_interactions")).toInt(), 2);
    }

    void badOptionValue()
    {
        QTemporaryDir outDir;
        const Run r = cli({QStringLiteral("import"), QStringLiteral("movielens"), cases("ml_wellformed"),
                           QStringLiteral("--split"), QStringLiteral("weekly"), QStringLiteral("--out"),
                           outDir.filePath(QStringLiteral("x.sqlite"))});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains(QStringLiteral("--split")), qPrintable(r.err));
        QCOMPARE(QDir(outDir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList{});
    }
};

QTEST_GUILESS_MAIN(TestCliData)
#include "tst_cli_data.moc"

// Timestamp parsing. Expected epoch seconds come from Python's datetime (see each row's comment).
#include "core/data/timestamp.h"

#include <QTest>

#include <limits>

using namespace reclens;

class TestTimestamp : public QObject {
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("expected"); // INT64_MIN = invalid
        const qint64 bad = std::numeric_limits<qint64>::min();
        // datetime(2017,1,28,14,6,53,tzinfo=timezone(timedelta(hours=-5))).timestamp()
        QTest::addRow("offset -0500") << "2017-01-28T14:06:53-0500" << qint64(1485630413);
        QTest::addRow("offset -05:00") << "2017-01-28T14:06:53-05:00" << qint64(1485630413);
        QTest::addRow("offset -05") << "2017-01-28T14:06:53-05" << qint64(1485630413);
        QTest::addRow("zulu") << "2017-01-28T19:06:53Z" << qint64(1485630413);
        QTest::addRow("space, no offset = UTC") << "2017-01-28 19:06:53" << qint64(1485630413);
        QTest::addRow("fraction truncated") << "2017-01-28T19:06:53.999Z" << qint64(1485630413);
        QTest::addRow("daylight time -0400") << "2017-07-04T08:00:00-0400" << qint64(1499169600);
        QTest::addRow("positive half-hour offset") << "2000-01-01T12:30:00+05:30" << qint64(946710000);
        QTest::addRow("date only") << "2017-01-28" << qint64(1485561600);
        QTest::addRow("leap day") << "2020-02-29" << qint64(1582934400);
        QTest::addRow("minutes only") << "2017-01-28T19:06Z" << qint64(1485630360);
        QTest::addRow("epoch integer") << "964982703" << qint64(964982703);
        QTest::addRow("negative epoch") << "-1" << qint64(-1);
        QTest::addRow("before 1970") << "1969-12-31T23:59:59Z" << qint64(-1);
        QTest::addRow("surrounding spaces") << "  2017-01-28  " << qint64(1485561600);
        QTest::addRow("empty") << "" << bad;
        QTest::addRow("text") << "yesterday" << bad;
        QTest::addRow("no leap day 2019") << "2019-02-29" << bad;
        QTest::addRow("month 13") << "2017-13-01" << bad;
        QTest::addRow("hour 24") << "2017-01-01T24:00:00" << bad;
        QTest::addRow("trailing junk") << "2017-01-01T10:00:00-0500x" << bad;
        QTest::addRow("decimal epoch") << "12.5" << bad;
        QTest::addRow("slashes") << "2017/01/28" << bad;
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(qint64, expected);
        const auto got = parse_timestamp(text.toStdString());
        if (expected == std::numeric_limits<qint64>::min()) {
            QVERIFY2(!got.has_value(), qPrintable(text));
        } else {
            QVERIFY2(got.has_value(), qPrintable(text));
            QCOMPARE(static_cast<qint64>(*got), expected);
        }
    }

    void daysFromCivil()
    {
        QCOMPARE(days_from_civil(1970, 1, 1), int64_t(0));
        QCOMPARE(days_from_civil(2000, 3, 1), int64_t(11017)); // date(2000,3,1) - date(1970,1,1)
        QCOMPARE(days_from_civil(1969, 12, 31), int64_t(-1));
    }
};

QTEST_GUILESS_MAIN(TestTimestamp)
#include "tst_timestamp.moc"

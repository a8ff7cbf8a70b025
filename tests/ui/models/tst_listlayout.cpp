// fitListRow: which columns give way, in which order, and what the title keeps; every expectation
// worked out by hand from the widths in each row (docs/gui.md, "Readable where people work").
#include "ui/models/listlayout.h"

#include <QTest>

using namespace reclens::ui;

class TestListLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fit_data()
    {
        QTest::addColumn<int>("rowWidth");
        QTest::addColumn<int>("lists");
        QTest::addColumn<int>("compare");
        QTest::addColumn<bool>("brandsAndPrices");
        QTest::addColumn<int>("gaveWay");
        QTest::addColumn<bool>("compareInRow");
        QTest::addColumn<int>("category");
        QTest::addColumn<int>("score");
        QTest::addColumn<int>("title");
        QTest::addColumn<bool>("fits");
        // 1416 for two lists: 708 each, 708 − 4 − 26 − 112 − 96 − 46 − 50 − 30 − 44 = 300.
        QTest::newRow("two lists, wide") << 1600 << 2 << 168 << true << 0 << true << 112 << 50 << 300 << true;
        // Three lists at 1080: brand, price, the short chip (title 82 with the panel: (1080−168−24)/3 =
        // 296), the panel leaves ((1080−16)/3 = 354: 140), the score goes: 354 − 4 − 26 − 60 − 30 − 44 = 190.
        QTest::newRow("three lists, laptop") << 1080 << 3 << 168 << true << 5 << false << 60 << 0 << 190 << true;
        // Four lists at 1130: (1130−24)/4 = 276; with the swatch 276 − 4 − 26 − 18 − 30 − 44 = 154 < 160,
        // without the category 172.
        QTest::newRow("four lists, laptop") << 1130 << 4 << 168 << true << 7 << false << 0 << 0 << 172 << true;
        // Four lists at 1000: (1000−24)/4 = 244; 244 − 4 − 26 − 30 − 44 = 140 < 160 even so.
        QTest::newRow("four lists, too narrow") << 1000 << 4 << 168 << true << 7 << false << 0 << 0 << 140 << false;
        // No brands or prices, no panel: (1000 − 8)/2 = 496, 496 − 4 − 26 − 112 − 50 − 30 − 44 = 230.
        QTest::newRow("two lists, no brands") << 1000 << 2 << 0 << false << 0 << false << 112 << 50 << 230 << true;
        // One list of 300: only the swatch leaves 160: 300 − 4 − 26 − 18 − 30 − 44 = 178.
        QTest::newRow("one narrow list") << 300 << 1 << 0 << true << 6 << false << 18 << 0 << 178 << true;
    }

    void fit()
    {
        QFETCH(int, rowWidth);
        QFETCH(int, lists);
        QFETCH(int, compare);
        QFETCH(bool, brandsAndPrices);
        ListRowInput in;
        in.rowWidth = rowWidth;
        in.lists = lists;
        in.compareWidth = compare;
        in.needs.title = 160;
        in.needs.brand = brandsAndPrices ? 96 : 0;
        in.needs.price = brandsAndPrices ? 46 : 0;
        const ListRowLayout l = fitListRow(in);
        QTEST(l.gaveWay, "gaveWay");
        QTEST(l.compareInRow, "compareInRow");
        QTEST(l.category, "category");
        QTEST(l.score, "score");
        QTEST(l.title, "title");
        QTEST(l.titleFits, "fits");
        // Brand and price are the first to go: present only while nothing has given way.
        QCOMPARE(l.brand, l.gaveWay < 1 ? in.needs.brand : 0);
        QCOMPARE(l.price, l.gaveWay < 2 ? in.needs.price : 0);
        // The widths add up to the list.
        QCOMPARE(l.title + l.rank + l.category + l.brand + l.price + l.score + l.hit + l.move + in.needs.frame,
                 l.listWidth);
    }
};

QTEST_APPLESS_MAIN(TestListLayout)
#include "tst_listlayout.moc"

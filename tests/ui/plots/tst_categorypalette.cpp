// One palette everywhere: the same category always gets the same colour, distinct categories get
// distinct colours, unknown is grey, and chip text stays readable.
#include "ui/plots/categorypalette.h"

#include <QSet>
#include <QTest>

using namespace reclens::ui;

class TestCategoryPalette : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void colourFollowsRank_data()
    {
        QTest::addColumn<int>("category");
        QTest::addColumn<QColor>("expected");
        // ranked {7, 2, 9}: 7 gets the first base colour, 2 the second, 9 the third
        QTest::addRow("first") << 7 << QColor::fromRgb(0x4e79a7);
        QTest::addRow("second") << 2 << QColor::fromRgb(0xf28e2b);
        QTest::addRow("third") << 9 << QColor::fromRgb(0xe15759);
        QTest::addRow("not ranked") << 3 << CategoryPalette::unknownColor();
        QTest::addRow("no category") << -1 << CategoryPalette::unknownColor();
        QTest::addRow("past the end") << 1000 << CategoryPalette::unknownColor();
    }
    void colourFollowsRank()
    {
        QFETCH(int, category);
        QFETCH(QColor, expected);
        const CategoryPalette palette({ 7, 2, 9 });
        QCOMPARE(palette.color(category), expected);
    }

    void manyColoursStayDistinct()
    {
        QSet<QRgb> seen;
        for (int i = 0; i < 40; ++i) {
            const QColor c = CategoryPalette::colorAt(i);
            QVERIFY(c.isValid());
            QVERIFY2(c != CategoryPalette::unknownColor(), qPrintable(QString::number(i)));
            seen.insert(c.rgb());
        }
        QCOMPARE(seen.size(), 40);
    }

    void textColour_data()
    {
        QTest::addColumn<QColor>("background");
        QTest::addColumn<QColor>("text");
        QTest::addRow("white") << QColor(Qt::white) << QColor(Qt::black);
        QTest::addRow("black") << QColor(Qt::black) << QColor(Qt::white);
        QTest::addRow("dark blue") << QColor::fromRgb(0x2f3b52) << QColor(Qt::white);
        QTest::addRow("yellow") << QColor::fromRgb(0xedc948) << QColor(Qt::black);
    }
    void textColour()
    {
        QFETCH(QColor, background);
        QFETCH(QColor, text);
        QCOMPARE(CategoryPalette::textColorOn(background), text);
    }
};

QTEST_APPLESS_MAIN(TestCategoryPalette)
#include "tst_categorypalette.moc"

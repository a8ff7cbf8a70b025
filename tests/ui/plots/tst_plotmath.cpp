// Plot maths: category bars, rank movement, ROC thinning, diversity scales, trade-off marker, axes.
// Expected values are hand-computed (comments give the arithmetic).
#include "ui/plots/plotmath.h"

#include <QTest>
#include <cmath>

using namespace reclens;
using namespace reclens::ui;
using Keys = std::vector<std::vector<int32_t>>;
using Groups = std::vector<int32_t>;
using Shares = std::vector<std::vector<double>>;
Q_DECLARE_METATYPE(Keys)
Q_DECLARE_METATYPE(Shares)
Q_DECLARE_METATYPE(Groups)
using Doubles = std::vector<double>;
Q_DECLARE_METATYPE(Doubles)

class TestPlotMath : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void categoryBars_data()
    {
        QTest::addColumn<Keys>("keys");
        QTest::addColumn<int>("maxGroups");
        QTest::addColumn<Groups>("groups");
        QTest::addColumn<Shares>("shares");
        // history: 3 of cat 5, 1 of cat 2; list: 1 of 2, 1 of 7 -> best shares 5:.75 2:.5 7:.5
        QTest::addRow("two series") << Keys { { 5, 5, 5, 2 }, { 2, 7 } } << 10 << Groups { 5, 2, 7 }
                                    << Shares { { 0.75, 0.25, 0.0 }, { 0.0, 0.5, 0.5 } };
        QTest::addRow("unknown bucket") << Keys { { -1, 3, -1, -1 } } << 10 << Groups { -1, 3 }
                                        << Shares { { 0.75, 0.25 } };
        // 4 categories, 3 groups allowed: 1 (.4), 2 (.3) kept, 3 and 4 (.2+.1) fold into other
        QTest::addRow("fold into other") << Keys { { 1, 1, 1, 1, 2, 2, 2, 3, 3, 4 } } << 3
                                         << Groups { 1, 2, CategoryBars::kOther } << Shares { { 0.4, 0.3, 0.3 } };
        QTest::addRow("empty series") << Keys { {}, { 4 } } << 5 << Groups { 4 } << Shares { { 0.0 }, { 1.0 } };
    }
    void categoryBars()
    {
        QFETCH(Keys, keys);
        QFETCH(int, maxGroups);
        QFETCH(Groups, groups);
        QFETCH(Shares, shares);
        const CategoryBars bars = CategoryBars::compute(keys, maxGroups);
        QCOMPARE(bars.categories, groups);
        QCOMPARE(bars.shares.size(), shares.size());
        for (size_t s = 0; s < shares.size(); ++s) {
            QCOMPARE(bars.shares[s].size(), shares[s].size());
            for (size_t g = 0; g < shares[s].size(); ++g)
                QVERIFY2(std::abs(bars.shares[s][g] - shares[s][g]) < 1e-12, qPrintable(QString::number(g)));
        }
    }

    void rankMove_data()
    {
        QTest::addColumn<Groups>("reference");
        QTest::addColumn<Groups>("shown");
        QTest::addColumn<QStringList>("labels");
        QTest::addColumn<Groups>("dropped");
        QTest::addRow("identical") << Groups { 1, 2, 3 } << Groups { 1, 2, 3 }
                                   << QStringList { u"–"_qs, u"–"_qs, u"–"_qs } << Groups {};
        QTest::addRow("swap and new") << Groups { 1, 2, 3 } << Groups { 3, 1, 9 }
                                      << QStringList { u"▲2"_qs, u"▼1"_qs, u"new"_qs } << Groups { 2 };
    }
    void rankMove()
    {
        QFETCH(Groups, reference);
        QFETCH(Groups, shown);
        QFETCH(QStringList, labels);
        QFETCH(Groups, dropped);
        const auto moves = RankMove::compare(reference, shown);
        QStringList got;
        for (const auto &m : moves)
            got << QString::fromStdString(m.label());
        QCOMPARE(got, labels);
        QCOMPARE(RankMove::dropped(reference, shown), dropped);
    }

    void rocThinning_data()
    {
        using V = Doubles;
        QTest::addColumn<V>("fpr");
        QTest::addColumn<V>("tpr");
        QTest::addColumn<int>("maxPoints");
        QTest::addColumn<V>("keptFpr");
        QTest::addColumn<V>("keptTpr");
        // collinear points on the way up and along the top are dropped, corners stay
        QTest::addRow("collinear dropped")
            << V { 0, 0, 0, 0.5, 1 } << V { 0, 0.5, 1, 1, 1 } << 4 << V { 0, 0, 1 } << V { 0, 1, 1 };
        QTest::addRow("short curve untouched") << V { 0, 1 } << V { 0, 1 } << 4 << V { 0, 1 } << V { 0, 1 };
        // staircase with 4 corners + ends = 6 points; 3 allowed: first, middle corner, last
        QTest::addRow("sampled") << V { 0, 0, 0.5, 0.5, 1, 1 } << V { 0, 0.5, 0.5, 1, 1, 1 } << 3 << V { 0, 0.5, 1 }
                                 << V { 0, 0.5, 1 };
    }
    void rocThinning()
    {
        using V = Doubles;
        QFETCH(V, fpr);
        QFETCH(V, tpr);
        QFETCH(int, maxPoints);
        QFETCH(V, keptFpr);
        QFETCH(V, keptTpr);
        const RocPoints thin = RocPoints::thin(fpr, tpr, static_cast<size_t>(maxPoints));
        QCOMPARE(thin.fpr, keptFpr);
        QCOMPARE(thin.tpr, keptTpr);
    }
    void rocThinningKeepsArea()
    {
        // 0.75 = hand-computed area of the staircase (0,0)-(0,.5)-(.5,.5)-(.5,1)-(1,1)
        const std::vector<double> fpr { 0, 0, 0.25, 0.5, 0.5, 0.75, 1 };
        const std::vector<double> tpr { 0, 0.5, 0.5, 0.5, 1, 1, 1 };
        const RocPoints thin = RocPoints::thin(fpr, tpr, 5);
        QCOMPARE(thin.fpr.size(), size_t { 5 });
        QCOMPARE(thin.area(), 0.75);
    }

    void diversityScale_data()
    {
        QTest::addColumn<QString>("metric");
        QTest::addColumn<double>("value");
        QTest::addColumn<double>("fraction");
        // k = 10, 1024 users, 8 categories at the level
        QTest::addRow("category_count") << u"category_count"_qs << 4.0 << 0.5; // 4 of min(10,8)
        QTest::addRow("entropy") << u"entropy"_qs << 1.5 << 0.5; // log2(8) = 3
        QTest::addRow("novelty") << u"novelty"_qs << 5.0 << 0.5; // log2(1024) = 10
        QTest::addRow("ild clamps") << u"ild_embedding"_qs << 1.3 << 1.0;
        QTest::addRow("kl") << u"calibration_kl"_qs << 1.0 << 0.25;
    }
    void diversityScale()
    {
        QFETCH(QString, metric);
        QFETCH(double, value);
        QFETCH(double, fraction);
        const auto scale = DiversityScale::forMetric(metric.toStdString(), 10, 1024, 8);
        QVERIFY2(
            std::abs(scale.fraction(value) - fraction) < 1e-12, qPrintable(QString::number(scale.fraction(value))));
    }

    void tradeoffPoint_data()
    {
        QTest::addColumn<double>("delta");
        QTest::addColumn<double>("x");
        QTest::addColumn<double>("y");
        QTest::addRow("start") << 0.0 << 0.2 << 0.30;
        QTest::addRow("between") << 0.25 << 0.3 << 0.25;
        QTest::addRow("on point") << 0.5 << 0.4 << 0.20;
        QTest::addRow("past end") << 2.0 << 0.8 << 0.10;
    }
    void tradeoffPoint()
    {
        QFETCH(double, delta);
        QFETCH(double, x);
        QFETCH(double, y);
        TradeoffCurve curve { { 0.0, 0.5, 1.0 }, { 0.2, 0.4, 0.8 }, { 0.30, 0.20, 0.10 } };
        double gx = 0, gy = 0;
        QVERIFY(curve.pointAt(delta, gx, gy));
        QVERIFY(std::abs(gx - x) < 1e-12);
        QVERIFY(std::abs(gy - y) < 1e-12);
        QVERIFY(!TradeoffCurve {}.pointAt(0.5, gx, gy));
    }

    void axisRange()
    {
        const std::vector<double> v { 2.0, 4.0, NAN };
        const AxisRange r = AxisRange::around(v, 0.5);
        QCOMPARE(r.lower, 1.0);
        QCOMPARE(r.upper, 5.0);
        const std::vector<double> flat { 3.0, 3.0 };
        const AxisRange f = AxisRange::around(flat);
        QVERIFY(f.upper > f.lower);
        const AxisRange z = AxisRange::around(v, 0.5, true);
        QCOMPARE(z.lower, 0.0);
    }

    // Labels 20 wide, lines of 10, gap 3 (NaN: left out); expectations worked out by hand from
    // plotmath.h's rule.
    void placeLabels_data()
    {
        const double out = std::numeric_limits<double>::quiet_NaN();
        QTest::addColumn<QList<double>>("centers");
        QTest::addColumn<QList<double>>("tops");
        QTest::addColumn<double>("ceiling");
        QTest::addColumn<QList<double>>("bottoms");
        // 100 apart: nothing touches.
        QTest::newRow("apart") << QList<double> { 0, 100 } << QList<double> { 50, 50 } << -1e9 << QList<double> { 50, 50 };
        // 15 apart < 20 + 3 at the same height: the second goes a line up (40: 10 from 50, free).
        QTest::newRow("neighbours") << QList<double> { 0, 15 } << QList<double> { 50, 50 } << -1e9 << QList<double> { 50, 40 };
        // The third is 30 from the first (no touch), a line below the second: on its bar.
        QTest::newRow("alternate") << QList<double> { 0, 15, 30 } << QList<double> { 50, 50, 50 } << -1e9
                                   << QList<double> { 50, 40, 50 };
        // Side by side but 50 apart in height: both on their bars.
        QTest::newRow("different heights") << QList<double> { 0, 15 } << QList<double> { 100, 50 } << -1e9
                                           << QList<double> { 100, 50 };
        // The neighbour's bar is 4 higher: the second goes above it (46 − 10 = 36), not 10 above its own.
        QTest::newRow("above a higher neighbour") << QList<double> { 0, 15 } << QList<double> { 46, 50 } << -1e9
                                                  << QList<double> { 46, 36 };
        // Four within 15: the first two take both places, the others touch the second up there.
        QTest::newRow("packed") << QList<double> { 0, 5, 10, 15 } << QList<double> { 50, 50, 50, 50 } << -1e9
                                << QList<double> { 50, 40, out, out };
        // Moving up would cross the ceiling (5 − 10 < 0): left out.
        QTest::newRow("ceiling") << QList<double> { 0, 15 } << QList<double> { 15, 15 } << 0.0 << QList<double> { 15, out };
    }

    void placeLabels()
    {
        QFETCH(QList<double>, centers);
        QFETCH(QList<double>, tops);
        QFETCH(double, ceiling);
        QFETCH(QList<double>, bottoms);
        std::vector<BarLabel> labels;
        for (qsizetype i = 0; i < centers.size(); ++i)
            labels.push_back({ centers[i], 20, tops[i] });
        const std::vector<double> got = placeBarLabels(labels, 10, 3, ceiling);
        QCOMPARE(static_cast<qsizetype>(got.size()), bottoms.size());
        for (qsizetype i = 0; i < bottoms.size(); ++i) {
            if (std::isnan(bottoms[i]))
                QVERIFY2(std::isnan(got[static_cast<size_t>(i)]), qPrintable(QString::number(got[static_cast<size_t>(i)])));
            else
                QCOMPARE(got[static_cast<size_t>(i)], bottoms[i]);
        }
    }
};

QTEST_APPLESS_MAIN(TestPlotMath)
#include "tst_plotmath.moc"

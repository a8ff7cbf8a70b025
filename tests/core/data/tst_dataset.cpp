// The in-memory Dataset: CSR building and lookups, popularity, category paths, levels and distances.
// Every expected value below is worked out by hand from the small tree built in make().
#include "core/common/error.h"
#include "core/data/dataset.h"

#include <QTest>

#include <cmath>

using namespace reclens;

namespace {

// Tree (indices):          0 Food           3 Drinks
//                          /     \              |
//                   1 Fruit   2 Bakery      4 Juice
//                      |
//                   5 Apples
// Items: 0 -> Apples (path 0,1,5), 1 -> Fruit (0,1), 2 -> Bakery (0,2), 3 -> Juice (3,4),
//        4 -> none, 5 -> Food (0), 6 -> Apples.
Dataset make()
{
    Dataset d;
    const std::vector<std::pair<const char *, int32_t>> cats
        = {{"Food", -1}, {"Fruit", 0}, {"Bakery", 0}, {"Drinks", -1}, {"Juice", 3}, {"Apples", 1}};
    for (size_t c = 0; c < cats.size(); ++c) {
        Category cat;
        cat.id = static_cast<int64_t>(c) + 10;
        cat.name = cats[c].first;
        cat.parent = cats[c].second;
        cat.level = 99; // finalize derives it from the parent chain
        d.categories.push_back(cat);
    }
    const std::vector<int32_t> item_cat = {5, 1, 2, 4, -1, 0, 5};
    for (size_t i = 0; i < item_cat.size(); ++i) {
        d.item_ids.push_back(static_cast<int64_t>(i) + 100);
        d.item_external.push_back("i" + std::to_string(i));
        d.item_title.push_back("Item " + std::to_string(i));
        d.item_category.push_back(item_cat[i]);
        d.item_brand.push_back(-1);
        d.item_price.push_back(std::nan(""));
    }
    for (int u = 0; u < 3; ++u) {
        d.user_ids.push_back(u + 1);
        d.user_external.push_back("u" + std::to_string(u));
    }
    // user 0 buys item 3 twice (ts 5 and 9, weights 1 and 2) and item 1; user 1 nothing in train;
    // user 2 items 3 and 0. Test: user 1 item 6.
    const std::vector<CsrEntry> train
        = {{0, 3, 5, 1.0f}, {2, 0, 1, 1.0f}, {0, 1, 7, 1.0f}, {0, 3, 9, 2.0f}, {2, 3, 2, 1.0f}};
    const std::vector<CsrEntry> test = {{1, 6, 3, 1.0f}};
    d.train = make_csr(3, train);
    d.test = make_csr(3, test);
    d.finalize();
    return d;
}

std::vector<int32_t> vec(std::span<const int32_t> s)
{
    return {s.begin(), s.end()};
}

} // namespace

class TestDataset : public QObject {
    Q_OBJECT

private:
    Dataset m_d = make();

private slots:
    void csrRowsAreSortedAndDeduplicated()
    {
        QCOMPARE(m_d.train.offsets, (std::vector<int64_t>{0, 2, 2, 4}));
        QCOMPARE(vec(m_d.train.row(0)), (std::vector<int32_t>{1, 3}));
        QCOMPARE(vec(m_d.train.row(2)), (std::vector<int32_t>{0, 3}));
        QCOMPARE(m_d.train.row_size(1), int64_t(0));
        // Duplicate (0,3): latest ts, summed weight.
        QCOMPARE(m_d.train.row_ts(0)[1], int64_t(9));
        QCOMPARE(m_d.train.row_weights(0)[1], 3.0f);
        QCOMPARE(m_d.train.nnz(), int64_t(4));
        QCOMPARE(m_d.train_rows, int64_t(4)); // built in memory: rows = nnz
    }

    void contains_data()
    {
        QTest::addColumn<int>("user");
        QTest::addColumn<int>("item");
        QTest::addColumn<bool>("expected");
        QTest::addRow("u0 i1") << 0 << 1 << true;
        QTest::addRow("u0 i3") << 0 << 3 << true;
        QTest::addRow("u0 i2") << 0 << 2 << false;
        QTest::addRow("u1 empty row") << 1 << 3 << false;
        QTest::addRow("u2 i0") << 2 << 0 << true;
        QTest::addRow("u2 i6") << 2 << 6 << false;
    }
    void contains()
    {
        QFETCH(int, user);
        QFETCH(int, item);
        QFETCH(bool, expected);
        QCOMPARE(m_d.train.contains(user, item), expected);
    }

    void popularityCountsDistinctTrainUsers()
    {
        // item 3: users 0 (twice) and 2 -> 2; item 6 only in test -> 0.
        QCOMPARE(m_d.popularity, (std::vector<int32_t>{1, 1, 0, 2, 0, 0, 0}));
    }

    void pathsAndLevels()
    {
        QCOMPARE(m_d.category_levels, 3);
        QCOMPARE(vec(m_d.item_path(0)), (std::vector<int32_t>{0, 1, 5}));
        QCOMPARE(vec(m_d.item_path(1)), (std::vector<int32_t>{0, 1}));
        QCOMPARE(vec(m_d.item_path(3)), (std::vector<int32_t>{3, 4}));
        QVERIFY(m_d.item_path(4).empty());
        QCOMPARE(m_d.categories[5].level, 3);
        QCOMPARE(m_d.categories[3].level, 1);
        QCOMPARE(m_d.categories[4].level, 2);
    }

    void categoryAtLevel_data()
    {
        QTest::addColumn<int>("item");
        QTest::addColumn<int>("level");
        QTest::addColumn<int>("expected");
        QTest::addRow("apples l1") << 0 << 1 << 0;
        QTest::addRow("apples l2") << 0 << 2 << 1;
        QTest::addRow("apples l3") << 0 << 3 << 5;
        QTest::addRow("fruit l3 -> deepest") << 1 << 3 << 1;
        QTest::addRow("food l2 -> deepest") << 5 << 2 << 0;
        QTest::addRow("juice l1") << 3 << 1 << 3;
        QTest::addRow("none") << 4 << 1 << -1;
        QTest::addRow("level above H") << 0 << 7 << 5;
    }
    void categoryAtLevel()
    {
        QFETCH(int, item);
        QFETCH(int, level);
        QFETCH(int, expected);
        QCOMPARE(m_d.category_at_level(item, level), expected);
    }

    void distance_data()
    {
        QTest::addColumn<int>("a");
        QTest::addColumn<int>("b");
        QTest::addColumn<double>("expected");
        // H = 3, d = (3 - shared) / 3.
        QTest::addRow("same item") << 0 << 0 << 0.0;
        QTest::addRow("same leaf, two items") << 0 << 6 << 0.0;
        QTest::addRow("apples vs fruit (Fruit continues as Fruit at level 3)") << 0 << 1 << 1.0 / 3;
        QTest::addRow("apples vs bakery") << 0 << 2 << 2.0 / 3;
        QTest::addRow("apples vs food") << 0 << 5 << 2.0 / 3;
        QTest::addRow("fruit vs bakery") << 1 << 2 << 2.0 / 3;
        QTest::addRow("apples vs juice") << 0 << 3 << 1.0;
        QTest::addRow("unknown vs apples") << 4 << 0 << 1.0;
        QTest::addRow("unknown vs itself") << 4 << 4 << 0.0;
        QTest::addRow("symmetric") << 2 << 0 << 2.0 / 3;
    }
    void distance()
    {
        QFETCH(int, a);
        QFETCH(int, b);
        QFETCH(double, expected);
        QCOMPARE(m_d.category_distance(a, b), expected);
    }

    void twoUnknownItemsAreAtDistanceOne()
    {
        Dataset d = make();
        d.item_category[6] = -1;
        d.finalize();
        QCOMPARE(d.category_distance(4, 6), 1.0);
    }

    void lookups()
    {
        QCOMPARE(m_d.find_item("i3"), 3);
        QCOMPARE(m_d.find_item("nope"), -1);
        QCOMPARE(m_d.find_user("u2"), 2);
        QCOMPARE(m_d.find_user("i0"), -1);
        QCOMPARE(m_d.top_category(0), 0);
        QCOMPARE(m_d.top_category(4), -1);
    }

    void finalizeRejectsBrokenInput_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addRow("category cycle") << 0;
        QTest::addRow("unknown category index") << 1;
        QTest::addRow("duplicate item id") << 2;
        QTest::addRow("csr item out of range") << 3;
        QTest::addRow("column length mismatch") << 4;
    }
    void finalizeRejectsBrokenInput()
    {
        QFETCH(int, kind);
        Dataset d = make();
        switch (kind) {
        case 0:
            d.categories[0].parent = 5;
            break;
        case 1:
            d.item_category[2] = 42;
            break;
        case 2:
            d.item_external[1] = "i0";
            break;
        case 3:
            d.train.items[0] = 99;
            break;
        case 4:
            d.item_title.pop_back();
            break;
        }
        QVERIFY_THROWS_EXCEPTION(Error, d.finalize());
    }
};

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"

// The CPU scoring kernel (core/models/dotkernel.h): every score equals the plain scalar loop
// Σ_k u[k]·i[k] (float, in k order, no fused multiply-add) plus the offset, bit for bit, and a
// user's scores do not depend on which users or items share the call.
#include "core/models/dotkernel.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace reclens;

namespace {

// The reference: the DESIGN formula as a plain loop. `volatile` keeps the compiler from fusing the
// multiply and the add into one rounding.
float plain_score(const float *u, const float *item, int dim, float offset)
{
    float s = 0.0f;
    for (int k = 0; k < dim; ++k) {
        volatile float product = u[k] * item[k];
        s = s + product;
    }
    return s + offset;
}

bool same_bits(float a, float b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

} // namespace

class TestDotKernel : public QObject {
    Q_OBJECT

private slots:
    void matchesPlainLoop_data()
    {
        QTest::addColumn<int>("users");
        QTest::addColumn<int>("items");
        QTest::addColumn<int>("dim");
        QTest::addColumn<int>("j0");
        QTest::addColumn<int>("j1");
        QTest::addRow("one user, all items") << 1 << 100 << 16 << 0 << 100;
        QTest::addRow("4 users, 16 items") << 4 << 16 << 8 << 0 << 16;
        QTest::addRow("7 users, 37 items, d=3") << 7 << 37 << 3 << 0 << 37;
        QTest::addRow("tile in the middle") << 9 << 203 << 64 << 64 << 131;
        QTest::addRow("last partial group") << 5 << 203 << 33 << 200 << 203;
        QTest::addRow("d=1") << 6 << 50 << 1 << 8 << 50;
    }

    void matchesPlainLoop()
    {
        QFETCH(int, users);
        QFETCH(int, items);
        QFETCH(int, dim);
        QFETCH(int, j0);
        QFETCH(int, j1);
        std::mt19937 rng(static_cast<unsigned>(users * 1000 + items + dim));
        std::normal_distribution<float> g;
        std::vector<float> u(static_cast<size_t>(users * dim)), it(static_cast<size_t>(items * dim)),
            offset(static_cast<size_t>(items));
        for (auto &x : u)
            x = g(rng);
        for (auto &x : it)
            x = g(rng);
        for (auto &x : offset)
            x = g(rng);
        offset[static_cast<size_t>(items - 1)] = -std::numeric_limits<float>::infinity(); // an unmatched item
        const auto packed = kernel::pack_items(it, items, dim);
        std::vector<const float *> rows;
        for (int r = 0; r < users; ++r)
            rows.push_back(u.data() + r * dim);
        const int64_t ld = j1 - j0 + 3; // a wider stride than needed
        std::vector<float> out(static_cast<size_t>(users * ld), 12345.0f);
        kernel::dot_rows(rows.data(), users, packed, offset.data(), j0, j1, out.data(), ld);
        for (int r = 0; r < users; ++r) {
            for (int j = j0; j < j1; ++j) {
                const float want = plain_score(rows[static_cast<size_t>(r)], it.data() + j * dim, dim,
                                               offset[static_cast<size_t>(j)]);
                const float got = out[static_cast<size_t>(r * ld + (j - j0))];
                if (!same_bits(got, want))
                    QFAIL(qPrintable(QStringLiteral("user %1 item %2: kernel %3, plain loop %4")
                                         .arg(r).arg(j).arg(double(got), 0, 'g', 9).arg(double(want), 0, 'g', 9)));
                // The one-pair score the AUC's positives come from is the same float.
                const float one = kernel::dot_one(rows[static_cast<size_t>(r)], packed, offset.data(), j);
                if (!same_bits(one, want))
                    QFAIL(qPrintable(QStringLiteral("user %1 item %2: dot_one %3, plain loop %4")
                                         .arg(r).arg(j).arg(double(one), 0, 'g', 9).arg(double(want), 0, 'g', 9)));
            }
            // Nothing is written past j1 in a row.
            for (int64_t c = j1 - j0; c < ld; ++c)
                QCOMPARE(out[static_cast<size_t>(r * ld + c)], 12345.0f);
        }
    }

    void blockIndependent()
    {
        // The same user alone, at another position of a block, or in another tile split: same bits.
        const int users = 23, items = 1000, dim = 64;
        std::mt19937 rng(7);
        std::normal_distribution<float> g;
        std::vector<float> u(static_cast<size_t>(users * dim)), it(static_cast<size_t>(items * dim));
        for (auto &x : u)
            x = g(rng);
        for (auto &x : it)
            x = g(rng);
        const auto packed = kernel::pack_items(it, items, dim);
        std::vector<const float *> rows;
        for (int r = 0; r < users; ++r)
            rows.push_back(u.data() + r * dim);
        std::vector<float> block(static_cast<size_t>(users * items));
        kernel::dot_rows(rows.data(), users, packed, nullptr, 0, items, block.data(), items);
        for (int r : {0, 3, 4, 17, 22}) {
            std::vector<float> alone(static_cast<size_t>(items));
            kernel::dot_rows(&rows[static_cast<size_t>(r)], 1, packed, nullptr, 0, items, alone.data(), items);
            // Tiles of 48 items.
            std::vector<float> tiled(static_cast<size_t>(items));
            for (int t = 0; t < items; t += 48)
                kernel::dot_rows(&rows[static_cast<size_t>(r)], 1, packed, nullptr, t, std::min(items, t + 48),
                                 tiled.data() + t, items);
            for (int j = 0; j < items; ++j) {
                QVERIFY(same_bits(alone[static_cast<size_t>(j)], block[static_cast<size_t>(r * items + j)]));
                QVERIFY(same_bits(tiled[static_cast<size_t>(j)], block[static_cast<size_t>(r * items + j)]));
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestDotKernel)
#include "tst_dotkernel.moc"

// The CPU scoring kernel (core/models/dotkernel.h): on every path this CPU has (portable, AVX2,
// AVX-512), every score equals the plain scalar loop s = fma(u[k], i[k], s) for k = 0..d−1, then
// s + offset, bit for bit, and a user's scores do not depend on which users or items share the call.
#include "core/models/dotkernel.h"

#include "core/common/error.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace reclens;

namespace {

// The reference: the kernel's formula as a plain loop, one fused multiply-add per dimension.
float plain_score(const float *u, const float *item, int dim, float offset)
{
    float s = 0.0f;
    for (int k = 0; k < dim; ++k)
        s = std::fma(u[k], item[k], s);
    return s + offset;
}

// The paths this CPU has; the ones it lacks are named once, so a log says what was not tested here.
std::vector<kernel::KernelPath> tested_paths()
{
    static const bool said = [] {
        for (auto p : {kernel::KernelPath::avx2, kernel::KernelPath::avx512})
            if (!kernel::cpu_has(p))
                qInfo("kernel path %s: this CPU lacks it, not tested here", kernel::path_name(p).data());
        return true;
    }();
    Q_UNUSED(said);
    return kernel::paths_available();
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
        QTest::addRow("last partial group") << 5 << 203 << 33 << 192 << 203;
        QTest::addRow("d=1") << 6 << 50 << 1 << 16 << 50;
        QTest::addRow("8 users, two groups exactly") << 8 << 32 << 64 << 0 << 32;
        QTest::addRow("13 users (8 + 4 + 1), 67 items") << 13 << 67 << 17 << 0 << 67;
        QTest::addRow("tile ending inside a pair of groups") << 16 << 300 << 40 << 32 << 85;
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
        for (const auto path : tested_paths()) {
        const char *name = kernel::path_name(path).data();
        std::vector<float> out(static_cast<size_t>(users * ld), 12345.0f);
        kernel::dot_rows(path, rows.data(), users, packed, offset.data(), j0, j1, out.data(), ld);
        for (int r = 0; r < users; ++r) {
            for (int j = j0; j < j1; ++j) {
                const float want = plain_score(rows[static_cast<size_t>(r)], it.data() + j * dim, dim,
                                               offset[static_cast<size_t>(j)]);
                const float got = out[static_cast<size_t>(r * ld + (j - j0))];
                if (!same_bits(got, want))
                    QFAIL(qPrintable(QStringLiteral("%5: user %1 item %2: kernel %3, plain loop %4")
                                         .arg(r).arg(j).arg(double(got), 0, 'g', 9).arg(double(want), 0, 'g', 9)
                                         .arg(name)));
                // The one-pair score the AUC's positives come from is the same float.
                const float one = kernel::dot_one(path, rows[static_cast<size_t>(r)], packed, offset.data(), j);
                if (!same_bits(one, want))
                    QFAIL(qPrintable(QStringLiteral("%5: user %1 item %2: dot_one %3, plain loop %4")
                                         .arg(r).arg(j).arg(double(one), 0, 'g', 9).arg(double(want), 0, 'g', 9)
                                         .arg(name)));
            }
            // Nothing is written past j1 in a row.
            for (int64_t c = j1 - j0; c < ld; ++c)
                QCOMPARE(out[static_cast<size_t>(r * ld + c)], 12345.0f);
        }
        }
    }

    void blockIndependent()
    {
        // The same user alone, at another position of a block, or in another tile split: same bits,
        // on every path; and every path the same bits as the others.
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
        std::vector<float> first;
        for (const auto path : tested_paths()) {
            std::vector<float> block(static_cast<size_t>(users * items));
            kernel::dot_rows(path, rows.data(), users, packed, nullptr, 0, items, block.data(), items);
            for (int r : {0, 3, 4, 8, 17, 22}) {
                std::vector<float> alone(static_cast<size_t>(items));
                kernel::dot_rows(path, &rows[static_cast<size_t>(r)], 1, packed, nullptr, 0, items, alone.data(),
                                 items);
                // Tiles of 48 items.
                std::vector<float> tiled(static_cast<size_t>(items));
                for (int t = 0; t < items; t += 48)
                    kernel::dot_rows(path, &rows[static_cast<size_t>(r)], 1, packed, nullptr, t,
                                     std::min(items, t + 48), tiled.data() + t, items);
                for (int j = 0; j < items; ++j) {
                    QVERIFY(same_bits(alone[static_cast<size_t>(j)], block[static_cast<size_t>(r * items + j)]));
                    QVERIFY(same_bits(tiled[static_cast<size_t>(j)], block[static_cast<size_t>(r * items + j)]));
                }
            }
            if (first.empty())
                first = block;
            else
                QVERIFY2(std::memcmp(first.data(), block.data(), block.size() * sizeof(float)) == 0,
                         kernel::path_name(path).data());
        }
    }

    void pathsAreNamedAndChosen()
    {
        using kernel::KernelPath;
        for (auto p : {KernelPath::portable, KernelPath::avx2, KernelPath::avx512})
            QCOMPARE(kernel::parse_path(kernel::path_name(p)), p);
        try {
            kernel::parse_path("sse4");
            QFAIL("an unknown path was accepted");
        } catch (const Error &e) {
            QCOMPARE(QString::fromUtf8(e.what()),
                     QStringLiteral("RECLENS_KERNEL: 'sse4' is not a kernel path (portable, avx2, avx512)"));
        }
        QVERIFY(kernel::cpu_has(KernelPath::portable));
        // The path in use: the one RECLENS_KERNEL names (ctest runs this test once per path the
        // CPU has), else the widest the CPU has.
        const QByteArray forced = qgetenv("RECLENS_KERNEL");
        if (!forced.isEmpty() && !kernel::cpu_has(kernel::parse_path(forced.toStdString()))) {
            try {
                kernel::kernel_path();
                QFAIL("a forced path this CPU lacks was taken");
            } catch (const Error &e) {
                QVERIFY2(std::strstr(e.what(), "needs a CPU with"), e.what());
                qInfo("RECLENS_KERNEL=%s refused: %s", forced.constData(), e.what());
            }
        } else {
            const KernelPath widest = kernel::paths_available().back();
            QCOMPARE(kernel::kernel_path(), forced.isEmpty() ? widest : kernel::parse_path(forced.toStdString()));
            qInfo("kernel path in use: %s", kernel::path_name(kernel::kernel_path()).data());
        }
        // A path the CPU lacks is refused with the reason, never run.
        for (auto p : {KernelPath::avx2, KernelPath::avx512}) {
            if (kernel::cpu_has(p))
                continue;
            const std::vector<float> it(16, 1.0f);
            const auto packed = kernel::pack_items(it, 16, 1);
            const float one = 1.0f;
            QVERIFY_THROWS_EXCEPTION(Error, kernel::dot_one(p, &one, packed, nullptr, 0));
        }
    }
};

QTEST_APPLESS_MAIN(TestDotKernel)
#include "tst_dotkernel.moc"

// parallel_rows (core/common/parallel.h): every row once, an exception in a worker reaches the
// caller (instead of std::terminate), and cancel stops the loop.
#include "core/common/parallel.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

using namespace reclens;

class TestParallel : public QObject {
    Q_OBJECT

private slots:
    void everyRowOnce()
    {
        for (int threads : {1, 2, 7}) {
            std::vector<std::atomic<int>> hits(1000);
            parallel_rows(hits.size(), threads, [&](size_t i) { ++hits[i]; });
            for (const auto &h : hits)
                QCOMPARE(h.load(), 1);
        }
    }

    void exceptionReachesCaller()
    {
        for (int threads : {1, 4}) {
            std::atomic<int> done{0};
            try {
                parallel_rows(5000, threads, [&](size_t i) {
                    if (i == 777)
                        throw std::runtime_error("row 777 failed");
                    ++done;
                });
                QFAIL("no exception");
            } catch (const std::runtime_error &e) {
                QCOMPARE(QString::fromLatin1(e.what()), QStringLiteral("row 777 failed"));
            }
            QVERIFY(done.load() < 5000);
        }
    }

    void cancel()
    {
        std::atomic<int> done{0};
        int calls = 0;
        const ProgressFn stop = [&](double, std::string_view) { return ++calls < 2; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, parallel_rows(
                                                1'000'000, 2,
                                                [&](size_t) {
                                                    ++done;
                                                    std::this_thread::sleep_for(std::chrono::microseconds(1));
                                                },
                                                stop, "rows", 64));
        QVERIFY(done.load() < 1'000'000);
    }
};

QTEST_APPLESS_MAIN(TestParallel)
#include "tst_parallel.moc"

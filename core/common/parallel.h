#pragma once
// A small parallel loop for core's per-user stages (re-ranking, metrics) that knows nothing of the
// caller's threads: std::thread workers, the first exception wins, cancel is honoured.
#include "core/common/error.h"
#include "core/common/progress.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

namespace reclens {

// The most workers parallel_rows uses for `threads` (0 = hardware concurrency): size per-worker
// state (accumulators, buffers) with it.
inline size_t parallel_workers(int threads)
{
    return threads > 0 ? static_cast<size_t>(threads) : std::max(1u, std::thread::hardware_concurrency());
}

// Calls fn(i) — or fn(i, worker) with worker in [0, parallel_workers(threads)), fixed per thread for
// the call — for every i in [0, n) on up to `threads` threads in chunks of `chunk`. If fn throws, no new chunk starts, every thread is joined, and the first exception is
// rethrown here (never std::terminate). `progress` (may be empty) is called from this thread only,
// with the share of rows done and `stage`; returning false stops the loop and throws Cancelled.
template<typename Fn>
void parallel_rows(size_t n, int threads, Fn &&fn, const ProgressFn &progress = {}, std::string_view stage = {},
                   size_t chunk = 64)
{
    const size_t t = std::max<size_t>(1, std::min<size_t>((n + chunk - 1) / chunk, parallel_workers(threads)));
    std::atomic<size_t> next{0}, done{0};
    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    // Runs the next chunk; false when there is none left or the loop was stopped.
    auto run_chunk = [&](size_t worker) {
        const size_t i = stop.load(std::memory_order_relaxed) ? n : next.fetch_add(chunk);
        if (i >= n)
            return false;
        try {
            for (size_t j = i; j < std::min(n, i + chunk); ++j) {
                if constexpr (std::is_invocable_v<Fn &, size_t, size_t>)
                    fn(j, worker);
                else
                    fn(j);
            }
        } catch (...) {
            std::lock_guard lock(failure_mutex);
            if (!failure)
                failure = std::current_exception();
            stop = true;
        }
        done.fetch_add(std::min(n, i + chunk) - i);
        return true;
    };
    std::vector<std::thread> pool;
    pool.reserve(t - 1);
    try {
        for (size_t w = 1; w < t; ++w)
            pool.emplace_back([&, w] {
                while (run_chunk(w)) {
                }
            });
    } catch (const std::system_error &) {
        // No more threads to be had: the ones started and this one share the work.
    }
    ProgressReporter reporter(progress);
    bool cancelled = false;
    while (run_chunk(0)) { // this thread works too, and reports progress between its chunks
        if (!progress)
            continue;
        try {
            reporter.report(static_cast<double>(done.load()) / static_cast<double>(std::max<size_t>(1, n)), stage);
        } catch (const Cancelled &) {
            cancelled = true;
            stop = true;
        }
    }
    for (auto &th : pool)
        th.join();
    if (failure)
        std::rethrow_exception(failure);
    if (cancelled)
        throw Cancelled();
}

} // namespace reclens

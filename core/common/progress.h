#pragma once
// Progress reporting for long core functions. Core knows nothing of threads: a caller (CLI, a GUI
// job) passes a callback, which may be invoked from the calling thread or from worker threads the
// function starts, and must be thread-safe in the latter case.
#include <chrono>
#include <functional>
#include <string_view>

namespace reclens {

// fraction in [0,1], stage a short human-readable label ("scoring", "reading ratings.csv").
// Return false to cancel; the function then throws reclens::Cancelled.
using ProgressFn = std::function<bool(double fraction, std::string_view stage)>;

// Rate-limits a ProgressFn so hot loops can call it freely (at most ~20 calls per second, plus the
// final 1.0), and throws Cancelled when the callback returns false.
class ProgressReporter {
public:
    explicit ProgressReporter(ProgressFn fn) : m_fn(std::move(fn)) {}
    void report(double fraction, std::string_view stage);
    // Always calls through (no rate limit); use at stage boundaries.
    void force(double fraction, std::string_view stage);

private:
    ProgressFn m_fn;
    std::chrono::steady_clock::time_point m_last{};
};

// Wall-clock stopwatch in milliseconds.
class Stopwatch {
public:
    Stopwatch() : m_start(std::chrono::steady_clock::now()) {}
    double elapsed_ms() const
    {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_start).count();
    }
    void restart() { m_start = std::chrono::steady_clock::now(); }

private:
    std::chrono::steady_clock::time_point m_start;
};

} // namespace reclens

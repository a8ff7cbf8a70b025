#pragma once
// What every benchmark program measures with: wall time since a point, and the process's peak
// resident memory.
#include <sys/resource.h>

#include <chrono>

namespace reclens::bench {

using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

inline double peak_rss_mb()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

} // namespace reclens::bench

#include "core/common/progress.h"

#include "core/common/error.h"

namespace reclens {

void ProgressReporter::report(double fraction, std::string_view stage)
{
    if (!m_fn)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (fraction < 1.0 && now - m_last < std::chrono::milliseconds(50))
        return;
    m_last = now;
    if (!m_fn(fraction, stage))
        throw Cancelled();
}

void ProgressReporter::force(double fraction, std::string_view stage)
{
    if (!m_fn)
        return;
    m_last = std::chrono::steady_clock::now();
    if (!m_fn(fraction, stage))
        throw Cancelled();
}

} // namespace reclens

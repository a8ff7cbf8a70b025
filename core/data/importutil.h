#pragma once
// Small parsing helpers shared by the importers (internal to core/data).
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace reclens::detail {

inline std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// A finite number, or nullopt (empty, text, NaN, Inf).
inline std::optional<double> parse_number(std::string_view s)
{
    s = trim(s);
    if (s.empty())
        return std::nullopt;
    if (s.front() == '+')
        s.remove_prefix(1);
    double v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

} // namespace reclens::detail

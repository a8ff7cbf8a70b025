#pragma once
// Timestamp parsing for importers. All results are seconds since the Unix epoch, UTC.
#include <cstdint>
#include <optional>
#include <string_view>

namespace reclens {

// Accepts an integer (already epoch seconds, e.g. MovieLens), or ISO 8601 "YYYY-MM-DD",
// "YYYY-MM-DD[T ]HH:MM[:SS[.fraction]]" optionally followed by "Z" or an offset "±HH", "±HHMM" or
// "±HH:MM" (no offset = UTC). Fractions are truncated. nullopt when the text is not a valid time.
std::optional<int64_t> parse_timestamp(std::string_view text);

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

} // namespace reclens

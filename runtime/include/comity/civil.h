// civil.h: civil dates, offset-carrying instants and legal durations: convert, parse strictly, format.
// Knows nothing of holidays, legal conventions, JSON or the VM; never allocates except in the std::string formatters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace comity {

// Days since 1970-01-01 in the proleptic Gregorian calendar. int32 covers far more than years 0000-9999,
// the range the parsers accept, so arithmetic on parsed dates cannot overflow.
using Days = int32_t;

struct Ymd {
    int y;
    unsigned m;  // 1..12
    unsigned d;  // 1..31
    friend bool operator==(const Ymd&, const Ymd&) = default;
};

bool is_leap(int year);
unsigned last_day_of_month(int year, unsigned month);  // month 1..12
bool is_valid_date(int year, unsigned month, unsigned day);
Days days_from_civil(int year, unsigned month, unsigned day);  // caller passes a valid date
Ymd civil_from_days(Days days);
// 0 = Monday .. 6 = Sunday (ISO 8601 order); 1970-01-01 was a Thursday. Inline: periods test days in loops.
inline unsigned weekday(Days days) {
  const int64_t r = (static_cast<int64_t>(days) + 3) % 7;
  return static_cast<unsigned>(r < 0 ? r + 7 : r);
}
inline bool is_weekend(Days days) { return weekday(days) >= 5; }  // Saturday or Sunday

// The range the parsers accept and the period code stays inside: 0000-01-01 .. 9999-12-31.
inline constexpr int min_year = 0;
inline constexpr int max_year = 9999;
// The first and last day of years 0000-9999 (days_from_civil(0, 1, 1) and (9999, 12, 31); civil_test checks).
// Inline constants: period arithmetic checks them in its loops.
inline constexpr Days min_days() { return -719528; }
inline constexpr Days max_days() { return 2932896; }

// An RFC 3339 instant that remembers the UTC offset it was written with: the local day decides legal
// periods, so "2025-06-06T23:30:00-04:00" and "2025-06-07T03:30:00Z" are the same instant but not the
// same day for an authority in New York. Compare instants with utc_seconds; operator== also compares
// the offset (same representation).
struct Instant {
    int64_t utc_seconds = 0;
    int32_t offset_minutes = 0;  // east of UTC; -1439..1439
    friend bool operator==(const Instant&, const Instant&) = default;
};
int64_t local_seconds(Instant instant);  // seconds since 1970-01-01T00:00 on the local wall clock
Days local_date(Instant instant);
int32_t local_second_of_day(Instant instant);  // 0..86399
// The instant at local wall-clock time (date, hh:mm:ss) in the given fixed offset.
Instant make_instant(Days date, int hour, int minute, int second, int32_t offset_minutes);

// A legal period's length. Years are stored as 12 months and weeks as 7 days; hours, days and months
// are NOT interchangeable (a month is not 30 days, a day is not 24 hours under these conventions), so
// they stay in separate fields. working_days marks "n working days": days then counts working days only.
struct Duration {
    int32_t months = 0;
    int32_t days = 0;
    int32_t hours = 0;
    bool working_days = false;
    friend bool operator==(const Duration&, const Duration&) = default;
};

// A parse failure message in a fixed buffer, so parsers on untrusted input never allocate or throw.
struct ParseMessage {
    char text[96] = {};
    std::string_view view() const { return text; }
};

struct DateParse {
    bool ok = false;
    Days value = 0;
    ParseMessage error;  // lowercase, no final period, names what is wrong
    size_t error_offset = 0;  // byte offset in the input where the problem was found
};
struct InstantParse {
    bool ok = false;
    Instant value;
    ParseMessage error;
    size_t error_offset = 0;
};
struct DurationParse {
    bool ok = false;
    Duration value;
    ParseMessage error;
    size_t error_offset = 0;
};

// "YYYY-MM-DD", exactly; rejects dates that do not exist ("2025-02-29").
DateParse parse_date(std::string_view text);
// RFC 3339 date-time: "YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)"; 'T'/'t' and 'Z'/'z' accepted, fractional
// seconds truncated, the offset is required ("-00:00", RFC 3339's "local offset unknown", is refused
// because the local day matters). Leap seconds (:60) are refused.
InstantParse parse_instant(std::string_view text);
// ISO 8601 duration restricted to legal units: "P3Y", "P2Y11M", "P1W", "P30D", "PT24H", "P1DT12H".
// Refuses minutes and seconds, fractions, signs, empty "P"/"PT", repeated or out-of-order units, overflow.
// Working days have no ISO 8601 form: the caller sets Duration::working_days itself.
DurationParse parse_duration(std::string_view text);

// Non-allocating writers: buf must hold at least the given size; they write a NUL and return the length.
inline constexpr size_t date_buffer_size = 16;
inline constexpr size_t instant_buffer_size = 40;
inline constexpr size_t duration_buffer_size = 48;
size_t write_date(Days days, char* buf);
size_t write_instant(Instant instant, char* buf);
size_t write_duration(Duration duration, char* buf);  // working_days is not written (not ISO 8601)

std::string format_date(Days days);               // "2025-06-07"
std::string format_instant(Instant instant);      // "2025-06-07T11:00:00+02:00", "…Z" for offset 0
std::string format_duration(Duration duration);   // "P2Y11M", "P1DT12H", "P0D" for zero

}  // namespace comity

// civil_test.cpp: calendar arithmetic, the strict parsers (good and bad input) and the formatters.
// Knows nothing of holiday calendars or conventions (those are periods_test.cpp).
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "comity/civil.h"

using namespace comity;

namespace {

Days date(const char* text) {
    const DateParse p = parse_date(text);
    INFO(text << ": " << p.error.view());
    REQUIRE(p.ok);
    return p.value;
}

// The error text of a parse that must fail.
template <class Parse>
std::string error_of(const Parse& p) {
    REQUIRE_FALSE(p.ok);
    return std::string(p.error.view());
}

}  // namespace

TEST_CASE("days_from_civil and civil_from_days agree with known dates", "[civil]") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(1969, 12, 31) == -1);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    CHECK(days_from_civil(2025, 6, 6) == 20245);
    CHECK(civil_from_days(20245) == Ymd{2025, 6, 6});
    CHECK(civil_from_days(-1) == Ymd{1969, 12, 31});
    CHECK(civil_from_days(min_days()) == Ymd{0, 1, 1});
    CHECK(civil_from_days(max_days()) == Ymd{9999, 12, 31});
}

TEST_CASE("civil round trip over every day of years 0000-9999", "[civil]") {
    // One pass over 3.65 million days: each day follows the previous one in y/m/d order.
    Ymd previous = civil_from_days(min_days());
    bool all_ok = true;
    for (Days d = min_days() + 1; d <= max_days() && all_ok; ++d) {
        const Ymd ymd = civil_from_days(d);
        const bool next_day = ymd.d == previous.d + 1 && ymd.m == previous.m && ymd.y == previous.y;
        const bool next_month = ymd.d == 1 && previous.d == last_day_of_month(previous.y, previous.m) &&
                                ((ymd.m == previous.m + 1 && ymd.y == previous.y) ||
                                 (ymd.m == 1 && previous.m == 12 && ymd.y == previous.y + 1));
        all_ok = (next_day || next_month) && days_from_civil(ymd.y, ymd.m, ymd.d) == d;
        previous = ymd;
    }
    CHECK(all_ok);
}

TEST_CASE("weekday is Monday-based", "[civil]") {
    CHECK(weekday(0) == 3);                       // 1970-01-01 was a Thursday
    CHECK(weekday(date("2025-06-06")) == 4);      // Friday
    CHECK(weekday(date("2025-06-07")) == 5);      // Saturday
    CHECK(weekday(date("2025-06-08")) == 6);      // Sunday
    CHECK(weekday(date("2025-06-09")) == 0);      // Monday
    CHECK(weekday(date("1969-12-29")) == 0);      // Monday, before the epoch: floor modulo
    CHECK(is_weekend(date("2025-06-07")));
    CHECK_FALSE(is_weekend(date("2025-06-06")));
}

TEST_CASE("leap years and month lengths", "[civil]") {
    CHECK(is_leap(2024));
    CHECK(is_leap(2028));
    CHECK(is_leap(2000));   // divisible by 400
    CHECK_FALSE(is_leap(2100));  // divisible by 100, not by 400
    CHECK_FALSE(is_leap(1900));
    CHECK_FALSE(is_leap(2025));
    CHECK(last_day_of_month(2024, 2) == 29);
    CHECK(last_day_of_month(2100, 2) == 28);
    CHECK(last_day_of_month(2025, 4) == 30);
    CHECK(last_day_of_month(2025, 12) == 31);
    CHECK(last_day_of_month(2025, 13) == 0);
    CHECK(is_valid_date(2024, 2, 29));
    CHECK_FALSE(is_valid_date(2100, 2, 29));
}

TEST_CASE("parse_date accepts real dates only", "[civil][parse]") {
    CHECK(parse_date("2025-02-28").ok);
    CHECK(parse_date("2024-02-29").ok);
    CHECK(parse_date("0000-01-01").value == min_days());
    CHECK(parse_date("9999-12-31").value == max_days());

    CHECK(error_of(parse_date("2025-02-29")) == "day 29 out of range: 2025-02 has 28 days");
    CHECK(error_of(parse_date("2100-02-29")) == "day 29 out of range: 2100-02 has 28 days");
    CHECK(error_of(parse_date("2025-04-31")) == "day 31 out of range: 2025-04 has 30 days");
    CHECK(error_of(parse_date("2025-13-01")) == "month 13 out of range");
    CHECK(error_of(parse_date("2025-00-10")) == "month 0 out of range");
    CHECK(error_of(parse_date("2025-01-00")) == "day 0 out of range: 2025-01 has 31 days");
    CHECK(error_of(parse_date("")) == "expected a four-digit year (YYYY-MM-DD)");
    CHECK(error_of(parse_date("25-01-01")) == "expected a four-digit year (YYYY-MM-DD)");
    CHECK(error_of(parse_date("+2025-01-01")) == "expected a four-digit year (YYYY-MM-DD)");
    CHECK(error_of(parse_date("2025/01/01")) == "expected '-' after the year");
    CHECK(error_of(parse_date("2025-1-01")) == "expected a two-digit month");
    CHECK(error_of(parse_date("2025-01-1")) == "expected a two-digit day");
    CHECK(error_of(parse_date("2025-01-01T10:00:00Z")) == "expected a date without a time (YYYY-MM-DD)");
    CHECK(error_of(parse_date("2025-01-01x")) == "unexpected text after the date");
    CHECK(error_of(parse_date(" 2025-01-01")) == "expected a four-digit year (YYYY-MM-DD)");
    const DateParse p = parse_date("2025-13-01");
    CHECK(p.error_offset == 5);  // points at the month
}

TEST_CASE("parse_instant reads RFC 3339 with a required offset", "[civil][parse]") {
    const InstantParse p = parse_instant("2025-06-06T10:00:00+02:00");
    REQUIRE(p.ok);
    CHECK(p.value.offset_minutes == 120);
    CHECK(p.value.utc_seconds == static_cast<int64_t>(date("2025-06-06")) * 86400 + 8 * 3600);
    CHECK(local_date(p.value) == date("2025-06-06"));
    CHECK(local_second_of_day(p.value) == 10 * 3600);

    // Same instant written in UTC: equal utc_seconds, different offset.
    const InstantParse z = parse_instant("2025-06-06T08:00:00Z");
    REQUIRE(z.ok);
    CHECK(z.value.utc_seconds == p.value.utc_seconds);
    CHECK(z.value.offset_minutes == 0);

    // Lower-case 't' and 'z', fractional seconds truncated.
    const InstantParse lower = parse_instant("2025-06-06t08:00:00.999999z");
    REQUIRE(lower.ok);
    CHECK(lower.value == z.value);

    // The local day is the offset's day: 23:30 in New York is already the 7th in UTC.
    const InstantParse ny = parse_instant("2025-06-06T23:30:00-04:00");
    REQUIRE(ny.ok);
    CHECK(local_date(ny.value) == date("2025-06-06"));
    CHECK(local_date(Instant{ny.value.utc_seconds, 0}) == date("2025-06-07"));

    // Offsets that are not whole hours.
    const InstantParse india = parse_instant("2025-06-06T10:37:00+05:30");
    REQUIRE(india.ok);
    CHECK(india.value.offset_minutes == 330);
    const InstantParse nepal = parse_instant("2025-06-06T10:37:00+05:45");
    REQUIRE(nepal.ok);
    CHECK(nepal.value.offset_minutes == 345);
}

TEST_CASE("parse_instant rejects bad input with a precise message", "[civil][parse]") {
    CHECK(error_of(parse_instant("2025-06-06")) == "expected 'T' and a time after the date");
    CHECK(error_of(parse_instant("2025-06-06 10:00:00Z")) == "expected 'T' after the date");
    CHECK(error_of(parse_instant("2025-06-06T10:00:00")) ==
          "missing UTC offset: add 'Z' or ±hh:mm (the local day matters)");
    CHECK(error_of(parse_instant("2025-06-06T10:00Z")) == "expected ':' and seconds after the minutes");
    CHECK(error_of(parse_instant("2025-06-06T1:00:00Z")) == "expected a two-digit hour");
    CHECK(error_of(parse_instant("2025-06-06T24:00:00Z")) == "hour 24 out of range");
    CHECK(error_of(parse_instant("2025-06-06T10:60:00Z")) == "minute 60 out of range");
    CHECK(error_of(parse_instant("2025-06-30T23:59:60Z")) == "leap seconds (second 60) are not supported");
    CHECK(error_of(parse_instant("2025-06-06T10:00:61Z")) == "second 61 out of range");
    CHECK(error_of(parse_instant("2025-06-06T10:00:00.Z")) == "expected digits after '.' in the seconds");
    CHECK(error_of(parse_instant("2025-06-06T10:00:00+2:00")) == "expected a two-digit offset hour");
    CHECK(error_of(parse_instant("2025-06-06T10:00:00+0200")) == "expected ':' in the UTC offset (±hh:mm)");
    CHECK(error_of(parse_instant("2025-06-06T10:00:00+24:00")) == "offset hour 24 out of range");
    CHECK(error_of(parse_instant("2025-06-06T10:00:00+02:60")) == "offset minute 60 out of range");
    CHECK(error_of(parse_instant("2025-06-06T10:00:00-00:00")) ==
          "offset -00:00 (local offset unknown) is not accepted: give the real offset");
    CHECK(error_of(parse_instant("2025-06-06T10:00:00 +02:00")) ==
          "expected 'Z' or a ±hh:mm UTC offset after the time");
    CHECK(error_of(parse_instant("2025-06-06T10:00:00Zjunk")) == "unexpected text after the UTC offset");
    CHECK(error_of(parse_instant("2025-02-29T10:00:00Z")) == "day 29 out of range: 2025-02 has 28 days");
    CHECK(error_of(parse_instant("")) == "expected a four-digit year (YYYY-MM-DD)");
}

TEST_CASE("parse_duration reads legal ISO 8601 durations", "[civil][parse]") {
    auto ok = [](const char* text) {
        const DurationParse p = parse_duration(text);
        INFO(text << ": " << p.error.view());
        REQUIRE(p.ok);
        return p.value;
    };
    CHECK(ok("P3Y") == Duration{36, 0, 0, false});
    CHECK(ok("P2Y11M") == Duration{35, 0, 0, false});
    CHECK(ok("P1M") == Duration{1, 0, 0, false});  // M before T is months
    CHECK(ok("P1W") == Duration{0, 7, 0, false});
    CHECK(ok("P30D") == Duration{0, 30, 0, false});
    CHECK(ok("PT24H") == Duration{0, 0, 24, false});
    CHECK(ok("PT96H") == Duration{0, 0, 96, false});
    CHECK(ok("P1DT12H") == Duration{0, 1, 12, false});  // parses; period_end refuses the mix
    CHECK(ok("P0D") == Duration{});
    CHECK(ok("P2147483647D").days == 2147483647);
}

TEST_CASE("parse_duration rejects what legal periods cannot use", "[civil][parse]") {
    CHECK(error_of(parse_duration("PT30M")) == "minutes and seconds are not supported in legal durations");
    CHECK(error_of(parse_duration("PT10S")) == "minutes and seconds are not supported in legal durations");
    CHECK(error_of(parse_duration("PT1H30M")) == "minutes and seconds are not supported in legal durations");
    CHECK(error_of(parse_duration("P")) == "empty duration 'P': give at least one number and unit");
    CHECK(error_of(parse_duration("")) == "empty duration: expected 'P' (e.g. P30D)");
    CHECK(error_of(parse_duration("PT")) == "expected a number of hours after 'T'");
    CHECK(error_of(parse_duration("P1DT")) == "expected a number of hours after 'T'");
    CHECK(error_of(parse_duration("-P1D")) == "signed durations are not allowed: periods are never negative");
    CHECK(error_of(parse_duration("P-1D")) == "signed values are not allowed: periods are never negative");
    CHECK(error_of(parse_duration("P1.5D")) == "fractional values are not supported in legal durations");
    CHECK(error_of(parse_duration("P0,5Y")) == "fractional values are not supported in legal durations");
    CHECK(error_of(parse_duration("P2147483648D")) == "number too large");
    CHECK(error_of(parse_duration("P99999999999999999999D")) == "number too large");
    CHECK(error_of(parse_duration("P200000000Y")) == "duration too large");  // 2.4e9 months
    CHECK(error_of(parse_duration("P1D2Y")) == "unit 'Y' repeated or out of order (order is Y M W D T H)");
    CHECK(error_of(parse_duration("P1Y1Y")) == "unit 'Y' repeated or out of order (order is Y M W D T H)");
    CHECK(error_of(parse_duration("P1H")) == "'H' belongs after 'T' (e.g. PT24H)");
    CHECK(error_of(parse_duration("PT1D")) == "'D' must come before 'T'");
    CHECK(error_of(parse_duration("P1X")) == "unknown unit 'X' (expected Y, M, W, D or T…H)");
    CHECK(error_of(parse_duration("P1")) == "expected a unit (Y, M, W, D or T…H) after the number");
    CHECK(error_of(parse_duration("30D")) == "a duration starts with 'P' (e.g. P30D, PT24H)");
    CHECK(error_of(parse_duration("p30d")) == "a duration starts with 'P' (e.g. P30D, PT24H)");
    CHECK(error_of(parse_duration("PD")) == "expected a number, found 'D'");
    CHECK(error_of(parse_duration("PT1HT2H")) == "'T' appears twice");
}

TEST_CASE("formatters write ISO 8601 / RFC 3339", "[civil][format]") {
    CHECK(format_date(date("2025-06-07")) == "2025-06-07");
    CHECK(format_date(min_days()) == "0000-01-01");
    CHECK(format_date(date("0987-03-04")) == "0987-03-04");

    CHECK(format_instant(parse_instant("2025-06-07T11:00:00+02:00").value) == "2025-06-07T11:00:00+02:00");
    CHECK(format_instant(parse_instant("2025-06-07T11:00:00.5+00:00").value) == "2025-06-07T11:00:00Z");
    CHECK(format_instant(parse_instant("2025-06-06T23:30:00-04:00").value) == "2025-06-06T23:30:00-04:00");
    CHECK(format_instant(parse_instant("2025-06-06T10:37:00+05:45").value) == "2025-06-06T10:37:00+05:45");
    CHECK(format_instant(parse_instant("1969-12-31T23:59:59-00:30").value) == "1969-12-31T23:59:59-00:30");
    CHECK(format_instant(make_instant(date("2025-06-07"), 11, 0, 0, 120)) == "2025-06-07T11:00:00+02:00");

    CHECK(format_duration(Duration{35, 0, 0, false}) == "P2Y11M");
    CHECK(format_duration(Duration{36, 0, 0, false}) == "P3Y");
    CHECK(format_duration(Duration{0, 7, 0, false}) == "P7D");
    CHECK(format_duration(Duration{0, 1, 12, false}) == "P1DT12H");
    CHECK(format_duration(Duration{0, 0, 24, false}) == "PT24H");
    CHECK(format_duration(Duration{}) == "P0D");
    CHECK(format_duration(Duration{0, 10, 0, true}) == "P10D");  // working days have no ISO form

    // Round trips through the parser.
    for (const char* text : {"P2Y11M", "P30D", "PT24H", "P1DT12H", "P1M"})
        CHECK(format_duration(parse_duration(text).value) == text);

    char buf[date_buffer_size];
    CHECK(write_date(date("2026-02-16"), buf) == 10);
    CHECK(std::strcmp(buf, "2026-02-16") == 0);
    char ibuf[instant_buffer_size];
    CHECK(write_instant(Instant{0, 0}, ibuf) == 20);
    CHECK(std::strcmp(ibuf, "1970-01-01T00:00:00Z") == 0);
}

TEST_CASE("the inline day bounds are the first and last day of years 0000-9999") {
  CHECK(comity::min_days() == comity::days_from_civil(comity::min_year, 1, 1));
  CHECK(comity::max_days() == comity::days_from_civil(comity::max_year, 12, 31));
}

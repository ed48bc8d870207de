// periods_test.cpp: every rule of 1182/71, FRCP 6(a) and calendar_days, worked by hand from the text,
// against the real data/holidays files. Knows nothing of the policy language.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "comity/periods.h"

using namespace comity;
using namespace comity::periods;

#ifndef COMITY_SOURCE_DIR
#define COMITY_SOURCE_DIR "."
#endif

namespace {

std::string holidays_dir() {
    const char* root = std::getenv("COMITY_ROOT");
    return std::string(root != nullptr && *root != '\0' ? root : COMITY_SOURCE_DIR) + "/data/holidays";
}

const CalendarSet& calendars() {
    static const CalendarSet set = [] {
        CalendarSet s;
        const CalendarSet::LoadResult r = s.load_directory(holidays_dir());
        for (const auto& e : r.errors) UNSCOPED_INFO(e);
        return s;
    }();
    return set;
}

const HolidayCalendar* cal(const char* code) {
    const HolidayCalendar* c = calendars().find(code);
    INFO("calendar " << code << " from " << holidays_dir());
    REQUIRE(c != nullptr);
    return c;
}

// A calendar with weekends only, for leap-year cases far outside the real files' years.
const HolidayCalendar* weekends_only() {
    static const HolidayCalendar::ParseResult r =
        HolidayCalendar::parse("# state: XX\n# covers: 2000-2110\n# source: test, no holidays\n", "XX.txt");
    REQUIRE(r.ok);
    return &r.calendar;
}

Days date(const char* text) {
    const DateParse p = parse_date(text);
    INFO(text << ": " << p.error.view());
    REQUIRE(p.ok);
    return p.value;
}

PeriodStart on(const char* day) { return PeriodStart::on(date(day)); }
PeriodStart at(const char* moment) {
    const InstantParse p = parse_instant(moment);
    INFO(moment << ": " << p.error.view());
    REQUIRE(p.ok);
    return PeriodStart::at(p.value);
}

Duration days(int32_t n) { return Duration{0, n, 0, false}; }
Duration weeks(int32_t n) { return Duration{0, 7 * n, 0, false}; }
Duration months(int32_t n) { return Duration{n, 0, 0, false}; }
Duration years(int32_t n) { return Duration{12 * n, 0, 0, false}; }
Duration hours(int32_t n) { return Duration{0, 0, n, false}; }
Duration working_days(int32_t n) { return Duration{0, n, 0, true}; }

const char* error_name(PeriodError e) {
    switch (e) {
        case PeriodError::none: return "none";
        case PeriodError::no_calendar: return "no_calendar";
        case PeriodError::outside_calendar: return "outside_calendar";
        case PeriodError::unsettled_month_end: return "unsettled_month_end";
        case PeriodError::mixed_units: return "mixed_units";
        case PeriodError::negative: return "negative";
        case PeriodError::overflow: return "overflow";
        case PeriodError::hours_need_instant: return "hours_need_instant";
    }
    return "?";
}

std::string show(const PeriodEnd& end) {
    return end.kind == PeriodEnd::Kind::date ? format_date(end.date) : format_instant(end.instant);
}

// The end as text ("2026-02-16" or an RFC 3339 instant), or "error:<name>".
std::string end_of(Convention c, const HolidayCalendar* calendar, PeriodStart start, Duration length) {
    const PeriodResult r = period_end(c, calendar, start, length);
    return r.ok() ? show(r.end) : std::string("error:") + error_name(r.error);
}

std::string eu(const char* state, PeriodStart s, Duration d) { return end_of(Convention::eu_1182_71, cal(state), s, d); }
std::string frcp(PeriodStart s, Duration d) { return end_of(Convention::frcp_6a, cal("US"), s, d); }
std::string plain(PeriodStart s, Duration d) { return end_of(Convention::calendar_days, nullptr, s, d); }

}  // namespace

// ---- data files ------------------------------------------------------------------------------------

TEST_CASE("all holiday files load and cover 2025-2027", "[periods][data]") {
    CalendarSet set;
    const CalendarSet::LoadResult r = set.load_directory(holidays_dir());
    for (const auto& e : r.errors) INFO(e);
    REQUIRE(r.ok);
    CHECK(r.loaded == 7);
    for (const char* code : {"NL", "BE", "DE", "FR", "ES", "IT", "US"}) {
        INFO(code);
        const HolidayCalendar* c = set.find(code);
        REQUIRE(c != nullptr);
        CHECK(c->first_year() == 2025);
        CHECK(c->last_year() == 2027);
        CHECK_FALSE(c->source().empty());
        // Every one of these States keeps New Year's Day and Christmas Day.
        for (int y = 2025; y <= 2027; ++y) {
            CHECK(c->is_holiday(days_from_civil(y, 1, 1)));
            CHECK(c->is_holiday(days_from_civil(y, 12, 25)));
        }
    }
    CHECK(set.find("XX") == nullptr);
}

TEST_CASE("holiday data spot checks (Easter-dependent and State-specific days)", "[periods][data]") {
    // Easter Sunday 2025-04-20, 2026-04-05, 2027-03-28.
    CHECK(cal("NL")->is_holiday(date("2025-04-18")));   // Good Friday: Atw art. 3(2)
    CHECK(cal("DE")->is_holiday(date("2025-04-18")));   // Karfreitag, all Länder
    CHECK_FALSE(cal("BE")->is_holiday(date("2025-04-18")));
    CHECK_FALSE(cal("FR")->is_holiday(date("2025-04-18")));
    CHECK(cal("ES")->is_holiday(date("2026-04-03")));   // Viernes Santo 2026
    for (const char* code : {"NL", "BE", "DE", "FR", "IT"}) {
        INFO(code);
        CHECK(cal(code)->is_holiday(date("2025-04-21")));  // Easter Monday
        CHECK(cal(code)->is_holiday(date("2026-04-06")));
        CHECK(cal(code)->is_holiday(date("2027-03-29")));
    }
    CHECK(cal("NL")->is_holiday(date("2027-05-06")));   // Ascension = Easter + 39
    CHECK(cal("DE")->is_holiday(date("2026-05-25")));   // Whit Monday = Easter + 50
    CHECK(cal("NL")->is_holiday(date("2025-04-26")));   // Koningsdag on Saturday: 27 April 2025 is a Sunday
    CHECK(cal("NL")->is_holiday(date("2025-05-30")));   // equated day after Ascension (Besluit gelijkstelling)
    CHECK(cal("IT")->is_holiday(date("2027-10-04")));   // San Francesco, from 2026
    CHECK_FALSE(cal("IT")->is_holiday(date("2025-10-04")));
    CHECK(cal("US")->is_holiday(date("2025-07-04")));
    CHECK(cal("US")->is_holiday(date("2026-07-03")));   // observed: 4 July 2026 is a Saturday
    CHECK(cal("US")->is_holiday(date("2027-07-05")));   // observed: 4 July 2027 is a Sunday
    CHECK(cal("US")->is_holiday(date("2027-12-31")));   // New Year's Day 2028 (Saturday) observed
    CHECK(cal("US")->holiday_name(date("2025-11-27")) == "Thanksgiving Day");
    CHECK(cal("US")->holiday_name(date("2025-11-28")).empty());
    CHECK(cal("NL")->is_working_day(date("2025-06-10")));
    CHECK_FALSE(cal("NL")->is_working_day(date("2025-06-07")));  // Saturday
    CHECK(cal("NL")->covers(date("2027-12-31")));
    CHECK_FALSE(cal("NL")->covers(date("2028-01-01")));
    CHECK_FALSE(cal("NL")->covers(date("2024-12-31")));
}

TEST_CASE("HolidayCalendar::parse reports line-numbered errors", "[periods][parse]") {
    const char* head = "# state: NL\n# covers: 2025-2025\n# source: test\n";
    auto err = [](const std::string& text) {
        const HolidayCalendar::ParseResult r = HolidayCalendar::parse(text, "NL.txt");
        REQUIRE_FALSE(r.ok);
        return r.error;
    };
    const HolidayCalendar::ParseResult good =
        HolidayCalendar::parse(std::string(head) + "\n# a comment\n2025-01-01 New Year\r\n2025-04-21\tEaster Monday\n", "NL.txt");
    REQUIRE(good.ok);
    CHECK(good.calendar.code() == "NL");
    CHECK(good.calendar.holidays().size() == 2);
    CHECK(good.calendar.holiday_name(date("2025-04-21")) == "Easter Monday");

    CHECK(err(std::string(head) + "2025-13-01 Bad\n") == "NL.txt:4: month 13 out of range in `2025-13-01`");
    CHECK(err(std::string(head) + "2025-02-29 Bad\n") == "NL.txt:4: day 29 out of range: 2025-02 has 28 days in `2025-02-29`");
    CHECK(err(std::string(head) + "2025-05-01 A\n2025-04-01 B\n") ==
          "NL.txt:5: dates must be ascending: 2025-04-01 comes after 2025-05-01");
    CHECK(err(std::string(head) + "2025-05-01 A\n2025-05-01 B\n") ==
          "NL.txt:5: duplicate date 2025-05-01: give both names on one line");
    CHECK(err(std::string(head) + "2026-01-01 Next year\n") == "NL.txt:4: 2026-01-01 lies outside covers 2025-2025");
    CHECK(err(std::string(head) + "2025-01-01\n") == "NL.txt:4: holiday 2025-01-01 has no name");
    CHECK(err("2025-01-01 New Year\n# state: NL\n") ==
          "NL.txt:1: holiday before the '# state:' and '# covers:' headers");
    CHECK(err("# state: nl\n") == "NL.txt:1: state must be an ISO 3166 alpha-2 code in capitals, found `nl`");
    CHECK(err("# state: NL\n# state: BE\n") == "NL.txt:2: second '# state:' header");
    CHECK(err("# state: NL\n# covers: 2025\n") == "NL.txt:2: covers must be `YYYY-YYYY`, found `2025`");
    CHECK(err("# state: NL\n# covers: 2027-2025\n") == "NL.txt:2: covers: first year after last year");
    CHECK(err("# covers: 2025-2025\n# source: x\n") == "NL.txt:2: missing '# state: XX' header");
    CHECK(err("# state: NL\n# source: x\n") == "NL.txt:2: missing '# covers: YYYY-YYYY' header");
    CHECK(err("# state: NL\n# covers: 2025-2025\n") ==
          "NL.txt:2: missing '# source:' header saying where the list comes from");
}

TEST_CASE("convention names", "[periods]") {
    for (Convention c : {Convention::eu_1182_71, Convention::frcp_6a, Convention::calendar_days})
        CHECK(convention_from_name(convention_name(c)) == c);
    CHECK(convention_name(Convention::frcp_6a) == "frcp_6a");
    CHECK_FALSE(convention_from_name("EU_1182_71").has_value());
    CHECK_FALSE(convention_from_name("").has_value());
    CHECK(std::string(describe(PeriodError::unsettled_month_end)).find("does not settle") != std::string::npos);
}

// ---- Regulation 1182/71 ----------------------------------------------------------------------------

TEST_CASE("1182/71 hours: the hour of the event is not counted", "[periods][eu]") {
    // 3(1) + 3(2)(a): receipt 10:37 -> the period starts at 11:00; 24 hours expire at 11:00 next day.
    CHECK(eu("NL", at("2025-06-05T10:37:00+02:00"), hours(24)) == "2025-06-06T11:00:00+02:00");
    // An event at exactly 10:00:00 occurs "during" the hour 10:00-11:00, which is not counted either.
    CHECK(eu("NL", at("2025-06-05T10:00:00+02:00"), hours(8)) == "2025-06-05T19:00:00+02:00");
    // Across midnight: 22:15 -> starts 23:00 -> 8 hours end 07:00 the next day.
    CHECK(eu("NL", at("2025-06-05T22:15:00+02:00"), hours(8)) == "2025-06-06T07:00:00+02:00");
    // The local hour is the offset's: at +05:30, 10:37 -> starts 11:00 local; 1 hour ends 12:00 local.
    CHECK(eu("NL", at("2025-06-05T10:37:00+05:30"), hours(1)) == "2025-06-05T12:00:00+05:30");
    // An hour period needs no calendar: 3(4) does not apply to periods expressed in hours.
    CHECK(end_of(Convention::eu_1182_71, nullptr, at("2025-06-05T10:37:00+02:00"), hours(24)) ==
          "2025-06-06T11:00:00+02:00");
}

TEST_CASE("1182/71 hours: no roll-forward / even onto a weekend or holiday", "[periods][eu]") {
    // Friday 10:37 + 24 h ends Saturday 11:00 (3(4) excludes periods in hours).
    CHECK(eu("NL", at("2025-06-06T10:37:00+02:00"), hours(24)) == "2025-06-07T11:00:00+02:00");
    // 24 December 09:30 + 24 h ends on Christmas Day 10:00.
    CHECK(eu("NL", at("2025-12-24T09:30:00+01:00"), hours(24)) == "2025-12-25T10:00:00+01:00");
    // e-evidence 8 hours on a Saturday evening: 20:10 -> starts 21:00 -> ends Sunday 05:00.
    CHECK(eu("DE", at("2025-06-07T20:10:00+02:00"), hours(8)) == "2025-06-08T05:00:00+02:00");
}

TEST_CASE("1182/71 hours across a DST change count elapsed hours", "[periods][eu]") {
    // Autumn: CEST ends 2025-10-26 03:00 -> 02:00. 10:37+02:00 -> starts 11:00+02:00 (09:00Z);
    // 24 elapsed hours -> 09:00Z on the 26th, which is 10:00 on the wall clock (+01:00). The end keeps
    // the start's offset, so it reads 11:00+02:00: the same instant.
    const PeriodResult autumn =
        period_end(Convention::eu_1182_71, nullptr, at("2025-10-25T10:37:00+02:00"), hours(24));
    REQUIRE(autumn.ok());
    CHECK(format_instant(autumn.end.instant) == "2025-10-26T11:00:00+02:00");
    CHECK(autumn.end.instant.utc_seconds == parse_instant("2025-10-26T10:00:00+01:00").value.utc_seconds);
    // Spring: CET -> CEST on 2025-03-30. 10:37+01:00 -> starts 11:00+01:00 (10:00Z); +24 h = 10:00Z = 12:00 CEST.
    const PeriodResult spring =
        period_end(Convention::eu_1182_71, nullptr, at("2025-03-29T10:37:00+01:00"), hours(24));
    REQUIRE(spring.ok());
    CHECK(spring.end.instant.utc_seconds == parse_instant("2025-03-30T12:00:00+02:00").value.utc_seconds);
}

TEST_CASE("1182/71 days: the day of the event is not counted", "[periods][eu]") {
    // DESIGN.md example: received Saturday 2026-01-17; day 1 = 18 Jan, day 30 = Monday 16 Feb (a working day).
    CHECK(eu("NL", on("2026-01-17"), days(30)) == "2026-02-16");
    // Monday 2 June + 3 days: 3, 4, 5 June -> Thursday 5 June.
    CHECK(eu("NL", on("2025-06-02"), days(3)) == "2025-06-05");
    // From an instant the event day is its local day: 23:30 on 2 June in New York is 2 June there...
    CHECK(eu("NL", at("2025-06-02T23:30:00-04:00"), days(3)) == "2025-06-05");
    // ...but the same instant written in UTC is 3 June, so the period ends a day later.
    CHECK(eu("NL", at("2025-06-03T03:30:00Z"), days(3)) == "2025-06-06");
}

TEST_CASE("1182/71 Art. 3(4): Saturday or Sunday or holiday -> following working day", "[periods][eu]") {
    // Monday 1 Sep 2025 + 5 days = Saturday 6 Sep -> Monday 8 Sep.
    const PeriodResult sat = period_end(Convention::eu_1182_71, cal("NL"), on("2025-09-01"), days(5));
    REQUIRE(sat.ok());
    CHECK(format_date(sat.end.date) == "2025-09-08");
    CHECK(format_date(sat.nominal.date) == "2025-09-06");
    CHECK(sat.adjustment == Adjustment::next_working_day);
    // + 6 days = Sunday 7 Sep -> Monday 8 Sep.
    CHECK(eu("NL", on("2025-09-01"), days(6)) == "2025-09-08");
    // Monday 2 June 2025 + 5 = Saturday 7 June; Sunday 8; Monday 9 June is Whit Monday -> Tuesday 10 June.
    CHECK(eu("NL", on("2025-06-02"), days(5)) == "2025-06-10");
}

TEST_CASE("1182/71 roll-forward over Easter differs by State", "[periods][eu]") {
    // Tuesday 8 April 2025 + 10 days = Friday 18 April (Good Friday).
    // NL (Atw art. 3(2)) and DE: Good Friday, Sat 19, Sun 20, Easter Monday 21 -> Tuesday 22 April.
    CHECK(eu("NL", on("2025-04-08"), days(10)) == "2025-04-22");
    CHECK(eu("DE", on("2025-04-08"), days(10)) == "2025-04-22");
    // BE and FR do not keep Good Friday: the period ends on Friday 18 April itself.
    CHECK(eu("BE", on("2025-04-08"), days(10)) == "2025-04-18");
    CHECK(eu("FR", on("2025-04-08"), days(10)) == "2025-04-18");
    // ES keeps Good Friday (Viernes Santo) but not Easter Monday nation-wide -> Monday 21 April.
    CHECK(eu("ES", on("2025-04-08"), days(10)) == "2025-04-21");
}

TEST_CASE("1182/71 roll-forward over Christmas differs by State", "[periods][eu]") {
    // Monday 15 Dec 2025 + 10 days = Thursday 25 December.
    // NL and DE: 25, 26 (Friday), 27-28 weekend -> Monday 29 December.
    CHECK(eu("NL", on("2025-12-15"), days(10)) == "2025-12-29");
    CHECK(eu("DE", on("2025-12-15"), days(10)) == "2025-12-29");
    // BE keeps only 25 December: Friday 26 is a working day.
    CHECK(eu("BE", on("2025-12-15"), days(10)) == "2025-12-26");
}

TEST_CASE("1182/71 weeks end on the same weekday", "[periods][eu]") {
    // 3(2)(c): Wednesday 4 June 2025 + 2 weeks -> Wednesday 18 June.
    CHECK(eu("NL", on("2025-06-04"), weeks(2)) == "2025-06-18");
    // Thursday 22 May 2025 + 1 week = Thursday 29 May (Ascension).
    // NL: 29 Ascension, 30 equated day, 31 Sat, 1 June Sun -> Monday 2 June.
    CHECK(eu("NL", on("2025-05-22"), weeks(1)) == "2025-06-02");
    // DE: Ascension only -> Friday 30 May.
    CHECK(eu("DE", on("2025-05-22"), weeks(1)) == "2025-05-30");
}

TEST_CASE("1182/71 months and years: same date / else the last day of the month", "[periods][eu]") {
    // 31 Jan 2025 + 1 month: 31 Feb does not exist -> 28 Feb 2025 (Friday, working).
    const PeriodResult jan = period_end(Convention::eu_1182_71, cal("NL"), on("2025-01-31"), months(1));
    REQUIRE(jan.ok());
    CHECK(format_date(jan.end.date) == "2025-02-28");
    CHECK(jan.adjustment == Adjustment::month_end);
    // 31 Jan 2027 + 1 month -> 28 Feb 2027, a Sunday -> 3(4): Monday 1 March 2027.
    CHECK(eu("NL", on("2027-01-31"), months(1)) == "2027-03-01");
    // 30 April 2025 + 1 month = 30 May 2025: in NL the equated day after Ascension -> Sat, Sun -> Monday 2 June.
    CHECK(eu("NL", on("2025-04-30"), months(1)) == "2025-06-02");
    CHECK(eu("DE", on("2025-04-30"), months(1)) == "2025-05-30");
    // 31 May 2025 + 1 month: 31 June does not exist -> Monday 30 June 2025.
    CHECK(eu("NL", on("2025-05-31"), months(1)) == "2025-06-30");
    // P2Y11M is 35 months: 15 Jan 2025 -> 15 Dec 2027 (Wednesday).
    CHECK(eu("NL", on("2025-01-15"), months(35)) == "2027-12-15");
}

TEST_CASE("1182/71 leap years", "[periods][eu]") {
    const HolidayCalendar* xx = weekends_only();
    // 29 Feb 2024 + 1 year: no 29 Feb 2025 -> 28 Feb 2025 (Friday).
    CHECK(end_of(Convention::eu_1182_71, xx, on("2024-02-29"), years(1)) == "2025-02-28");
    // 29 Feb 2028 + 1 year -> 28 Feb 2029 (Wednesday).
    CHECK(end_of(Convention::eu_1182_71, xx, on("2028-02-29"), years(1)) == "2029-02-28");
    // 29 Feb 2024 + 4 years -> 29 Feb 2028 exists (Tuesday).
    CHECK(end_of(Convention::eu_1182_71, xx, on("2024-02-29"), years(4)) == "2028-02-29");
    // 2100 is not a leap year: 29 Feb 2096 + 4 years -> 28 Feb 2100, a Sunday -> Monday 1 March 2100.
    CHECK(end_of(Convention::eu_1182_71, xx, on("2096-02-29"), years(4)) == "2100-03-01");
    // 28 Feb 2025 + 1 month -> 28 March (not the month's end: the same date exists).
    CHECK(end_of(Convention::eu_1182_71, xx, on("2025-02-28"), months(1)) == "2025-03-28");
}

TEST_CASE("1182/71 Art. 3(5): a period of two days or more includes two working days", "[periods][eu]") {
    // Wednesday 24 Dec 2025 + 2 days = Friday 26 (holiday in NL) -> 3(4): Monday 29.
    // The period 25..29 holds one working day (29) -> 3(5) runs on to the second: Tuesday 30 Dec.
    const PeriodResult xmas = period_end(Convention::eu_1182_71, cal("NL"), on("2025-12-24"), days(2));
    REQUIRE(xmas.ok());
    CHECK(format_date(xmas.end.date) == "2025-12-30");
    CHECK(format_date(xmas.nominal.date) == "2025-12-26");
    CHECK(xmas.adjustment == Adjustment::two_working_days);
    // Thursday 17 April 2025 + 2 = Saturday 19 -> Sun 20, Easter Monday 21 -> Tuesday 22.
    // NL/DE: 18 is Good Friday, so 18..22 holds only the 22nd -> Wednesday 23 April.
    CHECK(eu("NL", on("2025-04-17"), days(2)) == "2025-04-23");
    CHECK(eu("DE", on("2025-04-17"), days(2)) == "2025-04-23");
    // BE: Friday 18 is a working day, so 18..22 already holds two -> Tuesday 22 April.
    CHECK(eu("BE", on("2025-04-17"), days(2)) == "2025-04-22");
    // Any plain 2-day period from a Friday: Sunday -> Monday, only one working day -> Tuesday.
    CHECK(eu("NL", on("2025-09-05"), days(2)) == "2025-09-09");
    // A 1-day period is not subject to 3(5): Friday + 1 = Saturday -> Monday.
    CHECK(eu("NL", on("2025-09-05"), days(1)) == "2025-09-08");
}

TEST_CASE("1182/71 working-day periods count working days only", "[periods][eu]") {
    // Monday 22 Dec 2025 + 5 working days in NL: 23 (1), 24 (2), 25-26 holidays, 27-28 weekend,
    // 29 (3), 30 (4), 31 (5) -> Wednesday 31 December.
    CHECK(eu("NL", on("2025-12-22"), working_days(5)) == "2025-12-31");
    // BE: 26 December is a working day: 23, 24, 26, 29, 30 -> Tuesday 30 December.
    CHECK(eu("BE", on("2025-12-22"), working_days(5)) == "2025-12-30");
    // Friday + 1 working day -> Monday.
    CHECK(eu("NL", on("2025-09-05"), working_days(1)) == "2025-09-08");
    // Thursday 17 April 2025 + 2 working days in NL: 18 GF, 19-20 weekend, 21 Easter Monday,
    // 22 (1), 23 (2) -> Wednesday 23 April.
    CHECK(eu("NL", on("2025-04-17"), working_days(2)) == "2025-04-23");
}

TEST_CASE("1182/71 calendar coverage and missing calendar", "[periods][eu][errors]") {
    // Days periods roll forward, so they need the calendar.
    CHECK(end_of(Convention::eu_1182_71, nullptr, on("2025-06-02"), days(3)) == "error:no_calendar");
    // Monday 20 Dec 2027 + 20 days = Sunday 9 Jan 2028 -> Monday 10 Jan 2028, outside 2025-2027.
    CHECK(eu("NL", on("2027-12-20"), days(20)) == "error:outside_calendar");
    // A weekday end outside the years: 2027-12-20 + 16 = Wednesday 5 Jan 2028.
    CHECK(eu("NL", on("2027-12-20"), days(16)) == "error:outside_calendar");
    // Start before the covered years: 20 Dec 2024 + 30 = Sunday 19 Jan 2025 -> Monday 20 Jan 2025.
    // For 3(5) the days of late 2024 are unknown, but 2 and 3 January 2025 are two known working
    // days inside the period, which settles it.
    CHECK(eu("NL", on("2024-12-20"), days(30)) == "2025-01-20");
    // Monday 30 Dec 2024 + 2 = 1 Jan 2025 (holiday) -> Thursday 2 Jan. The period 31 Dec..2 Jan holds one
    // known working day (2 Jan) and an unknown one (31 Dec 2024): 3(5) cannot be decided.
    CHECK(eu("NL", on("2024-12-30"), days(2)) == "error:outside_calendar");
    // Working-day counts need every day's status.
    CHECK(eu("NL", on("2027-12-28"), working_days(5)) == "error:outside_calendar");
}

// ---- Fed. R. Civ. P. 6(a) --------------------------------------------------------------------------

TEST_CASE("FRCP 6(a)(1): exclude the event day / count every day / roll past weekends and legal holidays",
          "[periods][frcp]") {
    // Tuesday 24 June 2025 + 10 days = Friday 4 July (Independence Day) -> Sat, Sun -> Monday 7 July.
    const PeriodResult july = period_end(Convention::frcp_6a, cal("US"), on("2025-06-24"), days(10));
    REQUIRE(july.ok());
    CHECK(format_date(july.end.date) == "2025-07-07");
    CHECK(format_date(july.nominal.date) == "2025-07-04");
    CHECK(july.adjustment == Adjustment::next_working_day);
    // (B) intermediate holidays count: Monday 30 June + 14 days = Monday 14 July (4 July inside).
    CHECK(frcp(on("2025-06-30"), days(14)) == "2025-07-14");
    // (C) Saturday: Monday 1 Sep + 5 = Saturday 6 Sep -> Monday 8 Sep.
    CHECK(frcp(on("2025-09-01"), days(5)) == "2025-09-08");
    // Observed day: Tuesday 23 June 2026 + 10 = Friday 3 July 2026, the observed Independence Day
    // (4 July 2026 is a Saturday) -> Sat 4, Sun 5 -> Monday 6 July.
    CHECK(frcp(on("2026-06-23"), days(10)) == "2026-07-06");
    // Monday 20 Dec 2027 + 4 = Friday 24 Dec 2027 (Christmas observed) -> Monday 27 Dec.
    CHECK(frcp(on("2027-12-20"), days(4)) == "2027-12-27");
    // Thursday 20 Nov 2025 + 1 week = Thanksgiving 27 Nov -> Friday 28 Nov (not a federal holiday).
    CHECK(frcp(on("2025-11-20"), weeks(1)) == "2025-11-28");
    // No Art. 3(5) under FRCP: Friday + 2 days = Sunday -> Monday (1182/71 would give Tuesday).
    CHECK(frcp(on("2025-09-05"), days(2)) == "2025-09-08");
}

TEST_CASE("FRCP 6(a)(1) months: the corresponding date / never a silent clamp", "[periods][frcp]") {
    // Wednesday 15 Jan 2025 + 1 month = Saturday 15 Feb -> Sun 16 -> Monday 17 is Washington's Birthday
    // -> Tuesday 18 February.
    CHECK(frcp(on("2025-01-15"), months(1)) == "2025-02-18");
    // 31 Jan + 1 month and 31 March + 1 month have no corresponding date: the rule does not settle it.
    CHECK(frcp(on("2025-01-31"), months(1)) == "error:unsettled_month_end");
    CHECK(frcp(on("2025-03-31"), months(1)) == "error:unsettled_month_end");
    // 30 April + 1 month = Friday 30 May 2025 (exists, working day).
    CHECK(frcp(on("2025-04-30"), months(1)) == "2025-05-30");
    // Leap day + 1 year has no corresponding date either.
    CHECK(end_of(Convention::frcp_6a, weekends_only(), on("2024-02-29"), years(1)) == "error:unsettled_month_end");
}

TEST_CASE("FRCP 6(a)(2): hours count from the event and weekend or holiday ends move to the same time next day",
          "[periods][frcp]") {
    // (A) counting begins immediately: Tuesday 1 July 10:37 + 8 h = 18:37 the same day.
    CHECK(frcp(at("2025-07-01T10:37:00-04:00"), hours(8)) == "2025-07-01T18:37:00-04:00");
    // Across midnight: 20:00 + 8 h = 04:00 next day (a Wednesday).
    CHECK(frcp(at("2025-07-01T20:00:00-04:00"), hours(8)) == "2025-07-02T04:00:00-04:00");
    // (C) Thursday 3 July 10:37 + 24 h = Friday 4 July 10:37, a legal holiday; Sat, Sun -> Monday 7 July 10:37.
    const PeriodResult r = period_end(Convention::frcp_6a, cal("US"), at("2025-07-03T10:37:00-04:00"), hours(24));
    REQUIRE(r.ok());
    CHECK(format_instant(r.end.instant) == "2025-07-07T10:37:00-04:00");
    CHECK(format_instant(r.nominal.instant) == "2025-07-04T10:37:00-04:00");
    CHECK(r.adjustment == Adjustment::next_working_day);
    // Friday 10:00 + 24 h = Saturday 10:00 -> Monday 10:00.
    CHECK(frcp(at("2025-09-05T10:00:00-04:00"), hours(24)) == "2025-09-08T10:00:00-04:00");
    // The roll needs the calendar.
    CHECK(end_of(Convention::frcp_6a, nullptr, at("2025-07-01T10:37:00-04:00"), hours(8)) == "error:no_calendar");
}

TEST_CASE("FRCP errors: calendar and coverage", "[periods][frcp][errors]") {
    CHECK(end_of(Convention::frcp_6a, nullptr, on("2025-06-24"), days(10)) == "error:no_calendar");
    // Monday 27 Dec 2027 + 4 = Friday 31 Dec (New Year 2028 observed) -> Sat 1, Sun 2 -> Monday 3 Jan 2028: unknown.
    CHECK(frcp(on("2027-12-27"), days(4)) == "error:outside_calendar");
}

// ---- calendar_days ---------------------------------------------------------------------------------

TEST_CASE("calendar_days: event day excluded / no roll-forward / hours exact", "[periods][plain]") {
    CHECK(plain(on("2026-01-17"), days(30)) == "2026-02-16");
    // Monday 1 Sep 2025 + 5 = Saturday 6 Sep: stays on Saturday (no calendar needed).
    CHECK(plain(on("2025-09-01"), days(5)) == "2025-09-06");
    // Christmas is just a day: 15 Dec + 10 = 25 Dec.
    CHECK(plain(on("2025-12-15"), days(10)) == "2025-12-25");
    // Hours run from the event itself: 10:37 + 24 h = 10:37 the next day.
    CHECK(plain(at("2025-06-06T10:37:00+02:00"), hours(24)) == "2025-06-07T10:37:00+02:00");
    // Weeks: 7 days each.
    CHECK(plain(on("2025-06-04"), weeks(2)) == "2025-06-18");
    // Months: the corresponding date when it exists; otherwise unsettled.
    CHECK(plain(on("2025-01-15"), months(1)) == "2025-02-15");
    CHECK(plain(on("2025-04-30"), months(1)) == "2025-05-30");
    CHECK(plain(on("2025-01-31"), months(1)) == "error:unsettled_month_end");
    CHECK(plain(on("2024-02-29"), years(1)) == "error:unsettled_month_end");
    CHECK(plain(on("2024-02-29"), years(4)) == "2028-02-29");
    CHECK(plain(on("2096-02-29"), years(4)) == "error:unsettled_month_end");  // 2100 is not a leap year
    // Working days still need a calendar, even under calendar_days.
    CHECK(plain(on("2025-12-22"), working_days(5)) == "error:no_calendar");
    CHECK(end_of(Convention::calendar_days, cal("NL"), on("2025-12-22"), working_days(5)) == "2025-12-31");
}

// ---- errors common to all conventions ----------------------------------------------------------------

TEST_CASE("period errors: mixed units / negative / overflow / hours from a date", "[periods][errors]") {
    for (Convention c : {Convention::eu_1182_71, Convention::frcp_6a, Convention::calendar_days}) {
        INFO(convention_name(c));
        const HolidayCalendar* nl = cal("NL");
        CHECK(end_of(c, nl, on("2025-06-02"), Duration{0, 1, 12, false}) == "error:mixed_units");  // P1DT12H
        CHECK(end_of(c, nl, on("2025-06-02"), Duration{1, 15, 0, false}) == "error:mixed_units");  // P1M15D
        CHECK(end_of(c, nl, on("2025-06-02"), Duration{1, 0, 0, true}) == "error:mixed_units");    // working months
        CHECK(end_of(c, nl, at("2025-06-02T10:00:00Z"), Duration{0, 0, 8, true}) == "error:mixed_units");
        CHECK(end_of(c, nl, on("2025-06-02"), Duration{0, -1, 0, false}) == "error:negative");
        CHECK(end_of(c, nl, on("2025-06-02"), Duration{-1, 0, 0, false}) == "error:negative");
        CHECK(end_of(c, nl, on("2025-06-02"), hours(24)) == "error:hours_need_instant");
        // Years and months together are fine (both are months).
        CHECK(end_of(c, weekends_only(), on("2025-01-15"), Duration{35, 0, 0, false}) == "2027-12-15");
    }
    CHECK(plain(on("9999-12-01"), months(1)) == "error:overflow");
    CHECK(plain(on("2025-01-01"), days(2147483647)) == "error:overflow");
    CHECK(plain(at("9999-12-31T23:00:00Z"), hours(2)) == "error:overflow");
    // Describe every error in words.
    for (PeriodError e : {PeriodError::none, PeriodError::no_calendar, PeriodError::outside_calendar,
                          PeriodError::unsettled_month_end, PeriodError::mixed_units, PeriodError::negative,
                          PeriodError::overflow, PeriodError::hours_need_instant})
        CHECK(std::string(describe(e)).size() > 5);
}

TEST_CASE("load_directory reports bad files and keeps good ones", "[periods][data]") {
    CalendarSet set;
    const CalendarSet::LoadResult missing = set.load_directory(holidays_dir() + "/does-not-exist");
    CHECK_FALSE(missing.ok);
    CHECK(missing.errors.size() == 1);
    CHECK(set.size() == 0);
    // Adding the same State twice is refused.
    HolidayCalendar::ParseResult a = HolidayCalendar::parse("# state: ZZ\n# covers: 2025-2025\n# source: t\n", "ZZ.txt");
    REQUIRE(a.ok);
    CHECK(set.add(a.calendar));
    CHECK_FALSE(set.add(a.calendar));
    CHECK(set.find("ZZ") != nullptr);
}

// periods.h: legal period computation under a named convention, with a State's public-holiday calendar.
// Knows nothing of the policy language, bytecode or JSON; period_end never allocates or throws.
//
// The rules, as the texts put them (section 8 and 8a of legal/FACTS.md):
//
// eu_1182_71 — Regulation (EEC, Euratom) No 1182/71, Article 3:
//   3(1) "Where a period expressed in hours is to be calculated from the moment at which an event occurs
//        or an action takes place, the hour during which that event occurs or that action takes place
//        shall not be considered as falling within the period in question."  Likewise for a period in
//        days, weeks, months or years, "the day during which that event occurs ... shall not be
//        considered as falling within the period in question".
//   3(2)(a) "a period expressed in hours shall start at the beginning of the first hour and shall end
//        with the expiry of the last hour of the period";
//   3(2)(b) "a period expressed in days shall start at the beginning of the first hour of the first day
//        and shall end with the expiry of the last hour of the last day of the period";
//   3(2)(c) "a period expressed in weeks, months or years shall start at the beginning of the first hour
//        of the first day of the period, and shall end with the expiry of the last hour of whichever day
//        in the last week, month or year is the same day of the week, or falls on the same date, as the
//        day from which the period runs. If, in a period expressed in months or in years, the day on
//        which it should expire does not occur in the last month, the period shall end with the expiry
//        of the last hour of the last day of that month";
//   3(3) "The periods concerned shall include public holidays, Sundays and Saturdays, save where these
//        are expressly excepted or where the periods are expressed in working days";
//   3(4) "Where the last day of a period expressed otherwise than in hours is a public holiday, Sunday
//        or Saturday, the period shall end with the expiry of the last hour of the following working
//        day";
//   3(5) "Any period of two days or more shall include at least two working days."
//   Art. 2(1): public holidays are those of the State before whose authority the action is taken.
//   (3(1) days, 3(2)(c) and 3(4) were checked word for word against extracts of the official English
//   text; 3(1) hours, 3(2)(a)-(b), 3(3) and 3(5) follow FACTS.md 8a and the OJ L 124 text as recalled.)
//
// frcp_6a — US Federal Rules of Civil Procedure, Rule 6(a):
//   6(a)(1) period stated in days or a longer unit: "(A) exclude the day of the event that triggers the
//        period; (B) count every day, including intermediate Saturdays, Sundays, and legal holidays; and
//        (C) include the last day of the period, but if the last day is a Saturday, Sunday, or legal
//        holiday, the period continues to run until the end of the next day that is not a Saturday,
//        Sunday, or legal holiday."
//   6(a)(2) period stated in hours: "(A) begin counting immediately on the occurrence of the event that
//        triggers the period; (B) count every hour, including hours during intermediate Saturdays,
//        Sundays, and legal holidays; and (C) if the period would end on a Saturday, Sunday, or legal
//        holiday, the period continues to run until the same time on the next day that is not a
//        Saturday, Sunday, or legal holiday."
//
// calendar_days — plain counting: the day of the event is not counted, every day counts, no
//   roll-forward; hours run from the event itself.
//
// Choices this code makes where the texts are silent (each is tested):
// - Months under frcp_6a and calendar_days: the corresponding date; when it does not exist (31 Jan +
//   1 month) the result is unsettled_month_end, never a silent clamp. Only 1182/71 settles it.
// - 1182/71 Art. 3(5) is applied to periods expressed in days, weeks, months or years, not in hours
//   (3(4) excludes hour periods explicitly; a 48-hour period is not "expressed" in days).
// - Art. 3(2)(d) (parts of months as 30 days) is not needed: a duration mixing months with days or
//   hours is refused as mixed_units.
// - Hour periods: the local hour is that of the start instant's UTC offset. The end instant keeps the
//   start's offset: across a DST change the instant is right and its wall-clock reading is the old
//   offset's (there is no time-zone database here). FRCP 6(a)(2)(C) moves by whole days of 24 hours.
// - Working-day periods (Duration::working_days) count only days that are neither Saturday, Sunday
//   nor a holiday of the calendar, in every convention; they always need a calendar.
// - A day whose holiday status is needed but lies outside the calendar's years gives outside_calendar.
//   Saturdays and Sundays are known without a calendar; Art. 3(5) is satisfied as soon as two known
//   working days lie inside the period.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "comity/civil.h"

namespace comity::periods {

enum class Convention : uint8_t { eu_1182_71, frcp_6a, calendar_days };

std::string_view convention_name(Convention convention);  // "eu_1182_71", "frcp_6a", "calendar_days"
std::optional<Convention> convention_from_name(std::string_view name);

// A State's public holidays for a closed range of years. Immutable once parsed.
class HolidayCalendar {
public:
    struct ParseResult;

    HolidayCalendar() = default;

    // The data file format (data/holidays/XX.txt):
    //   # state: NL                 required, ISO 3166 alpha-2, upper case
    //   # covers: 2025-2027         required, first-last year
    //   # source: ...               required, at least one line; several lines are joined with "; "
    //   # anything else             comment
    //   2025-04-21 Easter Monday    one holiday a line, dates ascending, no duplicates, inside covers
    // Errors name the origin and line: "NL.txt:12: day 31 out of range: 2025-04 has 30 days".
    static ParseResult parse(std::string_view text, std::string_view origin);

    const std::string& code() const { return code_; }
    const std::string& source() const { return source_; }
    int first_year() const { return first_year_; }
    int last_year() const { return last_year_; }
    const std::vector<Days>& holidays() const { return dates_; }  // sorted ascending

    bool covers(Days day) const { return day >= first_day_ && day <= last_day_; }
    bool is_holiday(Days day) const;  // false outside the covered years: ask covers() first
    bool is_weekend(Days day) const { return comity::is_weekend(day); }
    bool is_working_day(Days day) const { return !is_weekend(day) && !is_holiday(day); }
    std::string_view holiday_name(Days day) const;  // empty when the day is no holiday

private:
    std::string code_;
    std::string source_;
    int first_year_ = 0;
    int last_year_ = -1;  // empty range until parsed
    Days first_day_ = 0, last_day_ = -1;  // the covered years as days: covers() is on the hot path
    std::vector<uint64_t> rest_bits_;      // bit d - first_day_: a Saturday, Sunday or public holiday
    void index_rest_days();
public:
    // For a covered day: whether no work is done on it (weekend or holiday). One bit test.
    bool is_rest_day_covered(Days day) const {
        const auto i = static_cast<uint32_t>(day - first_day_);
        return (rest_bits_[i >> 6] >> (i & 63)) & 1u;
    }
private:
    std::vector<Days> dates_;
    std::vector<std::string> names_;  // parallel to dates_
};

struct HolidayCalendar::ParseResult {
    bool ok = false;
    HolidayCalendar calendar;
    std::string error;  // "origin:line: message" when !ok
};

// State code → calendar.
class CalendarSet {
public:
    struct LoadResult {
        bool ok = true;
        size_t loaded = 0;
        std::vector<std::string> errors;  // one per bad file; good files are still loaded
    };

    // Reads every *.txt in directory; the file name must be the state code ("NL.txt" holds "# state: NL").
    // I/O problems are reported in errors, not thrown.
    LoadResult load_directory(const std::filesystem::path& directory);
    // False (and nothing changes) when a calendar with the same code is already present.
    bool add(HolidayCalendar calendar);
    const HolidayCalendar* find(std::string_view code) const;  // nullptr when absent
    size_t size() const { return calendars_.size(); }

private:
    std::map<std::string, HolidayCalendar, std::less<>> calendars_;
};

// Where a period starts: a date (the day of the event) or an instant (the moment of the event).
struct PeriodStart {
    enum class Kind : uint8_t { date, instant };
    Kind kind = Kind::date;
    Days date = 0;     // for Kind::date
    Instant instant;   // for Kind::instant
    static PeriodStart on(Days day) { return PeriodStart{Kind::date, day, {}}; }
    static PeriodStart at(Instant moment) { return PeriodStart{Kind::instant, 0, moment}; }
};

// A period in days, weeks, months or years ends at the END of `date` (its last hour expires; under
// FRCP 6(a)(4) at midnight in the court's time zone). A period in hours ends at `instant`.
struct PeriodEnd {
    enum class Kind : uint8_t { date, instant };
    Kind kind = Kind::date;
    Days date = 0;
    Instant instant;
};

enum class PeriodError : uint8_t {
    none,
    no_calendar,          // the convention rolls forward or counts working days but no calendar was given
    outside_calendar,     // a day whose holiday status matters lies outside the calendar's years
    unsettled_month_end,  // the corresponding date does not exist and the convention does not settle it
    mixed_units,          // months with days/hours, days with hours, working days with months/hours
    negative,             // a negative component (retroactive periods are not supported)
    overflow,             // the end would fall outside years 0000-9999
    hours_need_instant,   // a period in hours needs the moment of the event, not only its day
};
const char* describe(PeriodError error);  // lowercase sentence fragment, no final period

// What moved the end away from the plain count, for explanations ("ends Saturday, extended to Monday").
enum class Adjustment : uint8_t {
    none,
    month_end,          // 1182/71 Art. 3(2)(c): the date did not exist, last day of the month
    next_working_day,   // 1182/71 Art. 3(4) / FRCP 6(a)(1)(C), 6(a)(2)(C)
    two_working_days,   // 1182/71 Art. 3(5)
};

struct PeriodResult {
    PeriodError error = PeriodError::none;
    PeriodEnd end;       // meaningful when error == none
    PeriodEnd nominal;   // the plain count before roll-forward and Art. 3(5)
    Adjustment adjustment = Adjustment::none;  // the last rule that moved the end
    bool ok() const { return error == PeriodError::none; }
};

// The end of a period of `length` from `start` under `convention`. `calendar` may be null when the
// convention needs none for this length (calendar_days in days/months/hours, 1182/71 in hours).
// Deterministic; no allocation; no exceptions.
PeriodResult period_end(Convention convention, const HolidayCalendar* calendar, PeriodStart start, Duration length);

}  // namespace comity::periods

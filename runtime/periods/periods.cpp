// periods.cpp: 1182/71, FRCP 6(a) and plain calendar-day periods; holiday calendar files.
// Knows nothing of the policy language or the VM; period_end does no allocation and throws nothing.
#include "comity/periods.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

namespace comity::periods {

namespace {

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool in_range(int64_t day) { return day >= min_days() && day <= max_days(); }

// What a day is for the purpose of a period. A weekend day is known without any calendar; a weekday
// outside the calendar's years is unknown, and unknown stops the computation rather than guessing.
enum class DayKind : uint8_t { working, rest, unknown };

DayKind classify(const HolidayCalendar& calendar, Days day) {
    if (calendar.covers(day)) return calendar.is_rest_day_covered(day) ? DayKind::rest : DayKind::working;
    return is_weekend(day) ? DayKind::rest : DayKind::unknown;
}

// 1182/71 Art. 3(4), FRCP 6(a)(1)(C): the end moves to the next day that is a working day.
PeriodError roll_to_working_day(const HolidayCalendar& calendar, Days& day, bool& moved) {
    for (;;) {
        switch (classify(calendar, day)) {
            case DayKind::working: return PeriodError::none;
            case DayKind::unknown: return PeriodError::outside_calendar;
            case DayKind::rest: break;
        }
        if (day >= max_days()) return PeriodError::overflow;
        ++day;
        moved = true;
    }
}

// 1182/71 Art. 3(5): the period (event day excluded) must contain two working days; if it does not,
// it runs on to the second one. Two known working days settle it even if other days are unknown.
PeriodError ensure_two_working_days(const HolidayCalendar& calendar, Days event_day, Days& end, bool& moved) {
    int known = 0;
    bool unknown_seen = false;
    for (Days day = event_day + 1; day <= end; ++day) {
        const DayKind kind = classify(calendar, day);
        if (kind == DayKind::working && ++known == 2) return PeriodError::none;
        if (kind == DayKind::unknown) unknown_seen = true;
    }
    if (unknown_seen) return PeriodError::outside_calendar;
    for (Days day = end + 1;; ++day) {
        if (day > max_days()) return PeriodError::overflow;
        const DayKind kind = classify(calendar, day);
        if (kind == DayKind::unknown) return PeriodError::outside_calendar;
        if (kind == DayKind::working && ++known == 2) {
            end = day;
            moved = true;
            return PeriodError::none;
        }
    }
}

// The n-th working day after the event day (1182/71 Art. 3(3) "expressed in working days").
PeriodError count_working_days(const HolidayCalendar& calendar, Days event_day, int32_t count, Days& end) {
    Days day = event_day;
    for (int32_t remaining = count; remaining > 0;) {
        if (day >= max_days()) return PeriodError::overflow;
        ++day;
        switch (classify(calendar, day)) {
            case DayKind::working: --remaining; break;
            case DayKind::rest: break;
            case DayKind::unknown: return PeriodError::outside_calendar;
        }
    }
    end = day;
    return PeriodError::none;
}

struct MonthStep {
    PeriodError error = PeriodError::none;
    Days date = 0;
    bool date_missing = false;  // the same date does not occur in the last month
};

// The same date `months` later; when it does not exist, the last day of that month with date_missing set
// (the caller decides whether its convention settles that).
MonthStep add_months(Days from, int64_t months) {
    const Ymd ymd = civil_from_days(from);
    const int64_t index = static_cast<int64_t>(ymd.y) * 12 + (ymd.m - 1) + months;
    const int64_t year = floor_div(index, 12);
    MonthStep step;
    if (year > max_year) {
        step.error = PeriodError::overflow;
        return step;
    }
    const unsigned month = static_cast<unsigned>(index - year * 12) + 1;
    const unsigned last = last_day_of_month(static_cast<int>(year), month);
    step.date_missing = ymd.d > last;
    step.date = days_from_civil(static_cast<int>(year), month, step.date_missing ? last : ymd.d);
    return step;
}

PeriodResult failure(PeriodError error) {
    PeriodResult r;
    r.error = error;
    return r;
}

PeriodEnd date_end(Days day) {
    PeriodEnd end;
    end.kind = PeriodEnd::Kind::date;
    end.date = day;
    return end;
}

PeriodEnd instant_end(Instant instant) {
    PeriodEnd end;
    end.kind = PeriodEnd::Kind::instant;
    end.instant = instant;
    end.date = local_date(instant);
    return end;
}

PeriodResult hours_period(Convention convention, const HolidayCalendar* calendar, PeriodStart start, int32_t hours) {
    if (start.kind != PeriodStart::Kind::instant) return failure(PeriodError::hours_need_instant);
    const Instant event = start.instant;
    const int64_t offset_seconds = static_cast<int64_t>(event.offset_minutes) * 60;
    const int64_t length = static_cast<int64_t>(hours) * 3600;
    int64_t end_utc = 0;
    switch (convention) {
        case Convention::eu_1182_71: {
            // Art. 3(1): the hour of the event is not counted; 3(2)(a): the period starts at the beginning
            // of the next (local) hour and ends with the expiry of its last hour.
            const int64_t first_hour_local = floor_div(local_seconds(event), 3600) * 3600 + 3600;
            end_utc = first_hour_local - offset_seconds + length;
            break;
        }
        case Convention::frcp_6a:
        case Convention::calendar_days:
            // FRCP 6(a)(2)(A): "begin counting immediately on the occurrence of the event".
            end_utc = event.utc_seconds + length;
            break;
    }
    Instant end{end_utc, event.offset_minutes};
    if (!in_range(local_date(end))) return failure(PeriodError::overflow);
    PeriodResult result;
    result.nominal = instant_end(end);
    if (convention == Convention::frcp_6a) {
        // 6(a)(2)(C): on a Saturday, Sunday or legal holiday the period runs "until the same time on the
        // next day" that is none of those: whole days at the same offset keep the same wall-clock time.
        if (calendar == nullptr) return failure(PeriodError::no_calendar);
        Days day = local_date(end);
        bool moved = false;
        if (const PeriodError e = roll_to_working_day(*calendar, day, moved); e != PeriodError::none) return failure(e);
        if (moved) {
            end.utc_seconds += static_cast<int64_t>(day - local_date(end)) * 86400;
            result.adjustment = Adjustment::next_working_day;
        }
    }
    result.end = instant_end(end);
    return result;
}

}  // namespace

std::string_view convention_name(Convention convention) {
    switch (convention) {
        case Convention::eu_1182_71: return "eu_1182_71";
        case Convention::frcp_6a: return "frcp_6a";
        case Convention::calendar_days: return "calendar_days";
    }
    return "";
}

std::optional<Convention> convention_from_name(std::string_view name) {
    for (Convention c : {Convention::eu_1182_71, Convention::frcp_6a, Convention::calendar_days})
        if (convention_name(c) == name) return c;
    return std::nullopt;
}

const char* describe(PeriodError error) {
    switch (error) {
        case PeriodError::none: return "no error";
        case PeriodError::no_calendar:
            return "this period needs a public-holiday calendar and none was given";
        case PeriodError::outside_calendar:
            return "the period reaches a day outside the years the holiday calendar covers";
        case PeriodError::unsettled_month_end:
            return "the corresponding date does not exist in the last month and the convention does not settle it";
        case PeriodError::mixed_units:
            return "a period mixes units that are not interchangeable (months, days, hours, working days)";
        case PeriodError::negative: return "a period cannot be negative";
        case PeriodError::overflow: return "the period ends outside the years 0000-9999";
        case PeriodError::hours_need_instant:
            return "a period in hours needs the moment of the event, not only its date";
    }
    return "unknown period error";
}

PeriodResult period_end(Convention convention, const HolidayCalendar* calendar, PeriodStart start, Duration length) {
    if (length.months < 0 || length.days < 0 || length.hours < 0) return failure(PeriodError::negative);
    const int units = (length.months > 0) + (length.days > 0) + (length.hours > 0);
    if (units > 1) return failure(PeriodError::mixed_units);
    if (length.working_days && (length.months > 0 || length.hours > 0)) return failure(PeriodError::mixed_units);
    if (length.hours > 0) return hours_period(convention, calendar, start, length.hours);

    // Days, weeks, months, years (and the zero-length period): the day of the event is not counted.
    const Days event_day = start.kind == PeriodStart::Kind::date ? start.date : local_date(start.instant);
    if (!in_range(event_day)) return failure(PeriodError::overflow);
    const bool rolls = convention != Convention::calendar_days;
    if ((rolls || length.working_days) && calendar == nullptr) return failure(PeriodError::no_calendar);

    PeriodResult result;
    Days end = event_day;
    if (length.working_days) {
        if (const PeriodError e = count_working_days(*calendar, event_day, length.days, end); e != PeriodError::none)
            return failure(e);
    } else if (length.months > 0) {
        const MonthStep step = add_months(event_day, length.months);
        if (step.error != PeriodError::none) return failure(step.error);
        if (step.date_missing) {
            // Only 1182/71 Art. 3(2)(c) says what happens: the last day of that month.
            if (convention != Convention::eu_1182_71) return failure(PeriodError::unsettled_month_end);
            result.adjustment = Adjustment::month_end;
        }
        end = step.date;
    } else {
        const int64_t day = static_cast<int64_t>(event_day) + length.days;
        if (!in_range(day)) return failure(PeriodError::overflow);
        end = static_cast<Days>(day);
    }
    result.nominal = date_end(end);

    if (rolls) {
        bool moved = false;
        if (const PeriodError e = roll_to_working_day(*calendar, end, moved); e != PeriodError::none)
            return failure(e);
        if (moved) result.adjustment = Adjustment::next_working_day;
    }
    if (convention == Convention::eu_1182_71 && (length.months > 0 || length.days >= 2)) {
        bool moved = false;
        if (const PeriodError e = ensure_two_working_days(*calendar, event_day, end, moved); e != PeriodError::none)
            return failure(e);
        if (moved) result.adjustment = Adjustment::two_working_days;
    }
    result.end = date_end(end);
    return result;
}

// ---- holiday calendars ----------------------------------------------------------------------------

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

bool starts_with_key(std::string_view line, std::string_view key, std::string_view& value) {
    if (line.substr(0, key.size()) != key) return false;
    value = trim(line.substr(key.size()));
    return true;
}

bool parse_year(std::string_view s, int& year) {
    if (s.size() != 4) return false;
    year = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        year = year * 10 + (c - '0');
    }
    return true;
}

}  // namespace


void HolidayCalendar::index_rest_days() {
    rest_bits_.assign(last_day_ >= first_day_ ? static_cast<size_t>(last_day_ - first_day_) / 64 + 1 : 0, 0);
    for (Days d = first_day_; d <= last_day_; ++d) {
        const bool rest = is_weekend(d) || std::binary_search(dates_.begin(), dates_.end(), d);
        const auto i = static_cast<uint32_t>(d - first_day_);
        if (rest) rest_bits_[i >> 6] |= uint64_t{1} << (i & 63);
    }
}

bool HolidayCalendar::is_holiday(Days day) const {
    return std::binary_search(dates_.begin(), dates_.end(), day);
}

std::string_view HolidayCalendar::holiday_name(Days day) const {
    const auto it = std::lower_bound(dates_.begin(), dates_.end(), day);
    if (it == dates_.end() || *it != day) return {};
    return names_[static_cast<size_t>(it - dates_.begin())];
}

HolidayCalendar::ParseResult HolidayCalendar::parse(std::string_view text, std::string_view origin) {
    ParseResult result;
    HolidayCalendar& cal = result.calendar;
    bool have_state = false, have_covers = false, have_source = false;
    auto error = [&](size_t line, const std::string& message) {
        result.ok = false;
        result.error = std::string(origin) + ":" + std::to_string(line) + ": " + message;
        return std::move(result);
    };

    size_t line_number = 0;
    while (!text.empty()) {
        ++line_number;
        const size_t newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
        line = trim(line);
        if (line.empty()) continue;

        if (line.front() == '#') {
            const std::string_view body = trim(line.substr(1));
            std::string_view value;
            if (starts_with_key(body, "state:", value)) {
                if (have_state) return error(line_number, "second '# state:' header");
                if (value.size() != 2 || value[0] < 'A' || value[0] > 'Z' || value[1] < 'A' || value[1] > 'Z')
                    return error(line_number, "state must be an ISO 3166 alpha-2 code in capitals, found `" +
                                                  std::string(value) + "`");
                cal.code_ = std::string(value);
                have_state = true;
            } else if (starts_with_key(body, "covers:", value)) {
                if (have_covers) return error(line_number, "second '# covers:' header");
                const size_t dash = value.find('-');
                int first = 0, last = 0;
                if (dash == std::string_view::npos || !parse_year(trim(value.substr(0, dash)), first) ||
                    !parse_year(trim(value.substr(dash + 1)), last))
                    return error(line_number, "covers must be `YYYY-YYYY`, found `" + std::string(value) + "`");
                if (first > last) return error(line_number, "covers: first year after last year");
                cal.first_year_ = first;
                cal.last_year_ = last;
                cal.first_day_ = days_from_civil(first, 1, 1);
                cal.last_day_ = days_from_civil(last, 12, 31);
                have_covers = true;
            } else if (starts_with_key(body, "source:", value)) {
                if (value.empty()) return error(line_number, "empty '# source:' line");
                if (!cal.source_.empty()) cal.source_ += "; ";
                cal.source_ += value;
                have_source = true;
            }
            continue;
        }

        // A holiday: "YYYY-MM-DD Name".
        if (!have_state || !have_covers)
            return error(line_number, "holiday before the '# state:' and '# covers:' headers");
        const std::string_view date_text = line.substr(0, std::min<size_t>(line.find_first_of(" \t"), line.size()));
        const DateParse date = parse_date(date_text);
        if (!date.ok) return error(line_number, std::string(date.error.view()) + " in `" + std::string(date_text) + "`");
        const std::string_view name = trim(line.substr(date_text.size()));
        if (name.empty()) return error(line_number, "holiday " + std::string(date_text) + " has no name");
        if (!cal.covers(date.value))
            return error(line_number, std::string(date_text) + " lies outside covers " + std::to_string(cal.first_year_) +
                                          "-" + std::to_string(cal.last_year_));
        if (!cal.dates_.empty() && date.value <= cal.dates_.back())
            return error(line_number, date.value == cal.dates_.back()
                                          ? "duplicate date " + std::string(date_text) + ": give both names on one line"
                                          : "dates must be ascending: " + std::string(date_text) + " comes after " +
                                                format_date(cal.dates_.back()));
        cal.dates_.push_back(date.value);
        cal.names_.emplace_back(name);
    }
    if (!have_state) return error(line_number, "missing '# state: XX' header");
    if (!have_covers) return error(line_number, "missing '# covers: YYYY-YYYY' header");
    if (!have_source) return error(line_number, "missing '# source:' header saying where the list comes from");
    cal.index_rest_days();
    result.ok = true;
    return result;
}

bool CalendarSet::add(HolidayCalendar calendar) {
    const std::string code = calendar.code();
    return calendars_.emplace(code, std::move(calendar)).second;
}

const HolidayCalendar* CalendarSet::find(std::string_view code) const {
    const auto it = calendars_.find(code);
    return it == calendars_.end() ? nullptr : &it->second;
}

CalendarSet::LoadResult CalendarSet::load_directory(const std::filesystem::path& directory) {
    LoadResult result;
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".txt") files.push_back(it->path());
    if (ec) {
        result.ok = false;
        result.errors.push_back(directory.string() + ": " + ec.message());
        return result;
    }
    std::sort(files.begin(), files.end());  // deterministic order and messages
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            result.ok = false;
            result.errors.push_back(file.string() + ": cannot open");
            continue;
        }
        std::ostringstream text;
        text << in.rdbuf();
        const std::string name = file.filename().string();
        HolidayCalendar::ParseResult parsed = HolidayCalendar::parse(text.str(), name);
        if (!parsed.ok) {
            result.ok = false;
            result.errors.push_back(parsed.error);
            continue;
        }
        if (file.stem().string() != parsed.calendar.code()) {
            result.ok = false;
            result.errors.push_back(name + ": file holds state `" + parsed.calendar.code() +
                                    "`; name it " + parsed.calendar.code() + ".txt");
            continue;
        }
        if (!add(std::move(parsed.calendar))) {
            result.ok = false;
            result.errors.push_back(name + ": a calendar for this state is already loaded");
            continue;
        }
        ++result.loaded;
    }
    return result;
}

}  // namespace comity::periods

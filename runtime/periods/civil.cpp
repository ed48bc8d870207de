// civil.cpp: proleptic Gregorian arithmetic, strict RFC 3339 / ISO 8601 parsers and formatters.
// Knows nothing of holidays or legal conventions; no exceptions, no allocation outside format_*.
#include "comity/civil.h"

#include <cstdarg>
#include <cstdio>

namespace comity {

namespace {

// Floor division and modulo: local times before 1970 and negative offsets must round toward -inf.
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

template <class Result>
Result fail(size_t offset, const char* format, ...) {
    Result r;
    r.ok = false;
    r.error_offset = offset;
    va_list args;
    va_start(args, format);
    std::vsnprintf(r.error.text, sizeof r.error.text, format, args);
    va_end(args);
    return r;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly n digits at pos; false if any is missing.
bool fixed_digits(std::string_view s, size_t pos, size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (size_t i = 0; i < n; ++i) {
        if (!is_digit(s[pos + i])) return false;
        v = v * 10 + (s[pos + i] - '0');
    }
    out = v;
    return true;
}

// The shared "YYYY-MM-DD" prefix of dates and instants. On failure fills result and returns false.
template <class Result>
bool parse_date_part(std::string_view s, Days& out, Result& result) {
    int y = 0, m = 0, d = 0;
    if (!fixed_digits(s, 0, 4, y)) {
        result = fail<Result>(0, "expected a four-digit year (YYYY-MM-DD)");
        return false;
    }
    if (s.size() < 5 || s[4] != '-') {
        result = fail<Result>(4, "expected '-' after the year");
        return false;
    }
    if (!fixed_digits(s, 5, 2, m)) {
        result = fail<Result>(5, "expected a two-digit month");
        return false;
    }
    if (s.size() < 8 || s[7] != '-') {
        result = fail<Result>(7, "expected '-' after the month");
        return false;
    }
    if (!fixed_digits(s, 8, 2, d)) {
        result = fail<Result>(8, "expected a two-digit day");
        return false;
    }
    if (m < 1 || m > 12) {
        result = fail<Result>(5, "month %d out of range", m);
        return false;
    }
    const unsigned last = last_day_of_month(y, static_cast<unsigned>(m));
    if (d < 1 || static_cast<unsigned>(d) > last) {
        result = fail<Result>(8, "day %d out of range: %04d-%02d has %u days", d, y, m, last);
        return false;
    }
    out = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
    return true;
}

}  // namespace

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned last_day_of_month(int year, unsigned month) {
    static constexpr unsigned lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    return month == 2 && is_leap(year) ? 29u : lengths[month - 1];
}

bool is_valid_date(int year, unsigned month, unsigned day) {
    return month >= 1 && month <= 12 && day >= 1 && day <= last_day_of_month(year, month);
}

// Howard Hinnant's days_from_civil: eras of 400 years, March-based years so the leap day is last.
Days days_from_civil(int year, unsigned month, unsigned day) {
    const int y = year - (month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<Days>(era * 146097 + static_cast<int>(doe) - 719468);
}

Ymd civil_from_days(Days days) {
    const int z = days + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int y = static_cast<int>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return Ymd{y + (m <= 2 ? 1 : 0), m, d};
}

// 1970-01-01 was a Thursday (3 in Monday-based numbering).



int64_t local_seconds(Instant instant) {
    return instant.utc_seconds + static_cast<int64_t>(instant.offset_minutes) * 60;
}

Days local_date(Instant instant) { return static_cast<Days>(floor_div(local_seconds(instant), 86400)); }

int32_t local_second_of_day(Instant instant) {
    return static_cast<int32_t>(floor_mod(local_seconds(instant), 86400));
}

Instant make_instant(Days date, int hour, int minute, int second, int32_t offset_minutes) {
    const int64_t local = static_cast<int64_t>(date) * 86400 + hour * 3600 + minute * 60 + second;
    return Instant{local - static_cast<int64_t>(offset_minutes) * 60, offset_minutes};
}

DateParse parse_date(std::string_view text) {
    DateParse result;
    Days days = 0;
    if (!parse_date_part(text, days, result)) return result;
    if (text.size() != 10) {
        if (text[10] == 'T' || text[10] == 't' || text[10] == ' ')
            return fail<DateParse>(10, "expected a date without a time (YYYY-MM-DD)");
        return fail<DateParse>(10, "unexpected text after the date");
    }
    result.ok = true;
    result.value = days;
    return result;
}

InstantParse parse_instant(std::string_view text) {
    InstantParse result;
    Days days = 0;
    if (!parse_date_part(text, days, result)) return result;
    if (text.size() == 10) return fail<InstantParse>(10, "expected 'T' and a time after the date");
    if (text[10] != 'T' && text[10] != 't') return fail<InstantParse>(10, "expected 'T' after the date");
    int hh = 0, mm = 0, ss = 0;
    if (!fixed_digits(text, 11, 2, hh)) return fail<InstantParse>(11, "expected a two-digit hour");
    if (text.size() < 14 || text[13] != ':') return fail<InstantParse>(13, "expected ':' after the hour");
    if (!fixed_digits(text, 14, 2, mm)) return fail<InstantParse>(14, "expected two-digit minutes");
    if (text.size() < 17 || text[16] != ':')
        return fail<InstantParse>(16, "expected ':' and seconds after the minutes");
    if (!fixed_digits(text, 17, 2, ss)) return fail<InstantParse>(17, "expected two-digit seconds");
    if (hh > 23) return fail<InstantParse>(11, "hour %d out of range", hh);
    if (mm > 59) return fail<InstantParse>(14, "minute %d out of range", mm);
    if (ss == 60) return fail<InstantParse>(17, "leap seconds (second 60) are not supported");
    if (ss > 59) return fail<InstantParse>(17, "second %d out of range", ss);
    size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        const size_t first = pos;
        while (pos < text.size() && is_digit(text[pos])) ++pos;
        if (pos == first) return fail<InstantParse>(pos, "expected digits after '.' in the seconds");
        // Truncated: legal periods are counted in hours at the finest.
    }
    if (pos >= text.size())
        return fail<InstantParse>(pos, "missing UTC offset: add 'Z' or ±hh:mm (the local day matters)");
    int32_t offset = 0;
    const char sign = text[pos];
    if (sign == 'Z' || sign == 'z') {
        ++pos;
    } else if (sign == '+' || sign == '-') {
        int oh = 0, om = 0;
        if (!fixed_digits(text, pos + 1, 2, oh)) return fail<InstantParse>(pos + 1, "expected a two-digit offset hour");
        if (pos + 3 >= text.size() || text[pos + 3] != ':')
            return fail<InstantParse>(pos + 3, "expected ':' in the UTC offset (±hh:mm)");
        if (!fixed_digits(text, pos + 4, 2, om)) return fail<InstantParse>(pos + 4, "expected two-digit offset minutes");
        if (oh > 23) return fail<InstantParse>(pos + 1, "offset hour %d out of range", oh);
        if (om > 59) return fail<InstantParse>(pos + 4, "offset minute %d out of range", om);
        if (sign == '-' && oh == 0 && om == 0)
            return fail<InstantParse>(pos, "offset -00:00 (local offset unknown) is not accepted: give the real offset");
        offset = (oh * 60 + om) * (sign == '-' ? -1 : 1);
        pos += 6;
    } else {
        return fail<InstantParse>(pos, "expected 'Z' or a ±hh:mm UTC offset after the time");
    }
    if (pos != text.size()) return fail<InstantParse>(pos, "unexpected text after the UTC offset");
    result.ok = true;
    result.value = make_instant(days, hh, mm, ss, offset);
    return result;
}

DurationParse parse_duration(std::string_view text) {
    if (text.empty()) return fail<DurationParse>(0, "empty duration: expected 'P' (e.g. P30D)");
    if (text[0] == '-' || text[0] == '+')
        return fail<DurationParse>(0, "signed durations are not allowed: periods are never negative");
    if (text[0] != 'P') return fail<DurationParse>(0, "a duration starts with 'P' (e.g. P30D, PT24H)");
    if (text.size() == 1) return fail<DurationParse>(1, "empty duration 'P': give at least one number and unit");

    // Designators in the only order ISO 8601 allows; each at most once.
    enum Unit { year, month, week, day, hour, none };
    int last_unit = -1;
    bool in_time = false;
    bool any = false, any_time = false;
    int64_t years = 0, months = 0, weeks = 0, days = 0, hours = 0;
    constexpr int64_t limit = INT32_MAX;
    size_t pos = 1;
    while (pos < text.size()) {
        const char c = text[pos];
        if (c == 'T') {
            if (in_time) return fail<DurationParse>(pos, "'T' appears twice");
            in_time = true;
            ++pos;
            if (pos == text.size()) return fail<DurationParse>(pos, "expected a number of hours after 'T'");
            continue;
        }
        if (c == '-' || c == '+')
            return fail<DurationParse>(pos, "signed values are not allowed: periods are never negative");
        if (!is_digit(c)) return fail<DurationParse>(pos, "expected a number, found '%c'", c);
        const size_t number_start = pos;
        int64_t value = 0;
        while (pos < text.size() && is_digit(text[pos])) {
            value = value * 10 + (text[pos] - '0');
            if (value > limit) return fail<DurationParse>(number_start, "number too large");
            ++pos;
        }
        if (pos == text.size()) return fail<DurationParse>(pos, "expected a unit (Y, M, W, D or T…H) after the number");
        const char u = text[pos];
        if (u == '.' || u == ',')
            return fail<DurationParse>(pos, "fractional values are not supported in legal durations");
        Unit unit = none;
        if (!in_time) {
            if (u == 'Y') unit = year;
            else if (u == 'M') unit = month;
            else if (u == 'W') unit = week;
            else if (u == 'D') unit = day;
            else if (u == 'H' || u == 'S')
                return fail<DurationParse>(pos, "'%c' belongs after 'T' (e.g. PT24H)", u);
        } else {
            if (u == 'H') unit = hour;
            else if (u == 'M' || u == 'S')
                return fail<DurationParse>(pos, "minutes and seconds are not supported in legal durations");
            else if (u == 'Y' || u == 'W' || u == 'D')
                return fail<DurationParse>(pos, "'%c' must come before 'T'", u);
        }
        if (unit == none) return fail<DurationParse>(pos, "unknown unit '%c' (expected Y, M, W, D or T…H)", u);
        if (static_cast<int>(unit) <= last_unit)
            return fail<DurationParse>(pos, "unit '%c' repeated or out of order (order is Y M W D T H)", u);
        last_unit = unit;
        switch (unit) {
            case year: years = value; break;
            case month: months = value; break;
            case week: weeks = value; break;
            case day: days = value; break;
            case hour: hours = value; any_time = true; break;
            case none: break;
        }
        any = true;
        ++pos;
    }
    if (!any) return fail<DurationParse>(pos, "empty duration: give at least one number and unit");
    if (in_time && !any_time) return fail<DurationParse>(pos, "expected a number of hours after 'T'");
    const int64_t total_months = years * 12 + months;
    const int64_t total_days = weeks * 7 + days;
    if (total_months > limit || total_days > limit)
        return fail<DurationParse>(0, "duration too large");
    DurationParse result;
    result.ok = true;
    result.value.months = static_cast<int32_t>(total_months);
    result.value.days = static_cast<int32_t>(total_days);
    result.value.hours = static_cast<int32_t>(hours);
    return result;
}

size_t write_date(Days days, char* buf) {
    const Ymd ymd = civil_from_days(days);
    const int n = std::snprintf(buf, date_buffer_size, "%04d-%02u-%02u", ymd.y, ymd.m, ymd.d);
    return n < 0 ? 0 : static_cast<size_t>(n);
}

size_t write_instant(Instant instant, char* buf) {
    const Ymd ymd = civil_from_days(local_date(instant));
    const int32_t sod = local_second_of_day(instant);
    int n = std::snprintf(buf, instant_buffer_size, "%04d-%02u-%02uT%02d:%02d:%02d", ymd.y, ymd.m, ymd.d,
                          sod / 3600, sod / 60 % 60, sod % 60);
    if (n < 0) return 0;
    const int32_t off = instant.offset_minutes;
    const int32_t abs_off = off < 0 ? -off : off;
    const int m = off == 0 ? std::snprintf(buf + n, instant_buffer_size - static_cast<size_t>(n), "Z")
                           : std::snprintf(buf + n, instant_buffer_size - static_cast<size_t>(n), "%c%02d:%02d",
                                           off < 0 ? '-' : '+', abs_off / 60, abs_off % 60);
    return m < 0 ? static_cast<size_t>(n) : static_cast<size_t>(n + m);
}

size_t write_duration(Duration duration, char* buf) {
    size_t n = 0;
    auto put = [&](const char* format, long long v) {
        const int k = std::snprintf(buf + n, duration_buffer_size - n, format, v);
        if (k > 0) n += static_cast<size_t>(k);
    };
    buf[n++] = 'P';
    const long long years = duration.months / 12, months = duration.months % 12;
    if (years != 0) put("%lldY", years);
    if (months != 0) put("%lldM", months);
    if (duration.days != 0) put("%lldD", duration.days);
    if (duration.hours != 0) put("T%lldH", duration.hours);
    if (n == 1) put("%lldD", 0);  // ISO 8601 needs at least one component
    buf[n] = '\0';
    return n;
}

std::string format_date(Days days) {
    char buf[date_buffer_size];
    return std::string(buf, write_date(days, buf));
}

std::string format_instant(Instant instant) {
    char buf[instant_buffer_size];
    return std::string(buf, write_instant(instant, buf));
}

std::string format_duration(Duration duration) {
    char buf[duration_buffer_size];
    return std::string(buf, write_duration(duration, buf));
}

}  // namespace comity

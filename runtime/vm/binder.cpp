// binder.cpp: request JSON → Facts with simdjson On-Demand, strictly by the program's schema; numbers
// are parsed from their JSON text (exact decimals). Knows nothing of bytecode or decisions.
#include "comity/binder.h"

#include <simdjson.h>

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "comity/civil.h"

namespace comity {

static_assert(kJsonPadding == simdjson::SIMDJSON_PADDING, "kJsonPadding must match simdjson's padding");

namespace od = simdjson::ondemand;

namespace vm {
namespace {

enum class NumberParse : uint8_t { ok, invalid, not_integer, too_precise, overflow };

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The pieces of a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
struct NumberText {
  bool negative = false;
  std::string_view int_digits, frac_digits;
  int64_t exponent = 0;
  bool has_fraction = false, has_exponent = false;
};

bool split_number(std::string_view s, NumberText& n) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') { n.negative = true; ++i; }
  const size_t int_start = i;
  if (i < s.size() && s[i] == '0') ++i;
  else {
    if (i >= s.size() || !is_digit(s[i])) return false;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  n.int_digits = s.substr(int_start, i - int_start);
  if (i < s.size() && s[i] == '.') {
    n.has_fraction = true;
    const size_t f = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == f) return false;
    n.frac_digits = s.substr(f, i - f);
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    n.has_exponent = true;
    ++i;
    bool neg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    const size_t e = i;
    while (i < s.size() && is_digit(s[i])) {
      if (n.exponent < 100000) n.exponent = n.exponent * 10 + (s[i] - '0');
      ++i;
    }
    if (i == e) return false;
    if (neg) n.exponent = -n.exponent;
  }
  return i == s.size();
}

NumberParse parse_integer(std::string_view text, int64_t& out) {
  NumberText n;
  if (!split_number(text, n)) return NumberParse::invalid;
  if (n.has_fraction || n.has_exponent) return NumberParse::not_integer;
  uint64_t mag = 0;
  for (char c : n.int_digits) {
    if (mag > (std::numeric_limits<uint64_t>::max() - 9) / 10) return NumberParse::overflow;
    mag = mag * 10 + static_cast<uint64_t>(c - '0');
  }
  const uint64_t limit = n.negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (mag > limit) return NumberParse::overflow;
  out = n.negative ? static_cast<int64_t>(0 - mag) : static_cast<int64_t>(mag);
  return NumberParse::ok;
}

// Exact: the JSON text is read digit by digit, never through a double. Values that need more than six
// fractional digits are refused (trailing zeros are fine: 1.5000000 is 1.5).
NumberParse parse_decimal(std::string_view text, int64_t& out) {
  NumberText n;
  if (!split_number(text, n)) return NumberParse::invalid;
  const int64_t int_len = static_cast<int64_t>(n.int_digits.size());
  const int64_t total = int_len + static_cast<int64_t>(n.frac_digits.size());
  auto digit = [&](int64_t i) { return i < int_len ? n.int_digits[static_cast<size_t>(i)] : n.frac_digits[static_cast<size_t>(i - int_len)]; };
  // value = D × 10^k / 10^6 where D is the digit string and k the scaling to six places.
  const int64_t k = n.exponent - static_cast<int64_t>(n.frac_digits.size()) + 6;
  const int64_t keep = k >= 0 ? total : total + k;  // digits that stay left of the sixth place
  for (int64_t i = std::max<int64_t>(keep, 0); i < total; ++i)
    if (digit(i) != '0') return NumberParse::too_precise;
  const uint64_t limit = n.negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  uint64_t mag = 0;
  for (int64_t i = 0; i < keep; ++i) {
    const uint64_t d = static_cast<uint64_t>(digit(i) - '0');
    if (mag > (limit - d) / 10) return NumberParse::overflow;
    mag = mag * 10 + d;
  }
  for (int64_t i = 0; k > 0 && i < k && mag != 0; ++i) {
    if (mag > limit / 10) return NumberParse::overflow;
    mag *= 10;
  }
  out = n.negative ? static_cast<int64_t>(0 - mag) : static_cast<int64_t>(mag);
  return NumberParse::ok;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The closest candidate, if it is close enough to be a plausible typo.
template <typename Range, typename Get>
std::string_view closest(std::string_view word, const Range& candidates, Get get) {
  std::string_view best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::string_view name = get(c);
    const size_t d = edit_distance(word, name);
    if (d < best_distance) { best_distance = d; best = name; }
  }
  return best;
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  const size_t limit = 60;
  for (size_t i = 0; i < s.size() && i < limit; ++i) {
    const char c = s[i];
    if (c == '"' || c == '\\') { out += '\\'; out += c; }
    else if (static_cast<unsigned char>(c) < 0x20) out += ' ';
    else out += c;
  }
  if (s.size() > limit) out += "…";
  return out + "\"";
}

// "one of `a`, `b` or `c`" for a short enum, "one of the 15 words of `MeasureKind`" for a long one.
std::string one_of_words(const EnumType& e) {
  if (e.members.size() > 8) return "one of the " + std::to_string(e.members.size()) + " words of `" + e.name + "`";
  std::string out = "one of ";
  for (size_t i = 0; i < e.members.size(); ++i) {
    if (i) out += i + 1 == e.members.size() ? " or " : ", ";
    out += "`" + e.members[i] + "`";
  }
  return out;
}

const char* expected_phrase(const Program& program, const StaticType& t, std::string& scratch) {
  switch (t.type) {
    case Type::boolean: return "expected true or false";
    case Type::integer: return "expected an integer";
    case Type::decimal: return "expected a number";
    case Type::string: return "expected a string";
    case Type::enumeration:
    case Type::set: {
      const EnumType& e = program.schema.enums[t.index];
      scratch = t.type == Type::set ? "expected an array of words, each " : "expected ";
      scratch += one_of_words(e);
      return scratch.c_str();
    }
    case Type::date: return "expected a date such as \"2025-06-07\"";
    case Type::datetime: return "expected an RFC 3339 instant with offset such as \"2025-06-06T10:00:00+02:00\"";
    case Type::duration: return "expected an ISO 8601 duration such as \"P3Y\"";
    case Type::record: return "expected an object";
    case Type::list: return "expected an array of objects";
  }
  return "expected a value";
}

}  // namespace
}  // namespace vm

using vm::NumberParse;

struct Binder::Impl {
  struct PathPart {
    std::string_view name;  // field name (from the program), or empty for a list index
    int64_t index = -1;
  };

  const Program* program;
  od::parser parser;
  std::string padded;           // reused copy of the input with padding
  std::vector<uint8_t> seen;    // stack of "field seen" flags for records of more than 64 fields
  std::vector<PathPart> path;   // where we are, for messages: path[0, depth)
  size_t depth = 0;
  Facts* facts = nullptr;
  std::string message;          // error text, built only on failure

  explicit Impl(const Program& p) : program(&p) {
    seen.reserve(256);
    path.resize(32);
  }

  void push(std::string_view name, int64_t index) {
    if (depth == path.size()) path.resize(path.size() * 2);
    path[depth++] = PathPart{name, index};
  }

  // ---- errors ----
  std::string path_text() const {
    std::string s = "request";
    for (size_t i = 0; i < depth; ++i) {
      const PathPart& p = path[i];
      if (p.index >= 0) s += "[" + std::to_string(p.index) + "]";
      else { s += '.'; s += p.name; }
    }
    return s;
  }
  bool fail(std::string_view what) {
    message = path_text();
    message += ": ";
    message += what;
    return false;
  }
  bool json_error(simdjson::error_code e) {
    return fail(std::string("invalid JSON: ") + simdjson::error_message(e));
  }
  // How the offending value looks, for "found …".
  std::string found(od::value& v) {
    od::json_type t;
    if (v.type().get(t)) return "invalid JSON";
    switch (t) {
      case od::json_type::array: return "an array";
      case od::json_type::object: return "an object";
      case od::json_type::boolean: {
        bool b = false;
        if (v.get_bool().get(b)) return "an invalid literal";
        return b ? "true" : "false";
      }
      case od::json_type::null: return "null";
      case od::json_type::number: {
        std::string_view raw = vm::trim(v.raw_json_token());
        return std::string(raw.substr(0, 60));
      }
      case od::json_type::string: {
        std::string_view s;
        if (v.get_string().get(s)) return "an invalid string";
        return vm::quote(s);
      }
    }
    return "a value";
  }
  bool type_error(const StaticType& t, od::value& v) {
    std::string scratch;
    std::string what = vm::expected_phrase(*program, t, scratch);
    what += ", found " + found(v);
    return fail(what);
  }

  // ---- binding ----
  Value& slot(int32_t s) { return facts->slots[static_cast<size_t>(s)]; }

  // Every leaf of an absent optional field (or of an absent optional record) becomes unknown.
  void fill_unknown(const FieldInfo& f, int32_t at, uint64_t mask) {
    const uint64_t own = f.fact_bit >= 0 ? uint64_t{1} << f.fact_bit : 0;
    if (f.type.type == Type::record) {
      for (const FieldInfo& child : program->schema.records[f.type.index].fields)
        fill_unknown(child, at + child.offset, mask ? mask : own);
      return;
    }
    slot(at) = Value::unknown(mask ? mask : own);
  }

  int find_field(const RecordType& record, std::string_view key, size_t hint) const {
    const size_t n = record.fields.size();
    if (hint < n && record.fields[hint].name == key) return static_cast<int>(hint);  // keys usually in order
    for (size_t i = 0; i < n; ++i)
      if (record.fields[i].name == key) return static_cast<int>(i);
    return -1;
  }

  int find_member(const EnumType& e, std::string_view word) const {
    for (size_t i = 0; i < e.members.size(); ++i)
      if (e.members[i] == word) return static_cast<int>(i);
    return -1;
  }

  bool unknown_word(const EnumType& e, std::string_view word) {
    std::string what = "unknown word " + vm::quote(word) + "; expected " + vm::one_of_words(e);
    if (e.members.size() > 8) {
      const std::string_view near = vm::closest(word, e.members, [](const std::string& s) { return std::string_view(s); });
      if (!near.empty()) what += " (did you mean `" + std::string(near) + "`?)";
    }
    return fail(what);
  }

  bool bind_record(od::object object, uint16_t record_id, int32_t base) {
    const RecordType& record = program->schema.records[record_id];
    const size_t n = record.fields.size();
    // Which fields were seen: a bit mask for records of up to 64 fields, else a stack in `seen`.
    uint64_t seen_bits = 0;
    const size_t mark = seen.size();
    if (n > 64) seen.resize(mark + n, 0);
    auto was_seen = [&](size_t i) { return n <= 64 ? ((seen_bits >> i) & 1u) != 0 : seen[mark + i] != 0; };
    size_t hint = 0;
    for (auto field_result : object) {
      od::field field;
      if (auto e = std::move(field_result).get(field)) return json_error(e);
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return json_error(e);
      const int index = find_field(record, key, hint);
      if (index < 0) {
        std::string what = "unknown field " + vm::quote(key);
        const std::string_view near =
            vm::closest(key, record.fields, [](const FieldInfo& f) { return std::string_view(f.name); });
        if (!near.empty()) what += " (did you mean \"" + std::string(near) + "\"?)";
        return fail(what);
      }
      const size_t i = static_cast<size_t>(index);
      const FieldInfo& info = record.fields[i];
      push(info.name, -1);
      if (was_seen(i)) return fail("field appears twice");
      if (n <= 64) seen_bits |= uint64_t{1} << i;
      else seen[mark + i] = 1;
      hint = i + 1;
      od::value value = field.value();
      if (!bind_value(value, info, base + info.offset)) return false;
      --depth;
    }
    for (size_t i = 0; i < n; ++i) {
      if (was_seen(i)) continue;
      const FieldInfo& info = record.fields[i];
      if (info.optional) { fill_unknown(info, base + info.offset, 0); continue; }
      push(info.name, -1);
      return fail("required field is missing");
    }
    if (n > 64) seen.resize(mark);
    return true;
  }

  bool bind_value(od::value& v, const FieldInfo& info, int32_t at) {
    const StaticType& t = info.type;
    od::json_type jt;
    if (auto e = v.type().get(jt)) return json_error(e);
    if (jt == od::json_type::null) {
      if (auto e = v.is_null().error()) return json_error(e);
      if (info.optional) { fill_unknown(info, at, 0); return true; }
      return fail("required field is null");
    }
    switch (t.type) {
      case Type::boolean: {
        if (jt != od::json_type::boolean) return type_error(t, v);
        bool b = false;
        if (auto e = v.get_bool().get(b)) return json_error(e);
        slot(at) = Value::boolean(b);
        return true;
      }
      case Type::integer:
      case Type::decimal: {
        if (jt != od::json_type::number) return type_error(t, v);
        const std::string_view raw = vm::trim(v.raw_json_token());
        int64_t n = 0;
        const NumberParse r = t.type == Type::integer ? vm::parse_integer(raw, n) : vm::parse_decimal(raw, n);
        switch (r) {
          case NumberParse::ok: break;
          case NumberParse::invalid: return fail("invalid JSON number " + std::string(raw.substr(0, 60)));
          case NumberParse::not_integer: return type_error(t, v);
          case NumberParse::too_precise:
            return fail(std::string(raw.substr(0, 60)) + " has more than 6 decimal places");
          case NumberParse::overflow:
            return fail(std::string(raw.substr(0, 60)) +
                        (t.type == Type::integer ? " does not fit in a 64-bit integer"
                                                 : " is too large for a decimal (at most 9223372036854.775807)"));
        }
        slot(at) = t.type == Type::integer ? Value::integer(n) : Value::decimal_scaled(n);
        return true;
      }
      case Type::string: {
        if (jt != od::json_type::string) return type_error(t, v);
        std::string_view s;
        if (auto e = v.get_string().get(s)) return json_error(e);
        const size_t offset = facts->arena.size();
        facts->arena.append(s);
        slot(at) = Value::string(static_cast<uint32_t>(offset), static_cast<int32_t>(s.size()), false);
        return true;
      }
      case Type::enumeration: {
        if (jt != od::json_type::string) return type_error(t, v);
        std::string_view s;
        if (auto e = v.get_string().get(s)) return json_error(e);
        const EnumType& e = program->schema.enums[t.index];
        const int ordinal = find_member(e, s);
        if (ordinal < 0) return unknown_word(e, s);
        slot(at) = Value::enumeration(t.index, ordinal);
        return true;
      }
      case Type::set: {
        if (jt != od::json_type::array) return type_error(t, v);
        od::array array;
        if (auto e = v.get_array().get(array)) return json_error(e);
        const EnumType& en = program->schema.enums[t.index];
        uint64_t bits = 0;
        int64_t index = 0;
        for (auto element_result : array) {
          od::value element;
          if (auto e = std::move(element_result).get(element)) return json_error(e);
          push({}, index);
          od::json_type et;
          if (auto e = element.type().get(et)) return json_error(e);
          if (et != od::json_type::string) return fail("expected a word of `" + en.name + "`, found " + found(element));
          std::string_view s;
          if (auto e = element.get_string().get(s)) return json_error(e);
          const int ordinal = find_member(en, s);
          if (ordinal < 0) return unknown_word(en, s);
          if ((bits >> ordinal) & 1u) return fail("`" + std::string(s) + "` appears twice");
          bits |= uint64_t{1} << ordinal;
          --depth;
          ++index;
        }
        slot(at) = Value::set(t.index, bits);
        return true;
      }
      case Type::date: {
        if (jt != od::json_type::string) return type_error(t, v);
        std::string_view s;
        if (auto e = v.get_string().get(s)) return json_error(e);
        const DateParse d = parse_date(s);
        if (!d.ok) return text_error(t, s, d.error.view(), d.error_offset);
        slot(at) = Value::date(d.value);
        return true;
      }
      case Type::datetime: {
        if (jt != od::json_type::string) return type_error(t, v);
        std::string_view s;
        if (auto e = v.get_string().get(s)) return json_error(e);
        const InstantParse d = parse_instant(s);
        if (!d.ok) return text_error(t, s, d.error.view(), d.error_offset);
        slot(at) = Value::datetime(d.value.utc_seconds, d.value.offset_minutes);
        return true;
      }
      case Type::duration: {
        if (jt != od::json_type::string) return type_error(t, v);
        std::string_view s;
        if (auto e = v.get_string().get(s)) return json_error(e);
        const DurationParse d = parse_duration(s);
        if (!d.ok) return text_error(t, s, d.error.view(), d.error_offset);
        slot(at) = Value::duration(d.value.months, d.value.days, d.value.hours, d.value.working_days);
        return true;
      }
      case Type::record: {
        if (jt != od::json_type::object) return type_error(t, v);
        od::object object;
        if (auto e = v.get_object().get(object)) return json_error(e);
        return bind_record(object, t.index, at);
      }
      case Type::list: {
        if (jt != od::json_type::array) return type_error(t, v);
        od::array array;
        if (auto e = v.get_array().get(array)) return json_error(e);
        size_t count = 0;
        if (auto e = array.count_elements().get(count)) return json_error(e);
        const uint16_t stride = program->schema.records[t.index].stride;
        const size_t first = facts->slots.size();
        facts->slots.resize(first + count * stride, Value::unknown(0));
        slot(at) = Value::list(static_cast<int32_t>(first), static_cast<int64_t>(count), stride);
        int64_t index = 0;
        for (auto element_result : array) {
          od::value element;
          if (auto e = std::move(element_result).get(element)) return json_error(e);
          push({}, index);
          od::json_type et;
          if (auto e = element.type().get(et)) return json_error(e);
          if (et != od::json_type::object) return fail("expected an object, found " + found(element));
          od::object object;
          if (auto e = element.get_object().get(object)) return json_error(e);
          if (!bind_record(object, t.index, static_cast<int32_t>(first + static_cast<size_t>(index) * stride))) return false;
          --depth;
          ++index;
        }
        return true;
      }
    }
    return type_error(t, v);
  }

  // A malformed date, instant or duration: the expected form, what was found, and the parser's detail
  // when it got past the first character (so "3 years" reads cleanly, "2025-02-29" says why).
  bool text_error(const StaticType& t, std::string_view s, std::string_view detail, size_t offset) {
    std::string scratch;
    std::string what = vm::expected_phrase(*program, t, scratch);
    what += ", found " + vm::quote(s);
    if (offset > 0 && !detail.empty()) { what += " ("; what += detail; what += ")"; }
    return fail(what);
  }

  BindResult run(simdjson::padded_string_view json, Facts& out) {
    facts = &out;
    depth = 0;
    seen.clear();
    const RecordType& root = program->schema.records[program->schema.root_record];
    out.slots.assign(root.stride, Value::unknown(0));
    out.arena.clear();
    const bool ok = parse_root(json, root);
    facts = nullptr;
    if (ok) return BindResult{};
    BindResult r;
    r.ok = false;
    r.error = std::move(message);
    message = std::string();
    return r;
  }

  bool parse_root(simdjson::padded_string_view json, const RecordType&) {
    od::document doc;
    if (auto e = parser.iterate(json).get(doc)) return json_error(e);
    od::json_type jt;
    if (auto e = doc.type().get(jt)) return json_error(e);
    if (jt != od::json_type::object) return fail("expected an object");
    od::object object;
    if (auto e = doc.get_object().get(object)) return json_error(e);
    if (!bind_record(object, program->schema.root_record, 0)) return false;
    const char* rest = nullptr;
    if (!doc.current_location().get(rest)) return fail("unexpected content after the request object");
    return true;
  }
};

Binder::Binder(const Program& program) : impl_(std::make_unique<Impl>(program)) {}
Binder::~Binder() = default;
Binder::Binder(Binder&&) noexcept = default;
Binder& Binder::operator=(Binder&&) noexcept = default;

const Program& Binder::program() const { return *impl_->program; }

BindResult Binder::bind(std::string_view json, Facts& facts) {
  std::string& buffer = impl_->padded;
  if (buffer.capacity() < json.size() + kJsonPadding) buffer.reserve(json.size() + kJsonPadding);
  buffer.assign(json.data(), json.size());
  return impl_->run(simdjson::padded_string_view(buffer.data(), buffer.size(), buffer.capacity()), facts);
}

BindResult Binder::bind_buffer(const char* data, size_t size, size_t capacity, Facts& facts) {
  if (capacity >= size + kJsonPadding)
    return impl_->run(simdjson::padded_string_view(data, size, capacity), facts);
  return bind(std::string_view(data, size), facts);
}

BindResult Binder::bind_from_nlohmann(const nlohmann::json& request, Facts& facts) {
  return bind(request.dump(), facts);
}

}  // namespace comity

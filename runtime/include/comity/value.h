// value.h: the VM's 16-byte value and the static types the verifier and schema speak. No allocation.
#pragma once
#include <cstdint>
#include <cstring>

namespace comity {

// Static types: what the schema declares, the compiler infers and the verifier checks.
enum class Type : uint8_t { boolean, integer, decimal, string, enumeration, set, date, datetime, duration, record, list };

struct StaticType {
  Type type = Type::boolean;
  uint16_t index = 0;  // enum id (enumeration, set), record id (record, list element)
  friend bool operator==(const StaticType&, const StaticType&) = default;
};

// Run-time tags. `unknown` is a state any static type may be in: a fact that is absent, or a value
// computed from one. It carries the set of optional facts it depends on (one bit per fact id), so a
// Kleene `false and unknown` drops them and `unknown or unknown` unites them: the decision can name
// exactly the facts that would decide it.
enum class Tag : uint8_t { unknown, boolean, integer, decimal, string, enumeration, set, date, datetime, duration, record, list };

inline constexpr int64_t kDecimalScale = 1'000'000;  // decimals are fixed point, 6 places

struct Value {
  Tag tag = Tag::unknown;
  uint8_t flags = 0;   // string: kInPool; duration: kWorkingDays
  uint16_t aux = 0;    // enumeration/set: enum id; list: record stride
  int32_t a = 0;       // boolean 0/1; enum ordinal; date days since 1970-01-01; datetime offset minutes;
                       // duration months; string length; record base slot; list first element slot
  int64_t b = 0;       // unknown mask; integer; decimal (scaled); set bitmask; datetime UTC seconds;
                       // duration days (low 32) and hours (high 32); string offset; list count

  static constexpr uint8_t kInPool = 1;       // string bytes live in the program's string pool
  static constexpr uint8_t kWorkingDays = 1;  // duration counts working days

  static constexpr Value unknown(uint64_t mask) { Value v; v.tag = Tag::unknown; v.b = static_cast<int64_t>(mask); return v; }
  static constexpr Value boolean(bool x) { Value v; v.tag = Tag::boolean; v.a = x ? 1 : 0; return v; }
  static constexpr Value integer(int64_t x) { Value v; v.tag = Tag::integer; v.b = x; return v; }
  static constexpr Value decimal_scaled(int64_t x) { Value v; v.tag = Tag::decimal; v.b = x; return v; }
  static constexpr Value enumeration(uint16_t enum_id, int32_t ordinal) { Value v; v.tag = Tag::enumeration; v.aux = enum_id; v.a = ordinal; return v; }
  static constexpr Value set(uint16_t enum_id, uint64_t bits) { Value v; v.tag = Tag::set; v.aux = enum_id; v.b = static_cast<int64_t>(bits); return v; }
  static constexpr Value date(int32_t days) { Value v; v.tag = Tag::date; v.a = days; return v; }
  static constexpr Value datetime(int64_t utc_seconds, int32_t offset_minutes) { Value v; v.tag = Tag::datetime; v.b = utc_seconds; v.a = offset_minutes; return v; }
  static constexpr Value duration(int32_t months, int32_t days, int32_t hours, bool working) {
    Value v; v.tag = Tag::duration; v.a = months;
    v.b = static_cast<int64_t>(static_cast<uint64_t>(static_cast<uint32_t>(days)) | (static_cast<uint64_t>(static_cast<uint32_t>(hours)) << 32));
    v.flags = working ? kWorkingDays : 0; return v;
  }
  static constexpr Value string(uint32_t offset, int32_t length, bool in_pool) { Value v; v.tag = Tag::string; v.b = offset; v.a = length; v.flags = in_pool ? kInPool : 0; return v; }
  static constexpr Value record(int32_t base_slot, uint16_t record_id) { Value v; v.tag = Tag::record; v.a = base_slot; v.aux = record_id; return v; }
  static constexpr Value list(int32_t first_slot, int64_t count, uint16_t stride) { Value v; v.tag = Tag::list; v.a = first_slot; v.b = count; v.aux = stride; return v; }

  constexpr bool is_unknown() const { return tag == Tag::unknown; }
  constexpr uint64_t mask() const { return tag == Tag::unknown ? static_cast<uint64_t>(b) : 0; }
  constexpr bool is_true() const { return tag == Tag::boolean && a != 0; }
  constexpr bool is_false() const { return tag == Tag::boolean && a == 0; }
  constexpr int32_t duration_months() const { return a; }
  constexpr int32_t duration_days() const { return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(b) & 0xffffffffu)); }
  constexpr int32_t duration_hours() const { return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(b) >> 32)); }
  constexpr bool working_days() const { return (flags & kWorkingDays) != 0; }
};
static_assert(sizeof(Value) == 16, "Value must stay 16 bytes");

}  // namespace comity

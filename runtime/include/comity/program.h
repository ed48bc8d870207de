// program.h: a compiled Comity policy in memory — immutable once built or loaded, shared by all threads.
// The compiler fills it; bundle.h serialises and verifies it; the VM runs it. Knows nothing of source text.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "comity/periods.h"
#include "comity/value.h"

namespace comity {

// ---- input schema ---------------------------------------------------------
struct EnumType {
  std::string name;                  // MeasureKind
  std::vector<std::string> members;  // ordinal → JSON word; at most 64 members (sets are bitmasks)
};

// A field of a record. Records are laid out flat: every scalar leaf, and every field of a nested
// (non-list) record, gets one slot at `offset` from the record's base slot. A list field's slot holds
// a list Value whose elements (records of `type.index`) are laid out after the root frame, `stride`
// slots each.
struct FieldInfo {
  std::string name;     // JSON key
  StaticType type;      // record: a nested record laid out inline from `offset`
  bool optional = false;
  uint16_t offset = 0;  // slot offset from the enclosing record's base
  int16_t fact_bit = -1;  // optional leaves: 0..63, the bit in an unknown Value's mask
};

struct RecordType {
  std::string name;
  std::vector<FieldInfo> fields;
  uint16_t stride = 0;  // slots one instance occupies (nested records inline)
};

// One optional fact: the bit in unknown masks → the JSON path that would supply it.
struct FactInfo {
  std::string path;         // "offence.offence_in_executing_state" or "measures[].kind"
  bool in_list_item = false;  // path contains "[]": rendered with the item index when known
};

struct Schema {
  std::vector<EnumType> enums;
  std::vector<RecordType> records;  // records[root_record] is the request
  uint16_t root_record = 0;
  std::vector<FactInfo> facts;      // index = fact bit (at most 64)
};

// ---- clauses --------------------------------------------------------------
enum class ClauseKind : uint8_t {
  refuse_mandatory, refuse_optional, postpone, return_, use_other_measure, impossible, review, condition,
  exception, deadline, obligation,
};
enum class Strength : uint8_t { hard, soft, target };

struct ClauseInfo {
  ClauseKind kind;
  bool item_scope = false;       // evaluated once per item of `decide each`
  uint16_t article = 0;          // index into articles
  std::string label;             // may be empty
  std::string name;              // condition / deadline / obligation name
  std::string reason;            // `because` text; obligation: timing
  Strength strength = Strength::hard;
  std::vector<uint16_t> targets;        // exception: clauses it excepts
  std::vector<uint16_t> prevails_over;  // priority: clauses it wins against
  std::string instrument;        // the policy (module) the clause came from
  uint32_t line = 0, column = 0; // source position of the clause
};

struct ArticleInfo {
  std::string citation;  // "11(1)(g)"
  std::string title;
  std::string text;      // quoted provision
};

// ---- code -----------------------------------------------------------------
struct Block {
  uint32_t offset = 0;  // into Program::code
  uint32_t length = 0;
  uint16_t max_stack = 0;
  std::vector<StaticType> locals;  // declared types of the block's locals
};

struct SourcePos {
  uint32_t code_offset;  // first instruction at or after this offset maps to…
  uint32_t line, column;
};

struct Program {
  // identity
  std::string name, title, version, citation, source_path;
  std::array<uint8_t, 32> content_hash{};  // SHA-256 of the serialised body (set by bundle writer/loader)

  Schema schema;
  std::vector<Value> constants;  // strings among them point into string_pool (Value::kInPool)
  std::string string_pool;

  std::vector<uint8_t> code;
  Block request_block;           // clauses in request scope, run once
  Block item_block;              // clauses in item scope, run per item; local 0 = the item record
  int32_t items_slot = -1;       // root slot of the `decide each` list, -1 if none
  uint16_t item_record = 0;      // record id of the items

  std::vector<ArticleInfo> articles;
  std::vector<ClauseInfo> clauses;  // index = clause id used by LOAD/STORE_STATUS
  std::vector<SourcePos> source_map;

  periods::Convention convention = periods::Convention::calendar_days;
  int32_t calendar_slot = -1;  // root slot of the string field naming the State whose holidays apply
  int32_t today_slot = -1;     // root slot of the date field that is "now" for deadline status
  std::vector<periods::HolidayCalendar> calendars;  // embedded, so a bundle decides the same everywhere

  std::string_view string_at(const Value& v) const {
    return std::string_view(string_pool).substr(static_cast<size_t>(v.b), static_cast<size_t>(v.a));
  }
};

}  // namespace comity

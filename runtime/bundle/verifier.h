// verifier.h: the bundle verifier's internals shared with the disassembler (schema lookups, type names,
// per-instruction facts). The public entry is comity::verify in comity/bundle.h. Knows nothing of bytes
// on disk or the VM's implementation; it states what the VM may assume.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "comity/bundle.h"
#include "comity/program.h"

namespace comity::bundle {

inline constexpr uint16_t kMaxStack = 1024;          // block.max_stack may not exceed this
inline constexpr size_t kMaxLocals = 256;            // locals are addressed by a u8
inline constexpr size_t kMaxCodeSize = 4u << 20;     // 4 MiB of bytecode per program
inline constexpr int kMaxRecordNesting = 64;         // inline records nested deeper are refused

// A scalar (or list) slot of a record laid out flat: nested records are walked through.
struct Leaf {
  StaticType type;
  std::string path;  // "offence.fiscal" (only when asked for)
  const FieldInfo* field = nullptr;
};

// Leaf lookup by slot offset. Safe on any schema (indices are checked, nesting is capped), exact on a
// verified one.
class SchemaIndex {
public:
  explicit SchemaIndex(const Schema& schema);
  std::optional<Leaf> leaf(uint16_t record, uint32_t offset, bool with_path = false) const;

private:
  const Schema& schema_;
  std::vector<std::vector<uint32_t>> by_offset_;  // per record: field indices sorted by offset
};

// `date`, `integer`, `MeasureKind`, `set of MeasureKind`, `Offence`, `list of Measure`.
std::string type_name(const Schema& schema, StaticType type);
std::string_view type_word(Type type);

// verify(), and on success the record id on the stack at each reachable LOAD_FIELD (by code offset).
std::string verify_with_analysis(const Program& program, std::map<uint32_t, uint16_t>* load_field_records);

}  // namespace comity::bundle

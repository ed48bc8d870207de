// format.h: section ids and fixed sizes of the `.comityb` body, shared by the bundle writer and reader only.
// Knows nothing of verification or the VM.
#pragma once
#include <cstdint>
#include <string_view>

namespace comity::bundle {

inline constexpr char kMagic[8] = {'C', 'M', 'T', 'Y', 'B', 'N', 'D', 'L'};

enum class Section : uint8_t {
  identity = 1,    // name, title, version, citation, source_path
  schema = 2,      // enums, records (fields), root record, facts
  constants = 3,   // u32 count, 16 bytes each: tag, flags, aux, a, b
  string_pool = 4, // one string
  code = 5,        // one byte string
  blocks = 6,      // request block, item block, items_slot, item_record
  articles = 7,
  clauses = 8,
  source_map = 9,
  periods = 10,    // convention, calendar_slot, today_slot, calendars
};
inline constexpr uint8_t kFirstSection = 1;
inline constexpr uint8_t kLastSection = 10;

inline constexpr std::string_view section_name(uint8_t id) {
  switch (id) {
    case 1: return "identity";
    case 2: return "schema";
    case 3: return "constants";
    case 4: return "string pool";
    case 5: return "code";
    case 6: return "blocks";
    case 7: return "articles";
    case 8: return "clauses";
    case 9: return "source map";
    case 10: return "periods";
    default: return "unknown";
  }
}

inline constexpr size_t kConstantSize = 16;

}  // namespace comity::bundle

// bundle_writer.cpp: Program → `.comityb` bytes (layout in bundle.h, section ids in format.h).
// Knows nothing of verification (callers verify first) or the VM.
#include <cstring>

#include "bundle/format.h"
#include "bundle/sha256.h"
#include "comity/bundle.h"

namespace comity {
namespace bundle {
namespace {

class Writer {
public:
  std::vector<uint8_t> out;

  void u8(uint8_t v) { out.push_back(v); }
  void u16(uint16_t v) { for (int i = 0; i < 2; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i))); }
  void u32(uint32_t v) { for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i))); }
  void u64(uint64_t v) { for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i))); }
  void i16(int16_t v) { u16(static_cast<uint16_t>(v)); }
  void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void boolean(bool v) { u8(v ? 1 : 0); }
  void count(size_t n) { u32(static_cast<uint32_t>(n)); }
  void bytes(std::string_view s) {
    count(s.size());
    out.insert(out.end(), s.begin(), s.end());
  }
  void type(const StaticType& t) { u8(static_cast<uint8_t>(t.type)); u16(t.index); }

  // Opens a section; returns the position of its length field, patched by end_section.
  size_t begin_section(Section id) {
    u8(static_cast<uint8_t>(id));
    const size_t at = out.size();
    u32(0);
    return at;
  }
  void end_section(size_t at) {
    const uint32_t length = static_cast<uint32_t>(out.size() - at - 4);
    for (int i = 0; i < 4; ++i) out[at + static_cast<size_t>(i)] = static_cast<uint8_t>(length >> (8 * i));
  }
};

void write_block(Writer& w, const Block& block) {
  w.u32(block.offset);
  w.u32(block.length);
  w.u16(block.max_stack);
  w.count(block.locals.size());
  for (const StaticType& t : block.locals) w.type(t);
}

std::vector<uint8_t> write_body(const Program& p) {
  Writer w;
  size_t s = w.begin_section(Section::identity);
  w.bytes(p.name);
  w.bytes(p.title);
  w.bytes(p.version);
  w.bytes(p.citation);
  w.bytes(p.source_path);
  w.end_section(s);

  s = w.begin_section(Section::schema);
  w.count(p.schema.enums.size());
  for (const EnumType& e : p.schema.enums) {
    w.bytes(e.name);
    w.count(e.members.size());
    for (const std::string& m : e.members) w.bytes(m);
  }
  w.count(p.schema.records.size());
  for (const RecordType& r : p.schema.records) {
    w.bytes(r.name);
    w.u16(r.stride);
    w.count(r.fields.size());
    for (const FieldInfo& f : r.fields) {
      w.bytes(f.name);
      w.type(f.type);
      w.boolean(f.optional);
      w.u16(f.offset);
      w.i16(f.fact_bit);
    }
  }
  w.u16(p.schema.root_record);
  w.count(p.schema.facts.size());
  for (const FactInfo& f : p.schema.facts) {
    w.bytes(f.path);
    w.boolean(f.in_list_item);
  }
  w.end_section(s);

  s = w.begin_section(Section::constants);
  w.count(p.constants.size());
  for (const Value& v : p.constants) {
    w.u8(static_cast<uint8_t>(v.tag));
    w.u8(v.flags);
    w.u16(v.aux);
    w.i32(v.a);
    w.i64(v.b);
  }
  w.end_section(s);

  s = w.begin_section(Section::string_pool);
  w.bytes(p.string_pool);
  w.end_section(s);

  s = w.begin_section(Section::code);
  w.bytes(std::string_view(reinterpret_cast<const char*>(p.code.data()), p.code.size()));
  w.end_section(s);

  s = w.begin_section(Section::blocks);
  write_block(w, p.request_block);
  write_block(w, p.item_block);
  w.i32(p.items_slot);
  w.u16(p.item_record);
  w.end_section(s);

  s = w.begin_section(Section::articles);
  w.count(p.articles.size());
  for (const ArticleInfo& a : p.articles) {
    w.bytes(a.citation);
    w.bytes(a.title);
    w.bytes(a.text);
  }
  w.end_section(s);

  s = w.begin_section(Section::clauses);
  w.count(p.clauses.size());
  for (const ClauseInfo& c : p.clauses) {
    w.u8(static_cast<uint8_t>(c.kind));
    w.boolean(c.item_scope);
    w.u16(c.article);
    w.bytes(c.label);
    w.bytes(c.name);
    w.bytes(c.reason);
    w.u8(static_cast<uint8_t>(c.strength));
    w.count(c.targets.size());
    for (uint16_t t : c.targets) w.u16(t);
    w.count(c.prevails_over.size());
    for (uint16_t t : c.prevails_over) w.u16(t);
    w.bytes(c.instrument);
    w.u32(c.line);
    w.u32(c.column);
  }
  w.end_section(s);

  s = w.begin_section(Section::source_map);
  w.count(p.source_map.size());
  for (const SourcePos& pos : p.source_map) {
    w.u32(pos.code_offset);
    w.u32(pos.line);
    w.u32(pos.column);
  }
  w.end_section(s);

  s = w.begin_section(Section::periods);
  w.u8(static_cast<uint8_t>(p.convention));
  w.i32(p.calendar_slot);
  w.i32(p.today_slot);
  w.count(p.calendars.size());
  for (const periods::HolidayCalendar& cal : p.calendars) {
    w.bytes(cal.code());
    w.bytes(cal.source());
    w.i32(cal.first_year());
    w.i32(cal.last_year());
    w.count(cal.holidays().size());
    for (Days day : cal.holidays()) {
      w.i32(day);
      w.bytes(cal.holiday_name(day));
    }
  }
  w.end_section(s);
  return std::move(w.out);
}

}  // namespace
}  // namespace bundle

std::vector<uint8_t> write_bundle(Program& program) {
  const std::vector<uint8_t> body = bundle::write_body(program);
  program.content_hash = bundle::sha256(body.data(), body.size());
  bundle::Writer w;
  w.out.reserve(kBundleHeaderSize + body.size());
  w.out.insert(w.out.end(), std::begin(bundle::kMagic), std::end(bundle::kMagic));
  w.u16(kBundleVersion);
  w.u16(0);
  w.u32(static_cast<uint32_t>(body.size()));
  w.out.insert(w.out.end(), program.content_hash.begin(), program.content_hash.end());
  w.out.insert(w.out.end(), body.begin(), body.end());
  return std::move(w.out);
}

}  // namespace comity

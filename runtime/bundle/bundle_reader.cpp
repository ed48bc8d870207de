// bundle_reader.cpp: `.comityb` bytes → Program, for untrusted input: every read is bounds-checked, every
// count is checked against the bytes left before anything is allocated, then the program is verified.
// Knows nothing of the VM; never throws out of load_bundle.
#include <cstring>
#include <exception>
#include <new>

#include <fmt/format.h>

#include "bundle/format.h"
#include "bundle/sha256.h"
#include "comity/bundle.h"
#include "comity/civil.h"

namespace comity {
namespace bundle {
namespace {

// A cursor over [pos, end) of the whole bundle; positions are absolute so messages can cite them.
// The first failure is kept; after it every read returns zero and ok() stays false.
class Reader {
public:
  Reader(const uint8_t* data, size_t pos, size_t end, std::string_view section, std::string& error)
      : data_(data), pos_(pos), end_(end), section_(section), error_(error) {}

  bool ok() const { return error_.empty(); }
  size_t pos() const { return pos_; }
  size_t remaining() const { return end_ - pos_; }
  bool at_end() const { return pos_ == end_; }

  bool fail(const std::string& message, size_t at) {
    if (error_.empty()) error_ = fmt::format("bundle: {} section: {} (offset {:#x})", section_, message, at);
    pos_ = end_;
    return false;
  }
  bool fail(const std::string& message) { return fail(message, pos_); }

  bool need(size_t n, std::string_view what) {
    if (!ok()) return false;
    if (n > remaining()) return fail(fmt::format("{} runs past the end of the section", what));
    return true;
  }
  uint64_t le(size_t n, std::string_view what) {
    if (!need(n, what)) return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(data_[pos_ + i]) << (8 * i);
    pos_ += n;
    return v;
  }
  uint8_t u8(std::string_view what) { return static_cast<uint8_t>(le(1, what)); }
  uint16_t u16(std::string_view what) { return static_cast<uint16_t>(le(2, what)); }
  uint32_t u32(std::string_view what) { return static_cast<uint32_t>(le(4, what)); }
  int16_t i16(std::string_view what) { return static_cast<int16_t>(u16(what)); }
  int32_t i32(std::string_view what) { return static_cast<int32_t>(u32(what)); }
  int64_t i64(std::string_view what) { return static_cast<int64_t>(le(8, what)); }

  bool boolean(std::string_view what) {
    const size_t at = pos_;
    const uint8_t v = u8(what);
    if (v > 1) fail(fmt::format("{} is {}, not 0 or 1", what, v), at);
    return v == 1;
  }

  // A count of elements that each take at least `min_size` bytes: checked against the bytes left, so a
  // hostile count cannot make us allocate more than the input could describe.
  size_t count(std::string_view what, size_t min_size) {
    const size_t at = pos_;
    const uint32_t n = u32(what);
    if (!ok()) return 0;
    if (static_cast<uint64_t>(n) * min_size > remaining()) {
      fail(fmt::format("{} {} cannot fit in the {} bytes left", what, n, remaining()), at);
      return 0;
    }
    return n;
  }

  std::string str(std::string_view what) {
    const size_t at = pos_;
    const uint32_t n = u32(what);
    if (!ok()) return {};
    if (n > remaining()) {
      fail(fmt::format("{} of length {} runs past the end of the section", what, n), at);
      return {};
    }
    std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return s;
  }

  StaticType type(std::string_view what) {
    const size_t at = pos_;
    const uint8_t t = u8(what);
    const uint16_t index = u16(what);
    if (ok() && t > static_cast<uint8_t>(Type::list)) fail(fmt::format("{} has type code {}", what, t), at);
    return StaticType{static_cast<Type>(t), index};
  }

  bool finish() {
    if (ok() && !at_end()) return fail(fmt::format("{} unread bytes at the end", remaining()));
    return ok();
  }

private:
  const uint8_t* data_;
  size_t pos_, end_;
  std::string_view section_;
  std::string& error_;
};

void read_identity(Reader& r, Program& p) {
  p.name = r.str("policy name");
  p.title = r.str("policy title");
  p.version = r.str("policy version");
  p.citation = r.str("policy citation");
  p.source_path = r.str("source path");
}

void read_schema(Reader& r, Schema& s) {
  const size_t enums = r.count("enum count", 8);
  s.enums.resize(enums);
  for (size_t i = 0; i < enums && r.ok(); ++i) {
    EnumType& e = s.enums[i];
    e.name = r.str(fmt::format("enum {} name", i));
    const size_t members = r.count(fmt::format("enum {} member count", i), 4);
    e.members.resize(members);
    for (size_t m = 0; m < members && r.ok(); ++m) e.members[m] = r.str("enum member");
  }
  const size_t records = r.count("record count", 10);
  s.records.resize(records);
  for (size_t i = 0; i < records && r.ok(); ++i) {
    RecordType& rec = s.records[i];
    rec.name = r.str(fmt::format("record {} name", i));
    rec.stride = r.u16("record stride");
    const size_t fields = r.count(fmt::format("record {} field count", i), 12);
    rec.fields.resize(fields);
    for (size_t f = 0; f < fields && r.ok(); ++f) {
      FieldInfo& field = rec.fields[f];
      field.name = r.str("field name");
      field.type = r.type(fmt::format("record {} field {}", i, f));
      field.optional = r.boolean("field optional flag");
      field.offset = r.u16("field offset");
      field.fact_bit = r.i16("field fact bit");
    }
  }
  s.root_record = r.u16("root record");
  const size_t facts = r.count("fact count", 5);
  s.facts.resize(facts);
  for (size_t i = 0; i < facts && r.ok(); ++i) {
    s.facts[i].path = r.str("fact path");
    s.facts[i].in_list_item = r.boolean("fact list-item flag");
  }
}

void read_constants(Reader& r, std::vector<Value>& constants) {
  const size_t n = r.count("constant count", kConstantSize);
  constants.resize(n);
  for (size_t i = 0; i < n && r.ok(); ++i) {
    const size_t at = r.pos();
    Value& v = constants[i];
    const uint8_t tag = r.u8("constant tag");
    if (r.ok() && tag > static_cast<uint8_t>(Tag::list)) {
      r.fail(fmt::format("constant pool entry {} has tag {}", i, tag), at);
      return;
    }
    v.tag = static_cast<Tag>(tag);
    v.flags = r.u8("constant flags");
    v.aux = r.u16("constant aux");
    v.a = r.i32("constant a");
    v.b = r.i64("constant b");
  }
}

void read_block(Reader& r, Block& b, std::string_view name) {
  b.offset = r.u32("block offset");
  b.length = r.u32("block length");
  b.max_stack = r.u16("block max stack");
  const size_t locals = r.count(fmt::format("{} local count", name), 3);
  b.locals.resize(locals);
  for (size_t i = 0; i < locals && r.ok(); ++i) b.locals[i] = r.type(fmt::format("{} local {}", name, i));
}

void read_blocks(Reader& r, Program& p) {
  read_block(r, p.request_block, "request block");
  read_block(r, p.item_block, "item block");
  p.items_slot = r.i32("items slot");
  p.item_record = r.u16("item record");
}

void read_articles(Reader& r, std::vector<ArticleInfo>& articles) {
  const size_t n = r.count("article count", 12);
  articles.resize(n);
  for (size_t i = 0; i < n && r.ok(); ++i) {
    articles[i].citation = r.str("article citation");
    articles[i].title = r.str("article title");
    articles[i].text = r.str("article text");
  }
}

void read_clauses(Reader& r, std::vector<ClauseInfo>& clauses) {
  const size_t n = r.count("clause count", 37);
  clauses.resize(n);
  for (size_t i = 0; i < n && r.ok(); ++i) {
    ClauseInfo& c = clauses[i];
    size_t at = r.pos();
    const uint8_t kind = r.u8("clause kind");
    if (r.ok() && kind > static_cast<uint8_t>(ClauseKind::obligation)) {
      r.fail(fmt::format("clause {} has kind {}", i, kind), at);
      return;
    }
    c.kind = static_cast<ClauseKind>(kind);
    c.item_scope = r.boolean("clause scope flag");
    c.article = r.u16("clause article");
    c.label = r.str("clause label");
    c.name = r.str("clause name");
    c.reason = r.str("clause reason");
    at = r.pos();
    const uint8_t strength = r.u8("clause strength");
    if (r.ok() && strength > static_cast<uint8_t>(Strength::target)) {
      r.fail(fmt::format("clause {} has strength {}", i, strength), at);
      return;
    }
    c.strength = static_cast<Strength>(strength);
    const size_t targets = r.count(fmt::format("clause {} target count", i), 2);
    c.targets.resize(targets);
    for (size_t t = 0; t < targets && r.ok(); ++t) c.targets[t] = r.u16("clause target");
    const size_t prevails = r.count(fmt::format("clause {} prevails-over count", i), 2);
    c.prevails_over.resize(prevails);
    for (size_t t = 0; t < prevails && r.ok(); ++t) c.prevails_over[t] = r.u16("clause prevails-over entry");
    c.instrument = r.str("clause instrument");
    c.line = r.u32("clause line");
    c.column = r.u32("clause column");
  }
}

void read_source_map(Reader& r, std::vector<SourcePos>& map) {
  const size_t n = r.count("source map count", 12);
  map.resize(n);
  for (size_t i = 0; i < n && r.ok(); ++i) {
    map[i].code_offset = r.u32("source map offset");
    map[i].line = r.u32("source map line");
    map[i].column = r.u32("source map column");
  }
}

// HolidayCalendar can only be built by parsing its data-file format, so the loader writes that text back
// and parses it, then insists the result equals what the bundle said (nothing lost or reinterpreted).
void read_calendar(Reader& r, size_t index, std::vector<periods::HolidayCalendar>& out) {
  const size_t at = r.pos();
  const std::string code = r.str("calendar code");
  const std::string source = r.str("calendar source");
  const int32_t first_year = r.i32("calendar first year");
  const int32_t last_year = r.i32("calendar last year");
  const size_t n = r.count(fmt::format("calendar {} holiday count", index), 8);
  if (!r.ok()) return;
  auto single_line = [](const std::string& s) { return s.find_first_of("\n\r") == std::string::npos; };
  if (!single_line(code) || !single_line(source))
    return void(r.fail(fmt::format("calendar {} has a line break in its code or source", index), at));
  if (first_year < min_year || last_year > max_year || first_year > last_year)
    return void(r.fail(fmt::format("calendar {} covers years {}-{}", index, first_year, last_year), at));
  std::vector<Days> days(n);
  std::string text = fmt::format("# state: {}\n# covers: {:04}-{:04}\n# source: {}\n", code, first_year, last_year, source);
  for (size_t i = 0; i < n && r.ok(); ++i) {
    const size_t day_at = r.pos();
    days[i] = r.i32("holiday date");
    const std::string name = r.str("holiday name");
    if (!r.ok()) return;
    if (days[i] < min_days() || days[i] > max_days())
      return void(r.fail(fmt::format("calendar {} holiday {} has day number {}", index, i, days[i]), day_at));
    if (!single_line(name))
      return void(r.fail(fmt::format("calendar {} holiday {} has a line break in its name", index, i), day_at));
    text += format_date(days[i]);
    text += ' ';
    text += name;
    text += '\n';
  }
  if (!r.ok()) return;
  periods::HolidayCalendar::ParseResult parsed = periods::HolidayCalendar::parse(text, fmt::format("calendar {}", index));
  if (!parsed.ok) return void(r.fail(fmt::format("invalid holiday calendar: {}", parsed.error), at));
  const periods::HolidayCalendar& cal = parsed.calendar;
  if (cal.code() != code || cal.source() != source || cal.first_year() != first_year ||
      cal.last_year() != last_year || cal.holidays() != days)
    return void(r.fail(fmt::format("calendar {} (`{}`) does not survive a round trip", index, code), at));
  out.push_back(std::move(parsed.calendar));
}

void read_periods(Reader& r, Program& p) {
  const size_t at = r.pos();
  const uint8_t convention = r.u8("convention");
  if (r.ok() && convention > static_cast<uint8_t>(periods::Convention::calendar_days))
    return void(r.fail(fmt::format("unknown period convention {}", convention), at));
  p.convention = static_cast<periods::Convention>(convention);
  p.calendar_slot = r.i32("calendar slot");
  p.today_slot = r.i32("today slot");
  const size_t n = r.count("calendar count", 20);
  p.calendars.reserve(n);
  for (size_t i = 0; i < n && r.ok(); ++i) read_calendar(r, i, p.calendars);
}

uint32_t read_le32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}

LoadResult load(const uint8_t* data, size_t size) {
  LoadResult result;
  auto fail = [&](std::string message) {
    result.error = std::move(message);
    return std::move(result);
  };
  if (data == nullptr && size != 0) return fail("bundle: no data");
  if (size < kBundleHeaderSize)
    return fail(fmt::format("bundle: {} bytes is shorter than the {}-byte header", size, kBundleHeaderSize));
  if (std::memcmp(data, kMagic, sizeof kMagic) != 0) return fail("bundle: not a Comity bundle (bad magic)");
  const uint16_t version = static_cast<uint16_t>(data[8] | (data[9] << 8));
  if (version != kBundleVersion)
    return fail(fmt::format("bundle: format version {} is not supported (this build reads version {})", version,
                            kBundleVersion));
  const uint16_t flags = static_cast<uint16_t>(data[10] | (data[11] << 8));
  if (flags != 0) return fail(fmt::format("bundle: unknown header flags {:#06x} (offset 0xa)", flags));
  const uint32_t body_length = read_le32(data + 12);
  if (body_length != size - kBundleHeaderSize)
    return fail(fmt::format("bundle: header says the body has {} bytes, found {}", body_length,
                            size - kBundleHeaderSize));
  Digest stored;
  std::memcpy(stored.data(), data + 16, stored.size());
  const uint8_t* body = data + kBundleHeaderSize;
  const Digest actual = sha256(body, body_length);
  if (actual != stored)
    return fail(fmt::format("bundle: content hash mismatch: header says {}, body hashes to {}", hash_hex(stored),
                            hash_hex(actual)));

  // Section directory: each known id once, nothing unknown.
  size_t start[kLastSection + 1] = {}, length[kLastSection + 1] = {};
  bool seen[kLastSection + 1] = {};
  for (size_t pos = kBundleHeaderSize; pos < size;) {
    if (size - pos < 5) return fail(fmt::format("bundle: truncated section header (offset {:#x})", pos));
    const uint8_t id = data[pos];
    const uint32_t len = read_le32(data + pos + 1);
    if (id < kFirstSection || id > kLastSection)
      return fail(fmt::format("bundle: unknown section id {} (offset {:#x})", id, pos));
    if (seen[id]) return fail(fmt::format("bundle: duplicate {} section (offset {:#x})", section_name(id), pos));
    if (len > size - pos - 5)
      return fail(fmt::format("bundle: {} section of {} bytes runs past the end of the bundle (offset {:#x})",
                              section_name(id), len, pos));
    seen[id] = true;
    start[id] = pos + 5;
    length[id] = len;
    pos += 5 + static_cast<size_t>(len);
  }
  for (uint8_t id = kFirstSection; id <= kLastSection; ++id)
    if (!seen[id]) return fail(fmt::format("bundle: missing {} section", section_name(id)));

  auto program = std::make_shared<Program>();
  Program& p = *program;
  p.content_hash = stored;
  std::string error;
  auto section = [&](Section id) {
    const auto i = static_cast<uint8_t>(id);
    return Reader(data, start[i], start[i] + length[i], section_name(i), error);
  };
  {
    Reader r = section(Section::identity);
    read_identity(r, p);
    r.finish();
  }
  if (error.empty()) {
    Reader r = section(Section::schema);
    read_schema(r, p.schema);
    r.finish();
  }
  if (error.empty()) {
    Reader r = section(Section::constants);
    read_constants(r, p.constants);
    r.finish();
  }
  if (error.empty()) {
    Reader r = section(Section::string_pool);
    p.string_pool = r.str("string pool");
    r.finish();
  }
  if (error.empty()) {
    Reader r = section(Section::code);
    const std::string code = r.str("code");
    p.code.assign(code.begin(), code.end());
    r.finish();
  }
  if (error.empty()) {
    Reader r = section(Section::blocks);
    read_blocks(r, p);
    r.finish();
  }
  if (error.empty()) {
    Reader r = section(Section::articles);
    read_articles(r, p.articles);
    r.finish();
  }
  if (error.empty()) {
    Reader r = section(Section::clauses);
    read_clauses(r, p.clauses);
    r.finish();
  }
  if (error.empty()) {
    Reader r = section(Section::source_map);
    read_source_map(r, p.source_map);
    r.finish();
  }
  if (error.empty()) {
    Reader r = section(Section::periods);
    read_periods(r, p);
    r.finish();
  }
  if (!error.empty()) return fail(std::move(error));

  if (std::string problem = verify(p); !problem.empty()) return fail("bundle: " + problem);
  result.program = std::move(program);
  return result;
}

}  // namespace
}  // namespace bundle

LoadResult load_bundle(const uint8_t* data, size_t size) {
  try {
    return bundle::load(data, size);
  } catch (const std::bad_alloc&) {
    return LoadResult{nullptr, "bundle: out of memory while loading"};
  } catch (const std::exception& e) {
    return LoadResult{nullptr, std::string("bundle: internal error while loading: ") + e.what()};
  } catch (...) {
    return LoadResult{nullptr, "bundle: internal error while loading"};
  }
}

}  // namespace comity

// disasm.cpp: Program → text. Uses the verifier's analysis for record types at LOAD_FIELD; every index is
// range-checked so a bad program prints `?` instead of crashing. Knows nothing of the byte layout.
#include "bundle/disasm.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "bundle/verifier.h"
#include "comity/civil.h"
#include "comity/opcodes.h"

namespace comity {
namespace bundle {
namespace {

std::string quote_text(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        else out += c;
    }
  }
  return out + "\"";
}

std::string_view clause_kind_name(ClauseKind k) {
  switch (k) {
    case ClauseKind::refuse_mandatory: return "refuse_mandatory";
    case ClauseKind::refuse_optional: return "refuse_optional";
    case ClauseKind::postpone: return "postpone";
    case ClauseKind::return_: return "return";
    case ClauseKind::use_other_measure: return "use_other_measure";
    case ClauseKind::impossible: return "impossible";
    case ClauseKind::review: return "review";
    case ClauseKind::condition: return "condition";
    case ClauseKind::exception: return "exception";
    case ClauseKind::deadline: return "deadline";
    case ClauseKind::obligation: return "obligation";
  }
  return "?";
}

std::string_view strength_name(Strength s) {
  switch (s) {
    case Strength::hard: return "hard";
    case Strength::soft: return "soft";
    case Strength::target: return "target";
  }
  return "?";
}

class Disassembler {
public:
  explicit Disassembler(const Program& p) : p_(p), s_(p.schema), index_(p.schema) {
    verify_error_ = verify_with_analysis(p, &field_records_);
  }

  std::string run() {
    header();
    schema();
    constants();
    clauses();
    block(p_.request_block, "request block");
    if (p_.item_block.length > 0) block(p_.item_block, "item block");
    return std::move(out_);
  }

private:
  template <typename... Args>
  void line(fmt::format_string<Args...> format, Args&&... args) {
    out_ += fmt::format(format, std::forward<Args>(args)...);
    out_ += '\n';
  }

  std::string enum_member(uint16_t e, int64_t ordinal) const {
    if (e < s_.enums.size() && ordinal >= 0 && static_cast<size_t>(ordinal) < s_.enums[e].members.size())
      return s_.enums[e].members[static_cast<size_t>(ordinal)];
    return fmt::format("?{}", ordinal);
  }

  std::string value_text(const Value& v) const {
    switch (v.tag) {
      case Tag::unknown: return fmt::format("unknown mask {:#x}", static_cast<uint64_t>(v.b));
      case Tag::boolean: return v.a ? "true" : "false";
      case Tag::integer: return fmt::format("integer {}", v.b);
      case Tag::decimal: {
        const uint64_t mag = v.b < 0 ? 0 - static_cast<uint64_t>(v.b) : static_cast<uint64_t>(v.b);
        const auto scale = static_cast<uint64_t>(kDecimalScale);
        return fmt::format("decimal {}{}.{:06}", v.b < 0 ? "-" : "", mag / scale, mag % scale);
      }
      case Tag::string: {
        if (v.a >= 0 && v.b >= 0 && static_cast<uint64_t>(v.a) + static_cast<uint64_t>(v.b) <= p_.string_pool.size())
          return "string " + quote_text(p_.string_at(v));
        return fmt::format("string ?(offset {}, length {})", v.b, v.a);
      }
      case Tag::enumeration:
        return fmt::format("{}.{}", type_name(s_, StaticType{Type::enumeration, v.aux}), enum_member(v.aux, v.a));
      case Tag::set: {
        std::vector<std::string> members;
        for (int bit = 0; bit < 64; ++bit)
          if ((static_cast<uint64_t>(v.b) >> bit) & 1) members.push_back(enum_member(v.aux, bit));
        return fmt::format("{} {{{}}}", type_name(s_, StaticType{Type::set, v.aux}), fmt::join(members, ", "));
      }
      case Tag::date:
        if (v.a >= min_days() && v.a <= max_days()) return "date " + format_date(v.a);
        return fmt::format("date ?{}", v.a);
      case Tag::datetime:
        if (v.a >= -1439 && v.a <= 1439 && v.b >= int64_t{min_days()} * 86400 && v.b <= int64_t{max_days()} * 86400 + 86399)
          return "datetime " + format_instant(Instant{v.b, v.a});
        return fmt::format("datetime ?({}, {})", v.b, v.a);
      case Tag::duration: {
        const std::string text = format_duration(Duration{v.duration_months(), v.duration_days(), v.duration_hours(), v.working_days()});
        return fmt::format("duration {}{}", text, v.working_days() ? " working days" : "");
      }
      case Tag::record: return fmt::format("record @{}", v.a);
      case Tag::list: return fmt::format("list @{} x{}", v.a, v.b);
    }
    return fmt::format("tag {}", static_cast<int>(v.tag));
  }

  std::string root_slot(int32_t slot) const {
    if (slot < 0 || slot > 0xffff) return std::to_string(slot);
    const auto leaf = index_.leaf(s_.root_record, static_cast<uint32_t>(slot), true);
    return leaf ? fmt::format("{} ({})", slot, leaf->path) : fmt::format("{} (?)", slot);
  }

  void header() {
    line("policy {} {} version {}", p_.name, quote_text(p_.title), p_.version);
    if (!p_.citation.empty()) line("citation {}", quote_text(p_.citation));
    if (!p_.source_path.empty()) line("source {}", p_.source_path);
    line("hash {}", hash_hex(p_.content_hash));
    line("periods {}, calendar slot {}, today slot {}", periods::convention_name(p_.convention), root_slot(p_.calendar_slot),
         root_slot(p_.today_slot));
    for (const auto& cal : p_.calendars)
      line("calendar {} {:04}-{:04}, {} holidays", cal.code(), cal.first_year(), cal.last_year(), cal.holidays().size());
    if (!verify_error_.empty()) line("; DOES NOT VERIFY: {}", verify_error_);
  }

  void schema() {
    line("");
    line("schema");
    for (size_t i = 0; i < s_.enums.size(); ++i)
      line("  enum {} {} {{{}}}", i, s_.enums[i].name, fmt::join(s_.enums[i].members, ", "));
    for (size_t i = 0; i < s_.records.size(); ++i) {
      const RecordType& r = s_.records[i];
      line("  record {} {} stride {}{}", i, r.name, r.stride, i == s_.root_record ? " (request)" : "");
      for (const FieldInfo& f : r.fields)
        line("    {:>4}  {}: {}{}{}", f.offset, f.name, type_name(s_, f.type), f.optional ? "?" : "",
             f.fact_bit >= 0 ? fmt::format("  fact {}", f.fact_bit) : std::string());
    }
    for (size_t i = 0; i < s_.facts.size(); ++i) line("  fact {} {}", i, s_.facts[i].path);
    if (p_.items_slot >= 0) line("  decide each {} of {}", root_slot(p_.items_slot), type_name(s_, StaticType{Type::record, p_.item_record}));
  }

  void constants() {
    line("");
    line("constants");
    for (size_t i = 0; i < p_.constants.size(); ++i) line("  {:>4}  {}", i, value_text(p_.constants[i]));
  }

  std::string clause_ref(uint16_t id) const {
    if (id >= p_.clauses.size()) return fmt::format("?{}", id);
    const ClauseInfo& c = p_.clauses[id];
    const std::string article = c.article < p_.articles.size() ? p_.articles[c.article].citation : "?";
    std::string text = fmt::format("{} art {}", clause_kind_name(c.kind), article);
    if (!c.name.empty()) text += " " + c.name;
    if (!c.label.empty()) text += " " + quote_text(c.label);
    return text;
  }

  void clauses() {
    line("");
    line("articles");
    for (size_t i = 0; i < p_.articles.size(); ++i)
      line("  {:>4}  {} {}", i, p_.articles[i].citation, quote_text(p_.articles[i].title));
    line("");
    line("clauses");
    for (size_t i = 0; i < p_.clauses.size(); ++i) {
      const ClauseInfo& c = p_.clauses[i];
      std::string extra;
      if (c.kind == ClauseKind::deadline) extra += fmt::format("  {}", strength_name(c.strength));
      if (!c.targets.empty()) extra += fmt::format("  excepts [{}]", fmt::join(c.targets, ", "));
      if (!c.prevails_over.empty()) extra += fmt::format("  prevails over [{}]", fmt::join(c.prevails_over, ", "));
      if (!c.reason.empty()) extra += "  because " + quote_text(c.reason);
      line("  {:>4}  {}  {} scope{}  (line {})", i, clause_ref(static_cast<uint16_t>(i)), c.item_scope ? "item" : "request",
           extra, c.line);
    }
  }

  std::string comment(const Instr& in, const Block& b) const {
    switch (in.op) {
      case Op::CONST:
        return in.a < p_.constants.size() ? value_text(p_.constants[in.a]) : "?";
      case Op::LOAD_INPUT: {
        const auto leaf = index_.leaf(s_.root_record, in.a, true);
        return leaf ? leaf->path : "?";
      }
      case Op::LOAD_LOCAL:
        return in.a < b.locals.size() ? fmt::format("local {}: {}", in.a, type_name(s_, b.locals[in.a])) : "?";
      case Op::LOAD_FIELD: {
        const auto it = field_records_.find(in.offset);
        if (it == field_records_.end()) return "";
        const auto leaf = index_.leaf(it->second, in.a, true);
        return leaf ? fmt::format("{}.{}", type_name(s_, StaticType{Type::record, it->second}), leaf->path) : "?";
      }
      case Op::LOAD_STATUS: case Op::STORE_STATUS: case Op::STORE_VALUE: case Op::STORE_EVENT:
        return clause_ref(in.a);
      case Op::CMP:
        return fmt::format("{} {}", in.a <= static_cast<uint16_t>(CmpOp::ge) ? cmp_name(static_cast<CmpOp>(in.a)) : "?",
                           in.b <= static_cast<uint16_t>(Type::list) ? type_word(static_cast<Type>(in.b)) : "?");
      case Op::PERIOD_END: {
        auto word = [](uint16_t code) { return code <= static_cast<uint16_t>(Type::list) ? type_word(static_cast<Type>(code)) : "?"; };
        const uint16_t start = in.a & 0x0f, result = in.a >> 4;
        return fmt::format("{} -> {}", word(start), word(result == 0 ? start : result));
      }
      case Op::ADD: case Op::SUB: case Op::MUL: case Op::DIV: case Op::NEG: case Op::MIN: case Op::MAX:
        return std::string(in.a <= static_cast<uint16_t>(Type::list) ? type_word(static_cast<Type>(in.a)) : "?");
      case Op::JUMP: case Op::JUMP_IF_FALSE_KEEP: case Op::JUMP_IF_TRUE_KEEP: case Op::JUMP_UNLESS_TRUE:
      case Op::LOOP:
        return fmt::format("-> {:04x}", int64_t{in.next()} + in.jump);
      case Op::ITER_NEXT:
        return fmt::format("iterator {}, done -> {:04x}", in.a, int64_t{in.next()} + in.jump);
      case Op::ITER_INIT:
        return fmt::format("iterator {}", in.a);
      case Op::PUSH_TRUE: case Op::PUSH_FALSE: case Op::POP: case Op::NOT: case Op::AND: case Op::OR:
      case Op::IS_KNOWN: case Op::IN_SET: case Op::SELECT: case Op::ACC_ANY: case Op::ACC_ALL:
      case Op::ACC_COUNT: case Op::RET:
        return "";
    }
    return "";
  }

  static std::string operands(const Instr& in) {
    switch (op_info(in.op).layout) {
      case Layout::NONE: return "";
      case Layout::U8: case Layout::U16: return std::to_string(in.a);
      case Layout::U8U8: return fmt::format("{} {}", in.a, in.b);
      case Layout::J: return fmt::format("{:+}", in.jump);
      case Layout::U8J: return fmt::format("{} {:+}", in.a, in.jump);
    }
    return "";
  }

  void block(const Block& b, std::string_view name) {
    line("");
    std::vector<std::string> locals;
    for (const StaticType& t : b.locals) locals.push_back(type_name(s_, t));
    line("{} at {:04x}, {} bytes, max stack {}, locals [{}]", name, b.offset, b.length, b.max_stack, fmt::join(locals, ", "));
    const uint64_t end = std::min<uint64_t>(uint64_t{b.offset} + b.length, p_.code.size());
    // Source map: the last entry at or before each instruction gives its line; print it when it changes.
    size_t map_at = 0;
    uint32_t last_line = 0;
    for (uint64_t at = b.offset; at < end;) {
      const std::optional<Instr> in = decode(p_.code.data(), static_cast<size_t>(end), static_cast<uint32_t>(at));
      if (!in) {
        line("{:04x}  ?? {:#04x}", at, p_.code[at]);
        break;
      }
      while (map_at < p_.source_map.size() && p_.source_map[map_at].code_offset <= at) ++map_at;
      std::string where;
      if (map_at > 0 && p_.source_map[map_at - 1].line != last_line) {
        last_line = p_.source_map[map_at - 1].line;
        where = fmt::format("(line {})", last_line);
      }
      std::string note = comment(*in, b);
      std::string text = fmt::format("{:04x}  {:<18} {:<8}", at, op_info(in->op).name, operands(*in));
      if (!note.empty() || !where.empty()) text += fmt::format(" ; {:<32} {}", note, where);
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out_ += text;
      out_ += '\n';
      at = in->next();
    }
  }

  const Program& p_;
  const Schema& s_;
  SchemaIndex index_;
  std::map<uint32_t, uint16_t> field_records_;
  std::string verify_error_;
  std::string out_;
};

}  // namespace
}  // namespace bundle

std::string disassemble(const Program& program) { return bundle::Disassembler(program).run(); }

}  // namespace comity

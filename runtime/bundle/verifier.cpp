// verifier.cpp: checks a Program so the VM can run it without bounds or type checks — schema layout,
// constants, clause table, periods slots, and each block's bytecode (decoding, control flow, loop shape,
// and an abstract interpretation of the operand stack and locals with static types).
// Knows nothing of the bundle's byte layout or of how the VM implements an opcode.
#include "bundle/verifier.h"

#include <algorithm>
#include <bitset>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "comity/civil.h"
#include "comity/opcodes.h"

namespace comity::bundle {

// ---- names ------------------------------------------------------------------

std::string_view type_word(Type type) {
  switch (type) {
    case Type::boolean: return "boolean";
    case Type::integer: return "integer";
    case Type::decimal: return "decimal";
    case Type::string: return "string";
    case Type::enumeration: return "enumeration";
    case Type::set: return "set";
    case Type::date: return "date";
    case Type::datetime: return "datetime";
    case Type::duration: return "duration";
    case Type::record: return "record";
    case Type::list: return "list";
  }
  return "invalid type";
}

std::string type_name(const Schema& schema, StaticType t) {
  auto enum_name = [&](uint16_t i) {
    return i < schema.enums.size() ? schema.enums[i].name : fmt::format("enum #{}", i);
  };
  auto record_name = [&](uint16_t i) {
    return i < schema.records.size() ? schema.records[i].name : fmt::format("record #{}", i);
  };
  switch (t.type) {
    case Type::enumeration: return enum_name(t.index);
    case Type::set: return "set of " + enum_name(t.index);
    case Type::record: return record_name(t.index);
    case Type::list: return "list of " + record_name(t.index);
    case Type::boolean: case Type::integer: case Type::decimal: case Type::string:
    case Type::date: case Type::datetime: case Type::duration:
      return std::string(type_word(t.type));
  }
  return fmt::format("type code {}", static_cast<int>(t.type));
}

// ---- schema index -----------------------------------------------------------

namespace {
uint32_t field_size(const Schema& s, const FieldInfo& f) {
  if (f.type.type == Type::record) return f.type.index < s.records.size() ? s.records[f.type.index].stride : 0;
  return 1;
}
}  // namespace

SchemaIndex::SchemaIndex(const Schema& schema) : schema_(schema), by_offset_(schema.records.size()) {
  for (size_t r = 0; r < schema.records.size(); ++r) {
    std::vector<uint32_t>& order = by_offset_[r];
    order.resize(schema.records[r].fields.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto& fields = schema.records[r].fields;
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return fields[a].offset < fields[b].offset; });
  }
}

std::optional<Leaf> SchemaIndex::leaf(uint16_t record, uint32_t offset, bool with_path) const {
  Leaf out;
  for (int depth = 0; depth <= kMaxRecordNesting; ++depth) {
    if (record >= schema_.records.size()) return std::nullopt;
    const RecordType& rec = schema_.records[record];
    const std::vector<uint32_t>& order = by_offset_[record];
    // The last field starting at or before `offset`.
    auto it = std::upper_bound(order.begin(), order.end(), offset,
                               [&](uint32_t off, uint32_t i) { return off < rec.fields[i].offset; });
    if (it == order.begin()) return std::nullopt;
    const FieldInfo& f = rec.fields[*(it - 1)];
    if (offset - f.offset >= field_size(schema_, f)) return std::nullopt;
    if (with_path) {
      if (!out.path.empty()) out.path += '.';
      out.path += f.name;
    }
    if (f.type.type != Type::record) {
      out.type = f.type;
      out.field = &f;
      return out;
    }
    offset -= f.offset;
    record = f.type.index;
  }
  return std::nullopt;
}

namespace {

// ---- whole-program checks ---------------------------------------------------

class Verifier {
public:
  Verifier(const Program& p, std::map<uint32_t, uint16_t>* field_records)
      : p_(p), s_(p.schema), index_(p.schema), field_records_(field_records) {}

  std::string run() {
    if (!check_schema() || !check_constants() || !check_clauses() || !check_slots() || !check_periods() ||
        !check_source_map() || !check_blocks())
      return error_;
    return {};
  }

private:
  template <typename... Args>
  bool fail(fmt::format_string<Args...> format, Args&&... args) {
    if (error_.empty()) error_ = fmt::format(format, std::forward<Args>(args)...);
    return false;
  }

  bool valid_type(StaticType t) const {
    switch (t.type) {
      case Type::enumeration: case Type::set: return t.index < s_.enums.size();
      case Type::record: case Type::list: return t.index < s_.records.size();
      case Type::boolean: case Type::integer: case Type::decimal: case Type::string:
      case Type::date: case Type::datetime: case Type::duration:
        return t.index == 0;
    }
    return false;
  }

  bool check_schema() {
    if (s_.enums.size() > 65536) return fail("schema: {} enums, at most 65536", s_.enums.size());
    if (s_.records.size() > 65536) return fail("schema: {} records, at most 65536", s_.records.size());
    if (s_.facts.size() > 64) return fail("schema: {} optional facts, at most 64", s_.facts.size());
    for (const EnumType& e : s_.enums)
      if (e.members.size() > 64) return fail("schema: enum `{}` has {} members, at most 64", e.name, e.members.size());
    if (s_.root_record >= s_.records.size())
      return fail("schema: root record {} out of range ({} records)", s_.root_record, s_.records.size());

    std::bitset<64> fact_used;
    for (const RecordType& r : s_.records) {
      // Fields must lie within the stride and must not overlap; inline records then cannot either.
      std::vector<std::pair<uint32_t, uint32_t>> ranges;  // [begin, end), non-empty only
      for (const FieldInfo& f : r.fields) {
        if (f.type.type > Type::list || !valid_type(f.type))
          return fail("schema: record `{}` field `{}` has an invalid type ({} #{})", r.name, f.name,
                      static_cast<int>(f.type.type), f.type.index);
        const uint32_t size = field_size(s_, f);
        if (uint32_t{f.offset} + size > r.stride)
          return fail("schema: record `{}` field `{}` at offset {} (size {}) exceeds the stride {}", r.name, f.name,
                      f.offset, size, r.stride);
        if (size > 0) ranges.emplace_back(f.offset, f.offset + size);
        if (f.fact_bit != -1) {
          if (f.fact_bit < 0 || static_cast<size_t>(f.fact_bit) >= s_.facts.size())
            return fail("schema: record `{}` field `{}` has fact bit {} ({} facts)", r.name, f.name, f.fact_bit,
                        s_.facts.size());
          if (fact_used[static_cast<size_t>(f.fact_bit)])
            return fail("schema: fact bit {} is used twice (again by `{}.{}`)", f.fact_bit, r.name, f.name);
          fact_used.set(static_cast<size_t>(f.fact_bit));
        }
      }
      std::sort(ranges.begin(), ranges.end());
      for (size_t i = 1; i < ranges.size(); ++i)
        if (ranges[i].first < ranges[i - 1].second)
          return fail("schema: record `{}` has fields overlapping at slot {}", r.name, ranges[i].first);
    }
    // No record may contain itself inline; nesting depth is capped so lookups stay bounded.
    std::vector<int> depth(s_.records.size(), -1);  // -1 unknown, -2 in progress
    for (size_t r = 0; r < s_.records.size(); ++r)
      if (record_depth(static_cast<uint16_t>(r), depth, 0) < 0) return false;
    return true;
  }

  // Depth of inline nesting below record r, or -1 after failing.
  int record_depth(uint16_t r, std::vector<int>& depth, int level) {
    if (depth[r] >= 0) return depth[r];
    if (depth[r] == -2) return fail("schema: record `{}` contains itself inline", s_.records[r].name), -1;
    if (level > kMaxRecordNesting)
      return fail("schema: records nested more than {} deep (at `{}`)", kMaxRecordNesting, s_.records[r].name), -1;
    depth[r] = -2;
    int d = 0;
    for (const FieldInfo& f : s_.records[r].fields) {
      if (f.type.type != Type::record) continue;
      const int child = record_depth(f.type.index, depth, level + 1);
      if (child < 0) return -1;
      d = std::max(d, child + 1);
    }
    return depth[r] = d;
  }

  bool check_constants() {
    if (p_.constants.size() > 65536) return fail("constants: {} entries, at most 65536", p_.constants.size());
    for (size_t i = 0; i < p_.constants.size(); ++i) {
      const Value& v = p_.constants[i];
      switch (v.tag) {
        case Tag::unknown: case Tag::record: case Tag::list:
          return fail("constants: entry {} has tag {}, which cannot be a constant", i, static_cast<int>(v.tag));
        case Tag::boolean:
          if (v.a != 0 && v.a != 1) return fail("constants: entry {} is a boolean with value {}", i, v.a);
          break;
        case Tag::integer: case Tag::decimal: break;
        case Tag::string:
          if (v.flags != Value::kInPool) return fail("constants: string entry {} is not in the string pool", i);
          if (v.a < 0 || v.b < 0 || static_cast<uint64_t>(v.b) + static_cast<uint64_t>(v.a) > p_.string_pool.size())
            return fail("constants: string entry {} (offset {}, length {}) lies outside the {}-byte string pool", i, v.b,
                        v.a, p_.string_pool.size());
          break;
        case Tag::enumeration:
          if (v.aux >= s_.enums.size()) return fail("constants: entry {} names enum {}, out of range", i, v.aux);
          if (v.a < 0 || static_cast<size_t>(v.a) >= s_.enums[v.aux].members.size())
            return fail("constants: entry {} has ordinal {} of `{}` ({} members)", i, v.a, s_.enums[v.aux].name,
                        s_.enums[v.aux].members.size());
          break;
        case Tag::set: {
          if (v.aux >= s_.enums.size()) return fail("constants: entry {} names enum {}, out of range", i, v.aux);
          const size_t n = s_.enums[v.aux].members.size();
          const uint64_t allowed = n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
          if ((static_cast<uint64_t>(v.b) & ~allowed) != 0)
            return fail("constants: set entry {} has bits outside the {} members of `{}`", i, n, s_.enums[v.aux].name);
          break;
        }
        case Tag::date:
          if (v.a < min_days() || v.a > max_days()) return fail("constants: date entry {} ({}) is outside years 0000-9999", i, v.a);
          break;
        case Tag::datetime:
          if (v.a < -1439 || v.a > 1439) return fail("constants: datetime entry {} has UTC offset {} minutes", i, v.a);
          if (v.b < int64_t{min_days()} * 86400 || v.b > int64_t{max_days()} * 86400 + 86399)
            return fail("constants: datetime entry {} is outside years 0000-9999", i);
          break;
        case Tag::duration:
          if (v.flags > Value::kWorkingDays) return fail("constants: duration entry {} has flags {}", i, v.flags);
          if (v.duration_months() < 0 || v.duration_days() < 0 || v.duration_hours() < 0)
            return fail("constants: duration entry {} is negative", i);
          break;
        default:
          return fail("constants: entry {} has tag {}", i, static_cast<int>(v.tag));
      }
    }
    return true;
  }

  bool check_clauses() {
    if (p_.clauses.size() > 65536) return fail("clauses: {} clauses, at most 65536", p_.clauses.size());
    const size_t n = p_.clauses.size();
    for (size_t i = 0; i < n; ++i) {
      const ClauseInfo& c = p_.clauses[i];
      if (c.kind > ClauseKind::obligation) return fail("clauses: clause {} has kind {}", i, static_cast<int>(c.kind));
      if (c.strength > Strength::target) return fail("clauses: clause {} has strength {}", i, static_cast<int>(c.strength));
      if (c.article >= p_.articles.size())
        return fail("clauses: clause {} cites article {} ({} articles)", i, c.article, p_.articles.size());
      for (uint16_t t : c.targets)
        if (t >= n) return fail("clauses: clause {} is an exception to clause {}, out of range", i, t);
      for (uint16_t t : c.prevails_over)
        if (t >= n) return fail("clauses: clause {} prevails over clause {}, out of range", i, t);
    }
    // Exceptions must not loop back on themselves (iterative DFS: clause chains may be long).
    std::vector<uint8_t> colour(n, 0);  // 0 new, 1 on the path, 2 done
    std::vector<std::pair<size_t, size_t>> stack;
    for (size_t root = 0; root < n; ++root) {
      if (colour[root] != 0) continue;
      stack.assign(1, {root, 0});
      colour[root] = 1;
      while (!stack.empty()) {
        auto& [clause, next] = stack.back();
        const auto& targets = p_.clauses[clause].targets;
        if (next == targets.size()) {
          colour[clause] = 2;
          stack.pop_back();
          continue;
        }
        const size_t t = targets[next++];
        if (colour[t] == 1) return fail("clauses: exceptions form a cycle through clause {} and clause {}", clause, t);
        if (colour[t] == 0) {
          colour[t] = 1;
          stack.emplace_back(t, 0);
        }
      }
    }
    return true;
  }

  // A root slot of the given kind, or -1.
  bool check_root_slot(int32_t slot, std::string_view what, Type want, std::optional<uint16_t> index = std::nullopt) {
    if (slot == -1) return true;
    if (slot < 0 || slot > 0xffff) return fail("schema: {} {} is not a slot of the root record", what, slot);
    const auto leaf = index_.leaf(s_.root_record, static_cast<uint32_t>(slot));
    if (!leaf) return fail("schema: {} {} is not a field slot of the root record `{}`", what, slot, s_.records[s_.root_record].name);
    if (leaf->type.type != want || (index && leaf->type.index != *index))
      return fail("schema: {} {} holds `{}`, expected `{}`", what, slot, type_name(s_, leaf->type),
                  index ? type_name(s_, StaticType{want, *index}) : std::string(type_word(want)));
    return true;
  }

  bool check_slots() {
    if (p_.item_record >= s_.records.size())
      return fail("schema: item record {} out of range ({} records)", p_.item_record, s_.records.size());
    return check_root_slot(p_.items_slot, "items slot", Type::list, p_.item_record) &&
           check_root_slot(p_.calendar_slot, "calendar slot", Type::string) &&
           check_root_slot(p_.today_slot, "today slot", Type::date);
  }

  bool check_periods() {
    if (p_.convention > periods::Convention::calendar_days)
      return fail("periods: unknown convention {}", static_cast<int>(p_.convention));
    std::set<std::string_view> codes;
    for (const periods::HolidayCalendar& cal : p_.calendars)
      if (!codes.insert(cal.code()).second) return fail("periods: two holiday calendars for `{}`", cal.code());
    return true;
  }

  bool check_source_map() {
    for (size_t i = 0; i < p_.source_map.size(); ++i) {
      if (p_.source_map[i].code_offset >= p_.code.size())
        return fail("source map: entry {} points at code offset {:#x}, past the code ({} bytes)", i,
                    p_.source_map[i].code_offset, p_.code.size());
      if (i > 0 && p_.source_map[i].code_offset < p_.source_map[i - 1].code_offset)
        return fail("source map: entry {} is out of order", i);
    }
    return true;
  }

  bool check_blocks();

  friend class BlockVerifier;
  const Program& p_;
  const Schema& s_;
  SchemaIndex index_;
  std::map<uint32_t, uint16_t>* field_records_;
  std::string error_;
};

// ---- one block ------------------------------------------------------------

// Operand stacks are hash-consed persistent lists: equal stacks have equal node ids, so merging at a jump
// target is one comparison, and storing a state per target costs O(1) whatever the depth.
class StackNodes {
public:
  StackNodes() { nodes_.push_back({0, {}}); }  // node 0: the empty stack
  uint32_t push(uint32_t below, StaticType t) {
    const uint64_t key = (uint64_t{below} << 32) | (uint64_t{static_cast<uint8_t>(t.type)} << 16) | t.index;
    auto [it, inserted] = interned_.try_emplace(key, static_cast<uint32_t>(nodes_.size()));
    if (inserted) nodes_.push_back({below, t});
    return it->second;
  }
  uint32_t below(uint32_t node) const { return nodes_[node].below; }
  StaticType top(uint32_t node) const { return nodes_[node].type; }

private:
  struct Node {
    uint32_t below;
    StaticType type;
  };
  std::vector<Node> nodes_;
  std::unordered_map<uint64_t, uint32_t> interned_;
};

class BlockVerifier {
public:
  BlockVerifier(Verifier& v, const Block& block, bool item, std::string_view name)
      : v_(v), p_(v.p_), s_(v.s_), block_(block), item_(item), name_(name) {}

  bool run() {
    if (!check_frame() || !decode_all() || !check_control_flow()) return false;
    return interpret();
  }

private:
  struct State {
    uint32_t stack = 0;
    uint16_t depth = 0;
    std::bitset<kMaxLocals> init;
  };

  template <typename... Args>
  bool fail_at(uint32_t at, fmt::format_string<Args...> format, Args&&... args) {
    if (v_.error_.empty())
      v_.error_ = fmt::format("{} @{:#x}: {}", name_, at, fmt::format(format, std::forward<Args>(args)...));
    return false;
  }
  template <typename... Args>
  bool fail(fmt::format_string<Args...> format, Args&&... args) {
    if (v_.error_.empty()) v_.error_ = fmt::format("{}: {}", name_, fmt::format(format, std::forward<Args>(args)...));
    return false;
  }

  uint32_t end() const { return block_.offset + block_.length; }

  bool check_frame() {
    if (p_.code.size() > kMaxCodeSize) return fail("code of {} bytes exceeds the limit of {} bytes", p_.code.size(), kMaxCodeSize);
    if (uint64_t{block_.offset} + block_.length > p_.code.size())
      return fail("block [{:#x}, +{}) lies outside the {}-byte code", block_.offset, block_.length, p_.code.size());
    if (block_.length == 0) return fail("block is empty (it must end with RET)");
    if (block_.max_stack > kMaxStack) return fail("max_stack {} exceeds the limit of {}", block_.max_stack, kMaxStack);
    if (block_.locals.size() > kMaxLocals) return fail("{} locals, at most {}", block_.locals.size(), kMaxLocals);
    for (size_t i = 0; i < block_.locals.size(); ++i)
      if (block_.locals[i].type > Type::list || !v_.valid_type(block_.locals[i]))
        return fail("local {} has an invalid type ({} #{})", i, static_cast<int>(block_.locals[i].type), block_.locals[i].index);
    if (item_) {
      const StaticType item{Type::record, p_.item_record};
      if (block_.locals.empty() || block_.locals[0] != item)
        return fail("local 0 must be the item record `{}`", type_name(s_, item));
    }
    return true;
  }

  bool decode_all() {
    for (uint32_t at = block_.offset; at < end();) {
      if (p_.code[at] >= kOpCount) return fail_at(at, "unknown opcode {:#04x}", p_.code[at]);
      const std::optional<Instr> in = decode(p_.code.data(), end(), at);
      if (!in) return fail_at(at, "{} runs past the end of the block", op_info(static_cast<Op>(p_.code[at])).name);
      instrs_.push_back(*in);
      at = in->next();
    }
    if (instrs_.back().op != Op::RET) return fail_at(instrs_.back().offset, "the block must end with RET, found {}", op_info(instrs_.back().op).name);
    return true;
  }

  // Index of the instruction starting exactly at `at`, or -1.
  int64_t index_at(int64_t at) const {
    if (at < block_.offset || at >= end()) return -1;
    auto it = std::lower_bound(instrs_.begin(), instrs_.end(), static_cast<uint32_t>(at),
                               [](const Instr& in, uint32_t off) { return in.offset < off; });
    return it != instrs_.end() && it->offset == at ? it - instrs_.begin() : -1;
  }

  static bool has_jump(Op op) {
    const Layout l = op_info(op).layout;
    return l == Layout::J || l == Layout::U8J;
  }
  static int64_t target_of(const Instr& in) { return int64_t{in.next()} + in.jump; }

  // Jump targets, loop shape and termination, before any typing.
  bool check_control_flow() {
    leader_.assign(instrs_.size(), -1);
    leader_[0] = 0;
    for (const Instr& in : instrs_) {
      if (!has_jump(in.op)) continue;
      const int64_t target = target_of(in);
      const std::string_view name = op_info(in.op).name;
      if (in.op == Op::LOOP) {
        if (in.jump >= 0) return fail_at(in.offset, "LOOP must jump backwards, found offset {:+}", in.jump);
      } else if (in.jump < 0) {
        return fail_at(in.offset, "{} jumps backwards to {:#x}: only LOOP may", name, target);
      }
      const int64_t i = index_at(target);
      if (target < block_.offset || target >= end())
        return fail_at(in.offset, "{} jumps to {:#x}, outside the block [{:#x}, {:#x})", name, target, block_.offset, end());
      if (i < 0) return fail_at(in.offset, "{} jumps to {:#x}, inside an instruction", name, target);
      if (in.op == Op::LOOP && instrs_[static_cast<size_t>(i)].op != Op::ITER_NEXT)
        return fail_at(in.offset, "LOOP jumps to {:#x}, which is {}, not ITER_NEXT", target,
                       op_info(instrs_[static_cast<size_t>(i)].op).name);
      leader_[static_cast<size_t>(i)] = 0;
    }
    // Each LOOP lies inside the body of the ITER_NEXT it returns to; loop bodies nest properly; no
    // ITER_INIT re-initialises an iterator inside its own loop. Together: every cycle passes an ITER_NEXT
    // whose index only grows, so evaluation terminates.
    for (const Instr& in : instrs_) {
      if (in.op != Op::LOOP) continue;
      const Instr& head = instrs_[static_cast<size_t>(index_at(target_of(in)))];
      if (in.next() > target_of(head))
        return fail_at(in.offset, "LOOP returns to ITER_NEXT {} at {:#x} but lies outside its body (which ends at {:#x})",
                       head.a, head.offset, target_of(head));
    }
    std::vector<std::pair<int64_t, uint16_t>> open;  // loop exits (ends of bodies) and iterator locals
    std::array<int, kMaxLocals> open_on{};
    for (const Instr& in : instrs_) {
      while (!open.empty() && open.back().first <= in.offset) {
        --open_on[open.back().second];
        open.pop_back();
      }
      if (in.op == Op::ITER_INIT && in.a < kMaxLocals && open_on[in.a] > 0)
        return fail_at(in.offset, "ITER_INIT {} inside the loop over iterator {}: the loop would not terminate", in.a, in.a);
      if (in.op == Op::ITER_NEXT) {
        const int64_t exit = target_of(in);
        if (!open.empty() && exit > open.back().first)
          return fail_at(in.offset, "the loop body [{:#x}, {:#x}) overlaps an enclosing loop ending at {:#x}", in.offset,
                         exit, open.back().first);
        open.emplace_back(exit, in.a);
        ++open_on[in.a];
      }
    }
    return true;
  }

  // ---- abstract interpretation ----

  std::string stack_text(uint32_t node, uint16_t depth) const {
    std::vector<std::string> items;
    for (uint16_t i = 0; i < depth; ++i, node = nodes_.below(node)) items.push_back(type_name(s_, nodes_.top(node)));
    std::reverse(items.begin(), items.end());
    return "[" + fmt::format("{}", fmt::join(items, ", ")) + "]";
  }

  bool merge(uint32_t target_offset) {
    const size_t i = static_cast<size_t>(index_at(target_offset));
    const int32_t slot = leader_[i];
    if (slot == 0) {  // first arrival
      states_.push_back(cur_);
      leader_[i] = static_cast<int32_t>(states_.size());
      worklist_.insert(i);
      return true;
    }
    State& there = states_[static_cast<size_t>(slot - 1)];
    if (there.depth != cur_.depth || there.stack != cur_.stack)
      return fail_at(target_offset, "paths meet with different stacks: {} and {}", stack_text(there.stack, there.depth),
                     stack_text(cur_.stack, cur_.depth));
    const std::bitset<kMaxLocals> both = there.init & cur_.init;
    if (both != there.init) {
      there.init = both;
      worklist_.insert(i);
    }
    return true;
  }

  StaticType pop() {
    const StaticType t = nodes_.top(cur_.stack);
    cur_.stack = nodes_.below(cur_.stack);
    --cur_.depth;
    return t;
  }
  StaticType peek() const { return nodes_.top(cur_.stack); }
  bool push(StaticType t) {
    if (cur_.depth >= block_.max_stack)
      return fail_at(at_, "stack depth {} exceeds max_stack {}", cur_.depth + 1, block_.max_stack);
    cur_.stack = nodes_.push(cur_.stack, t);
    ++cur_.depth;
    return true;
  }
  std::string tn(StaticType t) const { return type_name(s_, t); }

  static constexpr StaticType kBool{Type::boolean, 0};
  static constexpr StaticType kInt{Type::integer, 0};

  bool expect(StaticType got, StaticType want, std::string_view op, std::string_view role) {
    if (got == want) return true;
    return fail_at(at_, "{} expects {} `{}`, found `{}`", op, role, tn(want), tn(got));
  }
  bool type_operand(const Instr& in, std::initializer_list<Type> allowed, Type& out) {
    const std::string_view name = op_info(in.op).name;
    if (in.a > static_cast<uint16_t>(Type::list)) return fail_at(at_, "{} has invalid type operand {}", name, in.a);
    out = static_cast<Type>(in.a);
    if (std::find(allowed.begin(), allowed.end(), out) == allowed.end())
      return fail_at(at_, "{} is not defined on `{}`", name, type_word(out));
    return true;
  }
  // Two operands of the instruction's type operand, result of the same type.
  bool binary(const Instr& in, std::initializer_list<Type> allowed) {
    Type t;
    if (!type_operand(in, allowed, t)) return false;
    const StaticType rhs = pop(), lhs = pop();
    if (lhs != StaticType{t, 0} || rhs != StaticType{t, 0})
      return fail_at(at_, "{} expects two `{}` operands, found `{}`, `{}`", op_info(in.op).name, type_word(t), tn(lhs), tn(rhs));
    return push(StaticType{t, 0});
  }
  bool clause_operand(const Instr& in) {
    if (in.a >= p_.clauses.size())
      return fail_at(at_, "{} names clause {}, out of range ({} clauses)", op_info(in.op).name, in.a, p_.clauses.size());
    return true;
  }
  bool store_target(const Instr& in) {
    if (!clause_operand(in)) return false;
    const ClauseInfo& c = p_.clauses[in.a];
    if (c.item_scope != item_)
      return fail_at(at_, "{} {} targets a clause in {} scope from the {}", op_info(in.op).name, in.a,
                     c.item_scope ? "item" : "request", name_);
    if (in.op != Op::STORE_STATUS && c.kind != ClauseKind::deadline)
      return fail_at(at_, "{} {} targets a clause that is not a deadline", op_info(in.op).name, in.a);
    return true;
  }
  bool local_init(uint16_t a, std::string_view op) {
    if (!cur_.init[a]) return fail_at(at_, "{} reads local {} before it is set", op, a);
    return true;
  }
  bool iterator_locals(const Instr& in, StaticType list) {
    const std::string_view name = op_info(in.op).name;
    if (size_t{in.a} + 2 >= block_.locals.size())
      return fail_at(at_, "{} {} needs locals {}..{}, the block has {}", name, in.a, in.a, in.a + 2, block_.locals.size());
    const StaticType want_elem{Type::record, list.index};
    if (block_.locals[in.a] != list || block_.locals[in.a + 1u] != kInt || block_.locals[in.a + 2u] != want_elem)
      return fail_at(at_, "{} {} needs locals `{}`, `integer`, `{}`, declared `{}`, `{}`, `{}`", name, in.a, tn(list),
                     tn(want_elem), tn(block_.locals[in.a]), tn(block_.locals[in.a + 1u]), tn(block_.locals[in.a + 2u]));
    return true;
  }

  // Applies one instruction to cur_; returns whether execution continues to the next instruction.
  bool step(const Instr& in, bool& falls) {
    falls = true;
    const OpInfo& info = op_info(in.op);
    if (cur_.depth < info.pops)
      return fail_at(at_, "stack underflow: {} pops {}, the stack holds {}", info.name, info.pops, cur_.depth);
    const int expected_depth = cur_.depth - info.pops + info.pushes;

    switch (in.op) {
      case Op::PUSH_TRUE:
      case Op::PUSH_FALSE:
        if (!push(kBool)) return false;
        break;
      case Op::CONST: {
        if (in.a >= p_.constants.size())
          return fail_at(at_, "CONST {} out of range ({} constants)", in.a, p_.constants.size());
        const Value& v = p_.constants[in.a];
        StaticType t;
        switch (v.tag) {
          case Tag::boolean: t = {Type::boolean, 0}; break;
          case Tag::integer: t = {Type::integer, 0}; break;
          case Tag::decimal: t = {Type::decimal, 0}; break;
          case Tag::string: t = {Type::string, 0}; break;
          case Tag::enumeration: t = {Type::enumeration, v.aux}; break;
          case Tag::set: t = {Type::set, v.aux}; break;
          case Tag::date: t = {Type::date, 0}; break;
          case Tag::datetime: t = {Type::datetime, 0}; break;
          case Tag::duration: t = {Type::duration, 0}; break;
          case Tag::unknown: case Tag::record: case Tag::list:
            return fail_at(at_, "CONST {} is not a constant value", in.a);
        }
        if (!push(t)) return false;
        break;
      }
      case Op::LOAD_INPUT: {
        const auto leaf = v_.index_.leaf(s_.root_record, in.a);
        if (!leaf) return fail_at(at_, "LOAD_INPUT {} is not a field slot of the root record `{}`", in.a, s_.records[s_.root_record].name);
        if (!push(leaf->type)) return false;
        break;
      }
      case Op::LOAD_LOCAL:
        if (in.a >= block_.locals.size())
          return fail_at(at_, "LOAD_LOCAL {} out of range ({} locals)", in.a, block_.locals.size());
        if (!local_init(in.a, "LOAD_LOCAL") || !push(block_.locals[in.a])) return false;
        break;
      case Op::LOAD_FIELD: {
        const StaticType r = pop();
        if (r.type != Type::record) return fail_at(at_, "LOAD_FIELD expects a record, found `{}`", tn(r));
        const auto leaf = v_.index_.leaf(r.index, in.a);
        if (!leaf) return fail_at(at_, "LOAD_FIELD {} is not a field slot of `{}`", in.a, tn(r));
        if (v_.field_records_) (*v_.field_records_)[in.offset] = r.index;
        if (!push(leaf->type)) return false;
        break;
      }
      case Op::LOAD_STATUS:
        if (!clause_operand(in)) return false;
        if (!item_ && p_.clauses[in.a].item_scope)
          return fail_at(at_, "LOAD_STATUS {} reads an item-scope clause from the request block", in.a);
        if (!push(kBool)) return false;
        break;
      case Op::STORE_STATUS:
        if (!store_target(in) || !expect(pop(), kBool, "STORE_STATUS", "a")) return false;
        break;
      case Op::STORE_VALUE:
      case Op::STORE_EVENT: {
        if (!store_target(in)) return false;
        const StaticType t = pop();
        if (t != StaticType{Type::date, 0} && t != StaticType{Type::datetime, 0})
          return fail_at(at_, "{} expects a `date` or `datetime`, found `{}`", info.name, tn(t));
        break;
      }
      case Op::POP:
        pop();
        break;
      case Op::NOT:
      case Op::IS_KNOWN: {
        const StaticType t = pop();
        if (in.op == Op::NOT && !expect(t, kBool, "NOT", "a")) return false;
        if (!push(kBool)) return false;
        break;
      }
      case Op::AND:
      case Op::OR:
      case Op::ACC_ANY:
      case Op::ACC_ALL: {
        const StaticType rhs = pop(), lhs = pop();
        if (lhs != kBool || rhs != kBool)
          return fail_at(at_, "{} expects two `boolean` operands, found `{}`, `{}`", info.name, tn(lhs), tn(rhs));
        if (!push(kBool)) return false;
        break;
      }
      case Op::ACC_COUNT: {
        const StaticType cond = pop(), acc = pop();
        if (acc != kInt || cond != kBool)
          return fail_at(at_, "ACC_COUNT expects `integer`, `boolean`, found `{}`, `{}`", tn(acc), tn(cond));
        if (!push(kInt)) return false;
        break;
      }
      case Op::JUMP:
        if (!merge(static_cast<uint32_t>(target_of(in)))) return false;
        falls = false;
        break;
      case Op::JUMP_IF_FALSE_KEEP:
      case Op::JUMP_IF_TRUE_KEEP:
        if (!expect(peek(), kBool, info.name, "a")) return false;
        if (!merge(static_cast<uint32_t>(target_of(in)))) return false;
        break;
      case Op::JUMP_UNLESS_TRUE:
        if (!expect(pop(), kBool, info.name, "a")) return false;
        if (!merge(static_cast<uint32_t>(target_of(in)))) return false;
        break;
      case Op::CMP: {
        if (in.a > static_cast<uint16_t>(CmpOp::ge)) return fail_at(at_, "CMP has invalid comparison operator {}", in.a);
        if (in.b > static_cast<uint16_t>(Type::list)) return fail_at(at_, "CMP has invalid type operand {}", in.b);
        const CmpOp cmp = static_cast<CmpOp>(in.a);
        const Type t = static_cast<Type>(in.b);
        if (t == Type::record || t == Type::list) return fail_at(at_, "CMP cannot compare `{}` values", type_word(t));
        (void)cmp;  // every scalar type has an order in the VM: false < true, ordinals, set inclusion
        const StaticType rhs = pop(), lhs = pop();
        if (lhs.type != t || rhs.type != t || lhs != rhs)
          return fail_at(at_, "CMP expects two `{}` operands, found `{}`, `{}`", type_word(t), tn(lhs), tn(rhs));
        if (!push(kBool)) return false;
        break;
      }
      case Op::IN_SET: {
        const StaticType set = pop(), member = pop();
        if (set.type != Type::set || member != StaticType{Type::enumeration, set.index})
          return fail_at(at_, "IN_SET expects an enumeration and a set of it, found `{}`, `{}`", tn(member), tn(set));
        if (!push(kBool)) return false;
        break;
      }
      case Op::ADD:
        if (!binary(in, {Type::integer, Type::decimal, Type::duration})) return false;
        break;
      case Op::SUB:
      case Op::MUL:
      case Op::DIV:
        if (!binary(in, {Type::integer, Type::decimal})) return false;
        break;
      case Op::MIN:
      case Op::MAX:
        if (!binary(in, {Type::integer, Type::decimal, Type::date, Type::datetime})) return false;
        break;
      case Op::NEG: {
        Type t;
        if (!type_operand(in, {Type::integer, Type::decimal}, t)) return false;
        if (!expect(pop(), StaticType{t, 0}, "NEG", "a") || !push(StaticType{t, 0})) return false;
        break;
      }
      case Op::PERIOD_END: {
        // Operand: low nibble the start's type (date or datetime); high nibble the result's, which the
        // compiler knows from the duration's unit (date for days and longer, datetime for hours); 0 = same
        // as the start.
        const uint16_t start_code = in.a & 0x0f, result_code = in.a >> 4;
        if (start_code != static_cast<uint16_t>(Type::date) && start_code != static_cast<uint16_t>(Type::datetime))
          return fail_at(at_, "PERIOD_END start type operand {} is not `date` or `datetime`", start_code);
        if (result_code != 0 && result_code != static_cast<uint16_t>(Type::date) &&
            result_code != static_cast<uint16_t>(Type::datetime))
          return fail_at(at_, "PERIOD_END result type operand {} is not `date` or `datetime`", result_code);
        const StaticType start_type{static_cast<Type>(start_code), 0};
        const StaticType result_type = result_code == 0 ? start_type : StaticType{static_cast<Type>(result_code), 0};
        const StaticType length = pop(), start = pop();
        if (start != start_type || length != StaticType{Type::duration, 0})
          return fail_at(at_, "PERIOD_END expects `{}`, `duration`, found `{}`, `{}`", tn(start_type), tn(start), tn(length));
        if (!push(result_type)) return false;
        break;
      }
      case Op::SELECT: {
        const StaticType otherwise = pop(), then = pop(), cond = pop();
        if (!expect(cond, kBool, "SELECT", "a condition")) return false;
        if (then != otherwise)
          return fail_at(at_, "SELECT expects two branches of one type, found `{}`, `{}`", tn(then), tn(otherwise));
        if (!push(then)) return false;
        break;
      }
      case Op::ITER_INIT: {
        const StaticType list = pop();
        if (list.type != Type::list) return fail_at(at_, "ITER_INIT expects a list, found `{}`", tn(list));
        if (!iterator_locals(in, list)) return false;
        cur_.init.set(in.a);
        cur_.init.set(in.a + 1u);
        break;
      }
      case Op::ITER_NEXT: {
        if (in.a >= block_.locals.size() || block_.locals[in.a].type != Type::list)
          return fail_at(at_, "ITER_NEXT {} is not an iterator local", in.a);
        if (!iterator_locals(in, block_.locals[in.a])) return false;
        if (!local_init(in.a, "ITER_NEXT") || !local_init(in.a + 1u, "ITER_NEXT")) return false;
        if (!merge(static_cast<uint32_t>(target_of(in)))) return false;  // exhausted: element not set
        cur_.init.set(in.a + 2u);
        break;
      }
      case Op::LOOP:
        if (!merge(static_cast<uint32_t>(target_of(in)))) return false;
        falls = false;
        break;
      case Op::RET:
        if (cur_.depth != 0) return fail_at(at_, "RET with {} value(s) left on the stack: {}", cur_.depth, stack_text(cur_.stack, cur_.depth));
        falls = false;
        break;
    }
    if (cur_.depth != expected_depth)
      return fail_at(at_, "internal: {} changed the stack depth by {}, opcodes.def says {}", info.name,
                     cur_.depth - (expected_depth - info.pushes + info.pops), info.pushes - info.pops);
    return true;
  }

  bool interpret() {
    State entry;
    if (item_) entry.init.set(0);
    states_.push_back(entry);
    leader_[0] = 1;
    worklist_.insert(0);
    while (!worklist_.empty()) {
      size_t i = *worklist_.begin();
      worklist_.erase(worklist_.begin());
      cur_ = states_[static_cast<size_t>(leader_[i] - 1)];
      for (;;) {
        const Instr& in = instrs_[i];
        at_ = in.offset;
        bool falls = false;
        if (!step(in, falls)) return false;
        if (!falls) break;
        ++i;
        if (i == instrs_.size()) return fail_at(in.offset, "execution falls off the end of the block");
        if (leader_[i] >= 0) {
          if (!merge(instrs_[i].offset)) return false;
          break;
        }
      }
    }
    return true;
  }

  Verifier& v_;
  const Program& p_;
  const Schema& s_;
  const Block& block_;
  bool item_;
  std::string_view name_;
  std::vector<Instr> instrs_;
  std::vector<int32_t> leader_;  // per instruction: -1 not a jump target, 0 target not yet reached, k: states_[k-1]
  std::vector<State> states_;
  std::set<size_t> worklist_;   // instruction indices, lowest first: forward code settles in one pass
  StackNodes nodes_;
  State cur_;
  uint32_t at_ = 0;
};

bool Verifier::check_blocks() {
  if (!BlockVerifier(*this, p_.request_block, false, "request block").run()) return false;
  if (p_.item_block.length == 0) {
    if (p_.items_slot != -1) return fail("item block: empty, but the program decides each item of slot {}", p_.items_slot);
    for (size_t i = 0; i < p_.clauses.size(); ++i)
      if (p_.clauses[i].item_scope) return fail("item block: empty, but clause {} is in item scope", i);
    return true;
  }
  return BlockVerifier(*this, p_.item_block, true, "item block").run();
}

}  // namespace

std::string verify_with_analysis(const Program& program, std::map<uint32_t, uint16_t>* load_field_records) {
  std::string error = Verifier(program, load_field_records).run();
  if (!error.empty() && load_field_records) load_field_records->clear();
  return error;
}

}  // namespace comity::bundle

namespace comity {
std::string verify(const Program& program) { return bundle::verify_with_analysis(program, nullptr); }
}  // namespace comity

// vm.cpp: the bytecode interpreter (Kleene logic with fact masks, exact arithmetic, legal periods) and
// its value rendering. Assumes a VERIFIED program: no bounds or type checks in the hot loop. Knows
// nothing of JSON or of how statuses become a decision.
#include "comity/vm.h"

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <array>
#include <limits>

#include "comity/civil.h"
#include "comity/decision.h"
#include "comity/opcodes.h"
#include "comity/periods.h"
#include "translate.h"

namespace comity {

// ---- state ----------------------------------------------------------------
VmState::VmState() = default;
VmState::~VmState() = default;
VmState::VmState(VmState&&) noexcept = default;
VmState& VmState::operator=(VmState&&) noexcept = default;

void VmState::prepare(const Program& program) {
  const size_t clauses = program.clauses.size();
  // Same object and same content: a Program freed and another built at the same address must not reuse tables.
  if (prepared_for_ == &program && statuses.size() == clauses && prepared_hash_ == program.content_hash) return;
  prepared_for_ = &program;
  prepared_hash_ = program.content_hash;
  calendar_ = nullptr;
  calendar_code_size_ = 0xff;
  const size_t stack = std::max(program.request_block.max_stack, program.item_block.max_stack) + size_t{1};
  stack_.assign(stack, Value{});
  locals_.assign(std::max({program.request_block.locals.size(), program.item_block.locals.size(), size_t{1}}),
                 Value{});
  statuses.assign(clauses, Value::unknown(0));
  due.assign(clauses, Value::unknown(0));
  events.assign(clauses, Value::unknown(0));
  request_clauses_.clear();
  item_clauses_.clear();
  request_grounds_.clear();
  item_grounds_.clear();
  request_extras_.clear();
  item_extras_.clear();
  request_resets_.clear();
  item_resets_.clear();
  name_id_.assign(clauses, 0);
  std::vector<std::string_view> names;
  for (size_t i = 0; i < clauses; ++i) {
    const ClauseInfo& info = program.clauses[i];
    const uint16_t c = static_cast<uint16_t>(i);
    (info.item_scope ? item_clauses_ : request_clauses_).push_back(c);
    switch (info.kind) {
      case ClauseKind::refuse_mandatory:
      case ClauseKind::refuse_optional:
      case ClauseKind::postpone:
      case ClauseKind::return_:
      case ClauseKind::use_other_measure:
      case ClauseKind::impossible:
      case ClauseKind::review:
      case ClauseKind::condition:
        (info.item_scope ? item_grounds_ : request_grounds_)
            .push_back({c, static_cast<uint8_t>(clause_effect(info.kind))});
        if (info.kind != ClauseKind::condition) break;
        [[fallthrough]];
      case ClauseKind::deadline:
      case ClauseKind::obligation:
        (info.item_scope ? item_extras_ : request_extras_).push_back(c);
        if (info.kind == ClauseKind::deadline) (info.item_scope ? item_resets_ : request_resets_).push_back(c);
        break;
      case ClauseKind::exception: break;
    }
    auto it = std::find(names.begin(), names.end(), std::string_view(info.name));
    name_id_[i] = static_cast<uint16_t>(it - names.begin());
    if (it == names.end()) names.push_back(info.name);
  }
  const auto& facts = program.schema.facts;
  std::vector<uint16_t> order(facts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint16_t>(i);
  std::sort(order.begin(), order.end(), [&](uint16_t a, uint16_t b) {
    return facts[a].path != facts[b].path ? facts[a].path < facts[b].path : a < b;
  });
  fact_rank_.assign(facts.size(), 0);
  for (size_t r = 0; r < order.size(); ++r) fact_rank_[order[r]] = static_cast<uint16_t>(r);
  problems.reserve(kMaxProblems);
  kind_offset_ = -1;
  if (program.items_slot >= 0 && program.item_record < program.schema.records.size())
    for (const FieldInfo& f : program.schema.records[program.item_record].fields)
      if (f.name == "kind" && f.type.type == Type::enumeration) { kind_offset_ = f.offset; break; }
  scratch_true_.reserve(request_grounds_.size());
  scratch_unknown_.reserve(request_grounds_.size());
  scratch_item_unknown_.reserve(item_grounds_.size());
  if (!translated_) translated_ = std::make_unique<vm::Translated>();
  vm::translate(program, *translated_);
  fault.message.reserve(160);
}

void VmState::reset_all() {
  // unknown(0) is all zero bytes (tag 0, empty mask): clear the arrays as memory.
  static_assert(static_cast<int>(Tag::unknown) == 0);
  static_assert(std::is_trivially_copyable_v<Value>);
  std::memset(static_cast<void*>(statuses.data()), 0, statuses.size() * sizeof(Value));
  std::memset(static_cast<void*>(due.data()), 0, due.size() * sizeof(Value));
  std::memset(static_cast<void*>(events.data()), 0, events.size() * sizeof(Value));
}

// Statuses are always stored before they are read in compiled code; resetting them keeps a run
// deterministic whatever a (verified) bundle does. Due values and events are read only for deadlines.
void VmState::reset_scope(bool item_scope) {
  for (uint16_t c : item_scope ? item_clauses_ : request_clauses_) statuses[c] = Value::unknown(0);
  for (uint16_t c : item_scope ? item_resets_ : request_resets_) {
    due[c] = Value::unknown(0);
    events[c] = Value::unknown(0);
  }
}

namespace vm {
namespace {

__extension__ typedef __int128 i128;

// ---- durations ------------------------------------------------------------
// Days from 2000-01-01 to the first of month n (n = 0 is January 2000), for one 400-year cycle.
const std::array<int32_t, 4801>& month_starts() {
  static const std::array<int32_t, 4801> table = [] {
    std::array<int32_t, 4801> t{};
    const Days base = days_from_civil(2000, 1, 1);
    for (int n = 0; n <= 4800; ++n)
      t[static_cast<size_t>(n)] = days_from_civil(2000 + n / 12, static_cast<unsigned>(n % 12 + 1), 1) - base;
    return t;
  }();
  return table;
}
int64_t month_start(int64_t n) {
  return (n / 4800) * 146097 + month_starts()[static_cast<size_t>(n % 4800)];
}

struct Interval {
  int64_t lo, hi;
};

// Coarse bounds: m months deviate from m × (146097 / 4800) days by at most 5 days (the deviation is
// periodic in 4800 months; vm_test checks every m up to 4800 against month_day_bounds). Enough to
// answer most comparisons without the exact scan.
Interval coarse_month_days(int64_t months) {
  const int64_t num = months * 146097;
  return {num / 4800 - 5, (num + 4799) / 4800 + 5};
}

Interval duration_interval(int64_t months, int64_t days, int64_t hours, bool in_hours, bool exact) {
  Interval m{0, 0};
  if (months > 0) {
    if (exact) month_day_bounds(months, m.lo, m.hi);
    else m = coarse_month_days(months);
  }
  Interval d{m.lo + days, m.hi + days};
  if (!in_hours) return d;
  return {d.lo * 23 + hours, d.hi * 25 + hours};
}

// The answer of `x op y` for every x - y in [lo, hi]: 1 true, 0 false, -1 depends.
int decide_range(CmpOp op, int64_t lo, int64_t hi) {
  switch (op) {
    case CmpOp::lt: return hi < 0 ? 1 : lo >= 0 ? 0 : -1;
    case CmpOp::le: return hi <= 0 ? 1 : lo > 0 ? 0 : -1;
    case CmpOp::gt: return lo > 0 ? 1 : hi <= 0 ? 0 : -1;
    case CmpOp::ge: return lo >= 0 ? 1 : hi < 0 ? 0 : -1;
    case CmpOp::eq: return (lo == 0 && hi == 0) ? 1 : (hi < 0 || lo > 0) ? 0 : -1;
    case CmpOp::ne: return (lo == 0 && hi == 0) ? 0 : (hi < 0 || lo > 0) ? 1 : -1;
  }
  return -1;
}

template <typename T>
inline __attribute__((always_inline)) bool apply_cmp(CmpOp op, const T& x, const T& y) {
  switch (op) {
    case CmpOp::eq: return x == y;
    case CmpOp::ne: return x != y;
    case CmpOp::lt: return x < y;
    case CmpOp::le: return x <= y;
    case CmpOp::gt: return x > y;
    case CmpOp::ge: return x >= y;
  }
  return false;
}

std::string duration_text(const Value& v) {
  std::string s = format_duration(Duration{v.duration_months(), v.duration_days(), v.duration_hours(), false});
  if (v.working_days()) s += " working days";
  return s;
}

}  // namespace

void month_day_bounds(int64_t months, int64_t& lo, int64_t& hi) {
  lo = std::numeric_limits<int64_t>::max();
  hi = std::numeric_limits<int64_t>::min();
  if (months <= 0) { lo = hi = 0; return; }
  for (int64_t s = 0; s < 4800; ++s) {
    const int64_t d = month_start(s + months) - month_start(s);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
}

bool duration_cmp(CmpOp op, const Value& a, const Value& b, bool& result, std::string& message) {
  int64_t am = a.duration_months(), ad = a.duration_days(), ah = a.duration_hours();
  int64_t bm = b.duration_months(), bd = b.duration_days(), bh = b.duration_hours();
  const bool a_zero = am == 0 && ad == 0 && ah == 0, b_zero = bm == 0 && bd == 0 && bh == 0;
  if (a.working_days() != b.working_days() && !a_zero && !b_zero) {
    message = "cannot compare `" + duration_text(a) + "` with `" + duration_text(b) +
              "`: working days depend on the calendar";
    return false;
  }
  // Both periods run from the same moment: common whole months, days and hours cancel.
  const int64_t cm = std::min(am, bm), cd = std::min(ad, bd), ch = std::min(ah, bh);
  am -= cm; bm -= cm; ad -= cd; bd -= cd; ah -= ch; bh -= ch;
  const bool in_hours = ah != 0 || bh != 0;
  for (bool exact : {false, true}) {
    const Interval x = duration_interval(am, ad, ah, in_hours, exact);
    const Interval y = duration_interval(bm, bd, bh, in_hours, exact);
    const int answer = decide_range(op, x.lo - y.hi, x.hi - y.lo);
    if (answer >= 0) { result = answer == 1; return true; }
    if (am == 0 && bm == 0) break;  // no months: the exact scan would not narrow anything
  }
  message = "cannot compare `" + duration_text(a) + "` with `" + duration_text(b) + "`: ";
  message += (am != 0 || bm != 0) ? (in_hours && (am == 0 || bm == 0) && ad == 0 && bd == 0
                                          ? "a month is not a fixed number of hours"
                                          : "a month is not a fixed number of days")
                                  : "a day is not a fixed number of hours";
  return false;
}

namespace {

// ---- arithmetic -----------------------------------------------------------
bool fits(i128 v) { return v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max(); }

// n / d rounded half to even (banker's rounding), d != 0.
i128 div_half_even(i128 n, i128 d) {
  if (d < 0) { n = -n; d = -d; }
  i128 q = n / d, r = n % d;
  if (r < 0) { r += d; q -= 1; }  // floor division: 0 <= r < d
  const i128 twice = 2 * r;
  if (twice > d || (twice == d && (q & 1) != 0)) q += 1;
  return q;
}

int32_t clause_at_or_after(const Program& program, const Block& block, uint32_t pc) {
  const uint8_t* code = program.code.data();
  const uint32_t end = block.offset + block.length;
  while (pc < end) {
    const auto in = decode(code, end, pc);
    if (!in) break;
    if (in->op == Op::STORE_STATUS || in->op == Op::STORE_VALUE || in->op == Op::STORE_EVENT) return in->a;
    pc = in->next();
  }
  return -1;
}

inline Value unknown2(const Value& x, const Value& y) { return Value::unknown(x.mask() | y.mask()); }

inline Value kleene_and(const Value& x, const Value& y) {
  if (x.is_false() || y.is_false()) return Value::boolean(false);
  if (x.is_unknown() || y.is_unknown()) return unknown2(x, y);
  return Value::boolean(true);
}
inline Value kleene_or(const Value& x, const Value& y) {
  if (x.is_true() || y.is_true()) return Value::boolean(true);
  if (x.is_unknown() || y.is_unknown()) return unknown2(x, y);
  return Value::boolean(false);
}

// The run loop's context: what a fault needs to say where it happened.
struct Run {
  const Program& program;
  const Block& block;
  const Facts& facts;
  VmState& state;
  uint32_t pc = 0;  // absolute offset of the current instruction

  bool fail(std::string message) {
    state.fault.message = std::move(message);
    state.fault.clause = clause_at_or_after(program, block, pc);
    return false;
  }
  std::string type_word(uint8_t t) const {
    switch (static_cast<Type>(t)) {
      case Type::boolean: return "bool";
      case Type::integer: return "int";
      case Type::decimal: return "decimal";
      case Type::string: return "string";
      case Type::enumeration: return "enum";
      case Type::set: return "set";
      case Type::date: return "date";
      case Type::datetime: return "datetime";
      case Type::duration: return "duration";
      case Type::record: return "record";
      case Type::list: return "list";
    }
    return "value";
  }

  // Compares two known values of static type t.
  bool compare(CmpOp op, uint8_t t, const Value& x, const Value& y, bool& out) {
    switch (static_cast<Type>(t)) {
      case Type::boolean: out = apply_cmp(op, x.a, y.a); return true;
      case Type::integer:
      case Type::decimal: out = apply_cmp(op, x.b, y.b); return true;
      case Type::enumeration: out = apply_cmp(op, x.a, y.a); return true;
      case Type::date: out = apply_cmp(op, x.a, y.a); return true;
      case Type::datetime: out = apply_cmp(op, x.b, y.b); return true;  // the instant, not the wall clock
      case Type::string: out = apply_cmp(op, facts.string_at(program, x), facts.string_at(program, y)); return true;
      case Type::set: {
        const uint64_t p = static_cast<uint64_t>(x.b), q = static_cast<uint64_t>(y.b);
        switch (op) {  // the order of sets is inclusion
          case CmpOp::eq: out = p == q; break;
          case CmpOp::ne: out = p != q; break;
          case CmpOp::le: out = (p & ~q) == 0; break;
          case CmpOp::lt: out = (p & ~q) == 0 && p != q; break;
          case CmpOp::ge: out = (q & ~p) == 0; break;
          case CmpOp::gt: out = (q & ~p) == 0 && p != q; break;
        }
        return true;
      }
      case Type::duration: {
        if (x.a == y.a && x.b == y.b && x.flags == y.flags) { out = apply_cmp(op, 0, 0); return true; }
        std::string message;
        if (duration_cmp(op, x, y, out, message)) return true;
        return fail(std::move(message));
      }
      case Type::record:
      case Type::list: return fail("cannot compare a " + type_word(t));
    }
    return fail("cannot compare a " + type_word(t));
  }

  bool arith(Op op, uint8_t t, const Value& x, const Value& y, Value& out) {
    switch (static_cast<Type>(t)) {
      case Type::integer: {
        int64_t r = 0;
        bool overflow = false;
        switch (op) {
          case Op::ADD: overflow = __builtin_add_overflow(x.b, y.b, &r); break;
          case Op::SUB: overflow = __builtin_sub_overflow(x.b, y.b, &r); break;
          case Op::MUL: overflow = __builtin_mul_overflow(x.b, y.b, &r); break;
          case Op::DIV:
            if (y.b == 0) return fail("division by zero");
            if (x.b == std::numeric_limits<int64_t>::min() && y.b == -1) overflow = true;
            else r = x.b / y.b;
            break;
          default: break;
        }
        if (overflow)
          return fail("integer overflow in `" + std::to_string(x.b) + " " + op_symbol(op) + " " + std::to_string(y.b) + "`");
        out = Value::integer(r);
        return true;
      }
      case Type::decimal: {
        i128 r = 0;
        switch (op) {
          case Op::ADD: r = static_cast<i128>(x.b) + y.b; break;
          case Op::SUB: r = static_cast<i128>(x.b) - y.b; break;
          case Op::MUL: r = div_half_even(static_cast<i128>(x.b) * y.b, kDecimalScale); break;
          case Op::DIV:
            if (y.b == 0) return fail("division by zero");
            r = div_half_even(static_cast<i128>(x.b) * kDecimalScale, y.b);
            break;
          default: break;
        }
        if (!fits(r))
          return fail("decimal overflow in `" + render_value(program, facts, x) + " " + op_symbol(op) + " " +
                      render_value(program, facts, y) + "`");
        out = Value::decimal_scaled(static_cast<int64_t>(r));
        return true;
      }
      case Type::duration: {
        if (op != Op::ADD) break;
        if (x.working_days() != y.working_days())
          return fail("cannot add `" + duration_text(x) + "` to `" + duration_text(y) +
                      "`: working days and calendar days do not mix");
        int32_t m = 0, d = 0, h = 0;
        if (__builtin_add_overflow(x.duration_months(), y.duration_months(), &m) ||
            __builtin_add_overflow(x.duration_days(), y.duration_days(), &d) ||
            __builtin_add_overflow(x.duration_hours(), y.duration_hours(), &h))
          return fail("duration overflow in `" + duration_text(x) + " + " + duration_text(y) + "`");
        out = Value::duration(m, d, h, x.working_days());
        return true;
      }
      case Type::boolean:
      case Type::string:
      case Type::enumeration:
      case Type::set:
      case Type::date:
      case Type::datetime:
      case Type::record:
      case Type::list: break;
    }
    return fail(std::string("cannot apply `") + op_symbol(op) + "` to a " + type_word(t));
  }

  static const char* op_symbol(Op op) {
    switch (op) {
      case Op::ADD: return "+";
      case Op::SUB: return "-";
      case Op::MUL: return "*";
      case Op::DIV: return "/";
      default: return "?";
    }
  }

  // t: the start's Type; result: the Type the compiler expects (date or datetime; 0 = not stated).
  bool period_end(uint8_t t, uint8_t result, const Value& start, const Value& length, Value& out) {
    const periods::HolidayCalendar* calendar = nullptr;
    std::string_view code;
    if (program.calendar_slot >= 0) {
      const Value& state_code = facts.slots[static_cast<size_t>(program.calendar_slot)];
      if (state_code.is_unknown()) { out = Value::unknown(state_code.mask() | start.mask() | length.mask()); return true; }
      code = facts.string_at(program, state_code);
      const bool cached = state.calendar_code_size_ == code.size() &&
                          std::string_view(state.calendar_code_, code.size()) == code;
      if (!cached) {
        state.calendar_ = nullptr;
        for (const auto& c : program.calendars)
          if (c.code() == code) { state.calendar_ = &c; break; }
        if (code.size() <= sizeof state.calendar_code_) {
          std::copy(code.begin(), code.end(), state.calendar_code_);
          state.calendar_code_size_ = static_cast<uint8_t>(code.size());
        } else {
          state.calendar_code_size_ = 0xff;
        }
      }
      calendar = static_cast<const periods::HolidayCalendar*>(state.calendar_);
    }
    const periods::PeriodStart from = static_cast<Type>(t) == Type::datetime
                                          ? periods::PeriodStart::at(Instant{start.b, start.a})
                                          : periods::PeriodStart::on(start.a);
    const Duration d{length.duration_months(), length.duration_days(), length.duration_hours(), length.working_days()};
    const periods::PeriodResult r = periods::period_end(program.convention, calendar, from, d);
    if (!r.ok()) {
      const bool data_problem = r.error == periods::PeriodError::outside_calendar ||
                                r.error == periods::PeriodError::unsettled_month_end ||
                                (r.error == periods::PeriodError::no_calendar && program.calendar_slot >= 0);
      if (data_problem) {  // the decision goes on; the deadline is reported as not computable
        if (state.problems.size() < VmState::kMaxProblems)
          state.problems.push_back({clause_at_or_after(program, block, pc), state.trace_item, static_cast<uint8_t>(r.error), start, length});
        out = Value::unknown(0);
        return true;
      }
      return fail(std::string(periods::describe(r.error)) + " (`" + render_value(program, facts, start) + "` + `" +
                  duration_text(length) + "`)");
    }
    out = r.end.kind == periods::PeriodEnd::Kind::date ? Value::date(r.end.date)
                                                       : Value::datetime(r.end.instant.utc_seconds, r.end.instant.offset_minutes);
    const Type got = r.end.kind == periods::PeriodEnd::Kind::date ? Type::date : Type::datetime;
    if ((result == static_cast<uint8_t>(Type::date) || result == static_cast<uint8_t>(Type::datetime)) &&
        static_cast<Type>(result) != got)
      return fail("the period `" + duration_text(length) + "` from `" + render_value(program, facts, start) + "` ends " +
                  (got == Type::date ? "on a day" : "at an instant") + ", but " +
                  (got == Type::date ? "an instant" : "a date") + " is expected here");
    return true;
  }

  // ---- tracing (only instantiated in the traced loop) ----
  void note(std::string path, const Value& v) {
    for (const auto& f : state.pending_facts_)
      if (f.path == path) return;
    state.pending_facts_.push_back({std::move(path), render_value(program, facts, v)});
  }
  void note_slot(int32_t slot, const Value& v) { note(slot_path(program, facts, slot), v); }
  TraceEntry& entry_for(uint16_t clause) {
    auto& trace = state.trace;
    if (trace.empty() || trace.back().clause != clause || trace.back().item != state.trace_item) {
      TraceEntry e;
      e.clause = clause;
      e.item = state.trace_item;
      e.status = Value::unknown(0);
      e.due = e.event = Value::unknown(0);
      trace.push_back(std::move(e));
    }
    TraceEntry& e = trace.back();
    for (auto& f : state.pending_facts_) e.facts.push_back(std::move(f));
    state.pending_facts_.clear();
    return e;
  }
};

std::string clause_name(const Program& program, uint16_t c) {
  const ClauseInfo& info = program.clauses[c];
  std::string s = "status of ";
  s += info.article < program.articles.size() ? program.articles[info.article].citation : "?";
  if (!info.label.empty()) s += " " + info.label;
  else if (!info.name.empty()) s += " " + info.name;
  return s;
}

template <bool kTrace>
bool run_loop(const Program& program, const Block& block, const Facts& facts, VmState& state) {
  Run run{program, block, facts, state};
  const uint8_t* const code = program.code.data();
  const Value* const slots = facts.slots.data();
  Value* const stack = state.stack_.data();
  Value* const locals = state.locals_.data();
  Value* sp = stack;  // next free
  uint32_t pc = block.offset;

  auto u8 = [&](uint32_t at) -> uint16_t { return code[at]; };
  auto u16 = [&](uint32_t at) -> uint16_t { return static_cast<uint16_t>(code[at] | (code[at + 1] << 8)); };
  auto j16 = [&](uint32_t at) -> int32_t { return static_cast<int16_t>(u16(at)); };

  for (;;) {
    const Op op = static_cast<Op>(code[pc]);
    switch (op) {
      case Op::PUSH_TRUE: *sp++ = Value::boolean(true); pc += 1; break;
      case Op::PUSH_FALSE: *sp++ = Value::boolean(false); pc += 1; break;
      case Op::CONST: *sp++ = program.constants[u16(pc + 1)]; pc += 3; break;
      case Op::LOAD_INPUT: {
        const uint16_t slot = u16(pc + 1);
        *sp++ = slots[slot];
        if constexpr (kTrace) run.note_slot(slot, slots[slot]);
        pc += 3;
        break;
      }
      case Op::LOAD_LOCAL: *sp++ = locals[u8(pc + 1)]; pc += 2; break;
      case Op::LOAD_FIELD: {
        Value& top = sp[-1];
        if (top.tag == Tag::record) {
          const int32_t slot = top.a + u16(pc + 1);
          top = slots[slot];
          if constexpr (kTrace) run.note_slot(slot, slots[slot]);
        }  // an unknown record stays unknown with its mask
        pc += 3;
        break;
      }
      case Op::LOAD_STATUS: {
        const uint16_t c = u16(pc + 1);
        *sp++ = state.statuses[c];
        if constexpr (kTrace) run.note(clause_name(program, c), state.statuses[c]);
        pc += 3;
        break;
      }
      case Op::STORE_STATUS: {
        const uint16_t c = u16(pc + 1);
        state.statuses[c] = *--sp;
        if constexpr (kTrace) run.entry_for(c).status = state.statuses[c];
        pc += 3;
        break;
      }
      case Op::STORE_VALUE: {
        const uint16_t c = u16(pc + 1);
        state.due[c] = *--sp;
        if constexpr (kTrace) run.entry_for(c).due = state.due[c];
        pc += 3;
        break;
      }
      case Op::STORE_EVENT: {
        const uint16_t c = u16(pc + 1);
        state.events[c] = *--sp;
        if constexpr (kTrace) run.entry_for(c).event = state.events[c];
        pc += 3;
        break;
      }
      case Op::POP: --sp; pc += 1; break;
      case Op::NOT: {
        Value& top = sp[-1];
        if (top.tag == Tag::boolean) top.a = top.a ? 0 : 1;
        pc += 1;
        break;
      }
      case Op::AND: { const Value y = *--sp; sp[-1] = kleene_and(sp[-1], y); pc += 1; break; }
      case Op::OR: { const Value y = *--sp; sp[-1] = kleene_or(sp[-1], y); pc += 1; break; }
      case Op::IS_KNOWN: sp[-1] = Value::boolean(!sp[-1].is_unknown()); pc += 1; break;
      case Op::JUMP: pc = static_cast<uint32_t>(static_cast<int64_t>(pc) + 3 + j16(pc + 1)); break;
      case Op::JUMP_IF_FALSE_KEEP:
        pc = sp[-1].is_false() ? static_cast<uint32_t>(static_cast<int64_t>(pc) + 3 + j16(pc + 1)) : pc + 3;
        break;
      case Op::JUMP_IF_TRUE_KEEP:
        pc = sp[-1].is_true() ? static_cast<uint32_t>(static_cast<int64_t>(pc) + 3 + j16(pc + 1)) : pc + 3;
        break;
      case Op::JUMP_UNLESS_TRUE: {
        const bool t = (--sp)->is_true();
        pc = t ? pc + 3 : static_cast<uint32_t>(static_cast<int64_t>(pc) + 3 + j16(pc + 1));
        break;
      }
      case Op::CMP: {
        const Value y = *--sp;
        Value& x = sp[-1];
        if (x.is_unknown() || y.is_unknown()) {
          x = unknown2(x, y);
        } else {
          const CmpOp cmp = static_cast<CmpOp>(code[pc + 1]);
          const Type t = static_cast<Type>(code[pc + 2]);
          bool r = false;
          // The common cases inline: enum words, booleans and dates compare `a`, integers `b`.
          if (t == Type::enumeration || t == Type::boolean || t == Type::date) {
            r = apply_cmp(cmp, x.a, y.a);
          } else if (t == Type::integer || t == Type::decimal) {
            r = apply_cmp(cmp, x.b, y.b);
          } else {
            run.pc = pc;
            if (!run.compare(cmp, code[pc + 2], x, y, r)) return false;
          }
          x = Value::boolean(r);
        }
        pc += 3;
        break;
      }
      case Op::IN_SET: {
        const Value set = *--sp;
        Value& e = sp[-1];
        if (e.is_unknown() || set.is_unknown()) e = unknown2(e, set);
        else e = Value::boolean(((static_cast<uint64_t>(set.b) >> e.a) & 1u) != 0);
        pc += 1;
        break;
      }
      case Op::ADD:
      case Op::SUB:
      case Op::MUL:
      case Op::DIV: {
        const Value y = *--sp;
        Value& x = sp[-1];
        if (x.is_unknown() || y.is_unknown()) {
          x = unknown2(x, y);
        } else {
          run.pc = pc;
          Value r;
          if (!run.arith(op, code[pc + 1], x, y, r)) return false;
          x = r;
        }
        pc += 2;
        break;
      }
      case Op::NEG: {
        Value& x = sp[-1];
        if (!x.is_unknown()) {
          if (x.b == std::numeric_limits<int64_t>::min()) { run.pc = pc; return run.fail("overflow in negation"); }
          x.b = -x.b;
        }
        pc += 2;
        break;
      }
      case Op::MIN:
      case Op::MAX: {
        const Value y = *--sp;
        Value& x = sp[-1];
        if (x.is_unknown() || y.is_unknown()) {
          x = unknown2(x, y);
        } else {
          bool less = false;
          run.pc = pc;
          if (!run.compare(CmpOp::lt, code[pc + 1], y, x, less)) return false;  // y < x
          if ((op == Op::MIN) == less) x = y;
        }
        pc += 2;
        break;
      }
      case Op::PERIOD_END: {
        const Value length = *--sp;
        Value& start = sp[-1];
        if (start.is_unknown() || length.is_unknown()) {
          start = unknown2(start, length);
        } else {
          run.pc = pc;
          Value end;
          if (!run.period_end(static_cast<uint8_t>(code[pc + 1] & 0x0f), static_cast<uint8_t>(code[pc + 1] >> 4), start,
                              length, end))
            return false;
          start = end;
        }
        pc += 2;
        break;
      }
      case Op::SELECT: {
        const Value otherwise = *--sp;
        const Value then = *--sp;
        Value& cond = sp[-1];
        if (cond.is_true()) cond = then;
        else if (cond.is_false()) cond = otherwise;
        else cond = Value::unknown(cond.mask());
        pc += 1;
        break;
      }
      case Op::ITER_INIT: {
        const uint16_t a = u8(pc + 1);
        locals[a] = *--sp;
        locals[a + 1] = Value::integer(0);
        pc += 2;
        break;
      }
      case Op::ITER_NEXT: {
        const uint16_t a = u8(pc + 1);
        const Value& list = locals[a];
        Value& index = locals[a + 1];
        if (list.tag == Tag::list && index.b < list.b) {
          uint16_t record_id = 0;
          if (static_cast<size_t>(a) + 2 < block.locals.size() && block.locals[a + 2].type == Type::record)
            record_id = block.locals[a + 2].index;
          else if (static_cast<size_t>(a) < block.locals.size())
            record_id = block.locals[a].index;
          locals[a + 2] = Value::record(list.a + static_cast<int32_t>(index.b) * list.aux, record_id);
          ++index.b;
          pc += 4;
        } else if (list.is_unknown() && index.b == 0) {
          // An unknown list is iterated once with an unknown element: quantifiers become unknown with
          // the list's mask instead of silently ranging over nothing.
          locals[a + 2] = list;
          index.b = 1;
          pc += 4;
        } else {
          pc = static_cast<uint32_t>(static_cast<int64_t>(pc) + 4 + static_cast<int16_t>(u16(pc + 2)));
        }
        break;
      }
      case Op::LOOP: pc = static_cast<uint32_t>(static_cast<int64_t>(pc) + 3 + j16(pc + 1)); break;
      case Op::ACC_ANY: { const Value y = *--sp; sp[-1] = kleene_or(sp[-1], y); pc += 1; break; }
      case Op::ACC_ALL: { const Value y = *--sp; sp[-1] = kleene_and(sp[-1], y); pc += 1; break; }
      case Op::ACC_COUNT: {
        const Value y = *--sp;
        Value& acc = sp[-1];
        if (acc.is_unknown() || y.is_unknown()) acc = unknown2(acc, y);
        else if (y.is_true()) ++acc.b;
        pc += 1;
        break;
      }
      case Op::RET: return true;
    }
  }
}


// The fast loop: the same semantics as run_loop<false>, over the decoded, fused form (translate.h),
// dispatched by computed goto (one indirect branch per instruction, each well predicted on its own).
// Tracing runs use run_loop<true> on the original bytecode; the tests compare the two.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
bool run_fast(const Program& program, const Block& block, uint32_t entry, const Facts& facts, VmState& state) {
  Run run{program, block, facts, state};
  const Translated& t = *state.translated_;
  const XInstr* const code = t.code.data();
  const Value* const slots = facts.slots.data();
  const Value* const constants = program.constants.data();
  Value* const statuses = state.statuses.data();
  Value* const stack = state.stack_.data();
  Value* const locals = state.locals_.data();
  Value* sp = stack;
  const XInstr* ip = code + entry;

  static const void* const kLabels[] = {
#define OP(name, layout, pops, pushes, doc) &&L_##name,
#include "comity/opcodes.def"
#undef OP
      &&L_AND_NOT, &&L_AND_NOT_STATUS, &&L_LOAD_LOCAL_FIELD, &&L_CMP_CONST, &&L_IS_KNOWN_INPUT, &&L_STORE_STATUS_JUT,
      &&L_INPUT_JF, &&L_LOCAL_FIELD_JF, &&L_INPUT_STORE, &&L_INPUT_NOT, &&L_CMP_CONST_STORE, &&L_LOCAL_FIELD_CMP_CONST,
  };
  static_assert(sizeof(kLabels) / sizeof(kLabels[0]) == static_cast<size_t>(XOp::kCount));
#define NEXT() goto* kLabels[static_cast<uint8_t>(ip->op)]
#define FAULT_AT() (run.pc = t.origin[static_cast<size_t>(ip - code)])
  // Takes the instruction's index by value: capturing `ip` by reference would keep it in memory, and
  // every instruction would pay for loading and storing it.
  auto compare = [&run, &t](size_t at, CmpOp cmp, uint16_t type, const Value& x, const Value& y, bool& r) -> bool {
    const Type ty = static_cast<Type>(type);
    if (ty == Type::enumeration || ty == Type::boolean || ty == Type::date) { r = apply_cmp(cmp, x.a, y.a); return true; }
    if (ty == Type::integer || ty == Type::decimal) { r = apply_cmp(cmp, x.b, y.b); return true; }
    run.pc = t.origin[at];
    return run.compare(cmp, static_cast<uint8_t>(type), x, y, r);
  };

  NEXT();
L_PUSH_TRUE: *sp++ = Value::boolean(true); ++ip; NEXT();
L_PUSH_FALSE: *sp++ = Value::boolean(false); ++ip; NEXT();
L_CONST: *sp++ = constants[ip->a]; ++ip; NEXT();
L_LOAD_INPUT: *sp++ = slots[ip->a]; ++ip; NEXT();
L_LOAD_LOCAL: *sp++ = locals[ip->a]; ++ip; NEXT();
L_LOAD_FIELD: {
  Value& top = sp[-1];
  if (top.tag == Tag::record) top = slots[top.a + ip->a];
  ++ip;
  NEXT();
}
L_LOAD_STATUS: *sp++ = statuses[ip->a]; ++ip; NEXT();
L_STORE_STATUS: statuses[ip->a] = *--sp; ++ip; NEXT();
L_STORE_VALUE: state.due[ip->a] = *--sp; ++ip; NEXT();
L_STORE_EVENT: state.events[ip->a] = *--sp; ++ip; NEXT();
L_POP: --sp; ++ip; NEXT();
L_NOT: {
  Value& top = sp[-1];
  if (top.tag == Tag::boolean) top.a = top.a ? 0 : 1;
  ++ip;
  NEXT();
}
L_AND: { const Value y = *--sp; sp[-1] = kleene_and(sp[-1], y); ++ip; NEXT(); }
L_OR: { const Value y = *--sp; sp[-1] = kleene_or(sp[-1], y); ++ip; NEXT(); }
L_IS_KNOWN: sp[-1] = Value::boolean(!sp[-1].is_unknown()); ++ip; NEXT();
L_JUMP: ip = code + ip->b; NEXT();
L_JUMP_IF_FALSE_KEEP: ip = sp[-1].is_false() ? code + ip->b : ip + 1; NEXT();
L_JUMP_IF_TRUE_KEEP: ip = sp[-1].is_true() ? code + ip->b : ip + 1; NEXT();
L_JUMP_UNLESS_TRUE: ip = (--sp)->is_true() ? ip + 1 : code + ip->b; NEXT();
L_CMP: {
  const Value y = *--sp;
  Value& x = sp[-1];
  if (x.is_unknown() || y.is_unknown()) {
    x = unknown2(x, y);
  } else {
    bool r = false;
    if (!compare(static_cast<size_t>(ip - code), static_cast<CmpOp>(ip->x), ip->a, x, y, r)) return false;
    x = Value::boolean(r);
  }
  ++ip;
  NEXT();
}
L_IN_SET: {
  const Value set = *--sp;
  Value& e = sp[-1];
  if (e.is_unknown() || set.is_unknown()) e = unknown2(e, set);
  else e = Value::boolean(((static_cast<uint64_t>(set.b) >> e.a) & 1u) != 0);
  ++ip;
  NEXT();
}
L_ADD: L_SUB: L_MUL: L_DIV: {
  const Value y = *--sp;
  Value& x = sp[-1];
  if (x.is_unknown() || y.is_unknown()) {
    x = unknown2(x, y);
  } else {
    FAULT_AT();
    Value r;
    if (!run.arith(static_cast<Op>(ip->op), static_cast<uint8_t>(ip->a), x, y, r)) return false;
    x = r;
  }
  ++ip;
  NEXT();
}
L_NEG: {
  Value& x = sp[-1];
  if (!x.is_unknown()) {
    if (x.b == std::numeric_limits<int64_t>::min()) { FAULT_AT(); return run.fail("overflow in negation"); }
    x.b = -x.b;
  }
  ++ip;
  NEXT();
}
L_MIN: L_MAX: {
  const Value y = *--sp;
  Value& x = sp[-1];
  if (x.is_unknown() || y.is_unknown()) {
    x = unknown2(x, y);
  } else {
    bool less = false;
    if (!compare(static_cast<size_t>(ip - code), CmpOp::lt, ip->a, y, x, less)) return false;  // y < x
    if ((ip->op == XOp::MIN) == less) x = y;
  }
  ++ip;
  NEXT();
}
L_PERIOD_END: {
  const Value length = *--sp;
  Value& start = sp[-1];
  if (start.is_unknown() || length.is_unknown()) {
    start = unknown2(start, length);
  } else {
    FAULT_AT();
    Value end;
    if (!run.period_end(static_cast<uint8_t>(ip->x & 0x0f), static_cast<uint8_t>(ip->x >> 4), start, length, end))
      return false;
    start = end;
  }
  ++ip;
  NEXT();
}
L_SELECT: {
  const Value otherwise = *--sp;
  const Value then = *--sp;
  Value& cond = sp[-1];
  if (cond.is_true()) cond = then;
  else if (cond.is_false()) cond = otherwise;
  else cond = Value::unknown(cond.mask());
  ++ip;
  NEXT();
}
L_ITER_INIT: {
  const uint16_t a = ip->a;
  locals[a] = *--sp;
  locals[a + 1] = Value::integer(0);
  ++ip;
  NEXT();
}
L_ITER_NEXT: {
  const uint16_t a = ip->a;
  const Value& list = locals[a];
  Value& index = locals[a + 1];
  if (list.tag == Tag::list && index.b < list.b) {
    uint16_t record_id = 0;
    if (static_cast<size_t>(a) + 2 < block.locals.size() && block.locals[a + 2].type == Type::record)
      record_id = block.locals[a + 2].index;
    else if (static_cast<size_t>(a) < block.locals.size())
      record_id = block.locals[a].index;
    locals[a + 2] = Value::record(list.a + static_cast<int32_t>(index.b) * list.aux, record_id);
    ++index.b;
    ++ip;
  } else if (list.is_unknown() && index.b == 0) {
    locals[a + 2] = list;
    index.b = 1;
    ++ip;
  } else {
    ip = code + ip->b;
  }
  NEXT();
}
L_LOOP: ip = code + ip->b; NEXT();
L_ACC_ANY: { const Value y = *--sp; sp[-1] = kleene_or(sp[-1], y); ++ip; NEXT(); }
L_ACC_ALL: { const Value y = *--sp; sp[-1] = kleene_and(sp[-1], y); ++ip; NEXT(); }
L_ACC_COUNT: {
  const Value y = *--sp;
  Value& acc = sp[-1];
  if (acc.is_unknown() || y.is_unknown()) acc = unknown2(acc, y);
  else if (y.is_true()) ++acc.b;
  ++ip;
  NEXT();
}
L_RET: return true;
L_AND_NOT: {
  Value y = *--sp;
  if (y.tag == Tag::boolean) y.a = y.a ? 0 : 1;
  sp[-1] = kleene_and(sp[-1], y);
  ++ip;
  NEXT();
}
L_AND_NOT_STATUS: {
  Value y = statuses[ip->a];
  if (y.tag == Tag::boolean) y.a = y.a ? 0 : 1;
  sp[-1] = kleene_and(sp[-1], y);
  ++ip;
  NEXT();
}
L_LOAD_LOCAL_FIELD: {
  const Value& record = locals[ip->x];
  *sp++ = record.tag == Tag::record ? slots[record.a + ip->a] : record;
  ++ip;
  NEXT();
}
L_CMP_CONST: {
  Value& x = sp[-1];
  const Value& y = constants[ip->b];
  if (x.is_unknown()) {
    x = Value::unknown(x.mask());
  } else {
    bool r = false;
    if (!compare(static_cast<size_t>(ip - code), static_cast<CmpOp>(ip->x), ip->a, x, y, r)) return false;
    x = Value::boolean(r);
  }
  ++ip;
  NEXT();
}
L_IS_KNOWN_INPUT: *sp++ = Value::boolean(!slots[ip->a].is_unknown()); ++ip; NEXT();
L_STORE_STATUS_JUT: {
  const Value v = *--sp;
  statuses[ip->a] = v;
  ip = v.is_true() ? ip + 1 : code + ip->b;
  NEXT();
}
L_INPUT_JF: {
  const Value& v = slots[ip->a];
  *sp++ = v;
  ip = v.is_false() ? code + ip->b : ip + 1;
  NEXT();
}
L_LOCAL_FIELD_JF: {
  const Value& record = locals[ip->x];
  const Value v = record.tag == Tag::record ? slots[record.a + ip->a] : record;
  *sp++ = v;
  ip = v.is_false() ? code + ip->b : ip + 1;
  NEXT();
}
L_INPUT_STORE: statuses[ip->b] = slots[ip->a]; ++ip; NEXT();
L_INPUT_NOT: {
  Value v = slots[ip->a];
  if (v.tag == Tag::boolean) v.a = v.a ? 0 : 1;
  *sp++ = v;
  ++ip;
  NEXT();
}
L_CMP_CONST_STORE: {
  const Value x = *--sp;
  const uint32_t packed = static_cast<uint32_t>(ip->b);
  Value r;
  if (x.is_unknown()) {
    r = Value::unknown(x.mask());
  } else {
    bool b = false;
    if (!compare(static_cast<size_t>(ip - code), static_cast<CmpOp>(ip->x), ip->a, x, constants[packed & 0xffff], b)) return false;
    r = Value::boolean(b);
  }
  statuses[packed >> 16] = r;
  ++ip;
  NEXT();
}
L_LOCAL_FIELD_CMP_CONST: {
  const Value& record = locals[ip->x];
  const Value x = record.tag == Tag::record ? slots[record.a + ip->a] : record;
  const uint32_t packed = static_cast<uint32_t>(ip->b);
  if (x.is_unknown()) {
    *sp++ = Value::unknown(x.mask());
  } else {
    bool b = false;
    if (!compare(static_cast<size_t>(ip - code), static_cast<CmpOp>((packed >> 16) & 0xff), static_cast<uint16_t>(packed >> 24), x,
                 constants[packed & 0xffff], b))
      return false;
    *sp++ = Value::boolean(b);
  }
  ++ip;
  NEXT();
}
#undef NEXT
#undef FAULT_AT
}
#pragma GCC diagnostic pop
}  // namespace
}  // namespace vm

bool run_block(const Program& program, const Block& block, const Facts& facts, VmState& state, Value local0,
               bool trace) {
  state.prepare(program);
  return run_prepared_block(program, block, facts, state, local0, trace);
}

bool run_prepared_block(const Program& program, const Block& block, const Facts& facts, VmState& state, Value local0,
                        bool trace) {
  state.locals_[0] = local0;
  if (block.length == 0) return true;
  state.fault.clause = -1;
  if (trace) {
    state.pending_facts_.clear();
    return vm::run_loop<true>(program, block, facts, state);
  }
  if (&block == &program.request_block) return vm::run_fast(program, block, state.translated_->request_entry, facts, state);
  if (&block == &program.item_block) return vm::run_fast(program, block, state.translated_->item_entry, facts, state);
  return vm::run_loop<false>(program, block, facts, state);  // a block of another program's shape (tests)
}

// ---- rendering ------------------------------------------------------------
std::string render_value(const Program& program, const Facts& facts, const Value& v) {
  switch (v.tag) {
    case Tag::unknown: return "unknown";
    case Tag::boolean: return v.a ? "true" : "false";
    case Tag::integer: return std::to_string(v.b);
    case Tag::decimal: {
      const bool negative = v.b < 0;
      const uint64_t mag = negative ? 0 - static_cast<uint64_t>(v.b) : static_cast<uint64_t>(v.b);
      std::string s = (negative ? "-" : "") + std::to_string(mag / kDecimalScale);
      uint64_t frac = mag % kDecimalScale;
      if (frac != 0) {
        std::string f = std::to_string(frac);
        f.insert(0, 6 - f.size(), '0');
        while (!f.empty() && f.back() == '0') f.pop_back();
        s += "." + f;
      }
      return s;
    }
    case Tag::string: return "\"" + std::string(facts.string_at(program, v)) + "\"";
    case Tag::enumeration:
      if (v.aux < program.schema.enums.size() && v.a >= 0 &&
          static_cast<size_t>(v.a) < program.schema.enums[v.aux].members.size())
        return program.schema.enums[v.aux].members[static_cast<size_t>(v.a)];
      return "#" + std::to_string(v.a);
    case Tag::set: {
      std::string s = "[";
      const uint64_t bits = static_cast<uint64_t>(v.b);
      for (int i = 0; i < 64; ++i) {
        if (!((bits >> i) & 1u)) continue;
        if (s.size() > 1) s += ", ";
        if (v.aux < program.schema.enums.size() && static_cast<size_t>(i) < program.schema.enums[v.aux].members.size())
          s += program.schema.enums[v.aux].members[static_cast<size_t>(i)];
        else s += "#" + std::to_string(i);
      }
      return s + "]";
    }
    case Tag::date: return format_date(v.a);
    case Tag::datetime: return format_instant(Instant{v.b, v.a});
    case Tag::duration: {
      std::string s = format_duration(Duration{v.duration_months(), v.duration_days(), v.duration_hours(), false});
      if (v.working_days()) s += " working days";
      return s;
    }
    case Tag::record: return "record at slot " + std::to_string(v.a);
    case Tag::list: return "list of " + std::to_string(v.b);
  }
  return "?";
}

namespace {
bool find_slot(const Program& program, const Facts& facts, uint16_t record, int32_t base, int32_t slot,
               std::string& path) {
  if (record >= program.schema.records.size()) return false;
  for (const FieldInfo& f : program.schema.records[record].fields) {
    const int32_t at = base + f.offset;
    const size_t mark = path.size();
    if (!path.empty()) path += '.';
    path += f.name;
    switch (f.type.type) {
      case Type::record:
        if (find_slot(program, facts, f.type.index, at, slot, path)) return true;
        break;
      case Type::list: {
        if (at == slot) return true;
        if (at >= 0 && static_cast<size_t>(at) < facts.slots.size()) {
          const Value& list = facts.slots[static_cast<size_t>(at)];
          if (list.tag == Tag::list && list.aux > 0) {
            // Elements of nested lists lie after the whole list, so look into every element.
            const size_t name_end = path.size();
            for (int64_t index = 0; index < list.b; ++index) {
              const int32_t base_slot = list.a + static_cast<int32_t>(index) * list.aux;
              const bool inside = slot >= base_slot && slot < base_slot + list.aux;
              if (!inside && slot < list.a + list.b * list.aux) continue;
              path += "[" + std::to_string(index) + "]";
              if (find_slot(program, facts, f.type.index, base_slot, slot, path)) return true;
              path.resize(name_end);
            }
          }
        }
        break;
      }
      case Type::boolean:
      case Type::integer:
      case Type::decimal:
      case Type::string:
      case Type::enumeration:
      case Type::set:
      case Type::date:
      case Type::datetime:
      case Type::duration:
        if (at == slot) return true;
        break;
    }
    path.resize(mark);
  }
  return false;
}
}  // namespace

std::string slot_path(const Program& program, const Facts& facts, int32_t slot) {
  std::string path;
  if (find_slot(program, facts, program.schema.root_record, 0, slot, path)) return path;
  return "slot " + std::to_string(slot);
}

}  // namespace comity

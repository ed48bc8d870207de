// vm_test.cpp: the interpreter — Kleene truth tables with masks, comparisons (durations across units),
// exact decimal arithmetic, faults with their clause, periods, quantifiers and tracing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>

#include "comity/civil.h"
#include "comity/vm.h"
#include "vm_test_program.h"

using namespace comity;
using comity::testing::ProgramBuilder;

namespace {

const Value T = Value::boolean(true), F = Value::boolean(false);
Value U(uint64_t mask) { return Value::unknown(mask); }


std::string show(const Value& v) {
  if (v.tag == Tag::unknown) return "unknown(" + std::to_string(v.mask()) + ")";
  if (v.tag == Tag::boolean) return v.a ? "true" : "false";
  return "tag " + std::to_string(static_cast<int>(v.tag)) + " a=" + std::to_string(v.a) + " b=" + std::to_string(v.b);
}

// A program whose root record has two fields x and y of type t; one request clause whose status is
// computed by `emit` from them. Returns the stored status (or the fault).
struct Binary {
  ProgramBuilder b;
  Facts facts;
  VmState state;
  uint16_t clause = 0;

  Binary(StaticType t, const std::function<void(ProgramBuilder::Asm&)>& emit) {
    const uint16_t root = b.add_record("Request", {{"x", t, true}, {"y", t, true}, {"state", {Type::string, 0}, true}});
    b.layout(root);
    clause = b.clause(ClauseKind::refuse_optional, b.article("1"));
    auto a = b.request();
    a.op(Op::LOAD_INPUT, 0).op(Op::LOAD_INPUT, 1);
    emit(a);
    a.op(Op::STORE_STATUS, clause);
    a.finish();
  }
  bool run(Value x, Value y, Value& out) {
    facts.slots = {x, y, Value::unknown(4)};
    const bool ok = run_block(b.p, b.p.request_block, facts, state, Value{}, false);
    out = state.statuses[clause];
    return ok;
  }
  Value eval(Value x, Value y) {
    Value out;
    const bool ok = run(x, y, out);
    INFO(state.fault.message);
    REQUIRE(ok);
    return out;
  }
};

Value dur(std::string_view text) {
  const DurationParse d = parse_duration(text);
  REQUIRE(d.ok);
  return Value::duration(d.value.months, d.value.days, d.value.hours, d.value.working_days);
}

Value dec(int64_t scaled) { return Value::decimal_scaled(scaled); }

}  // namespace

TEST_CASE("Kleene and/or/not with fact masks", "[vm][kleene]") {
  const std::vector<Value> values = {T, F, U(1), U(2)};
  Binary conj({Type::boolean, 0}, [](auto& a) { a.op(Op::AND); });
  Binary disj({Type::boolean, 0}, [](auto& a) { a.op(Op::OR); });
  for (const Value& x : values)
    for (const Value& y : values) {
      Value and_expected, or_expected;
      if (x.is_false() || y.is_false()) and_expected = F;
      else if (x.is_unknown() || y.is_unknown()) and_expected = U(x.mask() | y.mask());
      else and_expected = T;
      if (x.is_true() || y.is_true()) or_expected = T;
      else if (x.is_unknown() || y.is_unknown()) or_expected = U(x.mask() | y.mask());
      else or_expected = F;
      INFO(show(x) << " op " << show(y));
      CHECK(show(conj.eval(x, y)) == show(and_expected));
      CHECK(show(disj.eval(x, y)) == show(or_expected));
    }
  // Spot checks the table above encodes: false drops masks, unknowns unite them.
  CHECK(show(conj.eval(F, U(1))) == "false");
  CHECK(show(conj.eval(U(1), U(2))) == "unknown(3)");
  CHECK(show(disj.eval(T, U(1))) == "true");
  CHECK(show(disj.eval(U(1), U(2))) == "unknown(3)");

  Binary negate({Type::boolean, 0}, [](auto& a) { a.op(Op::POP).op(Op::NOT); });
  CHECK(show(negate.eval(T, T)) == "false");
  CHECK(show(negate.eval(F, F)) == "true");
  CHECK(show(negate.eval(U(5), U(5))) == "unknown(5)");
}

TEST_CASE("short-circuit jumps keep Kleene semantics", "[vm][kleene]") {
  // x and y compiled as: x; JUMP_IF_FALSE_KEEP end; y; AND; end:
  ProgramBuilder b;
  const uint16_t root = b.add_record("R", {{"x", {Type::boolean, 0}, true}, {"y", {Type::boolean, 0}, true}});
  b.layout(root);
  const uint16_t c = b.clause(ClauseKind::review, b.article("1"));
  auto a = b.request();
  a.op(Op::LOAD_INPUT, 0);
  const uint32_t j = a.jump(Op::JUMP_IF_FALSE_KEEP);
  a.op(Op::LOAD_INPUT, 1).op(Op::AND);
  a.land(j);
  a.op(Op::STORE_STATUS, c);
  a.finish();
  Facts facts;
  VmState state;
  auto eval = [&](Value x, Value y) {
    facts.slots = {x, y};
    REQUIRE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
    return show(state.statuses[c]);
  };
  CHECK(eval(F, U(2)) == "false");
  CHECK(eval(U(1), F) == "false");
  CHECK(eval(U(1), U(2)) == "unknown(3)");
  CHECK(eval(T, T) == "true");
}

TEST_CASE("every other operation on an unknown is unknown with the united masks", "[vm][kleene]") {
  Binary cmp({Type::integer, 0}, [](auto& a) { a.op(Op::CMP, static_cast<uint16_t>(CmpOp::lt), static_cast<uint16_t>(Type::integer)); });
  CHECK(show(cmp.eval(Value::integer(1), Value::integer(2))) == "true");
  CHECK(show(cmp.eval(U(1), Value::integer(2))) == "unknown(1)");
  CHECK(show(cmp.eval(U(1), U(8))) == "unknown(9)");

  Binary add({Type::integer, 0}, [](auto& a) {
    a.op(Op::ADD, static_cast<uint16_t>(Type::integer)).op(Op::LOAD_INPUT, 0).op(Op::CMP, 0, static_cast<uint16_t>(Type::integer));
  });
  CHECK(show(add.eval(U(1), Value::integer(2))) == "unknown(1)");

  Binary known({Type::boolean, 0}, [](auto& a) { a.op(Op::POP).op(Op::IS_KNOWN); });
  CHECK(show(known.eval(U(1), U(1))) == "false");
  CHECK(show(known.eval(F, F)) == "true");

  // SELECT: cond unknown → unknown with the condition's mask only.
  Binary select({Type::boolean, 0}, [](auto& a) { a.op(Op::LOAD_INPUT, 1).op(Op::SELECT); });
  CHECK(show(select.eval(T, U(2))) == "unknown(2)");  // then-branch is y (unknown 2)
  CHECK(show(select.eval(F, F)) == "false");
  CHECK(show(select.eval(U(1), T)) == "unknown(1)");

  // IN_SET with an unknown member or set.
  ProgramBuilder b;
  const uint16_t e = b.add_enum("K", {"a", "b", "c"});
  const uint16_t root = b.add_record("R", {{"k", {Type::enumeration, e}, true}, {"s", {Type::set, e}, true}});
  b.layout(root);
  const uint16_t c = b.clause(ClauseKind::review, b.article("1"));
  auto a = b.request();
  a.op(Op::LOAD_INPUT, 0).op(Op::LOAD_INPUT, 1).op(Op::IN_SET).op(Op::STORE_STATUS, c);
  a.finish();
  Facts facts;
  VmState state;
  facts.slots = {Value::enumeration(e, 1), Value::set(e, 0b110)};
  REQUIRE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
  CHECK(show(state.statuses[c]) == "true");
  facts.slots = {Value::enumeration(e, 0), Value::set(e, 0b110)};
  REQUIRE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
  CHECK(show(state.statuses[c]) == "false");
  facts.slots = {U(1), Value::set(e, 0b110)};
  REQUIRE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
  CHECK(show(state.statuses[c]) == "unknown(1)");
}

TEST_CASE("comparisons of dates, instants, strings and sets", "[vm][cmp]") {
  auto lt = [](Type t) {
    return [t](ProgramBuilder::Asm& a) { a.op(Op::CMP, static_cast<uint16_t>(CmpOp::lt), static_cast<uint16_t>(t)); };
  };
  Binary dates({Type::date, 0}, lt(Type::date));
  CHECK(dates.eval(Value::date(days_from_civil(2025, 1, 1)), Value::date(days_from_civil(2025, 1, 2))).is_true());
  // Instants compare by the UTC moment, whatever offset they were written in.
  Binary instants({Type::datetime, 0}, lt(Type::datetime));
  const InstantParse ny = parse_instant("2025-06-06T23:30:00-04:00"), utc = parse_instant("2025-06-07T03:31:00Z");
  CHECK(instants.eval(Value::datetime(ny.value.utc_seconds, ny.value.offset_minutes),
                      Value::datetime(utc.value.utc_seconds, 0)).is_true());
  Binary eq_instants({Type::datetime, 0}, [](auto& a) { a.op(Op::CMP, 0, static_cast<uint16_t>(Type::datetime)); });
  const InstantParse utc2 = parse_instant("2025-06-07T03:30:00Z");
  CHECK(eq_instants.eval(Value::datetime(ny.value.utc_seconds, ny.value.offset_minutes), Value::datetime(utc2.value.utc_seconds, 0)).is_true());

  // Strings: one from the pool, one from the request arena.
  ProgramBuilder b;
  const uint16_t root = b.add_record("R", {{"s", {Type::string, 0}, false}});
  b.layout(root);
  const uint16_t k = b.string_constant("NL");
  const uint16_t c = b.clause(ClauseKind::review, b.article("1"));
  auto a = b.request();
  a.op(Op::LOAD_INPUT, 0).op(Op::CONST, k).op(Op::CMP, 0, static_cast<uint16_t>(Type::string)).op(Op::STORE_STATUS, c);
  a.finish();
  Facts facts;
  VmState state;
  facts.arena = "xxNL";
  facts.slots = {Value::string(2, 2, false)};
  REQUIRE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
  CHECK(state.statuses[c].is_true());
  facts.slots = {Value::string(1, 2, false)};
  REQUIRE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
  CHECK(state.statuses[c].is_false());
}

TEST_CASE("durations compare across units only when every month length agrees", "[vm][duration]") {
  auto cmp = [](CmpOp op, std::string_view x, std::string_view y, bool& result, std::string& message) {
    return vm::duration_cmp(op, dur(x), dur(y), result, message);
  };
  bool r = false;
  std::string m;
  REQUIRE(cmp(CmpOp::lt, "P2Y11M", "P3Y", r, m));
  CHECK(r);
  REQUIRE(cmp(CmpOp::ge, "P2Y11M", "P3Y", r, m));
  CHECK_FALSE(r);
  REQUIRE(cmp(CmpOp::lt, "P1000D", "P3Y", r, m));
  CHECK(r);
  REQUIRE(cmp(CmpOp::le, "P1095D", "P3Y", r, m));  // three years are 1095 or 1096 days
  CHECK(r);
  CHECK_FALSE(cmp(CmpOp::lt, "P1095D", "P3Y", r, m));
  REQUIRE(cmp(CmpOp::gt, "P1097D", "P3Y", r, m));
  CHECK(r);
  REQUIRE(cmp(CmpOp::lt, "P27D", "P1M", r, m));
  CHECK(r);
  REQUIRE(cmp(CmpOp::gt, "P32D", "P1M", r, m));
  CHECK(r);
  REQUIRE(cmp(CmpOp::lt, "P1M", "P1M1D", r, m));  // common months cancel
  CHECK(r);
  REQUIRE(cmp(CmpOp::eq, "P1Y", "P12M", r, m));
  CHECK(r);
  REQUIRE(cmp(CmpOp::eq, "P1W", "P7D", r, m));
  CHECK(r);
  REQUIRE(cmp(CmpOp::gt, "P2D", "PT24H", r, m));  // a day is 23..25 hours
  CHECK(r);
  REQUIRE(cmp(CmpOp::lt, "PT47H", "PT48H", r, m));
  CHECK(r);

  CHECK_FALSE(cmp(CmpOp::lt, "P1M", "P30D", r, m));
  CHECK(m == "cannot compare `P1M` with `P30D`: a month is not a fixed number of days");
  CHECK_FALSE(cmp(CmpOp::eq, "P1D", "PT24H", r, m));
  CHECK(m == "cannot compare `P1D` with `PT24H`: a day is not a fixed number of hours");

  // The comparison raises a fault naming the clause when the program compares them.
  Binary lt({Type::duration, 0}, [](auto& a) { a.op(Op::CMP, static_cast<uint16_t>(CmpOp::lt), static_cast<uint16_t>(Type::duration)); });
  CHECK(lt.eval(dur("P2Y11M"), dur("P3Y")).is_true());
  CHECK(lt.eval(dur("P1000D"), dur("P3Y")).is_true());
  Value out;
  CHECK_FALSE(lt.run(dur("P1M"), dur("P30D"), out));
  CHECK(lt.state.fault.message == "cannot compare `P1M` with `P30D`: a month is not a fixed number of days");
  CHECK(lt.state.fault.clause == lt.clause);
}

TEST_CASE("month bounds: the coarse bounds contain the exact ones", "[vm][duration]") {
  int64_t lo = 0, hi = 0;
  vm::month_day_bounds(1, lo, hi);
  CHECK(lo == 28);
  CHECK(hi == 31);
  vm::month_day_bounds(12, lo, hi);
  CHECK(lo == 365);
  CHECK(hi == 366);
  vm::month_day_bounds(36, lo, hi);
  CHECK(lo == 1095);
  CHECK(hi == 1096);
  // Every comparison decided with the coarse bounds must agree with the exact ones: the coarse interval
  // [m*146097/4800 - 5, ... + 5] must contain the exact one. The deviation is periodic in 4800 months
  // (400 years), so checking m = 1..4800 covers every m.
  int64_t worst = 0;
  for (int64_t m = 1; m <= 4800; ++m) {
    vm::month_day_bounds(m, lo, hi);
    const int64_t num = m * 146097;
    worst = std::max({worst, num / 4800 - lo, hi - (num + 4799) / 4800});
  }
  CHECK(worst <= 5);
}

TEST_CASE("decimal arithmetic is exact fixed point", "[vm][decimal]") {
  auto arith = [](Op op) {
    return [op](ProgramBuilder::Asm& a) {
      a.op(op, static_cast<uint16_t>(Type::decimal)).op(Op::CONST, 0).op(Op::CMP, 0, static_cast<uint16_t>(Type::decimal));
    };
  };
  auto check = [&](Op op, int64_t x, int64_t y, int64_t expected) {
    Binary t({Type::decimal, 0}, arith(op));
    t.b.p.constants.push_back(dec(expected));
    INFO(x << " op " << y << " expected " << expected);
    CHECK(t.eval(dec(x), dec(y)).is_true());
  };
  check(Op::ADD, 100000, 200000, 300000);      // 0.1 + 0.2 == 0.3 exactly
  check(Op::SUB, 300000, 100000, 200000);
  check(Op::MUL, 1500000, 1500000, 2250000);   // 1.5 * 1.5
  check(Op::DIV, 1000000, 3000000, 333333);    // 1 / 3
  check(Op::DIV, 2000000, 3000000, 666667);    // 2 / 3 rounds
  check(Op::MUL, 5, 500000, 2);                // 0.000005 * 0.5 = 0.0000025 → half to even: 0.000002
  check(Op::MUL, 15, 500000, 8);               // 0.0000075 → 0.000008
  check(Op::MUL, -15, 500000, -8);

  Binary div({Type::decimal, 0}, arith(Op::DIV));
  div.b.p.constants.push_back(dec(0));
  Value out;
  CHECK_FALSE(div.run(dec(1000000), dec(0), out));
  CHECK(div.state.fault.message == "division by zero");
  CHECK(div.state.fault.clause == div.clause);

  Binary mul({Type::decimal, 0}, arith(Op::MUL));
  mul.b.p.constants.push_back(dec(0));
  CHECK_FALSE(mul.run(dec(INT64_MAX / 2), dec(3000000), out));
  CHECK(mul.state.fault.message.rfind("decimal overflow in `", 0) == 0);
}

TEST_CASE("integer overflow is a fault", "[vm][integer]") {
  Binary add({Type::integer, 0}, [](auto& a) {
    a.op(Op::ADD, static_cast<uint16_t>(Type::integer)).op(Op::LOAD_INPUT, 0).op(Op::CMP, 0, static_cast<uint16_t>(Type::integer));
  });
  Value out;
  CHECK_FALSE(add.run(Value::integer(INT64_MAX), Value::integer(1), out));
  CHECK(add.state.fault.message == "integer overflow in `9223372036854775807 + 1`");
  CHECK(add.run(Value::integer(1), Value::integer(1), out));
}

TEST_CASE("PERIOD_END uses the program's convention and the calendar named by a fact", "[vm][periods]") {
  ProgramBuilder b;
  const uint16_t root = b.add_record("R", {{"received", {Type::date, 0}, false},
                                          {"executing_state", {Type::string, 0}, false},
                                          {"reply", {Type::date, 0}, true}});
  b.layout(root);
  b.p.convention = periods::Convention::eu_1182_71;
  b.p.calendar_slot = b.slot("executing_state");
  auto cal = periods::HolidayCalendar::parse("# state: NL\n# covers: 2025-2026\n# source: test\n2025-12-25 Christmas\n2025-12-26 Boxing Day\n", "NL.txt");
  REQUIRE(cal.ok);
  b.p.calendars.push_back(cal.calendar);
  const uint16_t thirty = b.constant(dur("P30D"));
  const uint16_t c = b.clause(ClauseKind::deadline, b.article("12(3)"), "recognition", "", false);
  auto a = b.request();
  a.op(Op::PUSH_TRUE).op(Op::STORE_STATUS, c);
  const uint16_t date_to_date = static_cast<uint16_t>(Type::date) | static_cast<uint16_t>(static_cast<uint16_t>(Type::date) << 4);
  a.op(Op::LOAD_INPUT, 0).op(Op::CONST, thirty).op(Op::PERIOD_END, date_to_date).op(Op::STORE_VALUE, c);
  a.finish();

  Facts facts;
  VmState state;
  // 2025-11-26 + 30 days = 2025-12-26 (holiday), then Sat 27, Sun 28 → Monday 2025-12-29.
  facts.arena = "NLPL";
  facts.slots = {Value::date(days_from_civil(2025, 11, 26)), Value::string(0, 2, false), Value::unknown(1)};
  REQUIRE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
  CHECK(format_date(state.due[c].a) == "2025-12-29");

  // No calendar for the State: not a fault — the period is unknown (no fact could supply it) and the
  // problem is recorded against the clause, so the decision can still decide and report it.
  facts.slots[1] = Value::string(2, 2, false);
  state.problems.clear();
  REQUIRE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
  CHECK(show(state.due[c]) == "unknown(0)");
  REQUIRE(state.problems.size() == 1);
  CHECK(state.problems[0].clause == c);
  CHECK(state.problems[0].error == static_cast<uint8_t>(periods::PeriodError::no_calendar));

  // Outside the calendar's years: likewise a recorded problem.
  facts.slots = {Value::date(days_from_civil(2030, 11, 26)), Value::string(0, 2, false), Value::unknown(1)};
  state.problems.clear();
  REQUIRE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
  REQUIRE(state.problems.size() == 1);
  CHECK(state.problems[0].error == static_cast<uint8_t>(periods::PeriodError::outside_calendar));

  // A period in hours from a date: the periods library's own words.
  b.p.constants[thirty] = dur("PT24H");
  facts.slots = {Value::date(days_from_civil(2025, 11, 26)), Value::string(0, 2, false), Value::unknown(1)};
  REQUIRE_FALSE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
  CHECK(state.fault.message.find(periods::describe(periods::PeriodError::hours_need_instant)) == 0);
  b.p.constants[thirty] = dur("P30D");

  // An unknown start or calendar fact: the due value is unknown with its mask.
  facts.slots = {Value::unknown(16), Value::string(0, 2, false), Value::unknown(1)};
  REQUIRE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
  CHECK(show(state.due[c]) == "unknown(16)");
}

TEST_CASE("PERIOD_END faults when the end is not of the kind the compiler expected", "[vm][periods]") {
  ProgramBuilder b;
  const uint16_t root = b.add_record("R", {{"received", {Type::datetime, 0}, false}});
  b.layout(root);
  const uint16_t c = b.clause(ClauseKind::deadline, b.article("32(2)"), "provisional");
  const uint16_t length = b.constant(dur("P1D"));
  auto a = b.request();
  a.op(Op::PUSH_TRUE).op(Op::STORE_STATUS, c);
  // datetime start, datetime result expected: a one-day period ends on a day instead.
  a.op(Op::LOAD_INPUT, 0).op(Op::CONST, length)
      .op(Op::PERIOD_END, static_cast<uint16_t>(static_cast<uint16_t>(Type::datetime) | (static_cast<uint16_t>(Type::datetime) << 4)))
      .op(Op::STORE_VALUE, c);
  a.finish();
  Facts facts;
  VmState state;
  const InstantParse at = parse_instant("2025-06-06T10:37:00+02:00");
  facts.slots = {Value::datetime(at.value.utc_seconds, at.value.offset_minutes)};
  REQUIRE_FALSE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
  CHECK(state.fault.message == "the period `P1D` from `2025-06-06T10:37:00+02:00` ends on a day, but an instant is expected here");
  CHECK(state.fault.clause == c);
  b.p.constants[length] = dur("PT24H");
  REQUIRE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
  CHECK(format_instant(Instant{state.due[c].b, state.due[c].a}) == "2025-06-07T10:37:00+02:00");  // calendar_days: from the event itself
}

TEST_CASE("quantifiers over lists, unknown elements and unknown lists", "[vm][iter]") {
  ProgramBuilder b;
  const uint16_t item = b.add_record("Item", {{"flag", {Type::boolean, 0}, true}});
  const uint16_t root = b.add_record("R", {{"items", {Type::list, item}, true}});
  b.layout(root);
  const uint16_t any = b.clause(ClauseKind::review, b.article("1"));
  const uint16_t count = b.clause(ClauseKind::review, b.article("2"));
  auto a = b.request();
  a.local({Type::record, 0});
  a.local({Type::list, item});
  a.local({Type::integer, 0});
  a.local({Type::record, item});
  // any i in items: i.flag
  a.op(Op::PUSH_FALSE).op(Op::LOAD_INPUT, 0).op(Op::ITER_INIT, 1);
  uint32_t next = a.here();
  uint32_t exit = a.jump(Op::ITER_NEXT, 1);
  a.op(Op::LOAD_LOCAL, 3).op(Op::LOAD_FIELD, 0).op(Op::ACC_ANY);
  a.loop_to(next);
  a.land(exit);
  a.op(Op::STORE_STATUS, any);
  // count i in items: i.flag, compared with 0 so the status is a bool; we read the accumulator via trace
  a.op(Op::CONST, b.constant(Value::integer(0))).op(Op::LOAD_INPUT, 0).op(Op::ITER_INIT, 1);
  next = a.here();
  exit = a.jump(Op::ITER_NEXT, 1);
  a.op(Op::LOAD_LOCAL, 3).op(Op::LOAD_FIELD, 0).op(Op::ACC_COUNT);
  a.loop_to(next);
  a.land(exit);
  a.op(Op::CONST, b.constant(Value::integer(2))).op(Op::CMP, static_cast<uint16_t>(CmpOp::eq), static_cast<uint16_t>(Type::integer));
  a.op(Op::STORE_STATUS, count);
  a.finish();

  Facts facts;
  VmState state;
  auto run = [&](std::vector<Value> flags) {
    facts.slots = {Value::list(1, static_cast<int64_t>(flags.size()), 1)};
    for (auto& f : flags) facts.slots.push_back(f);
    REQUIRE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
  };
  run({F, T, T});
  CHECK(show(state.statuses[any]) == "true");
  CHECK(show(state.statuses[count]) == "true");
  run({F, U(2), T});
  CHECK(show(state.statuses[any]) == "true");
  CHECK(show(state.statuses[count]) == "unknown(2)");  // the count stays unknown
  run({F, U(2), F});
  CHECK(show(state.statuses[any]) == "unknown(2)");
  run({});
  CHECK(show(state.statuses[any]) == "false");
  CHECK(show(state.statuses[count]) == "false");
  // The list itself unknown: quantifiers are unknown with the list's fact.
  facts.slots = {Value::unknown(1)};
  REQUIRE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
  CHECK(show(state.statuses[any]) == "unknown(1)");
  CHECK(show(state.statuses[count]) == "unknown(1)");
}

TEST_CASE("tracing records the facts each clause loaded and its status", "[vm][trace]") {
  ProgramBuilder b;
  const uint16_t e = b.add_enum("Kind", {"hearing", "search_seizure"});
  const uint16_t item = b.add_record("Measure", {{"kind", {Type::enumeration, e}, false}});
  const uint16_t offence = b.add_record("Offence", {{"penalty", {Type::duration, 0}, false}, {"fiscal", {Type::boolean, 0}, true}});
  const uint16_t root = b.add_record("R", {{"offence", {Type::record, offence}, false}, {"measures", {Type::list, item}, false}});
  b.layout(root);
  b.p.items_slot = b.slot("measures");
  b.p.item_record = item;
  const uint16_t c1 = b.clause(ClauseKind::refuse_optional, b.article("11(3)"));
  const uint16_t c2 = b.clause(ClauseKind::refuse_optional, b.article("11(1)(h)"), "", "", true);
  auto a = b.request();
  a.op(Op::LOAD_INPUT, b.slot("offence.fiscal")).op(Op::LOAD_INPUT, b.slot("offence.penalty")).op(Op::POP).op(Op::STORE_STATUS, c1);
  a.finish();
  auto i = b.item();
  i.op(Op::LOAD_LOCAL, 0).op(Op::LOAD_FIELD, b.offset(item, "kind")).op(Op::CONST, b.constant(Value::enumeration(e, 1)));
  i.op(Op::CMP, 0, static_cast<uint16_t>(Type::enumeration)).op(Op::STORE_STATUS, c2);
  i.finish();

  Facts facts;
  VmState state;
  facts.slots = {dur("P3Y"), Value::unknown(1), Value::list(3, 2, 1), Value::enumeration(e, 0), Value::enumeration(e, 1)};
  REQUIRE(run_block(b.p, b.p.request_block, facts, state, Value{}, true));
  REQUIRE(state.trace.size() == 1);
  CHECK(state.trace[0].clause == c1);
  CHECK(show(state.trace[0].status) == "unknown(1)");
  REQUIRE(state.trace[0].facts.size() == 2);
  CHECK(state.trace[0].facts[0].path == "offence.fiscal");
  CHECK(state.trace[0].facts[0].value == "unknown");
  CHECK(state.trace[0].facts[1].path == "offence.penalty");
  CHECK(state.trace[0].facts[1].value == "P3Y");
  state.trace_item = 1;
  REQUIRE(run_block(b.p, b.p.item_block, facts, state, Value::record(4, item), true));
  REQUIRE(state.trace.size() == 2);
  CHECK(state.trace[1].item == 1);
  CHECK(state.trace[1].facts.at(0).path == "measures[1].kind");
  CHECK(state.trace[1].facts.at(0).value == "search_seizure");
  CHECK(show(state.trace[1].status) == "true");
  // Without tracing nothing is recorded.
  state.trace.clear();
  REQUIRE(run_block(b.p, b.p.request_block, facts, state, Value{}, false));
  CHECK(state.trace.empty());
}

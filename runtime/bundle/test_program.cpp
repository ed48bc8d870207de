// test_program.cpp: the hand-built test Program of test_program.h. Test-only; knows nothing of the compiler.
#include "bundle/test_program.h"

#include <stdexcept>

#include "comity/civil.h"

namespace comity::test {
namespace {

Schema make_schema() {
  Schema s;
  s.enums.push_back(EnumType{"MeasureKind", {"search", "hearing", "interception"}});
  const StaticType boolean{Type::boolean, 0};
  RecordType request{"Request", {}, 9};
  request.fields = {
      {"measures", {Type::list, 2}, false, slots::measures, -1},
      {"offence", {Type::record, 1}, false, slots::offence_fiscal, -1},
      {"received", {Type::date, 0}, false, slots::received, -1},
      {"urgent", boolean, false, slots::urgent, -1},
      {"immunity", boolean, true, slots::immunity, 0},
      {"executing_state", {Type::string, 0}, false, slots::executing_state, -1},
      {"today", {Type::date, 0}, false, slots::today, -1},
      {"issuing_max_penalty", {Type::duration, 0}, false, slots::max_penalty, -1},
  };
  RecordType offence{"Offence", {}, 2};
  offence.fields = {
      {"fiscal", boolean, true, 0, 1},
      {"dual_criminality", boolean, false, 1, -1},
  };
  RecordType measure{"Measure", {}, 4};
  measure.fields = {
      {"kind", {Type::enumeration, 0}, false, 0, -1},
      {"coercive", boolean, true, 1, 2},
      {"offence", {Type::record, 1}, false, 2, -1},
  };
  s.records = {request, offence, measure};
  s.root_record = 0;
  s.facts = {{"immunity", false}, {"offence.fiscal", false}, {"measures[].coercive", true}};
  return s;
}

void standard_request_block(Assembler& a) {
  // review: any measure of a coercive kind
  a.line(10);
  a.op(Op::PUSH_FALSE);
  a.op(Op::LOAD_INPUT, slots::measures);
  a.op(Op::ITER_INIT, 0);
  const uint32_t head = a.jump(Op::ITER_NEXT, 0);
  a.op(Op::LOAD_LOCAL, 2);
  a.op(Op::LOAD_FIELD, 0);
  a.op(Op::CONST, constants::coercive_kinds);
  a.op(Op::IN_SET);
  a.op(Op::ACC_ANY);
  a.loop(head);
  a.land(head);
  a.op(Op::STORE_STATUS, 3);
  // deadline recognition = received + 30 days
  a.line(14);
  a.op(Op::LOAD_INPUT, slots::received);
  a.op(Op::CONST, constants::thirty_days);
  a.op(Op::PERIOD_END, static_cast<uint16_t>(Type::date));
  a.op(Op::STORE_VALUE, 2);
  // applies when urgent and not immunity
  a.line(15);
  a.op(Op::LOAD_INPUT, slots::urgent);
  const uint32_t skip = a.jump(Op::JUMP_IF_FALSE_KEEP);
  a.op(Op::LOAD_INPUT, slots::immunity);
  a.op(Op::NOT);
  a.op(Op::AND);
  a.land(skip);
  a.op(Op::STORE_STATUS, 2);
  // met by: the later of received and a fixed date, if today is known
  a.line(16);
  a.op(Op::LOAD_INPUT, slots::today);
  a.op(Op::IS_KNOWN);
  a.op(Op::LOAD_INPUT, slots::received);
  a.op(Op::CONST, constants::a_date);
  a.op(Op::MAX, static_cast<uint16_t>(Type::date));
  a.op(Op::LOAD_INPUT, slots::today);
  a.op(Op::SELECT);
  a.op(Op::STORE_EVENT, 2);
  a.op(Op::RET);
}

void item_block(Assembler& a) {
  // refuse optional when coercive and not dual criminality
  a.line(20);
  a.op(Op::LOAD_LOCAL, 0);
  a.op(Op::LOAD_FIELD, 1);
  const uint32_t end0 = a.jump(Op::JUMP_IF_FALSE_KEEP);
  a.op(Op::LOAD_LOCAL, 0);
  a.op(Op::LOAD_FIELD, 3);
  a.op(Op::NOT);
  a.op(Op::AND);
  a.land(end0);
  a.op(Op::STORE_STATUS, 0);
  // exception: issuing_max_penalty >= 3 years or kind == hearing, unless the State is NL
  a.line(21);
  a.op(Op::LOAD_INPUT, slots::max_penalty);
  a.op(Op::CONST, constants::three_years);
  a.op(Op::CMP, static_cast<uint16_t>(CmpOp::ge), static_cast<uint16_t>(Type::duration));
  a.op(Op::LOAD_LOCAL, 0);
  a.op(Op::LOAD_FIELD, 0);
  a.op(Op::CONST, constants::hearing);
  a.op(Op::CMP, static_cast<uint16_t>(CmpOp::eq), static_cast<uint16_t>(Type::enumeration));
  a.op(Op::OR);
  a.line(22);
  a.op(Op::LOAD_INPUT, slots::executing_state);
  a.op(Op::CONST, constants::state_nl);
  a.op(Op::CMP, static_cast<uint16_t>(CmpOp::ne), static_cast<uint16_t>(Type::string));
  const uint32_t keep = a.jump(Op::JUMP_UNLESS_TRUE);
  a.op(Op::LOAD_STATUS, 3);
  a.op(Op::AND);
  a.land(keep);
  a.op(Op::STORE_STATUS, 1);
  // a count of fiscal offences, compared with zero (exercises integer code)
  a.op(Op::CONST, constants::zero);
  a.op(Op::LOAD_LOCAL, 0);
  a.op(Op::LOAD_FIELD, 2);
  a.op(Op::ACC_COUNT);
  a.op(Op::CONST, constants::zero);
  a.op(Op::ADD, static_cast<uint16_t>(Type::integer));
  a.op(Op::CONST, constants::zero);
  a.op(Op::CMP, static_cast<uint16_t>(CmpOp::gt), static_cast<uint16_t>(Type::integer));
  a.op(Op::POP);
  a.op(Op::RET);
}

}  // namespace

Program make_test_program(const std::function<void(Assembler&)>& request) {
  Program p;
  p.name = "eio_test";
  p.title = "Directive 2014/41/EU (European Investigation Order), test subset";
  p.version = "2017-05-22";
  p.citation = "OJ L 130, 1.5.2014, p. 1";
  p.source_path = "tests/eio_test.comity";
  p.schema = make_schema();

  p.string_pool = "NLexecuting State";
  const Days received = days_from_civil(2026, 1, 17);
  p.constants = {
      Value::string(0, 2, true),
      Value::set(0, 0b101),  // search, interception
      Value::date(received),
      Value::duration(0, 30, 0, false),
      Value::integer(0),
      Value::enumeration(0, 1),
      Value::duration(36, 0, 0, false),
      Value::datetime(int64_t{received} * 86400 + 3600, 60),
      Value::decimal_scaled(-2'500'000),
  };

  p.articles = {
      {"11(1)(g)", "Grounds for non-recognition or non-execution", "the conduct ... does not constitute an offence"},
      {"12(3)", "Time limits for recognition or execution", "within 30 days"},
  };
  ClauseInfo refusal{ClauseKind::refuse_optional, true, 0, "dual criminality", "", "the conduct is not an offence"};
  refusal.line = 20;
  ClauseInfo exception{ClauseKind::exception, true, 0, "listed offence", "", ""};
  exception.targets = {0};
  exception.line = 21;
  ClauseInfo deadline{ClauseKind::deadline, false, 1, "", "recognition", ""};
  deadline.strength = Strength::hard;
  deadline.line = 14;
  ClauseInfo review{ClauseKind::review, false, 1, "coercive measure", "", "coercive measures need review"};
  review.prevails_over = {2};
  review.line = 10;
  p.clauses = {refusal, exception, deadline, review};
  for (ClauseInfo& c : p.clauses) c.instrument = "eio_test";

  Assembler a(p);
  p.item_block.offset = a.here();
  item_block(a);
  p.item_block.length = a.here() - p.item_block.offset;
  p.item_block.max_stack = 4;
  p.item_block.locals = {{Type::record, 2}};

  p.request_block.offset = a.here();
  if (request) request(a); else standard_request_block(a);
  p.request_block.length = a.here() - p.request_block.offset;
  p.request_block.max_stack = 8;
  p.request_block.locals = {{Type::list, 2}, {Type::integer, 0}, {Type::record, 2}};

  p.items_slot = slots::measures;
  p.item_record = 2;
  p.convention = periods::Convention::eu_1182_71;
  p.calendar_slot = slots::executing_state;
  p.today_slot = slots::today;
  auto nl = periods::HolidayCalendar::parse(
      "# state: NL\n# covers: 2025-2026\n# source: test data\n2025-12-25 Christmas Day\n2026-01-01 New Year's Day\n",
      "NL.txt");
  if (!nl.ok) throw std::runtime_error(nl.error);
  p.calendars.push_back(std::move(nl.calendar));
  return p;
}

}  // namespace comity::test

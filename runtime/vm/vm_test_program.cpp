// vm_test_program.cpp: the test-only Program builder and assembler (see vm_test_program.h).
#include "vm_test_program.h"

#include <functional>
#include <stdexcept>

namespace comity::testing {

ProgramBuilder::ProgramBuilder() {
  p.name = "test.policy";
  p.version = "2025-01-01";
  p.convention = periods::Convention::calendar_days;
}

uint16_t ProgramBuilder::add_enum(std::string name, std::vector<std::string> members) {
  p.schema.enums.push_back({std::move(name), std::move(members)});
  return static_cast<uint16_t>(p.schema.enums.size() - 1);
}

uint16_t ProgramBuilder::add_record(std::string name, std::vector<FieldSpec> fields) {
  RecordType r;
  r.name = std::move(name);
  for (auto& f : fields) {
    FieldInfo info;
    info.name = f.name;
    info.type = f.type;
    info.optional = f.optional;
    r.fields.push_back(std::move(info));
  }
  p.schema.records.push_back(std::move(r));
  return static_cast<uint16_t>(p.schema.records.size() - 1);
}

void ProgramBuilder::layout(uint16_t root) {
  auto& records = p.schema.records;
  p.schema.root_record = root;
  std::vector<int> done(records.size(), 0);
  std::function<uint16_t(uint16_t)> stride = [&](uint16_t id) -> uint16_t {
    if (done[id]) return records[id].stride;
    uint16_t at = 0;
    for (auto& f : records[id].fields) {
      f.offset = at;
      at = static_cast<uint16_t>(at + (f.type.type == Type::record ? stride(f.type.index) : 1));
    }
    records[id].stride = at;
    done[id] = 1;
    return at;
  };
  for (uint16_t i = 0; i < records.size(); ++i) stride(i);
  p.schema.facts.clear();
  std::function<void(uint16_t, std::string, bool)> facts = [&](uint16_t id, std::string prefix, bool in_item) {
    for (auto& f : records[id].fields) {
      const std::string path = prefix + f.name;
      if (f.optional) {
        f.fact_bit = static_cast<int16_t>(p.schema.facts.size());
        p.schema.facts.push_back({path, in_item});
      }
      if (f.type.type == Type::record) facts(f.type.index, path + ".", in_item);
      if (f.type.type == Type::list) facts(f.type.index, path + "[].", true);
    }
  };
  facts(root, "", false);
}

uint16_t ProgramBuilder::slot(std::string_view dotted) const {
  uint16_t record = p.schema.root_record, at = 0;
  while (true) {
    const size_t dot = dotted.find('.');
    const std::string_view head = dotted.substr(0, dot);
    bool found = false;
    for (const auto& f : p.schema.records[record].fields) {
      if (f.name != head) continue;
      at = static_cast<uint16_t>(at + f.offset);
      record = f.type.index;
      found = true;
      break;
    }
    if (!found) throw std::runtime_error("no field " + std::string(head));
    if (dot == std::string_view::npos) return at;
    dotted.remove_prefix(dot + 1);
  }
}

uint16_t ProgramBuilder::offset(uint16_t record, std::string_view field) const {
  for (const auto& f : p.schema.records[record].fields)
    if (f.name == field) return f.offset;
  throw std::runtime_error("no field " + std::string(field));
}

int ProgramBuilder::fact_bit(std::string_view path) const {
  for (size_t i = 0; i < p.schema.facts.size(); ++i)
    if (p.schema.facts[i].path == path) return static_cast<int>(i);
  return -1;
}

uint16_t ProgramBuilder::article(std::string citation, std::string title) {
  p.articles.push_back({std::move(citation), std::move(title), ""});
  return static_cast<uint16_t>(p.articles.size() - 1);
}

uint16_t ProgramBuilder::clause(ClauseKind kind, uint16_t article, std::string name, std::string reason, bool item_scope) {
  ClauseInfo c;
  c.kind = kind;
  c.article = article;
  c.name = std::move(name);
  c.reason = std::move(reason);
  c.item_scope = item_scope;
  p.clauses.push_back(std::move(c));
  return static_cast<uint16_t>(p.clauses.size() - 1);
}

uint16_t ProgramBuilder::constant(Value v) {
  p.constants.push_back(v);
  return static_cast<uint16_t>(p.constants.size() - 1);
}

uint16_t ProgramBuilder::string_constant(std::string_view s) {
  const uint32_t offset = static_cast<uint32_t>(p.string_pool.size());
  p.string_pool.append(s);
  return constant(Value::string(offset, static_cast<int32_t>(s.size()), true));
}

ProgramBuilder::Asm::Asm(ProgramBuilder& b, Block& block) : b_(b), block_(block) {
  block_.offset = static_cast<uint32_t>(b_.p.code.size());
}

ProgramBuilder::Asm& ProgramBuilder::Asm::op(Op o, uint16_t a, uint16_t b) {
  Instr in{o, 0};
  in.a = a;
  in.b = b;
  encode(b_.p.code, in);
  depth_ += static_cast<int>(op_info(o).pushes) - static_cast<int>(op_info(o).pops);
  max_ = std::max(max_, depth_);
  return *this;
}

uint32_t ProgramBuilder::Asm::jump(Op o, uint16_t a) {
  Instr in{o, 0};
  in.a = a;
  const uint32_t at = encode(b_.p.code, in);
  depth_ += static_cast<int>(op_info(o).pushes) - static_cast<int>(op_info(o).pops);
  return at;
}

void ProgramBuilder::Asm::land(uint32_t at) {
  const uint32_t next = at + static_cast<uint32_t>(instruction_size(static_cast<Op>(b_.p.code[at])));
  patch_jump(b_.p.code, at, static_cast<int16_t>(b_.p.code.size() - next));
}

uint32_t ProgramBuilder::Asm::here() const { return static_cast<uint32_t>(b_.p.code.size()); }

void ProgramBuilder::Asm::loop_to(uint32_t target) {
  Instr in{Op::LOOP, 0};
  in.jump = static_cast<int16_t>(static_cast<int64_t>(target) - static_cast<int64_t>(b_.p.code.size() + 3));
  encode(b_.p.code, in);
}

void ProgramBuilder::Asm::local(StaticType t) { block_.locals.push_back(t); }

void ProgramBuilder::Asm::finish() {
  op(Op::RET);
  block_.length = static_cast<uint32_t>(b_.p.code.size()) - block_.offset;
  block_.max_stack = static_cast<uint16_t>(max_ + 2);
}

ProgramBuilder::Asm ProgramBuilder::request() { return Asm(*this, p.request_block); }
ProgramBuilder::Asm ProgramBuilder::item() {
  Asm a(*this, p.item_block);
  if (p.item_block.locals.empty()) a.local(StaticType{Type::record, p.item_record});
  return a;
}

void build_mini_eio(MiniEio& m, bool urgent_prevails) {
  ProgramBuilder& b = m.b;
  m.kind = b.add_enum("MeasureKind", {"hearing", "search_seizure", "interception"});
  m.measure = b.add_record("Measure", {{"kind", {Type::enumeration, m.kind}, false},
                                       {"coercive", {Type::boolean, 0}, true},
                                       {"available", {Type::boolean, 0}, true}});
  const uint16_t offence = b.add_record("Offence", {{"penalty", {Type::duration, 0}, false}, {"dual", {Type::boolean, 0}, true}});
  const uint16_t root = b.add_record("Request", {{"executing_state", {Type::string, 0}, false},
                                                 {"received", {Type::date, 0}, false},
                                                 {"urgent", {Type::boolean, 0}, false},
                                                 {"immunity", {Type::boolean, 0}, true},
                                                 {"recognition_decided", {Type::date, 0}, true},
                                                 {"requested_deadline", {Type::date, 0}, true},
                                                 {"as_of", {Type::date, 0}, true},
                                                 {"offence", {Type::record, offence}, false},
                                                 {"measures", {Type::list, m.measure}, false}});
  b.layout(root);
  b.p.name = "eu.eio.mini";
  b.p.version = "2017-05-22";
  b.p.items_slot = b.slot("measures");
  b.p.item_record = m.measure;
  b.p.calendar_slot = b.slot("executing_state");
  b.p.today_slot = b.slot("as_of");
  b.p.convention = periods::Convention::calendar_days;

  m.immunity = b.clause(ClauseKind::refuse_optional, b.article("11(1)(a)", "Grounds for non-recognition"), "", "immunity or privilege");
  m.consult = b.clause(ClauseKind::obligation, b.article("11(4)", "Consultation"), "consult_issuing_authority", "before refusing");
  m.recognition = b.clause(ClauseKind::deadline, b.article("12(3)", "Time limits"), "recognition");
  m.requested = b.clause(ClauseKind::deadline, b.article("12(2)", "Shorter deadline"), "recognition");
  b.p.clauses[m.requested].strength = Strength::target;
  if (urgent_prevails) b.p.clauses[m.requested].prevails_over.push_back(m.recognition);
  m.dual = b.clause(ClauseKind::refuse_optional, b.article("11(1)(g)", "Dual criminality"), "",
                    "the conduct is not an offence under the law of the executing State", true);
  m.other = b.clause(ClauseKind::use_other_measure, b.article("10(1)(a)", "Recourse to a different measure"), "",
                     "the measure does not exist in the executing State", true);
  m.confidentiality = b.clause(ClauseKind::condition, b.article("19", "Confidentiality"), "confidentiality",
                               "keep the interception confidential", true);

  const uint16_t thirty = b.constant(Value::duration(0, 30, 0, false));
  auto r = b.request();
  r.op(Op::LOAD_INPUT, b.slot("immunity")).op(Op::STORE_STATUS, m.immunity);
  r.op(Op::PUSH_TRUE).op(Op::STORE_STATUS, m.recognition);
  r.op(Op::LOAD_INPUT, b.slot("received")).op(Op::CONST, thirty).op(Op::PERIOD_END, static_cast<uint16_t>(Type::date) | static_cast<uint16_t>(static_cast<uint16_t>(Type::date) << 4));
  r.op(Op::STORE_VALUE, m.recognition);
  r.op(Op::LOAD_INPUT, b.slot("recognition_decided")).op(Op::STORE_EVENT, m.recognition);
  r.op(Op::LOAD_INPUT, b.slot("urgent")).op(Op::STORE_STATUS, m.requested);
  r.op(Op::LOAD_INPUT, b.slot("requested_deadline")).op(Op::STORE_VALUE, m.requested);
  r.op(Op::LOAD_INPUT, b.slot("recognition_decided")).op(Op::STORE_EVENT, m.requested);
  r.op(Op::LOAD_INPUT, b.slot("immunity")).op(Op::STORE_STATUS, m.consult);
  r.finish();

  auto i = b.item();
  i.op(Op::LOAD_LOCAL, 0).op(Op::LOAD_FIELD, b.offset(m.measure, "coercive"));
  i.op(Op::LOAD_INPUT, b.slot("offence.dual")).op(Op::NOT).op(Op::AND).op(Op::STORE_STATUS, m.dual);
  i.op(Op::LOAD_LOCAL, 0).op(Op::LOAD_FIELD, b.offset(m.measure, "available")).op(Op::NOT).op(Op::STORE_STATUS, m.other);
  i.op(Op::LOAD_LOCAL, 0).op(Op::LOAD_FIELD, b.offset(m.measure, "kind")).op(Op::CONST, b.constant(Value::enumeration(m.kind, 2)));
  i.op(Op::CMP, static_cast<uint16_t>(CmpOp::eq), static_cast<uint16_t>(Type::enumeration)).op(Op::STORE_STATUS, m.confidentiality);
  i.finish();
}

std::string mini_eio_request() {
  return R"({"executing_state": "NL", "received": "2025-03-03", "urgent": false, "immunity": false,
             "offence": {"penalty": "P3Y", "dual": true},
             "measures": [{"kind": "hearing", "coercive": false, "available": true},
                          {"kind": "search_seizure", "coercive": true, "available": true}]})";
}

}  // namespace comity::testing

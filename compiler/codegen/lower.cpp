// lower.cpp: typed expressions → stack bytecode (Kleene logic, places, quantifiers, periods).
// Knows the opcode table and the checked model; nothing of ANTLR or the VM's internals.
#include <fmt/format.h>

#include "codegen/emitter.h"
#include "comity/civil.h"

namespace comity::codegen {

using check::ExprInfo;

uint32_t Emitter::op(Op o, uint16_t a, uint16_t b, int16_t jump) {
  Instr in{o, 0};
  in.a = a;
  in.b = b;
  in.jump = jump;
  uint32_t at = encode(p_.code, in);
  const OpInfo& info = op_info(o);
  depth_ += static_cast<int>(info.pushes) - static_cast<int>(info.pops);
  if (o == Op::JUMP_IF_FALSE_KEEP || o == Op::JUMP_IF_TRUE_KEEP) depth_ += 0;  // keeps its operand: pops 1, pushes 1
  if (depth_ > max_depth_) max_depth_ = depth_;
  return at;
}

uint32_t Emitter::jump_here(uint32_t at) {
  const uint32_t next = at + static_cast<uint32_t>(instruction_size(static_cast<Op>(p_.code[at])));
  const int64_t rel = static_cast<int64_t>(p_.code.size()) - next;
  if (rel > INT16_MAX) {
    m_.error(DiagCode::bad_clause, {}, "a clause is too large to compile (jump beyond 32 KiB)", "split it into several clauses or defines");
    ok_ = false;
  }
  patch_jump(p_.code, at, static_cast<int16_t>(rel));
  return static_cast<uint32_t>(p_.code.size());
}

void Emitter::loop_back(uint32_t target) {
  const int64_t rel = static_cast<int64_t>(target) - static_cast<int64_t>(p_.code.size() + instruction_size(Op::LOOP));
  op(Op::LOOP, 0, 0, static_cast<int16_t>(rel));
}

uint8_t Emitter::alloc_locals(std::initializer_list<StaticType> types) {
  const size_t base = locals_->size();
  if (base + types.size() > 255) {
    m_.error(DiagCode::bad_clause, {}, "quantifiers nested too deeply (more than 80 levels)");
    ok_ = false;
    return 0;
  }
  locals_->insert(locals_->end(), types.begin(), types.end());
  return static_cast<uint8_t>(base);
}

uint16_t Emitter::constant(const Value& v) {
  auto key = std::make_tuple(static_cast<uint8_t>(v.tag), v.flags, v.aux, v.a, v.b);
  if (auto it = const_index_.find(key); it != const_index_.end()) return it->second;
  if (p_.constants.size() >= 65535) {
    m_.error(DiagCode::bad_clause, {}, "the policy has more than 65535 constants");
    ok_ = false;
    return 0;
  }
  uint16_t idx = static_cast<uint16_t>(p_.constants.size());
  p_.constants.push_back(v);
  const_index_[key] = idx;
  return idx;
}

uint16_t Emitter::string_constant(std::string_view s) {
  auto it = string_index_.find(s);
  uint32_t offset;
  if (it != string_index_.end()) {
    offset = static_cast<uint32_t>(p_.constants[it->second].b);
  } else {
    offset = static_cast<uint32_t>(p_.string_pool.size());
    p_.string_pool.append(s);
  }
  uint16_t idx = constant(Value::string(offset, static_cast<int32_t>(s.size()), true));
  string_index_.emplace(std::string(s), idx);
  return idx;
}

static bool parse_decimal(std::string_view text, int64_t& out) {
  int64_t whole = 0, frac = 0;
  int frac_digits = 0;
  bool dot = false, any = false;
  for (char c : text) {
    if (c == '.') {
      if (dot) return false;
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') return false;
    any = true;
    if (dot) {
      if (++frac_digits > 6) return false;
      frac = frac * 10 + (c - '0');
    } else {
      if (whole > (INT64_MAX / kDecimalScale) / 10) return false;
      whole = whole * 10 + (c - '0');
    }
  }
  if (!any) return false;
  for (int k = frac_digits; k < 6; ++k) frac *= 10;
  out = whole * kDecimalScale + frac;
  return true;
}

Value Emitter::literal_value(const ast::Expr& e, bool& ok) {
  ok = true;
  if (auto* x = std::get_if<ast::IntLit>(&e.node)) return Value::integer(x->value);
  if (auto* x = std::get_if<ast::DecimalLit>(&e.node)) {
    int64_t v = 0;
    if (!parse_decimal(x->text, v)) {
      m_.error(DiagCode::invalid_literal, e.span, fmt::format("`{}` is not a decimal with at most 6 digits after the point", x->text));
      ok = false;
    }
    return Value::decimal_scaled(v);
  }
  if (auto* x = std::get_if<ast::DateLit>(&e.node)) {
    auto r = parse_date(x->text);
    if (!r.ok) {
      m_.error(DiagCode::invalid_literal, e.span, fmt::format("`{}` is not a valid date", x->text), std::string(r.error.view()));
      ok = false;
      return Value::date(0);
    }
    return Value::date(r.value);
  }
  if (auto* x = std::get_if<ast::DateTimeLit>(&e.node)) {
    auto r = parse_instant(x->text);
    if (!r.ok) {
      m_.error(DiagCode::invalid_literal, e.span, fmt::format("`{}` is not a valid instant", x->text), std::string(r.error.view()));
      ok = false;
      return Value::datetime(0, 0);
    }
    return Value::datetime(r.value.utc_seconds, r.value.offset_minutes);
  }
  if (auto* x = std::get_if<ast::DurationLit>(&e.node)) {
    int64_t n = x->amount;
    int64_t months = 0, days = 0, hours = 0;
    bool working = false;
    switch (x->unit) {
      case ast::DurationUnit::hours: hours = n; break;
      case ast::DurationUnit::days: days = n; break;
      case ast::DurationUnit::working_days: days = n; working = true; break;
      case ast::DurationUnit::weeks: days = n * 7; break;
      case ast::DurationUnit::months: months = n; break;
      case ast::DurationUnit::years: months = n * 12; break;
    }
    if (n < 0 || months > 120000 || days > 3650000 || hours > 87600000) {
      m_.error(DiagCode::invalid_literal, e.span, "this duration is out of range");
      ok = false;
    }
    return Value::duration(static_cast<int32_t>(months), static_cast<int32_t>(days), static_cast<int32_t>(hours), working);
  }
  ok = false;
  return Value{};
}

void Emitter::place(const ExprInfo& info, ast::Span) {
  switch (info.kind) {
    case ExprInfo::Kind::root_place: op(Op::LOAD_INPUT, static_cast<uint16_t>(info.offset)); return;
    case ExprInfo::Kind::item_place:
      op(Op::LOAD_LOCAL, 0);
      op(Op::LOAD_FIELD, static_cast<uint16_t>(info.offset));
      return;
    case ExprInfo::Kind::quant_place:
      op(Op::LOAD_LOCAL, quant_local_.at(info.quant));
      op(Op::LOAD_FIELD, static_cast<uint16_t>(info.offset));
      return;
    default: return;
  }
}

void Emitter::expr(const ast::Expr& e) {
  mark(e.span);
  const ExprInfo& info = m_.at(e);
  switch (info.kind) {
    case ExprInfo::Kind::root_place:
    case ExprInfo::Kind::item_place:
    case ExprInfo::Kind::quant_place: place(info, e.span); return;
    case ExprInfo::Kind::enum_member: op(Op::CONST, constant(Value::enumeration(info.type.index, info.ordinal))); return;
    case ExprInfo::Kind::define_ref: expr(*info.define->value); return;
    case ExprInfo::Kind::applies:
      for (size_t k = 0; k < info.clauses.size(); ++k) {
        op(Op::LOAD_STATUS, info.clauses[k]);
        if (k > 0) op(Op::OR);
      }
      return;
    case ExprInfo::Kind::value: value_node(e, info); return;
    case ExprInfo::Kind::enum_type:
    case ExprInfo::Kind::error: ok_ = false; return;
  }
}

void Emitter::value_node(const ast::Expr& e, const ExprInfo& info) {
  if (auto* b = std::get_if<ast::BoolLit>(&e.node)) { op(b->value ? Op::PUSH_TRUE : Op::PUSH_FALSE); return; }
  if (auto* s = std::get_if<ast::StringLit>(&e.node)) { op(Op::CONST, string_constant(s->value)); return; }
  if (auto* s = std::get_if<ast::SetLit>(&e.node)) {
    uint64_t bits = 0;
    const auto& members = p_.schema.enums[info.type.index].members;
    for (const auto& mem : s->members)
      for (size_t k = 0; k < members.size(); ++k)
        if (members[k] == mem.name) bits |= 1ull << k;
    op(Op::CONST, constant(Value::set(info.type.index, bits)));
    return;
  }
  if (auto* u = std::get_if<ast::Unary>(&e.node)) {
    expr(*u->operand);
    if (u->op == ast::UnaryOp::not_) op(Op::NOT);
    else op(Op::NEG, static_cast<uint16_t>(info.type.type));
    return;
  }
  if (auto* k = std::get_if<ast::IsKnown>(&e.node)) {
    expr(*k->operand);
    op(Op::IS_KNOWN);
    if (k->negated) op(Op::NOT);
    return;
  }
  if (auto* b = std::get_if<ast::Binary>(&e.node)) { binary(*b, info); return; }
  if (auto* q = std::get_if<ast::Quantified>(&e.node)) { quantified(*q); return; }
  if (auto* x = std::get_if<ast::IfThenElse>(&e.node)) {
    expr(*x->cond);
    expr(*x->then_);
    expr(*x->else_);
    op(Op::SELECT);
    return;
  }
  if (auto* c = std::get_if<ast::Call>(&e.node)) {
    expr(*c->args[0]);
    expr(*c->args[1]);
    op(c->callee.name == "min" ? Op::MIN : Op::MAX, static_cast<uint16_t>(info.type.type));
    return;
  }
  bool ok = false;
  Value v = literal_value(e, ok);
  if (!ok) { ok_ = false; return; }
  op(Op::CONST, constant(v));
}

void Emitter::binary(const ast::Binary& b, const ExprInfo& info) {
  using BO = ast::BinaryOp;
  if (b.op == BO::and_ || b.op == BO::or_) {
    expr(*b.lhs);
    uint32_t j = op(b.op == BO::and_ ? Op::JUMP_IF_FALSE_KEEP : Op::JUMP_IF_TRUE_KEEP);
    expr(*b.rhs);
    op(b.op == BO::and_ ? Op::AND : Op::OR);
    jump_here(j);
    return;
  }
  expr(*b.lhs);
  expr(*b.rhs);
  const ExprInfo& l = m_.at(*b.lhs);
  const uint16_t lt = static_cast<uint16_t>(l.type.type);
  switch (b.op) {
    case BO::eq: op(Op::CMP, static_cast<uint16_t>(CmpOp::eq), lt); return;
    case BO::ne: op(Op::CMP, static_cast<uint16_t>(CmpOp::ne), lt); return;
    case BO::lt: op(Op::CMP, static_cast<uint16_t>(CmpOp::lt), lt); return;
    case BO::le: op(Op::CMP, static_cast<uint16_t>(CmpOp::le), lt); return;
    case BO::gt: op(Op::CMP, static_cast<uint16_t>(CmpOp::gt), lt); return;
    case BO::ge: op(Op::CMP, static_cast<uint16_t>(CmpOp::ge), lt); return;
    case BO::in: op(Op::IN_SET); return;
    case BO::not_in: op(Op::IN_SET); op(Op::NOT); return;
    case BO::add:
      if (l.type.type == Type::date || l.type.type == Type::datetime) {
        // Operand: low nibble the start's type, high nibble the result's (date for days and longer, datetime for hours).
        op(Op::PERIOD_END, static_cast<uint16_t>(lt | (static_cast<uint16_t>(info.type.type) << 4)));
        return;
      }
      op(Op::ADD, lt);
      return;
    case BO::sub: op(Op::SUB, lt); return;
    case BO::mul: op(Op::MUL, lt); return;
    case BO::div: op(Op::DIV, lt); return;
    case BO::and_: case BO::or_: return;
  }
}

void Emitter::quantified(const ast::Quantified& q) {
  const ExprInfo& list = m_.at(*q.list);
  expr(*q.list);
  uint8_t l = alloc_locals({StaticType{Type::list, list.type.index}, StaticType{Type::integer, 0}, StaticType{Type::record, list.type.index}});
  op(Op::ITER_INIT, l);
  switch (q.q) {
    case ast::Quantifier::any: op(Op::PUSH_FALSE); break;
    case ast::Quantifier::all: op(Op::PUSH_TRUE); break;
    case ast::Quantifier::count: op(Op::CONST, constant(Value::integer(0))); break;
  }
  const uint32_t top = static_cast<uint32_t>(p_.code.size());
  const uint32_t next = op(Op::ITER_NEXT, l);
  quant_local_[&q] = static_cast<uint8_t>(l + 2);
  expr(*q.body);
  quant_local_.erase(&q);
  op(q.q == ast::Quantifier::any ? Op::ACC_ANY : q.q == ast::Quantifier::all ? Op::ACC_ALL : Op::ACC_COUNT);
  loop_back(top);
  jump_here(next);
}

}  // namespace comity::codegen

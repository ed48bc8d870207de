// emit.cpp: the checked clauses → two bytecode blocks (request scope, item scope), the clause table
// and the source map of a Program. Knows nothing of ANTLR or the VM's internals.
#include <fmt/format.h>

#include "codegen/emitter.h"

namespace comity::codegen {

void Emitter::mark(ast::Span span) {
  if (!m_.sources || span.file >= m_.sources->files.size()) return;
  auto [line, col] = m_.sources->files[span.file].line_col(span.begin);
  if (line == last_line_) return;
  last_line_ = line;
  p_.source_map.push_back(SourcePos{static_cast<uint32_t>(p_.code.size()), line, col});
}

void Emitter::clause(uint16_t id) {
  const check::ClauseModel& cm = m_.clauses[id];
  const ast::Clause& c = *cm.clause;
  last_line_ = 0;
  mark(c.span);
  // status = when ∧ ¬requirement ∧ ¬unless₁ ∧ … ∧ ¬(exception₁ ∨ …), in Kleene logic
  if (c.when) expr(**c.when);
  else op(Op::PUSH_TRUE);
  // Most clauses do not apply to most requests: once `when` is false, nothing after it can change the
  // status (false ∧ x = false), so skip the requirement, the unless parts and the exceptions.
  const bool more = (cm.negate_value && c.value) || !c.unless.empty() || !cm.exceptions.empty();
  uint32_t skip_rest = 0;
  if (c.when && more) skip_rest = op(Op::JUMP_IF_FALSE_KEEP);
  if (cm.negate_value && c.value) {
    expr(**c.value);
    op(Op::NOT);
    op(Op::AND);
  }
  for (const auto& u : c.unless) {
    expr(*u);
    op(Op::NOT);
    op(Op::AND);
  }
  for (uint16_t e : cm.exceptions) {
    op(Op::LOAD_STATUS, e);
    op(Op::NOT);
    op(Op::AND);
  }
  if (skip_rest) jump_here(skip_rest);
  op(Op::STORE_STATUS, id);
  if (cm.kind == ClauseKind::deadline && c.value) {
    op(Op::LOAD_STATUS, id);
    uint32_t skip = op(Op::JUMP_UNLESS_TRUE);
    expr(**c.value);
    op(Op::STORE_VALUE, id);
    if (c.met_by) {
      expr(**c.met_by);
      op(Op::STORE_EVENT, id);
    }
    jump_here(skip);
  }
}

void Emitter::block(Block& b, bool item_scope) {
  b.offset = static_cast<uint32_t>(p_.code.size());
  b.locals.clear();
  locals_ = &b.locals;
  depth_ = max_depth_ = 0;
  if (item_scope) b.locals.push_back(StaticType{Type::record, m_.item_record});
  for (uint16_t id : m_.order)
    if (m_.clauses[id].item_scope == item_scope) clause(id);
  op(Op::RET);
  b.length = static_cast<uint32_t>(p_.code.size()) - b.offset;
  b.max_stack = static_cast<uint16_t>(max_depth_);
  locals_ = nullptr;
}

void Emitter::emit_program() {
  // The clause table mirrors the model, clause id for clause id.
  for (uint16_t id = 0; id < m_.clauses.size(); ++id) {
    const check::ClauseModel& cm = m_.clauses[id];
    const ast::Clause& c = *cm.clause;
    ClauseInfo ci;
    ci.kind = cm.kind;
    ci.item_scope = cm.item_scope;
    ci.article = cm.article_index;
    if (c.label) ci.label = c.label->name;
    if (c.name) ci.name = c.name->name;
    if (c.because) ci.reason = *c.because;
    if (c.strength) ci.strength = static_cast<Strength>(*c.strength);
    ci.targets = cm.targets;
    ci.prevails_over = cm.prevails_over;
    ci.instrument = p_.name;
    if (m_.sources && c.span.file < m_.sources->files.size()) {
      auto [line, col] = m_.sources->files[c.span.file].line_col(c.span.begin);
      ci.line = line;
      ci.column = col;
    }
    p_.clauses.push_back(std::move(ci));
  }
  if (m_.items_slot < 0)
    for (const auto& cm : m_.clauses)
      if (cm.item_scope) ok_ = false;  // cannot happen: item scope needs `decide each`
  block(p_.request_block, false);
  block(p_.item_block, true);
  if (!ok_ && !has_errors(*m_.diags))
    m_.error(DiagCode::bad_clause, {}, "internal compiler error: code generation failed without a diagnostic");
}

void emit(check::Model& m) {
  Emitter e(m);
  e.emit_program();
}

}  // namespace comity::codegen

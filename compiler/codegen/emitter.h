// emitter.h: bytecode emission from the checked model. Internal to codegen/; knows nothing of ANTLR.
#pragma once
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "check/model.h"
#include "comity/opcodes.h"

namespace comity::codegen {

class Emitter {
 public:
  explicit Emitter(check::Model& m) : m_(m), p_(*m.program) {}
  void emit_program();  // emit.cpp: constants, both blocks, clause table, source map

 private:
  // lower.cpp: expressions
  void expr(const ast::Expr& e);
  void value_node(const ast::Expr& e, const check::ExprInfo& info);
  void place(const check::ExprInfo& info, ast::Span span);
  void binary(const ast::Binary& b, const check::ExprInfo& info);
  void quantified(const ast::Quantified& q);
  uint16_t constant(const Value& v);
  uint16_t string_constant(std::string_view s);
  Value literal_value(const ast::Expr& e, bool& ok);

  // emit.cpp: blocks and clauses
  void block(Block& b, bool item_scope);
  void clause(uint16_t id);

  // instruction helpers: track stack depth as they go
  uint32_t op(Op o, uint16_t a = 0, uint16_t b = 0, int16_t jump = 0);
  uint32_t jump_here(uint32_t at);  // patch a forward jump at `at` to land here
  void loop_back(uint32_t target);
  uint8_t alloc_locals(std::initializer_list<StaticType> types);
  void mark(ast::Span span);

  check::Model& m_;
  Program& p_;
  std::map<std::tuple<uint8_t, uint8_t, uint16_t, int32_t, int64_t>, uint16_t> const_index_;
  std::map<std::string, uint16_t, std::less<>> string_index_;
  std::unordered_map<const ast::Quantified*, uint8_t> quant_local_;  // element local of each open quantifier
  std::vector<StaticType>* locals_ = nullptr;
  uint32_t block_start_ = 0;
  int depth_ = 0;
  int max_depth_ = 0;
  uint32_t last_line_ = 0;
  bool ok_ = true;
};

}  // namespace comity::codegen

// model.h: the checked model shared by check/ and codegen/: symbols, typed-expression side table,
// clause order and scopes. Internal to the compiler; knows nothing of ANTLR or the bytecode encoding.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ast/ast.h"
#include "comity/diagnostics.h"
#include "comity/program.h"

namespace comity::check {

// What a name or member expression denotes, and its static type.
struct ExprInfo {
  enum class Kind : uint8_t {
    value,        // an ordinary computed value
    root_place,   // a field of the request's root frame at `offset` (leaf or inline record)
    item_place,   // a field of the `decide each` item at `offset` from its base (0 = the item itself)
    quant_place,  // a field of a quantifier's element at `offset` (0 = the element itself)
    enum_type,    // the name of an enum type (only as the base of `Type.member`)
    enum_member,  // a constant enum member: `ordinal`
    define_ref,   // a `define`: inlined by codegen
    applies,      // applies(...): the OR of `clauses` statuses
    error,
  };
  Kind kind = Kind::error;
  StaticType type{};
  bool is_record = false;        // a place denoting a record (not loadable as a scalar)
  bool optional = false;         // a place whose fact may be unknown
  int32_t offset = 0;            // root_place / item_place / quant_place
  const ast::Quantified* quant = nullptr;  // quant_place
  int32_t ordinal = 0;           // enum_member
  const ast::DefineDecl* define = nullptr;
  std::vector<uint16_t> clauses; // applies
  bool mentions_item = false;    // depends on the `decide each` variable
  std::optional<ast::DurationUnit> literal_unit;  // a duration literal (or define of one): its unit
};

struct DefineInfo {
  const ast::DefineDecl* decl = nullptr;
  enum class State : uint8_t { unchecked, checking, done } state = State::unchecked;
  ExprInfo info;
  bool used = false;
};

struct ClauseModel {
  const ast::Clause* clause = nullptr;
  const ast::Article* article = nullptr;
  uint16_t article_index = 0;
  ClauseKind kind = ClauseKind::review;  // program-level kind (require → its `otherwise` kind)
  bool negate_value = false;             // require: the effect fires when the requirement is NOT met
  bool item_scope = false;
  std::vector<uint16_t> exceptions;      // exception clauses that target this one
  std::vector<uint16_t> depends;         // clauses that must be evaluated first (exceptions, applies)
  std::vector<uint16_t> targets, prevails_over;
};

struct RootField {
  const FieldInfo* field;  // in schema.records[root]
};

struct Model {
  Program* program = nullptr;            // schema, articles and clauses are filled in place
  const SourceSet* sources = nullptr;
  std::vector<Diagnostic>* diags = nullptr;

  std::map<std::string, uint16_t, std::less<>> enum_ids, record_ids;
  std::map<std::string, DefineInfo, std::less<>> defines;
  std::unordered_map<const ast::Expr*, ExprInfo> info;

  // `decide each m in measures`
  std::string item_var;
  uint16_t item_record = 0;
  int32_t items_slot = -1;

  std::vector<ClauseModel> clauses;          // index = clause id
  std::map<std::string, uint16_t, std::less<>> labels;  // label → clause id
  std::vector<uint16_t> order;               // evaluation order (dependencies first)

  const ast::Module* module = nullptr;

  void error(DiagCode code, ast::Span span, std::string message, std::string help = {});
  void warn(DiagCode code, ast::Span span, std::string message, std::string help = {});
  const ExprInfo& at(const ast::Expr& e) const { return info.at(&e); }
};

// Phases, in order. Each reports into model.diags and keeps going.
void build_schema(Model&);
void check_policy_decls(Model&); // resolve.cpp: decide each, periods, today (before defines)       // model.cpp: enums, records, input, periods, today, decide each
void check_defines(Model&);      // types.cpp
void check_define(Model&, DefineInfo&);
void check_clauses(Model&);      // resolve.cpp: articles, labels, targets, types, scopes, order, conflicts

// types.cpp: types an expression; `hint` guides bare enum members; `item_ok` allows the decide-each var.
struct ExprContext {
  bool allow_applies = false;
  std::vector<std::pair<std::string, const ast::Quantified*>> quant_vars;  // innermost last
};
const ExprInfo& check_expr(Model&, const ast::Expr&, ExprContext&, std::optional<StaticType> hint = std::nullopt);

std::string type_name(const Model&, StaticType);
std::string closest(std::string_view word, const std::vector<std::string>& candidates);  // "" if none close
bool is_optional_leaf(const Model&, const ExprInfo&);

}  // namespace comity::check

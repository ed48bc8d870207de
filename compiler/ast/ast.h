// ast.h: Comity's own syntax tree, every node with a source Span. Knows nothing of ANTLR or bytecode.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace comity::ast {

// Byte offsets into the source text of one file: [begin, end).
struct Span {
  uint32_t file = 0;  // index into the SourceSet the module came from
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct Ident {
  std::string name;
  Span span;
};

// ---- types -------------------------------------------------------------
struct TypeRef {
  enum class Kind : uint8_t { bool_, int_, decimal, string, date, datetime, duration, named, set_of, list_of, error };
  Kind kind = Kind::error;
  Ident name;                        // named (enum or record) and set_of (enum name)
  std::unique_ptr<TypeRef> element;  // list_of
  bool optional = false;             // `?`: the fact may be unknown
  Span span;
};

// ---- expressions -------------------------------------------------------
enum class BinaryOp : uint8_t { or_, and_, eq, ne, lt, le, gt, ge, in, not_in, add, sub, mul, div };
enum class UnaryOp : uint8_t { not_, neg };
enum class Quantifier : uint8_t { any, all, count };
enum class DurationUnit : uint8_t { hours, days, working_days, weeks, months, years };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct BoolLit { bool value; };
struct IntLit { int64_t value; };
struct DecimalLit { std::string text; };       // as written: "2.5"
struct StringLit { std::string value; };       // unescaped
struct DateLit { std::string text; };          // "2025-03-03"
struct DateTimeLit { std::string text; };      // "2025-03-03T10:00:00+01:00"
struct DurationLit { int64_t amount; DurationUnit unit; };
struct NameRef { Ident name; };                // a field, define, local, enum member or enum type
struct SetLit { std::vector<Ident> members; }; // {a, b, c}: set of enum members
struct Member { ExprPtr base; Ident field; };  // base.field
struct Call { Ident callee; std::vector<ExprPtr> args; };
struct Unary { UnaryOp op; ExprPtr operand; };
struct Binary { BinaryOp op; ExprPtr lhs, rhs; };
struct IsKnown { ExprPtr operand; bool negated; };  // `x is known` / `x is unknown`
struct Quantified { Quantifier q; Ident var; ExprPtr list; ExprPtr body; };
struct IfThenElse { ExprPtr cond, then_, else_; };
struct ErrorExpr {};                           // parse recovery placeholder

struct Expr {
  std::variant<BoolLit, IntLit, DecimalLit, StringLit, DateLit, DateTimeLit, DurationLit, NameRef, SetLit,
               Member, Call, Unary, Binary, IsKnown, Quantified, IfThenElse, ErrorExpr>
      node;
  Span span;
};

// ---- declarations ------------------------------------------------------
struct Field {
  Ident name;
  TypeRef type;
  Span span;
};

struct EnumDecl {
  Ident name;
  std::vector<Ident> members;
  Span span;
};

struct RecordDecl {
  Ident name;
  std::vector<Field> fields;
  Span span;
};

struct InputDecl {
  std::vector<Field> fields;
  Span span;
};

struct PeriodsDecl {
  Ident convention;                 // eu_1182_71 | frcp_6a | calendar_days
  std::optional<ExprPtr> calendar;  // a string field naming the State whose holidays apply
  Span span;
};

struct TodayDecl {  // `today as_of`: the field giving "now" for deadline status
  ExprPtr field;
  Span span;
};

struct DecideEachDecl {  // `decide each m in measures`
  Ident var;
  ExprPtr list;
  Span span;
};

struct DefineDecl {
  Ident name;
  ExprPtr value;
  Span span;
};

// ---- clauses -----------------------------------------------------------
enum class ClauseKind : uint8_t {
  refuse_mandatory,   // refuse mandatory when …
  refuse_optional,    // refuse optional when …
  postpone,           // postpone when …
  return_,            // return when …   (return to the issuing State)
  use_other_measure,  // use other measure when …
  impossible,         // impossible when …
  review,             // review when …    (human oversight)
  condition,          // condition NAME when …   (execution subject to a condition)
  require,            // require EXPR otherwise KIND …  (requirement; effect when not met)
  exception,          // exception to TARGET, … when …
  deadline,           // deadline NAME = EXPR when … strength S met by EXPR
  obligation,         // obligation ACTION "timing" when …
};

enum class Strength : uint8_t { hard, soft, target };

// A reference from an exception or priority to another clause: a label (`dual_criminality`)
// or an article citation ("11(1)(g)", which also matches every sub-article "11(1)(g)(i)").
struct ClauseTarget {
  bool is_article = false;
  std::string text;
  Span span;
};

struct Clause {
  ClauseKind kind;
  std::optional<Ident> label;             // `dual_criminality: refuse optional …`
  std::optional<Ident> name;              // condition / deadline / obligation name
  std::optional<ExprPtr> when;            // absent: always
  std::vector<ExprPtr> unless;            // each `unless E`
  std::optional<ExprPtr> value;           // deadline: the due expression; require: the requirement
  ClauseKind otherwise = ClauseKind::review;  // require: the effect when the requirement is not met
  std::vector<ClauseTarget> targets;      // exception: what it excepts
  std::vector<ClauseTarget> prevails_over;  // declared priority
  std::optional<Strength> strength;       // deadline
  std::optional<ExprPtr> met_by;          // deadline: the event (a date/datetime) that meets it
  std::optional<std::string> because;     // reason (grounds) / timing text (obligation)
  Span because_span;
  Span span;
};

struct Article {
  std::string citation;        // "11(1)(g)"
  Span citation_span;
  std::string title;           // "Dual criminality" (may be empty)
  std::string text;            // quoted text of the provision (may be empty)
  std::vector<Clause> clauses;
  Span span;
};

// ---- embedded tests ----------------------------------------------------
// A value in a test's `given` block; converted to request JSON by the test runner.
struct GivenValue;
struct GivenEntry;
struct GivenValue {
  enum class Kind : uint8_t { null, boolean, integer, decimal, string, date, datetime, duration, enum_member, list, record, error };
  Kind kind = Kind::error;
  std::string text;             // string/date/datetime/decimal/enum member as written; duration as ISO 8601
  int64_t integer = 0;
  bool boolean = false;
  std::vector<GivenValue> items;     // list
  std::vector<GivenEntry> entries;   // record
  Span span;
};
struct GivenEntry {
  Ident key;
  GivenValue value;
};

struct Expectation {
  enum class Kind : uint8_t {
    outcome,         // outcome: WORD
    measure_outcome, // measure N: WORD
    ground,          // ground "11(1)(g)"   (negated: no ground …)
    deadline,        // deadline NAME: DATE|DATETIME [STATUS]   (negated: no deadline NAME)
    missing,         // missing: [a.b, c]  (exact set)
    obligation,      // obligation NAME    (negated: no obligation …)
    condition,       // condition NAME     (negated: no condition …)
    error,
  };
  Kind kind = Kind::error;
  bool negated = false;
  std::string word;             // outcome word / article / deadline / obligation / condition name
  int64_t index = 0;            // measure N
  std::string due;              // deadline due, as written
  std::string status;           // deadline status, may be empty
  std::vector<std::string> paths;  // missing
  Span span;
};

struct TestDecl {
  std::string name;
  std::vector<GivenEntry> given;
  std::vector<Expectation> expect;
  Span span;
};

// ---- module ------------------------------------------------------------
struct PolicyHeader {
  std::string name;       // eu.eio
  std::string title;      // "Directive 2014/41/EU …"
  std::string version;    // "2014-04-03"
  std::string citation;   // optional
  Span span;
};

using Decl = std::variant<PeriodsDecl, TodayDecl, EnumDecl, RecordDecl, InputDecl, DecideEachDecl, DefineDecl,
                          Article, TestDecl>;

struct Module {
  PolicyHeader header;
  std::vector<Decl> decls;
};

}  // namespace comity::ast

// ast_dump.cpp: renders the AST as indented S-expressions (the format parse_test.cpp compares). Knows nothing of ANTLR.
#include "ast/ast_dump.h"

#include <fmt/format.h>

namespace comity::ast {

namespace {

template <class... Fs>
struct overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  out += '"';
  return out;
}

std::string_view op_text(BinaryOp op) {
  switch (op) {
    case BinaryOp::or_: return "or";
    case BinaryOp::and_: return "and";
    case BinaryOp::eq: return "==";
    case BinaryOp::ne: return "!=";
    case BinaryOp::lt: return "<";
    case BinaryOp::le: return "<=";
    case BinaryOp::gt: return ">";
    case BinaryOp::ge: return ">=";
    case BinaryOp::in: return "in";
    case BinaryOp::not_in: return "not-in";
    case BinaryOp::add: return "+";
    case BinaryOp::sub: return "-";
    case BinaryOp::mul: return "*";
    case BinaryOp::div: return "/";
  }
  return "?";
}

std::string_view unit_text(DurationUnit u) {
  switch (u) {
    case DurationUnit::hours: return "hours";
    case DurationUnit::days: return "days";
    case DurationUnit::working_days: return "working-days";
    case DurationUnit::weeks: return "weeks";
    case DurationUnit::months: return "months";
    case DurationUnit::years: return "years";
  }
  return "?";
}

std::string_view quantifier_text(Quantifier q) {
  switch (q) {
    case Quantifier::any: return "any";
    case Quantifier::all: return "all";
    case Quantifier::count: return "count";
  }
  return "?";
}

std::string_view clause_kind_text(ClauseKind k) {
  switch (k) {
    case ClauseKind::refuse_mandatory: return "refuse-mandatory";
    case ClauseKind::refuse_optional: return "refuse-optional";
    case ClauseKind::postpone: return "postpone";
    case ClauseKind::return_: return "return";
    case ClauseKind::use_other_measure: return "use-other-measure";
    case ClauseKind::impossible: return "impossible";
    case ClauseKind::review: return "review";
    case ClauseKind::condition: return "condition";
    case ClauseKind::require: return "require";
    case ClauseKind::exception: return "exception";
    case ClauseKind::deadline: return "deadline";
    case ClauseKind::obligation: return "obligation";
  }
  return "?";
}

std::string_view strength_text(Strength s) {
  switch (s) {
    case Strength::hard: return "hard";
    case Strength::soft: return "soft";
    case Strength::target: return "target";
  }
  return "?";
}

class Dumper {
 public:
  explicit Dumper(DumpOptions o) : opt_(o) {}

  std::string at(Span s) const { return opt_.spans ? fmt::format("@{}..{}", s.begin, s.end) : std::string(); }
  std::string id(const Ident& i) const { return (i.name.empty() ? std::string("<missing>") : i.name) + at(i.span); }

  std::string expr(const Expr& e) const {
    const std::string a = at(e.span);
    return std::visit(
        overloaded{
            [&](const BoolLit& n) { return std::string(n.value ? "true" : "false") + a; },
            [&](const IntLit& n) { return std::to_string(n.value) + a; },
            [&](const DecimalLit& n) { return n.text + a; },
            [&](const StringLit& n) { return quote(n.value) + a; },
            [&](const DateLit& n) { return fmt::format("(date{} {})", a, n.text); },
            [&](const DateTimeLit& n) { return fmt::format("(datetime{} {})", a, n.text); },
            [&](const DurationLit& n) { return fmt::format("(duration{} {} {})", a, n.amount, unit_text(n.unit)); },
            [&](const NameRef& n) { return id(n.name); },
            [&](const SetLit& n) {
              std::string s = "(set" + a;
              for (const auto& m : n.members) (s += ' ') += id(m);
              return s + ")";
            },
            [&](const Member& n) { return fmt::format("(.{} {} {})", a, sub(n.base), id(n.field)); },
            [&](const Call& n) {
              std::string s = "(call" + a + " " + id(n.callee);
              for (const auto& arg : n.args) (s += ' ') += sub(arg);
              return s + ")";
            },
            [&](const Unary& n) {
              return fmt::format("({}{} {})", n.op == UnaryOp::not_ ? "not" : "neg", a, sub(n.operand));
            },
            [&](const Binary& n) { return fmt::format("({}{} {} {})", op_text(n.op), a, sub(n.lhs), sub(n.rhs)); },
            [&](const IsKnown& n) {
              return fmt::format("({}{} {})", n.negated ? "is-unknown" : "is-known", a, sub(n.operand));
            },
            [&](const Quantified& n) {
              return fmt::format("({}{} {} {} {})", quantifier_text(n.q), a, id(n.var), sub(n.list), sub(n.body));
            },
            [&](const IfThenElse& n) {
              return fmt::format("(if{} {} {} {})", a, sub(n.cond), sub(n.then_), sub(n.else_));
            },
            [&](const ErrorExpr&) { return "(error" + a + ")"; },
        },
        e.node);
  }
  std::string sub(const ExprPtr& e) const { return e ? expr(*e) : std::string("(null)"); }

  std::string type(const TypeRef& t) const {
    std::string s;
    switch (t.kind) {
      case TypeRef::Kind::bool_: s = "bool"; break;
      case TypeRef::Kind::int_: s = "int"; break;
      case TypeRef::Kind::decimal: s = "decimal"; break;
      case TypeRef::Kind::string: s = "string"; break;
      case TypeRef::Kind::date: s = "date"; break;
      case TypeRef::Kind::datetime: s = "datetime"; break;
      case TypeRef::Kind::duration: s = "duration"; break;
      case TypeRef::Kind::named: s = id(t.name); break;
      case TypeRef::Kind::set_of: s = "(set-of " + id(t.name) + ")"; break;
      case TypeRef::Kind::list_of: s = "(list-of " + (t.element ? type(*t.element) : std::string("(error-type)")) + ")"; break;
      case TypeRef::Kind::error: s = "(error-type)"; break;
    }
    if (t.optional) s += "?";
    return s + at(t.span);
  }

  // Indented node: `(head` + one line per child + `)`.
  static std::string node(std::string head, const std::vector<std::string>& children, int depth) {
    std::string pad(static_cast<size_t>(depth + 1) * 2, ' ');
    std::string s = "(" + std::move(head);
    for (const auto& c : children) s += "\n" + pad + c;
    return s + ")";
  }

  std::string target(const ClauseTarget& t) const { return (t.is_article ? quote(t.text) : t.text) + at(t.span); }

  std::string clause(const Clause& c, int depth) const {
    std::vector<std::string> kids;
    if (c.label) kids.push_back("(label " + id(*c.label) + ")");
    if (c.name) kids.push_back("(name " + id(*c.name) + ")");
    if (c.kind == ClauseKind::exception) {
      std::string s = "(to";
      for (const auto& t : c.targets) (s += ' ') += target(t);
      kids.push_back(s + ")");
    }
    if (c.value) kids.push_back("(value " + sub(*c.value) + ")");
    if (c.kind == ClauseKind::require) kids.push_back(fmt::format("(otherwise {})", clause_kind_text(c.otherwise)));
    if (c.when) kids.push_back("(when " + sub(*c.when) + ")");
    for (const auto& u : c.unless) kids.push_back("(unless " + sub(u) + ")");
    if (!c.prevails_over.empty()) {
      std::string s = "(prevails-over";
      for (const auto& t : c.prevails_over) (s += ' ') += target(t);
      kids.push_back(s + ")");
    }
    if (c.strength) kids.push_back(fmt::format("(strength {})", strength_text(*c.strength)));
    if (c.met_by) kids.push_back("(met-by " + sub(*c.met_by) + ")");
    if (c.because) kids.push_back("(because " + quote(*c.because) + at(c.because_span) + ")");
    return node(std::string(clause_kind_text(c.kind)) + at(c.span), kids, depth);
  }

  std::string given_value(const GivenValue& v) const {
    const std::string a = at(v.span);
    switch (v.kind) {
      case GivenValue::Kind::null: return "null" + a;
      case GivenValue::Kind::boolean: return (v.boolean ? "true" : "false") + a;
      case GivenValue::Kind::integer: return std::to_string(v.integer) + a;
      case GivenValue::Kind::decimal: return v.text + a;
      case GivenValue::Kind::string: return quote(v.text) + a;
      case GivenValue::Kind::date: return "(date" + a + " " + v.text + ")";
      case GivenValue::Kind::datetime: return "(datetime" + a + " " + v.text + ")";
      case GivenValue::Kind::duration: return "(duration" + a + " " + v.text + ")";
      case GivenValue::Kind::enum_member: return v.text + a;
      case GivenValue::Kind::list: {
        std::string s = "[";
        for (size_t i = 0; i < v.items.size(); ++i) s += (i ? " " : "") + given_value(v.items[i]);
        return s + "]" + a;
      }
      case GivenValue::Kind::record: {
        std::string s = "{";
        for (size_t i = 0; i < v.entries.size(); ++i) s += (i ? " " : "") + given_entry(v.entries[i]);
        return s + "}" + a;
      }
      case GivenValue::Kind::error: return "(error" + a + ")";
    }
    return "(error)";
  }
  std::string given_entry(const GivenEntry& e) const { return "(" + id(e.key) + " " + given_value(e.value) + ")"; }

  std::string expectation(const Expectation& x) const {
    const std::string a = at(x.span);
    const std::string no = x.negated ? "no-" : "";
    switch (x.kind) {
      case Expectation::Kind::outcome: return "(outcome" + a + " " + x.word + ")";
      case Expectation::Kind::measure_outcome: return fmt::format("(measure{} {} {})", a, x.index, x.word);
      case Expectation::Kind::ground: return "(" + no + "ground" + a + " " + quote(x.word) + ")";
      case Expectation::Kind::deadline: {
        std::string s = "(" + no + "deadline" + a + " " + x.word;
        if (!x.due.empty()) (s += ' ') += x.due;
        if (!x.status.empty()) (s += ' ') += x.status;
        return s + ")";
      }
      case Expectation::Kind::missing: {
        std::string s = "(missing" + a;
        for (const auto& p : x.paths) (s += ' ') += p;
        return s + ")";
      }
      case Expectation::Kind::obligation: return "(" + no + "obligation" + a + " " + x.word + ")";
      case Expectation::Kind::condition: return "(" + no + "condition" + a + " " + x.word + ")";
      case Expectation::Kind::error: return "(error" + a + ")";
    }
    return "(error)";
  }

  std::string fields(std::string head, const std::vector<Field>& fs, int depth) const {
    std::vector<std::string> kids;
    for (const auto& f : fs) kids.push_back("(field" + at(f.span) + " " + id(f.name) + " " + type(f.type) + ")");
    return node(std::move(head), kids, depth);
  }

  std::string decl(const Decl& d, int depth) const {
    return std::visit(
        overloaded{
            [&](const PeriodsDecl& n) {
              std::string s = "(periods" + at(n.span) + " " + id(n.convention);
              if (n.calendar) s += " (calendar " + sub(*n.calendar) + ")";
              return s + ")";
            },
            [&](const TodayDecl& n) { return "(today" + at(n.span) + " " + sub(n.field) + ")"; },
            [&](const EnumDecl& n) {
              std::string s = "(enum" + at(n.span) + " " + id(n.name);
              for (const auto& m : n.members) (s += ' ') += id(m);
              return s + ")";
            },
            [&](const RecordDecl& n) { return fields("record" + at(n.span) + " " + id(n.name), n.fields, depth); },
            [&](const InputDecl& n) { return fields("input" + at(n.span), n.fields, depth); },
            [&](const DecideEachDecl& n) {
              return "(decide-each" + at(n.span) + " " + id(n.var) + " " + sub(n.list) + ")";
            },
            [&](const DefineDecl& n) { return "(define" + at(n.span) + " " + id(n.name) + " " + sub(n.value) + ")"; },
            [&](const Article& n) {
              std::string head = "article" + at(n.span) + " " + quote(n.citation) + at(n.citation_span);
              if (!n.title.empty()) head += " " + quote(n.title);
              std::vector<std::string> kids;
              if (!n.text.empty()) kids.push_back("(text " + quote(n.text) + ")");
              for (const auto& c : n.clauses) kids.push_back(clause(c, depth + 1));
              return node(head, kids, depth);
            },
            [&](const TestDecl& n) {
              std::vector<std::string> given, expect;
              for (const auto& g : n.given) given.push_back(given_entry(g));
              for (const auto& x : n.expect) expect.push_back(expectation(x));
              std::vector<std::string> kids;
              kids.push_back(node("given", given, depth + 1));
              kids.push_back(node("expect", expect, depth + 1));
              return node("test" + at(n.span) + " " + quote(n.name), kids, depth);
            },
        },
        d);
  }

  std::string module(const Module& m) const {
    const PolicyHeader& h = m.header;
    std::string header = "(policy" + at(h.span) + " " + (h.name.empty() ? std::string("<missing>") : h.name) + " " +
                         quote(h.title);
    if (!h.version.empty()) header += " (version " + quote(h.version) + ")";
    if (!h.citation.empty()) header += " (citation " + quote(h.citation) + ")";
    header += ")";
    std::vector<std::string> kids{header};
    for (const auto& d : m.decls) kids.push_back(decl(d, 1));
    return node("module", kids, 0) + "\n";
  }

 private:
  DumpOptions opt_;
};

}  // namespace

std::string dump(const Module& module, DumpOptions options) { return Dumper(options).module(module); }
std::string dump(const Expr& expr, DumpOptions options) { return Dumper(options).expr(expr); }
std::string dump(const TypeRef& type, DumpOptions options) { return Dumper(options).type(type); }

}  // namespace comity::ast

// ast_builder_exprs.cpp: parse-tree expressions and literals → ast::Expr. Knows nothing of types or names.
#include <charconv>
#include <fmt/format.h>

#include "syntax/builder.h"

namespace comity::syntax::detail {

namespace {

template <class T>
T* as(antlr4::ParserRuleContext* ctx) {
  return dynamic_cast<T*>(ctx);
}

ast::ExprPtr error_expr(ast::Span span) { return make_expr(ast::ErrorExpr{}, span); }

bool is_comparison(P::ExprContext* ctx) {
  return as<P::CompareExprContext>(ctx) != nullptr || as<P::IsKnownExprContext>(ctx) != nullptr;
}

std::optional<ast::BinaryOp> compare_op(P::CompareOpContext* ctx) {
  if (ctx == nullptr || ctx->start == nullptr) return std::nullopt;
  if (ctx->NOT() != nullptr) return ctx->IN() != nullptr ? std::optional(ast::BinaryOp::not_in) : std::nullopt;
  if (ctx->IN() != nullptr) return ast::BinaryOp::in;
  const std::string t = ctx->getText();
  if (t == "==") return ast::BinaryOp::eq;
  if (t == "!=") return ast::BinaryOp::ne;
  if (t == "<") return ast::BinaryOp::lt;
  if (t == "<=") return ast::BinaryOp::le;
  if (t == ">") return ast::BinaryOp::gt;
  if (t == ">=") return ast::BinaryOp::ge;
  return std::nullopt;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

std::optional<int64_t> Builder::parse_int(antlr4::tree::TerminalNode* node, bool negative) {
  std::string t = text(node);
  if (t.empty()) return std::nullopt;
  if (negative) t.insert(t.begin(), '-');
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size()) {
    error(DiagCode::invalid_literal, span(node, {}), fmt::format("`{}` is too large for an integer", t),
          "integers range from -9223372036854775808 to 9223372036854775807");
    return std::nullopt;
  }
  return v;
}

void Builder::check_date(std::string_view t, ast::Span at) {
  if (t.size() < 10) return;
  int y = to_int(t.substr(0, 4)), m = to_int(t.substr(5, 2)), d = to_int(t.substr(8, 2));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool ok = m >= 1 && m <= 12 && d >= 1 && d <= kDays[m - 1] + ((m == 2 && leap(y)) ? 1 : 0);
  if (!ok)
    error(DiagCode::invalid_literal, at, fmt::format("`{}` is not a date", t.substr(0, 10)),
          "dates are written YYYY-MM-DD with a month from 01 to 12 and a day that exists in that month");
}

void Builder::check_datetime(std::string_view t, ast::Span at) {
  check_date(t, ast::Span{at.file, at.begin, at.begin + 10});
  if (t.size() < 16) return;
  int hh = to_int(t.substr(11, 2)), mm = to_int(t.substr(14, 2)), ss = 0;
  if (t.size() >= 19 && t[16] == ':') ss = to_int(t.substr(17, 2));
  if (hh > 23 || mm > 59 || ss > 59)
    error(DiagCode::invalid_literal, at, fmt::format("`{}` is not a valid time of day", t),
          "hours run from 00 to 23, minutes and seconds from 00 to 59");
  char last = t.back();
  bool zoned = last == 'Z' || (t.size() >= 6 && (t[t.size() - 6] == '+' || t[t.size() - 6] == '-'));
  if (!zoned)
    error(DiagCode::invalid_literal, at, fmt::format("instant `{}` has no time zone", t),
          "add `Z` for UTC or an offset such as `+01:00`");
}

std::optional<ast::DurationUnit> Builder::build_unit(P::DurationUnitContext* ctx) {
  using L = P;
  if (ctx == nullptr || ctx->start == nullptr || ctx->exception != nullptr) return std::nullopt;
  if (ctx->WORKING() != nullptr) return ast::DurationUnit::working_days;
  switch (ctx->start->getType()) {
    case L::HOUR: case L::HOURS: return ast::DurationUnit::hours;
    case L::DAY: case L::DAYS: return ast::DurationUnit::days;
    case L::WEEK: case L::WEEKS: return ast::DurationUnit::weeks;
    case L::MONTH: case L::MONTHS: return ast::DurationUnit::months;
    case L::YEAR: case L::YEARS: return ast::DurationUnit::years;
    default: return std::nullopt;
  }
}

ast::ExprPtr Builder::build_expr(P::ExprContext* ctx, ast::Span fallback) {
  if (ctx == nullptr) return error_expr(ast::Span{fallback.file, fallback.end, fallback.end});
  const ast::Span sp = span(ctx, fallback);
  const ast::Span after = ast::Span{sp.file, sp.end, sp.end};

  if (auto* c = as<P::PrimaryExprContext>(ctx)) return build_primary(c->primary(), sp);

  if (auto* c = as<P::MemberExprContext>(ctx)) {
    auto base = build_expr(c->expr(), sp);
    ast::Ident field = ident(c->identifier(), sp);
    if (field.name.empty()) return error_expr(sp);
    return make_expr(ast::Member{std::move(base), std::move(field)}, sp);
  }
  if (auto* c = as<P::NegExprContext>(ctx))
    return make_expr(ast::Unary{ast::UnaryOp::neg, build_expr(c->expr(), after)}, sp);
  if (auto* c = as<P::NotExprContext>(ctx))
    return make_expr(ast::Unary{ast::UnaryOp::not_, build_expr(c->expr(), after)}, sp);

  auto binary = [&](ast::BinaryOp op, P::ExprContext* l, P::ExprContext* r) {
    auto lhs = build_expr(l, sp);
    auto rhs = build_expr(r, after);
    return make_expr(ast::Binary{op, std::move(lhs), std::move(rhs)}, sp);
  };
  if (auto* c = as<P::MulExprContext>(ctx))
    return binary(c->op != nullptr && c->op->getType() == P::SLASH ? ast::BinaryOp::div : ast::BinaryOp::mul,
                  c->expr(0), c->expr(1));
  if (auto* c = as<P::AddExprContext>(ctx))
    return binary(c->op != nullptr && c->op->getType() == P::MINUS ? ast::BinaryOp::sub : ast::BinaryOp::add,
                  c->expr(0), c->expr(1));
  if (auto* c = as<P::AndExprContext>(ctx)) return binary(ast::BinaryOp::and_, c->expr(0), c->expr(1));
  if (auto* c = as<P::OrExprContext>(ctx)) return binary(ast::BinaryOp::or_, c->expr(0), c->expr(1));

  if (auto* c = as<P::CompareExprContext>(ctx)) {
    auto op = compare_op(c->compareOp());
    if (!op) return error_expr(sp);
    // Comparisons do not associate: `a < b < c` is a mistake, not `(a < b) < c`.
    for (P::ExprContext* side : {c->expr(0), c->expr(1)}) {
      if (is_comparison(side))
        error(DiagCode::syntax_error, sp, "comparisons cannot be chained",
              "join two comparisons with `and`, or add parentheses to say which comes first");
    }
    return binary(*op, c->expr(0), c->expr(1));
  }
  if (auto* c = as<P::IsKnownExprContext>(ctx)) {
    if (is_comparison(c->expr()))
      error(DiagCode::syntax_error, sp, "`is known` cannot follow another comparison",
            "add parentheses around the fact being tested");
    bool negated = c->UNKNOWN() != nullptr;
    if (c->KNOWN() == nullptr && !negated) return error_expr(sp);
    return make_expr(ast::IsKnown{build_expr(c->expr(), sp), negated}, sp);
  }
  if (auto* c = as<P::IfExprContext>(ctx)) {
    auto cond = build_expr(c->expr(0), after);
    auto then_ = build_expr(c->expr(1), after);
    auto else_ = build_expr(c->expr(2), after);
    return make_expr(ast::IfThenElse{std::move(cond), std::move(then_), std::move(else_)}, sp);
  }
  if (auto* c = as<P::QuantifiedExprContext>(ctx)) {
    ast::Quantifier q = ast::Quantifier::any;
    if (auto* qc = c->quantifier()) {
      if (qc->ALL() != nullptr) q = ast::Quantifier::all;
      else if (qc->COUNT() != nullptr) q = ast::Quantifier::count;
    }
    ast::Ident var = ident(c->identifier(), sp);
    auto list = build_expr(c->expr(0), after);
    auto body = build_expr(c->expr(1), after);
    return make_expr(ast::Quantified{q, std::move(var), std::move(list), std::move(body)}, sp);
  }
  return error_expr(sp);  // recovery left a bare ExprContext: the parser has reported why
}

ast::ExprPtr Builder::build_primary(P::PrimaryContext* ctx, ast::Span fallback) {
  if (ctx == nullptr) return error_expr(fallback);
  const ast::Span sp = span(ctx, fallback);

  if (auto* c = as<P::IntLitContext>(ctx)) {
    auto v = parse_int(c->INT());
    return v ? make_expr(ast::IntLit{*v}, sp) : error_expr(sp);
  }
  if (auto* c = as<P::DurationLitContext>(ctx)) {
    auto v = parse_int(c->INT());
    auto unit = build_unit(c->durationUnit());
    if (!v || !unit) return error_expr(sp);
    return make_expr(ast::DurationLit{*v, *unit}, sp);
  }
  if (auto* c = as<P::DecimalLitContext>(ctx)) return make_expr(ast::DecimalLit{text(c->DECIMAL())}, sp);
  if (auto* c = as<P::StringLitExprContext>(ctx)) return make_expr(ast::StringLit{string_value(c->stringLit())}, sp);
  if (auto* c = as<P::BoolLitContext>(ctx)) return make_expr(ast::BoolLit{c->TRUE() != nullptr}, sp);
  if (auto* c = as<P::DateLitContext>(ctx)) {
    std::string t = text(c->DATE());
    check_date(t, sp);
    return make_expr(ast::DateLit{std::move(t)}, sp);
  }
  if (auto* c = as<P::DateTimeLitContext>(ctx)) {
    std::string t = text(c->DATETIME());
    check_datetime(t, sp);
    return make_expr(ast::DateTimeLit{std::move(t)}, sp);
  }
  if (auto* c = as<P::NameExprContext>(ctx)) {
    ast::Ident name = ident(c->exprName(), sp);
    if (name.name.empty()) return error_expr(sp);
    return make_expr(ast::NameRef{std::move(name)}, sp);
  }
  if (auto* c = as<P::CallExprContext>(ctx)) {
    ast::Call call{ident(c->exprName(), sp), {}};
    for (auto* arg : c->expr()) call.args.push_back(build_expr(arg, sp));
    return make_expr(std::move(call), sp);
  }
  if (auto* c = as<P::ParenExprContext>(ctx)) {
    // The parentheses belong to the inner node's span so that a diagnostic underlines them too.
    auto inner = build_expr(c->expr(), ast::Span{sp.file, sp.begin + 1, sp.begin + 1});
    inner->span = sp;
    return inner;
  }
  if (auto* c = as<P::SetLitContext>(ctx)) {
    ast::SetLit set;
    for (auto* m : c->identifier()) {
      ast::Ident id = ident(m, sp);
      if (!id.name.empty()) set.members.push_back(std::move(id));
    }
    return make_expr(std::move(set), sp);
  }
  return error_expr(sp);
}

}  // namespace comity::syntax::detail

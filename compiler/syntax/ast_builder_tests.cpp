// ast_builder_tests.cpp: parse-tree `test` blocks (given values, expectations) → ast::TestDecl.
// Knows nothing of the test runner or request JSON; durations become ISO 8601 text here.
#include <fmt/format.h>

#include "syntax/builder.h"

namespace comity::syntax::detail {

namespace {

template <class T>
T* as(antlr4::ParserRuleContext* ctx) {
  return dynamic_cast<T*>(ctx);
}

}  // namespace

ast::TestDecl Builder::build_test(P::TestDeclContext& ctx) {
  ast::TestDecl t;
  t.span = span(&ctx, {});
  t.name = string_value(ctx.stringLit());
  for (auto* block : ctx.testBlock()) {
    if (auto* g = as<P::GivenBlockContext>(block)) {
      for (auto* e : g->givenEntry()) t.given.push_back(build_given_entry(*e));
    } else if (auto* x = as<P::ExpectBlockContext>(block)) {
      for (auto* e : x->expectation()) t.expect.push_back(build_expectation(*e));
    }
  }
  return t;
}

ast::GivenEntry Builder::build_given_entry(P::GivenEntryContext& ctx) {
  ast::Span sp = span(&ctx, {});
  ast::GivenEntry e;
  e.key = ident(ctx.identifier(), sp);
  e.value = build_given_value(ctx.givenValue(), ast::Span{sp.file, sp.end, sp.end});
  return e;
}

ast::GivenValue Builder::build_given_value(P::GivenValueContext* ctx, ast::Span fallback) {
  using K = ast::GivenValue::Kind;
  ast::GivenValue v;
  v.span = span(ctx, fallback);
  if (ctx == nullptr) return v;

  if (as<P::GivenNullContext>(ctx) != nullptr) {
    v.kind = K::null;
  } else if (auto* c = as<P::GivenBoolContext>(ctx)) {
    v.kind = K::boolean;
    v.boolean = c->TRUE() != nullptr;
    v.text = v.boolean ? "true" : "false";
  } else if (auto* c = as<P::GivenIntContext>(ctx)) {
    if (auto n = parse_int(c->INT(), c->MINUS() != nullptr)) {
      v.kind = K::integer;
      v.integer = *n;
      v.text = std::to_string(*n);
    }
  } else if (auto* c = as<P::GivenDecimalContext>(ctx)) {
    v.kind = K::decimal;
    if (c->MINUS() != nullptr) v.text.push_back('-');
    v.text.append(text(c->DECIMAL()));
  } else if (auto* c = as<P::GivenDurationContext>(ctx)) {
    auto n = parse_int(c->INT());
    auto unit = build_unit(c->durationUnit());
    if (n && unit) {
      std::string sign = c->MINUS() != nullptr ? "-" : "";
      v.kind = K::duration;
      v.integer = c->MINUS() != nullptr ? -*n : *n;
      switch (*unit) {
        case ast::DurationUnit::hours: v.text = fmt::format("{}PT{}H", sign, *n); break;
        case ast::DurationUnit::days: v.text = fmt::format("{}P{}D", sign, *n); break;
        case ast::DurationUnit::weeks: v.text = fmt::format("{}P{}W", sign, *n); break;
        case ast::DurationUnit::months: v.text = fmt::format("{}P{}M", sign, *n); break;
        case ast::DurationUnit::years: v.text = fmt::format("{}P{}Y", sign, *n); break;
        case ast::DurationUnit::working_days:
          v.kind = K::error;
          error(DiagCode::bad_test, v.span, "working days cannot be a request value",
                "a request states durations in hours, days, weeks, months or years; working days depend on a "
                "calendar and exist only in a policy's deadlines");
          break;
      }
    }
  } else if (auto* c = as<P::GivenStringContext>(ctx)) {
    v.kind = K::string;
    v.text = string_value(c->stringLit());
  } else if (auto* c = as<P::GivenDateContext>(ctx)) {
    v.kind = K::date;
    v.text = text(c->DATE());
    check_date(v.text, v.span);
  } else if (auto* c = as<P::GivenDateTimeContext>(ctx)) {
    v.kind = K::datetime;
    v.text = text(c->DATETIME());
    check_datetime(v.text, v.span);
  } else if (auto* c = as<P::GivenEnumContext>(ctx)) {
    ast::Ident id = ident(c->identifier(), v.span);
    if (!id.name.empty()) {
      v.kind = K::enum_member;
      v.text = std::move(id.name);
    }
  } else if (auto* c = as<P::GivenListContext>(ctx)) {
    v.kind = K::list;
    for (auto* item : c->givenValue()) v.items.push_back(build_given_value(item, v.span));
  } else if (auto* c = as<P::GivenRecordContext>(ctx)) {
    v.kind = K::record;
    for (auto* e : c->givenEntry()) v.entries.push_back(build_given_entry(*e));
  }
  return v;
}

ast::Expectation Builder::build_expectation(P::ExpectationContext& ctx) {
  using K = ast::Expectation::Kind;
  ast::Expectation x;
  x.span = span(&ctx, {});
  auto word = [&](P::IdentifierContext* id) { return ident(id, x.span).name; };

  if (auto* c = as<P::ExpectOutcomeContext>(&ctx)) {
    x.kind = K::outcome;
    x.word = word(c->identifier());
  } else if (auto* c = as<P::ExpectMeasureContext>(&ctx)) {
    x.kind = K::measure_outcome;
    x.index = parse_int(c->INT()).value_or(0);
    x.word = word(c->identifier());
  } else if (auto* c = as<P::ExpectGroundContext>(&ctx)) {
    x.kind = K::ground;
    x.negated = c->NO() != nullptr;
    x.word = string_value(c->stringLit());
  } else if (auto* c = as<P::ExpectDeadlineContext>(&ctx)) {
    x.kind = K::deadline;
    auto ids = c->identifier();
    if (!ids.empty()) x.word = word(ids[0]);
    if (c->DATE() != nullptr) {
      x.due = text(c->DATE());
      check_date(x.due, span(c->DATE(), x.span));
    } else if (c->DATETIME() != nullptr) {
      x.due = text(c->DATETIME());
      check_datetime(x.due, span(c->DATETIME(), x.span));
    }
    if (ids.size() > 1) {
      ast::Ident status = ident(ids[1], x.span);
      if (status.name == "pending" || status.name == "met" || status.name == "missed") {
        x.status = status.name;
      } else if (!status.name.empty()) {
        error(DiagCode::bad_test, status.span, fmt::format("`{}` is not a deadline status", status.name),
              "a deadline is `pending`, `met` or `missed`");
      }
    }
  } else if (auto* c = as<P::ExpectNoDeadlineContext>(&ctx)) {
    x.kind = K::deadline;
    x.negated = true;
    x.word = word(c->identifier());
  } else if (auto* c = as<P::ExpectMissingContext>(&ctx)) {
    x.kind = K::missing;
    for (auto* p : c->path()) {
      // The path as written, without any spaces or comments between its tokens.
      std::string path;
      for (auto* step : p->pathStep()) {
        if (!path.empty()) path += '.';
        path += word(step->identifier());
        if (step->LBRACK() != nullptr) {
          path += '[';
          path += text(step->INT());
          path += ']';
        }
      }
      x.paths.push_back(std::move(path));
    }
  } else if (auto* c = as<P::ExpectObligationContext>(&ctx)) {
    x.kind = K::obligation;
    x.negated = c->NO() != nullptr;
    x.word = word(c->identifier());
  } else if (auto* c = as<P::ExpectConditionContext>(&ctx)) {
    x.kind = K::condition;
    x.negated = c->NO() != nullptr;
    x.word = word(c->identifier());
  }
  return x;
}

}  // namespace comity::syntax::detail

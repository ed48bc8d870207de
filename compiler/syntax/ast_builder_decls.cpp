// ast_builder_decls.cpp: parse-tree header, declarations, articles and clauses → ast nodes.
// Reports only what the tree shows (a duplicate modifier, a refusal without its modality); no name lookup.
#include <fmt/format.h>

#include "syntax/builder.h"

namespace comity::syntax::detail {

namespace {

template <class T>
T* as(antlr4::ParserRuleContext* ctx) {
  return dynamic_cast<T*>(ctx);
}

std::optional<ast::TypeRef::Kind> primitive(std::string_view name) {
  using K = ast::TypeRef::Kind;
  if (name == "bool") return K::bool_;
  if (name == "int") return K::int_;
  if (name == "decimal") return K::decimal;
  if (name == "string") return K::string;
  if (name == "date") return K::date;
  if (name == "datetime") return K::datetime;
  if (name == "duration") return K::duration;
  return std::nullopt;
}

}  // namespace

ast::PolicyHeader Builder::build_header(P::HeaderContext& ctx) {
  ast::PolicyHeader h;
  h.span = span(&ctx, {});
  if (auto* name = ctx.dottedName()) {
    for (auto* part : name->identifier()) {
      ast::Ident id = ident(part, h.span);
      if (id.name.empty()) continue;
      if (!h.name.empty()) h.name += '.';
      h.name += id.name;
    }
  }
  // Strings in order: title, then the version (if a string), then the citation.
  auto strings = ctx.stringLit();
  size_t next = 0;
  if (next < strings.size()) h.title = string_value(strings[next++]);
  if (ctx.VERSION() != nullptr) {
    if (ctx.DATE() != nullptr) h.version = text(ctx.DATE());
    else if (next < strings.size()) h.version = string_value(strings[next++]);
  }
  if (ctx.CITATION() != nullptr && next < strings.size()) h.citation = string_value(strings[next++]);
  return h;
}

ast::Field Builder::build_field(P::FieldContext& ctx) {
  ast::Field f;
  f.span = span(&ctx, {});
  f.name = ident(ctx.identifier(), f.span);
  f.type = build_type(ctx.typeRef(), ast::Span{f.span.file, f.span.end, f.span.end});
  return f;
}

ast::TypeRef Builder::build_type(P::TypeRefContext* ctx, ast::Span fallback) {
  if (ctx == nullptr) {
    ast::TypeRef t;
    t.span = fallback;
    return t;
  }
  ast::TypeRef t = build_base_type(ctx->baseType(), span(ctx, fallback));
  t.optional = ctx->QUESTION() != nullptr;
  t.span = span(ctx, fallback);
  return t;
}

ast::TypeRef Builder::build_base_type(P::BaseTypeContext* ctx, ast::Span fallback) {
  ast::TypeRef t;
  t.span = span(ctx, fallback);
  if (auto* c = as<P::NamedTypeContext>(ctx)) {
    t.name = ident(c->typeName(), t.span);
    if (t.name.name.empty()) return t;  // error kind
    if (auto k = primitive(t.name.name)) {
      t.kind = *k;
      t.name = {};
    } else {
      t.kind = ast::TypeRef::Kind::named;
    }
  } else if (auto* s = as<P::SetTypeContext>(ctx)) {
    t.name = ident(s->typeName(), t.span);
    if (!t.name.name.empty()) t.kind = ast::TypeRef::Kind::set_of;
  } else if (auto* l = as<P::ListTypeContext>(ctx)) {
    auto element = build_base_type(l->baseType(), ast::Span{t.span.file, t.span.end, t.span.end});
    t.kind = ast::TypeRef::Kind::list_of;
    t.element = std::make_unique<ast::TypeRef>(std::move(element));
  }
  return t;
}

ast::ClauseTarget Builder::build_target(P::TargetContext& ctx) {
  ast::ClauseTarget t;
  t.span = span(&ctx, {});
  if (auto* s = ctx.stringLit()) {
    t.is_article = true;
    t.text = string_value(s);
  } else {
    t.text = ident(ctx.labelName(), t.span).name;
  }
  return t;
}

std::optional<ast::ClauseKind> Builder::build_effect_kind(P::EffectKindContext* ctx) {
  using K = ast::ClauseKind;
  if (ctx == nullptr || ctx->start == nullptr) return std::nullopt;
  if (auto* r = as<P::RefuseKindContext>(ctx)) {
    if (r->MANDATORY() != nullptr) return K::refuse_mandatory;
    if (r->OPTIONAL() != nullptr) return K::refuse_optional;
    ast::Span sp = span(r, {});
    error(DiagCode::bad_clause, sp, "`refuse` must say whether the ground is `mandatory` or `optional`",
          "write `refuse mandatory` (the State must refuse) or `refuse optional` (the authority may refuse)");
    return K::refuse_optional;
  }
  if (as<P::PostponeKindContext>(ctx) != nullptr) return K::postpone;
  if (as<P::ReturnKindContext>(ctx) != nullptr) return K::return_;
  if (auto* u = as<P::OtherMeasureKindContext>(ctx)) {
    if (u->MEASURE() == nullptr) return std::nullopt;
    return K::use_other_measure;
  }
  if (as<P::ImpossibleKindContext>(ctx) != nullptr) return K::impossible;
  if (as<P::ReviewKindContext>(ctx) != nullptr) return K::review;
  return std::nullopt;
}

std::optional<ast::Clause> Builder::build_clause(P::ClauseContext& ctx) {
  ast::Clause c{};
  c.span = span(&ctx, {});
  const ast::Span after_head = end_of(ctx.clauseHead(), c.span);
  if (ctx.labelName() != nullptr) {
    ast::Ident label = ident(ctx.labelName(), c.span);
    if (!label.name.empty()) c.label = std::move(label);
  }

  P::ClauseHeadContext* head = ctx.clauseHead();
  if (auto* h = as<P::EffectHeadContext>(head)) {
    auto kind = build_effect_kind(h->effectKind());
    if (!kind) return std::nullopt;
    c.kind = *kind;
  } else if (auto* h = as<P::ConditionHeadContext>(head)) {
    c.kind = ast::ClauseKind::condition;
    ast::Ident name = ident(h->identifier(), span(h, c.span));
    if (!name.name.empty()) c.name = std::move(name);
  } else if (auto* h = as<P::RequireHeadContext>(head)) {
    c.kind = ast::ClauseKind::require;
    c.value = build_expr(h->expr(), span(h, c.span));
    // Without a readable effect (the parser has said why) the default, review, stands.
    if (auto k = build_effect_kind(h->effectKind())) c.otherwise = *k;
  } else if (auto* h = as<P::ExceptionHeadContext>(head)) {
    c.kind = ast::ClauseKind::exception;
    for (auto* t : h->target()) c.targets.push_back(build_target(*t));
  } else if (auto* h = as<P::DeadlineHeadContext>(head)) {
    c.kind = ast::ClauseKind::deadline;
    ast::Span hs = span(h, c.span);
    ast::Ident name = ident(h->identifier(), hs);
    if (!name.name.empty()) c.name = std::move(name);
    c.value = build_expr(h->expr(), ast::Span{hs.file, hs.end, hs.end});
  } else if (auto* h = as<P::ObligationHeadContext>(head)) {
    c.kind = ast::ClauseKind::obligation;
    ast::Ident name = ident(h->identifier(), span(h, c.span));
    if (!name.name.empty()) c.name = std::move(name);
    if (auto* s = h->stringLit()) {
      c.because = string_value(s);
      c.because_span = span(s, c.span);
    }
  } else {
    return std::nullopt;  // no recognisable clause: the parser has reported it
  }

  // Modifiers in any order; each at most once except `unless`.
  std::vector<std::pair<std::string, ast::Span>> seen;
  auto once = [&](const std::string& word, ast::Span at) {
    for (const auto& [w, first] : seen) {
      if (w != word) continue;
      Diagnostic d = make_diag(DiagCode::bad_clause, at, fmt::format("`{}` appears twice in this clause", word),
                               word == "when" ? "combine the conditions with `and`" : "keep one of them");
      d.labels.push_back(Label{first, "first given here"});
      diags_.push_back(std::move(d));
      return false;
    }
    seen.emplace_back(word, at);
    return true;
  };
  for (auto* m : ctx.clauseModifier()) {
    ast::Span ms = span(m, after_head);
    ast::Span after = end_of(m, after_head);
    if (auto* w = as<P::WhenModifierContext>(m)) {
      if (once("when", ms)) c.when = build_expr(w->expr(), after);
    } else if (auto* u = as<P::UnlessModifierContext>(m)) {
      c.unless.push_back(build_expr(u->expr(), after));
    } else if (auto* p = as<P::PrevailsModifierContext>(m)) {
      if (once("prevails over", ms))
        for (auto* t : p->target()) c.prevails_over.push_back(build_target(*t));
    } else if (auto* s = as<P::StrengthModifierContext>(m)) {
      if (!once("strength", ms)) continue;
      if (s->HARD() != nullptr) c.strength = ast::Strength::hard;
      else if (s->SOFT() != nullptr) c.strength = ast::Strength::soft;
      else if (s->TARGET() != nullptr) c.strength = ast::Strength::target;
    } else if (auto* b = as<P::MetByModifierContext>(m)) {
      if (once("met by", ms)) c.met_by = build_expr(b->expr(), after);
    } else if (auto* b = as<P::BecauseModifierContext>(m)) {
      if (!once("because", ms)) continue;
      if (c.kind == ast::ClauseKind::obligation && c.because) {
        error(DiagCode::bad_clause, ms, "an obligation's timing text already stands for its `because`",
              "put the reason in the timing text: `obligation NAME \"timing\"`");
        continue;
      }
      c.because = string_value(b->stringLit());
      c.because_span = span(b->stringLit(), ms);
    }
  }
  return c;
}

ast::Article Builder::build_article(P::ArticleDeclContext& ctx) {
  ast::Article a;
  a.span = span(&ctx, {});
  // Strings in source order: citation, optional title, then the one after `text`.
  bool after_text = false;
  int plain = 0;
  for (auto* child : ctx.children) {
    if (auto* term = dynamic_cast<antlr4::tree::TerminalNode*>(child)) {
      if (term->getSymbol()->getType() == P::TEXT) after_text = true;
      continue;
    }
    auto* s = dynamic_cast<P::StringLitContext*>(child);
    if (s == nullptr) continue;
    if (after_text) {
      a.text = string_value(s);
    } else if (plain++ == 0) {
      a.citation = string_value(s);
      a.citation_span = span(s, a.span);
    } else {
      a.title = string_value(s);
    }
  }
  if (plain == 0) a.citation_span = ast::Span{a.span.file, a.span.end, a.span.end};
  for (auto* cl : ctx.clause()) {
    if (cl == nullptr) continue;
    if (auto c = build_clause(*cl)) a.clauses.push_back(std::move(*c));
  }
  return a;
}

std::optional<ast::Decl> Builder::build_decl(P::DeclContext& ctx) {
  const ast::Span sp = span(&ctx, {});
  const ast::Span after = ast::Span{sp.file, sp.end, sp.end};

  if (auto* c = as<P::PeriodsDeclContext>(&ctx)) {
    ast::PeriodsDecl d;
    d.span = sp;
    d.convention = ident(c->identifier(), sp);
    if (c->CALENDAR() != nullptr) d.calendar = build_expr(c->expr(), after);
    return d;
  }
  if (auto* c = as<P::TodayDeclContext>(&ctx)) return ast::TodayDecl{build_expr(c->expr(), after), sp};
  if (auto* c = as<P::EnumDeclContext>(&ctx)) {
    ast::EnumDecl d;
    d.span = sp;
    auto ids = c->identifier();
    if (!ids.empty()) d.name = ident(ids[0], sp);
    for (size_t i = 1; i < ids.size(); ++i) {
      ast::Ident m = ident(ids[i], sp);
      if (!m.name.empty()) d.members.push_back(std::move(m));
    }
    return d;
  }
  if (auto* c = as<P::RecordDeclContext>(&ctx)) {
    ast::RecordDecl d;
    d.span = sp;
    d.name = ident(c->identifier(), sp);
    for (auto* f : c->field()) d.fields.push_back(build_field(*f));
    return d;
  }
  if (auto* c = as<P::InputDeclContext>(&ctx)) {
    ast::InputDecl d;
    d.span = sp;
    for (auto* f : c->field()) d.fields.push_back(build_field(*f));
    return d;
  }
  if (auto* c = as<P::DecideDeclContext>(&ctx))
    return ast::DecideEachDecl{ident(c->identifier(), sp), build_expr(c->expr(), after), sp};
  if (auto* c = as<P::DefineDeclContext>(&ctx))
    return ast::DefineDecl{ident(c->identifier(), sp), build_expr(c->expr(), after), sp};
  if (auto* c = as<P::ArticleDeclContext>(&ctx)) return build_article(*c);
  if (auto* c = as<P::TestDeclContext>(&ctx)) return build_test(*c);
  return std::nullopt;  // recovery left a bare DeclContext: the parser has reported why
}

}  // namespace comity::syntax::detail

// resolve.cpp: policy-level declarations, articles and clauses: labels, exception and priority targets,
// clause typing, scopes (request or per item), evaluation order and priority conflicts.
// Knows nothing of bytecode.
#include <algorithm>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "check/model.h"

namespace comity::check {

namespace {

ClauseKind program_kind(ast::ClauseKind k) {
  switch (k) {
    case ast::ClauseKind::refuse_mandatory: return ClauseKind::refuse_mandatory;
    case ast::ClauseKind::refuse_optional: return ClauseKind::refuse_optional;
    case ast::ClauseKind::postpone: return ClauseKind::postpone;
    case ast::ClauseKind::return_: return ClauseKind::return_;
    case ast::ClauseKind::use_other_measure: return ClauseKind::use_other_measure;
    case ast::ClauseKind::impossible: return ClauseKind::impossible;
    case ast::ClauseKind::review: return ClauseKind::review;
    case ast::ClauseKind::condition: return ClauseKind::condition;
    case ast::ClauseKind::require: return ClauseKind::review;  // replaced by `otherwise`
    case ast::ClauseKind::exception: return ClauseKind::exception;
    case ast::ClauseKind::deadline: return ClauseKind::deadline;
    case ast::ClauseKind::obligation: return ClauseKind::obligation;
  }
  return ClauseKind::review;
}

bool is_ground(ClauseKind k) {
  return k != ClauseKind::exception && k != ClauseKind::deadline && k != ClauseKind::obligation;
}

const char* kind_word(ast::ClauseKind k) {
  switch (k) {
    case ast::ClauseKind::refuse_mandatory: return "refuse mandatory";
    case ast::ClauseKind::refuse_optional: return "refuse optional";
    case ast::ClauseKind::postpone: return "postpone";
    case ast::ClauseKind::return_: return "return";
    case ast::ClauseKind::use_other_measure: return "use other measure";
    case ast::ClauseKind::impossible: return "impossible";
    case ast::ClauseKind::review: return "review";
    case ast::ClauseKind::condition: return "condition";
    case ast::ClauseKind::require: return "require";
    case ast::ClauseKind::exception: return "exception";
    case ast::ClauseKind::deadline: return "deadline";
    case ast::ClauseKind::obligation: return "obligation";
  }
  return "clause";
}

bool citation_matches(const std::string& citation, const std::string& target) {
  if (citation == target) return true;
  return citation.size() > target.size() && citation.compare(0, target.size(), target) == 0 && citation[target.size()] == '(';
}

struct Resolver {
  Model& m;

  // Resolves a label or article citation to clause ids. Article targets pick the grounds (and
  // deadlines/conditions for priorities) of that article and its sub-articles, never exceptions.
  std::vector<uint16_t> resolve_target(const ast::ClauseTarget& t, bool for_priority) {
    std::vector<uint16_t> out;
    if (!t.is_article) {
      if (auto it = m.labels.find(t.text); it != m.labels.end()) out.push_back(it->second);
    } else {
      for (uint16_t k = 0; k < m.clauses.size(); ++k) {
        const ClauseModel& c = m.clauses[k];
        if (!citation_matches(c.article->citation, t.text)) continue;
        if (c.kind == ClauseKind::exception || c.kind == ClauseKind::obligation) continue;
        if (!for_priority && c.kind == ClauseKind::deadline) continue;
        out.push_back(k);
      }
    }
    if (out.empty()) {
      std::vector<std::string> cands;
      for (auto& [l, _] : m.labels) cands.push_back(l);
      for (auto& c : m.clauses) cands.push_back(c.article->citation);
      std::string near = closest(t.text, cands);
      m.error(DiagCode::unknown_target, t.span,
              t.is_article ? fmt::format("no clause cites article `{}`", t.text) : fmt::format("no clause is labelled `{}`", t.text),
              near.empty() ? std::string() : fmt::format("did you mean `{}`?", near));
    }
    return out;
  }

  void require_bool(const ast::Expr& e, const char* what, ExprContext& ctx) {
    const ExprInfo& i = check_expr(m, e, ctx);
    if (i.kind == ExprInfo::Kind::error) return;
    if (i.type.type != Type::boolean || i.is_record) {
      m.error(DiagCode::not_boolean, e.span, fmt::format("the `{}` part must be a condition, found `{}`", what, type_name(m, i.type)),
              "compare it with something, e.g. `== true` or `is known`");
    }
  }

  bool mentions_item(const std::optional<ast::ExprPtr>& e) const {
    if (!e || !*e) return false;
    auto it = m.info.find(e->get());
    return it != m.info.end() && it->second.mentions_item;
  }

  void collect() {
    std::set<std::string> seen_articles;
    uint16_t article_index = 0;
    for (const auto& d : m.module->decls) {
      const auto* a = std::get_if<ast::Article>(&d);
      if (!a) continue;
      if (a->citation.empty())
        m.error(DiagCode::missing_citation, a->span, "an article needs its citation, e.g. `article \"11(1)(g)\"`");
      if (!seen_articles.insert(a->citation).second) {
        m.error(DiagCode::duplicate_article, a->citation_span, fmt::format("article `{}` appears twice", a->citation),
                "put all clauses of one article in one block");
      }
      if (a->clauses.empty()) m.warn(DiagCode::empty_article, a->citation_span, fmt::format("article `{}` has no clauses", a->citation));
      if (a->text.empty())
        m.warn(DiagCode::missing_article_text, a->citation_span, fmt::format("article `{}` does not quote its text", a->citation),
               "add `text \"…\"` with the provision's words, so reviewers and hovers can show them");
      m.program->articles.push_back(ArticleInfo{a->citation, a->title, a->text});
      for (const ast::Clause& c : a->clauses) {
        ClauseModel cm;
        cm.clause = &c;
        cm.article = a;
        cm.article_index = article_index;
        cm.kind = program_kind(c.kind);
        if (c.kind == ast::ClauseKind::require) {
          ClauseKind k = program_kind(c.otherwise);
          if (!is_ground(k) || k == ClauseKind::condition || c.otherwise == ast::ClauseKind::require) {
            m.error(DiagCode::bad_clause, c.span, fmt::format("`require … otherwise` needs a ground, found `{}`", kind_word(c.otherwise)),
                    "e.g. `otherwise review` or `otherwise refuse optional`");
            k = ClauseKind::review;
          }
          cm.kind = k;
          cm.negate_value = true;
        }
        uint16_t id = static_cast<uint16_t>(m.clauses.size());
        if (c.label) {
          if (m.labels.count(c.label->name))
            m.error(DiagCode::duplicate_name, c.label->span, fmt::format("label `{}` is used twice", c.label->name));
          else
            m.labels[c.label->name] = id;
        }
        m.clauses.push_back(cm);
      }
      ++article_index;
    }
  }

  void check_clause(uint16_t id) {
    ClauseModel& cm = m.clauses[id];
    const ast::Clause& c = *cm.clause;
    ExprContext ctx;
    ctx.allow_applies = cm.kind == ClauseKind::deadline || cm.kind == ClauseKind::obligation;
    if (c.when) require_bool(**c.when, "when", ctx);
    for (const auto& u : c.unless) require_bool(*u, "unless", ctx);
    if (c.kind == ast::ClauseKind::require) {
      if (!c.value) m.error(DiagCode::bad_clause, c.span, "`require` needs the requirement, e.g. `require proportionate otherwise review`");
      else require_bool(**c.value, "require", ctx);
    }
    if (is_ground(cm.kind) && (!c.because || c.because->empty()))
      m.error(DiagCode::missing_reason, c.span, fmt::format("`{}` needs a reason", kind_word(c.kind)),
              "add `because \"…\"` in the words a decision should cite");
    if (cm.kind == ClauseKind::condition && !c.name)
      m.error(DiagCode::bad_clause, c.span, "a condition needs a name, e.g. `condition confidentiality when …`");
    if (cm.kind == ClauseKind::obligation && !c.name)
      m.error(DiagCode::bad_clause, c.span, "an obligation needs an action, e.g. `obligation consult_issuing_authority`");
    if (cm.kind == ClauseKind::deadline) {
      if (!c.name) m.error(DiagCode::bad_clause, c.span, "a deadline needs a name, e.g. `deadline recognition = …`");
      if (!c.strength)
        m.error(DiagCode::bad_clause, c.span, "a deadline needs a strength: `strength hard`, `soft` or `target`",
                "hard: set by law; soft: \"wherever practicable\"; target: asked for by the other party");
      if (!c.value) {
        m.error(DiagCode::bad_deadline, c.span, "a deadline needs a due date: `deadline name = received + 30 days`");
      } else {
        const ExprInfo& v = check_expr(m, **c.value, ctx);
        if (v.kind != ExprInfo::Kind::error && v.type.type != Type::date && v.type.type != Type::datetime)
          m.error(DiagCode::bad_deadline, (*c.value)->span, fmt::format("a deadline falls on a date or an instant, found `{}`", type_name(m, v.type)));
      }
      if (c.met_by) {
        const ExprInfo& v = check_expr(m, **c.met_by, ctx);
        if (v.kind != ExprInfo::Kind::error && v.type.type != Type::date && v.type.type != Type::datetime)
          m.error(DiagCode::bad_deadline, (*c.met_by)->span, fmt::format("`met by` needs the date or instant of an event, found `{}`", type_name(m, v.type)));
      }
    } else {
      if (c.strength) m.error(DiagCode::bad_clause, c.span, "only deadlines have a strength");
      if (c.met_by) m.error(DiagCode::bad_clause, c.span, "only deadlines are met by an event");
    }
    if (cm.kind == ClauseKind::exception) {
      if (c.targets.empty()) m.error(DiagCode::bad_clause, c.span, "an exception needs what it excepts: `exception to \"11(1)(g)\"`");
      for (const auto& t : c.targets)
        for (uint16_t k : resolve_target(t, false)) {
          if (k == id) {
            m.error(DiagCode::exception_cycle, t.span, "an exception cannot except itself");
            continue;
          }
          cm.targets.push_back(k);
          m.clauses[k].exceptions.push_back(id);
          m.clauses[k].depends.push_back(id);
        }
    }
    for (const auto& t : c.prevails_over)
      for (uint16_t k : resolve_target(t, true)) {
        if (k == id) continue;
        cm.prevails_over.push_back(k);
      }
    for (const auto* e : {c.when ? c.when->get() : nullptr, c.value ? c.value->get() : nullptr})
      if (e) collect_applies(*e, cm);
    if (is_ground(cm.kind) || cm.kind == ClauseKind::exception) {
      // Grounds and exceptions never look at other clauses' results: only obligations and deadlines do.
    }
  }

  void collect_applies(const ast::Expr& e, ClauseModel& cm) {
    auto it = m.info.find(&e);
    if (it != m.info.end() && it->second.kind == ExprInfo::Kind::applies)
      for (uint16_t k : it->second.clauses) cm.depends.push_back(k);
    std::visit([&](const auto& n) { children(n, cm); }, e.node);
  }
  template <class N> void children(const N&, ClauseModel&) {}
  void children(const ast::Member& n, ClauseModel& cm) { collect_applies(*n.base, cm); }
  void children(const ast::Call& n, ClauseModel& cm) { for (auto& a : n.args) collect_applies(*a, cm); }
  void children(const ast::Unary& n, ClauseModel& cm) { collect_applies(*n.operand, cm); }
  void children(const ast::Binary& n, ClauseModel& cm) { collect_applies(*n.lhs, cm); collect_applies(*n.rhs, cm); }
  void children(const ast::IsKnown& n, ClauseModel& cm) { collect_applies(*n.operand, cm); }
  void children(const ast::Quantified& n, ClauseModel& cm) { collect_applies(*n.list, cm); collect_applies(*n.body, cm); }
  void children(const ast::IfThenElse& n, ClauseModel& cm) { collect_applies(*n.cond, cm); collect_applies(*n.then_, cm); collect_applies(*n.else_, cm); }

  // Dependencies first; a cycle among exceptions (or `applies`) is an error.
  void order() {
    std::vector<int> state(m.clauses.size(), 0);
    std::function<bool(uint16_t)> visit = [&](uint16_t k) -> bool {
      if (state[k] == 2) return true;
      if (state[k] == 1) {
        const ast::Clause& c = *m.clauses[k].clause;
        m.error(DiagCode::exception_cycle, c.span, "exceptions form a cycle through this clause",
                "an exception may not (directly or through others) except itself");
        return false;
      }
      state[k] = 1;
      for (uint16_t d : m.clauses[k].depends)
        if (!visit(d)) { state[k] = 2; return false; }
      state[k] = 2;
      m.order.push_back(k);
      return true;
    };
    for (uint16_t k = 0; k < m.clauses.size(); ++k) visit(k);
  }

  void scopes() {
    for (uint16_t k : m.order) {  // dependencies come first, so one pass settles scopes
      ClauseModel& cm = m.clauses[k];
      const ast::Clause& c = *cm.clause;
      bool item = mentions_item(c.when) || mentions_item(c.value) || mentions_item(c.met_by);
      for (const auto& u : c.unless)
        if (auto it = m.info.find(u.get()); it != m.info.end() && it->second.mentions_item) item = true;
      for (uint16_t d : cm.depends)
        if (m.clauses[d].item_scope) item = true;
      cm.item_scope = item;
    }
  }

  // Two same-named deadlines (or conditions) that visibly both apply, with no priority declared, are an error.
  void conflicts() {
    auto unconditional = [&](const ClauseModel& c) {
      return !c.clause->when && c.clause->unless.empty() && c.exceptions.empty();
    };
    for (uint16_t a = 0; a < m.clauses.size(); ++a)
      for (uint16_t b = a + 1; b < m.clauses.size(); ++b) {
        const ClauseModel &ca = m.clauses[a], &cb = m.clauses[b];
        if (ca.kind != cb.kind || (ca.kind != ClauseKind::deadline && ca.kind != ClauseKind::condition)) continue;
        if (!ca.clause->name || !cb.clause->name || ca.clause->name->name != cb.clause->name->name) continue;
        bool ordered = std::count(ca.prevails_over.begin(), ca.prevails_over.end(), b) ||
                       std::count(cb.prevails_over.begin(), cb.prevails_over.end(), a);
        if (ordered) continue;
        bool same_condition = ca.clause->when && cb.clause->when && m.sources &&
                              source_text((*ca.clause->when)->span) == source_text((*cb.clause->when)->span) &&
                              ca.clause->unless.empty() && cb.clause->unless.empty();
        if ((unconditional(ca) && unconditional(cb)) || same_condition) {
          Diagnostic d = make_diag(DiagCode::priority_conflict, cb.clause->span,
                                   fmt::format("two {}s `{}` always apply together and neither prevails",
                                               ca.kind == ClauseKind::deadline ? "deadline" : "condition", cb.clause->name->name),
                                   "declare which one wins: add `prevails over <label>` to one of them");
          d.labels.push_back(Label{ca.clause->span, "the other one is here"});
          m.diags->push_back(std::move(d));
        }
      }
  }

  std::string source_text(ast::Span s) const {
    if (s.file >= m.sources->files.size()) return {};
    const std::string& t = m.sources->files[s.file].text;
    if (s.end > t.size() || s.begin > s.end) return {};
    return t.substr(s.begin, s.end - s.begin);
  }
};

}  // namespace

void check_policy_decls(Model& m) {
  const Schema& s = m.program->schema;
  const RecordType& root = s.records[s.root_record];
  auto root_field = [&](const ast::Expr& e, const char* what) -> const FieldInfo* {
    const auto* n = std::get_if<ast::NameRef>(&e.node);
    if (!n) {
      m.error(DiagCode::bad_clause, e.span, fmt::format("`{}` names a field of the input", what));
      return nullptr;
    }
    for (const FieldInfo& f : root.fields)
      if (f.name == n->name.name) return &f;
    std::vector<std::string> names;
    for (const FieldInfo& f : root.fields) names.push_back(f.name);
    std::string c = closest(n->name.name, names);
    m.error(DiagCode::unknown_field, n->name.span, fmt::format("the input has no field `{}`", n->name.name),
            c.empty() ? std::string() : fmt::format("did you mean `{}`?", c));
    return nullptr;
  };
  bool seen_periods = false, seen_today = false, seen_each = false;
  for (const auto& d : m.module->decls) {
    if (auto* e = std::get_if<ast::DecideEachDecl>(&d)) {
      if (seen_each) { m.error(DiagCode::duplicate_name, e->span, "the policy decides `each` twice"); continue; }
      seen_each = true;
      if (!e->list) continue;
      if (const FieldInfo* f = root_field(*e->list, "decide each")) {
        if (f->type.type != Type::list) {
          m.error(DiagCode::not_a_list, e->list->span, fmt::format("`decide each` needs a list, `{}` is `{}`", f->name, type_name(m, f->type)));
          continue;
        }
        m.item_var = e->var.name;
        m.item_record = f->type.index;
        m.items_slot = f->offset;
      }
    } else if (auto* p = std::get_if<ast::PeriodsDecl>(&d)) {
      if (seen_periods) { m.error(DiagCode::duplicate_name, p->span, "the policy declares `periods` twice"); continue; }
      seen_periods = true;
      auto conv = periods::convention_from_name(p->convention.name);
      if (!conv) {
        std::string c = closest(p->convention.name, {"eu_1182_71", "frcp_6a", "calendar_days"});
        m.error(DiagCode::unknown_name, p->convention.span, fmt::format("unknown period convention `{}`", p->convention.name),
                c.empty() ? "the conventions are `eu_1182_71`, `frcp_6a` and `calendar_days`" : fmt::format("did you mean `{}`?", c));
      } else {
        m.program->convention = *conv;
      }
      if (p->calendar && *p->calendar) {
        if (const FieldInfo* f = root_field(**p->calendar, "calendar")) {
          if (f->type.type != Type::string)
            m.error(DiagCode::type_mismatch, (*p->calendar)->span, fmt::format("the calendar field must be a `string` (a State code), `{}` is `{}`", f->name, type_name(m, f->type)));
          else
            m.program->calendar_slot = f->offset;
        }
      }
    } else if (auto* t = std::get_if<ast::TodayDecl>(&d)) {
      if (seen_today) { m.error(DiagCode::duplicate_name, t->span, "the policy declares `today` twice"); continue; }
      seen_today = true;
      if (!t->field) continue;
      if (const FieldInfo* f = root_field(*t->field, "today")) {
        if (f->type.type != Type::date)
          m.error(DiagCode::type_mismatch, t->field->span, fmt::format("`today` needs a `date` field, `{}` is `{}`", f->name, type_name(m, f->type)));
        else
          m.program->today_slot = f->offset;
      }
    }
  }
  m.program->items_slot = m.items_slot;
  m.program->item_record = m.item_record;
}

void check_clauses(Model& m) {
  Resolver r{m};
  r.collect();
  for (uint16_t k = 0; k < m.clauses.size(); ++k) r.check_clause(k);
  r.order();
  r.scopes();
  r.conflicts();
  for (auto& [name, d] : m.defines)
    if (!d.used) m.warn(DiagCode::unused_define, d.decl->name.span, fmt::format("`{}` is defined but never used", name));
}

}  // namespace comity::check

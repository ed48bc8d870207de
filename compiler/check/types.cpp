// types.cpp: name resolution and static typing of expressions and defines, into Model::info.
// Knows nothing of bytecode; codegen reads the side table this fills.
#include <algorithm>

#include <fmt/format.h>

#include "check/model.h"

namespace comity::check {

namespace {

StaticType T(Type t, uint16_t i = 0) { return StaticType{t, i}; }


struct Checker {
  Model& m;
  ExprContext& ctx;

  ExprInfo& put(const ast::Expr& e, ExprInfo info) { return m.info[&e] = std::move(info); }
  ExprInfo& fail(const ast::Expr& e) { return put(e, ExprInfo{}); }

  static ExprInfo value(StaticType t, bool mentions_item) {
    ExprInfo i;
    i.kind = ExprInfo::Kind::value;
    i.type = t;
    i.mentions_item = mentions_item;
    return i;
  }

  std::string tn(StaticType t) const { return type_name(m, t); }

  std::string describe(const ExprInfo& i) const {
    if (i.kind == ExprInfo::Kind::enum_type) return "an enum type";
    return "`" + tn(i.type) + "`";
  }

  // A place denoting a record cannot be used as a value.
  bool require_scalar(const ast::Expr& e, const ExprInfo& i) {
    if (i.kind == ExprInfo::Kind::error) return false;
    if (i.kind == ExprInfo::Kind::enum_type) {
      m.error(DiagCode::type_mismatch, e.span, "an enum type is not a value", "write `Type.member` or just the member's name");
      return false;
    }
    if (i.is_record || i.type.type == Type::record) {
      m.error(DiagCode::type_mismatch, e.span, fmt::format("`{}` is a record, not a value", tn(i.type)), "read one of its fields with `.field`");
      return false;
    }
    if (i.type.type == Type::list) {
      m.error(DiagCode::type_mismatch, e.span, "a list is not a value here", "use `any x in list where …`, `all …` or `count …`");
      return false;
    }
    return true;
  }

  ExprInfo place_field(const ExprInfo& base, const FieldInfo& f) {
    ExprInfo i;
    i.kind = base.kind;
    i.quant = base.quant;
    i.offset = base.offset + f.offset;
    i.type = f.type;
    i.is_record = f.type.type == Type::record;
    i.optional = f.optional || base.optional;
    i.mentions_item = base.mentions_item;
    return i;
  }

  const FieldInfo* find_field(uint16_t rid, std::string_view name) {
    for (const FieldInfo& f : m.program->schema.records[rid].fields)
      if (f.name == name) return &f;
    return nullptr;
  }

  std::vector<std::string> field_names(uint16_t rid) {
    std::vector<std::string> v;
    for (const FieldInfo& f : m.program->schema.records[rid].fields) v.push_back(f.name);
    return v;
  }

  std::optional<int32_t> member_ordinal(uint16_t enum_id, std::string_view name) {
    const auto& ms = m.program->schema.enums[enum_id].members;
    for (size_t k = 0; k < ms.size(); ++k)
      if (ms[k] == name) return static_cast<int32_t>(k);
    return std::nullopt;
  }

  const ExprInfo& name(const ast::Expr& e, const ast::NameRef& n, std::optional<StaticType> hint) {
    const std::string& id = n.name.name;
    // Innermost first: quantifier variables, the decide-each variable, defines, input fields, enums.
    for (auto it = ctx.quant_vars.rbegin(); it != ctx.quant_vars.rend(); ++it)
      if (it->first == id) {
        ExprInfo i;
        i.kind = ExprInfo::Kind::quant_place;
        i.quant = it->second;
        i.type = T(Type::record, m.info.at(it->second->list.get()).type.index);
        i.is_record = true;
        return put(e, i);
      }
    if (!m.item_var.empty() && id == m.item_var) {
      ExprInfo i;
      i.kind = ExprInfo::Kind::item_place;
      i.type = T(Type::record, m.item_record);
      i.is_record = true;
      i.mentions_item = true;
      return put(e, i);
    }
    if (auto it = m.defines.find(id); it != m.defines.end()) {
      DefineInfo& d = it->second;
      d.used = true;
      if (d.state == DefineInfo::State::checking) {
        m.error(DiagCode::define_cycle, n.name.span, fmt::format("`{}` is defined in terms of itself", id),
                "definitions cannot be recursive: evaluation must always terminate");
        return fail(e);
      }
      if (d.state == DefineInfo::State::unchecked) check_define(m, d);
      if (d.info.kind == ExprInfo::Kind::error) return fail(e);
      ExprInfo i = d.info;
      i.kind = ExprInfo::Kind::define_ref;
      i.define = d.decl;
      return put(e, i);
    }
    const Schema& s = m.program->schema;
    if (const FieldInfo* f = find_field(s.root_record, id)) {
      ExprInfo root;
      root.kind = ExprInfo::Kind::root_place;
      return put(e, place_field(root, *f));
    }
    if (auto it = m.enum_ids.find(id); it != m.enum_ids.end()) {
      ExprInfo i;
      i.kind = ExprInfo::Kind::enum_type;
      i.type = T(Type::enumeration, it->second);
      return put(e, i);
    }
    // A bare enum member: the expected type decides, else it must be unique across enums.
    if (hint && (hint->type == Type::enumeration || hint->type == Type::set)) {
      if (auto ord = member_ordinal(hint->index, id)) {
        ExprInfo i;
        i.kind = ExprInfo::Kind::enum_member;
        i.type = T(Type::enumeration, hint->index);
        i.ordinal = *ord;
        return put(e, i);
      }
      std::string c = closest(id, s.enums[hint->index].members);
      m.error(DiagCode::unknown_enum_member, n.name.span, fmt::format("`{}` is not a member of `{}`", id, s.enums[hint->index].name),
              c.empty() ? fmt::format("the members are: {}", fmt::join(s.enums[hint->index].members, ", ")) : fmt::format("did you mean `{}`?", c));
      return fail(e);
    }
    std::vector<uint16_t> owners;
    for (uint16_t k = 0; k < s.enums.size(); ++k)
      if (member_ordinal(k, id)) owners.push_back(k);
    if (owners.size() == 1) {
      ExprInfo i;
      i.kind = ExprInfo::Kind::enum_member;
      i.type = T(Type::enumeration, owners[0]);
      i.ordinal = *member_ordinal(owners[0], id);
      return put(e, i);
    }
    if (owners.size() > 1) {
      m.error(DiagCode::ambiguous_enum_member, n.name.span, fmt::format("`{}` is a member of several enums", id),
              fmt::format("qualify it: `{}.{}`", s.enums[owners[0]].name, id));
      return fail(e);
    }
    std::vector<std::string> cands;
    for (auto& [k, _] : m.defines) cands.push_back(k);
    for (const FieldInfo& f : s.records[s.root_record].fields) cands.push_back(f.name);
    for (const auto& q : ctx.quant_vars) cands.push_back(q.first);
    if (!m.item_var.empty()) cands.push_back(m.item_var);
    for (const auto& en : s.enums) cands.insert(cands.end(), en.members.begin(), en.members.end());
    std::string c = closest(id, cands);
    m.error(DiagCode::unknown_name, n.name.span, fmt::format("unknown name `{}`", id),
            c.empty() ? std::string() : fmt::format("did you mean `{}`?", c));
    return fail(e);
  }

  const ExprInfo& member(const ast::Expr& e, const ast::Member& mem) {
    const ExprInfo base = check(*mem.base);
    if (base.kind == ExprInfo::Kind::error) return fail(e);
    const Schema& s = m.program->schema;
    if (base.kind == ExprInfo::Kind::enum_type) {
      if (auto ord = member_ordinal(base.type.index, mem.field.name)) {
        ExprInfo i;
        i.kind = ExprInfo::Kind::enum_member;
        i.type = base.type;
        i.ordinal = *ord;
        return put(e, i);
      }
      std::string c = closest(mem.field.name, s.enums[base.type.index].members);
      m.error(DiagCode::unknown_enum_member, mem.field.span,
              fmt::format("`{}` is not a member of `{}`", mem.field.name, s.enums[base.type.index].name),
              c.empty() ? std::string() : fmt::format("did you mean `{}`?", c));
      return fail(e);
    }
    bool is_place = base.kind == ExprInfo::Kind::root_place || base.kind == ExprInfo::Kind::item_place ||
                    base.kind == ExprInfo::Kind::quant_place;
    if (!is_place || base.type.type != Type::record) {
      m.error(DiagCode::not_a_record, mem.base->span, fmt::format("{} has no fields", describe(base)),
              "only records have fields");
      return fail(e);
    }
    if (const FieldInfo* f = find_field(base.type.index, mem.field.name)) return put(e, place_field(base, *f));
    std::string c = closest(mem.field.name, field_names(base.type.index));
    m.error(DiagCode::unknown_field, mem.field.span,
            fmt::format("`{}` has no field `{}`", s.records[base.type.index].name, mem.field.name),
            c.empty() ? fmt::format("its fields are: {}", fmt::join(field_names(base.type.index), ", ")) : fmt::format("did you mean `{}`?", c));
    return fail(e);
  }

  const ExprInfo& check(const ast::Expr& e, std::optional<StaticType> hint = std::nullopt) {
    return std::visit([&](const auto& n) -> const ExprInfo& { return visit(e, n, hint); }, e.node);
  }

  const ExprInfo& visit(const ast::Expr& e, const ast::BoolLit&, std::optional<StaticType>) { return put(e, value(T(Type::boolean), false)); }
  const ExprInfo& visit(const ast::Expr& e, const ast::IntLit&, std::optional<StaticType>) { return put(e, value(T(Type::integer), false)); }
  const ExprInfo& visit(const ast::Expr& e, const ast::DecimalLit&, std::optional<StaticType>) { return put(e, value(T(Type::decimal), false)); }
  const ExprInfo& visit(const ast::Expr& e, const ast::StringLit&, std::optional<StaticType>) { return put(e, value(T(Type::string), false)); }
  const ExprInfo& visit(const ast::Expr& e, const ast::DateLit&, std::optional<StaticType>) { return put(e, value(T(Type::date), false)); }
  const ExprInfo& visit(const ast::Expr& e, const ast::DateTimeLit&, std::optional<StaticType>) { return put(e, value(T(Type::datetime), false)); }
  const ExprInfo& visit(const ast::Expr& e, const ast::DurationLit& d, std::optional<StaticType>) {
    ExprInfo i = value(T(Type::duration), false);
    i.literal_unit = d.unit;
    return put(e, i);
  }
  const ExprInfo& visit(const ast::Expr& e, const ast::ErrorExpr&, std::optional<StaticType>) { return fail(e); }
  const ExprInfo& visit(const ast::Expr& e, const ast::NameRef& n, std::optional<StaticType> hint) { return name(e, n, hint); }
  const ExprInfo& visit(const ast::Expr& e, const ast::Member& mem, std::optional<StaticType>) { return member(e, mem); }

  const ExprInfo& visit(const ast::Expr& e, const ast::SetLit& s, std::optional<StaticType> hint) {
    const Schema& sc = m.program->schema;
    std::optional<uint16_t> enum_id;
    if (hint && (hint->type == Type::set || hint->type == Type::enumeration)) enum_id = hint->index;
    if (!enum_id) {
      // Infer from the first member that belongs to exactly one enum.
      for (const auto& mem : s.members) {
        std::vector<uint16_t> owners;
        for (uint16_t k = 0; k < sc.enums.size(); ++k)
          if (member_ordinal(k, mem.name)) owners.push_back(k);
        if (owners.size() == 1) { enum_id = owners[0]; break; }
      }
    }
    if (!enum_id) {
      m.error(DiagCode::unknown_enum_member, e.span, "cannot tell which enum this set is of",
              s.members.empty() ? "an empty set needs a context: compare it with a set field" : fmt::format("`{}` is not a member of any enum", s.members[0].name));
      return fail(e);
    }
    bool ok = true;
    for (const auto& mem : s.members)
      if (!member_ordinal(*enum_id, mem.name)) {
        std::string c = closest(mem.name, sc.enums[*enum_id].members);
        m.error(DiagCode::unknown_enum_member, mem.span, fmt::format("`{}` is not a member of `{}`", mem.name, sc.enums[*enum_id].name),
                c.empty() ? std::string() : fmt::format("did you mean `{}`?", c));
        ok = false;
      }
    if (!ok) return fail(e);
    return put(e, value(T(Type::set, *enum_id), false));
  }

  const ExprInfo& visit(const ast::Expr& e, const ast::Call& c, std::optional<StaticType>) {
    const std::string& f = c.callee.name;
    if (f == "applies") {
      if (!ctx.allow_applies) {
        m.error(DiagCode::applies_in_ground, c.callee.span, "`applies` can only be used in obligations and deadlines",
                "grounds are decided first; obligations and deadlines may then ask which grounds apply");
        return fail(e);
      }
      ExprInfo i = value(T(Type::boolean), false);
      i.kind = ExprInfo::Kind::applies;
      for (const auto& a : c.args) {
        std::vector<uint16_t> found;
        std::string what;
        ast::Span span = a->span;
        if (auto* s = std::get_if<ast::StringLit>(&a->node)) {
          what = s->value;
          for (uint16_t k = 0; k < m.clauses.size(); ++k) {
            const std::string& cit = m.clauses[k].article->citation;
            bool match = cit == what || (cit.size() > what.size() && cit.compare(0, what.size(), what) == 0 && cit[what.size()] == '(');
            if (match && m.clauses[k].kind != ClauseKind::exception && m.clauses[k].kind != ClauseKind::obligation &&
                m.clauses[k].kind != ClauseKind::deadline)
              found.push_back(k);
          }
        } else if (auto* n = std::get_if<ast::NameRef>(&a->node)) {
          what = n->name.name;
          if (auto it = m.labels.find(what); it != m.labels.end()) found.push_back(it->second);
        } else {
          m.error(DiagCode::bad_call, a->span, "`applies` takes clause labels or article citations", "e.g. `applies(\"11(1)(a)\")` or `applies(dual_criminality)`");
          return fail(e);
        }
        if (found.empty()) {
          std::vector<std::string> cands;
          for (auto& [l, _] : m.labels) cands.push_back(l);
          for (auto& cm : m.clauses) cands.push_back(cm.article->citation);
          std::string near = closest(what, cands);
          m.error(DiagCode::unknown_target, span, fmt::format("no ground `{}` to ask about", what),
                  near.empty() ? std::string() : fmt::format("did you mean `{}`?", near));
          return fail(e);
        }
        for (uint16_t k : found) {
          i.clauses.push_back(k);
          if (m.clauses[k].item_scope) i.mentions_item = true;
        }
      }
      if (c.args.empty()) {
        m.error(DiagCode::bad_call, e.span, "`applies` needs at least one clause label or article");
        return fail(e);
      }
      return put(e, i);
    }
    if (f == "min" || f == "max") {
      if (c.args.size() != 2) {
        m.error(DiagCode::bad_call, e.span, fmt::format("`{}` takes two arguments, found {}", f, c.args.size()));
        return fail(e);
      }
      ExprInfo a = check(*c.args[0]);
      ExprInfo b = check(*c.args[1], a.type);
      if (!require_scalar(*c.args[0], a) || !require_scalar(*c.args[1], b)) return fail(e);
      Type t = a.type.type;
      if (!(a.type == b.type) || !(t == Type::integer || t == Type::decimal || t == Type::date || t == Type::datetime)) {
        m.error(DiagCode::bad_call, e.span, fmt::format("`{}` needs two numbers, dates or instants of the same type, found {} and {}", f, describe(a), describe(b)));
        return fail(e);
      }
      return put(e, value(a.type, a.mentions_item || b.mentions_item));
    }
    std::string near = closest(f, {"applies", "min", "max"});
    m.error(DiagCode::unknown_function, c.callee.span, fmt::format("unknown function `{}`", f),
            near.empty() ? "the functions are `applies`, `min` and `max`" : fmt::format("did you mean `{}`?", near));
    for (const auto& a : c.args) check(*a);
    return fail(e);
  }

  const ExprInfo& visit(const ast::Expr& e, const ast::Unary& u, std::optional<StaticType>) {
    ExprInfo o = check(*u.operand);
    if (!require_scalar(*u.operand, o)) return fail(e);
    if (u.op == ast::UnaryOp::not_) {
      if (o.type.type != Type::boolean) {
        m.error(DiagCode::not_boolean, u.operand->span, fmt::format("`not` needs a condition, found {}", describe(o)));
        return fail(e);
      }
      return put(e, value(T(Type::boolean), o.mentions_item));
    }
    if (o.type.type != Type::integer && o.type.type != Type::decimal) {
      m.error(DiagCode::bad_operand, e.span, fmt::format("`-` needs a number, found {}", describe(o)));
      return fail(e);
    }
    return put(e, value(o.type, o.mentions_item));
  }

  const ExprInfo& visit(const ast::Expr& e, const ast::IsKnown& k, std::optional<StaticType>) {
    ExprInfo o = check(*k.operand);
    if (!require_scalar(*k.operand, o)) return fail(e);
    return put(e, value(T(Type::boolean), o.mentions_item));
  }

  const ExprInfo& visit(const ast::Expr& e, const ast::IfThenElse& x, std::optional<StaticType> hint) {
    ExprInfo c = check(*x.cond);
    ExprInfo a = check(*x.then_, hint);
    ExprInfo b = check(*x.else_, a.kind == ExprInfo::Kind::error ? hint : std::optional<StaticType>(a.type));
    if (!require_scalar(*x.cond, c) || !require_scalar(*x.then_, a) || !require_scalar(*x.else_, b)) return fail(e);
    if (c.type.type != Type::boolean) {
      m.error(DiagCode::not_boolean, x.cond->span, fmt::format("`if` needs a condition, found {}", describe(c)));
      return fail(e);
    }
    if (!(a.type == b.type)) {
      m.error(DiagCode::type_mismatch, e.span, fmt::format("the two branches have different types: {} and {}", describe(a), describe(b)));
      return fail(e);
    }
    ExprInfo r = value(a.type, c.mentions_item || a.mentions_item || b.mentions_item);
    if (a.literal_unit && b.literal_unit && *a.literal_unit == *b.literal_unit) r.literal_unit = a.literal_unit;
    return put(e, r);
  }

  const ExprInfo& visit(const ast::Expr& e, const ast::Quantified& q, std::optional<StaticType>) {
    ExprInfo l = check(*q.list);
    if (l.kind == ExprInfo::Kind::error) return fail(e);
    if (l.type.type != Type::list) {
      m.error(DiagCode::not_a_list, q.list->span, fmt::format("`{}` needs a list, found {}", q.q == ast::Quantifier::any ? "any" : q.q == ast::Quantifier::all ? "all" : "count", describe(l)));
      return fail(e);
    }
    ctx.quant_vars.emplace_back(q.var.name, &q);
    ExprInfo body = check(*q.body);
    ctx.quant_vars.pop_back();
    if (!require_scalar(*q.body, body)) return fail(e);
    if (body.type.type != Type::boolean) {
      m.error(DiagCode::not_boolean, q.body->span, fmt::format("the `where` part must be a condition, found {}", describe(body)));
      return fail(e);
    }
    return put(e, value(T(q.q == ast::Quantifier::count ? Type::integer : Type::boolean), l.mentions_item || body.mentions_item));
  }

  const ExprInfo& visit(const ast::Expr& e, const ast::Binary& b, std::optional<StaticType>) {
    using Op = ast::BinaryOp;
    if (b.op == Op::and_ || b.op == Op::or_) {
      ExprInfo l = check(*b.lhs), r = check(*b.rhs);
      bool ok = require_scalar(*b.lhs, l) & require_scalar(*b.rhs, r);
      if (ok && l.type.type != Type::boolean) { m.error(DiagCode::not_boolean, b.lhs->span, fmt::format("`{}` needs conditions, found {}", b.op == Op::and_ ? "and" : "or", describe(l))); ok = false; }
      if (ok && r.type.type != Type::boolean) { m.error(DiagCode::not_boolean, b.rhs->span, fmt::format("`{}` needs conditions, found {}", b.op == Op::and_ ? "and" : "or", describe(r))); ok = false; }
      if (!ok) return fail(e);
      return put(e, value(T(Type::boolean), l.mentions_item || r.mentions_item));
    }
    if (b.op == Op::in || b.op == Op::not_in) {
      ExprInfo l = check(*b.lhs);
      if (!require_scalar(*b.lhs, l)) { check(*b.rhs); return fail(e); }
      if (l.type.type != Type::enumeration) {
        check(*b.rhs);
        m.error(DiagCode::bad_operand, b.lhs->span, fmt::format("`in` tests an enum value against a set, found {}", describe(l)));
        return fail(e);
      }
      ExprInfo r = check(*b.rhs, T(Type::set, l.type.index));
      if (!require_scalar(*b.rhs, r)) return fail(e);
      if (!(r.type == T(Type::set, l.type.index))) {
        m.error(DiagCode::type_mismatch, b.rhs->span, fmt::format("expected a set of `{}`, found {}", tn(l.type), describe(r)));
        return fail(e);
      }
      return put(e, value(T(Type::boolean), l.mentions_item || r.mentions_item));
    }
    // Evaluate the side that is not a bare enum member first, so the member gets its type as a hint.
    bool lhs_bare = std::holds_alternative<ast::NameRef>(b.lhs->node) && !std::holds_alternative<ast::NameRef>(b.rhs->node);
    ExprInfo l, r;
    if (lhs_bare) {
      r = check(*b.rhs);
      l = check(*b.lhs, r.kind == ExprInfo::Kind::error ? std::nullopt : std::optional<StaticType>(r.type));
    } else {
      l = check(*b.lhs);
      r = check(*b.rhs, l.kind == ExprInfo::Kind::error ? std::nullopt : std::optional<StaticType>(l.type));
    }
    bool ok = require_scalar(*b.lhs, l) & require_scalar(*b.rhs, r);
    if (!ok) return fail(e);
    bool mi = l.mentions_item || r.mentions_item;
    Type lt = l.type.type, rt = r.type.type;
    switch (b.op) {
      case Op::eq:
      case Op::ne:
        if (!(l.type == r.type)) {
          m.error(DiagCode::not_comparable, e.span, fmt::format("cannot compare {} with {}", describe(l), describe(r)));
          return fail(e);
        }
        return put(e, value(T(Type::boolean), mi));
      case Op::lt: case Op::le: case Op::gt: case Op::ge: {
        if (!(l.type == r.type)) {
          m.error(DiagCode::not_comparable, e.span, fmt::format("cannot compare {} with {}", describe(l), describe(r)));
          return fail(e);
        }
        if (lt == Type::boolean || lt == Type::set || lt == Type::string) {
          m.error(DiagCode::not_comparable, e.span, fmt::format("values of type {} have no order", describe(l)), "use `==` or `!=`");
          return fail(e);
        }
        return put(e, value(T(Type::boolean), mi));
      }
      case Op::add:
        if ((lt == Type::date || lt == Type::datetime) && rt == Type::duration) return period(e, b, l, r);
        [[fallthrough]];
      case Op::sub: case Op::mul: case Op::div: {
        const char* sym = b.op == Op::add ? "+" : b.op == Op::sub ? "-" : b.op == Op::mul ? "*" : "/";
        if (!(l.type == r.type) || !(lt == Type::integer || lt == Type::decimal || (lt == Type::duration && b.op == Op::add))) {
          std::string help;
          if ((lt == Type::date || lt == Type::datetime) && b.op != Op::add) help = "a period runs forward: write `start + 30 days`";
          if (lt == Type::integer && rt == Type::decimal) help = "write the integer as a decimal, e.g. `3.0`";
          m.error(DiagCode::bad_operand, e.span, fmt::format("`{}` does not apply to {} and {}", sym, describe(l), describe(r)), help);
          return fail(e);
        }
        ExprInfo res = value(l.type, mi);
        if (lt == Type::duration && l.literal_unit && r.literal_unit && *l.literal_unit == *r.literal_unit) res.literal_unit = l.literal_unit;
        return put(e, res);
      }
      case Op::and_: case Op::or_: case Op::in: case Op::not_in: break;
    }
    return fail(e);
  }

  // `start + N unit`: a legal period under the policy's convention. Its unit must be known when compiling,
  // because days give a date and hours give an instant.
  const ExprInfo& period(const ast::Expr& e, const ast::Binary& b, const ExprInfo& l, const ExprInfo& r) {
    if (!r.literal_unit) {
      m.error(DiagCode::unsettled_period, b.rhs->span, "the length of a period must be written out, e.g. `30 days`",
              "a period's unit decides how it is counted (hours from the next hour, days from the next day)");
      return fail(e);
    }
    using U = ast::DurationUnit;
    bool hours = *r.literal_unit == U::hours;
    if (hours && l.type.type == Type::date) {
      m.error(DiagCode::unsettled_period, e.span, "a period in hours needs an instant to start from, found a `date`",
              "declare the start as `datetime`");
      return fail(e);
    }
    ExprInfo res = value(T(hours ? Type::datetime : Type::date), l.mentions_item || r.mentions_item);
    return put(e, res);
  }
};

}  // namespace

const ExprInfo& check_expr(Model& m, const ast::Expr& e, ExprContext& ctx, std::optional<StaticType> hint) {
  Checker c{m, ctx};
  return c.check(e, hint);
}

void check_define(Model& m, DefineInfo& d) {
  d.state = DefineInfo::State::checking;
  ExprContext ctx;
  const ExprInfo& i = check_expr(m, *d.decl->value, ctx);
  d.info = i;
  d.state = DefineInfo::State::done;
}

void check_defines(Model& m) {
  for (const auto& decl : m.module->decls)
    if (auto* d = std::get_if<ast::DefineDecl>(&decl)) {
      if (m.defines.count(d->name.name)) {
        m.error(DiagCode::duplicate_name, d->name.span, fmt::format("`{}` is defined twice", d->name.name));
        continue;
      }
      if (m.program->schema.records[m.program->schema.root_record].fields.end() !=
          std::find_if(m.program->schema.records[m.program->schema.root_record].fields.begin(),
                       m.program->schema.records[m.program->schema.root_record].fields.end(),
                       [&](const FieldInfo& f) { return f.name == d->name.name; })) {
        m.error(DiagCode::duplicate_name, d->name.span, fmt::format("`{}` is already an input field", d->name.name), "choose another name");
        continue;
      }
      m.defines[d->name.name] = DefineInfo{d, DefineInfo::State::unchecked, {}, false};
    }
  // Defines that ask `applies` are checked with the clauses (they need the clause table).
  for (auto& [name, d] : m.defines)
    if (d.state == DefineInfo::State::unchecked) check_define(m, d);
}

bool is_optional_leaf(const Model&, const ExprInfo& i) { return i.optional; }

}  // namespace comity::check

// model.cpp: builds the Program's input schema from enum/record/input declarations and reads the
// policy-level declarations (periods, today, decide each). Knows nothing of bytecode.
#include <algorithm>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "check/model.h"

namespace comity::check {

void Model::error(DiagCode code, ast::Span span, std::string message, std::string help) {
  diags->push_back(make_diag(code, span, std::move(message), std::move(help)));
}
void Model::warn(DiagCode code, ast::Span span, std::string message, std::string help) {
  diags->push_back(make_diag(code, span, std::move(message), std::move(help)));
}

static size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best_d) { best_d = d; best = c; }
  }
  return best;
}

std::string type_name(const Model& m, StaticType t) {
  const Schema& s = m.program->schema;
  switch (t.type) {
    case Type::boolean: return "bool";
    case Type::integer: return "int";
    case Type::decimal: return "decimal";
    case Type::string: return "string";
    case Type::enumeration: return t.index < s.enums.size() ? s.enums[t.index].name : "enum";
    case Type::set: return "set of " + (t.index < s.enums.size() ? s.enums[t.index].name : std::string("enum"));
    case Type::date: return "date";
    case Type::datetime: return "datetime";
    case Type::duration: return "duration";
    case Type::record: return t.index < s.records.size() ? s.records[t.index].name : "record";
    case Type::list: return "list of " + (t.index < s.records.size() ? s.records[t.index].name : std::string("record"));
  }
  return "?";
}

namespace {

struct PendingField {
  const ast::Field* decl;
};

struct SchemaBuilder {
  Model& m;
  Schema& s;
  std::vector<const ast::RecordDecl*> record_decls;  // by record id (root has nullptr)
  const ast::InputDecl* input = nullptr;
  std::vector<int> layout_state;  // 0 = not yet, 1 = in progress, 2 = done
  std::set<std::pair<uint16_t, size_t>> optional_use;  // record ids used as optional inline records

  std::optional<StaticType> resolve_type(const ast::TypeRef& t, bool& is_inline_record) {
    is_inline_record = false;
    using K = ast::TypeRef::Kind;
    switch (t.kind) {
      case K::bool_: return StaticType{Type::boolean, 0};
      case K::int_: return StaticType{Type::integer, 0};
      case K::decimal: return StaticType{Type::decimal, 0};
      case K::string: return StaticType{Type::string, 0};
      case K::date: return StaticType{Type::date, 0};
      case K::datetime: return StaticType{Type::datetime, 0};
      case K::duration: return StaticType{Type::duration, 0};
      case K::named: {
        if (auto it = m.enum_ids.find(t.name.name); it != m.enum_ids.end()) return StaticType{Type::enumeration, it->second};
        if (auto it = m.record_ids.find(t.name.name); it != m.record_ids.end()) {
          is_inline_record = true;
          return StaticType{Type::record, it->second};
        }
        unknown_type(t.name);
        return std::nullopt;
      }
      case K::set_of: {
        if (auto it = m.enum_ids.find(t.name.name); it != m.enum_ids.end()) return StaticType{Type::set, it->second};
        if (m.record_ids.count(t.name.name))
          m.error(DiagCode::bad_operand, t.name.span, fmt::format("a set holds enum members, `{}` is a record", t.name.name),
                  "use `list of " + t.name.name + "` for a list of records");
        else
          unknown_type(t.name);
        return std::nullopt;
      }
      case K::list_of: {
        if (!t.element) return std::nullopt;
        if (t.element->kind != K::named || !m.record_ids.count(t.element->name.name)) {
          if (t.element->kind == K::named && !m.enum_ids.count(t.element->name.name)) {
            unknown_type(t.element->name);
            return std::nullopt;
          }
          m.error(DiagCode::not_a_list, t.span, "a list holds records",
                  "declare a `record` for the elements, or use `set of` for enum members");
          return std::nullopt;
        }
        if (t.element->optional)
          m.error(DiagCode::bad_operand, t.element->span, "list elements cannot be optional", "make the element's fields optional instead");
        return StaticType{Type::list, m.record_ids.at(t.element->name.name)};
      }
      case K::error: return std::nullopt;
    }
    return std::nullopt;
  }

  void unknown_type(const ast::Ident& name) {
    std::vector<std::string> cands = {"bool", "int", "decimal", "string", "date", "datetime", "duration"};
    for (auto& [n, _] : m.enum_ids) cands.push_back(n);
    for (auto& [n, _] : m.record_ids) cands.push_back(n);
    std::string c = closest(name.name, cands);
    m.error(DiagCode::unknown_type, name.span, fmt::format("unknown type `{}`", name.name),
            c.empty() ? std::string() : fmt::format("did you mean `{}`?", c));
  }

  const std::vector<ast::Field>& fields_of(uint16_t rid) {
    static const std::vector<ast::Field> none;
    if (rid == s.root_record) return input ? input->fields : none;
    return record_decls[rid] ? record_decls[rid]->fields : none;
  }

  // Lays out record `rid`: every field gets an offset; inline records take their stride.
  bool layout(uint16_t rid, ast::Span use_span) {
    if (layout_state[rid] == 2) return true;
    if (layout_state[rid] == 1) {
      m.error(DiagCode::bad_operand, use_span, fmt::format("record `{}` contains itself", s.records[rid].name),
              "a record can hold a list of itself? no: records are finite; use a list of another record");
      return false;
    }
    layout_state[rid] = 1;
    RecordType& rec = s.records[rid];
    rec.fields.clear();
    uint16_t offset = 0;
    std::set<std::string> seen;
    for (const ast::Field& f : fields_of(rid)) {
      if (!seen.insert(f.name.name).second) {
        m.error(DiagCode::duplicate_name, f.name.span, fmt::format("field `{}` is declared twice", f.name.name));
        continue;
      }
      bool inline_record = false;
      auto t = resolve_type(f.type, inline_record);
      if (!t) continue;
      if (t->type == Type::list && f.type.optional)
        m.error(DiagCode::bad_operand, f.type.span, "a list cannot be optional", "an empty list `[]` says there is none");
      uint16_t size = 1;
      if (inline_record) {
        if (!layout(t->index, f.name.span)) continue;
        size = s.records[t->index].stride;
        if (f.type.optional) optional_use.insert({t->index, 0});
      }
      FieldInfo fi;
      fi.name = f.name.name;
      fi.type = *t;
      fi.optional = f.type.optional;
      fi.offset = offset;
      rec.fields.push_back(fi);
      offset = static_cast<uint16_t>(offset + size);
    }
    rec.stride = offset;
    layout_state[rid] = 2;
    return true;
  }

  // Gives every optional leaf a fact bit, naming it by the first path that reaches it.
  void assign_bits(uint16_t rid, const std::string& prefix, bool parent_optional, ast::Span span, std::set<uint16_t>& visiting) {
    if (!visiting.insert(rid).second) return;
    RecordType& rec = s.records[rid];
    for (FieldInfo& f : rec.fields) {
      std::string path = prefix.empty() ? f.name : prefix + "." + f.name;
      bool opt = f.optional || parent_optional;
      if (f.type.type == Type::record) {
        assign_bits(f.type.index, path, opt, span, visiting);
      } else if (f.type.type == Type::list) {
        assign_bits(f.type.index, path + "[]", false, span, visiting);
      } else if (opt && f.fact_bit < 0) {
        if (s.facts.size() >= 64) {
          m.error(DiagCode::too_many_optional, span,
                  fmt::format("more than 64 optional facts; `{}` is one too many", path),
                  "a policy may read at most 64 facts that can be unknown");
          continue;
        }
        f.optional = true;
        f.fact_bit = static_cast<int16_t>(s.facts.size());
        s.facts.push_back(FactInfo{path, path.find("[]") != std::string::npos});
      }
    }
    visiting.erase(rid);
  }
};

}  // namespace

void build_schema(Model& m) {
  Schema& s = m.program->schema;
  const ast::Module& mod = *m.module;
  SchemaBuilder b{m, s, {}, nullptr, {}, {}};

  // Pass 1: names of enums and records.
  for (const auto& d : mod.decls) {
    if (auto* e = std::get_if<ast::EnumDecl>(&d)) {
      if (m.enum_ids.count(e->name.name) || m.record_ids.count(e->name.name)) {
        m.error(DiagCode::duplicate_name, e->name.span, fmt::format("type `{}` is declared twice", e->name.name));
        continue;
      }
      EnumType et{e->name.name, {}};
      std::set<std::string> seen;
      for (const auto& mem : e->members) {
        if (!seen.insert(mem.name).second) {
          m.error(DiagCode::duplicate_name, mem.span, fmt::format("member `{}` is listed twice in `{}`", mem.name, e->name.name));
          continue;
        }
        et.members.push_back(mem.name);
      }
      if (et.members.size() > 64) {
        m.error(DiagCode::too_many_optional, e->name.span, fmt::format("enum `{}` has {} members; at most 64", e->name.name, et.members.size()));
        et.members.resize(64);
      }
      m.enum_ids[e->name.name] = static_cast<uint16_t>(s.enums.size());
      s.enums.push_back(std::move(et));
    } else if (auto* r = std::get_if<ast::RecordDecl>(&d)) {
      if (m.enum_ids.count(r->name.name) || m.record_ids.count(r->name.name)) {
        m.error(DiagCode::duplicate_name, r->name.span, fmt::format("type `{}` is declared twice", r->name.name));
        continue;
      }
      m.record_ids[r->name.name] = static_cast<uint16_t>(s.records.size());
      s.records.push_back(RecordType{r->name.name, {}, 0});
      b.record_decls.push_back(r);
    }
  }
  // The request itself is one more record.
  const ast::InputDecl* input = nullptr;
  for (const auto& d : mod.decls)
    if (auto* in = std::get_if<ast::InputDecl>(&d)) {
      if (input) m.error(DiagCode::duplicate_name, in->span, "the policy has two `input` blocks");
      else input = in;
    }
  s.root_record = static_cast<uint16_t>(s.records.size());
  s.records.push_back(RecordType{"input", {}, 0});
  b.record_decls.push_back(nullptr);
  b.input = input;
  b.layout_state.assign(s.records.size(), 0);
  if (!input) m.error(DiagCode::missing_decl, mod.header.span, "the policy has no `input` block", "declare the request's fields: `input { received: date … }`");
  for (uint16_t rid = 0; rid < s.records.size(); ++rid) b.layout(rid, mod.header.span);
  std::set<uint16_t> visiting;
  b.assign_bits(s.root_record, "", false, input ? input->span : mod.header.span, visiting);
}

}  // namespace comity::check

// decision_json.cpp: Decision → JSON in the shape of legal/EIO-CONTRACT.md (keys in contract order).
// Tooling path: allocation is fine. Knows nothing of how the decision was computed.
#include <nlohmann/json.hpp>

#include "comity/civil.h"
#include "comity/decision.h"

namespace comity {

namespace {

using ojson = nlohmann::ordered_json;

std::string article_of(const Program& program, uint16_t clause) {
  const uint16_t a = program.clauses[clause].article;
  return a < program.articles.size() ? program.articles[a].citation : std::string();
}

std::string render_due(const Value& v) {
  if (v.tag == Tag::date) return format_date(v.a);
  if (v.tag == Tag::datetime) return format_instant(Instant{v.b, v.a});
  return std::string();
}

ojson ground_json(const Program& program, const Ground& g, bool with_measure) {
  const ClauseInfo& info = program.clauses[g.clause];
  ojson j;
  j["article"] = article_of(program, g.clause);
  j["kind"] = std::string(ground_kind_word(info.kind));
  if (with_measure && g.item >= 0) j["measure"] = g.item;
  j["reason"] = info.reason;
  return j;
}

std::string hex(const std::array<uint8_t, 32>& digest) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (uint8_t b : digest) { s += digits[b >> 4]; s += digits[b & 15]; }
  return s;
}

ojson status_json(const Value& v) {
  if (v.tag == Tag::boolean) return v.a != 0;
  return "unknown";
}

}  // namespace

nlohmann::ordered_json decision_to_json(const Program& program, const Facts& facts, const Decision& d) {
  ojson j;
  j["policy"] = program.name;
  j["policy_version"] = program.version;
  j["bundle"] = "sha256:" + hex(program.content_hash);
  j["outcome"] = std::string(outcome_word(d.outcome));
  if (d.has_items) {
    ojson measures = ojson::array();
    for (const ItemResult& r : d.items) {
      ojson m;
      m["index"] = r.index;
      if (r.kind_enum >= 0 && static_cast<size_t>(r.kind_enum) < program.schema.enums.size() &&
          static_cast<size_t>(r.kind_ordinal) < program.schema.enums[static_cast<size_t>(r.kind_enum)].members.size())
        m["kind"] = program.schema.enums[static_cast<size_t>(r.kind_enum)].members[static_cast<size_t>(r.kind_ordinal)];
      m["outcome"] = std::string(outcome_word(r.outcome));
      ojson grounds = ojson::array();
      for (uint32_t i = 0; i < r.ground_count; ++i) grounds.push_back(ground_json(program, d.item_grounds[r.first_ground + i], false));
      m["grounds"] = std::move(grounds);
      measures.push_back(std::move(m));
    }
    j["measures"] = std::move(measures);
  }
  ojson grounds = ojson::array();
  for (const Ground& g : d.grounds) grounds.push_back(ground_json(program, g, true));
  j["grounds"] = std::move(grounds);

  ojson obligations = ojson::array();
  for (const ObligationResult& o : d.obligations) {
    const ClauseInfo& info = program.clauses[o.clause];
    ojson x;
    x["article"] = article_of(program, o.clause);
    x["action"] = info.name;
    x["when"] = info.reason;
    if (o.item >= 0) x["measure"] = o.item;
    obligations.push_back(std::move(x));
  }
  j["obligations"] = std::move(obligations);

  ojson conditions = ojson::array();
  for (const ObligationResult& c : d.conditions) {
    const ClauseInfo& info = program.clauses[c.clause];
    ojson x;
    x["article"] = article_of(program, c.clause);
    x["name"] = info.name;
    x["reason"] = info.reason;
    if (c.item >= 0) x["measure"] = c.item;
    conditions.push_back(std::move(x));
  }
  j["conditions"] = std::move(conditions);

  ojson deadlines = ojson::array();
  for (const DeadlineResult& r : d.deadlines) {
    const ClauseInfo& info = program.clauses[r.clause];
    ojson x;
    x["name"] = info.name;
    x["article"] = article_of(program, r.clause);
    x["due"] = render_due(r.due);
    x["strength"] = std::string(strength_word(info.strength));
    x["status"] = std::string(deadline_status_word(r.status));
    if (r.item >= 0) x["measure"] = r.item;
    deadlines.push_back(std::move(x));
  }
  j["deadlines"] = std::move(deadlines);

  ojson missing = ojson::array();
  for (const MissingFact& m : d.missing) missing.push_back(missing_path(program, m));
  j["missing"] = std::move(missing);

  if (!d.problems.empty()) {
    ojson warnings = ojson::array();
    for (const PeriodProblem& p : d.problems) {
      ojson x;
      if (p.clause >= 0) x["article"] = article_of(program, static_cast<uint16_t>(p.clause));
      if (p.clause >= 0 && program.clauses[static_cast<size_t>(p.clause)].kind == ClauseKind::deadline)
        x["deadline"] = program.clauses[static_cast<size_t>(p.clause)].name;
      if (p.item >= 0) x["measure"] = p.item;
      x["message"] = problem_message(program, facts, p);
      warnings.push_back(std::move(x));
    }
    j["warnings"] = std::move(warnings);
  }

  if (!d.conflicts.empty()) {
    ojson conflicts = ojson::array();
    for (const Conflict& c : d.conflicts) {
      ojson x;
      x["name"] = program.clauses[c.first].name;
      x["kind"] = program.clauses[c.first].kind == ClauseKind::deadline ? "deadline" : "condition";
      x["articles"] = ojson::array({article_of(program, c.first), article_of(program, c.second)});
      if (c.item >= 0) x["measure"] = c.item;
      conflicts.push_back(std::move(x));
    }
    j["conflicts"] = std::move(conflicts);
  }

  if (d.explained) {
    ojson trace = ojson::array();
    for (const TraceEntry& e : d.trace) {
      ojson x;
      if (e.clause >= 0 && static_cast<size_t>(e.clause) < program.clauses.size()) {
        const ClauseInfo& info = program.clauses[static_cast<size_t>(e.clause)];
        x["article"] = article_of(program, static_cast<uint16_t>(e.clause));
        x["clause"] = info.label.empty() ? info.name : info.label;
        const std::string_view kind = ground_kind_word(info.kind);
        x["kind"] = kind.empty() ? (info.kind == ClauseKind::deadline     ? "deadline"
                                    : info.kind == ClauseKind::obligation ? "obligation"
                                                                          : "exception")
                                 : std::string(kind);
      }
      if (e.item >= 0) x["measure"] = e.item;
      x["status"] = status_json(e.status);
      if (e.due.tag == Tag::date || e.due.tag == Tag::datetime) x["due"] = render_due(e.due);
      if (e.event.tag == Tag::date || e.event.tag == Tag::datetime) x["event"] = render_due(e.event);
      ojson fs = ojson::object();
      for (const TraceFact& f : e.facts) fs[f.path] = f.value;
      x["facts"] = std::move(fs);
      if (!e.note.empty()) x["note"] = e.note;
      trace.push_back(std::move(x));
    }
    j["trace"] = std::move(trace);
  }

  if (d.failed) {
    ojson e;
    e["message"] = d.error.message;
    if (d.error.clause >= 0 && static_cast<size_t>(d.error.clause) < program.clauses.size())
      e["article"] = article_of(program, static_cast<uint16_t>(d.error.clause));
    j["error"] = std::move(e);
  }
  (void)facts;
  return j;
}

}  // namespace comity

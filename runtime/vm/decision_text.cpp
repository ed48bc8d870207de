// decision_text.cpp: Decision → the human text the CLI prints (outcome, grounds with article title and
// reason, deadlines, obligations, conditions, missing facts, conflicts, trace). Tooling path.
#include <fmt/format.h>

#include "comity/civil.h"
#include "comity/decision.h"

namespace comity {

namespace {

std::string article_line(const Program& program, uint16_t clause) {
  const uint16_t a = program.clauses[clause].article;
  if (a >= program.articles.size()) return "?";
  const ArticleInfo& art = program.articles[a];
  // "Art. 11(1)(g)", but "recital 17" as written.
  const bool numbered = !art.citation.empty() && art.citation[0] >= '0' && art.citation[0] <= '9';
  const std::string cite = numbered ? "Art. " + art.citation : art.citation;
  return art.title.empty() ? cite : fmt::format("{} ({})", cite, art.title);
}

std::string when(const Value& v) {
  if (v.tag == Tag::date) return format_date(v.a);
  if (v.tag == Tag::datetime) return format_instant(Instant{v.b, v.a});
  return "unknown";
}

std::string measure_suffix(int32_t item) { return item >= 0 ? fmt::format(" [measure {}]", item) : std::string(); }

}  // namespace

std::string render_decision_text(const Program& program, const Facts& facts, const Decision& d) {
  std::string out = fmt::format("outcome: {}\n", outcome_word(d.outcome));
  if (d.failed) {
    out += "error: " + d.error.message;
    if (d.error.clause >= 0 && static_cast<size_t>(d.error.clause) < program.clauses.size())
      out += " (while evaluating " + article_line(program, static_cast<uint16_t>(d.error.clause)) + ")";
    out += "\n";
  }
  if (d.has_items && !d.items.empty()) {
    out += "measures:\n";
    for (const ItemResult& r : d.items) {
      std::string kind;
      if (r.kind_enum >= 0 && static_cast<size_t>(r.kind_enum) < program.schema.enums.size() &&
          static_cast<size_t>(r.kind_ordinal) < program.schema.enums[static_cast<size_t>(r.kind_enum)].members.size())
        kind = " " + program.schema.enums[static_cast<size_t>(r.kind_enum)].members[static_cast<size_t>(r.kind_ordinal)];
      out += fmt::format("  {}{}: {}\n", r.index, kind, outcome_word(r.outcome));
    }
  }
  if (!d.grounds.empty()) {
    out += "grounds:\n";
    for (const Ground& g : d.grounds) {
      const ClauseInfo& info = program.clauses[g.clause];
      out += fmt::format("  {} — {}{}", article_line(program, g.clause), ground_kind_word(info.kind), measure_suffix(g.item));
      if (!info.reason.empty()) out += ": " + info.reason;
      out += "\n";
    }
  }
  if (!d.conditions.empty()) {
    out += "conditions:\n";
    for (const ObligationResult& c : d.conditions) {
      const ClauseInfo& info = program.clauses[c.clause];
      out += fmt::format("  {} {}{}: {}\n", info.name, article_line(program, c.clause), measure_suffix(c.item), info.reason);
    }
  }
  if (!d.deadlines.empty()) {
    out += "deadlines:\n";
    for (const DeadlineResult& r : d.deadlines) {
      const ClauseInfo& info = program.clauses[r.clause];
      out += fmt::format("  {} ({}, {}){}: due {}, {}\n", info.name, article_line(program, r.clause), strength_word(info.strength),
                         measure_suffix(r.item), when(r.due), deadline_status_word(r.status));
    }
  }
  if (!d.obligations.empty()) {
    out += "obligations:\n";
    for (const ObligationResult& o : d.obligations) {
      const ClauseInfo& info = program.clauses[o.clause];
      out += fmt::format("  {} ({}){}", info.name, article_line(program, o.clause), measure_suffix(o.item));
      if (!info.reason.empty()) out += ": " + info.reason;
      out += "\n";
    }
  }
  if (!d.missing.empty()) {
    out += "missing facts:\n";
    for (const MissingFact& m : d.missing) out += "  " + missing_path(program, m) + "\n";
  }
  if (!d.problems.empty()) {
    out += "warnings:\n";
    for (const PeriodProblem& p : d.problems) out += "  " + problem_message(program, facts, p) + "\n";
  }
  if (!d.conflicts.empty()) {
    out += "conflicts (a human decides):\n";
    for (const Conflict& c : d.conflicts)
      out += fmt::format("  {}: {} and {}{}\n", program.clauses[c.first].name, article_line(program, c.first),
                         article_line(program, c.second), measure_suffix(c.item));
  }
  if (d.explained) {
    out += "trace:\n";
    for (const TraceEntry& e : d.trace) {
      std::string status = e.status.tag == Tag::boolean ? (e.status.a ? "true" : "false") : "unknown";
      const std::string who = e.clause >= 0 && static_cast<size_t>(e.clause) < program.clauses.size()
                                  ? article_line(program, static_cast<uint16_t>(e.clause))
                                  : std::string("?");
      std::string label;
      if (e.clause >= 0 && static_cast<size_t>(e.clause) < program.clauses.size()) {
        const ClauseInfo& info = program.clauses[static_cast<size_t>(e.clause)];
        label = info.label.empty() ? info.name : info.label;
      }
      out += fmt::format("  {}{}{}: {}", who, label.empty() ? "" : " " + label, measure_suffix(e.item), status);
      if (e.due.tag == Tag::date || e.due.tag == Tag::datetime) out += ", due " + when(e.due);
      if (e.event.tag == Tag::date || e.event.tag == Tag::datetime) out += ", event " + when(e.event);
      if (!e.note.empty()) out += " (" + e.note + ")";
      out += "\n";
      for (const TraceFact& f : e.facts) out += fmt::format("      {} = {}\n", f.path, f.value);
    }
  }
  (void)facts;
  return out;
}

}  // namespace comity

// decide.cpp: runs the request block, then the item block per list element, and turns clause statuses
// into a Decision (outcome ranking, undetermined with missing facts, deadlines and their status,
// priority and conflicts). No allocation once the Decision and VmState have grown. Knows no JSON.
#include <algorithm>

#include "comity/civil.h"
#include "comity/decision.h"
#include "comity/periods.h"

namespace comity {

std::string_view outcome_word(Outcome o) {
  switch (o) {
    case Outcome::execute: return "execute";
    case Outcome::execute_with_conditions: return "execute_with_conditions";
    case Outcome::review: return "review";
    case Outcome::postponement_available: return "postponement_available";
    case Outcome::refusal_available: return "refusal_available";
    case Outcome::use_other_measure: return "use_other_measure";
    case Outcome::impossible: return "impossible";
    case Outcome::refuse: return "refuse";
    case Outcome::return_to_issuing_state: return "return_to_issuing_state";
    case Outcome::undetermined: return "undetermined";
    case Outcome::partial: return "partial";
  }
  return "undetermined";
}

Outcome clause_effect(ClauseKind kind) {
  switch (kind) {
    case ClauseKind::refuse_mandatory: return Outcome::refuse;
    case ClauseKind::refuse_optional: return Outcome::refusal_available;
    case ClauseKind::postpone: return Outcome::postponement_available;
    case ClauseKind::return_: return Outcome::return_to_issuing_state;
    case ClauseKind::use_other_measure: return Outcome::use_other_measure;
    case ClauseKind::impossible: return Outcome::impossible;
    case ClauseKind::review: return Outcome::review;
    case ClauseKind::condition: return Outcome::execute_with_conditions;
    case ClauseKind::exception:
    case ClauseKind::deadline:
    case ClauseKind::obligation: return Outcome::execute;
  }
  return Outcome::execute;
}

std::string_view ground_kind_word(ClauseKind kind) {
  switch (kind) {
    case ClauseKind::refuse_mandatory: return "mandatory_refusal";
    case ClauseKind::refuse_optional: return "optional_refusal";
    case ClauseKind::postpone: return "postponement";
    case ClauseKind::return_: return "return";
    case ClauseKind::use_other_measure: return "use_other_measure";
    case ClauseKind::impossible: return "impossible";
    case ClauseKind::review: return "review";
    case ClauseKind::condition: return "condition";
    case ClauseKind::exception:
    case ClauseKind::deadline:
    case ClauseKind::obligation: return {};
  }
  return {};
}

std::string_view deadline_status_word(DeadlineStatus s) {
  switch (s) {
    case DeadlineStatus::pending: return "pending";
    case DeadlineStatus::met: return "met";
    case DeadlineStatus::missed: return "missed";
  }
  return "pending";
}

std::string_view strength_word(Strength s) {
  switch (s) {
    case Strength::hard: return "hard";
    case Strength::soft: return "soft";
    case Strength::target: return "target";
  }
  return "hard";
}

void Decision::clear() {
  outcome = Outcome::execute;
  has_items = false;
  items.clear();
  item_grounds.clear();
  grounds.clear();
  deadlines.clear();
  obligations.clear();
  conditions.clear();
  conflicts.clear();
  missing.clear();
  problems.clear();
  failed = false;
  explained = false;
  error.message.clear();
  error.clause = -1;
  trace.clear();
}

void fail_decision(Decision& out, std::string_view message) {
  out.clear();
  out.outcome = Outcome::undetermined;
  out.failed = true;
  out.error.message.assign(message);
  out.error.clause = -1;
}

std::string missing_path(const Program& program, const MissingFact& fact) {
  if (fact.fact >= program.schema.facts.size()) return "fact " + std::to_string(fact.fact);
  std::string path = program.schema.facts[fact.fact].path;
  if (fact.item >= 0) {
    const size_t at = path.find("[]");
    if (at != std::string::npos) path.replace(at, 2, "[" + std::to_string(fact.item) + "]");
  }
  return path;
}

std::string problem_message(const Program& program, const Facts& facts, const PeriodProblem& p) {
  std::string what = "a period";
  if (p.clause >= 0 && static_cast<size_t>(p.clause) < program.clauses.size()) {
    const ClauseInfo& info = program.clauses[static_cast<size_t>(p.clause)];
    const std::string article = info.article < program.articles.size() ? program.articles[info.article].citation : "?";
    what = info.kind == ClauseKind::deadline ? "deadline `" + info.name + "` (" + article + ")" : "a period in " + article;
  }
  std::string state;
  if (program.calendar_slot >= 0) {
    const Value& v = facts.slots[static_cast<size_t>(program.calendar_slot)];
    if (v.tag == Tag::string) state = std::string(facts.string_at(program, v));
  }
  std::string why;
  switch (static_cast<periods::PeriodError>(p.error)) {
    case periods::PeriodError::no_calendar: why = "no public-holiday calendar for `" + state + "` in this bundle"; break;
    case periods::PeriodError::outside_calendar: {
      why = "the period from " + render_value(program, facts, p.start) + " (" + render_value(program, facts, p.length) +
            ") reaches a day outside the years";
      for (const auto& c : program.calendars)
        if (c.code() == state)
          why += " " + std::to_string(c.first_year()) + "-" + std::to_string(c.last_year());
      why += " that the `" + state + "` holiday calendar covers";
      break;
    }
    default: why = periods::describe(static_cast<periods::PeriodError>(p.error)); break;
  }
  return what + " cannot be computed: " + why;
}

namespace vm {
namespace {

int rank(Outcome o) { return static_cast<int>(o); }

// The day a date or instant falls on (an instant: its local date in its own offset).
Days day_of(const Value& v) { return v.tag == Tag::date ? v.a : local_date(Instant{v.b, v.a}); }

DeadlineStatus deadline_status(const Value& due, const Value& event, const Value& today) {
  if (!event.is_unknown()) {
    if (due.tag == Tag::date || event.tag == Tag::date) return day_of(event) <= day_of(due) ? DeadlineStatus::met : DeadlineStatus::missed;
    return event.b <= due.b ? DeadlineStatus::met : DeadlineStatus::missed;  // two instants
  }
  if (today.tag == Tag::date || today.tag == Tag::datetime) {
    const bool after = (due.tag == Tag::datetime && today.tag == Tag::datetime) ? today.b > due.b : day_of(today) > day_of(due);
    if (after) return DeadlineStatus::missed;
  }
  return DeadlineStatus::pending;
}

bool prevails(const Program& program, uint16_t winner, uint16_t loser) {
  const auto& p = program.clauses[winner].prevails_over;
  return std::find(p.begin(), p.end(), loser) != p.end();
}

class Assembler {
 public:
  Assembler(const Program& program, const Facts& facts, VmState& state, Decision& out, bool explain)
      : program_(program), facts_(facts), state_(state), out_(out), explain_(explain) {}

  void run() {
    state_.prepare(program_);
    state_.trace.clear();
    state_.trace_item = -1;
    // Every status, due value and event starts unknown in each evaluation. Items of one request are not
    // reset between them: compiled code stores a status before reading it, and whatever a verified
    // bundle does, what it could read is a function of this same request, so decisions stay deterministic.
    state_.reset_all();
    state_.problems.clear();
    if (!run_prepared_block(program_, program_.request_block, facts_, state_, Value{}, explain_)) return fault();

    // Request-level grounds: found once, then shared by every item.
    request_rank_ = rank(Outcome::execute);
    request_true_.clear();
    request_unknown_.clear();
    for (const auto& g : state_.request_grounds_) {
      const Value& status = state_.statuses[g.clause];
      if (status.is_true()) {
        out_.grounds.push_back({g.clause, -1});
        request_true_.push_back(g.clause);
        if (g.rank > request_rank_) request_rank_ = g.rank;
      } else if (status.is_unknown()) {
        request_unknown_.push_back(g);
      }
    }
    extras(state_.request_extras_, -1);

    out_.has_items = program_.items_slot >= 0;
    const Value list = out_.has_items ? facts_.slots[static_cast<size_t>(program_.items_slot)] : Value{};
    if (!out_.has_items || (list.tag == Tag::list && list.b == 0)) {
      out_.outcome = decide_item(-1);
    } else if (list.tag != Tag::list) {  // the list itself is unknown
      decide_item(-1);
      add_missing(list.mask(), false, -1);
      out_.outcome = Outcome::undetermined;
    } else {
      bool any_undetermined = false, any_exec = false, any_other = false, all_same = true;
      Outcome most = Outcome::execute;
      for (int64_t i = 0; i < list.b; ++i) {
        const int32_t item = static_cast<int32_t>(i);
        state_.trace_item = item;
        const Value record = Value::record(list.a + item * list.aux, program_.item_record);
        if (!run_prepared_block(program_, program_.item_block, facts_, state_, record, explain_)) return fault();
        ItemResult r;
        r.index = item;
        item_kind(record, r);
        r.first_ground = static_cast<uint32_t>(out_.item_grounds.size());
        for (const auto& g : state_.item_grounds_)
          if (state_.statuses[g.clause].is_true()) out_.grounds.push_back({g.clause, item});
        r.outcome = decide_item(item);
        r.ground_count = static_cast<uint32_t>(out_.item_grounds.size()) - r.first_ground;
        extras(state_.item_extras_, item);
        out_.items.push_back(r);

        if (r.outcome == Outcome::undetermined) any_undetermined = true;
        else if (r.outcome == Outcome::execute || r.outcome == Outcome::execute_with_conditions) any_exec = true;
        else any_other = true;
        if (i > 0 && r.outcome != out_.items.front().outcome) all_same = false;
        if (r.outcome != Outcome::undetermined && rank(r.outcome) > rank(most)) most = r.outcome;
      }
      if (all_same) out_.outcome = out_.items.front().outcome;
      else if (any_undetermined) out_.outcome = Outcome::undetermined;
      else if (any_exec && any_other) out_.outcome = Outcome::partial;
      else out_.outcome = most;
    }
    if (!out_.conflicts.empty()) out_.outcome = Outcome::review;  // the policy is inconsistent here: a human decides

    // Sorted by path (a rank computed once per program), then item; no duplicates.
    const auto& fact_rank = state_.fact_rank_;
    std::sort(out_.missing.begin(), out_.missing.end(), [&](const MissingFact& a, const MissingFact& b) {
      if (a.fact != b.fact) return fact_rank[a.fact] < fact_rank[b.fact];
      return a.item < b.item;
    });
    out_.missing.erase(std::unique(out_.missing.begin(), out_.missing.end()), out_.missing.end());
    out_.problems.assign(state_.problems.begin(), state_.problems.end());
    if (explain_) out_.trace.swap(state_.trace);
  }

 private:
  // The outcome of one item (or of the whole request when item < 0) from the request-level clauses and,
  // for an item, its own clauses. Adds the item's grounds and the facts an undetermined outcome needs.
  Outcome decide_item(int32_t item) {
    int decided = request_rank_;
    bool undetermined = false;
    if (item >= 0) {
      for (uint16_t c : request_true_) out_.item_grounds.push_back({c, -1});
      // One pass over the item's grounds: those that apply, and the unknown ones kept for the check below.
      item_unknown_.clear();
      for (const auto& g : state_.item_grounds_) {
        const Value& status = state_.statuses[g.clause];
        if (status.is_true()) {
          out_.item_grounds.push_back({g.clause, item});
          if (g.rank > decided) decided = g.rank;
        } else if (status.is_unknown()) {
          item_unknown_.push_back(g);
        }
      }
      for (const auto& g : item_unknown_)
        if (g.rank > decided) {  // could make the outcome stricter: the facts behind it decide
          undetermined = true;
          add_missing(state_.statuses[g.clause].mask(), true, item);
        }
    }
    for (const auto& g : request_unknown_)
      if (g.rank > decided) {
        undetermined = true;
        add_missing(state_.statuses[g.clause].mask(), false, item);
      }
    return undetermined ? Outcome::undetermined : static_cast<Outcome>(decided);
  }

  void add_missing(uint64_t mask, bool item_scope, int32_t item) {
    const auto& facts = program_.schema.facts;
    while (mask) {
      const int bit = __builtin_ctzll(mask);
      mask &= mask - 1;
      const bool indexed = item_scope && static_cast<size_t>(bit) < facts.size() && facts[static_cast<size_t>(bit)].in_list_item;
      out_.missing.push_back({static_cast<uint16_t>(bit), indexed ? item : -1});
    }
  }

  void item_kind(const Value& record, ItemResult& r) const {
    if (state_.kind_offset_ < 0) return;
    const Value& v = facts_.slots[static_cast<size_t>(record.a + state_.kind_offset_)];
    if (v.tag == Tag::enumeration) { r.kind_enum = v.aux; r.kind_ordinal = v.a; }
  }

  // Deadlines, obligations and conditions of one scope, with priority between same-named ones.
  void extras(const std::vector<uint16_t>& clauses, int32_t item) {
    const Value today = program_.today_slot >= 0 ? facts_.slots[static_cast<size_t>(program_.today_slot)] : Value{};
    const size_t first_deadline = out_.deadlines.size(), first_condition = out_.conditions.size();
    for (uint16_t c : clauses) {
      if (!state_.statuses[c].is_true()) continue;
      const ClauseInfo& info = program_.clauses[c];
      switch (info.kind) {
        case ClauseKind::deadline: {
          const Value& due = state_.due[c];
          if (due.tag != Tag::date && due.tag != Tag::datetime) break;
          if (!admit(out_.deadlines, first_deadline, c, item, false)) break;
          out_.deadlines.push_back({c, item, due, deadline_status(due, state_.events[c], today)});
          break;
        }
        case ClauseKind::condition:
          if (admit(out_.conditions, first_condition, c, item, true)) out_.conditions.push_back({c, item});
          break;
        case ClauseKind::obligation: out_.obligations.push_back({c, item}); break;
        case ClauseKind::refuse_mandatory:
        case ClauseKind::refuse_optional:
        case ClauseKind::postpone:
        case ClauseKind::return_:
        case ClauseKind::use_other_measure:
        case ClauseKind::impossible:
        case ClauseKind::review:
        case ClauseKind::exception: break;
      }
    }
  }

  // Whether clause c joins `list` (entries from `first` on are this scope's) given same-named entries:
  // a declared priority drops the loser; otherwise two deadlines (or two conditions with different
  // reasons) of one name are a conflict.
  template <typename Entry>
  bool admit(std::vector<Entry>& list, size_t first, uint16_t c, int32_t item, bool conditions) {
    const ClauseInfo& info = program_.clauses[c];
    for (size_t i = first; i < list.size(); ++i) {
      const uint16_t other = list[i].clause;
      if (state_.name_id_[other] != state_.name_id_[c]) continue;
      const ClauseInfo& o = program_.clauses[other];
      if (prevails(program_, c, other)) {
        note_dropped(other, c, item);
        list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
        return true;  // at most one same-named entry survives per scope, so no further match
      }
      if (prevails(program_, other, c)) { note_dropped(c, other, item); return false; }
      if (conditions && o.reason == info.reason) return true;
      out_.conflicts.push_back({other, c, item});
      return true;
    }
    return true;
  }

  void note_dropped(uint16_t loser, uint16_t winner, int32_t item) {
    if (!explain_) return;
    TraceEntry e;
    e.clause = loser;
    e.item = item;
    e.status = state_.statuses[loser];
    e.due = state_.due[loser];
    e.event = state_.events[loser];
    const ClauseInfo& w = program_.clauses[winner];
    e.note = "dropped: " + w.name + " of " +
             (w.article < program_.articles.size() ? program_.articles[w.article].citation : std::string("?")) +
             " prevails";
    state_.trace.push_back(std::move(e));
  }

  void fault() {
    std::string message = std::move(state_.fault.message);
    const int32_t clause = state_.fault.clause;
    std::vector<TraceEntry> trace;
    if (explain_) trace.swap(state_.trace);
    fail_decision(out_, message);
    out_.error.clause = clause;
    out_.has_items = program_.items_slot >= 0;
    if (explain_) out_.trace.swap(trace);
    state_.fault.message = std::move(message);
  }

  const Program& program_;
  const Facts& facts_;
  VmState& state_;
  Decision& out_;
  bool explain_;
  int request_rank_ = 0;  // the most restrictive request-level ground that definitely applies
  std::vector<uint16_t>& request_true_ = state_.scratch_true_;                // request grounds that apply
  std::vector<VmState::RankedClause>& request_unknown_ = state_.scratch_unknown_;  // request grounds unknown
  std::vector<VmState::RankedClause>& item_unknown_ = state_.scratch_item_unknown_;
};

}  // namespace
}  // namespace vm

void evaluate(const Program& program, const Facts& facts, VmState& state, Decision& out, bool explain) {
  // Facts bound a while ago may be out of cache: ask for all their lines first thing, so the misses
  // overlap with each other and with the set-up below instead of stalling one by one.
  {
    const char* p = reinterpret_cast<const char*>(facts.slots.data());
    const char* end = p + facts.slots.size() * sizeof(Value);
    for (; p < end; p += 64) __builtin_prefetch(p);
    if (!facts.arena.empty()) __builtin_prefetch(facts.arena.data());
  }
  out.clear();
  vm::Assembler(program, facts, state, out, explain).run();
  out.explained = explain;
}

}  // namespace comity

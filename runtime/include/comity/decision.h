// decision.h: what a request's evaluation decides (outcome per item and overall, grounds, deadlines,
// obligations, conditions, missing facts, conflicts, trace) and the entry point that computes it.
// Knows nothing of JSON input or bytecode; the renderers (JSON, text) are the only output formats.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "comity/program.h"
#include "comity/value.h"
#include "comity/vm.h"

namespace comity {

// Ordered from least to most restrictive up to return_to_issuing_state; undetermined and partial are
// not ranked (see Decision::outcome).
enum class Outcome : uint8_t {
  execute,
  execute_with_conditions,
  review,
  postponement_available,
  refusal_available,
  use_other_measure,
  impossible,
  refuse,
  return_to_issuing_state,
  undetermined,
  partial,
};
std::string_view outcome_word(Outcome o);  // "refusal_available"

// The effect of a clause kind on the outcome (execute when the kind has none), and its ground kind
// word ("optional_refusal"; empty when the kind is no ground).
Outcome clause_effect(ClauseKind kind);
std::string_view ground_kind_word(ClauseKind kind);

enum class DeadlineStatus : uint8_t { pending, met, missed };
std::string_view deadline_status_word(DeadlineStatus s);
std::string_view strength_word(Strength s);

struct Ground {
  uint16_t clause = 0;
  int32_t item = -1;  // list index for item-scope clauses, -1 for request-level ones
};

struct ItemResult {
  int32_t index = 0;
  int32_t kind_enum = -1;     // enum id of the item's `kind` field, -1 if none or unknown
  int32_t kind_ordinal = -1;
  Outcome outcome = Outcome::execute;
  uint32_t first_ground = 0, ground_count = 0;  // range in Decision::item_grounds
};

struct DeadlineResult {
  uint16_t clause = 0;
  int32_t item = -1;
  Value due;  // date or datetime
  DeadlineStatus status = DeadlineStatus::pending;
};

struct ObligationResult {  // also used for conditions
  uint16_t clause = 0;
  int32_t item = -1;
};

struct Conflict {
  uint16_t first = 0, second = 0;  // clause ids: two deadlines or two conditions of the same name
  int32_t item = -1;
};

struct MissingFact {
  uint16_t fact = 0;   // bit in Schema::facts
  int32_t item = -1;   // rendered into "measures[i].x" for facts in list items, -1 = "measures[].x"
  friend bool operator==(const MissingFact&, const MissingFact&) = default;
};

struct DecisionError {
  std::string message;  // binding error or run-time fault
  int32_t clause = -1;  // the clause being evaluated, -1 for binding errors
};

// A reusable result: clear() keeps every vector's capacity, so steady-state evaluation does not
// allocate. Valid until the next evaluate() with the same object.
struct Decision {
  Outcome outcome = Outcome::execute;
  bool has_items = false;              // the program decides each item of a list
  std::vector<ItemResult> items;
  std::vector<Ground> item_grounds;    // per-item grounds (request-level ones included), see ItemResult
  std::vector<Ground> grounds;         // request-level once (item -1), item-level with their index
  std::vector<DeadlineResult> deadlines;
  std::vector<ObligationResult> obligations;
  std::vector<ObligationResult> conditions;
  std::vector<Conflict> conflicts;
  std::vector<MissingFact> missing;
  std::vector<PeriodProblem> problems; // periods that could not be computed (reported as warnings)    // sorted by path then index, no duplicates
  bool failed = false;
  DecisionError error;                 // when failed
  bool explained = false;
  std::vector<TraceEntry> trace;       // when explained

  void clear();
};

// Runs the program over bound facts and assembles the decision. `state` is the caller's per-thread
// state; prepare() is called as needed. Never throws for policy or data problems: a run-time fault
// sets decision.failed and decision.error.
void evaluate(const Program& program, const Facts& facts, VmState& state, Decision& out, bool explain = false);

// Records a binding failure as the decision (outcome undetermined, error set).
void fail_decision(Decision& out, std::string_view message);

// "measures[2].kind" for an item fact, "offence.fiscal" for a request fact.
std::string missing_path(const Program& program, const MissingFact& fact);

// "deadline `recognition` (12(3)) cannot be computed: no public-holiday calendar for `PL` in this bundle"
std::string problem_message(const Program& program, const Facts& facts, const PeriodProblem& problem);

// Renderers (tooling path: they allocate). JSON follows legal/EIO-CONTRACT.md.
nlohmann::ordered_json decision_to_json(const Program& program, const Facts& facts, const Decision& decision);
std::string render_decision_text(const Program& program, const Facts& facts, const Decision& decision);

}  // namespace comity

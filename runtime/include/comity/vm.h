// vm.h: the facts frame, the per-thread VM state and the block interpreter over a verified Program.
// Knows nothing of JSON, bundles or source text; the binder fills Facts, decide.cpp reads VmState.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "comity/opcodes.h"
#include "comity/program.h"
#include "comity/value.h"

namespace comity {

// One request's facts, laid out by the schema (see program.h FieldInfo). Reused between requests:
// clear() keeps the capacity, so steady-state binding does not allocate.
struct Facts {
  std::vector<Value> slots;  // root record at [0, root stride), then list elements, each `stride` slots
  std::string arena;         // bytes of request strings (Value::string with in_pool = false)

  void clear() { slots.clear(); arena.clear(); }
  // The bytes of a string Value, from the program's pool or the request arena.
  std::string_view string_at(const Program& program, const Value& v) const {
    if (v.flags & Value::kInPool) return program.string_at(v);
    return std::string_view(arena).substr(static_cast<size_t>(v.b), static_cast<size_t>(v.a));
  }
};

// A run-time fault: evaluation stops; the decision reports it (never a crash, never a silent default).
struct Fault {
  std::string message;  // lowercase, the user's words in backticks
  int32_t clause = -1;  // clause being evaluated, -1 if none could be attributed
};

// Explanations (`--explain`): one entry per clause, in evaluation order.
struct TraceFact {
  std::string path;   // "offence.issuing_max_penalty", "measures[1].kind"
  std::string value;  // rendered: "P3Y", "true", "unknown", "\"NL\"", "search_seizure"
};
struct TraceEntry {
  int32_t clause = -1;
  int32_t item = -1;             // list element index for item-scope clauses, -1 for the request
  Value status;                  // the stored status (boolean or unknown)
  Value due, event;              // deadline clauses: the stored due value / event, if any
  std::vector<TraceFact> facts;  // facts loaded while computing it (first load of each, in order)
  std::string note;              // decision-level remarks ("prevails over 12(3)", "dropped: ...")
};

// Per-thread interpreter state. prepare() sizes everything for a program; after that run_block()
// never allocates (unless it faults or traces). Not shared between threads; the Program is.
namespace vm {
struct Translated;
}

// A period the engine could not compute for reasons of data, not of the request's facts: no holiday
// calendar for the State, a day beyond the calendar's years, or a month end the convention does not
// settle. The period's value is unknown; the decision still decides and reports the problem.
struct PeriodProblem {
  int32_t clause = -1;  // the clause whose period it was
  int32_t item = -1;    // list element, -1 for the request
  uint8_t error = 0;    // periods::PeriodError
  Value start, length;
};

class VmState {
 public:
  VmState();
  ~VmState();
  VmState(VmState&&) noexcept;
  VmState& operator=(VmState&&) noexcept;
  VmState(const VmState&) = delete;
  VmState& operator=(const VmState&) = delete;

  void prepare(const Program& program);  // idempotent; cheap when already prepared for `program`

  // Statuses (booleans or unknowns), due values and events, indexed by clause id. Item-scope clauses
  // hold the values of the last item run.
  std::vector<Value> statuses, due, events;
  Fault fault;                     // valid after run_block returned false
  std::vector<TraceEntry> trace;   // appended to when tracing
  int32_t trace_item = -1;         // item index written into trace entries (and into period problems)
  std::vector<PeriodProblem> problems;  // this evaluation's; capacity reserved by prepare, at most kMaxProblems
  static constexpr size_t kMaxProblems = 16;

  // Resets the statuses, due values and events of the clauses of one scope to unknown(0).
  void reset_scope(bool item_scope);
  void reset_all();  // every clause's status, due value and event to unknown(0)

  // Internal to the interpreter and decide.cpp; not part of the API.
  std::vector<Value> stack_;   // sized max_stack of both blocks (+1 slack)
  std::vector<Value> locals_;  // sized to the larger block's locals
  std::vector<uint16_t> request_clauses_, item_clauses_;
  // Per-scope tables built once per program, so deciding never rescans the clause table:
  struct RankedClause {
    uint16_t clause;
    uint8_t rank;  // the Outcome the ground leads to, as an integer (higher is more restrictive)
  };
  std::vector<RankedClause> request_grounds_, item_grounds_;  // grounds, by scope
  std::vector<uint16_t> request_extras_, item_extras_;        // deadlines, conditions, obligations
  std::vector<uint16_t> request_resets_, item_resets_;        // deadline clauses: due and event reset per run
  std::vector<uint16_t> name_id_;                             // clause → interned deadline/condition name
  std::vector<uint16_t> fact_rank_;                           // fact bit → rank of its path (for sorting)
  int32_t kind_offset_ = -1;  // offset of the items' enum field `kind` (reported per measure), -1 if none
  std::vector<uint16_t> scratch_true_;                         // decide.cpp working lists, kept for capacity
  std::vector<RankedClause> scratch_unknown_, scratch_item_unknown_;
  // The last holiday calendar looked up, by State code (a request names one State; no string search per period).
  const void* calendar_ = nullptr;
  char calendar_code_[8] = {};
  uint8_t calendar_code_size_ = 0xff;  // 0xff: nothing cached
  std::vector<TraceFact> pending_facts_;  // tracing: loads since the last STORE_*
  std::unique_ptr<vm::Translated> translated_;  // decoded and fused code of the prepared program
  const Program* prepared_for_ = nullptr;
  std::array<uint8_t, 32> prepared_hash_{};
};

// Runs one block over `facts`. Local 0 is set to `local0` first (the item record for item blocks).
// Returns false on a fault (state.fault says why). `trace` adds TraceEntries to state.trace.
bool run_block(const Program& program, const Block& block, const Facts& facts, VmState& state, Value local0,
               bool trace);
// The same, for a caller that has already called state.prepare(program) (the decision loop does, once).
bool run_prepared_block(const Program& program, const Block& block, const Facts& facts, VmState& state, Value local0,
                        bool trace);

// ---- helpers shared with the decision code and tests ----------------------
// Renders a value for traces and messages: dates as YYYY-MM-DD, enums as their word, etc.
std::string render_value(const Program& program, const Facts& facts, const Value& v);
// The JSON path of an absolute slot ("offence.fiscal", "measures[2].kind"); "slot N" if none.
std::string slot_path(const Program& program, const Facts& facts, int32_t slot);

namespace vm {
// Evaluates `a op b` for two known durations. A month is 28..31 days (a year 365..366) and a day
// 23..25 hours (daylight saving), so a comparison across units answers only when the answer is the
// same for every length; otherwise it returns false and fills `message`.
bool duration_cmp(CmpOp op, const Value& a, const Value& b, bool& result, std::string& message);
// The exact [min, max] number of days in `months` consecutive calendar months, over every start month.
void month_day_bounds(int64_t months, int64_t& lo, int64_t& hi);
}  // namespace vm

}  // namespace comity

// eio_native.h: policies/eu/eio.comity written out by hand in C++ — the "physical limit" baseline the VM
// is measured against, and the reference evaluator the VM is checked against (tests/native_agreement_test).
// Same rules, same Kleene logic with fact masks, same outcome ranking, same per-measure and `partial` rules,
// same periods (runtime/periods, Reg. 1182/71 with the executing State's calendar). Evaluation works on a
// pre-parsed struct and never allocates. Knows nothing of the compiler, the bytecode or the binder.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "comity/civil.h"
#include "comity/decision.h"  // comity::Outcome (only the enum: the native result uses the same words)
#include "comity/periods.h"

namespace comity::bench {

// ---- the request (EIO-CONTRACT.md), pre-parsed --------------------------------------------------------
enum class Authority : uint8_t { judge, court, investigating_judge, prosecutor, validated_other, unvalidated_other };
enum class Proceedings : uint8_t { criminal, administrative };
enum class MeasureKind : uint8_t {
  evidence_in_possession, database_information, hearing, non_coercive, subscriber_identification,
  search_seizure, bank_information, bank_monitoring, controlled_delivery, interception,
  covert_investigation, custody_transfer, videoconference_hearing, provisional_freeze, other,
};
inline constexpr int kAnnexDCount = 32;
extern const std::array<std::string_view, kAnnexDCount> kAnnexDWords;  // Annex D ids, in the Annex's order
extern const std::array<std::string_view, 15> kMeasureKindWords;
extern const std::array<std::string_view, 6> kAuthorityWords;

inline constexpr int kMaxMeasures = 8;

struct NativeMeasure {
  MeasureKind kind = MeasureKind::other;
  std::optional<bool> exists_in_executing_state;
  std::optional<bool> available_in_domestic_case;
  std::optional<bool> alternative_available;
  std::optional<bool> restricted_excludes_offence;
};

struct NativeRequest {
  std::array<char, 2> issuing_state{}, executing_state{};
  const periods::HolidayCalendar* calendar = nullptr;  // the executing State's; null when there is none
  Authority issuing_authority = Authority::judge;
  std::optional<Proceedings> proceedings;
  Instant received;
  std::optional<Days> recognition_decided;
  std::optional<bool> urgent;
  std::optional<Days> requested_deadline;
  std::optional<bool> provisional;
  std::optional<Days> extension_notified;
  std::optional<Days> as_of;
  // offence (an absent `offence` object: every field absent)
  std::optional<uint8_t> annex_d_category;  // index into kAnnexDWords
  std::optional<Duration> issuing_max_penalty;
  std::optional<bool> offence_in_executing_state, committed_outside_issuing_state, committed_in_executing_state, fiscal;
  // grounds
  std::optional<bool> immunity_or_privilege, waiver_granted, press_freedom_bar, national_security_harm,
      ne_bis_in_idem, ne_bis_in_idem_assurances, ne_bis_in_idem_check_purpose, fundamental_rights_substantial_grounds,
      prejudice_ongoing_investigation, evidence_used_in_other_proceedings;
  uint8_t measure_count = 0;
  std::array<NativeMeasure, kMaxMeasures> measures{};
};

// ---- optional facts: one bit each (the native numbering, not the compiler's) --------------------------
enum Fact : uint8_t {
  f_proceedings, f_recognition_decided, f_urgent, f_requested_deadline, f_provisional, f_extension_notified, f_as_of,
  f_annex_d_category, f_issuing_max_penalty, f_offence_in_executing_state, f_committed_outside_issuing_state,
  f_committed_in_executing_state, f_fiscal,
  f_immunity_or_privilege, f_waiver_granted, f_press_freedom_bar, f_national_security_harm, f_ne_bis_in_idem,
  f_ne_bis_in_idem_assurances, f_ne_bis_in_idem_check_purpose, f_fundamental_rights_substantial_grounds,
  f_prejudice_ongoing_investigation, f_evidence_used_in_other_proceedings,
  // per measure (rendered with the measure's index)
  f_exists_in_executing_state, f_available_in_domestic_case, f_alternative_available, f_restricted_excludes_offence,
  kFactCount,
};
inline constexpr uint64_t kMeasureFacts = (uint64_t{1} << f_exists_in_executing_state) |
                                          (uint64_t{1} << f_available_in_domestic_case) |
                                          (uint64_t{1} << f_alternative_available) |
                                          (uint64_t{1} << f_restricted_excludes_offence);
extern const std::array<std::string_view, kFactCount> kFactPaths;  // "offence.fiscal", "measures[].kind"…

// ---- grounds (clauses that can change an outcome) -----------------------------------------------------
enum Ground : uint8_t {
  // request scope: evaluated once, apply to every measure
  g_9_3, g_11_1_a_immunity, g_11_1_a_press_freedom, g_11_1_b, g_11_1_d, g_11_1_e, g_11_1_f, g_15_1_a, g_15_1_b,
  // measure scope
  g_10_1_a, g_10_1_b, g_10_5, g_11_1_c, g_11_1_g, g_11_1_h, g_11_3_review, g_28_1, g_30_5,
  kGroundCount,
};
inline constexpr int kFirstMeasureGround = g_10_1_a;
struct GroundInfo {
  std::string_view article;  // as cited in the policy
  std::string_view label;    // the clause label in the policy, empty if none
  Outcome effect;
};
extern const std::array<GroundInfo, kGroundCount> kGrounds;

// ---- obligations --------------------------------------------------------------------------------------
enum Obligation : uint8_t {
  o_10_3_inform, o_10_4_inform,                                          // measure scope
  o_11_4_consult, o_11_5_request_waiver, o_12_5_inform, o_12_6_inform,  // request scope
  kObligationCount,
};
extern const std::array<std::string_view, kObligationCount> kObligationArticles;

// ---- deadlines ----------------------------------------------------------------------------------------
enum DeadlineName : uint8_t { d_requested, d_recognition, d_execution, d_recognition_extended, d_acknowledgement, d_provisional, kDeadlineCount };
extern const std::array<std::string_view, kDeadlineCount> kDeadlineNames;  // contract words

struct NativeDeadline {
  bool instant = false;  // due is an instant (periods in hours), else a date
  Days due_date = 0;
  Instant due_instant;
  DeadlineStatus status = DeadlineStatus::pending;
};

struct NativeResult {
  bool failed = false;                    // a period could not be computed (the VM faults the same way)
  periods::PeriodError error = periods::PeriodError::none;
  uint8_t problems = 0;                   // periods left out with a warning (no calendar, beyond its years)
  Outcome outcome = Outcome::execute;     // overall
  uint8_t measure_count = 0;
  std::array<Outcome, kMaxMeasures> measure_outcomes{};
  uint32_t request_grounds = 0;           // bits of Ground that definitely apply (request scope)
  std::array<uint32_t, kMaxMeasures> measure_grounds{};  // measure-scope grounds per measure
  uint8_t request_obligations = 0;        // bits of Obligation (request scope)
  std::array<uint8_t, kMaxMeasures> measure_obligations{};
  uint8_t deadline_set = 0;               // bits of DeadlineName
  std::array<NativeDeadline, kDeadlineCount> deadlines{};
  uint64_t missing_request = 0;           // request facts an undetermined outcome needs
  std::array<uint64_t, kMaxMeasures> missing_measure{};  // measure facts, per measure
};

// Evaluates the EIO policy. No allocation, no exceptions.
void evaluate_native(const NativeRequest& request, NativeResult& out);

// ---- conversion (tooling, not timed) ------------------------------------------------------------------
// Calendars by State code; `lookup` returns null when there is none (the VM then faults on a period in days).
struct CalendarTable {
  std::vector<const periods::HolidayCalendar*> calendars;
  const periods::HolidayCalendar* find(std::string_view code) const;
};
CalendarTable calendars_of(const std::vector<periods::HolidayCalendar>& calendars);

// Parses a request JSON text (the contract's fields only; unknown keys, bad words or malformed dates are
// errors). Returns false and fills `error` on a problem.
bool native_from_json(std::string_view json, const CalendarTable& calendars, NativeRequest& out, std::string& error);

// Readable forms, for test messages.
std::string describe(const NativeResult& r);
std::vector<std::string> missing_paths(const NativeResult& r);  // "measures[1].alternative_available", sorted

}  // namespace comity::bench

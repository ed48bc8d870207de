// eio_native.cpp: policies/eu/eio.comity by hand (see eio_native.h). Each block below names the article it
// encodes; keep it in step with the policy, clause for clause. The converter at the end parses request
// JSON with nlohmann (tooling path, not timed).
#include "eio_native.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace comity::bench {

const std::array<std::string_view, kAnnexDCount> kAnnexDWords = {
    "criminal_organisation", "terrorism", "trafficking_human_beings", "child_sexual_exploitation",
    "drug_trafficking", "weapons_trafficking", "corruption", "fraud", "money_laundering", "counterfeiting_currency",
    "computer_crime", "environmental_crime", "facilitation_unauthorised_entry", "murder_grievous_bodily_injury",
    "organ_trafficking", "kidnapping_hostage_taking", "racism_xenophobia", "organised_armed_robbery",
    "cultural_goods_trafficking", "swindling", "racketeering_extortion", "counterfeiting_piracy_products",
    "forgery_administrative_documents", "forgery_means_of_payment", "hormonal_substances_trafficking",
    "nuclear_materials_trafficking", "stolen_vehicles_trafficking", "rape", "arson", "icc_crimes",
    "unlawful_seizure_aircraft_ships", "sabotage",
};

const std::array<std::string_view, 15> kMeasureKindWords = {
    "evidence_in_possession", "database_information", "hearing", "non_coercive", "subscriber_identification",
    "search_seizure", "bank_information", "bank_monitoring", "controlled_delivery", "interception",
    "covert_investigation", "custody_transfer", "videoconference_hearing", "provisional_freeze", "other",
};

const std::array<std::string_view, 6> kAuthorityWords = {
    "judge", "court", "investigating_judge", "prosecutor", "validated_other", "unvalidated_other",
};

const std::array<std::string_view, kFactCount> kFactPaths = {
    "proceedings", "recognition_decided", "urgent", "requested_deadline", "provisional", "extension_notified", "as_of",
    "offence.annex_d_category", "offence.issuing_max_penalty", "offence.offence_in_executing_state",
    "offence.committed_outside_issuing_state", "offence.committed_in_executing_state", "offence.fiscal",
    "grounds.immunity_or_privilege", "grounds.waiver_granted", "grounds.press_freedom_bar",
    "grounds.national_security_harm", "grounds.ne_bis_in_idem", "grounds.ne_bis_in_idem_assurances",
    "grounds.ne_bis_in_idem_check_purpose", "grounds.fundamental_rights_substantial_grounds",
    "grounds.prejudice_ongoing_investigation", "grounds.evidence_used_in_other_proceedings",
    "measures[].exists_in_executing_state", "measures[].available_in_domestic_case",
    "measures[].alternative_available", "measures[].restricted_excludes_offence",
};

const std::array<GroundInfo, kGroundCount> kGrounds = {{
    {"9(3)", "", Outcome::return_to_issuing_state},
    {"11(1)(a)", "immunity", Outcome::refusal_available},
    {"11(1)(a)", "press_freedom", Outcome::refusal_available},
    {"11(1)(b)", "", Outcome::refusal_available},
    {"11(1)(d)", "ne_bis_in_idem", Outcome::refusal_available},
    {"11(1)(e)", "", Outcome::refusal_available},
    {"11(1)(f)", "", Outcome::refusal_available},
    {"15(1)(a)", "", Outcome::postponement_available},
    {"15(1)(b)", "", Outcome::postponement_available},
    {"10(1)(a)", "", Outcome::use_other_measure},
    {"10(1)(b)", "", Outcome::use_other_measure},
    {"10(5)", "", Outcome::impossible},
    {"11(1)(c)", "", Outcome::refusal_available},
    {"11(1)(g)", "dual_criminality", Outcome::refusal_available},
    {"11(1)(h)", "", Outcome::refusal_available},
    {"11(3)", "", Outcome::review},
    {"28(1)", "", Outcome::refusal_available},
    {"30(5)", "", Outcome::refusal_available},
}};

const std::array<std::string_view, kObligationCount> kObligationArticles = {"10(3)", "10(4)", "11(4)", "11(5)", "12(5)", "12(6)"};

const std::array<std::string_view, kDeadlineCount> kDeadlineNames = {
    "requested", "recognition", "execution", "recognition_extended", "acknowledgement", "provisional",
};

namespace {

// ---- Kleene logic with fact masks ------------------------------------------------------------------
// s: 0 false, 1 true, 2 unknown; m: the facts an unknown depends on (0 for known values).
struct K {
  uint8_t s;
  uint64_t m;
};
constexpr K kFalse{0, 0}, kTrue{1, 0};
constexpr uint64_t bit(Fact f) { return uint64_t{1} << f; }
inline K known(bool x) { return x ? kTrue : kFalse; }
inline K fact(const std::optional<bool>& b, Fact f) { return b ? known(*b) : K{2, bit(f)}; }
inline K not_(K x) { return x.s == 2 ? x : K{static_cast<uint8_t>(x.s ^ 1u), 0}; }
inline K and_(K x, K y) {
  if (x.s == 0 || y.s == 0) return kFalse;
  if (x.s == 2 || y.s == 2) return K{2, x.m | y.m};
  return kTrue;
}
inline K or_(K x, K y) {
  if (x.s == 1 || y.s == 1) return kTrue;
  if (x.s == 2 || y.s == 2) return K{2, x.m | y.m};
  return kFalse;
}
template <typename... Ks>
inline K and_(K x, K y, Ks... rest) { return and_(and_(x, y), rest...); }
template <typename... Ks>
inline K or_(K x, K y, Ks... rest) { return or_(or_(x, y), rest...); }

inline int rank(Outcome o) { return static_cast<int>(o); }

inline bool is_10_2(MeasureKind k) { return static_cast<uint8_t>(k) <= static_cast<uint8_t>(MeasureKind::subscriber_identification); }

Days day_of_instant(const Instant& i) { return local_date(i); }

// deadline_status as the contract defines it: an event decides met/missed; otherwise `as_of` after the due
// day is missed; else pending.
DeadlineStatus status_of(const NativeDeadline& d, const std::optional<Days>& event, const std::optional<Days>& today) {
  const Days due_day = d.instant ? day_of_instant(d.due_instant) : d.due_date;
  if (event) return *event <= due_day ? DeadlineStatus::met : DeadlineStatus::missed;
  if (today && *today > due_day) return DeadlineStatus::missed;
  return DeadlineStatus::pending;
}

// One unknown ground: its effect and the facts it needs.
struct Pending {
  uint8_t rank;
  uint64_t mask;
};

}  // namespace

void evaluate_native(const NativeRequest& q, NativeResult& out) {
  out.failed = false;
  out.problems = 0;
  out.error = periods::PeriodError::none;
  out.request_grounds = 0;
  out.request_obligations = 0;
  out.deadline_set = 0;
  out.missing_request = 0;
  out.measure_count = q.measure_count;

  // ---- facts ----
  const K immunity = fact(q.immunity_or_privilege, f_immunity_or_privilege);
  const K waiver = fact(q.waiver_granted, f_waiver_granted);
  const K press = fact(q.press_freedom_bar, f_press_freedom_bar);
  const K security = fact(q.national_security_harm, f_national_security_harm);
  const K nbi = fact(q.ne_bis_in_idem, f_ne_bis_in_idem);
  const K nbi_assurances = fact(q.ne_bis_in_idem_assurances, f_ne_bis_in_idem_assurances);
  const K nbi_check = fact(q.ne_bis_in_idem_check_purpose, f_ne_bis_in_idem_check_purpose);
  const K rights = fact(q.fundamental_rights_substantial_grounds, f_fundamental_rights_substantial_grounds);
  const K prejudice = fact(q.prejudice_ongoing_investigation, f_prejudice_ongoing_investigation);
  const K other_proceedings = fact(q.evidence_used_in_other_proceedings, f_evidence_used_in_other_proceedings);
  const K offence_here = fact(q.offence_in_executing_state, f_offence_in_executing_state);
  const K outside_issuing = fact(q.committed_outside_issuing_state, f_committed_outside_issuing_state);
  const K in_executing = fact(q.committed_in_executing_state, f_committed_in_executing_state);
  const K fiscal = fact(q.fiscal, f_fiscal);
  const K administrative = q.proceedings ? known(*q.proceedings == Proceedings::administrative) : K{2, bit(f_proceedings)};

  // ---- defines ----
  // listed = offence.annex_d_category is known and offence.issuing_max_penalty >= 3 years (converter: months only)
  const K listed = !q.annex_d_category ? kFalse
                   : !q.issuing_max_penalty ? K{2, bit(f_issuing_max_penalty)}
                                            : known(q.issuing_max_penalty->months >= 36);
  const K postponement_grounds = or_(prejudice, other_proceedings);
  bool evidence_only = true;  // all x in measures where x.kind == evidence_in_possession
  for (int i = 0; i < q.measure_count; ++i)
    if (q.measures[static_cast<size_t>(i)].kind != MeasureKind::evidence_in_possession) evidence_only = false;

  // ---- request-scope grounds ----
  std::array<K, kFirstMeasureGround> g;
  g[g_9_3] = known(q.issuing_authority == Authority::unvalidated_other);       // 9(3) return
  g[g_11_1_a_immunity] = and_(immunity, not_(waiver));                          // 11(1)(a) unless 11(5) waiver
  g[g_11_1_a_press_freedom] = press;
  g[g_11_1_b] = security;
  g[g_11_1_d] = and_(nbi, not_(nbi_check), not_(nbi_assurances));              // recital 17 exceptions
  g[g_11_1_e] = and_(outside_issuing, in_executing, not_(offence_here), not_(fiscal));  // 11(3) fiscal exception
  g[g_11_1_f] = rights;
  g[g_15_1_a] = prejudice;
  g[g_15_1_b] = other_proceedings;

  int request_decided = rank(Outcome::execute);
  std::array<Pending, kFirstMeasureGround> request_unknown;
  int request_unknown_count = 0;
  for (int k = 0; k < kFirstMeasureGround; ++k) {
    const int r = rank(kGrounds[static_cast<size_t>(k)].effect);
    if (g[static_cast<size_t>(k)].s == 1) {
      out.request_grounds |= uint32_t{1} << k;
      request_decided = std::max(request_decided, r);
    } else if (g[static_cast<size_t>(k)].s == 2) {
      request_unknown[static_cast<size_t>(request_unknown_count++)] = Pending{static_cast<uint8_t>(r), g[static_cast<size_t>(k)].m};
    }
  }

  // ---- request-scope obligations ----
  // 11(4): applies(11(1)(a)) or (b) or (d) or (e) or (f)
  if (or_(g[g_11_1_a_immunity], g[g_11_1_a_press_freedom], g[g_11_1_b], g[g_11_1_d], g[g_11_1_e], g[g_11_1_f]).s == 1)
    out.request_obligations |= 1u << o_11_4_consult;
  // 11(5): immunity and (waiver is unknown or not waiver)
  if (and_(immunity, or_(known(!q.waiver_granted), not_(waiver))).s == 1) out.request_obligations |= 1u << o_11_5_request_waiver;
  if (q.extension_notified) out.request_obligations |= 1u << o_12_5_inform;  // 12(5)
  const K execution_applies = and_(known(q.recognition_decided.has_value()), not_(postponement_grounds), known(!evidence_only));
  if (execution_applies.s == 1) out.request_obligations |= 1u << o_12_6_inform;  // 12(6)

  // ---- deadlines (Reg. 1182/71 with the executing State's calendar) ----
  auto period = [&](DeadlineName name, periods::PeriodStart start, Duration length) -> bool {
    const periods::PeriodResult r = periods::period_end(periods::Convention::eu_1182_71, q.calendar, start, length);
    if (!r.ok()) {
      // As in the VM: a missing calendar or a day beyond its years leaves the deadline out with a warning;
      // anything else stops the decision.
      if (r.error == periods::PeriodError::outside_calendar || r.error == periods::PeriodError::no_calendar ||
          r.error == periods::PeriodError::unsettled_month_end) {
        ++out.problems;
        return false;
      }
      out.failed = true;
      out.error = r.error;
      return false;
    }
    NativeDeadline& d = out.deadlines[name];
    d.instant = r.end.kind == periods::PeriodEnd::Kind::instant;
    d.due_date = r.end.date;
    d.due_instant = r.end.instant;
    out.deadline_set |= static_cast<uint8_t>(1u << name);
    return true;
  };
  const periods::PeriodStart at_receipt = periods::PeriodStart::at(q.received);
  if (q.requested_deadline) {  // 12(2): a target on the date asked for
    NativeDeadline& d = out.deadlines[d_requested];
    d.instant = false;
    d.due_date = *q.requested_deadline;
    out.deadline_set |= 1u << d_requested;
    d.status = status_of(d, std::nullopt, q.as_of);
  }
  // 12(3): received + 30 days, met by recognition_decided
  if (period(d_recognition, at_receipt, Duration{0, 30, 0, false}))
    out.deadlines[d_recognition].status = status_of(out.deadlines[d_recognition], q.recognition_decided, q.as_of);
  // 12(4): recognition_decided + 90 days when known, unless postponement grounds, unless evidence only
  if (execution_applies.s == 1 &&
      period(d_execution, periods::PeriodStart::on(*q.recognition_decided), Duration{0, 90, 0, false}))
    out.deadlines[d_execution].status = status_of(out.deadlines[d_execution], std::nullopt, q.as_of);
  // 12(5): received + 60 days when extension_notified is known, met by recognition_decided
  if (q.extension_notified && period(d_recognition_extended, at_receipt, Duration{0, 60, 0, false}))
    out.deadlines[d_recognition_extended].status =
        status_of(out.deadlines[d_recognition_extended], q.recognition_decided, q.as_of);
  // 16(1): received + 1 week
  if (period(d_acknowledgement, at_receipt, Duration{0, 7, 0, false}))
    out.deadlines[d_acknowledgement].status = status_of(out.deadlines[d_acknowledgement], std::nullopt, q.as_of);
  // 32(2): received + 24 hours when provisional
  if (q.provisional == true && period(d_provisional, at_receipt, Duration{0, 0, 24, false}))
    out.deadlines[d_provisional].status = status_of(out.deadlines[d_provisional], std::nullopt, q.as_of);

  if (out.failed) {  // the VM stops at the fault: no outcome, no measures
    out.outcome = Outcome::undetermined;
    out.measure_count = 0;
    out.request_grounds = 0;
    out.request_obligations = 0;
    out.deadline_set = 0;
    return;
  }

  // ---- per measure ----
  auto decide = [&](int decided, const Pending* item_unknown, int item_unknown_count, uint64_t& missing_item) -> Outcome {
    bool undetermined = false;
    for (int k = 0; k < request_unknown_count; ++k) {
      const Pending& p = request_unknown[static_cast<size_t>(k)];
      if (p.rank <= decided) continue;
      undetermined = true;
      out.missing_request |= p.mask;  // request clauses: list facts (none here) would not be indexed
    }
    for (int k = 0; k < item_unknown_count; ++k) {
      const Pending& p = item_unknown[k];
      if (p.rank <= decided) continue;
      undetermined = true;
      out.missing_request |= p.mask & ~kMeasureFacts;
      missing_item |= p.mask & kMeasureFacts;
    }
    return undetermined ? Outcome::undetermined : static_cast<Outcome>(decided);
  };

  if (q.measure_count == 0) {
    uint64_t none = 0;
    out.outcome = decide(request_decided, nullptr, 0, none);
    return;
  }

  bool any_undetermined = false, any_exec = false, any_other = false, all_same = true;
  int most = rank(Outcome::execute);
  for (int i = 0; i < q.measure_count; ++i) {
    const size_t ix = static_cast<size_t>(i);
    const NativeMeasure& m = q.measures[ix];
    const K exists = fact(m.exists_in_executing_state, f_exists_in_executing_state);
    const K available = fact(m.available_in_domestic_case, f_available_in_domestic_case);
    const K alternative = fact(m.alternative_available, f_alternative_available);
    const K restricted = fact(m.restricted_excludes_offence, f_restricted_excludes_offence);
    const K not_10_2 = known(!is_10_2(m.kind));  // 10(2)(a)-(e) except 10(1) and 10(5); 11(2) excepts (g), (h)

    std::array<K, kGroundCount - kFirstMeasureGround> h;
    auto at = [&](Ground x) -> K& { return h[static_cast<size_t>(x - kFirstMeasureGround)]; };
    at(g_10_1_a) = and_(not_(exists), alternative, not_10_2);
    at(g_10_1_b) = and_(not_(available), alternative, not_10_2);
    at(g_10_5) = and_(or_(not_(exists), not_(available)), not_(alternative), not_10_2);
    at(g_11_1_c) = and_(administrative, not_(available));
    at(g_11_1_g) = and_(not_(offence_here), not_(listed), not_10_2, not_(fiscal));  // unless listed; 11(2); 11(3)
    at(g_11_1_h) = and_(restricted, not_10_2);
    at(g_11_3_review) = and_(fiscal, not_(offence_here), or_(and_(not_10_2, not_(listed)), and_(outside_issuing, in_executing)));
    at(g_28_1) = and_(known(m.kind == MeasureKind::bank_monitoring || m.kind == MeasureKind::controlled_delivery), not_(available));
    at(g_30_5) = and_(known(m.kind == MeasureKind::interception), not_(available));

    uint8_t obligations = 0;
    const K recourse = or_(at(g_10_1_a), at(g_10_1_b));  // applies("10(1)")
    if (and_(alternative, not_(recourse)).s == 1) obligations |= 1u << o_10_3_inform;
    if (recourse.s == 1) obligations |= 1u << o_10_4_inform;
    out.measure_obligations[ix] = obligations;

    int decided = request_decided;
    uint32_t grounds = 0;
    std::array<Pending, kGroundCount - kFirstMeasureGround> item_unknown;
    int item_unknown_count = 0;
    for (int k = kFirstMeasureGround; k < kGroundCount; ++k) {
      const K& s = h[static_cast<size_t>(k - kFirstMeasureGround)];
      const int r = rank(kGrounds[static_cast<size_t>(k)].effect);
      if (s.s == 1) {
        grounds |= uint32_t{1} << k;
        decided = std::max(decided, r);
      } else if (s.s == 2) {
        item_unknown[static_cast<size_t>(item_unknown_count++)] = Pending{static_cast<uint8_t>(r), s.m};
      }
    }
    out.measure_grounds[ix] = grounds;
    out.missing_measure[ix] = 0;
    const Outcome o = decide(decided, item_unknown.data(), item_unknown_count, out.missing_measure[ix]);
    out.measure_outcomes[ix] = o;

    if (o == Outcome::undetermined) any_undetermined = true;
    else if (o == Outcome::execute || o == Outcome::execute_with_conditions) any_exec = true;
    else any_other = true;
    if (i > 0 && o != out.measure_outcomes[0]) all_same = false;
    if (o != Outcome::undetermined && rank(o) > most) most = rank(o);
  }
  if (all_same) out.outcome = out.measure_outcomes[0];
  else if (any_undetermined) out.outcome = Outcome::undetermined;
  else if (any_exec && any_other) out.outcome = Outcome::partial;
  else out.outcome = static_cast<Outcome>(most);
}

// ---- conversion -----------------------------------------------------------------------------------------
const periods::HolidayCalendar* CalendarTable::find(std::string_view code) const {
  for (const auto* c : calendars)
    if (c->code() == code) return c;
  return nullptr;
}

CalendarTable calendars_of(const std::vector<periods::HolidayCalendar>& calendars) {
  CalendarTable t;
  for (const auto& c : calendars) t.calendars.push_back(&c);
  return t;
}

namespace {

using json = nlohmann::json;

struct Reader {
  std::string& error;
  std::string path;

  bool fail(const std::string& what) {
    error = path + ": " + what;
    return false;
  }
  static bool absent(const json& o, const char* key) { return !o.contains(key) || o.at(key).is_null(); }

  bool boolean(const json& o, const char* key, std::optional<bool>& out) {
    out.reset();
    if (absent(o, key)) return true;
    if (!o.at(key).is_boolean()) return fail(std::string(key) + ": expected a boolean");
    out = o.at(key).get<bool>();
    return true;
  }
  bool date(const json& o, const char* key, std::optional<Days>& out) {
    out.reset();
    if (absent(o, key)) return true;
    if (!o.at(key).is_string()) return fail(std::string(key) + ": expected a date");
    const DateParse d = parse_date(o.at(key).get<std::string>());
    if (!d.ok) return fail(std::string(key) + ": " + std::string(d.error.view()));
    out = d.value;
    return true;
  }
  template <size_t N>
  bool word(const json& o, const char* key, const std::array<std::string_view, N>& words, std::optional<uint8_t>& out) {
    out = std::nullopt;
    if (absent(o, key)) return true;
    if (!o.at(key).is_string()) return fail(std::string(key) + ": expected a word");
    const std::string s = o.at(key).get<std::string>();
    for (size_t i = 0; i < N; ++i)
      if (words[i] == s) { out = static_cast<uint8_t>(i); return true; }
    return fail(std::string(key) + ": unknown word " + s);
  }
  bool state(const json& o, const char* key, std::array<char, 2>& out, std::string& text) {
    if (absent(o, key) || !o.at(key).is_string()) return fail(std::string(key) + ": expected a string");
    text = o.at(key).get<std::string>();
    out = {text.size() > 0 ? text[0] : '\0', text.size() > 1 ? text[1] : '\0'};
    return true;
  }
  bool only(const json& o, std::initializer_list<const char*> keys) {
    for (auto it = o.begin(); it != o.end(); ++it) {
      bool ok = false;
      for (const char* k : keys) ok = ok || it.key() == k;
      if (!ok) return fail("unknown field " + it.key());
    }
    return true;
  }
};

}  // namespace

bool native_from_json(std::string_view text, const CalendarTable& calendars, NativeRequest& q, std::string& error) {
  q = NativeRequest{};
  json j = json::parse(text, nullptr, false);
  Reader r{error, "request"};
  if (j.is_discarded() || !j.is_object()) return r.fail("invalid JSON or not an object");
  if (!r.only(j, {"issuing_state", "executing_state", "issuing_authority", "proceedings", "received", "recognition_decided",
                  "urgent", "requested_deadline", "provisional", "extension_notified", "as_of", "offence", "grounds",
                  "measures"}))
    return false;
  std::string issuing, executing;
  if (!r.state(j, "issuing_state", q.issuing_state, issuing) || !r.state(j, "executing_state", q.executing_state, executing))
    return false;
  q.calendar = calendars.find(executing);
  std::optional<uint8_t> w;
  if (!r.word(j, "issuing_authority", kAuthorityWords, w)) return false;
  if (!w) return r.fail("issuing_authority: required");
  q.issuing_authority = static_cast<Authority>(*w);
  static constexpr std::array<std::string_view, 2> kProceedings = {"criminal", "administrative"};
  if (!r.word(j, "proceedings", kProceedings, w)) return false;
  if (w) q.proceedings = static_cast<Proceedings>(*w);
  if (Reader::absent(j, "received") || !j.at("received").is_string()) return r.fail("received: required instant");
  const InstantParse received = parse_instant(j.at("received").get<std::string>());
  if (!received.ok) return r.fail("received: " + std::string(received.error.view()));
  q.received = received.value;
  if (!r.date(j, "recognition_decided", q.recognition_decided) || !r.boolean(j, "urgent", q.urgent) ||
      !r.date(j, "requested_deadline", q.requested_deadline) || !r.boolean(j, "provisional", q.provisional) ||
      !r.date(j, "extension_notified", q.extension_notified) || !r.date(j, "as_of", q.as_of))
    return false;

  if (!Reader::absent(j, "offence")) {
    const json& o = j.at("offence");
    r.path = "request.offence";
    if (!o.is_object()) return r.fail("expected an object");
    if (!r.only(o, {"annex_d_category", "issuing_max_penalty", "offence_in_executing_state",
                    "committed_outside_issuing_state", "committed_in_executing_state", "fiscal"}))
      return false;
    if (!r.word(o, "annex_d_category", kAnnexDWords, q.annex_d_category)) return false;
    if (!Reader::absent(o, "issuing_max_penalty")) {
      if (!o.at("issuing_max_penalty").is_string()) return r.fail("issuing_max_penalty: expected a duration");
      const DurationParse d = parse_duration(o.at("issuing_max_penalty").get<std::string>());
      if (!d.ok) return r.fail("issuing_max_penalty: " + std::string(d.error.view()));
      if (d.value.days != 0 || d.value.hours != 0)
        return r.fail("issuing_max_penalty: the native evaluator compares penalties in months and years only");
      q.issuing_max_penalty = d.value;
    }
    if (!r.boolean(o, "offence_in_executing_state", q.offence_in_executing_state) ||
        !r.boolean(o, "committed_outside_issuing_state", q.committed_outside_issuing_state) ||
        !r.boolean(o, "committed_in_executing_state", q.committed_in_executing_state) || !r.boolean(o, "fiscal", q.fiscal))
      return false;
  }
  if (!Reader::absent(j, "grounds")) {
    const json& o = j.at("grounds");
    r.path = "request.grounds";
    if (!o.is_object()) return r.fail("expected an object");
    if (!r.only(o, {"immunity_or_privilege", "waiver_granted", "press_freedom_bar", "national_security_harm",
                    "ne_bis_in_idem", "ne_bis_in_idem_assurances", "ne_bis_in_idem_check_purpose",
                    "fundamental_rights_substantial_grounds", "prejudice_ongoing_investigation",
                    "evidence_used_in_other_proceedings"}))
      return false;
    if (!r.boolean(o, "immunity_or_privilege", q.immunity_or_privilege) || !r.boolean(o, "waiver_granted", q.waiver_granted) ||
        !r.boolean(o, "press_freedom_bar", q.press_freedom_bar) ||
        !r.boolean(o, "national_security_harm", q.national_security_harm) || !r.boolean(o, "ne_bis_in_idem", q.ne_bis_in_idem) ||
        !r.boolean(o, "ne_bis_in_idem_assurances", q.ne_bis_in_idem_assurances) ||
        !r.boolean(o, "ne_bis_in_idem_check_purpose", q.ne_bis_in_idem_check_purpose) ||
        !r.boolean(o, "fundamental_rights_substantial_grounds", q.fundamental_rights_substantial_grounds) ||
        !r.boolean(o, "prejudice_ongoing_investigation", q.prejudice_ongoing_investigation) ||
        !r.boolean(o, "evidence_used_in_other_proceedings", q.evidence_used_in_other_proceedings))
      return false;
  }
  r.path = "request";
  if (Reader::absent(j, "measures") || !j.at("measures").is_array()) return r.fail("measures: required array");
  const json& ms = j.at("measures");
  if (ms.size() > static_cast<size_t>(kMaxMeasures)) return r.fail("measures: more than the native evaluator's maximum");
  q.measure_count = static_cast<uint8_t>(ms.size());
  for (size_t i = 0; i < ms.size(); ++i) {
    r.path = "request.measures[" + std::to_string(i) + "]";
    const json& m = ms[i];
    if (!m.is_object()) return r.fail("expected an object");
    if (!r.only(m, {"kind", "exists_in_executing_state", "available_in_domestic_case", "alternative_available",
                    "restricted_excludes_offence"}))
      return false;
    NativeMeasure& nm = q.measures[i];
    std::optional<uint8_t> kind;
    if (!r.word(m, "kind", kMeasureKindWords, kind)) return false;
    if (!kind) return r.fail("kind: required");
    nm.kind = static_cast<MeasureKind>(kind.value_or(0));
    if (!r.boolean(m, "exists_in_executing_state", nm.exists_in_executing_state) ||
        !r.boolean(m, "available_in_domestic_case", nm.available_in_domestic_case) ||
        !r.boolean(m, "alternative_available", nm.alternative_available) ||
        !r.boolean(m, "restricted_excludes_offence", nm.restricted_excludes_offence))
      return false;
  }
  return true;
}

// ---- readable forms ------------------------------------------------------------------------------------
std::vector<std::string> missing_paths(const NativeResult& r) {
  std::vector<std::string> out;
  for (int f = 0; f < kFactCount; ++f) {
    if ((r.missing_request >> f) & 1u) out.emplace_back(kFactPaths[static_cast<size_t>(f)]);
    for (int i = 0; i < r.measure_count; ++i) {
      if (!((r.missing_measure[static_cast<size_t>(i)] >> f) & 1u)) continue;
      std::string p(kFactPaths[static_cast<size_t>(f)]);
      p.replace(p.find("[]"), 2, "[" + std::to_string(i) + "]");
      out.push_back(std::move(p));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string describe(const NativeResult& r) {
  std::string s;
  if (r.failed) return std::string("failed: ") + periods::describe(r.error);
  s = "outcome " + std::string(outcome_word(r.outcome)) + "; measures [";
  for (int i = 0; i < r.measure_count; ++i) {
    if (i) s += ", ";
    s += outcome_word(r.measure_outcomes[static_cast<size_t>(i)]);
  }
  s += "]; grounds [";
  bool first = true;
  auto ground = [&](int k, int item) {
    if (!first) s += ", ";
    first = false;
    s += kGrounds[static_cast<size_t>(k)].article;
    if (!kGrounds[static_cast<size_t>(k)].label.empty()) s += " " + std::string(kGrounds[static_cast<size_t>(k)].label);
    if (item >= 0) s += " @" + std::to_string(item);
  };
  for (int k = 0; k < kGroundCount; ++k)
    if ((r.request_grounds >> k) & 1u) ground(k, -1);
  for (int i = 0; i < r.measure_count; ++i)
    for (int k = 0; k < kGroundCount; ++k)
      if ((r.measure_grounds[static_cast<size_t>(i)] >> k) & 1u) ground(k, i);
  s += "]; deadlines [";
  first = true;
  for (int d = 0; d < kDeadlineCount; ++d) {
    if (!((r.deadline_set >> d) & 1u)) continue;
    if (!first) s += ", ";
    first = false;
    const NativeDeadline& x = r.deadlines[static_cast<size_t>(d)];
    s += std::string(kDeadlineNames[static_cast<size_t>(d)]) + " " +
         (x.instant ? format_instant(x.due_instant) : format_date(x.due_date)) + " " +
         std::string(deadline_status_word(x.status));
  }
  s += "]; missing [";
  first = true;
  for (const auto& p : missing_paths(r)) {
    if (!first) s += ", ";
    first = false;
    s += p;
  }
  return s + "]";
}

}  // namespace comity::bench

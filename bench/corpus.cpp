// corpus.cpp: the seeded request generator (see corpus.h). The probabilities below are a guess at a
// realistic mix of EIOs: mostly prosecutors and judges, searches, bank information and hearings, few
// grounds for refusal, and forms that are either complete or have several facts left blank.
#include "corpus.h"

#include <array>
#include <random>
#include <string_view>

#include "comity/civil.h"
#include "eio_native.h"  // the contract's word lists, shared with the native baseline

namespace comity::bench {
namespace {

__extension__ typedef unsigned __int128 u128;

// Our own draws on top of the (standard-specified) 64-bit Mersenne Twister.
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  uint64_t next() { return engine_(); }
  // Uniform in [0, n): the high 64 bits of a 64×64 product (bias below 2^-40 for our n; deterministic).
  uint64_t below(uint64_t n) { return static_cast<uint64_t>((static_cast<u128>(next()) * n) >> 64); }
  int64_t between(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1))); }
  // True with probability p (53-bit uniform in [0, 1)).
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
  // Index by integer weights.
  template <size_t N>
  size_t weighted(const std::array<unsigned, N>& w) {
    unsigned total = 0;
    for (unsigned x : w) total += x;
    uint64_t r = below(total);
    for (size_t i = 0; i < N; ++i) {
      if (r < w[i]) return i;
      r -= w[i];
    }
    return N - 1;
  }

 private:
  std::mt19937_64 engine_;
};

constexpr std::array<std::string_view, 6> kExecuting = {"NL", "BE", "DE", "FR", "ES", "IT"};
constexpr std::array<std::string_view, 20> kIssuing = {"NL", "BE", "DE", "FR", "ES", "IT", "AT", "PL", "PT", "CZ",
                                                       "SE", "FI", "LU", "SI", "SK", "HR", "LT", "LV", "EE", "GR"};
constexpr std::array<std::string_view, 6> kAuthorities = {"judge", "court", "investigating_judge", "prosecutor",
                                                          "validated_other", "unvalidated_other"};
constexpr std::array<unsigned, 6> kAuthorityWeights = {20, 12, 15, 45, 5, 3};
constexpr std::array<unsigned, 15> kKindWeights = {8, 6, 12, 4, 7, 14, 12, 5, 3, 8, 3, 3, 6, 4, 5};

class Writer {
 public:
  Writer(Rng& rng, double absent, CorpusStats* stats) : rng_(rng), absent_(absent), stats_(stats) {}
  std::string text;

  void open() { text += '{'; first_ = true; }
  void close() { text += '}'; first_ = false; }
  void key(std::string_view k) {
    if (!first_) text += ", ";
    first_ = false;
    text += '"';
    text += k;
    text += "\": ";
  }
  void str(std::string_view k, std::string_view v) {
    key(k);
    text += '"';
    text += v;
    text += '"';
  }
  // An optional field is absent: usually omitted, sometimes an explicit null (the binder's other path).
  bool drop(std::string_view k) {
    if (!rng_.chance(absent_)) return false;
    if (rng_.chance(0.1)) { key(k); text += "null"; }
    return true;
  }
  // An optional boolean, true with probability p_true when present.
  void boolean(std::string_view k, double p_true) {
    if (stats_) ++stats_->booleans;
    if (drop(k)) { if (stats_) ++stats_->absent_booleans; return; }
    key(k);
    text += rng_.chance(p_true) ? "true" : "false";
  }
  void date(std::string_view k, Days d) {
    char buf[date_buffer_size];
    write_date(d, buf);
    str(k, buf);
  }
  void begin_object(std::string_view k) { key(k); open(); }
  void begin_array(std::string_view k) { key(k); text += '['; first_ = true; }
  void end_array() { text += ']'; first_ = false; }
  void element() { if (!first_) text += ", "; first_ = true; }

 private:
  Rng& rng_;
  double absent_;
  CorpusStats* stats_;
  bool first_ = true;
};

std::string one_request(Rng& rng, CorpusStats* stats) {
  const double absent = rng.chance(0.5) ? 0.0 : 0.2;
  Writer w(rng, absent, stats);
  w.text.reserve(1024);
  w.open();

  const std::string_view executing = kExecuting[rng.below(kExecuting.size())];
  std::string_view issuing = kIssuing[rng.below(kIssuing.size())];
  while (issuing == executing) issuing = kIssuing[rng.below(kIssuing.size())];
  w.str("issuing_state", issuing);
  w.str("executing_state", executing);
  w.str("issuing_authority", kAuthorities[rng.weighted(kAuthorityWeights)]);
  if (!w.drop("proceedings")) w.str("proceedings", rng.chance(0.85) ? "criminal" : "administrative");

  // Received: a working-hours instant in 2025-2027, CEST (+02:00) from April to October, else CET.
  const Days first = days_from_civil(2025, 1, 1), last = days_from_civil(2027, 12, 31);
  const Days day = static_cast<Days>(rng.between(first, last));
  const Ymd ymd = civil_from_days(day);
  int32_t offset = (ymd.m >= 4 && ymd.m <= 10) ? 120 : 60;
  if (rng.chance(0.05)) offset = offset == 120 ? 60 : 120;  // clocks change late in March and October
  const Instant received = make_instant(day, static_cast<int>(rng.between(7, 19)), static_cast<int>(rng.between(0, 59)),
                                        rng.chance(0.7) ? 0 : static_cast<int>(rng.between(0, 59)), offset);
  char instant[instant_buffer_size];
  write_instant(received, instant);
  w.str("received", instant);

  if (rng.chance(0.4) && !w.drop("recognition_decided")) w.date("recognition_decided", day + static_cast<Days>(rng.between(1, 70)));
  w.boolean("urgent", 0.15);
  if (rng.chance(0.2) && !w.drop("requested_deadline")) w.date("requested_deadline", day + static_cast<Days>(rng.between(3, 40)));
  w.boolean("provisional", 0.12);
  if (rng.chance(0.1) && !w.drop("extension_notified")) w.date("extension_notified", day + static_cast<Days>(rng.between(15, 29)));
  if (rng.chance(0.75) && !w.drop("as_of")) w.date("as_of", day + static_cast<Days>(rng.between(0, 120)));

  if (!rng.chance(0.03)) {  // the whole offence block is sometimes missing
    w.begin_object("offence");
    if (rng.chance(0.6) && !w.drop("annex_d_category")) w.str("annex_d_category", kAnnexDWords[rng.below(kAnnexDWords.size())]);
    if (!w.drop("issuing_max_penalty")) {
      static const std::array<std::string_view, 10> years = {"P1Y", "P2Y", "P3Y", "P4Y", "P5Y", "P6Y", "P7Y", "P8Y", "P9Y", "P10Y"};
      const uint64_t r = rng.below(100);
      w.str("issuing_max_penalty", r < 10 ? "P2Y11M" : r < 13 ? "P36M" : r < 15 ? "P6M" : years[rng.below(years.size())]);
    }
    w.boolean("offence_in_executing_state", 0.85);
    w.boolean("committed_outside_issuing_state", 0.2);
    w.boolean("committed_in_executing_state", 0.2);
    w.boolean("fiscal", 0.1);
    w.close();
  }
  if (!rng.chance(0.03)) {
    w.begin_object("grounds");
    w.boolean("immunity_or_privilege", 0.04);
    w.boolean("waiver_granted", 0.3);
    w.boolean("press_freedom_bar", 0.02);
    w.boolean("national_security_harm", 0.02);
    w.boolean("ne_bis_in_idem", 0.04);
    w.boolean("ne_bis_in_idem_assurances", 0.3);
    w.boolean("ne_bis_in_idem_check_purpose", 0.2);
    w.boolean("fundamental_rights_substantial_grounds", 0.02);
    w.boolean("prejudice_ongoing_investigation", 0.05);
    w.boolean("evidence_used_in_other_proceedings", 0.05);
    w.close();
  }

  const uint64_t r = rng.below(100);
  const int count = r < 60 ? 1 : r < 90 ? 2 : 3;
  if (stats) stats->measures += static_cast<size_t>(count);
  w.begin_array("measures");
  for (int i = 0; i < count; ++i) {
    w.element();
    w.open();
    w.str("kind", kMeasureKindWords[rng.weighted(kKindWeights)]);
    w.boolean("exists_in_executing_state", 0.93);
    w.boolean("available_in_domestic_case", 0.8);
    w.boolean("alternative_available", 0.25);
    w.boolean("restricted_excludes_offence", 0.06);
    w.close();
  }
  w.end_array();
  w.close();
  return std::move(w.text);
}

}  // namespace

std::vector<std::string> generate_corpus(size_t n, uint64_t seed, CorpusStats* stats) {
  Rng rng(seed);
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(one_request(rng, stats));
  if (stats) stats->requests += n;
  return out;
}

}  // namespace comity::bench

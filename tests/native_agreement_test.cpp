// native_agreement_test.cpp: the property "VM == reference evaluator on random requests". The EIO policy is
// compiled from source, 20,000 seeded corpus requests are bound and evaluated by the VM, and the
// hand-written C++ encoding of the same policy (bench/eio_native) decides them from its own JSON parse
// (nlohmann) with holiday calendars read from data/holidays. Both must agree on the overall and per-measure
// outcomes, the grounds (article, label, measure), obligations, deadlines (name, due, status), missing
// facts, and on which requests fault (a period outside the calendars' years).
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <sstream>

#include "../bench/corpus.h"
#include "../bench/eio_native.h"
#include "comity/binder.h"
#include "comity/compiler.h"
#include "comity/decision.h"

using namespace comity;
using namespace comity::bench;

namespace {

std::string root() {
  const char* r = std::getenv("COMITY_ROOT");
  return r && *r ? r : COMITY_SOURCE_DIR;
}

struct Views {
  std::string outcome;
  std::vector<std::string> measures;
  std::set<std::string> grounds, obligations, deadlines, missing;
  bool failed = false;
  size_t problems = 0;  // periods left out with a warning
};

std::string ground_key(std::string_view article, std::string_view label, int32_t item) {
  std::string s(article);
  if (!label.empty()) s += " " + std::string(label);
  if (item >= 0) s += " @" + std::to_string(item);
  return s;
}

std::string due_text(const Value& v) {
  return v.tag == Tag::date ? format_date(v.a) : v.tag == Tag::datetime ? format_instant(Instant{v.b, v.a}) : "?";
}

Views vm_views(const Program& p, const Decision& d) {
  Views v;
  v.failed = d.failed;
  v.problems = d.problems.size();
  v.outcome = outcome_word(d.outcome);
  for (const auto& it : d.items) v.measures.emplace_back(outcome_word(it.outcome));
  for (const auto& g : d.grounds) {
    const ClauseInfo& c = p.clauses[g.clause];
    v.grounds.insert(ground_key(p.articles[c.article].citation, c.label, g.item));
  }
  for (const auto& o : d.obligations) v.obligations.insert(ground_key(p.articles[p.clauses[o.clause].article].citation, "", o.item));
  for (const auto& x : d.deadlines)
    v.deadlines.insert(p.clauses[x.clause].name + " " + due_text(x.due) + " " + std::string(deadline_status_word(x.status)));
  for (const auto& m : d.missing) v.missing.insert(missing_path(p, m));
  return v;
}

Views native_views(const NativeResult& r) {
  Views v;
  v.failed = r.failed;
  v.problems = r.problems;
  v.outcome = outcome_word(r.outcome);
  for (int i = 0; i < r.measure_count; ++i) v.measures.emplace_back(outcome_word(r.measure_outcomes[static_cast<size_t>(i)]));
  for (int k = 0; k < kGroundCount; ++k) {
    const GroundInfo& g = kGrounds[static_cast<size_t>(k)];
    if ((r.request_grounds >> k) & 1u) v.grounds.insert(ground_key(g.article, g.label, -1));
    for (int i = 0; i < r.measure_count; ++i)
      if ((r.measure_grounds[static_cast<size_t>(i)] >> k) & 1u) v.grounds.insert(ground_key(g.article, g.label, i));
  }
  for (int k = 0; k < kObligationCount; ++k) {
    if ((r.request_obligations >> k) & 1u) v.obligations.insert(ground_key(kObligationArticles[static_cast<size_t>(k)], "", -1));
    for (int i = 0; i < r.measure_count; ++i)
      if ((r.measure_obligations[static_cast<size_t>(i)] >> k) & 1u)
        v.obligations.insert(ground_key(kObligationArticles[static_cast<size_t>(k)], "", i));
  }
  for (int k = 0; k < kDeadlineCount; ++k) {
    if (!((r.deadline_set >> k) & 1u)) continue;
    const NativeDeadline& x = r.deadlines[static_cast<size_t>(k)];
    v.deadlines.insert(std::string(kDeadlineNames[static_cast<size_t>(k)]) + " " +
                       (x.instant ? format_instant(x.due_instant) : format_date(x.due_date)) + " " +
                       std::string(deadline_status_word(x.status)));
  }
  for (auto& m : missing_paths(r)) v.missing.insert(std::move(m));
  return v;
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
  return "[" + out + "]";
}
std::string join(const std::vector<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
  return "[" + out + "]";
}

// The first field on which two views differ, empty when they agree.
std::string difference(const Views& vm, const Views& nat) {
  if (vm.failed != nat.failed) return std::string("failed: vm ") + (vm.failed ? "yes" : "no") + ", native " + (nat.failed ? "yes" : "no");
  if (vm.failed) return {};
  if (vm.problems != nat.problems)
    return "warnings: vm " + std::to_string(vm.problems) + ", native " + std::to_string(nat.problems);
  if (vm.outcome != nat.outcome) return "outcome: vm " + vm.outcome + ", native " + nat.outcome;
  if (vm.measures != nat.measures) return "measures: vm " + join(vm.measures) + ", native " + join(nat.measures);
  if (vm.grounds != nat.grounds) return "grounds: vm " + join(vm.grounds) + ", native " + join(nat.grounds);
  if (vm.obligations != nat.obligations) return "obligations: vm " + join(vm.obligations) + ", native " + join(nat.obligations);
  if (vm.deadlines != nat.deadlines) return "deadlines: vm " + join(vm.deadlines) + ", native " + join(nat.deadlines);
  if (vm.missing != nat.missing) return "missing: vm " + join(vm.missing) + ", native " + join(nat.missing);
  return {};
}

}  // namespace

TEST_CASE("VM and hand-written C++ agree on 20,000 corpus requests for the EIO policy") {
  std::string io_error;
  const Compilation c = compile_file(root() + "/policies/eu/eio.comity", {}, &io_error);
  INFO(io_error);
  REQUIRE(c.ok());
  const Program& program = *c.program;

  // Holidays straight from the data files (not the bundle's embedded copies), so embedding is checked too.
  periods::CalendarSet set;
  const auto loaded = set.load_directory(root() + "/data/holidays");
  REQUIRE(loaded.ok);
  std::vector<periods::HolidayCalendar> own;
  for (const char* code : {"NL", "BE", "DE", "FR", "ES", "IT"}) {
    REQUIRE(set.find(code) != nullptr);
    own.push_back(*set.find(code));
  }
  const CalendarTable calendars = calendars_of(own);

  constexpr size_t kRequests = 20000;
  CorpusStats stats;
  const std::vector<std::string> corpus = generate_corpus(kRequests, kCorpusSeed, &stats);
  REQUIRE(corpus.size() == kRequests);

  Binder binder(program);
  Facts facts;
  VmState state;
  Decision decision;
  NativeRequest request;
  NativeResult result;
  std::map<std::string, size_t> outcomes, first_difference;
  size_t disagreements = 0, failed = 0, with_missing = 0, reported = 0;
  std::ostringstream examples;

  for (size_t i = 0; i < corpus.size(); ++i) {
    const BindResult bound = binder.bind(corpus[i], facts);
    INFO("request " << i << ": " << corpus[i]);
    REQUIRE(bound.ok);
    evaluate(program, facts, state, decision);

    std::string error;
    REQUIRE(native_from_json(corpus[i], calendars, request, error));
    evaluate_native(request, result);

    const Views vm = vm_views(program, decision), nat = native_views(result);
    ++outcomes[vm.outcome];
    if (vm.failed) ++failed;
    if (!vm.missing.empty()) ++with_missing;
    const std::string diff = difference(vm, nat);
    if (!diff.empty()) {
      ++disagreements;
      ++first_difference[diff.substr(0, diff.find(':'))];
      if (reported++ < 5)
        examples << "request " << i << ": " << diff << "\n  vm fault: " << decision.error.message << "\n  native: " << describe(result)
                 << "\n  " << corpus[i] << "\n";
    }
  }

  std::ostringstream summary;
  summary << kRequests << " requests, " << stats.measures << " measures, " << stats.absent_booleans << "/" << stats.booleans
          << " optional booleans absent; " << failed << " faulted, " << with_missing
          << " with missing facts; outcomes:";
  for (const auto& [word, n] : outcomes) summary << " " << word << "=" << n;
  WARN(summary.str());
  INFO(examples.str());
  CHECK(disagreements == 0);

  // The corpus must exercise what it claims to: every outcome the policy can reach, and undetermined ones.
  CHECK(outcomes["execute"] > 0);
  CHECK(outcomes["undetermined"] > 0);
  CHECK(outcomes["partial"] > 0);
  CHECK(outcomes["refusal_available"] > 0);
  CHECK(outcomes["return_to_issuing_state"] > 0);
  CHECK(outcomes["use_other_measure"] > 0);
  CHECK(outcomes["impossible"] > 0);
  CHECK(outcomes["postponement_available"] > 0);
  CHECK(outcomes["review"] > 0);
}

TEST_CASE("the corpus is deterministic") {
  const auto a = generate_corpus(50), b = generate_corpus(50);
  CHECK(a == b);
  CHECK(generate_corpus(50, kCorpusSeed + 1) != a);
}

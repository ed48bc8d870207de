// testrun.cpp: embedded tests through the same binder, VM and JSON output a workflow system uses.
#include "testrun/testrun.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "comity/binder.h"
#include "comity/civil.h"
#include "comity/decision.h"
#include "comity/vm.h"

namespace comity::testrun {

namespace {

nlohmann::json given_value(const ast::GivenValue& v) {
  using K = ast::GivenValue::Kind;
  switch (v.kind) {
    case K::null: return nullptr;
    case K::boolean: return v.boolean;
    case K::integer: return v.integer;
    case K::decimal: return nlohmann::json::parse(v.text, nullptr, false);
    case K::string:
    case K::date:
    case K::datetime:
    case K::duration:
    case K::enum_member: return v.text;
    case K::list: {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& item : v.items) a.push_back(given_value(item));
      return a;
    }
    case K::record: return given_to_json(v.entries);
    case K::error: return nullptr;
  }
  return nullptr;
}

bool citation_matches(const std::string& citation, const std::string& wanted) {
  if (citation == wanted) return true;
  return citation.size() > wanted.size() && citation.compare(0, wanted.size(), wanted) == 0 && citation[wanted.size()] == '(';
}

// Two due values are the same if they are the same date, or the same instant (offsets may differ).
bool same_due(const std::string& expected, const std::string& actual) {
  if (expected == actual) return true;
  auto a = parse_instant(expected), b = parse_instant(actual);
  return a.ok && b.ok && a.value.utc_seconds == b.value.utc_seconds;
}

std::string words(const nlohmann::json& arr, const char* key) {
  std::vector<std::string> v;
  if (arr.is_array())
    for (const auto& x : arr)
      if (x.contains(key)) v.push_back(x[key].get<std::string>());
  return v.empty() ? "none" : fmt::format("{}", fmt::join(v, ", "));
}

void check(const ast::Expectation& e, const nlohmann::json& d, std::vector<Mismatch>& out) {
  using K = ast::Expectation::Kind;
  auto miss = [&](std::string msg) { out.push_back(Mismatch{e.span, std::move(msg)}); };
  switch (e.kind) {
    case K::outcome: {
      std::string got = d.value("outcome", "");
      if (got != e.word) miss(fmt::format("expected outcome `{}`, found `{}`", e.word, got));
      return;
    }
    case K::measure_outcome: {
      const auto& ms = d.contains("measures") ? d["measures"] : nlohmann::json::array();
      if (e.index < 0 || static_cast<size_t>(e.index) >= ms.size()) {
        miss(fmt::format("expected measure {} to be `{}`, but the decision has {} measure(s)", e.index, e.word, ms.size()));
        return;
      }
      std::string got = ms[static_cast<size_t>(e.index)].value("outcome", "");
      if (got != e.word) miss(fmt::format("expected measure {} to be `{}`, found `{}`", e.index, e.word, got));
      return;
    }
    case K::ground: {
      bool found = false;
      if (d.contains("grounds"))
        for (const auto& g : d["grounds"]) found |= citation_matches(g.value("article", ""), e.word);
      if (found == e.negated)
        miss(e.negated ? fmt::format("expected no ground under `{}`, found grounds: {}", e.word, words(d.value("grounds", nlohmann::json::array()), "article"))
                       : fmt::format("expected a ground under `{}`, found grounds: {}", e.word, words(d.value("grounds", nlohmann::json::array()), "article")));
      return;
    }
    case K::deadline: {
      const nlohmann::json* found = nullptr;
      if (d.contains("deadlines"))
        for (const auto& dl : d["deadlines"])
          if (dl.value("name", "") == e.word) found = &dl;
      if (e.negated) {
        if (found) miss(fmt::format("expected no deadline `{}`, found one due {}", e.word, found->value("due", "")));
        return;
      }
      if (!found) {
        miss(fmt::format("expected deadline `{}` due {}, found no such deadline (deadlines: {})", e.word, e.due,
                         words(d.value("deadlines", nlohmann::json::array()), "name")));
        return;
      }
      std::string due = found->value("due", "");
      if (!e.due.empty() && !same_due(e.due, due)) miss(fmt::format("expected deadline `{}` due {}, found {}", e.word, e.due, due));
      std::string status = found->value("status", "");
      if (!e.status.empty() && status != e.status)
        miss(fmt::format("expected deadline `{}` to be {}, found {}", e.word, e.status, status));
      return;
    }
    case K::missing: {
      std::set<std::string> want(e.paths.begin(), e.paths.end()), got;
      if (d.contains("missing"))
        for (const auto& p : d["missing"]) got.insert(p.get<std::string>());
      if (want != got)
        miss(fmt::format("expected missing facts [{}], found [{}]", fmt::join(want, ", "), fmt::join(got, ", ")));
      return;
    }
    case K::obligation:
    case K::condition: {
      const char* list = e.kind == K::obligation ? "obligations" : "conditions";
      const char* key = e.kind == K::obligation ? "action" : "name";
      bool found = false;
      if (d.contains(list))
        for (const auto& o : d[list]) found |= o.value(key, "") == e.word;
      if (found == e.negated)
        miss(fmt::format("expected {}{} `{}`, found: {}", e.negated ? "no " : "", e.kind == K::obligation ? "obligation" : "condition",
                         e.word, words(d.value(list, nlohmann::json::array()), key)));
      return;
    }
    case K::error: miss("this expectation could not be read"); return;
  }
}

}  // namespace

nlohmann::json given_to_json(const std::vector<ast::GivenEntry>& given) {
  nlohmann::json o = nlohmann::json::object();
  for (const auto& entry : given) o[entry.key.name] = given_value(entry.value);
  return o;
}

Report run_tests(const Compilation& c) {
  Report report;
  if (!c.program) return report;
  const Program& program = *c.program;
  Binder binder(program);
  Facts facts;
  VmState state;
  Decision decision;
  for (const auto& decl : c.module.decls) {
    const auto* t = std::get_if<ast::TestDecl>(&decl);
    if (!t) continue;
    TestResult r;
    r.name = t->name;
    r.span = t->span;
    nlohmann::json request = given_to_json(t->given);
    BindResult bound = binder.bind(request.dump(), facts);
    if (!bound.ok) {
      r.mismatches.push_back(Mismatch{t->span, fmt::format("the `given` request does not fit the policy: {}", bound.error)});
    } else {
      evaluate(program, facts, state, decision, false);
      r.decision = decision_to_json(program, facts, decision);
      if (r.decision.contains("error"))
        r.mismatches.push_back(Mismatch{t->span, fmt::format("the request could not be decided: {}", r.decision["error"].dump())});
      for (const auto& e : t->expect) check(e, r.decision, r.mismatches);
    }
    r.passed = r.mismatches.empty();
    (r.passed ? report.passed : report.failed)++;
    report.tests.push_back(std::move(r));
  }
  return report;
}

}  // namespace comity::testrun

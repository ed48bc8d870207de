// decide_test.cpp: statuses → decisions — per-item outcomes and partial, undetermined with exactly the
// missing facts, deadline status, priority and conflicts, faults, the JSON contract and the text form.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <functional>

#include "comity/runtime.h"
#include "vm_test_program.h"

using namespace comity;
using comity::testing::MiniEio;

namespace {

struct Case {
  std::shared_ptr<MiniEio> eio = std::make_shared<MiniEio>();
  std::unique_ptr<Engine> engine;
  explicit Case(bool urgent_prevails = true) {
    testing::build_mini_eio(*eio, urgent_prevails);
    engine = std::make_unique<Engine>(std::shared_ptr<const Program>(eio, &eio->b.p));
  }
  nlohmann::ordered_json decide(const std::function<void(nlohmann::json&)>& edit, bool explain = false) {
    nlohmann::json j = nlohmann::json::parse(testing::mini_eio_request());
    edit(j);
    const BindResult r = engine->bind(j);
    INFO(r.error);
    REQUIRE(r.ok);
    engine->evaluate(explain);
    return engine->to_json();
  }
};

std::vector<std::string> strings(const nlohmann::ordered_json& a) {
  std::vector<std::string> out;
  for (const auto& x : a) out.push_back(x.get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("everything known and nothing applies: execute", "[decide]") {
  Case c;
  const auto j = c.decide([](nlohmann::json&) {});
  CHECK(j["policy"] == "eu.eio.mini");
  CHECK(j["policy_version"] == "2017-05-22");
  CHECK(j["bundle"] == "sha256:" + std::string(64, '0'));
  CHECK(j["outcome"] == "execute");
  REQUIRE(j["measures"].size() == 2);
  CHECK(j["measures"][0] == nlohmann::ordered_json::parse(R"j({"index":0,"kind":"hearing","outcome":"execute","grounds":[]})j"));
  CHECK(j["grounds"].empty());
  CHECK(j["missing"].empty());
  CHECK_FALSE(j.contains("conflicts"));
  CHECK_FALSE(j.contains("trace"));
  CHECK_FALSE(j.contains("error"));
  REQUIRE(j["deadlines"].size() == 1);
  CHECK(j["deadlines"][0] == nlohmann::ordered_json::parse(
                                 R"j({"name":"recognition","article":"12(3)","due":"2025-04-02","strength":"hard","status":"pending"})j"));
  // Contract key order.
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"policy", "policy_version", "bundle", "outcome", "measures", "grounds",
                                         "obligations", "conditions", "deadlines", "missing"});
}

TEST_CASE("a ground on one measure only: partial", "[decide]") {
  Case c;
  const auto j = c.decide([](nlohmann::json& r) { r["offence"]["dual"] = false; });
  CHECK(j["outcome"] == "partial");
  CHECK(j["measures"][0]["outcome"] == "execute");
  CHECK(j["measures"][1]["outcome"] == "refusal_available");
  REQUIRE(j["grounds"].size() == 1);
  CHECK(j["grounds"][0] == nlohmann::ordered_json::parse(
                               R"j({"article":"11(1)(g)","kind":"optional_refusal","measure":1,
                                   "reason":"the conduct is not an offence under the law of the executing State"})j"));
  CHECK(j["measures"][1]["grounds"][0]["article"] == "11(1)(g)");
}

TEST_CASE("request-level grounds apply to every measure — the most restrictive wins", "[decide]") {
  Case c;
  auto j = c.decide([](nlohmann::json& r) { r["immunity"] = true; });
  CHECK(j["outcome"] == "refusal_available");  // both measures agree
  REQUIRE(j["grounds"].size() == 1);
  CHECK_FALSE(j["grounds"][0].contains("measure"));
  CHECK(j["measures"][0]["grounds"][0]["article"] == "11(1)(a)");
  CHECK(j["obligations"] == nlohmann::ordered_json::parse(
                                R"j([{"article":"11(4)","action":"consult_issuing_authority","when":"before refusing"}])j"));

  j = c.decide([](nlohmann::json& r) {
    r["immunity"] = true;
    r["measures"][0]["available"] = false;
  });
  CHECK(j["measures"][0]["outcome"] == "use_other_measure");
  CHECK(j["measures"][1]["outcome"] == "refusal_available");
  CHECK(j["outcome"] == "use_other_measure");  // no measure can be executed: most restrictive

  j = c.decide([](nlohmann::json& r) { r["measures"][1]["kind"] = "interception"; });
  CHECK(j["measures"][1]["outcome"] == "execute_with_conditions");
  CHECK(j["outcome"] == "execute_with_conditions");  // execute and execute_with_conditions: not partial
  CHECK(j["conditions"] == nlohmann::ordered_json::parse(
                               R"j([{"article":"19","name":"confidentiality","reason":"keep the interception confidential","measure":1}])j"));
  CHECK(j["grounds"][0]["kind"] == "condition");
}

TEST_CASE("unknown facts that could raise the outcome make it undetermined, naming them", "[decide][missing]") {
  Case c;
  // Absent immunity: refusal_available would be stricter than execute for every measure.
  auto j = c.decide([](nlohmann::json& r) { r.erase("immunity"); });
  CHECK(j["outcome"] == "undetermined");
  CHECK(strings(j["missing"]) == std::vector<std::string>{"immunity"});

  // A measure already refusable for another reason: the unknown ground cannot raise it.
  j = c.decide([](nlohmann::json& r) {
    r.erase("immunity");
    r["offence"]["dual"] = false;
  });
  CHECK(j["measures"][0]["outcome"] == "undetermined");
  CHECK(j["measures"][1]["outcome"] == "refusal_available");
  CHECK(j["outcome"] == "undetermined");
  CHECK(strings(j["missing"]) == std::vector<std::string>{"immunity"});

  // Item facts are named with the measure's index; false and unknown drops the unknown's fact.
  j = c.decide([](nlohmann::json& r) {
    r["offence"].erase("dual");
    r["measures"][1].erase("coercive");
    r["measures"][0]["coercive"] = false;
  });
  CHECK(j["measures"][0]["outcome"] == "execute");
  CHECK(j["measures"][1]["outcome"] == "undetermined");
  CHECK(strings(j["missing"]) == std::vector<std::string>{"measures[1].coercive", "offence.dual"});

  // Several items missing the same fact: one entry each, sorted, no duplicates.
  j = c.decide([](nlohmann::json& r) {
    r["measures"][0].erase("available");
    r["measures"][1].erase("available");
    r["measures"].push_back(r["measures"][0]);
  });
  CHECK(strings(j["missing"]) == std::vector<std::string>{"measures[0].available", "measures[1].available", "measures[2].available"});
}

TEST_CASE("deadline status against events and as_of", "[decide][deadlines]") {
  Case c;
  auto status = [&](const std::function<void(nlohmann::json&)>& edit) {
    const auto j = c.decide(edit);
    REQUIRE(j["deadlines"].size() == 1);
    return j["deadlines"][0]["status"].get<std::string>();
  };
  CHECK(status([](nlohmann::json&) {}) == "pending");
  CHECK(status([](nlohmann::json& r) { r["recognition_decided"] = "2025-04-02"; }) == "met");  // on the due day
  CHECK(status([](nlohmann::json& r) { r["recognition_decided"] = "2025-04-03"; }) == "missed");
  CHECK(status([](nlohmann::json& r) { r["as_of"] = "2025-04-02"; }) == "pending");
  CHECK(status([](nlohmann::json& r) { r["as_of"] = "2025-04-03"; }) == "missed");
  CHECK(status([](nlohmann::json& r) {
          r["as_of"] = "2025-05-01";
          r["recognition_decided"] = "2025-03-20";
        }) == "met");
}

TEST_CASE("a declared priority drops the other deadline — without one it is a conflict", "[decide][priority]") {
  auto urgent = [](nlohmann::json& r) {
    r["urgent"] = true;
    r["requested_deadline"] = "2025-03-10";
  };
  Case prevails(true);
  auto j = prevails.decide(urgent, true);
  REQUIRE(j["deadlines"].size() == 1);
  CHECK(j["deadlines"][0]["article"] == "12(2)");
  CHECK(j["deadlines"][0]["strength"] == "target");
  CHECK(j["deadlines"][0]["due"] == "2025-03-10");
  CHECK(j["outcome"] == "execute");
  bool noted = false;
  for (const auto& t : j["trace"])
    if (t.contains("note") && t["article"] == "12(3)") noted = t["note"] == "dropped: recognition of 12(2) prevails";
  CHECK(noted);

  Case conflict(false);
  j = conflict.decide(urgent);
  CHECK(j["outcome"] == "review");
  REQUIRE(j["conflicts"].size() == 1);
  CHECK(j["conflicts"][0] == nlohmann::ordered_json::parse(R"j({"name":"recognition","kind":"deadline","articles":["12(3)","12(2)"]})j"));
}

TEST_CASE("explain traces each clause with the facts it read", "[decide][trace]") {
  Case c;
  const auto j = c.decide([](nlohmann::json& r) { r["offence"]["dual"] = false; }, true);
  REQUIRE(j.contains("trace"));
  bool found = false;
  for (const auto& t : j["trace"]) {
    if (t["article"] != "11(1)(g)" || t["measure"] != 1) continue;
    found = true;
    CHECK(t["status"] == true);
    CHECK(t["facts"]["measures[1].coercive"] == "true");
    CHECK(t["facts"]["offence.dual"] == "false");
  }
  CHECK(found);
  const std::string text = c.engine->to_text();
  CHECK(text.find("outcome: partial\n") == 0);
  CHECK(text.find("Art. 11(1)(g) (Dual criminality) — optional_refusal [measure 1]: the conduct is not an offence") != std::string::npos);
  CHECK(text.find("recognition (Art. 12(3) (Time limits), hard): due 2025-04-02, pending") != std::string::npos);
  CHECK(text.find("      measures[1].coercive = true") != std::string::npos);
}

TEST_CASE("a period that cannot be computed is a warning, not a failed decision; binding errors fail it", "[decide][errors]") {
  Case c;
  // The calendar_days convention needs no calendar, but 1182/71 rolls forward and needs one: without a
  // calendar for PL the outcome is still decided, the deadline is left out and a warning says why.
  c.eio->b.p.convention = periods::Convention::eu_1182_71;
  auto j = c.decide([](nlohmann::json& r) { r["executing_state"] = "PL"; });
  CHECK(j["outcome"] == "execute");
  CHECK_FALSE(j.contains("error"));
  CHECK(j["deadlines"].empty());
  REQUIRE(j["warnings"].size() == 1);
  CHECK(j["warnings"][0]["article"] == "12(3)");
  CHECK(j["warnings"][0]["message"] ==
        "deadline `recognition` (12(3)) cannot be computed: no public-holiday calendar for `PL` in this bundle");
  c.eio->b.p.convention = periods::Convention::calendar_days;

  const Decision& d = c.engine->decide(R"j({"executing_state": "NL"})j");
  CHECK(d.failed);
  CHECK(d.error.message == "request.received: required field is missing");
  CHECK(c.engine->to_json()["error"]["message"] == "request.received: required field is missing");
}

TEST_CASE("a policy without `decide each` gives one decision", "[decide]") {
  Case c;
  c.eio->b.p.items_slot = -1;
  c.eio->b.p.item_block = Block{};
  auto j = c.decide([](nlohmann::json& r) { r["immunity"] = true; });
  CHECK(j["outcome"] == "refusal_available");
  CHECK_FALSE(j.contains("measures"));
  j = c.decide([](nlohmann::json& r) { r.erase("immunity"); });
  CHECK(j["outcome"] == "undetermined");
  CHECK(strings(j["missing"]) == std::vector<std::string>{"immunity"});
}

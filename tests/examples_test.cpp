// examples_test.cpp: every request under examples/requests decided against the EIO policy matches the
// hand-derived decision in examples/expected (outcome, per-measure outcomes, grounds, deadlines, missing).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "comity/binder.h"
#include "comity/compiler.h"
#include "comity/decision.h"

namespace fs = std::filesystem;
using namespace comity;

static std::string root() {
  const char* r = std::getenv("COMITY_ROOT");
  return r && *r ? r : COMITY_SOURCE_DIR;
}
static std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
static std::set<std::string> articles(const nlohmann::json& grounds) {
  std::set<std::string> out;
  for (const auto& g : grounds) out.insert(g.is_string() ? g.get<std::string>() : g.value("article", ""));
  return out;
}

TEST_CASE("example requests get their hand-derived EIO decisions") {
  Compilation c = compile_file(root() + "/policies/eu/eio.comity");
  REQUIRE(c.ok());
  const Program& program = *c.program;
  Binder binder(program);
  Facts facts;
  VmState state;
  Decision decision;
  std::vector<fs::path> requests;
  for (const auto& e : fs::directory_iterator(root() + "/examples/requests")) requests.push_back(e.path());
  std::sort(requests.begin(), requests.end());
  REQUIRE(requests.size() >= 8);
  for (const auto& path : requests) {
    INFO(path.filename().string());
    nlohmann::json want = nlohmann::json::parse(read(fs::path(root()) / "examples/expected" / path.filename()));
    BindResult b = binder.bind(read(path), facts);
    REQUIRE(b.ok);
    evaluate(program, facts, state, decision);
    nlohmann::json got = decision_to_json(program, facts, decision);
    INFO(got.dump(2));
    CHECK(got["outcome"] == want["outcome"]);
    CHECK(got["bundle"].get<std::string>().rfind("sha256:", 0) == 0);
    CHECK(got["bundle"] != "sha256:0000000000000000000000000000000000000000000000000000000000000000");
    REQUIRE(got["measures"].size() == want["measures"].size());
    for (size_t i = 0; i < want["measures"].size(); ++i) {
      CHECK(got["measures"][i]["outcome"] == want["measures"][i]["outcome"]);
      CHECK(got["measures"][i]["kind"] == want["measures"][i]["kind"]);
      CHECK(articles(got["measures"][i]["grounds"]) == articles(want["measures"][i]["grounds"]));
    }
    CHECK(articles(got["grounds"]) == articles(want["grounds"]));
    std::set<std::string> got_missing(got["missing"].begin(), got["missing"].end()),
        want_missing(want["missing"].begin(), want["missing"].end());
    CHECK(got_missing == want_missing);
    for (const auto& d : want["deadlines"]) {
      auto it = std::find_if(got["deadlines"].begin(), got["deadlines"].end(), [&](const nlohmann::json& g) { return g["name"] == d["name"]; });
      REQUIRE(it != got["deadlines"].end());
      CHECK((*it)["due"] == d["due"]);
      CHECK((*it)["status"] == d["status"]);
      CHECK((*it)["strength"] == d["strength"]);
      CHECK((*it)["article"] == d["article"]);
    }
    CHECK(got["deadlines"].size() == want["deadlines"].size());
    if (want.contains("obligations"))
      for (const auto& o : want["obligations"]) {
        std::string action = o.is_string() ? o.get<std::string>() : o.value("action", "");
        bool found = std::any_of(got["obligations"].begin(), got["obligations"].end(), [&](const nlohmann::json& g) { return g["action"] == action; });
        CHECK(found);
      }
  }
}

TEST_CASE("mutated and truncated requests are rejected with a message or decided, never a crash") {
  Compilation c = compile_file(root() + "/policies/eu/eio.comity");
  REQUIRE(c.ok());
  const Program& program = *c.program;
  Binder binder(program);
  Facts facts;
  VmState state;
  Decision decision;
  size_t rejected = 0, decided = 0;
  for (const auto& e : fs::directory_iterator(root() + "/examples/requests")) {
    const std::string text = read(e.path());
    auto attempt = [&](const std::string& mutated) {
      BindResult b = binder.bind(mutated, facts);
      if (!b.ok) {
        CHECK(!b.error.empty());
        ++rejected;
        return;
      }
      evaluate(program, facts, state, decision);
      ++decided;
      // The traced interpreter (original bytecode) and the fast one (decoded, fused) must agree.
      nlohmann::json fast = decision_to_json(program, facts, decision);
      evaluate(program, facts, state, decision, true);
      nlohmann::json traced = decision_to_json(program, facts, decision);
      traced.erase("trace");
      CHECK(fast == traced);
    };
    for (size_t len = 0; len < text.size(); ++len) attempt(text.substr(0, len));
    for (size_t i = 0; i < text.size(); ++i)
      for (char ch : {'"', '{', ']', '1', 'x', ',', '\0', '\xff'}) {
        std::string m = text;
        m[i] = ch;
        attempt(m);
      }
  }
  CHECK(rejected > 1000);
  CHECK(decided > 0);  // some mutations (e.g. inside a string or a digit) still fit the contract
}

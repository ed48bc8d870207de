// cli_test.cpp: the `comity` binary end to end — exit codes, messages and JSON a script relies on.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

static std::string root() {
  const char* r = std::getenv("COMITY_ROOT");
  return r && *r ? r : COMITY_SOURCE_DIR;
}

struct Run {
  int code;
  std::string out;
};

// Runs the CLI with stdout captured (stderr folded in when `merge`).
static Run run(const std::string& args, bool merge = false) {
  std::string cmd = std::string(COMITY_CLI) + " " + args + (merge ? " 2>&1" : " 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return Run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

static fs::path tmp(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("comity_cli_test_" + std::to_string(getpid()));
  fs::create_directories(d);
  return d / name;
}

TEST_CASE("check reports all five mistakes with line:col and codes, exit 1") {
  Run r = run("check " + root() + "/tests/golden/diagnostics/five_mistakes.comity", true);
  CHECK(r.code == 1);
  for (const char* want : {":12:28: error[E0201]", ":15:32: error[E0205]", ":18:24: error[E0303]", ":21:3: error[E0401]", ":24:41: error[E0101]"})
    CHECK(r.out.find(want) != std::string::npos);
  CHECK(r.out.find("did you mean `dual_criminality`?") != std::string::npos);
  Run j = run("check --format json " + root() + "/tests/golden/diagnostics/five_mistakes.comity");
  CHECK(j.code == 1);
  auto parsed = nlohmann::json::parse(j.out);
  CHECK(parsed["diagnostics"].size() == 5);
  CHECK(parsed["diagnostics"][0].contains("line"));
}

TEST_CASE("check passes on the EIO policy — test passes on policies/ with at least 25 EIO tests") {
  CHECK(run("check " + root() + "/policies/eu/eio.comity").code == 0);
  Run t = run("test --format json " + root() + "/policies");
  CHECK(t.code == 0);
  auto j = nlohmann::json::parse(t.out);
  CHECK(j["failed"] == 0);
  bool eio = false;
  for (const auto& p : j["policies"])
    if (p["name"] == "eu.eio") {
      eio = true;
      CHECK(p["passed"].get<int>() >= 25);
    }
  CHECK(eio);
}

TEST_CASE("a failing embedded test exits 1 and shows expected vs actual at the expectation") {
  fs::path f = tmp("failing.comity");
  std::ofstream(f) << "policy t.f \"t\" version \"1\"\ninput { a: bool? }\n"
                      "article \"1\" \"x\" text \"x\" { review when a because \"a\" }\n"
                      "test \"wrong on purpose\" {\n  given { a: true }\n  expect { outcome: execute }\n}\n";
  Run r = run("test " + f.string(), true);
  CHECK(r.code == 1);
  CHECK(r.out.find("failing.comity:4:1: test \"wrong on purpose\" failed") != std::string::npos);
  CHECK(r.out.find(":6:12: expected outcome `execute`, found `review`") != std::string::npos);
  CHECK(r.out.find("0 passed, 1 failed") != std::string::npos);
}

TEST_CASE("eval answers in the contract's JSON — an unknown deciding fact gives undetermined naming it") {
  Run r = run("eval " + root() + "/policies/eu/eio.comity --format json --request " + root() + "/examples/requests/06-undetermined-missing-fact.json");
  CHECK(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["policy"] == "eu.eio");
  CHECK(j["outcome"] == "undetermined");
  CHECK(j["missing"] == nlohmann::json::array({"offence.offence_in_executing_state"}));
  Run e = run("eval " + root() + "/policies/eu/eio.comity --explain --format json --request " + root() + "/examples/requests/02-dual-criminality-refusal.json");
  auto ej = nlohmann::json::parse(e.out);
  CHECK(ej.contains("trace"));
  CHECK(!ej["trace"].empty());
}

TEST_CASE("bad requests exit 4 naming the field — bad bundles exit 5 — missing files exit 3 — usage exits 2") {
  fs::path bundle = tmp("eio.comityb");
  REQUIRE(run("build " + root() + "/policies/eu/eio.comity -o " + bundle.string()).code == 0);
  fs::path req = tmp("bad.json");
  std::ofstream(req) << R"({"issuing_state":"DE","executing_state":"NL","issuing_authority":"judge","received":"2025-03-03",)"
                        R"("measures":[{"kind":"search_seizure"}]})";
  Run bad = run("eval " + bundle.string() + " --request " + req.string(), true);
  CHECK(bad.code == 4);
  CHECK(bad.out.find("received") != std::string::npos);
  // One flipped byte in the middle of the bundle.
  std::string bytes;
  {
    std::ifstream in(bundle, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    bytes = ss.str();
  }
  bytes[bytes.size() / 2] ^= 0x20;
  fs::path corrupt = tmp("corrupt.comityb");
  std::ofstream(corrupt, std::ios::binary) << bytes;
  Run c = run("eval " + corrupt.string() + " --request " + root() + "/examples/requests/01-search-seizure-nl.json", true);
  CHECK(c.code == 5);
  CHECK(c.out.find("not a valid bundle") != std::string::npos);
  CHECK(run("check /nonexistent/policy.comity").code == 3);
  CHECK(run("frobnicate").code == 2);
  Run ok = run("eval " + bundle.string() + " --request " + root() + "/examples/requests/01-search-seizure-nl.json");
  CHECK(ok.code == 0);
  CHECK(ok.out.find("outcome") != std::string::npos);
}

TEST_CASE("disasm shows the instruction stream with symbolic operands") {
  Run r = run("disasm " + root() + "/tests/golden/semantics/kleene.comity");
  CHECK(r.code == 0);
  CHECK(r.out.find("STORE_STATUS") != std::string::npos);
  CHECK(r.out.find("JUMP_IF_FALSE_KEEP") != std::string::npos);
}

// testrun.h: runs a policy's embedded `test` blocks: given → request JSON → binder → VM → decision,
// compared with `expect`. Used by `comity test` and the language server. Knows nothing of the CLI.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "comity/compiler.h"

namespace comity::testrun {

struct Mismatch {
  ast::Span span;       // the expectation (or the test, when the request itself is bad)
  std::string message;  // "expected outcome `execute`, found `refusal_available`"
};

struct TestResult {
  std::string name;
  ast::Span span;
  bool passed = false;
  std::vector<Mismatch> mismatches;
  nlohmann::json decision;  // what the engine decided (for reports)
};

struct Report {
  std::vector<TestResult> tests;
  size_t passed = 0, failed = 0;
};

// `given { … }` as the request JSON a workflow would send.
nlohmann::json given_to_json(const std::vector<ast::GivenEntry>& given);

// Runs every test of a compiled policy (c.program must be set).
Report run_tests(const Compilation& c);

}  // namespace comity::testrun

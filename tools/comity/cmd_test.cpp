// cmd_test.cpp: `comity test` — runs the embedded tests of every policy under the given paths.
#include <algorithm>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "testrun/testrun.h"

namespace comity::cli {

int cmd_test(const std::vector<std::string>& paths, Format format, const CompileOptions& options, bool verbose) {
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p, ec))
        if (e.is_regular_file() && e.path().extension() == ".comity") files.push_back(e.path().string());
    } else if (std::filesystem::exists(p, ec)) {
      files.push_back(p);
    } else {
      std::cerr << fmt::format("comity: no such file or folder `{}`\n", p);
      return kIoError;
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::cerr << "comity: no .comity files found\n";
    return kUsage;
  }
  size_t passed = 0, failed = 0, broken = 0;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : files) {
    std::string io;
    Compilation c = compile_file(f, options, &io);
    if (!io.empty()) {
      std::cerr << "comity: " << io << "\n";
      ++broken;
      continue;
    }
    if (!c.ok()) {
      print_diagnostics(c, Format::text);
      std::cerr << fmt::format("{}: does not compile; its tests were not run\n", f);
      ++broken;
      continue;
    }
    testrun::Report r = testrun::run_tests(c);
    passed += r.passed;
    failed += r.failed;
    nlohmann::json pj{{"policy", f}, {"name", c.program->name}, {"passed", r.passed}, {"failed", r.failed}, {"failures", nlohmann::json::array()}};
    for (const auto& t : r.tests) {
      if (verbose && format == Format::text) std::cout << fmt::format("  {} {}\n", t.passed ? "ok  " : "FAIL", t.name);
      if (t.passed) continue;
      auto [line, col] = c.sources.files[0].line_col(t.span.begin);
      nlohmann::json fj{{"test", t.name}, {"line", line}, {"column", col}, {"mismatches", nlohmann::json::array()}};
      if (format == Format::text) std::cout << fmt::format("{}:{}:{}: test \"{}\" failed\n", f, line, col, t.name);
      for (const auto& m : t.mismatches) {
        auto [ml, mc] = c.sources.files[0].line_col(m.span.begin);
        if (format == Format::text) std::cout << fmt::format("  {}:{}:{}: {}\n", f, ml, mc, m.message);
        fj["mismatches"].push_back({{"line", ml}, {"column", mc}, {"message", m.message}});
      }
      if (format == Format::text) std::cout << fmt::format("  decided: {}\n", t.decision.dump());
      pj["failures"].push_back(fj);
    }
    if (format == Format::text) std::cout << fmt::format("{} ({}): {} passed, {} failed\n", f, c.program->name, r.passed, r.failed);
    out.push_back(pj);
  }
  if (format == Format::json) std::cout << nlohmann::json{{"policies", out}, {"passed", passed}, {"failed", failed}, {"broken", broken}}.dump(2) << "\n";
  else std::cout << fmt::format("policies: {} passed, {} failed{}\n", passed, failed, broken ? fmt::format(", {} did not compile", broken) : "");
  return (failed || broken) ? kFailed : kOk;
}

}  // namespace comity::cli

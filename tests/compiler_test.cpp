// compiler_test.cpp: cross-layer tests — golden diagnostics, golden semantics through the VM, every
// policy's embedded tests, bundle round trips and corruption of real compiled bundles.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "comity/bundle.h"
#include "comity/compiler.h"
#include "testrun/testrun.h"

namespace fs = std::filesystem;
using namespace comity;

static std::string root() {
  const char* r = std::getenv("COMITY_ROOT");
  return r && *r ? r : COMITY_SOURCE_DIR;
}

static std::vector<std::string> files_under(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().extension() == ".comity") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

static std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_CASE("golden diagnostics: every marked error is reported on its line, and nothing else") {
  for (const auto& file : files_under(root() + "/tests/golden/diagnostics")) {
    INFO(file);
    std::string text = read(file);
    std::set<std::pair<uint32_t, std::string>> want, got;
    std::istringstream lines(text);
    std::string line;
    uint32_t n = 0;
    std::regex marker(R"(//\s*error\[(E\d{4})\])");
    while (std::getline(lines, line)) {
      ++n;
      std::smatch m;
      if (std::regex_search(line, m, marker)) want.insert({n, m[1]});
    }
    Compilation c = compile_source(file, text);
    std::string rendered;
    for (const auto& d : c.diagnostics) {
      rendered += render_text(c.sources, d);
      if (d.severity != Severity::error) continue;
      got.insert({c.sources.files[0].line_col(d.span.begin).first, std::string(code_text(d.code))});
    }
    INFO(rendered);
    CHECK(got == want);
    CHECK(want.size() >= 5);
  }
}

TEST_CASE("golden semantics and policies: embedded tests pass through binder and VM") {
  std::vector<std::string> files = files_under(root() + "/tests/golden/semantics");
  for (const auto& f : files_under(root() + "/policies")) files.push_back(f);
  REQUIRE(files.size() >= 4);
  for (const auto& file : files) {
    INFO(file);
    Compilation c = compile_source(file, read(file));
    std::string rendered;
    for (const auto& d : c.diagnostics)
      if (d.severity == Severity::error) rendered += render_text(c.sources, d);
    INFO(rendered);
    REQUIRE(c.ok());
    testrun::Report r = testrun::run_tests(c);
    for (const auto& t : r.tests) {
      INFO("test \"" << t.name << "\" decided " << t.decision.dump());
      for (const auto& m : t.mismatches) {
        INFO(m.message);
        CHECK(t.passed);
      }
      if (t.mismatches.empty()) CHECK(t.passed);
    }
    CHECK(r.tests.size() >= 5);
  }
}

TEST_CASE("a compiled policy round-trips through a bundle, and every corruption is rejected") {
  const std::string which = GENERATE(std::string("/tests/golden/semantics/deadlines.comity"), std::string("/policies/eu/eio.comity"));
  INFO(which);
  Compilation c = compile_source(which, read(root() + which));
  REQUIRE(c.ok());
  Program p = *c.program;
  std::vector<uint8_t> bytes = write_bundle(p);
  LoadResult ok = load_bundle(bytes.data(), bytes.size());
  REQUIRE(ok.ok());
  Program again = *ok.program;
  CHECK(write_bundle(again) == bytes);
  size_t rejected = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::vector<uint8_t> bad = bytes;
    bad[i] ^= 0x01;
    LoadResult r = load_bundle(bad.data(), bad.size());
    if (!r.ok() && !r.error.empty()) ++rejected;
  }
  CHECK(rejected == bytes.size());
  size_t truncated = 0;
  for (size_t len = 0; len < bytes.size(); ++len) {
    LoadResult r = load_bundle(bytes.data(), len);
    if (!r.ok() && !r.error.empty()) ++truncated;
  }
  CHECK(truncated == bytes.size());
}

TEST_CASE("the compiler rejects unsettled periods and conflicting deadlines") {
  auto codes = [](const std::string& src) {
    Compilation c = compile_source("t.comity", src);
    std::set<std::string> out;
    for (const auto& d : c.diagnostics)
      if (d.severity == Severity::error) out.insert(std::string(code_text(d.code)));
    return out;
  };
  const std::string head = "policy t.p \"t\" version \"1\"\nperiods calendar_days\ninput { d: date  t: datetime  n: duration }\n";
  CHECK(codes(head + "article \"1\" \"x\" text \"x\" { deadline a = d + 24 hours strength hard }\n").count("E0310"));
  CHECK(codes(head + "article \"1\" \"x\" text \"x\" { deadline a = d + n strength hard }\n").count("E0310"));
  CHECK(codes(head + "article \"1\" \"x\" text \"x\" { deadline a = d + 3 days strength hard\n deadline a = d + 4 days strength hard }\n").count("E0402"));
  CHECK(codes(head + "article \"1\" \"x\" text \"x\" { x: exception to y when true\n y: exception to x when true\n review when true because \"r\" }\n").count("E0403"));
  CHECK(codes(head + "define a = b\ndefine b = a\narticle \"1\" \"x\" text \"x\" { review when a because \"r\" }\n").count("E0208"));
  CHECK(codes(head + "article \"1\" \"x\" text \"x\" { review when applies(\"1\") because \"r\" }\n").count("E0405"));
}

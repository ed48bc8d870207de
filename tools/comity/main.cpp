// main.cpp: the `comity` command line — check, build, eval, test, disasm. Thin: flags → library calls.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "comity/bundle.h"
#include "bundle/disasm.h"

namespace comity::cli {

bool read_file(const std::string& path, std::string& out) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    out = ss.str();
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

static nlohmann::json diagnostic_json(const Compilation& c, const Diagnostic& d) {
  nlohmann::json j;
  j["code"] = std::string(code_text(d.code));
  j["severity"] = d.severity == Severity::error ? "error" : d.severity == Severity::warning ? "warning" : "note";
  j["message"] = d.message;
  if (d.span.file < c.sources.files.size()) {
    const SourceFile& f = c.sources.files[d.span.file];
    auto [l, col] = f.line_col(d.span.begin);
    auto [el, ecol] = f.line_col(std::max(d.span.begin, d.span.end));
    j["file"] = f.path;
    j["line"] = l;
    j["column"] = col;
    j["end_line"] = el;
    j["end_column"] = ecol;
  }
  if (!d.help.empty()) j["help"] = d.help;
  return j;
}

void print_diagnostics(const Compilation& c, Format format) {
  if (format == Format::json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& d : c.diagnostics) arr.push_back(diagnostic_json(c, d));
    std::cout << nlohmann::json{{"diagnostics", arr}}.dump(2) << "\n";
    return;
  }
  const bool color = isatty(2);
  for (const auto& d : c.diagnostics) std::cerr << render_text(c.sources, d, color);
  size_t errors = 0, warnings = 0;
  for (const auto& d : c.diagnostics) (d.severity == Severity::error ? errors : warnings)++;
  if (errors || warnings) std::cerr << fmt::format("{} error(s), {} warning(s)\n", errors, warnings);
}

static bool is_bundle(const std::string& path) {
  return std::filesystem::path(path).extension() == ".comityb";
}

LoadedPolicy load_policy(const std::string& path, Format format, const CompileOptions& options) {
  LoadedPolicy lp;
  if (is_bundle(path)) {
    std::string bytes;
    if (!read_file(path, bytes)) {
      std::cerr << fmt::format("comity: cannot read `{}`\n", path);
      lp.exit = kIoError;
      return lp;
    }
    LoadResult r = load_bundle(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    if (!r.ok()) {
      std::cerr << fmt::format("comity: `{}` is not a valid bundle: {}\n", path, r.error);
      lp.exit = kBadBundle;
      return lp;
    }
    lp.program = r.program;
    return lp;
  }
  std::string io;
  auto c = std::make_unique<Compilation>(compile_file(path, options, &io));
  if (!io.empty()) {
    std::cerr << "comity: " << io << "\n";
    lp.exit = kIoError;
    return lp;
  }
  if (!c->ok()) {
    print_diagnostics(*c, format == Format::json ? Format::text : format);
    lp.exit = kFailed;
    return lp;
  }
  lp.program = c->program;
  lp.compilation = std::move(c);
  return lp;
}

}  // namespace comity::cli

using namespace comity;
using namespace comity::cli;

int main(int argc, char** argv) {
  CLI::App app{"comity: policy language and rule engine for mutual legal assistance instruments"};
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok; 1 policy errors, failed tests or no decision; 2 usage; 3 I/O error;\n"
      "            4 request does not fit the policy; 5 invalid bundle; 6 evaluation fault");
  std::string holidays;
  app.add_option("--holidays", holidays, "folder of public-holiday calendars (<STATE>.txt) to embed");
  std::string format_word = "text";
  auto add_format = [&](CLI::App* sub) {
    sub->add_option("--format", format_word, "output format")->check(CLI::IsMember({"text", "json"}));
  };

  std::vector<std::string> check_files;
  auto* check = app.add_subcommand("check", "parse, resolve and type-check policies; report every problem");
  check->add_option("files", check_files, "policy files")->required();
  add_format(check);

  std::string build_file, build_out;
  auto* build = app.add_subcommand("build", "compile a policy to a verified bytecode bundle (.comityb)");
  build->add_option("file", build_file, "policy file")->required();
  build->add_option("-o,--output", build_out, "bundle to write (default: <policy>.comityb)");

  std::string eval_policy, eval_request = "-";
  bool explain = false;
  auto* eval = app.add_subcommand("eval", "decide one request (JSON) against a policy or bundle");
  eval->add_option("policy", eval_policy, "policy source (.comity) or bundle (.comityb)")->required();
  eval->add_option("-r,--request", eval_request, "request JSON file, or - for stdin (default)");
  eval->add_flag("--explain", explain, "add a trace of the clauses that fired and the facts they read");
  add_format(eval);

  std::vector<std::string> test_paths;
  bool verbose = false;
  auto* test = app.add_subcommand("test", "run the embedded tests of policies (files or folders)");
  test->add_option("paths", test_paths, "policy files or folders")->required();
  test->add_flag("-v,--verbose", verbose, "list every test");
  add_format(test);

  std::string disasm_file;
  auto* disasm = app.add_subcommand("disasm", "show the bytecode of a policy or bundle");
  disasm->add_option("file", disasm_file, "policy source or bundle")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kOk : kUsage;
  }
  const Format format = format_word == "json" ? Format::json : Format::text;
  CompileOptions options;
  options.holidays_dir = holidays;

  if (*check) {
    int rc = kOk;
    nlohmann::json all = nlohmann::json::array();
    for (const auto& f : check_files) {
      std::string io;
      Compilation c = compile_file(f, options, &io);
      if (!io.empty()) {
        std::cerr << "comity: " << io << "\n";
        rc = kIoError;
        continue;
      }
      if (format == Format::json) {
        for (const auto& d : c.diagnostics) all.push_back(diagnostic_json(c, d));
      } else {
        print_diagnostics(c, format);
      }
      if (has_errors(c.diagnostics) && rc == kOk) rc = kFailed;
      if (format == Format::text && !has_errors(c.diagnostics)) std::cerr << fmt::format("{}: ok\n", f);
    }
    if (format == Format::json) std::cout << nlohmann::json{{"diagnostics", all}}.dump(2) << "\n";
    return rc;
  }
  if (*build) {
    LoadedPolicy lp = load_policy(build_file, format, options);
    if (!lp.program) return lp.exit;
    if (build_out.empty()) build_out = std::filesystem::path(build_file).replace_extension(".comityb").string();
    Program copy = *lp.program;
    std::vector<uint8_t> bytes = write_bundle(copy);
    std::ofstream out(build_out, std::ios::binary);
    if (!out || !out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()))) {
      std::cerr << fmt::format("comity: cannot write `{}`\n", build_out);
      return kIoError;
    }
    std::cerr << fmt::format("{}: {} bytes, sha256:{}\n", build_out, bytes.size(), hash_hex(copy.content_hash));
    return kOk;
  }
  if (*eval) return cmd_eval(eval_policy, eval_request, explain, format, options);
  if (*test) return cmd_test(test_paths, format, options, verbose);
  if (*disasm) {
    LoadedPolicy lp = load_policy(disasm_file, format, options);
    if (!lp.program) return lp.exit;
    Program copy = *lp.program;
    if (lp.compilation) write_bundle(copy);  // sets the content hash shown in the header
    std::cout << disassemble(copy);
    return kOk;
  }
  return kUsage;
}

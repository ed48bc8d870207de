// compiler.cpp: orchestrates parse → schema → resolve/type → emit → verify. The public compile entry.
#include "comity/compiler.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "comity/bundle.h"
#include "check/model.h"
#include "syntax/parse.h"

namespace comity {

namespace codegen {
void emit(check::Model& m);
}

std::string default_holidays_dir() {
  if (const char* env = std::getenv("COMITY_HOLIDAYS"); env && *env) return env;
  if (const char* root = std::getenv("COMITY_ROOT"); root && *root) return std::string(root) + "/data/holidays";
  return std::string(COMITY_SOURCE_DIR) + "/data/holidays";
}

Compilation compile_source(std::string path, std::string text, const CompileOptions& options) {
  Compilation c;
  const uint32_t file = c.sources.add(std::move(path), std::move(text));
  syntax::ParseResult parsed = syntax::parse(c.sources, file);
  c.module = std::move(parsed.module);
  c.diagnostics = std::move(parsed.diagnostics);

  auto program = std::make_shared<Program>();
  program->name = c.module.header.name;
  program->title = c.module.header.title;
  program->version = c.module.header.version;
  program->citation = c.module.header.citation;
  program->source_path = c.sources.files[file].path;

  check::Model m;
  m.program = program.get();
  m.sources = &c.sources;
  m.diags = &c.diagnostics;
  m.module = &c.module;
  check::build_schema(m);
  check::check_policy_decls(m);
  check::check_defines(m);
  check::check_clauses(m);
  if (has_errors(c.diagnostics) || !options.emit) return c;

  codegen::emit(m);
  if (has_errors(c.diagnostics)) return c;

  // Embed every holiday calendar we have: the bundle then decides the same on any machine, and its
  // hash covers the holidays it used.
  const bool needs_calendar = program->convention != periods::Convention::calendar_days;
  if (needs_calendar) {
    const std::string dir = options.holidays_dir.empty() ? default_holidays_dir() : options.holidays_dir;
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
      if (entry.path().extension() == ".txt") files.push_back(entry.path());
    if (ec || files.empty()) {
      c.diagnostics.push_back(make_diag(DiagCode::missing_decl, c.module.header.span,
                                        fmt::format("no public-holiday calendars in `{}`", dir),
                                        "set COMITY_HOLIDAYS to the folder of <STATE>.txt holiday files"));
      return c;
    }
    std::sort(files.begin(), files.end());  // deterministic bundles
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      auto parsed = periods::HolidayCalendar::parse(text.str(), f.string());
      if (!parsed.ok) {
        c.diagnostics.push_back(make_diag(DiagCode::missing_decl, c.module.header.span,
                                          fmt::format("bad public-holiday calendar: {}", parsed.error)));
        return c;
      }
      program->calendars.push_back(std::move(parsed.calendar));
    }
  }
  if (std::string problem = verify(*program); !problem.empty()) {
    c.diagnostics.push_back(make_diag(DiagCode::bad_clause, c.module.header.span,
                                      "internal compiler error: the emitted bytecode does not verify", problem));
    return c;
  }
  write_bundle(*program);  // sets content_hash: a decision cites the exact bundle, from source or file
  c.program = std::move(program);
  return c;
}

Compilation compile_file(const std::string& path, const CompileOptions& options, std::string* io_error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (io_error) *io_error = fmt::format("cannot read `{}`", path);
    return Compilation{};
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return compile_source(path, ss.str(), options);
}

}  // namespace comity

// compiler.h: the public entry of the compiler: source text → {verified Program?, diagnostics}.
// Knows nothing of the CLI, the LSP transport, or JSON requests.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "ast/ast.h"
#include "comity/diagnostics.h"
#include "comity/program.h"

namespace comity {

struct CompileOptions {
  // Folder of public-holiday files (<STATE>.txt). Empty: $COMITY_HOLIDAYS, else the source tree's data/holidays.
  std::string holidays_dir;
  bool emit = true;  // false: check only (resolve and type), no bytecode
};

struct Compilation {
  SourceSet sources;
  ast::Module module;
  std::vector<Diagnostic> diagnostics;
  std::shared_ptr<Program> program;  // set when there are no errors and emit was asked
  bool ok() const { return program != nullptr; }
};

// Compiles one file already read into memory.
Compilation compile_source(std::string path, std::string text, const CompileOptions& = {});
// Reads and compiles a file; an unreadable file is an I/O error diagnostic-free result with program == nullptr
// and `io_error` set.
Compilation compile_file(const std::string& path, const CompileOptions& = {}, std::string* io_error = nullptr);

std::string default_holidays_dir();

}  // namespace comity

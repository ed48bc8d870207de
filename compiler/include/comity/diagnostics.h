// diagnostics.h: one diagnostic type for every phase, rendered at the edge (CLI text, JSON, LSP).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../../ast/ast.h"

namespace comity {

enum class Severity : uint8_t { error, warning, note };

enum class DiagCode : uint16_t {
#define X(id, code, sev, summary) id,
#include "diagnostics.def"
#undef X
};

std::string_view code_text(DiagCode);      // "E0201"
Severity default_severity(DiagCode);
std::string_view code_summary(DiagCode);

struct Label {
  ast::Span span;
  std::string message;
};

struct Fix {  // a replacement a tool may apply
  ast::Span span;
  std::string replacement;
  std::string title;
};

// Message style: lowercase, no final period, user's words in `backticks`, details in help.
struct Diagnostic {
  DiagCode code;
  Severity severity;
  ast::Span span;
  std::string message;
  std::vector<Label> labels;  // secondary locations
  std::string help;           // "did you mean `dual_criminality`?"
  std::vector<Fix> fixes;
};

Diagnostic make_diag(DiagCode, ast::Span, std::string message, std::string help = {});

// The files a compilation read; spans index into it.
struct SourceFile {
  std::string path;
  std::string text;
  std::vector<uint32_t> line_starts;  // byte offset of each line
  void index_lines();
  // 1-based line and column (column in bytes + 1).
  std::pair<uint32_t, uint32_t> line_col(uint32_t offset) const;
};

struct SourceSet {
  std::vector<SourceFile> files;
  uint32_t add(std::string path, std::string text);
};

// `file:line:col: error[E0201]: message` + source line + caret + help.
std::string render_text(const SourceSet&, const Diagnostic&, bool color = false);
bool has_errors(const std::vector<Diagnostic>&);

}  // namespace comity

// diagnostics.cpp: code table lookups and the text renderer used by the CLI.
#include "comity/diagnostics.h"

#include <algorithm>
#include <fmt/format.h>

namespace comity {

namespace {
struct CodeInfo {
  std::string_view code;
  Severity severity;
  std::string_view summary;
};
constexpr CodeInfo kCodes[] = {
#define X(id, code, sev, summary) {code, Severity::sev, summary},
#include "comity/diagnostics.def"
#undef X
};
}  // namespace

std::string_view code_text(DiagCode c) { return kCodes[static_cast<size_t>(c)].code; }
Severity default_severity(DiagCode c) { return kCodes[static_cast<size_t>(c)].severity; }
std::string_view code_summary(DiagCode c) { return kCodes[static_cast<size_t>(c)].summary; }

Diagnostic make_diag(DiagCode code, ast::Span span, std::string message, std::string help) {
  Diagnostic d{code, default_severity(code), span, std::move(message), {}, std::move(help), {}};
  return d;
}

void SourceFile::index_lines() {
  line_starts.clear();
  line_starts.push_back(0);
  for (uint32_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts.push_back(i + 1);
}

std::pair<uint32_t, uint32_t> SourceFile::line_col(uint32_t offset) const {
  auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - line_starts.begin());  // 1-based
  uint32_t col = offset - line_starts[line - 1] + 1;
  return {line, col};
}

uint32_t SourceSet::add(std::string path, std::string text) {
  SourceFile f{std::move(path), std::move(text), {}};
  f.index_lines();
  files.push_back(std::move(f));
  return static_cast<uint32_t>(files.size() - 1);
}

static std::string_view severity_word(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
  }
  return "error";
}

std::string render_text(const SourceSet& sources, const Diagnostic& d, bool color) {
  std::string out;
  const char* bold = color ? "\x1b[1m" : "";
  const char* red = color ? (d.severity == Severity::error ? "\x1b[1;31m" : "\x1b[1;33m") : "";
  const char* reset = color ? "\x1b[0m" : "";
  if (d.span.file >= sources.files.size()) {
    out += fmt::format("{}{}[{}]{}: {}{}{}\n", red, severity_word(d.severity), code_text(d.code), reset, bold,
                       d.message, reset);
    if (!d.help.empty()) out += fmt::format("  = help: {}\n", d.help);
    return out;
  }
  const SourceFile& f = sources.files[d.span.file];
  auto [line, col] = f.line_col(std::min<uint32_t>(d.span.begin, static_cast<uint32_t>(f.text.size())));
  out += fmt::format("{}:{}:{}: {}{}[{}]{}: {}{}{}\n", f.path, line, col, red, severity_word(d.severity),
                     code_text(d.code), reset, bold, d.message, reset);
  uint32_t ls = f.line_starts[line - 1];
  uint32_t le = line < f.line_starts.size() ? f.line_starts[line] - 1 : static_cast<uint32_t>(f.text.size());
  std::string_view src(f.text.data() + ls, le - ls);
  uint32_t width = 1;
  if (d.span.end > d.span.begin) width = std::min<uint32_t>(d.span.end - d.span.begin, le - ls - (col - 1));
  if (width == 0) width = 1;
  out += fmt::format("{:>5} | {}\n", line, src);
  out += fmt::format("      | {}{}{}{}\n", std::string(col - 1, ' '), red, std::string(width, '^'), reset);
  for (const auto& l : d.labels) {
    if (l.span.file >= sources.files.size()) continue;
    const SourceFile& lf = sources.files[l.span.file];
    auto [ll, lc] = lf.line_col(l.span.begin);
    out += fmt::format("  = note: {}:{}:{}: {}\n", lf.path, ll, lc, l.message);
  }
  if (!d.help.empty()) out += fmt::format("  = help: {}\n", d.help);
  return out;
}

bool has_errors(const std::vector<Diagnostic>& ds) {
  return std::any_of(ds.begin(), ds.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
}

}  // namespace comity

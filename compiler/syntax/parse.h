// parse.h: text → ast::Module + diagnostics, and the comments of a file. Knows nothing of ANTLR, bytecode or LSP.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ast/ast.h"
#include "comity/diagnostics.h"

namespace comity::syntax {

struct ParseResult {
  ast::Module module;
  std::vector<Diagnostic> diagnostics;  // in source order; never stops at the first error
};

// Parses sources.files[file_index]. Never throws on user input (any bytes, any prefix of a
// file): what cannot be read becomes ast::ErrorExpr / Kind::error nodes plus a diagnostic.
// Every span is a byte range into SourceFile::text.
ParseResult parse(const SourceSet& sources, uint32_t file_index);

// A `// …` or `/* … */` comment, text as written (delimiters included), for the formatter.
struct Comment {
  ast::Span span;
  std::string text;
};
std::vector<Comment> comments(const SourceSet& sources, uint32_t file_index);

}  // namespace comity::syntax

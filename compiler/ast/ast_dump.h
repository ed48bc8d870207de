// ast_dump.h: a stable, indented S-expression text of the AST, for tests and debugging. Knows nothing of ANTLR.
#pragma once
#include <string>

#include "ast/ast.h"

namespace comity::ast {

struct DumpOptions {
  bool spans = false;  // append `@begin..end` (byte offsets) to every node head
};

// Declarations and clauses one per line, indented by two spaces; expressions on one line.
std::string dump(const Module& module, DumpOptions options = {});
std::string dump(const Expr& expr, DumpOptions options = {});
std::string dump(const TypeRef& type, DumpOptions options = {});

}  // namespace comity::ast

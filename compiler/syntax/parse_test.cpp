// parse_test.cpp: table-driven tests of the syntax layer (text → AST dump + located diagnostics).
#include <catch2/catch.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "ast/ast_dump.h"
#include "syntax/parse.h"

using namespace comity;

TEST_CASE("sketch dump") {
  std::ifstream in(COMITY_SOURCE_DIR "/docs/syntax-sketch.comity");
  std::stringstream ss;
  ss << in.rdbuf();
  SourceSet set;
  set.add("sketch.comity", ss.str());
  auto r = syntax::parse(set, 0);
  std::cout << ast::dump(r.module);
  for (auto& d : r.diagnostics) std::cout << render_text(set, d);
  CHECK(r.diagnostics.empty());
}

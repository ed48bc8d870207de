// disasm.h: a Program as readable text — identity, schema, constants, articles, clauses and every block's
// instructions with symbolic comments and source lines. For `comity disasm`, codegen tests and debugging.
// Knows nothing of the bundle's byte layout; safe (if less informative) on a program that fails verify().
#pragma once
#include <string>

#include "comity/program.h"

namespace comity {

std::string disassemble(const Program& program);

}  // namespace comity

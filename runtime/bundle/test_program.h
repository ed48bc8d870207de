// test_program.h: a small but complete hand-built Program (schema with an enum, a nested record and a list
// of records, optional facts, constants, two blocks, clauses with an exception, a holiday calendar) and a
// tiny assembler for writing test bytecode. Test-only; knows nothing of the compiler.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "comity/opcodes.h"
#include "comity/program.h"

namespace comity::test {

// Appends instructions to a Program's code and keeps the source map in step.
class Assembler {
public:
  explicit Assembler(Program& program) : p_(program) {}

  uint32_t here() const { return static_cast<uint32_t>(p_.code.size()); }
  uint32_t op(Op op, uint16_t a = 0, uint16_t b = 0) { return encode(p_.code, Instr{op, 0, a, b, 0}); }
  // A forward jump to be patched by land(); returns its offset.
  uint32_t jump(Op op, uint16_t a = 0) { return encode(p_.code, Instr{op, 0, a, 0, 0}); }
  // Points the jump at `at` to the current end of code.
  void land(uint32_t at) {
    const uint32_t next = at + static_cast<uint32_t>(instruction_size(static_cast<Op>(p_.code[at])));
    patch_jump(p_.code, at, static_cast<int16_t>(here() - next));
  }
  // LOOP back to the ITER_NEXT at `head`.
  void loop(uint32_t head) {
    const int32_t delta = static_cast<int32_t>(head) - static_cast<int32_t>(here() + 3);
    encode(p_.code, Instr{Op::LOOP, 0, 0, 0, static_cast<int16_t>(delta)});
  }
  void line(uint32_t n) { p_.source_map.push_back(SourcePos{here(), n, 3}); }

private:
  Program& p_;
};

// Slots of the root record `Request` and constants of the test program, for tests that write code.
namespace slots {
inline constexpr uint16_t measures = 0, offence_fiscal = 1, offence_dual = 2, received = 3, urgent = 4,
                          immunity = 5, executing_state = 6, today = 7, max_penalty = 8;
}
namespace constants {
inline constexpr uint16_t state_nl = 0, coercive_kinds = 1, a_date = 2, thirty_days = 3, zero = 4, hearing = 5,
                          three_years = 6, an_instant = 7, ratio = 8;
}
// Records: 0 Request (root), 1 Offence, 2 Measure. Clauses: 0 refusal (item), 1 exception to 0 (item),
// 2 deadline (request), 3 review (request).

// Builds the test program. When `request` is given it writes the request block instead of the standard
// one (locals stay [list of Measure, integer, Measure], max_stack 8).
Program make_test_program(const std::function<void(Assembler&)>& request = {});

}  // namespace comity::test

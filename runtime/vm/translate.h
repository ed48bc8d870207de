// translate.h: the VM's internal form of a verified program — instructions decoded once, jump targets
// resolved to indices, and frequent sequences fused into superinstructions. Built per thread in
// VmState::prepare; never serialised (the bundle keeps the simple, verifiable bytecode). Internal.
#pragma once
#include <cstdint>
#include <vector>

#include "comity/opcodes.h"
#include "comity/program.h"

namespace comity::vm {

enum class XOp : uint8_t {
#define OP(name, layout, pops, pushes, doc) name,
#include "comity/opcodes.def"
#undef OP
  // Superinstructions, each equal to the sequence it replaces (never across a jump target):
  AND_NOT,            // NOT; AND
  AND_NOT_STATUS,     // LOAD_STATUS a; NOT; AND
  LOAD_LOCAL_FIELD,   // LOAD_LOCAL x; LOAD_FIELD a
  CMP_CONST,          // CONST b; CMP x a        (x = CmpOp, a = Type)
  IS_KNOWN_INPUT,     // LOAD_INPUT a; IS_KNOWN
  STORE_STATUS_JUT,   // STORE_STATUS a; LOAD_STATUS a; JUMP_UNLESS_TRUE b
  INPUT_JF,           // LOAD_INPUT a; JUMP_IF_FALSE_KEEP b
  LOCAL_FIELD_JF,     // LOAD_LOCAL x; LOAD_FIELD a; JUMP_IF_FALSE_KEEP b
  INPUT_STORE,        // LOAD_INPUT a; STORE_STATUS b
  INPUT_NOT,          // LOAD_INPUT a; NOT
  CMP_CONST_STORE,    // CONST (b & 0xffff); CMP x a; STORE_STATUS (b >> 16)
  LOCAL_FIELD_CMP_CONST,  // LOAD_LOCAL x; LOAD_FIELD a; CONST (b & 0xffff); CMP ((b >> 16) & 0xff) (b >> 24)
  kCount,
};

struct XInstr {
  XOp op;
  uint8_t x = 0;   // small operand: local, CmpOp, period types
  uint16_t a = 0;  // operand: slot, constant, clause, field offset, Type
  int32_t b = 0;   // jump target (instruction index), or a second operand (constant index)
};

struct Translated {
  std::vector<XInstr> code;
  std::vector<uint32_t> origin;  // code index → offset of the first original instruction (for faults)
  uint32_t request_entry = 0, item_entry = 0;
};

// Translates both blocks of a verified program.
void translate(const Program& program, Translated& out);

}  // namespace comity::vm

// opcodes.h: the opcode enum, names, operand layouts, encoder and decoder, all generated from opcodes.def.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace comity {

enum class Layout : uint8_t {
#define LAYOUT(name, size) name,
#include "operands.def"
#undef LAYOUT
};

inline constexpr uint8_t layout_size(Layout l) {
  switch (l) {
#define LAYOUT(name, size) case Layout::name: return size;
#include "operands.def"
#undef LAYOUT
  }
  return 0;
}

enum class Op : uint8_t {
#define OP(name, layout, pops, pushes, doc) name,
#include "opcodes.def"
#undef OP
};

inline constexpr size_t kOpCount = 0
#define OP(name, layout, pops, pushes, doc) +1
#include "opcodes.def"
#undef OP
    ;

struct OpInfo {
  std::string_view name;
  Layout layout;
  uint8_t pops;
  uint8_t pushes;
  std::string_view doc;
};

inline constexpr OpInfo kOpInfo[] = {
#define OP(name, layout, pops, pushes, doc) {#name, Layout::layout, pops, pushes, doc},
#include "opcodes.def"
#undef OP
};

inline constexpr const OpInfo& op_info(Op op) { return kOpInfo[static_cast<size_t>(op)]; }
inline constexpr size_t instruction_size(Op op) { return 1 + layout_size(op_info(op).layout); }

enum class CmpOp : uint8_t { eq, ne, lt, le, gt, ge };
inline constexpr std::string_view cmp_name(CmpOp c) {
  switch (c) {
    case CmpOp::eq: return "eq";
    case CmpOp::ne: return "ne";
    case CmpOp::lt: return "lt";
    case CmpOp::le: return "le";
    case CmpOp::gt: return "gt";
    case CmpOp::ge: return "ge";
  }
  return "?";
}

// One decoded instruction. Operands are little-endian in the code stream.
struct Instr {
  Op op;
  uint32_t offset;  // of the opcode byte
  uint16_t a = 0;   // U8, U16, first of U8U8, local of U8J
  uint16_t b = 0;   // second of U8U8
  int16_t jump = 0; // J, U8J
  uint32_t next() const { return offset + static_cast<uint32_t>(instruction_size(op)); }
};

// Decodes the instruction at `offset`; nullopt if the opcode is unknown or the operands run past `size`.
inline std::optional<Instr> decode(const uint8_t* code, size_t size, uint32_t offset) {
  if (offset >= size || code[offset] >= kOpCount) return std::nullopt;
  Instr in{static_cast<Op>(code[offset]), offset};
  const Layout l = op_info(in.op).layout;
  if (offset + 1 + static_cast<size_t>(layout_size(l)) > size) return std::nullopt;
  const uint8_t* p = code + offset + 1;
  switch (l) {
    case Layout::NONE: break;
    case Layout::U8: in.a = p[0]; break;
    case Layout::U16: in.a = static_cast<uint16_t>(p[0] | (p[1] << 8)); break;
    case Layout::U8U8: in.a = p[0]; in.b = p[1]; break;
    case Layout::J: in.jump = static_cast<int16_t>(static_cast<uint16_t>(p[0] | (p[1] << 8))); break;
    case Layout::U8J: in.a = p[0]; in.jump = static_cast<int16_t>(static_cast<uint16_t>(p[1] | (p[2] << 8))); break;
  }
  return in;
}

// Appends an instruction; returns the offset of its opcode byte.
inline uint32_t encode(std::vector<uint8_t>& out, const Instr& in) {
  const uint32_t at = static_cast<uint32_t>(out.size());
  out.push_back(static_cast<uint8_t>(in.op));
  auto u16 = [&](uint16_t v) { out.push_back(static_cast<uint8_t>(v & 0xff)); out.push_back(static_cast<uint8_t>(v >> 8)); };
  switch (op_info(in.op).layout) {
    case Layout::NONE: break;
    case Layout::U8: out.push_back(static_cast<uint8_t>(in.a)); break;
    case Layout::U16: u16(in.a); break;
    case Layout::U8U8: out.push_back(static_cast<uint8_t>(in.a)); out.push_back(static_cast<uint8_t>(in.b)); break;
    case Layout::J: u16(static_cast<uint16_t>(in.jump)); break;
    case Layout::U8J: out.push_back(static_cast<uint8_t>(in.a)); u16(static_cast<uint16_t>(in.jump)); break;
  }
  return at;
}

// Rewrites the jump operand of the instruction at `at` (for forward-jump patching).
inline void patch_jump(std::vector<uint8_t>& out, uint32_t at, int16_t jump) {
  const Op op = static_cast<Op>(out[at]);
  const size_t pos = at + 1 + (op_info(op).layout == Layout::U8J ? 1 : 0);
  out[pos] = static_cast<uint8_t>(static_cast<uint16_t>(jump) & 0xff);
  out[pos + 1] = static_cast<uint8_t>(static_cast<uint16_t>(jump) >> 8);
}

}  // namespace comity

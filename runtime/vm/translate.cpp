// translate.cpp: verified bytecode → the VM's decoded, fused internal form (see translate.h).
#include "translate.h"

#include <unordered_map>
#include <unordered_set>

namespace comity::vm {

namespace {

void translate_block(const Program& program, const Block& block, Translated& out) {
  const uint8_t* code = program.code.data();
  const size_t end = static_cast<size_t>(block.offset) + block.length;
  std::vector<Instr> ins;
  std::unordered_set<uint32_t> targets;
  for (uint32_t pc = block.offset; pc < end;) {
    auto in = decode(code, end, pc);
    if (!in) break;  // cannot happen on a verified program
    ins.push_back(*in);
    if (in->op == Op::JUMP || in->op == Op::JUMP_IF_FALSE_KEEP || in->op == Op::JUMP_IF_TRUE_KEEP ||
        in->op == Op::JUMP_UNLESS_TRUE || in->op == Op::ITER_NEXT || in->op == Op::LOOP)
      targets.insert(static_cast<uint32_t>(static_cast<int64_t>(in->next()) + in->jump));
    pc = in->next();
  }
  std::unordered_map<uint32_t, uint32_t> index_of;  // original offset → translated index
  std::vector<std::pair<size_t, uint32_t>> fixups;  // translated index → original target offset
  auto free_of_targets = [&](size_t from, size_t count) {
    for (size_t k = from; k < from + count; ++k)
      if (k >= ins.size() || targets.count(ins[k].offset)) return false;
    return true;
  };
  for (size_t i = 0; i < ins.size();) {
    const Instr& in = ins[i];
    index_of[in.offset] = static_cast<uint32_t>(out.code.size());
    out.origin.push_back(in.offset);
    auto at = [&](size_t k, Op op) { return k < ins.size() && ins[k].op == op; };
    XInstr x{static_cast<XOp>(in.op)};
    size_t used = 1;
    auto jump_target = [&](size_t k) {
      return static_cast<uint32_t>(static_cast<int64_t>(ins[k].next()) + ins[k].jump);
    };
    if (in.op == Op::LOAD_LOCAL && at(i + 1, Op::LOAD_FIELD) && at(i + 2, Op::CONST) && at(i + 3, Op::CMP) &&
        free_of_targets(i + 1, 3)) {
      x = {XOp::LOCAL_FIELD_CMP_CONST, static_cast<uint8_t>(in.a), ins[i + 1].a,
           static_cast<int32_t>(static_cast<uint32_t>(ins[i + 2].a) | (static_cast<uint32_t>(ins[i + 3].a) << 16) |
                                (static_cast<uint32_t>(ins[i + 3].b) << 24))};
      used = 4;
    } else if (in.op == Op::LOAD_LOCAL && at(i + 1, Op::LOAD_FIELD) && at(i + 2, Op::JUMP_IF_FALSE_KEEP) &&
               free_of_targets(i + 1, 2)) {
      x = {XOp::LOCAL_FIELD_JF, static_cast<uint8_t>(in.a), ins[i + 1].a, 0};
      fixups.emplace_back(out.code.size(), jump_target(i + 2));
      used = 3;
    } else if (in.op == Op::CONST && at(i + 1, Op::CMP) && at(i + 2, Op::STORE_STATUS) && free_of_targets(i + 1, 2)) {
      x = {XOp::CMP_CONST_STORE, static_cast<uint8_t>(ins[i + 1].a), ins[i + 1].b,
           static_cast<int32_t>(static_cast<uint32_t>(in.a) | (static_cast<uint32_t>(ins[i + 2].a) << 16))};
      used = 3;
    } else if (in.op == Op::LOAD_INPUT && at(i + 1, Op::JUMP_IF_FALSE_KEEP) && free_of_targets(i + 1, 1)) {
      x = {XOp::INPUT_JF, 0, in.a, 0};
      fixups.emplace_back(out.code.size(), jump_target(i + 1));
      used = 2;
    } else if (in.op == Op::LOAD_INPUT && at(i + 1, Op::STORE_STATUS) && free_of_targets(i + 1, 1)) {
      x = {XOp::INPUT_STORE, 0, in.a, static_cast<int32_t>(ins[i + 1].a)};
      used = 2;
    } else if (in.op == Op::LOAD_INPUT && at(i + 1, Op::NOT) && !at(i + 2, Op::AND) && free_of_targets(i + 1, 1)) {
      x = {XOp::INPUT_NOT, 0, in.a, 0};
      used = 2;
    } else if (in.op == Op::LOAD_STATUS && at(i + 1, Op::NOT) && at(i + 2, Op::AND) && free_of_targets(i + 1, 2)) {
      x = {XOp::AND_NOT_STATUS, 0, in.a, 0};
      used = 3;
    } else if (in.op == Op::NOT && at(i + 1, Op::AND) && free_of_targets(i + 1, 1)) {
      x = {XOp::AND_NOT, 0, 0, 0};
      used = 2;
    } else if (in.op == Op::LOAD_LOCAL && at(i + 1, Op::LOAD_FIELD) && free_of_targets(i + 1, 1)) {
      x = {XOp::LOAD_LOCAL_FIELD, static_cast<uint8_t>(in.a), ins[i + 1].a, 0};
      used = 2;
    } else if (in.op == Op::CONST && at(i + 1, Op::CMP) && free_of_targets(i + 1, 1)) {
      x = {XOp::CMP_CONST, static_cast<uint8_t>(ins[i + 1].a), ins[i + 1].b, in.a};
      used = 2;
    } else if (in.op == Op::LOAD_INPUT && at(i + 1, Op::IS_KNOWN) && free_of_targets(i + 1, 1)) {
      x = {XOp::IS_KNOWN_INPUT, 0, in.a, 0};
      used = 2;
    } else if (in.op == Op::STORE_STATUS && at(i + 1, Op::LOAD_STATUS) && ins[i + 1].a == in.a &&
               at(i + 2, Op::JUMP_UNLESS_TRUE) && free_of_targets(i + 1, 2)) {
      x = {XOp::STORE_STATUS_JUT, 0, in.a, 0};
      fixups.emplace_back(out.code.size(), static_cast<uint32_t>(static_cast<int64_t>(ins[i + 2].next()) + ins[i + 2].jump));
      used = 3;
    } else {
      x.a = in.a;
      x.x = static_cast<uint8_t>(in.op == Op::CMP ? in.a : in.op == Op::PERIOD_END ? in.a : in.b);
      if (in.op == Op::CMP) x.a = in.b;
      switch (in.op) {
        case Op::JUMP:
        case Op::JUMP_IF_FALSE_KEEP:
        case Op::JUMP_IF_TRUE_KEEP:
        case Op::JUMP_UNLESS_TRUE:
        case Op::ITER_NEXT:
        case Op::LOOP:
          fixups.emplace_back(out.code.size(), static_cast<uint32_t>(static_cast<int64_t>(in.next()) + in.jump));
          break;
        default: break;
      }
    }
    out.code.push_back(x);
    i += used;
  }
  for (const auto& [at, target] : fixups) {
    auto it = index_of.find(target);
    out.code[at].b = it == index_of.end() ? 0 : static_cast<int32_t>(it->second);
  }
}

}  // namespace

void translate(const Program& program, Translated& out) {
  out.code.clear();
  out.origin.clear();
  out.request_entry = 0;
  translate_block(program, program.request_block, out);
  out.item_entry = static_cast<uint32_t>(out.code.size());
  translate_block(program, program.item_block, out);
}

}  // namespace comity::vm

// vm_test_program.h: hand-built Programs for the binder, VM and decision tests (a tiny schema builder
// and assembler over encode()). Test-only; knows nothing of the compiler.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "comity/opcodes.h"
#include "comity/program.h"

namespace comity::testing {

struct FieldSpec {
  std::string name;
  StaticType type;
  bool optional = false;
};

class ProgramBuilder {
 public:
  ProgramBuilder();
  Program p;

  uint16_t add_enum(std::string name, std::vector<std::string> members);
  uint16_t add_record(std::string name, std::vector<FieldSpec> fields);  // records may refer to later ones
  // Lays out records from `root` (offsets, strides), assigns fact bits to optional fields in
  // declaration order and fills Schema::facts. Call after all records are added.
  void layout(uint16_t root);
  // The absolute root slot of a dotted path of nested records ("offence.fiscal").
  uint16_t slot(std::string_view dotted) const;
  // The offset of a field within a record (for LOAD_FIELD).
  uint16_t offset(uint16_t record, std::string_view field) const;
  int fact_bit(std::string_view path) const;  // -1 when the path has no fact

  uint16_t article(std::string citation, std::string title = "");
  uint16_t clause(ClauseKind kind, uint16_t article, std::string name = "", std::string reason = "", bool item_scope = false);
  uint16_t constant(Value v);
  uint16_t string_constant(std::string_view s);

  // An assembler for one block. Emits into p.code; finish() appends RET and fills the Block.
  class Asm {
   public:
    Asm(ProgramBuilder& b, Block& block);
    Asm& op(Op o, uint16_t a = 0, uint16_t b = 0);
    uint32_t jump(Op o, uint16_t a = 0);  // forward jump, patched by land()
    void land(uint32_t at);                 // patch a forward jump to here
    uint32_t here() const;
    void loop_to(uint32_t iter_next_at);
    void local(StaticType t);               // declares the next local
    void finish();

   private:
    ProgramBuilder& b_;
    Block& block_;
    int depth_ = 0, max_ = 0;
  };
  Asm request();
  Asm item();
};

}  // namespace comity::testing

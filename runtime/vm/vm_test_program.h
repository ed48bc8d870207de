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

// A miniature EIO policy used by the decision and allocation tests:
//   request: executing_state, received (date), urgent, immunity?, recognition_decided?, requested_deadline?,
//            as_of?, offence {penalty: duration, dual?: bool}, measures: list of {kind, coercive?, available?}
//   11(1)(a) refuse optional when immunity            11(4) obligation consult_issuing_authority when immunity
//   12(3) deadline recognition = received + 30 days, met by recognition_decided   (hard)
//   12(2) deadline recognition = requested_deadline when urgent (target; prevails over 12(3) if asked)
//   per measure: 11(1)(g) refuse optional when coercive and not dual; 10(1)(a) use other measure when
//   not available; 19 condition confidentiality when kind = interception
struct MiniEio {
  ProgramBuilder b;
  uint16_t measure = 0, kind = 0;
  uint16_t immunity = 0, consult = 0, recognition = 0, requested = 0, dual = 0, other = 0, confidentiality = 0;
};
void build_mini_eio(MiniEio& m, bool urgent_prevails);
std::string mini_eio_request();  // a complete request: two measures, everything known, outcome execute

}  // namespace comity::testing

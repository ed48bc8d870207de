// bundle_test.cpp: SHA-256 vectors, bundle round trips, corruption and truncation of every byte, and the
// verifier's rejections (control flow, types, stack, schema, constants, clauses), on the hand-built program.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include <fmt/format.h>

#include "bundle/disasm.h"
#include "bundle/format.h"
#include "bundle/sha256.h"
#include "bundle/test_program.h"
#include "comity/bundle.h"

using namespace comity;
using comity::test::Assembler;
using comity::test::make_test_program;
namespace slots = comity::test::slots;
namespace k = comity::test::constants;

namespace {

std::string sha_hex(std::string_view s) {
  return hash_hex(bundle::sha256(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}

LoadResult load(const std::vector<uint8_t>& bytes) { return load_bundle(bytes.data(), bytes.size()); }

// Recomputes the header's body length and hash, as an attacker who edits a bundle would.
void reseal(std::vector<uint8_t>& bytes) {
  const uint32_t length = static_cast<uint32_t>(bytes.size() - kBundleHeaderSize);
  for (int i = 0; i < 4; ++i) bytes[12 + static_cast<size_t>(i)] = static_cast<uint8_t>(length >> (8 * i));
  const auto digest = bundle::sha256(bytes.data() + kBundleHeaderSize, length);
  std::memcpy(bytes.data() + 16, digest.data(), digest.size());
}

// The offset of a section's id byte in a written bundle.
size_t section_at(const std::vector<uint8_t>& bytes, bundle::Section id) {
  for (size_t pos = kBundleHeaderSize; pos + 5 <= bytes.size();) {
    const uint32_t len = uint32_t{bytes[pos + 1]} | (uint32_t{bytes[pos + 2]} << 8) | (uint32_t{bytes[pos + 3]} << 16) |
                         (uint32_t{bytes[pos + 4]} << 24);
    if (bytes[pos] == static_cast<uint8_t>(id)) return pos;
    pos += 5 + len;
  }
  FAIL("section not found");
  return 0;
}

// The program must fail verify() with `needle` in the message, and a bundle of it with a valid hash must
// fail to load with the same message.
void expect_rejected(Program p, const std::string& needle) {
  const std::string error = verify(p);
  INFO("verify: " << error);
  CHECK_THAT(error, Catch::Contains(needle));
  const std::vector<uint8_t> bytes = write_bundle(p);
  const LoadResult loaded = load(bytes);
  INFO("load: " << loaded.error);
  CHECK_FALSE(loaded.ok());
  CHECK_THAT(loaded.error, Catch::Contains(needle));
}

Program with_request(const std::function<void(Assembler&)>& code) { return make_test_program(code); }

uint16_t t(Type type) { return static_cast<uint16_t>(type); }
uint16_t c(CmpOp op) { return static_cast<uint16_t>(op); }

}  // namespace

TEST_CASE("sha256 matches the FIPS 180-4 test vectors") {
  CHECK(sha_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu") ==
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  // One million 'a', fed in uneven pieces through the incremental interface.
  bundle::Sha256 h;
  const std::string piece(997, 'a');
  size_t left = 1'000'000;
  while (left > 0) {
    const size_t n = std::min(left, piece.size());
    h.update(reinterpret_cast<const uint8_t*>(piece.data()), n);
    left -= n;
  }
  CHECK(hash_hex(h.finish()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("the hand-built program verifies") {
  const Program p = make_test_program();
  CHECK(verify(p) == "");
}

TEST_CASE("write, load, write gives identical bytes and disassembly") {
  Program p = make_test_program();
  const std::vector<uint8_t> first = write_bundle(p);
  REQUIRE(first.size() > kBundleHeaderSize);
  CHECK(std::memcmp(first.data(), "CMTYBNDL", 8) == 0);
  const LoadResult loaded = load(first);
  INFO(loaded.error);
  REQUIRE(loaded.ok());
  CHECK(loaded.error.empty());
  CHECK(loaded.program->content_hash == p.content_hash);

  Program copy = *loaded.program;
  const std::vector<uint8_t> second = write_bundle(copy);
  CHECK(second == first);
  CHECK(copy.content_hash == p.content_hash);
  CHECK(disassemble(*loaded.program) == disassemble(p));

  // What survived, spot-checked.
  const Program& q = *loaded.program;
  CHECK(q.name == p.name);
  CHECK(q.calendars.size() == 1);
  CHECK(q.calendars[0].code() == "NL");
  CHECK(q.calendars[0].holiday_name(q.calendars[0].holidays()[1]) == "New Year's Day");
  CHECK(q.clauses[1].targets == std::vector<uint16_t>{0});
  CHECK(q.string_at(q.constants[k::state_nl]) == "NL");
  CHECK(q.code == p.code);
}

TEST_CASE("disassembly names fields, constants, clauses, jump targets and lines") {
  Program p = make_test_program();
  write_bundle(p);
  const std::string text = disassemble(p);
  INFO(text);
  CHECK_THAT(text, Catch::Contains("policy eio_test"));
  CHECK_THAT(text, Catch::Contains("hash " + hash_hex(p.content_hash)));
  CHECK_THAT(text, Catch::Contains("Measure.offence.dual_criminality"));
  CHECK_THAT(text, Catch::Contains("offence.fiscal"));
  CHECK_THAT(text, Catch::Contains("string \"NL\""));
  CHECK_THAT(text, Catch::Contains("set of MeasureKind {search, interception}"));
  CHECK_THAT(text, Catch::Contains("date 2026-01-17"));
  CHECK_THAT(text, Catch::Contains("duration P30D"));
  CHECK_THAT(text, Catch::Contains("decimal -2.500000"));
  CHECK_THAT(text, Catch::Contains("exception art 11(1)(g) \"listed offence\""));
  CHECK_THAT(text, Catch::Contains("excepts [0]"));
  CHECK_THAT(text, Catch::Contains("ge duration"));
  CHECK_THAT(text, Catch::Contains("date -> date"));
  CHECK_THAT(text, Catch::Contains("(line 21)"));
  CHECK_THAT(text, Catch::Contains("iterator 0, done -> "));
  CHECK_THAT(text, Catch::Contains("calendar NL 2025-2026, 2 holidays"));
}

TEST_CASE("flipping any byte of a bundle is detected") {
  Program p = make_test_program();
  const std::vector<uint8_t> good = write_bundle(p);
  size_t failures = 0;
  for (uint8_t mask : {uint8_t{0xff}, uint8_t{0x01}}) {
    for (size_t i = 0; i < good.size(); ++i) {
      std::vector<uint8_t> bad = good;
      bad[i] ^= mask;
      const LoadResult r = load(bad);
      if (!r.ok() && !r.error.empty()) ++failures;
      else FAIL_CHECK("byte " << i << " xor " << int{mask} << " was accepted");
    }
  }
  CHECK(failures == 2 * good.size());
}

TEST_CASE("every truncation of a bundle is rejected, and so are trailing bytes") {
  Program p = make_test_program();
  const std::vector<uint8_t> good = write_bundle(p);
  for (size_t n = 0; n < good.size(); ++n) {
    const LoadResult r = load_bundle(good.data(), n);
    if (r.ok() || r.error.empty()) FAIL_CHECK("truncation to " << n << " bytes was accepted");
  }
  CHECK_FALSE(load_bundle(nullptr, 0).ok());
  std::vector<uint8_t> longer = good;
  longer.push_back(0);
  CHECK_THAT(load(longer).error, Catch::Contains("body"));
  reseal(longer);  // even with a matching hash, a stray byte after the last section is refused
  CHECK_FALSE(load(longer).ok());
}

TEST_CASE("a resealed bundle with any byte changed never crashes the loader") {
  // The hash only proves integrity, not good faith: parse + verify must hold on hostile bodies too.
  Program p = make_test_program();
  const std::vector<uint8_t> good = write_bundle(p);
  size_t rejected = 0;
  for (uint8_t mask : {uint8_t{0xff}, uint8_t{0x01}, uint8_t{0x80}}) {
    for (size_t i = kBundleHeaderSize; i < good.size(); ++i) {
      std::vector<uint8_t> bad = good;
      bad[i] ^= mask;
      reseal(bad);
      const LoadResult r = load(bad);
      if (!r.ok()) {
        ++rejected;
        CHECK(!r.error.empty());
      }
    }
  }
  CHECK(rejected > 0);  // most edits are caught; the rest are different but valid programs
}

TEST_CASE("random resealed edits (bytes changed, inserted, removed) never crash the loader") {
  Program p = make_test_program();
  const std::vector<uint8_t> good = write_bundle(p);
  uint64_t state = 0x9e3779b97f4a7c15u;
  auto next = [&](uint64_t bound) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state % bound;
  };
  size_t rejected = 0;
  const int rounds = 4000;
  for (int round = 0; round < rounds; ++round) {
    std::vector<uint8_t> bad = good;
    const int edits = 1 + static_cast<int>(next(4));
    for (int e = 0; e < edits; ++e) {
      const size_t at = kBundleHeaderSize + next(bad.size() - kBundleHeaderSize);
      switch (next(4)) {
        case 0: bad[at] = static_cast<uint8_t>(next(256)); break;
        case 1: bad[at] = 0xff; break;
        case 2: bad.insert(bad.begin() + static_cast<long>(at), static_cast<uint8_t>(next(256))); break;
        default: if (bad.size() > kBundleHeaderSize + 1) bad.erase(bad.begin() + static_cast<long>(at)); break;
      }
    }
    reseal(bad);
    const LoadResult r = load(bad);
    if (!r.ok()) ++rejected;
    if (r.ok()) {
      CHECK(verify(*r.program).empty());
      CHECK_FALSE(disassemble(*r.program).empty());
    }
    else CHECK_FALSE(r.error.empty());
  }
  CHECK(rejected > rounds / 2);
}

TEST_CASE("verify and disassemble survive random code and block frames in memory") {
  const Program good = make_test_program();
  uint64_t state = 0x2545f4914f6cdd1du;
  auto next = [&](uint64_t bound) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state % bound;
  };
  size_t rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    Program p = good;
    for (int e = 0; e < 3; ++e) p.code[next(p.code.size())] = static_cast<uint8_t>(next(256));
    if (next(8) == 0) p.request_block.length = static_cast<uint32_t>(next(200));
    if (next(8) == 0) p.item_block.offset = static_cast<uint32_t>(next(200));
    if (next(8) == 0) p.request_block.locals.resize(next(4), StaticType{static_cast<Type>(next(11)), static_cast<uint16_t>(next(4))});
    const std::string error = verify(p);
    if (!error.empty()) ++rejected;
    const std::string text = disassemble(p);
    CHECK((error.empty() || text.find("DOES NOT VERIFY") != std::string::npos));
  }
  CHECK(rejected > 1500);
}

TEST_CASE("the header and section directory are checked") {
  Program p = make_test_program();
  const std::vector<uint8_t> good = write_bundle(p);
  SECTION("version") {
    std::vector<uint8_t> bad = good;
    bad[8] = 2;
    CHECK_THAT(load(bad).error, Catch::Contains("format version 2"));
  }
  SECTION("hash") {
    std::vector<uint8_t> bad = good;
    bad[kBundleHeaderSize + 7] ^= 1;
    CHECK_THAT(load(bad).error, Catch::Contains("content hash mismatch"));
  }
  SECTION("duplicate section") {
    std::vector<uint8_t> bad = good;
    const size_t at = section_at(bad, bundle::Section::string_pool);
    const size_t end = section_at(bad, bundle::Section::code);
    bad.insert(bad.end(), good.begin() + static_cast<long>(at), good.begin() + static_cast<long>(end));
    reseal(bad);
    CHECK_THAT(load(bad).error, Catch::Contains("duplicate string pool section"));
  }
  SECTION("missing section") {
    std::vector<uint8_t> bad = good;
    const size_t at = section_at(bad, bundle::Section::source_map);
    const size_t end = section_at(bad, bundle::Section::periods);
    bad.erase(bad.begin() + static_cast<long>(at), bad.begin() + static_cast<long>(end));
    reseal(bad);
    CHECK_THAT(load(bad).error, Catch::Contains("missing source map section"));
  }
  SECTION("unknown section") {
    std::vector<uint8_t> bad = good;
    bad.insert(bad.end(), {99, 0, 0, 0, 0});
    reseal(bad);
    CHECK_THAT(load(bad).error, Catch::Contains("unknown section id 99"));
  }
  SECTION("a hostile count cannot allocate") {
    std::vector<uint8_t> bad = good;
    const size_t at = section_at(bad, bundle::Section::constants) + 5;
    bad[at] = bad[at + 1] = bad[at + 2] = bad[at + 3] = 0xff;  // 4 billion constants
    reseal(bad);
    CHECK_THAT(load(bad).error, Catch::Contains("constant count 4294967295 cannot fit"));
  }
  SECTION("a constant with a bad tag is named with its offset") {
    std::vector<uint8_t> bad = good;
    const size_t at = section_at(bad, bundle::Section::constants) + 5 + 4 + 16 * 2;  // entry 2
    bad[at] = 77;
    reseal(bad);
    CHECK_THAT(load(bad).error, Catch::Contains(fmt::format("constant pool entry 2 has tag 77 (offset {:#x})", at)));
  }
}

TEST_CASE("jumps must land on instruction boundaries inside the block, forward") {
  SECTION("past the end") {
    Program p = with_request([](Assembler& a) {
      a.jump(Op::JUMP);
      a.op(Op::RET);
    });
    p.code[p.request_block.offset + 1] = 40;  // jump 40 bytes forward
    expect_rejected(p, fmt::format("request block @{:#x}: JUMP jumps to {:#x}, outside the block", p.request_block.offset,
                                   p.request_block.offset + 3 + 40));
  }
  SECTION("into the middle of an instruction") {
    Program p = with_request([](Assembler& a) {
      a.jump(Op::JUMP);
      a.op(Op::CONST, k::zero);
      a.op(Op::POP);
      a.op(Op::RET);
    });
    p.code[p.request_block.offset + 1] = 1;  // lands on CONST's operand
    expect_rejected(p, "JUMP jumps to " + fmt::format("{:#x}", p.request_block.offset + 4) + ", inside an instruction");
  }
  SECTION("backwards") {
    Program p = with_request([](Assembler& a) {
      a.op(Op::PUSH_TRUE);
      a.op(Op::POP);
      a.jump(Op::JUMP);
      a.op(Op::RET);
    });
    patch_jump(p.code, p.request_block.offset + 2, -5);
    expect_rejected(p, fmt::format("request block @{:#x}: JUMP jumps backwards", p.request_block.offset + 2));
  }
  SECTION("LOOP must return to an ITER_NEXT") {
    Program p = with_request([](Assembler& a) {
      const uint32_t start = a.here();
      a.op(Op::PUSH_TRUE);
      a.op(Op::POP);
      a.loop(start);
      a.op(Op::RET);
    });
    expect_rejected(p, "LOOP jumps to " + fmt::format("{:#x}", p.request_block.offset) + ", which is PUSH_TRUE, not ITER_NEXT");
  }
  SECTION("a loop may not re-initialise its own iterator") {
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::LOAD_INPUT, slots::measures);
                      a.op(Op::ITER_INIT, 0);
                      const uint32_t head = a.jump(Op::ITER_NEXT, 0);
                      a.op(Op::LOAD_INPUT, slots::measures);
                      a.op(Op::ITER_INIT, 0);
                      a.loop(head);
                      a.land(head);
                      a.op(Op::RET);
                    }),
                    "ITER_INIT 0 inside the loop over iterator 0");
  }
  SECTION("execution may not fall off the end") {
    Program p = with_request([](Assembler& a) {
      a.op(Op::LOAD_INPUT, slots::urgent);
      const uint32_t j = a.jump(Op::JUMP_UNLESS_TRUE);
      a.op(Op::RET);
      a.land(j);
      a.op(Op::PUSH_TRUE);
      a.op(Op::POP);
      a.op(Op::RET);
    });
    p.code.back() = static_cast<uint8_t>(Op::POP);  // replace the final RET
    const uint32_t last = static_cast<uint32_t>(p.code.size() - 1);
    expect_rejected(p, fmt::format("request block @{:#x}: the block must end with RET", last));
  }
  SECTION("unknown opcode") {
    Program p = with_request([](Assembler& a) {
      a.op(Op::PUSH_TRUE);
      a.op(Op::POP);
      a.op(Op::RET);
    });
    p.code[p.request_block.offset + 1] = 0xee;
    expect_rejected(p, fmt::format("request block @{:#x}: unknown opcode 0xee", p.request_block.offset + 1));
  }
  SECTION("an instruction straddling the end of the block") {
    Program p = with_request([](Assembler& a) {
      a.op(Op::CONST, k::zero);
      a.op(Op::POP);
      a.op(Op::RET);
    });
    p.request_block.length = 2;
    expect_rejected(p, fmt::format("request block @{:#x}: CONST runs past the end of the block", p.request_block.offset));
  }
}

TEST_CASE("type-confused code is rejected with the offset") {
  SECTION("CMP on mismatched types") {
    Program p = with_request([](Assembler& a) {
      a.op(Op::CONST, k::zero);
      a.op(Op::LOAD_INPUT, slots::received);
      a.op(Op::CMP, c(CmpOp::lt), t(Type::date));
      a.op(Op::POP);
      a.op(Op::RET);
    });
    expect_rejected(p, fmt::format("request block @{:#x}: CMP expects two `date` operands, found `integer`, `date`",
                                   p.request_block.offset + 6));
  }
  SECTION("CMP on records") {
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::PUSH_TRUE);
                      a.op(Op::PUSH_FALSE);
                      a.op(Op::CMP, c(CmpOp::eq), t(Type::list));
                      a.op(Op::POP);
                      a.op(Op::RET);
                    }),
                    "CMP cannot compare `list` values");
  }
  SECTION("CMP on enumerations of different enums") {
    Program p = with_request([](Assembler& a) {
      a.op(Op::CONST, k::hearing);
      a.op(Op::CONST, 9);
      a.op(Op::CMP, c(CmpOp::eq), t(Type::enumeration));
      a.op(Op::POP);
      a.op(Op::RET);
    });
    p.schema.enums.push_back(EnumType{"Other", {"x"}});
    p.constants.push_back(Value::enumeration(1, 0));
    expect_rejected(p, "CMP expects two `enumeration` operands, found `MeasureKind`, `Other`");
  }
  SECTION("PERIOD_END operand nibbles") {
    const uint16_t datetime_to_date = t(Type::datetime) | static_cast<uint16_t>(t(Type::date) << 4);
    Program ok = with_request([&](Assembler& a) {
      a.op(Op::CONST, k::an_instant);
      a.op(Op::CONST, k::thirty_days);
      a.op(Op::PERIOD_END, datetime_to_date);
      a.op(Op::STORE_VALUE, 2);
      a.op(Op::RET);
    });
    CHECK(verify(ok) == "");
    CHECK_THAT(disassemble(ok), Catch::Contains("datetime -> date"));
    expect_rejected(with_request([&](Assembler& a) {
                      a.op(Op::CONST, k::an_instant);
                      a.op(Op::CONST, k::thirty_days);
                      a.op(Op::PERIOD_END, datetime_to_date);
                      a.op(Op::CONST, k::an_instant);
                      a.op(Op::CMP, c(CmpOp::lt), t(Type::datetime));
                      a.op(Op::POP);
                      a.op(Op::RET);
                    }),
                    "CMP expects two `datetime` operands, found `date`, `datetime`");
    expect_rejected(with_request([&](Assembler& a) {
                      a.op(Op::CONST, k::a_date);
                      a.op(Op::CONST, k::thirty_days);
                      a.op(Op::PERIOD_END, static_cast<uint16_t>(t(Type::date) | (t(Type::integer) << 4)));
                      a.op(Op::POP);
                      a.op(Op::RET);
                    }),
                    "PERIOD_END result type operand 1 is not `date` or `datetime`");
  }
  SECTION("AND on an integer") {
    Program p = with_request([](Assembler& a) {
      a.op(Op::PUSH_TRUE);
      a.op(Op::CONST, k::zero);
      a.op(Op::AND);
      a.op(Op::POP);
      a.op(Op::RET);
    });
    expect_rejected(p, fmt::format("request block @{:#x}: AND expects two `boolean` operands, found `boolean`, `integer`",
                                   p.request_block.offset + 4));
  }
  SECTION("stack underflow") {
    Program p = with_request([](Assembler& a) {
      a.op(Op::PUSH_TRUE);
      a.op(Op::NOT);
      a.op(Op::OR);
      a.op(Op::RET);
    });
    expect_rejected(p, fmt::format("request block @{:#x}: stack underflow: OR pops 2, the stack holds 1",
                                   p.request_block.offset + 2));
  }
  SECTION("unbalanced stack at RET") {
    Program p = with_request([](Assembler& a) {
      a.op(Op::PUSH_TRUE);
      a.op(Op::RET);
    });
    expect_rejected(p, fmt::format("request block @{:#x}: RET with 1 value(s) left on the stack: [boolean]",
                                   p.request_block.offset + 1));
  }
  SECTION("LOAD_FIELD outside the record") {
    Program p = with_request([](Assembler& a) {
      a.op(Op::LOAD_INPUT, slots::measures);
      a.op(Op::ITER_INIT, 0);
      const uint32_t head = a.jump(Op::ITER_NEXT, 0);
      a.op(Op::LOAD_LOCAL, 2);
      a.op(Op::LOAD_FIELD, 4);  // Measure has stride 4
      a.op(Op::POP);
      a.loop(head);
      a.land(head);
      a.op(Op::RET);
    });
    expect_rejected(p, fmt::format("request block @{:#x}: LOAD_FIELD 4 is not a field slot of `Measure`",
                                   p.request_block.offset + 11));
  }
  SECTION("LOAD_FIELD on a non-record") {
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::LOAD_INPUT, slots::urgent);
                      a.op(Op::LOAD_FIELD, 0);
                      a.op(Op::POP);
                      a.op(Op::RET);
                    }),
                    "LOAD_FIELD expects a record, found `boolean`");
  }
  SECTION("LOAD_INPUT of a slot that is not a leaf") {
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::LOAD_INPUT, 9);
                      a.op(Op::POP);
                      a.op(Op::RET);
                    }),
                    "LOAD_INPUT 9 is not a field slot of the root record `Request`");
  }
  SECTION("IN_SET needs the set of the enum") {
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::CONST, k::coercive_kinds);
                      a.op(Op::CONST, k::hearing);
                      a.op(Op::IN_SET);
                      a.op(Op::POP);
                      a.op(Op::RET);
                    }),
                    "IN_SET expects an enumeration and a set of it, found `set of MeasureKind`, `MeasureKind`");
  }
  SECTION("PERIOD_END needs a start and a duration") {
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::CONST, k::an_instant);
                      a.op(Op::CONST, k::thirty_days);
                      a.op(Op::PERIOD_END, t(Type::date));
                      a.op(Op::POP);
                      a.op(Op::RET);
                    }),
                    "PERIOD_END expects `date`, `duration`, found `datetime`, `duration`");
  }
  SECTION("JUMP_UNLESS_TRUE needs a boolean") {
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::CONST, k::zero);
                      const uint32_t j = a.jump(Op::JUMP_UNLESS_TRUE);
                      a.land(j);
                      a.op(Op::RET);
                    }),
                    "JUMP_UNLESS_TRUE expects a `boolean`, found `integer`");
  }
  SECTION("paths that meet must agree on the stack") {
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::LOAD_INPUT, slots::urgent);
                      const uint32_t j = a.jump(Op::JUMP_UNLESS_TRUE);
                      a.op(Op::PUSH_TRUE);
                      a.land(j);
                      a.op(Op::RET);
                    }),
                    "paths meet with different stacks");
  }
  SECTION("max_stack is enforced") {
    Program p = with_request([](Assembler& a) {
      for (int i = 0; i < 9; ++i) a.op(Op::PUSH_TRUE);
      for (int i = 0; i < 9; ++i) a.op(Op::POP);
      a.op(Op::RET);
    });
    expect_rejected(p, "stack depth 9 exceeds max_stack 8");
  }
  SECTION("a local read before it is set") {
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::LOAD_LOCAL, 2);
                      a.op(Op::POP);
                      a.op(Op::RET);
                    }),
                    "LOAD_LOCAL reads local 2 before it is set");
  }
  SECTION("a constant index out of range") {
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::CONST, 200);
                      a.op(Op::POP);
                      a.op(Op::RET);
                    }),
                    "CONST 200 out of range");
  }
  SECTION("invalid type operand and comparison operator") {
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::CONST, k::zero);
                      a.op(Op::CONST, k::zero);
                      a.op(Op::ADD, 77);
                      a.op(Op::POP);
                      a.op(Op::RET);
                    }),
                    "ADD has invalid type operand 77");
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::CONST, k::zero);
                      a.op(Op::CONST, k::zero);
                      a.op(Op::CMP, 9, t(Type::integer));
                      a.op(Op::POP);
                      a.op(Op::RET);
                    }),
                    "CMP has invalid comparison operator 9");
  }
}

TEST_CASE("clause scope is enforced by the stores and loads") {
  SECTION("the request block may not store an item clause") {
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::PUSH_TRUE);
                      a.op(Op::STORE_STATUS, 0);
                      a.op(Op::RET);
                    }),
                    "STORE_STATUS 0 targets a clause in item scope from the request block");
  }
  SECTION("the request block may not read an item clause") {
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::LOAD_STATUS, 1);
                      a.op(Op::POP);
                      a.op(Op::RET);
                    }),
                    "LOAD_STATUS 1 reads an item-scope clause from the request block");
  }
  SECTION("STORE_VALUE needs a deadline and a date") {
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::CONST, k::a_date);
                      a.op(Op::STORE_VALUE, 3);
                      a.op(Op::RET);
                    }),
                    "STORE_VALUE 3 targets a clause that is not a deadline");
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::CONST, k::zero);
                      a.op(Op::STORE_EVENT, 2);
                      a.op(Op::RET);
                    }),
                    "STORE_EVENT expects a `date` or `datetime`, found `integer`");
  }
  SECTION("clause ids in range") {
    expect_rejected(with_request([](Assembler& a) {
                      a.op(Op::PUSH_TRUE);
                      a.op(Op::STORE_STATUS, 4);
                      a.op(Op::RET);
                    }),
                    "STORE_STATUS names clause 4, out of range (4 clauses)");
  }
}

TEST_CASE("schema, constants, clause table and slots are checked") {
  SECTION("a record containing itself inline") {
    Program p = make_test_program();
    p.schema.records.push_back(RecordType{"Loop", {{"self", {Type::record, 3}, false, 0, -1}}, 1});
    expect_rejected(p, "schema: record `Loop` contains itself inline");
  }
  SECTION("field beyond the stride") {
    Program p = make_test_program();
    p.schema.records[2].fields[1].offset = 4;
    expect_rejected(p, "field `coercive` at offset 4 (size 1) exceeds the stride 4");
  }
  SECTION("overlapping fields") {
    Program p = make_test_program();
    p.schema.records[2].fields[1].offset = 0;
    expect_rejected(p, "record `Measure` has fields overlapping at slot 0");
  }
  SECTION("fact bits unique and in range") {
    Program p = make_test_program();
    p.schema.records[2].fields[1].fact_bit = 0;
    expect_rejected(p, "fact bit 0 is used twice");
    p = make_test_program();
    p.schema.records[2].fields[1].fact_bit = 3;
    expect_rejected(p, "has fact bit 3 (3 facts)");
  }
  SECTION("enum member count") {
    Program p = make_test_program();
    p.schema.enums[0].members.resize(65, "x");
    expect_rejected(p, "enum `MeasureKind` has 65 members, at most 64");
  }
  SECTION("slots of the right type") {
    Program p = make_test_program();
    p.today_slot = slots::received + 1;  // urgent: a boolean
    expect_rejected(p, "today slot 4 holds `boolean`, expected `date`");
    p = make_test_program();
    p.items_slot = slots::received;
    expect_rejected(p, "items slot 3 holds `date`, expected `list of Measure`");
  }
  SECTION("constants") {
    Program p = make_test_program();
    p.constants[k::hearing].a = 3;
    expect_rejected(p, "constants: entry 5 has ordinal 3 of `MeasureKind` (3 members)");
    p = make_test_program();
    p.constants[k::coercive_kinds].b = 0b1000;
    expect_rejected(p, "set entry 1 has bits outside the 3 members");
    p = make_test_program();
    p.constants[k::state_nl].a = 100;
    expect_rejected(p, "string entry 0 (offset 0, length 100) lies outside");
    p = make_test_program();
    p.constants.push_back(Value::record(0, 1));
    expect_rejected(p, "entry 9 has tag 10, which cannot be a constant");
  }
  SECTION("clause table") {
    Program p = make_test_program();
    p.clauses[0].targets = {1};  // 0 excepts 1 excepts 0
    expect_rejected(p, "exceptions form a cycle");
    p = make_test_program();
    p.clauses[2].article = 9;
    expect_rejected(p, "clause 2 cites article 9 (2 articles)");
    p = make_test_program();
    p.clauses[3].prevails_over = {17};
    expect_rejected(p, "clause 3 prevails over clause 17, out of range");
  }
  SECTION("block frame") {
    Program p = make_test_program();
    p.item_block.locals[0] = {Type::record, 1};
    expect_rejected(p, "item block: local 0 must be the item record `Measure`");
    p = make_test_program();
    p.request_block.max_stack = 2000;
    expect_rejected(p, "max_stack 2000 exceeds the limit of 1024");
    p = make_test_program();
    p.request_block.length = 100000;
    expect_rejected(p, "lies outside the");
  }
}

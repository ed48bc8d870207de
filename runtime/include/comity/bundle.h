// bundle.h: the versioned `.comityb` format — serialise a Program, load and verify one from untrusted bytes.
// Knows nothing of source text, the compiler or the VM's internals.
//
// Layout (little-endian): "CMTYBNDL", u16 format version (kBundleVersion), u16 flags (0), u32 body
// length, 32-byte SHA-256 of the body, then the body: sections, each u8 id + u32 length, every known
// section exactly once (identity, schema, constants, string pool, code, blocks, articles, clauses,
// source map, periods). Strings are u32 length + bytes. Nothing may follow the body.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "comity/program.h"

namespace comity {

inline constexpr uint16_t kBundleVersion = 1;
inline constexpr size_t kBundleHeaderSize = 8 + 2 + 2 + 4 + 32;

// Serialises `program` (which should have passed verify()); sets program.content_hash to the SHA-256 of
// the body. Deterministic: the same program gives the same bytes.
std::vector<uint8_t> write_bundle(Program& program);

struct LoadResult {
  std::shared_ptr<const Program> program;  // null on error
  std::string error;  // "bundle: constant pool entry 12 has tag 77 (offset 0x1a4)"; empty on success
  bool ok() const { return program != nullptr; }
};

// Checks magic, version, length and hash, parses every section, then verify()s the program. Never
// throws, never reads outside [data, data + size), on any input. Allocation is bounded by a small
// multiple of `size`.
LoadResult load_bundle(const uint8_t* data, size_t size);

// Checks everything the VM relies on so that it can run without bounds or type checks (schema layout,
// constants, clause table, and each block's code by abstract interpretation). Empty string = ok;
// otherwise one message naming the block, the instruction offset (into Program::code) and the fault:
// "item block @0x2c: CMP expects two `date` operands, found `integer`, `date`".
std::string verify(const Program& program);

// Lowercase hex of a content hash (64 characters).
std::string hash_hex(const std::array<uint8_t, 32>& digest);

}  // namespace comity

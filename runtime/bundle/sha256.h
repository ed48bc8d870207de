// sha256.h: SHA-256 (FIPS 180-4) over byte buffers and hex rendering of digests. Knows nothing of bundles.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace comity::bundle {

using Digest = std::array<uint8_t, 32>;

// Incremental hasher: update() any number of times, then finish() once.
class Sha256 {
public:
  Sha256();
  void update(const uint8_t* data, size_t size);
  Digest finish();

private:
  void compress(const uint8_t* block);
  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

Digest sha256(const uint8_t* data, size_t size);

}  // namespace comity::bundle

namespace comity {
// Lowercase hex, 64 characters: how bundle hashes appear in the CLI, disassembly and the decision log.
std::string hash_hex(const std::array<uint8_t, 32>& digest);
}  // namespace comity

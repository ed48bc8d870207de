// corpus.h: a deterministic corpus of EIO-like request JSON texts (EIO-CONTRACT.md) for the benchmark and
// the VM-vs-native agreement test. Same seed → same texts on every platform: the engine is
// std::mt19937_64 (fully specified by the standard) and every draw goes through our own helpers, never
// through std::*_distribution (whose algorithms differ between standard libraries).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace comity::bench {

inline constexpr uint64_t kCorpusSeed = 20250522;

struct CorpusStats {
  size_t requests = 0, measures = 0, absent_booleans = 0, booleans = 0;
};

// `n` request texts. Each is one JSON object with keys in the contract's order. Roughly half of the
// requests are complete; in the others each optional fact is absent (or null) with probability 0.2, so
// about 10% of the optional facts are absent overall and some decisions are undetermined.
std::vector<std::string> generate_corpus(size_t n, uint64_t seed = kCorpusSeed, CorpusStats* stats = nullptr);

}  // namespace comity::bench

// binder.h: request JSON → Facts, driven by the program's input schema (strict: unknown keys, wrong
// types and malformed dates are errors naming the JSON path). Knows nothing of bytecode or decisions.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "comity/program.h"
#include "comity/vm.h"

namespace comity {

// Spare bytes a caller's buffer needs after the JSON text for the binder to parse it in place
// (simdjson's SIMDJSON_PADDING). With less, the binder copies the text into its own padded buffer.
inline constexpr size_t kJsonPadding = 64;

struct BindResult {
  bool ok = true;
  // `request.offence.issuing_max_penalty: expected an ISO 8601 duration such as "P3Y", found "3 years"`.
  // Empty when ok (no allocation on success).
  std::string error;
  explicit operator bool() const { return ok; }
};

// One binder per thread: it owns a reusable simdjson parser and scratch space. The Program must outlive
// it. After the first few requests, binding a request of a similar size does not allocate.
class Binder {
 public:
  explicit Binder(const Program& program);
  ~Binder();
  Binder(Binder&&) noexcept;
  Binder& operator=(Binder&&) noexcept;
  Binder(const Binder&) = delete;
  Binder& operator=(const Binder&) = delete;

  // Parses `json` (copied into a reused padded buffer) and fills `facts`.
  BindResult bind(std::string_view json, Facts& facts);
  // Parses in place when capacity - size >= kJsonPadding (the bytes past `size` must be readable, e.g.
  // a std::string's data() with capacity()); otherwise copies like bind().
  BindResult bind_buffer(const char* data, size_t size, size_t capacity, Facts& facts);
  // For tooling (test runner, CLI): serialises and binds through the same path.
  BindResult bind_from_nlohmann(const nlohmann::json& request, Facts& facts);

  const Program& program() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace comity

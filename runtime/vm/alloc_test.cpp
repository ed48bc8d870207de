// alloc_test.cpp: the hot path does not allocate — binding and evaluating a request 1000 times after a
// warm-up performs zero heap allocations. Replaces the global operator new for this test binary.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>

#include "comity/binder.h"
#include "comity/decision.h"
#include "vm_test_program.h"

namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};

void* allocate(std::size_t size) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* allocate_aligned(std::size_t size, std::align_val_t align) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  const std::size_t a = static_cast<std::size_t>(align);
  if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, std::align_val_t align) { return allocate_aligned(size, align); }
void* operator new[](std::size_t size, std::align_val_t align) { return allocate_aligned(size, align); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

using namespace comity;

TEST_CASE("steady-state binding and evaluation allocate nothing", "[alloc]") {
  testing::MiniEio eio;
  testing::build_mini_eio(eio, true);
  const Program& program = eio.b.p;
  // Requests that exercise grounds, undetermined items with missing facts, deadlines, priority,
  // obligations and conditions.
  const std::vector<std::string> requests = {
      testing::mini_eio_request(),
      R"({"executing_state": "NL", "received": "2025-03-03", "urgent": true, "requested_deadline": "2025-03-10",
          "as_of": "2025-03-12", "offence": {"penalty": "P3Y"},
          "measures": [{"kind": "interception", "coercive": true}, {"kind": "hearing", "available": false},
                       {"kind": "search_seizure", "coercive": true, "available": true}]})",
      R"({"executing_state": "NL", "received": "2025-03-03", "urgent": false, "immunity": true,
          "recognition_decided": "2025-03-20", "offence": {"penalty": "P2Y11M", "dual": false},
          "measures": [{"kind": "search_seizure", "coercive": true, "available": true}]})",
  };
  Binder binder(program);
  Facts facts;
  VmState state;
  Decision decision;
  auto once = [&](const std::string& json) {
    const BindResult r = binder.bind(json, facts);
    if (!r.ok) return false;
    evaluate(program, facts, state, decision);
    return !decision.failed;
  };
  for (int warm = 0; warm < 3; ++warm)
    for (const auto& r : requests) REQUIRE(once(r));

  allocations = 0;
  counting = true;
  bool ok = true;
  for (int i = 0; i < 1000; ++i) ok = once(requests[static_cast<size_t>(i) % requests.size()]) && ok;
  counting = false;
  CHECK(ok);
  CHECK(allocations.load() == 0);

  // The same for evaluation alone on a padded caller buffer bound in place.
  std::string padded = requests[1];
  padded.reserve(padded.size() + kJsonPadding);
  REQUIRE(binder.bind_buffer(padded.data(), padded.size(), padded.capacity(), facts).ok);
  evaluate(program, facts, state, decision);
  allocations = 0;
  counting = true;
  for (int i = 0; i < 1000; ++i) {
    ok = binder.bind_buffer(padded.data(), padded.size(), padded.capacity(), facts).ok && ok;
    evaluate(program, facts, state, decision);
  }
  counting = false;
  CHECK(ok);
  CHECK(decision.outcome == Outcome::undetermined);
  CHECK(allocations.load() == 0);
}

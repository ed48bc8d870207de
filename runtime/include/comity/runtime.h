// runtime.h: the facade a C++ embedder uses — bind a request, evaluate it, render the decision.
// One Engine per thread (its state is thread-confined); the Program it runs is shared and immutable.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "comity/binder.h"
#include "comity/decision.h"
#include "comity/program.h"
#include "comity/vm.h"

namespace comity {

class Engine {
 public:
  // `program` must have passed verify() (load_bundle() in bundle.h does this).
  explicit Engine(std::shared_ptr<const Program> program)
      : program_(std::move(program)), binder_(*program_) {
    state_.prepare(*program_);
  }
  // A second engine over the same program, for another thread.
  Engine fork() const { return Engine(program_); }

  const Program& program() const { return *program_; }
  const std::shared_ptr<const Program>& shared_program() const { return program_; }

  // Binds a request. On failure the error names the JSON path, and the decision (if evaluate() is
  // called anyway) reports it.
  BindResult bind(std::string_view request_json) { return remember(binder_.bind(request_json, facts_)); }
  BindResult bind_buffer(const char* data, size_t size, size_t capacity) {
    return remember(binder_.bind_buffer(data, size, capacity, facts_));
  }
  BindResult bind(const nlohmann::json& request) { return remember(binder_.bind_from_nlohmann(request, facts_)); }

  // Evaluates the last bound request. The reference stays valid until the next evaluate().
  const Decision& evaluate(bool explain = false) {
    if (!bound_) fail_decision(decision_, bind_error_.empty() ? "no request bound" : bind_error_);
    else comity::evaluate(*program_, facts_, state_, decision_, explain);
    return decision_;
  }
  // bind + evaluate; a binding error becomes the decision's error.
  const Decision& decide(std::string_view request_json, bool explain = false) {
    bind(request_json);
    return evaluate(explain);
  }

  const Decision& decision() const { return decision_; }
  const Facts& facts() const { return facts_; }
  nlohmann::ordered_json to_json() const { return decision_to_json(*program_, facts_, decision_); }
  std::string to_text() const { return render_decision_text(*program_, facts_, decision_); }

 private:
  BindResult remember(BindResult r) {
    bound_ = r.ok;
    bind_error_ = r.ok ? std::string() : r.error;
    return r;
  }

  std::shared_ptr<const Program> program_;
  Binder binder_;
  Facts facts_;
  VmState state_;
  Decision decision_;
  bool bound_ = false;
  std::string bind_error_;
};

}  // namespace comity

// cmd_eval.cpp: `comity eval` — one request against a policy or bundle, as text or JSON.
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "comity/binder.h"
#include "comity/decision.h"
#include "comity/vm.h"

namespace comity::cli {

int cmd_eval(const std::string& policy, const std::string& request, bool explain, Format format, const CompileOptions& options) {
  LoadedPolicy lp = load_policy(policy, format, options);
  if (!lp.program) return lp.exit;
  std::string text;
  if (!read_file(request, text)) {
    std::cerr << fmt::format("comity: cannot read request `{}`\n", request);
    return kIoError;
  }
  const Program& program = *lp.program;
  Binder binder(program);
  Facts facts;
  BindResult bound = binder.bind(text, facts);
  if (!bound.ok) {
    if (format == Format::json)
      std::cout << nlohmann::json{{"error", {{"kind", "bad_request"}, {"message", bound.error}}}}.dump(2) << "\n";
    std::cerr << fmt::format("comity: the request does not fit policy `{}`: {}\n", program.name, bound.error);
    return kBadRequest;
  }
  VmState state;
  Decision decision;
  evaluate(program, facts, state, decision, explain);
  if (format == Format::json) std::cout << decision_to_json(program, facts, decision).dump(2) << "\n";
  else std::cout << render_decision_text(program, facts, decision);
  if (decision.failed) return kEvalFault;
  return kOk;
}

}  // namespace comity::cli

// cli.h: shared pieces of the `comity` driver: exit codes, loading a policy from source or bundle,
// printing diagnostics. The driver stays thin: the work is in the libraries.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "comity/compiler.h"
#include "comity/program.h"

namespace comity::cli {

// Exit codes a script can rely on (documented in README.md and `comity --help`).
enum Exit : int {
  kOk = 0,
  kFailed = 1,        // policy has errors, a test failed, or the decision could not be made
  kUsage = 2,         // bad command line
  kIoError = 3,       // a file could not be read or written
  kBadRequest = 4,    // the request JSON does not fit the policy's input
  kBadBundle = 5,     // a .comityb failed verification
  kEvalFault = 6,     // evaluation stopped with a fault (e.g. no holiday calendar for the State)
};

enum class Format { text, json };

struct LoadedPolicy {
  std::shared_ptr<const Program> program;
  std::unique_ptr<Compilation> compilation;  // when loaded from source
  int exit = kOk;
};

// A `.comityb` is loaded and verified; anything else is compiled. Diagnostics go to stderr.
LoadedPolicy load_policy(const std::string& path, Format format, const CompileOptions& options);
void print_diagnostics(const Compilation& c, Format format);
bool read_file(const std::string& path, std::string& out);

int cmd_eval(const std::string& policy, const std::string& request, bool explain, Format format, const CompileOptions& options);
int cmd_test(const std::vector<std::string>& paths, Format format, const CompileOptions& options, bool verbose);

}  // namespace comity::cli

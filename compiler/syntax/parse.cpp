// parse.cpp: runs the ANTLR lexer/parser with our error strategy and listener, then the AST builder.
// The only file that drives ANTLR; knows nothing of checking, bytecode or LSP.
#include "syntax/parse.h"

#include <algorithm>
#include <fmt/format.h>

#include "ComityLexer.h"
#include "antlr4-runtime.h"
#include "syntax/builder.h"

namespace comity::syntax {

using comity_gen::ComityLexer;
using detail::P;

namespace detail {

constexpr size_t kNoIndex = static_cast<size_t>(-1);  // ANTLR's INVALID_INDEX (a macro)

// ---- UTF-8 → code points, with the table back to bytes ---------------------------------------

std::u32string decode_utf8(const std::string& text, std::vector<uint32_t>& cp_to_byte) {
  std::u32string out;
  out.reserve(text.size());
  cp_to_byte.clear();
  cp_to_byte.reserve(text.size() + 1);
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    char32_t cp = 0xFFFD;
    size_t len = 1;
    auto cont = [&](size_t k) { return i + k < n && (s[i + k] & 0xC0) == 0x80; };
    if (c < 0x80) {
      cp = c;
    } else if (c >= 0xC2 && c <= 0xDF && cont(1)) {
      cp = (char32_t(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF && cont(1) && cont(2)) {
      char32_t v = (char32_t(c & 0x0F) << 12) | (char32_t(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
      if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
        cp = v;
        len = 3;
      }
    } else if (c >= 0xF0 && c <= 0xF4 && cont(1) && cont(2) && cont(3)) {
      char32_t v = (char32_t(c & 0x07) << 18) | (char32_t(s[i + 1] & 0x3F) << 12) |
                   (char32_t(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
      if (v >= 0x10000 && v <= 0x10FFFF) {
        cp = v;
        len = 4;
      }
    }
    out.push_back(cp);
    cp_to_byte.push_back(static_cast<uint32_t>(i));
    i += len;
  }
  cp_to_byte.push_back(static_cast<uint32_t>(n));
  return out;
}

std::optional<ast::Span> SourceMap::token_span(const antlr4::Token* t) const {
  if (t == nullptr) return std::nullopt;
  size_t start = t->getStartIndex();
  size_t stop = t->getStopIndex();
  if (start == kNoIndex) return std::nullopt;
  if (t->getType() == antlr4::Token::EOF) {
    uint32_t at = cp_to_byte.empty() ? 0 : cp_to_byte.back();
    return ast::Span{file, at, at};
  }
  if (stop == kNoIndex || stop + 1 < start) stop = start;
  return ast::Span{file, byte_at(start), byte_at(stop + 1)};
}

std::string_view SourceMap::slice(ast::Span s) const {
  if (text == nullptr || s.begin > s.end || s.end > text->size()) return {};
  return std::string_view(*text).substr(s.begin, s.end - s.begin);
}

// An input stream fed with code points we decoded ourselves: the runtime's own UTF-8 decoder
// throws on malformed input, and ours keeps the byte table.
class CodePointStream : public antlr4::ANTLRInputStream {
 public:
  explicit CodePointStream(std::u32string data) {
    _data = std::move(data);
    p = 0;
  }
};

// ---- shared builder helpers ------------------------------------------------------------------

ast::ExprPtr make_expr(decltype(ast::Expr::node) node, ast::Span span) {
  auto e = std::make_unique<ast::Expr>();
  e->node = std::move(node);
  e->span = span;
  return e;
}

ast::Span Builder::span(antlr4::ParserRuleContext* ctx, ast::Span fallback) const {
  if (ctx == nullptr) return fallback;
  auto first = map_.token_span(ctx->start);
  if (!first) return fallback;
  ast::Span s = *first;
  if (ctx->stop != nullptr && ctx->stop->getStartIndex() != kNoIndex &&
      ctx->stop->getTokenIndex() >= ctx->start->getTokenIndex()) {
    if (auto last = map_.token_span(ctx->stop)) s.end = std::max(s.end, last->end);
  }
  return s;
}

ast::Span Builder::span(antlr4::tree::TerminalNode* node, ast::Span fallback) const {
  if (node == nullptr) return fallback;
  auto s = map_.token_span(node->getSymbol());
  return s ? *s : fallback;
}

ast::Span Builder::end_of(antlr4::ParserRuleContext* ctx, ast::Span fallback) const {
  ast::Span s = span(ctx, fallback);
  return ast::Span{s.file, s.end, s.end};
}

std::string Builder::text(antlr4::tree::TerminalNode* node) const {
  if (node == nullptr) return {};
  auto s = map_.token_span(node->getSymbol());
  if (!s) return {};  // conjured by recovery: "<missing …>" is not the user's text
  return std::string(map_.slice(*s));
}

ast::Ident Builder::ident(antlr4::ParserRuleContext* ctx, ast::Span fallback) const {
  if (ctx == nullptr || ctx->start == nullptr) return ast::Ident{{}, ast::Span{fallback.file, fallback.end, fallback.end}};
  auto s = map_.token_span(ctx->start);
  if (!s || ctx->exception != nullptr || ctx->children.empty())
    return ast::Ident{{}, ast::Span{fallback.file, fallback.end, fallback.end}};
  return ast::Ident{std::string(map_.slice(*s)), *s};
}

std::string Builder::string_value(P::StringLitContext* ctx) {
  if (ctx == nullptr) return {};
  antlr4::tree::TerminalNode* node = ctx->STRING();
  bool terminated = node != nullptr;
  if (!terminated) node = ctx->UNTERMINATED_STRING();
  if (node == nullptr) return {};
  auto sp = map_.token_span(node->getSymbol());
  if (!sp) return {};
  std::string_view raw = map_.slice(*sp);
  // Strip the quotes (an unterminated string has only the opening one; the lexer reported it).
  raw.remove_prefix(1);
  if (terminated && !raw.empty()) raw.remove_suffix(1);
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (i + 1 >= raw.size()) break;  // a trailing backslash of an unterminated string
    char e = raw[++i];
    switch (e) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      default: {
        // Report the escape with its whole (possibly multi-byte) character.
        size_t len = 1;
        auto u = static_cast<unsigned char>(e);
        if (u >= 0xF0) len = 4;
        else if (u >= 0xE0) len = 3;
        else if (u >= 0xC0) len = 2;
        len = std::min(len, raw.size() - i);
        uint32_t at = sp->begin + 1 + static_cast<uint32_t>(i) - 1;
        std::string written(raw.substr(i - 1, len + 1));
        error(DiagCode::invalid_literal, ast::Span{sp->file, at, at + static_cast<uint32_t>(len) + 1},
              fmt::format("unknown escape `{}` in a string", written),
              "the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`; write `\\\\` for a backslash");
        out.append(raw.substr(i, len));
        i += len - 1;
      }
    }
  }
  return out;
}

void Builder::error(DiagCode code, ast::Span span, std::string message, std::string help) {
  diags_.push_back(make_diag(code, span, std::move(message), std::move(help)));
}

// ---- module --------------------------------------------------------------------------------

ast::Module Builder::build_module(P::ModuleContext* ctx) {
  ast::Module m;
  ast::Span file_start{map_.file, 0, 0};
  if (ctx == nullptr) return m;
  if (auto* h = ctx->header()) {
    m.header = build_header(*h);
  } else {
    // Point at the first real token, or the start of the file when there is none.
    ast::Span at = file_start;
    if (auto s = map_.token_span(ctx->start); s && ctx->start->getType() != antlr4::Token::EOF) at = *s;
    m.header.span = ast::Span{at.file, at.begin, at.begin};
    error(DiagCode::missing_header, at, "the file does not start with a policy header",
          "begin with `policy NAME \"title\"`, e.g. `policy eu.eio \"Directive 2014/41/EU\" version \"2014-04-03\"`");
  }
  for (auto* d : ctx->decl()) {
    if (d == nullptr) continue;
    if (auto decl = build_decl(*d)) m.decls.push_back(std::move(*decl));
  }
  return m;
}

// ---- errors: ANTLR's reports turned into our diagnostics ---------------------------------------

namespace {

using L = ComityLexer;

std::string token_display(const antlr4::Token* t) {
  if (t == nullptr || t->getType() == antlr4::Token::EOF) return "end of file";
  std::string s = t->getText();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (t->getType() == L::STRING || t->getType() == L::UNTERMINATED_STRING) return "string " + s;
  return "`" + s + "`";
}

// Words that the `identifier` rule accepts: when a name is expected, they are not listed one by one.
bool is_soft_keyword(size_t type) { return type >= L::POLICY && type <= L::NO; }

bool is_starter_keyword(size_t type) {
  switch (type) {
    case L::POLICY: case L::PERIODS: case L::TODAY: case L::ENUM: case L::RECORD: case L::INPUT: case L::DECIDE:
    case L::DEFINE: case L::ARTICLE: case L::TEST: case L::REFUSE: case L::POSTPONE: case L::RETURN: case L::USE:
    case L::IMPOSSIBLE: case L::REVIEW: case L::CONDITION: case L::REQUIRE: case L::EXCEPTION: case L::DEADLINE:
    case L::OBLIGATION: case L::OTHERWISE: case L::WHEN: case L::UNLESS: case L::PREVAILS: case L::STRENGTH:
    case L::MET: case L::BECAUSE:
      return true;
    default:
      return false;
  }
}

// Turns an expected-token set into a short list of phrases a drafter understands.
std::vector<std::string> describe_expected(const antlr4::misc::IntervalSet& expected,
                                           const antlr4::dfa::Vocabulary& vocab) {
  std::vector<size_t> types;
  for (ssize_t t : expected.toList()) types.push_back(static_cast<size_t>(t));
  auto has = [&](size_t t) { return std::find(types.begin(), types.end(), t) != types.end(); };
  auto drop_if = [&](auto pred) { types.erase(std::remove_if(types.begin(), types.end(), pred), types.end()); };
  auto drop = [&](std::initializer_list<size_t> ts) {
    drop_if([&](size_t t) { return std::find(ts.begin(), ts.end(), t) != ts.end(); });
  };
  std::vector<std::string> out;
  const bool name = has(L::IDENT);
  // Only the `identifier` rule admits `policy` and every other keyword at once.
  const bool any_name = name && has(L::POLICY);
  const bool modifiers = !any_name && has(L::WHEN) && has(L::UNLESS) && has(L::BECAUSE);
  const bool clauses = !any_name && has(L::REFUSE) && has(L::DEADLINE) && has(L::OBLIGATION);
  const bool decls = has(L::ARTICLE) && has(L::DEFINE) && has(L::TEST);
  const bool expression = name && has(L::INT) && has(L::LPAREN);
  const bool value = name && has(L::INT) && has(L::LBRACK);
  const bool operators = has(L::PLUS) && has(L::STAR) && has(L::AND);
  const bool expectations = has(L::OUTCOME) && has(L::GROUND) && has(L::MISSING);

  if (operators) {
    out.push_back("an operator");
    drop({L::DOT, L::STAR, L::SLASH, L::PLUS, L::MINUS, L::IS, L::EQ, L::NE, L::LT, L::LE, L::GT, L::GE, L::IN,
          L::NOT, L::AND, L::OR});
  }
  // Where a name may stand, every soft keyword is expected too: listing them would say nothing.
  if (name) {
    if (expression) {
      out.push_back("an expression");
      drop({L::INT, L::DECIMAL, L::STRING, L::UNTERMINATED_STRING, L::TRUE, L::FALSE, L::DATE, L::DATETIME,
            L::LPAREN, L::LBRACE, L::MINUS, L::NOT, L::IF});
    } else if (value) {
      out.push_back("a value");
      drop({L::INT, L::DECIMAL, L::STRING, L::UNTERMINATED_STRING, L::TRUE, L::FALSE, L::DATE, L::DATETIME,
            L::LBRACK, L::LBRACE, L::MINUS});
    } else if (clauses) {
      if (modifiers) out.push_back("a clause modifier (`when`, `unless`, `because`, …)");
      out.push_back("a clause (`refuse`, `deadline`, `exception to`, …)");
    } else {
      out.push_back("a name");
    }
    drop_if([](size_t t) { return t == L::IDENT || is_soft_keyword(t); });
  } else {
    if (modifiers) {
      out.push_back("a clause modifier (`when`, `unless`, `because`, …)");
      drop({L::WHEN, L::UNLESS, L::PREVAILS, L::STRENGTH, L::MET, L::BECAUSE});
    }
    if (clauses) {
      out.push_back("a clause (`refuse`, `deadline`, `exception to`, …)");
      drop({L::REFUSE, L::POSTPONE, L::RETURN, L::USE, L::IMPOSSIBLE, L::REVIEW, L::CONDITION, L::REQUIRE,
            L::EXCEPTION, L::DEADLINE, L::OBLIGATION});
    }
    if (decls) {
      out.push_back("a declaration (`article`, `define`, `input`, `test`, …)");
      drop({L::POLICY, L::PERIODS, L::TODAY, L::ENUM, L::RECORD, L::INPUT, L::DECIDE, L::DEFINE, L::ARTICLE,
            L::TEST});
    }
    if (expectations) {
      out.push_back("an expectation (`outcome:`, `ground`, `deadline`, `missing:`, …)");
      drop({L::OUTCOME, L::MEASURE, L::NO, L::GROUND, L::DEADLINE, L::MISSING, L::OBLIGATION, L::CONDITION});
    }
  }
  if (has(L::STRING)) {
    out.push_back("a string");
    drop({L::STRING, L::UNTERMINATED_STRING});
  }
  if (has(L::HOURS) && has(L::DAYS)) {
    out.push_back("a duration unit (`hours`, `days`, `working days`, `weeks`, `months`, `years`)");
    drop({L::HOUR, L::HOURS, L::DAY, L::DAYS, L::WORKING, L::WEEK, L::WEEKS, L::MONTH, L::MONTHS, L::YEAR, L::YEARS});
  }
  bool eof = false;
  for (size_t t : types) {
    switch (t) {
      case antlr4::Token::EOF: eof = true; continue;
      case L::INT: out.push_back("a number"); continue;
      case L::DECIMAL: out.push_back("a decimal number"); continue;
      case L::DATE: out.push_back("a date"); continue;
      case L::DATETIME: out.push_back("an instant"); continue;
      case L::UNTERMINATED_STRING: continue;
      default: break;
    }
    std::string lit = vocab.getLiteralName(t);
    if (lit.size() >= 2 && lit.front() == '\'') lit = lit.substr(1, lit.size() - 2);
    if (lit.empty()) lit = vocab.getSymbolicName(t);
    out.push_back("`" + lit + "`");
  }
  if (eof) out.push_back("end of file");
  return out;
}

std::string join_or(const std::vector<std::string>& items) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) s += (i + 1 == items.size()) ? " or " : ", ";
    s += items[i];
  }
  return s;
}

// Records every error as a Diagnostic with a byte span. Never throws.
class DiagnosticListener : public antlr4::BaseErrorListener {
 public:
  DiagnosticListener(const detail::SourceMap& map, std::vector<Diagnostic>& out) : map_(map), out_(out) {}

  // The strategy sets the code, help and (optionally) the place of its next report; a bare report
  // (e.g. from the lexer) is a plain syntax_error at the offending token.
  void prepare(DiagCode code, std::string help, std::optional<ast::Span> at = {}, std::vector<Label> labels = {}) {
    code_ = code;
    help_ = std::move(help);
    at_ = at;
    labels_ = std::move(labels);
  }

  void syntaxError(antlr4::Recognizer*, antlr4::Token* offending, size_t, size_t, const std::string& msg,
                   std::exception_ptr) override {
    ast::Span span{map_.file, 0, 0};
    if (at_) span = *at_;
    else if (auto s = map_.token_span(offending)) span = *s;
    Diagnostic d = make_diag(code_.value_or(DiagCode::syntax_error), span, msg, std::move(help_));
    d.labels = std::move(labels_);
    code_.reset();
    at_.reset();
    help_.clear();
    labels_.clear();
    // One diagnostic per location: recovery can report the same place twice.
    for (const auto& e : out_)
      if (e.span.begin == span.begin && e.span.file == span.file) return;
    out_.push_back(std::move(d));
  }

 private:
  const detail::SourceMap& map_;
  std::vector<Diagnostic>& out_;
  std::optional<DiagCode> code_;
  std::string help_;
  std::optional<ast::Span> at_;
  std::vector<Label> labels_;
};

// ANTLR's default recovery with our wording: "unexpected `x`, expected an expression".
class FriendlyErrorStrategy : public antlr4::DefaultErrorStrategy {
 public:
  FriendlyErrorStrategy(DiagnosticListener& listener, const detail::SourceMap& map)
      : listener_(listener), map_(map) {}

 protected:
  void reportNoViableAlternative(antlr4::Parser* parser, const antlr4::NoViableAltException& e) override {
    report_unexpected(parser, e.getOffendingToken(), e.getExpectedTokens(), e.getStartToken());
  }
  void reportInputMismatch(antlr4::Parser* parser, const antlr4::InputMismatchException& e) override {
    report_unexpected(parser, e.getOffendingToken(), e.getExpectedTokens(), nullptr);
  }
  // The only predicate: a starting word (`define`, `because`, …) at the start of a line is not a name.
  void reportFailedPredicate(antlr4::Parser* parser, const antlr4::FailedPredicateException& e) override {
    report_unexpected(parser, e.getOffendingToken(), parser->getExpectedTokens(), nullptr);
  }
  // ANTLR drops a stray token when the one after it fits. Never drop a `}` (it closes a block), and
  // never skip ahead onto a starting word at the start of a line (it begins the next declaration
  // or clause, so taking it as a name would swallow it).
  antlr4::Token* singleTokenDeletion(antlr4::Parser* parser) override {
    auto* stream = parser->getTokenStream();
    antlr4::Token* current = stream->LT(1);
    antlr4::Token* next = stream->LT(2);
    if (current != nullptr && current->getType() == L::RBRACE) return nullptr;
    if (next != nullptr && current != nullptr && next->getLine() > current->getLine() &&
        is_starter_keyword(next->getType()))
      return nullptr;
    return DefaultErrorStrategy::singleTokenDeletion(parser);
  }
  void reportUnwantedToken(antlr4::Parser* parser) override {
    if (inErrorRecoveryMode(parser)) return;
    beginErrorCondition(parser);
    antlr4::Token* t = parser->getCurrentToken();
    auto expected = describe_expected(getExpectedTokens(parser), parser->getVocabulary());
    std::string help;
    if (!expected.empty()) help = (expected.size() > 3 ? "expected one of: " : "expected ") + join_or(expected);
    listener_.prepare(DiagCode::unexpected_token, help);
    parser->notifyErrorListeners(t, "unexpected " + token_display(t), nullptr);
  }
  void reportMissingToken(antlr4::Parser* parser) override {
    if (inErrorRecoveryMode(parser)) return;
    beginErrorCondition(parser);
    antlr4::Token* t = parser->getCurrentToken();
    if (report_stray_label(parser, getExpectedTokens(parser))) return;
    auto expected = describe_expected(getExpectedTokens(parser), parser->getVocabulary());
    std::string what = expected.empty() ? "something" : join_or(expected);
    // Point just after the last good token: that is where the missing piece belongs.
    auto [at, labels] = place(parser, t);
    listener_.prepare(DiagCode::syntax_error, {}, at, std::move(labels));
    parser->notifyErrorListeners(t, "expected " + what + " before " + token_display(t), nullptr);
  }

 private:
  // When the offending token starts a new line (or is the end of file), the mistake is at the
  // end of what came before it: report there, with a label at the token.
  std::pair<std::optional<ast::Span>, std::vector<Label>> place(antlr4::Parser* parser, antlr4::Token* t) {
    auto* stream = dynamic_cast<antlr4::BufferedTokenStream*>(parser->getTokenStream());
    if (stream == nullptr || t == nullptr || t->getTokenIndex() == 0 || t->getStartIndex() == detail::kNoIndex)
      return {};
    antlr4::Token* prev = nullptr;
    for (size_t i = t->getTokenIndex(); i-- > 0;) {
      antlr4::Token* c = stream->get(i);
      if (c->getChannel() == antlr4::Token::DEFAULT_CHANNEL) {
        prev = c;
        break;
      }
    }
    if (prev == nullptr || prev->getLine() >= t->getLine()) return {};
    auto ps = map_.token_span(prev);
    auto ts = map_.token_span(t);
    if (!ps || !ts) return {};
    std::vector<Label> labels;
    if (t->getType() != antlr4::Token::EOF) labels.push_back(Label{*ts, "the next line begins here"});
    return {ast::Span{ps->file, ps->end, ps->end}, std::move(labels)};
  }

  // A stray word after a clause (`3 dayz`, `strength firm`) reads as the label of a next clause,
  // and the parser then asks for the label's `:`. Say what the drafter sees: the stray word.
  bool report_stray_label(antlr4::Parser* parser, const antlr4::misc::IntervalSet& set) {
    auto* clause = dynamic_cast<P::ClauseContext*>(parser->getContext());
    if (clause == nullptr || clause->labelName() == nullptr || set.size() != 1 || !set.contains(static_cast<size_t>(L::COLON)))
      return false;
    antlr4::Token* word = clause->labelName()->getStart();
    auto at = map_.token_span(word);
    if (!at) return false;
    listener_.prepare(DiagCode::unexpected_token,
                      fmt::format("`{0}` cannot continue what comes before it, and a clause label needs a `:` "
                                  "(`{0}: refuse optional …`)",
                                  word->getText()),
                      at);
    parser->notifyErrorListeners(word, "unexpected " + token_display(word), nullptr);
    return true;
  }

  // `start` is where a failed decision began (no viable alternative), else null.
  void report_unexpected(antlr4::Parser* parser, antlr4::Token* t, const antlr4::misc::IntervalSet& set,
                         antlr4::Token* start) {
    if (t != nullptr && t->getType() == L::UNTERMINATED_STRING) return;  // already reported as such
    if (report_stray_label(parser, set)) return;
    auto expected = describe_expected(set, parser->getVocabulary());
    antlr4::ParserRuleContext* ctx = parser->getContext();
    if (dynamic_cast<P::TypeRefContext*>(ctx) != nullptr || dynamic_cast<P::BaseTypeContext*>(ctx) != nullptr ||
        dynamic_cast<P::TypeNameContext*>(ctx) != nullptr)
      std::replace(expected.begin(), expected.end(), std::string("a name"), std::string("a type"));
    const bool at_eof = t == nullptr || t->getType() == antlr4::Token::EOF;
    auto [at, labels] = place(parser, t);
    std::string msg;
    std::string help;
    auto wanted = [&] { return expected.empty() ? std::string("more") : join_or(expected); };
    if (at && start != nullptr && start != t && start->getTokenIndex() < t->getTokenIndex() &&
        start->getStartIndex() != detail::kNoIndex) {
      // Several tokens were read before the parser gave up at the start of the next line: what
      // they began is unfinished. (The expected set here is the decision's, not the gap's: omit it.)
      ast::Span from = map_.token_span(start).value_or(*at);
      std::string text(map_.slice(ast::Span{from.file, from.begin, at->end}));
      for (char& c : text)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
      if (text.size() > 40) text = text.substr(0, 37) + "...";
      msg = "`" + text + "` is unfinished";
      at = ast::Span{from.file, from.begin, at->end};
    } else if (at) {
      // The previous line stops short: `define a = 1 +` followed by a new declaration.
      msg = "expected " + wanted() + (at_eof ? " before the end of the file" : " at the end of this line");
      if (!at_eof && is_starter_keyword(t->getType()))
        help = fmt::format("`{0}` at the start of a line begins a new part of the policy; a field named `{0}` "
                           "cannot start a line",
                           t->getText());
    } else {
      msg = at_eof ? "unexpected end of file" : "unexpected " + token_display(t);
      if (!expected.empty() && expected.size() <= 3) {
        msg += ", expected " + join_or(expected);
      } else if (!expected.empty()) {
        std::vector<std::string> shown(expected.begin(), expected.begin() + std::min<size_t>(expected.size(), 8));
        help = "expected one of: " + join_or(shown) + (expected.size() > shown.size() ? ", …" : "");
      }
    }
    listener_.prepare(at_eof ? DiagCode::syntax_error : DiagCode::unexpected_token, help, at, std::move(labels));
    parser->notifyErrorListeners(t, msg, nullptr);
  }

  DiagnosticListener& listener_;
  const detail::SourceMap& map_;
};

// The parser recurses once per bracket, prefix operator, `if` or quantifier, and every later
// phase recurses once per operator: refuse input that could exhaust the stack. No real policy
// comes near these limits.
std::optional<Diagnostic> too_deep(antlr4::CommonTokenStream& tokens, const detail::SourceMap& map) {
  constexpr int kNestingLimit = 256;    // brackets, prefix runs, `if`s and quantifiers in one expression
  constexpr int kOperatorLimit = 1000;  // binary operators and `.` in one expression
  int brackets = 0, prefix_run = 0, nesting_words = 0, operators = 0;
  for (antlr4::Token* t : tokens.getTokens()) {
    if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    size_t type = t->getType();
    if (type == L::LPAREN || type == L::LBRACE || type == L::LBRACK) ++brackets;
    if ((type == L::RPAREN || type == L::RBRACE || type == L::RBRACK) && brackets > 0) --brackets;
    prefix_run = (type == L::NOT || type == L::MINUS) ? prefix_run + 1 : 0;
    switch (type) {
      case L::IF: case L::ANY: case L::ALL: case L::COUNT: ++nesting_words; break;
      case L::OR: case L::AND: case L::EQ: case L::NE: case L::LT: case L::LE: case L::GT: case L::GE: case L::IN:
      case L::IS: case L::PLUS: case L::MINUS: case L::STAR: case L::SLASH: case L::DOT: ++operators; break;
      default: break;
    }
    if (is_starter_keyword(type)) nesting_words = operators = 0;  // a new declaration, clause or modifier
    const bool deep = brackets > kNestingLimit || prefix_run > kNestingLimit || nesting_words > kNestingLimit;
    if (deep || operators > kOperatorLimit) {
      ast::Span at = map.token_span(t).value_or(ast::Span{map.file, 0, 0});
      return make_diag(DiagCode::syntax_error, at,
                       deep ? "this expression is nested too deeply" : "this expression is too long",
                       deep ? fmt::format("more than {} levels of brackets, prefix operators, `if` or quantifiers; "
                                          "split it with `define`",
                                          kNestingLimit)
                            : fmt::format("more than {} operators in one expression; split it with `define`",
                                          kOperatorLimit));
    }
  }
  return std::nullopt;
}

// Problems the lexer sees: stray characters, strings and comments cut short.
void report_lexical(antlr4::CommonTokenStream& tokens, const detail::SourceMap& map, std::vector<Diagnostic>& out) {
  for (antlr4::Token* t : tokens.getTokens()) {
    auto s = map.token_span(t);
    if (!s) continue;
    switch (t->getType()) {
      case ComityLexer::ERROR_CHAR: {
        std::string ch(map.slice(*s));
        std::string shown = ch;
        if (ch.size() == 1 && (static_cast<unsigned char>(ch[0]) < 0x20 || ch[0] == 0x7F))
          shown = fmt::format("\\x{:02x}", static_cast<unsigned char>(ch[0]));
        // A run of bad bytes (binary input) is one diagnostic, not thousands.
        if (!out.empty() && out.back().code == DiagCode::syntax_error && out.back().span.end == s->begin &&
            out.back().message.starts_with("unexpected character")) {
          out.back().span.end = s->end;
          out.back().message = "unexpected characters";
          continue;
        }
        out.push_back(make_diag(DiagCode::syntax_error, *s, fmt::format("unexpected character `{}`", shown),
                                "names use ASCII letters, digits and `_`; other text belongs in a \"string\""));
        break;
      }
      case ComityLexer::UNTERMINATED_STRING:
        out.push_back(make_diag(DiagCode::unterminated_string, *s, "this string is not closed",
                                "add a closing `\"` before the end of the line"));
        break;
      case ComityLexer::UNTERMINATED_COMMENT:
        out.push_back(make_diag(DiagCode::syntax_error, ast::Span{s->file, s->begin, s->begin + 2},
                                "this comment is not closed", "add `*/` where the comment ends"));
        break;
      default: break;
    }
  }
}

}  // namespace

}  // namespace detail

ParseResult parse(const SourceSet& sources, uint32_t file_index) {
  ParseResult result;
  if (file_index >= sources.files.size()) return result;
  const SourceFile& file = sources.files[file_index];

  detail::SourceMap map;
  map.file = file_index;
  map.text = &file.text;
  detail::CodePointStream input(detail::decode_utf8(file.text, map.cp_to_byte));

  std::vector<Diagnostic> lexical;
  std::vector<Diagnostic> syntactic;
  detail::DiagnosticListener listener(map, syntactic);

  ComityLexer lexer(&input);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  detail::report_lexical(tokens, map, lexical);

  if (auto deep = detail::too_deep(tokens, map)) {
    result.diagnostics = std::move(lexical);
    result.diagnostics.push_back(std::move(*deep));
    return result;
  }

  P parser(&tokens);
  // SLL is fast and exact for correct input; fall back to full LL only when it reports an error.
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  P::ModuleContext* tree = nullptr;
  try {
    auto bail = std::make_shared<antlr4::BailErrorStrategy>();
    parser.setErrorHandler(bail);
    parser.removeErrorListeners();
    tree = parser.module();
  } catch (const antlr4::ParseCancellationException&) {
    tree = nullptr;
  } catch (const antlr4::RecognitionException&) {
    tree = nullptr;
  }
  if (tree == nullptr) {
    tokens.seek(0);
    parser.reset();
    parser.addErrorListener(&listener);
    parser.setErrorHandler(std::make_shared<detail::FriendlyErrorStrategy>(listener, map));
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
    tree = parser.module();
  }

  std::vector<Diagnostic> built;
  detail::Builder builder(map, built);
  result.module = builder.build_module(tree);

  // Diagnostics in source order; a lexical problem and a parse error at the same place are one.
  auto& all = result.diagnostics;
  all = std::move(lexical);
  for (auto& d : syntactic) {
    bool dup = std::any_of(all.begin(), all.end(), [&](const Diagnostic& e) {
      return e.span.begin <= d.span.begin && d.span.begin < std::max(e.span.end, e.span.begin + 1);
    });
    if (!dup) all.push_back(std::move(d));
  }
  for (auto& d : built) all.push_back(std::move(d));
  std::stable_sort(all.begin(), all.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.span.begin < b.span.begin; });
  return result;
}

std::vector<Comment> comments(const SourceSet& sources, uint32_t file_index) {
  std::vector<Comment> out;
  if (file_index >= sources.files.size()) return out;
  const SourceFile& file = sources.files[file_index];
  detail::SourceMap map;
  map.file = file_index;
  map.text = &file.text;
  detail::CodePointStream input(detail::decode_utf8(file.text, map.cp_to_byte));
  ComityLexer lexer(&input);
  lexer.removeErrorListeners();
  for (auto token = lexer.nextToken(); token->getType() != antlr4::Token::EOF; token = lexer.nextToken()) {
    size_t type = token->getType();
    if (type != ComityLexer::LINE_COMMENT && type != ComityLexer::BLOCK_COMMENT &&
        type != ComityLexer::UNTERMINATED_COMMENT)
      continue;
    if (auto s = map.token_span(token.get())) out.push_back(Comment{*s, std::string(map.slice(*s))});
  }
  return out;
}

}  // namespace comity::syntax

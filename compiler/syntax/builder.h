// builder.h: private to compiler/syntax — the typed builder from ANTLR parse-tree contexts to ast nodes.
// Must not be included outside compiler/syntax/ (it exposes ANTLR); nothing here outlives parse().
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ComityParser.h"
#include "ast/ast.h"
#include "comity/diagnostics.h"

namespace comity::syntax::detail {

using P = comity_gen::ComityParser;

// Maps ANTLR's code-point indices back to byte offsets into the UTF-8 source.
struct SourceMap {
  uint32_t file = 0;
  const std::string* text = nullptr;
  std::vector<uint32_t> cp_to_byte;  // size = code points + 1; last entry = text size

  uint32_t byte_at(size_t code_point) const {
    if (code_point >= cp_to_byte.size()) return cp_to_byte.empty() ? 0 : cp_to_byte.back();
    return cp_to_byte[code_point];
  }
  // Span of one real token; nullopt for tokens conjured by error recovery.
  std::optional<ast::Span> token_span(const antlr4::Token* t) const;
  std::string_view slice(ast::Span s) const;
};

// Decodes UTF-8 leniently (a bad byte becomes U+FFFD) and fills the code-point → byte table.
std::u32string decode_utf8(const std::string& text, std::vector<uint32_t>& cp_to_byte);

class Builder {
 public:
  Builder(const SourceMap& map, std::vector<Diagnostic>& diags) : map_(map), diags_(diags) {}

  ast::Module build_module(P::ModuleContext* ctx);

  // ---- declarations (ast_builder_decls.cpp)
  ast::PolicyHeader build_header(P::HeaderContext& ctx);
  std::optional<ast::Decl> build_decl(P::DeclContext& ctx);
  ast::Field build_field(P::FieldContext& ctx);
  ast::TypeRef build_type(P::TypeRefContext* ctx, ast::Span fallback);
  ast::TypeRef build_base_type(P::BaseTypeContext* ctx, ast::Span fallback);
  ast::Article build_article(P::ArticleDeclContext& ctx);
  std::optional<ast::Clause> build_clause(P::ClauseContext& ctx);
  std::optional<ast::ClauseKind> build_effect_kind(P::EffectKindContext* ctx);
  ast::ClauseTarget build_target(P::TargetContext& ctx);

  // ---- expressions (ast_builder_exprs.cpp)
  ast::ExprPtr build_expr(P::ExprContext* ctx, ast::Span fallback);
  ast::ExprPtr build_primary(P::PrimaryContext* ctx, ast::Span fallback);
  std::optional<ast::DurationUnit> build_unit(P::DurationUnitContext* ctx);
  std::optional<int64_t> parse_int(antlr4::tree::TerminalNode* node, bool negative = false);
  void check_date(std::string_view text, ast::Span span);
  void check_datetime(std::string_view text, ast::Span span);

  // ---- embedded tests (ast_builder_tests.cpp)
  ast::TestDecl build_test(P::TestDeclContext& ctx);
  ast::GivenEntry build_given_entry(P::GivenEntryContext& ctx);
  ast::GivenValue build_given_value(P::GivenValueContext* ctx, ast::Span fallback);
  ast::Expectation build_expectation(P::ExpectationContext& ctx);

  // ---- shared helpers (parse.cpp)
  ast::Span span(antlr4::ParserRuleContext* ctx, ast::Span fallback) const;
  ast::Span span(antlr4::tree::TerminalNode* node, ast::Span fallback) const;
  // An empty span just after ctx (where a missing piece would have gone).
  ast::Span end_of(antlr4::ParserRuleContext* ctx, ast::Span fallback) const;
  ast::Ident ident(antlr4::ParserRuleContext* ctx, ast::Span fallback) const;  // identifier or exprName
  std::string string_value(P::StringLitContext* ctx);  // unescaped; reports bad escapes
  std::string text(antlr4::tree::TerminalNode* node) const;
  void error(DiagCode code, ast::Span span, std::string message, std::string help = {});

  const SourceMap& map() const { return map_; }

 private:
  const SourceMap& map_;
  std::vector<Diagnostic>& diags_;
};

ast::ExprPtr make_expr(decltype(ast::Expr::node) node, ast::Span span);

}  // namespace comity::syntax::detail

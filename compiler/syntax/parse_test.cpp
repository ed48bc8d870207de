// parse_test.cpp: table-driven tests of the syntax layer: text → AST dump + located diagnostics.
// Knows only parse.h and ast_dump.h (no ANTLR).
#include <catch2/catch.hpp>
#include <cctype>
#include <fstream>
#include <random>
#include <sstream>

#include "ast/ast_dump.h"
#include "syntax/parse.h"

using namespace comity;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string sketch_text() { return read_file(COMITY_SOURCE_DIR "/docs/syntax-sketch.comity"); }

struct Parsed {
  SourceSet sources;
  syntax::ParseResult result;
  std::string dump;
  std::string rendered;  // every diagnostic as the CLI shows it, for failure messages
};

Parsed parse_text(std::string text) {
  Parsed p;
  p.sources.add("test.comity", std::move(text));
  p.result = syntax::parse(p.sources, 0);
  p.dump = ast::dump(p.result.module);
  for (const auto& d : p.result.diagnostics) p.rendered += render_text(p.sources, d);
  return p;
}

// Squeezes runs of whitespace to one space, so a fragment may be written on one line.
std::string squeeze(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

struct ExpectedDiag {
  DiagCode code;
  uint32_t line;  // 1-based
};

struct Case {
  std::string name;
  std::string input;                    // a header `policy p "t"` is put in front (line 1)
  std::vector<std::string> fragments;   // each must appear in the squeezed dump
  std::vector<ExpectedDiag> diagnostics;  // exactly these, in order
};

const char* kHeader = "policy p \"t\"\n";

void run(const Case& c) {
  INFO("case: " << c.name);
  Parsed p = parse_text(kHeader + c.input);
  INFO("dump:\n" << p.dump);
  INFO("diagnostics:\n" << p.rendered);
  const std::string flat = squeeze(p.dump);
  for (const auto& f : c.fragments) {
    INFO("fragment: " << f);
    CHECK(flat.find(squeeze(f)) != std::string::npos);
  }
  const auto& ds = p.result.diagnostics;
  REQUIRE(ds.size() == c.diagnostics.size());
  for (size_t i = 0; i < ds.size(); ++i) {
    CHECK(code_text(ds[i].code) == code_text(c.diagnostics[i].code));
    CHECK(p.sources.files[0].line_col(ds[i].span.begin).first == c.diagnostics[i].line);
  }
}

void run_all(const std::vector<Case>& cases) {
  for (const auto& c : cases) run(c);
}

// Every span of a result lies inside the text.
void check_spans(const Parsed& p) {
  const auto size = static_cast<uint32_t>(p.sources.files[0].text.size());
  for (const auto& d : p.result.diagnostics) {
    CHECK(d.span.begin <= d.span.end);
    CHECK(d.span.end <= size);
    for (const auto& l : d.labels) CHECK(l.span.end <= size);
  }
}

}  // namespace

TEST_CASE("the syntax sketch parses with no diagnostics", "[parse][sketch]") {
  Parsed p = parse_text(sketch_text());
  INFO(p.rendered);
  REQUIRE(p.result.diagnostics.empty());
  const auto& m = p.result.module;
  CHECK(m.header.name == "eu.eio");
  CHECK(m.header.title == "Directive 2014/41/EU regarding the European Investigation Order in criminal matters");
  CHECK(m.header.version == "2014-04-03");
  CHECK(m.header.citation == "OJ L 130, 1.5.2014, p. 1");
  CHECK(m.decls.size() == 25);
  const std::string flat = squeeze(p.dump);
  for (const char* f : {
           R"#((periods eu_1182_71 (calendar executing_state)))#",
           R"#((today as_of))#",
           R"#((enum MeasureKind evidence_in_possession database_information hearing search_seizure interception))#",
           R"#((field annex_d_category AnnexD?))#",
           R"#((field measures (list-of Measure)))#",
           R"#((field tags (set-of MeasureKind)?))#",
           R"#((decide-each m measures))#",
           R"#((define listed (and (is-known (. offence annex_d_category)) (>= (. offence issuing_max_penalty) (duration 3 years)))))#",
           R"#((define coercive (not-in (. m kind) article_10_2)))#",
           R"#((refuse-optional (label dual_criminality) (when (not (. offence offence_in_executing_state))) (unless listed) (because "the conduct is not an offence under the law of the executing State")))#",
           R"#((exception (to "11(1)(g)" "11(1)(h)") (when (in (. m kind) article_10_2)))#",
           R"#((exception (label nbi_assurances) (to ne_bis_in_idem) (when (. grounds ne_bis_in_idem_assurances))))#",
           R"#((exception (to nbi_assurances) (when false)))#",
           R"#((use-other-measure (when (== (. m exists_in_executing_state) false)))#",
           R"#((review (when (> fee 1000.50)) (because "exceptionally high costs")))#",
           R"#((condition (name confidentiality) (when urgent) (because)#",
           R"#((require (value (>= (. offence issuing_max_penalty) (duration 1 years))) (otherwise review) (because "proportionality")))#",
           R"#((refuse-mandatory (when (and (== (. m kind) interception) (any x measures (== (. x kind) hearing)))) (because "…")))#",
           R"#((deadline (label recognition_base) (name recognition) (value (+ received (duration 30 days))) (strength hard) (met-by recognition_decided)))#",
           R"#((deadline (name recognition) (value requested_deadline) (when (and urgent (is-known requested_deadline))) (prevails-over recognition_base) (strength target)))#",
           R"#((deadline (name provisional) (value (+ received (duration 24 hours))) (when provisional) (strength soft)))#",
           R"#((obligation (name consult_issuing_authority) (when (or (call applies "11(1)(a)") (call applies dual_criminality))) (because "before refusing")))#",
           R"#((received (datetime 2025-03-03T10:00:00+01:00)))#",
           R"#((offence {(annex_d_category terrorism) (issuing_max_penalty (duration P4Y)) (offence_in_executing_state false)}))#",
           R"#((measures [{(kind search_seizure) (exists_in_executing_state true)}]))#",
           R"#((tags [hearing interception]) (fee 12.5) (penalty_points 3) (note null))#",
           R"#((expect (outcome execute) (measure 0 execute) (no-ground "11(1)(g)") (ground "9(3)") (deadline recognition 2025-04-02 pending) (deadline provisional 2025-03-04T11:00:00+01:00) (no-deadline execution) (missing offence.offence_in_executing_state measures[0].exists_in_executing_state) (obligation consult_issuing_authority) (no-condition confidentiality)))#",
       }) {
    INFO("fragment: " << f);
    CHECK(flat.find(squeeze(f)) != std::string::npos);
  }
}

TEST_CASE("article headers and their quoted text", "[parse][decls]") {
  Parsed p = parse_text(sketch_text());
  const auto& m = p.result.module;
  const auto* a = std::get_if<ast::Article>(&m.decls[12]);
  REQUIRE(a != nullptr);
  CHECK(a->citation == "11(1)(g)");
  CHECK(a->title == "Dual criminality");
  CHECK(a->text == "the conduct for which the EIO has been issued does not constitute an offence under the law "
                   "of the executing State …");
  CHECK(p.sources.files[0].text.substr(a->citation_span.begin, a->citation_span.end - a->citation_span.begin) ==
        "\"11(1)(g)\"");
  const auto& clause = a->clauses.at(0);
  CHECK(clause.because_span.end > clause.because_span.begin);
  CHECK(clause.span.begin < clause.because_span.begin);
}

TEST_CASE("each construct builds the right node", "[parse][decls]") {
  run_all({
      {"a header alone", "", {"(policy p \"t\")"}, {}},
      {"periods without calendar", "periods frcp_6a", {"(periods frcp_6a)"}, {}},
      {"today", "today as_of", {"(today as_of)"}, {}},
      {"enum with trailing comma", "enum K { a, b, }", {"(enum K a b)"}, {}},
      {"record and every type",
       "record R { a: bool b: int c: decimal d: string e: date f: datetime g: duration h: Other i: set of K "
       "j: list of R k: list of list of int? l: int? }",
       {"(field a bool) (field b int) (field c decimal) (field d string) (field e date) (field f datetime) "
        "(field g duration) (field h Other) (field i (set-of K)) (field j (list-of R)) "
        "(field k (list-of (list-of int))?) (field l int?)"},
       {}},
      {"input fields with commas", "input { a: int, b: string, }", {"(input (field a int) (field b string))"}, {}},
      {"decide each", "decide each m in request.measures", {"(decide-each m (. request measures))"}, {}},
      {"define", "define x = 1", {"(define x 1)"}, {}},
      {"article with title only", "article \"5\" \"Title\" { review }", {"(article \"5\" \"Title\" (review))"}, {}},
      {"article with text only", "article \"5\" text \"Quoted\" { review }", {"(article \"5\" (text \"Quoted\") (review))"}, {}},
      {"empty article", "article \"5\" { }", {"(article \"5\")"}, {}},
      {"every effect kind",
       "article \"1\" { refuse mandatory refuse optional postpone return use other measure impossible review }",
       {"(refuse-mandatory) (refuse-optional) (postpone) (return) (use-other-measure) (impossible) (review)"},
       {}},
      {"require with every otherwise",
       "article \"1\" { require a otherwise refuse mandatory\n require b otherwise use other measure\n"
       " require c otherwise postpone }",
       {"(require (value a) (otherwise refuse-mandatory))", "(require (value b) (otherwise use-other-measure))",
        "(require (value c) (otherwise postpone))"},
       {}},
      {"modifiers in any order, unless repeated",
       "article \"1\" { x: refuse optional because \"r\" unless a when b unless c prevails over y, \"2(1)\" }",
       {"(refuse-optional (label x) (when b) (unless a) (unless c) (prevails-over y \"2(1)\") (because \"r\"))"},
       {}},
      {"deadline with every modifier",
       "article \"1\" { deadline d = received + 2 weeks met by decided strength soft when urgent }",
       {"(deadline (name d) (value (+ received (duration 2 weeks))) (when urgent) (strength soft) (met-by decided))"},
       {}},
      {"exception to several targets", "article \"1\" { exception to a, \"11(1)\", b }",
       {"(exception (to a \"11(1)\" b))"}, {}},
      {"obligation timing text goes to because", "article \"1\" { obligation inform \"without delay\" }",
       {"(obligation (name inform) (because \"without delay\"))"}, {}},
      {"condition", "article \"1\" { condition speciality when true }", {"(condition (name speciality) (when true))"}, {}},
      {"string escapes", "define s = \"a\\\"b\\\\c\\nd\\te\"", {R"#((define s "a\"b\\c\nd\te"))#"}, {}},
  });
}

TEST_CASE("header fields", "[parse][decls]") {
  Parsed p = parse_text("policy a.b.c \"T\" version 2017-05-22\n");
  CHECK(p.result.diagnostics.empty());
  CHECK(p.result.module.header.name == "a.b.c");
  CHECK(p.result.module.header.version == "2017-05-22");
  CHECK(p.result.module.header.citation.empty());
}

TEST_CASE("operator precedence and associativity", "[parse][exprs]") {
  run_all({
      {"not binds tighter than and, and than or", "define x = not a and b or c", {"(or (and (not a) b) c)"}, {}},
      {"or of ands", "define x = a or b and c", {"(or a (and b c))"}, {}},
      {"product before sum", "define x = a + b * c", {"(+ a (* b c))"}, {}},
      {"sums are left-associative", "define x = a - b - c", {"(- (- a b) c)"}, {}},
      {"in before and", "define x = x in {a,b} and y", {"(and (in x (set a b)) y)"}, {}},
      {"not in", "define x = m.kind not in s", {"(not-in (. m kind) s)"}, {}},
      {"not covers a comparison", "define x = not a == b", {"(not (== a b))"}, {}},
      {"comparison of sums", "define x = a + 1 >= b * 2", {"(>= (+ a 1) (* b 2))"}, {}},
      {"unary minus before product", "define x = -a.b * c", {"(* (neg (. a b)) c)"}, {}},
      {"is known and is unknown", "define x = a.b is known and c is unknown",
       {"(and (is-known (. a b)) (is-unknown c))"}, {}},
      {"parentheses", "define x = (a or b) and c", {"(and (or a b) c)"}, {}},
      {"calls and members", "define x = f(a, b + 1).c", {"(. (call f a (+ b 1)) c)"}, {}},
      {"call without arguments", "define x = now()", {"(call now)"}, {}},
      {"if then else extends right", "define x = if a then b else c or d", {"(if a b (or c d))"}, {}},
      {"nested if", "define x = if a then if b then 1 else 2 else 3", {"(if a (if b 1 2) 3)"}, {}},
      {"quantifier body extends right", "define x = any m in ms where m.a and m.b or c",
       {"(any m ms (or (and (. m a) (. m b)) c))"}, {}},
      {"quantifier inside and", "define x = a and all m in ms where m.ok",
       {"(and a (all m ms (. m ok)))"}, {}},
      {"count", "define x = count m in ms where m.coercive", {"(count m ms (. m coercive))"}, {}},
      {"empty set and set with trailing comma", "define x = {}\ndefine y = {a, b,}", {"(define x (set))", "(define y (set a b))"}, {}},
      {"chained comparison is rejected", "define x = a < b < c", {}, {{DiagCode::syntax_error, 2}}},
      {"is known after comparison is rejected", "define x = a == b is known", {}, {{DiagCode::syntax_error, 2}}},
  });
}

TEST_CASE("literals for numbers and durations and dates and instants", "[parse][literals]") {
  run_all({
      {"integers and decimals", "define x = 42 + 12.5", {"(+ 42 12.5)"}, {}},
      {"durations",
       "define a = 1 hour + 24 hours + 1 day + 3 days + 1 working day + 10 working days\n"
       "define b = 1 week + 2 weeks + 1 month + 6 months + 1 year + 4 years",
       {"(+ (+ (+ (+ (+ (duration 1 hours) (duration 24 hours)) (duration 1 days)) (duration 3 days)) "
        "(duration 1 working-days)) (duration 10 working-days))",
        "(+ (+ (+ (+ (+ (duration 1 weeks) (duration 2 weeks)) (duration 1 months)) (duration 6 months)) "
        "(duration 1 years)) (duration 4 years))"},
       {}},
      {"dates", "define d = 2025-03-03\ndefine leap = 2024-02-29", {"(define d (date 2025-03-03))", "(date 2024-02-29)"}, {}},
      {"instants",
       "define a = 2025-03-03T10:00:00+01:00\ndefine b = 2025-03-03T10:00:00Z\ndefine c = 2025-03-03T10:00:00.250Z\n"
       "define e = 2025-03-03T10:00Z",
       {"(datetime 2025-03-03T10:00:00+01:00)", "(datetime 2025-03-03T10:00:00Z)", "(datetime 2025-03-03T10:00:00.250Z)",
        "(datetime 2025-03-03T10:00Z)"},
       {}},
      {"date minus duration", "define d = due - 2 days", {"(- due (duration 2 days))"}, {}},
      {"impossible date", "define d = 2025-02-30", {}, {{DiagCode::invalid_literal, 2}}},
      {"not a leap year", "define d = 2023-02-29", {}, {{DiagCode::invalid_literal, 2}}},
      {"bad month", "define d = 2025-13-01", {}, {{DiagCode::invalid_literal, 2}}},
      {"instant without zone", "define d = 2025-03-03T10:00:00", {}, {{DiagCode::invalid_literal, 2}}},
      {"bad hour", "define d = 2025-03-03T25:00:00Z", {}, {{DiagCode::invalid_literal, 2}}},
      {"integer too large", "define n = 99999999999999999999", {"(define n (error))"}, {{DiagCode::invalid_literal, 2}}},
      {"unknown escape", "define s = \"a\\qb\"", {}, {{DiagCode::invalid_literal, 2}}},
  });
}

TEST_CASE("soft keywords serve as names", "[parse][names]") {
  run_all({
      {"field names that are keywords",
       "record M { kind: K text: string version: string condition: bool measure: string strength: int days: int "
       "review: bool deadline: date test: bool given: int hours: int year: int null: bool }",
       {"(field kind K) (field text string) (field version string) (field condition bool) (field measure string) "
        "(field strength int) (field days int) (field review bool) (field deadline date) (field test bool) "
        "(field given int) (field hours int) (field year int) (field null bool)"},
       {}},
      {"keyword-named fields in expressions",
       "define x = m.kind == hearing and review and m.text == \"a\" and days > 3 and m.deadline is known",
       {"(and (and (and (and (== (. m kind) hearing) review) (== (. m text) \"a\")) (> days 3)) (is-known (. m deadline)))"},
       {}},
      {"starting words as members and mid-line names", "define x = a.define or a.because or x == review",
       {"(or (or (. a define) (. a because)) (== x review))"}, {}},
      {"keyword-named enum, type and define", "enum kind { text, review }\ndefine days = 3\nrecord measure { count: int }",
       {"(enum kind text review)", "(define days 3)", "(record measure (field count int))"}, {}},
      {"keyword-named labels and given keys",
       "article \"1\" { kind: refuse optional when text }\ntest \"t\" { given { kind: review, text: \"x\" } }",
       {"(refuse-optional (label kind) (when text))", "(given (kind review) (text \"x\"))"}, {}},
      {"unit words as names", "define x = days + hours * year", {"(+ days (* hours year))"}, {}},
      {"an integer then a unit-named label on the next line",
       "article \"1\" { review when a > 3\n days: review when b }",
       {"(review (when (> a 3)))", "(review (label days) (when b))"}, {}},
  });
}

TEST_CASE("embedded tests with given values and expectations", "[parse][tests]") {
  run_all({
      {"given values of every kind",
       "test \"t\" { given { a: null b: true c: -3 d: 2.5 e: \"s\" f: 2025-01-02 g: 2025-01-02T03:04:05Z h: member "
       "i: [1, 2] j: { k: 1 } l: -1.5 } }",
       {"(a null) (b true) (c -3) (d 2.5) (e \"s\") (f (date 2025-01-02)) (g (datetime 2025-01-02T03:04:05Z)) "
        "(h member) (i [1 2]) (j {(k 1)}) (l -1.5)"},
       {}},
      {"given durations become ISO 8601",
       "test \"t\" { given { a: 4 years b: 24 hours c: 1 week d: 3 days e: 2 months f: 1 hour } }",
       {"(a (duration P4Y)) (b (duration PT24H)) (c (duration P1W)) (d (duration P3D)) (e (duration P2M)) "
        "(f (duration PT1H))"},
       {}},
      {"working days are not a request value", "test \"t\" { given { a: 10 working days } }", {"(a (error))"},
       {{DiagCode::bad_test, 2}}},
      {"given with a unit-named key after an integer", "test \"t\" { given {\n a: 3\n days: 4\n} }",
       {"(given (a 3) (days 4))"}, {}},
      {"every expectation",
       "test \"t\" { expect {\n outcome: refusal_available, measure 2: refuse\n ground \"11(1)(g)\"\n no ground \"9(3)\"\n"
       " deadline r: 2025-04-02\n deadline s: 2025-04-02T10:00:00Z missed\n deadline u: 2025-04-02 met\n"
       " no deadline e\n missing: []\n missing: [a, b.c, d[12].e, f[0]]\n obligation o\n no obligation p\n"
       " condition c\n no condition q\n} }",
       {"(expect (outcome refusal_available) (measure 2 refuse) (ground \"11(1)(g)\") (no-ground \"9(3)\") "
        "(deadline r 2025-04-02) (deadline s 2025-04-02T10:00:00Z missed) (deadline u 2025-04-02 met) "
        "(no-deadline e) (missing) (missing a b.c d[12].e f[0]) (obligation o) (no-obligation p) (condition c) "
        "(no-condition q))"},
       {}},
      {"unknown deadline status", "test \"t\" { expect { deadline r: 2025-04-02 late } }", {},
       {{DiagCode::bad_test, 2}}},
      {"given and expect blocks in any order", "test \"t\" { expect { outcome: execute } given { a: 1 } }",
       {"(test \"t\" (given (a 1)) (expect (outcome execute)))"}, {}},
  });
}

TEST_CASE("what the builder reports itself", "[parse][diagnostics]") {
  run_all({
      {"duplicate when", "article \"1\" { review when a when b }", {"(review (when a))"}, {{DiagCode::bad_clause, 2}}},
      {"duplicate strength and because",
       "article \"1\" { deadline d = x strength hard strength soft because \"a\" because \"b\" }",
       {"(strength hard)", "(because \"a\")"},
       {{DiagCode::bad_clause, 2}, {DiagCode::bad_clause, 2}}},
      {"unless may repeat", "article \"1\" { review unless a unless b }", {"(unless a) (unless b)"}, {}},
      {"refuse without modality", "article \"1\" { refuse when a }", {"(refuse-optional (when a))"},
       {{DiagCode::bad_clause, 2}}},
  });
  Parsed p = parse_text("define x = 1\n");
  REQUIRE(p.result.diagnostics.size() == 1);
  CHECK(p.result.diagnostics[0].code == DiagCode::missing_header);
  Parsed empty = parse_text("");
  REQUIRE(empty.result.diagnostics.size() == 1);
  CHECK(empty.result.diagnostics[0].code == DiagCode::missing_header);
}

TEST_CASE("lexical mistakes", "[parse][diagnostics]") {
  run_all({
      {"unterminated string keeps the rest of the file",
       "define a = \"open\ndefine b = 2", {"(define a \"open\")", "(define b 2)"}, {{DiagCode::unterminated_string, 2}}},
      {"stray characters are one diagnostic per run", "define a = 1 @@ \ndefine b = 2 # 3", {"(define b"},
       {{DiagCode::syntax_error, 2}, {DiagCode::syntax_error, 3}, {DiagCode::unexpected_token, 3}}},
      {"unterminated block comment", "define a = 1 /* no end\ndefine b = 2", {"(define a 1)"},
       {{DiagCode::syntax_error, 2}}},
  });
}

TEST_CASE("independent mistakes on six lines give six located diagnostics", "[parse][recovery]") {
  const std::string text =
      "policy p \"t\"\n"                                   // 1
      "define a = 1 +\n"                                   // 2  expression cut short
      "define b = (2 * 3\n"                                // 3  missing `)`
      "record R { x: int y: }\n"                           // 4  missing type
      "article \"1\" {\n"                                  // 5
      "  refuse optional when x == because \"r\"\n"        // 6  missing operand
      "  postpone when y because\n"                        // 7  missing reason
      "}\n"                                                // 8
      "test \"t\" { expect { outcome execute } }\n"        // 9  missing `:`
      "define c = 3\n";                                    // 10 still parsed
  Parsed p = parse_text(text);
  INFO(p.rendered);
  std::vector<uint32_t> lines;
  for (const auto& d : p.result.diagnostics) lines.push_back(p.sources.files[0].line_col(d.span.begin).first);
  CHECK(lines == std::vector<uint32_t>{2, 3, 4, 6, 7, 9});
  CHECK(squeeze(p.dump).find("(define c 3)") != std::string::npos);
  CHECK(squeeze(p.dump).find("(record R (field x int) (field y (error-type)))") != std::string::npos);
  check_spans(p);
  // Messages follow the house style and speak the drafter's language.
  const auto& ds = p.result.diagnostics;
  CHECK(ds[0].message == "expected an expression at the end of this line");
  CHECK(ds[1].message == "expected `)` before `record`");
  CHECK(ds[2].message == "unexpected `}`, expected a type");
  CHECK(ds[3].message == "unexpected `because`, expected an expression");
  CHECK(ds[4].message == "expected a string before `}`");
  CHECK(ds[5].message == "expected `:` before `execute`");
  for (const auto& d : ds) {
    CHECK(!d.message.empty());
    CHECK(d.message.back() != '.');
    CHECK(std::islower(static_cast<unsigned char>(d.message[0])));
  }
}

TEST_CASE("spans are byte offsets also after non-ASCII text", "[parse][spans]") {
  const std::string text = "policy p \"§ 3 — Article\"\ndefine a = \"é — ü\" @ + 1\ndefine b = 1 +";
  Parsed p = parse_text(text);
  INFO(p.rendered);
  REQUIRE(p.result.diagnostics.size() == 2);
  const auto& stray = p.result.diagnostics[0];
  CHECK(stray.code == DiagCode::syntax_error);
  CHECK(stray.span.begin == text.find('@'));
  CHECK(stray.span.end == text.find('@') + 1);
  // Columns are bytes + 1: `define a = "é — ü" ` is 19 characters but 23 bytes.
  CHECK(p.sources.files[0].line_col(stray.span.begin) == std::pair<uint32_t, uint32_t>{2, 24});
  const auto& cut = p.result.diagnostics[1];
  CHECK(cut.span.begin == text.find("1 +") + 3);  // just after the `+`
  CHECK(cut.span.end == cut.span.begin);
  CHECK(p.result.module.header.title == "§ 3 — Article");

  // Node spans too: the string literal covers its bytes, quotes included.
  Parsed q = parse_text("policy p \"§\"\ndefine a = \"é — ü\"\n");
  REQUIRE(q.result.diagnostics.empty());
  const auto& d = std::get<ast::DefineDecl>(q.result.module.decls[0]);
  const std::string& t = q.sources.files[0].text;
  CHECK(t.substr(d.value->span.begin, d.value->span.end - d.value->span.begin) == "\"é — ü\"");
  CHECK(t.substr(d.span.begin, d.span.end - d.span.begin) == "define a = \"é — ü\"");
  CHECK(t.substr(d.name.span.begin, d.name.span.end - d.name.span.begin) == "a");
}

TEST_CASE("dump can show spans", "[parse][dump]") {
  Parsed p = parse_text("policy p \"t\"\ndefine a = b + 1\n");
  std::string with = ast::dump(p.result.module, {.spans = true});
  CHECK(with.find("(define@13..29 a@20..21 (+@24..29 b@24..25 1@28..29))") != std::string::npos);
}

TEST_CASE("comments are kept with their spans for the formatter", "[parse][comments]") {
  const std::string text = "policy p \"t\" // one\n/* two\n lines */ define a = 1 /* unterminated";
  SourceSet set;
  set.add("c.comity", text);
  auto cs = syntax::comments(set, 0);
  REQUIRE(cs.size() == 3);
  CHECK(cs[0].text == "// one");
  CHECK(cs[1].text == "/* two\n lines */");
  CHECK(cs[2].text == "/* unterminated");
  for (const auto& c : cs) CHECK(text.substr(c.span.begin, c.span.end - c.span.begin) == c.text);
  // Comments do not disturb the parse.
  Parsed p = parse_text("policy p \"t\" // c\ndefine /* x */ a = 1 // d\n");
  CHECK(p.result.diagnostics.empty());
}

TEST_CASE("every prefix of the sketch parses without crashing", "[parse][robustness]") {
  const std::string text = sketch_text();
  size_t with_errors = 0;
  for (size_t n = 0; n <= text.size(); ++n) {
    Parsed p = parse_text(text.substr(0, n));
    check_spans(p);
    if (!p.result.diagnostics.empty()) ++with_errors;
    if (n == text.size()) CHECK(p.result.diagnostics.empty());
  }
  CHECK(with_errors > 0);
}

TEST_CASE("garbage and binary and mangled input never crash", "[parse][robustness]") {
  std::mt19937 rng(20250303);
  for (int i = 0; i < 300; ++i) {
    std::string bytes(rng() % 400, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng() % 256);
    Parsed p = parse_text(bytes);
    check_spans(p);
    if (!bytes.empty()) CHECK(!p.result.diagnostics.empty());
  }
  const std::string text = sketch_text();
  const std::string punctuation = "{}()[]:,.=\"+-?/*";
  for (int i = 0; i < 300; ++i) {
    std::string m = text;
    m.erase(rng() % m.size(), rng() % 30);
    m.insert(rng() % m.size(), std::string(1, punctuation[rng() % punctuation.size()]));
    check_spans(parse_text(m));
  }
  check_spans(parse_text(std::string("policy p \"\xff\xfe\" \x00\x01 define", 24)));
  check_spans(parse_text("policy p \"t\"\ndefine a = \"\xe2\x80"));  // cut inside a UTF-8 sequence
  check_spans(parse_text(std::string(2000, '(')));
  check_spans(parse_text(std::string(2000, '{')));
}

TEST_CASE("input nested too deeply is refused rather than overflowing the stack", "[parse][robustness]") {
  std::string nots;
  for (int i = 0; i < 100000; ++i) nots += "not ";
  Parsed deep = parse_text("policy p \"t\"\ndefine a = " + nots + "b\n");
  REQUIRE(deep.result.diagnostics.size() == 1);
  CHECK(deep.result.diagnostics[0].message == "this expression is nested too deeply");
  Parsed parens = parse_text("policy p \"t\"\ndefine a = " + std::string(100000, '(') + "b");
  REQUIRE(parens.result.diagnostics.size() == 1);
  // A long flat expression is fine, and so is nesting a real policy might use.
  std::string sum = "x";
  for (int i = 0; i < 900; ++i) sum += " + x";
  CHECK(parse_text("policy p \"t\"\ndefine a = " + sum + "\ndefine b = " + sum).result.diagnostics.empty());
  for (int i = 0; i < 20000; ++i) sum += " + x";
  Parsed long_sum = parse_text("policy p \"t\"\ndefine a = " + sum);
  REQUIRE(long_sum.result.diagnostics.size() == 1);
  CHECK(long_sum.result.diagnostics[0].message == "this expression is too long");
  CHECK(parse_text("policy p \"t\"\ndefine a = " + std::string(100, '(') + "b" + std::string(100, ')'))
            .result.diagnostics.empty());
}

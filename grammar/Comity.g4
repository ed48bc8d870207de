// Comity.g4: the grammar of the Comity policy language (lexer + parser). Knows nothing of our AST.
//
// Keywords are "soft": apart from the few words that could start or continue an expression
// (if then else and or not in is true false), every keyword is also accepted wherever a name
// is (rule `identifier`), so a field may be called `kind`, `text`, `review` or `days`.
grammar Comity;

@parser::members {
  // True when the next token is the first on its line.
  bool startsLine() {
    antlr4::Token* next = _input->LT(1);
    antlr4::Token* prev = _input->LT(-1);
    return next != nullptr && (prev == nullptr || prev->getLine() < next->getLine());
  }
  // A word that starts a declaration, a clause or a clause modifier is read as that keyword, never
  // as a name, where it begins a line or plainly begins its phrase (`because "…"`, `met by`), so
  // that an expression left unfinished before it is reported where it stops.
  bool startsPhrase() {
    if (startsLine()) return true;
    size_t next = _input->LA(2);
    switch (_input->LA(1)) {
      case BECAUSE: return next == STRING || next == UNTERMINATED_STRING;
      case MET: return next == BY;
      case PREVAILS: return next == OVER;
      case STRENGTH: return next == HARD || next == SOFT || next == TARGET;
      case OTHERWISE:
        return next == REFUSE || next == POSTPONE || next == RETURN || next == USE || next == IMPOSSIBLE ||
               next == REVIEW;
      default: return false;
    }
  }
}

// ===================================================================== parser

module      : header? decl* EOF ;

header      : POLICY dottedName stringLit (VERSION (stringLit | DATE))? (CITATION stringLit)? ;
dottedName  : identifier ('.' identifier)* ;

decl
  : PERIODS identifier (CALENDAR expr)?                                   # periodsDecl
  | TODAY expr                                                            # todayDecl
  | ENUM identifier '{' (identifier (',' identifier)* ','?)? '}'          # enumDecl
  | RECORD identifier '{' (field ','?)* '}'                               # recordDecl
  | INPUT '{' (field ','?)* '}'                                           # inputDecl
  | DECIDE EACH identifier IN expr                                        # decideDecl
  | DEFINE identifier '=' expr                                            # defineDecl
  | ARTICLE stringLit stringLit? (TEXT stringLit)? '{' clause* '}'        # articleDecl
  | TEST stringLit '{' testBlock* '}'                                     # testDecl
  ;

field       : identifier ':' typeRef ;

typeRef     : baseType '?'? ;        // `?`: the fact may be unknown (on a list: the list may be)
baseType
  : SET OF typeName                                                       # setType
  | LIST OF baseType                                                      # listType
  | typeName                                                              # namedType
  ;
// A name at the start of a line followed by `:` begins the next field, never a type.
typeName    : {!(startsLine() && _input->LA(2) == COLON)}? identifier ;

// ---- clauses
clause      : (labelName ':')? clauseHead clauseModifier* ;
// A clause label: any name but a word that starts a clause, so a clause start is never a label.
labelName   : IDENT | nonStarterKeyword ;

clauseHead
  : effectKind                                                            # effectHead
  | CONDITION identifier                                                  # conditionHead
  | REQUIRE expr OTHERWISE effectKind                                     # requireHead
  | EXCEPTION TO target (',' target)*                                     # exceptionHead
  | DEADLINE identifier '=' expr                                          # deadlineHead
  | OBLIGATION identifier stringLit                                       # obligationHead
  ;

effectKind
  : REFUSE (MANDATORY | OPTIONAL)?                                        # refuseKind
  | POSTPONE                                                              # postponeKind
  | RETURN                                                                # returnKind
  | USE OTHER MEASURE                                                     # otherMeasureKind
  | IMPOSSIBLE                                                            # impossibleKind
  | REVIEW                                                                # reviewKind
  ;

clauseModifier
  : WHEN expr                                                             # whenModifier
  | UNLESS expr                                                           # unlessModifier
  | PREVAILS OVER target (',' target)*                                    # prevailsModifier
  | STRENGTH (HARD | SOFT | TARGET)                                       # strengthModifier
  | MET BY expr                                                           # metByModifier
  | BECAUSE stringLit                                                     # becauseModifier
  ;

target      : labelName | stringLit ;

// ---- expressions, tightest first (ANTLR gives earlier alternatives higher precedence)
expr
  : expr '.' identifier                                                   # memberExpr
  | '-' expr                                                              # negExpr
  | expr op=('*' | '/') expr                                              # mulExpr
  | expr op=('+' | '-') expr                                              # addExpr
  | expr IS (KNOWN | UNKNOWN)                                             # isKnownExpr
  | expr compareOp expr                                                   # compareExpr
  | NOT expr                                                              # notExpr
  | expr AND expr                                                         # andExpr
  | expr OR expr                                                          # orExpr
  | IF expr THEN expr ELSE expr                                           # ifExpr
  | quantifier identifier IN expr WHERE expr                              # quantifiedExpr
  | primary                                                               # primaryExpr
  ;

compareOp   : '==' | '!=' | '<' | '<=' | '>' | '>=' | IN | NOT IN ;
quantifier  : ANY | ALL | COUNT ;

primary
  : INT durationUnit                                                      # durationLit
  | INT                                                                   # intLit
  | DECIMAL                                                               # decimalLit
  | stringLit                                                             # stringLitExpr
  | (TRUE | FALSE)                                                        # boolLit
  | DATE                                                                  # dateLit
  | DATETIME                                                              # dateTimeLit
  | exprName '(' (expr (',' expr)*)? ')'                                  # callExpr
  | exprName                                                              # nameExpr
  | '(' expr ')'                                                          # parenExpr
  | '{' (identifier (',' identifier)* ','?)? '}'                          # setLit
  ;

durationUnit : HOUR | HOURS | DAY | DAYS | WORKING (DAY | DAYS) | WEEK | WEEKS | MONTH | MONTHS | YEAR | YEARS ;

// A name inside an expression: any name, except a starting word at the start of a line.
exprName    : IDENT | nonStarterKeyword | {!startsPhrase()}? starterKeyword ;

stringLit   : STRING | UNTERMINATED_STRING ;

// ---- embedded tests
testBlock
  : GIVEN '{' (givenEntry ','?)* '}'                                      # givenBlock
  | EXPECT '{' (expectation ','?)* '}'                                    # expectBlock
  ;

givenEntry  : identifier ':' givenValue ;

givenValue
  : NULL_KW                                                                  # givenNull
  | (TRUE | FALSE)                                                        # givenBool
  | '-'? INT durationUnit                                                 # givenDuration
  | '-'? INT                                                              # givenInt
  | '-'? DECIMAL                                                          # givenDecimal
  | stringLit                                                             # givenString
  | DATE                                                                  # givenDate
  | DATETIME                                                              # givenDateTime
  | identifier                                                            # givenEnum
  | '[' (givenValue ','?)* ']'                                            # givenList
  | '{' (givenEntry ','?)* '}'                                            # givenRecord
  ;

expectation
  : OUTCOME ':' identifier                                                # expectOutcome
  | MEASURE INT ':' identifier                                            # expectMeasure
  | NO? GROUND stringLit                                                  # expectGround
  | DEADLINE identifier ':' (DATE | DATETIME) identifier?                 # expectDeadline
  | NO DEADLINE identifier                                                # expectNoDeadline
  | MISSING ':' '[' (path (',' path)* ','?)? ']'                          # expectMissing
  | NO? OBLIGATION identifier                                             # expectObligation
  | NO? CONDITION identifier                                              # expectCondition
  ;

path        : pathStep ('.' pathStep)* ;
pathStep    : identifier ('[' INT ']')? ;

// Every keyword except the reserved ones (see README.md) is usable as a name.
identifier  : IDENT | starterKeyword | nonStarterKeyword ;

// Words that begin a declaration, a clause or a clause modifier.
starterKeyword
  : POLICY | PERIODS | TODAY | ENUM | RECORD | INPUT | DECIDE | DEFINE | ARTICLE | TEST
  | REFUSE | POSTPONE | RETURN | USE | IMPOSSIBLE | REVIEW | CONDITION | REQUIRE | EXCEPTION | DEADLINE
  | OBLIGATION | OTHERWISE | WHEN | UNLESS | PREVAILS | STRENGTH | MET | BECAUSE
  ;
nonStarterKeyword
  : VERSION | CITATION | CALENDAR | EACH | TEXT | GIVEN | EXPECT | SET | LIST | OF
  | MANDATORY | OPTIONAL | OTHER | MEASURE | TO | OVER | HARD | SOFT | TARGET | BY
  | KNOWN | UNKNOWN | ANY | ALL | COUNT | WHERE
  | HOUR | HOURS | DAY | DAYS | WORKING | WEEK | WEEKS | MONTH | MONTHS | YEAR | YEARS
  | NULL_KW | OUTCOME | GROUND | MISSING | NO
  ;

// ===================================================================== lexer

// reserved words
IF : 'if' ; THEN : 'then' ; ELSE : 'else' ; AND : 'and' ; OR : 'or' ; NOT : 'not' ; IN : 'in' ; IS : 'is' ;
TRUE : 'true' ; FALSE : 'false' ;

// soft keywords
POLICY : 'policy' ; VERSION : 'version' ; CITATION : 'citation' ; PERIODS : 'periods' ;
CALENDAR : 'calendar' ; TODAY : 'today' ; ENUM : 'enum' ; RECORD : 'record' ; INPUT : 'input' ;
DECIDE : 'decide' ; EACH : 'each' ; DEFINE : 'define' ; ARTICLE : 'article' ; TEXT : 'text' ;
TEST : 'test' ; GIVEN : 'given' ; EXPECT : 'expect' ; SET : 'set' ; LIST : 'list' ; OF : 'of' ;
REFUSE : 'refuse' ; MANDATORY : 'mandatory' ; OPTIONAL : 'optional' ; POSTPONE : 'postpone' ;
RETURN : 'return' ; USE : 'use' ; OTHER : 'other' ; MEASURE : 'measure' ; IMPOSSIBLE : 'impossible' ;
REVIEW : 'review' ; CONDITION : 'condition' ; REQUIRE : 'require' ; OTHERWISE : 'otherwise' ;
EXCEPTION : 'exception' ; TO : 'to' ; DEADLINE : 'deadline' ; OBLIGATION : 'obligation' ;
WHEN : 'when' ; UNLESS : 'unless' ; PREVAILS : 'prevails' ; OVER : 'over' ; STRENGTH : 'strength' ;
HARD : 'hard' ; SOFT : 'soft' ; TARGET : 'target' ; MET : 'met' ; BY : 'by' ; BECAUSE : 'because' ;
KNOWN : 'known' ; UNKNOWN : 'unknown' ; ANY : 'any' ; ALL : 'all' ; COUNT : 'count' ; WHERE : 'where' ;
HOUR : 'hour' ; HOURS : 'hours' ; DAY : 'day' ; DAYS : 'days' ; WORKING : 'working' ;
WEEK : 'week' ; WEEKS : 'weeks' ; MONTH : 'month' ; MONTHS : 'months' ; YEAR : 'year' ; YEARS : 'years' ;
NULL_KW : 'null' ; OUTCOME : 'outcome' ; GROUND : 'ground' ; MISSING : 'missing' ; NO : 'no' ;

// Dates and instants are single tokens; the builder checks the calendar and the time zone.
DATETIME    : DIGIT4 '-' DIGIT2 '-' DIGIT2 'T' DIGIT2 ':' DIGIT2 (':' DIGIT2 ('.' [0-9]+)?)? ZONE? ;
DATE        : DIGIT4 '-' DIGIT2 '-' DIGIT2 ;
DECIMAL     : [0-9]+ '.' [0-9]+ ;
INT         : [0-9]+ ;
IDENT       : [a-zA-Z_] [a-zA-Z0-9_]* ;

// Escapes are checked by the builder; a string cut short by the end of the line is its own
// token so the parser can carry on and the builder can say so.
STRING              : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '\\'? ;

EQ : '==' ; NE : '!=' ; LE : '<=' ; GE : '>=' ; LT : '<' ; GT : '>' ; ASSIGN : '=' ;
PLUS : '+' ; MINUS : '-' ; STAR : '*' ; SLASH : '/' ; DOT : '.' ; COMMA : ',' ; COLON : ':' ;
QUESTION : '?' ; LPAREN : '(' ; RPAREN : ')' ; LBRACE : '{' ; RBRACE : '}' ; LBRACK : '[' ; RBRACK : ']' ;

LINE_COMMENT         : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT        : '/*' .*? '*/' -> channel(HIDDEN) ;
// Cannot contain `*/`, so it only wins when no comment end follows before the end of the file.
UNTERMINATED_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF -> channel(HIDDEN) ;
WS                   : [ \t\r\n\f\u00A0\uFEFF]+ -> skip ;

// Anything else: kept off the parser's channel and reported once by the syntax layer.
ERROR_CHAR  : . -> channel(2) ;

fragment DIGIT2 : [0-9] [0-9] ;
fragment DIGIT4 : [0-9] [0-9] [0-9] [0-9] ;
fragment ZONE   : 'Z' | [+-] DIGIT2 ':' DIGIT2 ;

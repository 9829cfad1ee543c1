// Analyze(): lex once, split into statements, classify each, attach hints
// and compute the query shape.
#include "parser/parser.h"

#include <algorithm>
#include <limits>
#include <span>

#include "parser/classify.h"
#include "parser/families.h"
#include "parser/fingerprint.h"
#include "parser/hints.h"
#include "parser/lexer.h"
#include "parser/splitter.h"
#include "parser/writing_functions.h"

namespace switchyard::parser {
namespace {

// Null for the built-in list (looked up by IsDefaultWritingFunction()).
const std::vector<std::string>* WritingList(const Options& options) {
  return options.writing_functions.empty() ? nullptr : &options.writing_functions;
}

// Comments from just after the previous statement's ';' up to this
// statement's ';' belong to it; the last statement also takes trailing ones.
// `next` walks the (ordered) hint comments once across all statements.
void AttachHints(std::string_view sql, const LexResult& lex, size_t owned_to,
                 size_t& next, Analysis& out) {
  for (; next < lex.hint_comments.size(); ++next) {
    const HintComment& comment = lex.hint_comments[next];
    if (comment.next_token > owned_to) return;
    ReadHints(sql.substr(comment.begin, comment.length), out.hints);
  }
}

// Without a ';' the text is one statement (or none).
void Split(std::string_view sql, const LexResult& lex, Dialect dialect, TokenRanges& out) {
  if (lex.semicolons == 0) {
    out.clear();
    if (!lex.tokens.empty()) out.push_back(TokenRange{0, lex.tokens.size()});
    return;
  }
  SplitStatements(sql, lex.tokens, dialect, out);
}

}  // namespace

const std::vector<std::string>& DefaultWritingFunctions() {
  static const std::vector<std::string> kList(std::begin(kDefaultWritingFunctions),
                                              std::end(kDefaultWritingFunctions));
  return kList;
}

std::vector<Analysis> Analyze(std::string_view sql, Dialect dialect,
                              const Options& options) {
  std::vector<Analysis> result;
  AnalyzeInto(sql, dialect, options, result);
  return result;
}

namespace {

// For a text with semicolons: whether the lexer's shape and clause keywords
// still describe its one statement, i.e. its one ';' is its last token
// ("SELECT …;", as psql and pgbench send it). If so, the shape's trailing ';'
// (one text byte; the byte and its separator in the key) is dropped from it.
// (A short text without ';' is its one statement: the caller needs no call.)
bool TrimShapeToStatement(LexResult& lex, size_t statements) {
  if (!lex.shape.ready || statements != 1 || lex.semicolons != 1 ||
      lex.tokens.back().kind != TokenKind::kSemicolon) {
    return false;
  }
  lex.shape.text_size -= 1;
  lex.shape.key_size -= 2;
  return true;
}

// The analysis of the statement `ctx` is set up for (ctx.out reset by the
// caller when reused): its family's parser, its hint comments (those before
// token `hints_to` from `next_hint` on), its fingerprint and normalized text
// — from the lexer's shape when `lexer_shape` (the statement is the whole
// text, so the lexer's clause keywords are its own too).
[[gnu::always_inline]] inline void AnalyzeStatement(StatementContext& ctx, Stale& stale,
                                                    LexResult& lex, bool lexer_shape,
                                                    size_t hints_to, size_t& next_hint) {
  ctx.stale = &stale;
  if (lexer_shape) {
    ctx.clause_at = lex.clause_at;
    ctx.clause_count = lex.clause_count;
    ctx.walk_scan = lex.clause_depth != 0;
  }
  ClassifyStatement(ctx);
  DropStale(*ctx.out, stale);
  AttachHints(ctx.sql, lex, hints_to, next_hint, *ctx.out);
  if (lexer_shape) {
    FinishShape(lex.shape, lex.max_parameter, ctx.Pg(), *ctx.out);
  } else {
    Fingerprint(ctx);
  }
}

// A text without ';': one statement, all of its tokens (or none), with the
// lexer's shape when it is short enough. The loop of AnalyzeInto() for
// that one statement, without the ranges.
void AnalyzeWhole(std::string_view sql, Dialect dialect,
                  const std::vector<std::string>* writing, std::vector<Analysis>& out,
                  LexResult& lex) {
  if (lex.tokens.empty()) return out.clear();
  Stale stale;
  if (out.empty()) {
    out.emplace_back();
  } else {
    out.resize(1);
    ResetAnalysis(out[0], stale);
  }
  StatementContext ctx{sql, std::span<const Token>(lex.tokens), dialect, writing, &out[0]};
  ctx.max_parameter = lex.max_parameter;
  size_t next_hint = 0;
  AnalyzeStatement(ctx, stale, lex, lex.shape.ready, lex.tokens.size(), next_hint);
}

}  // namespace

void AnalyzeInto(std::string_view sql, Dialect dialect, const Options& options,
                 std::vector<Analysis>& out) {
  LexResult lex;
  AnalyzeInto(sql, dialect, options, out, lex);
}

void AnalyzeInto(std::string_view sql, Dialect dialect, const Options& options,
                 std::vector<Analysis>& out, LexResult& lex) {
  Stale stale;
  if (sql.size() >= std::numeric_limits<uint32_t>::max()) {
    out.resize(1);
    ResetAnalysis(out[0], stale);
    DropStale(out[0], stale);
    out[0].reason = "statement text too long";
    out[0].fingerprint = 0;
    out[0].normalized.clear();  // ResetAnalysis() leaves it
    return;
  }
  Lex(sql, dialect, lex);
  if (lex.semicolons == 0) return AnalyzeWhole(sql, dialect, WritingList(options), out, lex);
  TokenRanges split;
  SplitStatements(sql, lex.tokens, dialect, split);
  const std::span<const TokenRange> ranges = split;
  const bool lexer_shape = TrimShapeToStatement(lex, ranges.size());
  const size_t reused = std::min(out.size(), ranges.size());
  out.resize(ranges.size());
  const std::span<const Token> all(lex.tokens);
  const std::vector<std::string>* const writing = WritingList(options);
  size_t next_hint = 0;
  for (size_t i = 0; i < ranges.size(); ++i) {
    const TokenRange& r = ranges[i];
    if (i < reused) ResetAnalysis(out[i], stale);
    StatementContext ctx{sql, all.subspan(r.begin, r.end - r.begin), dialect, writing,
                         &out[i]};
    if (ranges.size() == 1) ctx.max_parameter = lex.max_parameter;
    const size_t hints_to = i + 1 == ranges.size() ? lex.tokens.size() : r.end;
    AnalyzeStatement(ctx, stale, lex, lexer_shape, hints_to, next_hint);
  }
}

std::vector<std::string_view> StatementTexts(std::string_view sql,
                                             Dialect dialect) {
  std::vector<std::string_view> texts;
  if (sql.size() >= std::numeric_limits<uint32_t>::max()) return texts;
  LexResult lex;
  Lex(sql, dialect, lex);
  TokenRanges ranges;
  Split(sql, lex, dialect, ranges);
  for (const TokenRange& r : ranges) {
    const Token& first = lex.tokens[r.begin];
    const Token& last = lex.tokens[r.end - 1];
    texts.push_back(sql.substr(first.begin, last.begin + last.length - first.begin));
  }
  return texts;
}

Analysis AnalyzeInner(const StatementContext& ctx, size_t begin, size_t end) {
  constexpr int kMaxDepth = 16;
  Analysis inner;
  end = std::min(end, ctx.tokens.size());
  if (ctx.depth >= kMaxDepth) {
    NotReadOnly(inner, "statements nested too deeply");
    NotReadOnly(*ctx.out, "statements nested too deeply");
    return inner;
  }
  if (begin >= end) {
    NotReadOnly(inner, "missing statement");
    return inner;
  }
  StatementContext sub = ctx;
  sub.tokens = ctx.tokens.subspan(begin, end - begin);
  sub.out = &inner;
  sub.depth = ctx.depth + 1;
  sub.max_parameter = -1;
  sub.param_scan_pos = 0;
  sub.param_scan_count = 0;
  sub.stale = nullptr;  // `inner` is fresh
  sub.clause_at = nullptr;  // they index the whole statement's tokens
  sub.walk_scan = true;
  ClassifyStatement(sub);
  for (const TableRef& t : inner.tables) {
    AddTable(ctx, t.schema, t.name, t.written);
  }
  for (const std::string& f : inner.functions) AddFunction(ctx, f);
  return inner;
}

}  // namespace switchyard::parser

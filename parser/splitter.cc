#include "parser/splitter.h"

#include <algorithm>

#include "parser/cursor.h"

namespace switchyard::parser {
namespace {

bool WordIs(std::string_view sql, const Token& t, std::string_view lower) {
  return t.kind == TokenKind::kWord && EqualsIgnoreCase(t.Text(sql), lower);
}

// Only CREATE … FUNCTION/PROCEDURE/TRIGGER/EVENT can hold a body with
// semicolons; only then are BEGIN/CASE … END blocks counted.
bool MayHaveBody(std::string_view sql, std::span<const Token> tokens,
                 size_t begin) {
  if (!tokens[begin].Is(Keyword::kCreate)) return false;
  const size_t limit = std::min(tokens.size(), begin + 12);
  for (size_t i = begin + 1; i < limit; ++i) {
    const Token& t = tokens[i];
    if (t.Is(Keyword::kFunction) || t.Is(Keyword::kProcedure) ||
        WordIs(sql, t, "trigger") || WordIs(sql, t, "event")) {
      return true;
    }
  }
  return false;
}

bool OpensBlock(std::span<const Token> tokens, size_t i, Dialect dialect) {
  const Token& t = tokens[i];
  const Token* next = i + 1 < tokens.size() ? &tokens[i + 1] : nullptr;
  if (t.Is(Keyword::kCase)) return true;
  if (dialect == Dialect::kPostgres) {
    return t.Is(Keyword::kBegin) && next && next->Is(Keyword::kAtomic);
  }
  return t.Is(Keyword::kBegin) && next && next->kind != TokenKind::kSemicolon;
}

bool ClosesBlock(std::string_view sql, std::span<const Token> tokens,
                 size_t i) {
  if (!tokens[i].Is(Keyword::kEnd)) return false;
  if (i + 1 >= tokens.size()) return true;
  const Token& next = tokens[i + 1];
  // END IF / LOOP / WHILE / REPEAT close blocks that are not counted.
  return !(next.Is(Keyword::kIf) || WordIs(sql, next, "loop") ||
           WordIs(sql, next, "while") || WordIs(sql, next, "repeat"));
}

}  // namespace

void SplitStatements(std::string_view sql, std::span<const Token> tokens,
                     Dialect dialect, TokenRanges& out) {
  out.clear();
  size_t begin = 0;
  int block_depth = 0;
  bool has_body = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i == begin) has_body = MayHaveBody(sql, tokens, begin);
    if (tokens[i].kind != TokenKind::kSemicolon) {
      if (!has_body) continue;
      if (OpensBlock(tokens, i, dialect)) ++block_depth;
      if (block_depth > 0 && ClosesBlock(sql, tokens, i)) --block_depth;
      continue;
    }
    if (block_depth > 0) continue;
    if (i > begin) out.push_back(TokenRange{begin, i});
    begin = i + 1;
  }
  if (tokens.size() > begin) out.push_back(TokenRange{begin, tokens.size()});
}

}  // namespace switchyard::parser

// The keywords that bound or name a clause of a query's top level (FROM,
// WHERE, JOIN, ORDER, LIMIT, …): what the query shape's clause scan looks
// for, and what the lexer notes at parenthesis depth 0 so that a text of one
// statement needs no such scan (LexResult::clause_at); and the other
// keywords the query walker acts on, which the lexer watches for so that
// the walker may go by the clause keywords too (LexResult::clause_depth).
// Constant data.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "parser/keywords.h"

namespace switchyard::parser {

// Keywords that end the clause before them.
constexpr bool IsClauseBoundary(Keyword k) {
  switch (k) {
    case Keyword::kFrom: case Keyword::kWhere: case Keyword::kGroup:
    case Keyword::kHaving: case Keyword::kOrder: case Keyword::kLimit:
    case Keyword::kOffset: case Keyword::kFetch: case Keyword::kFor:
    case Keyword::kWindow: case Keyword::kReturning: case Keyword::kUnion:
    case Keyword::kIntersect: case Keyword::kExcept: case Keyword::kInto:
    case Keyword::kOn: case Keyword::kJoin: case Keyword::kLeft:
    case Keyword::kRight: case Keyword::kInner: case Keyword::kFull:
    case Keyword::kCross: case Keyword::kNatural: case Keyword::kStraightJoin:
    case Keyword::kUsing: case Keyword::kWhen: case Keyword::kLock:
    case Keyword::kSet:
      return true;
    default:
      return false;
  }
}

// Boundaries and the keywords that open a clause the shape reads.
constexpr std::array<bool, 256> BuildClauseKeywords() {
  std::array<bool, 256> t{};
  for (size_t k = 1; k < 256; ++k) t[k] = IsClauseBoundary(static_cast<Keyword>(k));
  for (Keyword k : {Keyword::kSelect, Keyword::kFrom, Keyword::kWhere, Keyword::kGroup,
                    Keyword::kHaving, Keyword::kOrder, Keyword::kLimit, Keyword::kOffset,
                    Keyword::kFetch, Keyword::kOn, Keyword::kUnion, Keyword::kIntersect,
                    Keyword::kExcept}) {
    t[static_cast<size_t>(k)] = true;
  }
  return t;
}

inline constexpr std::array<bool, 256> kClauseKeywords = BuildClauseKeywords();

// What the lexer does at a keyword at parenthesis depth 0: notes a clause
// keyword's position; at a keyword the walker acts on that is no clause
// keyword (query_walker_rules.h checks that these are all of them), other
// than as the first token, tells the walker to scan (LexResult::kWalkScan).
enum : uint8_t { kNoteClause = 1, kNoteWalkScan = 2 };
constexpr std::array<uint8_t, 256> BuildLexerNotes() {
  std::array<uint8_t, 256> t{};
  for (size_t k = 0; k < 256; ++k) t[k] = kClauseKeywords[k] ? kNoteClause : 0;
  for (Keyword k : {Keyword::kWith, Keyword::kValues, Keyword::kTable, Keyword::kInsert,
                    Keyword::kReplace, Keyword::kUpdate, Keyword::kDelete, Keyword::kMerge,
                    Keyword::kProcedure}) {
    if (t[static_cast<size_t>(k)] == 0) t[static_cast<size_t>(k)] = kNoteWalkScan;
  }
  return t;
}
inline constexpr std::array<uint8_t, 256> kLexerNotes = BuildLexerNotes();

}  // namespace switchyard::parser

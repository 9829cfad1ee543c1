// Keyword classes the query walker decides by: where a query starts, which
// keywords may be called like functions, which end a FROM list, which bare
// words are SQL value functions rather than tables, and what the walker
// does at each token (kActs).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parser/clause_keywords.h"
#include "parser/keywords.h"
#include "parser/token.h"

namespace switchyard::parser {

// SELECT/WITH/VALUES/TABLE or a DML verb: the start of a (sub)query.
bool IsQueryStart(const Token& t);

// Keywords that double as function names when followed by '('.
bool IsCallableKeyword(Keyword k);

// CURRENT_DATE and friends: functions without parentheses (lower case).
inline constexpr std::string_view kSqlValueFunctionNames[] = {
    "user",           "localtime",      "current_date",    "current_role",
    "current_time",   "current_user",   "session_user",    "current_schema",
    "localtimestamp", "current_catalog", "current_timestamp",
};
inline constexpr size_t kLongestSqlValueFunctionName = 17;

// For each length, the first bytes of the names that long: at most two (the
// first twice when there is one; zeros when none), so that most names are
// ruled out inline by their length and first byte. Built from the names: a
// third first byte for one length fails the build.
constexpr std::array<std::array<char, 2>, kLongestSqlValueFunctionName + 1>
BuildSqlValueFunctionFirstBytes() {
  std::array<std::array<char, 2>, kLongestSqlValueFunctionName + 1> t{};
  for (std::string_view name : kSqlValueFunctionNames) {
    std::array<char, 2>& first = t.at(name.size());  // too long a name fails the build
    if (first[0] == 0) {
      first = {name[0], name[0]};
    } else if (name[0] != first[0] && name[0] != first[1]) {
      if (first[1] != first[0]) throw "three first bytes for one length";
      first[1] = name[0];
    }
  }
  return t;
}
inline constexpr auto kSqlValueFunctionFirstBytes = BuildSqlValueFunctionFirstBytes();

bool IsSqlValueFunctionName(std::string_view name);  // the full compare
inline bool IsSqlValueFunction(std::string_view name) {
  if (name.empty() || name.size() > kLongestSqlValueFunctionName) return false;
  const std::array<char, 2>& first = kSqlValueFunctionFirstBytes[name.size()];
  if (name[0] != first[0] && name[0] != first[1]) return false;
  return IsSqlValueFunctionName(name);
}

// Keywords that end a table reference where its alias could stand: the
// reserved ones (WHERE, SET, ON, JOIN, …) other than those that may start
// what follows the name (AS, PARTITION, MySQL's index hints).
constexpr std::array<bool, 256> BuildEndsTableRef() {
  std::array<bool, 256> ends{};
  for (size_t k = 1; k < std::size(kKeywordReserved) && k < 256; ++k) ends[k] = kKeywordReserved[k];
  for (Keyword k : {Keyword::kAs, Keyword::kPartition, Keyword::kUse, Keyword::kForce,
                    Keyword::kIgnore}) {
    ends[static_cast<size_t>(k)] = false;
  }
  return ends;
}
inline constexpr std::array<bool, 256> kEndsTableRef = BuildEndsTableRef();

// Clause keywords after which a ',' no longer introduces a table (the
// walker tabulates it per keyword).
constexpr bool EndsFromList(Keyword k) {
  switch (k) {
    case Keyword::kWhere: case Keyword::kGroup: case Keyword::kHaving:
    case Keyword::kOrder: case Keyword::kLimit: case Keyword::kOffset:
    case Keyword::kFetch: case Keyword::kFor: case Keyword::kUnion:
    case Keyword::kIntersect: case Keyword::kExcept: case Keyword::kWindow:
    case Keyword::kReturning: case Keyword::kSet: case Keyword::kInto:
    case Keyword::kWhen: case Keyword::kSelect: case Keyword::kValues:
    case Keyword::kLock: case Keyword::kProcedure:
      return true;
    default:
      return false;
  }
}

// What the walker does at a token (one case of its Step() each). Most tokens
// need nothing (kNone): identifiers, literals, operators, dots and most
// keywords (AND, ON, BY, …).
enum class Act : uint8_t {
  kNone,
  kOpen, kClose, kComma,
  // Keywords (all from here on).
  kEndsFromList, kFrom, kJoin, kUsing, kWith, kSelect, kValues, kTable,
  kInsert, kUpdate, kDelete, kMerge, kInto, kFor, kLock,
};

constexpr Act KeywordAct(Keyword k) {
  switch (k) {
    case Keyword::kNone: return Act::kNone;
    case Keyword::kFrom: return Act::kFrom;
    case Keyword::kJoin: case Keyword::kStraightJoin: return Act::kJoin;
    case Keyword::kUsing: return Act::kUsing;
    case Keyword::kWith: return Act::kWith;
    case Keyword::kSelect: return Act::kSelect;
    case Keyword::kValues: return Act::kValues;
    case Keyword::kTable: return Act::kTable;
    case Keyword::kInsert: case Keyword::kReplace: return Act::kInsert;
    case Keyword::kUpdate: return Act::kUpdate;
    case Keyword::kDelete: return Act::kDelete;
    case Keyword::kMerge: return Act::kMerge;
    case Keyword::kInto: return Act::kInto;
    case Keyword::kFor: return Act::kFor;
    case Keyword::kLock: return Act::kLock;
    default: return EndsFromList(k) ? Act::kEndsFromList : Act::kNone;
  }
}

constexpr Act KindAct(TokenKind k) {
  switch (k) {
    case TokenKind::kLParen: case TokenKind::kLBracket: return Act::kOpen;
    case TokenKind::kRParen: case TokenKind::kRBracket: return Act::kClose;
    case TokenKind::kComma: return Act::kComma;
    default: return Act::kNone;
  }
}

// The action at a token, indexed by ActIndex(): a word's kind is 0 (kWord)
// and other tokens' keyword is 0 (kNone), so the index is the keyword of a
// word and 256 − kind for anything else — one table load for both.
inline size_t ActIndex(const Token& t) {
  return static_cast<uint8_t>(static_cast<unsigned>(t.keyword) - static_cast<unsigned>(t.kind));
}

constexpr size_t kKeywords = 0
#define SWITCHYARD_KEYWORD_COUNT(name, text, reserved) +1
    SWITCHYARD_PARSER_KEYWORDS(SWITCHYARD_KEYWORD_COUNT)
#undef SWITCHYARD_KEYWORD_COUNT
    ;
static_assert(static_cast<int>(TokenKind::kWord) == 0 && static_cast<int>(Keyword::kNone) == 0);
static_assert(kKeywords < 256 - static_cast<size_t>(TokenKind::kDot),
              "keyword values must stay below the kinds' indexes (ActIndex())");

constexpr std::array<Act, 256> BuildActs() {
  std::array<Act, 256> acts{};
  for (size_t k = 0; k <= kKeywords; ++k) acts[k] = KeywordAct(static_cast<Keyword>(k));
  for (size_t k = 1; k <= static_cast<size_t>(TokenKind::kDot); ++k) {
    acts[256 - k] = KindAct(static_cast<TokenKind>(k));
  }
  return acts;
}
constexpr std::array<Act, 256> kActs = BuildActs();

// The lexer watches for every keyword the walker acts on (kLexerNotes).
constexpr bool LexerNotesEveryAct() {
  for (size_t k = 1; k <= kKeywords; ++k) {
    if (kActs[k] != Act::kNone && kLexerNotes[k] == 0) return false;
  }
  return true;
}
static_assert(LexerNotesEveryAct(), "a keyword the walker acts on is missing from kLexerNotes");

// kActs as they stand at a nesting level of the walker, indexed by
// LevelActsIndex(query, in_from): what does nothing there is kNone, so
// that the scan passes over it without a Step(). A level that is no query
// (a call's arguments) acts on no keyword; a level outside a FROM list
// acts on no ',' and on no keyword that only ends a FROM list (ending one
// that is not open changes nothing: from_written is only ever set with
// in_from).
constexpr size_t LevelActsIndex(bool query, bool in_from) {
  return static_cast<size_t>(query) + 2 * static_cast<size_t>(in_from);
}
constexpr std::array<std::array<Act, 256>, 4> BuildLevelActs() {
  std::array<std::array<Act, 256>, 4> tables{};
  for (bool query : {false, true}) {
    for (bool in_from : {false, true}) {
      std::array<Act, 256>& acts = tables[LevelActsIndex(query, in_from)];
      acts = kActs;
      for (Act& a : acts) {
        if (!query && a >= Act::kEndsFromList) a = Act::kNone;
        if (!in_from && (a == Act::kComma || a == Act::kEndsFromList)) a = Act::kNone;
      }
    }
  }
  return tables;
}
constexpr std::array<std::array<Act, 256>, 4> kLevelActs = BuildLevelActs();

// The walker's Step() ends a FROM list at kEndsFromList and at these other
// actions: exactly where EndsFromList() says.
constexpr bool EndsFromListAsTabled() {
  for (size_t k = 0; k < 256; ++k) {
    const Act a = KeywordAct(static_cast<Keyword>(k));
    const bool ends = a == Act::kEndsFromList || a == Act::kSelect || a == Act::kValues ||
                      a == Act::kInto || a == Act::kFor || a == Act::kLock;
    if (ends != EndsFromList(static_cast<Keyword>(k))) return false;
  }
  return true;
}
static_assert(EndsFromListAsTabled());

}  // namespace switchyard::parser

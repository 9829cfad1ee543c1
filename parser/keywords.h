// SQL keywords the parser cares about, identified once per word by the lexer
// so that later stages compare small enums instead of text.
//
// The list is shared by both dialects. A keyword marked reserved cannot be a
// bare alias after a table or select item (e.g. WHERE, JOIN, ORDER); the flag
// is what the table-reference reader uses to tell `FROM t x` from
// `FROM t WHERE`. Pure constant data; thread-safe.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace switchyard::parser {

// X(enumerator, lower-case text, reserved-as-alias)
#define SWITCHYARD_PARSER_KEYWORDS(X)                                        \
  X(kAbort, "abort", false) X(kAll, "all", true) X(kAlter, "alter", false)   \
  X(kAnalyse, "analyse", true) X(kAnalyze, "analyze", true)                  \
  X(kAnd, "and", true) X(kAny, "any", true) X(kAs, "as", true)               \
  X(kAsc, "asc", true) X(kAtomic, "atomic", false)                           \
  X(kAuthorization, "authorization", false) X(kBegin, "begin", false)        \
  X(kBetween, "between", true) X(kBy, "by", true) X(kCall, "call", false)    \
  X(kCase, "case", true) X(kCast, "cast", true)                              \
  X(kCharacteristics, "characteristics", false)                              \
  X(kCharset, "charset", false) X(kCharacter, "character", false)            \
  X(kCheckpoint, "checkpoint", false) X(kClose, "close", false)              \
  X(kCluster, "cluster", false) X(kComment, "comment", false)                \
  X(kCommit, "commit", false) X(kConcurrently, "concurrently", true)         \
  X(kConflict, "conflict", false) X(kCopy, "copy", false)                    \
  X(kCreate, "create", true) X(kCross, "cross", true)                        \
  X(kCursor, "cursor", false) X(kDatabase, "database", false)                \
  X(kDeallocate, "deallocate", false) X(kDeclare, "declare", false)          \
  X(kDefault, "default", true) X(kDelete, "delete", false)                   \
  X(kDesc, "desc", true) X(kDescribe, "describe", false)                     \
  X(kDiscard, "discard", false) X(kDistinct, "distinct", true)               \
  X(kDo, "do", true) X(kDrop, "drop", false)                                 \
  X(kDuplicate, "duplicate", false) X(kElse, "else", true)                   \
  X(kEnd, "end", true) X(kEscape, "escape", false)                           \
  X(kExcept, "except", true) X(kExecute, "execute", false)                   \
  X(kExists, "exists", false) X(kExplain, "explain", false)                  \
  X(kFalse, "false", true) X(kFetch, "fetch", true) X(kFirst, "first", false) \
  X(kFor, "for", true) X(kForce, "force", false) X(kFrom, "from", true)      \
  X(kFull, "full", true) X(kFunction, "function", false)                     \
  X(kGlobal, "global", false) X(kGrant, "grant", true)                       \
  X(kGroup, "group", true) X(kHandler, "handler", false)                     \
  X(kHaving, "having", true) X(kHold, "hold", false) X(kIf, "if", false)     \
  X(kIgnore, "ignore", false) X(kIlike, "ilike", true) X(kImport, "import", false) \
  X(kIn, "in", true) X(kIndex, "index", false) X(kInner, "inner", true)      \
  X(kInsert, "insert", false) X(kIntersect, "intersect", true)               \
  X(kInto, "into", true) X(kIs, "is", true) X(kIsnull, "isnull", true)       \
  X(kJoin, "join", true) X(kKey, "key", false) X(kLast, "last", false)       \
  X(kLateral, "lateral", true) X(kLeft, "left", true) X(kLike, "like", true) \
  X(kLimit, "limit", true) X(kListen, "listen", false) X(kLoad, "load", false) \
  X(kLocal, "local", false) X(kLock, "lock", false) X(kLocked, "locked", false) \
  X(kMatched, "matched", false) X(kMaterialized, "materialized", false)      \
  X(kMerge, "merge", false) X(kMinus, "minus", false) X(kMode, "mode", false) \
  X(kMove, "move", false) X(kNames, "names", false) X(kNatural, "natural", true) \
  X(kNo, "no", false) X(kNot, "not", true) X(kNothing, "nothing", false)     \
  X(kNotify, "notify", false) X(kNotnull, "notnull", true)                   \
  X(kNowait, "nowait", false) X(kNull, "null", true) X(kNulls, "nulls", false) \
  X(kOffset, "offset", true) X(kOn, "on", true) X(kOnly, "only", true)       \
  X(kOptimize, "optimize", false) X(kOr, "or", true) X(kOrder, "order", true) \
  X(kOuter, "outer", true) X(kOverriding, "overriding", false)               \
  X(kPartition, "partition", false) X(kPrepare, "prepare", false)            \
  X(kPrepared, "prepared", false) X(kProcedure, "procedure", false)          \
  X(kRead, "read", false) X(kRecursive, "recursive", false)                  \
  X(kRefresh, "refresh", false) X(kReindex, "reindex", false)                \
  X(kRelease, "release", false) X(kRename, "rename", false)                  \
  X(kRepair, "repair", false) X(kReplace, "replace", false)                  \
  X(kReset, "reset", false) X(kReturning, "returning", true)                 \
  X(kRevoke, "revoke", false) X(kRight, "right", true) X(kRole, "role", false) \
  X(kRollback, "rollback", false) X(kRow, "row", false) X(kRows, "rows", false) \
  X(kSavepoint, "savepoint", false) X(kSecurity, "security", false)          \
  X(kSelect, "select", true) X(kSession, "session", false)                   \
  X(kSet, "set", true) X(kShare, "share", false) X(kShow, "show", false)     \
  X(kSkip, "skip", false) X(kSome, "some", true) X(kStart, "start", false)   \
  X(kStraightJoin, "straight_join", true) X(kTable, "table", true)           \
  X(kTables, "tables", false) X(kTablesample, "tablesample", true)           \
  X(kTemp, "temp", false) X(kTemporary, "temporary", false)                  \
  X(kThen, "then", true) X(kTo, "to", true) X(kTransaction, "transaction", false) \
  X(kTrue, "true", true) X(kTruncate, "truncate", false)                     \
  X(kUnion, "union", true) X(kUnlisten, "unlisten", false)                   \
  X(kUnlock, "unlock", false) X(kUnlogged, "unlogged", false)                \
  X(kUpdate, "update", false) X(kUse, "use", false) X(kUsing, "using", true) \
  X(kVacuum, "vacuum", false) X(kValue, "value", false)                      \
  X(kValues, "values", true) X(kView, "view", false) X(kWhen, "when", true)  \
  X(kWhere, "where", true) X(kWindow, "window", true) X(kWith, "with", true) \
  X(kWithout, "without", false) X(kWork, "work", false) X(kWrite, "write", false) \
  X(kXa, "xa", false)

enum class Keyword : uint8_t {
  kNone,
#define SWITCHYARD_KEYWORD_ENUM(name, text, reserved) name,
  SWITCHYARD_PARSER_KEYWORDS(SWITCHYARD_KEYWORD_ENUM)
#undef SWITCHYARD_KEYWORD_ENUM
};

// Keyword for `word` (any case); kNone when not a keyword. One hash of the
// length and the first 8 bytes, one probe, one comparison: cheap enough to run on
// every word the lexer sees.
Keyword LookupKeyword(std::string_view word);


inline constexpr bool kKeywordReserved[] = {
    false,
#define SWITCHYARD_KEYWORD_RESERVED(name, text, reserved) reserved,
    SWITCHYARD_PARSER_KEYWORDS(SWITCHYARD_KEYWORD_RESERVED)
#undef SWITCHYARD_KEYWORD_RESERVED
};

// True when the keyword cannot be an unquoted alias or table name.
inline bool IsReservedKeyword(Keyword keyword) {
  return kKeywordReserved[static_cast<size_t>(keyword)];
}

namespace keyword_internal {

// Table of keyword indexes (keywords.cc), indexed by HashWord(): the
// length and the first 8 bytes, ASCII-folded with `| 0x20` (exact for
// keywords, which are [a-z_]). A perfect hash: each keyword has a slot of
// its own, every other slot holds 0 (kNone, whose kFolded entry is all
// zeros and matches no word).
constexpr size_t kSlots = 1024;
constexpr int kSlotBits = 10;
extern const std::array<uint8_t, kSlots> kSlotTable;

// Keyword text with every byte `| 0x20`, zero-padded to 16 bytes, as two
// little-endian words. `| 0x20` folds ASCII upper to lower case; the only
// other byte it maps onto a keyword byte is DEL (0x7f, onto '_'), which is
// not a word character.
struct Folded {
  uint64_t lo = 0, hi = 0;
};
extern const std::array<Folded, 256> kFolded;

// The first (up to) 8 bytes of a word, each `| 0x20`, little-endian.
constexpr uint64_t FoldedLow(const char* p, size_t n) {
  uint64_t lo = 0;
  for (size_t j = 0; j < n && j < 8; ++j) {
    lo |= static_cast<uint64_t>(static_cast<uint8_t>(p[j]) | 0x20) << (8 * j);
  }
  return lo;
}

// The multiplier is chosen so that no two keywords share a slot (asserted in
// keywords.cc): a lookup is one probe. After a change to the list, if the
// assertion fails, try odd multipliers from this one up (a throwaway loop
// over the keywords finds one within a few million tries, under a second).
constexpr uint64_t kHashMultiplier = 0x9e3779b9800e051full;

constexpr uint32_t HashFolded(uint64_t lo, size_t n) {
  return static_cast<uint32_t>(((lo ^ n) * kHashMultiplier) >> (64 - kSlotBits));
}

constexpr uint32_t HashWord(const char* p, size_t n) { return HashFolded(FoldedLow(p, n), n); }

// Mask of the low `n` bytes of a word (n ≤ 8).
constexpr uint64_t LowBytes(size_t n) {
  return n >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1;
}

}  // namespace keyword_internal

// LookupKeyword() for a word of `size` bytes at `word` followed by at least
// 16 - size readable bytes (the lexer's padded copy of the text): compares
// 16 folded bytes at once. Inline: the lexer asks for every word.
[[gnu::always_inline]] inline Keyword LookupKeywordPadded(const char* word, size_t size) {
  using namespace keyword_internal;
  static_assert(std::endian::native == std::endian::little);
  if (size < 2 || size > 16) return Keyword::kNone;
  uint64_t lo, hi;
  std::memcpy(&lo, word, 8);
  std::memcpy(&hi, word + 8, 8);
  lo = (lo | 0x2020202020202020ull) & LowBytes(size);
  hi = (hi | 0x2020202020202020ull) & (size > 8 ? LowBytes(size - 8) : 0);
  const uint8_t index = kSlotTable[HashFolded(lo, size)];  // lo: the folded first 8 bytes
  if (kFolded[index].lo == lo && kFolded[index].hi == hi) return static_cast<Keyword>(index);
  return Keyword::kNone;
}

// Lower-case text of a keyword ("" for kNone).
std::string_view KeywordText(Keyword keyword);

namespace keyword_internal {
struct Upper16 {
  char text[16];
};
extern const std::array<Upper16, 256> kUpper16;  // by Keyword
}  // namespace keyword_internal

// Upper-case text of a keyword in 16 bytes, zero-padded (keywords are at
// most 16 bytes long): copied with two 8-byte stores by the normalizer.
inline const char* KeywordUpper16(Keyword keyword) {
  return keyword_internal::kUpper16[static_cast<size_t>(keyword)].text;
}

}  // namespace switchyard::parser

#include "parser/lexer.h"

#include "parser/clause_keywords.h"
#include "parser/word_scan.h"

#include <array>
#include <bit>
#include <cstddef>
#include <type_traits>
#include <cassert>
#include <charconv>
#include <climits>
#include <cstdint>
#include <cstring>
#include <string>
#include <new>

namespace switchyard::parser {
namespace {

// Character classes, one table lookup per byte.
enum : uint8_t {
  kSpace = 1, kIdentStart = 2, kIdentChar = 4, kDigit = 8, kPgOperator = 16,
  kMaybeComment = 32, kNumberMore = 64,
};

constexpr std::array<uint8_t, 256> BuildClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint8_t k = 0;
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    if (alpha) k |= kIdentStart | kIdentChar;
    if (c >= '0' && c <= '9') k |= kDigit | kIdentChar;
    if (c == '$') k |= kIdentChar;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') k |= kSpace;
    for (char op : std::string_view("+-*/<>=~!@#%^&|`?")) {
      if (c == static_cast<unsigned char>(op)) k |= kPgOperator;
    }
    if (c == '-' || c == '#' || c == '/' || c == '*') k |= kMaybeComment;
    const bool hex = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if ((c >= '0' && c <= '9') || hex || c == '_' || c == '.') k |= kNumberMore;
    t[c] = k;
  }
  return t;
}

constexpr std::array<uint8_t, 256> kClasses = BuildClasses();

// Zero bytes after the lexer's copy of the text (see Lex()).
constexpr size_t kPad = 16;

bool Is(unsigned char c, uint8_t cls) { return (kClasses[c] & cls) != 0; }
bool IsIdentStart(unsigned char c) { return Is(c, kIdentStart); }
bool IsDigit(unsigned char c) { return Is(c, kDigit); }
bool IsIdentChar(unsigned char c) { return Is(c, kIdentChar); }
bool IsSpace(unsigned char c) { return Is(c, kSpace); }
bool IsPgOperatorChar(unsigned char c) { return Is(c, kPgOperator); }

// kMayGrow: the text may have more bytes (so tokens) than the token storage
// has slots; only then is each append checked.
// kDialect: 0 reads the dialect at run time; 1 + Dialect fixes it (the
// short path, where a constant frees a register in the main loop).
template <bool kMayGrow, int kDialect = 0>
class Lexer {
 public:
  Lexer(std::string_view sql, Dialect dialect, Token* tokens, LexResult& out)
      : sql_(sql), dialect_(dialect), tokens_(tokens), next_(tokens),
        limit_(tokens + out.tokens.capacity()), out_(out), shape_(out.shape) {}

  // Words first: they are most tokens, and no word starts a comment; the
  // other tokens by their first byte (LexNonWord). Returns the number of
  // tokens.
  [[gnu::always_inline]] size_t Run() {
    const char* const data = sql_.data();
    for (;;) {
      unsigned char c = data[pos_];
      if (c == ' ') c = data[++pos_];  // the one space between most tokens
      // [[likely]]: without it GCC's register allocation of the flattened
      // loop (LexShort) spilled the shape writer's output pointer.
      if (IsIdentStart(c)) [[likely]] {
        LexWordOrPrefixedString(pos_);
      } else if (!LexNonWord(c)) {
        break;
      }
    }
    if constexpr (kShape) shape_.Finish(out_.shape);
    return next_ - tokens_;
  }

 private:
  // Texts short enough for the token storage are also normalized here (see
  // shape_writer.h), and their depth-0 clause keywords noted (clause_at);
  // the Shape* calls come before the token's Emit().
  static constexpr bool kShape = !kMayGrow;

  bool Pg() const {
    if constexpr (kDialect != 0) return kDialect == 1 + static_cast<int>(Dialect::kPostgres);
    return dialect_ == Dialect::kPostgres;
  }
  const char* TokenText(size_t begin) const { return sql_.data() + begin; }
  [[gnu::always_inline]] void ShapePunct(TokenKind kind, unsigned char c) {
    if constexpr (kShape) {
      if (kind == TokenKind::kLParen) out_.clause_depth += LexResult::kParenOpen;
      if (kind == TokenKind::kRParen) --out_.clause_depth;
      if (kind == TokenKind::kLBracket || kind == TokenKind::kRBracket) {
        out_.clause_depth |= LexResult::kWalkScan;
      }
      shape_.Punct(out_.shape, Pg(), kind, static_cast<char>(c), tokens_, next_, sql_.data());
    }
  }
  [[gnu::always_inline]] void ShapeLiteral() {
    if constexpr (kShape) shape_.Literal(out_.shape, Pg());
  }
  [[gnu::always_inline]] void ShapeWord(Keyword kw, size_t begin) {
    if constexpr (kShape) shape_.Word(kw, TokenText(begin), pos_ - begin, Pg());
  }
  [[gnu::always_inline]] void ShapeOperator(size_t begin) {
    if constexpr (kShape) shape_.Operator(TokenText(begin), pos_ - begin);
  }
  [[gnu::always_inline]] void ShapeQuotedOrVariable(size_t begin, bool quoted) {
    if constexpr (kShape) shape_.QuotedOrVariable(TokenText(begin), pos_ - begin, quoted);
  }
  [[gnu::always_inline]] void ShapeParam(size_t begin) {
    if constexpr (kShape) shape_.Param(TokenText(begin), pos_ - begin);
  }
  // Reads past the end see the copy's zero padding: callers look at most a
  // few bytes beyond a position inside the text.
  unsigned char At(size_t i) const {
    assert(i < sql_.size() + kPad);
    return static_cast<unsigned char>(sql_.data()[i]);
  }

  void GrowTokens() {
    const size_t used = next_ - tokens_;
    tokens_ = out_.tokens.Grow(used);
    next_ = tokens_ + used;
    limit_ = tokens_ + out_.tokens.capacity();
  }

  // Fields are written in place: copying a Token assembled from byte-sized
  // stores stalls store forwarding, which showed up as most of lexing time.
  [[gnu::always_inline]] void Emit(TokenKind kind, size_t begin, Keyword kw = Keyword::kNone, uint8_t flags = 0) {
    if constexpr (kMayGrow) {
      if (next_ == limit_) GrowTokens();
    }
    // Two stores: kind, keyword and flags in one word, begin and length in
    // the next (see the layout asserted below Lex()).
    const uint32_t head = static_cast<uint32_t>(kind) | static_cast<uint32_t>(kw) << 8 |
                          static_cast<uint32_t>(flags) << 16;
    const uint64_t tail = static_cast<uint64_t>(begin) | static_cast<uint64_t>(pos_ - begin) << 32;
    char* t = reinterpret_cast<char*>(::new (static_cast<void*>(next_++)) Token);
    std::memcpy(t, &head, sizeof(head));
    std::memcpy(t + offsetof(Token, begin), &tail, sizeof(tail));
  }

  // The literals: defined in lexer_literals.h.
  [[gnu::always_inline]] void LexQuoted(size_t begin, unsigned char c);
  [[gnu::always_inline]] void LexNumber(size_t begin, bool digit);
  [[gnu::always_inline]] bool SkipQuoted(char quote, bool backslash);

  // The rare paths: defined in lexer_rare.h.
  bool SkipComment();
  void SkipLineComment();
  bool SkipBlockComment();
  bool EnterExecutableComment();
  void NoteComment(size_t begin);
  bool LexPrefixedString(size_t begin, unsigned char c, unsigned char n);
  void LexDollar(size_t begin);
  void NoteParameter(int n);
  void LexMySqlVariable(size_t begin);
  void LexColon(size_t begin);
  void LexPgOperator(size_t begin);
  void LexMySqlOperator(size_t begin);

  // Lexes the token (or skips the space or comment) at pos_, whose first
  // byte `c` starts no word; false at the end of the text. One switch on
  // the byte (a jump table) reaches spaces, punctuation, numbers and
  // strings, each punctuation mark with its kind and spacing constant;
  // operators, comments and the other tokens follow in order: the end (the
  // copy's zero padding), one-byte operators, comments, the rest.
  [[gnu::always_inline]] bool LexNonWord(unsigned char c) {
    switch (c) {
      case ' ': case '\t': case '\n': case '\v': case '\f': case '\r':
        ++pos_;
        return true;
      case '(': return Punct(TokenKind::kLParen, c), true;
      case ')': return Punct(TokenKind::kRParen, c), true;
      case '[': return Punct(TokenKind::kLBracket, c), true;
      case ']': return Punct(TokenKind::kRBracket, c), true;
      case ',': return Punct(TokenKind::kComma, c), true;
      case ';':
        ++out_.semicolons;
        return Punct(TokenKind::kSemicolon, c), true;
      case '.':
        if (IsDigit(At(pos_ + 1))) return LexNumber(pos_, false), true;
        return Punct(TokenKind::kDot, c), true;
      case '0': case '1': case '2': case '3': case '4':
      case '5': case '6': case '7': case '8': case '9':
        return LexNumber(pos_, true), true;
      case '\'': case '"':
        return LexQuoted(pos_, c), true;
      case '\0':
        if (pos_ >= sql_.size()) return false;
        break;
      case '$':
        if (Pg()) return LexDollar(pos_), true;
        break;
      case '?':
        if (!Pg()) return LexParam(pos_), true;
        break;
      default:
        break;
    }
    if (Pg() ? IsPgOperatorChar(c) && !IsPgOperatorChar(At(pos_ + 1)) : c == '=') {
      // A one-byte operator (most often '='): in PostgreSQL an operator
      // character not followed by another (so no comment start either);
      // in MySQL '=' (no longer operator starts with it).
      ++pos_;
      ShapeOperator(pos_ - 1);
      Emit(TokenKind::kOperator, pos_ - 1);
    } else if (!Is(c, kMaybeComment) || !SkipComment()) {
      LexToken();
    }
    return true;
  }

  // One-byte punctuation `c` of `kind` at pos_.
  [[gnu::always_inline]] void Punct(TokenKind kind, unsigned char c) {
    ++pos_;
    ShapePunct(kind, c);
    Emit(kind, pos_ - 1);
  }

  // MySQL's ? parameter.
  [[gnu::always_inline]] void LexParam(size_t begin) {
    ++pos_;
    ShapeParam(begin);
    Emit(TokenKind::kParam, begin);
  }

  // The tokens LexNonWord() leaves: MySQL's backticks and '@', colons and
  // multi-byte (or, in MySQL, other) operators.
  [[gnu::always_inline]] void LexToken() {
    const size_t begin = pos_;
    switch (At(pos_)) {
      case '`':
        if (!Pg()) {
          SkipQuoted('`', false);
          ShapeQuotedOrVariable(begin, true);
          return Emit(TokenKind::kQuotedIdent, begin);
        }
        break;
      case '@':
        if (!Pg()) return LexMySqlVariable(begin);
        break;
      case ':':
        return LexColon(begin);
      default:
        break;
    }
    Pg() ? LexPgOperator(begin) : LexMySqlOperator(begin);
  }

  // A word of one byte (most often a table alias) is written without the
  // 16-byte scan; only such a word can be a string's prefix (E'…').
  [[gnu::always_inline]] void LexWordOrPrefixedString(size_t begin) {
    const unsigned char c = At(pos_), n = At(pos_ + 1);
    if (Is(n, Pg() ? kIdentChar : (kIdentStart | kDigit))) return LexWord(begin);
    if ((n == '\'' || n == '&') && LexPrefixedString(begin, c, n)) return;
    ++pos_;
    if constexpr (kShape) shape_.OneByteWord(static_cast<char>(c), Pg());
    Emit(TokenKind::kWord, begin);
  }

  [[gnu::always_inline]] void LexWord(size_t begin) {
    // Reads 16 bytes from the word's start (and on, for a longer word): the
    // copy's zero padding ends every word and is at least 15 bytes long.
    const char* const p = sql_.data() + begin;
    WordBytes w = Pg() ? ScanWord<true>(p) : ScanWord<false>(p);
    if (w.length < 16) [[likely]] {
      const Keyword kw = LookupKeyword16(w);
      if (kw != Keyword::kNone) {  // a path of its own: the other emits a constant kNone
        pos_ = begin + w.length;
        if constexpr (kShape) {
          const uint8_t note = kLexerNotes[static_cast<size_t>(kw)];
          if (note == kNoteClause && static_cast<uint16_t>(out_.clause_depth) == 0) {
            out_.clause_at[out_.clause_count++] = static_cast<uint16_t>(next_ - tokens_);
          } else if (note == kNoteWalkScan && next_ != tokens_) {
            out_.clause_depth |= LexResult::kWalkScan;  // at any depth: the walker scans anyway
          }
          shape_.Word(kw, w, p, Pg());
        }
        return Emit(TokenKind::kWord, begin, kw);
      }
    } else {
      w.length = Pg() ? LongWordLength<true>(p) : LongWordLength<false>(p);
    }
    pos_ = begin + w.length;
    if constexpr (kShape) shape_.Word(Keyword::kNone, w, p, Pg());
    Emit(TokenKind::kWord, begin);
  }

  std::string_view sql_;
  Dialect dialect_;
  Token* tokens_;
  Token* next_;
  Token* limit_;  // end of the current token storage
  LexResult& out_;
  ShapeWriter shape_;
  size_t pos_ = 0;
  bool in_executable_comment_ = false;
};

}  // namespace
}  // namespace switchyard::parser

#include "parser/lexer_literals.h"
#include "parser/lexer_rare.h"

namespace switchyard::parser {
namespace {

// A text no longer than the token storage (and the shape buffers): every
// helper inlined (flatten), so that the lexer's and the shape writer's
// state stay in registers through the loop.
// One function per dialect, so that each has its own register allocation.
template <Dialect kDialect>
[[gnu::noinline, gnu::flatten]] size_t LexShort(std::string_view text, Token* tokens,
                                                LexResult& out) {
  return Lexer<false, 1 + static_cast<int>(kDialect)>(text, kDialect, tokens, out).Run();
}

[[gnu::noinline]] size_t LexLong(std::string_view text, Dialect dialect, Token* tokens,
                                 LexResult& out) {
  return Lexer<true>(text, dialect, tokens, out).Run();
}

}  // namespace

// The short path writes at most one shape entry and one clause position
// per token.
static_assert(ShapeBuffers::kMaxText == TokenBuffer::kInline);

// Emit() writes a Token as two little-endian words.
static_assert(std::endian::native == std::endian::little);
static_assert(std::is_trivially_copyable_v<Token> && sizeof(Token) == 12);
static_assert(offsetof(Token, kind) == 0 && offsetof(Token, keyword) == 1 &&
              offsetof(Token, flags) == 2 && offsetof(Token, begin) == 4 &&
              offsetof(Token, length) == 8);

Token* TokenBuffer::Grow(size_t used) {
  const size_t capacity = 2 * capacity_;
  std::unique_ptr<unsigned char[]> bigger(new unsigned char[capacity * sizeof(Token)]);
  std::memcpy(bigger.get(), data_, used * sizeof(Token));
  heap_ = std::move(bigger);
  data_ = reinterpret_cast<Token*>(heap_.get());
  capacity_ = capacity;
  return data_;
}

namespace {

// The lexer reads a copy of the text followed by kPad zero bytes, so that a
// word can be loaded 16 bytes at a time (word_scan.h) without bounds checks:
// on the stack (Lex()) up to kStackCopy bytes, else on the heap.
constexpr size_t kStackCopy = 8192;

// A text whose copy does not fit on the stack: longer than the token
// storage too, so lexed with a check per token.
static_assert(TokenBuffer::kInline + kPad <= kStackCopy);
[[gnu::noinline]] size_t LexHeapCopy(std::string_view sql, Dialect dialect, Token* tokens,
                                     LexResult& out) {
  std::string copy(sql.size() + kPad, '\0');
  std::memcpy(copy.data(), sql.data(), sql.size());
  return LexLong(std::string_view(copy.data(), sql.size()), dialect, tokens, out);
}

}  // namespace

void Lex(std::string_view sql, Dialect dialect, LexResult& out) {
  Token* tokens = out.tokens.Reset();
  out.semicolons = 0;
  out.max_parameter = 0;
  out.hint_comments.clear();
  out.shape.ready = false;
  out.clause_depth = 0;
  out.clause_count = 0;
  if (sql.size() + kPad > kStackCopy) [[unlikely]] {
    out.tokens.SetSize(LexHeapCopy(sql, dialect, tokens, out));
    return;
  }
  char copy[kStackCopy];
  std::memcpy(copy, sql.data(), sql.size());
  std::memset(copy + sql.size(), 0, kPad);
  const std::string_view text(copy, sql.size());
  // A token spans at least one byte: a text no longer than the storage
  // cannot overflow it, and is lexed without a check per token.
  const size_t count = sql.size() <= out.tokens.capacity()
                           ? (dialect == Dialect::kPostgres
                                  ? LexShort<Dialect::kPostgres>(text, tokens, out)
                                  : LexShort<Dialect::kMySql>(text, tokens, out))
                           : LexLong(text, dialect, tokens, out);
  out.tokens.SetSize(count);
}

}  // namespace switchyard::parser

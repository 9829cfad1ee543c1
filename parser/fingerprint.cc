#include "parser/fingerprint.h"

#include <charconv>
#include <cstring>

namespace switchyard::parser {
namespace {

bool IsConstant(const Token& t) {
  return t.kind == TokenKind::kString || t.kind == TokenKind::kNumber;
}

uint64_t Mix(uint64_t x) {
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  return x ^ (x >> 32);
}

// Word-at-a-time hash of the shape key (little-endian loads).
uint64_t HashKey(std::string_view key) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ key.size();
  const char* p = key.data();
  size_t n = key.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = Mix(h ^ w) + 0x9e3779b97f4a7c15ull;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  return Mix(h ^ tail ^ (uint64_t{n} << 56));
}

// Byte translation tables: identity, ASCII upper case, ASCII lower case.
struct CaseTables {
  char same[256], upper[256], lower[256];
};

constexpr CaseTables BuildCaseTables() {
  CaseTables t{};
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    t.same[c] = ch;
    t.upper[c] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : ch;
    t.lower[c] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : ch;
  }
  return t;
}

constexpr CaseTables kCase = BuildCaseTables();

// Writes the normalized text and, beside it, the shape key that is hashed:
// the same tokens with every placeholder reduced to one marker byte and
// (MySQL) identifiers lower-cased.
// Append-only text buffer over memory sized in advance (no capacity checks
// per byte; the bound is computed from the statement's tokens).
class Buffer {
 public:
  explicit Buffer(char* data) : begin_(data), end_(data) {}
  void Put(char c) { *end_++ = c; }
  // Short copies inline (tokens are short); long ones via memcpy. The
  // destination is a local: a char store may alias `end_`, which would
  // otherwise be reloaded after every byte.
  void Put(std::string_view s) {
    const size_t n = s.size();
    const char* src = s.data();
    char* dst = end_;
    if (n >= 8 && n <= 16) {
      std::memcpy(dst, src, 8);
      std::memcpy(dst + n - 8, src + n - 8, 8);
    } else if (n < 8) {
      for (size_t i = 0; i < n; ++i) dst[i] = src[i];
    } else {
      std::memcpy(dst, src, n);
    }
    end_ = dst + n;
  }

  // Copies a word, translating each byte through `table` (case change).
  void PutWord(std::string_view s, const char* table) {
    char* dst = end_;
    for (size_t i = 0; i < s.size(); ++i) dst[i] = table[static_cast<uint8_t>(s[i])];
    end_ = dst + s.size();
  }
  char* end() { return end_; }
  bool empty() const { return end_ == begin_; }
  std::string_view view() const { return std::string_view(begin_, end_ - begin_); }

 private:
  char* begin_;
  char* end_;
};

class Normalizer {
 public:
  Normalizer(const StatementContext& ctx, char* text, char* key)
      : ctx_(ctx), c_(ctx.MakeCursor()), out_(text), key_(key) {}

  // Upper bound of the text (and key) length for ctx's tokens.
  static size_t Bound(const StatementContext& ctx) {
    size_t n = 16;
    for (const Token& t : ctx.tokens) n += t.length + 14;  // space, "$12345678", …
    return n;
  }

  void Run() {
    next_placeholder_ = FirstFreeParameter();
    for (; !c_.AtEnd(); c_.Advance()) {
      const Token& t = c_.Peek();
      if (t.kind == TokenKind::kWord && t.keyword == Keyword::kIn && TryCollapseInList()) {
        continue;
      }
      if (IsSignedConstant()) {
        c_.Advance();
        EmitPlaceholder();
      } else if (IsConstant(t)) {
        EmitPlaceholder();
      } else {
        EmitToken(t);
      }
    }
    ctx_.out->fingerprint = HashKey(key_.view());
    ctx_.out->normalized.assign(out_.view());
  }

 private:
  int FirstFreeParameter() const {
    if (!ctx_.Pg()) return 1;
    int max_param = 0;
    for (const Token& t : ctx_.tokens) {
      if (t.kind != TokenKind::kParam) continue;
      const std::string_view text = t.Text(ctx_.sql).substr(1);
      int n = 0;
      std::from_chars(text.data(), text.data() + text.size(), n);
      if (n > max_param) max_param = n;
    }
    return max_param + 1;
  }

  // A '-' directly before a number, where a binary minus cannot stand,
  // belongs to the constant (pg_stat_statements folds it the same way).
  bool IsSignedConstant() const {
    const Token& t = c_.Peek();
    if (t.kind != TokenKind::kOperator || t.length != 1 || c_.Text(t)[0] != '-' ||
        !c_.PeekIs(TokenKind::kNumber, 1)) {
      return false;
    }
    if (c_.pos() == 0) return true;
    const Token& prev = c_.tokens()[c_.pos() - 1];
    switch (prev.kind) {
      case TokenKind::kOperator: case TokenKind::kLParen:
      case TokenKind::kComma: case TokenKind::kLBracket:
        return true;
      case TokenKind::kWord:
        return prev.keyword != Keyword::kNone && IsReservedKeyword(prev.keyword);
      default:
        return false;
    }
  }

  // IN ( c1, c2, … ) with only constants and parameters → one placeholder.
  bool TryCollapseInList() {
    if (!c_.PeekIs(TokenKind::kLParen, 1)) return false;
    size_t i = 2;
    for (;; ++i) {
      if (c_.pos() + i >= c_.size()) return false;
      if (c_.Peek(i).kind == TokenKind::kOperator && c_.Text(c_.Peek(i)) == "-" &&
          c_.PeekIs(TokenKind::kNumber, i + 1)) {
        ++i;
      }
      const Token& v = c_.Peek(i);
      if (!IsConstant(v) && v.kind != TokenKind::kParam) return false;
      if (c_.PeekIs(TokenKind::kRParen, i + 1)) break;
      if (!c_.PeekIs(TokenKind::kComma, i + 1)) return false;
      ++i;
    }
    EmitToken(c_.Peek());
    Append("(", TokenKind::kLParen, false);
    key_.Put('(');
    EmitPlaceholder();
    out_.Put(" /*, ... */");
    Append(")", TokenKind::kRParen, false);
    key_.Put(')');
    c_.Advance(i + 1);  // the loop's Advance() steps past ')'
    return true;
  }

  void EmitPlaceholder() {
    if (ctx_.Pg()) {
      char digits[16];
      digits[0] = '$';
      const auto r = std::to_chars(digits + 1, digits + sizeof(digits), next_placeholder_++);
      Append(std::string_view(digits, r.ptr - digits), TokenKind::kParam, false);
    } else {
      Append("?", TokenKind::kParam, false);
    }
    key_.Put('\x01');  // parameters and literals are one class, as in pg_query
  }

  void EmitToken(const Token& t) {
    const std::string_view text = c_.Text(t);
    const bool word = t.kind == TokenKind::kWord;
    const char* table = !word ? nullptr
                        : t.keyword != Keyword::kNone ? kCase.upper
                        : ctx_.Pg() ? kCase.lower : kCase.same;
    Append(text, t.kind, word && (t.keyword == Keyword::kNone || !IsReservedKeyword(t.keyword)),
           table);
    if (t.kind == TokenKind::kParam) {
      key_.Put('\x01');
      return;
    }
    if (t.kind == TokenKind::kWord) {
      if (t.keyword != Keyword::kNone) {
        key_.Put(static_cast<char>(0x80 | static_cast<uint8_t>(t.keyword)));
      } else {
        key_.PutWord(text, kCase.lower);  // the shape ignores identifier case
      }
    } else {
      key_.Put(text);
    }
    key_.Put('\x1f');
  }

  void Append(std::string_view text, TokenKind kind, bool call_like,
              const char* table = nullptr) {
    if (NeedsSpace(kind, text)) out_.Put(' ');
    if (table) {
      out_.PutWord(text, table);
    } else {
      out_.Put(text);
    }
    prev_kind_ = kind;
    prev_cast_ = kind == TokenKind::kOperator && text == "::";
    prev_call_like_ = call_like || kind == TokenKind::kQuotedIdent;
  }

  bool NeedsSpace(TokenKind kind, std::string_view text) const {
    if (out_.empty() || prev_kind_ == TokenKind::kLParen || prev_kind_ == TokenKind::kLBracket ||
        prev_kind_ == TokenKind::kDot || prev_cast_) {
      return false;
    }
    switch (kind) {
      case TokenKind::kRParen: case TokenKind::kRBracket:
      case TokenKind::kComma: case TokenKind::kDot: case TokenKind::kSemicolon:
      case TokenKind::kLBracket:
        return false;
      case TokenKind::kLParen:
        return !prev_call_like_;
      case TokenKind::kOperator:
        return text != "::";
      default:
        return true;
    }
  }

  const StatementContext& ctx_;
  Cursor c_;
  Buffer out_;
  Buffer key_;
  int next_placeholder_ = 1;
  TokenKind prev_kind_ = TokenKind::kSemicolon;
  bool prev_call_like_ = false;
  bool prev_cast_ = false;
};

}  // namespace

void Fingerprint(const StatementContext& ctx) {
  const size_t bound = Normalizer::Bound(ctx);
  char small[2][1024];
  if (bound <= sizeof(small[0])) {
    Normalizer(ctx, small[0], small[1]).Run();
    return;
  }
  std::string scratch(2 * bound, '\0');
  Normalizer(ctx, scratch.data(), scratch.data() + bound).Run();
}

}  // namespace switchyard::parser

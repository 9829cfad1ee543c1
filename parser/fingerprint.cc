#include "parser/fingerprint.h"

#include <charconv>
#include <cstring>

#include "parser/ascii_copy.h"

namespace switchyard::parser {
namespace {

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

// Append-only text buffer over memory sized in advance (no capacity checks
// per byte; the bound is computed from the statement's tokens, plus slack
// for the 8-byte stores of CopyAscii).
class Buffer {
 public:
  explicit Buffer(char* data) : begin_(data), end_(data) {}
  void Put(char c) { *end_++ = c; }
  void Put(std::string_view s) {
    std::memcpy(end_, s.data(), s.size());
    end_ += s.size();
  }
  // Copies n ≤ 16 bytes from a 16-byte source (two fixed-size stores).
  void Put16(const char* src, size_t n) {
    std::memcpy(end_, src, 16);
    end_ += n;
  }
  template <CaseChange kCase>
  void Copy(const char* src, size_t n, const char* src_end) {
    end_ = CopyAscii<kCase>(end_, src, n, src_end);
  }
  bool empty() const { return end_ == begin_; }
  std::string_view view() const { return std::string_view(begin_, end_ - begin_); }

 private:
  char* begin_;
  char* end_;
};

// Writes the normalized text and, beside it, the shape key that is hashed:
// the same tokens with every placeholder reduced to one marker byte and
// identifiers lower-cased.
class Normalizer {
 public:
  static constexpr size_t kSlack = 16;

  Normalizer(const StatementContext& ctx, char* text, char* key)
      : ctx_(ctx), t_(ctx.tokens.data()), n_(ctx.tokens.size()),
        sql_(ctx.sql.data()), sql_end_(sql_ + ctx.sql.size()), out_(text), key_(key) {}

  // Upper bound of the text (and key) length for ctx's tokens.
  // Tokens do not overlap, so their lengths sum to at most the span of text
  // from the first to the last; each may add a space or grow into "$12345678".
  static size_t Bound(const StatementContext& ctx) {
    if (ctx.tokens.empty()) return 16 + kSlack;
    const Token& first = ctx.tokens.front();
    const Token& last = ctx.tokens.back();
    const size_t span = last.begin + last.length - first.begin;
    return span + 14 * ctx.tokens.size() + 16 + kSlack;
  }

  void Run() {
    for (size_t i = 0; i < n_; ++i) {
      const Token& t = t_[i];
      switch (t.kind) {
        case TokenKind::kString: case TokenKind::kNumber:
          EmitPlaceholder();
          break;
        case TokenKind::kWord:
          if (t.keyword == Keyword::kIn && TryCollapseInList(i)) break;
          EmitWord(t);
          break;
        case TokenKind::kOperator:
          if (IsSignedConstant(i)) {
            ++i;
            EmitPlaceholder();
          } else {
            EmitOther(t);
          }
          break;
        case TokenKind::kParam:
          Append(t.kind, false, t);
          key_.Put('\x01');
          break;
        default:
          EmitOther(t);
          break;
      }
    }
    ctx_.out->fingerprint = HashKey(key_.view());
    ctx_.out->normalized.assign(out_.view());
  }

 private:
  bool IsConstantAt(size_t i) const {
    return i < n_ && (t_[i].kind == TokenKind::kString || t_[i].kind == TokenKind::kNumber);
  }
  bool KindAt(size_t i, TokenKind k) const { return i < n_ && t_[i].kind == k; }
  bool IsMinus(const Token& t) const {
    return t.kind == TokenKind::kOperator && t.length == 1 && sql_[t.begin] == '-';
  }

  // Placeholders are numbered after the statement's own $n parameters;
  // counted on the first placeholder only (most statements have none).
  int FirstFreeParameter() const {
    if (!ctx_.Pg()) return 1;
    int max_param = 0;
    for (size_t i = 0; i < n_; ++i) {
      const Token& t = t_[i];
      if (t.kind != TokenKind::kParam) continue;
      int n = 0;
      std::from_chars(sql_ + t.begin + 1, sql_ + t.begin + t.length, n);
      if (n > max_param) max_param = n;
    }
    return max_param + 1;
  }

  // A '-' directly before a number, where a binary minus cannot stand,
  // belongs to the constant (pg_stat_statements folds it the same way).
  bool IsSignedConstant(size_t i) const {
    if (!IsMinus(t_[i]) || !KindAt(i + 1, TokenKind::kNumber)) return false;
    if (i == 0) return true;
    const Token& prev = t_[i - 1];
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
  bool TryCollapseInList(size_t& pos) {
    if (!KindAt(pos + 1, TokenKind::kLParen)) return false;
    size_t i = pos + 2;
    for (;; ++i) {
      if (i >= n_) return false;
      if (IsMinus(t_[i]) && KindAt(i + 1, TokenKind::kNumber)) ++i;
      if (!IsConstantAt(i) && t_[i].kind != TokenKind::kParam) return false;
      if (KindAt(i + 1, TokenKind::kRParen)) break;
      if (!KindAt(i + 1, TokenKind::kComma)) return false;
      ++i;
    }
    EmitWord(t_[pos]);
    AppendText("(", TokenKind::kLParen);
    key_.Put('(');
    EmitPlaceholder();
    out_.Put(" /*, ... */");
    AppendText(")", TokenKind::kRParen);
    key_.Put(')');
    pos = i + 1;  // the loop's ++i steps past ')'
    return true;
  }

  void EmitPlaceholder() {
    if (ctx_.Pg()) {
      if (next_placeholder_ == 0) next_placeholder_ = FirstFreeParameter();
      char digits[16];
      digits[0] = '$';
      const auto r = std::to_chars(digits + 1, digits + sizeof(digits), next_placeholder_++);
      AppendText(std::string_view(digits, r.ptr - digits), TokenKind::kParam);
    } else {
      AppendText("?", TokenKind::kParam);
    }
    key_.Put('\x01');  // parameters and literals are one class, as in pg_query
  }

  // Keywords upper-cased; other words lower-cased in PostgreSQL (as the
  // server folds them) and kept in MySQL; the key has them lower-cased.
  void EmitWord(const Token& t) {
    const char* text = sql_ + t.begin;
    const bool keyword = t.keyword != Keyword::kNone;
    Space(TokenKind::kWord);
    if (keyword) {
      out_.Put16(KeywordUpper16(t.keyword), t.length);
      key_.Put(static_cast<char>(0x80 | static_cast<uint8_t>(t.keyword)));
    } else {
      if (ctx_.Pg()) {
        out_.Copy<CaseChange::kLower>(text, t.length, sql_end_);
      } else {
        out_.Copy<CaseChange::kNone>(text, t.length, sql_end_);
      }
      key_.Copy<CaseChange::kLower>(text, t.length, sql_end_);
    }
    key_.Put('\x1f');
    Note(TokenKind::kWord, !keyword || !IsReservedKeyword(t.keyword), false);
  }

  // Punctuation, operators, quoted identifiers, variables: as written.
  void EmitOther(const Token& t) {
    Append(t.kind, false, t);
    key_.Copy<CaseChange::kNone>(sql_ + t.begin, t.length, sql_end_);
    key_.Put('\x1f');
  }

  void Append(TokenKind kind, bool call_like, const Token& t) {
    const char* text = sql_ + t.begin;
    const bool cast = kind == TokenKind::kOperator && t.length == 2 && text[0] == ':' &&
                      text[1] == ':';
    if (!empty_ && NeedsSpace(kind, cast)) out_.Put(' ');
    out_.Copy<CaseChange::kNone>(text, t.length, sql_end_);
    Note(kind, call_like, cast);
  }

  void AppendText(std::string_view text, TokenKind kind) {
    Space(kind);
    out_.Put(text);
    Note(kind, false, false);
  }

  void Space(TokenKind kind) {
    if (!empty_ && NeedsSpace(kind, false)) out_.Put(' ');
  }

  void Note(TokenKind kind, bool call_like, bool cast) {
    empty_ = false;
    prev_kind_ = kind;
    prev_cast_ = cast;
    prev_call_like_ = call_like || kind == TokenKind::kQuotedIdent;
  }

  bool NeedsSpace(TokenKind kind, bool cast) const {
    if (prev_kind_ == TokenKind::kLParen || prev_kind_ == TokenKind::kLBracket ||
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
        return !cast;
      default:
        return true;
    }
  }

  const StatementContext& ctx_;
  const Token* t_;
  size_t n_;
  const char* sql_;
  const char* sql_end_;
  Buffer out_;
  Buffer key_;
  int next_placeholder_ = 0;  // 0: not counted yet
  bool empty_ = true;
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

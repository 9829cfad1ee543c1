#include "parser/fingerprint.h"

#include <charconv>
#include <cstring>

#include "parser/ascii_copy.h"

namespace switchyard::parser {
namespace {

// out = [p, p + n): the previous statement's text (ResetAnalysis() leaves
// it) is written over in place when it is as long, with no call into
// std::string's out-of-line assign.
[[gnu::always_inline]] inline void WriteOver(std::string& out, const char* p, size_t n) {
  if (n > out.size()) return out.assign(p, n), void();
  std::memcpy(out.data(), p, n);
  out.erase(n);
}

uint64_t Mix(uint64_t x) {
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  return x ^ (x >> 32);
}

uint64_t Load64(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// The 128-bit product of a and b, its halves xor-ed: each bit of the result
// depends on most bits of both (one multiply on x86-64 and aarch64).
uint64_t MulFold(uint64_t a, uint64_t b) {
  __extension__ using U128 = unsigned __int128;
  const U128 product = static_cast<U128>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

// Odd constants with bits set all over; they keep a block of zeros (or of
// ASCII text) from making a factor 0.
constexpr uint64_t kBlockA = 0xc3a5c85c97cb3127ull;
constexpr uint64_t kBlockB = 0xb492b66fbe98f273ull;

// 16 bytes into the state: the product of the two words, each keyed, with
// the state in the second. The state is xor-ed back in, so that a first
// word equal to kBlockA (a factor 0) cannot erase what came before.
uint64_t Block(uint64_t h, uint64_t a, uint64_t b) {
  return MulFold(a ^ kBlockA, b ^ kBlockB ^ h) ^ h;
}

// Hash of the shape key, 16 bytes per multiply (little-endian loads); the
// key must be followed by 8 zero bytes. A final Mix() spreads the last
// block over every bit.
uint64_t HashKey(std::string_view key) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ key.size();
  const char* p = key.data();
  size_t n = key.size();
  for (; n >= 32; p += 32, n -= 32) {
    h = Block(h, Load64(p), Load64(p + 8));
    h = Block(h, Load64(p + 16), Load64(p + 24));
  }
  if (n >= 16) {
    h = Block(h, Load64(p), Load64(p + 8));
    p += 16;
    n -= 16;
  }
  // n < 16: the first word lies within the key and its 8 zero bytes, and
  // so does the second when n >= 8.
  const uint64_t a = Load64(p);
  const uint64_t b = n >= 8 ? Load64(p + 8) : 0;
  return Mix(Block(h, a, b));
}

// See ShapePrev (shape_writer.h), which the lexer's writer shares.
using Prev = ShapePrev;
constexpr Prev kStart = kShapeStart;
constexpr Prev kNoSpace = kShapeNoSpace;
constexpr Prev kCallLike = kShapeCallLike;
constexpr Prev kOther = kShapeOther;

// Writes the normalized text and, beside it, the shape key that is hashed:
// the same tokens with every placeholder reduced to one marker byte and
// identifiers lower-cased. Both are written through local pointers into
// memory sized in advance (a store through a char* member would force the
// compiler to reload every member after it). The dialect is a template
// parameter: read from ctx_ it was reloaded after every store.
template <bool kPg>
class Normalizer {
 public:
  static constexpr size_t kSlack = 16;

  // `scratch` holds Bound(ctx) bytes: a copy of the statement's text with
  // zero padding (so that every token can be read 8 bytes at a time), then
  // the normalized text, then the key.
  Normalizer(const StatementContext& ctx, char* scratch)
      : ctx_(ctx), t_(ctx.tokens.data()), n_(ctx.tokens.size()) {
    const size_t first = n_ ? t_[0].begin : 0;
    const size_t span = n_ ? t_[n_ - 1].begin + t_[n_ - 1].length - first : 0;
    std::memcpy(scratch, ctx.sql.data() + first, span);
    std::memset(scratch + span, 0, kSlack);
    source_ = scratch;
    first_ = first;
    text_ = scratch + span + kSlack;
    key_ = text_ + OutputBound(ctx);
  }

  // Upper bound of the text (and key) length for ctx's tokens, with room
  // for 16-byte stores past the end. Tokens do not overlap, so their
  // lengths sum to at most the span of text from the first to the last;
  // each may add a space or grow into "$12345678".
  static size_t OutputBound(const StatementContext& ctx) {
    return Span(ctx) + 14 * ctx.tokens.size() + 16 + kSlack;
  }
  static size_t Bound(const StatementContext& ctx) {
    return Span(ctx) + kSlack + 2 * OutputBound(ctx);
  }

  [[gnu::always_inline]] void Run() {
    char* o = text_;
    char* k = key_;
    Prev prev = kStart;
    for (size_t i = 0; i < n_; ++i) {
      const Token& t = t_[i];
      switch (t.kind) {
        case TokenKind::kWord:
          if (t.keyword == Keyword::kIn && CollapseInList(i, o, k, prev)) break;
          Word(t, o, k, prev);
          break;
        case TokenKind::kString: case TokenKind::kNumber:
          Placeholder(o, k, prev);
          break;
        case TokenKind::kOperator:
          if (IsSignedConstant(i)) {
            ++i;
            Placeholder(o, k, prev);
          } else {
            Operator(t, o, k, prev);
          }
          break;
        case TokenKind::kParam:
          Space(o, prev >= kCallLike);
          o = Copy<CaseChange::kNone>(o, t);
          *k++ = '\x01';
          prev = kOther;
          break;
        case TokenKind::kLParen:
          Space(o, prev == kOther);
          OneByte(t, o, k);
          prev = kNoSpace;
          break;
        case TokenKind::kLBracket: case TokenKind::kDot:
          OneByte(t, o, k);
          prev = kNoSpace;
          break;
        case TokenKind::kRParen: case TokenKind::kRBracket:
        case TokenKind::kComma: case TokenKind::kSemicolon:
          OneByte(t, o, k);
          prev = kOther;
          break;
        case TokenKind::kQuotedIdent: case TokenKind::kVariable:
          Space(o, prev >= kCallLike);
          Punct(t, o, k);
          prev = t.kind == TokenKind::kQuotedIdent ? kCallLike : kOther;
          break;
      }
    }
    std::memset(k, 0, 8);  // within the key's slack; see HashKey()
    ctx_.out->fingerprint = HashKey(std::string_view(key_, k - key_));
    WriteOver(ctx_.out->normalized, text_, static_cast<size_t>(o - text_));
  }

 private:
  [[gnu::always_inline]] static void Space(char*& o, bool space) {
    *o = ' ';
    o += space;
  }

  static size_t Span(const StatementContext& ctx) {
    if (ctx.tokens.empty()) return 0;
    const Token& first = ctx.tokens.front();
    const Token& last = ctx.tokens.back();
    return last.begin + last.length - first.begin;
  }

  [[gnu::always_inline]] const char* Text(const Token& t) const { return source_ + (t.begin - first_); }

  template <CaseChange kCase>
  [[gnu::always_inline]] char* Copy(char* dst, const Token& t) const {
    return CopyPadded<kCase>(dst, Text(t), t.length);
  }

  // Text as written, into both the text and the key (with a separator).
  [[gnu::always_inline]] void Punct(const Token& t, char*& o, char*& k) const {
    CopyPadded2<CaseChange::kNone>(o, k, Text(t), t.length);
    *k++ = '\x1f';
  }

  // Punctuation tokens are one byte long.
  [[gnu::always_inline]] void OneByte(const Token& t, char*& o, char*& k) const {
    const char c = *Text(t);
    *o++ = c;
    k[0] = c;
    k[1] = '\x1f';
    k += 2;
  }

  [[gnu::always_inline]] void Operator(const Token& t, char*& o, char*& k, Prev& prev) const {
    const char* text = Text(t);
    const bool cast = t.length == 2 && text[0] == ':' && text[1] == ':';
    Space(o, !cast && prev >= kCallLike);
    Punct(t, o, k);
    prev = cast ? kNoSpace : kOther;
  }

  // Keywords upper-cased; other words lower-cased in PostgreSQL (as the
  // server folds them) and kept in MySQL; the key has them lower-cased.
  [[gnu::always_inline]] void Word(const Token& t, char*& o, char*& k, Prev& prev) const {
    Space(o, prev >= kCallLike);
    if (t.keyword != Keyword::kNone) {
      std::memcpy(o, KeywordUpper16(t.keyword), 16);
      o += t.length;
      *k++ = static_cast<char>(0x80 | static_cast<uint8_t>(t.keyword));
      prev = IsReservedKeyword(t.keyword) ? kOther : kCallLike;
    } else {
      if (kPg) {  // the same lower-case bytes in both
        CopyPadded2<CaseChange::kLower>(o, k, Text(t), t.length);
      } else {
        o = Copy<CaseChange::kNone>(o, t);
        k = Copy<CaseChange::kLower>(k, t);
      }
      prev = kCallLike;
    }
    *k++ = '\x1f';
  }

  // Parameters and literals are one class in the key, as in pg_query.
  [[gnu::always_inline]] void Placeholder(char*& o, char*& k, Prev& prev) {
    Space(o, prev >= kCallLike);
    if (kPg) {
      if (next_placeholder_ == 0) next_placeholder_ = FirstFreeParameter();
      *o++ = '$';
      o = WritePlaceholderNumber(o, next_placeholder_++);
    } else {
      *o++ = '?';
    }
    *k++ = '\x01';
    prev = kOther;
  }

  [[gnu::always_inline]] bool KindAt(size_t i, TokenKind kind) const { return i < n_ && t_[i].kind == kind; }
  [[gnu::always_inline]] bool IsConstantAt(size_t i) const {
    return KindAt(i, TokenKind::kString) || KindAt(i, TokenKind::kNumber);
  }
  [[gnu::always_inline]] bool IsMinus(const Token& t) const {
    return t.kind == TokenKind::kOperator && t.length == 1 && *Text(t) == '-';
  }

  // Placeholders are numbered after the statement's own $n parameters;
  // counted on the first placeholder only (most statements have none).
  [[gnu::always_inline]] int FirstFreeParameter() const {
    if (ctx_.max_parameter >= 0) return ctx_.max_parameter + 1;
    int max_param = 0;
    for (size_t i = 0; i < n_; ++i) {
      const Token& t = t_[i];
      if (t.kind != TokenKind::kParam) continue;
      int n = 0;
      std::from_chars(Text(t) + 1, Text(t) + t.length, n);
      if (n > max_param) max_param = n;
    }
    return max_param + 1;
  }

  // A '-' directly before a number that is its sign (MinusIsSign) belongs to
  // the constant.
  [[gnu::always_inline]] bool IsSignedConstant(size_t i) const {
    if (!IsMinus(t_[i]) || !KindAt(i + 1, TokenKind::kNumber)) return false;
    return i == 0 || MinusIsSign(t_[i - 1]);
  }

  // IN ( c1, c2, … ) with only constants and parameters → one placeholder.
  [[gnu::always_inline]] bool CollapseInList(size_t& pos, char*& o, char*& k, Prev& prev) {
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
    Word(t_[pos], o, k, prev);  // IN is reserved: prev is kOther
    *o++ = ' ';
    *o++ = '(';
    *k++ = '(';
    prev = kNoSpace;
    Placeholder(o, k, prev);
    static constexpr std::string_view kMore = " /*, ... */)";
    std::memcpy(o, kMore.data(), kMore.size());
    o += kMore.size();
    *k++ = ')';
    prev = kOther;
    pos = i + 1;  // the loop's ++i steps past ')'
    return true;
  }

  const StatementContext& ctx_;
  const Token* t_;
  size_t n_;
  const char* source_;  // the statement's text from its first token, padded
  size_t first_;        // Token::begin of the first token
  char* text_;
  char* key_;
  int next_placeholder_ = 0;  // 0: not counted yet
};

// `text` with the PostgreSQL placeholders at `at` (numbered 1, 2, … as
// written) numbered from first_free on, into `out`.
void Renumber(std::string_view text, const uint16_t* at, int count, int first_free,
              std::string& out) {
  char local[ShapeBuffers::kMaxText * 12 + 64];  // ≤ 256 numbers of ≤ 11 bytes more
  char* o = local;
  size_t from = 0;
  for (int i = 0; i < count; ++i) {
    const size_t dollar = at[i];
    std::memcpy(o, text.data() + from, dollar - from + 1);  // up to and with '$'
    o += dollar - from + 1;
    const int old = i + 1;
    from = dollar + 1 + (old < 10 ? 1 : old < 100 ? 2 : 3);
    const int n = static_cast<int>(static_cast<unsigned>(first_free) + static_cast<unsigned>(i));
    o = std::to_chars(o, o + 12, n).ptr;
  }
  std::memcpy(o, text.data() + from, text.size() - from);
  o += text.size() - from;
  WriteOver(out, local, static_cast<size_t>(o - local));
}

}  // namespace

void FinishShape(ShapeBuffers& shape, int max_parameter, bool pg, Analysis& out) {
  std::memset(shape.key + shape.key_size, 0, 8);  // see HashKey()
  out.fingerprint = HashKey(std::string_view(shape.key, shape.key_size));
  const std::string_view text(shape.text, shape.text_size);
  if (!pg || max_parameter == 0 || shape.placeholders == 0) {
    return WriteOver(out.normalized, text.data(), text.size());
  }
  if (max_parameter + shape.placeholders <= 9) {
    // Old numbers and new ones all one digit: the digits are replaced in
    // the lexer's text, which is then copied as it stands.
    for (int i = 0; i < shape.placeholders; ++i) {
      shape.text[shape.placeholder_at[i] + 1] = static_cast<char>('1' + max_parameter + i);
    }
    return WriteOver(out.normalized, text.data(), text.size());
  }
  Renumber(text, shape.placeholder_at, shape.placeholders, max_parameter + 1, out.normalized);
}

void Fingerprint(const StatementContext& ctx) {
  const size_t bound = Normalizer<true>::Bound(ctx);  // the same for both
  char small[3072];
  std::string scratch;
  char* const buffer = bound <= sizeof(small) ? small : (scratch.resize(bound), scratch.data());
  if (ctx.Pg()) {
    Normalizer<true>(ctx, buffer).Run();
  } else {
    Normalizer<false>(ctx, buffer).Run();
  }
}

}  // namespace switchyard::parser

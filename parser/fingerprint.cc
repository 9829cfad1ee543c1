#include "parser/fingerprint.h"

#include <charconv>

namespace switchyard::parser {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

bool IsConstant(const Token& t) {
  return t.kind == TokenKind::kString || t.kind == TokenKind::kNumber;
}

class Normalizer {
 public:
  explicit Normalizer(const StatementContext& ctx) : ctx_(ctx), c_(ctx.MakeCursor()) {}

  void Run() {
    std::string& out = ctx_.out->normalized;
    out.clear();
    out.reserve(ctx_.tokens.size() * 6);
    next_placeholder_ = FirstFreeParameter();
    for (; !c_.AtEnd(); c_.Advance()) {
      const Token& t = c_.Peek();
      if (TryCollapseInList()) continue;
      if (IsSignedConstant()) {
        c_.Advance();
        EmitPlaceholder();
        continue;
      }
      if (IsConstant(t)) {
        EmitPlaceholder();
        continue;
      }
      EmitToken(t);
    }
    ctx_.out->fingerprint = hash_;
  }

 private:
  int FirstFreeParameter() const {
    int max_param = 0;
    if (!ctx_.Pg()) return 1;
    for (const Token& t : ctx_.tokens) {
      if (t.kind != TokenKind::kParam) continue;
      const std::string_view text = t.Text(ctx_.sql).substr(1);
      int n = 0;
      std::from_chars(text.data(), text.data() + text.size(), n);
      if (n > max_param) max_param = n;
    }
    return max_param + 1;
  }

  void Hash(std::string_view bytes) {
    for (char ch : bytes) hash_ = (hash_ ^ static_cast<uint8_t>(ch)) * kFnvPrime;
    hash_ = (hash_ ^ 0xff) * kFnvPrime;  // token separator
  }

  // A '-' directly before a number, where a binary minus cannot stand,
  // belongs to the constant (pg_stat_statements folds it the same way).
  bool IsSignedConstant() const {
    const Token& t = c_.Peek();
    if (t.kind != TokenKind::kOperator || c_.Text(t) != "-" ||
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
    if (!c_.PeekIs(Keyword::kIn) || !c_.PeekIs(TokenKind::kLParen, 1)) {
      return false;
    }
    size_t i = 2;
    bool any = false;
    for (;; ++i) {
      const Token& t = c_.Peek(i);
      if (c_.pos() + i >= c_.size()) return false;
      if (c_.Text(t) == "-" && c_.PeekIs(TokenKind::kNumber, i + 1)) ++i;
      const Token& v = c_.Peek(i);
      if (!IsConstant(v) && v.kind != TokenKind::kParam) return false;
      any = true;
      if (c_.PeekIs(TokenKind::kRParen, i + 1)) break;
      if (!c_.PeekIs(TokenKind::kComma, i + 1)) return false;
      ++i;
    }
    if (!any) return false;
    EmitToken(c_.Peek());
    EmitRaw("(", TokenKind::kLParen);
    EmitPlaceholder();
    ctx_.out->normalized += " /*, ... */";
    EmitRaw(")", TokenKind::kRParen);
    c_.Advance(i + 1);  // loop's Advance() steps past ')'
    return true;
  }

  void EmitPlaceholder() {
    std::string text = ctx_.Pg() ? "$" + std::to_string(next_placeholder_++) : "?";
    AppendSeparated(text, TokenKind::kParam);
    Hash("\x01");
  }

  void EmitToken(const Token& t) {
    std::string_view text = c_.Text(t);
    if (t.kind == TokenKind::kWord) {
      word_.assign(text);
      const bool upper = t.keyword != Keyword::kNone;
      if (upper || ctx_.Pg()) {
        for (char& ch : word_) {
          if (upper && ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 32);
          if (!upper && ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
        }
      }
      AppendSeparated(word_, t.kind, t.keyword);
      if (!upper && !ctx_.Pg()) {  // MySQL: shape ignores identifier case
        for (char& ch : word_) {
          if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
        }
      }
      Hash(word_);
      return;
    }
    AppendSeparated(text, t.kind);
    // Parameters and literals are interchangeable in a shape, as in
    // pg_query_fingerprint.
    Hash(t.kind == TokenKind::kParam ? std::string_view("\x01") : text);
  }

  void EmitRaw(std::string_view text, TokenKind kind) {
    AppendSeparated(text, kind);
    Hash(text);
  }

  void AppendSeparated(std::string_view text, TokenKind kind,
                       Keyword keyword = Keyword::kNone) {
    std::string& out = ctx_.out->normalized;
    current_cast_ = kind == TokenKind::kOperator && text == "::";
    if (!out.empty() && NeedsSpace(kind)) out.push_back(' ');
    out.append(text);
    prev_kind_ = kind;
    prev_cast_ = current_cast_;
    prev_call_like_ = (kind == TokenKind::kWord &&
                       (keyword == Keyword::kNone || !IsReservedKeyword(keyword))) ||
                      kind == TokenKind::kQuotedIdent;
  }

  bool NeedsSpace(TokenKind kind) const {
    if (prev_kind_ == TokenKind::kLParen || prev_kind_ == TokenKind::kLBracket ||
        prev_kind_ == TokenKind::kDot || prev_cast_) {
      return false;
    }
    if (kind == TokenKind::kOperator && current_cast_) return false;
    switch (kind) {
      case TokenKind::kRParen: case TokenKind::kRBracket:
      case TokenKind::kComma: case TokenKind::kDot: case TokenKind::kSemicolon:
      case TokenKind::kLBracket:
        return false;
      case TokenKind::kLParen:
        return !prev_call_like_;
      default:
        return true;
    }
  }

  const StatementContext& ctx_;
  Cursor c_;
  uint64_t hash_ = kFnvOffset;
  int next_placeholder_ = 1;
  TokenKind prev_kind_ = TokenKind::kSemicolon;
  bool prev_call_like_ = false;
  bool prev_cast_ = false;     // no space after ::
  bool current_cast_ = false;  // no space before ::
  std::string word_;
};

}  // namespace

void Fingerprint(const StatementContext& ctx) { Normalizer(ctx).Run(); }

}  // namespace switchyard::parser

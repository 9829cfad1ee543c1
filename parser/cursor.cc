#include "parser/cursor.h"

namespace switchyard::parser {

bool Cursor::PeekWord(std::string_view lower, size_t ahead) const {
  if (pos_ + ahead >= tokens_.size()) return false;
  const Token& t = Peek(ahead);
  return t.kind == TokenKind::kWord && EqualsIgnoreCase(Text(t), lower);
}

void Cursor::SkipBalanced() {
  int depth = 0;
  while (pos_ < tokens_.size()) {
    const TokenKind k = tokens_[pos_].kind;
    ++pos_;
    if (k == TokenKind::kLParen || k == TokenKind::kLBracket) {
      ++depth;
    } else if (k == TokenKind::kRParen || k == TokenKind::kRBracket) {
      if (--depth <= 0) return;
    }
    if (depth == 0) return;
  }
}

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(c | (static_cast<unsigned char>(c - 'A') < 26 ? 0x20 : 0));
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != lower[i]) return false;
  }
  return true;
}

}  // namespace switchyard::parser

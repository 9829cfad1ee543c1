#include "parser/cursor.h"

#include "parser/ascii_copy.h"

namespace switchyard::parser {

bool Cursor::PeekWord(std::string_view lower, size_t ahead) const {
  if (pos_ + ahead >= tokens_.size()) return false;
  const Token& t = Peek(ahead);
  return t.kind == TokenKind::kWord && EqualsIgnoreCase(Text(t), lower);
}

void Cursor::SkipBalanced() {
  const Token* const tokens = tokens_.data();
  const size_t size = tokens_.size();
  size_t p = pos_;
  int depth = 0;
  while (p < size) {
    const int delta = kBracketDelta[static_cast<size_t>(tokens[p].kind)];
    ++p;
    if (delta < 0 && --depth <= 0) break;
    depth += delta > 0;
    if (depth == 0) break;
  }
  pos_ = p;
}

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = AsciiLower(c);
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != lower[i]) return false;
  }
  return true;
}

}  // namespace switchyard::parser

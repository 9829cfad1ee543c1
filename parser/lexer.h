// Lexer for both dialects: SQL text → tokens (views into the text).
//
// PostgreSQL: nested /* */ comments, -- comments, '' E'' U&'' B'' X''
// strings, $tag$ dollar quotes, "quoted" identifiers, $n parameters, ::
// casts, custom operators. MySQL/MariaDB: # and "-- " comments, /*! */ and
// /*M! */ executable comments (their content is lexed as SQL), backticks,
// backslash escapes, double-quoted strings, ? parameters, @variables.
//
// Never fails: unterminated strings and comments run to the end of the text.
// Comments are dropped except those mentioning "switchyard", which are kept
// for the hint reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "absl/container/inlined_vector.h"

#include "parser/analysis.h"
#include "parser/shape_writer.h"
#include "parser/token.h"

namespace switchyard::parser {

// Token storage: kInline slots inside the object (left uninitialized: no
// heap and no clearing for typical statements), then heap storage doubled as
// needed. The lexer writes tokens through a pointer and checks only against
// the end of the current storage.
class TokenBuffer {
 public:
  static constexpr size_t kInline = 256;

  TokenBuffer() = default;
  TokenBuffer(const TokenBuffer&) = delete;
  TokenBuffer& operator=(const TokenBuffer&) = delete;

  // Empties the buffer and returns its storage (capacity() slots), which the
  // lexer fills (placement-new) before calling SetSize().
  Token* Reset() {
    size_ = 0;
    data_ = reinterpret_cast<Token*>(inline_);
    capacity_ = kInline;
    return data_;
  }
  // Moves the first `used` tokens into storage twice as large; returns it.
  Token* Grow(size_t used);
  size_t capacity() const { return capacity_; }
  void SetSize(size_t size) { size_ = size; }

  const Token* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Token* begin() const { return data_; }
  const Token* end() const { return data_ + size_; }
  const Token& operator[](size_t i) const { return data_[i]; }
  const Token& back() const { return data_[size_ - 1]; }

 private:
  alignas(Token) unsigned char inline_[kInline * sizeof(Token)];
  std::unique_ptr<unsigned char[]> heap_;
  Token* data_ = reinterpret_cast<Token*>(inline_);
  size_t capacity_ = kInline;
  size_t size_ = 0;
};

struct LexResult {
  TokenBuffer tokens;
  absl::InlinedVector<HintComment, 2> hint_comments;
  size_t semicolons = 0;  // kSemicolon tokens (0: one statement, no split)
  int max_parameter = 0;  // largest PostgreSQL $n in the whole text
  // Normalized text and key of the whole text, when it is short enough
  // (shape.ready); see FinishShape() in fingerprint.h.
  ShapeBuffers shape;
  // With shape.ready: the kClauseKeywords tokens at parenthesis depth 0
  // (counted from the first token), in order; see FindClauses().
  // The parenthesis depth in the low 16 bits (what clause_at is noted at).
  // Each '(' also adds 1 << 16, and kWalkScan marks a bracket or another
  // keyword the query walker acts on (kLexerNotes) past the first token:
  // with shape.ready, clause_depth is 0 at the end only when the walker's
  // acts at depth 0 are all among clause_at but for the first token's (see
  // WalkQuery()). A ')' below depth 0 borrows from the high bits, which
  // stay non-zero: no more than 256 tokens.
  static constexpr uint32_t kParenOpen = 1 + (1u << 16);
  static constexpr uint32_t kWalkScan = 1u << 31;
  uint32_t clause_depth = 0;
  size_t clause_count = 0;
  uint16_t clause_at[ShapeBuffers::kMaxText];
};

// Appends the tokens of `sql` to `out` (cleared first). `sql.size()` must be
// below 4 GiB; the caller checks. A text of at most TokenBuffer::kInline
// bytes is also normalized in the same pass (out.shape) and its clause
// keywords at depth 0 noted (out.clause_at), for the case that it is one
// statement.
void Lex(std::string_view sql, Dialect dialect, LexResult& out);

}  // namespace switchyard::parser

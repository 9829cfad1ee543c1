// Shared, recycled parse results for a caller that analyses statement after
// statement (the proxy's worker threads): Analyze() hands out a
// shared_ptr<const vector<Analysis>> like make_shared(parser::Analyze(…))
// would, but refills a list that no one holds any more (AnalyzeInto()), so
// that a warm pool allocates nothing per statement.
//
// Thread-compatible: one pool per thread. The lists it hands out may be
// read, copied and released on any thread; a list is refilled only once the
// pool holds its last reference.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "parser/parser.h"

namespace switchyard::parser {

class AnalysisPool {
 public:
  using List = std::vector<Analysis>;

  // Texts longer than this get a fresh list that the pool does not keep:
  // a recycled list keeps its capacity, which stays bounded this way.
  static constexpr size_t kMaxPooledText = 8192;

  explicit AnalysisPool(size_t slots = 16);
  ~AnalysisPool();
  AnalysisPool(const AnalysisPool&) = delete;
  AnalysisPool& operator=(const AnalysisPool&) = delete;

  // What make_shared<const List>(Analyze(sql, dialect, options)) returns.
  std::shared_ptr<const List> Analyze(std::string_view sql, Dialect dialect,
                                      const Options& options = {});

 private:
  // A slot whose list only the pool holds, or the next slot in turn (its
  // list, still held elsewhere, is replaced: its holders keep it alive).
  std::shared_ptr<List>& FreeSlot();

  std::vector<std::shared_ptr<List>> slots_;
  size_t next_ = 0;  // where the search for a free slot starts
  // The lexer's storage, kept from text to text (see AnalyzeInto()).
  std::unique_ptr<LexResult> lex_;
};

}  // namespace switchyard::parser

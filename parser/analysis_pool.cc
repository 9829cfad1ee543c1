#include "parser/analysis_pool.h"

#include <atomic>

#include "parser/lexer.h"

namespace switchyard::parser {

AnalysisPool::AnalysisPool(size_t slots)
    : slots_(slots == 0 ? 1 : slots), lex_(std::make_unique<LexResult>()) {}

AnalysisPool::~AnalysisPool() = default;

std::shared_ptr<AnalysisPool::List>& AnalysisPool::FreeSlot() {
  const size_t n = slots_.size();
  // next_ < n: the slots from next_ on, wrapping by a compare (no division).
  size_t k = next_;
  for (size_t i = 0; i < n; ++i) {
    std::shared_ptr<List>& slot = slots_[k];
    if (++k == n) k = 0;
    if (!slot) {
      next_ = k;
      slot = std::make_shared<List>();
      return slot;
    }
    if (slot.use_count() == 1) {
      // Other threads' last reads of the list happen before their release
      // (an acq_rel decrement); this makes them happen before our refill.
      std::atomic_thread_fence(std::memory_order_acquire);
      next_ = k;
      return slot;
    }
  }
  std::shared_ptr<List>& slot = slots_[next_];
  if (++next_ == n) next_ = 0;
  slot = std::make_shared<List>();
  return slot;
}

std::shared_ptr<const AnalysisPool::List> AnalysisPool::Analyze(std::string_view sql,
                                                                Dialect dialect,
                                                                const Options& options) {
  if (sql.size() > kMaxPooledText) {
    return std::make_shared<const List>(parser::Analyze(sql, dialect, options));
  }
  std::shared_ptr<List>& slot = FreeSlot();
  AnalyzeInto(sql, dialect, options, *slot, *lex_);
  return slot;
}

}  // namespace switchyard::parser

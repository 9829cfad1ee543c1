// A first-in first-out queue on one vector, for the short queues a session
// keeps for its whole life (requests awaiting answers, coroutines awaiting a
// lock). Unlike std::deque it allocates nothing until the first push, which
// matters with ten thousand mostly idle sessions; popped slots are reused once
// the queue empties (or the consumed half is dropped), so it never grows
// past twice its longest backlog.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace switchyard {

template <typename T>
class Fifo {
 public:
  bool empty() const { return head_ == items_.size(); }
  size_t size() const { return items_.size() - head_; }
  T& front() { return items_[head_]; }
  const T& front() const { return items_[head_]; }
  void push_back(T value) {
    if (empty()) Clear();
    items_.push_back(std::move(value));
  }
  void pop_front() {
    if (++head_ == items_.size()) {
      Clear();
    } else if (head_ >= 64 && head_ * 2 >= items_.size()) {
      // A queue that never drains (a client pipelining without pause) drops its
      // consumed half, so memory stays bounded by twice the longest backlog.
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }
  void Clear() {
    items_.clear();
    head_ = 0;
  }
  // Slots held, consumed ones included (for tests of the bound).
  size_t slots() const { return items_.size(); }
  auto begin() const { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  auto end() const { return items_.end(); }

 private:
  std::vector<T> items_;
  size_t head_ = 0;
};

}  // namespace switchyard

// A list of small trivially copyable values (token positions, aliases) for
// the per-statement passes: the first kInline in place (no setup, no heap),
// any further ones in a vector. A push is a compare and a store.
#pragma once

#include <cstddef>
#include <type_traits>
#include <vector>

namespace switchyard::parser {

template <typename T, size_t kInline>
class SmallList {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  SmallList() {}  // inline_ left unset (see there)

  void push_back(T value) {
    if (size_ < kInline) {
      inline_[size_++] = value;
    } else {
      Spill(value);
    }
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T* begin() const { return more_.empty() ? inline_ : more_.data(); }
  const T* end() const { return begin() + size_; }
  T operator[](size_t k) const { return begin()[k]; }

 private:
  [[gnu::noinline]] void Spill(T value) {
    if (more_.empty()) more_.assign(inline_, inline_ + kInline);
    more_.push_back(value);
    ++size_;
  }

  // [0, size_) in use while more_ is empty. In a union so that T's
  // member initializers, if any, do not run for the unused slots: a slot
  // is only read after push_back() assigned it.
  union {
    T inline_[kInline];
  };
  size_t size_ = 0;
  std::vector<T> more_;  // all of them, once past kInline
};

}  // namespace switchyard::parser

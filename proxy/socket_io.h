// Small socket helpers shared by the PostgreSQL and MySQL sessions.
#pragma once

#include <span>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "proxy/asio.h"

namespace switchyard::proxy {

// Writes everything; Unavailable with the system's reason on failure.
Awaitable<absl::Status> WriteAll(tcp::socket& socket, std::string_view bytes);
Awaitable<absl::Status> WriteAll(tcp::socket& socket,
                                 const std::vector<asio::const_buffer>& buffers);

// Sends what the socket takes now, without waiting (whatever the socket's
// mode): removes the bytes sent from the front of `bytes`. Errors as WriteAll
// reports them; would_block is not one (the rest stays in `bytes`). A
// command or response usually goes out whole this way, with no asynchronous
// operation and no coroutine frame; the caller writes any rest with WriteAll.
absl::Status SendNow(tcp::socket& socket, std::string_view& bytes);
// The same for `pieces` (at most 8) sent as one gathered write; `sent` is
// how many of their bytes went.
absl::Status SendNow(tcp::socket& socket, std::span<const std::string_view> pieces, size_t& sent);

// The same for any number of buffers (gathered sends until the socket is
// full); `sent` is how many of their bytes went.
absl::Status SendNow(tcp::socket& socket, std::span<const asio::const_buffer> buffers,
                     size_t& sent);
// Drops the first `sent` bytes of `buffers` (what SendNow sent).
void DropSent(std::vector<asio::const_buffer>& buffers, size_t sent);

// Reads what the socket has now into `scratch` and appends it to `out`,
// without waiting: would_block when there is nothing, eof when the peer
// closed. `full` says whether the read filled the scratch (more may be
// waiting). The socket must be in non-blocking mode.
boost::system::error_code ReceiveNow(tcp::socket& socket, std::span<char> scratch,
                                     std::string& out, bool& full);

// Receives what the socket has into `scratch` and appends it to `out`, waiting
// first for readability: a session waiting for its client's next message holds
// no receive buffer of its own (scratch belongs to the worker's thread and is
// only used between the wait and the append). The socket must be in
// non-blocking mode. `try_first` reads before waiting, for when more is likely
// already there (the last read filled the scratch). Returns the error, if any
// (eof when the peer closed).
Awaitable<boost::system::error_code> ReceiveAppend(tcp::socket& socket, std::span<char> scratch,
                                                   std::string& out, bool try_first);

// Blocks of one size, recycled by one worker thread: the operations of its
// sessions' parked waits (WaitReadable). Asio's own per-thread cache keeps one
// block of whatever size was freed last, often a ~0.5 KiB write operation, and
// a parked wait given that block would hold all of it while its client idles.
// Not thread-safe: used from the owning worker only.
class BlockCache {
 public:
  BlockCache() = default;
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;
  ~BlockCache() {
    for (void* p : free_) ::operator delete(p);
  }
  void* Allocate(size_t size) {
    if (size != size_ || free_.empty()) return ::operator new(size);
    void* p = free_.back();
    free_.pop_back();
    return p;
  }
  void Deallocate(void* p, size_t size) {
    if (size_ == 0) size_ = size;
    if (size != size_ || free_.size() >= kMaxFree) return ::operator delete(p);
    free_.push_back(p);
  }

 private:
  static constexpr size_t kMaxFree = 256;  // blocks kept for the next wakes
  size_t size_ = 0;
  std::vector<void*> free_;
};

template <typename T>
struct BlockCacheAllocator {
  using value_type = T;
  explicit BlockCacheAllocator(BlockCache* c) noexcept : cache(c) {}
  template <typename U>
  BlockCacheAllocator(const BlockCacheAllocator<U>& other) noexcept : cache(other.cache) {}
  T* allocate(size_t n) { return static_cast<T*>(cache->Allocate(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { cache->Deallocate(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const BlockCacheAllocator<U>& other) const noexcept { return cache == other.cache; }
  template <typename U>
  bool operator!=(const BlockCacheAllocator<U>& other) const noexcept { return cache != other.cache; }
  BlockCache* cache;
};

// A completion handler whose operation Asio allocates from `cache` (Asio's
// own per-thread recycling keeps a block or two; with many operations of one
// kind in flight on a worker, the rest went to malloc). Cached(cache, f).
template <typename F>
struct CachedHandler {
  using allocator_type = BlockCacheAllocator<void>;
  allocator_type get_allocator() const noexcept { return allocator_type(cache); }
  template <typename... Args>
  void operator()(Args&&... args) {
    f(std::forward<Args>(args)...);
  }
  F f;
  BlockCache* cache;
};

template <typename F>
CachedHandler<F> Cached(BlockCache& cache, F f) {
  return CachedHandler<F>{std::move(f), &cache};
}

// Calls `f(error_code)` once `socket` is readable (or the wait is cancelled),
// from a plain handler: how an idle session waits without a coroutine. The
// wait's operation comes from `cache`, exactly its size.
template <typename F>
void WaitReadable(tcp::socket& socket, BlockCache& cache, F f) {
  socket.async_wait(tcp::socket::wait_read, Cached(cache, std::move(f)));
}

// Closing a socket with unread input makes the kernel send RST, which can
// destroy an error message just sent: stop sending, drain briefly (200 ms,
// 1 MiB at most), close. What is drained is thrown away into `discard`, which
// may be shared by any number of closing sockets (the worker's receive
// scratch: every other use of it reads and copies out without waiting in
// between), so a closing session's frame holds no buffer.
Awaitable<void> LingerClose(tcp::socket& socket, std::span<char> discard);

}  // namespace switchyard::proxy

// The part of a client session that it needs only while it has work, shared
// by the PostgreSQL and MySQL sessions (proxy/pg_client.h, proxy/my_client.h).
//
// Ten thousand idle clients must cost about a kilobyte each
// (docs/architecture.md, "Memory per client"), so what a session uses only
// while serving a command or a transaction (buffers, trackers, relay state,
// the pools it used last) lives in a `Work` object made on first use. The
// worker's housekeeping calls ReleaseIdle once a second: a session that was
// not woken since the previous tick and is quiescent (its owner says what
// that means: parked, no server connection, nothing pending) gives the
// object back. A client between transactions keeps it, so the busy path
// allocates nothing for it; a client that never sent anything never has one.
// Only what can be made again may live in `Work`.
//
// Also here: RecentPools, the last two pools a session used, kept in `Work`
// so that finding the pool for a server needs no key built per command.
//
// Owned by its session; used on the session's worker thread only.
#pragma once

#include <array>
#include <memory>
#include <utility>

#include "proxy/shared_state.h"

namespace switchyard::proxy {

template <typename Work>
class SessionWork {
 public:
  // The work part, made on first use.
  Work& get() {
    if (!work_) [[unlikely]] Make();  // out of line, so that get() inlines
    return *work_;
  }
  // Null when the session has none now.
  Work* find() const { return work_.get(); }
  // The session woke (its client sent something): keep the part through
  // the next housekeeping tick.
  void Touch() { touched_ = true; }
  // The housekeeping tick: frees the part when the session was not touched
  // since the previous tick and `quiescent(work)` holds. True when freed.
  template <typename Quiescent>
  bool ReleaseIdle(Quiescent&& quiescent) {
    if (std::exchange(touched_, false)) return false;  // active within the last tick
    if (!work_ || !quiescent(*work_)) return false;
    work_.reset();
    return true;
  }

 private:
  [[gnu::noinline]] void Make() { work_ = std::make_unique<Work>(); }

  std::unique_ptr<Work> work_;
  bool touched_ = false;
};

// A session's last two answers to "which pool of mine serves this server"
// (pools live as long as their worker).
template <typename Pool>
class RecentPools {
 public:
  Pool* Find(const ServerState& server) const {
    for (const auto& [cached, pool] : entries_) {
      if (cached == &server) return pool;
    }
    return nullptr;
  }
  void Remember(const ServerState& server, Pool& pool) {
    entries_[1] = entries_[0];
    entries_[0] = {&server, &pool};
  }
  void Clear() { entries_ = {}; }

 private:
  std::array<std::pair<const ServerState*, Pool*>, 2> entries_{};
};

}  // namespace switchyard::proxy

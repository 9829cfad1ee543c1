// A MariaDB server's GTID position as the monitor last read it, per
// replication domain, readable by worker threads without a lock.
//
// The monitor thread of the server is the only writer (Store). Each domain
// gets a slot the first time it appears and keeps it: a slot's domain never
// changes once published (release/acquire on the slot count), and sequence
// numbers are relaxed atomics. A reader may see some domains of an older poll
// and some of a newer one; each value was true at some poll, and positions
// only grow, so a replica is never judged further ahead than it was.
// More than kSlots domains: the extra ones are unknown, so reads needing them
// go to the primary (safe).
//
// MySqlGtidExecuted: the same for an Oracle MySQL server, whose position is a
// GTID set (@@global.gtid_executed) compared by containment.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "routing/gtid.h"
#include "routing/gtid_set.h"

namespace switchyard::proxy {

// Which GTID flavour a server has, from its version string (the greeting's,
// or mysql_get_server_info): MariaDB's say so ("5.5.5-10.11.6-MariaDB-0+deb12u1",
// "11.4.2-MariaDB"); any other is taken for Oracle MySQL ("8.0.36").
inline bool IsMariaDbVersion(std::string_view server_version) {
  return server_version.find("MariaDB") != std::string_view::npos;
}

class MyGtidPosition {
 public:
  static constexpr int kSlots = 16;

  // Monitor thread only.
  void Store(const routing::GtidList& position) {
    int used = used_.load(std::memory_order_relaxed);
    for (const routing::Gtid& g : position) {
      int i = 0;
      while (i < used && domain_[i].load(std::memory_order_relaxed) != g.domain) ++i;
      if (i == used) {
        if (used == kSlots) continue;
        domain_[i].store(g.domain, std::memory_order_relaxed);
        server_[i].store(g.server, std::memory_order_relaxed);
        seq_[i].store(g.seq, std::memory_order_relaxed);
        used_.store(++used, std::memory_order_release);
        continue;
      }
      server_[i].store(g.server, std::memory_order_relaxed);
      seq_[i].store(g.seq, std::memory_order_relaxed);
    }
  }

  // Any thread: the replayed sequence of `domain`, nullopt if never seen.
  std::optional<uint64_t> Seq(uint32_t domain) const {
    const int used = used_.load(std::memory_order_acquire);
    for (int i = 0; i < used; ++i) {
      if (domain_[i].load(std::memory_order_relaxed) == domain) {
        return seq_[i].load(std::memory_order_relaxed);
      }
    }
    return std::nullopt;
  }

  // Any thread: a snapshot (for SHOW SWITCHYARD SERVERS).
  routing::GtidList Snapshot() const {
    routing::GtidList out;
    const int used = used_.load(std::memory_order_acquire);
    for (int i = 0; i < used; ++i) {
      routing::MergeGtids(out, {{domain_[i].load(std::memory_order_relaxed),
                                 server_[i].load(std::memory_order_relaxed),
                                 seq_[i].load(std::memory_order_relaxed)}});
    }
    return out;
  }

 private:
  std::array<std::atomic<uint32_t>, kSlots> domain_{};
  std::array<std::atomic<uint32_t>, kSlots> server_{};
  std::array<std::atomic<uint64_t>, kSlots> seq_{};
  std::atomic<int> used_{0};
};

// An Oracle MySQL server's @@global.gtid_executed as the monitor last read
// it, parsed once there. A set has no fixed shape to publish in atomics, so
// a mutex guards it: the monitor takes it once per poll to swap the set in,
// a worker for one containment test (a few binary searches) when a session
// with a required set reads. Never stored (or not comparable): no
// requirement is met, so such reads go to the primary.
class MySqlGtidExecuted {
 public:
  // Monitor thread.
  void Store(routing::GtidSet executed) {
    std::lock_guard lock(mu_);
    std::swap(set_, executed);
    known_ = true;
  }  // the old set is freed here, after the lock is released
  void Forget() {
    std::lock_guard lock(mu_);
    known_ = false;
  }

  // Any thread: whether the server has executed every transaction of
  // `required` (the session's commits).
  bool Contains(const routing::GtidSet& required) const {
    std::lock_guard lock(mu_);
    return known_ && routing::GtidSetContains(set_, required);
  }

  // Any thread: the set as text, nullopt if not known.
  std::optional<std::string> Text() const {
    std::lock_guard lock(mu_);
    if (!known_) return std::nullopt;
    return routing::FormatGtidSet(set_);
  }

 private:
  mutable std::mutex mu_;
  routing::GtidSet set_;
  bool known_ = false;
};

}  // namespace switchyard::proxy

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
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>

#include "routing/gtid.h"

namespace switchyard::proxy {

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

}  // namespace switchyard::proxy

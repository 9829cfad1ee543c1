// ResponseTracker: which client request each server message answers.
//
// The proxy forwards a client's requests to a backend, sometimes rewritten:
// a Parse the backend already has is skipped and answered by the proxy
// (a "synthetic" ParseComplete), a Parse the backend lacks is injected before
// a Bind ("hidden", its ParseComplete swallowed), parameters are synchronized
// by a hidden simple query. The tracker holds one entry per request in flight,
// in order, and tells for each server message whether to relay it, which
// synthetic replies must be emitted before it, and when the backend is back at
// ReadyForQuery with nothing pending (the moment it may go back to the pool).
//
// Pure and single-threaded: owned by the client session that holds the backend.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/fifo.h"

namespace switchyard::pg {

enum class Pending : uint8_t {
  kParse,               // '1' answers it
  kBind,                // '2'
  kDescribeStatement,   // 't' then 'T' or 'n'
  kDescribePortal,      // 'T' or 'n'
  kExecute,             // 'C', 'I' or 's' (after any rows / COPY traffic)
  kClose,               // '3'
  kSync,                // 'Z'
  kQuery,               // simple query or function call: everything up to 'Z'
  kHiddenParse,         // injected by the proxy: swallow its '1'
  kHiddenQuery,         // injected by the proxy: swallow everything up to 'Z'
  kHiddenPosition,      // like kHiddenQuery; its one DataRow carries a WAL position
  kSyntheticParseComplete,  // proxy answers '1' itself, in order
  kSyntheticCloseComplete,  // proxy answers '3' itself, in order
};

struct TrackerStep {
  bool relay = false;          // send this server message to the client
  bool ready_for_query = false;  // this message was a ReadyForQuery ending an entry
  bool hidden = false;         // the message belongs to a hidden request
  bool unexpected = false;     // no entry can explain this message: protocol error
};

class ResponseTracker {
 public:
  // `statement_id` identifies the server-side statement of kParse/kHiddenParse
  // entries, so a failed Parse can be reported as not prepared.
  void Expect(Pending p, uint64_t statement_id = 0);

  // Feeds one server message type. Statement ids of Parse requests the server
  // did not complete (error, or skipped after an error) are appended to
  // `not_prepared`.
  TrackerStep OnServerMessage(char type, std::vector<uint64_t>& not_prepared);

  // Synthetic replies now at the head of the queue, removed and appended as
  // complete messages to `out`. Call after queueing a batch and after each
  // server message.
  void TakeSynthetic(std::string& out);

  bool empty() const { return entries_.empty(); }
  bool HeadIs(Pending p) const { return !entries_.empty() && entries_.front().kind == p; }
  // Client-visible requests that still owe a ReadyForQuery.
  int pending_ready_for_query() const;
  size_t size() const { return entries_.size(); }
  void Clear() { entries_.Clear(); }

 private:
  struct Entry {
    Pending kind;
    uint64_t statement_id;
  };
  TrackerStep OnError(std::vector<uint64_t>& not_prepared);
  TrackerStep Pop(bool relay);

  Fifo<Entry> entries_;
};

}  // namespace switchyard::pg

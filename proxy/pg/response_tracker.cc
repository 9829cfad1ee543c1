#include "proxy/pg/response_tracker.h"

#include "proxy/pg/backend_messages.h"

namespace switchyard::pg {
namespace {

bool IsAsync(char type) {
  return type == 'N' || type == 'A' || type == 'S';  // notice, notification, parameter
}

bool IsHiddenQuery(Pending p) { return p == Pending::kHiddenQuery || p == Pending::kHiddenPosition; }

bool IsHidden(Pending p) { return p == Pending::kHiddenParse || IsHiddenQuery(p); }

bool IsSynthetic(Pending p) {
  return p == Pending::kSyntheticParseComplete || p == Pending::kSyntheticCloseComplete;
}

// Messages that are part of a result or of COPY traffic: they answer the
// entry at the head without completing it.
bool IsResultTraffic(char type) {
  switch (type) {
    case 'T': case 'D': case 'G': case 'H': case 'W': case 'd': case 'c': case 'V':
      return true;
    default:
      return false;
  }
}

}  // namespace

void ResponseTracker::Expect(Pending p, uint64_t statement_id) {
  entries_.push_back({p, statement_id});
}

int ResponseTracker::pending_ready_for_query() const {
  int n = 0;
  for (const Entry& e : entries_) n += (e.kind == Pending::kSync || e.kind == Pending::kQuery);
  return n;
}

void ResponseTracker::TakeSynthetic(std::string& out) {
  while (!entries_.empty() && IsSynthetic(entries_.front().kind)) {
    if (entries_.front().kind == Pending::kSyntheticParseComplete) {
      AppendParseComplete(out);
    } else {
      AppendCloseComplete(out);
    }
    entries_.pop_front();
  }
}

TrackerStep ResponseTracker::Pop(bool relay) {
  TrackerStep step;
  step.hidden = IsHidden(entries_.front().kind);
  step.relay = relay && !step.hidden;
  entries_.pop_front();
  return step;
}

TrackerStep ResponseTracker::OnError(std::vector<uint64_t>& not_prepared) {
  const Pending head = entries_.front().kind;
  if (head == Pending::kQuery || IsHiddenQuery(head)) {
    return {.relay = head == Pending::kQuery, .hidden = IsHiddenQuery(head)};
  }
  // Extended protocol: the server skips every message up to the next Sync.
  // An error in an injected Parse still concerns the client's batch: relay it.
  while (!entries_.empty() && entries_.front().kind != Pending::kSync &&
         entries_.front().kind != Pending::kQuery && !IsHiddenQuery(entries_.front().kind)) {
    const Entry& e = entries_.front();
    if (e.kind == Pending::kParse || e.kind == Pending::kHiddenParse) {
      not_prepared.push_back(e.statement_id);
    }
    entries_.pop_front();
  }
  return {.relay = true};
}

TrackerStep ResponseTracker::OnServerMessage(char type, std::vector<uint64_t>& not_prepared) {
  if (IsAsync(type)) {
    const bool hidden = !entries_.empty() && IsHiddenQuery(entries_.front().kind);
    return {.relay = !hidden, .hidden = hidden};
  }
  if (entries_.empty()) return {.unexpected = true};
  const Pending head = entries_.front().kind;
  if (type == 'E') return OnError(not_prepared);
  if (type == 'Z') {
    if (head != Pending::kSync && head != Pending::kQuery && !IsHiddenQuery(head)) {
      return {.unexpected = true};
    }
    TrackerStep step = Pop(true);
    step.ready_for_query = true;
    return step;
  }
  if (head == Pending::kQuery || IsHiddenQuery(head)) {
    // Everything up to ReadyForQuery belongs to the simple query.
    return {.relay = head == Pending::kQuery, .hidden = IsHiddenQuery(head)};
  }
  switch (type) {
    case '1':
      if (head == Pending::kParse || head == Pending::kHiddenParse) return Pop(true);
      break;
    case '2':
      if (head == Pending::kBind) return Pop(true);
      break;
    case '3':
      if (head == Pending::kClose) return Pop(true);
      break;
    case 't':
      if (head == Pending::kDescribeStatement) return {.relay = true};
      break;
    case 'n':
      if (head == Pending::kDescribeStatement || head == Pending::kDescribePortal) {
        return Pop(true);
      }
      break;
    case 'T':
      if (head == Pending::kDescribeStatement || head == Pending::kDescribePortal) {
        return Pop(true);
      }
      if (head == Pending::kExecute) return {.relay = true};
      break;
    case 'C': case 'I': case 's':
      if (head == Pending::kExecute) return Pop(true);
      break;
    default:
      if (IsResultTraffic(type) && head == Pending::kExecute) return {.relay = true};
      break;
  }
  return {.unexpected = true};
}

}  // namespace switchyard::pg

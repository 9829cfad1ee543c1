// MyClientSession: what keeps reads fresh and invisible failures invisible.
//
// - Read-your-writes by GTID. A commit's GTID comes from the OK packet when
//   the backend tracks it (session tracking: MariaDB's last_gtid, MySQL's
//   session_track_gtids=OWN_GTID), else, on MariaDB, from a hidden
//   `SELECT @@last_gtid` on the same backend once the write's transaction has
//   ended (the client already has its answer); MySQL has no such variable, so
//   there the session reads from the primary for a while. The session's later
//   reads go only to replicas that have replayed it, as the monitor last saw
//   them: MariaDB per domain (routing/gtid.h), MySQL by GTID set containment
//   (routing/gtid_set.h); otherwise to the primary, after waiting up to
//   read_your_writes_wait for a replica to catch up.
// - `/* switchyard: max_lag=500ms */` lets one command use a replica up to that
//   lag, stale or not.
// - A lone read on a replica whose backend breaks before any byte of the
//   answer reached the client is sent again elsewhere (BackendLost asks
//   RetryableLoss); the replica is avoided for 5 s.
// - After the backend of an open transaction is lost, the client's statements
//   are refused until it ends that transaction (routing/lost_transaction.h).
// - SHOW SWITCHYARD SERVERS is answered by the proxy (shared rows with the
//   PostgreSQL endpoint, proxy/shared_state.h).
#include <fmt/format.h>

#include <limits>

#include "common/fmt_absl.h"
#include "proxy/my_client.h"
#include "proxy/mysql/command.h"
#include "proxy/mysql/ok_err.h"
#include "proxy/mysql/result_set.h"
#include "proxy/server_choice.h"
#include "routing/lost_transaction.h"

namespace switchyard::proxy {
namespace {

// How long a session whose commit GTID is unknown reads from the primary.
constexpr int64_t kUnknownPositionMs = 10'000;
// Replicas tried for one read before the error reaches the client.
constexpr int kMaxReadAttempts = 3;
// Intervals per source kept in a MySQL session's required set (beyond: the
// lowest are joined, a stricter requirement; routing::CompactGtidSet).
constexpr size_t kMaxRequiredIntervals = 16;

bool ReadYourWrites(const ClusterState& c) {
  return c.cluster.freshness.read_your_writes && c.servers.size() > 1;
}

}  // namespace

routing::ReadRequirement MyClientSession::ReadNeeds() const {
  routing::ReadRequirement need;
  if (const Work* work = work_.find()) need.max_lag_ms = work->max_lag_ms;
  if (!extras_ || !ReadYourWrites(*cluster_)) return need;
  need.min_gtids = &extras_->ryw_gtids;
  need.min_gtid_set = &extras_->ryw_gtid_set;
  // No replica has a position past this: the primary serves.
  if (extras_->ryw_unknown_until_ms > SteadyNowMs()) {
    need.min_position = std::numeric_limits<uint64_t>::max();
  }
  return need;
}

// The command's freshness hint: the smallest max_lag of its statements.
void MyClientSession::NoteHint(const AnalysisList& list) {
  std::optional<int64_t>& max_lag_ms = w().max_lag_ms;
  max_lag_ms.reset();
  for (const parser::Analysis& a : list) {
    if (a.hints.max_lag_ms && (!max_lag_ms || *a.hints.max_lag_ms < *max_lag_ms)) {
      max_lag_ms = a.hints.max_lag_ms;
    }
  }
}

// Whether the command, about to run on the attached backend, may write: on a
// backend that does not report GTIDs the session then asks for the position
// once the transaction is over.
void MyClientSession::NoteWrite(const AnalysisList& list) {
  if (backend_ && !backend_->tracks_gtid && backend_->server->ActsAsPrimary() &&
      RouteStatements(list) == routing::Target::kPrimary) {
    w().wrote = true;
  }
}

// MariaDB reports "0-1-42" lists, MySQL "uuid:1-5" sets (the only form
// with a ':').
void MyClientSession::NoteReportedGtid(const mysql::ResponseSummary& summary) {
  if (summary.gtid.empty() || !ReadYourWrites(*cluster_)) return;
  if (summary.gtid.find(':') != std::string::npos) {
    auto set = routing::ParseGtidSet(summary.gtid);
    if (!set.ok()) {
      ForgetWritePosition(std::string(set.status().message()));
      return;
    }
    routing::GtidSet& required = x().ryw_gtid_set;
    routing::AddGtidSet(required, *set);
    routing::CompactGtidSet(required, kMaxRequiredIntervals);
    shared().log().debug("{} read-your-writes GTID set {}", Tag(),
                         routing::FormatGtidSet(required));
    return;
  }
  auto gtids = routing::ParseGtidList(summary.gtid);
  if (!gtids.ok()) {
    ForgetWritePosition(std::string(gtids.status().message()));
    return;
  }
  routing::GtidList& required = x().ryw_gtids;
  routing::MergeGtids(required, *gtids);
  shared().log().debug("{} read-your-writes position {}", Tag(),
                       routing::FormatGtidList(required));
}

void MyClientSession::ForgetWritePosition(std::string_view why) {
  x().ryw_unknown_until_ms = SteadyNowMs() + kUnknownPositionMs;
  shared().log().warn("{} commit position unknown ({}): reads go to the primary for {} s", Tag(),
                     why, kUnknownPositionMs / 1000);
}

// After a complete response: when a write's transaction just ended on a
// backend that does not report GTIDs, ask it for the session's last GTID.
Awaitable<void> MyClientSession::LearnWritePosition() {
  if (!backend_ || !w().wrote) co_return;
  const bool idle = (backend_->status & mysql::kServerStatusAutocommit) &&
                    !(backend_->status & mysql::kServerStatusInTrans);
  if (!idle) co_return;
  w().wrote = false;
  if (!ReadYourWrites(*cluster_)) co_return;
  if (!backend_->mariadb) {
    ForgetWritePosition(
        "MySQL reports a commit's GTID only through session tracking, which this client did "
        "not negotiate (or the server refused session_track_gtids)");
    co_return;
  }
  shared().log().debug("{} asking b{} for @@last_gtid (no session tracking)", Tag(), backend_->id);
  auto r = co_await RunHiddenCommand(*backend_, "\x03SELECT @@last_gtid");
  if (!r.ok()) {
    ForgetWritePosition(std::string(r.status().message()));
    DisposeBackend(false);
    co_return;
  }
  if (r->summary.is_error || r->first_row.size() != 1) {
    ForgetWritePosition(r->summary.is_error ? r->summary.error_message : "no @@last_gtid");
    co_return;
  }
  mysql::ResponseSummary reported;
  reported.gtid = r->first_row[0];
  NoteReportedGtid(reported);
}

// A read for this session: when it must go to the primary only because no
// replica has replayed the session's writes yet, wait up to
// read_your_writes_wait for one to catch up (as the monitor sees it).
bool MyClientSession::MayWaitForFreshReplica(ServerState* chosen, routing::Target target) const {
  return target == routing::Target::kReplica && chosen->ActsAsPrimary() &&
         extras_ && !(extras_->ryw_gtids.empty() && extras_->ryw_gtid_set.empty()) &&
         cluster_->cluster.freshness.read_your_writes_wait_ms > 0 && ReadYourWrites(*cluster_);
}

Awaitable<absl::StatusOr<ServerState*>> MyClientSession::WaitForFreshReplica(
    absl::StatusOr<ServerState*> chosen, routing::Target target) {
  if (!chosen.ok() || !MayWaitForFreshReplica(*chosen, target)) co_return chosen;
  const int wait_ms = cluster_->cluster.freshness.read_your_writes_wait_ms;
  auto random = [this] { return worker_.Random(); };
  asio::steady_timer timer(client_.get_executor());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  while ((*chosen)->ActsAsPrimary() && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(kUseAwaitable);
    chosen = ChooseServer(*cluster_, target, ReadNeeds(), random);
    if (!chosen.ok()) break;
  }
  co_return chosen;
}

bool MyClientSession::AttachNowForCommand(const AnalysisList& list, int attempt,
                                          AttachPlan& plan) {
  if (backend_) return true;
  if (!AttachNow(RouteStatements(list), plan)) return false;
  NoteRetryable(plan.target, attempt);
  return true;
}

Awaitable<absl::Status> MyClientSession::AttachForCommand(AttachPlan plan, int attempt) {
  const routing::Target target = plan.target;
  absl::Status s = co_await EnsureBackend(std::move(plan));
  if (s.ok()) {
    NoteRetryable(target, attempt);
  } else {
    w().retry_read = false;
  }
  co_return s;
}

// A lone read attached to a replica: retried elsewhere if lost unseen.
void MyClientSession::NoteRetryable(routing::Target target, int attempt) {
  w().retry_read = backend_ && target == routing::Target::kReplica &&
                !backend_->server->ActsAsPrimary() && attempt + 1 < kMaxReadAttempts;
}

// Called by BackendLost: true when the backend of a retryable read broke
// before the client saw any of the answer. The replica is then avoided and
// the backend discarded; the command's caller sends it again.
bool MyClientSession::RetryableLoss(bool relayed) {
  Work& work = w();
  if (!work.retry_read || relayed || closing_ || !backend_ || pinned_) return false;
  work.retry_read = false;
  work.read_lost_unseen = true;
  ServerState* failed = backend_->server;
  failed->down_until_ms.store(SteadyNowMs() + 5000, std::memory_order_relaxed);
  shared().log().warn("{} read failed on {}; retrying it elsewhere", Tag(), failed->label);
  work.pending_effects.clear();
  status_ = mysql::kServerStatusAutocommit;
  DisposeBackend(false);
  return true;
}

// After the backend of the client's transaction was lost: true when the
// command was answered here (refused, or a COMMIT that cannot succeed).
Awaitable<absl::StatusOr<bool>> MyClientSession::AnsweredAfterLostTransaction(
    const AnalysisList& list) {
  if (txn_lost().empty()) co_return false;
  absl::Status s;
  switch (routing::DecideAfterLostTransaction(list)) {
    case routing::AfterLostTransaction::kRollback:
      extras_->txn_lost.clear();
      co_return false;
    case routing::AfterLostTransaction::kCommitFails:
      s = co_await SendErr(my_error::kErrorDuringCommit, "HY000",
                           fmt::format("Got error during COMMIT: the transaction was lost, nothing "
                                       "was committed ({})", txn_lost()), 1);
      extras_->txn_lost.clear();
      break;
    case routing::AfterLostTransaction::kRefuse:
      s = co_await SendErr(my_error::kServerLost, "HY000",
                           fmt::format("The transaction was lost ({}); ROLLBACK, then retry it",
                                       txn_lost()), 1);
      break;
  }
  if (!s.ok()) co_return s;
  co_return true;
}

// SHOW SWITCHYARD SERVERS as a text result set (no backend needed).
Awaitable<absl::Status> MyClientSession::AnswerServers() {
  const mysql::StatusFlags status =
      status_ & (mysql::kServerStatusAutocommit | mysql::kServerStatusInTrans);
  std::string out;
  mysql::AppendTextResultSet(ServerListingColumns(), ServerListingRows(*cluster_), caps_, status,
                             1, out);
  co_return co_await WriteClient(out);
}

}  // namespace switchyard::proxy

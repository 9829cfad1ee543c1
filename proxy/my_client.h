// One MySQL/MariaDB client connection and everything the proxy does for it.
//
// MySQL is request/response per command, so one coroutine drives the session
// while it has work (between commands it *parks*: the coroutine ends and a
// plain completion handler waits for the socket to become readable, so an
// idle client holds no coroutine frames): read a command, route it (only
// when no backend is attached), bring the backend's session in line with the
// client's (database, tracked variables, prepared statements), forward the
// command, relay the response packets as they come (the ResponseTracker says
// where it ends), then return the backend to its pool when no transaction is
// open, autocommit is on and nothing pins.
//
// Memory (docs/architecture.md, "Memory per client"): the session object
// holds what every logged-in client needs. What a command needs only while it
// runs is in `Work` (made on first use, freed by ReleaseIdle once the session
// has been parked and quiescent for a housekeeping tick); session state that
// outlives commands but most clients never have (prepared statements,
// tracked variables, a pin reason, a lost transaction, a read-your-writes
// position) is in `Extras` (made when first set, freed by ReleaseIdle once
// empty again).
//
// Files: my_client.cc (lifecycle, command loop, dispatch), my_client_login.cc
// (greeting, authentication, COM_CHANGE_USER), my_client_forward.cc (routing, backend
// checkout, session sync, release), my_client_relay.cc (relaying a response, a
// lost backend, disposing of a backend), my_client_stmt.cc (prepared
// statements: per-client ids mapped to per-backend ids, re-prepared on demand),
// my_client_fresh.cc (read-your-writes by GTID, max_lag hints, read retries,
// lost transactions, SHOW SWITCHYARD SERVERS).
//
// Ownership: the session owns its client socket, its Work and Extras and,
// while attached, its backend. Whoever detaches the backend disposes of it:
// release to the pool, reset then release, or discard. All on the session's
// worker thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "config/config.h"
#include "proxy/asio.h"
#include "proxy/my_backend.h"
#include "proxy/my_packet_io.h"
#include "proxy/my_pool.h"
#include "proxy/mysql/auth.h"
#include "proxy/mysql/capabilities.h"
#include "proxy/mysql/command.h"
#include "proxy/session_work.h"
#include "proxy/worker.h"
#include "routing/freshness.h"
#include "routing/gtid.h"
#include "routing/gtid_set.h"
#include "routing/route.h"
#include "routing/session_effects.h"

namespace switchyard::proxy {

// MySQL error codes and SQL states the proxy sends itself.
namespace my_error {
inline constexpr uint16_t kConCount = 1040;         // too many connections
inline constexpr uint16_t kHandshake = 1043;        // bad handshake
inline constexpr uint16_t kAccessDenied = 1045;
inline constexpr uint16_t kUnknownCommand = 1047;
inline constexpr uint16_t kNetPacketTooLarge = 1153;
inline constexpr uint16_t kNotAllowedCommand = 1148;
inline constexpr uint16_t kUnknownStmtHandler = 1243;
inline constexpr uint16_t kNotSupportedAuthMode = 1251;
inline constexpr uint16_t kConnectFailed = 1105;    // ER_UNKNOWN_ERROR: clients refuse 2003 from a server
inline constexpr uint16_t kServerLost = 1158;       // ER_NET_READ_ERROR (clients refuse 2013 from a server)
inline constexpr uint16_t kErrorDuringCommit = 1180;  // ER_ERROR_DURING_COMMIT
inline constexpr uint16_t kOptionPrevents = 1290;   // ER_OPTION_PREVENTS_STATEMENT: writes fenced
inline constexpr uint16_t kParseError = 1064;       // ER_PARSE_ERROR: a misused SHOW SWITCHYARD
}  // namespace my_error

class MyClientSession : public ClientSession,
                        public std::enable_shared_from_this<MyClientSession> {
 public:
  MyClientSession(Worker& worker, tcp::socket socket, const config::Listener* listener,
                  ClusterState* cluster, uint64_t id);
  ~MyClientSession() override;

  void Start();
  void Shutdown(bool force) override;
  void ReleaseIdle() override;

 private:
  // A command payload in up to five pieces, sent as one packet without
  // joining them (an execute: the backend's statement id, then the client's
  // bytes). The pieces must stay valid until the command is sent.
  struct Payload {
    Payload() = default;
    Payload(std::string_view whole) : pieces{whole}, count(1) {}  // NOLINT: implicit on purpose
    size_t size() const;
    std::array<std::string_view, 5> pieces{};
    size_t count = 0;
  };

  // Where a command's backend comes from when none is attached: the routing
  // target and the server ChooseServer picked for it.
  struct AttachPlan {
    routing::Target target = routing::Target::kPrimary;
    absl::StatusOr<ServerState*> chosen = nullptr;
  };

  // A statement the client prepared, under the id the proxy gave it.
  struct Statement {
    std::string sql;
    std::shared_ptr<const AnalysisList> analysis;
    uint16_t num_params = 0;
    std::string types;  // parameter types from the last execute that sent them
  };

  // What a session needs only while it serves a command (see the file
  // comment): nothing here outlives the command, or the backend attached.
  struct Work {
    std::vector<routing::SessionEffect> pending_effects;
    size_t effects_statements = 0;  // statements of the command pending_effects came from
    std::optional<int64_t> max_lag_ms;  // the command's /* switchyard: max_lag=... */
    RecentPools<MyPool> pools;      // PoolFor's last answers
    // Command byte and backend statement id that replace the client's in a
    // statement command sent on (the rest is sent from the client's packet).
    std::array<char, 5> statement_head{};
    bool wrote = false;       // the attached backend ran a write not yet reported by GTID
    bool retry_read = false;  // the command is a lone read on a replica: retry it if lost unseen
    bool read_lost_unseen = false;   // RetryableLoss said so: send the command again
    bool long_data_pending = false;  // SEND_LONG_DATA sent: keep the backend until EXECUTE
  };
  Work& w() { return work_.get(); }
  bool Quiescent(const Work& work) const;

  // Session state that outlives commands but most clients never have (see
  // the file comment). x() makes it; the accessors below only read.
  struct Extras {
    std::map<uint32_t, Statement> statements;
    MyVariables variables;    // tracked SETs, in order
    std::string pin_reason;   // while pinned_
    std::string txn_lost;     // why the open transaction was lost (routing/lost_transaction.h)
    routing::GtidList ryw_gtids;     // GTIDs of this session's commits (MariaDB)
    routing::GtidSet ryw_gtid_set;   // the same on Oracle MySQL
    int64_t ryw_unknown_until_ms = 0;  // a commit's GTID could not be learned: primary reads
    bool Empty(int64_t now_ms) const;
  };
  Extras& x() {
    if (!extras_) extras_ = std::make_unique<Extras>();
    return *extras_;
  }
  const MyVariables& variables() const;
  std::string_view txn_lost() const { return extras_ ? extras_->txn_lost : std::string_view(); }
  std::string_view pin_reason() const {
    return extras_ ? extras_->pin_reason : std::string_view();
  }
  void Pin(std::string_view reason);  // pinned_, and why (for the logs)
  void Unpin();

  // my_client.cc
  Awaitable<void> Run();
  // Parking (as in PgClientSession): a plain handler waits for readability
  // or CloseClient's cancel; Wake starts CommandLoop in a fresh coroutine.
  void Park();
  void Wake(boost::system::error_code ec);
  Awaitable<void> Finish(absl::Status status);  // the session's one exit
  // Serves the client's commands until it parks or the session ends (then
  // Finish). One coroutine frame per wake. `readable`: the socket is known
  // readable (read before waiting).
  Awaitable<void> CommandLoop(bool readable);
  Awaitable<absl::Status> HandleCommand(std::string_view payload);
  Awaitable<absl::Status> HandleOther(uint8_t command, std::string_view payload);
  Awaitable<absl::Status> ResetConnection();
  void StartOver();
  Awaitable<absl::Status> SendErr(uint16_t code, std::string_view state, std::string_view message,
                                  uint8_t seq);
  Awaitable<absl::Status> SendOk(uint8_t seq);
  Awaitable<absl::Status> WriteClient(std::string_view bytes);
  // What the client's socket takes now: the bytes sent leave `bytes` (the
  // caller writes any rest with WriteClient). Errors as WriteClient's.
  absl::Status SendClientNow(std::string_view& bytes);
  void CloseClient();
  std::string Tag() const;

  // my_client_login.cc
  Awaitable<absl::Status> Login();
  Awaitable<absl::StatusOr<MySqlServerInfo>> ServerInfo();
  Awaitable<absl::Status> Authenticate(std::string_view plugin, std::string_view token,
                                       uint8_t& seq);
  Awaitable<absl::Status> AuthenticateSha2(std::string_view token, std::string_view password,
                                           uint8_t& seq);
  Awaitable<absl::Status> FailLogin(uint16_t code, std::string_view state,
                                    std::string message, uint8_t seq);
  Awaitable<absl::Status> CheckBackendLogin(uint8_t seq);
  ServerState& LoginServer();
  Awaitable<absl::Status> ChangeUser(std::string_view payload);
  std::string AccessDenied() const;

  // my_client_forward.cc
  // Query and StmtExecute are not coroutines in the common case: they send
  // the command and return the relay. A command that may be sent again (a
  // lone read on a replica) or that waits first gets a coroutine that
  // retries (Retrying).
  Awaitable<absl::Status> Query(std::string_view payload);
  Awaitable<absl::Status> QueryAfterLostTransaction(std::string_view payload,
                                                    std::shared_ptr<const AnalysisList> analysis);
  Awaitable<absl::Status> SendQuery(std::string_view payload,
                                    std::shared_ptr<const AnalysisList> analysis);
  Awaitable<absl::Status> QueryOnce(std::string_view payload,
                                    std::shared_ptr<const AnalysisList> analysis, int attempt);
  Awaitable<absl::Status> QueryOnceSlowly(std::string_view payload,
                                          std::shared_ptr<const AnalysisList> analysis,
                                          int attempt, AttachPlan plan);
  // Awaits `first` (attempt 0), then sends the command again with
  // `once(attempt)` while a replica failed it before answering.
  template <typename Once>
  Awaitable<absl::Status> Retrying(Awaitable<absl::Status> first, Once once) {
    absl::Status s = co_await std::move(first);
    for (int attempt = 1; absl::IsAborted(s) && std::exchange(w().read_lost_unseen, false);
         ++attempt) {
      s = co_await once(attempt);
    }
    co_return s;
  }
  Awaitable<absl::Status> InitDb(std::string_view payload);
  routing::Target RouteStatements(const AnalysisList& list) const;
  // Attaching a backend has a fast path without coroutine frames: AttachNow
  // takes an idle connection of the chosen server's pool when there is one
  // (or finds one attached); otherwise the caller co_awaits EnsureBackend
  // with the plan AttachNow filled in.
  bool AttachNow(routing::Target target, AttachPlan& plan);
  // When none can be had, the client gets an ERR and the result is OK with
  // no backend attached.
  Awaitable<absl::Status> EnsureBackend(AttachPlan plan);
  Awaitable<absl::Status> AttachBackend(AttachPlan plan);
  void Adopt(std::unique_ptr<MyBackend> b, MyPool* pool, ServerState* server,
             routing::Target target);
  // AttachNow and EnsureBackend for a command that may be sent again
  // (`attempt` counts from 0): a lone read attached to a replica may be
  // retried elsewhere.
  bool AttachNowForCommand(const AnalysisList& list, int attempt, AttachPlan& plan);
  Awaitable<absl::Status> AttachForCommand(AttachPlan plan, int attempt);
  void NoteRetryable(routing::Target target, int attempt);
  MyPool& PoolFor(ServerState& server);
  // The backend's database and tracked variables are the client's already.
  bool InSync() const;
  Awaitable<absl::Status> SyncSession();
  Awaitable<absl::StatusOr<bool>> Synced();
  // Forward and SendAndRelay send the command when called (not when
  // awaited; callers await at once) and return what relays the response.
  Awaitable<absl::Status> Forward(Payload payload);
  Awaitable<absl::Status> SyncThenSend(Payload payload);
  Awaitable<absl::Status> SendAndRelay(Payload payload);
  Awaitable<absl::Status> WriteRestAndRelay(std::string rest, mysql::ResponseShape shape);
  static Awaitable<absl::Status> Done(absl::Status s);
  Awaitable<absl::Status> Relay(mysql::ResponseShape shape);
  Awaitable<absl::Status> RefuseLocalInfile(uint8_t seq, bool relayed);
  Awaitable<absl::Status> RelayLocalInfile(uint8_t seq);
  // `err_seq`: the sequence id an ERR may take after packets already relayed
  // (the client then reads it where the next packet of the response belongs).
  Awaitable<absl::Status> BackendLost(absl::Status why, bool relayed,
                                      std::optional<uint8_t> err_seq = std::nullopt);
  void NoteEffects(const AnalysisList& list);
  void ApplyEffects(bool failed);
  void AfterResponse();
  void DisposeBackend(bool clean);

  // my_client_fresh.cc: read-your-writes, freshness hints, read retries and
  // the proxy's own SHOW SWITCHYARD SERVERS.
  routing::ReadRequirement ReadNeeds() const;
  void NoteHint(const AnalysisList& list);
  void NoteWrite(const AnalysisList& list);
  void NoteReportedGtid(const mysql::ResponseSummary& summary);
  Awaitable<void> LearnWritePosition();
  void ForgetWritePosition(std::string_view why);
  bool MayWaitForFreshReplica(ServerState* chosen, routing::Target target) const;
  Awaitable<absl::StatusOr<ServerState*>> WaitForFreshReplica(absl::StatusOr<ServerState*> chosen,
                                                              routing::Target target);
  bool RetryableLoss(bool relayed);
  Awaitable<absl::StatusOr<bool>> AnsweredAfterLostTransaction(const AnalysisList& list);
  Awaitable<absl::Status> AnswerServers();
  // Runs detached and may outlive the session: static, so that it cannot
  // touch the session's members.
  static Awaitable<void> ResetAndRelease(SharedState& shared, std::unique_ptr<MyBackend> b,
                                         MyPool* pool, std::vector<std::string> commands,
                                         bool reset);

  // my_client_stmt.cc
  Awaitable<absl::Status> StmtPrepare(std::string_view payload);
  Awaitable<absl::Status> StmtExecute(std::string_view payload);
  Awaitable<absl::Status> SendExecute(Statement* st, std::string_view payload);
  Awaitable<absl::Status> ExecuteAfterLostTransaction(Statement* st, std::string_view payload);
  Awaitable<absl::Status> UnknownStatement(uint32_t id, std::string_view command);
  Awaitable<absl::Status> ExecuteOnce(Statement& st, std::string_view payload, int attempt);
  Awaitable<absl::Status> ExecuteSlowly(Statement& st, std::string_view payload, int attempt,
                                        AttachPlan plan);
  Awaitable<absl::Status> StmtSendLongData(std::string_view payload);
  Awaitable<absl::Status> StmtClose(std::string_view payload);
  Awaitable<absl::Status> StmtForward(std::string_view payload);
  Statement* FindStatement(std::string_view payload, uint32_t* client_id);
  Awaitable<absl::StatusOr<MyServerStatement*>> EnsurePrepared(const std::string& sql,
                                                               std::string* error_response);
  Payload BindTypes(Statement& st, MyServerStatement& server, std::string_view payload);
  Payload WithBackendId(std::string_view payload, uint32_t backend_id);

  SharedState& shared() const { return worker_.shared(); }
  std::string_view scramble() const { return {scramble_.data(), scramble_.size()}; }

  Worker& worker_;
  tcp::socket client_;
  ClusterState* cluster_;
  uint64_t id_;
  MyPacketBuffer in_;  // empty while parked; a buffer above 1 KiB is freed then

  // Login.
  std::string user_;
  std::string login_database_;
  const config::User* user_config_ = nullptr;
  config::PoolSettings pool_settings_;
  std::array<char, mysql::kScrambleSize> scramble_{};  // COM_CHANGE_USER authenticates with it
  mysql::Capabilities caps_ = 0;  // negotiated with the client
  uint8_t character_set_ = 0;
  bool admitted_ = false;

  // The client's session as it should be on any backend (and in extras_).
  mysql::StatusFlags status_ = mysql::kServerStatusAutocommit;
  bool pinned_ = false;
  bool closing_ = false;
  bool drain_ = false;
  bool busy_ = false;  // a command is being served
  uint32_t next_statement_id_ = 1;
  uint32_t last_prepared_ = 0;
  std::string database_;

  std::unique_ptr<MyBackend> backend_;
  MyPool* backend_pool_ = nullptr;
  SessionWork<Work> work_;
  std::unique_ptr<Extras> extras_;
};

}  // namespace switchyard::proxy

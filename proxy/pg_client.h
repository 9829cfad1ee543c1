// One PostgreSQL client connection and everything the proxy does for it.
//
// Two activities share the session on the worker's thread:
//  - the client loop (pg_client.cc) reads client messages, groups them into
//    batches (a Query, or extended-protocol messages up to Sync/Flush),
//    routes each batch, checks a backend out of a pool and forwards it.
//    When it has read everything the client sent it *parks*: a plain
//    completion handler waits for the socket to become readable
//    (Park/Wake), so an idle client holds no coroutine frames;
//  - the relay (pg_relay.cc) runs while a backend is attached, streams the
//    server's answers to the client, and returns the backend to its pool when
//    the transaction is over (ReadyForQuery idle, nothing pending).
// Both run as plain calls and completion handlers while nothing has to wait
// (each coroutine call allocates a frame) and continue in a coroutine
// (ClientLoop, Relay) for what waits.
// Startup and authentication are in pg_client_startup.cc.
//
// Ownership: the session owns its client socket and, while attached, its
// backend. Whoever detaches the backend (relay on exit) disposes of it:
// release to the pool, reset then release, or discard.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "config/config.h"
#include "proxy/asio.h"
#include "proxy/frame_reader.h"
#include "proxy/pg/error_response.h"
#include "proxy/pg/frame.h"
#include "proxy/pg/frontend_messages.h"
#include "proxy/pg/parameter_sync.h"
#include "proxy/pg/response_tracker.h"
#include "proxy/pg_backend.h"
#include "proxy/pg_pool.h"
#include "proxy/session_work.h"
#include "proxy/worker.h"
#include "routing/admin_statement.h"
#include "routing/freshness.h"
#include "routing/route.h"
#include "routing/session_effects.h"

namespace switchyard::proxy {

struct ListenerContext {
  const config::Listener* listener = nullptr;
  ClusterState* cluster = nullptr;
};

class PgClientSession : public ClientSession,
                        public std::enable_shared_from_this<PgClientSession> {
 public:
  PgClientSession(Worker& worker, tcp::socket socket, ListenerContext listener, uint64_t id);
  ~PgClientSession() override;

  void Start();
  void Shutdown(bool force) override;
  void ReleaseIdle() override;

 private:
  // A statement prepared by the client under its own name.
  struct Statement {
    uint64_t id = 0;  // server-side name is "sy_<id hex>"
    std::string query;
    std::string parameter_types;
    std::shared_ptr<const AnalysisList> analysis;
  };
  // Client messages waiting for Sync/Flush (or a Query) before being routed.
  struct Batch {
    struct Message {
      char type;
      size_t offset;  // of the body in `bytes`
      size_t size;    // of the body
      // Query / Parse: the parse result, once RouteBatch has it (so that
      // translating the batch does not parse the same text again).
      std::shared_ptr<const AnalysisList> analysis = nullptr;
    };
    std::string bytes;  // whole messages, as received
    std::vector<Message> messages;
    pg::Frame frame(const Message& m) const {
      return {m.type, std::string_view(bytes).substr(m.offset, m.size)};
    }
    bool empty() const { return messages.empty(); }
    void Clear() {  // releases what a large batch grew, so idle sessions stay small
      bytes.clear();
      messages.clear();
      if (bytes.capacity() > 4096) std::string().swap(bytes);
      if (messages.capacity() > 64) std::vector<Message>().swap(messages);
    }
  };

  // What a session needs only while it has work: a batch being routed or
  // sent, a backend attached, a write in progress. Made on first use and
  // freed by ReleaseIdle once the client has been parked and quiescent for a
  // housekeeping tick, so an idle client holds only the session's core (and
  // a client between transactions keeps it: no allocation per transaction).
  // A piece of what the relay writes to the client.
  struct Piece {
    bool synthetic;   // from Work::synthetic, else from the backend's read buffer
    size_t offset;
    size_t length;
  };
  struct Work {
    Batch batch;
    Batch retry_batch;                  // the last batch, while a replica may still fail it
    std::vector<routing::SessionEffect> pending_effects;
    pg::ResponseTracker tracker;
    std::string synthetic;              // proxy-made replies interleaved in the relay
    std::vector<uint64_t> not_prepared;
    std::vector<Piece> pieces;          // the relay's, kept so that a relay allocates nothing
    std::vector<asio::const_buffer> out;
    std::string send_buf;               // the batch as sent to the backend (capacity kept)
    RecentPools<PgPool> pools;          // PoolFor's last answers
    std::unique_ptr<Signal> detached;   // notified when the relay detaches; made when awaited
    AsyncMutex client_write_mu;         // client loop and relay both write
    AsyncMutex backend_write_mu;        // tracker order == bytes order
    AsyncMutex flush_mu;                // one batch sent at a time
    std::optional<int64_t> batch_max_lag_ms;  // /* switchyard: max_lag=... */
    size_t stream_remaining = 0;        // bytes of a large message still streaming
    size_t batch_statements = 0;        // statements in the last routed batch
    size_t completed_since_flush = 0;   // CommandComplete/EmptyQuery relayed since
    bool batch_failed = false;          // an error since the last ReadyForQuery
    bool stream_relay = false;
    bool fatal_relayed = false;         // the server sent FATAL: the session is over
    bool retry_ok = false;              // retry_batch is a lone read on a replica
    bool relayed_since_flush = false;   // bytes of its answer reached the client
    // The relay's state between its handlers (pg_relay.cc).
    size_t relay_filled = 0;            // bytes in the backend's read buffer
    size_t relay_pos = 0;               // of them, processed by the last pass
    size_t relay_last_read = 0;
    absl::Status relay_pass_status;     // the last pass's ProcessServerBytes result
    absl::Status relay_lost;            // why the backend connection was lost
    bool relay_clean = true;            // the backend may go back to the pool
  };
  Work& w() { return work_.get(); }
  const Work& w() const { return *work_.find(); }  // only where work is certain to exist
  bool BatchEmpty() const { return !work_.find() || work_.find()->batch.empty(); }
  bool Quiescent(const Work& work) const;

  Awaitable<void> Run();
  // Parking: the client loop has ended with nothing buffered; a plain
  // handler waits for readability (or for CloseClient's cancel) and Wake
  // starts the loop again in a fresh coroutine (Serve).
  void Park();
  void Wake(boost::system::error_code ec);
  Awaitable<void> Serve(boost::system::error_code wait_error);
  // Wake's common case, without a coroutine: reads what the client sent,
  // serves it with the plain steps below and parks again. False when a
  // step must wait or the session ends: the caller starts Serve for the rest.
  bool ServeNow();
  Awaitable<void> ServeAfter(Awaitable<absl::Status> step);  // a step's wait, then Serve
  Awaitable<void> Finish(absl::Status status);  // the session's one exit
  // pg_client_startup.cc
  Awaitable<absl::Status> Startup();
  Awaitable<absl::Status> AuthenticateMd5(FrameReader& reader, const config::User* user);
  Awaitable<absl::Status> AuthenticateScram(FrameReader& reader, const config::User* user);
  Awaitable<absl::Status> FailLogin(std::string_view sqlstate, std::string message);
  std::string PasswordFailed() const;
  Awaitable<absl::Status> SendLoginReplies();
  void HandleCancelRequest(int32_t pid, int32_t secret);
  void ForwardCancel();  // cancels what this client's backend is running
  // The cancel-key registry's entry point (SharedState::RegisterCancel), from
  // the thread that received a CancelRequest: ForwardCancel on this session's
  // worker.
  static void CancelFromAnyThread(std::shared_ptr<void> session);
  // pg_client.cc
  // Serves what the client sent; nullopt once parked, else why the session
  // ends. `readable`: the socket is known readable (read before waiting).
  Awaitable<std::optional<absl::Status>> ClientLoop(bool readable);
  // One buffered client message, handled without waiting when it can be:
  // kHandled (`status` says how it went), kWait (handled up to `wait`, which
  // the caller awaits for the status), kSlow (not consumed: HandleMessage's
  // turn) or kNeedMore (no whole message buffered).
  enum class Now { kNeedMore, kHandled, kWait, kSlow };
  Now HandleBufferedNow(uint32_t max_body, absl::Status& status,
                        std::optional<Awaitable<absl::Status>>& wait);
  Awaitable<absl::Status> HandleMessage(const pg::Frame& frame);
  bool AddToBatch(const pg::Frame& frame);  // true when the batch is to be flushed now
  // A Query of the proxy's own (`admin` is not kNone); false when it must
  // go on to the server after all (answers still in flight).
  Awaitable<bool> AnswerAdminQuery(routing::AdminStatement admin);  // pg_admin.cc
  // An unnamed Parse of SHOW SWITCHYARD SERVERS, rewritten for the server
  // into a query of the listing's values (pg_admin.cc); false for any other.
  bool TranslateAdminParse(const pg::ParseMessage& p, std::string& out);
  // `chosen`: the server FlushNow already chose for the batch (its
  // counters taken), else null.
  Awaitable<absl::Status> FlushBatch(ServerState* chosen = nullptr);
  // FlushBatch's common case without a coroutine: an idle connection at
  // hand (or one attached), the batch sent with one non-blocking send. Sets
  // `status` and returns nullopt, or returns what the caller must await.
  std::optional<Awaitable<absl::Status>> FlushNow(absl::Status& status);
  routing::Target RouteBatch(Batch& batch);
  // Attaches an idle connection of the server chosen for `target`, without
  // waiting; false (with `chosen` set when a server was chosen) otherwise.
  bool AttachNow(routing::Target target, ServerState*& chosen);
  Awaitable<absl::Status> AttachBackend(routing::Target target, ServerState* chosen = nullptr);
  void Attach(ServerState* server, PgPool* pool, std::unique_ptr<PgBackend> b,
              routing::Target target);
  // Read-your-writes would wait for a replica to replay this session's write.
  bool AwaitsReplay(routing::Target target, const ServerState& chosen) const;
  bool MustMoveOff(routing::Target target) const;  // see FlushBatch
  void TranslateBatch(const Batch& batch, std::string& out);
  void TranslateParse(const pg::Frame& f, std::shared_ptr<const AnalysisList> analysis,
                      std::string& out);
  void TranslateBind(const pg::Frame& f, std::string& out);
  void TranslateDescribeOrClose(const pg::Frame& f, std::string& out);
  bool EnsurePrepared(const Statement& st, std::string& out);
  Statement MakeStatement(const pg::ParseMessage& p, std::shared_ptr<const AnalysisList> analysis);
  bool IsPrepareOnly(const Batch& batch) const;
  Awaitable<absl::Status> AnswerPrepareOnly();
  void NoteStatements(const AnalysisList& list);
  void ApplyEffects();
  Awaitable<absl::Status> SendToClientError(const pg::ErrorFields& e, int ready_for_query);
  Awaitable<absl::Status> WriteBackend(std::string_view bytes);  // caller holds backend_write_mu
  Awaitable<absl::Status> SendBatch(routing::Target target, ServerState* chosen = nullptr);
  // Translates w().batch into w().send_buf and moves it to w().retry_batch;
  // any synthetic replies owed first go to `synthetic`. Caller holds
  // backend_write_mu.
  void PrepareSend(routing::Target target, std::string& synthetic);
  // What FlushNow could not send at once; releases backend_write_mu and flush_mu.
  Awaitable<absl::Status> FinishSend(std::string synthetic, size_t sent);
  void ReleaseSendBuffer();  // what a large batch grew, once sent
  Awaitable<bool> RetryRead(const absl::Status& why);
  Awaitable<void> RequestWritePosition();
  routing::ReadRequirement ReadNeeds() const;
  // pg_relay.cc
  // What the relay does after a pass over the bytes it read.
  enum class RelayNext { kRead, kWriteHeld, kWriteLocked, kWritePosition, kEnd };
  void StartRelay();
  void RelayRead();
  void OnRelayRead(RelayNext next);
  RelayNext RelayPass(boost::system::error_code ec, size_t n);
  RelayNext AfterRelayWrite();
  Awaitable<void> Relay(RelayNext next);
  void EndRelay();
  absl::Status ProcessServerBytes(size_t& pos, size_t filled, std::vector<Piece>& pieces);
  void HandleReported(std::string_view body, bool hidden);
  void OnReadyForQuery(char status);
  Awaitable<void> ReportBackendLost(const absl::Status& why);
  void DisposeBackend(bool clean);
  Awaitable<void> ResetAndRelease(std::unique_ptr<PgBackend> b, PgPool* pool,
                                  std::vector<std::string> queries);
  Awaitable<absl::Status> WriteClient(const std::vector<asio::const_buffer>& buffers);
  Awaitable<absl::Status> WriteClient(const std::string& bytes);
  // The relay's write without a coroutine: true when done (`status` set);
  // false when the caller must `co_await WriteClientHeld(out)` (the lock is
  // then held and `out` holds what is left) or, with `locked` false, `co_await
  // WriteClient(out)`.
  bool WriteClientNow(std::vector<asio::const_buffer>& out, absl::Status& status, bool& locked);
  Awaitable<absl::Status> WriteClientHeld(const std::vector<asio::const_buffer>& buffers);
  void CloseClient();

  std::string Tag() const;  // "c12 user=app db=app"
  PgPool& PoolFor(ServerState& server);
  const pg::ParameterMap& PoolDefaults();

  Worker& worker_;
  SharedState& shared_;
  tcp::socket client_;
  ListenerContext listener_;
  uint64_t id_;
  std::string user_;
  std::string database_;
  const config::User* user_config_ = nullptr;
  config::PoolSettings pool_settings_;
  bool admitted_ = false;
  int32_t proxy_pid_ = 0;
  int32_t proxy_secret_ = 0;

  std::string in_buf_;
  size_t in_start_ = 0;
  std::map<std::string, Statement, std::less<>> statements_;
  pg::SessionParameters startup_wanted_;  // parameters as of login
  pg::SessionParameters wanted_;          // parameters the client's session has now
  std::shared_ptr<const AnalysisList> unnamed_analysis_;  // last unnamed Parse

  std::unique_ptr<PgBackend> backend_;
  PgPool* backend_pool_ = nullptr;
  bool relay_running_ = false;
  bool relay_reading_ = false;       // the relay waits for server bytes
  char txn_status_ = 'I';
  bool pinned_ = false;
  std::string pin_reason_;
  bool session_mode_ = false;


  // Replica freshness (docs/postgresql.md, "Reads and freshness").
  uint64_t ryw_position_ = 0;        // WAL position after this session's last write
  bool wrote_ = false;               // the attached transaction wrote on the primary
  bool closing_ = false;
  bool drain_ = false;
  bool serving_ = false;   // a client loop coroutine is running (not parked)
  SessionWork<Work> work_;
};

}  // namespace switchyard::proxy

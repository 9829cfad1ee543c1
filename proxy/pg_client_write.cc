// PgClientSession: writes to the client and to the attached backend.
//
// The client loop and the relay both write to the client (client_write_mu
// orders them); the relay's write goes out with one non-blocking send when
// the socket takes it all (WriteClientNow), without a coroutine.
#include "absl/strings/str_cat.h"
#include "proxy/pg/backend_messages.h"
#include "proxy/pg_client.h"
#include "proxy/socket_io.h"

namespace switchyard::proxy {

Awaitable<absl::Status> PgClientSession::SendToClientError(const pg::ErrorFields& e,
                                                           int ready_for_query) {
  std::string out;
  pg::AppendErrorResponse(out, e);
  for (int i = 0; i < ready_for_query; ++i) pg::AppendReadyForQuery(out, txn_status_);
  co_return co_await WriteClient(out);
}

Awaitable<absl::Status> PgClientSession::WriteBackend(std::string_view bytes) {
  if (!backend_) co_return absl::FailedPreconditionError("no backend");
  boost::system::error_code ec;
  co_await asio::async_write(backend_->socket, asio::buffer(bytes.data(), bytes.size()),
                             asio::redirect_error(kUseAwaitable, ec));
  // A failed write shows up in the relay as a lost connection; the client's
  // session carries on there.
  co_return absl::OkStatus();
}

Awaitable<absl::Status> PgClientSession::WriteClient(const std::string& bytes) {
  std::vector<asio::const_buffer> buffers{asio::buffer(bytes)};
  co_return co_await WriteClient(buffers);
}

Awaitable<absl::Status> PgClientSession::WriteClient(
    const std::vector<asio::const_buffer>& buffers) {
  // Without Work (still logging in) nothing else writes to the client; every
  // writer that may run beside another (the relay, Shutdown's notice) makes it.
  Work* work = work_.find();
  if (work && !work->client_write_mu.TryLock()) co_await work->client_write_mu.Lock();
  boost::system::error_code ec;
  co_await asio::async_write(client_, buffers, asio::redirect_error(kUseAwaitable, ec));
  if (work) work->client_write_mu.Unlock();
  if (ec) co_return absl::UnavailableError("client connection lost: " + ec.message());
  co_return absl::OkStatus();
}

bool PgClientSession::WriteClientNow(std::vector<asio::const_buffer>& out, absl::Status& status,
                                     bool& locked) {
  Work& work = w();
  locked = work.client_write_mu.TryLock();
  if (!locked) return false;
  size_t total = 0;
  for (const asio::const_buffer& b : out) total += b.size();
  size_t sent = 0;
  const absl::Status s = SendNow(client_, out, sent);
  if (s.ok() && sent < total) {
    DropSent(out, sent);
    return false;  // the rest with WriteClientHeld, still locked
  }
  work.client_write_mu.Unlock();
  status = s.ok() ? absl::OkStatus()
                  : absl::UnavailableError(absl::StrCat("client connection lost: ", s.message()));
  return true;
}

Awaitable<absl::Status> PgClientSession::WriteClientHeld(
    const std::vector<asio::const_buffer>& buffers) {
  boost::system::error_code ec;
  co_await asio::async_write(client_, buffers, asio::redirect_error(kUseAwaitable, ec));
  w().client_write_mu.Unlock();
  if (ec) co_return absl::UnavailableError("client connection lost: " + ec.message());
  co_return absl::OkStatus();
}

}  // namespace switchyard::proxy

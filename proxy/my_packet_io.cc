#include "proxy/my_packet_io.h"

#include <cstring>

namespace switchyard::proxy {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
// With nothing buffered (a backend waiting for a response, a client during
// login) a read waits with a small chunk, and a buffer a large message grew
// is given back first. Clients between commands do not wait here: they park
// (proxy/my_client.cc).
constexpr size_t kIdleCapacity = 16 * 1024;
constexpr size_t kFirstChunk = 4096;

}  // namespace

absl::StatusOr<std::optional<mysql::Packet>> MyPacketBuffer::TryNext() {
  auto p = mysql::DecodePacket(std::string_view(buf_.data() + start_, end_ - start_),
                               max_payload_);
  if (p.ok() && p->has_value()) start_ += (*p)->consumed;
  return p;
}

absl::StatusOr<std::optional<mysql::Packet>> MyPacketBuffer::TryNextLogical() {
  const std::string_view bytes(buf_.data() + start_, end_ - start_);
  auto p = mysql::DecodePacket(bytes, max_payload_);
  if (p.ok() && p->has_value() && (*p)->is_partial_chunk) {
    if (!scratch_) scratch_ = std::make_unique<std::string>();
    p = mysql::DecodeLogicalPacket(bytes, max_payload_, *scratch_);
  }
  if (p.ok() && p->has_value()) start_ += (*p)->consumed;
  return p;
}

asio::mutable_buffer MyPacketBuffer::PrepareRead() {
  if (start_ > 0) {
    std::memmove(buf_.data(), buf_.data() + start_, end_ - start_);
    end_ -= start_;
    start_ = 0;
  }
  size_t chunk = kReadChunk;
  if (end_ == 0) {
    if (buf_.capacity() > kIdleCapacity) std::string().swap(buf_);
    chunk = kFirstChunk;
  }
  if (buf_.size() < end_ + chunk) buf_.resize(end_ + chunk);
  return asio::buffer(buf_.data() + end_, buf_.size() - end_);
}

absl::Status MyPacketBuffer::CommitRead(size_t n, boost::system::error_code ec) {
  end_ += n;
  if (ec) {
    return absl::UnavailableError(ec == asio::error::eof ? "connection closed" : ec.message());
  }
  return absl::OkStatus();
}

Awaitable<absl::Status> MyPacketBuffer::Fill(tcp::socket& socket) {
  boost::system::error_code ec;
  if (end_ == start_) {
    // Nothing buffered (a client during login): wait without a buffer, so
    // thousands of clients connecting at once do not each pin a read chunk.
    co_await socket.async_wait(tcp::socket::wait_read, asio::redirect_error(kUseAwaitable, ec));
    if (ec) co_return absl::UnavailableError(ec.message());
  }
  size_t n = co_await socket.async_read_some(PrepareRead(), asio::redirect_error(kUseAwaitable, ec));
  co_return CommitRead(n, ec);
}

boost::system::error_code MyPacketBuffer::ReceiveNow(tcp::socket& socket,
                                                     std::span<char> scratch, bool& full) {
  if (start_ > 0) {
    std::memmove(buf_.data(), buf_.data() + start_, end_ - start_);
    end_ -= start_;
    start_ = 0;
  }
  buf_.resize(end_);
  const boost::system::error_code ec = proxy::ReceiveNow(socket, scratch, buf_, full);
  end_ = buf_.size();
  return ec;
}

void MyPacketBuffer::ReleaseIfEmpty(size_t keep) {
  if (start_ != end_) return;
  start_ = end_ = 0;
  buf_.clear();
  if (buf_.capacity() > keep) std::string().swap(buf_);
  if (scratch_ && scratch_->capacity() > keep) scratch_.reset();
}

Awaitable<absl::StatusOr<mysql::Packet>> MyPacketBuffer::Next(tcp::socket& socket) {
  while (true) {
    auto p = TryNext();
    if (!p.ok()) co_return p.status();
    if (p->has_value()) co_return **p;
    absl::Status s = co_await Fill(socket);
    if (!s.ok()) co_return s;
  }
}

Awaitable<absl::StatusOr<mysql::Packet>> MyPacketBuffer::NextLogical(tcp::socket& socket) {
  while (true) {
    auto p = TryNextLogical();
    if (!p.ok()) co_return p.status();
    if (p->has_value()) co_return **p;
    absl::Status s = co_await Fill(socket);
    if (!s.ok()) co_return s;
  }
}

}  // namespace switchyard::proxy

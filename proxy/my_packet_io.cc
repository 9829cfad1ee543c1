#include "proxy/my_packet_io.h"

#include <cstring>

namespace switchyard::proxy {
namespace {

constexpr size_t kReadChunk = 64 * 1024;

}  // namespace

absl::StatusOr<std::optional<mysql::Packet>> MyPacketBuffer::TryNext() {
  auto p = mysql::DecodePacket(std::string_view(buf_.data() + start_, end_ - start_),
                               max_payload_);
  if (p.ok() && p->has_value()) start_ += (*p)->consumed;
  return p;
}

absl::StatusOr<std::optional<mysql::Packet>> MyPacketBuffer::TryNextLogical() {
  auto p = mysql::DecodeLogicalPacket(std::string_view(buf_.data() + start_, end_ - start_),
                                      max_payload_, scratch_);
  if (p.ok() && p->has_value()) start_ += (*p)->consumed;
  return p;
}

Awaitable<absl::Status> MyPacketBuffer::Fill(tcp::socket& socket) {
  if (start_ > 0) {
    std::memmove(buf_.data(), buf_.data() + start_, end_ - start_);
    end_ -= start_;
    start_ = 0;
  }
  if (buf_.size() < end_ + kReadChunk) buf_.resize(end_ + kReadChunk);
  boost::system::error_code ec;
  size_t n = co_await socket.async_read_some(asio::buffer(buf_.data() + end_, buf_.size() - end_),
                                             asio::redirect_error(kUseAwaitable, ec));
  end_ += n;
  if (ec) {
    co_return absl::UnavailableError(ec == asio::error::eof ? "connection closed"
                                                            : ec.message());
  }
  co_return absl::OkStatus();
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

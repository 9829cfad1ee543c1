#include "proxy/frame_reader.h"

#include <algorithm>

#include "absl/status/status.h"

namespace switchyard::proxy {

Awaitable<absl::StatusOr<pg::Frame>> FrameReader::Next(tcp::socket& socket) {
  return Read(socket, false);
}

Awaitable<absl::StatusOr<pg::Frame>> FrameReader::NextStartup(tcp::socket& socket) {
  return Read(socket, true);
}

std::string FrameReader::TakeRemaining() {
  start_ += pending_consume_;
  pending_consume_ = 0;
  std::string rest = buf_.substr(start_);
  buf_.clear();
  start_ = 0;
  return rest;
}

Awaitable<absl::StatusOr<pg::Frame>> FrameReader::Read(tcp::socket& socket, bool startup) {
  start_ += pending_consume_;
  pending_consume_ = 0;
  while (true) {
    std::string_view avail = std::string_view(buf_).substr(start_);
    pg::FrameResult r =
        startup ? pg::DecodeStartupFrame(avail, max_body_) : pg::DecodeFrame(avail, max_body_);
    if (r.status == pg::DecodeStatus::kFrame) {
      pending_consume_ = r.consumed;
      co_return r.frame;
    }
    if (r.status == pg::DecodeStatus::kError) {
      co_return absl::InvalidArgumentError(r.error);
    }
    if (start_ > 0) {
      buf_.erase(0, start_);
      start_ = 0;
    }
    // Small reads first (a startup packet is ~100 bytes; thousands of clients
    // may be logging in at once), growing with what the message needs.
    const size_t old = buf_.size();
    const size_t chunk = std::clamp<size_t>(old, 512, 64 * 1024);
    buf_.resize(old + chunk);
    boost::system::error_code ec;
    size_t n = co_await socket.async_read_some(asio::buffer(buf_.data() + old, chunk),
                                               asio::redirect_error(kUseAwaitable, ec));
    buf_.resize(old + n);
    if (ec) {
      co_return absl::UnavailableError(ec == asio::error::eof ? "connection closed"
                                                              : ec.message());
    }
  }
}

}  // namespace switchyard::proxy

#include "proxy/pg/frame.h"

#include <fmt/format.h>
#include "common/byte_reader.h"
#include "common/byte_writer.h"

namespace switchyard::pg {

HeaderResult DecodeHeader(std::string_view buf, uint32_t max_body) {
  HeaderResult r;
  if (buf.size() < kHeaderSize) return r;
  // Read directly (not through ByteReader's checked optionals): called for every
  // message relayed, and the size is checked above.
  const auto* bytes = reinterpret_cast<const unsigned char*>(buf.data());
  r.type = static_cast<char>(bytes[0]);
  const uint32_t length = (uint32_t{bytes[1]} << 24) | (uint32_t{bytes[2]} << 16) |
                          (uint32_t{bytes[3]} << 8) | uint32_t{bytes[4]};
  if (length < 4) {
    r.status = DecodeStatus::kError;
    r.error = fmt::format("invalid message length {} for message type '{}'", length, r.type);
    return r;
  }
  if (length - 4 > max_body) {
    r.status = DecodeStatus::kError;
    r.error = fmt::format("message of type '{}' is {} bytes, above the limit of {} bytes",
                          r.type, length - 4, max_body);
    return r;
  }
  r.status = DecodeStatus::kFrame;
  r.body_length = length - 4;
  return r;
}

FrameResult DecodeFrame(std::string_view buf, uint32_t max_body) {
  FrameResult r;
  HeaderResult h = DecodeHeader(buf, max_body);
  if (h.status != DecodeStatus::kFrame) {
    r.status = h.status;
    r.error = std::move(h.error);
    return r;
  }
  if (buf.size() - kHeaderSize < h.body_length) return r;  // need more
  r.status = DecodeStatus::kFrame;
  r.frame.type = h.type;
  r.frame.body = buf.substr(kHeaderSize, h.body_length);
  r.consumed = kHeaderSize + h.body_length;
  return r;
}

FrameResult DecodeStartupFrame(std::string_view buf, uint32_t max_length) {
  FrameResult r;
  if (buf.size() < 4) return r;
  common::ByteReader reader(buf);
  const uint32_t length = *reader.U32Be();
  if (length < 8 || length > max_length) {
    r.status = DecodeStatus::kError;
    r.error = fmt::format("invalid startup packet length {} (allowed 8 to {} bytes)", length,
                          max_length);
    return r;
  }
  if (buf.size() < length) return r;
  r.status = DecodeStatus::kFrame;
  r.frame.body = buf.substr(4, length - 4);
  r.consumed = length;
  return r;
}

void AppendFrame(std::string& out, char type, std::string_view body) {
  common::ByteWriter w(out);
  w.U8(static_cast<uint8_t>(type));
  w.U32Be(static_cast<uint32_t>(body.size() + 4));
  w.Bytes(body);
}

size_t BeginFrame(std::string& out, char type) {
  const size_t begin = out.size();
  common::ByteWriter w(out);
  w.U8(static_cast<uint8_t>(type));
  w.U32Be(0);
  return begin;
}

void FinishFrame(std::string& out, size_t begin) {
  common::ByteWriter(out).PatchU32Be(begin + 1, static_cast<uint32_t>(out.size() - begin - 1));
}

}  // namespace switchyard::pg

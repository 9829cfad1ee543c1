// Framing of the PostgreSQL v3 protocol: splitting a byte stream into messages.
//
// Every message after startup is: 1 type byte, a 4-byte big-endian length that
// counts itself and the body, then the body. The startup-phase packets
// (StartupMessage, SSLRequest, GSSENCRequest, CancelRequest) have no type byte.
// Decoders are pure and resumable: given the bytes received so far they return
// one message, "need more", or an error; they never read past the buffer and
// never allocate. Returned views point into the caller's buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard::pg {

inline constexpr size_t kHeaderSize = 5;  // type + length

struct Frame {
  char type = 0;
  std::string_view body;  // excludes the 5-byte header
  size_t size() const { return kHeaderSize + body.size(); }
};

enum class DecodeStatus { kFrame, kNeedMore, kError };

struct FrameResult {
  DecodeStatus status = DecodeStatus::kNeedMore;
  Frame frame;             // valid when status == kFrame
  size_t consumed = 0;     // bytes of the frame, header included
  std::string error;       // set when status == kError
};

// Decodes one typed message. A declared length below 4 or a body larger than
// max_body is an error (the caller answers 08P01 and closes).
FrameResult DecodeFrame(std::string_view buf, uint32_t max_body);

// Reads only the header of a typed message: enough to stream a large body
// through without holding it whole. Same errors as DecodeFrame.
struct HeaderResult {
  DecodeStatus status = DecodeStatus::kNeedMore;
  char type = 0;
  uint32_t body_length = 0;
  std::string error;
};
HeaderResult DecodeHeader(std::string_view buf, uint32_t max_body);

// Decodes one untyped startup-phase packet; `frame.type` is 0 and `frame.body`
// starts at the 4-byte protocol code. Lengths below 8 or above max_length are
// errors.
FrameResult DecodeStartupFrame(std::string_view buf, uint32_t max_length);

// Appends a typed message with the given body.
void AppendFrame(std::string& out, char type, std::string_view body);

// Starts a typed message whose body the caller appends next; FinishFrame fills
// in the length. Lets encoders write bodies in place without a temporary.
size_t BeginFrame(std::string& out, char type);
void FinishFrame(std::string& out, size_t begin);

}  // namespace switchyard::pg

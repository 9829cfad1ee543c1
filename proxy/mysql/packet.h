// Packet framing for the MySQL client/server protocol.
//
// Every MySQL message travels in packets: a 4-byte header (3-byte little-endian
// payload length, 1-byte sequence id) followed by the payload. A payload of
// 16 MiB - 1 bytes or more is split into 0xFFFFFF-byte chunks, the last chunk
// being shorter (possibly empty when the size is an exact multiple).
//
// The decoders are pure and resumable: given the bytes received so far they
// return a packet, "need more" (std::nullopt) or an error; they never keep
// state between calls, so the caller simply retries with a longer buffer.
// Decoded payloads are views: into the caller's buffer for a single packet,
// into the caller's scratch string for a reassembled logical packet. The
// caller keeps that storage alive and unchanged while it uses the view.
// Sequence ids are reported, not judged: the session knows which id each
// exchange expects (they restart at 0 with every command).
// Thread-safety: all functions are reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace switchyard::mysql {

inline constexpr size_t kPacketHeaderSize = 4;
// Largest payload one physical packet can carry; a packet this long is
// always followed by a continuation packet.
inline constexpr size_t kMaxChunkPayload = 0xFFFFFF;

struct Packet {
  std::string_view payload;
  // Sequence id of the first physical packet.
  uint8_t sequence_id = 0;
  // Sequence id the next packet of the exchange must carry (last id + 1).
  uint8_t next_sequence_id = 0;
  // Bytes of the input buffer covered by this packet, headers included.
  size_t consumed = 0;
  // True when `payload` is one physical chunk of a split logical packet
  // (only DecodePacket reports chunks; DecodeLogicalPacket joins them).
  bool is_partial_chunk = false;
};

// Decodes the physical packet at the start of `buffer`. Payloads longer than
// `max_payload` are an error (checked from the header alone, before the
// payload has arrived).
absl::StatusOr<std::optional<Packet>> DecodePacket(std::string_view buffer, size_t max_payload);

// Decodes one logical packet: a single physical packet (payload viewed in
// `buffer`, nothing copied) or a chain of 0xFFFFFF-byte chunks with
// consecutive sequence ids, joined into `scratch` (cleared first). The total
// payload must not exceed `max_payload`.
absl::StatusOr<std::optional<Packet>> DecodeLogicalPacket(std::string_view buffer,
                                                          size_t max_payload, std::string& scratch);

// Appends `payload` to `out` as one or more packets, splitting as the protocol
// requires. Returns the sequence id that follows the last packet written.
uint8_t AppendPacket(std::string_view payload, uint8_t sequence_id, std::string& out);

// Build a payload in place, without a copy: BeginPacket reserves the header
// and returns its offset; the caller appends the payload to `out`; then
// FinishPacket fills the header (splitting a payload >= 16 MiB - 1) and returns
// the next sequence id.
size_t BeginPacket(std::string& out);
uint8_t FinishPacket(std::string& out, size_t header_offset, uint8_t sequence_id);

}  // namespace switchyard::mysql

#include "proxy/mysql/packet.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/byte_reader.h"
#include "common/byte_writer.h"

namespace switchyard::mysql {
namespace {

struct Header {
  uint32_t length;
  uint8_t sequence_id;
};

std::optional<Header> ReadHeader(std::string_view bytes) {
  common::ByteReader reader(bytes);
  auto length = reader.U24Le();
  auto sequence_id = reader.U8();
  if (!length || !sequence_id) return std::nullopt;
  return Header{*length, *sequence_id};
}

absl::Status TooLarge(size_t length, size_t max_payload) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "MySQL packet payload of ", length, " bytes exceeds the limit of ", max_payload, " bytes"));
}

// Walks the chunk headers of a split logical packet starting at `buffer`.
// Returns the total payload size and the bytes covered, or need-more.
struct ChainExtent {
  size_t payload_size = 0;
  size_t consumed = 0;
  uint8_t last_sequence_id = 0;
};

absl::StatusOr<std::optional<ChainExtent>> ScanChain(std::string_view buffer, size_t max_payload) {
  ChainExtent extent;
  std::optional<uint8_t> expected_sequence;
  while (true) {
    if (extent.consumed > buffer.size()) return std::nullopt;  // a chunk is still arriving
    auto header = ReadHeader(buffer.substr(extent.consumed));
    if (!header) return std::nullopt;
    if (expected_sequence && header->sequence_id != *expected_sequence) {
      return absl::InvalidArgumentError(absl::StrCat("MySQL packet continuation has sequence id ",
                                                     header->sequence_id, ", expected ",
                                                     *expected_sequence));
    }
    extent.payload_size += header->length;
    if (extent.payload_size > max_payload) return TooLarge(extent.payload_size, max_payload);
    extent.consumed += kPacketHeaderSize + header->length;
    extent.last_sequence_id = header->sequence_id;
    if (header->length < kMaxChunkPayload) break;
    expected_sequence = static_cast<uint8_t>(header->sequence_id + 1);
  }
  if (extent.consumed > buffer.size()) return std::nullopt;
  return extent;
}

}  // namespace

absl::StatusOr<std::optional<Packet>> DecodePacket(std::string_view buffer, size_t max_payload) {
  auto header = ReadHeader(buffer);
  if (!header) return std::nullopt;
  if (header->length > max_payload) return TooLarge(header->length, max_payload);
  const size_t total = kPacketHeaderSize + header->length;
  if (buffer.size() < total) return std::nullopt;
  Packet packet;
  packet.payload = buffer.substr(kPacketHeaderSize, header->length);
  packet.sequence_id = header->sequence_id;
  packet.next_sequence_id = static_cast<uint8_t>(header->sequence_id + 1);
  packet.consumed = total;
  packet.is_partial_chunk = header->length == kMaxChunkPayload;
  return packet;
}

absl::StatusOr<std::optional<Packet>> DecodeLogicalPacket(std::string_view buffer,
                                                          size_t max_payload,
                                                          std::string& scratch) {
  auto first = DecodePacket(buffer, max_payload);
  if (!first.ok() || !first->has_value() || !(*first)->is_partial_chunk) return first;
  auto extent = ScanChain(buffer, max_payload);
  if (!extent.ok()) return extent.status();
  if (!extent->has_value()) return std::nullopt;
  scratch.clear();
  scratch.reserve((*extent)->payload_size);
  size_t offset = 0;
  while (offset < (*extent)->consumed) {
    auto header = ReadHeader(buffer.substr(offset));
    scratch.append(buffer.substr(offset + kPacketHeaderSize, header->length));
    offset += kPacketHeaderSize + header->length;
  }
  Packet packet = **first;
  packet.payload = scratch;
  packet.next_sequence_id = static_cast<uint8_t>((*extent)->last_sequence_id + 1);
  packet.consumed = (*extent)->consumed;
  packet.is_partial_chunk = false;
  return packet;
}

uint8_t AppendPacket(std::string_view payload, uint8_t sequence_id, std::string& out) {
  common::ByteWriter writer(out);
  out.reserve(out.size() + payload.size() +
              kPacketHeaderSize * (1 + payload.size() / kMaxChunkPayload));
  while (true) {
    const size_t chunk = std::min(payload.size(), kMaxChunkPayload);
    writer.U24Le(static_cast<uint32_t>(chunk));
    writer.U8(sequence_id++);
    writer.Bytes(payload.substr(0, chunk));
    payload.remove_prefix(chunk);
    // A chunk of exactly 0xFFFFFF bytes promises a continuation, even an empty one.
    if (chunk < kMaxChunkPayload) return sequence_id;
  }
}

size_t BeginPacket(std::string& out) {
  const size_t offset = out.size();
  out.append(kPacketHeaderSize, '\0');
  return offset;
}

uint8_t FinishPacket(std::string& out, size_t header_offset, uint8_t sequence_id) {
  const size_t length = out.size() - header_offset - kPacketHeaderSize;
  if (length < kMaxChunkPayload) {
    common::ByteWriter(out).PatchU24Le(header_offset, static_cast<uint32_t>(length));
    out[header_offset + 3] = static_cast<char>(sequence_id);
    return static_cast<uint8_t>(sequence_id + 1);
  }
  // Rare (>= 16 MiB): re-frame through a copy rather than shifting in place.
  std::string payload = out.substr(header_offset + kPacketHeaderSize);
  out.resize(header_offset);
  return AppendPacket(payload, sequence_id, out);
}

}  // namespace switchyard::mysql

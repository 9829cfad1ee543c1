#include "common/byte_reader.h"

#include <cstring>

namespace switchyard::common {

std::optional<uint8_t> ByteReader::U8() {
  if (remaining() < 1) return std::nullopt;
  return static_cast<uint8_t>(bytes_[pos_++]);
}

std::optional<uint16_t> ByteReader::U16Be() {
  if (remaining() < 2) return std::nullopt;
  auto b = reinterpret_cast<const unsigned char*>(bytes_.data() + pos_);
  pos_ += 2;
  return static_cast<uint16_t>((b[0] << 8) | b[1]);
}

std::optional<uint32_t> ByteReader::U32Be() {
  if (remaining() < 4) return std::nullopt;
  auto b = reinterpret_cast<const unsigned char*>(bytes_.data() + pos_);
  pos_ += 4;
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) |
         uint32_t{b[3]};
}

std::optional<int16_t> ByteReader::I16Be() {
  auto v = U16Be();
  if (!v) return std::nullopt;
  return static_cast<int16_t>(*v);
}

std::optional<int32_t> ByteReader::I32Be() {
  auto v = U32Be();
  if (!v) return std::nullopt;
  return static_cast<int32_t>(*v);
}

std::optional<uint64_t> ByteReader::LittleEndian(size_t width) {
  if (remaining() < width) return std::nullopt;
  auto b = reinterpret_cast<const unsigned char*>(bytes_.data() + pos_);
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) v |= uint64_t{b[i]} << (8 * i);
  pos_ += width;
  return v;
}

std::optional<uint16_t> ByteReader::U16Le() {
  auto v = LittleEndian(2);
  if (!v) return std::nullopt;
  return static_cast<uint16_t>(*v);
}

std::optional<uint32_t> ByteReader::U24Le() {
  auto v = LittleEndian(3);
  if (!v) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

std::optional<uint32_t> ByteReader::U32Le() {
  auto v = LittleEndian(4);
  if (!v) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

std::optional<uint64_t> ByteReader::U64Le() { return LittleEndian(8); }

std::optional<uint64_t> ByteReader::LenEncInt() {
  const size_t start = pos_;
  auto first = U8();
  if (!first) return std::nullopt;
  std::optional<uint64_t> v;
  if (*first < 0xfb) return *first;
  if (*first == 0xfc) v = LittleEndian(2);
  else if (*first == 0xfd) v = LittleEndian(3);
  else if (*first == 0xfe) v = LittleEndian(8);
  if (!v) pos_ = start;  // 0xfb (NULL), 0xff (error marker) or truncated
  return v;
}

std::optional<std::string_view> ByteReader::Bytes(size_t n) {
  if (remaining() < n) return std::nullopt;
  auto v = bytes_.substr(pos_, n);
  pos_ += n;
  return v;
}

std::optional<std::string_view> ByteReader::CString() {
  const void* nul = std::memchr(bytes_.data() + pos_, '\0', remaining());
  if (nul == nullptr) return std::nullopt;
  size_t len = static_cast<const char*>(nul) - (bytes_.data() + pos_);
  auto v = bytes_.substr(pos_, len);
  pos_ += len + 1;
  return v;
}

std::optional<std::string_view> ByteReader::LenEncString() {
  const size_t start = pos_;
  auto len = LenEncInt();
  if (!len) return std::nullopt;
  auto v = Bytes(*len);
  if (!v) pos_ = start;
  return v;
}

bool ByteReader::Skip(size_t n) {
  if (remaining() < n) return false;
  pos_ += n;
  return true;
}

}  // namespace switchyard::common

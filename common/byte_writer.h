// ByteWriter: appends protocol fields to a caller-owned std::string.
//
// The writer borrows the output buffer so that a connection can reuse one
// buffer for many messages without reallocating. PostgreSQL fields are
// big-endian, MySQL fields little-endian.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard::common {

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}

  size_t size() const { return out_.size(); }
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U16Be(uint16_t v);
  void U32Be(uint32_t v);
  void I16Be(int16_t v) { U16Be(static_cast<uint16_t>(v)); }
  void I32Be(int32_t v) { U32Be(static_cast<uint32_t>(v)); }
  void U16Le(uint16_t v) { LittleEndian(v, 2); }
  void U24Le(uint32_t v) { LittleEndian(v, 3); }
  void U32Le(uint32_t v) { LittleEndian(v, 4); }
  void U64Le(uint64_t v) { LittleEndian(v, 8); }
  void LenEncInt(uint64_t v);
  void LenEncString(std::string_view s);
  void Bytes(std::string_view s) { out_.append(s); }
  void CString(std::string_view s);
  // Overwrites 4 big-endian bytes at `offset` (a length filled in after the body).
  void PatchU32Be(size_t offset, uint32_t v);
  void PatchU24Le(size_t offset, uint32_t v);

 private:
  void LittleEndian(uint64_t v, size_t width);

  std::string& out_;
};

}  // namespace switchyard::common

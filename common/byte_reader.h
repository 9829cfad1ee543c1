// ByteReader: a bounds-checked cursor over a borrowed byte range.
//
// Protocol codecs read untrusted bytes through this class only. Every read
// checks the remaining length first and reports failure instead of reading
// past the end; after a failed read the reader is left unchanged. The reader
// does not own the bytes: the caller keeps them alive while it is used.
// PostgreSQL integers are big-endian, MySQL integers little-endian; both
// families of readers are here so the two codecs share one audited cursor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace switchyard::common {

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  size_t remaining() const { return bytes_.size() - pos_; }
  size_t position() const { return pos_; }
  bool empty() const { return remaining() == 0; }
  std::string_view rest() const { return bytes_.substr(pos_); }

  std::optional<uint8_t> U8();
  std::optional<uint16_t> U16Be();
  std::optional<uint32_t> U32Be();
  std::optional<int16_t> I16Be();
  std::optional<int32_t> I32Be();
  std::optional<uint16_t> U16Le();
  std::optional<uint32_t> U24Le();
  std::optional<uint32_t> U32Le();
  std::optional<uint64_t> U64Le();
  // MySQL length-encoded integer (0xfb is "NULL" and is rejected here).
  std::optional<uint64_t> LenEncInt();
  // Exactly n bytes.
  std::optional<std::string_view> Bytes(size_t n);
  // Bytes up to a NUL terminator; the terminator is consumed, not returned.
  std::optional<std::string_view> CString();
  // MySQL length-encoded string.
  std::optional<std::string_view> LenEncString();
  bool Skip(size_t n);

 private:
  std::optional<uint64_t> LittleEndian(size_t width);

  std::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace switchyard::common

#include "common/byte_writer.h"

namespace switchyard::common {

// Fields are assembled in a local array and appended at once: one capacity check
// instead of one per byte.
void ByteWriter::U16Be(uint16_t v) {
  const char bytes[2] = {static_cast<char>(v >> 8), static_cast<char>(v)};
  out_.append(bytes, sizeof bytes);
}

void ByteWriter::U32Be(uint32_t v) {
  const char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                         static_cast<char>(v >> 8), static_cast<char>(v)};
  out_.append(bytes, sizeof bytes);
}

void ByteWriter::LittleEndian(uint64_t v, size_t width) {
  char bytes[8];
  for (size_t i = 0; i < width; ++i) bytes[i] = static_cast<char>(v >> (8 * i));
  out_.append(bytes, width);
}

void ByteWriter::LenEncInt(uint64_t v) {
  if (v < 0xfb) {
    U8(static_cast<uint8_t>(v));
  } else if (v <= 0xffff) {
    U8(0xfc);
    LittleEndian(v, 2);
  } else if (v <= 0xffffff) {
    U8(0xfd);
    LittleEndian(v, 3);
  } else {
    U8(0xfe);
    LittleEndian(v, 8);
  }
}

void ByteWriter::LenEncString(std::string_view s) {
  LenEncInt(s.size());
  out_.append(s);
}

void ByteWriter::CString(std::string_view s) {
  out_.append(s);
  out_.push_back('\0');
}

void ByteWriter::PatchU32Be(size_t offset, uint32_t v) {
  out_[offset] = static_cast<char>(v >> 24);
  out_[offset + 1] = static_cast<char>(v >> 16);
  out_[offset + 2] = static_cast<char>(v >> 8);
  out_[offset + 3] = static_cast<char>(v);
}

void ByteWriter::PatchU24Le(size_t offset, uint32_t v) {
  out_[offset] = static_cast<char>(v);
  out_[offset + 1] = static_cast<char>(v >> 8);
  out_[offset + 2] = static_cast<char>(v >> 16);
}

}  // namespace switchyard::common

#include "proxy/pg/startup.h"

#include "absl/status/status.h"
#include <fmt/format.h>
#include "common/byte_reader.h"
#include "common/byte_writer.h"

namespace switchyard::pg {

const std::string* StartupMessage::Find(std::string_view name) const {
  for (const auto& [k, v] : parameters) {
    if (k == name) return &v;
  }
  return nullptr;
}

namespace {

absl::StatusOr<StartupMessage> ParseParameters(common::ByteReader& r, uint32_t version) {
  StartupMessage m;
  m.protocol_version = version;
  while (true) {
    auto name = r.CString();
    if (!name) return absl::InvalidArgumentError("startup packet is missing its terminator");
    if (name->empty()) break;
    auto value = r.CString();
    if (!value) {
      return absl::InvalidArgumentError(
          fmt::format("startup parameter \"{}\" has no value", *name));
    }
    if (m.Find(*name) != nullptr) {
      return absl::InvalidArgumentError(
          fmt::format("startup parameter \"{}\" appears twice", *name));
    }
    m.parameters.emplace_back(std::string(*name), std::string(*value));
  }
  if (!r.empty()) return absl::InvalidArgumentError("startup packet has bytes after its terminator");
  const std::string* user = m.Find("user");
  if (user == nullptr || user->empty()) {
    return absl::InvalidArgumentError("no PostgreSQL user name specified in startup packet");
  }
  return m;
}

}  // namespace

absl::StatusOr<StartupPacket> ParseStartupPacket(std::string_view body) {
  common::ByteReader r(body);
  auto code = r.U32Be();
  if (!code) return absl::InvalidArgumentError("startup packet too short");
  StartupPacket p;
  switch (*code) {
    case kSslRequestCode:
      p.kind = StartupPacket::Kind::kSslRequest;
      return p;
    case kGssEncRequestCode:
      p.kind = StartupPacket::Kind::kGssEncRequest;
      return p;
    case kCancelRequestCode: {
      auto pid = r.I32Be();
      auto key = r.I32Be();
      if (!pid || !key || !r.empty()) return absl::InvalidArgumentError("malformed cancel request");
      p.kind = StartupPacket::Kind::kCancel;
      p.cancel = CancelRequest{*pid, *key};
      return p;
    }
    default:
      break;
  }
  if ((*code >> 16) != 3) {
    return absl::InvalidArgumentError(fmt::format("unsupported frontend protocol {}.{}: server supports 3.0",
                                                  *code >> 16, *code & 0xffff));
  }
  auto m = ParseParameters(r, *code);
  if (!m.ok()) return m.status();
  p.kind = StartupPacket::Kind::kStartup;
  p.startup = *std::move(m);
  return p;
}

std::string EncodeStartupMessage(const StartupMessage& m) {
  std::string out;
  common::ByteWriter w(out);
  w.U32Be(0);
  w.U32Be(m.protocol_version);
  for (const auto& [k, v] : m.parameters) {
    w.CString(k);
    w.CString(v);
  }
  w.U8(0);
  w.PatchU32Be(0, static_cast<uint32_t>(out.size()));
  return out;
}

std::string EncodeCancelRequest(const CancelRequest& c) {
  std::string out;
  common::ByteWriter w(out);
  w.U32Be(16);
  w.U32Be(kCancelRequestCode);
  w.I32Be(c.process_id);
  w.I32Be(c.secret_key);
  return out;
}

}  // namespace switchyard::pg

#include "proxy/mysql/response.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/byte_reader.h"
#include "proxy/mysql/handshake.h"
#include "proxy/mysql/ok_err.h"
#include "proxy/mysql/packet.h"

namespace switchyard::mysql {
namespace {

uint8_t Header(std::string_view payload) {
  return payload.empty() ? 0 : static_cast<uint8_t>(payload[0]);
}

absl::Status Unexpected(std::string_view where, std::string_view payload) {
  return absl::InvalidArgumentError(absl::StrCat("unexpected MySQL packet ", std::string(where),
                                                 ": ", payload.size(), " bytes, header 0x",
                                                 absl::Hex(Header(payload), absl::kZeroPad2)));
}

ResponsePhase InitialPhase(ResponseShape shape) {
  switch (shape) {
    case ResponseShape::kNone:
      return ResponsePhase::kComplete;
    case ResponseShape::kUntracked:
      return ResponsePhase::kFailed;
    case ResponseShape::kFieldList:
      return ResponsePhase::kFieldList;
    case ResponseShape::kFetchRows:
      return ResponsePhase::kRows;
    case ResponseShape::kOkOrErr:
    case ResponseShape::kResultSet:
    case ResponseShape::kBinaryResultSet:
    case ResponseShape::kPrepareOk:
    case ResponseShape::kStatistics:
    case ResponseShape::kAuthExchange:
      return ResponsePhase::kFirstPacket;
  }
  return ResponsePhase::kFailed;
}

}  // namespace

ResponseTracker::ResponseTracker(ResponseShape shape, Capabilities capabilities)
    : shape_(shape), capabilities_(capabilities), phase_(InitialPhase(shape)) {}

absl::StatusOr<ResponseEvent> ResponseTracker::OnPacket(std::string_view payload) {
  if (continuing_) {
    continuing_ = payload.size() == kMaxChunkPayload;
    if (continuing_ || !deferred_) return ResponseEvent::kMore;
    const ResponseEvent event = *deferred_;
    deferred_.reset();
    return event;
  }
  auto event = OnLogicalPacket(payload);
  if (event.ok() && payload.size() == kMaxChunkPayload) {
    // Classified from its first chunk; the event takes effect at the last.
    continuing_ = true;
    if (*event != ResponseEvent::kMore) deferred_ = *event;
    return ResponseEvent::kMore;
  }
  return event;
}

absl::StatusOr<ResponseEvent> ResponseTracker::OnLogicalPacket(std::string_view payload) {
  if (shape_ == ResponseShape::kUntracked) {
    return absl::UnimplementedError("responses to replication/clone commands are not tracked");
  }
  if (phase_ == ResponsePhase::kComplete) {
    return absl::FailedPreconditionError(shape_ == ResponseShape::kNone
                                             ? "this command expects no response"
                                             : "response already complete");
  }
  if (phase_ == ResponsePhase::kFailed) {
    return absl::FailedPreconditionError("response tracking already failed");
  }
  auto event = Step(payload);
  if (!event.ok()) phase_ = ResponsePhase::kFailed;
  return event;
}

// The transition function: one case per phase.
absl::StatusOr<ResponseEvent> ResponseTracker::Step(std::string_view payload) {
  switch (phase_) {
    case ResponsePhase::kFirstPacket:
      return OnFirstPacket(payload);
    case ResponsePhase::kColumnDefinitions:
      return OnColumnDefinition(payload);
    case ResponsePhase::kColumnsEof:
      return OnColumnsEof(payload);
    case ResponsePhase::kRows:
      return OnRow(payload);
    case ResponsePhase::kInfileResult:
      return OnInfileResult(payload);
    case ResponsePhase::kPrepareParams:
    case ResponsePhase::kPrepareColumns:
      return OnPrepareDefinition(payload);
    case ResponsePhase::kPrepareParamsEof:
    case ResponsePhase::kPrepareColumnsEof:
      return OnPrepareEof(payload);
    case ResponsePhase::kFieldList:
      return OnFieldList(payload);
    case ResponsePhase::kComplete:
    case ResponsePhase::kFailed:
      return absl::FailedPreconditionError("response is not in progress");
  }
  return absl::InternalError("unknown response phase");
}

absl::StatusOr<ResponseEvent> ResponseTracker::OnFirstPacket(std::string_view payload) {
  switch (shape_) {
    case ResponseShape::kResultSet:
    case ResponseShape::kBinaryResultSet:
      return OnResultSetStart(payload);
    case ResponseShape::kOkOrErr:
      return OnSimpleReply(payload);
    case ResponseShape::kStatistics:
      if (Header(payload) == kErrHeader) return AbsorbErr(payload);
      return Complete();
    case ResponseShape::kAuthExchange:
      return OnAuthPacket(payload);
    case ResponseShape::kPrepareOk:
      return OnPrepareOk(payload);
    case ResponseShape::kNone:
    case ResponseShape::kUntracked:
    case ResponseShape::kFieldList:
    case ResponseShape::kFetchRows:
      break;
  }
  return Unexpected("at the start of a response", payload);
}

absl::StatusOr<ResponseEvent> ResponseTracker::OnResultSetStart(std::string_view payload) {
  const uint8_t header = Header(payload);
  if (header == kOkHeader && !payload.empty()) return AbsorbOk(payload);
  if (header == kErrHeader) return AbsorbErr(payload);
  if (header == kLocalInfileHeader && shape_ == ResponseShape::kResultSet) {
    summary_.local_infile_requested = true;
    phase_ = ResponsePhase::kInfileResult;
    return ResponseEvent::kLocalInfileRequest;
  }
  common::ByteReader reader(payload);
  auto columns = reader.LenEncInt();
  if (!columns || *columns == 0 || !reader.empty()) {
    return Unexpected("where a column count belongs", payload);
  }
  ++summary_.result_sets;
  definitions_left_ = *columns;
  phase_ = ResponsePhase::kColumnDefinitions;
  return ResponseEvent::kMore;
}

absl::StatusOr<ResponseEvent> ResponseTracker::OnSimpleReply(std::string_view payload) {
  const uint8_t header = Header(payload);
  if (header == kOkHeader && !payload.empty()) return AbsorbOk(payload);
  if (header == kErrHeader) return AbsorbErr(payload);
  // COM_SET_OPTION, COM_DEBUG and COM_SHUTDOWN answer with EOF (or 0xFE OK).
  if (IsResultSetTerminator(payload, capabilities_)) return AbsorbTerminator(payload);
  return Unexpected("where OK or ERR belongs", payload);
}

absl::StatusOr<ResponseEvent> ResponseTracker::OnAuthPacket(std::string_view payload) {
  switch (ClassifyAuthReply(payload)) {
    case AuthReplyKind::kOk:
      return AbsorbOk(payload);
    case AuthReplyKind::kErr:
      return AbsorbErr(payload);
    case AuthReplyKind::kAuthSwitch:
      return ResponseEvent::kNeedsClientReply;
    case AuthReplyKind::kMoreData:
      // caching_sha2_password's fast-auth success is followed by OK at once.
      if (payload.size() == 2 && static_cast<uint8_t>(payload[1]) == 0x03) {
        return ResponseEvent::kMore;
      }
      return ResponseEvent::kNeedsClientReply;
    case AuthReplyKind::kUnknown:
      break;
  }
  return Unexpected("during COM_CHANGE_USER authentication", payload);
}

absl::StatusOr<ResponseEvent> ResponseTracker::OnPrepareOk(std::string_view payload) {
  if (Header(payload) == kErrHeader) return AbsorbErr(payload);
  auto prepare_ok = DecodePrepareOk(payload);
  if (!prepare_ok.ok()) return prepare_ok.status();
  summary_.prepare_ok = *prepare_ok;
  phase_ = ResponsePhase::kPrepareParams;
  definitions_left_ = prepare_ok->num_params;
  if (definitions_left_ > 0) return ResponseEvent::kMore;
  return NextPrepareSection();
}

absl::StatusOr<ResponseEvent> ResponseTracker::OnColumnDefinition(std::string_view payload) {
  if (Header(payload) == kErrHeader) return AbsorbErr(payload);
  if (--definitions_left_ > 0) return ResponseEvent::kMore;
  phase_ = (capabilities_ & kClientDeprecateEof) != 0 ? ResponsePhase::kRows
                                                      : ResponsePhase::kColumnsEof;
  return ResponseEvent::kMore;
}

absl::StatusOr<ResponseEvent> ResponseTracker::OnColumnsEof(std::string_view payload) {
  if (Header(payload) == kErrHeader) return AbsorbErr(payload);
  if (!IsEofPacket(payload)) return Unexpected("where the EOF after columns belongs", payload);
  auto eof = DecodeEof(payload);
  if (!eof.ok()) return eof.status();
  summary_.status_flags = eof->status_flags;
  // A cursor was opened: no rows now, they come through COM_STMT_FETCH.
  if (shape_ == ResponseShape::kBinaryResultSet &&
      (eof->status_flags & kServerStatusCursorExists) != 0) {
    return Complete();
  }
  phase_ = ResponsePhase::kRows;
  return ResponseEvent::kMore;
}

absl::StatusOr<ResponseEvent> ResponseTracker::OnRow(std::string_view payload) {
  const uint8_t header = Header(payload);
  if (header == kErrHeader) return AbsorbErr(payload);
  if (IsResultSetTerminator(payload, capabilities_)) return AbsorbTerminator(payload);
  const bool binary = shape_ != ResponseShape::kResultSet;
  if (payload.empty() || (binary && header != 0x00)) {
    return Unexpected("where a result-set row belongs", payload);
  }
  ++summary_.rows;
  return ResponseEvent::kMore;
}

absl::StatusOr<ResponseEvent> ResponseTracker::OnInfileResult(std::string_view payload) {
  const uint8_t header = Header(payload);
  if (header == kOkHeader && !payload.empty()) return AbsorbOk(payload);
  if (header == kErrHeader) return AbsorbErr(payload);
  return Unexpected("after a LOCAL INFILE request", payload);
}

absl::StatusOr<ResponseEvent> ResponseTracker::OnPrepareDefinition(std::string_view payload) {
  if (Header(payload) == kErrHeader) return AbsorbErr(payload);
  if (--definitions_left_ > 0) return ResponseEvent::kMore;
  if ((capabilities_ & kClientDeprecateEof) == 0) {
    phase_ = phase_ == ResponsePhase::kPrepareParams ? ResponsePhase::kPrepareParamsEof
                                                     : ResponsePhase::kPrepareColumnsEof;
    return ResponseEvent::kMore;
  }
  return NextPrepareSection();
}

absl::StatusOr<ResponseEvent> ResponseTracker::OnPrepareEof(std::string_view payload) {
  auto eof = DecodeEof(payload);
  if (!eof.ok()) return Unexpected("where the EOF after definitions belongs", payload);
  summary_.status_flags = eof->status_flags;
  return NextPrepareSection();
}

// After the parameter section (or the column section), what comes next.
absl::StatusOr<ResponseEvent> ResponseTracker::NextPrepareSection() {
  const bool params_done =
      phase_ == ResponsePhase::kPrepareParams || phase_ == ResponsePhase::kPrepareParamsEof;
  if (!params_done || summary_.prepare_ok->num_columns == 0) return Complete();
  phase_ = ResponsePhase::kPrepareColumns;
  definitions_left_ = summary_.prepare_ok->num_columns;
  return ResponseEvent::kMore;
}

absl::StatusOr<ResponseEvent> ResponseTracker::OnFieldList(std::string_view payload) {
  if (Header(payload) == kErrHeader) return AbsorbErr(payload);
  if (IsResultSetTerminator(payload, capabilities_)) return AbsorbTerminator(payload);
  if (payload.empty()) return Unexpected("where a field definition belongs", payload);
  return ResponseEvent::kMore;
}

absl::StatusOr<ResponseEvent> ResponseTracker::AbsorbOk(std::string_view payload) {
  auto ok = DecodeOk(payload, capabilities_);
  if (!ok.ok()) return ok.status();
  summary_.affected_rows = ok->affected_rows;
  summary_.last_insert_id = ok->last_insert_id;
  if (auto gtid = ReportedGtid(*ok)) summary_.gtid = std::string(*gtid);
  summary_.status_flags = ok->status_flags;
  return AfterStatus(ok->status_flags);
}

absl::StatusOr<ResponseEvent> ResponseTracker::AbsorbErr(std::string_view payload) {
  auto err = DecodeErr(payload);
  if (!err.ok()) return err.status();
  if (err->error_code == kMariaDbProgressErrorCode &&
      (capabilities_ & kMariaDbClientProgress) != 0) {
    return ResponseEvent::kMore;  // a progress report, not the end
  }
  summary_.is_error = true;
  summary_.error_code = err->error_code;
  summary_.error_message = std::string(err->message);
  return Complete();
}

absl::StatusOr<ResponseEvent> ResponseTracker::AbsorbTerminator(std::string_view payload) {
  if (payload.size() > 5 && (capabilities_ & kClientDeprecateEof) != 0) return AbsorbOk(payload);
  auto flags = TerminatorStatusFlags(payload, capabilities_);
  if (!flags.ok()) return flags.status();
  summary_.status_flags = *flags;
  return AfterStatus(*flags);
}

// An OK or terminator with MORE_RESULTS_EXISTS announces another result.
absl::StatusOr<ResponseEvent> ResponseTracker::AfterStatus(StatusFlags flags) {
  const bool chained =
      shape_ == ResponseShape::kResultSet || shape_ == ResponseShape::kBinaryResultSet;
  if (chained && (flags & kServerMoreResultsExist) != 0) {
    phase_ = ResponsePhase::kFirstPacket;
    return ResponseEvent::kMore;
  }
  return Complete();
}

absl::StatusOr<ResponseEvent> ResponseTracker::Complete() {
  phase_ = ResponsePhase::kComplete;
  return ResponseEvent::kComplete;
}

}  // namespace switchyard::mysql

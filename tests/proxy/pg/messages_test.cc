// Round trips and truncation of the message families in backend_messages.h,
// frontend_messages.h and error_response.h.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "proxy/pg/backend_messages.h"
#include "proxy/pg/error_response.h"
#include "proxy/pg/frame.h"
#include "proxy/pg/frontend_messages.h"

namespace switchyard::pg {
namespace {

Frame Only(const std::string& bytes) {
  FrameResult r = DecodeFrame(bytes, 1 << 20);
  EXPECT_EQ(r.status, DecodeStatus::kFrame);
  EXPECT_EQ(r.consumed, bytes.size());
  return r.frame;
}

// A body decoder must reject every strict prefix of a valid body (all of these
// messages end in a terminator or a fixed-size field).
template <typename F>
void ExpectEveryTruncationRejected(std::string_view body, F decode) {
  for (size_t cut = 0; cut < body.size(); ++cut) {
    EXPECT_FALSE(decode(body.substr(0, cut)).ok()) << "accepted a body cut at " << cut;
  }
}

TEST(Messages, ParseRoundTripsAndRejectsTruncation) {
  std::string out;
  AppendParse(out, "stmt", "SELECT $1::int", std::string("\0\1\0\0\0\x17", 6));
  Frame f = Only(out);
  ASSERT_EQ(f.type, 'P');
  auto p = ParseParse(f.body);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->statement, "stmt");
  EXPECT_EQ(p->query, "SELECT $1::int");
  EXPECT_EQ(p->parameter_types.size(), 6u);
  ExpectEveryTruncationRejected(f.body, ParseParse);
}

TEST(Messages, BindKeepsParametersWhenRenamed) {
  const std::string rest("\0\0\0\1\0\0\0\2" "42\0\0", 12);
  std::string out;
  AppendBind(out, "p1", "client_name", rest);
  auto b = ParseBind(Only(out).body);
  ASSERT_TRUE(b.ok());
  std::string renamed;
  AppendBind(renamed, b->portal, "sy_0123", b->rest);
  auto b2 = ParseBind(Only(renamed).body);
  ASSERT_TRUE(b2.ok());
  EXPECT_EQ(b2->portal, "p1");
  EXPECT_EQ(b2->statement, "sy_0123");
  EXPECT_EQ(b2->rest, rest);
  ExpectEveryTruncationRejected(Only(out).body, ParseBind);
}

TEST(Messages, DescribeAndCloseRoundTrip) {
  std::string out;
  AppendTargetMessage(out, 'D', 'S', "s1");
  auto d = ParseTargetMessage(Only(out).body);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->target, 'S');
  EXPECT_EQ(d->name, "s1");
  ExpectEveryTruncationRejected(Only(out).body, ParseTargetMessage);
  EXPECT_FALSE(ParseTargetMessage(std::string("X\0", 2)).ok());
}

TEST(Messages, QueryAndExecuteRejectTruncation) {
  std::string q;
  AppendQuery(q, "SELECT 1");
  EXPECT_EQ(*ParseQuery(Only(q).body), "SELECT 1");
  ExpectEveryTruncationRejected(Only(q).body, ParseQuery);
  std::string e("portal\0\0\0\0\x05", 11);
  auto x = ParseExecute(e);
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x->max_rows, 5);
  ExpectEveryTruncationRejected(e, ParseExecute);
}

TEST(Messages, SaslInitialResponseRoundTripsAndChecksLength) {
  std::string out;
  AppendSaslInitialResponse(out, "SCRAM-SHA-256", "n,,n=,r=abc");
  auto s = ParseSaslInitialResponse(Only(out).body);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->mechanism, "SCRAM-SHA-256");
  EXPECT_EQ(s->data, "n,,n=,r=abc");
  ExpectEveryTruncationRejected(Only(out).body, ParseSaslInitialResponse);
}

TEST(Messages, AuthRequestsRoundTrip) {
  std::string out;
  AppendAuthMd5(out, {1, 2, 3, 4});
  auto md5 = ParseAuthRequest(Only(out).body);
  ASSERT_TRUE(md5.ok());
  EXPECT_EQ(md5->code, AuthCode::kMd5Password);
  EXPECT_EQ(md5->md5_salt[3], 4);
  ExpectEveryTruncationRejected(Only(out).body, ParseAuthRequest);

  out.clear();
  AppendAuthSasl(out, {"SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"});
  auto sasl = ParseAuthRequest(Only(out).body);
  ASSERT_TRUE(sasl.ok());
  EXPECT_EQ(sasl->mechanisms.size(), 2u);
  ExpectEveryTruncationRejected(Only(out).body, ParseAuthRequest);
}

TEST(Messages, UnsupportedAuthMethodIsNamed) {
  std::string body("\0\0\0\x07", 4);  // GSS
  auto r = ParseAuthRequest(body);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unsupported authentication method 7"),
            std::string::npos);
}

TEST(Messages, ParameterStatusKeyDataAndReadyForQueryRoundTrip) {
  std::string out;
  AppendParameterStatus(out, "TimeZone", "UTC");
  auto ps = ParseParameterStatus(Only(out).body);
  ASSERT_TRUE(ps.ok());
  EXPECT_EQ(ps->name, "TimeZone");
  EXPECT_EQ(ps->value, "UTC");
  ExpectEveryTruncationRejected(Only(out).body, ParseParameterStatus);

  out.clear();
  AppendBackendKeyData(out, {77, -9});
  auto k = ParseBackendKeyData(Only(out).body);
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->process_id, 77);
  EXPECT_EQ(k->secret_key, -9);
  ExpectEveryTruncationRejected(Only(out).body, ParseBackendKeyData);

  out.clear();
  AppendReadyForQuery(out, 'T');
  EXPECT_EQ(*ParseReadyForQuery(Only(out).body), 'T');
  EXPECT_FALSE(ParseReadyForQuery("X").ok());
}

TEST(Messages, ErrorResponseRoundTripsFields) {
  ErrorFields f;
  f.severity = "FATAL";
  f.sqlstate = "28P01";
  f.message = "password authentication failed for user \"app\"";
  f.hint = "check the password";
  const std::string out = EncodeErrorResponse(f);
  Frame frame = Only(out);
  EXPECT_EQ(frame.type, 'E');
  auto g = ParseErrorResponse(frame.body);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->severity, "FATAL");
  EXPECT_EQ(g->sqlstate, "28P01");
  EXPECT_EQ(g->message, f.message);
  EXPECT_EQ(g->hint, f.hint);
  ExpectEveryTruncationRejected(frame.body, ParseErrorResponse);
}

}  // namespace
}  // namespace switchyard::pg

namespace switchyard::pg {
namespace {

TEST(Messages, TextResultSetRoundTripsItsFirstColumn) {
  std::string out;
  AppendTextRowDescription(out, {"server", "role"});
  AppendDataRow(out, {"replica1", "replica"});
  FrameResult t = DecodeFrame(out, 1 << 20);
  ASSERT_EQ(t.status, DecodeStatus::kFrame);
  EXPECT_EQ(t.frame.type, 'T');
  FrameResult d = DecodeFrame(std::string_view(out).substr(t.consumed), 1 << 20);
  ASSERT_EQ(d.status, DecodeStatus::kFrame);
  EXPECT_EQ(d.frame.type, 'D');
  EXPECT_EQ(ParseDataRowFirstColumn(d.frame.body), "replica1");
  for (size_t cut = 0; cut < 6; ++cut) {
    EXPECT_FALSE(ParseDataRowFirstColumn(d.frame.body.substr(0, cut)).has_value()) << cut;
  }
  std::string null_row("\0\1\xff\xff\xff\xff", 6);
  EXPECT_FALSE(ParseDataRowFirstColumn(null_row).has_value());
}

TEST(HoldsStatementEnd, AnswerCanBeHeldUntilCommandCompleteHeaderArrives) {
  std::string answer;
  AppendTextRowDescription(answer, {"aid"});
  AppendDataRow(answer, {"1"});
  AppendFrame(answer, 'N', "SWARNING\0");  // e.g. "terminating connection" before a close
  const size_t complete_at = answer.size();
  AppendCommandComplete(answer, "SELECT 1");
  AppendReadyForQuery(answer, 'I');
  for (size_t cut = 0; cut <= answer.size(); ++cut) {
    EXPECT_EQ(HoldsStatementEnd(std::string_view(answer).substr(0, cut)),
              cut >= complete_at + kHeaderSize)
        << "cut at " << cut;
  }
}

TEST(HoldsStatementEnd, ErrorAndCopyEndTheHold) {
  std::string error;
  AppendFrame(error, 'E', "SERROR\0");
  EXPECT_TRUE(HoldsStatementEnd(error));
  std::string copy;
  AppendFrame(copy, 'H', std::string(3, '\0'));
  EXPECT_TRUE(HoldsStatementEnd(copy));
  EXPECT_FALSE(HoldsStatementEnd(""));
}

TEST(HoldsStatementEnd, MalformedLengthMeansProcessNow) {
  const std::string bad = std::string("D") + std::string("\0\0\0\1", 4);  // length 1 < 4
  EXPECT_TRUE(HoldsStatementEnd(bad));
}

}  // namespace
}  // namespace switchyard::pg

#include "proxy/pg/response_tracker.h"

#include <gtest/gtest.h>

#include <string>

#include "proxy/pg/frame.h"

namespace switchyard::pg {
namespace {

// Feeds `types` and returns the ones relayed, as a string.
std::string Relayed(ResponseTracker& t, std::string_view types,
                    std::vector<uint64_t>* not_prepared = nullptr) {
  std::vector<uint64_t> np;
  std::string out;
  for (char c : types) {
    std::string synthetic;
    t.TakeSynthetic(synthetic);
    for (size_t i = 0; i < synthetic.size();) {
      FrameResult r = DecodeFrame(std::string_view(synthetic).substr(i), 100);
      out.push_back(static_cast<char>(r.frame.type | 0x80));  // mark synthetic
      i += r.consumed;
    }
    TrackerStep s = t.OnServerMessage(c, np);
    EXPECT_FALSE(s.unexpected) << "unexpected '" << c << "'";
    if (s.relay) out.push_back(c);
  }
  if (not_prepared) *not_prepared = np;
  return out;
}

TEST(ResponseTracker, ExtendedQueryIsRelayedAndEndsAtReadyForQuery) {
  ResponseTracker t;
  for (Pending p : {Pending::kParse, Pending::kBind, Pending::kDescribePortal,
                    Pending::kExecute, Pending::kSync}) {
    t.Expect(p);
  }
  EXPECT_EQ(Relayed(t, "12TDDCZ"), "12TDDCZ");
  EXPECT_TRUE(t.empty());
}

TEST(ResponseTracker, SkippedParseIsAnsweredInOrderBeforeTheBind) {
  ResponseTracker t;
  t.Expect(Pending::kSyntheticParseComplete);
  t.Expect(Pending::kBind);
  t.Expect(Pending::kExecute);
  t.Expect(Pending::kSync);
  std::string head;
  t.TakeSynthetic(head);
  EXPECT_EQ(head.size(), 5u);  // the ParseComplete is due at once
  EXPECT_EQ(Relayed(t, "2CZ"), "2CZ");
}

TEST(ResponseTracker, HiddenParseAndHiddenQueryAreSwallowed) {
  ResponseTracker t;
  t.Expect(Pending::kHiddenQuery);
  t.Expect(Pending::kHiddenParse, 7);
  t.Expect(Pending::kBind);
  t.Expect(Pending::kExecute);
  t.Expect(Pending::kSync);
  EXPECT_EQ(Relayed(t, "TDCSZ12DCZ"), "2DCZ");
  EXPECT_TRUE(t.empty());
}

TEST(ResponseTracker, ErrorSkipsToSyncAndReportsUnpreparedStatements) {
  ResponseTracker t;
  t.Expect(Pending::kParse, 1);
  t.Expect(Pending::kSyntheticParseComplete);
  t.Expect(Pending::kHiddenParse, 2);
  t.Expect(Pending::kBind);
  t.Expect(Pending::kExecute);
  t.Expect(Pending::kSync);
  std::vector<uint64_t> np;
  EXPECT_EQ(Relayed(t, "EZ", &np), "EZ");
  EXPECT_EQ(np, (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(t.empty());
}

TEST(ResponseTracker, SimpleQueryErrorWaitsForReadyForQuery) {
  ResponseTracker t;
  t.Expect(Pending::kQuery);
  EXPECT_EQ(Relayed(t, "TDCENZ"), "TDCENZ");
  EXPECT_EQ(t.pending_ready_for_query(), 0);
}

TEST(ResponseTracker, CopyTrafficBelongsToTheQuery) {
  ResponseTracker t;
  t.Expect(Pending::kQuery);
  EXPECT_EQ(Relayed(t, "GCZ"), "GCZ");
  t.Expect(Pending::kBind);
  t.Expect(Pending::kExecute);
  t.Expect(Pending::kSync);
  EXPECT_EQ(Relayed(t, "2HdddcCZ"), "2HdddcCZ");
}

TEST(ResponseTracker, PipelinedSyncsCountReadyForQueryOwed) {
  ResponseTracker t;
  t.Expect(Pending::kBind);
  t.Expect(Pending::kExecute);
  t.Expect(Pending::kSync);
  t.Expect(Pending::kQuery);
  EXPECT_EQ(t.pending_ready_for_query(), 2);
  Relayed(t, "2CZ");
  EXPECT_EQ(t.pending_ready_for_query(), 1);
}

TEST(ResponseTracker, MessageNoRequestExplainsIsUnexpected) {
  ResponseTracker t;
  std::vector<uint64_t> np;
  EXPECT_TRUE(t.OnServerMessage('D', np).unexpected);
  EXPECT_FALSE(t.OnServerMessage('N', np).unexpected);  // notices may come any time
  t.Expect(Pending::kBind);
  EXPECT_TRUE(t.OnServerMessage('1', np).unexpected);
}

TEST(ResponseTracker, DescribeStatementTakesParameterAndRowDescriptions) {
  ResponseTracker t;
  t.Expect(Pending::kDescribeStatement);
  t.Expect(Pending::kDescribeStatement);
  t.Expect(Pending::kSync);
  EXPECT_EQ(Relayed(t, "tTtnZ"), "tTtnZ");
}

}  // namespace
}  // namespace switchyard::pg

namespace switchyard::pg {
namespace {

TEST(ResponseTracker, HiddenPositionQueryIsSwallowedAndRecognizable) {
  ResponseTracker t;
  t.Expect(Pending::kHiddenPosition);
  EXPECT_TRUE(t.HeadIs(Pending::kHiddenPosition));
  std::vector<uint64_t> np;
  for (char c : std::string("TDC")) {
    TrackerStep s = t.OnServerMessage(c, np);
    EXPECT_FALSE(s.relay);
    EXPECT_TRUE(s.hidden);
  }
  TrackerStep z = t.OnServerMessage('Z', np);
  EXPECT_TRUE(z.ready_for_query);
  EXPECT_TRUE(z.hidden);
  EXPECT_TRUE(t.empty());
}

}  // namespace
}  // namespace switchyard::pg

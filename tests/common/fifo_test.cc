#include "common/fifo.h"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

TEST(Fifo, PopsInPushOrder) {
  Fifo<int> q;
  EXPECT_TRUE(q.empty());
  for (int i = 0; i < 5; ++i) q.push_back(i);
  EXPECT_EQ(q.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(q.empty());
    EXPECT_EQ(q.front(), i);
    q.pop_front();
  }
  EXPECT_TRUE(q.empty());
}

TEST(Fifo, IteratesOverWhatIsQueuedOnly) {
  Fifo<int> q;
  for (int i = 0; i < 4; ++i) q.push_back(i);
  q.pop_front();
  int sum = 0;
  for (int v : q) sum += v;
  EXPECT_EQ(sum, 1 + 2 + 3);
}

TEST(Fifo, QueueThatNeverDrainsStaysBounded) {
  Fifo<int> q;
  q.push_back(0);
  for (int i = 1; i < 100000; ++i) {
    q.push_back(i);
    EXPECT_EQ(q.front(), i - 1);
    q.pop_front();
  }
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.front(), 99999);
  EXPECT_LE(q.slots(), 128u);
  EXPECT_EQ(std::distance(q.begin(), q.end()), 1);
}

TEST(Fifo, ClearEmpties) {
  Fifo<int> q;
  q.push_back(1);
  q.Clear();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.size(), 0u);
}

}  // namespace
}  // namespace switchyard

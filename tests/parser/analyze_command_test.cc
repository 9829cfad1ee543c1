// RunAnalyze (cmd/analyze_command.h): exit codes and output for scripts.
#include "cmd/analyze_command.h"

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

namespace switchyard::cmd {
namespace {

TEST(AnalyzeCommand, BadDialectExitsWithTwo) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RunAnalyze("oracle", "-"), 2);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("unknown dialect"), std::string::npos);
}

TEST(AnalyzeCommand, UnreadableFileExitsWithTwo) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RunAnalyze("pg", "/nonexistent/dir/x.sql"), 2);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("cannot read"), std::string::npos);
}

TEST(AnalyzeCommand, PrintsOneJsonLinePerStatement) {
  const std::string path = ::testing::TempDir() + "/analyze_command_test.sql";
  std::ofstream(path) << "SELECT 1; INSERT INTO t VALUES (?)";
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(RunAnalyze("mysql", path), 0);
  const std::string out = ::testing::internal::GetCapturedStdout();
  std::remove(path.c_str());
  ASSERT_EQ(std::count(out.begin(), out.end(), '\n'), 2);
  EXPECT_EQ(out.rfind("{\"kind\":\"select\"", 0), 0u);
  EXPECT_NE(out.find("\n{\"kind\":\"insert\""), std::string::npos);
}

}  // namespace
}  // namespace switchyard::cmd

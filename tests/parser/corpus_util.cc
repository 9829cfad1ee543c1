#include "tests/parser/corpus_util.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace switchyard::parser::testing {

std::string CorpusDir() {
  const std::string dir = SWITCHYARD_CORPUS_DIR;
  return std::filesystem::is_directory(dir + "/pg") ? dir : "";
}

std::vector<std::string> SqlFiles(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".sql") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string StripPsql(const std::string& script) {
  std::istringstream in(script);
  std::string out, line;
  bool copy_data = false;
  while (std::getline(in, line)) {
    if (copy_data) {
      if (line.rfind("\\.", 0) == 0) copy_data = false;
      continue;
    }
    if (line.rfind("\\", 0) == 0) {
      out += '\n';
      continue;
    }
    std::string lower = line;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower.find("from stdin") != std::string::npos &&
        lower.find(';') != std::string::npos && lower.rfind("--", 0) != 0) {
      copy_data = true;
    }
    out += line;
    out += '\n';
  }
  return out;
}

std::string StatementKey(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (char c : text) h = (h ^ static_cast<uint8_t>(c)) * 1099511628211ull;
  return fmt::format("{:016x}", h);
}

}  // namespace switchyard::parser::testing

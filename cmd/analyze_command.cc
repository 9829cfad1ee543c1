#include "cmd/analyze_command.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>

#include "parser/json.h"
#include "parser/parser.h"

namespace switchyard::cmd {
namespace {

std::optional<parser::Dialect> ParseDialect(const std::string& name) {
  if (name == "pg" || name == "postgres" || name == "postgresql") {
    return parser::Dialect::kPostgres;
  }
  if (name == "mysql" || name == "mariadb") return parser::Dialect::kMySql;
  return std::nullopt;
}

std::optional<std::string> ReadInput(const std::string& file) {
  if (file.empty() || file == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), {});
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

}  // namespace

int RunAnalyze(const std::string& dialect, const std::string& file) {
  const std::optional<parser::Dialect> d = ParseDialect(dialect);
  if (!d) {
    std::cerr << "switchyard analyze: unknown dialect '" << dialect
              << "' (expected pg or mysql)\n";
    return 2;
  }
  const std::optional<std::string> sql = ReadInput(file);
  if (!sql) {
    std::cerr << "switchyard analyze: cannot read '" << file << "'\n";
    return 2;
  }
  for (const parser::Analysis& a : parser::Analyze(*sql, *d)) {
    std::cout << parser::AnalysisToJson(a) << '\n';
  }
  std::cout.flush();
  return std::cout ? 0 : 1;
}

}  // namespace switchyard::cmd

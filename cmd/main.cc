// switchyard: the command-line entry point.
//   serve    run the proxy
//   check    validate a configuration file
//   analyze  show how the parser (and so routing) sees SQL statements
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <malloc.h>

#include <iostream>

#include "cmd/analyze_command.h"
#include "common/fmt_absl.h"
#include "config/config.h"
#include "proxy/server.h"

namespace {

int Serve(const std::string& path, const std::string& level_override) {
  // Worker threads allocate and free coroutine frames and buffers per
  // transaction; without this, glibc keeps shrinking and regrowing their
  // heaps (an mprotect system call every few transactions).
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
  auto config = switchyard::config::LoadConfigFile(path);
  if (!config.ok()) {
    std::cerr << "switchyard: " << config.status().message() << "\n";
    return 2;
  }
  auto log = spdlog::stderr_color_mt("switchyard");
  log->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  log->set_level(spdlog::level::from_str(level_override.empty() ? config->log_level
                                                                : level_override));
  auto snapshot = std::make_shared<const switchyard::config::Config>(*std::move(config));
  absl::Status s = switchyard::proxy::RunServer(snapshot, log);
  if (!s.ok()) {
    log->critical("{}", s.message());
    return 1;
  }
  return 0;
}

int Check(const std::string& path) {
  auto config = switchyard::config::LoadConfigFile(path);
  if (!config.ok()) {
    std::cerr << "switchyard: " << config.status().message() << "\n";
    return 2;
  }
  std::cout << path << ": OK (" << config->listeners.size() << " listeners, "
            << config->clusters.size() << " clusters, " << config->users.size() << " users)\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Switchyard: a transparent PostgreSQL and MySQL proxy with read/write splitting and "
      "transaction pooling."};
  app.require_subcommand(1);

  std::string config_path;
  std::string log_level;
  CLI::App* serve = app.add_subcommand(
      "serve", "Run the proxy: listen for clients and route their statements to the cluster.");
  serve->add_option("-c,--config", config_path, "YAML configuration file "
                    "(see config/switchyard.example.yaml)")->required()->check(CLI::ExistingFile);
  serve->add_option("--log-level", log_level,
                    "Override the configured log level (trace, debug, info, warn, error)");

  std::string check_path;
  CLI::App* check = app.add_subcommand("check", "Validate a configuration file and exit.");
  check->add_option("-c,--config", check_path, "YAML configuration file")->required();

  std::string dialect = "pg";
  std::string file;
  CLI::App* analyze = app.add_subcommand(
      "analyze", "Print the parser's analysis of SQL (one JSON object per statement): kind, "
                 "read-only, tables, predicates, hints, fingerprint. Reads FILE or stdin.");
  // RunAnalyze checks the value itself and exits 2 with a clear message.
  analyze->add_option("--dialect", dialect, "SQL dialect: pg or mysql");
  analyze->add_option("file", file, "SQL file (default: standard input)");

  CLI11_PARSE(app, argc, argv);
  if (*serve) return Serve(config_path, log_level);
  if (*check) return Check(check_path);
  if (*analyze) return switchyard::cmd::RunAnalyze(dialect, file);
  return 2;
}

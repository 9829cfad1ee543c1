// `switchyard analyze --dialect pg|mysql [FILE]`: prints the parser's
// analysis of each statement of FILE (or stdin) as one JSON object per line.
// For people checking how the proxy will route their SQL, and for scripts.
#pragma once

#include <string>

namespace switchyard::cmd {

// `file` empty or "-" reads stdin. Returns the process exit code: 0 on
// success, 2 with a message on stderr for a bad dialect or unreadable file.
int RunAnalyze(const std::string& dialect, const std::string& file);

}  // namespace switchyard::cmd

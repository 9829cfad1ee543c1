// Text result sets the proxy composes itself (SHOW SWITCHYARD SERVERS):
// column count, column definitions (all VARCHAR, utf8mb4), the EOF after
// them unless DEPRECATE_EOF, text rows, and the terminator (EOF, or an OK
// with the 0xFE header under DEPRECATE_EOF).
//
// Pure: appends whole packets (headers included) to a caller-owned string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/mysql/capabilities.h"

namespace switchyard::mysql {

// One column definition (Protocol::ColumnDefinition41) of a text column.
std::string EncodeTextColumnDefinition(std::string_view name);

// The whole response, packets numbered from `first_sequence_id` (1 after a
// client's command). `capabilities`: the client's negotiated ones. Returns
// the sequence id after the last packet.
uint8_t AppendTextResultSet(const std::vector<std::string>& columns,
                            const std::vector<std::vector<std::string>>& rows,
                            Capabilities capabilities, StatusFlags status,
                            uint8_t first_sequence_id, std::string& out);

}  // namespace switchyard::mysql

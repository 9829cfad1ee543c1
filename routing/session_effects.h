// What a statement does to the state of the connection that runs it, as far
// as transaction pooling cares.
//
// Under transaction pooling a client's statements run on whichever backend is
// free, so session state must either be re-applied by the proxy (tracked
// parameters) or keep the client on its backend for good (pinning). This unit
// decides which, from the parser's analysis. Pure; the proxy applies effects.
#pragma once

#include <string>
#include <string_view>

#include "parser/analysis.h"

namespace switchyard::routing {

struct SessionEffect {
  enum class Kind {
    kNone,
    kPin,            // state that cannot move: keep this backend until disconnect
    kSetParameter,   // tracked parameter set for the session: parameter = value
    kResetParameter, // tracked parameter back to the client's startup value
    kResetAll,       // RESET ALL: every tracked parameter back to startup values
    kDiscardAll,     // DISCARD ALL: parameters reset and server prepared statements gone
    kDeallocateAll,  // DEALLOCATE ALL: server prepared statements gone
  };
  Kind kind = Kind::kNone;
  std::string reason;     // kPin: for SHOW CLIENTS and logs
  std::string parameter;  // lower-case name
  std::string value;
};

// True for parameters the proxy re-applies on every backend it hands the
// client: those PostgreSQL reports in ParameterStatus plus common settings
// applications change (search_path, statement_timeout, ...).
bool IsTrackedParameter(std::string_view name);
// True for parameters PostgreSQL reports in ParameterStatus whenever they
// change (GUC_REPORT); the proxy learns their values from the server itself.
bool IsReportedParameter(std::string_view name);

// `in_transaction`: the statement runs inside an explicit transaction block.
// A session-level SET of a tracked but unreported parameter there pins,
// because whether it survives depends on how the transaction ends.
//
// MySQL dialect: SET is not transactional there, so `in_transaction` does not
// matter. A tracked variable gives kSetParameter whose `value` is the
// assignment to replay after SET ("sql_mode='ANSI'", "NAMES utf8mb4");
// `SET x = DEFAULT` gives kResetParameter. USE gives kSetParameter with
// parameter "database" and the database as value. autocommit and SET GLOBAL
// have no effect here (the proxy follows autocommit from status flags).
// Pins: temporary tables, GET_LOCK, LOCK TABLES, SQL PREPARE, user variables,
// SET ROLE, untracked variables, and SETs with several assignments or
// computed values (the parser keeps only the first, plain one).
SessionEffect ClassifySessionEffect(const parser::Analysis& a, bool in_transaction,
                                    parser::Dialect dialect = parser::Dialect::kPostgres);

// True for MySQL session variables the proxy re-applies on every backend
// ("names" stands for SET NAMES / SET CHARACTER SET).
bool IsTrackedMySqlVariable(std::string_view name);

}  // namespace switchyard::routing

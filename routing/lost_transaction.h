// What a session does with a client's statements after the server running
// the client's transaction was lost (MySQL endpoint).
//
// The client got an error for the statement that was running, but as far as
// it knows its transaction is still open. Running its next statements on a
// fresh server connection would apply them outside that transaction (in
// autocommit), so a later COMMIT would seem to commit work that is gone. So
// until the client ends the transaction, statements are refused; ROLLBACK
// ends it (and runs as usual: there is nothing to roll back), COMMIT ends it
// with an error (nothing was committed). The next transaction works as usual.
//
// Pure.
#pragma once

#include <vector>

#include "parser/analysis.h"

namespace switchyard::routing {

enum class AfterLostTransaction {
  kRefuse,        // error; the transaction stays lost
  kCommitFails,   // error saying nothing was committed; the transaction is over
  kRollback,      // run the command as usual; the transaction is over
};

// By the command's first statement (a multi-statement that starts with
// ROLLBACK ends the lost transaction first, as it would on a server).
AfterLostTransaction DecideAfterLostTransaction(
    const std::vector<parser::Analysis>& statements);

}  // namespace switchyard::routing

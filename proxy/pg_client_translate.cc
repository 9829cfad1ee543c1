// PgClientSession: translating a client batch for the serving backend
// (prepared-statement names, statements prepared on demand) and the session
// effects its statements have once the transaction ends well.
#include <fmt/format.h>

#include "proxy/pg/backend_messages.h"
#include "proxy/pg/frontend_messages.h"
#include "proxy/pg_client.h"
#include "proxy/pin_log.h"

namespace switchyard::proxy {
namespace {

std::string ServerStatementName(uint64_t id) { return fmt::format("sy_{:016x}", id); }

uint64_t StatementId(std::string_view query, std::string_view types) {
  std::string key;
  key.reserve(query.size() + types.size() + 1);
  key.append(query).push_back('\0');
  key.append(types);
  return std::hash<std::string>{}(key);
}

}  // namespace

void PgClientSession::TranslateBatch(const Batch& batch, std::string& out) {
  for (const Batch::Message& m : batch.messages) {
    const pg::Frame f = batch.frame(m);
    switch (f.type) {
      case 'Q': {
        pg::AppendFrame(out, f.type, f.body);
        w().tracker.Expect(pg::Pending::kQuery);
        if (m.analysis) {
          NoteStatements(*m.analysis);
        } else if (auto sql = pg::ParseQuery(f.body); sql.ok()) {
          NoteStatements(*worker_.Analyze(*sql, parser::Dialect::kPostgres));
        }
        break;
      }
      case 'F':
        pg::AppendFrame(out, f.type, f.body);
        w().tracker.Expect(pg::Pending::kQuery);
        break;
      case 'P':
        TranslateParse(f, m.analysis, out);
        break;
      case 'B':
        TranslateBind(f, out);
        break;
      case 'D': case 'C':
        TranslateDescribeOrClose(f, out);
        break;
      case 'E':
        pg::AppendFrame(out, f.type, f.body);
        w().tracker.Expect(pg::Pending::kExecute);
        break;
      case 'S':
        pg::AppendFrame(out, f.type, f.body);
        w().tracker.Expect(pg::Pending::kSync);
        break;
      default:  // 'H' Flush: no reply of its own
        pg::AppendFrame(out, f.type, f.body);
        break;
    }
  }
}

void PgClientSession::TranslateParse(const pg::Frame& f,
                                     std::shared_ptr<const AnalysisList> analysis,
                                     std::string& out) {
  auto p = pg::ParseParse(f.body);
  if (p.ok() && !analysis) analysis = worker_.Analyze(p->query, parser::Dialect::kPostgres);
  if (!p.ok() || p->statement.empty()) {
    if (p.ok()) unnamed_analysis_ = std::move(analysis);
    if (p.ok() && TranslateAdminParse(*p, out)) {
      w().tracker.Expect(pg::Pending::kParse);
      return;
    }
    pg::AppendFrame(out, f.type, f.body);  // the server reports malformed ones
    w().tracker.Expect(pg::Pending::kParse);
    return;
  }
  Statement st = MakeStatement(*p, std::move(analysis));
  if (backend_->prepared.contains(st.id)) {
    w().tracker.Expect(pg::Pending::kSyntheticParseComplete);
  } else {
    pg::AppendParse(out, ServerStatementName(st.id), st.query, st.parameter_types);
    backend_->prepared.insert(st.id);
    w().tracker.Expect(pg::Pending::kParse, st.id);
  }
  statements_.insert_or_assign(std::string(p->statement), std::move(st));
}

PgClientSession::Statement PgClientSession::MakeStatement(
    const pg::ParseMessage& p, std::shared_ptr<const AnalysisList> analysis) {
  Statement st;
  st.id = StatementId(p.query, p.parameter_types);
  st.query = std::string(p.query);
  st.parameter_types = std::string(p.parameter_types);
  st.analysis = analysis ? std::move(analysis) : worker_.Analyze(p.query, parser::Dialect::kPostgres);
  return st;
}

// Named Parse messages and a Sync, nothing else: libpq's PQprepare.
bool PgClientSession::IsPrepareOnly(const Batch& batch) const {
  if (batch.messages.size() < 2 || batch.messages.back().type != 'S') return false;
  for (size_t i = 0; i + 1 < batch.messages.size(); ++i) {
    const Batch::Message& m = batch.messages[i];
    if (m.type != 'P') return false;
    auto p = pg::ParseParse(batch.frame(m).body);
    if (!p.ok() || p->statement.empty()) return false;
  }
  return true;
}

// Outside a transaction with no backend attached, a prepare-only batch is
// answered here and the statements are prepared on whichever backend first
// runs them (EnsurePrepared). Taking a backend just to prepare could wait
// behind every transaction in progress, and a client that prepares
// synchronously (pgbench -M prepared) would then stall its own open
// transactions. The price: a statement the server rejects fails at its first
// Bind instead of at Parse.
Awaitable<absl::Status> PgClientSession::AnswerPrepareOnly() {
  std::string out;
  for (size_t i = 0; i + 1 < w().batch.messages.size(); ++i) {
    const Batch::Message& m = w().batch.messages[i];
    auto p = pg::ParseParse(w().batch.frame(m).body);
    statements_.insert_or_assign(std::string(p->statement), MakeStatement(*p, m.analysis));
    pg::AppendParseComplete(out);
  }
  pg::AppendReadyForQuery(out, txn_status_);
  w().batch.Clear();
  co_return co_await WriteClient(out);
}

bool PgClientSession::EnsurePrepared(const Statement& st, std::string& out) {
  if (backend_->prepared.contains(st.id)) return false;
  pg::AppendParse(out, ServerStatementName(st.id), st.query, st.parameter_types);
  backend_->prepared.insert(st.id);
  w().tracker.Expect(pg::Pending::kHiddenParse, st.id);
  return true;
}

void PgClientSession::TranslateBind(const pg::Frame& f, std::string& out) {
  auto b = pg::ParseBind(f.body);
  auto it = b.ok() ? statements_.find(b->statement) : statements_.end();
  if (it == statements_.end()) {
    if (b.ok() && b->statement.empty() && unnamed_analysis_) NoteStatements(*unnamed_analysis_);
    pg::AppendFrame(out, f.type, f.body);
    w().tracker.Expect(pg::Pending::kBind);
    return;
  }
  EnsurePrepared(it->second, out);
  pg::AppendBind(out, b->portal, ServerStatementName(it->second.id), b->rest);
  w().tracker.Expect(pg::Pending::kBind);
  NoteStatements(*it->second.analysis);
}

void PgClientSession::TranslateDescribeOrClose(const pg::Frame& f, std::string& out) {
  auto t = pg::ParseTargetMessage(f.body);
  const bool describe = f.type == 'D';
  const pg::Pending pending =
      describe ? (t.ok() && t->target == 'P' ? pg::Pending::kDescribePortal
                                             : pg::Pending::kDescribeStatement)
               : pg::Pending::kClose;
  auto it = (t.ok() && t->target == 'S') ? statements_.find(t->name) : statements_.end();
  if (it == statements_.end()) {
    pg::AppendFrame(out, f.type, f.body);
    w().tracker.Expect(pending);
    return;
  }
  if (!describe) {
    // Server-side statements are shared by every client of the backend and
    // named by their text: closing only forgets the client's name for it.
    statements_.erase(it);
    w().tracker.Expect(pg::Pending::kSyntheticCloseComplete);
    return;
  }
  EnsurePrepared(it->second, out);
  pg::AppendTargetMessage(out, 'D', 'S', ServerStatementName(it->second.id));
  w().tracker.Expect(pending);
}

void PgClientSession::NoteStatements(const AnalysisList& list) {
  for (const parser::Analysis& a : list) {
    if (!a.read_only && a.kind != parser::StatementKind::kTransaction &&
        a.kind != parser::StatementKind::kSession && backend_->server->ActsAsPrimary()) {
      wrote_ = true;  // read-your-writes: learn the position when it commits
    }
    routing::SessionEffect e = routing::ClassifySessionEffect(a, txn_status_ != 'I');
    if (e.kind == routing::SessionEffect::Kind::kNone) continue;
    if (e.kind == routing::SessionEffect::Kind::kPin) {
      if (!pinned_) {
        pinned_ = true;
        pin_reason_ = e.reason;
        LogPinned(shared_.log(), Tag(), backend_->id, backend_->server->label, e.reason);
      }
      continue;
    }
    w().pending_effects.push_back(std::move(e));
  }
}

void PgClientSession::ApplyEffects() {
  using Kind = routing::SessionEffect::Kind;
  for (const routing::SessionEffect& e : w().pending_effects) {
    switch (e.kind) {
      case Kind::kSetParameter:
        if (routing::IsReportedParameter(e.parameter)) break;  // ParameterStatus says it
        wanted_.Set(e.parameter, e.value);
        if (backend_) {
          backend_->params[e.parameter] = e.value;
          backend_->params_synced_to.reset();
        }
        break;
      case Kind::kResetParameter: {
        auto it = startup_wanted_.get().find(e.parameter);
        if (it != startup_wanted_.get().end()) wanted_.Set(e.parameter, it->second);
        else wanted_.Erase(e.parameter);
        if (backend_ && !routing::IsReportedParameter(e.parameter)) {
          backend_->params.erase(e.parameter);
          backend_->params_synced_to.reset();
        }
        break;
      }
      case Kind::kResetAll:
      case Kind::kDiscardAll:
        wanted_ = startup_wanted_;
        if (backend_) {
          backend_->params_synced_to.reset();
          for (auto it = backend_->params.begin(); it != backend_->params.end();) {
            it = routing::IsReportedParameter(it->first) ? std::next(it)
                                                         : backend_->params.erase(it);
          }
          if (e.kind == Kind::kDiscardAll) backend_->prepared.clear();
        }
        break;
      case Kind::kDeallocateAll:
        if (backend_) backend_->prepared.clear();
        break;
      case Kind::kNone:
      case Kind::kPin:
        break;
    }
  }
  w().pending_effects.clear();
}

}  // namespace switchyard::proxy

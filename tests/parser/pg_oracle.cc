#include "tests/parser/pg_oracle.h"

#include <pg_query.h>

#include <memory>
#include <utility>
#include <vector>

namespace switchyard::parser::testing {
namespace {

// Just enough JSON for libpg_query's output.
struct Json {
  enum class Type { kNull, kString, kNumber, kBool, kArray, kObject } type =
      Type::kNull;
  std::string text;
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;

  const Json* Get(std::string_view key) const {
    for (const auto& [k, v] : members) {
      if (k == key) return &v;
    }
    return nullptr;
  }
};

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : s_(text) {}
  Json Parse() {
    Json v;
    Value(v);
    return v;
  }

 private:
  void Ws() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\n')) ++p_;
  }
  std::string String() {
    std::string out;
    ++p_;  // opening quote
    while (p_ < s_.size() && s_[p_] != '"') {
      if (s_[p_] == '\\' && p_ + 1 < s_.size()) {
        ++p_;
        const char c = s_[p_];
        out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
        if (c == 'u') p_ += 4;  // not needed for names; skipped
      } else {
        out += s_[p_];
      }
      ++p_;
    }
    ++p_;
    return out;
  }
  void Value(Json& v) {
    Ws();
    if (p_ >= s_.size()) return;
    const char c = s_[p_];
    if (c == '{') {
      v.type = Json::Type::kObject;
      ++p_;
      for (Ws(); p_ < s_.size() && s_[p_] != '}'; Ws()) {
        if (s_[p_] == ',') { ++p_; Ws(); }
        std::string key = String();
        Ws();
        ++p_;  // ':'
        v.members.emplace_back(std::move(key), Json{});
        Value(v.members.back().second);
      }
      ++p_;
    } else if (c == '[') {
      v.type = Json::Type::kArray;
      ++p_;
      for (Ws(); p_ < s_.size() && s_[p_] != ']'; Ws()) {
        if (s_[p_] == ',') { ++p_; Ws(); }
        v.items.emplace_back();
        Value(v.items.back());
      }
      ++p_;
    } else if (c == '"') {
      v.type = Json::Type::kString;
      v.text = String();
    } else {
      const size_t start = p_;
      while (p_ < s_.size() && s_[p_] != ',' && s_[p_] != '}' && s_[p_] != ']') ++p_;
      v.type = Json::Type::kNumber;
      v.text = std::string(s_.substr(start, p_ - start));
    }
  }

  std::string_view s_;
  size_t p_ = 0;
};

void CollectCtes(const Json& v, std::set<std::string>& ctes) {
  if (const Json* name = v.Get("ctename")) ctes.insert(name->text);
  for (const auto& [k, child] : v.members) CollectCtes(child, ctes);
  for (const Json& child : v.items) CollectCtes(child, ctes);
}

void CollectRangeVars(const Json& v, const std::set<std::string>& ctes,
                      std::set<std::string>& out) {
  if (const Json* rel = v.Get("relname")) {
    const Json* schema = v.Get("schemaname");
    if (schema) {
      out.insert(schema->text + "." + rel->text);
    } else if (!ctes.count(rel->text)) {
      out.insert(rel->text);
    }
  }
  for (const auto& [k, child] : v.members) CollectRangeVars(child, ctes, out);
  for (const Json& child : v.items) CollectRangeVars(child, ctes, out);
}

bool LocksOrWrites(const Json& v, bool top) {
  for (const auto& [k, child] : v.members) {
    if (k == "lockingClause" || k == "intoClause") return true;
    if (!top && (k == "InsertStmt" || k == "UpdateStmt" || k == "DeleteStmt" ||
                 k == "MergeStmt")) {
      return true;
    }
    if (LocksOrWrites(child, false)) return true;
  }
  for (const Json& child : v.items) {
    if (LocksOrWrites(child, false)) return true;
  }
  return false;
}

void CollectDropped(const Json& drop, std::set<std::string>& out) {
  const Json* type = drop.Get("removeType");
  if (!type || !(type->text == "OBJECT_TABLE" || type->text == "OBJECT_VIEW" ||
                 type->text == "OBJECT_MATVIEW" || type->text == "OBJECT_SEQUENCE" ||
                 type->text == "OBJECT_FOREIGN_TABLE")) {
    return;
  }
  const Json* objects = drop.Get("objects");
  if (!objects) return;
  for (const Json& obj : objects->items) {
    const Json* list = obj.Get("List");
    const Json* items = list ? list->Get("items") : nullptr;
    if (!items || items->items.empty()) continue;
    std::vector<std::string> parts;
    for (const Json& s : items->items) {
      const Json* str = s.Get("String");
      const Json* sval = str ? str->Get("sval") : nullptr;
      parts.push_back(sval ? sval->text : "");
    }
    const size_t n = parts.size();
    out.insert(n >= 2 ? parts[n - 2] + "." + parts[n - 1] : parts[0]);
  }
}

StatementKind KindOf(const std::string& type, const Json& node) {
  if (type == "SelectStmt") return StatementKind::kSelect;
  if (type == "InsertStmt") {
    return node.Get("onConflictClause") ? StatementKind::kUpsert : StatementKind::kInsert;
  }
  if (type == "UpdateStmt") return StatementKind::kUpdate;
  if (type == "DeleteStmt") return StatementKind::kDelete;
  if (type == "MergeStmt") return StatementKind::kMerge;
  if (type == "TransactionStmt") return StatementKind::kTransaction;
  if (type == "VariableSetStmt") {
    const Json* name = node.Get("name");
    if (name && name->text.rfind("TRANSACTION", 0) == 0) {
      return StatementKind::kTransaction;
    }
    return StatementKind::kSession;
  }
  if (type == "DiscardStmt" || type == "ConstraintsSetStmt") {
    return StatementKind::kSession;
  }
  static const std::set<std::string> kUtility = {
      "VariableShowStmt", "ExplainStmt", "CopyStmt", "ListenStmt",
      "NotifyStmt", "UnlistenStmt", "PrepareStmt", "ExecuteStmt",
      "DeallocateStmt", "LockStmt", "VacuumStmt", "CallStmt", "DoStmt",
      "DeclareCursorStmt", "FetchStmt", "ClosePortalStmt", "CheckPointStmt",
      "LoadStmt"};
  return kUtility.count(type) ? StatementKind::kUtility : StatementKind::kDdl;
}

}  // namespace

OracleResult RunPgQuery(const std::string& sql) {
  OracleResult result;
  PgQueryParseResult parsed = pg_query_parse(sql.c_str());
  std::unique_ptr<PgQueryParseResult, void (*)(PgQueryParseResult*)> guard(
      &parsed, [](PgQueryParseResult* r) { pg_query_free_parse_result(*r); });
  if (parsed.error) return result;
  result.parsed = true;
  const Json root = JsonParser(parsed.parse_tree).Parse();
  const Json* stmts = root.Get("stmts");
  if (!stmts) return result;
  result.statement_count = static_cast<int>(stmts->items.size());
  if (stmts->items.size() != 1) return result;
  const Json* stmt = stmts->items[0].Get("stmt");
  if (!stmt || stmt->members.empty()) return result;
  const auto& [type, node] = stmt->members.front();
  result.node_type = type;
  result.kind = KindOf(type, node);
  std::set<std::string> ctes;
  CollectCtes(node, ctes);
  CollectRangeVars(node, ctes, result.tables);
  if (type == "DropStmt") CollectDropped(node, result.tables);
  result.locks_or_writes = LocksOrWrites(node, true);
  if (type == "ExplainStmt") {  // runs the statement only with ANALYZE
    bool analyze = false;
    if (const Json* options = node.Get("options")) {
      for (const Json& o : options->items) {
        const Json* def = o.Get("DefElem");
        const Json* name = def ? def->Get("defname") : nullptr;
        analyze |= name && name->text == "analyze";
      }
    }
    result.locks_or_writes = analyze && result.locks_or_writes;
  }
  return result;
}

}  // namespace switchyard::parser::testing

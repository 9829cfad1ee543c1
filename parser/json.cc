#include "parser/json.h"

#include <fmt/format.h>

namespace switchyard::parser {
namespace {

// Minimal streaming writer: commas and escaping, nothing else.
class JsonWriter {
 public:
  std::string Take() { return std::move(out_); }

  void Key(std::string_view key) {
    Comma();
    String(key);
    out_ += ':';
    need_comma_ = false;
  }
  void String(std::string_view s) {
    Comma();
    out_ += '"';
    for (unsigned char c : s) Escape(c);
    out_ += '"';
    need_comma_ = true;
  }
  void Raw(std::string_view s) {
    Comma();
    out_ += s;
    need_comma_ = true;
  }
  void Bool(bool b) { Raw(b ? "true" : "false"); }
  void Open(char c) {
    Comma();
    out_ += c;
    need_comma_ = false;
  }
  void Close(char c) {
    out_ += c;
    need_comma_ = true;
  }

 private:
  void Comma() {
    if (need_comma_) out_ += ',';
    need_comma_ = false;
  }
  void Escape(unsigned char c) {
    switch (c) {
      case '"': out_ += "\\\""; return;
      case '\\': out_ += "\\\\"; return;
      case '\n': out_ += "\\n"; return;
      case '\t': out_ += "\\t"; return;
      case '\r': out_ += "\\r"; return;
      default: break;
    }
    if (c < 0x20) {
      out_ += fmt::format("\\u{:04x}", c);
    } else {
      out_ += static_cast<char>(c);
    }
  }

  std::string out_;
  bool need_comma_ = false;
};

const char* CompareOpName(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kIn: return "in";
    case CompareOp::kBetween: return "between";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
  }
  return "?";
}

void WriteOperand(JsonWriter& w, const Operand& v) {
  switch (v.kind) {
    case Operand::Kind::kParameter:
      w.Raw(fmt::format("{{\"param\":{}}}", v.parameter));
      return;
    case Operand::Kind::kNull:
      w.Raw("null");
      return;
    case Operand::Kind::kExpression:
      w.Open('{');
      w.Key("expr");
      w.String(v.text);
      w.Close('}');
      return;
    case Operand::Kind::kLiteral:
      if (v.is_string) {
        w.String(v.text);
      } else {
        w.Open('{');
        w.Key("number");
        w.String(v.text);
        w.Close('}');
      }
      return;
  }
}

void WritePredicate(JsonWriter& w, const PredicateNode& node) {
  w.Open('{');
  switch (node.kind) {
    case PredicateNode::Kind::kAnd:
    case PredicateNode::Kind::kOr:
      w.Key(node.kind == PredicateNode::Kind::kAnd ? "and" : "or");
      w.Open('[');
      for (const PredicateNode& child : node.children) WritePredicate(w, child);
      w.Close(']');
      break;
    case PredicateNode::Kind::kComparison: {
      const Comparison& cmp = node.comparison;
      if (!cmp.table.empty()) {
        w.Key("table");
        w.String(cmp.table);
      }
      w.Key("column");
      w.String(cmp.column);
      w.Key("op");
      w.String(CompareOpName(cmp.op));
      w.Key("values");
      w.Open('[');
      for (const Operand& v : cmp.values) WriteOperand(w, v);
      w.Close(']');
      break;
    }
    case PredicateNode::Kind::kOpaque:
      w.Key("opaque");
      w.Bool(true);
      break;
  }
  w.Close('}');
}

void WriteStrings(JsonWriter& w, std::string_view key,
                  const std::vector<std::string>& items) {
  if (items.empty()) return;
  w.Key(key);
  w.Open('[');
  for (const std::string& s : items) w.String(s);
  w.Close(']');
}

void WriteTables(JsonWriter& w, const std::vector<TableRef>& tables) {
  w.Key("tables");
  w.Open('[');
  for (const TableRef& t : tables) {
    w.Open('{');
    if (!t.schema.empty()) {
      w.Key("schema");
      w.String(t.schema);
    }
    w.Key("name");
    w.String(t.name);
    w.Key("written");
    w.Bool(t.written);
    w.Close('}');
  }
  w.Close(']');
}

void WriteInsert(JsonWriter& w, const InsertRows& insert) {
  w.Key("insert");
  w.Open('{');
  w.Key("table");
  w.String(insert.table);
  WriteStrings(w, "columns", insert.columns);
  w.Key("rows");
  w.Open('[');
  for (const auto& row : insert.rows) {
    w.Open('[');
    for (const Operand& v : row) WriteOperand(w, v);
    w.Close(']');
  }
  w.Close(']');
  w.Close('}');
}

void WriteFamilyFields(JsonWriter& w, const Analysis& a) {
  if (a.txn_op != TransactionOp::kNone) {
    w.Key("txn_op");
    w.String(TransactionOpName(a.txn_op));
  }
  if (a.txn_read_only) {
    w.Key("txn_read_only");
    w.Bool(*a.txn_read_only);
  }
  if (a.session_op != SessionOp::kNone) {
    w.Key("session_op");
    w.String(SessionOpName(a.session_op));
    w.Key("session_variable");
    w.String(a.session_variable);
    w.Key("session_value");
    w.String(a.session_value);
  }
  if (a.utility_op != UtilityOp::kNone) {
    w.Key("utility_op");
    w.String(UtilityOpName(a.utility_op));
  }
  if (a.creates_temp_table) {
    w.Key("creates_temp_table");
    w.Bool(true);
  }
  if (a.with_hold_cursor) {
    w.Key("with_hold_cursor");
    w.Bool(true);
  }
}

void WriteShape(JsonWriter& w, const Analysis& a) {
  if (a.predicates) {
    w.Key("predicates");
    WritePredicate(w, *a.predicates);
  }
  if (a.insert) WriteInsert(w, *a.insert);
  if (!a.order_by.empty()) {
    w.Key("order_by");
    w.Open('[');
    for (const OrderItem& o : a.order_by) {
      w.Open('{');
      w.Key("expr");
      w.String(o.expression);
      w.Key("desc");
      w.Bool(o.descending);
      w.Close('}');
    }
    w.Close(']');
  }
  WriteStrings(w, "group_by", a.group_by);
  if (a.limit) {
    w.Key("limit");
    w.String(*a.limit);
  }
  if (a.offset) {
    w.Key("offset");
    w.String(*a.offset);
  }
  WriteStrings(w, "aggregates", a.aggregates);
}

void WriteHints(JsonWriter& w, const Hints& h) {
  if (!h.force_primary && !h.shard && !h.max_lag_ms) return;
  w.Key("hints");
  w.Open('{');
  if (h.force_primary) {
    w.Key("primary");
    w.Bool(true);
  }
  if (h.shard) {
    w.Key("shard");
    w.String(*h.shard);
  }
  if (h.max_lag_ms) {
    w.Key("max_lag_ms");
    w.Raw(std::to_string(*h.max_lag_ms));
  }
  w.Close('}');
}

}  // namespace

std::string AnalysisToJson(const Analysis& a) {
  JsonWriter w;
  w.Open('{');
  w.Key("kind");
  w.String(KindName(a.kind));
  w.Key("read_only");
  w.Bool(a.read_only);
  if (!a.reason.empty()) {
    w.Key("reason");
    w.String(a.reason);
  }
  WriteFamilyFields(w, a);
  WriteTables(w, a.tables);
  WriteStrings(w, "functions", a.functions);
  WriteShape(w, a);
  WriteHints(w, a.hints);
  w.Key("fingerprint");
  w.String(fmt::format("{:016x}", a.fingerprint));
  w.Key("normalized");
  w.String(a.normalized);
  w.Close('}');
  return w.Take();
}

}  // namespace switchyard::parser

// A reused result's spare entries (Stale in statement_context.h): table
// and ORDER BY entries of the previous statement, refilled in order so
// that their strings are written over in place, and LIMIT / OFFSET texts
// written over. Each entry taken here is this result's; what is left is
// dropped by DropStale().
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "parser/statement_context.h"

namespace switchyard::parser {

// The entries of ctx.out->tables that are this result's (the spares after
// them are not, see Stale::spare_tables).
inline size_t TableCount(const StatementContext& ctx) {
  return ctx.out->tables.size() - (ctx.stale != nullptr ? ctx.stale->spare_tables : 0);
}

// AddTable() in two steps, for a reader that spells the name straight into
// the entry: NewTable() appends an entry, KeepNewTable() then merges it
// into an equal recent one, or drops it when its name is empty. The new
// entry is a spare when there is one (see Stale): its name holds an old
// name, which the caller always writes over; its schema is empty.
TableRef& AppendTable(std::vector<TableRef>& tables);
[[gnu::always_inline]] inline TableRef& NewTable(const StatementContext& ctx) {
  std::vector<TableRef>& tables = ctx.out->tables;
  if (ctx.stale != nullptr && ctx.stale->spare_tables != 0) {
    // The first spare, found from the end (no division by the entry size).
    TableRef& t = tables.end()[-static_cast<ptrdiff_t>(ctx.stale->spare_tables--)];
    t.schema.clear();
    return t;
  }
  return AppendTable(tables);
}
// Takes back the entry NewTable() gave (the last of the result): a spare
// again, or removed.
inline void DropNewTable(const StatementContext& ctx) {
  if (ctx.stale != nullptr) {
    ++ctx.stale->spare_tables;
  } else {
    ctx.out->tables.pop_back();
  }
}
void MergeNewTable(const StatementContext& ctx, bool written);
// `last` is the entry NewTable() gave.
inline void KeepNewTable(const StatementContext& ctx, TableRef& last, bool written) {
  const TableRef* const first = ctx.out->tables.data();
  // The first, or a second whose name is not as long as the first's:
  // nothing to merge. (Told by address: no division by the entry size.)
  if (&last <= first + 1 && !last.name.empty() &&
      (&last == first || first->name.size() != last.name.size())) {
    last.written = written;
    return;
  }
  MergeNewTable(ctx, written);
}
// Erases the spare entries, before ctx.out->tables is changed otherwise.
inline void DropSpareTables(const StatementContext& ctx) {
  if (ctx.stale == nullptr || ctx.stale->spare_tables == 0) return;
  ctx.out->tables.resize(TableCount(ctx));
  ctx.stale->spare_tables = 0;
}

// A new entry of ctx.out->order_by, a spare when there is one (see
// Stale): `descending` false, the expression holding an old text that the
// caller always writes over.
inline OrderItem& NewOrderItem(const StatementContext& ctx) {
  std::vector<OrderItem>& items = ctx.out->order_by;
  if (ctx.stale != nullptr && ctx.stale->spare_order_by != 0) {
    OrderItem& item = items.end()[-static_cast<ptrdiff_t>(ctx.stale->spare_order_by--)];
    item.descending = false;
    return item;
  }
  return items.emplace_back();
}

// The string of `o` engaged for this result, `stale` (a Stale flag, or
// null) saying that it holds an old text: written over by the caller.
inline std::string& EngageStale(std::optional<std::string>& o, bool* stale) {
  if (stale != nullptr) *stale = false;
  return o.has_value() ? *o : o.emplace();
}

}  // namespace switchyard::parser

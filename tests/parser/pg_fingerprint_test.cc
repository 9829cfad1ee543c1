// Fingerprints against pg_query_fingerprint. For DML statements of the pg
// corpus, variants are made that PostgreSQL considers the same query shape
// (other literal values, other IN-list lengths, other whitespace, added
// comments); the parser's fingerprint must group originals and variants
// exactly as pg_query_fingerprint does: same group ⇔ same fingerprint.
#include <pg_query.h>

#include <cstdlib>
#include <map>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "parser/lexer.h"
#include "parser/parser.h"
#include "tests/parser/corpus_util.h"
#include "tests/parser/pg_oracle.h"

namespace switchyard::parser::testing {
namespace {

std::optional<uint64_t> PgFingerprint(const std::string& sql) {
  PgQueryFingerprintResult r = pg_query_fingerprint(sql.c_str());
  std::optional<uint64_t> out;
  if (!r.error) out = r.fingerprint;
  pg_query_free_fingerprint_result(r);
  return out;
}

enum class Variant { kWhitespace, kComments, kLiterals, kInLists };

bool IsPlainInteger(std::string_view t) {
  if (t.empty() || t.size() > 6) return false;
  for (char c : t) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Another constant of the same type, or the token unchanged.
std::string OtherLiteral(std::string_view text, TokenKind kind) {
  if (kind == TokenKind::kNumber && IsPlainInteger(text)) {
    return std::to_string(std::stoi(std::string(text)) + 7);
  }
  if (kind == TokenKind::kString && text.size() >= 2 && text.front() == '\'' &&
      text.find('\\') == std::string_view::npos) {
    return "'variant''s'";
  }
  return std::string(text);
}

// Rebuilds `sql` from its tokens, changing what `v` asks for.
std::string MakeVariant(const std::string& sql, Variant v) {
  LexResult lex;
  Lex(sql, Dialect::kPostgres, lex);
  std::string out;
  size_t prev_end = 0;
  for (size_t i = 0; i < lex.tokens.size(); ++i) {
    const Token& t = lex.tokens[i];
    const std::string_view gap = std::string_view(sql).substr(prev_end, t.begin - prev_end);
    if (!gap.empty() && v == Variant::kWhitespace) {
      out += " \n\t ";
    } else if (!gap.empty() && v == Variant::kComments) {
      out += " /* variant */ ";
    } else {
      out += gap;
    }
    out += v == Variant::kLiterals ? OtherLiteral(t.Text(sql), t.kind) : std::string(t.Text(sql));
    const bool in_list = v == Variant::kInLists && t.kind == TokenKind::kRParen && i >= 3 &&
                         lex.tokens[i - 1].kind == TokenKind::kNumber &&
                         (lex.tokens[i - 2].kind == TokenKind::kComma ||
                          lex.tokens[i - 2].kind == TokenKind::kLParen);
    if (in_list) {
      // Only when the list belongs to IN: walk back to its '('.
      size_t j = i;
      while (j > 0 && lex.tokens[j].kind != TokenKind::kLParen) --j;
      if (j > 0 && lex.tokens[j - 1].Is(Keyword::kIn)) {
        out.pop_back();
        out += ", 4, 5, 6)";
      }
    }
    prev_end = t.begin + t.length;
  }
  out += std::string_view(sql).substr(prev_end);
  return out;
}

uint64_t OurFingerprint(const std::string& sql) {
  const auto a = Analyze(sql, Dialect::kPostgres);
  return a.size() == 1 ? a[0].fingerprint : 0;
}

bool IsDml(const OracleResult& o) {
  return o.parsed && o.statement_count == 1 &&
         (o.kind == StatementKind::kSelect || o.kind == StatementKind::kInsert ||
          o.kind == StatementKind::kUpdate || o.kind == StatementKind::kDelete);
}

// Groupings seen so far, by pg_query's fingerprint and by ours.
struct Groups {
  std::map<uint64_t, std::set<uint64_t>> ours_by_pg, pg_by_ours;
  std::map<uint64_t, std::string> example;
  int variants = 0, disagreements = 0;

  void Add(const std::string& sql, uint64_t pg) {
    const uint64_t ours = OurFingerprint(sql);
    ours_by_pg[pg].insert(ours);
    pg_by_ours[ours].insert(pg);
    example.emplace(ours, sql.substr(0, 120));
  }

  // Original and variant must be grouped alike by both fingerprints.
  void AddPair(const std::string& original, const std::string& variant) {
    const std::optional<uint64_t> pg_a = PgFingerprint(original);
    const std::optional<uint64_t> pg_b = PgFingerprint(variant);
    if (!pg_a || !pg_b || variant == original) return;
    ++variants;
    const bool pg_same = *pg_a == *pg_b;
    const bool ours_same = OurFingerprint(original) == OurFingerprint(variant);
    if (pg_same != ours_same && ++disagreements <= 15) {
      std::cout << fmt::format("  pg_same={} ours_same={}\n    {}\n    {}\n", pg_same,
                               ours_same, original.substr(0, 150), variant.substr(0, 150));
    }
    Add(original, *pg_a);
    Add(variant, *pg_b);
  }

  int SplitByUs() const {
    int split = 0;
    for (const auto& [pg, ours] : ours_by_pg) {
      if (ours.size() < 2) continue;
      ++split;
      if (std::getenv("SWITCHYARD_SHOW_SPLITS") && split <= 10) {
        for (uint64_t o : ours) std::cout << "  split: " << example.at(o) << "\n";
      }
    }
    return split;
  }

  int MixedByUs() const {
    int mixed = 0;
    for (const auto& [ours, pgs] : pg_by_ours) {
      if (pgs.size() > 1 && ++mixed <= 20) std::cout << "  mixed: " << example.at(ours) << "\n";
    }
    return mixed;
  }
};

TEST(PgFingerprint, VariantsGroupExactlyAsPgQueryFingerprint) {
  const std::string dir = CorpusDir();
  if (dir.empty()) GTEST_SKIP() << "corpus not found at " << SWITCHYARD_CORPUS_DIR;
  Groups groups;
  int originals = 0;
  for (const std::string& path : SqlFiles(dir + "/pg")) {
    const std::string sql = StripPsql(ReadFile(path));
    for (std::string_view text : StatementTexts(sql, Dialect::kPostgres)) {
      const std::string original(text);
      if (!IsDml(RunPgQuery(original))) continue;
      ++originals;
      for (Variant v : {Variant::kWhitespace, Variant::kComments, Variant::kLiterals,
                        Variant::kInLists}) {
        groups.AddPair(original, MakeVariant(original, v));
      }
    }
  }
  const int split = groups.SplitByUs(), mixed = groups.MixedByUs();
  std::cout << fmt::format(
      "originals {} variants {} variant-vs-original disagreements {} | across statements: "
      "pg groups {} split by us {} mixed by us {}\n",
      originals, groups.variants, groups.disagreements, groups.ours_by_pg.size(), split, mixed);
  EXPECT_EQ(groups.disagreements, 0) << "variants grouped differently from pg_query_fingerprint";
  EXPECT_LE(mixed, static_cast<int>(groups.ours_by_pg.size() / 200));
  EXPECT_GT(originals, 5000);
}

}  // namespace
}  // namespace switchyard::parser::testing

// Tier II tables as Parquet (outputs.formats = ["csv", "parquet"]) hold the
// rows of their CSV twins: the same strings, the same figures, suppressed
// values and support as nulls.
#include "privacy/released_parquet.hpp"

#include <gtest/gtest.h>

#include "ingest/csv.hpp"
#include "parquet/file_reader.hpp"
#include "parquet/value_text.hpp"
#include "privacy/released_csv.hpp"
#include "synth/generator.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

namespace fs = std::filesystem;

// A Parquet file's rows as the CSV writer would print them.
std::vector<std::string> as_csv_lines(const fs::path& file) {
    parquet::FileReader r = parquet::FileReader::open(file);
    std::vector<size_t> all;
    std::string header;
    for (const auto& c : r.columns()) {
        all.push_back(c.index);
        header += (header.empty() ? "" : ",") + c.name;
    }
    std::vector<std::string> lines{header};
    for (size_t g = 0; g < r.row_groups(); ++g) {
        auto cols = r.read_columns(g, all);
        for (size_t i = 0; i < size_t(r.rows(g)); ++i) {
            std::string line;
            for (size_t c = 0; c < cols.size(); ++c) {
                if (c) line += ',';
                if (cols[c].is_null(i)) continue;
                const parquet::Column& col = r.columns()[c];
                if (col.kind == parquet::ValueKind::float64) {
                    line += format_value(cols[c].doubles[i]);
                } else {
                    std::string text;
                    parquet::append_value_text(col, cols[c], i, text);
                    bool quote = text.find_first_of(",\"") != std::string::npos;
                    line += quote ? "\"" + text + "\"" : text;
                }
            }
            lines.push_back(line);
        }
    }
    return lines;
}

std::vector<std::string> lines_of(const fs::path& file) {
    std::vector<std::string> out;
    std::string text = test::slurp(file);
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        out.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

TEST(ReleasedParquet, EveryTier2TableEqualsItsCsv) {
    test::TempDir t;
    synth::generate(synth::preset_options("test"), t.path());
    std::string toml = test::slurp(t / "mpdstat.toml");
    test::spit(t / "mpdstat.toml", toml + "\n[outputs]\nformats = [\"csv\", \"parquet\"]\n");
    auto r = test::run_cli("run --force " + (t / "mpdstat.toml").string());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    size_t tables = 0, suppressed_rows = 0;
    for (const auto& e : fs::directory_iterator(t / "out/tier2")) {
        if (e.path().extension() != ".csv") continue;
        fs::path pq = e.path();
        pq.replace_extension(".parquet");
        ASSERT_TRUE(fs::exists(pq)) << pq;
        SCOPED_TRACE(pq.filename().string());
        auto want = lines_of(e.path());
        auto got = as_csv_lines(pq);
        EXPECT_EQ(got, want);
        for (const auto& l : want) suppressed_rows += l.find(",suppressed,") != std::string::npos;
        parquet::FileReader f = parquet::FileReader::open(pq);
        EXPECT_EQ(f.find("support")->kind, parquet::ValueKind::integer);
        EXPECT_EQ(f.find("status")->kind, parquet::ValueKind::string);
        EXPECT_TRUE(f.find("support")->optional);
        ++tables;
    }
    EXPECT_GE(tables, 12u);
    EXPECT_GT(suppressed_rows, 0u) << "the scenario should exercise suppressed rows (nulls)";
}

TEST(ReleasedParquet, ParquetOnlyWritesNoCsv) {
    test::TempDir t;
    synth::generate(synth::preset_options("test"), t.path());
    std::string toml = test::slurp(t / "mpdstat.toml");
    test::spit(t / "mpdstat.toml", toml + "\n[outputs]\nformats = \"parquet\"\n");
    auto r = test::run_cli("run --force " + (t / "mpdstat.toml").string());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_TRUE(fs::exists(t / "out/tier2/present_population.parquet"));
    EXPECT_FALSE(fs::exists(t / "out/tier2/present_population.csv"));
}

}  // namespace
}  // namespace mpdstat

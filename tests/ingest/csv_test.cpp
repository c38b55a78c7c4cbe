#include "ingest/csv.hpp"

#include <gtest/gtest.h>
#include <random>
#include <zstd.h>

#include "common/error.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

std::vector<std::string> fields(std::string_view line, char d = ',') {
    CsvRecord r;
    EXPECT_TRUE(r.split(line, d));
    return {r.fields().begin(), r.fields().end()};
}

TEST(CsvRecord, SplitsPlainAndQuotedFields) {
    EXPECT_EQ(fields("a,b,c"), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(fields("a,,c,"), (std::vector<std::string>{"a", "", "c", ""}));
    EXPECT_EQ(fields(""), (std::vector<std::string>{""}));
    EXPECT_EQ(fields("\"a,b\",\"say \"\"hi\"\"\",c"), (std::vector<std::string>{"a,b", "say \"hi\"", "c"}));
    EXPECT_EQ(fields("\"multi\nline\";x", ';'), (std::vector<std::string>{"multi\nline", "x"}));
    EXPECT_EQ(fields("a\tb", '\t'), (std::vector<std::string>{"a", "b"}));
    CsvRecord r;
    EXPECT_FALSE(r.split("\"open,b", ','));
}

TEST(CsvFileReader, ChunksKeepRecordsWholeAndCountLines) {
    test::TempDir t;
    std::string text = "h1,h2\n";
    for (int i = 0; i < 1000; ++i) {
        if (i == 500) {
            text.append("\"quoted\nnewline\",x\n");
        } else {
            text.append("a");
            text.append(std::to_string(i));
            text.append(",b\n");
        }
    }
    test::spit(t / "f.csv", text);
    CsvFileReader r(t / "f.csv", ',', 0, 64);  // tiny chunks
    EXPECT_EQ(r.header(), (std::vector<std::string>{"h1", "h2"}));
    CsvChunk c;
    size_t records = 0;
    uint64_t last_line = 0;
    std::string quoted_first;
    while (r.next(c)) {
        RecordCursor cur(c);
        std::string_view rec;
        uint64_t line;
        while (cur.next(rec, line)) {
            ++records;
            EXPECT_GT(line, last_line);
            last_line = line;
            if (rec.front() == '"') quoted_first = std::string(rec);
        }
    }
    EXPECT_EQ(records, 1000u);
    EXPECT_EQ(last_line, 1002u);  // header line 1, the quoted record spans two lines
    EXPECT_EQ(quoted_first, "\"quoted\nnewline\",x");
}

TEST(CsvFileReader, ByteOrderMarkAndCrLf) {
    test::TempDir t;
    test::spit(t / "f.csv", "\xEF\xBB\xBFuser_id;ts\r\nu1;2024\r\n");
    CsvFileReader r(t / "f.csv", ';', 0);
    EXPECT_EQ(r.header(), (std::vector<std::string>{"user_id", "ts"}));
    CsvChunk c;
    ASSERT_TRUE(r.next(c));
    RecordCursor cur(c);
    std::string_view rec;
    uint64_t line;
    ASSERT_TRUE(cur.next(rec, line));
    EXPECT_EQ(rec, "u1;2024");
    EXPECT_EQ(line, 2u);
}

TEST(CsvFileReader, ZstdInputAndCorruptZstd) {
    test::TempDir t;
    std::string text = "a,b\n1,2\n3,4\n";
    std::string z(ZSTD_compressBound(text.size()), '\0');
    z.resize(ZSTD_compress(z.data(), z.size(), text.data(), text.size(), 3));
    test::spit(t / "f.csv.zst", z);
    {
        CsvFileReader r(t / "f.csv.zst", ',', 0);
        EXPECT_EQ(r.source().compression(), Compression::zstd);
        CsvChunk c;
        ASSERT_TRUE(r.next(c));
        EXPECT_EQ(c.text, "1,2\n3,4\n");
        EXPECT_FALSE(r.source().truncated());
    }
    test::spit(t / "cut.csv.zst", z.substr(0, z.size() - 3));
    CsvFileReader r(t / "cut.csv.zst", ',', 0);
    CsvChunk c;
    while (r.next(c)) {
    }
    EXPECT_TRUE(r.source().truncated());
}

// The one-scan split of a cursor gives what finding the record and then
// splitting it gives, on chunks of random records: with and without quotes
// (one anywhere switches the records it reaches to the careful way), line ends
// \n and \r\n, blank lines, empty fields, fields longer than the 16-byte
// scan, records at 16-byte edges, and a last record without a line end.
TEST(RecordCursor, OneScanSplitEqualsRecordThenSplit) {
    std::mt19937 rng(7);
    int known_ascii = 0;
    const std::string alphabet = "ab,,;\t\r\n\n\"0123456789\xC3\xA9";
    for (int round = 0; round < 3000; ++round) {
        const char delim = round % 3 == 0 ? ';' : round % 3 == 1 ? '\t' : ',';
        const bool quotes = round % 4 == 0;
        CsvChunk chunk;
        chunk.first_line = 2;
        const size_t length = rng() % 120;
        for (size_t i = 0; i < length; ++i) {
            char c = alphabet[rng() % alphabet.size()];
            if (c == '"' && !quotes) c = 'x';
            chunk.text += c;
            if (rng() % 9 == 0) chunk.text += std::string(rng() % 40, 'y');
        }
        RecordCursor careful(chunk), fast(chunk);
        std::string_view a, b;
        uint64_t la = 0, lb = 0;
        CsvRecord ra, rb;
        bool ok_b = false;
        while (true) {
            const bool more_a = careful.next(a, la);
            const bool more_b = fast.next(b, lb, rb, delim, ok_b);
            ASSERT_EQ(more_a, more_b) << round;
            if (!more_a) break;
            ASSERT_EQ(a, b) << round;
            ASSERT_EQ(la, lb) << round;
            ASSERT_EQ(careful.at_end(), fast.at_end()) << round;
            const bool ok_a = ra.split(a, delim);
            ASSERT_EQ(ok_a, ok_b) << round;
            if (ok_a) {
                ASSERT_EQ(ra.fields(), rb.fields()) << round << " record '" << a << "'";
            }
            // "Known ASCII" may be unsure (false) but never wrong.
            const bool high = std::any_of(a.begin(), a.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
            ASSERT_FALSE(rb.known_ascii() && high) << round;
            known_ascii += rb.known_ascii() ? 1 : 0;
        }
    }
    EXPECT_GT(known_ascii, 1000);  // the check above was put to the test
}

TEST(CsvFileReader, MissingFileIsADataError) {
    EXPECT_THROW(CsvFileReader("/nonexistent/f.csv", ',', 0), Error);
}

}  // namespace
}  // namespace mpdstat

#include "report/report.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "test_util.hpp"

namespace mpdstat::report {
namespace {

namespace fs = std::filesystem;


// A hand-made out_dir: two districts, residents, a manifest; nothing else.
fs::path small_out_dir(const fs::path& dir) {
    test::spit(dir / "manifest.json", R"({"mpdstat_version": "0.1.0", "config": {"project": {"name": "tiny"},
      "input": {"period_start": "2024-01-01", "period_end": "2024-01-31"},
      "zones": {"levels": [{"name": "district"}]}, "sdc": {"min_devices": 15},
      "anchors": {"rules": "ess"}}})");
    test::spit(dir / "geo/zones_district.geojson", R"({"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"zone_id": "D1", "name": "West"},
 "geometry": {"type": "Polygon", "coordinates": [[[-16, 14], [-15, 14], [-15, 15], [-16, 15], [-16, 14]]]}},
{"type": "Feature", "properties": {"zone_id": "D2", "name": "East"},
 "geometry": {"type": "Polygon", "coordinates": [[[-15, 14], [-14, 14], [-14, 15], [-15, 15], [-15, 14]]]}}]})");
    test::spit(dir / "tier2/usual_environment.csv",
               "zone_level,zone_id,period_start,period_end,label,devices,status,support\n"
               "district,D1,2024-01-01,2024-01-31,home,120,ok,120\n"
               "district,D2,2024-01-01,2024-01-31,home,,suppressed,\n"
               "district,D1,2024-01-01,2024-01-31,work,40,ok,40\n");
    return dir;
}

TEST(Report, MissingInputsAreNamedInTheirSectionsNotFatal) {
    test::TempDir dir;
    std::string page = render_report(small_out_dir(dir.path()));
    EXPECT_NE(page.find("Not in this folder: <code>tier2/day_night_population.csv</code>"), std::string::npos);
    EXPECT_NE(page.find("Not in this folder: <code>tier2/migration.csv</code>"), std::string::npos);
    EXPECT_NE(page.find("Not in this folder: <code>qa/ingest.json</code>"), std::string::npos);
    EXPECT_NE(page.find("Not in this folder: <code>qa/sdc.json</code>"), std::string::npos);
    EXPECT_NE(page.find("No Tier III estimates in this folder"), std::string::npos);
    // The residents map is there, one shape per zone, D2 hatched.
    size_t map = page.find(R"(data-map="residents-district")");
    ASSERT_NE(map, std::string::npos);
    std::string svg = page.substr(map, page.find("</svg>", map) - map);
    EXPECT_EQ(test::occurrences(svg, "<path data-zone="), 2u);
    EXPECT_NE(svg.find(R"~(data-zone="D2" fill="url(#suppressed-hatch)")~"), std::string::npos);
    EXPECT_NE(svg.find("West (D1): 120 devices"), std::string::npos);
    EXPECT_NE(page.find("<code>anchors.rules</code> = ess"), std::string::npos);  // parameters from the manifest
}

TEST(Report, PrefersTierThreeEstimatesWithTheirIntervals) {
    test::TempDir dir;
    small_out_dir(dir.path());
    test::spit(dir / "tier3/usual_environment.csv",
               "zone_level,zone_id,period_start,period_end,label,devices,status,support,estimate,ci_low,ci_high,quality\n"
               "district,D1,2024-01-01,2024-01-31,home,120,ok,120,2400,2100,2700,high\n"
               "district,D2,2024-01-01,2024-01-31,home,,suppressed,,,,,\n");
    test::spit(dir / "tier3/quality.csv",
               "indicator,zone_level,rows,coverage_ratio,sensitivity,quality\nusual_environment,district,2,0.05,0.1,low\n");
    std::string page = render_report(dir.path());
    EXPECT_NE(page.find("West (D1): 2,400 persons (Tier III estimate) (2,100 – 2,700)"), std::string::npos);
    EXPECT_EQ(page.find("No Tier III estimates in this folder"), std::string::npos);
    EXPECT_NE(page.find(R"(<span class="badge q-low">low</span>)"), std::string::npos);
}

TEST(Report, AnUnreadableInputSpoilsOnlyItsSection) {
    test::TempDir dir;
    small_out_dir(dir.path());
    test::spit(dir / "tier2/tourism_inbound.csv", "zone_level,zone_id,month\nregion,R1\n");
    std::string page = render_report(dir.path());
    EXPECT_NE(page.find("This section could not be drawn: "), std::string::npos);
    EXPECT_NE(page.find("tourism_inbound.csv:2: 2 fields where the header has 3"), std::string::npos);
    EXPECT_NE(page.find(R"(data-map="residents-district")"), std::string::npos);
}

TEST(Report, SameFolderSameBytesAndTheFileIsSelfContained) {
    test::TempDir dir;
    small_out_dir(dir.path());
    auto first = write_report(dir.path());
    std::string a = test::slurp(first.file);
    write_report(dir.path());
    EXPECT_EQ(a, test::slurp(dir / "report/index.html"));
    EXPECT_EQ(first.file, dir / "report/index.html");
    EXPECT_EQ(first.bytes, a.size());
    // Nothing to fetch: no external script, style sheet, font or image.
    for (const char* outside : {"http://", "https://", "<link", "src=", "@import", "url(http"})
        EXPECT_EQ(a.find(outside), std::string::npos) << outside;
}

TEST(Report, AFolderThatIsNotAnOutDirIsAUsageError) {
    test::TempDir dir;
    for (const fs::path& bad : {dir / "missing", dir.path()}) {
        try {
            render_report(bad);
            FAIL() << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.exit_code(), 2);
            EXPECT_NE(std::string(e.what()).find(bad.string()), std::string::npos);
        }
    }
    auto r = test::run_cli("report " + (dir / "missing").string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
}

}  // namespace
}  // namespace mpdstat::report

// mpdstat estimate as a user meets it: the files, the contract columns, and
// the refusal of a folder holding Tier I data.
#include <gtest/gtest.h>

#include <sstream>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include "../estimate/estimate_fixture.hpp"
#include "ingest/csv.hpp"
#include "parquet/text_rows.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

void write_config(const test::TempDir& t, const std::string& tier2_dir) {
    test::write_test_census(t / "census.csv");
    test::spit(t / "estimate.toml", "[estimate]\ncensus = \"census.csv\"\ncensus_level = \"district\"\ncalibration_level = \"region\"\n"
                                    "out_dir = \"est\"\n[[estimate.mno]]\nname = \"A\"\ntier2_dir = \"" + tier2_dir + "\"\nmarket_share = 0.01\n");
}

TEST(CliEstimate, WritesTier3QualityQaGeoAndSdmx) {
    test::TempDir t;
    test::write_operator_a(t / "a");
    write_config(t, "a");
    auto r = test::run_cli("estimate " + (t / "estimate.toml").string());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("usual_environment.csv"), std::string::npos) << r.out;
    const auto tier3 = t / "est" / "tier3";
    EXPECT_EQ(first_line(test::slurp(tier3 / "usual_environment.csv")),
              "zone_level,zone_id,period_start,period_end,label,devices,status,support,estimate,ci_low,ci_high,quality");
    EXPECT_EQ(first_line(test::slurp(tier3 / "present_population.csv")),
              "zone_level,zone_id,time,devices,status,support,estimate,ci_low,ci_high,quality");
    EXPECT_EQ(first_line(test::slurp(tier3 / "quality.csv")), "indicator,zone_level,rows,coverage_ratio,sensitivity,quality");
    auto rows = test::read_tier3(tier3 / "present_population.csv");
    EXPECT_EQ(rows["district,D2"]["status"], "estimated");
    EXPECT_EQ(rows["district,D2"]["estimate"], "2250");
    EXPECT_EQ(rows["district,D1"]["estimate"], "5000");
    EXPECT_EQ(rows["district,D1"]["quality"], "low");
    // qa/estimate.json: parameters and integrity checks per operator.
    const auto qa = nlohmann::json::parse(test::slurp(t / "est" / "qa" / "estimate.json"));
    EXPECT_EQ(qa["parameters"]["calibration"], "zone");
    EXPECT_EQ(qa["operators"][0]["name"], "A");
    EXPECT_FALSE(qa["operators"][0]["integrity"].empty());
    // SDMX-CSV 2.0: residents and present population.
    const std::string sdmx = test::slurp(tier3 / "sdmx" / "usual_environment.csv");
    EXPECT_EQ(first_line(sdmx), "STRUCTURE,STRUCTURE_ID,ACTION,ZONE_LEVEL,REF_AREA,TIME_PERIOD,OBS_VALUE,LOWER_BOUND,UPPER_BOUND,"
                                "OBS_STATUS,CONF_STATUS,QUALITY,UNIT_MEASURE");
    EXPECT_NE(sdmx.find("dataflow,MPDSTAT:MPD_RESIDENTS(1.0),I,district,D1,2024-01-01/P31D,5500,"), std::string::npos) << sdmx;
    // GeoJSON and GeoPackage layers joined to the zones; withheld values stay null.
    if (GDALGetDriverCount() == 0) GDALAllRegister();
    EXPECT_TRUE(std::filesystem::exists(tier3 / "geo" / "usual_environment_district.geojson"));
    GDALDatasetUniquePtr gpkg(GDALDataset::Open((tier3 / "tier3.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(gpkg);
    OGRLayer* layer = gpkg->GetLayerByName("usual_environment_district");
    ASSERT_NE(layer, nullptr);
    EXPECT_EQ(layer->GetFeatureCount(), 4);
    for (auto& f : *layer) {
        ASSERT_NE(f->GetGeometryRef(), nullptr);
        if (std::string(f->GetFieldAsString("zone_id")) == "D1") {
            EXPECT_DOUBLE_EQ(f->GetFieldAsDouble("estimate"), 5500);
        }
    }
}

TEST(CliEstimate, ParquetTwinsHoldTheCsvFigures) {
    test::TempDir t;
    test::write_operator_a(t / "a");
    write_config(t, "a");
    std::string toml = test::slurp(t / "estimate.toml");
    toml.replace(toml.find("out_dir"), 0, "formats = [\"csv\", \"parquet\"]\n");
    test::spit(t / "estimate.toml", toml);
    auto r = test::run_cli("estimate " + (t / "estimate.toml").string());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const auto tier3 = t / "est" / "tier3";
    std::vector<std::vector<std::string>> csv_rows, parquet_rows;
    std::istringstream csv(test::slurp(tier3 / "present_population.csv"));
    for (std::string line; std::getline(csv, line);) {
        CsvRecord rec;
        ASSERT_TRUE(rec.split(line, ','));
        csv_rows.emplace_back(rec.fields().begin(), rec.fields().end());
    }
    auto file = parquet::FileReader::open(tier3 / "present_population.parquet");
    std::vector<std::string> header;
    for (const auto& c : file.columns()) header.push_back(c.name);
    parquet_rows.push_back(header);
    parquet::for_each_text_row(file, std::vector<bool>(header.size(), true), [&](std::span<const std::string_view> f, uint64_t) {
        parquet_rows.emplace_back(f.begin(), f.end());
    });
    ASSERT_EQ(csv_rows.size(), parquet_rows.size());
    ASSERT_GT(csv_rows.size(), 2u);
    EXPECT_EQ(csv_rows[0], parquet_rows[0]);
    for (size_t i = 1; i < csv_rows.size(); ++i)
        for (size_t k = 0; k < csv_rows[i].size(); ++k) {
            const std::string &a = csv_rows[i][k], &b = parquet_rows[i][k];
            if (a.empty() || b.empty()) {
                EXPECT_EQ(a, b) << "row " << i << " column " << csv_rows[0][k];
            } else if (a != b) {
                EXPECT_DOUBLE_EQ(std::stod(a), std::stod(b)) << "row " << i << " column " << csv_rows[0][k];
            }
        }
}

TEST(CliEstimate, RefusesTier1DataWithOneLineAndExitTwo) {
    test::TempDir t;
    test::write_operator_a(t / "a");
    test::spit(t / "a" / "micro" / "anchors" / "part-0.bin", "per-device data");
    write_config(t, "a");
    auto r = test::run_cli("estimate " + (t / "estimate.toml").string());
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("holds Tier I data"), std::string::npos) << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
    EXPECT_FALSE(std::filesystem::exists(t / "est" / "tier3")) << "nothing written";
}

TEST(CliEstimate, ConfigErrorsExitTwo) {
    test::TempDir t;
    test::spit(t / "estimate.toml", "[estimate]\nout_dir = \"x\"\n");
    auto r = test::run_cli("estimate " + (t / "estimate.toml").string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("estimate.toml: 'estimate.mno' is required"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace mpdstat

// `mpdstat spatial` on the WGS84 fixture in tests/data/spatial: the outputs
// exist, the GeoPackage opens with ogrinfo, the GeoJSON parses, the weights
// CSV sums to 1 per cell and level.
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

std::string run(const std::string& cmd, int& rc) {
    std::string out;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    if (!p) {
        rc = -1;
        return out;
    }
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    int status = pclose(p);
    rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

class SpatialCli : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = fs::temp_directory_path() / ("mpdstat_spatial_cli_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::copy(fs::path(MPDSTAT_TEST_DATA) / "spatial", dir_, fs::copy_options::recursive);
        output_ = run(std::string(MPDSTAT_BINARY) + " spatial " + (dir_ / "config.toml").string(), rc_);
    }
    static void TearDownTestSuite() { fs::remove_all(dir_); }
    static fs::path dir_;
    static std::string output_;
    static int rc_;
};
fs::path SpatialCli::dir_;
std::string SpatialCli::output_;
int SpatialCli::rc_ = -1;

TEST_F(SpatialCli, RunsAndSummarises) {
    ASSERT_EQ(rc_, 0) << output_;
    EXPECT_NE(output_.find("CRS EPSG:32628"), std::string::npos) << output_;  // UTM 28N for lon -16.7
    EXPECT_NE(output_.find("6 mapped, 1 outside the country, 1 outside the period"), std::string::npos) << output_;
    EXPECT_NE(output_.find("cell_outside_country"), std::string::npos);
}

TEST_F(SpatialCli, GeoPackageOpensWithOgrinfo) {
    ASSERT_EQ(rc_, 0) << output_;
    int rc = -1;
    std::string info = run("ogrinfo -so -q " + (dir_ / "out/geo/spatial.gpkg").string(), rc);
    EXPECT_EQ(rc, 0) << info;
    for (const char* layer : {"zones_region", "zones_department", "grid", "voronoi", "cell_areas", "cells", "cell_zone_weights"})
        EXPECT_NE(info.find(layer), std::string::npos) << layer << " missing in:\n" << info;
    std::string detail = run("ogrinfo -so " + (dir_ / "out/geo/spatial.gpkg").string() + " zones_department", rc);
    EXPECT_EQ(rc, 0);
    EXPECT_NE(detail.find("Feature Count: 4"), std::string::npos) << detail;
    EXPECT_NE(detail.find("UTM zone 28N"), std::string::npos) << detail;
}

TEST_F(SpatialCli, GeoJsonParsesInLonLat) {
    ASSERT_EQ(rc_, 0) << output_;
    for (const char* level : {"region", "department"}) {
        std::ifstream in(dir_ / "out/geo" / (std::string("zones_") + level + ".geojson"));
        ASSERT_TRUE(in) << level;
        nlohmann::json j = nlohmann::json::parse(in);
        EXPECT_EQ(j["type"], "FeatureCollection");
        ASSERT_FALSE(j["features"].empty());
        for (const auto& f : j["features"]) {
            EXPECT_FALSE(f["properties"]["zone_id"].get<std::string>().empty());
            const auto& g = f["geometry"];
            const auto& ring = g["type"] == "Polygon" ? g["coordinates"][0] : g["coordinates"][0][0];
            for (const auto& pt : ring) {  // [lon, lat]: lon about -16.7, lat about 14.75
                EXPECT_NEAR(pt[0].get<double>(), -16.7, 0.25);
                EXPECT_NEAR(pt[1].get<double>(), 14.75, 0.2);
            }
        }
    }
    std::ifstream in(dir_ / "out/geo/zones_department.geojson");
    nlohmann::json j = nlohmann::json::parse(in);
    EXPECT_EQ(j["features"].size(), 4u);
    EXPECT_EQ(j["features"][0]["properties"]["parent_id"], "R1");
}

TEST_F(SpatialCli, WeightsCsvSumsToOnePerCellAndLevel) {
    ASSERT_EQ(rc_, 0) << output_;
    std::ifstream in(dir_ / "out/geo/cell_zone_weights.csv");
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "cell_id,valid_from,valid_to,zone_level,zone_id,weight");
    std::map<std::pair<std::string, std::string>, double> sums;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string cell, from, to, level, zone, w;
        std::getline(ss, cell, ',');
        std::getline(ss, from, ',');
        std::getline(ss, to, ',');
        std::getline(ss, level, ',');
        std::getline(ss, zone, ',');
        std::getline(ss, w, ',');
        sums[{cell, level}] += std::stod(w);
    }
    for (const auto& [key, s] : sums) EXPECT_NEAR(s, 1.0, 1e-8) << key.first << " " << key.second;
    EXPECT_TRUE(sums.count({"302", "department"}));  // "302.0" normalised
    EXPECT_FALSE(sums.count({"901", "department"}));  // outside the country: no weights
    EXPECT_FALSE(sums.count({"903", "department"}));  // outside the period
    EXPECT_TRUE(sums.count({"101", "grid"}));
}

TEST_F(SpatialCli, QaJsonListsProblems) {
    ASSERT_EQ(rc_, 0) << output_;
    std::ifstream in(dir_ / "out/qa/spatial.json");
    nlohmann::json j = nlohmann::json::parse(in);
    EXPECT_EQ(j["crs"], "EPSG:32628");
    EXPECT_EQ(j["cells"]["outside_country"], 1);
    bool found = false;
    for (const auto& p : j["problems"]) found |= p["code"] == "cell_outside_country" && p["id"] == "901";
    EXPECT_TRUE(found);
}

TEST(SpatialCliErrors, MissingZoneFileIsADataError) {
    fs::path d = fs::temp_directory_path() / ("mpdstat_spatial_cli_err_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::copy(fs::path(MPDSTAT_TEST_DATA) / "spatial", d, fs::copy_options::recursive);
    fs::remove(d / "department.geojson");
    int rc = -1;
    std::string out = run(std::string(MPDSTAT_BINARY) + " spatial " + (d / "config.toml").string(), rc);
    EXPECT_EQ(rc, 1) << out;
    EXPECT_NE(out.find("department.geojson"), std::string::npos) << out;
    fs::remove_all(d);
}

}  // namespace

#include "common/gdal_output.hpp"

#include <cstring>

#include <cpl_conv.h>
#include <fmt/format.h>

#include "common/error.hpp"

namespace mpdstat {

GdalDatasetPtr create_vector_dataset(const char* driver, const std::filesystem::path& path) {
    if (GDALGetDriverCount() == 0) GDALAllRegister();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver);
    if (!drv) throw runtime_error(fmt::format("GDAL has no {} driver", driver));
    // Same inputs, same bytes: no wall-clock time in gpkg_contents.last_change.
    if (std::strcmp(driver, "GPKG") == 0) CPLSetConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
    std::error_code ec;
    std::filesystem::remove(path, ec);
    CPLErrorReset();
    GdalDatasetPtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw data_error(fmt::format("{}: cannot create: {}", path.string(), CPLGetLastErrorMsg()));
    return ds;
}

void commit_vector_dataset(GdalDatasetPtr& ds, const std::filesystem::path& tmp, const std::filesystem::path& target) {
    ds.reset();
    if (CPLGetLastErrorType() == CE_Failure)
        throw data_error(fmt::format("{}: writing failed: {}", target.string(), CPLGetLastErrorMsg()));
    std::filesystem::rename(tmp, target);
}

}  // namespace mpdstat

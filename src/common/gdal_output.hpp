#pragma once
// Vector files written with GDAL (GeoJSON, GeoPackage) the way every output
// is written: to a temporary name, renamed into place only when GDAL reports
// no failure, and with the same bytes for the same content (a GeoPackage
// otherwise records the wall-clock time of writing).
#include <filesystem>
#include <memory>

#include <gdal_priv.h>

namespace mpdstat {

struct GdalDatasetCloser {
    void operator()(GDALDataset* ds) const noexcept { GDALClose(ds); }
};
using GdalDatasetPtr = std::unique_ptr<GDALDataset, GdalDatasetCloser>;

// A new, empty vector dataset at `path` (replaced if it exists) with the named
// driver ("GeoJSON", "GPKG"). Throws a data error naming the file.
GdalDatasetPtr create_vector_dataset(const char* driver, const std::filesystem::path& path);

// Closes the dataset and renames `tmp` to `target`; a write failure GDAL
// reported is a data error naming `target`, and `target` is left as it was.
void commit_vector_dataset(GdalDatasetPtr& ds, const std::filesystem::path& tmp, const std::filesystem::path& target);

}  // namespace mpdstat

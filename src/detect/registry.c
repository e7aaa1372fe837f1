/* registry.c - the detector table, expanded from detectors.def. */
#include "detect/detect.h"


const struct det_detector *const det_registry[] = {
#define DETECTOR(name) &det_##name,
#include "detect/detectors.def"
#undef DETECTOR
};

const size_t det_registry_count = sizeof(det_registry) / sizeof(det_registry[0]);

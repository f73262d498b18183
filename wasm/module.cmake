# Browser module (included from the root CMakeLists.txt under emcmake): Dear ImGui 1.86 from the
# fetched Debian source, the app in wasm/, and a dist/ folder holding everything the page loads
# (web/ files, the .js/.wasm pair, Leaflet from node_modules, fonts from Debian's font packages).
set(IMGUI_DIR ${DOORSTEP_DEPS}/imgui-1.86)
if(NOT EXISTS ${IMGUI_DIR}/imgui.cpp)
  message(FATAL_ERROR "Dear ImGui sources missing in ${IMGUI_DIR}; run scripts/setup.sh")
endif()
add_library(imgui STATIC
  ${IMGUI_DIR}/imgui.cpp ${IMGUI_DIR}/imgui_draw.cpp ${IMGUI_DIR}/imgui_widgets.cpp
  ${IMGUI_DIR}/imgui_tables.cpp)
target_include_directories(imgui SYSTEM PUBLIC ${IMGUI_DIR})
# 32-bit indices (big walk lists), no demo window or file I/O.
target_compile_definitions(imgui PUBLIC "ImDrawIdx=unsigned int"
  IMGUI_DISABLE_DEMO_WINDOWS IMGUI_DISABLE_DEBUG_TOOLS IMGUI_DISABLE_FILE_FUNCTIONS)
target_compile_options(imgui PRIVATE -O2 -w)
# The frames are drawn by wasm/gl_draw.cpp, not ImGui's OpenGL3 backend (no synchronous GL queries).

file(GLOB DOORSTEP_WASM_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/wasm/*.cpp)
add_executable(doorstep_app ${DOORSTEP_WASM_SOURCES})
set_target_properties(doorstep_app PROPERTIES OUTPUT_NAME doorstep SUFFIX .js
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/dist)
target_link_libraries(doorstep_app PRIVATE doorstep_core imgui)
target_compile_options(doorstep_app PRIVATE ${DOORSTEP_WARNINGS})
target_link_options(doorstep_app PRIVATE
  -lembind -lidbfs.js -sUSE_WEBGL2=1 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=32MB -sTOTAL_STACK=1MB
  -sMODULARIZE=1 -sEXPORT_NAME=createDoorstep -sENVIRONMENT=web,worker
  -sDYNAMIC_EXECUTION=0 -sEXPORTED_RUNTIME_METHODS=FS
  -sFILESYSTEM=1 -sEXIT_RUNTIME=0
  -Os)  # binaryen optimises the linked module for size: it is the largest download

# The organizer console's module (no ImGui): the CSV reader and presets for a file's first rows.
add_executable(doorstep_console ${CMAKE_SOURCE_DIR}/wasm/console/console_module.cpp)
set_target_properties(doorstep_console PROPERTIES OUTPUT_NAME console SUFFIX .js
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/dist/organizer)
target_link_libraries(doorstep_console PRIVATE doorstep_core)
target_compile_options(doorstep_console PRIVATE ${DOORSTEP_WARNINGS})
target_link_options(doorstep_console PRIVATE -lembind -sALLOW_MEMORY_GROWTH=1 -sMODULARIZE=1
  -sEXPORT_NAME=createConsoleModule -sENVIRONMENT=web -sDYNAMIC_EXECUTION=0 -sFILESYSTEM=0 -Os)

# dist/: the page's files next to the module. Copied on every build so web/ edits show up.
set(DIST ${CMAKE_BINARY_DIR}/dist)
set(LEAFLET_DIR ${CMAKE_SOURCE_DIR}/node_modules/leaflet/dist)
set(PROTOMAPS_LEAFLET ${CMAKE_SOURCE_DIR}/node_modules/protomaps-leaflet/dist/protomaps-leaflet.js)  # UMD: window.protomapsL
# The organizer console's QR encoder (links screen): one file, MIT, pinned in package.json.
set(QRCODE_JS ${CMAKE_SOURCE_DIR}/node_modules/qrcode-generator/dist/qrcode.js)
# The console's polygon drawing and editing (turfs screen): Leaflet-Geoman free, MIT, pinned.
set(GEOMAN_DIR ${CMAKE_SOURCE_DIR}/node_modules/@geoman-io/leaflet-geoman-free/dist)
# The Latin/Greek/Cyrillic/Armenian face, cut to the scripts a canvasser sees (the whole face is
# 760 KB; this is about 130 KB, 75 KB gzipped). Korean and Chinese come from WenQuanYi on demand.
find_program(PYFTSUBSET pyftsubset REQUIRED)
find_program(BROTLI brotli)  # optional: .br copies beside the .gz ones (wasm/stamp_build.cmake)
set(DEJAVU_RANGES "U+0020-007E,U+00A0-024F,U+0300-036F,U+0370-03FF,U+0400-04FF,U+0530-058F,U+1E00-1EFF,U+2000-206F,U+20A0-20BF,U+2190-21FF,U+2022,U+2026,U+2212,U+2713,U+2714,U+26A0,U+25A0-25FF")
add_custom_command(OUTPUT ${DIST}/fonts/DejaVuSans.ttf
  COMMAND ${CMAKE_COMMAND} -E make_directory ${DIST}/fonts
  COMMAND ${PYFTSUBSET} /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf --unicodes=${DEJAVU_RANGES}
          --layout-features=* --no-hinting --output-file=${DIST}/fonts/DejaVuSans.ttf
  DEPENDS /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
  COMMENT "Subsetting DejaVu Sans")
add_custom_target(web_dist ALL
  COMMAND ${CMAKE_COMMAND} -E make_directory ${DIST}/vendor/leaflet/images ${DIST}/vendor/protomaps-leaflet ${DIST}/vendor/qrcode ${DIST}/vendor/geoman ${DIST}/fonts
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${PROTOMAPS_LEAFLET} ${DIST}/vendor/protomaps-leaflet/
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${CMAKE_SOURCE_DIR}/web ${DIST}
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${LEAFLET_DIR}/leaflet.js ${LEAFLET_DIR}/leaflet.css ${DIST}/vendor/leaflet/
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${LEAFLET_DIR}/images ${DIST}/vendor/leaflet/images
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${QRCODE_JS} ${DIST}/vendor/qrcode/
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${GEOMAN_DIR}/leaflet-geoman.min.js ${GEOMAN_DIR}/leaflet-geoman.css ${DIST}/vendor/geoman/
  COMMAND ${CMAKE_COMMAND} -E copy_if_different /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ${DIST}/fonts/
  COMMAND ${CMAKE_COMMAND} -DDIST=${DIST} -DSOURCE=${CMAKE_SOURCE_DIR} -DBROTLI=${BROTLI} -P ${CMAKE_SOURCE_DIR}/wasm/stamp_build.cmake
  DEPENDS doorstep_app doorstep_console ${DIST}/fonts/DejaVuSans.ttf
  COMMENT "Assembling dist/ (web files, Leaflet, protomaps-leaflet, QR encoder, Leaflet-Geoman, fonts, build stamp)")

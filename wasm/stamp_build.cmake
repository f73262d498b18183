# Versions the offline shell by what was built: hashes the module and the page files and writes
# that version into dist/sw.js (a changed sw.js is what makes browsers fetch a new build) and
# dist/build.json. Old phones keep their cache until the new worker takes over.
set(files doorstep.wasm doorstep.js index.html app.css boot.js map.js page.js storage.js fonts/DejaVuSans.ttf)
set(all "")
foreach(f ${files})
  file(SHA256 ${DIST}/${f} h)
  string(APPEND all ${h})
endforeach()
string(SHA256 version "${all}")
string(SUBSTRING "${version}" 0 16 version)
file(READ ${SOURCE}/web/sw.js sw)
string(REPLACE "__BUILD_VERSION__" "${version}" sw "${sw}")
file(WRITE ${DIST}/sw.js "${sw}")
file(WRITE ${DIST}/build.json "{\"version\":\"${version}\"}\n")

# Precompressed module and fonts for the server to send with Content-Encoding: gzip (see
# server/http_server.cpp); redone only when the source is newer.
foreach(f doorstep.wasm fonts/DejaVuSans.ttf fonts/wqy-microhei.ttc)
  if(NOT EXISTS ${DIST}/${f}.gz OR ${DIST}/${f} IS_NEWER_THAN ${DIST}/${f}.gz)
    file(ARCHIVE_CREATE OUTPUT ${DIST}/${f}.gz PATHS ${DIST}/${f} FORMAT raw COMPRESSION GZip COMPRESSION_LEVEL 9)
  endif()
endforeach()

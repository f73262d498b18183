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

# Precompressed copies for the server to send as they are with Content-Encoding: gzip (it never
# compresses on the fly; see docs/http.md): the module, the fonts and every text file. Redone only
# when the source is newer (the server ignores a .gz older than its file).
file(GLOB_RECURSE texts RELATIVE ${DIST} ${DIST}/*.js ${DIST}/*.css ${DIST}/*.html ${DIST}/*.svg ${DIST}/*.json
     ${DIST}/*.webmanifest)
foreach(f doorstep.wasm fonts/DejaVuSans.ttf fonts/wqy-microhei.ttc ${texts})
  if(NOT EXISTS ${DIST}/${f}.gz OR ${DIST}/${f} IS_NEWER_THAN ${DIST}/${f}.gz)
    file(ARCHIVE_CREATE OUTPUT ${DIST}/${f}.gz PATHS ${DIST}/${f} FORMAT raw COMPRESSION GZip COMPRESSION_LEVEL 9)
  endif()
endforeach()

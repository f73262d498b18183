# Versions the offline shell by what was built: hashes every file of the service worker's SHELL
# list (web/sw.js, the one list of the shell's files) and writes that version into dist/sw.js (a
# changed sw.js is what makes browsers fetch a new build) and dist/build.json. Old phones keep
# their cache until the new worker takes over.
file(READ ${SOURCE}/web/sw.js sw)
string(REGEX MATCH "const SHELL = \\[[^;]*;" shell "${sw}")
string(REGEX MATCHALL "'[^']+'" files "${shell}")
list(TRANSFORM files REPLACE "'" "")
list(REMOVE_ITEM files "./")  # the page's own address: index.html, hashed under its name
list(LENGTH files n)
if(n LESS 5)
  message(FATAL_ERROR "stamp_build: could not read the SHELL list from web/sw.js (found: ${files})")
endif()
set(all "")
foreach(f ${files})
  if(NOT EXISTS ${DIST}/${f})
    message(FATAL_ERROR "stamp_build: ${f} is in web/sw.js's SHELL list but not in ${DIST}")
  endif()
  file(SHA256 ${DIST}/${f} h)
  string(APPEND all ${h})
endforeach()
string(SHA256 version "${all}")
string(SUBSTRING "${version}" 0 16 version)
string(REPLACE "__BUILD_VERSION__" "${version}" sw "${sw}")
file(WRITE ${DIST}/sw.js "${sw}")
file(WRITE ${DIST}/build.json "{\"version\":\"${version}\"}\n")

# Precompressed copies for the server to send as they are with Content-Encoding: gzip (it never
# compresses on the fly; see docs/http.md): the module, the fonts and every text file. Redone only
# when the source is newer (the server ignores a .gz older than its file).
file(GLOB_RECURSE texts RELATIVE ${DIST} ${DIST}/*.js ${DIST}/*.css ${DIST}/*.html ${DIST}/*.svg ${DIST}/*.json
     ${DIST}/*.webmanifest)
# Brotli copies too (about a fifth smaller than gzip for the module and the CJK font; browsers ask
# for br over HTTPS only), when the build found the brotli tool (BROTLI; Debian's brotli package).
foreach(f doorstep.wasm fonts/DejaVuSans.ttf fonts/wqy-microhei.ttc ${texts})
  if(NOT EXISTS ${DIST}/${f}.gz OR ${DIST}/${f} IS_NEWER_THAN ${DIST}/${f}.gz)
    file(ARCHIVE_CREATE OUTPUT ${DIST}/${f}.gz PATHS ${DIST}/${f} FORMAT raw COMPRESSION GZip COMPRESSION_LEVEL 9)
  endif()
  if(BROTLI AND (NOT EXISTS ${DIST}/${f}.br OR ${DIST}/${f} IS_NEWER_THAN ${DIST}/${f}.br))
    execute_process(COMMAND ${BROTLI} -q 11 -f -n -o ${DIST}/${f}.br ${DIST}/${f} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "stamp_build: brotli failed on ${f}")
    endif()
  endif()
endforeach()

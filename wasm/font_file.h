// A font file's bytes for ImGui's atlas (ImGui is built without file functions): read whole into
// memory from ImGui's allocator, which AddFontFromMemoryTTF then owns and frees. {nullptr, 0} when
// the file is missing or unreadable. Used by wasm/platform.cpp and the native font-fit test.
#pragma once
#include <cstdio>
#include <utility>

#include "imgui.h"

namespace doorstep::platform {

inline std::pair<void*, int> read_font_file(const char* path) {
  FILE* f = std::fopen(path, "rb");
  if (!f) return {nullptr, 0};
  std::fseek(f, 0, SEEK_END);
  long n = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  void* buf = n > 0 ? IM_ALLOC(static_cast<size_t>(n)) : nullptr;
  if (buf && std::fread(buf, 1, static_cast<size_t>(n), f) != static_cast<size_t>(n)) {
    IM_FREE(buf);
    buf = nullptr;
  }
  std::fclose(f);
  return {buf, buf ? static_cast<int>(n) : 0};
}

}  // namespace doorstep::platform

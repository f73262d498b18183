// A fast cryptographic random stream (ChaCha20, RFC 8439, keyed once from random_bytes()) for
// code that needs many unguessable values, e.g. the importer's record ids, without one platform
// call per value (in the browser each is a JavaScript call). Leaves out reseeding and fork
// safety: make one stream per job and drop it afterwards.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

namespace doorstep::csprng {

// ChaCha20 block function: 64 bytes of key stream for (key, counter, nonce). Exposed for the
// RFC 8439 test vector.
std::array<uint8_t, 64> chacha20_block(const std::array<uint32_t, 8>& key, uint32_t counter,
                                       const std::array<uint32_t, 3>& nonce);

class Stream {
 public:
  Stream();  // keyed from random_bytes()
  explicit Stream(const std::array<uint32_t, 8>& key) : key_(key) {}
  void fill(uint8_t* out, size_t n);
  uint64_t next_u64();

 private:
  std::array<uint32_t, 8> key_{};
  std::array<uint32_t, 3> nonce_{};
  uint32_t counter_ = 0;
  std::array<uint8_t, 64> block_{};
  size_t used_ = 64;
};

}  // namespace doorstep::csprng

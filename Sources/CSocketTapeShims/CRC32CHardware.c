// CRC-32C with the CPU's own instruction, for the tape's record checksums.
//
// Swift has no portable access to these instructions, so this small shim holds them; the
// portable slice-by-8 fallback lives in Swift (SocketTapeTape/Format/CRC32C.swift).
#include "CSocketTapeShims.h"

#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>

// The instruction takes 3 cycles and can start one per cycle: one chain of it runs at a third of
// the speed of three independent ones. Buffers of at least 3 lanes are checksummed as three
// chains over consecutive lanes, joined by shifting the earlier chains' states over the bytes
// after them (the CRC register is linear over GF(2): the state after lanes A then B is the state
// after A moved through |B| zero bytes, XOR the state after B from zero). Moving a state through
// a lane of zero bytes is a linear map of its 32 bits, tabulated per byte of the state.
#define CRC32C_LANE 128

static uint32_t crc32c_lane_shift[4][256];

__attribute__((target("sse4.2")))
static uint32_t crc32c_through_zero_lane(uint32_t state) {
    uint64_t wide = state;
    for (int i = 0; i < CRC32C_LANE; i += 8) wide = _mm_crc32_u64(wide, 0);
    return (uint32_t)wide;
}

// Not compiled for SSE 4.2 itself: it runs at load time on any CPU and checks first.
__attribute__((constructor))
static void crc32c_tabulate_lane_shift(void) {
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("sse4.2")) return;
    for (int byte = 0; byte < 4; byte++) {
        for (uint32_t value = 0; value < 256; value++) {
            crc32c_lane_shift[byte][value] = crc32c_through_zero_lane(value << (8 * byte));
        }
    }
}

static inline uint32_t crc32c_shift_lane(uint32_t state) {
    return crc32c_lane_shift[0][state & 0xFF] ^ crc32c_lane_shift[1][(state >> 8) & 0xFF]
        ^ crc32c_lane_shift[2][(state >> 16) & 0xFF] ^ crc32c_lane_shift[3][state >> 24];
}

static inline uint64_t load64(const unsigned char *p) {
    uint64_t word;
    memcpy(&word, p, 8);
    return word;
}

int sockettape_crc32c_hardware_available(void) {
    return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

__attribute__((target("sse4.2")))
uint32_t sockettape_crc32c_hardware(uint32_t crc, const void *bytes, size_t length) {
    const unsigned char *p = bytes;
    while (length >= 3 * CRC32C_LANE) {
        uint64_t first = crc, second = 0, third = 0;
        for (int i = 0; i < CRC32C_LANE; i += 8) {
            first = _mm_crc32_u64(first, load64(p + i));
            second = _mm_crc32_u64(second, load64(p + CRC32C_LANE + i));
            third = _mm_crc32_u64(third, load64(p + 2 * CRC32C_LANE + i));
        }
        uint32_t joined = crc32c_shift_lane((uint32_t)first) ^ (uint32_t)second;
        crc = crc32c_shift_lane(joined) ^ (uint32_t)third;
        p += 3 * CRC32C_LANE;
        length -= 3 * CRC32C_LANE;
    }
    uint64_t wide = crc;
    while (length >= 8) {
        wide = _mm_crc32_u64(wide, load64(p));
        p += 8;
        length -= 8;
    }
    uint32_t narrow = (uint32_t)wide;
    while (length > 0) {
        narrow = _mm_crc32_u8(narrow, *p);
        p += 1;
        length -= 1;
    }
    return narrow;
}

#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#include <asm/hwcap.h>

int sockettape_crc32c_hardware_available(void) {
    return (getauxval(AT_HWCAP) & HWCAP_CRC32) ? 1 : 0;
}

__attribute__((target("crc")))
uint32_t sockettape_crc32c_hardware(uint32_t crc, const void *bytes, size_t length) {
    const unsigned char *p = bytes;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        crc = __builtin_arm_crc32cd(crc, word);
        p += 8;
        length -= 8;
    }
    while (length > 0) {
        crc = __builtin_arm_crc32cb(crc, *p);
        p += 1;
        length -= 1;
    }
    return crc;
}

#else

int sockettape_crc32c_hardware_available(void) { return 0; }

uint32_t sockettape_crc32c_hardware(uint32_t crc, const void *bytes, size_t length) {
    (void)bytes;
    (void)length;
    return crc;
}

#endif

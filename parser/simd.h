// The SSE2 intrinsics the lexer and the shape writer use (word_scan.h,
// shape_writer.h, lexer_literals.h), on any architecture.
//
// x86-64 (where SSE2 is part of the baseline) takes them from the compiler's
// <emmintrin.h>. Elsewhere (aarch64, …) SIMDe, Debian's libsimde-dev, gives
// the same functions under the same names in portable form (NEON where there
// is NEON, plain C otherwise). SWITCHYARD_PORTABLE_SIMD takes that path on
// x86 too, so that it is built and tested here (tests/parser: the
// parser_portable_simd_test target).
#pragma once

#if defined(__SSE2__) && !defined(SWITCHYARD_PORTABLE_SIMD)
#include <emmintrin.h>
#else
#ifdef SWITCHYARD_PORTABLE_SIMD
#define SIMDE_NO_NATIVE  // SIMDe's own implementation even where SSE2 exists
#endif
#define SIMDE_ENABLE_NATIVE_ALIASES  // the _mm_* names
#include <simde/x86/sse2.h>
#endif

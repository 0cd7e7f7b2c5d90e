/* The sequential loop of examples/sequential.rs, in C, to compare the Rust
 * examples with a C compiler's best effort. One file, three builds:
 *
 *     gcc -O3 benches/sequential.c -o target/sequential-c
 *     gcc -Ofast -march=native benches/sequential.c -o target/sequential-c-ofast
 *     gcc -Ofast -march=native -fopenmp benches/sequential.c -o target/sequential-c-openmp
 *
 *     target/sequential-c [N [A B [T]]]      (defaults: 1000000000 0 10, T = 1)
 *
 * -O3 keeps the order of the additions, as Rust does. -Ofast adds
 * -ffast-math: the compiler may then reorder the sum (many running sums in
 * SIMD registers) and fuse x * x + sum into one FMA. -fopenmp splits the loop
 * over T threads and adds their partial sums (without it the pragma is
 * ignored). A and B come from the command line, as in the Rust examples, so
 * that neither compiler can fold a = 0 away.
 *
 * It prints one line, `C (...) N=... T=... result=... time=... s`; the `limit`
 * example reads `result=` and `time=` from it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* What this build is, from the macros the compiler defines for its flags. */
static const char *build(void) {
#if defined(_OPENMP) && defined(__FAST_MATH__)
    return "fast-math, OpenMP";
#elif defined(__FAST_MATH__)
    return "fast-math";
#else
    return "in order";
#endif
}

static const char *vectors(void) {
#if defined(__AVX512F__)
    return "AVX-512";
#elif defined(__AVX2__)
    return "AVX2";
#elif defined(__SSE2__)
    return "SSE2";
#else
    return "scalar";
#endif
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000000L;
    double a = argc > 3 ? atof(argv[2]) : 0.0;
    double b = argc > 3 ? atof(argv[3]) : 10.0;
    int threads = argc > 4 ? atoi(argv[4]) : 1;
    if (n < 1 || !(a <= b) || threads < 1) {
        fprintf(stderr, "error: usage: %s [N [A B [T]]] with N >= 1, A <= B, T >= 1\n", argv[0]);
        return 2;
    }
#ifdef _OPENMP
    omp_set_num_threads(threads);
#else
    if (threads != 1) {
        fprintf(stderr, "error: T = %d needs the -fopenmp build\n", threads);
        return 2;
    }
#endif
    double dx = (b - a) / n, sum = 0.0;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
#pragma omp parallel for reduction(+ : sum)
    for (long i = 0; i < n; i++) {
        double x = a + i * dx;
        sum += x * x;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("C (%s, %s) N=%ld T=%d result=%.17g time=%.4f s\n", build(), vectors(), n, threads,
           sum * dx, (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) * 1e-9);
    return 0;
}

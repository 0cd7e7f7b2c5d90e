/* The sequential loop of examples/sequential.rs, in C, to compare the
 * baseline with a C compiler's best effort:
 *
 *     gcc -O3 benches/sequential.c -o target/sequential-c && target/sequential-c 1000000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000000L;
    if (n < 1) {
        fprintf(stderr, "error: N must be at least 1\n");
        return 2;
    }
    double a = 0.0, b = 10.0, dx = (b - a) / n, sum = 0.0;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < n; i++) {
        double x = a + i * dx;
        sum += x * x;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("C -O3 N=%ld result=%.17g time=%.3f s\n", n, sum * dx,
           (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) * 1e-9);
    return 0;
}

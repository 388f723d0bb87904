/* The native baseline for AAC reads: fdk-aac decoding the same stored access units the archive holds, with the same
 * pre-roll (2 units, history cleared, limiter off), each read fetching its units' bytes with pread as the archive does.
 * Usage: aac_seek UNITS INDEX ASC_HEX CHANNELS DELAY SAMPLES COUNT READS SEED
 *   UNITS: the access units back to back; INDEX: int64 byte offsets of each unit (little-endian).
 *   COUNT = 0: one full sequential decode instead of random reads. Prints "median_ms p95_ms" or "full_s". */
#include <fdk-aac/aacdecoder_lib.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }

int main(int argc, char **argv) {
  if (argc != 10) { fprintf(stderr, "usage: aac_seek UNITS INDEX ASC_HEX CHANNELS DELAY SAMPLES COUNT READS SEED\n"); return 2; }
  int fd = open(argv[1], O_RDONLY);
  FILE *fi = fopen(argv[2], "rb");
  if (fd < 0 || !fi) { perror("open"); return 1; }
  fseek(fi, 0, SEEK_END); long n = ftell(fi) / 8; fseek(fi, 0, SEEK_SET);
  int64_t *off = malloc((n + 1) * 8);
  if (fread(off, 8, n, fi) != (size_t)n) return 1;
  off[n] = lseek(fd, 0, SEEK_END);
  unsigned char asc[64]; unsigned asclen = strlen(argv[3]) / 2;
  for (unsigned i = 0; i < asclen; i++) sscanf(argv[3] + 2 * i, "%2hhx", &asc[i]);
  int channels = atoi(argv[4]); long delay = atol(argv[5]), samples = atol(argv[6]), count = atol(argv[7]);
  int reads = atoi(argv[8]); srand(atoi(argv[9]));
  HANDLE_AACDECODER dec = aacDecoder_Open(TT_MP4_RAW, 1);
  UCHAR *conf = asc; UINT conflen = asclen;
  if (aacDecoder_ConfigRaw(dec, &conf, &conflen) != AAC_DEC_OK) return 1;
  aacDecoder_SetParam(dec, AAC_PCM_LIMITER_ENABLE, 0);
  INT_PCM pcm[8 * 2048];
  unsigned char *buf = malloc(1 << 24);
  if (count == 0) { /* full sequential decode */
    double t0 = now();
    for (long u = 0; u < n; u += 4096) {
      long last = u + 4095 < n - 1 ? u + 4095 : n - 1;
      pread(fd, buf, off[last + 1] - off[u], off[u]);
      for (long v = u; v <= last; v++) {
        UCHAR *p = buf + (off[v] - off[u]); UINT size = off[v + 1] - off[v], valid = size;
        aacDecoder_Fill(dec, &p, &size, &valid);
        if (aacDecoder_DecodeFrame(dec, pcm, sizeof pcm / sizeof pcm[0], v == 0 ? AACDEC_INTR | AACDEC_CLRHIST : 0) != AAC_DEC_OK) return 1;
      }
    }
    printf("%.4f\n", now() - t0);
    return 0;
  }
  INT_PCM *out = malloc(count * channels * sizeof(INT_PCM));
  double *times = malloc(reads * sizeof(double));
  for (int r = 0; r < reads; r++) {
    long start = (long)(((double)rand() / RAND_MAX) * (samples - count));
    double t0 = now();
    long from = start + delay, first = from / 1024, last = (from + count - 1) / 1024, d0 = first >= 2 ? first - 2 : 0;
    pread(fd, buf, off[last + 1] - off[d0], off[d0]);
    aacDecoder_SetParam(dec, AAC_TPDEC_CLEAR_BUFFER, 1);
    for (long u = d0; u <= last; u++) {
      UCHAR *p = buf + (off[u] - off[d0]); UINT size = off[u + 1] - off[u], valid = size;
      aacDecoder_Fill(dec, &p, &size, &valid);
      if (aacDecoder_DecodeFrame(dec, pcm, sizeof pcm / sizeof pcm[0], u == d0 ? AACDEC_INTR | AACDEC_CLRHIST : 0) != AAC_DEC_OK) return 1;
      long lo = u * 1024 > from ? u * 1024 : from, hi = (u + 1) * 1024 < from + count ? (u + 1) * 1024 : from + count;
      if (hi > lo) memcpy(out + (lo - from) * channels, pcm + (lo - u * 1024) * channels, (hi - lo) * channels * sizeof(INT_PCM));
    }
    times[r] = (now() - t0) * 1000;
  }
  qsort(times, reads, sizeof(double), cmp);
  printf("%.4f %.4f\n", times[reads / 2], times[(int)(reads * 0.95)]);
  return 0;
}

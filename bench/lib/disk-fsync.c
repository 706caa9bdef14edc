/* The disk's own rate for the upload and dns benches: THREADS threads, each in a loop for SECONDS:
 *   new (the default; the upload bench): open a new file in DIR (O_CREAT|O_EXCL), write FILE's
 *       bytes (one write() call, repeated until all is written), fsync, close. No directory fsync
 *       (neither does the Node receiver; Nubis does one per upload). Latency = open to close.
 *   overwrite (the dns bench: what a SQLite WAL commit does once the WAL has reached its size):
 *       pwrite FILE's bytes into the thread's own file, created and filled (4 MiB, fsync'ed)
 *       before the clock starts, at the next offset (wrapping at 4 MiB), then fdatasync: no
 *       size or block allocation change, so no file system metadata to commit. Latency = pwrite
 *       + fdatasync.
 *
 *   disk-fsync DIR FILE THREADS SECONDS [new|overwrite]
 *
 * Prints one line: BENCHJSON {...} (wrk's fields). Build: cc -O2 -pthread -o disk-fsync disk-fsync.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *dir;
static char *buf;
static size_t len;
static double deadline;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static double *lat;
static size_t nlat, cap;
static long failed;
static int overwrite;
#define WINDOW (4L << 20)
static int fds[256];

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int one(int t, long i) {
  char path[4096];
  snprintf(path, sizeof path, "%s/d%d-%ld.bin", dir, t, i);
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  size_t off = 0;
  while (off < len) {
    ssize_t w = write(fd, buf + off, len - off);
    if (w < 0) { if (errno == EINTR) continue; close(fd); return -1; }
    off += (size_t)w;
  }
  if (fsync(fd) != 0) { close(fd); return -1; }
  return close(fd);
}

static int rewrite(int t, long i) {
  size_t per = (size_t)WINDOW / len;
  off_t at = (off_t)((size_t)i % (per ? per : 1) * len);
  size_t off = 0;
  while (off < len) {
    ssize_t w = pwrite(fds[t], buf + off, len - off, at + (off_t)off);
    if (w < 0) { if (errno == EINTR) continue; return -1; }
    off += (size_t)w;
  }
  return fdatasync(fds[t]);
}

/* overwrite mode: the thread's file, WINDOW bytes written and fsync'ed (not timed) */
static int prepare(int t) {
  char path[4096];
  snprintf(path, sizeof path, "%s/o%d.bin", dir, t);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  static char zero[1 << 16];
  for (long off = 0; off < WINDOW; off += sizeof zero) {
    if (pwrite(fd, zero, sizeof zero, off) != (ssize_t)sizeof zero) { close(fd); return -1; }
  }
  if (fsync(fd) != 0) { close(fd); return -1; }
  fds[t] = fd;
  return 0;
}

static void *worker(void *arg) {
  int t = (int)(long)arg;
  for (long i = 0; now() < deadline; i++) {
    double t0 = now();
    int rc = overwrite ? rewrite(t, i) : one(t, i);
    double us = (now() - t0) * 1e6;
    pthread_mutex_lock(&mu);
    if (rc != 0) failed++;
    else {
      if (nlat == cap) { cap = cap ? cap * 2 : 1024; lat = realloc(lat, cap * sizeof *lat); }
      lat[nlat++] = us;
    }
    pthread_mutex_unlock(&mu);
  }
  return NULL;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}
static double pct(double p) {
  if (!nlat) return 0;
  size_t k = (size_t)(p / 100.0 * nlat + 0.999999);
  if (k < 1) k = 1;
  if (k > nlat) k = nlat;
  return lat[k - 1];
}

int main(int argc, char **argv) {
  if (argc != 5 && argc != 6) { fprintf(stderr, "usage: %s DIR FILE THREADS SECONDS [new|overwrite]\n", argv[0]); return 2; }
  if (argc == 6) {
    if (strcmp(argv[5], "overwrite") == 0) overwrite = 1;
    else if (strcmp(argv[5], "new") != 0) { fprintf(stderr, "mode must be new or overwrite\n"); return 2; }
  }
  dir = argv[1];
  int threads = atoi(argv[3]);
  double secs = atof(argv[4]);
  FILE *f = fopen(argv[2], "rb");
  if (!f || threads < 1 || secs <= 0) { fprintf(stderr, "bad arguments\n"); return 2; }
  struct stat st;
  fstat(fileno(f), &st);
  len = (size_t)st.st_size;
  buf = malloc(len);
  if (!buf || fread(buf, 1, len, f) != len) { fprintf(stderr, "cannot read %s\n", argv[2]); return 2; }
  fclose(f);
  pthread_t th[256];
  if (threads > 256) threads = 256;
  if (overwrite) {
    if (len == 0 || (long)len > WINDOW) { fprintf(stderr, "overwrite: FILE must be 1 byte to 4 MiB\n"); return 2; }
    for (int i = 0; i < threads; i++) {
      if (prepare(i) != 0) { fprintf(stderr, "cannot prepare %s/o%d.bin: %s\n", dir, i, strerror(errno)); return 2; }
    }
  }
  double t0 = now();
  deadline = t0 + secs;
  for (int i = 0; i < threads; i++) pthread_create(&th[i], NULL, worker, (void *)(long)i);
  for (int i = 0; i < threads; i++) pthread_join(th[i], NULL);
  double wall = now() - t0;
  qsort(lat, nlat, sizeof *lat, cmp);
  double sum = 0;
  for (size_t i = 0; i < nlat; i++) sum += lat[i];
  printf("BENCHJSON {\"requests\":%zu,\"duration_us\":%.0f,\"rps\":%.3f,\"bytes\":0,\"mean_us\":%.0f,"
         "\"p50_us\":%.0f,\"p90_us\":%.0f,\"p99_us\":%.0f,\"max_us\":%.0f,\"err_connect\":0,\"err_read\":0,"
         "\"err_write\":0,\"err_timeout\":0,\"err_status\":%ld,\"file_bytes\":%zu}\n",
         nlat, wall * 1e6, nlat / wall, nlat ? sum / nlat : 0, pct(50), pct(90), pct(99),
         nlat ? lat[nlat - 1] : 0, failed, len);
  return 0;
}

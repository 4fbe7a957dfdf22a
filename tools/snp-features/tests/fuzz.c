// SPDX-License-Identifier: GPL-2.0
/*
 * Self-contained mutation fuzzer for the line parser, built with ASan and
 * UBSan: mutates the corpus lines for a bounded time and parses each
 * result from a buffer of exactly its size, so any read past the end is
 * caught. A finding aborts (sanitizer) or fails (invariant).
 *
 * usage: fuzz SECONDS SEED CORPUS...
 *
 * SEED (a nonzero number, 0x... for hex) starts the mutation sequence:
 * the same seed makes the same inputs in the same order, so a finding is
 * reproduced by running again with the seed this printed. SEED "random"
 * draws a new one (the test suite's default), so that runs add inputs
 * instead of repeating the same ones. The seed is printed first; every
 * finding, a sanitizer's included, names it and the input's number.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "snpf.h"

/* Built with ASan: gcc says so by a macro, clang by __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_ASAN 1
#endif
#endif
#ifdef FUZZ_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

#define MAXSEEDS 4096
#define MAXLEN 512
#define MAXSECS (7 * 24 * 3600)

static char *seeds[MAXSEEDS];
static size_t nseeds;
static uint64_t rng;

/* The input being parsed, for a finding that a sanitizer reports. */
static unsigned long long cur_seed, cur_iter;
static const char *cur_in;
static size_t cur_len;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void load(const char *path)
{
	FILE *f = fopen(path, "r");
	char *l = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f) {
		fprintf(stderr, "fuzz: cannot open %s\n", path);
		exit(2);
	}
	while ((n = getline(&l, &cap, f)) > 0 && nseeds < MAXSEEDS) {
		if (l[n - 1] == '\n')
			l[--n] = '\0';
		seeds[nseeds++] = strdup(l);
	}
	free(l);
	fclose(f);
}

/* A finding: what it is, the seed and the input (escaped). */
static void finding(const char *what, unsigned long long seed,
		   unsigned long long n, const char *in, size_t len)
{
	size_t i;

	fprintf(stderr, "fuzz: %s (seed %#llx, input %llu): \"", what, seed, n);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fprintf(stderr, "\"\n");
}

#ifdef FUZZ_ASAN
/* Called by ASan or UBSan before they abort the process. */
static void sanitizer_died(void)
{
	if (cur_in)
		finding("sanitizer error", cur_seed, cur_iter, cur_in, cur_len);
}
#endif

/* A nonzero seed from the kernel's random pool; 0 if it cannot be read. */
static unsigned long long random_seed(void)
{
	unsigned long long v = 0;
	FILE *f = fopen("/dev/urandom", "r");

	if (f) {
		if (fread(&v, sizeof(v), 1, f) != 1)
			v = 0;
		else if (!v)
			v = 1;
		fclose(f);
	}
	return v;
}

static const char alphabet[] = "0123456789abcdefxX :,[]()=\t\r\n\0-ABCDEFG";

static size_t mutate(char *b, size_t len)
{
	int k, rounds = 1 + (int)(rnd() % 6);

	for (k = 0; k < rounds; k++) {
		size_t pos = len ? rnd() % len : 0;

		switch (rnd() % 7) {
		case 0:	/* flip a byte */
			if (len)
				b[pos] ^= (char)(1 << (rnd() % 8));
			break;
		case 1:	/* replace with a token char */
			if (len)
				b[pos] = alphabet[rnd() % (sizeof(alphabet) - 1)];
			break;
		case 2:	/* insert */
			if (len < MAXLEN) {
				memmove(b + pos + 1, b + pos, len - pos);
				b[pos] = alphabet[rnd() % (sizeof(alphabet) - 1)];
				len++;
			}
			break;
		case 3:	/* delete */
			if (len) {
				memmove(b + pos, b + pos + 1, len - pos - 1);
				len--;
			}
			break;
		case 4:	/* truncate */
			len = pos;
			break;
		case 5: { /* splice the tail of another seed */
			const char *o = seeds[rnd() % nseeds];
			size_t ol = strlen(o), from = ol ? rnd() % ol : 0;
			size_t n = ol - from;

			if (pos + n > MAXLEN)
				n = MAXLEN - pos;
			memcpy(b + pos, o + from, n);
			len = pos + n;
			break;
		}
		default: /* random byte */
			if (len)
				b[pos] = (char)rnd();
		}
	}
	return len;
}

int main(int argc, char **argv)
{
	FILE *null = fopen("/dev/null", "w");
	unsigned long long iters = 0, hits = 0, seed;
	time_t stop;
	char work[MAXLEN + 1];
	char *end;
	long secs;
	int i;

	if (argc < 4 || !null) {
		fprintf(stderr, "usage: fuzz SECONDS SEED CORPUS...\n");
		return 2;
	}
	errno = 0;
	secs = strtol(argv[1], &end, 10);
	if (errno || end == argv[1] || *end || secs < 0 || secs > MAXSECS) {
		fprintf(stderr, "fuzz: SECONDS must be 0 to %d, not '%s'\n",
			MAXSECS, argv[1]);
		return 2;
	}
	if (!strcmp(argv[2], "random")) {
		seed = random_seed();
		if (!seed) {
			fprintf(stderr, "fuzz: cannot read /dev/urandom for a seed\n");
			return 2;
		}
	} else {
		errno = 0;
		seed = strtoull(argv[2], &end, 0);
		if (errno || end == argv[2] || *end || !seed) {
			fprintf(stderr,
				"fuzz: SEED must be a nonzero number or 'random', not '%s'\n",
				argv[2]);
			return 2;
		}
	}
	rng = cur_seed = seed;
	for (i = 3; i < argc; i++)
		load(argv[i]);
	if (!nseeds) {
		fprintf(stderr, "fuzz: empty corpus\n");
		return 2;
	}
	printf("fuzz: seed %#llx\n", seed);
	fflush(stdout);
#ifdef FUZZ_ASAN
	__sanitizer_set_death_callback(sanitizer_died);
#endif
	stop = time(NULL) + secs;
	while (time(NULL) < stop) {
		int j;

		for (j = 0; j < 4096; j++) {
			const char *s = seeds[rnd() % nseeds];
			size_t len = strlen(s) > MAXLEN ? MAXLEN : strlen(s);
			struct snpf_event a, b;
			char *exact;
			int ra, rb;

			memcpy(work, s, len);
			len = mutate(work, len);
			exact = malloc(len ? len : 1);
			memcpy(exact, work, len);
			cur_in = exact;
			cur_len = len;
			cur_iter = iters;
			ra = snpf_parse_line(exact, len, &a);
			rb = snpf_parse_line(exact, len, &b);
			if (ra != rb || memcmp(&a, &b, sizeof(a))) {
				finding("parse is not deterministic", seed, iters, exact, len);
				cur_in = NULL;
				free(exact);
				return 1;
			}
			if (ra) {
				hits++;
				out_stream(null);
				out_init(0);
				snpf_out_event(&a, 1);
				out_init(1);
				snpf_out_event(&a, 1);
				if ((a.has_reason && (a.set > 15 || a.code > 255)) ||
				    memchr(exact, '\0', len)) {
					finding("impossible event accepted", seed, iters,
						exact, len);
					cur_in = NULL;
					free(exact);
					return 1;
				}
			}
			cur_in = NULL;
			free(exact);
			iters++;
		}
	}
	printf("fuzz: seed %#llx: %llu inputs, %llu recognised, 0 findings\n",
	       seed, iters, hits);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kselftest.h calls snp_features_test uses, for a standalone build
 * without a kernel tree (the project's self-tests). Same TAP output and
 * exit codes: 0 pass, 1 fail, 4 skip.
 */
#ifndef SNPF_TAP_H
#define SNPF_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

static unsigned int ksft_num, ksft_failed, ksft_planned;

static inline void ksft_print_header(void)
{
	printf("TAP version 13\n");
}

static inline void ksft_set_plan(unsigned int plan)
{
	ksft_planned = plan;
	printf("1..%u\n", plan);
}

static inline void ksft_print_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	va_end(ap);
}

static inline void ksft_test_result(int ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("%s %u ", ok ? "ok" : "not ok", ++ksft_num);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok)
		ksft_failed++;
}

static inline void ksft_test_result_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("ok %u # SKIP ", ++ksft_num);
	vprintf(fmt, ap);
	va_end(ap);
}

static inline void ksft_exit_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("1..0 # SKIP ");
	vprintf(fmt, ap);
	va_end(ap);
	exit(KSFT_SKIP);
}

static inline void ksft_exit_fail_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("Bail out! ");
	vprintf(fmt, ap);
	va_end(ap);
	exit(KSFT_FAIL);
}

static inline void ksft_finished(void)
{
	printf("# Totals: %u tests, %u failed\n", ksft_num, ksft_failed);
	exit(ksft_failed || ksft_num != ksft_planned ? KSFT_FAIL : KSFT_PASS);
}

#endif /* SNPF_TAP_H */

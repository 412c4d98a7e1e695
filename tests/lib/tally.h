/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_TEST_TALLY_H
#define VMSCOPE_TEST_TALLY_H

/*
 * For tests that compare many items in a loop: log the first few
 * problems, count them all, and fail once at the end.  Include after
 * kselftest_harness.h (EXPECT_CLEAN uses TH_LOG and EXPECT_EQ).
 */
#include <stdio.h>

struct tally {
	int n;
	char first[4][1024];
};

static inline void note(struct tally *t, int bad, const char *why)
{
	if (bad && t->n < 4)
		snprintf(t->first[t->n], sizeof(t->first[0]), "%s", why);
	t->n += bad;
}

#define EXPECT_CLEAN(t, what) do {					\
	int __i;							\
	for (__i = 0; __i < (t).n && __i < 4; __i++)			\
		TH_LOG("%s: %s", what, (t).first[__i]);			\
	EXPECT_EQ(0, (t).n) TH_LOG("%s: %d problem(s)", what, (t).n);	\
} while (0)

#endif /* VMSCOPE_TEST_TALLY_H */

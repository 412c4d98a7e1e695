// SPDX-License-Identifier: GPL-2.0
/*
 * Who may see what.  Every permission decision of vmscope is made here so
 * that debugfs and netlink cannot drift apart.
 */
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/user_namespace.h>

#include "access.h"

enum kptr_verdict {
	KPTR_HASHED,	/* kptr_restrict=0: %pK hashes for everyone */
	KPTR_REAL,	/* kptr_restrict=1 and current may see addresses */
	KPTR_ZEROS,	/* kptr_restrict=2, or 1 and current may not */
};

/*
 * kptr_restrict is not exported, so ask vsprintf, which implements it:
 * format an address with %pK and see whether it comes back real, hashed
 * or zeroed.  This keeps us exactly in step with the kernel's own policy,
 * including its uid == euid check against setuid callers.
 */
static enum kptr_verdict kptr_verdict_for_current(void)
{
	static const char probe;
	char restricted[32], real[32];

	snprintf(restricted, sizeof(restricted), "%pK", &probe);
	snprintf(real, sizeof(real), "%016lx", (unsigned long)&probe);
	if (!strcmp(restricted, real))
		return KPTR_REAL;
	if (strspn(restricted, "0") == strlen(restricted))
		return KPTR_ZEROS;
	return KPTR_HASHED;
}

/*
 * Kernel virtual addresses (they reveal KASLR) go only to callers that hold
 * CAP_SYSLOG, both the opener of the file or socket and the current task,
 * and never when kptr_restrict=2.  With kptr_restrict=0, %pK would print
 * hashes to everyone; we show real addresses to CAP_SYSLOG, as
 * /proc/kallsyms does, and nothing to anyone else.
 */
bool vmscope_kernel_addrs_visible(bool opener_has_syslog)
{
	if (!opener_has_syslog || !ns_capable_noaudit(&init_user_ns, CAP_SYSLOG))
		return false;
	return kptr_verdict_for_current() != KPTR_ZEROS;
}

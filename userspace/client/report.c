// SPDX-License-Identifier: GPL-2.0
/* How the subcommands report a refusal, for vmscope and vmscope-lab alike. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

int vs_report(const struct vs_args *a, const struct vs_error *err)
{
	const char *why = err->msg[0] ? err->msg : strerror(-err->error);

	if (a->pid)
		fprintf(stderr, "vmscope: pid %u: %s\n", a->pid, why);
	else
		fprintf(stderr, "vmscope: %s\n", why);
	return VS_EXIT_ERROR;
}

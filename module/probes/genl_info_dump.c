// SPDX-License-Identifier: GPL-2.0
/* genl_info_dump(): a dump's parsed attributes, in a struct genl_info. */
#include <net/genetlink.h>

static struct nlattr ** __maybe_unused probe(struct netlink_callback *cb)
{
	return genl_info_dump(cb)->attrs;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Takes the generic netlink family name "vmscope", so that loading
 * vmscope.ko fails when it registers its family: tests/hardening_test.c
 * checks what a failed load leaves behind.
 */
#include <linux/module.h>
#include <net/genetlink.h>

static int squat_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

static const struct genl_ops squat_ops[] = {
	{
		.cmd = 1,
		.doit = squat_doit,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family squat_family __ro_after_init = {
	.name = "vmscope",
	.version = 1,
	.module = THIS_MODULE,
	.ops = squat_ops,
	.n_ops = ARRAY_SIZE(squat_ops),
};

static int __init squat_init(void)
{
	return genl_register_family(&squat_family);
}

static void __exit squat_exit(void)
{
	genl_unregister_family(&squat_family);
}

module_init(squat_init);
module_exit(squat_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmscope test: a genetlink family named \"vmscope\"");

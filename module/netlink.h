/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_NETLINK_H
#define VMSCOPE_NETLINK_H

int vmscope_netlink_init(void);
void vmscope_netlink_exit(void);

#endif /* VMSCOPE_NETLINK_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_PAGESIZE_H
#define VMSCOPE_PAGESIZE_H

/*
 * The page sizes of the running kernel, for the client, vmscope-lab and
 * the tests.  Self-contained: the C library only.
 *
 * vs_page_size(): PAGE_SIZE, from sysconf(_SC_PAGESIZE): 4 KiB on x86,
 * 4, 16 or 64 KiB on arm64.  GET_PAGES counts pages in it; nothing may
 * assume 4096.
 *
 * vs_pmd_size(): what one PMD entry maps, the size of a PMD-mapped THP,
 * from /sys/kernel/mm/transparent_hugepage/hpage_pmd_size: 2 MiB with
 * 4 KiB pages and 8-byte entries, 4 MiB on i386 without PAE (4-byte
 * entries), 32 MiB with 16 KiB pages.  Without THP in the kernel, a page
 * of 8-byte entries' worth of pages.
 */
unsigned long vs_page_size(void);
unsigned long vs_pmd_size(void);

#endif /* VMSCOPE_PAGESIZE_H */

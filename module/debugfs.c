// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/vmscope: the text interface, for people with cat.
 *
 * debugfs proxies every file operation and drains the ones in flight when a
 * file is removed, and .owner pins the module while a file is open, so
 * rmmod with a reader present is safe.  Files are root-only.
 */
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/user_namespace.h>

#include "access.h"
#include "debugfs.h"
#include "debugfs_query.h"
#include "layout.h"

static struct dentry *vmscope_dir;

static void show_addr(struct seq_file *m, const char *name,
		      unsigned long addr, const char *what)
{
	seq_printf(m, "%-20s 0x%016lx  # %s\n", name, addr, what);
}

/* An address this architecture does not have (0) is left out. */
static void show_region_addr(struct seq_file *m, const char *name,
			     unsigned long addr, const char *what)
{
	if (addr)
		show_addr(m, name, addr, what);
}

static void show_regions(struct seq_file *m, const struct vmscope_layout *l)
{
	char name[32];
	unsigned int i;

	for (i = 0; i < l->nr_regions; i++) {
		const struct vmscope_region *r = &l->regions[i];

		snprintf(name, sizeof(name), "%s_start", r->name);
		show_addr(m, name, r->start, r->what);
		snprintf(name, sizeof(name), "%s_last", r->name);
		show_addr(m, name, r->last, "last byte");
	}
}

static int layout_show(struct seq_file *m, void *v)
{
	bool visible = vmscope_kernel_addrs_visible(file_ns_capable(m->file,
						&init_user_ns, CAP_SYSLOG));
	struct vmscope_layout l;

	vmscope_layout_get(&l, visible);
	seq_printf(m, "# vmscope kernel virtual memory layout (%s)\n", l.arch);
	seq_printf(m, "%-20s %u\n", "paging_levels", l.paging_levels);
	seq_printf(m, "%-20s %u\n", "user_va_bits", l.user_va_bits);
	seq_printf(m, "%-20s %lu\n", "page_size", 1UL << l.page_shift);
	show_addr(m, "task_size", l.task_size, "end of user space (TASK_SIZE)");
	show_addr(m, "mmap_window", l.mmap_window,
		  "mmap() stays below this unless given a higher hint");
	if (!l.kernel_addrs_visible) {
		seq_puts(m, "# kernel addresses hidden (kptr_restrict or no CAP_SYSLOG)\n");
		return 0;
	}
	seq_printf(m, "%-20s %s\n", "kaslr", l.kaslr ? "yes" : "no");
	show_addr(m, "page_offset", l.page_offset,
		  "direct map of all physical memory (PAGE_OFFSET)");
	show_addr(m, "direct_map_end", l.direct_map_end,
		  "end of mapped RAM (high_memory)");
	show_addr(m, "vmalloc_start", l.vmalloc_start, "vmalloc/ioremap area");
	show_addr(m, "vmalloc_end", l.vmalloc_end, "last byte of vmalloc area");
	show_region_addr(m, "vmemmap_start", l.vmemmap_start,
			 "struct page array");
	show_addr(m, "kernel_text_start", l.kernel_text_start,
		  "kernel image (_text)");
	show_addr(m, "modules_start", l.modules_start, "module area");
	show_addr(m, "modules_end", l.modules_end, "end of module area");
	show_regions(m, &l);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(layout);

int vmscope_debugfs_init(void)
{
	vmscope_dir = debugfs_create_dir("vmscope", NULL);
	if (IS_ERR(vmscope_dir))
		return PTR_ERR(vmscope_dir);
	debugfs_create_file("layout", 0400, vmscope_dir, NULL, &layout_fops);
	debugfs_create_file("maps", 0600, vmscope_dir, NULL, &vmscope_maps_fops);
	debugfs_create_file("pages", 0600, vmscope_dir, NULL,
			    &vmscope_pages_fops);
	debugfs_create_file("explain", 0600, vmscope_dir, NULL,
			    &vmscope_explain_fops);
	debugfs_create_file("faults", 0600, vmscope_dir, NULL,
			    &vmscope_faults_fops);
	return 0;
}

void vmscope_debugfs_exit(void)
{
	debugfs_remove_recursive(vmscope_dir);
}

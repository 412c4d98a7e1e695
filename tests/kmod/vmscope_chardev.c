// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vmscope_chardev: a character device whose mmap() maps one page
 * through its own fault handler, without VM_PFNMAP or VM_MIXEDMAP, as
 * drivers of kernel-allocated buffers do.  The device node's i_size is 0
 * and it lives on devtmpfs (TMPFS_MAGIC): tests/explain_test.c checks
 * that explain calls a fault there the driver's, not "past the end of
 * the file" nor shmem's.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>

static struct page *chardev_page;

static vm_fault_t chardev_fault(struct vm_fault *vmf)
{
	if (vmf->pgoff)
		return VM_FAULT_SIGBUS;
	get_page(chardev_page);
	vmf->page = chardev_page;
	return 0;
}

static const struct vm_operations_struct chardev_vm_ops = {
	.fault = chardev_fault,
};

static int chardev_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff || vma_pages(vma) != 1 ||
	    (vma->vm_flags & (VM_WRITE | VM_MAYWRITE)))
		return -EINVAL;
	vma->vm_ops = &chardev_vm_ops;
	return 0;
}

static const struct file_operations chardev_fops = {
	.owner = THIS_MODULE,
	.mmap = chardev_mmap,
};

static struct miscdevice chardev_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "vmscope_chardev",
	.fops = &chardev_fops,
	.mode = 0444,
};

static int __init chardev_init(void)
{
	int err;

	chardev_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!chardev_page)
		return -ENOMEM;
	err = misc_register(&chardev_misc);
	if (err)
		__free_page(chardev_page);
	return err;
}

static void __exit chardev_exit(void)
{
	misc_deregister(&chardev_misc);
	/* mappings hold their own references: the page outlives them */
	put_page(chardev_page);
}

module_init(chardev_init);
module_exit(chardev_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmscope test: a character device mapped by its fault handler");

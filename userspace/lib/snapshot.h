/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A snapshot: a document of "vmscope pages --json" (per page or --runs)
 * or "vmscope maps --json" read back into query.h's answers, so that two
 * of them can be compared (diff.h).  The reading is strict: a document
 * that is not what docs/json.md describes is refused with the reason.
 */
#ifndef VMSCOPE_SNAPSHOT_H
#define VMSCOPE_SNAPSHOT_H

#include "json_read.h"
#include "query.h"

enum vs_snap_type {
	VS_SNAP_PAGES,
	VS_SNAP_MAPS,
};

struct vs_snap {
	enum vs_snap_type type;
	u32 pid;
	bool runs;		/* pages --runs */
	/*
	 * Pages: entries in address order, pages in no VMA left out.  An
	 * entry of nr pages has PFN pfn + i and swap offset swap_offset + i
	 * on page i.  A --runs run gives only its first page's PFN and swap
	 * offset, so its other pages are an entry without them (has_pfn
	 * and has_swap false).
	 */
	struct vs_pages pages;
	struct vs_vmas vmas;	/* maps: in address order */
};

/* 0, or -EINVAL with the reason in err; -ENOMEM. */
int vs_snap_load(const struct jv *doc, struct vs_snap *s, char *err,
		 size_t errlen);
void vs_snap_free(struct vs_snap *s);
const char *vs_snap_type_name(enum vs_snap_type type);

#endif /* VMSCOPE_SNAPSHOT_H */

// SPDX-License-Identifier: GPL-2.0
/* vmscope's debugfs files: the layout, and questions to maps and pages. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "vmscope.h"


bool layout_value(const char *name, uint64_t *value)
{
	char *text = read_file(VMSCOPE_DEBUGFS "/layout", NULL);
	char *line, *save = NULL;
	bool found = false;

	if (!text)
		return false;
	for (line = strtok_r(text, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		char key[64], val[64];

		if (line[0] == '#' ||
		    sscanf(line, "%63s %63s", key, val) != 2 ||
		    strcmp(key, name))
			continue;
		found = true;
		if (!strcmp(val, "yes") || !strcmp(val, "no"))
			*value = !strcmp(val, "yes");
		else
			*value = strtoull(val, NULL, 0);
	}
	free(text);
	return found;
}

bool layout_kernel_hidden(void)
{
	char *text = read_file(VMSCOPE_DEBUGFS "/layout", NULL);
	bool hidden;

	if (!text)
		return false;
	hidden = strstr(text, "# kernel addresses hidden") != NULL;
	free(text);
	return hidden;
}

/* ---- asking questions ---------------------------------------------- */

int vms_ask(const char *file, const char *question, size_t chunk,
	    struct vms_answer *a)
{
	size_t size = 0, cap;
	char path[128];
	int fd;

	memset(a, 0, sizeof(*a));
	if (!chunk)
		chunk = 1 << 16;
	cap = 2 * chunk + 1;
	snprintf(path, sizeof(path), VMSCOPE_DEBUGFS "/%s", file);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return a->err = -errno;
	if (question) {
		ssize_t n = write(fd, question, strlen(question));

		if (n < 0 || (size_t)n != strlen(question)) {
			/* A question is one write; a short one is an error. */
			a->err = n < 0 ? -errno : -EMSGSIZE;
			a->write_failed = true;
		}
	}
	a->text = malloc(cap);
	if (!a->text) {
		close(fd);
		return a->err = -ENOMEM;
	}
	for (;;) {
		ssize_t n;

		if (cap - size < chunk + 1) {
			char *bigger = realloc(a->text, cap * 2 + chunk);

			if (!bigger) {
				a->err = a->err ? a->err : -ENOMEM;
				break;
			}
			a->text = bigger;
			cap = cap * 2 + chunk;
		}
		n = read(fd, a->text + size, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			a->err = a->err ? a->err : -errno;
			break;
		}
		if (n == 0)
			break;
		size += n;
	}
	a->text[size] = '\0';
	close(fd);
	return a->err;
}

void vms_answer_free(struct vms_answer *a)
{
	free(a->text);
	a->text = NULL;
}

/* ---- names ----------------------------------------------------------- */

static const char *const kind_names[] = {
	[VMSCOPE_VMA_TEXT] = "text",
	[VMSCOPE_VMA_DATA] = "data",
	[VMSCOPE_VMA_BSS] = "bss",
	[VMSCOPE_VMA_HEAP] = "heap",
	[VMSCOPE_VMA_STACK] = "stack",
	[VMSCOPE_VMA_MMAP_ANON] = "mmap-anon",
	[VMSCOPE_VMA_FILE_PRIVATE] = "file-private",
	[VMSCOPE_VMA_FILE_SHARED] = "file-shared",
	[VMSCOPE_VMA_SHARED_ANON] = "shared-anon",
	[VMSCOPE_VMA_VDSO] = "vdso",
	[VMSCOPE_VMA_GUARD] = "guard",
	[VMSCOPE_VMA_HUGETLB] = "hugetlb",
	[VMSCOPE_VMA_PFNMAP] = "pfnmap",
};

static const char *const vma_flag_names[] = {
	"growsdown", "locked", "hugepage", "nohugepage", "pfnmap", "io",
	"mergeable", "dontcopy", "wipeonfork", "uffd", "softdirty",
	"hugetlb", "mixedmap",
};

static const char *const state_names[] = {
	[VMSCOPE_STATE_NONE] = "none",
	[VMSCOPE_STATE_PRESENT] = "present",
	[VMSCOPE_STATE_SWAP] = "swap",
	[VMSCOPE_STATE_MIGRATION] = "migration",
	[VMSCOPE_STATE_DEVICE] = "device",
	[VMSCOPE_STATE_HWPOISON] = "hwpoison",
	[VMSCOPE_STATE_MARKER] = "marker",
	[VMSCOPE_STATE_PFNMAP] = "pfnmap",
	[VMSCOPE_STATE_UNWALKED] = "unwalked",
	[VMSCOPE_STATE_NO_VMA] = "no-vma",
};

static const char *const level_names[] = {
	[VMSCOPE_LEVEL_NONE] = "-",
	[VMSCOPE_LEVEL_PTE] = "pte",
	[VMSCOPE_LEVEL_PMD] = "pmd",
	[VMSCOPE_LEVEL_PUD] = "pud",
	[VMSCOPE_LEVEL_P4D] = "p4d",
	[VMSCOPE_LEVEL_PGD] = "pgd",
};

/* Bit i is VMSCOPE_PAGE_F_* 1 << i, in docs/debugfs.md's spelling. */
static const char *const page_flag_names[] = {
	"write", "dirty", "young", "nx", "user", "global", "soft_dirty",
	"uffd_wp", "zero", "huge_zero", "anon", "file", "ksm", "thp",
	"exclusive", "cow", "page_cache", "swap_excl", "mmap_excl",
	"mapcount_unknown", "cache_hidden", "mapcount_hidden", "bits_hidden",
	"cont",
};

#define NAMES(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int name_index(const char *const *names, int n, const char *s,
		      size_t len)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i] && strlen(names[i]) == len &&
		    !strncmp(names[i], s, len))
			return i;
	return -1;
}

const char *vms_kind_name(int kind)
{
	return kind >= 0 && kind < NAMES(kind_names) ? kind_names[kind] : "?";
}

const char *vms_state_name(int state)
{
	return state >= 0 && state < NAMES(state_names) ?
	       state_names[state] : "?";
}

const char *vms_level_name(int level)
{
	return level >= 0 && level < NAMES(level_names) ?
	       level_names[level] : "?";
}

const char *vms_flags_str(uint32_t flags, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < NAMES(page_flag_names); i++)
		if (flags & (1U << i))
			used += snprintf(buf + used, used < len ? len - used : 0,
					 "%s%s", used ? "," : "",
					 page_flag_names[i]);
	if (!used)
		snprintf(buf, len, "-");
	return buf;
}

const char *vms_page_str(const struct vms_page *p, char *buf, size_t len)
{
	char flags[256], pfn[40] = "", swap[64] = "";

	if (p->has_pfn)
		snprintf(pfn, sizeof(pfn), " pfn=0x%llx",
			 (unsigned long long)p->pfn);
	if (p->has_swap)
		snprintf(swap, sizeof(swap), " swap_type=%u swap_offset=0x%llx",
			 p->swap_type, (unsigned long long)p->swap_offset);
	snprintf(buf, len, "%llx %s%s%s mapcount=%u order=%u level=%s flags=%s",
		 (unsigned long long)p->addr, vms_state_name(p->state), pfn,
		 swap, p->mapcount, p->order, vms_level_name(p->level),
		 vms_flags_str(p->flags, flags, sizeof(flags)));
	return buf;
}

/* ---- parsing --------------------------------------------------------- */

static void __attribute__((format(printf, 2, 3)))
set_why(char *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, VMS_WHY, fmt, ap);
	va_end(ap);
}

#define FAIL(fmt, ...) do {						\
	set_why(why, fmt, ##__VA_ARGS__);				\
	return -EINVAL;							\
} while (0)

static int parse_u64(const char *s, size_t len, uint64_t *v)
{
	char buf[32], *end;
	int base = 10;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (len > 2 && buf[0] == '0' && buf[1] == 'x')
		base = 16;
	errno = 0;
	*v = strtoull(buf, &end, base);
	return errno || *end || buf[0] == '-' ? -EINVAL : 0;
}

static int parse_range(const char *tok, size_t len, uint64_t *start,
		       uint64_t *end)
{
	char buf[64], *dash, *e1, *e2;

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, tok, len);
	buf[len] = '\0';
	dash = strchr(buf, '-');
	if (!dash || dash == buf || !dash[1])
		return -EINVAL;
	*dash = '\0';
	*start = strtoull(buf, &e1, 16);
	*end = strtoull(dash + 1, &e2, 16);
	return *e1 || *e2 ? -EINVAL : 0;
}

/* Next whitespace-separated token of *p: its start, length in *len. */
static const char *next_tok(const char **p, size_t *len)
{
	const char *s = *p + strspn(*p, " \t");

	*len = strcspn(s, " \t\n");
	*p = s + *len;
	return *len ? s : NULL;
}

/* Split a "key=value" token. */
static bool key_value(const char *tok, size_t len, const char **val,
		      size_t *klen, size_t *vlen)
{
	const char *eq = memchr(tok, '=', len);

	if (!eq)
		return false;
	*klen = eq - tok;
	*val = eq + 1;
	*vlen = len - *klen - 1;
	return true;
}

static bool key_is(const char *k, size_t klen, const char *name)
{
	return strlen(name) == klen && !strncmp(k, name, klen);
}

/* Check every flag of a comma-separated maps flags field. */
static bool vma_flags_known(const char *f, size_t len)
{
	size_t i = 0;

	if (len == 1 && f[0] == '-')
		return true;
	while (i < len) {
		size_t w = strcspn(f + i, ",");

		if (w > len - i)
			w = len - i;
		if (name_index(vma_flag_names, NAMES(vma_flag_names), f + i,
			       w) < 0)
			return false;
		i += w + 1;
	}
	return true;
}

static int parse_page_flags(const char *f, size_t len, uint32_t *flags)
{
	size_t i = 0;

	*flags = 0;
	if (len == 1 && f[0] == '-')
		return 0;
	while (i < len) {
		size_t w = strcspn(f + i, ",");
		int bit;

		if (w > len - i)
			w = len - i;
		bit = name_index(page_flag_names, NAMES(page_flag_names),
				 f + i, w);
		if (bit < 0)
			return -EINVAL;
		*flags |= 1U << bit;
		i += w + 1;
	}
	return 0;
}

/* The "error" text of an answer, if it has one. */
static const char *answer_error(const char *text)
{
	return strstr(text, "# error");
}

static int parse_maps_line(char *line, struct vms_vma *v, char *why)
{
	static const char *const keys[] = {
		"kind", "flags", "none", "present", "swap", "cache", "hidden",
		"zero", "thp", "cow", "excl", "other", "pss_kb",
	};
	uint64_t *counts[] = {
		NULL, NULL, &v->c.none, &v->c.present, &v->c.swap,
		&v->c.cache, &v->c.hidden, &v->c.zero, &v->c.thp, &v->c.cow,
		&v->c.excl, &v->c.other, &v->c.pss_kb,
	};
	unsigned long long start, end, off, ino;
	unsigned int seen = 0;
	const char *p = line, *tok, *val;
	size_t len, klen, vlen, field;
	char *path;

	memset(v, 0, sizeof(*v));
	if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu", &start, &end,
		   v->perms, &off, &v->major, &v->minor, &ino) != 7)
		FAIL("maps: cannot parse the maps fields of '%s'", line);
	v->start = start;
	v->end = end;
	v->offset = off;
	v->inode = ino;
	for (field = 0; field < 5; field++) {
		tok = next_tok(&p, &len);
		if (strlen(v->head) + len + 2 > sizeof(v->head))
			FAIL("maps: line too long: '%s'", line);
		if (field)
			strcat(v->head, " ");
		strncat(v->head, tok, len);
	}
	for (;;) {
		const char *before = p;
		int k;

		tok = next_tok(&p, &len);
		if (!tok || tok[0] == '/' || tok[0] == '[' ||
		    !key_value(tok, len, &val, &klen, &vlen)) {
			p = before;
			break;
		}
		for (k = 0; k < NAMES(keys); k++)
			if (key_is(tok, klen, keys[k]))
				break;
		if (k == NAMES(keys))
			FAIL("maps: unknown key '%.*s' in '%s'", (int)len, tok,
			     line);
		if (seen & (1U << k))
			FAIL("maps: '%s' twice in '%s'", keys[k], line);
		seen |= 1U << k;
		if (k == 0) {
			v->kind = name_index(kind_names, NAMES(kind_names),
					     val, vlen);
			if (v->kind < 0)
				FAIL("maps: unknown kind '%.*s' in '%s'",
				     (int)vlen, val, line);
		} else if (k == 1) {
			if (!vma_flags_known(val, vlen))
				FAIL("maps: unknown flag in '%.*s' in '%s'",
				     (int)vlen, val, line);
			v->flags = val;
		} else if (parse_u64(val, vlen, counts[k])) {
			FAIL("maps: bad number '%.*s' in '%s'", (int)len, tok,
			     line);
		}
	}
	if (seen != (1U << NAMES(keys)) - 1)
		FAIL("maps: missing key=value fields in '%s'", line);
	/* The path follows the separator; then terminate the flags value. */
	path = (char *)p + strspn(p, " \t");
	v->path = path;
	((char *)v->flags)[strcspn(v->flags, " \t")] = '\0';
	return 0;
}

int vms_maps_parse(char *text, struct vms_maps *m, char *why)
{
	char *line, *save = NULL;
	int cap = 0, lineno = 0;

	memset(m, 0, sizeof(*m));
	m->text = text;
	why[0] = '\0';
	if (answer_error(text))
		FAIL("maps answered: %s", answer_error(text));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lineno++) {
		if (line[0] == '#') {
			if (lineno)
				FAIL("maps: '#' line %d is not the header",
				     lineno + 1);
			continue;
		}
		if (!lineno)
			FAIL("maps: no '#' header line");
		if (m->n == cap) {
			struct vms_vma *bigger;

			cap = cap ? cap * 2 : 256;
			bigger = realloc(m->v, cap * sizeof(*m->v));
			if (!bigger)
				FAIL("out of memory");
			m->v = bigger;
		}
		if (parse_maps_line(line, &m->v[m->n], why))
			return -EINVAL;
		m->n++;
	}
	if (!lineno)
		FAIL("maps: empty answer");
	return 0;
}

int vms_maps(pid_t pid, struct vms_maps *m, char *why)
{
	struct vms_answer a;
	char q[32];
	int err;

	snprintf(q, sizeof(q), "%d\n", pid);
	memset(m, 0, sizeof(*m));
	err = vms_ask("maps", pid > 0 ? q : NULL, 0, &a);
	if (err) {
		set_why(why, "maps: asking '%d' failed: %s (%s)", pid,
			 strerror(-err), a.text ? a.text : "");
		vms_answer_free(&a);
		return err;
	}
	err = vms_maps_parse(a.text, m, why);
	if (err)
		vms_maps_free(m);
	return err;
}

void vms_maps_free(struct vms_maps *m)
{
	free(m->v);
	free(m->text);
	memset(m, 0, sizeof(*m));
}

const struct vms_vma *vms_maps_find(const struct vms_maps *m, uint64_t addr)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (m->v[i].start <= addr && addr < m->v[i].end)
			return &m->v[i];
	return NULL;
}

bool vms_vma_has_flag(const struct vms_vma *v, const char *flag)
{
	const char *f = v->flags;
	size_t len = strlen(flag);

	while (f && *f) {
		size_t w = strcspn(f, ",");

		if (w == len && !strncmp(f, flag, len))
			return true;
		f += w + (f[w] == ',');
	}
	return false;
}

static int parse_pages_line(const char *line, size_t linelen,
			    struct vms_run *r, char *why)
{
	enum { K_PAGES, K_PFN, K_SWAP_TYPE, K_SWAP_OFFSET, K_MAPCOUNT,
	       K_ORDER, K_LEVEL, K_FLAGS, K_NR };
	static const char *const keys[K_NR] = {
		"pages", "pfn", "swap_type", "swap_offset", "mapcount",
		"order", "level", "flags",
	};
	const unsigned int required = 1U << K_PAGES | 1U << K_MAPCOUNT |
				      1U << K_ORDER | 1U << K_LEVEL |
				      1U << K_FLAGS;
	struct vms_page *pg = &r->p;
	char copy[512];
	const char *p, *tok, *val;
	size_t len, klen, vlen;
	unsigned int seen = 0;
	uint64_t v;

	if (linelen >= sizeof(copy))
		FAIL("pages: line too long");
	memcpy(copy, line, linelen);
	copy[linelen] = '\0';
	p = copy;
	memset(r, 0, sizeof(*r));
	tok = next_tok(&p, &len);
	if (!tok || parse_range(tok, len, &pg->addr, &r->end))
		FAIL("pages: bad range in '%s'", copy);
	tok = next_tok(&p, &len);
	pg->state = tok ? name_index(state_names, NAMES(state_names), tok,
				     len) : -1;
	if (pg->state < 0)
		FAIL("pages: bad state in '%s'", copy);
	while ((tok = next_tok(&p, &len))) {
		int k;

		if (!key_value(tok, len, &val, &klen, &vlen))
			FAIL("pages: '%.*s' is not key=value in '%s'",
			     (int)len, tok, copy);
		for (k = 0; k < K_NR; k++)
			if (key_is(tok, klen, keys[k]))
				break;
		if (k == K_NR)
			FAIL("pages: unknown key '%.*s' in '%s'", (int)len,
			     tok, copy);
		if (seen & (1U << k))
			FAIL("pages: '%s' twice in '%s'", keys[k], copy);
		seen |= 1U << k;
		if (k == K_LEVEL) {
			pg->level = name_index(level_names, NAMES(level_names),
					       val, vlen);
			if (pg->level < 0)
				FAIL("pages: bad level in '%s'", copy);
			continue;
		}
		if (k == K_FLAGS) {
			if (parse_page_flags(val, vlen, &pg->flags))
				FAIL("pages: unknown flag in '%s'", copy);
			continue;
		}
		if (parse_u64(val, vlen, &v))
			FAIL("pages: bad number '%.*s' in '%s'", (int)len, tok,
			     copy);
		switch (k) {
		case K_PAGES:
			r->nr = v;
			break;
		case K_PFN:
			pg->has_pfn = true;
			pg->pfn = v;
			break;
		case K_SWAP_TYPE:
			pg->has_swap = true;
			pg->swap_type = v;
			break;
		case K_SWAP_OFFSET:
			pg->swap_offset = v;
			break;
		case K_MAPCOUNT:
			pg->mapcount = v;
			break;
		case K_ORDER:
			pg->order = v;
			break;
		}
	}
	if ((seen & required) != required)
		FAIL("pages: missing fields in '%s'", copy);
	if (!(seen & 1U << K_SWAP_TYPE) != !(seen & 1U << K_SWAP_OFFSET))
		FAIL("pages: swap_type without swap_offset in '%s'", copy);
	if (!r->nr || r->end <= pg->addr ||
	    (r->end - pg->addr) / PG != r->nr ||
	    pg->addr % PG || r->end % PG)
		FAIL("pages: range and pages=%llu disagree in '%s'",
		     (unsigned long long)r->nr, copy);
	return 0;
}

int vms_pages_parse(const char *text, uint64_t start, uint64_t end,
		    struct vms_run **runs, char *why)
{
	const char *line = text;
	int n = 0, cap = 0, lineno = 0;
	uint64_t next = start;

	*runs = NULL;
	why[0] = '\0';
	if (answer_error(text))
		FAIL("pages answered: %s", answer_error(text));
	for (; *line; lineno++) {
		size_t len = strcspn(line, "\n");
		struct vms_run *r;

		if (line[0] == '#') {
			if (lineno)
				FAIL("pages: '#' line %d is not the header",
				     lineno + 1);
			goto next;
		}
		if (!lineno)
			FAIL("pages: no '#' header line");
		if (n == cap) {
			struct vms_run *bigger;

			cap = cap ? cap * 2 : 256;
			bigger = realloc(*runs, cap * sizeof(**runs));
			if (!bigger)
				FAIL("out of memory");
			*runs = bigger;
		}
		r = &(*runs)[n];
		if (parse_pages_line(line, len, r, why))
			goto fail;
		if (start < end && r->p.addr != next) {
			set_why(why,
				 "pages: line %d starts at 0x%llx, expected 0x%llx",
				 lineno + 1, (unsigned long long)r->p.addr,
				 (unsigned long long)next);
			goto fail;
		}
		next = r->end;
		n++;
next:
		line += len;
		if (*line == '\n')
			line++;
	}
	if (!lineno) {
		set_why(why, "pages: empty answer");
		goto fail;
	}
	if (start < end && next != end) {
		set_why(why, "pages: answer ends at 0x%llx, not 0x%llx",
			 (unsigned long long)next, (unsigned long long)end);
		goto fail;
	}
	return n;
fail:
	free(*runs);
	*runs = NULL;
	return -EINVAL;
}

int vms_pages_runs(pid_t pid, uint64_t start, uint64_t end,
		   const char *extra, struct vms_run **runs, char *why)
{
	struct vms_answer a;
	char q[128];
	int err;

	if (start || end)
		snprintf(q, sizeof(q), "%d 0x%llx 0x%llx%s%s\n", pid,
			 (unsigned long long)start, (unsigned long long)end,
			 extra ? " " : "", extra ? extra : "");
	else
		snprintf(q, sizeof(q), "%d%s%s\n", pid, extra ? " " : "",
			 extra ? extra : "");
	*runs = NULL;
	err = vms_ask("pages", q, 0, &a);
	if (err) {
		set_why(why, "pages: asking '%.*s' failed: %s (%s)",
			 (int)strcspn(q, "\n"), q, strerror(-err),
			 a.text ? a.text : "");
		vms_answer_free(&a);
		return err;
	}
	err = vms_pages_parse(a.text, start, end, runs, why);
	vms_answer_free(&a);
	return err;
}

int vms_pages(pid_t pid, uint64_t start, size_t n, struct vms_page *out,
	      char *why)
{
	struct vms_run *runs;
	size_t done = 0;
	int nr, i;

	nr = vms_pages_runs(pid, start, start + n * PG, NULL, &runs,
			    why);
	if (nr < 0)
		return nr;
	for (i = 0; i < nr; i++) {
		uint64_t j;

		for (j = 0; j < runs[i].nr && done < n; j++, done++) {
			struct vms_page *pg = &out[done];

			*pg = runs[i].p;
			pg->addr += j * PG;
			if (pg->has_pfn)
				pg->pfn += j;
			if (pg->has_swap)
				pg->swap_offset += j;
		}
	}
	free(runs);
	return 0;
}

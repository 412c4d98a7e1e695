// SPDX-License-Identifier: GPL-2.0
/*
 * The tracer's probes: what runs inside the traced process's page faults.
 * See faults_session.c for the design; the rules here are those of the
 * contexts the probes run in:
 *
 * - exceptions:page_fault_{user,kernel} fire with IRQs disabled, before
 *   the fault is handled;
 * - the kretprobe on handle_mm_fault() runs its entry handler from int3
 *   (an NMI-like context, in_nmi(), on kernels without
 *   KPROBES_ON_FTRACE), its return handler from the kretprobe
 *   trampoline with preemption disabled;
 * - signal:signal_generate fires under the target's siglock.
 *
 * So: no locks, no sleeping, no allocation.  A probe looks its mm up in
 * faults_by_mm (RCU; one hash lookup is all an untraced process pays),
 * reads the page table entry the way GUP-fast does, and writes a fixed
 * size record into each matching session's ring buffer, which is NMI
 * safe and drops (counted) when full.  Pairing, names and delivery
 * happen later in process context (faults_event.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/ring_buffer.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/signal.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "arch.h"
#include "classify.h"
#include "compat.h"
#include "explain.h"
#include "faults.h"

/* Sessions by traced mm; written under faults_probe_mutex. */
static DEFINE_HASHTABLE(faults_by_mm, 8);
static DEFINE_MUTEX(faults_probe_mutex);
static unsigned int faults_probe_users;

/*
 * The thread whose exception record this CPU last failed to write: its
 * handle_mm_fault() record, lost too, is not counted a second time.
 */
static DEFINE_PER_CPU(u32, faults_lost_tid);

static bool faults_in_range(const struct faults_session *s,
			    unsigned long addr)
{
	return addr >= s->start && addr < s->end;
}

/*
 * current's thread ID in @ns, read from its struct pid without a call:
 * task_pid_nr_ns() is an out-of-line, traceable function, and calling
 * it from the kretprobe handler crashed 6.12 (RIP 0 in the fault path).
 * The caller holds rcu_read_lock(), which keeps the struct pid.
 */
static u32 faults_tid_in(struct pid_namespace *ns)
{
	struct pid *pid = READ_ONCE(current->thread_pid);

	if (pid && ns->level <= pid->level &&
	    pid->numbers[ns->level].ns == ns)
		return pid->numbers[ns->level].nr;
	return 0;
}

static struct kretprobe faults_hmm_probe;

/*
 * Records this session lost so far: its ring's drops, and the calls of
 * handle_mm_fault() the kretprobe missed (beyond maxactive, or while a
 * probe ran on this CPU), which no session can tell were its own.  A
 * fault begun before this changed is not known to be whole.
 */
u64 faults_lost(struct faults_session *s)
{
	return atomic64_read(&s->dropped) +
	       READ_ONCE(faults_hmm_probe.nmissed) +
	       READ_ONCE(faults_hmm_probe.kp.nmissed);
}

static void faults_ring_write(struct faults_session *s,
			      struct faults_rec *r)
{
	struct ring_buffer_event *ev;

	r->tid_ns = faults_tid_in(s->pid_ns);
	r->lost = faults_lost(s);

	ev = ring_buffer_lock_reserve(s->ring, sizeof(*r));
	if (!ev) {
		/*
		 * One drop per fault: its later records (handle_mm_fault()'s
		 * entry and return, a signal) are part of the same loss if
		 * this CPU just lost one of this thread's.
		 */
		if (r->kind == FAULTS_REC_EXC ||
		    this_cpu_read(faults_lost_tid) != r->tid)
			atomic64_inc(&s->dropped);
		this_cpu_write(faults_lost_tid, r->tid);
		return;
	}
	memcpy(ring_buffer_event_data(ev), r, sizeof(*r));
	vmscope_ring_commit(s->ring, ev);
	/* a new fault: its losses are new ones */
	if (r->kind == FAULTS_REC_EXC && this_cpu_read(faults_lost_tid) == r->tid)
		this_cpu_write(faults_lost_tid, 0);
}

/*
 * The entry for @addr in @mm, read as GUP-fast reads it: IRQs disabled
 * (a page table cannot be freed under us: x86 frees them after an IPI
 * or an RCU grace period, both held off), each level read once, leaves
 * recognised at the PUD and PMD, the PMD read again after the PTE to
 * see that the table was not replaced meanwhile, each next level found
 * with the pXd_offset_lockless() GUP-fast uses (arm64 folds levels at
 * run time and finds a folded level from the table's own address, never
 * from a copy of the entry).  Never the PTE lock:
 * the fault handler holds it, or will.  What the entry says is the page
 * classifier's (classify.h), as for the walker and explain.
 */
static void faults_read_page(struct mm_struct *mm, unsigned long addr,
			     struct vmscope_classify *c,
			     struct faults_page *fp)
{
	struct vmscope_page *p = &fp->p;
	unsigned long irqflags;
	pgd_t *pgdp, pgd;
	p4d_t *p4dp, p4d;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	pte_t *ptep, pte;

	memset(fp, 0, sizeof(*fp));
	fp->valid = true;
	vmscope_classify_entry(p, addr & PAGE_MASK, VMSCOPE_STATE_NONE,
			       VMSCOPE_LEVEL_NONE);
	p->flags = vmscope_hole_flags(c);
	local_irq_save(irqflags);
	pgdp = pgd_offset(mm, addr);
	pgd = READ_ONCE(*pgdp);
	if (pgd_none(pgd) || pgd_bad(pgd))
		goto out;
	p4dp = p4d_offset_lockless(pgdp, pgd, addr);
	p4d = READ_ONCE(*p4dp);
	if (p4d_none(p4d) || p4d_bad(p4d))
		goto out;
	pudp = pud_offset_lockless(p4dp, p4d, addr);
	pud = READ_ONCE(*pudp);
	if (pud_none(pud))
		goto out;
	if (pud_leaf(pud)) {
		p->level = VMSCOPE_LEVEL_PUD;
		vmscope_classify_pud(c, pud, (addr & ~PUD_MASK) >> PAGE_SHIFT,
				     p);
		goto out;
	}
	if (pud_bad(pud))
		goto out;
	pmdp = pmd_offset_lockless(pudp, pud, addr);
	pmd = pmdp_get_lockless(pmdp);
	if (pmd_none(pmd))
		goto out;
	if (vmscope_pmd_leaf(pmd)) {
		p->level = VMSCOPE_LEVEL_PMD;
		fp->protnone = pmd_present(pmd) && pmd_protnone(pmd);
		vmscope_classify_pmd(c, pmd, (addr & ~PMD_MASK) >> PAGE_SHIFT,
				     p);
		goto out;
	}
	if (pmd_bad(pmd))
		goto out;
	ptep = vmscope_pte_map(pmd, addr);
	pte = ptep_get_lockless(ptep);
	vmscope_pte_unmap(ptep);
	if (pmd_val(pmd) != pmd_val(pmdp_get_lockless(pmdp))) {
		fp->valid = false;	/* the table changed under us */
		goto out;
	}
	p->level = VMSCOPE_LEVEL_PTE;
	fp->protnone = pte_present(pte) && pte_protnone(pte);
	vmscope_classify_pte(c, pte, p);
out:
	local_irq_restore(irqflags);
}

static void faults_rec_init(struct faults_rec *r, enum faults_rec_kind kind,
			    unsigned long addr)
{
	memset(r, 0, sizeof(*r));
	r->time = ktime_get_mono_fast_ns();
	r->kind = kind;
	r->tid = current->pid;
	r->addr = addr;
}

/* The user instruction: where it faulted, or where it entered the kernel. */
static unsigned long faults_user_ip(struct pt_regs *regs)
{
	if (regs && user_mode(regs))
		return instruction_pointer(regs);
	return instruction_pointer(task_pt_regs(current));
}

static void faults_exception(unsigned long address, struct pt_regs *regs,
			     unsigned long error_code)
{
	struct mm_struct *mm = current->mm;
	struct faults_session *s;
	struct faults_rec r;
	bool ready = false;

	if (!mm)
		return;
	rcu_read_lock();
	hash_for_each_possible_rcu(faults_by_mm, s, by_mm, (unsigned long)mm) {
		if (s->mm != mm || !faults_in_range(s, address))
			continue;
		if (!ready) {
			faults_rec_init(&r, FAULTS_REC_EXC, address);
			r.a = error_code;
			r.ip = faults_user_ip(regs);
			/*
			 * faulthandler_disabled(), but for in_atomic():
			 * a tracepoint's probe runs with preemption off.
			 */
			r.nofault = pagefault_disabled() || !in_task();
			ready = true;
		}
		faults_ring_write(s, &r);
	}
	rcu_read_unlock();
}

static void faults_probe_user(void *data, unsigned long address,
			      struct pt_regs *regs, unsigned long error_code)
{
	faults_exception(address, regs, error_code);
}

static void faults_probe_kernel(void *data, unsigned long address,
				struct pt_regs *regs, unsigned long error_code)
{
	faults_exception(address, regs, error_code);
}

/* Only signals a fault generates: SIGSEGV and SIGBUS with a fault code. */
static void faults_probe_signal(void *data, int sig,
				struct kernel_siginfo *info,
				struct task_struct *task, int group, int result)
{
	struct faults_session *s;
	struct mm_struct *mm;
	unsigned long addr;
	struct faults_rec r;
	bool ready = false;

	if ((sig != SIGSEGV && sig != SIGBUS) || task != current ||
	    info == SEND_SIG_NOINFO || info == SEND_SIG_PRIV ||
	    info->si_code <= 0)
		return;
	mm = current->mm;
	if (!mm)
		return;
	addr = (unsigned long)info->si_addr;
	rcu_read_lock();
	hash_for_each_possible_rcu(faults_by_mm, s, by_mm, (unsigned long)mm) {
		if (s->mm != mm || !faults_in_range(s, addr))
			continue;
		if (!ready) {
			faults_rec_init(&r, FAULTS_REC_SIG, addr);
			r.a = info->si_code;
			r.b = sig;
			ready = true;
		}
		faults_ring_write(s, &r);
	}
	rcu_read_unlock();
}

/*
 * What the entry handler leaves the return handler: the VMA may be gone
 * by then, so the facts the classifier needs of it are copied.
 */
struct faults_hmm_data {
	struct mm_struct *mm;
	unsigned long addr;
	unsigned long vm_flags;
	bool anon;
};

/* 0: nobody traces @addr of @mm; 1: someone does; 2: with check-explain */
static int faults_mm_traced(struct mm_struct *mm, unsigned long addr)
{
	struct faults_session *s;
	int found = 0;

	rcu_read_lock();
	hash_for_each_possible_rcu(faults_by_mm, s, by_mm, (unsigned long)mm)
		if (s->mm == mm && faults_in_range(s, addr))
			found = max(found, s->check_explain ? 2 : 1);
	rcu_read_unlock();
	return found;
}

/* Is the file page at @addr in the page cache?  xa_load() is RCU only. */
static bool faults_cached(struct vm_area_struct *vma, unsigned long addr)
{
	void *entry = xa_load(&vma->vm_file->f_mapping->i_pages,
			      linear_page_index(vma, addr));

	return entry && !xa_is_value(entry);
}

/*
 * check-explain: explain's classifier (explain.c), on what the probe
 * saw at handle_mm_fault()'s entry, where the VMA is stable.  The page
 * facts explain reads under the PTE lock are approximated from racy
 * reads (faults_describe_page()): whether a write would copy an anonymous
 * page that is not exclusive, by faults_reusable() (faults_set_cow()).  A wrong
 * guess is what check-explain is for: it shows as F_MISPREDICTED.
 */
static void faults_predict(struct vm_area_struct *vma, unsigned long addr,
			   u32 fault_flags, struct faults_rec *r)
{
	struct vmscope_page p = r->page.p;
	struct vma_facts f;
	int access = VMSCOPE_READ;

	if (fault_flags & FAULT_FLAG_INSTRUCTION)
		access = VMSCOPE_EXEC;
	else if (fault_flags & FAULT_FLAG_WRITE)
		access = VMSCOPE_WRITE;
	vmscope_read_vma_facts(vma, addr, &f);
	if (p.state == VMSCOPE_STATE_NONE && vma->vm_file &&
	    faults_cached(vma, addr))
		p.flags |= VMSCOPE_PAGE_F_PAGE_CACHE;
	r->predicted = vmscope_explain_inside(&p, &f, access);
	r->has_predicted = 1;
}

static void faults_hmm_write(struct mm_struct *mm, struct faults_rec *r)
{
	struct faults_session *s;

	rcu_read_lock();
	hash_for_each_possible_rcu(faults_by_mm, s, by_mm, (unsigned long)mm)
		if (s->mm == mm && faults_in_range(s, r->addr))
			faults_ring_write(s, r);
	rcu_read_unlock();
}

/*
 * handle_mm_fault(vma, address, flags, regs), entered: the VMA is stable
 * (the caller holds the mmap lock or the VMA's lock) until it returns,
 * and so is its mm.  The mm may be another process's: GUP on it
 * (process_vm_writev(), /proc/PID/mem, ptrace) faults pages into it on
 * that process's behalf, a remote fault of the traced one.
 */
static int faults_hmm_entry(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	struct vm_area_struct *vma =
		(struct vm_area_struct *)regs_get_kernel_argument(regs, 0);
	unsigned long addr = regs_get_kernel_argument(regs, 1);
	struct faults_hmm_data *d = (void *)ri->data;
	struct mm_struct *mm = vma->vm_mm;
	struct vmscope_classify c;
	struct faults_rec r;
	int traced;

	if (!mm)
		return 1;	/* no return handler for this call */
	traced = faults_mm_traced(mm, addr);
	if (!traced)
		return 1;
	faults_rec_init(&r, FAULTS_REC_ENTER, addr);
	r.a = regs_get_kernel_argument(regs, 2);
	r.vm_flags = vma->vm_flags;
	r.anon_vma = !vma->vm_file;
	r.file = (unsigned long)vma->vm_file;
	/* handle_mm_fault()'s regs: the exception's, NULL from GUP */
	r.from_exc = !!regs_get_kernel_argument(regs, 3);
	r.remote = mm != current->mm;
	/* an IP in another mm names nothing in this one */
	r.ip = r.remote ? 0 : faults_user_ip(NULL);
	d->mm = mm;
	d->addr = addr;
	d->vm_flags = vma->vm_flags;
	d->anon = vma_is_anonymous(vma);
	vmscope_classify_init(&c, d->vm_flags, d->anon, false, true);
	faults_read_page(mm, addr, &c, &r.page);
	if (traced == 2)
		faults_predict(vma, addr, r.a, &r);
	faults_hmm_write(mm, &r);
	return 0;
}

/*
 * handle_mm_fault() returned: the VMA may be gone, the mm is not (its
 * caller still holds it: current's, or a GUP caller's reference).
 */
static int faults_hmm_return(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct faults_hmm_data *d = (void *)ri->data;
	struct vmscope_classify c;
	struct faults_rec r;

	faults_rec_init(&r, FAULTS_REC_EXIT, d->addr);
	r.a = (u32)regs_return_value(regs);
	vmscope_classify_init(&c, d->vm_flags, d->anon, false, true);
	faults_read_page(d->mm, d->addr, &c, &r.page);
	faults_hmm_write(d->mm, &r);
	return 0;
}

/*
 * handle_mm_fault() sleeps (I/O, locks): every thread of every process
 * may be inside it at once.  Calls beyond maxactive are missed (counted
 * by the kprobe core, rp.nmissed), not delayed.
 */
static struct kretprobe faults_hmm_probe = {
	.kp.symbol_name = "handle_mm_fault",
	.entry_handler = faults_hmm_entry,
	.handler = faults_hmm_return,
	.data_size = sizeof(struct faults_hmm_data),
	.maxactive = 512,
};

struct faults_tp {
	const char *name;
	void *probe;
	bool exception;		/* only if VMSCOPE_ARCH_PF_TRACEPOINTS */
	struct tracepoint *tp;
};

static struct faults_tp faults_tps[] = {
	{ "page_fault_user", faults_probe_user, true },
	{ "page_fault_kernel", faults_probe_kernel, true },
	{ "signal_generate", faults_probe_signal },
};

static void faults_find_tp(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(faults_tps); i++)
		if (!strcmp(tp->name, faults_tps[i].name))
			faults_tps[i].tp = tp;
}

static void faults_unregister_tps(unsigned int n)
{
	while (n--)
		if (faults_tps[n].tp)
			tracepoint_probe_unregister(faults_tps[n].tp,
						    faults_tps[n].probe, NULL);
}

static int faults_register(void)
{
	unsigned int i;
	int ret;

	for_each_kernel_tracepoint(faults_find_tp, NULL);
	for (i = 0; i < ARRAY_SIZE(faults_tps); i++) {
		if (faults_tps[i].exception && !VMSCOPE_ARCH_PF_TRACEPOINTS)
			continue;
		if (!faults_tps[i].tp) {
			pr_warn("tracepoint %s not found\n", faults_tps[i].name);
			faults_unregister_tps(i);
			return -EOPNOTSUPP;
		}
		ret = tracepoint_probe_register(faults_tps[i].tp,
						faults_tps[i].probe, NULL);
		if (ret) {
			faults_unregister_tps(i);
			return ret;
		}
	}
	/* register_kretprobe() writes into the struct: start clean */
	memset(&faults_hmm_probe.kp, 0, sizeof(faults_hmm_probe.kp));
	faults_hmm_probe.kp.symbol_name = "handle_mm_fault";
	faults_hmm_probe.nmissed = 0;
	ret = register_kretprobe(&faults_hmm_probe);
	if (ret) {
		pr_warn("kretprobe on handle_mm_fault: %d\n", ret);
		faults_unregister_tps(ARRAY_SIZE(faults_tps));
		tracepoint_synchronize_unregister();
	}
	return ret;
}

/*
 * The probes exist only while traces run, and a little after: the first
 * trace registers them; when the last ends they stay for
 * FAULTS_PROBE_LINGER, so that traces started one after another (a
 * script, a test suite) do not patch handle_mm_fault()'s entry and the
 * tracepoints' static keys in and out each time.  Every patch is a
 * cross-modifying code sequence on all CPUs (text_poke_bp()); doing one
 * per trace costs every CPU an IPI.  (A guest under QEMU 7.2's
 * multi-threaded TCG can crash on any such patch, tracing or not: an
 * emulator bug, see scripts/vm-accel.)  Meanwhile an untraced process
 * pays the probe's lookup only.  Module exit unregisters at once.
 */
#define FAULTS_PROBE_LINGER	(10 * HZ)

static bool faults_probes_registered;

static void faults_unregister(void)
{
	unregister_kretprobe(&faults_hmm_probe);
	faults_unregister_tps(ARRAY_SIZE(faults_tps));
	/* no probe is still running when this returns */
	tracepoint_synchronize_unregister();
	faults_probes_registered = false;
}

static void faults_linger_end(struct work_struct *work)
{
	mutex_lock(&faults_probe_mutex);
	if (!faults_probe_users && faults_probes_registered)
		faults_unregister();
	mutex_unlock(&faults_probe_mutex);
}

static DECLARE_DELAYED_WORK(faults_linger, faults_linger_end);

int faults_probes_get(void)
{
	int ret = 0;

	mutex_lock(&faults_probe_mutex);
	if (!faults_probes_registered) {
		ret = faults_register();
		faults_probes_registered = !ret;
	}
	if (!ret)
		faults_probe_users++;
	mutex_unlock(&faults_probe_mutex);
	return ret;
}

void faults_probes_put(void)
{
	mutex_lock(&faults_probe_mutex);
	if (!--faults_probe_users)
		mod_delayed_work(system_wq, &faults_linger, FAULTS_PROBE_LINGER);
	mutex_unlock(&faults_probe_mutex);
}

/*
 * handle_mm_fault() calls the kretprobe could not watch (no free
 * instance): machine-wide, whoever faulted, counted by the kprobe core.
 */
unsigned long faults_probes_missed(void)
{
	return READ_ONCE(faults_hmm_probe.nmissed);
}

/* Module exit: no trace runs (each holds the module). */
void faults_probes_exit(void)
{
	cancel_delayed_work_sync(&faults_linger);
	mutex_lock(&faults_probe_mutex);
	if (faults_probes_registered)
		faults_unregister();
	mutex_unlock(&faults_probe_mutex);
}

void faults_session_publish(struct faults_session *s)
{
	mutex_lock(&faults_probe_mutex);
	hash_add_rcu(faults_by_mm, &s->by_mm, (unsigned long)s->mm);
	mutex_unlock(&faults_probe_mutex);
}

/* Afterwards no probe writes to the session's ring any more. */
void faults_session_unpublish(struct faults_session *s)
{
	mutex_lock(&faults_probe_mutex);
	hash_del_rcu(&s->by_mm);
	mutex_unlock(&faults_probe_mutex);
	synchronize_rcu();
}

// SPDX-License-Identifier: GPL-2.0
/* ring_buffer_unlock_commit(buffer): 6.1 also took the event. */
#include <linux/ring_buffer.h>

static int __maybe_unused probe(struct trace_buffer *b)
{
	return ring_buffer_unlock_commit(b);
}

// SPDX-License-Identifier: GPL-2.0
/* The whole content of a file descriptor: see slurp.h. */
#include <stdlib.h>
#include <unistd.h>

#include "slurp.h"

char *slurp_fd(int fd)
{
	off_t size = lseek(fd, 0, SEEK_END);
	char *buf;

	if (size < 0)
		return NULL;
	buf = malloc(size + 1);
	if (!buf)
		return NULL;
	if (pread(fd, buf, size, 0) != size) {
		free(buf);
		return NULL;
	}
	buf[size] = '\0';
	return buf;
}

// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvmscope: what vmscope and vmscope-lab share, and all they use of
 * each other.  The transport (nl.h: a generic netlink socket to the
 * module), the requests and their answers as plain data (query.h), a JSON
 * writer with the JSON of those answers (json_write.h), the strict reader
 * of that JSON (json_read.h), snapshots read back from it and compared
 * (snapshot.h, diff.h) and the words and numbers for people (format.h).
 * Built as libvmscope.a; the tests compile json_read.c too.
 */
#ifndef VMSCOPE_LIBVMSCOPE_H
#define VMSCOPE_LIBVMSCOPE_H

#include "query.h"
#include "nl.h"
#include "json_write.h"
#include "json_read.h"
#include "format.h"
#include "snapshot.h"
#include "diff.h"
#include "faults.h"

#endif /* VMSCOPE_LIBVMSCOPE_H */

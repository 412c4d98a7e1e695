# SPDX-License-Identifier: GPL-2.0
#
# vmscope: kernel module (module/), client (userspace/), tests (tests/).
#
#   make                  module for KDIR and the client
#   make kernels          fetch the pinned kernels (scripts/kernels.conf)
#   make modules-all      module for every pinned kernel (build/VER/)
#   make check            the test suite: every kernel (debug first), host tests
#   make check-full       every kernel in each of its paging modes, trixie's fresh
#                         root, vmscope-dkms installed into a clean root (deb.sh)
#   make tests-ARCH       tests and client for another architecture's guests
#                         (i386, arm64), built in its Debian root
#   make demo             guided tour in a guest (DEMO=6.12-arm64: on another
#                         kernel, of any architecture)
#   make lint             checkpatch --strict, sparse and W=1 on both kernels
#   make stress           long forms of the reliability tests (scripts/stress)
#   make bench            vmscope vs pagemap/smaps/maps, ratios per guest
#   make profile          where the benchmark's kernel time goes (perf)
#   make install          module, vmscope, vmscope-lab, manual pages, bash
#                         completion (DESTDIR, PREFIX as usual)
#   make uninstall        remove them again
#   make deb              Debian packages vmscope-dkms and vmscope, and the
#                         source package, in build/deb/ (scripts/deb);
#                         ARCH=arm64 or i386 builds them for that architecture
#   make clean            build products; keeps build/cache/ (kernels, chroots)
#   make distclean        everything, downloads too

SHELL := /bin/bash
TOP := $(CURDIR)
# Physical and free of spaces even where the checkout's path has one
# (scripts/builddir); never empty ("make clean" removes what is in it).
BUILD := $(or $(shell scripts/builddir),$(TOP)/build)
# Kbuild cannot take a space in M=: such a checkout builds the module from
# a mirror of its sources in build/src/ (scripts/kbuild-tree).
ifeq ($(words $(TOP)),1)
MSRC := $(TOP)
else
MSRC := $(BUILD)/src
endif

KDIR ?= $(shell scripts/kernels default-kdir 2>/dev/null)
KERNELS ?= $(shell scripts/kernels all 2>/dev/null)
# The releases, read when make starts: where a pin moved (the archive no
# longer has it), the build that stands in for it is known only once
# "scripts/kernels fetch" has looked, so the rules that need every kernel
# fetch first and then run make again (modules-all).
KVERS := $(foreach k,$(KERNELS),$(shell scripts/kernels resolve $(k)))
# The other architectures among them (scripts/kernels arch): their guests
# run tests and a client built for them (make tests-ARCH).
HOST_ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
FOREIGN_ARCHES := $(filter-out $(HOST_ARCH),$(sort $(foreach v,$(KVERS),\
	$(shell scripts/kernels arch $(v)))))

# Kernel files we need come from Debian's linux-source tarball (6.1 on
# bookworm, 6.12 on trixie), extracted into build/ and never committed.
KSRC_TAR := $(firstword $(wildcard /usr/src/linux-source-6.1.tar.xz \
	/usr/src/linux-source-6.12.tar.xz))
KSRC_DIR := $(basename $(basename $(notdir $(KSRC_TAR))))
KTOOLS := $(BUILD)/ksrc
KTOOLS_FILES := tools/testing/selftests/kselftest_harness.h \
	tools/testing/selftests/kselftest.h \
	scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch

# The client is built only once userspace/ exists, so that the module
# can be built (and DKMS can work) without it.
CLIENT := $(if $(wildcard userspace/Makefile),client)

.PHONY: all module client kernels modules-all modules-fetched tests tests-all check check-run check-full \
	check-full-run demo demo-run \
	lint lint-run bench bench-run profile profile-run setup clean distclean install \
	uninstall deb deb-run \
	FORCE

all: module $(CLIENT)

module:
	@[ -n "$(KDIR)" ] || { echo "no kernel headers: run scripts/setup" >&2; exit 1; }
	$(if $(filter $(BUILD)/%,$(MSRC)),@scripts/kbuild-tree $(MSRC))
	$(MAKE) -C $(KDIR) M=$(MSRC) modules

client:
	$(MAKE) -C userspace

kernels:
	@scripts/kernels fetch $(KVERS)

modules-all:
	@scripts/kernels fetch $(KVERS)
	@$(MAKE) --no-print-directory modules-fetched

modules-fetched: $(foreach v,$(KVERS),$(BUILD)/$(v)/module/vmscope.ko \
	$(BUILD)/$(v)/kmod/vmscope_squat.ko)

# Each kernel's module is built with that kernel's compiler (scripts/kmake),
# once the kernel is there (fetched on first use).
$(BUILD)/%/module/vmscope.ko: FORCE
	@scripts/kernels fetch --exact $*
	@scripts/kbuild-tree $(BUILD)/$*
	@echo "  MODULE  $* (series $$(scripts/kernels series $*))"
	@scripts/kmake $* --no-print-directory M=$(BUILD)/$* modules

# The tests' own modules (tests/kmod/), for the same kernels.
$(BUILD)/%/kmod/vmscope_squat.ko: FORCE
	@scripts/kernels fetch --exact $*
	@mkdir -p $(BUILD)/$*/kmod
	@ln -sfn "$(TOP)"/tests/kmod/Kbuild "$(TOP)"/tests/kmod/*.c \
		$(BUILD)/$*/kmod/
	@echo "  KMOD    $* $(notdir $(basename $(wildcard tests/kmod/*.c)))"
	@scripts/kmake $* --no-print-directory M=$(BUILD)/$*/kmod modules

$(KTOOLS)/.stamp:
	@mkdir -p $(KTOOLS)
	tar -xJf $(KSRC_TAR) -C $(KTOOLS) --strip-components=1 \
		$(addprefix $(KSRC_DIR)/,$(KTOOLS_FILES))
	@touch $@

# The tests drive the client too.
tests: $(KTOOLS)/.stamp $(CLIENT)
	$(MAKE) -C tests KSELFTEST=$(KTOOLS)/tools/testing/selftests

# Another architecture's: build/tests-ARCH/ and build/client-ARCH/,
# compiled in that architecture's Debian root (scripts/build-userland).
tests-%: $(KTOOLS)/.stamp FORCE
	@scripts/build-userland $* $(KTOOLS)/tools/testing/selftests

# The tests of every architecture the guests run.
tests-all: tests $(addprefix tests-,$(FOREIGN_ARCHES))

setup:
	@scripts/setup

# The entry points people type run setup first, then re-enter make so
# that the kernel list is read after the packages are installed.
check: setup
	@$(MAKE) --no-print-directory check-run KERNELS="$$(scripts/check --kernels)"

check-run: modules-all tests-all
	@scripts/check

# Every kernel in both paging modes, fresh roots of bookworm and trixie.
check-full: setup
	@$(MAKE) --no-print-directory check-full-run \
		KERNELS="$$(scripts/check --full --kernels)"

check-full-run: modules-all tests-all
	@scripts/check --full

demo: setup
	@$(MAKE) --no-print-directory demo-run

# The tour boots one kernel (scripts/kernels demo, or DEMO): only its
# module, for the release fetched, and the client of its architecture.
DEMO ?= $(shell scripts/kernels demo)
demo-run: tests
	@scripts/kernels fetch $(DEMO)
	@rel=$$(scripts/kernels resolve $(DEMO)) && \
	arch=$$(scripts/kernels arch $$rel) && \
	$(MAKE) --no-print-directory $(BUILD)/$$rel/module/vmscope.ko \
		$$([ "$$arch" = "$(HOST_ARCH)" ] || echo tests-$$arch)
	@scripts/demo --kernel $(DEMO)

.PHONY: stress stress-run
stress: setup
	@$(MAKE) --no-print-directory stress-run

stress-run: modules-all tests
	@scripts/stress

lint: setup
	@$(MAKE) --no-print-directory lint-run

bench: setup
	@$(MAKE) --no-print-directory bench-run

bench-run: modules-all tests
	@scripts/bench

profile: setup
	@$(MAKE) --no-print-directory profile-run

profile-run: modules-all tests
	@scripts/profile

lint-run: $(KTOOLS)/.stamp
	@scripts/lint $(KVERS)

# The module goes to $(DESTDIR)/lib/modules/RELEASE/updates/module/ (the
# kernel's modules_install knows INSTALL_MOD_PATH, not DESTDIR: without
# this a staged install wrote into the running system).  depmod only for
# a real install; the kernel's own step skips it without a System.map,
# which header packages lack.
KREL = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
MODDIR = $(DESTDIR)/lib/modules/$(KREL)/updates/module

install: module $(CLIENT)
	$(MAKE) -C $(KDIR) M=$(MSRC) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=updates modules_install
	$(if $(DESTDIR),,depmod -a $(KREL))
	$(if $(CLIENT),$(MAKE) -C userspace install)

uninstall:
	@[ -n "$(KREL)" ] || { echo "no kernel headers: run scripts/setup" >&2; exit 1; }
	rm -f $(MODDIR)/vmscope.ko $(MODDIR)/vmscope.ko.*
	-rmdir $(MODDIR) $(DESTDIR)/lib/modules/$(KREL)/updates 2>/dev/null
	$(if $(DESTDIR),,depmod -a $(KREL))
	$(if $(CLIENT),$(MAKE) -C userspace uninstall)

# From a copy of the tracked files, with dpkg-buildpackage and debian/.
deb: setup
	@$(MAKE) --no-print-directory deb-run

# ARCH=arm64 (or i386): for another architecture, built in its root.
deb-run:
	@scripts/deb $(if $(ARCH),--arch $(ARCH)) $(BUILD)/deb

clean:
	-[ -z "$(KDIR)" ] || $(MAKE) -C $(KDIR) M=$(MSRC) clean
	-$(MAKE) -C tests clean
	$(if $(CLIENT),-$(MAKE) -C userspace clean)
	rm -rf $(filter-out $(BUILD)/cache,$(wildcard $(BUILD)/*))

# The fetched kernels and chroots too (the next "make check" downloads
# them again).
distclean: clean
	rm -rf $(BUILD)

FORCE:

# simsieve - one non-recursive Makefile.
#
#   make              build build/simsieve and the tools
#   make check        unit tests, fuzz-corpus replay, end-to-end tests
#   make bench        throughput and memory, each beside its reference
#   make fuzz         libFuzzer targets (clang), FUZZ_SECONDS each
#   make demo         replay the bundled sample scenario
#   make pgo          profile-guided build in build-pgo/ (tools/pgo.sh)
#   make install      PREFIX=/usr/local DESTDIR=
#   SANITIZE=1        build with ASan + UBSan     WERROR=1   -Werror     V=1 verbose
#
# Source files are found by wildcard: a new src/*/*.c, tests/unit/check_*.c,
# tests/fuzz/fuzz_*.c or tools/*.c joins the build without editing this file.

PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
CC ?= cc
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60

PKGS := lmdb libsodium libpcap libhs libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -llmdb -lsodium -lpcap -lhs -lcurl)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lm -lpthread)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla \
	-Wno-format-nonliteral
OPT ?= -O2 -g
CFLAGS_ALL := -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -Isrc $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL := $(LDFLAGS)
LIBS := $(PKG_LIBS) -lm -lpthread

ifeq ($(SANITIZE),1)
CFLAGS_ALL += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS_ALL += -fsanitize=address,undefined
endif
ifeq ($(WERROR),1)
CFLAGS_ALL += -Werror
endif
# Profile-guided builds (make pgo, tools/pgo.sh): gen counts, use compiles with the counts.
ifeq ($(PGO),gen)
CFLAGS_ALL += -fprofile-generate -fprofile-update=prefer-atomic
LDFLAGS_ALL += -fprofile-generate
endif
ifeq ($(PGO),use)
CFLAGS_ALL += -fprofile-use -fprofile-partial-training -Wno-missing-profile
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

LIB_SRCS := $(filter-out src/main.c,$(sort $(wildcard src/*.c src/*/*.c)))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/src/main.o
LIB := $(BUILD)/libsimsieve.a
BIN := $(BUILD)/simsieve

TOOL_SRCS := $(sort $(wildcard tools/*.c))
TOOLS := $(TOOL_SRCS:tools/%.c=$(BUILD)/tools/%)

UNIT_SRCS := $(sort $(wildcard tests/unit/check_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)
FUZZ_REPLAY_BINS := $(FUZZ_NAMES:%=$(BUILD)/tests/replay_fuzz_%)
FUZZ_BINS := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)

E2E_TESTS := $(sort $(wildcard tests/e2e/test_*.sh))

ALL_OBJS := $(LIB_OBJS) $(MAIN_OBJ)

.PHONY: all check check-fast test-binaries unit fuzz-replay e2e bench fuzz demo install clean layering pgo FORCE
all: $(BIN) $(TOOLS)

# Changing flags must rebuild everything: the stamp's content is the flags.
# FORCE is phony: under .SECONDARY a missing plain FORCE counts as an
# intermediate file and would never make the stamp's recipe run.
FLAGS_STAMP := $(BUILD)/flags.stamp
FLAGS_NOW := $(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL)
$(FLAGS_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(FLAGS_NOW)' | cmp -s - $@ || echo '$(FLAGS_NOW)' > $@
FORCE:

# Keep objects make considers intermediate (tool and test objects).
.SECONDARY:

$(BUILD)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

$(BUILD)/tools/%: $(BUILD)/obj/tools/%.o $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

$(BUILD)/obj/tests/unit/%.o: tests/unit/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/check_%: $(BUILD)/obj/tests/unit/check_%.o $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(CHECK_LIBS) $(LIBS)

# Fuzz targets built as plain programs that replay their saved corpus
# (tests/fuzz/corpus/<name>/), so gcc-only CI runs every saved input.
$(BUILD)/tests/replay_fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(BUILD)/obj/tests/fuzz/replay_main.o $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

# libFuzzer builds: their own object tree, always with ASan + UBSan.
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -O1 -g -Isrc $(PKG_CFLAGS) \
	-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/fuzzobj/%.o)
$(BUILD)/fuzzobj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzzobj/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZLD  $@")
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LIBS)

fuzz: $(FUZZ_BINS)
	@set -e; for n in $(FUZZ_NAMES); do \
		mkdir -p $(BUILD)/fuzz/work-$$n; \
		echo "  FUZZ    $$n for $(FUZZ_SECONDS)s"; \
		$(BUILD)/fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
			-artifact_prefix=$(BUILD)/fuzz/crash-$$n- \
			$(BUILD)/fuzz/work-$$n tests/fuzz/corpus/$$n >$(BUILD)/fuzz/$$n.log 2>&1 \
			|| { tail -40 $(BUILD)/fuzz/$$n.log; exit 1; }; \
		tail -1 $(BUILD)/fuzz/$$n.log; \
	done

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "  TEST    $$t"; CK_FORK=yes $$t; done

fuzz-replay: $(FUZZ_REPLAY_BINS)
	@set -e; for n in $(FUZZ_NAMES); do \
		echo "  REPLAY  fuzz corpus $$n"; \
		$(BUILD)/tests/replay_fuzz_$$n tests/fuzz/corpus/$$n; \
	done

e2e: $(BIN) $(TOOLS)
	@set -e; for t in $(E2E_TESTS); do echo "  E2E     $$t"; BUILD=$(BUILD) bash $$t; done

layering:
	@bash tests/check_layering.sh

# Everything the test run needs, built with the current flags.
test-binaries: $(BIN) $(TOOLS) $(UNIT_BINS) $(FUZZ_REPLAY_BINS)

# make check: the whole suite CI runs - layering, unit tests, saved fuzz
# corpora, end-to-end tests; then unit tests and corpora again under
# ASan/UBSan; then a bounded libFuzzer run of every target (when clang is
# there).  make check-fast: the first part only.
CHECK_FUZZ_SECONDS ?= 20
check: test-binaries
	@$(MAKE) --no-print-directory SANITIZE=1 BUILD=$(BUILD)-asan test-binaries
	@BUILD=$(BUILD) ASAN_BUILD=$(BUILD)-asan FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS) \
		bash tests/run_all.sh full

check-fast: test-binaries
	@BUILD=$(BUILD) bash tests/run_all.sh fast

# The profile-guided build is measured beside this one (bench.sh section 1).
bench: all
	@MAKE="$(MAKE)" bash tools/pgo.sh
	@BUILD=$(BUILD) bash tools/bench.sh

# A profile-guided build in build-pgo/ (tools/pgo.sh); install it with
# make install BUILD=build-pgo PGO=use.
pgo:
	@MAKE="$(MAKE)" bash tools/pgo.sh

demo: all
	@BUILD=$(BUILD) bash tools/demo.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/simsieve/signatures \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/doc/simsieve
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/simsieve
	install -m 644 docs/simsieve.1 $(DESTDIR)$(PREFIX)/share/man/man1/simsieve.1
	cp -R signatures/. $(DESTDIR)$(PREFIX)/share/simsieve/signatures/
	install -m 644 docs/simsieve.conf.example $(DESTDIR)$(PREFIX)/share/doc/simsieve/

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# glocal — the two commands a newcomer needs are `make run` and `make test`.
BUILD    ?= build
JOBS     ?= 2
TYPE     ?= Release
GLOCAL   := $(BUILD)/glocal
CMAKE_FLAGS ?=

.PHONY: all deps configure build run study study-real test validate bench bench-culture docs calibrate calibrate-history clean format sanitize tsan tidy fuzz check-asserts

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(TYPE) $(CMAKE_FLAGS)

configure: $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j$(JOBS)

# Install what is missing, build, run the real world 1960-2010 (145 nations from the Maddison data,
# demography along the data, absorptive growth, incomes at PPP and exchange rates), print a summary.
run: deps
	@$(MAKE) --no-print-directory build
	$(GLOCAL) run scenarios/world/real-1960-2010.toml --out runs/real-1960-2010-$$(date +%Y%m%d-%H%M%S)

# Refit the real world's free parameters to its 1960-2000 targets (about 20 minutes on 2 cores).
calibrate: build
	$(GLOCAL) calibrate scenarios/world/real-1960-2010.toml --targets scenarios/calibration/real-1960-2000.toml \
	  --out runs/calibrate-real-$$(date +%Y%m%d-%H%M%S)

# The three-roads study: the three regimes with 10 replicates each, a report with figures.
study: deps
	@$(MAKE) --no-print-directory build
	$(GLOCAL) study three-roads --replicates 10 --out runs/three-roads-$$(date +%Y%m%d-%H%M%S)

# The three roads as futures of the real world, 2000-2050 (studies/three-roads-real.toml): 8 runs
# per road, its sensitivity check and 20 points of the calibration's confidence set.
study-real: deps
	@$(MAKE) --no-print-directory build
	$(GLOCAL) study studies/three-roads-real.toml --out runs/three-roads-real-$$(date +%Y%m%d-%H%M%S)

# Install what is missing, build, run the fast test tier (unit, determinism, CLI, fast validation),
# then the static checks of .clang-tidy (about 3 minutes).
test: deps
	@$(MAKE) --no-print-directory build
	ctest --test-dir $(BUILD) -L fast -j$(JOBS) --output-on-failure
	ctest --test-dir $(BUILD) -L tidy --output-on-failure

# The long validation tier (published results at full run counts, larger lattices).
validate: deps
	@$(MAKE) --no-print-directory build
	ctest --test-dir $(BUILD) -L long -j$(JOBS) --output-on-failure

# Google Benchmark programs (see bench/README.md).
bench: deps
	@$(MAKE) --no-print-directory build
	$(BUILD)/bench/glocal_bench --benchmark_out=$(BUILD)/bench/results.json --benchmark_out_format=json
	@echo "JSON: $(BUILD)/bench/results.json"

# The culture figures of issue 3 only (events/s and the random-access ceiling at N = 2,500 to
# 10^8, threads, time to absorption): about 10 minutes, 3.5 GB at the 10^8 cases.
bench-culture: deps
	@$(MAKE) --no-print-directory build
	$(BUILD)/bench/glocal_bench --benchmark_filter='Culture|RandomGather|TimeToAbsorption' \
	  --benchmark_out=$(BUILD)/bench/culture.json --benchmark_out_format=json
	@echo "JSON: $(BUILD)/bench/culture.json"

# Refit scenarios/world/history-1960-2000.toml to its targets (a few minutes; see scripts/history.py).
calibrate-history: build
	GLOCAL=$(GLOCAL) /usr/bin/python3 scripts/history.py calibrate --evaluations 100

# Regenerate the scenario reference from the declared parameters.
docs: build
	$(GLOCAL) describe --markdown > docs/reference/scenario.md

clean:
	rm -rf $(BUILD)

# Lay out every C++ source as .clang-format says (the fast tests check it).
format:
	@scripts/check-format.sh --fix

# The fast tests with AddressSanitizer and UndefinedBehaviorSanitizer (their own build folder;
# without MPI, whose library's allocations at exit LeakSanitizer would report, and without the
# Python module, which would need the sanitizer runtime preloaded into Python).
SANITIZE_BUILD ?= build-sanitize
sanitize: deps
	cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGLOCAL_SANITIZE=address,undefined \
	  -DGLOCAL_ASSERTIONS=ON -DGLOCAL_MPI=OFF -DGLOCAL_BUILD_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_BUILD) -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(SANITIZE_BUILD) -L fast -j$(JOBS) --output-on-failure

# The threaded paths under ThreadSanitizer: clang with LLVM's OpenMP runtime, whose Archer tool
# (OMP_TOOL_LIBRARIES) tells TSan about OpenMP's barriers and tasks; the fast tests that start
# threads (OpenMP teams, the batch runner's threads, Ctrl-C, the dashboard's server and runs), in their
# own build folder.
TSAN_BUILD ?= build-tsan
TSAN_TESTS ?= CultureParallel|Determinism|RunIdentity|BlockScheme|CultureRule|DashboardTest
tsan:
	@scripts/install-deps.sh clang libclang-rt-14-dev libomp-14-dev
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGLOCAL_SANITIZE=thread \
	  -DGLOCAL_MPI=OFF -DGLOCAL_BUILD_BENCH=OFF -DGLOCAL_WERROR=OFF $(CMAKE_FLAGS)
	cmake --build $(TSAN_BUILD) -j$(JOBS)
	OMP_TOOL_LIBRARIES=$$(ls /usr/lib/llvm-14/lib/libarcher.so) TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ignore_noninstrumented_modules=1" \
	  ctest --test-dir $(TSAN_BUILD) -L fast -R '$(TSAN_TESTS)' -j$(JOBS) --output-on-failure

# The static checks of .clang-tidy on src/ and apps/ (scripts/check-tidy.sh; about 3 minutes).
tidy: build
	scripts/check-tidy.sh $(BUILD)

# The scenario loader under libFuzzer (clang), ASan and UBSan, for FUZZ_SECONDS (default 120),
# starting from the shipped scenarios; crashes are written to fuzz/crashes/.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 120
fuzz:
	@scripts/install-deps.sh clang libclang-rt-14-dev
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGLOCAL_FUZZ=ON \
	  -DGLOCAL_SANITIZE=address,undefined -DGLOCAL_MPI=OFF -DGLOCAL_BUILD_TESTS=OFF -DGLOCAL_BUILD_BENCH=OFF -DGLOCAL_WERROR=OFF
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target scenario_fuzz
	mkdir -p $(FUZZ_BUILD)/corpus fuzz/crashes
	$(FUZZ_BUILD)/fuzz/scenario_fuzz -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=fuzz/crashes/ $(FUZZ_BUILD)/corpus fuzz/corpus

# The fast tests on an optimised build that keeps GLOCAL_ASSERT (the kernels' preconditions).
ASSERT_BUILD ?= build-assert
check-asserts: deps
	cmake -S . -B $(ASSERT_BUILD) -DCMAKE_BUILD_TYPE=Release -DGLOCAL_ASSERTIONS=ON -DGLOCAL_BUILD_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(ASSERT_BUILD) -j$(JOBS)
	ctest --test-dir $(ASSERT_BUILD) -L fast -j$(JOBS) --output-on-failure

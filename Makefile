# tensor-parity: the two commands that matter are `make demo` and `make test` (see README.md).
MVN       ?= mvn -B -q
JAVA      ?= java
JAR       := harness/target/parity.jar
FIXJAR    := fixtures/target/parity-fixtures.jar
DEMO_DIR  := fixtures/target/dasiamrpn
REPORTS   := reports
# The launcher's class-data archive (docs/performance.md, "What holds the time down"), trained on the tracker's suite of small pairs.
ARCHIVE   := harness/target/parity.jsa
TRAINING  := fixtures/target/class-data-training
# The bundled DaSiamRPN pairs at full size (width 1.0): the onnx-tf pairs run as the suite
# fixtures/dasiamrpn.suite.yaml (template -> detection chain), the onnx2tf pairs one by one, and one
# broken conversion (the classic .view() of r1_kernel done on NHWC data) that the demo expects to fail.
SUITE       := fixtures/dasiamrpn.suite.yaml
DEMO_PAIRS  := template-127-onnx2tf detection-271-onnx2tf
DEMO_BROKEN := detection-271-onnx2tf-kernel-view-nhwc

.PHONY: build archive demo test bench fuzz clean

build: ## Build the fat jar harness/target/parity.jar, the fixture generator and the launcher's class-data archive.
	$(MVN) -DskipTests package
	@$(MAKE) --no-print-directory archive

archive: ## Train the launcher's class-data archive for the jar just built (see docs/performance.md).
	@rm -f $(ARCHIVE)
	@$(JAVA) -jar $(FIXJAR) --out $(TRAINING) --width 0.125 --only template-127-onnxtf,detection-271-onnxtf > /dev/null
	@PARITY_CLASS_DATA_DUMP=$(abspath $(ARCHIVE)).tmp ./parity suite fixtures/class-data-training.suite.yaml \
	  --report-dir $(TRAINING)/reports --junit $(TRAINING)/reports/junit.xml > /dev/null
	@if [ -f $(ARCHIVE).tmp ]; then mv $(ARCHIVE).tmp $(ARCHIVE); \
	  else echo "note: this JVM wrote no class-data archive; ./parity starts without one"; fi

demo: build ## Generate the full-size DaSiamRPN pairs and verify them; reports go to reports/.
	$(JAVA) -jar $(FIXJAR) --out $(DEMO_DIR) --width 1.0 \
	  --only $(subst $(space),$(comma),template-127-onnxtf detection-271-onnxtf $(DEMO_PAIRS) $(DEMO_BROKEN))
	@echo; echo "== $(SUITE): template-127 -> detection-271, the tracker's chain (expect PASS)"
	./parity suite $(SUITE) --report-dir $(REPORTS)
	@set -e; for pair in $(DEMO_PAIRS); do \
	  echo; echo "== $$pair (correct conversion: expect PASS)"; \
	  ./parity verify --onnx $(DEMO_DIR)/$$pair.onnx --tflite $(DEMO_DIR)/$$pair.tflite --report-dir $(REPORTS); \
	done
	@echo; echo "== $(DEMO_BROKEN) (broken conversion: expect FAIL, exit code 1)"
	@./parity verify --onnx $(DEMO_DIR)/$(DEMO_BROKEN).onnx --tflite $(DEMO_DIR)/$(DEMO_BROKEN).tflite \
	  --report-dir $(REPORTS); code=$$?; if [ $$code -ne 1 ]; then echo "expected exit code 1, got $$code"; exit 1; fi
	@echo; echo "demo done: the suite and $(words $(DEMO_PAIRS)) more correct pairs passed, the broken one was caught; reports in $(REPORTS)/"

test: ## Run every test (unit, runtime, CLI) against real runtimes and generated fixtures, then the JUnit 5 example.
	mvn -B install
	mvn -B -f examples/junit5-gate/pom.xml verify

FUZZ_SEED  ?= 1
FUZZ_CASES ?= 2000
FUZZ_PAIRS := fixtures/target/fuzz-pairs

fuzz: build ## Run the fuzz campaign (FUZZ_CASES cases of seed FUZZ_SEED) on small bundled pairs; see README, "Reliability".
	$(JAVA) -jar $(FIXJAR) --out $(FUZZ_PAIRS) --width 0.125 --only template-127-onnx2tf,detection-271-onnxtf
	$(JAVA) -cp harness/target/test-classes:$(JAR) org.tensorparity.fuzz.FuzzCampaign \
	  --seed $(FUZZ_SEED) --cases $(FUZZ_CASES) --pairs $(FUZZ_PAIRS) --work harness/target/fuzz

bench: ## Print side-by-side speed ratios (see docs/performance.md).
	$(MVN) -DskipTests install
	@# After install, which rewrites the jar: an archive trained before it would be refused.
	@$(MAKE) --no-print-directory archive
	$(MVN) -pl harness exec:exec

clean:
	mvn -B -q clean

empty :=
space := $(empty) $(empty)
comma := ,

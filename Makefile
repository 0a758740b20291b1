# tensor-parity: the two commands that matter are `make demo` and `make test` (see README.md).
MVN       ?= mvn -B -q
JAVA      ?= java
JAR       := harness/target/parity.jar
FIXJAR    := fixtures/target/parity-fixtures.jar
DEMO_DIR  := fixtures/target/dasiamrpn
REPORTS   := reports
# The bundled DaSiamRPN pairs verified by the demo, at full size (width 1.0).
DEMO_PAIRS := template-127-onnxtf detection-271-onnxtf template-127-onnx2tf detection-271-onnx2tf

.PHONY: build demo test bench clean

build: ## Build the fat jar harness/target/parity.jar and the fixture generator.
	$(MVN) -DskipTests package

demo: build ## Generate the full-size DaSiamRPN pairs and verify them; reports go to reports/.
	$(JAVA) -jar $(FIXJAR) --out $(DEMO_DIR) --width 1.0 --only $(subst $(space),$(comma),$(DEMO_PAIRS))
	@set -e; for pair in $(DEMO_PAIRS); do \
	  echo; echo "== $$pair"; \
	  ./parity verify --onnx $(DEMO_DIR)/$$pair.onnx --tflite $(DEMO_DIR)/$$pair.tflite --report-dir $(REPORTS); \
	done

test: ## Run every test (unit, runtime, CLI) against real runtimes and generated fixtures.
	mvn -B verify

bench: build ## Print side-by-side speed ratios (see README, "Benchmarks").
	$(MVN) -DskipTests install
	$(MVN) -pl harness exec:exec

clean:
	mvn -B -q clean

empty :=
space := $(empty) $(empty)
comma := ,

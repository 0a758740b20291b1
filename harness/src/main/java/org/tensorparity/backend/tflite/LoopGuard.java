package org.tensorparity.backend.tflite;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.RegistrationNodePair;
import org.bytedeco.tensorflowlite.Subgraph;
import org.bytedeco.tensorflowlite.TfLiteNode;

/**
 * Stops a run in which a {@code WHILE} runs more iterations than allowed: TFLite runs a {@code WHILE} whose condition
 * never fails until it ends or memory does, and has no cap of its own.
 *
 * <p>The model is left as it is. Every subgraph calls a cancellation check before each operator it runs (TFLite's
 * {@code Subgraph::SetCancellationFunction}), each subgraph with its own index as the check's data. An iteration of a
 * {@code WHILE} is one run of its body subgraph, so the checks its body makes, divided by the operators in the body's
 * plan, count its iterations; once that count passes the bound the check cancels the run, and the caller names the
 * loop. A check from the subgraph holding a {@code WHILE} means that {@code WHILE} is not running (its subgraph has
 * moved on to another operator), so it starts the loop's count again: a loop nested in a body or an {@code IF}
 * branch is counted per run of it, not over the outer loop's iterations. A body without operators is counted by its
 * condition subgraph's runs instead (one more than the iterations); a loop with neither has no check to count and is
 * not bounded.
 *
 * <p>Only a model with a {@code WHILE} gets the checks: each costs a call from native code into Java per operator run.
 * On the precise-lite GRU (29 iterations of its body) a run went from 0.43 to 0.53 ms with XNNPACK and from 0.46 to
 * 0.65 ms with the builtin kernels (1,000 runs each after 200 to warm up, on the 2-core dev machine).
 */
final class LoopGuard implements AutoCloseable {
    /**
     * One {@code WHILE}.
     *
     * @param holder the subgraph it is an operator of
     * @param cond its condition subgraph
     * @param body its body subgraph
     * @param label how the user finds it, e.g. {@code WHILE 'sequential/net/while'} (with its subgraph when nested)
     */
    private record Loop(int holder, int cond, int body, String label) {
    }

    private final Interpreter interpreter;
    private final List<Loop> loops;
    private final int max;
    private final int[] counted;
    private final long[] checks;
    private final long[] limits;
    private final long[] bodyPlans;
    private final IterationInputs iterations;
    private final Check check;
    private volatile Loop tripped;

    private LoopGuard(Interpreter interpreter, List<Loop> loops, int max, IterationInputs iterations) {
        this.interpreter = interpreter;
        this.loops = loops;
        this.max = max;
        this.iterations = iterations;
        this.counted = new int[loops.size()];
        this.checks = new long[loops.size()];
        this.limits = new long[loops.size()];
        this.bodyPlans = new long[loops.size()];
        this.check = new Check();
        for (int s = 0; s < interpreter.subgraphs_size(); s++) {
            long data = s + 1L;
            // Never read, only handed back: the check's data tells which subgraph is running.
            interpreter.subgraph(s).SetCancellationFunction(new Pointer() {
                {
                    address = data;
                }
            }, check);
        }
    }

    /**
     * The guard of {@code interpreter}'s {@code WHILE} loops, in every subgraph; null when it has none.
     *
     * @param mainNames the main graph's tensor names, which name its loops
     * @param max the most iterations a loop may run
     * @param iterations where each body's inputs are copied as an iteration starts; or null
     */
    static LoopGuard install(Interpreter interpreter, TensorNames mainNames, int max, IterationInputs iterations) {
        List<Loop> loops = new ArrayList<>();
        int subgraphs = (int) interpreter.subgraphs_size();
        for (int s = 0; s < subgraphs; s++) {
            Subgraph subgraph = interpreter.subgraph(s);
            for (int n : LoopBodies.plan(subgraph)) {
                RegistrationNodePair pair = subgraph.node_and_registration(n);
                TfLiteNode node = pair.first();
                if (pair.second().builtin_code() != BuiltinOpNames.WHILE || node.builtin_data() == null
                        || node.builtin_data().isNull()) {
                    continue;
                }
                // TfLiteWhileParams: cond_subgraph_index, body_subgraph_index.
                IntPointer params = new IntPointer(node.builtin_data());
                int cond = params.get(0);
                int body = params.get(1);
                if (cond <= 0 || cond >= subgraphs || body <= 0 || body >= subgraphs) {
                    continue;
                }
                int[] outputs = TensorCopier.dims(node.outputs());
                String name = outputs.length == 0 || outputs[0] < 0 ? "#" + n
                        : s == 0 ? mainNames.of(node.outputs()).get(0) : TensorNames.nameOf(subgraph.tensor(outputs[0]));
                loops.add(new Loop(s, cond, body, "WHILE '" + name + "'" + (s == 0 ? "" : " in subgraph " + s)));
            }
        }
        return loops.isEmpty() ? null : new LoopGuard(interpreter, loops, max, iterations);
    }

    /** Readies the counts for a run; the plans are read now, as delegates have rewritten them by the first run. */
    void reset() {
        tripped = null;
        if (iterations != null) {
            iterations.clear();
        }
        for (int k = 0; k < loops.size(); k++) {
            Loop loop = loops.get(k);
            long bodyPlan = planSize(loop.body());
            long condPlan = planSize(loop.cond());
            checks[k] = 0;
            bodyPlans[k] = bodyPlan;
            if (bodyPlan > 0) {
                counted[k] = loop.body();
                limits[k] = max * bodyPlan;
            } else if (condPlan > 0) {
                counted[k] = loop.cond();
                limits[k] = (max + 1L) * condPlan;
            } else {
                counted[k] = -1;
            }
        }
    }

    /** After a run that failed: the loop that ran past the bound and was stopped, or null when none was. */
    String runaway() {
        Loop loop = tripped;
        return loop == null ? null : loop.label() + " runs more than " + max + (max == 1 ? " iteration" : " iterations")
                + " (--max-iterations " + max + ")";
    }

    private long planSize(int subgraph) {
        return TensorCopier.ints(interpreter.subgraph(subgraph).execution_plan()).length;
    }

    /** Called by TFLite before each operator of subgraph {@code s} runs; true stops the run. */
    private boolean onOperator(int s) {
        for (int k = 0; k < counted.length; k++) {
            if (loops.get(k).holder() == s) {
                checks[k] = 0;
            }
            if (counted[k] != s) {
                continue;
            }
            if (iterations != null && s == loops.get(k).body() && checks[k] % bodyPlans[k] == 0) {
                iterations.iterationStarts(s);
            }
            if (++checks[k] > limits[k]) {
                tripped = loops.get(k);
                return true;
            }
        }
        return false;
    }

    /** Frees the check's native thunk; call it once the interpreter that calls it is gone. */
    @Override
    public void close() {
        check.close();
    }

    private final class Check extends Subgraph.Check_cancelled_func_Pointer {
        @Override
        public boolean call(Pointer data) {
            return onOperator((int) data.address() - 1);
        }
    }
}

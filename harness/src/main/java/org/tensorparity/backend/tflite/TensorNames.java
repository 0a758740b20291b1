package org.tensorparity.backend.tflite;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOptionalTensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.TfLiteIntArray;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * The keys by which the main subgraph's tensors are known: their names in the file, an unnamed tensor
 * called {@code tensor_<index>}, and a name used twice suffixed {@code #<index>} on its later uses, so
 * that names are unique.
 */
final class TensorNames {
    private final String[] names;

    private TensorNames(String[] names) {
        this.names = names;
    }

    /** The names of the interpreter's first {@code count} tensors. */
    static TensorNames read(Interpreter interpreter, int count) {
        return new TensorNames(unique(count, i -> nameOf(interpreter.tensor(i))));
    }

    /** A tensor's name as the interpreter holds it; empty when it has none. */
    static String nameOf(TfLiteTensor tensor) {
        BytePointer raw = tensor.name();
        return raw == null || raw.isNull() ? "" : raw.getString();
    }

    /**
     * The names of tensors {@code 0..count-1}, as {@code name} gives them (null or empty for an unnamed one), made
     * unique as the class comment says: the interpreter's main graph, a loop body's subgraph and a file's own
     * flatbuffer are all named the same way.
     */
    static String[] unique(int count, IntFunction<String> name) {
        String[] names = new String[count];
        Set<String> used = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String n = name.apply(i);
            if (n == null || n.isEmpty()) {
                n = "tensor_" + i;
            }
            if (!used.add(n)) {
                n = n + "#" + i;
                used.add(n);
            }
            names[i] = n;
        }
        return names;
    }

    /** How many tensors are named: the file's own, not the scratch tensors the interpreter adds. */
    int count() {
        return names.length;
    }

    /** Whether tensor {@code index} is one of the named ones. */
    boolean covers(int index) {
        return index >= 0 && index < names.length;
    }

    /** The name of tensor {@code index}, which must be {@linkplain #covers covered}. */
    String get(int index) {
        return names[index];
    }

    /** The names of the tensors a node lists, leaving out absent optional inputs. */
    List<String> of(TfLiteIntArray indices) {
        List<String> out = new ArrayList<>();
        for (int t : TensorCopier.dims(indices)) {
            if (t == kTfLiteOptionalTensor) {
                continue;
            }
            out.add(covers(t) ? names[t] : "tensor_" + t);
        }
        return out;
    }
}

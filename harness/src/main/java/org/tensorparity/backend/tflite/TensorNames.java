package org.tensorparity.backend.tflite;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOptionalTensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.TfLiteIntArray;

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
        String[] names = new String[count];
        Set<String> used = new HashSet<>();
        for (int i = 0; i < count; i++) {
            BytePointer raw = interpreter.tensor(i).name();
            String name = raw == null || raw.isNull() ? "" : raw.getString();
            if (name.isEmpty()) {
                name = "tensor_" + i;
            }
            if (!used.add(name)) {
                name = name + "#" + i;
                used.add(name);
            }
            names[i] = name;
        }
        return new TensorNames(names);
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

package org.tensorparity.backend.tflite;

import com.google.flatbuffers.Table;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The operators of a {@code .tflite} file's main subgraph, read field by field: the opcode index, the inputs and
 * the outputs of each. The schema's generated {@code Operator} class reads the same, but loading it makes the
 * bytecode verifier load the 125 builtin-options classes its unpacking code names: 50-60 ms of every TFLite load
 * on the 2-core CI machine, on the path to the first inference, for three fields.
 *
 * <p>The fields are found through their vtable slots, {@code 4 + 2 * field id}, the ids of the TFLite schema
 * ({@code Model.subgraphs} 2, {@code SubGraph.operators} 3, {@code Operator.opcode_index} 0, {@code inputs} 1,
 * {@code outputs} 2); flatbuffers never renumbers a field. Read only after the verifier accepted the bytes.
 * One reader is positioned on one operator at a time ({@link #select}).
 */
final class OperatorReader extends Table {
    private static final int MODEL_SUBGRAPHS = 8;
    private static final int SUBGRAPH_OPERATORS = 10;
    private static final int OPCODE_INDEX = 4;
    private static final int INPUTS = 6;
    private static final int OUTPUTS = 8;

    private final ByteBuffer bytes;
    /** Where the main subgraph's operator vector starts, and its length (0 when there is none). */
    private final int operators;
    private final int count;

    /** A reader over {@code file}'s main subgraph; no operator is selected yet. */
    OperatorReader(ByteBuffer file) {
        bytes = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int root = bytes.getInt(bytes.position()) + bytes.position();
        int subgraph = tableAt(root, MODEL_SUBGRAPHS, 0);
        if (subgraph < 0) {
            operators = 0;
            count = 0;
            return;
        }
        __reset(subgraph, bytes);
        int slot = __offset(SUBGRAPH_OPERATORS);
        operators = slot == 0 ? 0 : __vector(slot);
        count = slot == 0 ? 0 : __vector_len(slot);
    }

    /** How many operators the main subgraph has. */
    int count() {
        return count;
    }

    /** Positions the reader on operator {@code index} of the main subgraph. */
    OperatorReader select(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("operator " + index + " of " + count);
        }
        __reset(__indirect(operators + index * 4), bytes);
        return this;
    }

    long opcodeIndex() {
        int slot = __offset(OPCODE_INDEX);
        return slot == 0 ? 0 : Integer.toUnsignedLong(bb.getInt(slot + bb_pos));
    }

    int inputsLength() {
        return length(INPUTS);
    }

    int inputs(int k) {
        return element(INPUTS, k);
    }

    int outputsLength() {
        return length(OUTPUTS);
    }

    int outputs(int k) {
        return element(OUTPUTS, k);
    }

    private int length(int field) {
        int slot = __offset(field);
        return slot == 0 ? 0 : __vector_len(slot);
    }

    private int element(int field, int k) {
        int slot = __offset(field);
        return slot == 0 ? 0 : bb.getInt(__vector(slot) + k * 4);
    }

    /**
     * The table at {@code index} of the table vector in field slot {@code field} of the table at {@code table}, or
     * -1 when the vector is absent or shorter.
     */
    private int tableAt(int table, int field, int index) {
        __reset(table, bytes);
        int slot = __offset(field);
        if (slot == 0 || index >= __vector_len(slot)) {
            return -1;
        }
        return __indirect(__vector(slot) + index * 4);
    }
}

package org.tensorparity.backend.tflite;

import com.google.flatbuffers.FlatBufferBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.lite.schema.Buffer;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.CallOnceOptionsT;
import org.tensorflow.lite.schema.IfOptionsT;
import org.tensorflow.lite.schema.Metadata;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SignatureDef;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.WhileOptionsT;
import org.tensorparity.BadInputException;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.NativeStack;
import org.tensorparity.model.ModelFile;
import org.tensorparity.text.TerminalText;

/**
 * Which signature of a TFLite file is verified. A file converted from a SavedModel with several functions holds one
 * subgraph per signature ({@code encode} and {@code decode}, or {@code serving_default} and an initialiser), each
 * signature naming its subgraph and mapping its own input and output names to that subgraph's tensors; the
 * interpreter runs subgraph 0. The chosen signature's subgraph is made subgraph 0 of an in-memory rewrite of the file
 * (the two subgraphs swap places, and every IF, WHILE and CALL_ONCE index and signature follows them), with the
 * signature's tensors renamed to the signature's names and in its order, so that everything downstream (runs,
 * captures, cuts, constants) reads the chosen function as the model's main graph.
 */
public final class TfliteSignatures {
    /** The key TF converters give a model's only or default function. */
    public static final String DEFAULT_KEY = "serving_default";
    /** Constant data is aligned to 16 bytes, as converters write it (the TFLite kernels read it in place). */
    private static final int DATA_ALIGNMENT = 16;
    private static final int TABLE_ROOM = 1 << 16;

    private TfliteSignatures() {
    }

    /**
     * The file to verify for {@code requested}: the file itself when no signature is asked for and it has at most one
     * (subgraph 0 runs, as without signatures), otherwise the rewrite described above. Without {@code requested}, a
     * file with several signatures verifies {@code serving_default} if it has one.
     *
     * @param requested the signature key given with {@code --signature}, or null
     * @throws BadInputException when {@code requested} is not a signature of the file, or no signature is requested
     *     of a file with several and none is {@code serving_default}: the message lists the file's signatures
     * @throws ModelFailureException when the file holds operators the rewrite cannot carry
     */
    public static ModelFile select(ModelFile file, String requested) throws BadInputException, ModelFailureException {
        int count;
        try {
            count = Model.getRootAsModel(file.bytes()).signatureDefsLength();
        } catch (RuntimeException e) {
            // Not a readable flatbuffer: the runtime, which verifies it first, says why when it loads it.
            count = 0;
        }
        if (requested == null && count <= 1) {
            return file;
        }
        // From here the signatures decide what runs: they are trusted only once TFLite's verifier accepted the file
        // (a damaged file must fail as a model that cannot be loaded, not list garbage as signatures).
        verify(file);
        Model model = Model.getRootAsModel(file.bytes());
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < model.signatureDefsLength(); i++) {
            keys.add(model.signatureDefs(i).signatureKey());
        }
        // The keys come from the file: listed in one-line messages, they must not carry control characters.
        List<String> listed = keys.stream().map(k -> TerminalText.printable(String.valueOf(k))).toList();
        String key = requested;
        if (key == null) {
            if (!keys.contains(DEFAULT_KEY)) {
                throw new BadInputException("TFLite model " + file.ref().path() + " has " + keys.size()
                        + " signatures (" + String.join(", ", listed) + "): choose one with --signature NAME");
            }
            key = DEFAULT_KEY;
        }
        int chosen = keys.indexOf(key);
        if (chosen < 0) {
            throw new BadInputException("TFLite model " + file.ref().path() + " has no signature '"
                    + TerminalText.printable(key) + "'; "
                    + (keys.isEmpty() ? "it has no signatures (its main graph runs without --signature)"
                            : "its signatures are: " + String.join(", ", listed)));
        }
        SignatureDef signature = model.signatureDefs(chosen);
        int subgraph = (int) signature.subgraphIndex();
        if (subgraph < 0 || subgraph >= model.subgraphsLength()) {
            throw new ModelFailureException("TFLite model " + file.ref().path() + ": signature '" + key + "' names subgraph "
                    + subgraph + ", but the file has " + model.subgraphsLength());
        }
        requireKnownOperators(file, model, key);
        byte[] rewritten;
        try {
            rewritten = rewrite(model, signature.unpack(), subgraph);
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            // The verifier checks that tables lie inside the file, not that the indices stored in them exist.
            throw new ModelFailureException("TFLite model " + file.ref().path() + ": signature '" + key + "' cannot be"
                    + " selected: its tables refer to data outside the file (a damaged flatbuffer)", e);
        }
        // Native memory, as ModelFile keeps every model: the runtimes read it in place.
        return file.rewritten(ByteBuffer.allocateDirect(rewritten.length).put(rewritten).flip());
    }

    private static void verify(ModelFile file) throws ModelFailureException {
        NativeStack.call("tflite-verify", () -> {
            try (NativeHandles handles = new NativeHandles()) {
                TfLiteNatives.load();
                handles.verify(file);
            }
            return null;
        });
    }

    /** Subgraph {@code chosen} and subgraph 0 swapped. */
    private static int moved(int index, int chosen) {
        return index == chosen ? 0 : index == 0 ? chosen : index;
    }

    private static byte[] rewrite(Model model, SignatureDefT signature, int chosen) {
        int count = model.subgraphsLength();
        SubGraphT[] graphs = new SubGraphT[count];
        for (int s = 0; s < count; s++) {
            graphs[moved(s, chosen)] = cleaned(model.subgraphs(s).unpack(), chosen);
        }
        SubGraphT main = graphs[0];
        main.setInputs(bind(main, signature.getInputs()));
        main.setOutputs(bind(main, signature.getOutputs()));

        long dataBytes = 0;
        for (int b = 0; b < model.buffersLength(); b++) {
            dataBytes += model.buffers(b).dataLength() + DATA_ALIGNMENT;
        }
        // The data, and room for the tables to start with (the builder grows when they need more).
        FlatBufferBuilder fbb = new FlatBufferBuilder((int) Math.min(Integer.MAX_VALUE - 8, dataBytes + TABLE_ROOM));
        // Large data first, aligned as converters align it; buffers keep their indices, so tensors and metadata do too.
        int[] buffers = new int[model.buffersLength()];
        for (int b = 0; b < buffers.length; b++) {
            Buffer buffer = model.buffers(b);
            ByteBuffer data = buffer.dataLength() == 0 ? null : buffer.dataAsByteBuffer();
            if (data == null) {
                Buffer.startBuffer(fbb);
                buffers[b] = Buffer.endBuffer(fbb);
            } else {
                fbb.createUnintializedVector(1, data.remaining(), DATA_ALIGNMENT).put(data.duplicate());
                buffers[b] = Buffer.createBuffer(fbb, fbb.endVector());
            }
        }
        int[] subgraphs = new int[count];
        for (int s = 0; s < count; s++) {
            subgraphs[s] = SubGraph.pack(fbb, graphs[s]);
        }
        int[] codes = new int[model.operatorCodesLength()];
        for (int c = 0; c < codes.length; c++) {
            codes[c] = OperatorCode.pack(fbb, model.operatorCodes(c).unpack());
        }
        int[] signatures = new int[model.signatureDefsLength()];
        for (int i = 0; i < signatures.length; i++) {
            SignatureDefT s = model.signatureDefs(i).unpack();
            s.setSubgraphIndex(moved((int) s.getSubgraphIndex(), chosen));
            signatures[i] = SignatureDef.pack(fbb, s);
        }
        int[] metadata = new int[model.metadataLength()];
        for (int i = 0; i < metadata.length; i++) {
            metadata[i] = Metadata.pack(fbb, model.metadata(i).unpack());
        }
        int[] metadataBuffers = new int[model.metadataBufferLength()];
        for (int i = 0; i < metadataBuffers.length; i++) {
            metadataBuffers[i] = model.metadataBuffer(i);
        }
        int root = Model.createModel(fbb, model.version(), Model.createOperatorCodesVector(fbb, codes),
                Model.createSubgraphsVector(fbb, subgraphs),
                model.description() == null ? 0 : fbb.createString(model.description()),
                Model.createBuffersVector(fbb, buffers),
                metadataBuffers.length == 0 ? 0 : Model.createMetadataBufferVector(fbb, metadataBuffers),
                metadata.length == 0 ? 0 : Model.createMetadataVector(fbb, metadata),
                Model.createSignatureDefsVector(fbb, signatures));
        Model.finishModelBuffer(fbb, root);
        return fbb.sizedByteArray();
    }

    /**
     * The signature's tensors, in its order, renamed to the signature's names (a name another tensor of the subgraph
     * already carries stays as it was).
     */
    private static int[] bind(SubGraphT graph, TensorMapT[] maps) {
        TensorT[] tensors = graph.getTensors();
        Set<String> taken = new HashSet<>();
        for (TensorT t : tensors) {
            taken.add(t.getName());
        }
        int[] indices = new int[maps.length];
        for (int i = 0; i < maps.length; i++) {
            int index = (int) maps[i].getTensorIndex();
            indices[i] = index;
            String name = maps[i].getName();
            if (index >= 0 && index < tensors.length && name != null && !name.isEmpty() && taken.add(name)) {
                tensors[index].setName(name);
            }
        }
        return indices;
    }

    /**
     * A subgraph with its control-flow operators' subgraph indices following the swap, and the object API's
     * zero-length vectors that must be absent (custom options and the like: packed empty, they break the model).
     */
    private static SubGraphT cleaned(SubGraphT graph, int chosen) {
        for (TensorT t : graph.getTensors()) {
            if (t.getShapeSignature() != null && t.getShapeSignature().length == 0) {
                t.setShapeSignature(null);
            }
            if (t.getVariantTensors() != null && t.getVariantTensors().length == 0) {
                t.setVariantTensors(null);
            }
        }
        for (OperatorT op : graph.getOperators()) {
            if (op.getCustomOptions() != null && op.getCustomOptions().length == 0) {
                op.setCustomOptions(null);
            }
            if (op.getMutatingVariableInputs() != null && op.getMutatingVariableInputs().length == 0) {
                op.setMutatingVariableInputs(null);
            }
            if (op.getIntermediates() != null && op.getIntermediates().length == 0) {
                op.setIntermediates(null);
            }
            Object options = op.getBuiltinOptions() == null ? null : op.getBuiltinOptions().getValue();
            if (options instanceof IfOptionsT o) {
                o.setThenSubgraphIndex(moved(o.getThenSubgraphIndex(), chosen));
                o.setElseSubgraphIndex(moved(o.getElseSubgraphIndex(), chosen));
            } else if (options instanceof WhileOptionsT o) {
                o.setCondSubgraphIndex(moved(o.getCondSubgraphIndex(), chosen));
                o.setBodySubgraphIndex(moved(o.getBodySubgraphIndex(), chosen));
            } else if (options instanceof CallOnceOptionsT o) {
                o.setInitSubgraphIndex(moved(o.getInitSubgraphIndex(), chosen));
            }
        }
        return graph;
    }

    /**
     * Refuses a file with an operator newer than the flatbuffer schema this build reads (StableHLO operators carry
     * their options in a field it does not know): the rewrite would drop them.
     */
    private static void requireKnownOperators(ModelFile file, Model model, String key) throws ModelFailureException {
        for (int c = 0; c < model.operatorCodesLength(); c++) {
            OperatorCode code = model.operatorCodes(c);
            int builtin = Math.max(code.deprecatedBuiltinCode(), code.builtinCode());
            if (builtin >= BuiltinOperator.names.length) {
                throw new ModelFailureException("TFLite model " + file.ref().path() + ": signature '" + key
                        + "' cannot be selected: choosing it rewrites the file, and its operator code " + builtin
                        + " is newer than the TFLite schema tensor-parity reads");
            }
        }
    }
}

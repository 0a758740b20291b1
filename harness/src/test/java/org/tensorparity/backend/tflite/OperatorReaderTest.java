package org.tensorparity.backend.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorparity.testing.RealPairs;

/** {@link OperatorReader} reads what the schema's generated {@code Operator} reads, on files real converters wrote. */
class OperatorReaderTest {

    static Stream<Path> models() throws IOException {
        try (Stream<Path> files = Files.walk(RealPairs.folder())) {
            List<Path> tflite = files.filter(p -> p.toString().endsWith(".tflite")).sorted().toList();
            return Stream.concat(tflite.stream(), Stream.of(TfLiteFixtures.pair("detection-271-onnxtf").tflite()));
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void readsEveryOperatorOfTheMainSubgraphAsTheGeneratedSchemaDoes(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        SubGraph graph = Model.getRootAsModel(bytes.duplicate()).subgraphs(0);
        OperatorReader reader = new OperatorReader(bytes);
        assertEquals(graph.operatorsLength(), reader.count(), file + ": operators");
        assertTrue(reader.count() > 0, file + " has operators");
        for (int i = 0; i < graph.operatorsLength(); i++) {
            Operator expected = graph.operators(i);
            OperatorReader op = reader.select(i);
            assertEquals(expected.opcodeIndex(), op.opcodeIndex(), file + " operator " + i + ": opcode index");
            assertEquals(expected.inputsLength(), op.inputsLength(), file + " operator " + i + ": inputs");
            for (int k = 0; k < expected.inputsLength(); k++) {
                assertEquals(expected.inputs(k), op.inputs(k), file + " operator " + i + ": input " + k);
            }
            assertEquals(expected.outputsLength(), op.outputsLength(), file + " operator " + i + ": outputs");
            for (int k = 0; k < expected.outputsLength(); k++) {
                assertEquals(expected.outputs(k), op.outputs(k), file + " operator " + i + ": output " + k);
            }
        }
    }

    @Test
    void aSelectionOutsideTheSubgraphIsRefused() throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(TfLiteFixtures.pair("detection-271-onnxtf").tflite()));
        OperatorReader reader = new OperatorReader(bytes);
        assertThrows(IndexOutOfBoundsException.class, () -> reader.select(reader.count()));
        assertThrows(IndexOutOfBoundsException.class, () -> reader.select(-1));
    }
}

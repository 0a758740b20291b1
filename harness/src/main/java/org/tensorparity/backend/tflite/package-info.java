/**
 * The TFLite runner: the only package in tensor-parity that imports {@code org.bytedeco.*}. It owns
 * every native TFLite object (flatbuffer model and its bytes, op resolver, interpreter, error
 * reporter) and lets nothing native escape: tensors leave as heap copies, graphs as plain records.
 *
 * <p>Loading goes through TFLite's flatbuffer verifier, so a malformed file is a
 * {@link org.tensorparity.ModelFailureException}, never a crash. TFLite's error reporter is redirected
 * into those exception messages instead of stderr (see {@code CapturedErrorReporter}, which depends on
 * the linux-x86_64 C++ ABI; on other platforms TFLite's messages stay on stderr). The native library
 * itself is loaded by JavaCPP from the {@code tensorflow-lite} platform jar on first use.
 *
 * <p>This package knows nothing of binding, alignment, comparison or reports.
 */
package org.tensorparity.backend.tflite;

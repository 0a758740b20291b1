/**
 * JUnit 5 support: {@link org.tensorparity.junit5.ParityAssertions#assertParity} runs a
 * {@link org.tensorparity.api.ParityCheck} inside a test, writes its reports under the build's output
 * folder and fails the test with the verdict's summary and the first divergence.
 */
package org.tensorparity.junit5;

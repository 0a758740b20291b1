/**
 * The library entry point: {@link org.tensorparity.api.ParityCheck} builds one verification (models,
 * inputs, tolerances, options), runs it and returns the result model ({@link org.tensorparity.result.ParityReport}).
 * The {@code parity} command line and the JUnit 5 assertion are both thin layers over it.
 */
package org.tensorparity.api;

/**
 * NumPy array files as inputs: {@link org.tensorparity.bind.npy.NpyReader} reads one {@code .npy}
 * array, {@link org.tensorparity.bind.npy.NpzReader} a {@code .npz} archive of named arrays, and
 * {@link org.tensorparity.bind.npy.NpzWriter} writes the inputs of a run so that it can be reproduced.
 *
 * <p>Implements the format of {@code numpy.lib.format} (versions 1.0, 2.0 and 3.0) without numpy:
 * the header is a Python dict literal naming the element type, the memory order and the shape. Arrays
 * become {@link org.tensorparity.tensor.Tensor}s in row-major order whatever their memory order, with
 * the source element type recorded. Every malformed file is a {@link org.tensorparity.BadInputException}
 * naming the file (and the archive entry); sizes are checked against the file before anything is
 * allocated, so a hostile header cannot exhaust memory. Knows nothing of models or binding.
 */
package org.tensorparity.bind.npy;

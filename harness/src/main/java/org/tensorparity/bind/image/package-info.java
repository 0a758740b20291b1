/**
 * Images as inputs: {@link org.tensorparity.bind.image.ImageInput} decodes a PNG or JPEG with
 * {@code javax.imageio} (no native code) and turns it into the tensor an image model expects, as an
 * {@link org.tensorparity.bind.image.ImagePreprocessing} says: channel order, resize or centre crop to the
 * input's height and width, normalization, layout; {@link org.tensorparity.bind.image.PrefetchedImages} decodes the
 * files before that shape is known. Knows nothing of models or binding beyond the input's shape; an unreadable image
 * is a {@link org.tensorparity.BadInputException} naming the file.
 */
package org.tensorparity.bind.image;

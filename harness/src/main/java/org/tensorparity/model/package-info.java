/**
 * What a model is, not how it runs: its file identity ({@link org.tensorparity.model.ModelRef}, sha256)
 * and its declared signature. Knows no runtime.
 */
package org.tensorparity.model;

package org.tensorparity.compare;

import java.util.List;

/**
 * The largest absolute error per channel: one broken output channel (a conv whose weights are off in one
 * filter, a BGR/RGB swap) stands out at once, where a layer-wide drift (a wrong batch-norm epsilon) lifts
 * every channel alike. Channels are axis 1 of the reference layout (C of NCHW, the features of [N, F]),
 * whatever the candidate's layout. At most {@link #MAX_BINS} values are kept: wider tensors share one value
 * among {@code channelsPerBin} adjacent channels, so the JSON stays small and no channel is left out.
 *
 * @param axis the reference axis read as channels (always 1; recorded so the JSON explains itself)
 * @param channels the size of that axis
 * @param channelsPerBin adjacent channels per value: 1 unless {@code channels > MAX_BINS}
 * @param maxAbs for bin {@code k} (channels {@code k*channelsPerBin} up to the next bin's first), the
 *     largest {@code |d|} over its finite pairs; {@code +Infinity} when the bin holds a NaN or infinity on one
 *     side only, or a difference beyond float32's range; 0 when it holds no finite pair
 */
public record ChannelErrors(int axis, int channels, int channelsPerBin, List<Float> maxAbs) {
    /** The most values a tensor keeps. */
    public static final int MAX_BINS = 512;

    public ChannelErrors {
        maxAbs = List.copyOf(maxAbs);
    }
}

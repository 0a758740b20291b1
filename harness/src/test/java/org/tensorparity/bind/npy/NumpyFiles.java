package org.tensorparity.bind.npy;

import java.util.Base64;

/**
 * Files written by numpy 2.4.6 ({@code np.save}, {@code np.savez}, {@code np.savez_compressed},
 * {@code np.lib.format.write_array}), base64-encoded: an oracle independent of this package's code.
 * Each constant's comment is the Python that produced it.
 */
final class NumpyFiles {
    private NumpyFiles() {
    }

    /** {@code np.arange(6, dtype='<f4').reshape(2,3) / 4}. */
    static final String C_F4_2X3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAg"
            + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPgAAAD8AAEA/"
            + "AACAPwAAoD8=";

    /** {@code np.asfortranarray(np.arange(6, dtype='>i2').reshape(2,3))}: data bytes 0 3 1 4 2 5 (big-endian). */
    static final String FORTRAN_BIG_I2_2X3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPmkyJywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAg"
            + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAADAAEABAACAAU=";

    /** {@code np.asfortranarray(np.arange(24, dtype='<f8').reshape(2,3,4))}. */
    static final String FORTRAN_F8_2X3X4 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMywgNCksIH0g"
            + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAChA"
            + "AAAAAAAAEEAAAAAAAAAwQAAAAAAAACBAAAAAAAAANEAAAAAAAADwPwAAAAAAACpAAAAAAAAAFEAAAAAAAAAxQAAAAAAAACJA"
            + "AAAAAAAANUAAAAAAAAAAQAAAAAAAACxAAAAAAAAAGEAAAAAAAAAyQAAAAAAAACRAAAAAAAAANkAAAAAAAAAIQAAAAAAAAC5A"
            + "AAAAAAAAHEAAAAAAAAAzQAAAAAAAACZAAAAAAAAAN0A=";

    /** {@code np.array([1.0, -2.5, 65504, 2**-24, np.inf], dtype='<f2')}. */
    static final String F2_VECTOR = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDUsKSwgfSAgICAg"
            + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAPADB/3sBAAB8";

    /** {@code np.array([[-3], [7]], dtype='<i8')}. */
    static final String I8_2X1 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDEpLCB9ICAg"
            + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr9/////////wcAAAAAAAAA";

    /** {@code np.array([True, False, True])}. */
    static final String B1_VECTOR = "k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAg"
            + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAE=";

    /** {@code np.array(200, dtype='u1')}: a scalar, shape (). */
    static final String U1_SCALAR = "k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAg"
            + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIArI";

    /** {@code write_array(f, np.arange(3, dtype='>u2'), version=(2,0))}. */
    static final String V2_BIG_U2 = "k05VTVBZAgB0AAAAeydkZXNjcic6ICc+dTInLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAg"
            + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAABAAI=";

    /** {@code write_array(f, np.arange(3, dtype='<u4'), version=(3,0))}. */
    static final String V3_U4 = "k05VTVBZAwB0AAAAeydkZXNjcic6ICc8dTQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAg"
            + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAQAAAAIAAAA=";

    /** {@code np.savez(f, x=np.arange(4, dtype='<f4').reshape(2,2), k=np.array([1,2,3], dtype='<i8'))}: stored, zip64. */
    static final String SAVEZ = "UEsDBC0AAAAAAAAAIQCR9Ofb//////////8FABQAeC5ucHkBABAAkAAAAAAAAACQAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2Ny"
            + "JzogJzxmNCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCAyKSwgfSAgICAgICAgICAgICAgICAgICAg"
            + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAAAAAgD8AAABAAABAQFBLAwQtAAAAAAAAACEAvJFV"
            + "jv//////////BQAUAGsubnB5AQAQAJgAAAAAAAAAmAAAAAAAAACTTlVNUFkBAHYAeydkZXNjcic6ICc8aTgnLCAnZm9ydHJh"
            + "bl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg"
            + "ICAgICAgICAgICAgICAgICAgICAgCgEAAAAAAAAAAgAAAAAAAAADAAAAAAAAAFBLAQItAy0AAAAAAAAAIQCR9OfbkAAAAJAA"
            + "AAAFAAAAAAAAAAAAAACAAQAAAAB4Lm5weVBLAQItAy0AAAAAAAAAIQC8kVWOmAAAAJgAAAAFAAAAAAAAAAAAAACAAccAAABr"
            + "Lm5weVBLBQYAAAAAAgACAGYAAACWAQAAAAA=";

    /** {@code np.savez_compressed(f, x=np.zeros((50,), dtype='<f4'), y=np.array([[True]]))}: deflated, zip64. */
    static final String SAVEZ_COMPRESSED = "UEsDBC0AAAAIAAAAIQB1Uo2L//////////8FABQAeC5ucHkBABAASAEAAAAAAABIAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxc"
            + "pG6loG6TZqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GqYGOpo6CrUK5AMuhmECAFBLAwQtAAAACAAAACEA2+AK"
            + "A///////////BQAUAHkubnB5AQAQAIEAAAAAAAAARwAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBek2SorqOgnpZfVFKU"
            + "mBefX5SSChJ3S8wpTgWKF2ckFqQC+RqGOgqGmjoKtQpkAy5GAFBLAQItAy0AAAAIAAAAIQB1Uo2LSAAAAEgBAAAFAAAAAAAA"
            + "AAAAAACAAQAAAAB4Lm5weVBLAQItAy0AAAAIAAAAIQDb4AoDRwAAAIEAAAAFAAAAAAAAAAAAAACAAX8AAAB5Lm5weVBLBQYA"
            + "AAAAAgACAGYAAAD9AAAAAAA=";

    static byte[] bytes(String base64) {
        return Base64.getDecoder().decode(base64);
    }
}

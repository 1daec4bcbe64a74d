package dev.softkey.usb.backend.usbip;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The USB/IP framer ({@link UsbIpDecoder}, Linux usbip_protocol.rst) on arbitrary TCP bytes, in
 * netty's {@link EmbeddedChannel}. In this package because the decoder is package-private. Seeds:
 * OP_REQ_DEVLIST, OP_REQ_IMPORT and CMD_SUBMIT/CMD_UNLINK streams written by {@code WriteSeeds}.
 *
 * <p>Invariants: a malformed stream fails with a {@link CorruptedFrameException} (wrapped by netty
 * in a {@link DecoderException}) and nothing else; the messages do not depend on how TCP split the
 * stream: bytes 0..1 of the input choose a split point, and the stream in two writes gives the
 * same messages (and the same failure) as in one.
 */
class UsbIpDecoderFuzzTest {
  @FuzzTest
  void decode(byte[] data) {
    if (data.length < 2) {
      return;
    }
    byte[] stream = Arrays.copyOfRange(data, 2, data.length);
    int split = (((data[0] & 0xFF) << 8) | (data[1] & 0xFF)) % (stream.length + 1);
    Outcome whole = run(List.of(stream));
    Outcome parts = run(List.of(Arrays.copyOf(stream, split), Arrays.copyOfRange(stream, split, stream.length)));
    assertThat(parts).as("messages with the stream split at %d", split).isEqualTo(whole);
  }

  /** The decoded messages, and whether the stream was refused. */
  record Outcome(List<String> messages, boolean corrupted) {}

  static Outcome run(List<byte[]> writes) {
    EmbeddedChannel ch = new EmbeddedChannel(new UsbIpDecoder());
    List<String> messages = new ArrayList<>();
    boolean corrupted = false;
    try {
      for (byte[] w : writes) {
        ch.writeInbound(Unpooled.wrappedBuffer(w));
        drain(ch, messages);
      }
    } catch (DecoderException e) {
      assertThat(e).as("cause of a refused stream").isInstanceOf(CorruptedFrameException.class);
      corrupted = true;
      drain(ch, messages); // what was decoded before the bad frame is still delivered
    }
    try {
      ch.finishAndReleaseAll();
    } catch (DecoderException e) {
      // at end of stream the decoder sees the bytes it refused once more, and refuses them again
      assertThat(e).isInstanceOf(CorruptedFrameException.class);
      assertThat(corrupted).as("refused only at end of stream").isTrue();
    }
    return new Outcome(messages, corrupted);
  }

  private static void drain(EmbeddedChannel ch, List<String> messages) {
    Object m;
    while ((m = ch.readInbound()) != null) {
      messages.add(m.toString());
    }
  }
}

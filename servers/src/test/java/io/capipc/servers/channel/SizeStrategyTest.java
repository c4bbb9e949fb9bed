package io.capipc.servers.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.servers.channel.SizeStrategy.Traffic;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SizeStrategyTest {
    private final SizeStrategy s = new SizeStrategy(128, 32 << 10, 8 << 10, "test");

    @Test
    void propose_eachRange_proposesItsTransportWithTheThresholdAndSource() {
        assertEquals(Transport.REGISTERS, s.propose(128, Traffic.ONE_SHOT).transport());
        assertEquals(Transport.READ_WRITE, s.propose(129, Traffic.ONE_SHOT).transport());
        assertEquals(Transport.CHANNEL, s.propose(129, Traffic.SUSTAINED).transport());
        assertEquals(Transport.CHANNEL, s.propose(8, Traffic.SUSTAINED).transport(), "sustained traffic: a channel first");
        assertEquals(Transport.CHANNEL, s.propose(8 << 10, Traffic.SUSTAINED).transport());
        assertEquals(Transport.READ_WRITE, s.propose((8 << 10) + 1, Traffic.SUSTAINED).transport());
        assertEquals(Transport.READ_WRITE, s.propose(32 << 10, Traffic.ONE_SHOT).transport());
        SizeStrategy.Proposal big = s.propose((32 << 10) + 1, Traffic.ONE_SHOT);
        assertEquals(Transport.MOVED_REGION, big.transport());
        assertTrue(big.reason().contains("32768") && big.reason().contains("test"), big.reason());
    }

    @Test
    void storeThenLoad_sameThresholds(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("thresholds.properties");
        s.store(f);
        assertEquals(s, SizeStrategy.load(f));
    }

    @Test
    void load_missingOrBadKey_refusedNamingIt(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.properties");
        Files.writeString(f, "registersMax=8\nreadWriteMax=x\nchannelMax=1\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SizeStrategy.load(f)).getMessage().contains("readWriteMax"));
        Files.writeString(f, "registersMax=8\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SizeStrategy.load(f)).getMessage().contains("readWriteMax"));
    }

    @Test
    void new_registersOver512OrNegative_refused() {
        assertThrows(IllegalArgumentException.class, () -> new SizeStrategy(513, 0, 0, "x"));
        assertThrows(IllegalArgumentException.class, () -> new SizeStrategy(8, -1, 0, "x"));
        assertThrows(IllegalArgumentException.class, () -> s.propose(-1, Traffic.ONE_SHOT));
        assertTrue(SizeStrategy.unmeasured().propose(1 << 20, Traffic.ONE_SHOT).reason().contains("unmeasured"));
    }
}
